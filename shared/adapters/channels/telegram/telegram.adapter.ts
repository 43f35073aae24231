/**
 * The Telegram Bot API channel adapter (webhook mode): the secret-token check, the one `Update` per request, its
 * messages and events in Kefu's unified shape, and the acknowledgement. Replies go through `sendMessage`
 * (telegram.sender.ts): Kefu does not answer inside the webhook response.
 *
 * Sources: core.telegram.org/bots/api — setWebhook (`secret_token`, sent back in the `X-Telegram-Bot-Api-Secret-Token`
 * header; 1–256 characters A-Z a-z 0-9 _ -), Update, Message, PhotoSize, ChatMemberUpdated, CallbackQuery;
 * core.telegram.org/bots/webhooks ("Testing your bot with updates", the sample updates in test/fixtures/telegram);
 * core.telegram.org/bots/faq (broadcasts: about 30 messages per second in all).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelAdapter, ChannelCapabilities, ChannelRequest, ChannelResponse, ChannelSender, InboundEvent, InboundMessage, ParseOutcome, SenderProfile, Verification } from '../../../ports/channel.ts';
import { TELEGRAM_MAX_TEXT_LENGTH, TelegramSender } from './telegram.sender.ts';

export const TELEGRAM_SECRET_KEYS = ['botToken', 'secretToken'] as const;

export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: TELEGRAM_MAX_TEXT_LENGTH, unit: 'characters' },
  richContent: ['image', 'voice', 'video', 'file', 'link', 'card'],
  // No service window: a bot may write to any chat that has not blocked it. No synchronous reply: acknowledge at once.
  // Telegram's FAQ: no more than about 30 messages per second overall (and about 1 per second in one chat); 25 leaves room.
  sendRatePerSecond: 25,
};

/** The largest update body accepted (Telegram's updates are a few kilobytes; captions and texts are at most 4096 characters). */
export const TELEGRAM_MAX_BODY_BYTES = 256 * 1024;

export interface TelegramAdapterOptions {
  /** The `secret_token` given to setWebhook. */
  readonly secretToken: string;
  /** The bot's user id (the number before the colon in the bot token): the recipient of inbound messages. */
  readonly botId?: string;
  /** Time for updates that carry none (callback queries). */
  readonly now?: () => Date;
}

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const UNREADABLE = 'the update could not be read';

type Json = Record<string, unknown>;

class Malformed extends Error {}

