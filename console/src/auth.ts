/**
 * Signing in. The deployment's config.json says how: locally the runtime's issuer (`auth.kind: 'local'`, user name and
 * password posted to its sign-in URL); in AWS Cognito (`auth.kind: 'cognito'`), a provider still to be written that
 * plugs in here with the same shape. Either way the console keeps the ID token in sessionStorage (gone with the tab)
 * and sends it as `Authorization: Bearer <token>`.
 */
import { ApiError, requestJson } from './api.ts';
import type { ConsoleConfig, Role, Session, SessionUser } from './types.ts';

const STORAGE_KEY = 'kefu.session';
const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

export interface SignInProvider {
  signIn(username: string, password: string): Promise<Session>;
}

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
    throw new ApiError(0, 'AUTH.UNSUPPORTED', `sign-in kind "${this.kind}" is not supported by this build`);
  }
}

export function signInProvider(config: ConsoleConfig): SignInProvider {
  const auth = config.auth;
  if (auth.kind === 'local') return new LocalSignIn(auth.signInUrl.startsWith('/') ? `${config.apiBase.replace(/\/$/, '')}${auth.signInUrl}` : auth.signInUrl);
  // Cognito (USER_PASSWORD_AUTH or the hosted UI) plugs in here, returning sessionFrom(idToken).
  return new UnsupportedSignIn(auth.kind);
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

export function saveSession(session: Session | undefined): void {
  try {
    if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the session lasts for this page only
  }
}

export const hasRole = (user: SessionUser | undefined, ...roles: Role[]): boolean => !!user && user.roles.some((r) => roles.includes(r));
