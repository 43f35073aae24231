/**
 * The channels screen (`/console/admin/channels`): the web chat's settings (on/off, window title and greeting in both
 * languages, accent colour, side of the page, routing group, offline message), saved with the version they were read
 * at (a concurrent change is a 409, shown with a reload), with a preview; the widget reads them on load from the
 * public settings route. Every messaging channel (WeChat, WeCom, e-mail, WhatsApp, Telegram, LINE, SMS, the API) has a
 * card of its own: on/off and the routing group of its new conversations, saved with its version the same way.
 * Admins edit; supervisors read. Loaded lazily by app.tsx.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { errorMessage } from '../api.ts';
import { hasRole } from '../auth.ts';
import { dateTime } from '../format.ts';
import { useI18n, useScreenT } from '../i18n.ts';
import { Empty, useApp } from '../ui.tsx';
import { channelStrings, type ChannelKey } from './channels.i18n.ts';
import type { ApiErrorBody, ChannelInfo, WebchatSettings } from './types.ts';

/** A messaging channel's settings (GET /v1/admin/channels lists every channel as configurable). */
interface MessagingSettings {
  readonly enabled: boolean;
  readonly routingGroupId: string;
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}
type WebchatInfo = Extract<ChannelInfo, { configurable: true }>;
interface MessagingInfo {
  readonly id: string;
  readonly configurable: true;
  readonly settings: MessagingSettings;
}
type ListedChannel = WebchatInfo | MessagingInfo | { readonly id: string; readonly configurable: false };
const isWebchat = (c: ListedChannel): c is WebchatInfo => c.id === 'webchat' && c.configurable;
const isMessaging = (c: ListedChannel): c is MessagingInfo => c.id !== 'webchat' && c.configurable;
type Group = { readonly id: string; readonly name: string };

function GroupSelect(props: { value: string; groups: readonly Group[]; testId: string; onChange: (id: string) => void }) {
  return (
    <select value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {[...new Set(['default', ...props.groups.map((g) => g.id), props.value])].map((id) => (
        <option key={id} value={id}>
          {props.groups.find((g) => g.id === id)?.name ?? id} ({id})
        </option>
      ))}
    </select>
  );
}

interface Form {
  readonly enabled: boolean;
  readonly titleZh: string;
  readonly titleEn: string;
  readonly greetingZh: string;
  readonly greetingEn: string;
  readonly accentColor: string;
  readonly position: 'right' | 'left';
  readonly routingGroupId: string;
  readonly offlineZh: string;
  readonly offlineEn: string;
}

function formOf(s: WebchatSettings): Form {
  return {
    enabled: s.enabled,
    titleZh: s.title.zh,
    titleEn: s.title.en,
    greetingZh: s.greeting.zh,
    greetingEn: s.greeting.en,
    accentColor: s.accentColor,
    position: s.position,
    routingGroupId: s.routingGroupId,
    offlineZh: s.offlineMessage?.zh ?? '',
    offlineEn: s.offlineMessage?.en ?? '',
  };
}

function bodyOf(f: Form, version: number) {
  const offline = f.offlineZh.trim() || f.offlineEn.trim() ? { offlineMessage: { zh: f.offlineZh.trim(), en: f.offlineEn.trim() } } : {};
  return {
    expectedVersion: version,
    enabled: f.enabled,
    title: { zh: f.titleZh.trim(), en: f.titleEn.trim() },
    greeting: { zh: f.greetingZh.trim(), en: f.greetingEn.trim() },
    accentColor: f.accentColor,
    position: f.position,
    routingGroupId: f.routingGroupId,
    ...offline,
  };
}

function useChannelName() {
  const t = useScreenT(channelStrings);
  return (id: string) => ((channelStrings.en as Record<string, string>)[`channel.${id}`] ? t(`channel.${id}` as ChannelKey) : id);
}