const refused = (code: string, message: string): Verification => ({ kind: 'refused', status: 401, code, message });
const malformed = (message: string): ParseOutcome => ({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED', message });

export class TelegramChannelAdapter implements ChannelAdapter {
  readonly channel = 'telegram' as const;
  readonly capabilities = TELEGRAM_CAPABILITIES;
  private readonly now: () => Date;

  constructor(private readonly options: TelegramAdapterOptions) {
    if (!SECRET_TOKEN.test(options.secretToken)) throw new Error('the telegram secret token must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
    this.now = options.now ?? (() => new Date());
  }

  /** Only POST, with the `X-Telegram-Bot-Api-Secret-Token` header equal to the configured secret (compared in constant time). */
  verify(request: ChannelRequest): Verification {
    if (typeof request?.method !== 'string' || request.method.toUpperCase() !== 'POST') return refused('WEBHOOK.METHOD_NOT_ALLOWED', 'Telegram delivers updates with POST only');
    const received = header(request.headers, SECRET_HEADER);
    if (received === undefined || received === '') return refused('WEBHOOK.SIGNATURE_INVALID', 'the secret token header is missing');
    if (!secretMatches(this.options.secretToken, received)) return refused('WEBHOOK.SIGNATURE_INVALID', 'the secret token does not match');
    return { kind: 'ok' };
  }

  parse(request: ChannelRequest): ParseOutcome {
    try {
      const body = request?.body;
      if (typeof body !== 'string' || body.length === 0) return malformed('the body is empty');
      if (Buffer.byteLength(body, 'utf8') > TELEGRAM_MAX_BODY_BYTES) return malformed(`the body is larger than ${TELEGRAM_MAX_BODY_BYTES} bytes`);
      let update: unknown;
      try {
        update = JSON.parse(body);
      } catch {
        return malformed('the body is not JSON');
      }
      return this.toInbound(update);
    } catch (error) {
      if (error instanceof Malformed) return malformed(error.message);
      // Never throw on input; the distinct message keeps an unexpected failure visible (the fuzz test looks for it).
      return malformed(`${UNREADABLE}: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** An empty 200: Telegram then considers the update delivered and shows the user nothing. */
  acknowledge(): ChannelResponse {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: '' };
  }

  private toInbound(update: unknown): ParseOutcome {
    if (!isObject(update)) throw new Malformed('an update must be a JSON object');
    const updateId = update.update_id;
    if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) throw new Malformed('update_id must be a non-negative integer');
    const base = { channel: 'telegram' as const, dedupeId: `tg:${updateId}`, ...(this.options.botId ? { recipient: this.options.botId } : {}) };

    const message = update.message ?? update.edited_message;
    if (message !== undefined) return one(fromMessage(base, object(message, 'message')));
    if (update.my_chat_member !== undefined) return one(fromChatMember(base, object(update.my_chat_member, 'my_chat_member')));
    if (update.callback_query !== undefined) return one(fromCallbackQuery(base, object(update.callback_query, 'callback_query'), this.now()));

    // Any other update (channel posts, inline queries, polls, reactions…): an `other` event from whoever sent it, if anyone.
    const kind = Object.keys(update).find((key) => key !== 'update_id' && isObject(update[key]));
    if (!kind) return { kind: 'messages', messages: [] };
    const payload = update[kind] as Json;
    const chat = optionalObject(payload, 'chat');
    const from = optionalObject(payload, 'from') ?? optionalObject(payload, 'user');
    const sender = chat ? chatId(chat) : from ? chatId(from) : undefined;
    if (!sender) return { kind: 'messages', messages: [] };
    const date = optionalInt(payload, 'date');
    const profile = from ? profileOf(from) : undefined;
    return one({ ...base, kind: 'event', event: 'other', eventName: kind, sender, sentAt: date !== undefined ? epochSeconds(date) : this.now(), ...(profile ? { profile } : {}) });
  }
}

type Base = { channel: 'telegram'; dedupeId: string; recipient?: string };

function fromMessage(base: Base, m: Json): InboundMessage {
  const chat = object(m.chat, 'message.chat');
  const sender = chatId(chat);
  const sentAt = epochSeconds(int(m, 'date'));
  const from = optionalObject(m, 'from');
  const group = chatType(chat) !== 'private';
  const profile = from ? profileOf(from) : profileOf(chat);
  // Group chats are one customer (the chat): who in the group wrote is kept beside it.
  const thread = group ? { chatType: chatType(chat), ...(from && isSafeId(from.id) ? { fromId: String(from.id) } : {}) } : undefined;
  const common = { ...base, sender, sentAt, ...(profile ? { profile } : {}), ...(thread ? { thread } : {}) };
  const caption = optionalString(m, 'caption', 8192);

  const text = optionalString(m, 'text', 8192);
  if (text !== undefined) return { ...common, kind: 'text', text };

  if (m.photo !== undefined) {
    const photos = array(m.photo, 'message.photo').map((p) => object(p, 'message.photo[]'));
    if (photos.length === 0) throw new Malformed('message.photo must not be empty');
    // PhotoSize: the same picture in several sizes; the largest is the one to fetch.
    const largest = photos.reduce((best, p) => (area(p) >= area(best) ? p : best));
    return { ...common, kind: 'image', mediaId: string(largest, 'file_id', 512), ...opt('text', caption) };
  }
  if (m.voice !== undefined) {
    const voice = object(m.voice, 'message.voice');
    return { ...common, kind: 'voice', mediaId: string(voice, 'file_id', 512), ...opt('text', caption) };
  }
  if (m.video !== undefined || m.video_note !== undefined) {
    const video = object(m.video ?? m.video_note, 'message.video');
    return { ...common, kind: 'video', mediaId: string(video, 'file_id', 512), ...opt('text', caption) };
  }
  if (m.document !== undefined || m.audio !== undefined) {
    const file = object(m.document ?? m.audio, 'message.document');
    const title = optionalString(file, 'file_name', 1024) ?? optionalString(file, 'title', 1024);
    return { ...common, kind: 'file', mediaId: string(file, 'file_id', 512), ...opt('title', title), ...opt('text', caption) };
  }
  if (m.location !== undefined || m.venue !== undefined) {
    const venue = m.venue !== undefined ? object(m.venue, 'message.venue') : undefined;
    const location = object(venue ? venue.location : m.location, 'message.location');
    const latitude = number(location, 'latitude');
    const longitude = number(location, 'longitude');
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) throw new Malformed('a location must lie within ±90° latitude and ±180° longitude');
    const label = venue ? optionalString(venue, 'title', 1024) : undefined;
    return { ...common, kind: 'location', location: { latitude, longitude, ...opt('label', label) }, ...(venue ? opt('description', optionalString(venue, 'address', 1024)) : {}) };
  }
  if (m.contact !== undefined) {
    const contact = object(m.contact, 'message.contact');
    const phone = string(contact, 'phone_number', 64);
    const name = joinName(optionalString(contact, 'first_name', 256), optionalString(contact, 'last_name', 256));
    // A contact whose user_id is the sender's own is the sender's own number, as Telegram knows it (request_contact).
    const own = from !== undefined && isSafeId(contact.user_id) && contact.user_id === from.id;
    const sharedProfile: SenderProfile | undefined = own ? { ...(profile ?? {}), phone, verified: ['phone'] } : profile;
    return { ...common, ...(sharedProfile ? { profile: sharedProfile } : {}), kind: 'text', title: 'contact', text: name ? `${name}: ${phone}` : phone };
  }
  if (m.sticker !== undefined) {
    const sticker = object(m.sticker, 'message.sticker');
    return { ...common, kind: 'image', title: 'sticker', mediaId: string(sticker, 'file_id', 512), ...opt('description', optionalString(sticker, 'emoji', 64)) };
  }
  if (caption !== undefined) return { ...common, kind: 'text', text: caption };
  // Service messages (members joined, pinned…), polls, dice, games: an event the agent can see but nothing to answer.
  return { ...common, kind: 'event', event: 'other', eventName: 'message' };
}

/** The bot's own membership changed: in a private chat `kicked` is "blocked the bot", `member` again is "unblocked". */
function fromChatMember(base: Base, u: Json): InboundMessage {
  const chat = object(u.chat, 'my_chat_member.chat');
  const status = string(object(u.new_chat_member, 'my_chat_member.new_chat_member'), 'status', 64);
  const from = optionalObject(u, 'from');
  const event: InboundEvent = status === 'kicked' || status === 'left' ? 'unsubscribe' : status === 'member' || status === 'administrator' || status === 'creator' || status === 'restricted' ? 'subscribe' : 'other';
  const profile = from ? profileOf(from) : undefined;
  return { ...base, kind: 'event', event, eventName: 'my_chat_member', eventKey: status, sender: chatId(chat), sentAt: epochSeconds(int(u, 'date')), ...(profile ? { profile } : {}) };
}

/** An inline-keyboard button press: `data` is the button's callback data. The query carries no time of its own. */
function fromCallbackQuery(base: Base, q: Json, now: Date): InboundMessage {
  const from = object(q.from, 'callback_query.from');
  const message = optionalObject(q, 'message');
  const chat = message ? optionalObject(message, 'chat') : undefined;
  const id = string(q, 'id', 256);
  const data = optionalString(q, 'data', 1024) ?? optionalString(q, 'game_short_name', 256);
  const profile = profileOf(from);
  return {
    ...base,
    kind: 'event',
    event: 'click',
    eventName: 'callback_query',
    ...opt('eventKey', data),
    sender: chat ? chatId(chat) : chatId(from),
    sentAt: now,
    ...(profile ? { profile } : {}),
    // The id answerCallbackQuery needs (the button shows a spinner until it is answered).
    thread: { callbackQueryId: id },
  };
}

function profileOf(user: Json): SenderProfile | undefined {
  const name = joinName(optionalString(user, 'first_name', 256), optionalString(user, 'last_name', 256)) ?? optionalString(user, 'username', 256) ?? optionalString(user, 'title', 256);
  return name ? { displayName: name } : undefined;
}

function joinName(first: string | undefined, last: string | undefined): string | undefined {
  const name = [first, last].filter((part) => part && part.trim()).join(' ').trim();
  return name || undefined;
}

function chatType(chat: Json): string {
  return optionalString(chat, 'type', 32) ?? 'private';
}

function chatId(chat: Json): string {
  if (!isSafeId(chat.id)) throw new Malformed('a chat id must be a non-zero integer');
  return String(chat.id);
}

function isSafeId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value !== 0;
}

function area(photo: Json): number {
  const width = typeof photo.width === 'number' && Number.isFinite(photo.width) ? photo.width : 0;
  const height = typeof photo.height === 'number' && Number.isFinite(photo.height) ? photo.height : 0;
  const size = typeof photo.file_size === 'number' && Number.isFinite(photo.file_size) ? photo.file_size : 0;
  return width * height || size;
}

function epochSeconds(seconds: number): Date {
  if (seconds < 0 || seconds > 1e11) throw new Malformed('a date must be epoch seconds');
  return new Date(seconds * 1000);
}

function header(headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  const direct = headers[name];
  if (typeof direct === 'string') return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key !== undefined ? headers[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Constant-time equality of any two strings: fixed-length digests of both, so neither content nor length leaks early. */
export function secretMatches(expected: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received));
}

// Strict readers: a field of the wrong type is malformed, an absent optional one is undefined.
function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw new Malformed(`${what} must be an object`);
  return value;
}
function optionalObject(parent: Json, key: string): Json | undefined {
  return parent[key] === undefined || parent[key] === null ? undefined : object(parent[key], key);
}
function array(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value) || value.length > 64) throw new Malformed(`${what} must be an array of at most 64 items`);
  return value;
}
function string(parent: Json, key: string, max: number): string {
  const value = parent[key];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) throw new Malformed(`${key} must be a string of 1-${max} characters`);
  return value;
}
function optionalString(parent: Json, key: string, max: number): string | undefined {
  return parent[key] === undefined || parent[key] === null ? undefined : parent[key] === '' ? undefined : string(parent, key, max);
}
function int(parent: Json, key: string): number {
  const value = parent[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Malformed(`${key} must be an integer`);
  return value;
}
function optionalInt(parent: Json, key: string): number | undefined {
  return parent[key] === undefined ? undefined : int(parent, key);
}
function number(parent: Json, key: string): number {
  const value = parent[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Malformed(`${key} must be a number`);
  return value;
}
function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
function one(message: InboundMessage): ParseOutcome {
  return { kind: 'messages', messages: [message] };
}

/**
 * The Telegram channel from its secrets: `botToken` (for sendMessage, and the bot's id) and `secretToken` (the webhook's
 * secret_token). Both are required.
 */
export function telegramChannel(config: { secrets: Readonly<Record<string, string | undefined>>; apiBaseUrl?: string; fetch?: typeof fetch; now?: () => Date }): { adapter: ChannelAdapter; sender: ChannelSender } {
  const missing = TELEGRAM_SECRET_KEYS.filter((key) => !config.secrets[key]);
  if (missing.length > 0) throw new Error(`the Telegram channel is missing secret(s): ${missing.join(', ')}`);
  const botToken = config.secrets.botToken!;
  const botId = /^(\d{1,20}):/.exec(botToken)?.[1];
  const adapter = new TelegramChannelAdapter({ secretToken: config.secrets.secretToken!, ...(botId ? { botId } : {}), ...(config.now ? { now: config.now } : {}) });
  const sender = new TelegramSender({ botToken, ...(config.apiBaseUrl ? { baseUrl: config.apiBaseUrl } : {}), ...(config.fetch ? { fetch: config.fetch } : {}) });
  return { adapter, sender };
}
