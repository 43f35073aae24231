/**
 * The WeChat Official Account channel from its secrets: the webhook adapter needs the token (and, for safe mode, the
 * EncodingAESKey and the app id); the customer-service sender needs the app id and the app secret.
 */
import type { ChannelAdapter, ChannelSender } from '../../../ports/channel.ts';
import { FetchedAccessTokens, WechatCustomerServiceSender } from './wechat-customer-service.sender.ts';
import { WechatChannelAdapter } from './wechat.adapter.ts';

export const WECHAT_SECRET_KEYS = ['token', 'encodingAesKey', 'appId', 'appSecret'] as const;

export function wechatChannel(config: { secrets: Readonly<Record<string, string | undefined>>; apiBaseUrl?: string; fetch?: typeof fetch; now?: () => Date }): { adapter: ChannelAdapter; sender?: ChannelSender } {
  const { token, encodingAesKey, appId, appSecret } = config.secrets;
  if (!token) throw new Error('the WeChat channel is missing secret(s): token');
  if (encodingAesKey && !appId) throw new Error('the WeChat channel is missing secret(s): appId (safe mode needs it)');
  const adapter = new WechatChannelAdapter({ token, ...(encodingAesKey ? { safeMode: { encodingAesKey, appId: appId! } } : {}), ...(config.now ? { now: config.now } : {}) });
  const options = { ...(config.apiBaseUrl ? { baseUrl: config.apiBaseUrl } : {}), ...(config.fetch ? { fetch: config.fetch } : {}) };
  const sender = appId && appSecret ? new WechatCustomerServiceSender({ tokens: new FetchedAccessTokens({ appId, appSecret, ...options }), ...options }) : undefined;
  return { adapter, ...(sender ? { sender } : {}) };
}