/** One messaging channel: on/off and the routing group, saved with the version it was read at. */
function MessagingCard(props: { channel: MessagingInfo; groups: readonly Group[]; canEdit: boolean; onSaved: (settings: MessagingSettings) => void; onReload: () => void }) {
  const t = useScreenT(channelStrings);
  const { lang } = useI18n();
  const { config, session, toast } = useApp();
  const channelName = useChannelName();
  const { channel, groups, canEdit } = props;
  const settings = channel.settings;
  const [enabled, setEnabled] = useState(settings.enabled);
  const [routingGroupId, setRoutingGroupId] = useState(settings.routingGroupId);
  const [problem, setProblem] = useState<{ message: string; issues: readonly { path: string; message: string }[] }>();
  const [conflict, setConflict] = useState<number>();
  const [busy, setBusy] = useState(false);
  // A reload (or a save) brings new settings: the form follows them.
  useEffect(() => {
    setEnabled(settings.enabled);
    setRoutingGroupId(settings.routingGroupId);
    setConflict(undefined);
    setProblem(undefined);
  }, [settings]);
  const dirty = enabled !== settings.enabled || routingGroupId !== settings.routingGroupId;
  const name = channelName(channel.id);

  const save = async () => {
    if (busy) return;
    setProblem(undefined);
    setBusy(true);
    try {
      const res = await fetch(`${config.apiBase.replace(/\/$/, '')}/v1/admin/channels/${encodeURIComponent(channel.id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ expectedVersion: settings.version, enabled, routingGroupId }),
      });
      const body = (await res.json().catch(() => undefined)) as (MessagingSettings & { error?: ApiErrorBody }) | undefined;
      if (res.ok && body) {
        props.onSaved(body);
        toast('success', t('savedChannel', { channel: name, version: body.version }));
      } else if (res.status === 409) {
        const current = (body?.error?.details as { current?: MessagingSettings } | undefined)?.current;
        setConflict(current?.version ?? -1);
      } else if (body?.error) {
        setProblem({ message: body.error.message, issues: body.error.details?.issues ?? [] });
      } else {
        setProblem({ message: `HTTP ${res.status}`, issues: [] });
      }
    } catch (err) {
      setProblem({ message: errorMessage(err), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" data-testid="ch-channel" data-channel={channel.id} data-version={settings.version} data-dirty={dirty} data-enabled={settings.enabled}>
      <div class="kb-editor-head">
        <h2>{name}</h2>
        <span class={`tag ${settings.enabled ? 'flow-enabled' : ''}`}>{settings.enabled ? '●' : '○'}</span>
        {dirty && <span class="tag kb-dirty">{t('dirty')}</span>}
      </div>
      <p class="muted small">
        {settings.version > 0
          ? t('meta', { version: settings.version, by: settings.updatedBy ?? '—', time: settings.updatedAt ? dateTime(settings.updatedAt, lang) : '—' })
          : t('neverSaved')}
      </p>
      {conflict !== undefined && (
        <div class="kb-conflict" role="alert" data-testid="ch-channel-conflict">
          <span>{t('conflict', { version: conflict < 0 ? '?' : conflict })}</span>
          <button type="button" class="button button-small" data-testid="ch-channel-reload" onClick={props.onReload}>
            {t('reload')}
          </button>
        </div>
      )}
      <fieldset class="kb-fieldset" disabled={!canEdit || busy}>
        <label class="checkbox ch-enabled">
          <input type="checkbox" checked={enabled} data-testid="ch-channel-enabled" onChange={(e) => setEnabled(e.currentTarget.checked)} /> {t('channelEnabled')}
        </label>
        <p class="muted small">{t('channelEnabledHint')}</p>
        <label class="field">
          <span>{t('group')}</span>
          <GroupSelect value={routingGroupId} groups={groups} testId="ch-channel-group" onChange={setRoutingGroupId} />
        </label>
      </fieldset>
      {problem && (
        <div class="flow-problems" role="alert" data-testid="ch-channel-errors">
          <p class="error-text">{problem.issues.length > 0 ? t('invalid') : problem.message}</p>
          {problem.issues.length > 0 && (
            <ul>
              {problem.issues.map((issue, i) => (
                <li key={i} data-testid="ch-channel-issue" data-path={issue.path}>
                  <code>{issue.path}</code> {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {canEdit && (
        <div class="kb-actions">
          <button type="button" class="button button-primary" data-testid="ch-channel-save" disabled={busy || !dirty} onClick={() => void save()}>
            {busy ? t('saving') : t('save')}
          </button>
          {dirty && (
            <button
              type="button"
              class="button button-ghost"
              data-testid="ch-channel-discard"
              onClick={() => {
                setEnabled(settings.enabled);
                setRoutingGroupId(settings.routingGroupId);
                setProblem(undefined);
              }}
            >
              {t('discard')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

export function Screen() {
  const t = useScreenT(channelStrings);
  const { lang } = useI18n();
  const { api, config, session, toast } = useApp();
  const canEdit = hasRole(session.user, 'admin');
  const channelName = useChannelName();
  const [channels, setChannels] = useState<readonly ListedChannel[]>();
  const [groups, setGroups] = useState<readonly Group[]>([]);
  const [form, setForm] = useState<Form>();
  const [loadError, setLoadError] = useState<string>();
  const [problem, setProblem] = useState<{ message: string; issues: readonly { path: string; message: string }[] }>();
  const [conflict, setConflict] = useState<number>();
  const [busy, setBusy] = useState(false);

  const webchat = channels?.find(isWebchat);
  const settings = webchat?.settings;

  const load = useCallback(async () => {
    try {
      const [list, groupList] = await Promise.all([api.get<{ channels: ListedChannel[] }>('/v1/admin/channels'), api.get<{ groups: { id: string; name: string }[] }>('/v1/admin/groups').catch(() => ({ groups: [] }))]);
      setChannels(list.channels);
      setGroups(groupList.groups);
      const wc = list.channels.find(isWebchat);
      if (wc) setForm(formOf(wc.settings));
      setLoadError(undefined);
      setProblem(undefined);
      setConflict(undefined);
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, [api]);
  useEffect(() => void load(), [load]);

  const dirty = useMemo(() => !!form && !!settings && JSON.stringify(form) !== JSON.stringify(formOf(settings)), [form, settings]);
  const set = (patch: Partial<Form>) => setForm((f) => (f ? { ...f, ...patch } : f));

  const save = async () => {
    if (!form || !settings || busy) return;
    setProblem(undefined);
    if (!!form.offlineZh.trim() !== !!form.offlineEn.trim()) return setProblem({ message: t('offlineBoth'), issues: [] });
    setBusy(true);
    try {
      const res = await fetch(`${config.apiBase.replace(/\/$/, '')}/v1/admin/channels/webchat`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify(bodyOf(form, settings.version)),
      });
      const body = (await res.json().catch(() => undefined)) as (WebchatSettings & { error?: ApiErrorBody }) | undefined;
      if (res.ok && body) {
        setChannels((list) => list?.map((c) => (isWebchat(c) ? { ...c, settings: body } : c)));
        setForm(formOf(body));
        toast('success', t('saved', { version: body.version }));
      } else if (res.status === 409) {
        const current = (body?.error?.details as { current?: WebchatSettings } | undefined)?.current;
        setConflict(current?.version ?? -1);
      } else if (body?.error) {
        setProblem({ message: body.error.message, issues: body.error.details?.issues ?? [] });
      } else {
        setProblem({ message: `HTTP ${res.status}`, issues: [] });
      }
    } catch (err) {
      setProblem({ message: errorMessage(err), issues: [] });
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <div class="center-screen error-text">{loadError}</div>;
  const others = (channels ?? []).filter((c) => !c.configurable);
  const messaging = (channels ?? []).filter(isMessaging);
  const l = lang === 'en' ? 'en' : 'zh';

  return (
    <div class="channels" data-testid="channels">
      <div class="page-head">
        <h1>{t('title')}</h1>
        <span class="spacer" />
        {!canEdit && (
          <span class="tag" data-testid="channels-read-only">
            {t('readOnly')}
          </span>
        )}
      </div>
      {!form || !settings ? (
        <Empty>{t('loading')}</Empty>
      ) : (
        <div class="channels-grid">
          <section class="card" data-testid="ch-webchat" data-version={settings.version} data-dirty={dirty}>
            <div class="kb-editor-head">
              <h2>{t('webchat')}</h2>
              <span class={`tag ${settings.enabled ? 'flow-enabled' : ''}`}>{settings.enabled ? '●' : '○'}</span>
              {dirty && <span class="tag kb-dirty">{t('dirty')}</span>}
            </div>
            <p class="muted small">{t('webchatIntro')}</p>
            <p class="muted small">
              {settings.version > 0
                ? t('meta', { version: settings.version, by: settings.updatedBy ?? '—', time: settings.updatedAt ? dateTime(settings.updatedAt, lang) : '—' })
                : t('neverSaved')}
            </p>
            {conflict !== undefined && (
              <div class="kb-conflict" role="alert" data-testid="ch-conflict">
                <span>{t('conflict', { version: conflict < 0 ? '?' : conflict })}</span>
                <button type="button" class="button button-small" data-testid="ch-reload" onClick={() => void load()}>
                  {t('reload')}
                </button>
              </div>
            )}
            <fieldset class="kb-fieldset" disabled={!canEdit || busy}>
              <label class="checkbox ch-enabled">
                <input type="checkbox" checked={form.enabled} data-testid="ch-enabled" onChange={(e) => set({ enabled: e.currentTarget.checked })} /> {t('enabled')}
              </label>
              <p class="muted small">{t('enabledHint')}</p>
              <div class="field-row">
                <label class="field">
                  <span>
                    {t('windowTitle')} · {t('zh')}
                  </span>
                  <input value={form.titleZh} maxLength={40} data-testid="ch-title-zh" onInput={(e) => set({ titleZh: e.currentTarget.value })} />
                </label>
                <label class="field">
                  <span>
                    {t('windowTitle')} · {t('en')}
                  </span>
                  <input value={form.titleEn} maxLength={40} data-testid="ch-title-en" onInput={(e) => set({ titleEn: e.currentTarget.value })} />
                </label>
              </div>
              <div class="field-row">
                <label class="field">
                  <span>
                    {t('greeting')} · {t('zh')}
                  </span>
                  <textarea rows={2} value={form.greetingZh} data-testid="ch-greeting-zh" onInput={(e) => set({ greetingZh: e.currentTarget.value })} />
                </label>
                <label class="field">
                  <span>
                    {t('greeting')} · {t('en')}
                  </span>
                  <textarea rows={2} value={form.greetingEn} data-testid="ch-greeting-en" onInput={(e) => set({ greetingEn: e.currentTarget.value })} />
                </label>
              </div>
              <div class="field-row">
                <label class="field">
                  <span>{t('accent')}</span>
                  <span class="ch-color">
                    <input type="color" value={/^#[0-9a-f]{6}$/i.test(form.accentColor) ? form.accentColor : '#000000'} data-testid="ch-color" onInput={(e) => set({ accentColor: e.currentTarget.value })} />
                    <input class="mono" value={form.accentColor} maxLength={7} data-testid="ch-color-text" onInput={(e) => set({ accentColor: e.currentTarget.value })} />
                  </span>
                </label>
                <label class="field">
                  <span>{t('position')}</span>
                  <select value={form.position} data-testid="ch-position" onChange={(e) => set({ position: e.currentTarget.value as 'right' | 'left' })}>
                    <option value="right">{t('position.right')}</option>
                    <option value="left">{t('position.left')}</option>
                  </select>
                </label>
                <label class="field">
                  <span>{t('group')}</span>
                  <GroupSelect value={form.routingGroupId} groups={groups} testId="ch-group" onChange={(routingGroupId) => set({ routingGroupId })} />
                </label>
              </div>
              <div class="field">
                <span>{t('offline')}</span>
                <div class="field-row">
                  <textarea rows={2} aria-label={`${t('offline')} · ${t('zh')}`} placeholder={t('zh')} value={form.offlineZh} data-testid="ch-offline-zh" onInput={(e) => set({ offlineZh: e.currentTarget.value })} />
                  <textarea rows={2} aria-label={`${t('offline')} · ${t('en')}`} placeholder={t('en')} value={form.offlineEn} data-testid="ch-offline-en" onInput={(e) => set({ offlineEn: e.currentTarget.value })} />
                </div>
                <span class="muted small">{t('offlineHint')}</span>
              </div>
            </fieldset>
            {problem && (
              <div class="flow-problems" role="alert" data-testid="ch-errors">
                {problem.issues.length > 0 ? (
                  <>
                    <p class="error-text">{t('invalid')}</p>
                    <ul>
                      {problem.issues.map((issue, i) => (
                        <li key={i} data-testid="ch-issue" data-path={issue.path}>
                          <code>{issue.path}</code> {issue.message}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : (
                  <p class="error-text">{problem.message}</p>
                )}
              </div>
            )}
            {canEdit && (
              <div class="kb-actions">
                <button type="button" class="button button-primary" data-testid="ch-save" disabled={busy || !dirty} onClick={() => void save()}>
                  {busy ? t('saving') : t('save')}
                </button>
                {dirty && (
                  <button
                    type="button"
                    class="button button-ghost"
                    data-testid="ch-discard"
                    onClick={() => {
                      setForm(formOf(settings));
                      setProblem(undefined);
                    }}
                  >
                    {t('discard')}
                  </button>
                )}
                <span class="spacer" />
                <a class="link-button" href="/console/widget/demo.html" target="_blank" rel="noopener">
                  {t('demo')}
                </a>
              </div>
            )}
          </section>
          <section class="card ch-preview-card">
            <h2>{t('preview')}</h2>
            <div class={`ch-preview ch-preview-${form.position}`} data-testid="ch-preview" style={{ '--ch-accent': /^#[0-9a-f]{6}$/i.test(form.accentColor) ? form.accentColor : '#1f6feb' }}>
              <div class="ch-preview-panel">
                <div class="ch-preview-head">{l === 'en' ? form.titleEn : form.titleZh}</div>
                <div class="ch-preview-body">
                  <div class="ch-preview-bubble">{!form.enabled && (l === 'en' ? form.offlineEn : form.offlineZh) ? (l === 'en' ? form.offlineEn : form.offlineZh) : l === 'en' ? form.greetingEn : form.greetingZh}</div>
                </div>
              </div>
              <div class="ch-preview-launcher" aria-hidden="true" />
            </div>
            {others.length > 0 && (
              <>
                <h2 class="ch-later-title">{t('later')}</h2>
                <p class="muted small">{t('laterHonest')}</p>
                <div class="ch-later">
                  {others.map((c) => (
                    <div key={c.id} class="ch-later-item" data-testid="ch-later" data-channel={c.id}>
                      <strong>{channelName(c.id)}</strong>
                      <span class="muted small">{t('laterNote')}</span>
                    </div>
                  ))}
                </div>
              </>
            )}
          </section>
        </div>
      )}
      {messaging.length > 0 && (
        <>
          <h2 class="ch-later-title">{t('messaging')}</h2>
          <p class="muted small">{t('messagingIntro')}</p>
          <div class="channels-grid" data-testid="ch-messaging">
            {messaging.map((c) => (
              <MessagingCard
                key={c.id}
                channel={c}
                groups={groups}
                canEdit={canEdit}
                onSaved={(settings) => setChannels((list) => list?.map((x) => (x.id === c.id ? { ...c, settings } : x)))}
                onReload={() => void load()}
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
