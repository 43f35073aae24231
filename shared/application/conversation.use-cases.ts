/**
 * Customer-side use cases of a conversation, shared by every channel: open it, accept a customer message (persisted
 * before anything else happens, exactly once per client message id), read it.
 */
import { customerView, MAX_MESSAGE_LENGTH, messageView, type Channel, type Conversation } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import { serveOrder } from '../domain/routing/routing.ts';
import type { ConversationStore, Fields } from '../ports/conversation.store.ts';
import type { CustomerDirectory } from '../ports/directory.ts';
import type { Clock, CustomerTokens, Ids } from '../ports/gateways.ts';

export interface ConversationDeps {
  readonly store: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly tokens: CustomerTokens;
  readonly clock: Clock;
  readonly ids: Ids;
}

export const conversationAudience = (conversationId: string) => `conversation:${conversationId}`;
export const AGENTS_AUDIENCE = 'agents';

export function makeOpenConversation(deps: Pick<ConversationDeps, 'store' | 'customers' | 'tokens' | 'clock' | 'ids'>) {
  return async (input: { channel: Channel; customer?: { name?: string; externalId?: string }; groupId?: string }) => {
    const now = deps.clock.now().toISOString();
    const customerId = `cus_${deps.ids.next()}`;
    await deps.customers.put({
      id: customerId,
      tier: 'standard',
      identities: input.customer?.externalId ? [{ channel: input.channel, value: input.customer.externalId }] : [],
      createdAt: now,
      ...(input.customer?.name ? { name: input.customer.name } : {}),
    });
    const conversation: Conversation = {
      id: `conv_${deps.ids.next()}`,
      channel: input.channel,
      customerId,
      status: 'bot',
      seq: 0,
      failedAnswers: 0,
      handoffs: 0,
      // The channel's routing group: a handoff queues the conversation there (default: the default group).
      ...(input.groupId && input.groupId !== 'default' ? { groupId: input.groupId } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await deps.store.create(conversation);
    const token = await deps.tokens.issue(conversation.id);
    return { conversationId: conversation.id, token, customerId, status: conversation.status };
  };
}

export function validateText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new DomainError('REQUEST.VALIDATION_FAILED', 'text must not be empty', { field: 'text' });
  if (text.length > MAX_MESSAGE_LENGTH) {
    throw new DomainError('REQUEST.TOO_LARGE', `text must be at most ${MAX_MESSAGE_LENGTH} characters`, { field: 'text', max: MAX_MESSAGE_LENGTH });
  }
  return trimmed;
}

/**
 * Persists the customer's message before any processing, and does nothing else: the bot, sentiment and the live
 * push to whoever watches the conversation run from the messages stream, in order per conversation, so the channel
 * answers as soon as the message is safe. A resolved conversation that hears from its customer again goes back to the bot.
 */
export function makePostCustomerMessage(deps: Pick<ConversationDeps, 'store' | 'clock' | 'ids'>) {
  return async (input: { conversationId: string; clientMessageId: string; text: string; channel: Channel; thread?: Readonly<Record<string, string>> }) => {
    const text = validateText(input.text);
    const idempotencyKey = `${input.channel}#${input.conversationId}#${input.clientMessageId}`;
    const conversation = await deps.store.get(input.conversationId);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${input.conversationId} does not exist`);
    const reopen = conversation.status === 'resolved';
    const draft = {
      id: `msg_${deps.ids.next()}`,
      role: 'customer' as const,
      text,
      clientMessageId: input.clientMessageId,
      createdAt: deps.clock.now().toISOString(),
      // Who owned the conversation when the message was accepted: intake routes on it without reading the conversation.
      ownerAtWrite: reopen ? ('bot' as const) : conversation.status,
      ...(conversation.ticketId ? { ticketAtWrite: conversation.ticketId } : {}),
      channel: input.channel,
    };
    // The channel context replies must carry (a WeCom account, an e-mail thread, a LINE reply token), kept as it changes.
    const set = input.thread && JSON.stringify(input.thread) !== JSON.stringify(conversation.channelThread ?? null) ? { channelThread: input.thread } : undefined;
    const result = await appendReopening(deps, conversation, draft, idempotencyKey, reopen, set);
    return { messageId: result.message.id, seq: result.message.seq, duplicate: result.duplicate };
  };
}

async function appendReopening(deps: Pick<ConversationDeps, 'store'>, current: Conversation, draft: Parameters<ConversationStore['append']>[1], idempotencyKey: string, reopen: boolean, set?: Fields) {
  const conversationId = current.id;
  if (!reopen) return deps.store.append(conversationId, draft, { idempotencyKey, current, ...(set ? { set } : {}) });
  try {
    return await deps.store.append(conversationId, draft, {
      idempotencyKey,
      current,
      ...(set ? { set } : {}),
      statusChange: { from: ['resolved'], to: 'bot', set: { failedAnswers: 0, assignedAgentId: null, resolvedAt: null, resolution: null } },
    });
  } catch (error) {
    // Reopened meanwhile by a concurrent message: append without the move.
    if (error instanceof DomainError && error.code === 'CONVERSATION.BUSY') return deps.store.append(conversationId, draft, { idempotencyKey, ...(set ? { set } : {}) });
    throw error;
  }
}

export function makeGetConversation(deps: Pick<ConversationDeps, 'store' | 'clock'>) {
  return async (conversationId: string) => {
    const conversation = await deps.store.get(conversationId);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${conversationId} does not exist`);
    const queuePosition = conversation.status === 'queued' ? await queuePositionOf(deps.store, conversation, deps.clock.now()) : null;
    return { ...customerView(conversation), queuePosition };
  };
}

