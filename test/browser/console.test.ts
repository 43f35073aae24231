/**
 * The agent console in a real Chromium against the real local runtime: agent-li signs in through the UI and goes
 * online; a customer asks for a human and the offer appears live (no reload); agent-li accepts, sees the transcript
 * with the bot part and the moods, sees a new customer message arrive live with a suggested answer, replies with Enter
 * (the customer gets it), creates a ticket from the chat (it exists), keeps the language and the chat across a reload,
 * and resolves; a supervisor (agent-chen) watches the floor change live. Screenshots of every screen in both languages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, screenshot } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';


let platform: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];
const tokens: Record<string, string> = {};
type Customer = { conversationId: string; token: string };



beforeAll(async () => {
  ensureConsoleBuilt();
  platform = await startPlatform({ acceptTimeoutSeconds: 120 });
  for (const id of ['agent-li', 'agent-wang', 'agent-chen', 'agent-sam']) tokens[id] = await platform.runtime.tokenFor(id);
  // agent-li is the only one who can take chats; and starts offline, to go online through the console.
  for (const id of ['agent-li', 'agent-wang', 'agent-chen', 'agent-sam']) {
    expect((await platform.request('PUT', '/v1/agent/presence', { token: tokens[id], body: { presence: 'offline' } })).status).toBe(200);
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
});

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

async function signIn(page: Page, username: string, password = 'kefu'): Promise<void> {
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
}

const context = async (conversationId: string) => (await platform.request('GET', `/v1/agent/conversations/${conversationId}`, { token: tokens['agent-chen'] })).body;
const floorAgent = async (id: string) => (await platform.request('GET', '/v1/supervisor/floor', { token: tokens['agent-chen'] })).body.agents.find((a: any) => a.id === id);

let agent: Page;
let agentErrors: string[];
let waiting: Customer;

describe('the agent console', () => {
  let customer: Customer;

  it('signs agent-li in (a wrong password says so) and goes online from the header', async () => {
    ({ page: agent, errors: agentErrors } = await newPage());
    await agent.goto(`${platform.runtime.url}/console/`);
    await agent.getByTestId('sign-in').waitFor();
    expect(await agent.locator('html').getAttribute('lang')).toBe('zh-CN');
    await expect.poll(() => agent.getByTestId('sign-in-submit').textContent()).toBe('登录');
    await screenshot(agent, 'sign-in-zh');
    await agent.getByTestId('lang-en').click();
    await expect.poll(() => agent.getByTestId('sign-in-submit').textContent()).toBe('Sign in');
    await screenshot(agent, 'sign-in-en');
    await agent.getByTestId('lang-zh').click();

    await signIn(agent, 'agent-li', 'wrong');
    await expect.poll(() => agent.getByTestId('sign-in-error').textContent()).toContain('wrong user name or password');

    await signIn(agent, 'agent-li');
    await agent.getByTestId('workspace').waitFor();
    await expect.poll(() => new URL(agent.url()).pathname).toBe('/console/agent');
    expect(await agent.getByTestId('user').textContent()).toContain('李娜');
    // A plain agent sees no supervisor screen.
    expect(await agent.getByTestId('nav-supervisor').count()).toBe(0);
    await expect.poll(() => agent.getByTestId('live-status').getAttribute('data-status')).toBe('open');

    await expect.poll(() => agent.getByTestId('presence').getAttribute('data-presence')).toBe('offline');
    await agent.getByTestId('presence-online').click();
    await expect.poll(() => agent.getByTestId('presence').getAttribute('data-presence')).toBe('online');
    expect((await floorAgent('agent-li')).presence).toBe('online');
  });

  it('shows a customer asking for a human as an offer, live, and accepts it', async () => {
    customer = await platform.openConversation();
    expect((await platform.say(customer, '我的包裹到哪了')).status).toBe(202);
    await platform.waitFor(async () => (await platform.transcript(customer)).some((m) => m.role === 'bot'), 'the bot answer');
    expect((await platform.say(customer, '转人工')).status).toBe(202);

    // No reload: the floor's WebSocket brings the offer.
    const offer = agent.locator(`[data-testid="offer"][data-conversation-id="${customer.conversationId}"]`);
    await offer.waitFor({ timeout: 20_000 });
    expect(await offer.textContent()).toContain('转人工');
    await offer.click();
    await agent.getByTestId('chat-offer').waitFor();
    await screenshot(agent, 'agent-offer-zh');

    await offer.getByTestId('offer-accept').click();
    const chat = agent.locator(`[data-testid="chat-panel"][data-conversation-id="${customer.conversationId}"]`);
    await expect.poll(() => chat.getAttribute('data-status')).toBe('agent');
    await agent.locator(`[data-testid="my-chat"][data-conversation-id="${customer.conversationId}"]`).waitFor();
    expect((await context(customer.conversationId)).conversation).toMatchObject({ status: 'agent', assignedAgentId: 'agent-li' });

    // The whole transcript: the customer's question with its mood, the bot's answer, the handoff.
    await chat.locator('[data-testid="message"][data-role="bot"]').first().waitFor();
    expect(await chat.locator('[data-testid="message"][data-role="customer"]').count()).toBe(2);
    expect(await chat.locator('[data-testid="message"][data-role="customer"] [data-testid="mood"]').count()).toBeGreaterThanOrEqual(1);
    expect(await chat.getByTestId('summary').textContent()).toContain('我的包裹到哪了');
  });

  it('shows a new customer message live, suggests an answer for it, and sends a reply with Enter', async () => {
    const chat = agent.getByTestId('chat-panel');
    expect((await platform.say(customer, '快递三天都没有更新了，我很着急，到底到哪里了？')).status).toBe(202);
    const live = chat.locator('[data-testid="message"][data-role="customer"]', { hasText: '快递三天都没有更新了' });
    await live.waitFor({ timeout: 10_000 });
    // Written after the handoff, so scored live: the mood marker still shows.
    await live.getByTestId('mood').waitFor();

    // The suggested answer (the knowledge base's tracking entry) goes into the reply box, editable.
    const suggestion = chat.getByTestId('suggestion');
    await suggestion.waitFor({ timeout: 10_000 });
    expect(await suggestion.textContent()).toContain('查看物流');
    await suggestion.click();
    const input = chat.getByTestId('reply-input');
    expect(await input.inputValue()).toContain('查看物流');

    // A quick reply in the customer's language, then the agent's own words.
    await chat.getByTestId('canned-toggle').click();
    expect(await chat.getByTestId('canned-reply').count()).toBeGreaterThanOrEqual(4);
    await chat.getByTestId('canned-toggle').click();
    const reply = '您好，我是李娜，我马上帮您联系快递核实包裹位置。';
    await input.fill(reply);
    await input.press('Enter');
    await chat.locator('[data-testid="message"][data-role="agent"]', { hasText: reply }).waitFor();
    expect(await input.inputValue()).toBe('');

    const seen = await platform.waitFor(async () => (await platform.transcript(customer)).find((m) => m.role === 'agent' && m.text === reply), "the agent's reply in the customer's transcript");
    expect(seen.text).toBe(reply);
    // Sent once (clientMessageId): the console shows it once.
    await expect.poll(() => chat.locator('[data-testid="message"][data-role="agent"]', { hasText: reply }).count()).toBe(1);
    expect(await chat.getByTestId('pending-message').count()).toBe(0);
  });

  it('creates a ticket from the chat and shows its id and due time', async () => {
    await agent.getByTestId('ticket-open').click();
    const dialog = agent.getByTestId('ticket-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('ticket-subject').fill('包裹三天未更新物流');
    await dialog.getByTestId('ticket-priority').selectOption('high');
    await dialog.getByTestId('ticket-submit').click();
    const created = agent.getByTestId('ticket-created');
    await created.waitFor();
    const ticketId = (await created.getAttribute('data-ticket-id'))!;
    expect(ticketId).toMatch(/^tkt_/);
    expect(await created.textContent()).toContain('截止');

    const ticket = await platform.request('GET', `/v1/tickets/${ticketId}`, { token: tokens['agent-li'] });
    expect(ticket.status).toBe(200);
    expect(ticket.body.ticket).toMatchObject({ id: ticketId, conversationId: customer.conversationId, subject: '包裹三天未更新物流', priority: 'high', assigneeId: 'agent-li' });
    await agent.locator(`[data-testid="conversation-ticket"][data-ticket-id="${ticketId}"]`).waitFor();
    await screenshot(agent, 'agent-zh');

    // The ticket's detail: status, SLA clocks, notes.
    await agent.locator(`[data-testid="conversation-ticket"][data-ticket-id="${ticketId}"]`).click();
    await agent.getByTestId('ticket-detail').getByTestId('ticket-status').waitFor();
    await screenshot(agent, 'ticket-zh');
    await agent.keyboard.press('Escape');
  });

  it('switches to English, keeps the language and the open chat across a reload, and resolves', async () => {
    await agent.getByTestId('lang-en').click();
    await expect.poll(() => agent.getByTestId('resolve').textContent()).toContain('Resolve');
    await screenshot(agent, 'agent-en');

    await agent.reload();
    await agent.getByTestId('workspace').waitFor();
    await expect.poll(() => agent.getByTestId('sign-out').textContent()).toBe('Sign out');
    const mine = agent.locator(`[data-testid="my-chat"][data-conversation-id="${customer.conversationId}"]`);
    await mine.waitFor();
    await mine.click();
    await expect.poll(() => agent.getByTestId('chat-panel').getAttribute('data-status')).toBe('agent');

    await agent.getByTestId('resolve').click();
    await agent.getByTestId('resolve-yes').click();
    await expect.poll(() => agent.getByTestId('chat-panel').getAttribute('data-status')).toBe('resolved');
    expect((await context(customer.conversationId)).conversation.status).toBe('resolved');
    await expect.poll(() => mine.count()).toBe(0);
    await agent.getByTestId('lang-zh').click();
    expect(agentErrors).toEqual([]);
  });

  it('writes an internal note that the customer never sees, and tags the customer', async () => {
    const chat = agent.locator(`[data-testid="chat-panel"][data-conversation-id="${customer.conversationId}"]`);
    await chat.waitFor();
    // Notes need no ownership: the resolved chat still takes one.
    await chat.getByTestId('compose-mode-note').click();
    const note = '客户很着急，已承诺今天内回电（内部备注测试）';
    await chat.getByTestId('note-input').fill(note);
    await chat.getByTestId('note-send').click();
    const line = chat.locator('[data-testid="message"][data-internal="true"]', { hasText: note });
    await line.waitFor();
    expect(await line.textContent()).toContain('内部备注');
    await expect.poll(() => chat.getByTestId('note-input').inputValue()).toBe('');
    expect((await context(customer.conversationId)).notes).toContainEqual(expect.objectContaining({ text: note, agentId: 'agent-li' }));
    expect((await platform.transcript(customer)).map((m) => m.text)).not.toContain(note);

    // A tag, trimmed, saved at once; a plain agent gets no tier select.
    const panel = agent.getByTestId('customer-panel');
    await panel.getByTestId('customer-tag-input').fill('  催单 ');
    await panel.getByTestId('customer-tag-add').click();
    await panel.locator('[data-testid="customer-tag"][data-tag="催单"]').waitFor();
    expect((await context(customer.conversationId)).customer.tags).toEqual(['催单']);
    expect(await panel.getByTestId('customer-tier-select').count()).toBe(0);
    await screenshot(agent, 'agent-note-zh');
    await chat.getByTestId('compose-mode-reply').click();
    expect(agentErrors).toEqual([]);
  });
});

describe('the supervisor floor', () => {
  it('shows agent-chen the queues and agents, live, in both languages', async () => {
    const { page, errors } = await newPage();
    // A deep link survives the sign-in.
    await page.goto(`${platform.runtime.url}/console/supervisor`);
    await signIn(page, 'agent-chen');
    await page.getByTestId('supervisor').waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/console/supervisor');
    await page.getByTestId('nav-agent').waitFor();
    await page.locator('[data-testid="floor-agent"][data-agent="agent-li"][data-presence="online"]').waitFor();
    await page.locator('[data-testid="floor-agent"][data-agent="agent-wang"][data-presence="offline"]').waitFor();
    await page.locator('[data-testid="floor-queue"][data-group="default"][data-waiting="0"]').waitFor();

    // A customer asks for a human: the floor shows it waiting (on offer to agent-li) without a reload.
    waiting = await platform.openConversation();
    expect((await platform.say(waiting, '转人工')).status).toBe(202);
    await page.locator('[data-testid="floor-queue"][data-group="default"][data-waiting="1"]').waitFor({ timeout: 15_000 });
    await platform.waitFor(async () => (await context(waiting.conversationId)).conversation.offeredAgentId === 'agent-li', 'the offer to agent-li');
    await expect.poll(async () => (await page.getByTestId('floor-events').textContent()) ?? '', { timeout: 15_000 }).toContain('李娜');
    await screenshot(page, 'supervisor-zh');

    await page.getByTestId('lang-en').click();
    await expect.poll(() => page.getByTestId('floor-queues').textContent()).toContain('Waiting');
    await screenshot(page, 'supervisor-en');
    expect(errors).toEqual([]);
  });
});

describe('declining, picking from the queue and transferring', () => {
  it('declines the offer, takes the chat from the queue, and transfers it to the overflow group', async () => {
    const offer = agent.locator(`[data-testid="offer"][data-conversation-id="${waiting.conversationId}"]`);
    await offer.waitFor({ timeout: 15_000 });
    await offer.getByTestId('offer-decline').click();
    // Nobody else is online: it waits in the queue, offered to no one, and can be picked.
    const queued = agent.locator(`[data-testid="queue-item"][data-conversation-id="${waiting.conversationId}"]`);
    await queued.waitFor({ timeout: 15_000 });
    await platform.waitFor(async () => (await context(waiting.conversationId)).events.some((e: any) => e.type === 'offer.declined'), 'the decline recorded');
    await queued.getByTestId('queue-pick').click();
    await expect.poll(() => agent.getByTestId('chat-panel').getAttribute('data-status')).toBe('agent');
    expect((await context(waiting.conversationId)).conversation.assignedAgentId).toBe('agent-li');

    await agent.getByTestId('transfer-open').click();
    const dialog = agent.getByTestId('transfer-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('transfer-kind-group').click();
    await dialog.getByTestId('transfer-group').fill('overflow');
    await screenshot(agent, 'transfer-zh');
    await dialog.getByTestId('transfer-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await platform.waitFor(async () => {
      const c = (await context(waiting.conversationId)).conversation;
      return c.groupId === 'overflow' && c.status === 'queued';
    }, 'the conversation queued in the overflow group');
    await expect.poll(() => agent.locator(`[data-testid="my-chat"][data-conversation-id="${waiting.conversationId}"]`).count()).toBe(0);
    expect(agentErrors).toEqual([]);
  });
});
