/**
 * Channel intake (the use case behind the WeChat webhook) on in-memory fakes: one customer per openid, one open
 * conversation per customer and channel even when the byCustomer index lags, messages once per dedupe id; and the
 * webhook front door that hands the raw body to the handler and refuses oversized bodies.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Conversation, Message, MessageDraft } from '../../shared/domain/conversation/conversation.ts';
import type { ConversationStore } from '../../shared/ports/conversation.store.ts';
import type { Customer, CustomerDirectory } from '../../shared/ports/directory.ts';
import type { InboundMessage } from '../../shared/ports/channel.ts';
import { customerIdForIdentity, makeAwaitReply, makeChannelIntake, transcriptText } from '../../shared/application/channel-intake.use-cases.ts';
import { webhookFunction } from '../../shared/observability/webhook-kit.ts';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_TRACE_ENABLED = 'false';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

/** Just enough of the conversation store for intake; `lagging` hides conversations from the index like a stale GSI. */
function fakeStore(options: { lagging?: boolean } = {}) {
  const conversations = new Map<string, Conversation>();
  const messages = new Map<string, Message[]>();
  const keys = new Map<string, Message>();
  const store = {
    async create(c: Conversation) {
      if (conversations.has(c.id)) throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
      conversations.set(c.id, c);
    },
    async get(id: string) {
      return conversations.get(id);
    },
    async listByCustomer(customerId: string) {
      if (options.lagging) return [];
      return [...conversations.values()].filter((c) => c.customerId === customerId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    async append(conversationId: string, draft: MessageDraft, opts: { idempotencyKey?: string } = {}) {
      if (opts.idempotencyKey && keys.has(opts.idempotencyKey)) return { message: keys.get(opts.idempotencyKey)!, duplicate: true };
      const c = conversations.get(conversationId)!;
      const message: Message = { ...draft, conversationId, seq: c.seq + 1 };
      conversations.set(conversationId, { ...c, seq: message.seq });
      messages.set(conversationId, [...(messages.get(conversationId) ?? []), message]);
      if (opts.idempotencyKey) keys.set(opts.idempotencyKey, message);
      return { message, duplicate: false };
    },
    async listMessages(conversationId: string, o: { afterSeq?: number; limit: number }) {
      return (messages.get(conversationId) ?? []).filter((m) => m.seq > (o.afterSeq ?? 0)).slice(0, o.limit);
    },
  };
  return { store: store as unknown as ConversationStore, conversations, messages };
}

function fakeCustomers() {
  const customers = new Map<string, Customer>();
  const directory = { get: async (id: string) => customers.get(id), put: async (c: Customer) => void customers.set(c.id, c), replace: async () => true };
  return { directory: directory as CustomerDirectory, customers };
}

let n = 0;
const deps = (store: ConversationStore, customers: CustomerDirectory) => ({ store, customers, clock: { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, n)) }, ids: { next: () => `id${++n}` } });

const text = (sender: string, msgId: string, body = '我的包裹到哪了'): InboundMessage => ({ channel: 'wechat', kind: 'text', sender, recipient: 'gh_x', dedupeId: `msg:${msgId}`, sentAt: new Date(), text: body });

