/**
 * E-mail threading (RFC 5322 §3.6.4): which Kefu conversation an inbound mail continues, and the headers a reply
 * carries so that the customer's client threads it under their message.
 *
 * Kefu marks its outbound mail twice, because SES replaces any Message-ID the caller sets with its own:
 * - the Reply-To is `{local}+{conversationId}@{domain}` (plus addressing, RFC 5233 subaddress): a customer's reply is
 *   addressed to it, so the conversation is found even when every header was dropped;
 * - Kefu's own id `<kefu.{conversationId}.{messageId}@{replyDomain}>` is appended to the References of every reply
 *   (email.sender.ts). A client replying copies the parent's References into its own (RFC 5322 §3.6.4), so the id
 *   comes back even though the parent's Message-ID (In-Reply-To) is SES's. In-Reply-To is still checked, for mail
 *   that Kefu sent some other way with its own Message-ID.
 */
import type { EmailAddress } from './email-parse.ts';

export const CONVERSATION_ID = /^conv_[A-Za-z0-9_-]{1,64}$/;
/** References kept on a reply (the oldest are dropped first; RFC 5322 advises keeping the first, clients trim too). */
export const MAX_REFERENCES = 10;
/** SES v2 header values: printable ASCII, at most 995 characters (MessageHeader.Value). */
export const MAX_HEADER_VALUE = 995;

const KEFU_ID = /^<kefu\.(conv_[A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,128})@([^<>@\s]{1,255})>$/;

/** What an inbound mail's threading depends on (a ParsedEmail is one). */
export interface ThreadingFields {
  readonly to: readonly EmailAddress[];
  readonly cc: readonly EmailAddress[];
  readonly inReplyTo?: string;
  readonly references: readonly string[];
}

export interface ThreadingConfig {
  /** The domain of Kefu's Message-IDs; defaults to the domain of `fromAddress`. */
  readonly replyDomain?: string;
  /** Kefu's sending address (`support@example.com`); replies go to `support+{conversationId}@example.com`. */
  readonly fromAddress: string;
  /** The SMTP envelope recipients (SES `receipt.recipients`), which also carry Bcc'd addresses. */
  readonly envelopeRecipients?: readonly string[];
}

function splitAddress(address: string): { local: string; domain: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** Kefu's Reply-To for a conversation: `{local}+{conversationId}@{domain}`. */
export function replyToAddress(fromAddress: string, conversationId: string): string {
  const parts = splitAddress(fromAddress);
  if (!parts || !CONVERSATION_ID.test(conversationId)) return fromAddress;
  const local = parts.local.split('+')[0];
  return `${local}+${conversationId}@${parts.domain}`;
}

/** Kefu's Message-ID for one outbound message. */
export function kefuMessageId(conversationId: string, messageId: string, replyDomain: string): string {
  const safe = messageId.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128) || 'msg';
  return `<kefu.${conversationId}.${safe}@${replyDomain}>`;
}

/** The conversation id in one of Kefu's Message-IDs (for `replyDomain`), if it is one. */
export function conversationFromMessageId(messageId: string | undefined, replyDomain: string): string | undefined {
  const m = typeof messageId === 'string' ? KEFU_ID.exec(messageId.trim()) : null;
  if (!m || (m[3] ?? '').toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return m[1];
}

/**
 * The Kefu conversation an inbound mail belongs to: the +tag of a recipient at Kefu's address, else In-Reply-To,
 * else References (newest first), each validated as `conv_[A-Za-z0-9_-]{1,64}`; undefined for a new thread.
 */
export function conversationFromEmail(parsed: ThreadingFields, config: ThreadingConfig): string | undefined {
  const from = splitAddress(config.fromAddress);
  if (!from) return undefined;
  const ownLocal = (from.local.split('+')[0] ?? '').toLowerCase();
  const ownDomain = from.domain.toLowerCase();
  const replyDomain = config.replyDomain ?? from.domain;

  const recipients = [...(config.envelopeRecipients ?? []), ...parsed.to.map((a) => a.address), ...parsed.cc.map((a) => a.address)];
  for (const recipient of recipients) {
    const parts = typeof recipient === 'string' ? splitAddress(recipient.trim()) : undefined;
    if (!parts || parts.domain.toLowerCase() !== ownDomain) continue;
    const plus = parts.local.indexOf('+');
    if (plus < 0 || parts.local.slice(0, plus).toLowerCase() !== ownLocal) continue;
    const tag = parts.local.slice(plus + 1);
    if (CONVERSATION_ID.test(tag)) return tag;
  }

  const fromReply = conversationFromMessageId(parsed.inReplyTo, replyDomain);
  if (fromReply) return fromReply;
  for (const ref of [...parsed.references].reverse()) {
    const found = conversationFromMessageId(ref, replyDomain);
    if (found) return found;
  }
  return undefined;
}

/** The thread a reply answers: what `toInboundMessage` put in `InboundMessage.thread`. */
export interface InboundThread {
  readonly subject?: string;
  readonly messageId?: string;
  /** Space-separated message ids, oldest first. */
  readonly references?: string;
}

export interface OutboundHeaders {
  /** Kefu's id for this message (SES replaces the Message-ID header with its own; see the module comment). */
  readonly messageId: string;
  readonly inReplyTo?: string;
  /** Space-separated, oldest first, the customer's message last; at most MAX_REFERENCES ids and MAX_HEADER_VALUE chars. */
  readonly references?: string;
  readonly subject: string;
}

const REPLY_PREFIX = /^\s*((re|aw|sv|antw|回复|回覆|答复)\s*(\[\d+\])?\s*[:：]\s*)+/i;

/** "Re: " once in front of the subject, never "Re: Re:" (nor "Re: 回复:"). */
export function replySubject(subject: string | undefined): string {
  const base = (subject ?? '').replace(REPLY_PREFIX, '').trim();
  return `Re: ${base === '' ? '(no subject)' : base}`;
}

/** Keeps the newest ids that fit both limits. */
export function capReferences(ids: readonly string[], max = MAX_REFERENCES, maxChars = MAX_HEADER_VALUE): string[] {
  const unique = [...new Set(ids.filter((id) => /^<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>$/.test(id)))];
  const kept = unique.slice(-max);
  while (kept.length > 0 && kept.join(' ').length > maxChars) kept.shift();
  return kept;
}

export function outboundHeaders(thread: InboundThread | Readonly<Record<string, string>> | undefined, ids: { conversationId: string; messageId: string; replyDomain: string }): OutboundHeaders {
  const t = (thread ?? {}) as InboundThread;
  const customerId = typeof t.messageId === 'string' && /^<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>$/.test(t.messageId) ? t.messageId : undefined;
  const previous = typeof t.references === 'string' ? t.references.split(/\s+/).filter(Boolean) : [];
  const references = capReferences([...previous, ...(customerId ? [customerId] : [])]);
  return {
    messageId: kefuMessageId(ids.conversationId, ids.messageId, ids.replyDomain),
    ...(customerId ? { inReplyTo: customerId } : {}),
    ...(references.length > 0 ? { references: references.join(' ') } : {}),
    subject: replySubject(t.subject),
  };
}
