/**
 * The supervisor's dashboard and floor in a real Chromium against the real local runtime. Conversations made over
 * the API (one the bot answers, one handled and rated, one still being served) show up in the dashboard's figures and
 * charts, which match the API's own; the period can be widened to 30 days; on the floor the supervisor reassigns the
 * chat in progress to another agent (the API then has it with that agent). Screenshots in both languages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureConsoleBuilt, launchBrowser, screenshot } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
const tokens: Record<string, string> = {};
let servedId = '';

const api = (method: string, path: string, token: string, body?: unknown) => platform.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
const conversationOf = async (id: string) => (await api('GET', `/v1/agent/conversations/${id}`, tokens['agent-chen']!)).body.conversation;

async function handOffToLi(): Promise<{ conversationId: string; token: string }> {
  const customer = await platform.openConversation();
  await platform.say(customer, '转人工');
  await platform.waitFor(async () => (await conversationOf(customer.conversationId)).offeredAgentId === 'agent-li', 'the offer to agent-li', 20_000);
  expect((await api('POST', `/v1/agent/conversations/${customer.conversationId}/accept`, tokens['agent-li']!, {})).status).toBe(200);
  expect((await api('POST', `/v1/agent/conversations/${customer.conversationId}/messages`, tokens['agent-li']!, { text: '您好，我来帮您' })).status).toBe(201);
  return customer;
}

beforeAll(async () => {
  ensureConsoleBuilt();
  platform = await startPlatform({ acceptTimeoutSeconds: 5 });
  for (const id of ['agent-li', 'agent-wang', 'agent-sam', 'agent-chen']) tokens[id] = await platform.runtime.tokenFor(id);
  for (const id of ['agent-wang', 'agent-sam', 'agent-chen']) await api('PUT', '/v1/agent/presence', tokens[id]!, { presence: 'offline' });
  await api('PUT', '/v1/agent/presence', tokens['agent-li']!, { presence: 'online' });

  const bot = await platform.openConversation();
  await platform.say(bot, '我的包裹到哪了');
  await platform.waitFor(async () => (await platform.transcript(bot)).find((m) => m.role === 'bot'), 'the bot answer');
  const rated = await handOffToLi();
  expect((await api('POST', `/v1/agent/conversations/${rated.conversationId}/resolve`, tokens['agent-li']!, {})).status).toBe(200);
  expect((await platform.request('POST', `/v1/webchat/conversations/${rated.conversationId}/rating`, { token: rated.token, body: { score: 4 } })).status).toBe(200);
  servedId = (await handOffToLi()).conversationId;
  await api('PUT', '/v1/agent/presence', tokens['agent-wang']!, { presence: 'online' });
  await platform.waitFor(async () => ((await api('GET', '/v1/supervisor/dashboard', tokens['agent-chen']!)).body.csat.count >= 1 ? true : undefined), 'the rating in the report', 20_000);

  browser = await launchBrowser();
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1400 } });
  page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
}, 240_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
});

describe('the supervisor dashboard and floor', () => {
  it('shows the period figures the API reports, with charts, and widens to 30 days', async () => {
    await page.goto(`${platform.runtime.url}/console/dashboard`);
    await page.getByTestId('sign-in-username').fill('agent-chen');
    await page.getByTestId('sign-in-password').fill('kefu');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('dashboard-kpis').waitFor();

    const report = (await api('GET', '/v1/supervisor/dashboard', tokens['agent-chen']!)).body;
    expect(report.totals.conversations).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('kpi-conversations').textContent()).toBe(String(report.totals.conversations));
    expect(await page.getByTestId('kpi-containment').textContent()).toBe(`${Math.round(report.totals.containmentRate * 1000) / 10}%`);
    expect(await page.getByTestId('kpi-csat').textContent()).toBe(report.csat.average.toFixed(2));
    // One bar group per day, today's total as the API counts it.
    const bars = page.getByTestId('chart-by-day').locator('g[data-day]');
    expect(await bars.count()).toBe(7);
    expect(await bars.last().getAttribute('data-total')).toBe(String(report.series.at(-1).conversations));
    expect(await page.getByTestId('chart-reasons').locator('li[data-key="requested"]').getAttribute('data-value')).toBe(String(report.handoffReasons.find((r: { reason: string }) => r.reason === 'requested').count));
    expect(await page.getByTestId('chart-csat').locator('li[data-key="4"]').getAttribute('data-value')).toBe('1');
    expect(await page.getByTestId('top-intents').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('agent-figures').locator('tr[data-agent="agent-li"]').count()).toBe(1);
    expect(await page.getByTestId('dashboard-period').textContent()).toContain('Asia/Shanghai');
    await screenshot(page, 'dashboard-zh');

    await page.getByTestId('period-30').click();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="chart-by-day"] g[data-day]').length === 30`);
    expect(await page.getByTestId('dashboard-period').textContent()).toMatch(/30/);

    await page.getByTestId('lang-en').click();
    await page.getByText('Bot resolution rate', { exact: true }).waitFor();
    await screenshot(page, 'dashboard-en');
    await page.getByTestId('lang-zh').click();
  }, 60_000);

  it('reassigns a chat in progress from agent-li to agent-wang on the floor', async () => {
    await page.getByTestId('nav-supervisor').click();
    const row = page.locator(`[data-testid="floor-conversation"][data-conversation="${servedId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-agent')).toBe('agent-li');
    await screenshot(page, 'supervisor-conversations-zh');
    await row.getByTestId('reassign').click();
    const dialog = page.getByTestId('transfer-dialog');
    await dialog.waitFor();
    // agent-li holds the chat, so the list offers the others.
    expect(await dialog.getByRole('option').filter({ hasText: 'agent-li' }).count()).toBe(0);
    await dialog.getByRole('option').filter({ hasText: 'agent-wang' }).click();
    await page.getByTestId('transfer-submit').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="floor-conversation"][data-conversation="${servedId}"][data-agent="agent-wang"]`).waitFor();
    expect((await conversationOf(servedId)).assignedAgentId).toBe('agent-wang');
    await page.getByTestId('lang-en').click();
    await screenshot(page, 'supervisor-conversations-en');
    await page.getByTestId('lang-zh').click();
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows agent-wang the reassigned chat in a browser that never saw it (the server's list, not this browser's memory)", async () => {
    const fresh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
    try {
      const wang = await fresh.newPage();
      await wang.goto(`${platform.runtime.url}/console/agent`);
      await wang.getByTestId('sign-in-username').fill('agent-wang');
      await wang.getByTestId('sign-in-password').fill('kefu');
      await wang.getByTestId('sign-in-submit').click();
      await wang.locator(`[data-testid="my-chat"][data-conversation-id="${servedId}"]`).waitFor();
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
