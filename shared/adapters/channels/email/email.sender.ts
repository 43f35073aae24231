/**
 * Outbound e-mail through Amazon SES v2 (`SendEmail`, `POST /v2/email/outbound-emails`) with Simple content: SES
 * assembles the MIME message from the subject, a text and an HTML body, and the extra headers given in
 * `Content.Simple.Headers` (the `Headers` field of the SES v2 `Message` type: name/value pairs, values printable
 * ASCII of at most 995 characters).
 *
 * Threading: In-Reply-To names the customer's message and References carries the thread, with Kefu's own id
 * `<kefu.{conversationId}.{messageId}@{replyDomain}>` appended. SES does not keep a caller-set Message-ID (the SES
 * developer guide, "Amazon SES header fields": "If you provide a Message-ID header, Amazon SES overrides the header
 * with its own value"), so Kefu's id cannot be the Message-ID; it travels in References instead, which the customer's
 * client copies into its reply, and the Reply-To plus address (`support+{conversationId}@…`) identifies the
 * conversation even when a client drops every header. See email-threading.ts.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { ChannelCapabilities, ChannelSender, OutboundContext, SendResult } from '../../../ports/channel.ts';
import { cut, isEmailAddress } from './email-parse.ts';
import { capReferences, CONVERSATION_ID, outboundHeaders, replySubject, replyToAddress } from './email-threading.ts';

/**
 * E-mail has no platform limit on text worth the name (SES takes messages up to 40 MB), so the cut is Kefu's: 100,000
 * characters keep a reply (sent twice, as text and as HTML) far below SES's size limit and below the ~102 KB at which
 * Gmail clips a message body behind "[Message clipped]"; a customer-service answer longer than that is a bug.
 */
export const EMAIL_MAX_TEXT_CHARS = 100_000;

export const EMAIL_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: EMAIL_MAX_TEXT_CHARS, unit: 'characters' },
  richContent: ['file', 'link', 'image'],
  // No service window and no synchronous reply: mail may be answered at any time, always through SES.
  // 1 message per second is the SES sandbox's sending rate; production accounts get a higher quota (often 14/s at
  // first, raised on request), which the deployment may configure instead.
  sendRatePerSecond: 1,
};

/** Email needs no channel secret (SES is reached with the function's IAM role). */
export const EMAIL_SECRET_KEYS = [] as const;

// Throttling and quota errors, and SES's own failures: worth another try later.
const RETRYABLE = new Set(['TooManyRequestsException', 'LimitExceededException', 'InternalServiceErrorException', 'ServiceUnavailable', 'ThrottlingException', 'Throttling', 'RequestTimeout', 'TimeoutError', 'AbortError']);
// The send can never succeed as it is: the message, the sender identity or the account must change first.
const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'SendingPausedException', 'BadRequestException', 'NotFoundException']);

export interface SesEmailSenderOptions {
  readonly client: SESv2Client;
  /** The verified sending address (`support@example.com`); also the base of the Reply-To plus address. */
  readonly fromAddress: string;
  /** The domain of Kefu's message ids; defaults to the domain of `fromAddress`. */
  readonly replyDomain?: string;
  /** An SES configuration set (event publishing, dedicated IPs). */
  readonly configurationSetName?: string;
  readonly timeoutMs?: number;
}

export class SesEmailSender implements ChannelSender {
  readonly channel = 'email' as const;
  private readonly replyDomain: string;

  constructor(private readonly options: SesEmailSenderOptions) {
    if (!isEmailAddress(options.fromAddress)) throw new Error('the email channel needs a valid fromAddress');
    this.replyDomain = options.replyDomain ?? options.fromAddress.slice(options.fromAddress.lastIndexOf('@') + 1);
  }

