/**
 * Sign-in through Cognito's managed login, in a real Chromium, against a fake Cognito OAuth server on loopback (the
 * authorize page, the token endpoint with PKCE S256 checks and the refresh grant, /logout and /oauth2/revoke) and the
 * built console served with a `kind: 'cognito'` config.json (its API stubbed by the same small server). The button
 * redirects with a valid S256 challenge; back on /console/ the user is signed in with the roles of their groups and
 * the address is clean; a tampered state, a refusal by managed login and a refused code each show a message; the ID
 * token is renewed before it expires; sign-out revokes the refresh token and goes through /logout. Screenshots of the
 * sign-in screen in both languages.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, screenshot } from '../support/browser.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

const CLIENT_ID = '5ampleconsoleclient0000001';
const USER = { sub: '3f1c2a7e-0d5b-4c1e-9a51-7d0c6e1b2a90', email: 'lin.mei@example.com', name: 'Lin Mei', groups: ['agent', 'supervisor'] };
/** ID token lifetime: short, so that the console renews it during the test (at a fifth of it before expiry). */
const TOKEN_SECONDS = 10;

type Form = Record<string, string>;
interface Issued {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  used: boolean;
}

/** What the fake Cognito saw and gave out. */
const seen = {
  authorize: [] as URLSearchParams[],
  token: [] as Form[],
  tokenFailures: [] as string[],
  logout: [] as URLSearchParams[],
  revoke: [] as Form[],
  idTokens: [] as string[],
  apiAuthorizations: [] as string[],
};
const codes = new Map<string, Issued>();
const refreshTokens = new Map<string, { revoked: boolean }>();
/** Makes the token endpoint refuse the next code (an expired code, as Cognito answers it). */
let refuseNextCode = false;

let cognito: Server;
let site: Server;
let cognitoBase: string;
let consoleOrigin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** A copy of console/dist, so that another build started meanwhile (it empties dist first) cannot disturb this test. */
let dist: string;

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

