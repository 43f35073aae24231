/**
 * The human side: the escalation workflow's steps (enqueue, offer with a task token, record the assignment, leave an
 * offline message as a ticket) and the agent's actions (queue, context, accept, reply, resolve).
 *
 * Ownership moves only through conditional writes, so two agents can never both own a conversation, and an accept
 * racing the offer's timeout has exactly one winner.
 */
import { assertAgentOwns, messageView, type Conversation } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import { isOpen } from '../domain/routing/business-calendar.ts';
import { DEFAULT_GROUP_ID, serveOrder } from '../domain/routing/routing.ts';
import type { SlaState } from '../domain/tickets/sla.ts';
import { priorityFromScore, type NewTicket } from '../domain/tickets/ticket.ts';
import type { AuditEvent, ConversationNote, ConversationStore } from '../ports/conversation.store.ts';
import type { AgentDirectory, CustomerDirectory, TicketStore } from '../ports/directory.ts';
import type { Clock, Ids, LiveUpdates, WorkflowGateway } from '../ports/gateways.ts';
import { AGENTS_AUDIENCE, conversationAudience, validateText } from './conversation.use-cases.ts';
import { formatDue, withStartedSla, type SlaDeps } from './sla.use-cases.ts';

export interface EscalationDeps {
  readonly store: ConversationStore;
  readonly live: LiveUpdates;
  readonly clock: Clock;
  readonly ids: Ids;
}

export function zh(conversation: Conversation): boolean {
  return conversation.language !== 'en';
}

export async function systemMessage(deps: EscalationDeps, conversationId: string, text: string, idempotencyKey: string) {
  const result = await deps.store.append(conversationId, { id: `msg_${deps.ids.next()}`, role: 'system', text, createdAt: deps.clock.now().toISOString() }, { idempotencyKey });
  if (!result.duplicate) await deps.live.publish(conversationAudience(conversationId), { type: 'message', conversationId, message: messageView(result.message) });
  return result.message;
}

export async function mustGet(store: ConversationStore, conversationId: string): Promise<Conversation> {
  const conversation = await store.get(conversationId);
  if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${conversationId} does not exist`);
  return conversation;
}

/** Without an SLA engine (tests of the workflow alone) an offline ticket is due this long after it was left. */
const TICKET_DUE_HOURS = 24;

/**
 * Workflow step after the last offer, after hours or with nowhere to overflow: the conversation becomes an offline
 * message and a ticket whose SLA clocks start now on the group's calendar; the customer is told when to expect the
 * first answer (its due time in business hours, in the calendar's time zone).
 */
export function makeLeaveOfflineMessage(deps: EscalationDeps & { tickets: TicketStore; sla?: SlaDeps }) {
  return async (input: { conversationId: string; reason: string; offers?: number }) => {
    const conversation = await mustGet(deps.store, input.conversationId);
    if (conversation.status !== 'queued' && conversation.resolution !== 'offline-ticket') return { skipped: true, status: conversation.status };
    const now = deps.clock.now();
    const ticketId = `tkt_${conversation.id.replace(/^conv_/, '')}_${conversation.handoffs}`;
    const transcript = await deps.store.listMessages(conversation.id, { limit: 50 });
    const lastCustomer = [...transcript].reverse().find((m) => m.role === 'customer');
    const draft: NewTicket = {
      id: ticketId,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      channel: conversation.channel,
      type: 'inquiry',
      status: 'new',
      priority: priorityFromScore(conversation.priority),
      ...(conversation.groupId ? { groupId: conversation.groupId } : {}),
      subject: (lastCustomer?.text ?? 'offline message').slice(0, 120),
      description: transcript.map((m) => `[${m.role}] ${m.text}`).join('\n').slice(0, 8000),
      links: [{ kind: 'conversation', conversationId: conversation.id, at: now.toISOString() }],
      createdAt: now.toISOString(),
    };
    const planned = deps.sla ? await withStartedSla(deps.sla, draft, now) : undefined;
    const ticket = await deps.tickets.createOnce(planned?.ticket ?? { ...draft, dueAt: new Date(now.getTime() + TICKET_DUE_HOURS * 3600_000).toISOString() });
    const moved = await deps.store.changeStatus(conversation.id, {
      from: ['queued'],
      to: 'resolved',
      set: { ticketId: ticket.id, resolution: 'offline-ticket', resolvedAt: now.toISOString(), offerToken: null, waitToken: null, offeredAgentId: null },
    });
    if (!moved) {
      const current = await mustGet(deps.store, conversation.id);
      // An agent took it meanwhile (the ticket stays as a record), or someone else closed it: nothing more to do here.
      if (current.ticketId !== ticket.id) return { skipped: true, status: current.status, ticketId: ticket.id };
      // Otherwise an earlier attempt of this step moved it and failed later: finish the idempotent remainder.
    }
    const language = zh(conversation) ? 'zh' : 'en';
    const firstDue = (ticket.sla as SlaState | undefined)?.clocks.find((c) => c.metric === 'firstResponse')?.dueAt;
    const when = firstDue && planned ? formatDue(firstDue, planned.calendar, language) : undefined;
    const afterHours = planned ? !isOpen(planned.calendar, now) : false;
    const text =
      language === 'zh'
        ? `${afterHours ? '现在是非工作时间，' : '抱歉，客服暂时都在忙。'}我们已为您创建工单 ${ticket.id}，${when ? `将在 ${when} 前答复您` : `将在 ${TICKET_DUE_HOURS} 小时内答复您`}。`
        : `${afterHours ? 'We are closed right now. ' : 'Sorry, all our agents are busy. '}We created ticket ${ticket.id} for you and will answer ${when ? `by ${when}` : `within ${TICKET_DUE_HOURS} hours`}.`;
    await systemMessage(deps, conversation.id, text, `offline#${conversation.id}#${conversation.handoffs}`);
    if (moved) await deps.store.recordEvent(conversation.id, { type: 'offline.ticket', at: now.toISOString(), actor: 'workflow', detail: { ticketId: ticket.id, offers: conversation.offers ?? input.offers ?? 0, ...(ticket.dueAt ? { dueAt: ticket.dueAt } : {}) } });
    await deps.live.publish(conversationAudience(conversation.id), { type: 'status', conversationId: conversation.id, status: 'resolved', ticketId: ticket.id });
    await deps.live.publish(AGENTS_AUDIENCE, { type: 'queue.changed', conversationId: conversation.id, change: 'removed' });
    return { skipped: false, ticketId: ticket.id };
  };
}