/**
 * The customer rates the conversation (CSAT, 1–5, with an optional comment) once a human handled it or it was resolved:
 * stored once on the conversation (a second rating is refused, the same one again is a no-op) and in its audit trail.
 */
export function makeRateConversation(deps: Pick<ConversationDeps, 'store' | 'clock'>) {
  return async (input: { conversationId: string; score: number; comment?: string }) => {
    const conversation = await deps.store.get(input.conversationId);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${input.conversationId} does not exist`);
    if (conversation.csat) {
      if (conversation.csat.score === input.score && (conversation.csat.comment ?? undefined) === input.comment) return { rated: true, duplicate: true };
      throw new DomainError('CONVERSATION.ALREADY_RATED', 'this conversation was already rated');
    }
    if (conversation.status !== 'resolved' && conversation.status !== 'agent') {
      throw new DomainError('CONVERSATION.NOT_RATABLE', 'a conversation can be rated once a human took it or it was resolved', { status: conversation.status });
    }
    const at = deps.clock.now().toISOString();
    const csat = { score: input.score, ...(input.comment ? { comment: input.comment } : {}), at };
    const rated = await deps.store.update(conversation.id, { csat }, ['agent', 'resolved']);
    if (!rated) throw new DomainError('CONVERSATION.NOT_RATABLE', 'the conversation changed; try again');
    await deps.store.recordEvent(conversation.id, { type: 'rated', at, actor: 'customer', detail: { score: input.score } });
    return { rated: true, duplicate: false };
  };
}

/** 1-based place of a queued conversation in its group's queue, in serving order (priority with aging, then waiting); null if absent. */
export async function queuePositionOf(store: ConversationStore, conversation: Pick<Conversation, 'id' | 'groupId'>, now: Date): Promise<number | null> {
  const index = serveOrder(await store.listQueue(500, conversation.groupId), now).findIndex((c) => c.id === conversation.id);
  return index >= 0 ? index + 1 : null;
}

export function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (!/^\d{1,10}$/.test(cursor)) throw new DomainError('REQUEST.VALIDATION_FAILED', 'after must be a cursor returned by this API', { field: 'after' });
  return Number(cursor);
}

export function makeListMessages(deps: Pick<ConversationDeps, 'store'>) {
  return async (input: { conversationId: string; after?: string; limit?: number }) => {
    const afterSeq = parseCursor(input.after);
    const conversation = await deps.store.get(input.conversationId);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${input.conversationId} does not exist`);
    const messages = await deps.store.listMessages(input.conversationId, { afterSeq, limit: input.limit ?? 100 });
    const last = messages.at(-1);
    return { messages: messages.map(messageView), cursor: String(last ? last.seq : (afterSeq ?? 0)) };
  };
}
