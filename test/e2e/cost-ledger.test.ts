/**
 * The cost ledger end to end on the local runtime: a scripted conversation (a bot answer, a handoff, an agent's reply,
 * resolve) is metered by every function it touches; the ledger's lines, priced here again with the published
 * us-east-1 prices written out by hand, add up to what the API reports for the conversation and to what the day's
 * aggregates grew by; a redelivered batch adds nothing; finance roles only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 10 });
  for (const id of ['agent-li', 'agent-chen', 'finance-zhou']) tokens[id] = await platform.runtime.tokenFor(id);
  for (const id of ['agent-wang', 'agent-sam', 'agent-chen']) await platform.request('PUT', '/v1/agent/presence', { token: await platform.runtime.tokenFor(id), body: { presence: 'offline' } });
  await platform.request('PUT', '/v1/agent/presence', { token: tokens['agent-li'], body: { presence: 'online' } });
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const finance = (path: string) => platform.request('GET', path, { token: tokens['finance-zhou'] });

/** The us-east-1 list prices (../shared/DESIGN.md), per unit, typed by hand: the test's own arithmetic. */
const PRICE = {
  request: 0.2 / 1e6,
  gbSecondArm: 0.0000133334,
  http: 1 / 1e6,
  wsMessage: 1 / 1e6,
  wsMinute: 0.25 / 1e6,
  rru: 0.125 / 1e6,
  wru: 0.625 / 1e6,
  expressRequest: 1 / 1e6,
  expressGbSecond: 0.00001667,
  transition: 0.025 / 1000,
  logsGb: 0.5,
};

type Usage = {
  lambda: { requests: number; durationMs: number; initDurationMs?: number; memoryMb: number };
  http?: { requests: number; requestBytes: number[] };
  webSocket?: { messages: number; messageBytes: number[]; connectionMinutes?: number };
  dynamodb: { readUnits: number; writeUnits: number };
  stepFunctions?: { standardTransitions?: number; expressRequests?: number; expressBilledMs?: number; expressMemoryMb?: number };
  logs: { bytes: number };
};

function expected(usage: Usage): number {
  const billedMs = Math.ceil(usage.lambda.durationMs) + (usage.lambda.initDurationMs ? Math.ceil(usage.lambda.initDurationMs) : 0);
  let total = usage.lambda.requests * PRICE.request + (billedMs / 1000) * (usage.lambda.memoryMb / 1024) * PRICE.gbSecondArm;
  if (usage.http) total += usage.http.requestBytes.reduce((n, b) => n + Math.max(1, Math.ceil(b / (512 * 1024))), 0) * PRICE.http;
  if (usage.webSocket) {
    total += usage.webSocket.messageBytes.reduce((n, b) => n + Math.max(1, Math.ceil(b / (32 * 1024))), 0) * PRICE.wsMessage;
    if (usage.webSocket.connectionMinutes) total += Math.ceil(usage.webSocket.connectionMinutes) * PRICE.wsMinute;
  }
  total += usage.dynamodb.readUnits * PRICE.rru + usage.dynamodb.writeUnits * PRICE.wru;
  const sfn = usage.stepFunctions;
  if (sfn?.standardTransitions) total += sfn.standardTransitions * PRICE.transition;
  if (sfn?.expressRequests) {
    total += sfn.expressRequests * PRICE.expressRequest + ((Math.ceil((sfn.expressBilledMs ?? 0) / 100) * 100) / 1000) * (Math.max(64, Math.ceil((sfn.expressMemoryMb ?? 64) / 64) * 64) / 1024) * PRICE.expressGbSecond;
  }
  total += (usage.logs.bytes / 1024 ** 3) * PRICE.logsGb;
  return total;
}