export interface AgentDeps extends EscalationDeps {
  readonly workflows: WorkflowGateway;
  readonly agents: AgentDirectory;
  readonly customers: CustomerDirectory;
  readonly tickets: TicketStore;
}

/** The queues of the given routing groups (default: the default group), each in serving order with its positions. */
export function makeListQueue(deps: Pick<EscalationDeps, 'store' | 'clock'>) {
  return async (groupIds: readonly string[] = [DEFAULT_GROUP_ID]) => {
    const at = deps.clock.now();
    const now = at.getTime();
    const queues = await Promise.all(groupIds.map(async (groupId) => serveOrder(await deps.store.listQueue(200, groupId), at).map((c, i) => ({ c, i, groupId }))));
    const items = await Promise.all(
      queues.flat().map(async ({ c, i, groupId }) => {
        const recent = await deps.store.listMessages(c.id, { afterSeq: Math.max(0, c.seq - 5), limit: 5 });
        const lastCustomer = [...recent].reverse().find((m) => m.role === 'customer');
        return {
          conversationId: c.id,
          groupId,
          position: i + 1,
          offeredAgentId: c.offeredAgentId ?? null,
          channel: c.channel,
          priority: c.priority ?? 5,
          reason: c.handoffReason ?? null,
          mood: c.lastMood ?? null,
          moodTrend: c.mood?.trend ?? null,
          queuedAt: c.queuedAt ?? null,
          waitingSeconds: c.queuedAt ? Math.max(0, Math.round((now - Date.parse(c.queuedAt)) / 1000)) : 0,
          preview: lastCustomer?.text.slice(0, 140) ?? null,
        };
      }),
    );
    return { items };
  };
}

/** How many of the customer's earlier conversations and tickets the agent sees. */
const HISTORY_ITEMS = 10;

/**
 * What an agent needs to take over: the transcript with the bot part, the audit trail, a short summary (topic,
 * intent, handoff reason, mood and its trend, what the bot tried), the customer profile, and the customer's previous
 * conversations and tickets.
 */
