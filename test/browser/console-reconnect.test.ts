/**
 * The console's live connection in a real Chromium: the agent floor's WebSocket goes through a proxy of the test's,
 * which drops it; the header says it is reconnecting, the console reconnects by itself, and an offer made while the
 * socket was down shows up at once after the reconnect (the console refetches on reconnect instead of waiting for
 * its 20-second poll).
 */
import type { Browser, BrowserContext, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, newConsolePage, signIn } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  ensureConsoleBuilt();
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  for (const id of ['agent-wang', 'agent-sam', 'agent-chen']) {
    await platform.request('PUT', '/v1/agent/presence', { token: await platform.runtime.tokenFor(id), body: { presence: 'offline' } });
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
});

describe('the console after its live connection drops', () => {
  it('says so, reconnects, and shows the offer made meanwhile without waiting for a poll', async () => {
    const { page, errors } = await newConsolePage(browser, contexts);
    const floorSockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
    // Only the floor's socket (the conversation sockets carry a conversationId). While `down`, an attempt is held open
    // on the page's side but never reaches the server, so no event gets through (a half-open connection).
    let down = false;
    const held: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/ws\?token=[^&]*$/, (ws) => {
      if (down) held.push(ws);
      else floorSockets.push({ page: ws, server: ws.connectToServer() });
    });
    await page.goto(`${platform.runtime.url}/console/agent`);
    await signIn(page, 'agent-li');
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    await page.getByTestId('presence-online').click();
    await platform.waitFor(async () => ((await platform.request('GET', '/v1/agent/me', { token: await platform.runtime.tokenFor('agent-li') })).body.presence === 'online' ? true : undefined), 'agent-li online');
    expect(floorSockets).toHaveLength(1);

    // The connection drops (both ends closed, as a network failure would).
    const dropped = floorSockets[0]!;
    down = true;
    await dropped.server.close();
    await dropped.page.close();
    await page.locator('[data-testid="live-status"]:not([data-status="open"])').waitFor({ timeout: 5000 });

    // The console retries; the retry is held half-open (the console believes it is live and refetches once, finding nothing).
    await platform.waitFor(async () => held.length > 0, 'a retry', 10_000);
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor();
    await new Promise((r) => setTimeout(r, 500));

    // While no event gets through, a customer asks for a human: the only online agent, agent-li, is offered the chat.
    const customer = await platform.openConversation();
    await platform.say(customer, '转人工');
    await platform.waitFor(async () => (await platform.request('GET', `/v1/agent/conversations/${customer.conversationId}`, { token: await platform.runtime.tokenFor('agent-chen') })).body.conversation.offeredAgentId === 'agent-li', 'the offer', 20_000);
    expect(await page.locator('[data-testid="offer"]').count()).toBe(0);
    // The half-open connection dies; the next attempt reaches the server.
    down = false;
    await held[0]!.close();
    await platform.waitFor(async () => floorSockets.length > 1, 'a new floor socket', 15_000);
    await page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 15_000 });
    // Within 3 s of the reconnect (the queue poll runs every 20 s): the reconnect's refetch brought it.
    await page.locator('[data-testid="offer"]').first().waitFor({ timeout: 3000 });
    expect(errors).toEqual([]);
  }, 90_000);
});
