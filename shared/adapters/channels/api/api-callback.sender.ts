/**
 * The REST API channel's push: a reply (bot, agent, system) on a conversation whose API key has a callback URL is
 * POSTed by the channel outbox to that URL, signed with the key's callback secret (shown once, when the key was made).
 *
 *   POST <callbackUrl>
 *   Content-Type: application/json
 *   Kefu-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(callbackSecret, "<t>.<raw body>")>
 *   Kefu-Delivery: <messageId>          the same on every retry of one reply: the receiver's idempotency key
 *
 *   { "type": "message", "conversationId": "conv_…", "customerExternalId": "<your customer id>",
 *     "message": { "id": "msg_…", "text": "…" }, "sentAt": "<ISO 8601>" }
 *
 * The HMAC key is the callback secret's text as given (43 characters of base64url, used as UTF-8, not decoded). A
 * receiver checks the signature over the raw body (before parsing it), refuses a `t` too far from its clock (e.g. 5
 * minutes), and answers 2xx once it has the message. 429 and 5xx (and timeouts after 10 s, network errors) are retried
 * by the outbox, honouring Retry-After; any other 4xx drops that reply (marked failed: CALLBACK_<status>).
 *
 *   import { createHmac, timingSafeEqual } from 'node:crypto';
 *   function verifyKefu(rawBody: string, header: string, secret: string, toleranceSeconds = 300): boolean {
 *     const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
 *     const t = Number(parts.t);
 *     if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || !parts.v1) return false;
 *     const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
 *     const given = Buffer.from(parts.v1, 'hex');
 *     return given.length === expected.length && timingSafeEqual(given, expected);
 *   }
 *
 * The key is looked up at every send (a revoked key, or one without a callback, sends nothing more: not retryable
 * CALLBACK.NOT_CONFIGURED). `to` is the customer's API identity "<owner>:<externalId>".
 */
import { callbackSignatureHeader } from '../../../domain/channels/api-keys.ts';
import type { ApiKeyStore } from '../../../ports/api-keys.ts';
import type { ChannelCapabilities, ChannelSender, OutboundContext, SendResult } from '../../../ports/channel.ts';

export const API_CALLBACK_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: 10_000, unit: 'characters' },
  richContent: [],
  sendRatePerSecond: 20,
};

const TIMEOUT_MS = 10_000;

export interface ApiCallbackSenderOptions {
  readonly keys: Pick<ApiKeyStore, 'get'>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** The clock of the signature's timestamp. */
  readonly now?: () => Date;
}

/** Milliseconds from an HTTP Retry-After (seconds or an HTTP date), if it has a usable value. */
function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now.getTime()) : undefined;
}

export class ApiCallbackSender implements ChannelSender {
  readonly channel = 'api' as const;

  constructor(private readonly options: ApiCallbackSenderOptions) {}

  async sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult> {
    const notConfigured = (message: string): SendResult => ({ ok: false, retryable: false, code: 'CALLBACK.NOT_CONFIGURED', message });
    const keyId = context?.thread?.apiKeyId;
    if (!keyId || !context) return notConfigured('the conversation names no API key with a callback');
    const key = await this.options.keys.get(keyId);
    if (!key || key.revokedAt !== undefined) return notConfigured(`API key ${keyId} is revoked or gone`);
    if (!key.callbackUrl || !key.callbackSecret) return notConfigured(`API key ${keyId} has no callback`);

    const now = this.options.now?.() ?? new Date();
    const separator = to.indexOf(':');
    const body = JSON.stringify({
      type: 'message',
      conversationId: context.conversationId,
      customerExternalId: separator >= 0 ? to.slice(separator + 1) : to,
      message: { id: context.messageId, text },
      sentAt: now.toISOString(),
    });
    const timestamp = Math.floor(now.getTime() / 1000);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(key.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'kefu-signature': callbackSignatureHeader(key.callbackSecret, timestamp, body), 'kefu-delivery': context.messageId },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (error) {
      return { ok: false, retryable: true, code: 'CALLBACK.NETWORK', message: (error as Error).message };
    }
    // The receiver's answer body is not needed (and never logged): drain it so that the connection is freed.
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { ok: true };
    const retryable = res.status === 429 || res.status >= 500;
    const wait = retryable ? retryAfterMs(res.headers.get('retry-after'), now) : undefined;
    return { ok: false, retryable, code: `CALLBACK_${res.status}`, message: `the callback answered HTTP ${res.status}`, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
  }
}

/** The API channel's outbox kit: the callback sender on the given key store. */
export function apiCallbackChannel(options: ApiCallbackSenderOptions): { sender: ChannelSender; capabilities: ChannelCapabilities } {
  return { sender: new ApiCallbackSender(options), capabilities: API_CALLBACK_CAPABILITIES };
}