export function makeGetConversationContext(deps: Pick<AgentDeps, 'store' | 'customers' | 'tickets'>) {
  return async (conversationId: string) => {
    const conversation = await mustGet(deps.store, conversationId);
    const [messages, events, customer, tickets, earlier, customerTickets] = await Promise.all([
      deps.store.listMessages(conversationId, { limit: 1000 }),
      deps.store.listEvents(conversationId),
      deps.customers.get(conversation.customerId),
      deps.tickets.listByConversation(conversationId),
      deps.store.listByCustomer(conversation.customerId, HISTORY_ITEMS + 1),
      deps.tickets.search({ by: 'customer', customerId: conversation.customerId }, { limit: HISTORY_ITEMS }),
    ]);
    // A merged customer's history is the survivor's and every merged-in customer's (conversations keep their ids).
    const otherIds = customer ? [customer.id, ...(customer.mergedFrom ?? [])].filter((id) => id !== conversation.customerId) : [];
    if (otherIds.length > 0) {
      const more = await Promise.all(otherIds.map((id) => deps.store.listByCustomer(id, HISTORY_ITEMS + 1)));
      earlier.push(...more.flat());
      earlier.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    }
    const { offerToken, waitToken, ...visible } = conversation;
    void offerToken;
    void waitToken;
    const notes = notesOf(events, conversation.id);
    const customerTexts = messages.filter((m) => m.role === 'customer');
    const botReplies = messages.filter((m) => m.role === 'bot');
    const summary = {
      topic: customerTexts[0]?.text.slice(0, 120) ?? null,
      intent: conversation.neededSkill ?? null,
      lastEntryId: conversation.lastEntryId ?? null,
      customerMessages: customerTexts.length,
      botReplies: botReplies.length,
      handoffReason: conversation.handoffReason ?? null,
      mood: conversation.lastMood ?? null,
      moodTrend: conversation.mood?.trend ?? null,
      worstMoment: conversation.mood?.worst ?? null,
      previousConversations: earlier.filter((c) => c.id !== conversation.id).length,
    };
    return {
      conversation: visible,
      transcript: withNotes(messages.map(messageView), notes),
      events: events.filter((e) => e.type !== NOTE_EVENT),
      notes: notes.map(noteView),
      customer: customer ?? null,
      tickets,
      summary: { ...summary, text: summaryText(conversation, summary) },
      previousConversations: earlier
        .filter((c) => c.id !== conversation.id)
        .slice(0, HISTORY_ITEMS)
        .map((c) => ({ id: c.id, channel: c.channel, status: c.status, createdAt: c.createdAt, ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}), ...(c.handoffReason ? { handoffReason: c.handoffReason } : {}), ...(c.lastMood ? { mood: c.lastMood } : {}), ...(c.ticketId ? { ticketId: c.ticketId } : {}), ...(c.assignedAgentId ? { agentId: c.assignedAgentId } : {}) })),
      customerTickets: customerTickets.items.map((t) => ({ id: t.id, subject: t.subject, status: t.status, priority: t.priority, type: t.type, createdAt: t.createdAt, ...(t.dueAt ? { dueAt: t.dueAt } : {}) })),
    };
  };
}

const NOTE_EVENT = 'note';

/** The notes among a conversation's audit events (the store keeps them there, out of every transcript read). */
function notesOf(events: readonly AuditEvent[], conversationId: string): ConversationNote[] {
  return events.filter((e) => e.type === NOTE_EVENT && e.detail).map((e) => ({ ...(e.detail as unknown as Omit<ConversationNote, 'conversationId'>), conversationId }));
}

/** What an agent sees of a note (the API's note shape). */
export function noteView(note: ConversationNote) {
  return { id: note.id, agentId: note.agentId, text: note.text, createdAt: note.createdAt };
}

/** A note as a transcript line for agents: marked internal, placed after the message it followed. */
export function noteLine(note: ConversationNote) {
  return { ...noteView(note), seq: note.afterSeq, role: 'agent' as const, internal: true as const };
}

/** Merges notes into the agents' transcript: by sequence, a note after the message it followed, notes by time. */
function withNotes<M extends { seq: number; createdAt: string }>(messages: readonly M[], notes: readonly ConversationNote[]) {
  const lines: (M | ReturnType<typeof noteLine>)[] = [...messages];
  for (const note of [...notes].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const at = lines.findIndex((line) => line.seq > note.afterSeq);
    lines.splice(at === -1 ? lines.length : at, 0, noteLine(note));
  }
  return lines;
}

export const MAX_NOTE_LENGTH = 5000;

/**
 * An internal note: any agent may leave one on any conversation (a supervisor who does not hold it included). It is
 * stored apart from the transcript and pushed live on the agent floor only, never on the conversation's own channel
 * (where the customer's WebSocket listens). Idempotent on the client's note id.
 */
export function makeAddNote(deps: EscalationDeps) {
  return async (input: { conversationId: string; agentId: string; text: string; clientNoteId?: string }) => {
    const text = input.text.trim();
    if (text.length === 0) throw new DomainError('REQUEST.VALIDATION_FAILED', 'text: a note must not be empty', { issues: [{ path: 'text', message: 'must not be empty' }] });
    if (text.length > MAX_NOTE_LENGTH) {
      throw new DomainError('REQUEST.VALIDATION_FAILED', `text: a note must be at most ${MAX_NOTE_LENGTH} characters`, { issues: [{ path: 'text', message: `must be at most ${MAX_NOTE_LENGTH} characters` }] });
    }
    const conversation = await mustGet(deps.store, input.conversationId);
    const note: ConversationNote = {
      id: `note_${deps.ids.next()}`,
      conversationId: conversation.id,
      agentId: input.agentId,
      text,
      createdAt: deps.clock.now().toISOString(),
      afterSeq: conversation.seq,
      ...(input.clientNoteId ? { clientNoteId: input.clientNoteId } : {}),
    };
    const result = await deps.store.addNote(note, input.clientNoteId ? { idempotencyKey: `note#${conversation.id}#${input.agentId}#${input.clientNoteId}` } : {});
    if (!result.duplicate) await deps.live.publish(AGENTS_AUDIENCE, { type: 'note', conversationId: conversation.id, note: noteLine(result.note) });
    return noteView(result.note);
  };
}

