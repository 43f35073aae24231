/**
 * The LINE Messaging API channel adapter: the `x-line-signature` check, the webhook body `{ destination, events[] }`
 * into Kefu's unified messages (several events may come in one request; none at all is the console's "Verify"
 * request), the dedupe id LINE recommends (`webhookEventId`), and the reply token kept in the thread for the sender.
 *
 * Sources: developers.line.biz/en/reference/messaging-api/ — Webhooks (request headers, request body, signature
 * validation), Webhook event objects (common properties, message, follow, unfollow, postback), Rate limits;
 * developers.line.biz/en/docs/messaging-api/receiving-messages/ (webhookEventId for de-duplication on redelivery).
 */
import type { ChannelAdapter, ChannelCapabilities, ChannelRequest, ChannelResponse, ChannelSender, InboundMessage, ParseOutcome, Verification } from '../../../ports/channel.ts';
import { lineSignatureMatches } from './line-signature.ts';
import { LINE_MAX_TEXT_LENGTH, LineSender } from './line.sender.ts';

export const LINE_SECRET_KEYS = ['channelSecret', 'channelAccessToken'] as const;

export const LINE_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: LINE_MAX_TEXT_LENGTH, unit: 'characters' },
  richContent: ['image', 'voice', 'video', 'link', 'card'],
  // No service window (push reaches any friend, within the plan's monthly quota); no synchronous reply: acknowledge
  // at once and answer with the reply token (free, about a minute) or push. Rate limit of push: 2,000 requests/s per channel.
  sendRatePerSecond: 2000,
};

/** The largest webhook body accepted, and the most events in one. */
export const LINE_MAX_BODY_BYTES = 1024 * 1024;
export const LINE_MAX_EVENTS = 500;

export interface LineAdapterOptions {
  /** The channel secret (Basic settings), the HMAC key of the signature. */
  readonly channelSecret: string;
}

const SIGNATURE_HEADER = 'x-line-signature';
const UNREADABLE = 'the webhook body could not be read';
// LINE's ids are U/C/R + 32 hex digits; the documentation's own samples shorten them ("U4af4980629..."), so the
// check is only "printable ASCII, no spaces, bounded".
const LINE_ID = /^[\x21-\x7e]{1,128}$/;

type Json = Record<string, unknown>;

class Malformed extends Error {}