describe('the cost ledger', () => {
  let conversationId = '';

  it('meters a scripted conversation in every function it touches, and its lines add up', async () => {
    const before = (await finance('/v1/finance/costs')).body;
    const customer = await platform.openConversation();
    conversationId = customer.conversationId;
    await platform.say(customer, '我的包裹到哪了');
    await platform.waitFor(async () => (await platform.transcript(customer)).find((m) => m.role === 'bot'), 'the bot answer');
    await platform.say(customer, '转人工');
    await platform.waitFor(async () => (await platform.request('GET', `/v1/agent/conversations/${conversationId}`, { token: tokens['agent-chen'] })).body.conversation.offeredAgentId === 'agent-li', 'the offer', 20_000);
    expect((await platform.request('POST', `/v1/agent/conversations/${conversationId}/accept`, { token: tokens['agent-li'], body: {} })).status).toBe(200);
    expect((await platform.request('POST', `/v1/agent/conversations/${conversationId}/messages`, { token: tokens['agent-li'], body: { text: '您好，我来帮您查一下' } })).status).toBe(201);
    expect((await platform.request('POST', `/v1/agent/conversations/${conversationId}/resolve`, { token: tokens['agent-li'], body: {} })).status).toBe(200);

    // Settled: every invocation's record has reached the ledger.
    let costs: any;
    // The escalation (a Standard workflow) ends once the conversation is resolved; its transitions are metered too.
    await platform.waitFor(async () => {
      await platform.runtime.flushCosts();
      const c = (await finance(`/v1/finance/conversations/${conversationId}/costs`)).body;
      return c.invocations.some((i: { functionId: string }) => i.functionId === 'workflow-meter') ? c : undefined;
    }, 'the escalation metered', 20_000);
    let previous = -1;
    for (;;) {
      await new Promise((r) => setTimeout(r, 600));
      await platform.runtime.flushCosts();
      costs = (await finance(`/v1/finance/conversations/${conversationId}/costs`)).body;
      if (costs.invocations.length === previous) break;
      previous = costs.invocations.length;
    }
    const functions = new Set(costs.invocations.map((i: { functionId: string }) => i.functionId));
    for (const fn of ['webchat', 'message-intake', 'sentiment', 'bot-answer', 'message-policy', 'routing', 'agent-console', 'workflow-meter']) expect(functions, fn).toContain(fn);
    const escalation = costs.invocations.find((i: { functionId: string }) => i.functionId === 'workflow-meter');
    expect(escalation.capability).toBe('routing');
    const transitions = escalation.lines.find((l: { item: string }) => l.item === 'sfn.standard.transitions');
    expect(transitions.quantity).toBeGreaterThanOrEqual(3);
    expect(transitions.formula).toMatch(/transitions? × \$0\.025/);
    expect(costs.invocations.every((i: { path?: string }) => i.path === 'bot' || i.path === 'human')).toBe(true);
    expect(costs.invocations.some((i: { path?: string }) => i.path === 'human')).toBe(true);

    // Each invocation: its lines add up to it, and the hand-written prices give the same amount from its usage.
    const ledger = await import('../../shared/adapters/wiring/storage.ts');
    const lines = await ledger.costLedger().linesOf(conversationId);
    expect(lines).toHaveLength(costs.invocations.length);
    for (const invocation of costs.invocations) {
      const sum = invocation.lines.reduce((n: number, l: { amount: number }) => n + l.amount, 0);
      expect(invocation.amount).toBeCloseTo(sum, 12);
      for (const l of invocation.lines) expect(l.formula).toMatch(/×.*=/);
      const line = lines.find((x) => x.requestId === invocation.requestId)!;
      expect(invocation.amount).toBeCloseTo(expected(line.usage as Usage), 11);
      expect(line.nanos / 1e9).toBeCloseTo(invocation.amount, 8);
    }
    // The conversation: invocations + human handling time = total, the formula written out.
    expect(costs.human).not.toBeNull();
    expect(costs.human.formula).toMatch(/h ×/);
    expect(costs.total).toBeCloseTo(costs.infrastructure + costs.human.amount, 12);
    expect(costs.formula).toContain(`${costs.invocations.length} invocations`);

    // The day's aggregates grew by at least this conversation's infrastructure (other invocations ran meanwhile).
    const after = (await finance('/v1/finance/costs?by=function')).body;
    const grew = after.totals.infrastructure - before.totals.infrastructure;
    expect(grew).toBeGreaterThanOrEqual(costs.infrastructure - 1e-9);
    // The rows of a dimension add up to the total.
    expect(after.rows.reduce((n: number, r: { amount: number }) => n + r.amount, 0)).toBeCloseTo(after.totals.infrastructure, 9);
    expect(after.conversations.handedOff).toBeGreaterThanOrEqual(1);
  }, 90_000);

  it('adds a redelivered batch once, and writes its lines again unchanged', async () => {
    const { gzipSync } = await import('node:zlib');
    const record = { kefu: 'cost', v: 1, requestId: 'req-redelivered-1', functionId: 'webchat', capability: 'intake', kind: 'http', stage: 'local', at: new Date().toISOString(), outcome: 'ok', usage: { lambda: { requests: 1, durationMs: 10, memoryMb: 512, architecture: 'arm64' }, dynamodb: { readUnits: 1, writeUnits: 0 }, logs: { bytes: 330 } } };
    const event = { awslogs: { data: gzipSync(Buffer.from(JSON.stringify({ messageType: 'DATA_MESSAGE', logEvents: [{ id: 'evt-redelivered-1', timestamp: Date.now(), message: JSON.stringify(record) }] }))).toString('base64') } };
    const { handler } = await import('../../functions/workflows/cost-ledger/cost-ledger.handler.ts');
    const context = { awsRequestId: 'ledger-test', memoryLimitInMB: '512' } as never;
    const total = async () => (await finance('/v1/finance/costs?by=function')).body.rows.find((r: { key: string }) => r.key === 'webchat')?.invocations ?? 0;
    await platform.runtime.flushCosts();
    const first = await handler(event as never, context);
    expect(first).toMatchObject({ lines: 1, aggregates: 'added' });
    const once = await total();
    const again = await handler(event as never, context);
    expect(again).toMatchObject({ aggregates: 'duplicate' });
    expect(await total()).toBe(once);
  });

  it('is for finance and admins only, and refuses a bad period', async () => {
    expect((await platform.request('GET', '/v1/finance/costs', { token: tokens['agent-chen'] })).status).toBe(403);
    expect((await platform.request('GET', `/v1/finance/conversations/${conversationId}/costs`, { token: tokens['agent-li'] })).status).toBe(403);
    expect((await finance('/v1/finance/costs?from=2026-02-30')).status).toBe(400);
    expect((await finance('/v1/finance/costs?by=weather')).status).toBe(400);
    const csv = await finance('/v1/finance/costs?by=capability&format=csv');
    expect(csv.status).toBe(200);
    expect(String(csv.body).split('\n')[0]).toBe('capability,amount_usd,invocations');
  });
});
