/**
 * The Finance view in a real Chromium against the real local runtime. Two web chats over the API (one the bot
 * answers, one handed to agent-li, answered and resolved) make the cost ledger record invocations; the finance user
 * (finance-zhou, or admin where that user is not seeded) sees the report's figures as the API gives them: the
 * infrastructure KPI, one bar group per day, rows by capability that add up to the infrastructure total, the handed-off
 * conversation's invocations with their line items and formulas and its total, and a CSV export. A plain agent has no
 * Finance item and the API refuses them the data. Screenshots in both languages.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { money } from '../../console/src/finance/money.ts';
import { ensureConsoleBuilt, launchBrowser, newConsolePage, screenshot, signIn } from '../support/browser.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let browser: Browser;
const contexts: BrowserContext[] = [];
let page: Page;
let errors: string[] = [];
const tokens: Record<string, string> = {};
/** finance-zhou when the runtime seeds that user, else admin (also allowed to read the finance reports). */
let financeUser = 'finance-zhou';
let handedOffId = '';

const api = (method: string, path: string, token: string, body?: unknown) => platform.request(method, path, { token, ...(body !== undefined ? { body } : {}) });
const conversationOf = async (id: string) => (await api('GET', `/v1/agent/conversations/${id}`, tokens['agent-chen']!)).body.conversation;
const isCostReport = (by?: string) => (response: Response) => {
  const url = new URL(response.url());
  return url.pathname === '/v1/finance/costs' && url.searchParams.get('format') !== 'csv' && (by === undefined || url.searchParams.get('by') === by) && response.request().method() === 'GET';
};

beforeAll(async () => {
  ensureConsoleBuilt();
  platform = await startPlatform({ acceptTimeoutSeconds: 5 });
  for (const id of ['agent-li', 'agent-wang', 'agent-sam', 'agent-chen']) tokens[id] = await platform.runtime.tokenFor(id);
  try {
    tokens.finance = await platform.runtime.tokenFor('finance-zhou');
  } catch {
    financeUser = 'admin';
    tokens.finance = await platform.runtime.tokenFor('admin');
  }
  // Only agent-li takes chats, so the handed-off conversation is offered to them.
  for (const id of ['agent-wang', 'agent-sam', 'agent-chen']) await api('PUT', '/v1/agent/presence', tokens[id]!, { presence: 'offline' });
  await api('PUT', '/v1/agent/presence', tokens['agent-li']!, { presence: 'online' });

  const bot = await platform.openConversation();
  await platform.say(bot, '我的包裹到哪了');
  await platform.waitFor(async () => (await platform.transcript(bot)).find((m) => m.role === 'bot'), 'the bot answer');

  const human = await platform.openConversation();
  handedOffId = human.conversationId;
  await platform.say(human, '转人工');
  await platform.waitFor(async () => (await conversationOf(human.conversationId)).offeredAgentId === 'agent-li', 'the offer to agent-li', 20_000);
  expect((await api('POST', `/v1/agent/conversations/${handedOffId}/accept`, tokens['agent-li']!, {})).status).toBe(200);
  expect((await api('POST', `/v1/agent/conversations/${handedOffId}/messages`, tokens['agent-li']!, { text: '您好，我来帮您' })).status).toBe(201);
  expect((await api('POST', `/v1/agent/conversations/${handedOffId}/resolve`, tokens['agent-li']!, {})).status).toBe(200);

  // The cost ledger prices the invocations in batches: wait until the report and the conversation have them.
  await platform.waitFor(
    async () => {
      const res = await api('GET', '/v1/finance/costs', tokens.finance!);
      return res.status === 200 && res.body?.totals?.infrastructure > 0 ? true : undefined;
    },
    'infrastructure costs in the finance report',
    45_000,
  );
  await platform.waitFor(
    async () => {
      const res = await api('GET', `/v1/finance/conversations/${handedOffId}/costs`, tokens.finance!);
      return res.status === 200 && res.body?.invocations?.length > 0 ? true : undefined;
    },
    "the handed-off conversation's invocations",
    45_000,
  );

  browser = await launchBrowser();
  ({ page, errors } = await newConsolePage(browser, contexts, { viewport: { width: 1440, height: 1400 } }));
}, 240_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await platform?.runtime.stop();
});