const refused = (code: string, message: string): Verification => ({ kind: 'refused', status: 401, code, message });
const malformed = (message: string): ParseOutcome => ({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED', message });

export class LineChannelAdapter implements ChannelAdapter {
  readonly channel = 'line' as const;
  readonly capabilities = LINE_CAPABILITIES;

  constructor(private readonly options: LineAdapterOptions) {
    if (!options.channelSecret) throw new Error('the LINE channel secret must not be empty');
  }

  /** Only POST, signed: `x-line-signature` = base64(HMAC-SHA256(channel secret, raw body)), compared in constant time. */
  verify(request: ChannelRequest): Verification {
    if (typeof request?.method !== 'string' || request.method.toUpperCase() !== 'POST') return refused('WEBHOOK.METHOD_NOT_ALLOWED', 'LINE delivers webhooks with POST only');
    const signature = header(request.headers, SIGNATURE_HEADER);
    if (!signature) return refused('WEBHOOK.SIGNATURE_INVALID', 'the x-line-signature header is missing');
    const body = typeof request.body === 'string' ? request.body : '';
    if (signature.length > 256 || !lineSignatureMatches(this.options.channelSecret, body, signature)) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    return { kind: 'ok' };
  }

  parse(request: ChannelRequest): ParseOutcome {
    try {
      const body = request?.body;
      if (typeof body !== 'string' || body.length === 0) return malformed('the body is empty');
      if (Buffer.byteLength(body, 'utf8') > LINE_MAX_BODY_BYTES) return malformed(`the body is larger than ${LINE_MAX_BODY_BYTES} bytes`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return malformed('the body is not JSON');
      }
      return toInbound(parsed);
    } catch (error) {
      if (error instanceof Malformed) return malformed(error.message);
      // Never throw on input; the distinct message keeps an unexpected failure visible (the fuzz test looks for it).
      return malformed(`${UNREADABLE}: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** LINE only needs a 2xx; the answer follows through the reply or push API. */
  acknowledge(): ChannelResponse {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: '' };
  }
}

function toInbound(body: unknown): ParseOutcome {
  if (!isObject(body)) throw new Malformed('the webhook body must be a JSON object');
  if (!Array.isArray(body.events)) throw new Malformed('events must be an array');
  if (body.events.length > LINE_MAX_EVENTS) throw new Malformed(`more than ${LINE_MAX_EVENTS} events`);
  const destination = body.destination === undefined ? undefined : id(body.destination, 'destination');
  const messages: InboundMessage[] = [];
  for (const raw of body.events) {
    const message = fromEvent(object(raw, 'events[]'), destination);
    if (message) messages.push(message);
  }
  // An empty events array is LINE's connection check (the console's "Verify" button): valid, nothing to store.
  return { kind: 'messages', messages };
}

/** One webhook event; undefined for an event that names no user (module and group-only events): nothing to store. */
function fromEvent(e: Json, destination: string | undefined): InboundMessage | undefined {
  const type = string(e, 'type', 64);
  const timestamp = e.timestamp;
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > 8.64e15) throw new Malformed('timestamp must be epoch milliseconds');
  if (e.source === undefined || e.source === null) return undefined;
  const source = object(e.source, 'source');
  const sourceType = optionalString(source, 'type', 16) ?? 'user';
  if (source.userId === undefined || source.userId === null) return undefined;
  const sender = id(source.userId, 'source.userId');
  const message = e.message === undefined ? undefined : object(e.message, 'message');
  const messageId = message ? id(message.id, 'message.id') : undefined;
  const webhookEventId = optionalString(e, 'webhookEventId', 128);
  const replyToken = optionalString(e, 'replyToken', 256);
  const sentAt = new Date(timestamp);

  const thread: Record<string, string> = {};
  if (replyToken) Object.assign(thread, { replyToken, replyTokenAt: sentAt.toISOString() });
  if (sourceType === 'group') Object.assign(thread, { sourceType, groupId: id(source.groupId, 'source.groupId') });
  if (sourceType === 'room') Object.assign(thread, { sourceType, roomId: id(source.roomId, 'source.roomId') });

  const common = {
    channel: 'line' as const,
    sender,
    ...(destination ? { recipient: destination } : {}),
    // LINE: webhookEventId is the same on a redelivery of the same event; the message id is the fallback.
    dedupeId: `line:${webhookEventId ?? messageId ?? `${type}:${sender}:${timestamp}`}`,
    sentAt,
    ...(Object.keys(thread).length > 0 ? { thread } : {}),
  };

  switch (type) {
    case 'message':
      if (!message) throw new Malformed('a message event must carry a message');
      return fromMessage(common, message, messageId!);
    case 'follow': {
      const follow = e.follow === undefined ? undefined : object(e.follow, 'follow');
      return { ...common, kind: 'event', event: 'subscribe', eventName: 'follow', ...(follow?.isUnblocked === true ? { eventKey: 'unblocked' } : {}) };
    }
    case 'unfollow':
      return { ...common, kind: 'event', event: 'unsubscribe', eventName: 'unfollow' };
    case 'postback': {
      const postback = object(e.postback, 'postback');
      const params = postback.params === undefined ? undefined : object(postback.params, 'postback.params');
      const chosen = params ? (optionalString(params, 'datetime', 64) ?? optionalString(params, 'date', 64) ?? optionalString(params, 'time', 64) ?? optionalString(params, 'newRichMenuAliasId', 64)) : undefined;
      return { ...common, kind: 'event', event: 'click', eventName: 'postback', eventKey: string(postback, 'data', 1024, true), ...opt('description', chosen) };
    }
    default:
      return { ...common, kind: 'event', event: 'other', eventName: type };
  }
}

type Common = Omit<InboundMessage, 'kind'>;

function fromMessage(common: Common, m: Json, messageId: string): InboundMessage {
  const type = string(m, 'type', 32);
  const provider = m.contentProvider === undefined ? undefined : object(m.contentProvider, 'message.contentProvider');
  // Content sent by the user is fetched by message id (GET /v2/bot/message/{id}/content); external content has a URL.
  const url = provider && provider.type === 'external' ? optionalString(provider, 'originalContentUrl', 2048) : undefined;
  switch (type) {
    case 'text':
      return { ...common, kind: 'text', text: string(m, 'text', 20_000) };
    case 'image':
      return { ...common, kind: 'image', mediaId: messageId, ...opt('url', url) };
    case 'video':
      return { ...common, kind: 'video', mediaId: messageId, ...opt('url', url) };
    case 'audio':
      return { ...common, kind: 'voice', mediaId: messageId, ...opt('url', url) };
    case 'file':
      return { ...common, kind: 'file', mediaId: messageId, ...opt('title', optionalString(m, 'fileName', 1024)) };
    case 'location': {
      const latitude = number(m, 'latitude');
      const longitude = number(m, 'longitude');
      if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) throw new Malformed('a location must lie within ±90° latitude and ±180° longitude');
      const label = optionalString(m, 'title', 1024);
      return { ...common, kind: 'location', location: { latitude, longitude, ...opt('label', label) }, ...opt('description', optionalString(m, 'address', 1024)) };
    }
    case 'sticker': {
      // Sticker images cannot be fetched; the package and sticker ids name it, a message sticker also has text.
      const sticker = `${id(m.packageId, 'message.packageId')}/${id(m.stickerId, 'message.stickerId')}`;
      return { ...common, kind: 'image', title: 'sticker', description: sticker, ...opt('text', optionalString(m, 'text', 1024)) };
    }
    default:
      return { ...common, kind: 'event', event: 'other', eventName: `message:${type}` };
  }
}

function header(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const direct = headers[name];
  if (typeof direct === 'string') return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key !== undefined ? headers[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

// Strict readers: a field of the wrong type is malformed, an absent optional one is undefined.
function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw new Malformed(`${what} must be an object`);
  return value;
}
function id(value: unknown, what: string): string {
  if (typeof value !== 'string' || !LINE_ID.test(value)) throw new Malformed(`${what} must be an id`);
  return value;
}
function string(parent: Json, key: string, max: number, allowEmpty = false): string {
  const value = parent[key];
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0) || value.length > max) throw new Malformed(`${key} must be a string of at most ${max} characters`);
  return value;
}
function optionalString(parent: Json, key: string, max: number): string | undefined {
  return parent[key] === undefined || parent[key] === null || parent[key] === '' ? undefined : string(parent, key, max);
}
function number(parent: Json, key: string): number {
  const value = parent[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(`${key} must be a number`);
  return value;
}
function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

/**
 * The LINE channel from its secrets: `channelSecret` (webhook signature) and `channelAccessToken` (a long-lived
 * channel access token for reply and push). Both are required.
 */
export function lineChannel(config: { secrets: Readonly<Record<string, string | undefined>>; apiBaseUrl?: string; fetch?: typeof fetch; now?: () => Date }): { adapter: ChannelAdapter; sender: ChannelSender } {
  const missing = LINE_SECRET_KEYS.filter((key) => !config.secrets[key]);
  if (missing.length > 0) throw new Error(`the LINE channel is missing secret(s): ${missing.join(', ')}`);
  const adapter = new LineChannelAdapter({ channelSecret: config.secrets.channelSecret! });
  const sender = new LineSender({
    channelAccessToken: config.secrets.channelAccessToken!,
    ...(config.apiBaseUrl ? { baseUrl: config.apiBaseUrl } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(config.now ? { now: config.now } : {}),
  });
  return { adapter, sender };
}
