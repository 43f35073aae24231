/**
 * Intake from a messaging channel (WeChat first): the sender's channel identity → one customer, the customer's open
 * conversation on that channel (or a new one), the message persisted exactly once per channel dedupe id; then, for
 * channels with a synchronous reply, a short wait for the bot's reply to it.
 *
 * Access patterns: customer by channel identity (a deterministic customer id, hashed from channel + identity, so no
 * index is needed); a customer's newest conversations (the conversations table's byCustomer index).
 */
import { createHash } from 'node:crypto';
import type { Channel, Conversation, Message } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import type { InboundMessage, SenderProfile } from '../ports/channel.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { CustomerDirectory } from '../ports/directory.ts';
import type { Clock, Ids } from '../ports/gateways.ts';
import { makePostCustomerMessage } from './conversation.use-cases.ts';
import { makeResolveIdentity } from './customer-identity.use-cases.ts';

export interface ChannelIntakeDeps {
  readonly store: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly clock: Clock;
  readonly ids: Ids;
}

const digest = (value: string, length: number) => createHash('sha256').update(value, 'utf8').digest('hex').slice(0, length);

/** The customer a channel identity belongs to (stable: the same openid is always the same customer). */
export function customerIdForIdentity(channel: Channel, identity: string): string {
  return `cus_${channel}_${digest(`${channel}\u0000${identity}`, 24)}`;
}

/**
 * The conversation that follows `previous` (or the customer's first one) on a channel: deterministic, so that two
 * concurrent first messages, or a retry that reads a lagging index, create the same conversation rather than two.
 */
function successorConversationId(customerId: string, channel: Channel, previous: string | undefined): string {
  return `conv_${digest(`${customerId}\u0000${channel}\u0000${previous ?? 'first'}`, 26)}`;
}

/** What a non-text message becomes in the transcript (agents see it; the bot answers what it can). */
export function transcriptText(message: InboundMessage): string {
  switch (message.kind) {
    case 'text':
      return message.text ?? '';
    case 'image':
      return `[图片 image]${message.url ? ` ${message.url}` : ''}`;
    case 'voice':
      return message.text?.trim() ? message.text : '[语音 voice]';
    case 'video':
      return '[视频 video]';
    case 'file':
      return `[文件 file]${message.title ? ` ${message.title}` : ''}`;
    case 'location': {
      const l = message.location;
      return `[位置 location]${l?.label ? ` ${l.label}` : ''}${l ? ` (${l.latitude}, ${l.longitude})` : ''}`;
    }
    case 'link':
      return `[链接 link]${message.title ? ` ${message.title}` : ''}${message.url ? ` ${message.url}` : ''}`;
    case 'event':
      return `[事件 event] ${message.eventName ?? message.event ?? ''}`.trim();
  }
}

export type IntakeResult =
  | { readonly kind: 'event'; readonly customerId: string }
  | { readonly kind: 'message'; readonly customerId: string; readonly conversationId: string; readonly messageId: string; readonly seq: number; readonly duplicate: boolean };

