/**
 * The sign-in screen: user name and password through the local issuer, or, in AWS, a button to Cognito's managed login
 * (which asks for the password and the TOTP code) and the completion of its answer when the browser comes back.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from './api.ts';
import { HOSTED_SIGN_IN_ERRORS, HostedSignIn, signInProvider } from './auth.ts';
import { LangSwitch } from './header.tsx';
import { useI18n, type Translate } from './i18n.ts';
import type { ConsoleConfig, Session } from './types.ts';

/** What the user reads when hosted sign-in fails. */
function hostedErrorText(t: Translate, error: unknown): string {
  const code = error instanceof ApiError ? error.code : '';
  const message = errorMessage(error);
  if (code === HOSTED_SIGN_IN_ERRORS.state) return t('signIn.stateMismatch');
  if (code === HOSTED_SIGN_IN_ERRORS.provider) return t('signIn.providerError', { message });
  if (code === HOSTED_SIGN_IN_ERRORS.config) return t('signIn.cognitoMisconfigured');
  if (code === HOSTED_SIGN_IN_ERRORS.insecure) return t('signIn.insecure');
  return t('signIn.tokenFailed', { message });
}

type HostedError = { readonly error: unknown };

export function SignIn({ config, onSignedIn, notice }: { config: ConsoleConfig; onSignedIn(session: Session): void; notice?: string | undefined }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const supported = config.auth.kind === 'local';

  // Cognito: the way back from managed login (`?code=&state=` or `?error=` on /console/) is completed here, once.
  const hosted = useMemo(() => HostedSignIn.of(config), [config]);
  const [completing, setCompleting] = useState(() => !!hosted && HostedSignIn.hasAnswer());
  // Kept as the failure itself, worded at render, so that the message follows a change of language.
  const [hostedError, setHostedError] = useState<HostedError>();
  const signedIn = useRef(onSignedIn);
  signedIn.current = onSignedIn;
  useEffect(() => {
    if (!hosted) return;
    let live = true;
    hosted.complete().then(
      (session) => {
        if (!live) return;
        setCompleting(false);
        if (session) signedIn.current(session);
      },
      (failure: unknown) => {
        if (!live) return;
        setCompleting(false);
        setHostedError({ error: failure });
      },
    );
    return () => {
      live = false;
    };
  }, [hosted]);

  // Back from managed login through the browser's back button, the page may come from the back/forward cache.
  useEffect(() => {
    const onShow = (event: PageTransitionEvent) => {
      if (event.persisted) setBusy(false);
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (hosted) {
      setBusy(true);
      setHostedError(undefined);
      try {
        await hosted.start();
      } catch (failure) {
        setHostedError({ error: failure });
        setBusy(false);
      }
      return;
    }
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

  const shownError = hostedError ? hostedErrorText(t, hostedError.error) : error;
  return (
    <div class="sign-in-screen" data-testid="sign-in" data-auth-kind={config.auth.kind}>
      <div class="sign-in-top">
        <LangSwitch />
      </div>
      <form class="sign-in-card" onSubmit={submit}>
        <div class="brand brand-large">
          <span class="brand-mark">客</span>
          <span>{t('app.name')}</span>
        </div>
        <h1>{t('signIn.title')}</h1>
        <p class="muted">{hosted ? t('signIn.cognitoSubtitle') : t('signIn.subtitle')}</p>
        {notice && <p class="notice">{notice}</p>}
        {hosted && !hosted.configured && <p class="error-text">{t('signIn.cognitoMisconfigured')}</p>}
        {!hosted && !supported && <p class="error-text">{t('signIn.cognitoMisconfigured')}</p>}
        {!hosted && (
          <>
            <label class="field">
              <span>{t('signIn.username')}</span>
              <input data-testid="sign-in-username" autocomplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} disabled={busy} />
            </label>
            <label class="field">
              <span>{t('signIn.password')}</span>
              <input data-testid="sign-in-password" type="password" autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} disabled={busy} />
            </label>
          </>
        )}
        {shownError && (
          <p class="error-text" data-testid="sign-in-error" role="alert">
            {shownError}
          </p>
        )}
        {hosted ? (
          <button type="submit" class="button button-primary button-block" data-testid="sign-in-hosted" disabled={busy || completing || !hosted.configured}>
            {completing ? t('signIn.completing') : busy ? t('signIn.redirecting') : t('signIn.cognitoSubmit')}
          </button>
        ) : (
          <button type="submit" class="button button-primary button-block" data-testid="sign-in-submit" disabled={busy || !supported}>
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        )}
        {config.auth.kind === 'local' && <p class="hint">{t('signIn.localHint')}</p>}
        {hosted && <p class="hint">{t('signIn.cognitoHint')}</p>}
        <p class="stage">{config.stage}</p>
      </form>
    </div>
  );
}
