/**
 * LINE Messaging API webhook: `x-line-signature` (base64 HMAC-SHA256 of the raw body with the channel secret) must
 * match; each event is stored once per webhookEventId (LINE redelivers); replies leave through the channel outbox,
 * with the free reply token while it is fresh, else a push with a retry key.
 *
 * Secrets (channels.ts): channelSecret, channelAccessToken.
 */
import { channelWebhook } from '../../../shared/adapters/wiring/channel-webhook.ts';

export const handler = channelWebhook('line', 'line', { receive: 'lineReceive' });
