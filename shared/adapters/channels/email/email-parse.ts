/**
 * Inbound e-mail parsing: a raw RFC 5322 message (as SES stores it in S3) into what Kefu needs — the sender, the
 * threading headers, the text (text/plain, else the HTML as text), the HTML sanitised with a strict allowlist, the
 * customer's new words without the quoted history (`newText`), and the attachments within limits.
 *
 * MIME decoding (RFC 2045–2047, charsets such as GBK and ISO-2022-JP) is postal-mime's; this module bounds it (size,
 * header bytes, nesting) and never throws: anything it cannot read is a `ParseError` with code WEBHOOK.MALFORMED.
 */
import PostalMime, { type Address as MimeAddress, type Attachment as MimeAttachment } from 'postal-mime';
import sanitizeHtml from 'sanitize-html';
import type { InboundMessage } from '../../../ports/channel.ts';
import { capReferences } from './email-threading.ts';
import { senderVerified, type SesVerdicts } from './ses-receipt.ts';

export interface EmailAddress {
  readonly address: string;
  readonly name: string;
}

export interface EmailAttachment {
  /** Sanitised: no path separators, no control characters, at most 200 characters. */
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly content: Uint8Array;
  /** Without the angle brackets. */
  readonly contentId?: string;
  /** Shown inside the message (an inline image referenced by `cid:`), rather than offered as a file. */
  readonly inline: boolean;
}

/** An attachment left out because of a limit (the mail itself is kept, so the customer's words still arrive). */
export interface SkippedAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly reason: 'too-many' | 'too-large';
}

export interface ParsedEmail {
  readonly kind: 'email';
  readonly from: EmailAddress;
  readonly to: readonly EmailAddress[];
  readonly cc: readonly EmailAddress[];
  readonly subject: string;
  /** With the angle brackets, as in the header (`<id@host>`). */
  readonly messageId?: string;
  readonly inReplyTo?: string;
  /** Oldest first, as in the header; each with angle brackets. */
  readonly references: readonly string[];
  readonly date?: Date;
  /** The text/plain part; else the HTML converted to text. */
  readonly text: string;
  /** The HTML part, sanitised (no scripts, styles, frames, forms, event handlers or non-http(s)/mailto URLs). */
  readonly html?: string;
  /** The customer's new words: `text` without quoted lines, the reply header and what follows it, and the signature. */
  readonly newText: string;
  readonly attachments: readonly EmailAttachment[];
  readonly skippedAttachments: readonly SkippedAttachment[];
}

/** Why a message could not be read: a 400 in the channel's terms (nothing is stored). */
export interface ParseError {
  readonly kind: 'error';
  readonly status: 400;
  readonly code: 'WEBHOOK.MALFORMED';
  readonly message: string;
}

export interface ParseEmailOptions {
  /** Attachments kept (inline images count); later ones are skipped. Default 10. */
  readonly maxAttachments?: number;
  /** Largest attachment kept, in bytes; larger ones are skipped. Default 10 MiB. */
  readonly maxAttachmentBytes?: number;
  /** Largest raw message read, in bytes. Default 40 MiB (the largest message SES's S3 action stores). */
  readonly maxBytes?: number;
  /** Longest `text` / `newText` kept, in characters (cut with "…"). Default 100,000. */
  readonly maxTextChars?: number;
}

const DEFAULTS = { maxAttachments: 10, maxAttachmentBytes: 10 * 1024 * 1024, maxBytes: 40 * 1024 * 1024, maxTextChars: 100_000 };
// Real mail carries a few KiB of headers (long References chains and Received lines included): 256 KiB is generous.
const MAX_HEADER_BYTES = 256 * 1024;
const MAX_NESTING = 32;
const MAX_ADDRESSES = 100;
const MAX_REFERENCES = 100;
const MAX_HTML_CHARS = 2_000_000;

const malformed = (message: string): ParseError => ({ kind: 'error', status: 400, code: 'WEBHOOK.MALFORMED', message });

