/** The sign-in screen: user name and password, through the deployment's sign-in provider. */
import { useState } from 'preact/hooks';
import { errorMessage } from './api.ts';
import { signInProvider } from './auth.ts';
import { LangSwitch } from './header.tsx';
import { useI18n } from './i18n.ts';
import type { ConsoleConfig, Session } from './types.ts';

export function SignIn({ config, onSignedIn, notice }: { config: ConsoleConfig; onSignedIn(session: Session): void; notice?: string | undefined }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const supported = config.auth.kind === 'local';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('signIn.required'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signInProvider(config).signIn(username.trim(), password));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <div class="sign-in-screen" data-testid="sign-in">
      <div class="sign-in-top">
        <LangSwitch />
      </div>
      <form class="sign-in-card" onSubmit={submit}>
        <div class="brand brand-large">
          <span class="brand-mark">客</span>
          <span>{t('app.name')}</span>
        </div>
        <h1>{t('signIn.title')}</h1>
        <p class="muted">{t('signIn.subtitle')}</p>
        {notice && <p class="notice">{notice}</p>}
        {!supported && <p class="error-text">{t('signIn.cognitoUnsupported')}</p>}
        <label class="field">
          <span>{t('signIn.username')}</span>
          <input data-testid="sign-in-username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} disabled={busy} />
        </label>
        <label class="field">
          <span>{t('signIn.password')}</span>
          <input data-testid="sign-in-password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} disabled={busy} />
        </label>
        {error && (
          <p class="error-text" data-testid="sign-in-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button button-primary button-block" data-testid="sign-in-submit" disabled={busy || !supported}>
          {busy ? t('signIn.submitting') : t('signIn.submit')}
        </button>
        {config.auth.kind === 'local' && <p class="hint">{t('signIn.localHint')}</p>}
        <p class="stage">{config.stage}</p>
      </form>
    </div>
  );
}
