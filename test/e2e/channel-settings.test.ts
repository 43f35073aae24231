/**
 * Channel settings over HTTP against the local runtime: the web chat's settings (defaults before any write), a write
 * validated whole (colour, position, texts, an existing routing group) and version-checked (a stale write is a 409
 * with the settings as they are), the roles (admins write, supervisors read, agents neither), and the public read the
 * widget makes before any conversation exists. Then in Chromium: the admin changes the settings on the channels
 * screen (a bad colour is refused next to the form), and the widget on the demo shop shows the new title, greeting,
 * colour and side; a supervisor sees the screen read-only. Screenshots in both languages.
 *
 * The messaging channels' settings (Telegram here, over its signed webhook with its send API on a loopback fake):
 * disabled → the webhook still answers 200 and stores nothing; routed to a group → the new conversation is in that
 * group; a stale write → 409. On the screen, the admin switches a messaging channel and picks its group.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationStore, customerDirectory } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import { ensureConsoleBuilt, launchBrowser, screenshot } from '../support/browser.ts';
import { channelEnv, routeSendApis, senderId, sendWebhook, signedPost, textMessage } from '../support/channel-requests.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};
const telegramApi = new FakeChannelApi();

beforeAll(async () => {
  await telegramApi.start();
  routeSendApis({ telegram: telegramApi });
  Object.assign(process.env, channelEnv({ telegram: telegramApi.url }));
  // Intake keeps the settings 30 s in the process; here every delivery reads them, so a change shows at once.
  process.env.CHANNEL_SETTINGS_CACHE_MS = '0';
  platform = await startPlatform();
  for (const id of ['admin', 'agent-chen', 'agent-li']) tokens[id] = await platform.runtime.tokenFor(id);
}, 90_000);
afterAll(async () => {
  await platform?.runtime.stop();
  await telegramApi.stop();
});

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
  it('shows the defaults before anything is stored, every messaging channel configurable with its defaults', async () => {
    const res = await supervisor.get('/v1/admin/channels');
    expect(res.status).toBe(200);
    const webchat = res.body.channels.find((c: any) => c.id === 'webchat');
    expect(webchat).toMatchObject({ configurable: true, settings: { enabled: true, version: 0, position: 'right', routingGroupId: 'default' } });
    expect(webchat.settings.accentColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(res.body.channels.map((c: any) => c.id)).toEqual(['webchat', 'wechat', 'wecom', 'email', 'whatsapp', 'telegram', 'line', 'sms', 'api']);
    for (const channel of res.body.channels.filter((c: any) => c.id !== 'webchat')) {
      expect(channel).toEqual({ id: channel.id, configurable: true, settings: { enabled: true, routingGroupId: 'default', version: 0 } });
    }
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
    const noChannel = await admin.put('/v1/admin/channels/fax', { ...settings, expectedVersion: 0 });
    expect(noChannel.status).toBe(400);
    expect(noChannel.body.error.details.issues[0].path).toBe('channelId');
    // A messaging channel has no web chat fields.
    const otherChannel = await admin.put('/v1/admin/channels/wechat', { ...settings, expectedVersion: 0 });
    expect(otherChannel.status).toBe(400);
    expect(otherChannel.body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect((await supervisor.get('/v1/admin/channels')).body.channels.find((c: any) => c.id === 'wechat').settings.version).toBe(0);
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

describe('messaging channel settings', () => {
  let n = 0;
  const telegram = async () => (await supervisor.get('/v1/admin/channels')).body.channels.find((c: any) => c.id === 'telegram').settings;
  /** A signed Telegram text from a new sender, delivered to the webhook. */
  async function deliver(label: string) {
    const sender = senderId('telegram', label, n++);
    const message = textMessage('telegram', sender, `${label} 你好`, `e2e-settings-${label}-${n}-${Date.now()}`);
    const res = await sendWebhook(platform.runtime.url, signedPost('telegram', message.body));
    const customerId = customerIdForIdentity('telegram', sender);
    return { res, customer: await customerDirectory().get(customerId), conversations: await conversationStore().listByCustomer(customerId, 10) };
  }

  it('validates a messaging channel write whole, with nothing stored on a refusal', async () => {
    // Act
    const bad = await admin.put('/v1/admin/channels/telegram', { expectedVersion: 0, enabled: 'yes', routingGroupId: 'bad id', title: 'x' });
    const noGroup = await admin.put('/v1/admin/channels/telegram', { expectedVersion: 0, enabled: true, routingGroupId: 'no-such-group' });
    const noVersion = await admin.put('/v1/admin/channels/telegram', { enabled: true, routingGroupId: 'default' });
    const bySupervisor = await supervisor.put('/v1/admin/channels/telegram', { expectedVersion: 0, enabled: false, routingGroupId: 'default' });
    // Assess
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues.map((i: any) => i.path).sort()).toEqual(['enabled', 'routingGroupId', 'title']);
    expect(noGroup.status).toBe(400);
    expect(noGroup.body.error.details.issues[0].path).toBe('routingGroupId');
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.message).toMatch(/expectedVersion/);
    expect(bySupervisor.status).toBe(403);
    expect((await telegram()).version).toBe(0);
  });

  it('acknowledges a disabled channel\'s webhook with 200 and stores nothing', async () => {
    // Prepare
    const saved = await admin.put('/v1/admin/channels/telegram', { expectedVersion: 0, enabled: false, routingGroupId: 'default' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ enabled: false, routingGroupId: 'default', version: 1, updatedBy: 'admin' });
    // Act
    const off = await deliver('off');
    // Assess: the platform's normal acknowledgement, and no customer, conversation or message.
    expect(off.res.status).toBe(200);
    expect(off.customer).toBeUndefined();
    expect(off.conversations).toEqual([]);
    // A bad signature is still refused while disabled (the settings are read only for a verified delivery).
    const message = textMessage('telegram', senderId('telegram', 'forged', n++), 'forged', `e2e-forged-${Date.now()}`);
    expect((await sendWebhook(platform.runtime.url, signedPost('telegram', message.body, { wrongSecret: true }))).status).toBe(401);
  });

  it("opens the channel's new conversations in its routing group", async () => {
    // Prepare
    const version = (await telegram()).version;
    const saved = await admin.put('/v1/admin/channels/telegram', { expectedVersion: version, enabled: true, routingGroupId: 'overflow' });
    expect(saved.status).toBe(200);
    // Act
    const routed = await deliver('routed');
    // Assess
    expect(routed.res.status).toBe(200);
    expect(routed.conversations).toHaveLength(1);
    expect(routed.conversations[0]).toMatchObject({ channel: 'telegram', groupId: 'overflow' });
    const messages = await conversationStore().listMessages(routed.conversations[0]!.id, { limit: 10 });
    expect(messages.filter((m) => m.role === 'customer').map((m) => m.text)).toEqual(['routed 你好']);
    // Back to the default group: no group on the next new conversation.
    expect((await admin.put('/v1/admin/channels/telegram', { expectedVersion: version + 1, enabled: true, routingGroupId: 'default' })).status).toBe(200);
    const plain = await deliver('plain');
    expect(plain.conversations).toHaveLength(1);
    expect(plain.conversations[0]!.groupId).toBeUndefined();
  });

  it('refuses API messages with 403 CHANNEL.DISABLED while the API channel is off, and routes them once it is on', async () => {
    // Prepare
    const created = await platform.request('POST', '/v1/admin/api-keys', { token: tokens.admin, body: { name: 'settings test app', ratePerMinute: 1000 } });
    expect(created.status).toBe(201);
    const post = async (externalId: string) => {
      const res = await fetch(`${platform.runtime.url}/v1/channels/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${created.body.key}` },
        body: JSON.stringify({ customer: { externalId }, clientMessageId: `m-${externalId}`, text: '你好' }),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const customerOf = (externalId: string) => customerDirectory().get(customerIdForIdentity('api', `default:${externalId}`));
    expect((await admin.put('/v1/admin/channels/api', { expectedVersion: 0, enabled: false, routingGroupId: 'default' })).status).toBe(200);
    const offId = `off-${Date.now()}`;
    const onId = `on-${Date.now()}`;
    // Act
    const refused = await post(offId);
    expect((await admin.put('/v1/admin/channels/api', { expectedVersion: 1, enabled: true, routingGroupId: 'overflow' })).status).toBe(200);
    const accepted = await post(onId);
    // Assess
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'CHANNEL.DISABLED' } } });
    expect(await customerOf(offId)).toBeUndefined();
    expect(accepted.status).toBe(202);
    expect(await conversationStore().get(accepted.body.conversationId)).toMatchObject({ channel: 'api', groupId: 'overflow' });
  });

  it('refuses a stale write of a messaging channel with 409 and the settings as they are', async () => {
    // Prepare
    const current = await telegram();
    // Act
    const stale = await admin.put('/v1/admin/channels/telegram', { expectedVersion: current.version - 1, enabled: false, routingGroupId: 'default' });
    // Assess
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('CHANNEL.VERSION_CONFLICT');
    expect(stale.body.error.details.current).toMatchObject({ version: current.version, enabled: true });
    expect(await telegram()).toEqual(current);
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
    expect(await page.locator('[data-testid="ch-channel"][data-channel="wechat"] h2').textContent()).toBe('微信公众号');
    expect(await page.getByTestId('ch-later').count()).toBe(0);

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
    expect(await page.locator('[data-testid="ch-channel"][data-channel="wechat"] h2').textContent()).toBe('WeChat Official Account');
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

  it('switches a messaging channel off and routes it to a group from the screen, with a stale save shown as a conflict', async () => {
    // Prepare
    const { page, errors } = await newPage();
    await page.goto(`${platform.runtime.url}/console/admin/channels`);
    await signIn(page, 'admin');
    const card = page.locator('[data-testid="ch-channel"][data-channel="line"]');
    await card.waitFor();
    const version = Number(await card.getAttribute('data-version'));
    expect(await card.locator('h2').textContent()).toBe('LINE');
    expect(await card.getByTestId('ch-channel-enabled').isChecked()).toBe(true);

    // Act: off, to the overflow group, saved.
    await card.getByTestId('ch-channel-enabled').uncheck();
    await card.getByTestId('ch-channel-group').selectOption('overflow');
    expect(await card.getAttribute('data-dirty')).toBe('true');
    await card.getByTestId('ch-channel-save').click();

    // Assess
    await expect.poll(() => card.getAttribute('data-version')).toBe(String(version + 1));
    expect(await card.getAttribute('data-dirty')).toBe('false');
    expect(await card.getAttribute('data-enabled')).toBe('false');
    const line = (await supervisor.get('/v1/admin/channels')).body.channels.find((c: any) => c.id === 'line').settings;
    expect(line).toMatchObject({ enabled: false, routingGroupId: 'overflow', version: version + 1, updatedBy: 'admin' });
    await screenshot(page, 'admin-channels-messaging-zh');

    // Act: someone else saves meanwhile; the screen's save is stale.
    expect((await admin.put('/v1/admin/channels/line', { expectedVersion: version + 1, enabled: true, routingGroupId: 'default' })).status).toBe(200);
    await card.getByTestId('ch-channel-group').selectOption('default');
    await card.getByTestId('ch-channel-save').click();

    // Assess: the conflict, and a reload shows the other write.
    await card.getByTestId('ch-channel-conflict').waitFor();
    await card.getByTestId('ch-channel-reload').click();
    await expect.poll(() => card.getAttribute('data-version')).toBe(String(version + 2));
    expect(await card.getByTestId('ch-channel-enabled').isChecked()).toBe(true);
    expect(await card.getByTestId('ch-channel-group').inputValue()).toBe('default');
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
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
