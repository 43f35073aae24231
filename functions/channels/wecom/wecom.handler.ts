/**
 * WeCom customer service (企业微信 微信客服) callback: GET answers the encrypted echostr verification; POST checks the
 * msg_signature, decrypts the notice, pulls the waiting messages with kf/sync_msg from the account's kept cursor,
 * stores each once per msgid, and answers `success`; replies leave through the channel outbox (kf/send_msg).
 *
 * Secrets (channels.ts): corpId, secret (the 微信客服 secret), token, encodingAesKey.
 */
import { channelWebhook } from '../../../shared/adapters/wiring/channel-webhook.ts';

export const handler = channelWebhook('wecom', 'wecom', { handshake: 'wecomVerify', receive: 'wecomReceive' });
