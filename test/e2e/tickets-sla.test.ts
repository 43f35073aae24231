/**
 * Tickets and SLA clocks over HTTP against the local runtime (DynamoDB Local, its streams, the synthesized SLA timer
 * workflow on aws-local-stepfunctions): a ticket whose SLA warns and then breaches by itself (stream → scheduler →
 * timer execution → escalation, no scan); a ticket made from a chat whose public reply reaches the customer's chat;
 * updates conditional on the version, search, merge; and an after-hours handoff that becomes a ticket due in the next
 * business hours, told to the customer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/local-platform.ts';

let platform: Platform;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform({ acceptTimeoutSeconds: 2, maxOffers: 2 });
  for (const id of ['agent-li', 'agent-chen', 'admin']) tokens[id] = await platform.runtime.tokenFor(id);
  const { routingStore } = await import('../../shared/adapters/wiring/storage.ts');
  // Seconds-long targets (fractions of a business minute) so that the timers fire while the test watches.
  await routingStore().putSlaPolicy('fast', {
    id: 'fast',
    name: 'Fast (test)',
    calendarId: 'always-open',
    warnBeforeMinutes: 0.05,
    targets: (['low', 'normal', 'high', 'urgent'] as const).map((priority) => ({ priority, firstResponseMinutes: 0.1, nextResponseMinutes: 0.2, resolutionMinutes: 60 })),
    onBreach: { raisePriority: true, reassignToGroupId: 'leads' },
  });
  await routingStore().putGroup({ id: 'desk', name: 'Desk', slaPolicyId: 'fast' });
  await routingStore().putGroup({ id: 'leads', name: 'Team leads' });
}, 90_000);
afterAll(async () => platform?.runtime.stop());

const as = (agent: string) => ({ token: tokens[agent]! });
const getTicket = async (id: string) => (await platform.request('GET', `/v1/tickets/${id}`, as('agent-li'))).body;

describe('an SLA that runs out', () => {
  it('warns, then breaches and escalates by itself: priority up, handed to the leads, the supervisors told', async () => {
    const created = await platform.request('POST', '/v1/tickets', { ...as('agent-li'), body: { customerId: 'cus_sla', subject: 'Where is my refund', description: 'Paid twice', groupId: 'desk', assigneeId: 'agent-li' } });
    expect(created.status).toBe(201);
    const id = created.body.ticket.id as string;
    const first = await getTicket(id);
    expect(first.sla).toMatchObject({ policyId: 'fast', calendarId: 'always-open' });
    expect(first.sla.clocks.map((c: any) => [c.metric, c.state])).toEqual([
      ['firstResponse', 'active'],
      ['resolution', 'active'],
    ]);
    expect(first.ticket.dueAt).toBe(first.sla.clocks[0].dueAt);

    const breached = await platform.waitFor(async () => {
      const view = await getTicket(id);
      return view.history.some((h: any) => h.action === 'sla-breach') && view;
    }, 'the breach', 30_000);
    expect(breached.history.map((h: any) => h.action)).toEqual(['created', 'sla-warning', 'sla-breach']);
    expect(breached.ticket).toMatchObject({ priority: 'high', groupId: 'leads' });
    expect(breached.ticket.assigneeId).toBeUndefined();
    expect(breached.sla.clocks[0]).toMatchObject({ metric: 'firstResponse', state: 'active', breached: true });
    expect(breached.comments.map((c: any) => c.visibility)).toEqual(['internal', 'internal']);
    // The supervisors' floor counts it as breached (a by-status index query, no scan).
    const floor = await platform.request('GET', '/v1/supervisor/floor', as('agent-chen'));
    expect(floor.body.sla.breached).toBeGreaterThanOrEqual(1);
    expect(floor.body.sla.tickets).toContainEqual(expect.objectContaining({ id, priority: 'high' }));
    // Each SLA version had one timer execution, named after it; every one has ended.
    const { localWorkflowArn } = await import('../../infra/local/stepfunctions-local.ts');
    const timers = () => platform.runtime.stepFunctions.listExecutions({ stateMachineArn: localWorkflowArn('sla-timer') }).executions.filter((e) => e.name.startsWith(`sla-${id}-`));
    // v1 woke for the warning, v2 for the breach; v3 (the breach recorded) waits for the resolution clock's warning.
    await platform.waitFor(async () => timers().length === 3, 'the third timer');
    expect(timers().map((e) => [e.name, e.status]).sort()).toEqual([
      [`sla-${id}-v1`, 'SUCCEEDED'],
      [`sla-${id}-v2`, 'SUCCEEDED'],
      [`sla-${id}-v3`, 'RUNNING'],
    ]);

    // The agent answers late: the first response is missed for good, and the ticket is due on its resolution.
    const reply = await platform.request('POST', `/v1/tickets/${id}/comments`, { ...as('agent-chen'), body: { visibility: 'internal', text: 'Looking at it' } });
    expect(reply.status).toBe(201);
  }, 60_000);
});

describe('a ticket from a chat', () => {
  it('is filled from the conversation, and its public reply reaches the customer in the chat', async () => {
    const customer = await platform.openConversation();
    expect((await platform.say(customer, '订单 KF20240003 的退款还没到账')).status).toBe(202);
    await platform.waitFor(async () => (await platform.transcript(customer)).some((m) => m.role === 'bot' || m.role === 'system'), 'the bot reply');
    const made = await platform.request('POST', `/v1/agent/conversations/${customer.conversationId}/ticket`, { ...as('agent-li'), body: { type: 'after-sales', priority: 'high' }, headers: { 'idempotency-key': 'chat-ticket-1' } });
    expect(made.status).toBe(201);
    expect(made.body.ticket).toMatchObject({ conversationId: customer.conversationId, channel: 'webchat', type: 'after-sales', priority: 'high', orderNumber: 'KF20240003', status: 'new' });
    expect(made.body.ticket.description).toContain('KF20240003');
    const again = await platform.request('POST', `/v1/agent/conversations/${customer.conversationId}/ticket`, { ...as('agent-li'), body: { type: 'after-sales', priority: 'high' }, headers: { 'idempotency-key': 'chat-ticket-1' } });
    expect(again).toMatchObject({ status: 200, body: { created: false, ticket: { id: made.body.ticket.id } } });

    const id = made.body.ticket.id as string;
    const note = await platform.request('POST', `/v1/tickets/${id}/comments`, { ...as('agent-li'), body: { visibility: 'internal', text: '财务在查' } });
    expect(note.body).toMatchObject({ notified: false, comment: { visibility: 'internal' } });
    const reply = await platform.request('POST', `/v1/tickets/${id}/comments`, { ...as('agent-li'), body: { visibility: 'public', text: '退款已于今天原路退回。' } });
    expect(reply.body).toMatchObject({ notified: true, ticket: { status: 'open' } });
    const transcript = await platform.transcript(customer);
    expect(transcript.at(-1)).toMatchObject({ role: 'agent', text: `【工单 ${id} 的回复】退款已于今天原路退回。` });
    expect(transcript.some((m) => m.text.includes('财务在查'))).toBe(false);
    // The first response was given in time (the default policy: 60 business minutes for high priority).
    expect((await getTicket(id)).sla.clocks[0]).toMatchObject({ metric: 'firstResponse', state: 'hit' });

    // Waiting on the customer: the clocks pause. When the customer writes in the chat, it goes on the ticket, which opens again.
    const waiting = await platform.request('PATCH', `/v1/tickets/${id}`, { ...as('agent-li'), body: { version: reply.body.ticket.version, status: 'pending' } });
    expect(waiting.body.ticket.status).toBe('pending');
    expect((await platform.say(customer, '收到了，谢谢！不过还有一笔运费没退')).status).toBe(202);
    const reopened = await platform.waitFor(async () => {
      const view = await getTicket(id);
      return view.ticket.status === 'open' && view;
    }, 'the ticket to open on the customer reply');
    expect(reopened.comments.at(-1)).toMatchObject({ author: 'customer', visibility: 'public', text: '收到了，谢谢！不过还有一笔运费没退' });
    expect(reopened.sla.clocks.map((c: any) => [c.metric, c.state])).toEqual([
      ['firstResponse', 'hit'],
      ['nextResponse', 'active'],
      ['resolution', 'active'],
    ]);
  });
});

describe('the tickets API', () => {
  it('updates only at the version read, searches by status, assignee and customer, merges, and refuses bad input', async () => {
    const a = (await platform.request('POST', '/v1/tickets', { ...as('agent-li'), body: { customerId: 'cus_api', subject: 'A', description: 'first', assigneeId: 'agent-li', tags: ['vip'] } })).body.ticket;
    const b = (await platform.request('POST', '/v1/tickets', { ...as('agent-li'), body: { customerId: 'cus_api', subject: 'B', description: 'duplicate of A' } })).body.ticket;

    const pending = await platform.request('PATCH', `/v1/tickets/${a.id}`, { ...as('agent-li'), body: { version: a.version, status: 'pending', customFields: { orderValue: 120 } } });
    expect(pending.status).toBe(200);
    expect(pending.body.ticket.dueAt).toBeUndefined();
    expect((await getTicket(a.id)).sla.clocks.map((c: any) => c.state)).toEqual(['paused', 'paused']);
    const stale = await platform.request('PATCH', `/v1/tickets/${a.id}`, { ...as('agent-li'), body: { version: a.version, priority: 'urgent' } });
    expect(stale).toMatchObject({ status: 409, body: { error: { code: 'TICKET.CONFLICT' } } });

    const byStatus = await platform.request('GET', '/v1/tickets?status=pending', as('agent-li'));
    expect(byStatus.body.items.map((t: any) => t.id)).toContain(a.id);
    const mine = await platform.request('GET', '/v1/tickets?assigneeId=me', as('agent-li'));
    expect(mine.body.items.map((t: any) => t.id)).toContain(a.id);
    const theirs = await platform.request('GET', '/v1/tickets?customerId=cus_api&limit=10', as('agent-chen'));
    expect(theirs.body.items.map((t: any) => t.id).sort()).toEqual([a.id, b.id].sort());

    const merged = await platform.request('POST', `/v1/tickets/${b.id}/merge`, { ...as('agent-chen'), body: { targetId: a.id } });
    expect(merged).toMatchObject({ status: 200, body: { alreadyMerged: false, source: { status: 'closed' } } });

    expect((await platform.request('PATCH', `/v1/tickets/${a.id}`, { ...as('agent-li'), body: { version: 99, colour: 'red' } })).status).toBe(400);
    expect((await platform.request('POST', '/v1/tickets', { ...as('agent-li'), body: { customerId: 'c', subject: '', description: 'x' } })).body.error.code).toBe('REQUEST.VALIDATION_FAILED');
    expect((await platform.request('GET', '/v1/tickets?status=lost', as('agent-li'))).status).toBe(400);
    expect(await platform.request('GET', '/v1/tickets/tkt_nope', as('agent-li'))).toMatchObject({ status: 404, body: { error: { code: 'TICKET.NOT_FOUND' } } });
    expect((await platform.request('GET', '/v1/tickets?status=new')).status).toBe(401);
    const orphan = await platform.request('POST', `/v1/tickets/${a.id}/comments`, { ...as('agent-li'), body: { visibility: 'public', text: 'Hello' } });
    expect(orphan.body).toMatchObject({ notified: false, notifyError: expect.stringContaining('no conversation') });
  });
});

describe('a handoff after hours', () => {
  it('becomes a ticket due in the next business hours, and the customer is told when', async () => {
    const { routingStore } = await import('../../shared/adapters/wiring/storage.ts');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    // Closed today and tomorrow (holidays), 09:00–17:00 UTC otherwise: the first answer is due the day after tomorrow.
    await routingStore().putCalendar('closed-now', {
      id: 'closed-now',
      name: 'Closed for the holidays',
      timeZone: 'UTC',
      weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
      holidays: [day(0), day(1)],
    });
    await routingStore().putGroup({ id: 'default', name: 'Frontline', calendarId: 'closed-now', maxWaitSeconds: 300 });
    const customer = await platform.openConversation();
    expect((await platform.say(customer, '转人工')).status).toBe(202);
    const told = await platform.waitFor(async () => (await platform.transcript(customer)).find((m) => m.role === 'system' && /工单/.test(m.text)), 'the offline ticket message', 30_000);
    const ticketId = /工单 (\S+)，/.exec(told.text)![1]!;
    const view = await getTicket(ticketId);
    // Normal priority: 240 business minutes from 09:00 the day after tomorrow.
    expect(view.ticket).toMatchObject({ conversationId: customer.conversationId, priority: 'normal', dueAt: `${day(2)}T13:00:00.000Z` });
    const date = new Date(`${day(2)}T13:00:00.000Z`);
    expect(told.text).toContain(`现在是非工作时间`);
    expect(told.text).toContain(`${date.getUTCMonth() + 1}月${date.getUTCDate()}日`);
    expect(told.text).toContain('13:00 UTC 前答复您');
  }, 60_000);
});