/** One line an agent reads before saying hello, in the conversation's language. */
function summaryText(conversation: Conversation, s: { topic: string | null; intent: string | null; customerMessages: number; botReplies: number; handoffReason: string | null; mood: string | null; moodTrend: string | null; previousConversations: number }): string {
  if (zh(conversation)) {
    return [
      `${conversation.channel} 渠道，客户发了 ${s.customerMessages} 条消息，机器人答复 ${s.botReplies} 次`,
      s.topic ? `问题：${s.topic}` : undefined,
      s.intent ? `意图：${s.intent}` : undefined,
      s.handoffReason ? `转人工原因：${s.handoffReason}` : undefined,
      s.mood ? `情绪：${s.mood}${s.moodTrend ? `（${s.moodTrend}）` : ''}` : undefined,
      s.previousConversations ? `此前会话 ${s.previousConversations} 次` : '首次联系',
    ].filter(Boolean).join('；') + '。';
  }
  return [
    `${conversation.channel}: ${s.customerMessages} customer messages, ${s.botReplies} bot replies`,
    s.topic ? `asked: ${s.topic}` : undefined,
    s.intent ? `intent: ${s.intent}` : undefined,
    s.handoffReason ? `handed over: ${s.handoffReason}` : undefined,
    s.mood ? `mood: ${s.mood}${s.moodTrend ? ` (${s.moodTrend})` : ''}` : undefined,
    s.previousConversations ? `${s.previousConversations} earlier conversations` : 'first contact',
  ].filter(Boolean).join('; ') + '.';
}

export function makeAgentReply(deps: AgentDeps) {
  return async (input: { conversationId: string; agentId: string; text: string; clientMessageId?: string }) => {
    const text = validateText(input.text);
    const conversation = await mustGet(deps.store, input.conversationId);
    assertAgentOwns(conversation, input.agentId);
    const now = deps.clock.now().toISOString();
    // The first agent reply since the customer asked for a human: its time is the first response time (reports).
    const firstResponse = conversation.queuedAt !== undefined && (conversation.respondedAt === undefined || conversation.respondedAt < conversation.queuedAt);
    const result = await deps.store.append(
      input.conversationId,
      { id: `msg_${deps.ids.next()}`, role: 'agent', text, agentId: input.agentId, createdAt: now, ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}) },
      {
        ...(input.clientMessageId ? { idempotencyKey: `agent#${input.conversationId}#${input.clientMessageId}` } : {}),
        current: conversation,
        statusChange: { from: ['agent'], to: 'agent', expect: { assignedAgentId: input.agentId } },
        ...(firstResponse ? { set: { respondedAt: now } } : {}),
      },
    );
    if (!result.duplicate) await deps.live.publish(conversationAudience(input.conversationId), { type: 'message', conversationId: input.conversationId, message: messageView(result.message) });
    return { messageId: result.message.id, seq: result.message.seq };
  };
}


/**
 * A public ticket reply reaches the customer where they wrote from: appended to the ticket's conversation as an
 * agent message (live to an open web chat; a channel's outbound sender picks agent messages up from there), once per
 * reply. A ticket without a conversation has no channel to reach the customer on: the caller is told so.
 */
export function makeNotifyTicketReply(deps: EscalationDeps) {
  return async (ticket: { id: string; conversationId?: string }, reply: { id: string; author: string; text: string }) => {
    if (!ticket.conversationId) throw new DomainError('TICKET.NO_CHANNEL', `ticket ${ticket.id} has no conversation to reach the customer through`);
    const conversation = await mustGet(deps.store, ticket.conversationId);
    const text = zh(conversation) ? `【工单 ${ticket.id} 的回复】${reply.text}` : `[Reply on ticket ${ticket.id}] ${reply.text}`;
    const result = await deps.store.append(
      conversation.id,
      { id: `msg_${deps.ids.next()}`, role: 'agent', text, ...(reply.author !== 'system' ? { agentId: reply.author } : {}), createdAt: deps.clock.now().toISOString() },
      { idempotencyKey: `ticket-reply#${reply.id}` },
    );
    if (!result.duplicate) await deps.live.publish(conversationAudience(conversation.id), { type: 'message', conversationId: conversation.id, message: messageView(result.message) });
  };
}
