/** The local runtime hosts the built console and signs console users in (the local stand-in for Cognito). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform({ localPassword: 'test-password' });
}, 90_000);
afterAll(async () => platform?.runtime.stop());

describe('console hosting and local sign-in', () => {
  it('serves the built console, its routes and its configuration', async () => {
    const page = await fetch(`${platform.runtime.url}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<div id="app">');
    // A route of the single-page app is the app itself.
    expect(await (await fetch(`${platform.runtime.url}/console/agent`)).text()).toContain('<div id="app">');
    const config = await platform.request('GET', '/console/config.json');
    expect((await fetch(`${platform.runtime.url}/console/config.json`)).headers.get('access-control-allow-origin')).toBe('*');
    expect(config.body).toMatchObject({ stage: 'local', apiBase: '', auth: { kind: 'local', signInUrl: '/local-issuer/sign-in' } });
    expect(config.body.webSocketUrl).toMatch(/^ws:\/\/localhost:\d+\/ws$/);
    expect((await fetch(`${platform.runtime.url}/console/../package.json`)).status).not.toBe(500);
  });

  it('signs a directory user in with the local password and refuses anything else', async () => {
    const ok = await platform.request('POST', '/local-issuer/sign-in', { body: { username: 'agent-chen', password: 'test-password' } });
    expect(ok).toMatchObject({ status: 200, body: { user: { id: 'agent-chen', roles: ['agent', 'supervisor'] } } });
    expect((await platform.request('GET', '/v1/agent/me', { token: ok.body.token })).body).toMatchObject({ id: 'agent-chen' });
    expect((await platform.request('POST', '/local-issuer/sign-in', { body: { username: 'agent-chen', password: 'kefu' } })).status).toBe(401);
    expect((await platform.request('POST', '/local-issuer/sign-in', { body: { username: 'nobody', password: 'test-password' } })).status).toBe(401);
    expect((await platform.request('POST', '/local-issuer/sign-in', { rawBody: '{oops' })).status).toBe(400);
  });
});

describe('the API from another origin (the widget on a company site)', () => {
  it('answers the CORS preflight as the HTTP API does', async () => {
    const res = await fetch(`${platform.runtime.url}/v1/webchat/conversations`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
