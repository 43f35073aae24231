/**
 * WhatsApp Cloud API webhook: GET answers Meta's `hub.challenge` verification when `hub.verify_token` matches; POST
 * checks `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret), stores each message once per wamid
 * (delivery statuses are events, never messages); replies leave through the channel outbox within the 24-hour window.
 *
 * Secrets (channels.ts): appSecret, verifyToken, accessToken, phoneNumberId.
 */
import { channelWebhook } from '../../../shared/adapters/wiring/channel-webhook.ts';

export const handler = channelWebhook('whatsapp', 'whatsapp', { handshake: 'whatsappVerify', receive: 'whatsappReceive' });
