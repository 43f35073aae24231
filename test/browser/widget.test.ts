/**
 * The web chat widget in a real Chromium against the real local runtime: the demo page at /console/widget/demo.html,
 * a question the bot answers, a reload that keeps the transcript, "转人工" with the queue position, an agent's reply
 * over the HTTP API shown live; the English UI on a WebSocket that cannot connect (polling); the bundle's size.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page, Route, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, screenshot } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BUNDLE = join(ROOT, 'console', 'dist', 'widget', 'kefu-widget.js');

let platform: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];
const tokens: Record<string, string> = {};


beforeAll(async () => {
  ensureConsoleBuilt();
  platform = await startPlatform();
  for (const id of ['agent-li', 'agent-wang', 'agent-chen']) tokens[id] = await platform.runtime.tokenFor(id);
  // Only agent-li takes chats, so the queue and the offer are predictable.
  for (const id of ['agent-wang', 'agent-chen']) {
    expect((await platform.request('PUT', '/v1/agent/presence', { token: tokens[id], body: { presence: 'offline' } })).status).toBe(200);
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
});

async function newPage(locale: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale, viewport: { width: 1100, height: 780 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const demo = (lang?: string) => `${platform.runtime.url}/console/widget/demo.html${lang ? `?lang=${lang}` : ''}`;

/** The stored conversation (what survives a reload). */
const stored = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('kefu-widget:'));
    return key ? (JSON.parse(localStorage.getItem(key)!) as { conversationId?: string; token?: string; cursor?: number }) : {};
  });

