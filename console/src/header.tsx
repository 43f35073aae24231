/** The header: navigation by role, the presence switch, the live connection, the language switch and the user. */
import { useState } from 'preact/hooks';
import { routePath, type Route } from './app.tsx';
import { errorMessage } from './api.ts';
import { hasRole } from './auth.ts';
import { labelOf, useI18n, type Lang } from './i18n.ts';
import type { Presence } from './types.ts';
import { PresenceDot, useApp } from './ui.tsx';

const PRESENCES: readonly Presence[] = ['online', 'away', 'offline'];

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const options: readonly [Lang, string][] = [
    ['zh-CN', '中文'],
    ['en', 'English'],
  ];
  return (
    <div class="segmented segmented-small" role="group" aria-label={t('header.language')}>
      {options.map(([value, label]) => (
        <button type="button" key={value} class={lang === value ? 'active' : ''} aria-pressed={lang === value} data-testid={`lang-${value === 'en' ? 'en' : 'zh'}`} onClick={() => setLang(value)}>
          {label}
        </button>
      ))}
    </div>
  );
}

function PresenceSwitch() {
  const { t } = useI18n();
  const { api, me, setMe, toast } = useApp();
  const [busy, setBusy] = useState(false);
  const change = async (presence: Presence) => {
    if (busy || me?.presence === presence) return;
    setBusy(true);
    try {
      const result = await api.put<{ presence: Presence; load: number; capacity: number }>('/v1/agent/presence', { presence });
      setMe((current) => (current ? { ...current, presence: result.presence, load: result.load, capacity: result.capacity } : current));
    } catch (error) {
      toast('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="segmented" role="group" aria-label={t('header.presence')} data-testid="presence" data-presence={me?.presence ?? ''}>
      {PRESENCES.map((presence) => (
        <button type="button" key={presence} class={me?.presence === presence ? `active presence-${presence}` : ''} aria-pressed={me?.presence === presence} disabled={!me || busy} data-testid={`presence-${presence}`} onClick={() => void change(presence)}>
          <PresenceDot presence={presence} />
          {t(`presence.${presence}`)}
        </button>
      ))}
    </div>
  );
}

export function Header({ route, routes, navigate, signOut }: { route: Route | undefined; routes: readonly Route[]; navigate(route: Route): void; signOut(): void }) {
  const { t } = useI18n();
  const { session, floorStatus, config } = useApp();
  const user = session.user;
  return (
    <header class="header">
      <div class="brand">
        <span class="brand-mark">客</span>
        <span class="brand-name">Kefu</span>
        {config.stage && <span class="stage-tag">{config.stage}</span>}
      </div>
      <nav class="nav">
        {routes.map((r) => (
          <a
            key={r}
            href={`/console/${routePath(r)}`}
            class={route === r ? 'active' : ''}
            data-testid={`nav-${r}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(r);
            }}
          >
            {t(`nav.${r}`)}
          </a>
        ))}
      </nav>
      <div class="header-right">
        {hasRole(user, 'agent') && <PresenceSwitch />}
        <span class={`live live-${floorStatus}`} data-testid="live-status" data-status={floorStatus} title={floorStatus === 'open' ? t('header.live') : t('header.reconnecting')}>
          <span class="live-dot" />
          {floorStatus === 'open' ? t('header.live') : t('header.reconnecting')}
        </span>
        <LangSwitch />
        <div class="user" data-testid="user">
          <span class="avatar" aria-hidden="true">
            {(user.name || user.id).slice(0, 1)}
          </span>
          <span class="user-text">
            <span class="user-name">{user.name || user.id}</span>
            <span class="user-roles">{user.roles.map((r) => labelOf(t, 'role', r)).join(' · ')}</span>
          </span>
        </div>
        <button type="button" class="button button-ghost" data-testid="sign-out" onClick={signOut}>
          {t('header.signOut')}
        </button>
      </div>
    </header>
  );
}