export function makeChannelIntake(deps: ChannelIntakeDeps) {
  // With identity links (the DynamoDB directory): the identity's link, an automatic merge on a verified e-mail or
  // phone, the hash-derived id for a new customer (see customer-identity.use-cases.ts). Without (an older directory):
  // the hash-derived customer alone.
  const resolveIdentity = deps.customers.links ? makeResolveIdentity(deps) : undefined;
  const findOrCreateCustomer = async (channel: Channel, identity: string, profile: SenderProfile | undefined): Promise<string> => {
    const id = customerIdForIdentity(channel, identity);
    if (resolveIdentity) return (await resolveIdentity({ identity: { channel, value: identity }, ...(profile ? { profile } : {}), fallbackId: id })).customerId;
    if (!(await deps.customers.get(id))) {
      // Two first messages at once write the same customer twice: the same identity, harmless.
      await deps.customers.put({ id, tier: 'standard', identities: [{ channel, value: identity }], createdAt: deps.clock.now().toISOString() });
    }
    return id;
  };

  const openConversation = async (customerId: string, channel: Channel, groupId: string | undefined, hint: string | undefined): Promise<Conversation> => {
    // A channel that threads (e-mail: the plus address, In-Reply-To, References) names the conversation; it is taken
    // only when it is this customer's on this channel (a forged reference cannot post into someone else's).
    if (hint) {
      const named = await deps.store.get(hint);
      if (named && named.customerId === customerId && named.channel === channel) return named;
    }
    const recent = (await deps.store.listByCustomer(customerId, 20)).filter((c) => c.channel === channel);
    const open = recent.find((c) => c.status !== 'resolved');
    if (open) return open;
    const id = successorConversationId(customerId, channel, recent[0]?.id);
    const existing = await deps.store.get(id);
    if (existing && existing.status !== 'resolved') return existing;
    const now = deps.clock.now().toISOString();
    const conversation: Conversation = {
      // A resolved successor (the index lagged twice): a fresh random id rather than reopening it.
      id: existing ? `conv_${deps.ids.next()}` : id,
      channel,
      customerId,
      status: 'bot',
      seq: 0,
      failedAnswers: 0,
      handoffs: 0,
      ...(groupId && groupId !== 'default' ? { groupId } : {}),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await deps.store.create(conversation);
      return conversation;
    } catch (error) {
      // Created meanwhile by a concurrent delivery (the create is conditional): use that one.
      const raced = await deps.store.get(conversation.id);
      if (raced) return raced;
      throw error;
    }
  };

  /** Persists one inbound message (idempotent on its dedupe id); events only make sure the customer exists. */
  return async (message: InboundMessage, options: { groupId?: string; conversationId?: string } = {}): Promise<IntakeResult> => {
    // Refused before anything is written: a message that cannot be stored must leave no customer behind either.
    const text = transcriptText(message);
    if (message.kind !== 'event' && text.trim() === '') throw new DomainError('REQUEST.VALIDATION_FAILED', 'the message has no text');
    const customerId = await findOrCreateCustomer(message.channel, message.sender, message.profile);
    if (message.kind === 'event') return { kind: 'event', customerId };
    const conversation = await openConversation(customerId, message.channel, options.groupId, options.conversationId);
    const posted = await makePostCustomerMessage(deps)({ conversationId: conversation.id, clientMessageId: message.dedupeId, text, channel: message.channel, ...(message.thread ? { thread: message.thread } : {}) });
    return { kind: 'message', customerId, conversationId: conversation.id, ...posted };
  };
}

/**
 * Waits (briefly, polling the transcript) for the first replies written after the customer's message `afterSeq`:
 * bot, agent or system messages. Returns them in order, or [] when the deadline passes first.
 */
export function makeAwaitReply(deps: Pick<ChannelIntakeDeps, 'store'> & { sleep?: (ms: number) => Promise<void>; now?: () => number }) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = deps.now ?? Date.now;
  return async (input: { conversationId: string; afterSeq: number; deadline: number; pollMs?: number }): Promise<Message[]> => {
    for (;;) {
      const later = await deps.store.listMessages(input.conversationId, { afterSeq: input.afterSeq, limit: 20 });
      const replies = later.filter((m) => m.role !== 'customer');
      if (replies.length > 0) {
        // Replies to this message only: stop at the customer's next message.
        const nextCustomer = later.find((m) => m.role === 'customer');
        return replies.filter((m) => nextCustomer === undefined || m.seq < nextCustomer.seq);
      }
      const left = input.deadline - now();
      if (left <= 0) return [];
      await sleep(Math.min(input.pollMs ?? 100, left));
    }
  };
}

/**
 * Takes replies for the webhook's own synchronous answer: each reply still `pending` in the outbox becomes `passive`
 * (conditional, so a reply the outbox consumer already claimed is left to it). A reply already `passive` answered an
 * earlier delivery of the same message, which the platform retries because that answer never reached it: it is
 * given again. Returns the replies to answer with, in order.
 */
export function makeClaimPassiveReplies(deps: Pick<ChannelIntakeDeps, 'store' | 'clock'>) {
  return async (replies: readonly Message[]): Promise<Message[]> => {
    const taken: Message[] = [];
    for (const reply of replies) {
      if (reply.outbox === 'passive') {
        taken.push(reply);
        continue;
      }
      if (reply.outbox !== 'pending') continue;
      const claimed = await deps.store.setOutbox(reply.conversationId, reply.seq, { from: ['pending'], to: 'passive', fields: { outboxAt: deps.clock.now().toISOString() } });
      if (claimed) taken.push(claimed);
    }
    return taken;
  };
}
