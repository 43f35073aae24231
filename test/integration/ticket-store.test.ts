import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbFlowSessions } from '../../shared/adapters/dynamodb/flows.dynamodb.ts';
import { DynamoDbTicketStore } from '../../shared/adapters/dynamodb/tickets.dynamodb.ts';
import {
  makeAddComment,
  makeCreateTicket,
  makeCreateTicketFromConversation,
  makeCustomerReply,
  makeGetTicket,
  makeLinkTickets,
  makeMergeTickets,
  makeSearchTickets,
  makeUpdateTicket,
  type TicketDeps,
  type TicketSlaHook,
} from '../../shared/application/ticket.use-cases.ts';
import type { Ticket, TicketComment } from '../../shared/domain/tickets/ticket.ts';

let ddb: DynamoDbLocal;
let doc: DynamoDBDocumentClient;
let tables: Awaited<ReturnType<typeof createTables>>;
let store: DynamoDbTicketStore;
let now = Date.parse('2026-11-22T10:00:00.000Z');
let seq = 0;
const clock = { now: () => new Date(now) };
const ids = { next: () => `${String(++seq).padStart(6, '0')}` };
const sent: { ticket: Ticket; comment: TicketComment }[] = [];

function deps(overrides: Partial<TicketDeps> = {}): TicketDeps {
  return { tickets: store, clock, ids, notifyCustomer: async (ticket, comment) => void sent.push({ ticket, comment }), ...overrides };
}
const tick = (ms = 1000) => (now += ms);

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  tables = await createTables(ddb.client, 'tk');
  doc = DynamoDBDocumentClient.from(ddb.client);
  store = new DynamoDbTicketStore(doc, tables.tickets);
});
afterAll(async () => ddb?.stop());

const base = { actor: 'agent-li', subject: 'Parcel late', description: 'My parcel KF20240003 is late' };

