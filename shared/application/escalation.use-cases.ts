/**
 * The human side: the escalation workflow's steps (enqueue, offer with a task token, record the assignment, leave an
 * offline message as a ticket) and the agent's actions (queue, context, accept, reply, resolve).
 *
 * Ownership moves only through conditional writes, so two agents can never both own a conversation, and an accept
 * racing the offer's timeout has exactly one winner.
 */
import { assertAgentOwns, messageView, type Conversation } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import { DEFAULT_GROUP_ID, serveOrder } from '../domain/routing/routing.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { AgentDirectory, CustomerDirectory, TicketStore } from '../ports/directory.ts';
import type { Clock, Ids, LiveUpdates, WorkflowGateway } from '../ports/gateways.ts';
import { AGENTS_AUDIENCE, conversationAudience, validateText } from './conversation.use-cases.ts';

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

const TICKET_DUE_HOURS = 24;

/** Workflow step after the last offer: nobody accepted in time, so the conversation becomes an offline message and a ticket. */
export function makeLeaveOfflineMessage(deps: EscalationDeps & { tickets: TicketStore }) {
  return async (input: { conversationId: string; reason: string; offers?: number }) => {
    const conversation = await mustGet(deps.store, input.conversationId);
    if (conversation.status !== 'queued' && conversation.resolution !== 'offline-ticket') return { skipped: true, status: conversation.status };
    const now = deps.clock.now();
    const ticketId = `tkt_${conversation.id.replace(/^conv_/, '')}_${conversation.handoffs}`;
    const transcript = await deps.store.listMessages(conversation.id, { limit: 50 });
    const lastCustomer = [...transcript].reverse().find((m) => m.role === 'customer');
    const ticket = await deps.tickets.createOnce({
      id: ticketId,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      type: 'inquiry',
      status: 'new',
      priority: (conversation.priority ?? 5) >= 8 ? 'urgent' : (conversation.priority ?? 5) >= 6 ? 'high' : 'normal',
      subject: (lastCustomer?.text ?? 'offline message').slice(0, 120),
      description: transcript.map((m) => `[${m.role}] ${m.text}`).join('\n').slice(0, 8000),
      createdAt: now.toISOString(),
      dueAt: new Date(now.getTime() + TICKET_DUE_HOURS * 3600_000).toISOString(),
    });
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
    const text = zh(conversation)
      ? `抱歉，客服暂时都在忙。我们已为您创建工单 ${ticket.id}，将在 ${TICKET_DUE_HOURS} 小时内答复您。`
      : `Sorry, all our agents are busy. We created ticket ${ticket.id} for you and will answer within ${TICKET_DUE_HOURS} hours.`;
    await systemMessage(deps, conversation.id, text, `offline#${conversation.id}#${conversation.handoffs}`);
    if (moved) await deps.store.recordEvent(conversation.id, { type: 'offline.ticket', at: now.toISOString(), actor: 'workflow', detail: { ticketId: ticket.id, offers: conversation.offers ?? input.offers ?? 0 } });
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

export function makeGetConversationContext(deps: Pick<AgentDeps, 'store' | 'customers' | 'tickets'>) {
  return async (conversationId: string) => {
    const conversation = await mustGet(deps.store, conversationId);
    const [messages, events, customer, tickets] = await Promise.all([
      deps.store.listMessages(conversationId, { limit: 1000 }),
      deps.store.listEvents(conversationId),
      deps.customers.get(conversation.customerId),
      deps.tickets.listByConversation(conversationId),
    ]);
    const { offerToken, waitToken, ...visible } = conversation;
    void offerToken;
    void waitToken;
    return {
      conversation: visible,
      transcript: messages.map(messageView),
      events,
      customer: customer ?? null,
      tickets,
      summary: {
        customerMessages: messages.filter((m) => m.role === 'customer').length,
        botReplies: messages.filter((m) => m.role === 'bot').length,
        handoffReason: conversation.handoffReason ?? null,
        mood: conversation.lastMood ?? null,
        moodTrend: conversation.mood?.trend ?? null,
        worstMoment: conversation.mood?.worst ?? null,
      },
    };
  };
}

export function makeAgentReply(deps: AgentDeps) {
  return async (input: { conversationId: string; agentId: string; text: string; clientMessageId?: string }) => {
    const text = validateText(input.text);
    const conversation = await mustGet(deps.store, input.conversationId);
    assertAgentOwns(conversation, input.agentId);
    const result = await deps.store.append(
      input.conversationId,
      { id: `msg_${deps.ids.next()}`, role: 'agent', text, agentId: input.agentId, createdAt: deps.clock.now().toISOString(), ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}) },
      {
        ...(input.clientMessageId ? { idempotencyKey: `agent#${input.conversationId}#${input.clientMessageId}` } : {}),
        current: conversation,
        statusChange: { from: ['agent'], to: 'agent', expect: { assignedAgentId: input.agentId } },
      },
    );
    if (!result.duplicate) await deps.live.publish(conversationAudience(input.conversationId), { type: 'message', conversationId: input.conversationId, message: messageView(result.message) });
    return { messageId: result.message.id, seq: result.message.seq };
  };
}

