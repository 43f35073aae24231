/**
 * Signing in. The deployment's config.json says how: locally the runtime's issuer (`auth.kind: 'local'`, user name and
 * password posted to its sign-in URL); in AWS, Cognito's managed login (`auth.kind: 'cognito'`): the console sends the
 * browser to the user pool's hosted pages, which do the password, the required TOTP code, the new password of a first
 * sign-in and account recovery, with an OAuth 2.0 authorization-code request bound to this tab by a state and to this
 * browser by PKCE (S256, no client secret: a browser app cannot keep one); back on /console/ it exchanges the code for
 * tokens. Either way the console keeps the ID token in sessionStorage (gone with the tab) and sends it as
 * `Authorization: Bearer <token>`; Cognito's refresh token, kept next to it, renews the session shortly before the ID
 * token expires.
 */
import { ApiError, CONSOLE_BASE, requestJson } from './api.ts';
import type { ConsoleConfig, Role, Session, SessionUser } from './types.ts';

const STORAGE_KEY = 'kefu.session';
/** Cognito's refresh token, next to the session (same lifetime: the tab). */
const REFRESH_KEY = 'kefu.session.refresh';
/** The state and PKCE verifier of a sign-in sent to managed login, until the browser comes back. */
const PENDING_KEY = 'kefu.signIn.pending';
const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin', 'finance']; // finance: the Finance view

/** Password sign-in (the local issuer). */
export interface SignInProvider {
  signIn(username: string, password: string): Promise<Session>;
}

/** Codes of the ApiErrors that hosted sign-in throws; the sign-in screen words each for the user. */
export const HOSTED_SIGN_IN_ERRORS = {
  /** Managed login sent the browser back with `?error=` (the user cancelled, the client is misconfigured…). */
  provider: 'AUTH.PROVIDER_ERROR',
  /** The answer does not belong to a sign-in this tab started (tampered or replayed state). */
  state: 'AUTH.STATE_MISMATCH',
  /** The token endpoint refused the code or the refresh token. */
  token: 'AUTH.TOKEN_FAILED',
  /** config.json lacks the managed-login domain or the client id. */
  config: 'AUTH.MISCONFIGURED',
  /** No Web Crypto (the console is not served over https or from localhost). */
  insecure: 'AUTH.INSECURE_CONTEXT',
} as const;

/** Reads a JWT's claims (no verification: the API verifies; the console only reads the expiry and the user). */
export function claimsOf(token: string): Record<string, unknown> {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function sessionFrom(token: string, user?: Partial<SessionUser>): Session {
  const claims = claimsOf(token);
  const groups = (user?.roles ?? (claims['cognito:groups'] as string[] | undefined) ?? []).filter((r): r is Role => ROLES.includes(r as Role));
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  return {
    token,
    user: {
      id: user?.id ?? String(claims.sub ?? ''),
      name: user?.name ?? String(claims.name ?? claims.sub ?? ''),
      ...((user?.email ?? claims.email) ? { email: String(user?.email ?? claims.email) } : {}),
      roles: groups.length ? groups : ['agent'],
    },
    ...(exp ? { expiresAt: exp } : {}),
  };
}

class LocalSignIn implements SignInProvider {
  constructor(private readonly url: string) {}

  async signIn(username: string, password: string): Promise<Session> {
    const body = await requestJson<{ token: string; user: SessionUser }>(this.url, { method: 'POST', body: { username, password } });
    return sessionFrom(body.token, body.user);
  }
}

class UnsupportedSignIn implements SignInProvider {
  constructor(private readonly kind: string) {}

  async signIn(): Promise<Session> {
    throw new ApiError(0, 'AUTH.UNSUPPORTED', `sign-in kind "${this.kind}" takes no password here (see HostedSignIn)`);
  }
}

/** The password provider of the deployment; Cognito signs in through {@link HostedSignIn} instead. */
export function signInProvider(config: ConsoleConfig): SignInProvider {
  const auth = config.auth;
  if (auth.kind === 'local') return new LocalSignIn(auth.signInUrl.startsWith('/') ? `${config.apiBase.replace(/\/$/, '')}${auth.signInUrl}` : auth.signInUrl);
  return new UnsupportedSignIn(auth.kind);
}

// ---- Cognito managed login: OAuth 2.0 authorization code with PKCE ----

type CognitoAuth = Extract<ConsoleConfig['auth'], { kind: 'cognito' }>;

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly redirectUri: string;
}