describe('the Finance view', () => {
  let report: any;

  it("shows the report's figures: the infrastructure KPI, a bar group per day, rows by capability adding up to the total", async () => {
    await page.goto(`${platform.runtime.url}/console/finance`);
    const [first] = await Promise.all([page.waitForResponse(isCostReport()), signIn(page, financeUser)]);
    report = await first.json();
    await page.getByTestId('finance-kpis').waitFor();
    expect(report.totals.infrastructure).toBeGreaterThan(0);

    if (financeUser === 'finance-zhou') {
      // A finance-only user: the Finance screen is all they get, and their default.
      expect(await page.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((a) => a.getAttribute('data-testid')))).toEqual(['nav-finance']);
    } else {
      expect(await page.getByTestId('nav-finance').count()).toBe(1);
    }
    expect(new URL(page.url()).pathname).toBe('/console/finance');

    const kpi = page.getByTestId('kpi-infrastructure');
    await page.waitForFunction(`document.querySelector('[data-testid="kpi-infrastructure"]')?.dataset.amount !== ''`);
    const shown = Number(await kpi.getAttribute('data-amount'));
    // The page may have refreshed since: it shows the figures of the report it last received, formatted.
    expect(shown).toBeGreaterThanOrEqual(report.totals.infrastructure);
    if (shown === report.totals.infrastructure) expect(await kpi.textContent()).toBe(money(report.totals.infrastructure, report.currency?.code, 'zh-CN'));
    expect(await kpi.textContent()).toBe(money(shown, report.currency?.code, 'zh-CN'));
    const direct = (await api('GET', '/v1/finance/costs', tokens.finance!)).body;
    expect(direct.totals.infrastructure).toBeGreaterThanOrEqual(report.totals.infrastructure);

    const bars = page.getByTestId('finance-chart').locator('g[data-day]');
    expect(await bars.count()).toBe(report.series.length);
    expect(report.series.length).toBe(report.period.days);
    expect(await bars.last().getAttribute('data-day')).toBe(report.period.to);

    const [byCapability] = await Promise.all([page.waitForResponse(isCostReport('capability')), page.getByTestId('by-capability').click()]);
    const capabilityReport = await byCapability.json();
    await page.locator('[data-testid="finance-rows"] tbody tr[data-key]').first().waitFor();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="finance-rows"] tbody tr[data-key]').length === ${capabilityReport.rows.length}`);
    const amounts = (await page.getByTestId('finance-rows').locator('tbody tr[data-key]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-amount'))))) as number[];
    expect(amounts.length).toBeGreaterThan(0);
    expect(Math.abs(amounts.reduce((a, b) => a + b, 0) - capabilityReport.totals.infrastructure)).toBeLessThanOrEqual(1e-9);
    expect(await page.getByTestId('kpi-infrastructure').getAttribute('data-amount')).toBe(String(capabilityReport.totals.infrastructure));
    expect(await page.getByTestId('finance-definitions').textContent()).toContain(String(capabilityReport.priceVersion));
    await screenshot(page, 'finance-zh');
  }, 60_000);

  it("shows what the handed-off conversation cost: each invocation's line items with formulas, and the API's total", async () => {
    await page.getByTestId('conv-id').fill(handedOffId);
    const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === `/v1/finance/conversations/${handedOffId}/costs`), page.getByTestId('conv-lookup').click()]);
    const costs = await response.json();
    expect(response.status()).toBe(200);
    await page.getByTestId('conv-result').waitFor();
    const invocations = page.getByTestId('conv-invocation');
    expect(await invocations.count()).toBe(costs.invocations.length);
    expect(costs.invocations.length).toBeGreaterThan(0);
    const formulas = (await page.getByTestId('conv-formula').allTextContents()) as string[];
    expect(formulas.length).toBeGreaterThan(0);
    expect(formulas.some((f) => f.includes('×'))).toBe(true);
    const total = page.getByTestId('conv-total');
    expect(await total.getAttribute('data-amount')).toBe(String(costs.total));
    expect(await total.textContent()).toBe(money(costs.total, typeof costs.currency === 'string' ? costs.currency : costs.currency?.code, 'zh-CN'));
    if (costs.formula) expect(await page.getByTestId('conv-total-formula').textContent()).toBe(costs.formula);
    await page.getByTestId('finance-conversation').scrollIntoViewIfNeeded();
    await screenshot(page, 'finance-conversation-zh');
  }, 60_000);

  it('exports the report as a CSV file whose first line is the header', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('finance-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^kefu-costs-.*capability\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const direct = await api('GET', `/v1/finance/costs?from=${report.period.from}&to=${report.period.to}&by=capability&format=csv`, tokens.finance!);
    expect(direct.status).toBe(200);
    const header = String(direct.body).replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
    expect(header.length).toBeGreaterThan(0);
    expect(csv.split(/\r?\n/)[0]).toBe(header);
    expect(csv.split(/\r?\n/).filter(Boolean).length).toBeGreaterThan(1);
    expect(await page.locator('[data-testid="toast"][data-kind="success"]').count()).toBe(1);
    await page.locator('[data-testid="toast"] .toast-close').click();
  }, 60_000);

  it('reads in English', async () => {
    await page.getByTestId('lang-en').click();
    await page.getByText('Infrastructure cost', { exact: true }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'finance-en');
    await page.getByTestId('lang-zh').click();
    expect(errors).toEqual([]);
  }, 60_000);

  it('gives a plain agent no Finance item and no finance data', async () => {
    const { page: li, errors: liErrors } = await newConsolePage(browser, contexts);
    await li.goto(`${platform.runtime.url}/console/finance`);
    await signIn(li, 'agent-li');
    await li.getByTestId('nav-agent').waitFor();
    expect(await li.getByTestId('nav-finance').count()).toBe(0);
    expect(await li.getByTestId('finance').count()).toBe(0);
    expect(new URL(li.url()).pathname).toBe('/console/agent');
    expect((await api('GET', '/v1/finance/costs', tokens['agent-li']!)).status).toBe(403);
    expect((await api('GET', `/v1/finance/costs?format=csv`, tokens['agent-li']!)).status).toBe(403);
    expect((await api('GET', `/v1/finance/conversations/${handedOffId}/costs`, tokens['agent-li']!)).status).toBe(403);
    expect(liErrors).toEqual([]);
  }, 60_000);
});