  async sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult> {
    if (!isEmailAddress(to)) return { ok: false, retryable: false, code: 'EMAIL_INVALID_RECIPIENT', message: 'the recipient is not an e-mail address' };
    const body = cut(text, EMAIL_MAX_TEXT_CHARS);
    const threaded = context && CONVERSATION_ID.test(context.conversationId);
    const headers = threaded ? outboundHeaders(context.thread, { conversationId: context.conversationId, messageId: context.messageId, replyDomain: this.replyDomain }) : undefined;
    const references = headers ? capReferences([...(headers.references?.split(' ') ?? []), headers.messageId]) : [];
    const subject = headers?.subject ?? replySubject(context?.thread?.subject);
    const extraHeaders = [
      ...(headers?.inReplyTo ? [{ Name: 'In-Reply-To', Value: headers.inReplyTo }] : []),
      ...(references.length > 0 ? [{ Name: 'References', Value: references.join(' ') }] : []),
    ];
    const command = new SendEmailCommand({
      FromEmailAddress: this.options.fromAddress,
      Destination: { ToAddresses: [to] },
      ReplyToAddresses: [threaded ? replyToAddress(this.options.fromAddress, context.conversationId) : this.options.fromAddress],
      Content: {
        Simple: {
          Subject: { Data: encodeSubject(subject), Charset: 'UTF-8' },
          Body: { Text: { Data: body, Charset: 'UTF-8' }, Html: { Data: textToHtml(body), Charset: 'UTF-8' } },
          ...(extraHeaders.length > 0 ? { Headers: extraHeaders } : {}),
        },
      },
      ...(this.options.configurationSetName ? { ConfigurationSetName: this.options.configurationSetName } : {}),
    });
    try {
      const out = await this.options.client.send(command, { abortSignal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
      return { ok: true, ...(out.MessageId ? { providerMessageId: out.MessageId } : {}) };
    } catch (error) {
      return sendFailure(error);
    }
  }
}

/** An SES (or network) error as a SendResult: throttling, quota and 5xx retry; a rejected message or sender does not. */
export function sendFailure(error: unknown): SendResult & { ok: false } {
  const e = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const status = e.$metadata?.httpStatusCode;
  const code = `EMAIL_${name.replace(/Exception$/, '')}`;
  const message = typeof e.message === 'string' ? e.message.slice(0, 500) : '';
  if (PERMANENT.has(name)) return { ok: false, retryable: false, code, message };
  if (RETRYABLE.has(name) || status === 429) {
    // SES gives no Retry-After; one second is its sandbox sending rate.
    const throttled = name === 'TooManyRequestsException' || name === 'LimitExceededException' || status === 429;
    return { ok: false, retryable: true, code, message, ...(throttled ? { retryAfterMs: 1000 } : {}) };
  }
  if (status !== undefined && status >= 500) return { ok: false, retryable: true, code: `HTTP_${status}`, message };
  if (status !== undefined) return { ok: false, retryable: false, code, message };
  // No HTTP status: the request never got an answer (connection refused, reset, DNS).
  return { ok: false, retryable: true, code: 'NETWORK', message };
}

/** The text as HTML: escaped, line breaks as <br>. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  return `<div>${escaped.replace(/\r\n?|\n/g, '<br>\n')}</div>`;
}

/**
 * SES v2 wants a 7-bit subject (the Message.Subject reference: non-ASCII "by using encoded-word syntax, as described
 * in RFC 2047"): a subject with other characters is sent as UTF-8 base64 encoded-words of at most 75 characters each.
 */
export function encodeSubject(subject: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = subject.replace(/[\u0000-\u001f\u007f]/g, ' ');
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const char of clean) {
    // 45 bytes of UTF-8 → 60 base64 characters + 12 of "=?UTF-8?B?…?=" = 72 ≤ 75 (RFC 2047 §2).
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(' ');
}

/**
 * The email channel: the SES sender and the capabilities. Not a ChannelAdapter: mail arrives through SES receipt
 * rules (S3 + Lambda, see ses-receipt.ts and email-parse.ts), not as an HTTP webhook.
 */
export function emailChannel(config: { fromAddress: string; replyDomain?: string; ses?: SESv2Client; endpoint?: string; region?: string }): { sender: SesEmailSender; capabilities: ChannelCapabilities } {
  if (!isEmailAddress(config.fromAddress)) throw new Error('the email channel needs a valid fromAddress');
  // One attempt per send: retryable failures go back to the caller's outbox, which paces and retries them itself.
  const client = config.ses ?? new SESv2Client({ ...(config.region ? { region: config.region } : {}), ...(config.endpoint ? { endpoint: config.endpoint } : {}), maxAttempts: 1 });
  return {
    sender: new SesEmailSender({ client, fromAddress: config.fromAddress, ...(config.replyDomain ? { replyDomain: config.replyDomain } : {}) }),
    capabilities: EMAIL_CAPABILITIES,
  };
}