describe('tickets on DynamoDB Local', () => {
  it('creates a ticket once per idempotency key, even when the creates race', async () => {
    const create = makeCreateTicket(deps());
    const first = await create({ ...base, customerId: 'cus_idem', idempotencyKey: 'key-1', tags: ['VIP', 'vip'] });
    const again = await create({ ...base, customerId: 'cus_idem', idempotencyKey: 'key-1' });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    expect(first.ticket).toMatchObject({ status: 'new', version: 1, tags: ['vip'], type: 'inquiry', priority: 'normal' });
    const raced = await Promise.all(Array.from({ length: 6 }, () => create({ ...base, customerId: 'cus_idem', idempotencyKey: 'key-race' })));
    expect(new Set(raced.map((r) => r.ticket.id)).size).toBe(1);
    expect(raced.filter((r) => r.created)).toHaveLength(1);
    const page = await makeSearchTickets(deps())({ customerId: 'cus_idem' });
    expect(page.items).toHaveLength(2);
    const loaded = await makeGetTicket(deps())({ ticketId: first.ticket.id });
    expect(loaded.history.map((h) => h.action)).toEqual(['created']);
  });

  it('keeps createOnce and listByConversation working for the escalation and flow callers', async () => {
    const legacy = { id: 'tkt_legacy', conversationId: 'conv_legacy', customerId: 'cus_1', type: 'inquiry', status: 'new', priority: 'high', subject: 's', description: 'd', createdAt: '2026-11-22T09:00:00.000Z', dueAt: '2026-11-23T09:00:00.000Z' } as const;
    const stored = await store.createOnce(legacy);
    expect(stored).toMatchObject({ ...legacy, version: 1, tags: [], links: [] });
    expect((await store.createOnce({ ...legacy, subject: 'other' })).subject).toBe('s');
    expect((await store.listByConversation('conv_legacy')).map((t) => t.id)).toEqual(['tkt_legacy']);
  });

  it('refuses an update with a stale version and changes nothing; two racing updates: one wins', async () => {
    const { ticket } = await makeCreateTicket(deps())({ ...base, customerId: 'cus_conflict' });
    const update = makeUpdateTicket(deps());
    tick();
    const first = await update({ ticketId: ticket.id, version: 1, actor: 'agent-li', status: 'open', priority: 'high', tags: ['late'] });
    expect(first.ticket).toMatchObject({ version: 2, status: 'open', priority: 'high', tags: ['late'] });
    await expect(update({ ticketId: ticket.id, version: 1, actor: 'agent-wang', priority: 'low' })).rejects.toMatchObject({ code: 'TICKET.CONFLICT' });
    const after = await makeGetTicket(deps())({ ticketId: ticket.id });
    expect(after.ticket).toEqual(first.ticket);
    expect(after.history.map((h) => h.action)).toEqual(['created', 'updated']);
    expect(after.history[1]).toMatchObject({ actor: 'agent-li', changes: { status: { from: 'new', to: 'open' }, priority: { from: 'normal', to: 'high' }, tags: { from: [], to: ['late'] } } });
    // Both read version 2 and write at once: the conditional write lets exactly one through.
    const results = await Promise.allSettled([
      update({ ticketId: ticket.id, version: 2, actor: 'agent-li', assigneeId: 'agent-li' }),
      update({ ticketId: ticket.id, version: 2, actor: 'agent-wang', assigneeId: 'agent-wang' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'TICKET.CONFLICT' } });
    expect((await store.get(ticket.id))?.version).toBe(3);
    await expect(update({ ticketId: ticket.id, version: 3, actor: 'agent-li', status: 'closed' })).rejects.toMatchObject({ code: 'TICKET.INVALID_TRANSITION' });
    await expect(update({ ticketId: 'tkt_nope', version: 1, actor: 'agent-li', status: 'open' })).rejects.toMatchObject({ code: 'TICKET.NOT_FOUND' });
    await expect(update({ ticketId: ticket.id, version: 3, actor: 'agent-li' })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
  });

  it('keeps comments in order; a public reply opens a new ticket and reaches the customer, a note does not', async () => {
    const { ticket } = await makeCreateTicket(deps())({ ...base, customerId: 'cus_comments' });
    const add = makeAddComment(deps());
    sent.length = 0;
    const note = await add({ ticketId: ticket.id, actor: 'agent-li', visibility: 'internal', text: 'checking with the courier' });
    expect(note).toMatchObject({ notified: false, ticket: { status: 'new', version: 2 } });
    tick();
    const reply = await add({ ticketId: ticket.id, actor: 'agent-li', visibility: 'public', text: '我们正在查询' });
    expect(reply).toMatchObject({ notified: true, ticket: { status: 'open', version: 3 } });
    // Same millisecond: ids keep the order.
    await add({ ticketId: ticket.id, actor: 'agent-wang', visibility: 'internal', text: 'third' });
    await add({ ticketId: ticket.id, actor: 'agent-wang', visibility: 'internal', text: 'fourth' });
    expect(sent.map((s) => s.comment.text)).toEqual(['我们正在查询']);
    const loaded = await makeGetTicket(deps())({ ticketId: ticket.id });
    expect(loaded.comments.map((c) => c.text)).toEqual(['checking with the courier', '我们正在查询', 'third', 'fourth']);
    expect(loaded.comments.map((c) => c.visibility)).toEqual(['internal', 'public', 'internal', 'internal']);
    expect(loaded.history.map((h) => h.changes?.status)).toEqual([undefined, { from: 'new', to: 'open' }]);
    const customerView = await makeGetTicket(deps())({ ticketId: ticket.id, publicOnly: true });
    expect(customerView.comments.map((c) => c.text)).toEqual(['我们正在查询']);
    // Concurrent comments retry on the version and are all kept.
    await Promise.all(Array.from({ length: 4 }, (_, i) => add({ ticketId: ticket.id, actor: 'agent-li', visibility: 'internal', text: `c${i}` })));
    expect((await store.load(ticket.id))?.comments).toHaveLength(8);
  });

  it('reopens a solved ticket when the customer writes, once per message', async () => {
    const { ticket } = await makeCreateTicket(deps())({ ...base, customerId: 'cus_reopen' });
    const update = makeUpdateTicket(deps());
    await update({ ticketId: ticket.id, version: 1, actor: 'agent-li', status: 'solved' });
    expect((await store.get(ticket.id))?.solvedAt).toBeDefined();
    const reply = makeCustomerReply(deps());
    tick();
    const first = await reply({ ticketId: ticket.id, text: 'still not here', messageId: 'msg-1' });
    expect(first).toMatchObject({ outcome: 'reopened', duplicate: false, ticket: { status: 'open', version: 3 } });
    const again = await reply({ ticketId: ticket.id, text: 'still not here', messageId: 'msg-1' });
    expect(again).toMatchObject({ duplicate: true });
    const loaded = await store.load(ticket.id);
    expect(loaded?.ticket.solvedAt).toBeUndefined();
    expect(loaded?.comments).toEqual([expect.objectContaining({ author: 'customer', authorKind: 'customer', visibility: 'public', text: 'still not here', sourceMessageId: 'msg-1' })]);
    expect(loaded?.history.map((h) => h.action)).toEqual(['created', 'updated', 'reopened']);
  });

  it('opens a follow-up ticket linked to a closed one when the customer writes on it', async () => {
    const { ticket } = await makeCreateTicket(deps())({ ...base, customerId: 'cus_follow', conversationId: 'conv_follow', channel: 'webchat', assigneeId: 'agent-li', tags: ['late'] });
    const update = makeUpdateTicket(deps());
    await update({ ticketId: ticket.id, version: 1, actor: 'agent-li', status: 'solved' });
    await update({ ticketId: ticket.id, version: 2, actor: 'system', status: 'closed' });
    await expect(makeAddComment(deps())({ ticketId: ticket.id, actor: 'agent-li', visibility: 'public', text: 'x' })).rejects.toMatchObject({ code: 'TICKET.CLOSED' });
    const reply = makeCustomerReply(deps());
    tick(); // the follow-up is created later (the byConversation index orders by creation time; equal times have no order)
    const follow = await reply({ ticketId: ticket.id, text: 'the replacement is broken too', messageId: 'msg-9' });
    expect(follow).toMatchObject({ outcome: 'follow-up', followUpOf: ticket.id, duplicate: false });
    expect(follow.ticket).toMatchObject({
      status: 'new',
      customerId: 'cus_follow',
      conversationId: 'conv_follow',
      assigneeId: 'agent-li',
      tags: ['late'],
      subject: 'Re: Parcel late',
      description: 'the replacement is broken too',
      links: [expect.objectContaining({ kind: 'ticket', ticketId: ticket.id, relation: 'follow-up' })],
    });
    expect(follow.ticket.id).not.toBe(ticket.id);
    const again = await reply({ ticketId: ticket.id, text: 'the replacement is broken too', messageId: 'msg-9' });
    expect(again).toMatchObject({ outcome: 'follow-up', duplicate: true, ticket: { id: follow.ticket.id } });
    const closed = await store.get(ticket.id);
    expect(closed).toMatchObject({ status: 'closed', version: 3 });
    expect((await store.listByConversation('conv_follow')).map((t) => t.id)).toEqual([ticket.id, follow.ticket.id]);
  });

  it('merges in one transaction: source closed with merged-into, target with merged-from and a summary note', async () => {
    const create = makeCreateTicket(deps());
    const { ticket: source } = await create({ ...base, customerId: 'cus_merge', subject: 'Duplicate report' });
    const { ticket: target } = await create({ ...base, customerId: 'cus_merge', subject: 'Original report' });
    await makeCustomerReply(deps())({ ticketId: source.id, text: 'any news?' });
    await makeAddComment(deps())({ ticketId: source.id, actor: 'agent-li', visibility: 'internal', text: 'secret note' });
    const merge = makeMergeTickets(deps());
    await expect(merge({ sourceId: source.id, targetId: source.id, actor: 'agent-li' })).rejects.toMatchObject({ code: 'TICKET.MERGE_REFUSED' });
    // A stale pinned version: refused, and nothing is written on either side.
    await expect(merge({ sourceId: source.id, targetId: target.id, actor: 'agent-li', sourceVersion: 1 })).rejects.toMatchObject({ code: 'TICKET.CONFLICT' });
    expect((await store.get(target.id))?.version).toBe(1);
    tick();
    const merged = await merge({ sourceId: source.id, targetId: target.id, actor: 'agent-li' });
    expect(merged.alreadyMerged).toBe(false);
    const [s, t] = [await store.load(source.id), await store.load(target.id)];
    expect(s?.ticket).toMatchObject({ status: 'closed', version: 4, links: [expect.objectContaining({ ticketId: target.id, relation: 'merged-into' })] });
    expect(t?.ticket).toMatchObject({ status: 'new', version: 2, links: [expect.objectContaining({ ticketId: source.id, relation: 'merged-from' })] });
    expect(s?.comments.at(-1)).toMatchObject({ visibility: 'internal', text: expect.stringContaining(`Merged into ticket ${target.id}`) });
    expect(t?.comments).toHaveLength(1);
    expect(t?.comments[0]).toMatchObject({ visibility: 'internal', author: 'agent-li' });
    expect(t?.comments[0]?.text).toContain('any news?');
    expect(t?.comments[0]?.text).not.toContain('secret note');
    expect(s?.history.at(-1)).toMatchObject({ action: 'merged-into', detail: { ticketId: target.id } });
    expect(t?.history.at(-1)).toMatchObject({ action: 'merged-from', detail: { ticketId: source.id } });
    // Idempotent: a retried merge writes nothing more.
    expect(await merge({ sourceId: source.id, targetId: target.id, actor: 'agent-li' })).toMatchObject({ alreadyMerged: true });
    expect((await store.get(target.id))?.version).toBe(2);
    // No chains, nothing into a closed ticket.
    const { ticket: third } = await create({ ...base, customerId: 'cus_merge' });
    await expect(merge({ sourceId: target.id, targetId: third.id, actor: 'agent-li' })).rejects.toMatchObject({ code: 'TICKET.MERGE_REFUSED' });
    await expect(merge({ sourceId: third.id, targetId: source.id, actor: 'agent-li' })).rejects.toMatchObject({ code: 'TICKET.MERGE_REFUSED' });
    // The customer writing on the merged ticket reaches the target.
    const redirected = await makeCustomerReply(deps())({ ticketId: source.id, text: 'hello again' });
    expect(redirected.ticket.id).toBe(target.id);
  });

  it('links tickets both ways and to conversations, idempotently', async () => {
    const create = makeCreateTicket(deps());
    const { ticket: a } = await create({ ...base, customerId: 'cus_link' });
    const { ticket: b } = await create({ ...base, customerId: 'cus_link' });
    const link = makeLinkTickets(deps());
    expect(await link({ ticketId: a.id, otherTicketId: b.id, actor: 'agent-li' })).toMatchObject({ changed: true });
    expect(await link({ ticketId: b.id, otherTicketId: a.id, actor: 'agent-li' })).toMatchObject({ changed: false });
    expect(await link({ ticketId: a.id, conversationId: 'conv_x', actor: 'agent-li' })).toMatchObject({ changed: true });
    expect((await store.get(a.id))?.links.map((l) => (l.kind === 'ticket' ? `${l.relation}:${l.ticketId}` : `conversation:${l.conversationId}`))).toEqual([`related:${b.id}`, 'conversation:conv_x']);
    expect((await store.get(b.id))?.links).toEqual([expect.objectContaining({ ticketId: a.id, relation: 'related' })]);
    await expect(link({ ticketId: a.id, otherTicketId: a.id, actor: 'agent-li' })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
  });

  it('fills a ticket from a conversation: customer, channel, transcript, the order number a flow collected', async () => {
    const conversations = new DynamoDbConversationStore(doc, { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
    const flowSessions = new DynamoDbFlowSessions(doc, tables.conversations);
    const at = new Date(now).toISOString();
    await conversations.create({ id: 'conv_t1', channel: 'webchat', customerId: 'cus_conv', status: 'agent', seq: 0, failedAnswers: 0, handoffs: 1, priority: 8, createdAt: at, updatedAt: at });
    await conversations.append('conv_t1', { id: 'm1', role: 'customer', text: '我要退货', createdAt: at });
    await conversations.append('conv_t1', { id: 'm2', role: 'bot', text: '请提供订单号', createdAt: at });
    await conversations.append('conv_t1', { id: 'm3', role: 'customer', text: '尺码不合适', createdAt: at });
    await flowSessions.put('conv_t1', {
      flowId: 'return-refund',
      flowVersion: 1,
      state: { flowId: 'return-refund', version: 1, stepId: 'ask_item', language: 'zh-Hans', slots: { orderNumber: 'KF20240008' }, vars: {}, attempts: {}, awaiting: 'input' },
      lastMessageId: 'm3',
      lastTurn: { handled: true, messages: [] },
      startedAt: at,
      updatedAt: at,
      expiresAt: new Date(now + 3_600_000).toISOString(),
    });
    const fromConversation = makeCreateTicketFromConversation({ ...deps(), conversations, flowSessions });
    const { ticket, created } = await fromConversation({ conversationId: 'conv_t1', actor: 'agent-li', idempotencyKey: 'conv_t1#1', type: 'after-sales' });
    expect(created).toBe(true);
    expect(ticket).toMatchObject({
      customerId: 'cus_conv',
      channel: 'webchat',
      conversationId: 'conv_t1',
      type: 'after-sales',
      priority: 'urgent',
      subject: '尺码不合适',
      orderNumber: 'KF20240008',
      links: [expect.objectContaining({ kind: 'conversation', conversationId: 'conv_t1' })],
    });
    expect(ticket.description).toContain('[' + at + ' customer] 我要退货');
    expect(ticket.description).toContain('bot] 请提供订单号');
    expect((await fromConversation({ conversationId: 'conv_t1', actor: 'agent-li', idempotencyKey: 'conv_t1#1' })).ticket.id).toBe(ticket.id);
    await expect(fromConversation({ conversationId: 'conv_nope', actor: 'agent-li' })).rejects.toMatchObject({ code: 'CONVERSATION.NOT_FOUND' });
  });
});

describe('ticket search on DynamoDB Local', () => {
  let search: ReturnType<typeof makeSearchTickets>;
  let created: Ticket[];

  beforeAll(async () => {
    const searchTables = await createTables(ddb.client, 'tk-search');
    store = new DynamoDbTicketStore(doc, searchTables.tickets);
    search = makeSearchTickets(deps());
    // An SLA hook whose state carries the due time: the ticket's dueAt (and the index order) follow it.
    const sla: TicketSlaHook = {
      onEvent: async (ticket, event, at) => ({ policy: ticket.priority, event, dueAt: new Date(at.getTime() + (ticket.priority === 'urgent' ? 1 : 24) * 3_600_000).toISOString() }),
      dueAt: (state) => (state as { dueAt: string }).dueAt,
    };
    const create = makeCreateTicket(deps({ sla }));
    created = [];
    for (let i = 0; i < 5; i++) {
      tick(60_000);
      created.push(
        (await create({ ...base, customerId: i < 3 ? 'cus_a' : 'cus_b', conversationId: `conv_${i % 2}`, assigneeId: i % 2 ? 'agent-wang' : 'agent-li', priority: i === 4 ? 'urgent' : 'normal' })).ticket,
      );
    }
    // One solved: it leaves "due before" and sorts after the active ones.
    await makeUpdateTicket(deps({ sla }))({ ticketId: created[0]!.id, version: 1, actor: 'agent-li', status: 'solved' });
  });

  async function all(query: Parameters<typeof search>[0]): Promise<{ ids: string[]; pages: number }> {
    const out: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await search({ ...query, ...(cursor ? { cursor } : {}) });
      out.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { ids: out, pages };
  }

  it('stores the SLA state and its due time on the ticket and in dueKey', async () => {
    const urgent = await store.get(created[4]!.id);
    expect(urgent?.sla).toMatchObject({ policy: 'urgent', event: 'created' });
    expect(urgent?.dueAt).toBe(new Date(Date.parse(urgent!.createdAt) + 3_600_000).toISOString());
    const raw = await doc.send(new GetCommand({ TableName: (store as unknown as { table: string }).table, Key: { pk: created[4]!.id, sk: 'ticket' } }));
    expect(raw.Item?.dueKey).toBe(urgent?.dueAt);
  });

  it('lists a status most urgent first, page by page, and only what is due before a time', async () => {
    const { ids, pages } = await all({ status: 'new', limit: 2 });
    expect(ids).toEqual([created[4]!.id, created[1]!.id, created[2]!.id, created[3]!.id]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const dueSoon = await search({ status: 'new', dueBefore: new Date(Date.parse(created[4]!.createdAt) + 2 * 3_600_000).toISOString() });
    expect(dueSoon.items.map((t) => t.id)).toEqual([created[4]!.id]);
    expect((await all({ status: 'solved', limit: 1 })).ids).toEqual([created[0]!.id]);
  });

  it('lists an assignee\'s tickets, active first and solved last', async () => {
    expect((await all({ assigneeId: 'agent-li', limit: 1 })).ids).toEqual([created[4]!.id, created[2]!.id, created[0]!.id]);
    expect((await all({ assigneeId: 'agent-li', dueBefore: '2099-01-01T00:00:00.000Z', limit: 100 })).ids).toEqual([created[4]!.id, created[2]!.id]);
  });

  it('lists a customer\'s tickets newest first and a conversation\'s oldest first', async () => {
    expect((await all({ customerId: 'cus_a', limit: 2 })).ids).toEqual([created[2]!.id, created[1]!.id, created[0]!.id]);
    expect((await all({ conversationId: 'conv_1', limit: 1 })).ids).toEqual([created[1]!.id, created[3]!.id]);
  });

  it('refuses bad limits, bad cursors, a cursor of another search and two criteria at once', async () => {
    await expect(search({ status: 'new', limit: 0 })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
    await expect(search({ status: 'new', limit: 101 })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
    await expect(search({ status: 'new', cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
    const page = await search({ customerId: 'cus_a', limit: 1 });
    await expect(search({ status: 'new', cursor: page.nextCursor! })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
    await expect(search({ status: 'new', customerId: 'cus_a' })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
    await expect(search({ customerId: 'cus_a', dueBefore: '2099-01-01T00:00:00.000Z' })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
    await expect(search({ status: 'done' })).rejects.toMatchObject({ code: 'TICKET.INVALID' });
  });

  it('keeps comments and history out of the indexes', async () => {
    const res = await doc.send(new QueryCommand({ TableName: (store as unknown as { table: string }).table, IndexName: 'byCustomer', KeyConditionExpression: 'customerId = :c', ExpressionAttributeValues: { ':c': 'cus_a' } }));
    expect(res.Items?.every((i) => i.sk === 'ticket')).toBe(true);
  });
});