function idToken(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: USER.sub,
    email: USER.email,
    email_verified: true,
    name: USER.name,
    'cognito:groups': USER.groups,
    'cognito:username': USER.sub,
    iss: `${cognitoBase}/eu-west-1_fake`,
    aud: CLIENT_ID,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + TOKEN_SECONDS,
    jti: randomBytes(8).toString('hex'),
  };
  // The signature does not matter to the console (the API verifies tokens); this one would not verify anywhere.
  const token = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'fake' }))}.${b64url(JSON.stringify(claims))}.${b64url('not-a-signature')}`;
  seen.idTokens.push(token);
  return token;
}

async function readForm(req: IncomingMessage): Promise<Form> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': 'content-type, authorization' };

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...CORS }).end(JSON.stringify(body));
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location }).end();
}

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The managed-login stand-in: Cognito's endpoints as a public client with PKCE uses them. */
async function fakeCognito(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', cognitoBase);
  const allowedRedirect = `${consoleOrigin}/console/`;
  if (req.method === 'OPTIONS') return void res.writeHead(204, CORS).end();

  if (url.pathname === '/oauth2/authorize' && req.method === 'GET') {
    seen.authorize.push(url.searchParams);
    const p = url.searchParams;
    const problem =
      p.get('response_type') !== 'code'
        ? 'unsupported_response_type'
        : p.get('client_id') !== CLIENT_ID
          ? 'invalid client_id'
          : p.get('redirect_uri') !== allowedRedirect
            ? 'redirect_mismatch'
            : p.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(p.get('code_challenge') ?? '')
              ? 'invalid code_challenge'
              : !(p.get('scope') ?? '').split(' ').includes('openid')
                ? 'invalid_scope'
                : undefined;
    if (problem) return void res.writeHead(400, { 'content-type': 'text/plain' }).end(problem);
    const hidden = ['client_id', 'redirect_uri', 'state', 'code_challenge'].map((name) => `<input type="hidden" name="${name}" value="${escape(p.get(name) ?? '')}">`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
      `<!doctype html><title>Sign in</title><form method="post" action="/login" data-testid="fake-login">${hidden}` +
        '<input name="username" data-testid="fake-username"><input name="totp" data-testid="fake-totp">' +
        '<button name="action" value="sign-in" data-testid="fake-sign-in">Sign in</button>' +
        '<button name="action" value="cancel" data-testid="fake-cancel">Cancel</button></form>',
    );
    return;
  }

  if (url.pathname === '/login' && req.method === 'POST') {
    const form = await readForm(req);
    const back = new URL(form.redirect_uri!);
    if (form.action === 'cancel') {
      back.search = new URLSearchParams({ error: 'access_denied', error_description: 'The user cancelled sign-in', state: form.state ?? '' }).toString();
      return redirect(res, back.href);
    }
    if (form.username !== USER.email || !/^\d{6}$/.test(form.totp ?? '')) return void res.writeHead(401, { 'content-type': 'text/plain' }).end('wrong user or code');
    const code = randomBytes(16).toString('hex');
    codes.set(code, { clientId: form.client_id!, redirectUri: form.redirect_uri!, challenge: form.code_challenge!, used: false });
    back.search = new URLSearchParams({ code, state: form.state ?? '' }).toString();
    return redirect(res, back.href);
  }

  if (url.pathname === '/oauth2/token' && req.method === 'POST') {
    const form = await readForm(req);
    seen.token.push(form);
    const refuse = (error: string): void => {
      seen.tokenFailures.push(error);
      json(res, 400, { error });
    };
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return refuse('invalid_request');
    if (form.client_id !== CLIENT_ID) return refuse('invalid_client');
    if (form.grant_type === 'authorization_code') {
      const issued = codes.get(form.code ?? '');
      if (!issued || issued.used || refuseNextCode) {
        refuseNextCode = false;
        return refuse('invalid_grant');
      }
      issued.used = true;
      if (issued.redirectUri !== form.redirect_uri || issued.clientId !== form.client_id) return refuse('invalid_grant');
      // PKCE (RFC 7636 §4.6): BASE64URL(SHA-256(code_verifier)) must be the challenge of the authorize request.
      if (!form.code_verifier || createHash('sha256').update(form.code_verifier).digest('base64url') !== issued.challenge) return refuse('invalid_grant');
      const refreshToken = randomBytes(24).toString('hex');
      refreshTokens.set(refreshToken, { revoked: false });
      return json(res, 200, { id_token: idToken(), access_token: 'fake-access-token', refresh_token: refreshToken, expires_in: TOKEN_SECONDS, token_type: 'Bearer' });
    }
    if (form.grant_type === 'refresh_token') {
      const known = refreshTokens.get(form.refresh_token ?? '');
      if (!known || known.revoked) return refuse('invalid_grant');
      // As Cognito: new ID and access tokens, the refresh token stays.
      return json(res, 200, { id_token: idToken(), access_token: 'fake-access-token', expires_in: TOKEN_SECONDS, token_type: 'Bearer' });
    }
    return refuse('unsupported_grant_type');
  }

  if (url.pathname === '/oauth2/revoke' && req.method === 'POST') {
    const form = await readForm(req);
    seen.revoke.push(form);
    const known = refreshTokens.get(form.token ?? '');
    if (known && form.client_id === CLIENT_ID) known.revoked = true;
    return json(res, 200, {});
  }

  if (url.pathname === '/logout' && req.method === 'GET') {
    seen.logout.push(url.searchParams);
    if (url.searchParams.get('client_id') !== CLIENT_ID || url.searchParams.get('logout_uri') !== allowedRedirect) return void res.writeHead(400).end('bad logout');
    return redirect(res, allowedRedirect);
  }
  res.writeHead(404).end();
}

/** The console as CloudFront serves it, with the deployed config.json's shape, and a stub of the API it calls. */
function consoleSite(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', consoleOrigin).pathname;
  if (path === '/console/config.json') {
    return json(res, 200, {
      stage: 'test',
      apiBase: '',
      webSocketUrl: `${consoleOrigin.replace(/^http/, 'ws')}/ws`,
      auth: { kind: 'cognito', region: 'eu-west-1', userPoolId: 'eu-west-1_fake', clientId: CLIENT_ID, domain: cognitoBase },
    });
  }
  if (path.startsWith('/v1/')) {
    seen.apiAuthorizations.push(req.headers.authorization ?? '');
    if (path === '/v1/agent/me') {
      return json(res, 200, { id: USER.sub, name: USER.name, email: USER.email, presence: 'offline', capacity: 3, load: 0, groups: ['general'], skills: [], roles: USER.groups });
    }
    if (path === '/v1/supervisor/floor') return json(res, 200, { queues: [], agents: [] });
    return json(res, 200, { items: [] });
  }
  if (!path.startsWith('/console/')) return void res.writeHead(404).end();
  let file = join(dist, normalize(decodeURIComponent(path.slice('/console/'.length))).replace(/^(\.\.[/\\])+/, ''));
  // Any other path is a route of the single-page app (CloudFront answers its 403/404 with index.html the same way).
  if (!file.startsWith(dist) || !existsSync(file) || statSync(file).isDirectory()) file = join(dist, 'index.html');
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' }).end(readFileSync(file));
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  ensureConsoleBuilt();
  dist = mkdtempSync(join(tmpdir(), 'kefu-console-dist-'));
  cpSync(join(ROOT, 'console', 'dist'), dist, { recursive: true });
  cognito = createServer((req, res) => void fakeCognito(req, res).catch((error: unknown) => res.writeHead(500).end(String(error))));
  site = createServer(consoleSite);
  // Two origins, as in AWS (the managed-login domain and the CloudFront distribution).
  cognitoBase = await listen(cognito);
  consoleOrigin = await listen(site);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  for (const server of [cognito, site]) {
    if (!server) continue;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  if (dist) rmSync(dist, { recursive: true, force: true });
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

/** Clicks the console's button and waits for the fake managed-login page; returns the authorize request. */
async function toManagedLogin(page: Page): Promise<URLSearchParams> {
  const before = seen.authorize.length;
  await page.getByTestId('sign-in-hosted').click();
  await page.getByTestId('fake-login').waitFor();
  expect(seen.authorize.length).toBe(before + 1);
  return seen.authorize.at(-1)!;
}

async function signInOnManagedLogin(page: Page): Promise<void> {
  await page.getByTestId('fake-username').fill(USER.email);
  await page.getByTestId('fake-totp').fill('123456');
  await page.getByTestId('fake-sign-in').click();
}

const storedSession = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('kefu.session') ?? 'null') as { token: string; expiresAt: number } | null);

describe('Cognito managed login in the console', () => {
  let page: Page;
  let errors: string[];
  let authorize: URLSearchParams;

  it('shows the company-account button and redirects to managed login with a PKCE S256 challenge', async () => {
    ({ page, errors } = await newPage());
    await page.goto(`${consoleOrigin}/console/`);
    const button = page.getByTestId('sign-in-hosted');
    await button.waitFor();
    expect(await page.getByTestId('sign-in').getAttribute('data-auth-kind')).toBe('cognito');
    expect(await button.textContent()).toBe('使用公司账号登录');
    expect(await page.getByTestId('sign-in-username').count()).toBe(0);
    await screenshot(page, 'cognito-sign-in-zh');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => button.textContent()).toBe('Sign in with your company account');
    await screenshot(page, 'cognito-sign-in-en');
    await page.getByTestId('lang-zh').click();

    authorize = await toManagedLogin(page);

    expect(Object.fromEntries(authorize)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: `${consoleOrigin}/console/`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.get('state')!.length).toBeGreaterThanOrEqual(16);
    expect(new URL(page.url()).origin).toBe(cognitoBase);
  });

  it('signs the user in with the roles of their groups, and leaves a clean address', async () => {
    await signInOnManagedLogin(page);

    const user = page.getByTestId('user');
    await user.waitFor();
    expect(await user.textContent()).toContain(USER.name);
    expect(await user.textContent()).toContain('坐席 · 主管');
    await page.getByTestId('nav-supervisor').waitFor();
    // The code and the state are gone from the address (and from the history entry).
    const address = new URL(page.url());
    expect(address.origin).toBe(consoleOrigin);
    expect(address.search).toBe('');
    expect(address.pathname).toBe('/console/agent');

    // One code exchange, with the verifier of the challenge (the fake server checked SHA-256) and the same redirect URI.
    const exchanges = seen.token.filter((form) => form.grant_type === 'authorization_code');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ client_id: CLIENT_ID, redirect_uri: `${consoleOrigin}/console/` });
    expect(createHash('sha256').update(exchanges[0]!.code_verifier!).digest('base64url')).toBe(authorize.get('code_challenge'));
    expect(seen.tokenFailures).toEqual([]);

    // The API is called with the ID token as a bearer token; nothing of the sign-in is left in storage but the session.
    await expect.poll(() => seen.apiAuthorizations.length).toBeGreaterThan(0);
    for (const header of seen.apiAuthorizations) expect(seen.idTokens.map((t) => `Bearer ${t}`)).toContain(header);
    expect(await page.evaluate(() => sessionStorage.getItem('kefu.signIn.pending'))).toBeNull();
    expect((await storedSession(page))?.token).toBe(seen.idTokens.at(-1));

    // A reload keeps the session and does not exchange anything again.
    await page.reload();
    await page.getByTestId('user').waitFor();
    expect(seen.token.filter((form) => form.grant_type === 'authorization_code')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('renews the ID token with the refresh token before it expires', async () => {
    const first = await storedSession(page);
    const refreshes = () => seen.token.filter((form) => form.grant_type === 'refresh_token').length;
    const before = refreshes();

    // A 10-second token is renewed two seconds before it expires.
    await expect.poll(refreshes, { timeout: TOKEN_SECONDS * 1000 + 5000 }).toBeGreaterThan(before);
    expect(Date.now()).toBeLessThan(first!.expiresAt);
    await expect.poll(async () => (await storedSession(page))?.token).not.toBe(first!.token);
    const renewed = await storedSession(page);
    expect(seen.idTokens).toContain(renewed!.token);
    expect(renewed!.expiresAt).toBeGreaterThan(first!.expiresAt);

    // Past the first token's expiry the agent is still signed in (no sign-in screen, no "expired" notice).
    await page.waitForTimeout(Math.max(0, first!.expiresAt - Date.now()) + 500);
    expect(await page.getByTestId('sign-in').count()).toBe(0);
    await page.getByTestId('user').waitFor();
    expect(seen.tokenFailures).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('signs out through managed login /logout and revokes the refresh token', async () => {
    const refreshToken = seen.token.find((form) => form.grant_type === 'refresh_token')!.refresh_token!;
    await page.getByTestId('sign-out').click();

    await page.getByTestId('sign-in-hosted').waitFor();
    expect(seen.logout).toHaveLength(1);
    expect(Object.fromEntries(seen.logout[0]!)).toEqual({ client_id: CLIENT_ID, logout_uri: `${consoleOrigin}/console/` });
    expect(new URL(page.url()).href).toBe(`${consoleOrigin}/console/`);
    expect(await storedSession(page)).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem('kefu.session.refresh'))).toBeNull();
    await expect.poll(() => seen.revoke.length).toBe(1);
    expect(seen.revoke[0]).toEqual({ token: refreshToken, client_id: CLIENT_ID });
    expect(refreshTokens.get(refreshToken)?.revoked).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('failed Cognito sign-ins', () => {
  it('refuses an answer whose state was tampered with, and says so', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${consoleOrigin}/console/`);
    await toManagedLogin(page);
    const exchanges = seen.token.length;
    // The answer comes back with a valid code but another state (a forged or replayed redirect).
    await page.locator('input[name="state"]').evaluate((input, value) => input.setAttribute('value', value), 'tampered-state-0000000000');
    await signInOnManagedLogin(page);

    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('登录响应与本页发起的登录请求不符，已拒绝。请重新登录。');
    expect(seen.token.length).toBe(exchanges);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.getByTestId('user').count()).toBe(0);
    await screenshot(page, 'cognito-sign-in-state-refused-zh');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => error.textContent()).toBe('The sign-in response does not match a request from this page and was refused. Please sign in again.');
    await page.getByTestId('lang-zh').click();
    expect(errors).toEqual([]);
  });

  it('shows what managed login answered when the user cancels', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${consoleOrigin}/console/`);
    await toManagedLogin(page);
    await page.getByTestId('fake-cancel').click();

    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('登录未完成：The user cancelled sign-in');
    expect(new URL(page.url()).search).toBe('');
    expect(errors).toEqual([]);
  });

  it('shows the token endpoint refusing the code, and signs in on the next try', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${consoleOrigin}/console/`);
    await toManagedLogin(page);
    refuseNextCode = true;
    await signInOnManagedLogin(page);

    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('无法完成登录（invalid_grant），请重新登录。');
    expect(seen.tokenFailures.at(-1)).toBe('invalid_grant');
    expect(new URL(page.url()).search).toBe('');

    await toManagedLogin(page);
    await signInOnManagedLogin(page);
    await page.getByTestId('user').waitFor();
    expect(await page.getByTestId('sign-in-error').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
