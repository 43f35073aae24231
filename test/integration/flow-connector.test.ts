import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoOrderService, type DemoOrderService } from '../../infra/local/demo-order-service.ts';
import { ConnectorError, HttpConnector, parseConnectorConfig, type ConnectorLogEntry } from '../../shared/adapters/connector/http-connector.ts';
import { makeFlowTurn, staticFlowCatalog, type FlowTicketRequest, type FlowTurnInput } from '../../shared/application/flow.use-cases.ts';
import { demoFlows } from '../../shared/domain/flows/demo-flows.ts';
import type { FlowSession, FlowSessionStore } from '../../shared/ports/flows.ts';

const TOKEN = 'demo-secret-token-123';

/** The session store the application would get from DynamoDB, kept in memory (JSON in, JSON out, like an item). */
function memorySessions(): FlowSessionStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: async (id) => (raw.has(id) ? (JSON.parse(raw.get(id)!) as FlowSession) : undefined),
    put: async (id, session) => {
      if (session === undefined) raw.delete(id);
      else raw.set(id, JSON.stringify(session));
    },
  };
}

let service: DemoOrderService;
let slow: Server;
let slowUrl: string;
const logs: ConnectorLogEntry[] = [];

beforeAll(async () => {
  service = await startDemoOrderService({ token: TOKEN });
  // An order system that never answers in time.
  slow = createServer((_req, res) => {
    setTimeout(() => res.end('{}'), 2000).unref();
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await service.close();
  slow.closeAllConnections();
  await new Promise<void>((r) => slow.close(() => r()));
});

function setup(options: { baseUrl?: string; timeoutMs?: number } = {}) {
  const sessions = memorySessions();
  const tickets: FlowTicketRequest[] = [];
  const connector = new HttpConnector(
    parseConnectorConfig({ shop: { baseUrl: options.baseUrl ?? service.url, headers: { authorization: `Bearer ${TOKEN}` }, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) } }),
    { log: (entry) => logs.push(entry) },
  );
  let clock = new Date('2026-11-22T04:00:00Z');
  const turn = makeFlowTurn({
    flows: staticFlowCatalog(demoFlows()),
    sessions,
    connector,
    tickets: async (draft) => {
      const existing = tickets.findIndex((t) => t.idempotencyKey === draft.idempotencyKey);
      if (existing < 0) tickets.push(draft);
      return { id: `T-${existing < 0 ? tickets.length : existing + 1}` };
    },
    clock: { now: () => clock },
  });
  let seq = 0;
  const say = (text: string, extra: Partial<FlowTurnInput> = {}) => turn({ conversationId: 'c-1', messageId: `m-${++seq}`, text, ...extra });
  return { sessions, tickets, turn, say, advance: (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000)) };
}

const posts = () => service.requests().filter((r) => r.method === 'POST' && r.path === '/returns').length;

