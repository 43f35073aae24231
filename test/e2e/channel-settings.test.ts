/**
 * Channel settings over HTTP against the local runtime: the web chat's settings (defaults before any write), a write
 * validated whole (colour, position, texts, an existing routing group) and version-checked (a stale write is a 409
 * with the settings as they are), the roles (admins write, supervisors read, agents neither), and the public read the
 * widget makes before any conversation exists. Then in Chromium: the admin changes the settings on the channels
 * screen (a bad colour is refused next to the form), and the widget on the demo shop shows the new title, greeting,
 * colour and side; a supervisor sees the screen read-only. Screenshots in both languages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, screenshot } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform();
  for (const id of ['admin', 'agent-chen', 'agent-li']) tokens[id] = await platform.runtime.tokenFor(id);
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const as = (who: string) => ({
  get: (path: string) => platform.request('GET', path, { token: tokens[who] }),
  put: (path: string, body: unknown) => platform.request('PUT', path, { token: tokens[who], body }),
});
const admin = as('admin');
const supervisor = as('agent-chen');
const agent = as('agent-li');

const settings = {
  enabled: true,
  title: { zh: '演示商店客服', en: 'Demo Shop help' },
  greeting: { zh: '欢迎光临演示商店！', en: 'Welcome to the Demo Shop!' },
  accentColor: '#aa3366',
  position: 'left',
  routingGroupId: 'default',
  offlineMessage: { zh: '客服暂时离线。', en: 'We are offline right now.' },
};

describe('web chat settings', () => {
  it('shows the defaults before anything is stored, with the other channels as not configurable yet', async () => {
    const res = await supervisor.get('/v1/admin/channels');
    expect(res.status).toBe(200);
    const webchat = res.body.channels.find((c: any) => c.id === 'webchat');
    expect(webchat).toMatchObject({ configurable: true, settings: { enabled: true, version: 0, position: 'right', routingGroupId: 'default' } });
    expect(webchat.settings.accentColor).toMatch(/^#[0-9a-f]{6}$/i);
    const later = res.body.channels.filter((c: any) => !c.configurable).map((c: any) => c.id);
    expect(later).toContain('wechat');
    expect(later).toContain('email');
    const open = await platform.request('GET', '/v1/webchat/settings');
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ enabled: true, position: 'right' });
    expect(open.body.version).toBeUndefined();
  });

  it('rejects bad settings naming every bad field, and stores nothing', async () => {
    const bad = await admin.put('/v1/admin/channels/webchat', {
      ...settings,
      expectedVersion: 0,
      accentColor: 'red',
      position: 'middle',
      title: { zh: '', en: 'x' },
      routingGroupId: 'no-such-group',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    const paths = bad.body.error.details.issues.map((i: any) => i.path).sort();
    expect(paths).toEqual(['accentColor', 'position', 'title.zh']);
    // The shape is right but the group does not exist.
    const noGroup = await admin.put('/v1/admin/channels/webchat', { ...settings, expectedVersion: 0, routingGroupId: 'no-such-group' });
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.error.details.issues[0].path).toBe('routingGroupId');
    const unknownField = await admin.put('/v1/admin/channels/webchat', { ...settings, expectedVersion: 0, colour: '#000000' });
    expect(unknownField.status).toBe(400);
    const missingVersion = await admin.put('/v1/admin/channels/webchat', settings);
    expect(missingVersion.status).toBe(400);
    expect(missingVersion.body.error.message).toMatch(/expectedVersion/);
    const otherChannel = await admin.put('/v1/admin/channels/wechat', { ...settings, expectedVersion: 0 });
    expect(otherChannel.status).toBe(400);
    expect(otherChannel.body.error.message).toMatch(/only "webchat"/);
    expect((await supervisor.get('/v1/admin/channels')).body.channels[0].settings.version).toBe(0);
  });

  it('lets only admins write, and supervisors read', async () => {
    expect((await supervisor.put('/v1/admin/channels/webchat', { ...settings, expectedVersion: 0 })).status).toBe(403);
    expect((await agent.put('/v1/admin/channels/webchat', { ...settings, expectedVersion: 0 })).status).toBe(403);
    expect((await agent.get('/v1/admin/channels')).status).toBe(403);
    expect((await platform.request('GET', '/v1/admin/channels')).status).toBe(401);
  });

  it('stores valid settings with a new version, refuses a stale write, and serves them publicly', async () => {
    const saved = await admin.put('/v1/admin/channels/webchat', { ...settings, expectedVersion: 0 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ ...settings, version: 1, updatedBy: 'admin' });
    const stale = await admin.put('/v1/admin/channels/webchat', { ...settings, title: { zh: '旧', en: 'old' }, expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CHANNEL.VERSION_CONFLICT');
    expect(stale.body.error.details.current.version).toBe(1);
    const again = await admin.put('/v1/admin/channels/webchat', { ...settings, enabled: false, expectedVersion: 1 });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    const read = await supervisor.get('/v1/admin/channels');
    expect(read.body.channels[0].settings).toMatchObject({ enabled: false, version: 2, title: settings.title });
    // Switched off: no new conversation (403 CHANNEL.DISABLED with the offline message), nothing stored.
    const switchedOff = await platform.request('POST', '/v1/webchat/conversations', { body: {} });
    expect(switchedOff).toMatchObject({ status: 403, body: { error: { code: 'CHANNEL.DISABLED', details: { offlineMessage: settings.offlineMessage } } } });
    const open = await platform.request('GET', '/v1/webchat/settings');
    expect(open.status).toBe(200);
    expect(open.body).toEqual({ enabled: false, title: settings.title, greeting: settings.greeting, accentColor: '#aa3366', position: 'left', offlineMessage: settings.offlineMessage });
    // Without an offline message, none is served.
    const { offlineMessage: _, ...withoutOffline } = settings;
    void _;
    expect((await admin.put('/v1/admin/channels/webchat', { ...withoutOffline, expectedVersion: 2 })).status).toBe(200);
    expect((await platform.request('GET', '/v1/webchat/settings')).body.offlineMessage).toBeUndefined();
    // The settings item is not an agent.
    expect((await supervisor.get('/v1/admin/agents')).body.agents.map((a: any) => a.id)).not.toContain('channel#webchat');
  });

  it("queues a new web chat conversation's handoff in the channel's routing group", async () => {
    const version = (await supervisor.get('/v1/admin/channels')).body.channels[0].settings.version;
    expect((await admin.put('/v1/admin/channels/webchat', { ...settings, routingGroupId: 'overflow', expectedVersion: version })).status).toBe(200);
    const customer = await platform.openConversation();
    await platform.say(customer, '转人工');
    const conversation = await platform.waitFor(async () => {
      const c = (await platform.request('GET', `/v1/agent/conversations/${customer.conversationId}`, { token: tokens['agent-chen'] })).body.conversation;
      return c.status === 'queued' ? c : undefined;
    }, 'the handoff');
    expect(conversation.groupId).toBe('overflow');
    expect((await admin.put('/v1/admin/channels/webchat', { ...settings, expectedVersion: version + 1 })).status).toBe(200);
  });
});

describe('the channels screen and the widget', () => {
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const TITLE = '测试商店客服-4421';
  const GREETING = '您好，这里是测试商店-4421，请问需要什么帮助？';

  beforeAll(async () => {
    ensureConsoleBuilt();
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });

  async function newPage(): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // The refused colour is an expected 400.
      if (message.type() === 'error' && !message.text().includes('400')) errors.push(message.text());
    });
    return { page, errors };
  }

  async function signIn(page: Page, username: string): Promise<void> {
    await page.getByTestId('sign-in-username').fill(username);
    await page.getByTestId('sign-in-password').fill('kefu');
    await page.getByTestId('sign-in-submit').click();
  }

  it('saves the web chat settings from the screen, and the demo shop widget shows them', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${platform.runtime.url}/console/admin/channels`);
    await signIn(page, 'admin');
    const card = page.getByTestId('ch-webchat');
    await card.waitFor();
    const version = Number(await card.getAttribute('data-version'));
    expect(version).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="ch-later"][data-channel="wechat"]').textContent()).toContain('后续版本');

    // A colour that is not #rrggbb: the server's problem is shown by the form and nothing changes.
    await card.getByTestId('ch-color-text').fill('blue');
    await card.getByTestId('ch-save').click();
    await card.locator('[data-testid="ch-issue"][data-path="accentColor"]').waitFor();
    expect(Number(await card.getAttribute('data-version'))).toBe(version);
    expect((await supervisor.get('/v1/admin/channels')).body.channels[0].settings.version).toBe(version);

    await card.getByTestId('ch-color-text').fill('#0a7d5a');
    await card.getByTestId('ch-enabled').check();
    await card.getByTestId('ch-title-zh').fill(TITLE);
    await card.getByTestId('ch-greeting-zh').fill(GREETING);
    await card.getByTestId('ch-position').selectOption('left');
    expect(await page.getByTestId('ch-preview').textContent()).toContain(TITLE);
    await card.getByTestId('ch-save').click();
    await expect.poll(() => card.getAttribute('data-version')).toBe(String(version + 1));
    expect(await card.getAttribute('data-dirty')).toBe('false');
    expect((await platform.request('GET', '/v1/webchat/settings')).body).toMatchObject({ enabled: true, title: { zh: TITLE }, greeting: { zh: GREETING }, accentColor: '#0a7d5a', position: 'left' });
    await screenshot(page, 'admin-channels-zh');
    await page.getByTestId('lang-en').click();
    await expect.poll(() => card.getByTestId('ch-save').textContent()).toBe('Save');
    expect(await page.locator('[data-testid="ch-later"][data-channel="wechat"]').textContent()).toContain('Configured in a later release');
    await screenshot(page, 'admin-channels-en');
    expect(errors).toEqual([]);

    // The widget on the demo shop reads them on load.
    const { page: shop } = await newPage();
    // The demo page has no favicon (a 404 the browser logs); every other request must succeed and nothing may throw.
    const shopErrors: string[] = [];
    shop.on('pageerror', (error) => shopErrors.push(error.message));
    shop.on('response', (res) => {
      if (res.status() >= 400 && !res.url().endsWith('/favicon.ico')) shopErrors.push(`${res.status()} ${res.url()}`);
    });
    await shop.goto(`${platform.runtime.url}/console/widget/demo.html`);
    await expect.poll(() => shop.locator('#kefu-title').textContent()).toBe(TITLE);
    await shop.locator('.launcher').click();
    await shop.locator('.m.bot', { hasText: GREETING }).waitFor();
    expect(await shop.locator('.launcher').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor)).toBe('rgb(10, 125, 90)');
    const box = (await shop.locator('.launcher').boundingBox())!;
    expect(box.x).toBeLessThan(100);
    await screenshot(shop, 'widget-configured-zh');
    expect(shopErrors).toEqual([]);
  });

  it('shows a supervisor the channel settings read-only', async () => {
    const { page, errors } = await newPage();
    await page.goto(`${platform.runtime.url}/console/admin/channels`);
    await signIn(page, 'agent-chen');
    await page.getByTestId('channels-read-only').waitFor();
    const card = page.getByTestId('ch-webchat');
    await card.waitFor();
    expect(await card.getByTestId('ch-title-zh').isDisabled()).toBe(true);
    expect(await card.getByTestId('ch-save').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
