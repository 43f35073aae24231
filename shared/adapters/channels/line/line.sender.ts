/**
 * Outbound LINE text: the free reply API (`POST /v2/bot/message/reply`) while the inbound event's reply token is fresh,
 * else the push API (`POST /v2/bot/message/push`, counted against the plan's monthly message quota).
 *
 * - A reply token can be used once and only shortly after the event (LINE: within about a minute); Kefu uses it only
 *   while it is younger than 50 s, and falls back to push when LINE calls it invalid (already used, or expired).
 * - Push carries `X-Line-Retry-Key`, a UUID derived from Kefu's message id, so that a retry of the same send is not
 *   delivered twice: LINE answers 409 for a key it has already accepted (within 24 hours), which means "sent".
 * - 429 (rate limit or monthly quota) and 5xx are worth another try; 400 / 401 / 403 / 404 are not.
 *
 * Sources: developers.line.biz/en/reference/messaging-api/ — Send reply message, Send push message, Retry failed API
 * requests (X-Line-Retry-Key), Status codes; developers.line.biz/en/docs/messaging-api/retrying-api-request/.
 */
import { createHash } from 'node:crypto';
import type { ChannelSender, OutboundContext, SendResult } from '../../../ports/channel.ts';

export const LINE_API_BASE_URL = 'https://api.line.me';

/** A text message object carries at most 5000 characters. */
export const LINE_MAX_TEXT_LENGTH = 5000;

/** How old a reply token may be for Kefu still to try it (LINE accepts it for about a minute). */
export const LINE_REPLY_TOKEN_MAX_AGE_MS = 50_000;

/** The namespace of Kefu's LINE retry keys (a fixed, arbitrary UUID: only its constancy matters). */
export const LINE_RETRY_KEY_NAMESPACE = '5c1f0f9e-3d7a-4b8e-9a41-6e2d8c0b7f13';

/** Cuts a text to at most `max` UTF-16 code units, never inside a surrogate pair, marking the cut with "…". */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** A name-based (version 5, SHA-1) UUID, RFC 9562 §5.5. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (ns.length !== 16) throw new Error('the namespace must be a UUID');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The `X-Line-Retry-Key` of a Kefu message: the same for every retry of that message, different between messages. */
export function lineRetryKey(messageId: string): string {
  return uuidV5(LINE_RETRY_KEY_NAMESPACE, messageId);
}

export interface LineSenderOptions {
  readonly channelAccessToken: string;
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

interface LineBody {
  message?: string;
  sentMessages?: { id?: string }[];
}

type Attempt = { result: SendResult; invalidReplyToken?: boolean };

export class LineSender implements ChannelSender {
  readonly channel = 'line' as const;
  private readonly now: () => Date;

  constructor(private readonly options: LineSenderOptions) {
    if (!options.channelAccessToken) throw new Error('the LINE channel access token must not be empty');
    this.now = options.now ?? (() => new Date());
  }

  /**
   * `to` is the user id. When the conversation's latest message came from a group or a multi-person chat (the thread
   * names `groupId` / `roomId`), a push goes back there, as the reply token would have.
   */
  async sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult> {
    const messages = [{ type: 'text', text: truncateText(text, LINE_MAX_TEXT_LENGTH) }];
    const thread = context?.thread;
    if (thread?.replyToken && this.replyTokenFresh(thread.replyTokenAt)) {
      const reply = await this.post('/v2/bot/message/reply', { replyToken: thread.replyToken, messages });
      if (!reply.invalidReplyToken) return reply.result;
    }
    const target = thread?.groupId || thread?.roomId || to;
    const retryKey = context?.messageId ? lineRetryKey(context.messageId) : undefined;
    return (await this.post('/v2/bot/message/push', { to: target, messages }, retryKey)).result;
  }

  private replyTokenFresh(at: string | undefined): boolean {
    if (!at) return false;
    const age = this.now().getTime() - Date.parse(at);
    // A little tolerance for clocks that disagree, none for a token that is too old (or a time that does not parse).
    return Number.isFinite(age) && age > -5_000 && age < LINE_REPLY_TOKEN_MAX_AGE_MS;
  }

  private async post(path: string, payload: unknown, retryKey?: string): Promise<Attempt> {
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(new URL(path, this.options.baseUrl ?? LINE_API_BASE_URL), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.channelAccessToken}`,
          'content-type': 'application/json; charset=utf-8',
          ...(retryKey ? { 'x-line-retry-key': retryKey } : {}),
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
    } catch (error) {
      return { result: { ok: false, retryable: true, code: 'NETWORK', message: (error as Error).message } };
    }
    const body = (await res.json().catch(() => ({}))) as LineBody;
    if (res.ok) {
      const id = Array.isArray(body.sentMessages) ? body.sentMessages[0]?.id : undefined;
      return { result: { ok: true, ...(typeof id === 'string' && id ? { providerMessageId: id } : {}) } };
    }
    const message = typeof body.message === 'string' ? body.message : res.statusText;
    // The same retry key again: LINE accepted the first request, so the message was sent.
    if (res.status === 409 && retryKey) {
      const accepted = res.headers.get('x-line-accepted-request-id');
      return { result: { ok: true, ...(accepted ? { providerMessageId: accepted } : {}) } };
    }
    const code = `LINE_${res.status}`;
    if (res.status === 429) {
      const after = res.headers.get('retry-after');
      const retryAfterMs = after && /^\d{1,6}$/.test(after.trim()) ? Number(after.trim()) * 1000 : undefined;
      return { result: { ok: false, retryable: true, code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
    }
    if (res.status >= 500) return { result: { ok: false, retryable: true, code, message } };
    return { result: { ok: false, retryable: false, code, message }, invalidReplyToken: res.status === 400 && /reply ?token/i.test(message) };
  }
}