interface TokenResponse {
  readonly id_token: string;
  readonly refresh_token?: string;
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A random URL-safe string (32 bytes: a 43-character PKCE verifier, RFC 7636 §4.1). */
function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(verifier)). */
export async function codeChallenge(verifier: string): Promise<string> {
  if (!globalThis.crypto?.subtle) throw new ApiError(0, HOSTED_SIGN_IN_ERRORS.insecure, 'Web Crypto is unavailable: serve the console over https');
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function storage(): Storage | undefined {
  try {
    return sessionStorage;
  } catch {
    return undefined;
  }
}

function loadRefreshToken(): string | undefined {
  return storage()?.getItem(REFRESH_KEY) ?? undefined;
}

function saveRefreshToken(token: string | undefined): void {
  try {
    if (token) storage()?.setItem(REFRESH_KEY, token);
    else storage()?.removeItem(REFRESH_KEY);
  } catch {
    // storage disabled: no renewal, the session ends with its ID token
  }
}

function takePending(): PendingSignIn | undefined {
  const store = storage();
  const raw = store?.getItem(PENDING_KEY);
  store?.removeItem(PENDING_KEY);
  try {
    const pending = raw ? (JSON.parse(raw) as Partial<PendingSignIn>) : undefined;
    return pending?.state && pending.verifier && pending.redirectUri ? (pending as PendingSignIn) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A session from Cognito's ID token. Its expiry is counted on this browser's clock from the token's lifetime
 * (exp - iat, both on Cognito's clock), so that a skewed local clock neither renews in a loop nor keeps an expired token.
 */
function hostedSession(idToken: string): Session {
  const session = sessionFrom(idToken);
  const { exp, iat } = claimsOf(idToken);
  return typeof exp === 'number' && typeof iat === 'number' && exp > iat ? { ...session, expiresAt: Date.now() + (exp - iat) * 1000 } : session;
}

/** Sign-in through the user pool's managed login (`auth.kind: 'cognito'`). */
export class HostedSignIn {
  /** The hosted provider of a deployment, or undefined when it signs in otherwise. */
  static of(config: ConsoleConfig): HostedSignIn | undefined {
    return config.auth.kind === 'cognito' ? new HostedSignIn(config.auth) : undefined;
  }

  private constructor(private readonly auth: CognitoAuth) {}

  /** config.json names both the managed-login domain and the app client. */
  get configured(): boolean {
    return !!this.auth.domain && !!this.auth.clientId;
  }

  /** Where managed login sends the browser back (callback and sign-out URL of the app client): /console/ here. */
  static redirectUri(): string {
    return `${location.origin}${CONSOLE_BASE}`;
  }

  /** True while the address carries managed login's answer (`?code=` or `?error=`) for {@link complete}. */
  static hasAnswer(): boolean {
    const params = new URLSearchParams(location.search);
    return params.has('code') || params.has('error');
  }

  private endpoint(path: string): string {
    const domain = (this.auth.domain ?? '').trim().replace(/\/+$/, '');
    if (!domain || !this.auth.clientId) throw new ApiError(0, HOSTED_SIGN_IN_ERRORS.config, 'config.json names no managed-login domain or app client');
    return `${/^https?:\/\//.test(domain) ? domain : `https://${domain}`}${path}`;
  }

  /** Sends the browser to managed login with a fresh state and PKCE challenge (kept in sessionStorage for the way back). */
  async start(): Promise<void> {
    const authorize = this.endpoint('/oauth2/authorize');
    const pending: PendingSignIn = { state: randomToken(16), verifier: randomToken(32), redirectUri: HostedSignIn.redirectUri() };
    const challenge = await codeChallenge(pending.verifier);
    storage()?.setItem(PENDING_KEY, JSON.stringify(pending));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.auth.clientId!,
      redirect_uri: pending.redirectUri,
      scope: 'openid email profile',
      state: pending.state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    location.assign(`${authorize}?${query.toString()}`);
  }

  /**
   * Completes the way back from managed login: the session, or undefined when the address carries no answer.
   * Throws an ApiError with a {@link HOSTED_SIGN_IN_ERRORS} code when managed login refused, the state is not this
   * tab's, or the token endpoint refused the code.
   */
  async complete(): Promise<Session | undefined> {
    const params = new URLSearchParams(location.search);
    const code = params.get('code');
    const error = params.get('error');
    if (!code && !error) return undefined;
    // The code works once and the query is no place for it: off the address (and out of the history) at once, so that
    // a reload or a bookmark does not replay it; the pending sign-in is used up with it.
    history.replaceState(history.state, '', `${location.pathname}${location.hash}`);
    const pending = takePending();
    // Only an answer to this tab's own request is trusted, its error description included (a crafted link could
    // otherwise put any text on the sign-in screen).
    if (!pending || params.get('state') !== pending.state) throw new ApiError(0, HOSTED_SIGN_IN_ERRORS.state, 'the sign-in answer does not match this tab\'s request');
    if (error || !code) throw new ApiError(0, HOSTED_SIGN_IN_ERRORS.provider, params.get('error_description') || error || 'no authorization code');
    const tokens = await this.token({ grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri, code_verifier: pending.verifier });
    saveRefreshToken(tokens.refresh_token);
    return hostedSession(tokens.id_token);
  }

  /** True when a refresh token can renew the session. */
  get canRenew(): boolean {
    return this.configured && !!loadRefreshToken();
  }

  /** A new session from the refresh token (Cognito returns new ID and access tokens, the refresh token stays). */
  async renew(): Promise<Session> {
    const refreshToken = loadRefreshToken();
    if (!refreshToken) throw new ApiError(401, HOSTED_SIGN_IN_ERRORS.token, 'no refresh token');
    const tokens = await this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
    if (tokens.refresh_token) saveRefreshToken(tokens.refresh_token);
    return hostedSession(tokens.id_token);
  }

  /**
   * Ends managed login's own session (its cookie would sign the user straight back in) and revokes the refresh
   * token: /logout sends the browser back to /console/.
   */
  signOut(refreshToken: string | undefined): void {
    if (!this.configured) return;
    if (refreshToken) {
      // keepalive: the request outlives the navigation to /logout; a failure changes nothing for the user.
      fetch(this.endpoint('/oauth2/revoke'), {
        method: 'POST',
        keepalive: true,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, client_id: this.auth.clientId! }).toString(),
      }).catch(() => undefined);
    }
    location.assign(`${this.endpoint('/logout')}?${new URLSearchParams({ client_id: this.auth.clientId!, logout_uri: HostedSignIn.redirectUri() }).toString()}`);
  }

  private async token(params: Readonly<Record<string, string>>): Promise<TokenResponse> {
    let res: Response;
    try {
      // A form post with no custom header: a CORS "simple" request, no preflight.
      res = await fetch(this.endpoint('/oauth2/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ ...params, client_id: this.auth.clientId! }).toString(),
      });
    } catch (error) {
      throw new ApiError(0, 'NETWORK', (error as Error).message || 'network error');
    }
    const body = (await res.json().catch(() => ({}))) as Partial<TokenResponse> & { error?: string; error_description?: string };
    if (!res.ok || typeof body.id_token !== 'string') {
      throw new ApiError(res.status, HOSTED_SIGN_IN_ERRORS.token, body.error_description || body.error || `HTTP ${res.status}`);
    }
    return body as TokenResponse;
  }
}

/** The same user with the same roles: the renewed session keeps the old user object, so nothing re-renders for it. */
function sameUser(a: SessionUser, b: SessionUser): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Watches a session's expiry: a renewable one (Cognito with a refresh token) is renewed shortly before its ID token
 * expires (a fifth of its lifetime, at most five minutes, before) and handed to `renewed`; otherwise, or when renewal
 * keeps failing, `expired` is called when it expires. Returns the function that stops watching.
 */
export function watchExpiry(config: ConsoleConfig | undefined, session: Session, renewed: (next: Session) => void, expired: () => void): () => void {
  const expiresAt = session.expiresAt;
  if (!expiresAt) return () => undefined;
  const hosted = config ? HostedSignIn.of(config) : undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const at = (time: number, run: () => void): void => {
    timer = setTimeout(run, Math.max(0, time - Date.now()));
  };
  const renew = (): void => {
    hosted!.renew().then(
      (next) => {
        if (!stopped) renewed(sameUser(next.user, session.user) ? { ...next, user: session.user } : next);
      },
      (error: unknown) => {
        if (stopped) return;
        // A refused refresh token (revoked, expired after its 7 days) ends the session when the ID token does; a
        // network failure is retried while there is time.
        const retry = !(error instanceof ApiError && error.status >= 400 && error.status < 500) && expiresAt - Date.now() > 10_000;
        if (retry) at(Date.now() + Math.min(30_000, (expiresAt - Date.now()) / 2), renew);
        else at(expiresAt, expired);
      },
    );
  };
  if (hosted?.canRenew) {
    const { exp, iat } = claimsOf(session.token);
    const lifetime = typeof exp === 'number' && typeof iat === 'number' && exp > iat ? (exp - iat) * 1000 : 3_600_000;
    at(expiresAt - Math.min(5 * 60_000, lifetime / 5), renew);
  } else {
    at(expiresAt, expired);
  }
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Signs the user out: `clear` ends the console's session (storage and state); then, with Cognito, the refresh token
 * is revoked and the browser goes through managed login's /logout, which ends its own session and comes back to
 * /console/.
 */
export function endSession(config: ConsoleConfig, clear: () => void): void {
  const refreshToken = loadRefreshToken();
  clear();
  HostedSignIn.of(config)?.signOut(refreshToken);
}

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as Session;
    if (!session.token || (session.expiresAt && session.expiresAt <= Date.now())) {
      sessionStorage.removeItem(STORAGE_KEY);
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

/** Saves the session; `undefined` signs out, forgetting the refresh token too. */
export function saveSession(session: Session | undefined): void {
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else {
      sessionStorage.removeItem(STORAGE_KEY);
      sessionStorage.removeItem(REFRESH_KEY);
    }
  } catch {
    // storage disabled: the session lasts for this page only
  }
}

export const hasRole = (user: SessionUser | undefined, ...roles: Role[]): boolean => !!user && user.roles.some((r) => roles.includes(r));
