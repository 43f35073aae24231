import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb/conversation.store.dynamodb.ts';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';
import { DomainError } from '../../shared/domain/errors.ts';

let ddb: DynamoDbLocal;
let store: DynamoDbConversationStore;

function conversation(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return { id, channel: 'webchat', customerId: 'cus_1', status: 'bot', seq: 0, failedAnswers: 0, handoffs: 0, createdAt: '2026-11-22T00:00:00.000Z', updatedAt: '2026-11-22T00:00:00.000Z', ...overrides };
}
const draft = (id: string, text = 'hello') => ({ id, role: 'customer' as const, text, createdAt: new Date().toISOString() });

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  const tables = await createTables(ddb.client, 'it');
  store = new DynamoDbConversationStore(DynamoDBDocumentClient.from(ddb.client), { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
});
afterAll(async () => ddb?.stop());

describe('the DynamoDB conversation store (on DynamoDB Local)', () => {
  it('appends messages with consecutive sequence numbers and lists them from a cursor', async () => {
    await store.create(conversation('c-seq'));
    await store.append('c-seq', draft('m1'));
    await store.append('c-seq', draft('m2'));
    await store.append('c-seq', draft('m3'));
    const after1 = await store.listMessages('c-seq', { afterSeq: 1, limit: 10 });
    expect(after1.map((m) => [m.id, m.seq])).toEqual([['m2', 2], ['m3', 3]]);
    expect((await store.get('c-seq'))?.seq).toBe(3);
  });

  it('stores a message once per idempotency key and returns the original on a retry', async () => {
    await store.create(conversation('c-idem'));
    const first = await store.append('c-idem', draft('m-first', 'once'), { idempotencyKey: 'k-c-idem-1' });
    const again = await store.append('c-idem', draft('m-second', 'once'), { idempotencyKey: 'k-c-idem-1' });
    expect(again).toMatchObject({ duplicate: true, message: { id: 'm-first', seq: 1 } });
    expect(first.duplicate).toBe(false);
    expect(await store.listMessages('c-idem', { limit: 10 })).toHaveLength(1);
  });

  it('gives 20 concurrent appends 20 distinct sequence numbers with no gap', async () => {
    await store.create(conversation('c-race'));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.append('c-race', draft(`m${i}`))));
    const messages = await store.listMessages('c-race', { limit: 100 });
    expect(messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('stores a retried message once even when the retries race', async () => {
    await store.create(conversation('c-race-idem'));
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append('c-race-idem', draft(`m${i}`), { idempotencyKey: 'k-race' })));
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(await store.listMessages('c-race-idem', { limit: 10 })).toHaveLength(1);
  });

  it('lets exactly one of two racing accepts take a queued conversation', async () => {
    await store.create(conversation('c-accept', { status: 'queued' }));
    const [a, b] = await Promise.all([
      store.changeStatus('c-accept', { from: ['queued'], to: 'agent', set: { assignedAgentId: 'agent-a' } }),
      store.changeStatus('c-accept', { from: ['queued'], to: 'agent', set: { assignedAgentId: 'agent-b' } }),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await store.get('c-accept'))?.assignedAgentId).toBe((a ?? b)?.assignedAgentId);
  });

  it('keeps the queue ordered by priority, then by waiting time, and drops a conversation that leaves it', async () => {
    await store.create(conversation('q-old'));
    await store.create(conversation('q-new'));
    await store.create(conversation('q-angry'));
    await store.changeStatus('q-old', { from: ['bot'], to: 'queued', set: { priority: 5, queuedAt: '2026-11-22T10:00:00.000Z' } });
    await store.changeStatus('q-new', { from: ['bot'], to: 'queued', set: { priority: 5, queuedAt: '2026-11-22T10:05:00.000Z' } });
    await store.changeStatus('q-angry', { from: ['bot'], to: 'queued', set: { priority: 9, queuedAt: '2026-11-22T10:10:00.000Z' } });
    expect((await store.listQueue(10)).map((c) => c.id).filter((id) => id.startsWith('q-'))).toEqual(['q-angry', 'q-old', 'q-new']);
    await store.changeStatus('q-old', { from: ['queued'], to: 'agent', set: { assignedAgentId: 'agent-a' } });
    expect((await store.listQueue(10)).map((c) => c.id).filter((id) => id.startsWith('q-'))).toEqual(['q-angry', 'q-new']);
  });

  it('rejects an append with a status move when the status is not the expected one, and writes nothing', async () => {
    await store.create(conversation('c-busy', { status: 'agent' }));
    await expect(store.append('c-busy', draft('m1'), { statusChange: { from: ['bot'], to: 'queued' } })).rejects.toBeInstanceOf(DomainError);
    expect(await store.listMessages('c-busy', { limit: 10 })).toHaveLength(0);
    expect((await store.get('c-busy'))?.seq).toBe(0);
  });

  it('fails with CONVERSATION.NOT_FOUND for an unknown conversation', async () => {
    await expect(store.append('nope', draft('m1'))).rejects.toMatchObject({ code: 'CONVERSATION.NOT_FOUND' });
  });
});

