/**
 * SLA clocks wired to tickets and timers, on DynamoDB Local with a fixed clock: the "a request at 23:00 on a
 * Sunday becomes a ticket whose first-response due time is Monday within business hours" through the real enqueue
 * and offline-message use cases; the ticket use cases moving the clocks (reply, pending, reopen, priority); and the
 * timer step reporting a warning, then a breach that escalates (priority up, handed to the leads), ignoring stale
 * versions and waking again when it came early.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbRoutingStore } from '../../shared/adapters/dynamodb/routing.dynamodb.ts';
import { DynamoDbTicketStore } from '../../shared/adapters/dynamodb/tickets.dynamodb.ts';
import { makeLeaveOfflineMessage } from '../../shared/application/escalation.use-cases.ts';
import { makeEnqueue, type RoutingDeps } from '../../shared/application/routing.use-cases.ts';
import { makeFireSlaTimer, makeScheduleSlaTimer, makeTicketSlaHook, MAX_TIMER_WAIT_MS, slaTimerFor, type SlaTimerInput } from '../../shared/application/sla.use-cases.ts';
import { makeAddComment, makeCreateTicket, makeCustomerReply, makeUpdateTicket, type TicketDeps } from '../../shared/application/ticket.use-cases.ts';
import type { SlaState } from '../../shared/domain/tickets/sla.ts';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';

let ddb: DynamoDbLocal;
let conversations: DynamoDbConversationStore;
let routing: DynamoDbRoutingStore;
let tickets: DynamoDbTicketStore;
let now = Date.parse('2026-11-22T15:00:00.000Z'); // Sunday 23:00 in Shanghai
let n = 0;
const clock = { now: () => new Date(now) };
const ids = { next: () => `${String(++n).padStart(6, '0')}` };
const published: Array<{ audience: string; event: Record<string, unknown> }> = [];
const live = { publish: async (audience: string, event: Record<string, unknown>) => void published.push({ audience, event }), channel: (audience: string) => ({ publish: async (event: Record<string, unknown>) => void published.push({ audience, event }) }) };

const SHOP_HOURS = {
  id: 'shop-hours',
  name: 'Shop hours',
  timeZone: 'Asia/Shanghai',
  weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '22:00' }]])),
  holidays: [],
};

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  const tables = await createTables(ddb.client, 'sla');
  const client = DynamoDBDocumentClient.from(ddb.client);
  conversations = new DynamoDbConversationStore(client, { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
  routing = new DynamoDbRoutingStore(client, { conversations: tables.conversations, agents: tables.agents });
  tickets = new DynamoDbTicketStore(client, tables.tickets);
  await routing.putCalendar('shop-hours', SHOP_HOURS);
  await routing.putGroup({ id: 'shop', name: 'Shop', calendarId: 'shop-hours', maxWaitSeconds: 300 });
  await routing.putGroup({ id: 'desk', name: 'Desk', slaPolicyId: 'fast' });
  await routing.putGroup({ id: 'leads', name: 'Team leads' });
  await routing.putSlaPolicy('fast', {
    id: 'fast',
    name: 'Fast desk',
    calendarId: 'always-open',
    warnBeforeMinutes: 10,
    targets: (['low', 'normal', 'high', 'urgent'] as const).map((priority) => ({ priority, firstResponseMinutes: priority === 'normal' ? 60 : 30, nextResponseMinutes: 60, resolutionMinutes: 240 })),
    onBreach: { raisePriority: true, reassignToGroupId: 'leads' },
  });
}, 120_000);
afterAll(async () => ddb?.stop());

const ticketDeps = (): TicketDeps => ({ tickets, clock, ids, sla: makeTicketSlaHook({ routing }) });
const stateOf = async (ticketId: string) => (await tickets.get(ticketId))!.sla as SlaState;
const clockOf = async (ticketId: string, metric: string) => (await stateOf(ticketId)).clocks.findLast((c) => c.metric === metric)!;

describe('a request at 23:00 on a Sunday', () => {
  it('becomes a ticket whose first response is due on Monday within business hours, and the customer is told when', async () => {
    const at = new Date(now).toISOString();
    const conversation: Conversation = { id: 'conv_sunday', channel: 'webchat', customerId: 'cus_sun', status: 'queued', seq: 0, failedAnswers: 0, handoffs: 1, createdAt: at, updatedAt: at, queuedAt: at, groupId: 'shop', language: 'zh-Hans' };
    await conversations.create(conversation);
    await conversations.append(conversation.id, { id: 'msg_1', role: 'customer', text: '我的快递一直没到，转人工', createdAt: at });
    const deps: RoutingDeps = { store: conversations, routing, live, clock, ids, workflows: { completeTask: async () => 'completed', startEscalation: async () => {}, runMessageWorkflow: async () => ({ status: 'SUCCEEDED' }) } } as never;
    const queued = await makeEnqueue(deps)({ conversationId: conversation.id, reason: 'customer-request', priority: 5 });
    expect(queued).toMatchObject({ route: 'offline', opensAt: '2026-11-23T01:00:00.000Z' }); // Monday 09:00 +08:00

    const left = await makeLeaveOfflineMessage({ store: conversations, live, tickets, clock, ids, sla: { routing } })({ conversationId: conversation.id, reason: 'customer-request' });
    const ticket = (await tickets.get(left.ticketId!))!;
    // Normal priority, 240 business minutes from Monday 09:00 Shanghai time: Monday 13:00 (05:00Z).
    expect(ticket).toMatchObject({ groupId: 'shop', priority: 'normal', status: 'new', conversationId: conversation.id, dueAt: '2026-11-23T05:00:00.000Z' });
    expect((ticket.sla as SlaState).clocks.find((c) => c.metric === 'firstResponse')).toMatchObject({ state: 'active', dueAt: '2026-11-23T05:00:00.000Z' });
    const told = (await conversations.listMessages(conversation.id, { limit: 10 })).at(-1)!;
    expect(told.text).toBe(`现在是非工作时间，我们已为您创建工单 ${ticket.id}，将在 11月23日（周一）13:00 GMT+8 前答复您。`);
    // The timer for that ticket wakes at the warning, 15 business minutes before due.
    expect(slaTimerFor(ticket, clock.now())).toEqual({ name: `sla-${ticket.id}-v1`, input: { ticketId: ticket.id, version: 1, wakeAt: '2026-11-23T04:45:00.000Z' } });
  });
});

describe('the ticket use cases move the clocks', () => {
  it('completes the first response on a public reply, pauses while pending, starts a next response on the customer reply', async () => {
    const { ticket } = await makeCreateTicket(ticketDeps())({ actor: 'agent-li', customerId: 'cus_1', subject: 'Refund', description: 'Where is my refund?', groupId: 'desk' });
    expect(ticket.dueAt).toBe(new Date(now + 60 * 60_000).toISOString());
    now += 20 * 60_000;
    await makeAddComment(ticketDeps())({ ticketId: ticket.id, actor: 'agent-li', visibility: 'public', text: 'We are checking.' });
    expect(await clockOf(ticket.id, 'firstResponse')).toMatchObject({ state: 'hit', consumedMinutes: 20 });
    const open = (await tickets.get(ticket.id))!;
    expect(open.dueAt).toBe(new Date(Date.parse(ticket.createdAt) + 240 * 60_000).toISOString()); // the resolution clock is next

    const pending = await makeUpdateTicket(ticketDeps())({ ticketId: ticket.id, version: open.version, actor: 'agent-li', status: 'pending' });
    expect(pending.ticket.dueAt).toBeUndefined();
    expect(await clockOf(ticket.id, 'resolution')).toMatchObject({ state: 'paused', consumedMinutes: 20 });
    expect(slaTimerFor(pending.ticket, clock.now())).toBeUndefined();

    now += 3 * 3600_000; // the customer takes three hours to answer: none of it counts
    await makeCustomerReply(ticketDeps())({ ticketId: ticket.id, text: 'Here is my order number KF20240003' });
    expect(await clockOf(ticket.id, 'resolution')).toMatchObject({ state: 'active', consumedMinutes: 20, dueAt: new Date(now + 220 * 60_000).toISOString() });
    expect(await clockOf(ticket.id, 'nextResponse')).toMatchObject({ state: 'active', dueAt: new Date(now + 60 * 60_000).toISOString() });
    expect((await tickets.get(ticket.id))!.dueAt).toBe(new Date(now + 60 * 60_000).toISOString());
  });

  it('reopens a solved ticket with its resolution minutes kept and re-targets the clocks on a new priority', async () => {
    const { ticket } = await makeCreateTicket(ticketDeps())({ actor: 'agent-li', customerId: 'cus_2', subject: 'Broken', description: 'It broke', groupId: 'desk' });
    now += 30 * 60_000;
    const solved = await makeUpdateTicket(ticketDeps())({ ticketId: ticket.id, version: ticket.version, actor: 'agent-li', status: 'solved' });
    expect(await clockOf(ticket.id, 'resolution')).toMatchObject({ state: 'hit', consumedMinutes: 30 });
    expect(solved.ticket.dueAt).toBeUndefined();
    now += 60 * 60_000;
    const reopened = await makeCustomerReply(ticketDeps())({ ticketId: ticket.id, text: 'It broke again' });
    expect(reopened.outcome).toBe('reopened');
    expect(await clockOf(ticket.id, 'resolution')).toMatchObject({ state: 'active', consumedMinutes: 30, dueAt: new Date(now + 210 * 60_000).toISOString() });
    const current = (await tickets.get(ticket.id))!;
    await makeUpdateTicket(ticketDeps())({ ticketId: ticket.id, version: current.version, actor: 'agent-li', priority: 'urgent' });
    expect(await clockOf(ticket.id, 'nextResponse')).toMatchObject({ targetMinutes: 60, state: 'active' });
    expect(await clockOf(ticket.id, 'resolution')).toMatchObject({ targetMinutes: 240 });
  });
});

describe('the SLA timer step', () => {
  it('reports the warning, then the breach: priority up, handed to the leads unassigned, a note and a live event', async () => {
    const { ticket } = await makeCreateTicket(ticketDeps())({ actor: 'agent-li', customerId: 'cus_3', subject: 'Late parcel', description: 'Still nothing', groupId: 'desk', assigneeId: 'agent-li' });
    const fire = makeFireSlaTimer({ tickets, routing, clock, ids, live });
    const started: Array<{ name: string; input: SlaTimerInput }> = [];
    const schedule = makeScheduleSlaTimer({ timers: { startSlaTimer: async (name, input) => void started.push({ name, input }) }, clock });
    await schedule(ticket);
    expect(started).toEqual([{ name: `sla-${ticket.id}-v1`, input: { ticketId: ticket.id, version: 1, wakeAt: new Date(now + 50 * 60_000).toISOString() } }]);

    now += 30 * 60_000;
    expect(await fire({ ticketId: ticket.id, version: 1 })).toEqual({ outcome: 'early', wakeAt: new Date(now + 20 * 60_000).toISOString() });
    now += 20 * 60_000;
    expect(await fire({ ticketId: ticket.id, version: 1 })).toMatchObject({ outcome: 'fired', warnings: ['firstResponse'], breaches: [] });
    expect(published.at(-1)).toMatchObject({ audience: 'agents', event: { type: 'sla.warning', ticketId: ticket.id, metrics: ['firstResponse'] } });
    // The version moved on: the old timer is stale, the new state has its own timer (at the breach).
    expect(await fire({ ticketId: ticket.id, version: 1 })).toEqual({ outcome: 'stale' });
    const warned = (await tickets.get(ticket.id))!;
    await schedule(warned);
    expect(started.at(-1)).toEqual({ name: `sla-${ticket.id}-v2`, input: { ticketId: ticket.id, version: 2, wakeAt: new Date(now + 10 * 60_000).toISOString() } });

    now += 10 * 60_000;
    expect(await fire({ ticketId: ticket.id, version: 2 })).toMatchObject({ outcome: 'fired', warnings: [], breaches: ['firstResponse'], priority: 'high', groupId: 'leads' });
    const { ticket: escalated, comments, history } = (await tickets.load(ticket.id))!;
    expect(escalated).toMatchObject({ priority: 'high', groupId: 'leads' });
    expect(escalated.assigneeId).toBeUndefined();
    expect(history.map((h) => h.action)).toEqual(['created', 'sla-warning', 'sla-breach']);
    expect(history.at(-1)!.changes).toEqual({ priority: { from: 'normal', to: 'high' }, groupId: { from: 'desk', to: 'leads' }, assigneeId: { from: 'agent-li', to: null } });
    expect(comments.map((c) => [c.visibility, c.text])).toEqual([
      ['internal', `SLA warning: first response is due at ${new Date(now).toISOString()}.`],
      ['internal', `SLA breached: first response was due at ${new Date(now).toISOString()}.`],
    ]);
    expect(published.at(-1)).toMatchObject({ event: { type: 'sla.breach', ticketId: ticket.id, priority: 'high', groupId: 'leads', assigneeId: 'agent-li' } });
    // The breach stays recorded; the high-priority targets now apply to the clocks still running.
    expect(await clockOf(ticket.id, 'firstResponse')).toMatchObject({ state: 'active', breachedAt: new Date(now).toISOString(), targetMinutes: 30 });
  });

  it('caps a long wait at a week and wakes again until the due time', async () => {
    const { ticket } = await makeCreateTicket(ticketDeps())({ actor: 'agent-li', customerId: 'cus_4', subject: 'Slow', description: 'Slow', groupId: 'desk' });
    const far = { ...ticket, sla: { ...(ticket.sla as SlaState), clocks: (ticket.sla as SlaState).clocks.map((c) => ({ ...c, dueAt: new Date(now + 30 * 86_400_000).toISOString(), warnAt: new Date(now + 29 * 86_400_000).toISOString() })) } };
    expect(slaTimerFor(far, clock.now())!.input.wakeAt).toBe(new Date(now + MAX_TIMER_WAIT_MS).toISOString());
  });
});