describe('flows over the HTTP connector and the demo order service', () => {
  beforeEach(() => {
    logs.length = 0;
  });

  it('answers the order status through the real order service', async () => {
    const { say, sessions } = setup();
    const first = await say('我的订单到哪了', { language: 'zh-Hans' });
    expect(first).toMatchObject({ handled: true, flowId: 'order-status', messages: [expect.stringContaining('订单号')] });
    expect((await sessions.get('c-1'))?.state?.stepId).toBe('ask_order');
    const second = await say('我的订单号是 KF20240012');
    expect(second.messages[0]).toMatch(/^订单 KF20240012 已发货，运输中。承运商：顺丰速运，运单号：SF1402233890012/);
    expect(second.ended).toBe('completed');
    expect((await sessions.get('c-1'))?.state).toBeUndefined();
  });

  it('re-prompts a wrong order number, then hands off', async () => {
    const { say } = setup();
    await say('where is my order', { language: 'en' });
    expect((await say('KF00000000')).messages).toEqual(['I could not find order KF00000000. Please check the number and send it again.']);
    const last = await say('KF00000001');
    expect(last).toMatchObject({ handled: true, handoff: { reason: 'order_not_found' }, ended: 'handoff' });
  });

  it('walks the return flow to a registered return and one ticket, and a redelivery creates neither again', async () => {
    const { turn, tickets } = setup();
    const before = posts();
    const lines = ['I want to return an item', 'KF20240004', '2', "doesn't fit", 'yes'];
    let last;
    for (const [i, text] of lines.entries()) last = await turn({ conversationId: 'c-ret', messageId: `r-${i}`, text, language: 'en' });
    expect(last!.messages[0]).toMatch(/^Your return is registered: return number RT\d+\.\nNext: please send the item by \d{4}-\d{2}-\d{2} to Kefu demo warehouse/);
    expect(last).toMatchObject({ handled: true, ended: 'completed', ticketId: 'T-1' });
    expect(tickets).toEqual([expect.objectContaining({ conversationId: 'c-ret', messageId: 'r-4', type: 'after-sales', subject: expect.stringMatching(/^Return RT\d+: order KF20240004$/) })]);
    // Redelivery of the last message (the channel or the stream retried it)
    const again = await turn({ conversationId: 'c-ret', messageId: 'r-4', text: 'yes', language: 'en' });
    expect(again).toEqual(last);
    expect(posts() - before).toBe(1);
    expect(tickets).toHaveLength(1);
  });

  it('keeps the return idempotent in the order system too (same order and item, same return id)', async () => {
    const connector = new HttpConnector({ shop: { baseUrl: service.url, headers: { authorization: `Bearer ${TOKEN}` } } });
    const request = { method: 'POST' as const, path: '/returns', body: { orderNumber: 'KF20240008', item: 'TS-WHT-M', reason: 'size' } };
    const first = await connector.call('shop', request, { timeoutMs: 2000 });
    const second = await connector.call('shop', request, { timeoutMs: 2000 });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect((second.body as any).returnId).toBe((first.body as any).returnId);
  });

  it('hands off when the customer types 转人工 mid-flow', async () => {
    const { say, sessions } = setup();
    await say('我要退货');
    await say('KF20240008');
    const result = await say('转人工');
    expect(result).toMatchObject({ handled: true, handoff: { reason: 'requested' }, ended: 'handoff', messages: ['好的，正在为您转接人工客服，请稍候。'] });
    expect((await sessions.get('c-1'))?.state).toBeUndefined();
  });

  it('offers a ticket for an order outside the return window', async () => {
    const { say, tickets } = setup();
    await say('申请退货 KF20240005');
    const result = await say('是');
    expect(result).toMatchObject({ ended: 'completed', ticketId: 'T-1' });
    expect(tickets[0]?.subject).toBe('超期退货申请：订单 KF20240005');
  });

  it('leaves the message to the answer pipeline when nothing triggers a flow', async () => {
    const { say, sessions } = setup();
    expect(await say('你们几点上班')).toEqual({ handled: false, messages: [] });
    expect(await say('转人工')).toEqual({ handled: false, messages: [] });
    expect(sessions.raw.size).toBe(0);
  });

  it('lets a confident knowledge answer win over a weaker trigger', async () => {
    const { say } = setup();
    expect((await say('退货', { classify: { entryId: 'kb-returns-how', confidence: 0.95 } })).handled).toBe(false);
  });

  it('hands a topic change back to the answer pipeline and ends the flow', async () => {
    const { say, sessions } = setup();
    await say('查订单');
    const result = await say('怎么开发票', { classify: { entryId: 'kb-invoice', confidence: 0.9 } });
    expect(result).toEqual({ handled: false, flowId: 'order-status', messages: [], ended: 'topic_change' });
    expect((await sessions.get('c-1'))?.state).toBeUndefined();
  });

  it('switches to the other flow when the new question starts it', async () => {
    const { say } = setup();
    await say('查订单');
    const result = await say('我要退货', { classify: { flowId: 'return-refund', confidence: 0.9 } });
    expect(result).toMatchObject({ handled: true, flowId: 'return-refund', messages: [expect.stringContaining('办理退货退款')] });
  });

  it('forgets a flow left idle and starts afresh', async () => {
    const { say, advance } = setup();
    await say('查订单');
    advance(31);
    expect(await say('今天天气怎么样')).toEqual({ handled: false, messages: [] });
  });

  it('hands off with an apology when the order system times out', async () => {
    const { say } = setup({ baseUrl: slowUrl, timeoutMs: 200 });
    const t0 = Date.now();
    const result = await say('where is order KF20240002', { language: 'en' });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(result).toMatchObject({ handled: true, handoff: { reason: 'connector_error' }, messages: [expect.stringMatching(/^Sorry, our system cannot handle this right now/)] });
    expect(logs).toContainEqual(expect.objectContaining({ connector: 'shop', method: 'GET', path: '/orders/KF20240002', failure: 'timeout' }));
  });

  it('reads a rejected credential as the error branch', async () => {
    const sessions = memorySessions();
    const turn = makeFlowTurn({ flows: staticFlowCatalog(demoFlows()), sessions, connector: new HttpConnector({ shop: { baseUrl: service.url } }), clock: { now: () => new Date() } });
    const result = await turn({ conversationId: 'c-x', messageId: 'm-1', text: 'where is order KF20240002' });
    expect(result.handoff).toEqual({ reason: 'connector_error' });
  });

  it('never logs the credentials', async () => {
    const { say } = setup();
    await say('where is order KF20240002');
    expect(logs).toEqual([expect.objectContaining({ connector: 'shop', method: 'GET', path: '/orders/KF20240002', status: 200 })]);
    expect(JSON.stringify(logs)).not.toContain(TOKEN);
  });
});

describe('the HTTP connector', () => {
  const connector = new HttpConnector({ shop: { baseUrl: `http://127.0.0.1:9/api/` } });

  it('rejects a connector name that is not configured', async () => {
    await expect(connector.call('erp', { method: 'GET', path: '/x' }, { timeoutMs: 100 })).rejects.toMatchObject({ kind: 'unknown_connector' });
  });

  it.each(['/orders/../admin', '/orders/%2e%2e/admin', '//evil.example/x', 'orders/1'])('refuses the path %s', async (path) => {
    await expect(connector.call('shop', { method: 'GET', path }, { timeoutMs: 100 })).rejects.toBeInstanceOf(ConnectorError);
  });

  it('keeps a base path and sends JSON with the idempotency key', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fake = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true }), { status: 201, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const c = new HttpConnector({ shop: { baseUrl: 'https://shop.example/api/v1/', headers: { 'x-api-key': 'k' } } }, { fetch: fake });
    const response = await c.call('shop', { method: 'POST', path: '/returns', body: { a: 1 } }, { timeoutMs: 1000, idempotencyKey: 'key-1' });
    expect(response).toEqual({ status: 201, body: { ok: true } });
    expect(seen[0]!.url).toBe('https://shop.example/api/v1/returns');
    expect(seen[0]!.init).toMatchObject({ method: 'POST', body: '{"a":1}', redirect: 'manual', headers: { 'content-type': 'application/json', 'idempotency-key': 'key-1', 'x-api-key': 'k' } });
  });

  it('rejects a configuration with a bad base URL, naming the field', () => {
    expect(() => parseConnectorConfig('{"shop":{"baseUrl":"ftp://x"}}')).toThrow(/shop\.baseUrl/);
  });
});