describe('the web chat widget on the demo page (zh)', () => {
  let page: Page;
  let errors: string[];
  let conversationId: string;
  const posted: string[] = [];
  const sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
  const agentSays = async (text: string, clientMessageId: string) =>
    expect((await platform.request('POST', `/v1/agent/conversations/${conversationId}/messages`, { token: tokens['agent-li'], body: { text, clientMessageId } })).status).toBe(201);

  it('opens from the launcher, sends with Enter (retrying a failed POST with the same clientMessageId) and shows the bot answer', async () => {
    ({ page, errors } = await newPage('zh-CN'));
    // The first POST of a message fails on the network: the widget must retry it with the same clientMessageId.
    await page.route('**/v1/webchat/conversations/*/messages', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      posted.push((JSON.parse(route.request().postData() ?? '{}') as { clientMessageId: string }).clientMessageId);
      return posted.length === 1 ? route.abort('failed') : route.continue();
    });
    // The WebSocket goes through a proxy of the test's, so that the test can drop it.
    await page.routeWebSocket(/\/ws\?token=/, (ws) => {
      sockets.push({ page: ws, server: ws.connectToServer() });
    });
    await page.goto(demo());

    const launcher = page.getByRole('button', { name: '打开在线客服' });
    await launcher.click();
    // Isolated styles: the page paints every button hotpink with !important; the widget's launcher stays its colour.
    expect(await page.locator('.launcher').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor)).not.toBe('rgb(255, 105, 180)');
    const input = page.getByRole('textbox', { name: '输入消息' });
    expect(await input.evaluate((el) => el === (el.getRootNode() as any).activeElement)).toBe(true);
    await expect(page.locator('.status').textContent()).resolves.toBe('智能客服在线');
    // Lazily opened: no conversation until the first message.
    expect((await stored(page)).conversationId).toBeUndefined();

    await input.fill('退货流程');
    await input.press('Enter');
    await page.locator('.m.customer', { hasText: '退货流程' }).waitFor();
    await page.locator('.m.bot', { hasText: '7 天内' }).waitFor({ timeout: 20_000 });
    expect(posted.length).toBe(2);
    expect(posted[1]).toBe(posted[0]);
    expect(await page.locator('.m.customer', { hasText: '退货流程' }).count()).toBe(1);
    expect(await page.locator('.m.customer.pending, .m.customer.failed').count()).toBe(0);
    const saved = await stored(page);
    expect(saved.conversationId).toMatch(/\S/);
    expect(saved.token).toMatch(/\S/);
    conversationId = saved.conversationId!;
    await page.locator('.k[data-conn="ws"]').waitFor({ state: 'attached' });
  });

  it('keeps the transcript across a reload and reconnects', async () => {
    await page.reload();
    // The panel stays open across pages; the transcript is back without typing anything.
    await page.locator('.m.bot', { hasText: '7 天内' }).waitFor();
    await page.locator('.m.customer', { hasText: '退货流程' }).waitFor();
    expect(await page.locator('.m.customer', { hasText: '退货流程' }).count()).toBe(1);
    expect((await stored(page)).conversationId).toBe(conversationId);
    await page.locator('.k[data-conn="ws"]').waitFor({ state: 'attached' });
  });

  it('asks for a human: the status shows the queue position', async () => {
    const human = page.getByRole('button', { name: '转人工' });
    await human.click();
    await page.locator('.status', { hasText: /排队中，第 1 位/ }).waitFor({ timeout: 20_000 });
    await page.locator('.m.system', { hasText: /第 1 位/ }).waitFor({ timeout: 20_000 });
    expect(await human.isDisabled()).toBe(true);
  });

  it("shows the agent's reply live, with the agent's name, without a reload", async () => {
    const li = tokens['agent-li'];
    await platform.waitFor(async () => {
      const queue = await platform.request('GET', '/v1/agent/queue', { token: li });
      return (queue.body.items as Array<{ conversationId: string }>).some((item) => item.conversationId === conversationId);
    }, 'the conversation in the queue');
    expect(await platform.request('POST', `/v1/agent/conversations/${conversationId}/accept`, { token: li, body: {} })).toMatchObject({ status: 200, body: { status: 'agent' } });
    await page.locator('.status', { hasText: '人工客服 李娜 Li Na 为您服务' }).waitFor({ timeout: 5000 });

    const sentAt = Date.now();
    const reply = await platform.request('POST', `/v1/agent/conversations/${conversationId}/messages`, { token: li, body: { text: '您好，我是李娜，我来帮您办理退货。', clientMessageId: 'agent-reply-1' } });
    expect(reply.status).toBe(201);
    const bubble = page.locator('.m.agent', { hasText: '我来帮您办理退货' });
    await bubble.waitFor({ timeout: 5000 });
    const latencyMs = Date.now() - sentAt;
    expect(latencyMs).toBeLessThan(5000);
    expect(await bubble.locator('.who').textContent()).toBe('人工客服 李娜 Li Na');
    console.log(`agent reply shown in the widget ${latencyMs} ms after the POST`);
    await screenshot(page, 'widget-zh');
  });

  it('reconnects after the connection drops and catches up on what was said meanwhile', async () => {
    const before = sockets.length;
    const dropped = sockets.at(-1)!;
    await dropped.server.close();
    await dropped.page.close();
    await agentSays('请提供一下您的订单号。', 'agent-reply-2');
    await page.locator('.m.agent', { hasText: '请提供一下您的订单号' }).waitFor({ timeout: 10_000 });
    await platform.waitFor(async () => sockets.length > before, 'a new WebSocket', 15_000);
    await page.locator('.k[data-conn="ws"]').waitFor({ state: 'attached', timeout: 15_000 });
    expect(await page.locator('.m.agent').count()).toBe(2);
  });

  it('counts unread replies on the launcher while the panel is closed (Escape closes it)', async () => {
    await page.getByRole('textbox', { name: '输入消息' }).press('Escape');
    expect(await page.locator('.panel').isHidden()).toBe(true);
    await agentSays('订单号可以在“我的订单”里找到。', 'agent-reply-3');
    const launcher = page.getByRole('button', { name: '打开在线客服（1 条新消息）' });
    await launcher.waitFor({ timeout: 5000 });
    expect(await page.locator('.badge').textContent()).toBe('1');
    await launcher.click();
    await page.locator('.m.agent', { hasText: '我的订单' }).waitFor();
    expect(await page.locator('.badge').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('the web chat widget in English, when the API or the WebSocket cannot be reached', () => {
  it('shows a failed send with a retry, falls back to polling and still shows the answers and the queue position', async () => {
    const { page, errors } = await newPage('en-US');
    // A WebSocket URL where nothing listens.
    await page.route('**/console/config.json', (route) => route.fulfill({ json: { stage: 'local', apiBase: '', webSocketUrl: 'ws://127.0.0.1:9/ws' } }));
    await page.goto(demo('en'));
    await page.getByRole('button', { name: 'Open customer service chat' }).click();
    // While the API cannot be reached the message is retried, then shown as not sent, with a retry button.
    const fail = (route: Route) => (route.request().method() === 'POST' ? route.abort('failed') : route.continue());
    await page.route('**/v1/webchat/conversations/*/messages', fail);
    const input = page.getByRole('textbox', { name: 'Message' });
    await input.fill('how do I return an item');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('.m.customer.pending', { hasText: 'how do I return an item' }).waitFor();
    await page.locator('.m.customer.failed', { hasText: 'Not sent' }).waitFor({ timeout: 15_000 });
    await page.unroute('**/v1/webchat/conversations/*/messages', fail);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('.m.bot', { hasText: 'within 7 days' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('.m.customer', { hasText: 'how do I return an item' }).count()).toBe(1);
    await page.locator('.k[data-conn="poll"]').waitFor({ state: 'attached' });

    await page.getByRole('button', { name: 'Talk to a human' }).click();
    await page.locator('.status', { hasText: /In the queue: number \d+/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'widget-en');
    expect(errors).toEqual([]);
  });
});

describe('the bundle', () => {
  it('is one script of at most 30 KB gzipped', () => {
    const gzipped = gzipSync(readFileSync(BUNDLE)).length;
    console.log(`kefu-widget.js: ${statSync(BUNDLE).size} bytes, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThanOrEqual(30 * 1024);
    expect(existsSync(join(ROOT, 'console', 'dist', 'widget', 'demo.html'))).toBe(true);
  });
});
