/**
 * WeChat Official Account webhook: GET answers the `echostr` URL verification; POST verifies the signature (and, in
 * safe mode, decrypts), persists the message once per MsgId, and within WeChat's 5-second rule replies passively with
 * the bot's answer when it is ready in about 4 s; otherwise it answers `success` and the channel outbox sends the reply
 * through the customer-service message API.
 *
 * Secrets (channels.ts): token (required), encodingAesKey + appId (safe mode), appId + appSecret (sending).
 */
import { channelWebhook } from '../../../shared/adapters/wiring/channel-webhook.ts';

export const handler = channelWebhook('wechat', 'wechat', { handshake: 'wechatVerify', receive: 'wechatReceive' });
