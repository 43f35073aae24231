/**
 * The channel outbox: delivers one stored reply (bot, agent or system) to the customer through the channel's own
 * send API, exactly once as far as Kefu can tell, in the order the stream hands them over (per conversation).
 *
 * 1. Read the message: only `pending` (or `sending`, a crashed earlier try) goes on; `passive`, `sent`, `failed` are done.
 * 2. A channel with a synchronous reply (WeChat) lets its webhook take replies first: wait until the webhook's
 *    deadline after the customer's last message has passed.
 * 3. Outside the channel's service window (WeChat 48 h, WhatsApp 24 h) the reply is `failed` with
 *    OUTSIDE_SERVICE_WINDOW without calling the platform; agents are told.
 * 4. Claim (`pending` → `sending`, conditional), send with retries (backoff with jitter, the platform's Retry-After),
 *    paced below the channel's documented rate; then `sent`, or `failed` for good. A retryable failure that outlasts
 *    the retries is thrown back to the stream, which retries the batch from this record and, after its attempts, puts
 *    it on the dead-letter queue (with an alarm).
 */
import { fitText, withinServiceWindow } from '../domain/conversation/channel-text.ts';
import type { Channel, Message } from '../domain/conversation/conversation.ts';
import type { ChannelCapabilities, ChannelSender, OutsideWindowSender, SendResult } from '../ports/channel.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { CustomerDirectory } from '../ports/directory.ts';
import type { Clock, LiveUpdates } from '../ports/gateways.ts';
import { AGENTS_AUDIENCE, conversationAudience } from './conversation.use-cases.ts';

export interface OutboxChannel {
  readonly sender?: ChannelSender;
  /** What may still go out once the service window has closed (WhatsApp's template), if the channel has it. */
  readonly outsideWindow?: OutsideWindowSender;
  readonly capabilities?: ChannelCapabilities;
  /** Why the channel cannot send (not configured), never a secret. */
  readonly problem?: string;
}

export interface OutboxDeps {
  readonly store: ConversationStore;
  readonly customers: CustomerDirectory;
  readonly clock: Clock;
  readonly live: LiveUpdates;
  readonly channel: (channel: Channel) => Promise<OutboxChannel>;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Tries per send before the failure goes back to the stream (default 3). */
  readonly attempts?: number;
  /** First backoff (default 200 ms; doubled each try, with full jitter). */
  readonly backoffMs?: number;
  readonly random?: () => number;
}

export type DeliveryOutcome =
  | { readonly outcome: 'sent'; readonly attempts: number }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'failed'; readonly code: string };

/** Thrown when a send still fails retryably after its tries: the stream retries it later (then the dead-letter queue). */
export class RetryLater extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'RetryLater';
  }
}

/** The longest a platform's Retry-After is waited for inside one invocation (longer: back to the stream). */
const MAX_WAIT_MS = 10_000;
/** After a synchronous-reply channel's deadline, a little more for the webhook's own claim to land. */
const SYNC_GRACE_MS = 500;

/** The text a channel receives: the reply and the links of the knowledge entry it came from. */
export function outboundText(message: Message): string {
  const links = (message.attachments ?? []).map((a) => (a.title ? `${a.title}: ${a.url}` : a.url));
  return [message.text, ...links].filter((part) => part.trim() !== '').join('\n');
}

