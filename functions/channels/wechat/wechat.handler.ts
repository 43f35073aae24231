/**
 * WeChat Official Account webhook: GET answers the `echostr` URL verification; POST verifies the signature, parses the
 * XML, persists the message (once per MsgId), and within WeChat's 5-second rule replies passively with the bot's answer
 * when it is ready in about 4 s, otherwise answers `success` and records that the reply must go out through the
 * customer-service message API.
 *
 * Configuration: KEFU_WECHAT_TOKEN, the token of the account's server settings; for safe mode also
 * KEFU_WECHAT_ENCODING_AES_KEY and KEFU_WECHAT_APP_ID (locally environment variables; in AWS they are to come from
 * Secrets Manager). Without a token, or with a broken safe-mode setting, the webhook answers 503 and stores nothing.
 */
import { makeAwaitReply, makeChannelIntake } from '../../../shared/application/channel-intake.use-cases.ts';
import { WechatChannelAdapter } from '../../../shared/adapters/channels/wechat/wechat.adapter.ts';
import { once } from '../../../shared/adapters/wiring/once.ts';
import { clock, conversationStore, customerDirectory, ids } from '../../../shared/adapters/wiring/storage.ts';
import type { ChannelResponse } from '../../../shared/ports/channel.ts';
import { meter } from '../../../shared/observability/cost-meter.ts';
import { logger } from '../../../shared/observability/handler-kit.ts';
import { webhookError, webhookFunction, type WebhookHandler } from '../../../shared/observability/webhook-kit.ts';

export const WECHAT_TOKEN_ENV = 'KEFU_WECHAT_TOKEN';
/** Safe mode (optional): the EncodingAESKey and the app id of the official account; both or neither. */
export const WECHAT_AES_KEY_ENV = 'KEFU_WECHAT_ENCODING_AES_KEY';
export const WECHAT_APP_ID_ENV = 'KEFU_WECHAT_APP_ID';
/** How long the webhook waits for the bot's reply before answering `success` (WeChat gives up after 5 s). */
const REPLY_BUDGET_MS = 4000;

// Read at first use, not at load: the local runtime loads every function, configured channel or not.
const adapter = once(() => {
  const token = process.env[WECHAT_TOKEN_ENV];
  const encodingAesKey = process.env[WECHAT_AES_KEY_ENV];
  const appId = process.env[WECHAT_APP_ID_ENV] ?? '';
  if (!token) return undefined;
  try {
    return new WechatChannelAdapter({ token, ...(encodingAesKey ? { safeMode: { encodingAesKey, appId } } : {}) });
  } catch (error) {
    // A broken safe-mode setting must not fall back to plain mode: the channel stays closed until it is fixed.
    logger.error('the WeChat channel is misconfigured', { error: error as Error });
    return undefined;
  }
});
const deps = () => ({ store: conversationStore(), customers: customerDirectory(), clock, ids });

const raw = (response: ChannelResponse) => ({ status: response.status, raw: { contentType: response.contentType, body: response.body } });
const notConfigured = () => webhookError(503, 'CHANNEL.NOT_CONFIGURED', `the WeChat channel is not configured (${WECHAT_TOKEN_ENV})`);

const verifyOnly: WebhookHandler = async (request) => {
  const wechat = adapter();
  if (!wechat) return notConfigured();
  const verified = wechat.verify(request);
  if (verified.kind === 'refused') return webhookError(verified.status, verified.code, verified.message);
  if (verified.kind === 'handshake') return raw(verified.response);
  return raw(wechat.acknowledge());
};

const receive: WebhookHandler = async (request) => {
  const started = Date.now();
  const wechat = adapter();
  if (!wechat) return notConfigured();
  const verified = wechat.verify(request);
  if (verified.kind === 'refused') return webhookError(verified.status, verified.code, verified.message);
  if (verified.kind === 'handshake') return raw(verified.response);
  const parsed = wechat.parse(request);
  if (parsed.kind === 'refused') return webhookError(parsed.status, parsed.code, parsed.message);

  const message = parsed.messages[0]!;
  const accepted = await makeChannelIntake(deps())(message);
  if (accepted.kind === 'event') {
    logger.info('wechat event', { event: message.event, eventName: message.eventName });
    return raw(wechat.acknowledge());
  }
  meter.attribute(accepted.conversationId, 'wechat');
  logger.appendKeys({ conversationId: accepted.conversationId });
  logger.setCorrelationId(accepted.conversationId);

  // WeChat retries the same MsgId when it got no answer in time: the retry waits for the same reply.
  const replies = await makeAwaitReply({ store: conversationStore() })({ conversationId: accepted.conversationId, afterSeq: accepted.seq, deadline: started + REPLY_BUDGET_MS });
  const at = clock.now().toISOString();
  if (replies.length > 0) {
    await conversationStore().recordEvent(accepted.conversationId, { type: 'channel-reply', at, actor: 'wechat', detail: { mode: 'passive', afterSeq: accepted.seq, replyIds: replies.map((m) => m.id) } });
    return raw(wechat.reply!(message, replies.map((m) => m.text).join('\n\n')));
  }
  // Not ready in time: the reply is owed through the customer-service API (sent by the channel's outbound sender).
  await conversationStore().recordEvent(accepted.conversationId, { type: 'channel-reply', at, actor: 'wechat', detail: { mode: 'pending-async', afterSeq: accepted.seq, to: message.sender } });
  return raw(wechat.acknowledge());
};

export const handler = webhookFunction('wechat', { wechatVerify: verifyOnly, wechatReceive: receive });