describe('the context an agent gets (on DynamoDB Local)', () => {
  it("lists the customer's earlier conversations and tickets, newest first, with a summary line", async () => {
    const { DynamoDbTicketStore } = await import('../../shared/adapters/dynamodb/tickets.dynamodb.ts');
    const { makeGetConversationContext } = await import('../../shared/application/escalation.use-cases.ts');
    const { makeCreateTicket } = await import('../../shared/application/ticket.use-cases.ts');
    const tables = await createTables(ddb.client, 'ctx');
    const client = DynamoDBDocumentClient.from(ddb.client);
    const conversations = new DynamoDbConversationStore(client, { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
    const tickets = new DynamoDbTicketStore(client, tables.tickets);
    await conversations.create(conversation('ctx-old', { customerId: 'cus_ctx', status: 'resolved', createdAt: '2026-10-01T08:00:00.000Z', handoffReason: 'customer-request', resolvedAt: '2026-10-01T08:20:00.000Z' }));
    await conversations.create(conversation('ctx-other', { customerId: 'cus_someone_else' }));
    await conversations.create(conversation('ctx-now', { customerId: 'cus_ctx', status: 'queued', createdAt: '2026-11-22T09:00:00.000Z', handoffReason: 'anger', neededSkill: 'refunds', lastMood: 'angry', language: 'zh-Hans' }));
    await conversations.append('ctx-now', draft('ctx-m1', '退款到现在还没到账'));
    await conversations.append('ctx-now', { id: 'ctx-m2', role: 'bot', text: '退款一般 3 个工作日到账', createdAt: new Date().toISOString() });
    await makeCreateTicket({ tickets, clock: { now: () => new Date('2026-10-01T08:21:00.000Z') }, ids: { next: () => 'ctx1' } })({ actor: 'agent-li', customerId: 'cus_ctx', subject: 'Refund not received', description: '…', conversationId: 'ctx-old' });

    const context = await makeGetConversationContext({ store: conversations, customers: { get: async () => undefined } as never, tickets })('ctx-now');
    expect(context.previousConversations).toEqual([{ id: 'ctx-old', channel: 'webchat', status: 'resolved', createdAt: '2026-10-01T08:00:00.000Z', resolvedAt: '2026-10-01T08:20:00.000Z', handoffReason: 'customer-request' }]);
    expect(context.customerTickets).toEqual([expect.objectContaining({ id: 'tkt_ctx1', subject: 'Refund not received', status: 'new' })]);
    expect(context.summary).toMatchObject({ topic: '退款到现在还没到账', intent: 'refunds', customerMessages: 1, botReplies: 1, handoffReason: 'anger', mood: 'angry', previousConversations: 1 });
    expect(context.summary.text).toBe('webchat 渠道，客户发了 1 条消息，机器人答复 1 次；问题：退款到现在还没到账；意图：refunds；转人工原因：anger；情绪：angry；此前会话 1 次。');
  });
});
