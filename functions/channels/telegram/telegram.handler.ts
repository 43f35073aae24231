/**
 * Telegram Bot API webhook: the `X-Telegram-Bot-Api-Secret-Token` header (set with setWebhook's secret_token) must
 * match; each update is stored once per update_id; replies leave through the channel outbox (sendMessage).
 *
 * Secrets (channels.ts): botToken, secretToken.
 */
import { channelWebhook } from '../../../shared/adapters/wiring/channel-webhook.ts';

export const handler = channelWebhook('telegram', 'telegram', { receive: 'telegramReceive' });