describe('channel intake', () => {
  it('maps one openid to one customer with its wechat identity', async () => {
    const { store } = fakeStore();
    const { directory, customers } = fakeCustomers();
    const intake = makeChannelIntake(deps(store, directory));
    await intake(text('oA', '1'));
    await intake(text('oA', '2'));
    expect([...customers.values()]).toEqual([expect.objectContaining({ id: customerIdForIdentity('wechat', 'oA'), identities: [{ channel: 'wechat', value: 'oA' }] })]);
  });

  it('stores a retried MsgId once, even when the byCustomer index does not show the conversation yet', async () => {
    const { store, conversations, messages } = fakeStore({ lagging: true });
    const { directory } = fakeCustomers();
    const intake = makeChannelIntake(deps(store, directory));
    const [first, retry] = [await intake(text('oB', '9')), await intake(text('oB', '9'))];
    expect(first).toMatchObject({ kind: 'message', duplicate: false });
    expect(retry).toMatchObject({ kind: 'message', duplicate: true, conversationId: first.kind === 'message' ? first.conversationId : '' });
    expect(conversations.size).toBe(1);
    expect([...messages.values()].flat()).toHaveLength(1);
  });

  it('opens a new conversation once the previous one is resolved', async () => {
    const { store, conversations } = fakeStore();
    const { directory } = fakeCustomers();
    const intake = makeChannelIntake(deps(store, directory));
    const first = await intake(text('oC', '1'));
    const id = first.kind === 'message' ? first.conversationId : '';
    conversations.set(id, { ...conversations.get(id)!, status: 'resolved' });
    const second = await intake(text('oC', '2'));
    expect(second.kind === 'message' && second.conversationId).not.toBe(id);
    expect(conversations.size).toBe(2);
  });

  it('stores no message for an event', async () => {
    const { store, conversations } = fakeStore();
    const { directory, customers } = fakeCustomers();
    const result = await makeChannelIntake(deps(store, directory))({ channel: 'wechat', kind: 'event', event: 'subscribe', eventName: 'subscribe', sender: 'oD', dedupeId: 'evt:oD:1', sentAt: new Date() });
    expect(result.kind).toBe('event');
    expect(customers.size).toBe(1);
    expect(conversations.size).toBe(0);
  });

  it('writes non-text messages as readable transcript lines', () => {
    expect(transcriptText({ ...text('o', '1'), kind: 'image', text: undefined, url: 'http://mmbiz/x.jpg' })).toBe('[图片 image] http://mmbiz/x.jpg');
    expect(transcriptText({ ...text('o', '1'), kind: 'location', text: undefined, location: { latitude: 23.1, longitude: 113.3, label: '广州' } })).toBe('[位置 location] 广州 (23.1, 113.3)');
  });

  it('returns the replies written after the message, or nothing once the deadline passes', async () => {
    const { store } = fakeStore();
    const { directory } = fakeCustomers();
    const accepted = await makeChannelIntake(deps(store, directory))(text('oE', '1'));
    if (accepted.kind !== 'message') throw new Error('expected a message');
    let clock = 0;
    const awaitReply = makeAwaitReply({ store, now: () => clock, sleep: async (ms) => void (clock += ms) });
    expect(await awaitReply({ conversationId: accepted.conversationId, afterSeq: accepted.seq, deadline: 300 })).toEqual([]);
    await store.append(accepted.conversationId, { id: 'm-bot', role: 'bot', text: '请在订单页查看物流', createdAt: '' });
    expect((await awaitReply({ conversationId: accepted.conversationId, afterSeq: accepted.seq, deadline: clock + 300 })).map((m) => m.text)).toEqual(['请在订单页查看物流']);
  });
});

describe('the webhook front door', () => {
  const context = { awsRequestId: 'req-1', functionName: 'kefu-test', memoryLimitInMB: '512', getRemainingTimeInMillis: () => 5000 } as unknown as Context;
  const event = (body: string, isBase64Encoded = false): APIGatewayProxyEventV2 =>
    ({
      version: '2.0',
      routeKey: 'POST /v1/channels/wechat/webhook',
      rawPath: '/v1/channels/wechat/webhook',
      rawQueryString: 'a=1',
      queryStringParameters: { a: '1' },
      headers: { 'content-type': 'text/xml', 'X-Custom': 'v' },
      body,
      isBase64Encoded,
      requestContext: { http: { method: 'POST' } },
    }) as unknown as APIGatewayProxyEventV2;
  const echo = webhookFunction('wechat', {
    wechatVerify: async () => ({ status: 200 }),
    wechatReceive: async (request) => ({ status: 200, raw: { contentType: 'text/plain', body: `${request.query.a}|${request.headers['x-custom']}|${request.body}` } }),
  });

  it('hands the exact raw body (not JSON) to the handler, decoding base64', async () => {
    expect(await echo(event('<xml>包</xml>'), context)).toMatchObject({ statusCode: 200, body: '1|v|<xml>包</xml>' });
    expect(await echo(event(Buffer.from('<xml>包</xml>').toString('base64'), true), context)).toMatchObject({ statusCode: 200, body: '1|v|<xml>包</xml>' });
  });

  it('refuses a body over 64 KB with 413 before the handler runs', async () => {
    const result = await echo(event('x'.repeat(64 * 1024 + 1)), context);
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body!).error.code).toBe('REQUEST.TOO_LARGE');
  });
});