/** Parses one raw message; resolves to a ParseError (never rejects) when it cannot be read. */
export async function parseInboundEmail(raw: Uint8Array | string, options: ParseEmailOptions = {}): Promise<ParsedEmail | ParseError> {
  try {
    return await parse(raw, { ...DEFAULTS, ...definedOnly(options) });
  } catch (error) {
    return malformed(`the message could not be parsed: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`);
  }
}

export function isParseError(value: ParsedEmail | ParseError): value is ParseError {
  return value.kind === 'error';
}

async function parse(raw: Uint8Array | string, limits: typeof DEFAULTS): Promise<ParsedEmail | ParseError> {
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return malformed('the message must be bytes or a string');
  const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
  if (size === 0) return malformed('the message is empty');
  if (size > limits.maxBytes) return malformed(`the message is larger than ${limits.maxBytes} bytes`);

  const email = await PostalMime.parse(raw, { maxHeadersSize: MAX_HEADER_BYTES, maxNestingDepth: MAX_NESTING, maxRfc822NestingDepth: 3, attachmentEncoding: 'arraybuffer' });

  const from = firstMailbox(email.from) ?? firstMailbox(email.sender);
  if (!from) return malformed('the message has no valid From address');

  // Only the start of a huge body is read (sanitising is linear, but 40 MB of HTML would still take a minute).
  const html = typeof email.html === 'string' && email.html.trim() !== '' ? head(email.html, MAX_HTML_CHARS) : undefined;
  const plain = typeof email.text === 'string' && email.text.trim() !== '' ? normaliseNewlines(head(email.text, limits.maxTextChars * 4)) : undefined;
  const text = plain ?? (html ? htmlToText(html, false) : '');
  // From the HTML, blockquotes (Gmail's gmail_quote, Apple's type=cite) are the history: drop them before cutting.
  const newSource = plain ?? (html ? htmlToText(html, true) : '');

  const references = messageIds(email.references).slice(-MAX_REFERENCES);
  const date = email.date ? new Date(email.date) : undefined;
  const { attachments, skipped } = collectAttachments(email.attachments, limits);

  return {
    kind: 'email',
    from,
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    subject: cleanHeaderText(email.subject ?? '', 998),
    ...opt('messageId', messageIds(email.messageId)[0]),
    ...opt('inReplyTo', messageIds(email.inReplyTo)[0]),
    references,
    ...(date && !Number.isNaN(date.getTime()) ? { date } : {}),
    text: cut(text, limits.maxTextChars),
    ...(html ? { html: sanitizeEmailHtml(html) } : {}),
    newText: cut(stripQuotedHistory(newSource), limits.maxTextChars),
    attachments,
    skippedAttachments: skipped,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Into Kefu's inbound message

export interface ToInboundOptions {
  /** SES's id of the received message: the dedupe key when the mail has no Message-ID. */
  readonly sesMessageId: string;
  /** SES's verdicts: the From address counts as verified only when DMARC (or SPF and DKIM) passed. */
  readonly verdicts?: SesVerdicts;
  /**
   * Put "Subject: …" in front of the text: for the first mail of a thread only (see `startsThread`), so that the
   * agent sees what a new request is about, without repeating "Re: …" on every reply. The caller decides.
   */
  readonly includeSubject?: boolean;
  /** Kefu's address the mail was sent to (the matched SES recipient). */
  readonly recipient?: string;
  /** When SES received it (used when the Date header is missing or unreadable). */
  readonly receivedAt?: Date;
}

/** Whether the mail opens a new thread (answers nothing): the caller's default for `includeSubject`. */
export function startsThread(parsed: Pick<ParsedEmail, 'inReplyTo' | 'references'>): boolean {
  return !parsed.inReplyTo && parsed.references.length === 0;
}

export function toInboundMessage(parsed: ParsedEmail, options: ToInboundOptions): InboundMessage {
  const email = parsed.from.address.toLowerCase();
  const body = parsed.newText.trim() !== '' ? parsed.newText : parsed.text.trim();
  const files = parsed.attachments.filter((a) => !a.inline);
  const kind = body === '' && parsed.attachments.length > 0 ? 'file' : 'text';
  const subjectLine = parsed.subject ? `Subject: ${parsed.subject}` : '';
  // A mail with nothing but a subject ("Refund for order 123") is still a request: the subject is its text then.
  const text = kind === 'file' ? undefined : body === '' ? subjectLine : options.includeSubject && subjectLine ? `${subjectLine}\n\n${body}` : body;
  const references = capReferences(parsed.references);
  const named = (files.length > 0 ? files : parsed.attachments).map((a) => a.filename);
  return {
    channel: 'email',
    kind,
    sender: email,
    ...(options.recipient ? { recipient: options.recipient.toLowerCase() } : {}),
    dedupeId: `email:${parsed.messageId ?? options.sesMessageId}`,
    sentAt: parsed.date ?? options.receivedAt ?? new Date(),
    ...(text !== undefined ? { text } : {}),
    ...(kind === 'file' ? { title: cut(named.join(', '), 500), description: `${parsed.attachments.length} attachment(s)` } : {}),
    profile: {
      ...(parsed.from.name ? { displayName: parsed.from.name } : {}),
      email,
      ...(senderVerified(options.verdicts) ? { verified: ['email'] as const } : {}),
    },
    thread: {
      subject: parsed.subject,
      ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
      ...(references.length > 0 ? { references: references.join(' ') } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses and header values

// A pragmatic addr-spec: no whitespace, brackets, quotes or separators; one @; RFC 5321's 64/255/320 limits.
const ADDRESS = /^[^\s@<>"(),;:\\[\]]{1,64}@[^\s@<>"(),;:\\[\]]{1,255}$/;

export function isEmailAddress(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value.length <= 320 && ADDRESS.test(value) && !/[\u0000-\u001f\u007f]/.test(value);
}

function mailboxes(list: MimeAddress[] | undefined): EmailAddress[] {
  const out: EmailAddress[] = [];
  for (const entry of Array.isArray(list) ? list : []) {
    const members = entry.group ? entry.group : [entry];
    for (const m of members) {
      if (out.length >= MAX_ADDRESSES) return out;
      if (m && isEmailAddress(m.address)) out.push({ address: m.address, name: cleanHeaderText(m.name ?? '', 200) });
    }
  }
  return out;
}

function firstMailbox(value: MimeAddress | undefined): EmailAddress | undefined {
  return value ? mailboxes([value])[0] : undefined;
}

/** The `<…>` message ids in a header value (RFC 5322 §3.6.4), printable ASCII only, each at most 250 characters. */
export function messageIds(value: string | undefined): string[] {
  if (typeof value !== 'string') return [];
  const ids = value.match(/<[\x21-\x3b\x3d\x3f-\x7e]{1,250}>/g) ?? [];
  return [...new Set(ids)];
}

function cleanHeaderText(value: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return cut(String(value).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\s+/g, ' ').trim(), max);
}

// ---------------------------------------------------------------------------------------------------------------
// Attachments

function collectAttachments(list: MimeAttachment[], limits: typeof DEFAULTS): { attachments: EmailAttachment[]; skipped: SkippedAttachment[] } {
  const attachments: EmailAttachment[] = [];
  const skipped: SkippedAttachment[] = [];
  (Array.isArray(list) ? list : []).forEach((a, index) => {
    const content = toBytes(a.content);
    const filename = sanitizeFilename(a.filename, index + 1);
    const contentType = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/i.test(a.mimeType ?? '') ? a.mimeType.toLowerCase() : 'application/octet-stream';
    if (content.byteLength > limits.maxAttachmentBytes) {
      skipped.push({ filename, contentType, size: content.byteLength, reason: 'too-large' });
      return;
    }
    if (attachments.length >= limits.maxAttachments) {
      skipped.push({ filename, contentType, size: content.byteLength, reason: 'too-many' });
      return;
    }
    const contentId = a.contentId ? a.contentId.replace(/^<|>$/g, '').slice(0, 250) : undefined;
    const inline = a.disposition === 'inline' || (a.disposition !== 'attachment' && (a.related === true || Boolean(contentId)));
    attachments.push({ filename, contentType, size: content.byteLength, content, ...(contentId ? { contentId } : {}), inline });
  });
  return { attachments, skipped };
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  return new TextEncoder().encode(String(content ?? ''));
}

/** A file name safe to show and to store: the last path segment, no control or reserved characters, ≤ 200 chars. */
export function sanitizeFilename(name: string | null | undefined, index = 1): string {
  const base = String(name ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  let clean = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  if ([...clean].length > 200) clean = [...clean].slice(-200).join('');
  return clean === '' ? `attachment-${index}` : clean;
}

// ---------------------------------------------------------------------------------------------------------------
// HTML

const REL = 'noopener noreferrer nofollow';
// Elements whose content is dropped with them (not only the tags).
const NON_TEXT = ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'template', 'head', 'title', 'select', 'button'];
const BLOCKS = ['p', 'div', 'br', 'hr', 'blockquote', 'pre', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption'];
const INLINE = ['a', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'code', 'small', 'sub', 'sup', 'font', 'center'];

/**
 * The HTML an agent may see: a strict allowlist of formatting tags; links only to http(s) and mailto, with
 * rel="noopener noreferrer nofollow"; images become links to their http(s) source (never loaded: no tracking pixels),
 * or a "[alt]" placeholder for cid: and data: images; no attributes besides href/title (and table spans).
 */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: [...BLOCKS, ...INLINE],
    allowedAttributes: { a: ['href', 'title', 'rel'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: {},
    allowProtocolRelative: false,
    allowedStyles: {},
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT,
    transformTags: {
      a: (_tag, attribs) => ({ tagName: 'a', attribs: { ...attribs, rel: REL } }),
      img: (_tag, attribs): sanitizeHtml.Tag => {
        const src = attribs.src ?? '';
        const label = attribs.alt?.trim() ? attribs.alt.trim() : '[image]';
        return /^https?:\/\//i.test(src) ? { tagName: 'a', attribs: { href: src, rel: REL }, text: label } : { tagName: 'span', attribs: {} as sanitizeHtml.Attributes, text: label.startsWith('[') ? label : `[${label}]` };
      },
    },
  });
}

// Outlook's HTML quotes without a blockquote (a "From: … Sent: …" block, then the old body): the text rules catch it.
const isQuoteBlock = (frame: { tag: string; attribs: Record<string, string> }) =>
  frame.tag === 'blockquote' || /\b(gmail_quote|yahoo_quoted|moz-cite-prefix)\b/.test(frame.attribs.class ?? '');

/** The HTML as plain text: block ends become newlines, links keep their address; optionally without quoted blocks. */
export function htmlToText(html: string, dropQuotes: boolean): string {
  const reduced = sanitizeHtml(html, {
    allowedTags: [...BLOCKS, 'a'],
    allowedAttributes: { a: ['href'], div: ['class', 'id'], blockquote: ['class', 'type'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    nonTextTags: NON_TEXT,
    ...(dropQuotes ? { exclusiveFilter: isQuoteBlock } : {}),
  });
  const text = reduced
    .replace(/<a href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g, (_m, href: string, label: string) => {
      const url = decodeEntities(href);
      const shown = label.replace(/<[^>]*>/g, '').trim();
      return shown === '' || decodeEntities(shown) === url || `mailto:${decodeEntities(shown)}` === url ? url : `${shown} (${url})`;
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<hr\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n- ')
    .replace(/<\/(td|th)>/gi, '\t')
    .replace(/<\/?(p|div|blockquote|pre|ul|ol|li|h[1-6]|table|thead|tbody|tfoot|tr|caption)[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return tidy(decodeEntities(text));
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return NAMED[body.toLowerCase()] ?? match;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Quoted history

/**
 * The lines where a reply's quoted history begins, by the clients that write them: Gmail / Apple Mail / Thunderbird
 * ("On … wrote:", and its French, German, Spanish, Italian, Portuguese and Dutch forms), Outlook ("-----Original
 * Message-----", the underscore rule, "From: … Sent: …"), Chinese clients ("在 … 写道：", "发件人:", "-------- 原始邮件
 * --------", QQ Mail's "------------------ 原始邮件 ------------------", Outlook's "-----邮件原件-----").
 */
const HISTORY_STARTS: readonly RegExp[] = [
  /^-{2,}\s*(original message|邮件原件|原始邮件|原始郵件|原始信件)\s*-{2,}\s*$/i,
  /^(发件人|寄件者|寄件人)\s*[:：]/,
];
const WROTE_START = /^((on|le|am|el|il|em|op)\b|在)/i;
const WROTE = /^(((on|le|am|el|il|em|op)\b.{1,400}\b(wrote|a écrit|schrieb|escribió|ha scritto|escreveu|schreef)\s*:)|(在.{1,400}[写寫]道\s*[:：]))\s*$/i;
const OUTLOOK_FROM = /^\*?(from|von|de|da)\s*:\*?\s/i;
const OUTLOOK_NEXT = /^\*?(sent|date|to|subject|gesendet|envoyé|enviado|inviato|发送时间|日期)\s*[:：]/i;

/** `text` without the quoted history: ">" lines, everything from the first reply header on, the "-- " signature. */
export function stripQuotedHistory(text: string): string {
  const lines = normaliseNewlines(text).split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const trimmed = line.trim();
    if (startsHistory(lines, i)) break;
    // RFC 3676 §4.3: the signature delimiter is "-- " alone on a line.
    if (line === '-- ' || line === '--') break;
    if (/^\s*>/.test(line)) continue;
    kept.push(trimmed === '' ? '' : line.trimEnd());
  }
  // Outlook puts a rule of underscores above its "From:" block.
  while (kept.length > 0 && /^(_{5,}|-{5,}|\s*)$/.test(kept[kept.length - 1] ?? '')) kept.pop();
  return tidy(kept.join('\n'));
}

function startsHistory(lines: readonly string[], i: number): boolean {
  const line = (lines[i] ?? '').trim();
  if (line === '') return false;
  if (HISTORY_STARTS.some((re) => re.test(line))) return true;
  // "On Mon, 5 Jan 2026 at 10:00, Alice <a@example.com> wrote:" (or "在 … 写道：") — clients wrap it over 2–3 lines.
  if (WROTE_START.test(line)) {
    let joined = line;
    for (let k = 0; k < 3; k++) {
      if (WROTE.test(joined)) return true;
      const next = (lines[i + k + 1] ?? '').trim();
      if (next === '') break;
      joined = `${joined} ${next}`;
    }
    if (WROTE.test(joined)) return true;
  }
  // Outlook's header block: "From: …" followed within a few lines by "Sent: …" (or "Date:", "To:", "Subject:").
  if (OUTLOOK_FROM.test(line)) {
    for (let k = 1; k <= 4; k++) if (OUTLOOK_NEXT.test((lines[i + k] ?? '').trim())) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

// No unanchored `\s+$`-style patterns here or above: on a long run of spaces they take quadratic time (ReDoS).
function tidy(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+/, '')
    .trimEnd();
}

/** The first `max` UTF-16 units, without a dangling high surrogate. */
function head(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max).replace(/[\ud800-\udbff]$/, '');
}

/** Cut at `max` characters (code points), the cut marked with "…". */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) as Partial<T>;
}
