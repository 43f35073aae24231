/**
 * Budgets and currency on the local runtime: with a daily budget of a millionth of a dollar, the first batch the ledger
 * prices exceeds it; the ledger records the state (the bot reads it to degrade Bedrock to the local engine) and the
 * finance report says so; amounts are reported in the configured currency (CNY at 7.1 per US dollar).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
let token = '';

beforeAll(async () => {
  Object.assign(process.env, { KEFU_BUDGET_DAILY_USD: '0.000001', KEFU_BUDGET_DEGRADE: 'local', KEFU_CURRENCY: 'CNY', KEFU_CURRENCY_PER_USD: '7.1', KEFU_AGENT_HOURLY_COST: '60' });
  platform = await startPlatform();
  token = await platform.runtime.tokenFor('finance-zhou');
}, 90_000);
afterAll(async () => {
  await platform?.runtime.stop();
  for (const name of ['KEFU_BUDGET_DAILY_USD', 'KEFU_BUDGET_DEGRADE', 'KEFU_CURRENCY', 'KEFU_CURRENCY_PER_USD', 'KEFU_AGENT_HOURLY_COST']) delete process.env[name];
});

describe('budgets and currency', () => {
  it('records an exceeded daily budget, and reports in CNY', async () => {
    const customer = await platform.openConversation();
    await platform.say(customer, '我的包裹到哪了');
    await platform.waitFor(async () => (await platform.transcript(customer)).find((m) => m.role === 'bot'), 'the bot answer');
    const { costLedger } = await import('../../shared/adapters/wiring/storage.ts');
    const state = await platform.waitFor(async () => {
      await platform.runtime.flushCosts();
      const s = await costLedger().budget();
      return s?.exceeded ? s : undefined;
    }, 'the budget state', 20_000);
    expect(state).toMatchObject({ exceeded: true, reason: 'daily' });
    expect(state.todayNanos).toBeGreaterThan(1000);

    const report = (await platform.request('GET', '/v1/finance/costs', { token })).body;
    expect(report.currency).toEqual({ code: 'CNY', perUsd: 7.1 });
    expect(report.budget).toMatchObject({ dailyUsd: 0.000001, exceeded: true, degraded: true });
    expect(report.humanRate.hourly).toBe(60);

    // The same conversation in CNY is 7.1 × its US-dollar nanos in the ledger (each line's nanos are rounded: ± a few nanos).
    const lines = await costLedger().linesOf(customer.conversationId);
    const usd = lines.reduce((n, l) => n + l.nanos, 0) / 1e9;
    const costs = (await platform.request('GET', `/v1/finance/conversations/${customer.conversationId}/costs`, { token })).body;
    expect(costs.infrastructure).toBeCloseTo(usd * 7.1, 6);
    expect(costs.invocations[0].lines[0].formula).toContain('¥');
  }, 60_000);
});
