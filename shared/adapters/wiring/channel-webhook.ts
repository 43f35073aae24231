/**
 * One webhook function for any channel adapter: the adapter's secrets (channels.ts) → verify → parse → persist each
 * message once (channel intake) → answer. Channels with a synchronous reply (WeChat's passive reply) wait for the bot
 * within the channel's deadline and take the replies from the outbox; otherwise the webhook acknowledges at once and
 * the outbox consumer sends the replies through the channel's API.
 *
 * Refusals never store anything: not configured → 503 CHANNEL.NOT_CONFIGURED; bad signature or replayed timestamp →
 * 401; malformed → 400; body over the limit → 413 (webhook-kit). A message is persisted before the webhook answers 2xx,
 * so a platform that got no 2xx retries, and the retry is absorbed by the dedupe id.
 *
 * The channel's settings (cached 30 s): a disabled channel stores nothing and answers the platform's normal
 * acknowledgement (so that it does not retry), logged; an enabled one opens new conversations in its routing group.
 */
import { makeAwaitReply, makeChannelIntake, makeClaimPassiveReplies } from '../../application/channel-intake.use-cases.ts';
import { isMessagingChannel } from '../../application/routing-admin.use-cases.ts';
import type { Channel } from '../../domain/conversation/conversation.ts';
import type { FunctionId } from '../../manifest/manifest.ts';
import type { ChannelAdapter, ChannelPull, ChannelResponse, InboundMessage } from '../../ports/channel.ts';
import { meter } from '../../observability/cost-meter.ts';
import { logger, type HttpResult } from '../../observability/handler-kit.ts';
import { webhookError, webhookFunction, type WebhookFunctionOptions, type WebhookHandler } from '../../observability/webhook-kit.ts';
import { channelSettings, intakeGroup } from './channel-settings.ts';
import { channelKit } from './channels.ts';
import { channelCursors, clock, conversationStore, customerDirectory, ids } from './storage.ts';

/** Margin kept between the end of the wait for a reply and the channel's own deadline (answering takes time too). */
const SYNC_REPLY_MARGIN_MS = 1000;

const raw = (response: ChannelResponse) => ({ status: response.status, raw: { contentType: response.contentType, body: response.body } });

export interface ChannelWebhookRoutes {
  /** Route name of the GET handshake, where the channel has one. */
  readonly handshake?: string;
  /** Route name of the POST that delivers messages. */
  readonly receive: string;
}

export function channelWebhook(channel: Channel, functionId: FunctionId, routes: ChannelWebhookRoutes, options: WebhookFunctionOptions = {}) {
  /** The channel's adapter (and pull step) as its secrets make them now, or the 503 a channel without them answers. */
  const configured = async (): Promise<{ adapter: ChannelAdapter; pull?: ChannelPull } | { refusal: HttpResult }> => {
    const kit = await channelKit(channel);
    if (kit.adapter) return { adapter: kit.adapter, ...(kit.pull ? { pull: kit.pull } : {}) };
    if (kit.problem) logger.warn(`the ${channel} channel is not configured`, { problem: kit.problem });
    return { refusal: webhookError(503, 'CHANNEL.NOT_CONFIGURED', `the ${channel} channel is not configured`) };
  };

  const handshake: WebhookHandler = async (request) => {
    const kit = await configured();
    if ('refusal' in kit) return kit.refusal;
    const { adapter } = kit;
    const verified = adapter.verify(request);
    if (verified.kind === 'refused') return webhookError(verified.status, verified.code, verified.message);
    if (verified.kind === 'handshake') return raw(verified.response);
    return raw(adapter.acknowledge());
  };

  const receive: WebhookHandler = async (request) => {
    const started = Date.now();
    const kit = await configured();
    if ('refusal' in kit) return kit.refusal;
    const { adapter, pull } = kit;
    const verified = adapter.verify(request);
    if (verified.kind === 'refused') return webhookError(verified.status, verified.code, verified.message);
    if (verified.kind === 'handshake') return raw(verified.response);
    const parsed = adapter.parse(request);
    if (parsed.kind === 'refused') return webhookError(parsed.status, parsed.code, parsed.message);

    const settings = isMessagingChannel(channel) ? await channelSettings(channel) : undefined;
    if (settings && !settings.enabled) {
      logger.info(`the ${channel} channel is disabled; the delivery is acknowledged and not stored`, { messages: parsed.messages.length });
      return raw(adapter.acknowledge());
    }
    const routed = settings ? intakeGroup(settings) : {};
    const intake = makeChannelIntake({ store: conversationStore(), customers: customerDirectory(), clock, ids });
    const accepted: { message: InboundMessage; conversationId: string; seq: number }[] = [];
    // A channel that only notifies (WeCom) has its messages pulled; the read position moves once they are stored.
    const commits: (() => Promise<void>)[] = [];
    const messages: InboundMessage[] = [];
    for (const message of parsed.messages) {
      const pulled = pull ? await pull(message, channelCursors()) : undefined;
      if (!pulled) messages.push(message);
      else {
        messages.push(...pulled.messages);
        commits.push(pulled.commit);
      }
    }
    // In the order the channel sent them: one conversation's messages keep their order.
    for (const message of messages) {
      const result = await intake(message, routed);
      if (result.kind === 'event') {
        logger.info(`${channel} event`, { event: message.event, eventName: message.eventName });
        continue;
      }
      meter.attribute(result.conversationId, channel);
      logger.appendKeys({ conversationId: result.conversationId });
      accepted.push({ message, conversationId: result.conversationId, seq: result.seq });
    }

    for (const commit of commits) await commit();

    const deadlineMs = adapter.capabilities.syncReplyDeadlineMs;
    const only = accepted.length === 1 ? accepted[0] : undefined;
    if (!adapter.reply || deadlineMs === undefined || !only) return raw(adapter.acknowledge());

    // A synchronous reply: wait for the bot (a platform's retry of the same message waits for the same reply).
    logger.setCorrelationId(only.conversationId);
    const store = conversationStore();
    const replies = await makeAwaitReply({ store })({ conversationId: only.conversationId, afterSeq: only.seq, deadline: started + deadlineMs - SYNC_REPLY_MARGIN_MS });
    // Late claims would race the outbox consumer's wait: past the margin, the replies are left to it.
    const taken = Date.now() < started + deadlineMs - SYNC_REPLY_MARGIN_MS / 2 ? await makeClaimPassiveReplies({ store, clock })(replies) : [];
    const at = clock.now().toISOString();
    if (taken.length > 0) {
      await store.recordEvent(only.conversationId, { type: 'channel-reply', at, actor: channel, detail: { mode: 'passive', afterSeq: only.seq, replyIds: taken.map((m) => m.id) } });
      return raw(adapter.reply(only.message, taken.map((m) => m.text).join('\n\n')));
    }
    // Not ready in time (or already taken by the outbox): the outbox consumer sends it through the channel's API.
    await store.recordEvent(only.conversationId, { type: 'channel-reply', at, actor: channel, detail: { mode: 'outbox', afterSeq: only.seq } });
    return raw(adapter.acknowledge());
  };

  return webhookFunction(functionId, { ...(routes.handshake ? { [routes.handshake]: handshake } : {}), [routes.receive]: receive }, options);
}