export function makeDeliverReply(deps: OutboxDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = deps.random ?? Math.random;
  const attempts = deps.attempts ?? 3;
  const backoffMs = deps.backoffMs ?? 200;
  const lastSendAt = new Map<Channel, number>();

  const pace = async (channel: Channel, rate: number | undefined) => {
    if (!rate) return;
    const gap = 1000 / rate - (Date.now() - (lastSendAt.get(channel) ?? 0));
    if (gap > 0) await sleep(gap);
    lastSendAt.set(channel, Date.now());
  };

  const fail = async (message: Message, code: string, text: string, from: ('pending' | 'sending')[]) => {
    const at = deps.clock.now().toISOString();
    const failed = await deps.store.setOutbox(message.conversationId, message.seq, { from, to: 'failed', fields: { outboxAt: at, outboxError: { code, message: text.slice(0, 500) } } });
    if (!failed) return { outcome: 'skipped', reason: 'taken meanwhile' } as const;
    await deps.store.recordEvent(message.conversationId, { type: 'channel-delivery-failed', at, actor: 'outbox', detail: { messageId: message.id, seq: message.seq, code, message: text.slice(0, 500) } });
    const event = { type: 'message.delivery', conversationId: message.conversationId, messageId: message.id, seq: message.seq, outbox: 'failed', code };
    await Promise.all([deps.live.publish(AGENTS_AUDIENCE, event), deps.live.publish(conversationAudience(message.conversationId), event)]);
    return { outcome: 'failed', code } as const;
  };

  return async (ref: { conversationId: string; seq: number }): Promise<DeliveryOutcome> => {
    let message = await deps.store.getMessage(ref.conversationId, ref.seq);
    if (!message) return { outcome: 'skipped', reason: 'no such message' };
    if (message.outbox !== 'pending' && message.outbox !== 'sending') return { outcome: 'skipped', reason: `already ${message.outbox ?? 'not outbound'}` };
    const conversation = await deps.store.get(ref.conversationId);
    if (!conversation) return { outcome: 'skipped', reason: 'no such conversation' };
    const channel = await deps.channel(conversation.channel);
    if (!channel.sender || !channel.capabilities) return fail(message, 'CHANNEL.NOT_CONFIGURED', channel.problem ?? `the ${conversation.channel} channel cannot send`, ['pending', 'sending']);
    const customer = await deps.customers.get(conversation.customerId);
    const to = customer?.identities.find((identity) => identity.channel === conversation.channel)?.value;
    if (!to) return fail(message, 'CHANNEL.NO_IDENTITY', `the customer has no ${conversation.channel} identity`, ['pending', 'sending']);

    const caps = channel.capabilities;
    if (caps.syncReplyDeadlineMs !== undefined && conversation.lastInboundAt) {
      const wait = Date.parse(conversation.lastInboundAt) + caps.syncReplyDeadlineMs + SYNC_GRACE_MS - deps.clock.now().getTime();
      if (wait > 0) await sleep(Math.min(wait, caps.syncReplyDeadlineMs + SYNC_GRACE_MS));
    }
    const inWindow = withinServiceWindow(conversation.lastInboundAt, caps.serviceWindowHours, deps.clock.now());
    if (!inWindow && !channel.outsideWindow) {
      return fail(message, 'OUTSIDE_SERVICE_WINDOW', `more than ${caps.serviceWindowHours} h since the customer's last message`, ['pending', 'sending']);
    }
    // Outside the window only the channel's template may go (WhatsApp): the reply rides in it as its parameter.
    const send = inWindow || !channel.outsideWindow ? channel.sender.sendText.bind(channel.sender) : channel.outsideWindow.send.bind(channel.outsideWindow);
    const via = inWindow ? undefined : channel.outsideWindow?.via;
    const claimed = await deps.store.setOutbox(ref.conversationId, ref.seq, {
      from: ['pending', 'sending'],
      to: 'sending',
      fields: { outboxAt: deps.clock.now().toISOString(), outboxAttempts: (message.outboxAttempts ?? 0) + 1 },
    });
    if (!claimed) return { outcome: 'skipped', reason: 'taken by the webhook' };
    message = claimed;

    const text = fitText(outboundText(message), caps.maxText);
    const context = { messageId: message.id, conversationId: message.conversationId, ...(conversation.channelThread ? { thread: conversation.channelThread } : {}) };
    let result: SendResult = { ok: false, retryable: true, code: 'NOT_TRIED', message: '' };
    let tries = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      tries = attempt;
      await pace(conversation.channel, caps.sendRatePerSecond);
      result = await send(to, text, context).catch((error: unknown) => ({ ok: false as const, retryable: true, code: 'SEND_THREW', message: (error as Error).message }));
      if (result.ok || !result.retryable) break;
      if (attempt === attempts) break;
      const backoff = random() * backoffMs * 2 ** (attempt - 1);
      const wait = Math.max(backoff, result.retryAfterMs ?? 0);
      if (wait > MAX_WAIT_MS) break;
      await sleep(wait);
    }
    if (result.ok) {
      await deps.store.setOutbox(ref.conversationId, ref.seq, {
        from: ['sending'],
        to: 'sent',
        fields: { outboxAt: deps.clock.now().toISOString(), ...(result.providerMessageId ? { providerMessageId: result.providerMessageId } : {}), ...(via ? { outboxVia: via } : {}) },
      });
      await deps.live.publish(conversationAudience(message.conversationId), { type: 'message.delivery', conversationId: message.conversationId, messageId: message.id, seq: message.seq, outbox: 'sent' });
      return { outcome: 'sent', attempts: tries };
    }
    if (!result.retryable) return fail(message, result.code, result.message, ['sending']);
    throw new RetryLater(result.code, `sending to ${conversation.channel} failed: ${result.code} ${result.message}`);
  };
}
