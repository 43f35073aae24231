/**
 * The WhatsApp Cloud API channel adapter (Meta Graph API webhooks): the `hub.challenge` subscription handshake, the
 * `X-Hub-Signature-256` body signature, and the `whatsapp_business_account` payload (messages of every type, and the
 * sent / delivered / read / failed statuses of Kefu's own outbound messages, which become events so that they are
 * never stored as customer messages).
 *
 * Sources: developers.facebook.com/documentation/business-messaging/whatsapp/webhooks — "Create a webhook endpoint"
 * (GET verification with hub.mode / hub.verify_token / hub.challenge; POST signed with
 * `X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, payload)>`), and the messages webhook reference (payload
 * structures, message types, statuses). Meta retries a failed delivery for days and signs no timestamp, so there is no
 * replay window: a replayed delivery is caught by the dedupe id (`wa:<wamid>`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  ChannelAdapter,
  ChannelCapabilities,
  ChannelRequest,
  ChannelResponse,
  ChannelSender,
  InboundMessage,
  ParseOutcome,
  SenderProfile,
  Verification,
} from '../../../ports/channel.ts';
import { WHATSAPP_TEXT_LIMIT, WhatsappCloudSender } from './whatsapp.sender.ts';

/** The secrets the WhatsApp channel needs: the Meta app secret (signs webhooks), the verify token (handshake), the
 * system user's access token and the business phone number id (sending). */
export const WHATSAPP_SECRET_KEYS = ['appSecret', 'verifyToken', 'accessToken', 'phoneNumberId'] as const;

/** Cloud API text messages carry at most 4096 characters (`text.body`, messages API reference). */
export const WHATSAPP_MAX_TEXT_CHARACTERS = WHATSAPP_TEXT_LIMIT;

export const WHATSAPP_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: WHATSAPP_MAX_TEXT_CHARACTERS, unit: 'characters' },
  richContent: ['image', 'voice', 'video', 'file', 'link', 'card'],
  // Free-form (non-template) messages only within 24 hours of the customer's last message (customer service window).
  serviceWindowHours: 24,
  // Cloud API default throughput: 80 messages per second per business phone number.
  sendRatePerSecond: 80,
};

/** Upper bounds on what one webhook delivery may hold (Meta batches at most a few changes per delivery). */
const LIMITS = { bodyBytes: 1024 * 1024, items: 1000, textChars: 65_536, shortField: 1024 } as const;

const TEXT = 'text/plain; charset=utf-8';
const SIGNATURE_HEADER = 'x-hub-signature-256';

export interface WhatsappAdapterOptions {
  /** The Meta app's App Secret (App settings → Basic): the HMAC key of `X-Hub-Signature-256`. */
  readonly appSecret: string;
  /** The Verify Token typed into the app's webhook settings, echoed back by Meta in `hub.verify_token`. */
  readonly verifyToken: string;
}

const refused = (code: string, message: string): Verification => ({ kind: 'refused', status: 401, code, message });
const malformed = (message: string): ParseOutcome => ({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED', message });

/** Constant-time equality of two strings of any length (fixed-length digests of both sides, no early exit). */
function sameSecret(expected: string, received: string): boolean {
  const key = 'kefu-compare';
  const digest = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(received));
}

/** The expected `X-Hub-Signature-256` header value for a body (exported for tests and tools). */
export function whatsappSignature(appSecret: string, body: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

export class WhatsappChannelAdapter implements ChannelAdapter {
  readonly channel = 'whatsapp' as const;
  readonly capabilities = WHATSAPP_CAPABILITIES;

  constructor(private readonly options: WhatsappAdapterOptions) {
    if (!options.appSecret) throw new Error('the whatsapp app secret must not be empty');
    if (!options.verifyToken) throw new Error('the whatsapp verify token must not be empty');
  }

  /** GET: the subscription handshake (answers `hub.challenge`); anything else must carry a valid body signature. */
  verify(request: ChannelRequest): Verification {
    const query = request.query ?? {};
    const headers = request.headers ?? {};
    if (request.method === 'GET') {
      const mode = str(query['hub.mode']);
      const token = str(query['hub.verify_token']);
      const challenge = str(query['hub.challenge']);
      if (mode !== 'subscribe' || token === undefined || !sameSecret(this.options.verifyToken, token)) {
        return refused('WEBHOOK.SIGNATURE_INVALID', 'hub.mode must be subscribe and hub.verify_token must match');
      }
      if (challenge === undefined || !/^[A-Za-z0-9]{1,128}$/.test(challenge)) {
        return { kind: 'handshake', response: { status: 400, contentType: TEXT, body: 'hub.challenge must be 1 to 128 letters or digits' } };
      }
      return { kind: 'handshake', response: { status: 200, contentType: TEXT, body: challenge } };
    }
    const header = str(headers[SIGNATURE_HEADER]);
    if (!header) return refused('WEBHOOK.SIGNATURE_MISSING', `the ${SIGNATURE_HEADER} header is required`);
    const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
    const body = typeof request.body === 'string' ? request.body : '';
    if (!match) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    const expected = createHmac('sha256', this.options.appSecret).update(body, 'utf8').digest();
    const received = Buffer.from(match[1]!, 'hex');
    // Both are 32 bytes here (64 hex digits checked above): timingSafeEqual on equal lengths.
    if (received.length !== expected.length || !timingSafeEqual(expected, received)) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    return { kind: 'ok' };
  }

  parse(request: ChannelRequest): ParseOutcome {
    const body = request.body;
    if (typeof body !== 'string' || body.length === 0) return malformed('the body must be a JSON document');
    if (Buffer.byteLength(body, 'utf8') > LIMITS.bodyBytes) return malformed(`the body is larger than ${LIMITS.bodyBytes} bytes`);
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return malformed('the body is not JSON');
    }
    try {
      return toInbound(payload);
    } catch (error) {
      if (error instanceof PayloadError) return malformed(error.message);
      throw error;
    }
  }

  /** Meta only needs a 200 (anything else is retried); the reply goes out through the Cloud API sender. */
  acknowledge(): ChannelResponse {
    return { status: 200, contentType: TEXT, body: 'OK' };
  }
}

class PayloadError extends Error {}

function fail(message: string): never {
  throw new PayloadError(message);
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function obj(value: unknown, what: string): Json {
  if (!isObject(value)) fail(`${what} must be an object`);
  return value;
}

function arr(value: unknown, what: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(`${what} must be an array`);
  return value;
}

/** A required string matching `pattern`. */
function field(source: Json, key: string, pattern: RegExp, what: string): string {
  const value = source[key];
  if (typeof value !== 'string' || !pattern.test(value)) fail(`${what}.${key} is missing or malformed`);
  return value;
}

/** An optional string of bounded length: absent or null is undefined, a wrong type or an over-long value fails. */
function optional(source: Json, key: string, what: string, max: number = LIMITS.shortField): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) fail(`${what}.${key} must be a string of at most ${max} characters`);
  return value;
}

const WA_ID = /^\d{1,20}$/;
const EPOCH_SECONDS = /^\d{1,12}$/;
const MESSAGE_ID = /^[\x21-\x7e]{1,256}$/;
const PHONE_NUMBER_ID = /^\d{1,32}$/;
const STATUS = /^[a-z_]{1,32}$/;

function toInbound(payload: unknown): ParseOutcome {
  const root = obj(payload, 'the payload');
  if (root.object !== 'whatsapp_business_account') fail('object must be whatsapp_business_account');
  const messages: InboundMessage[] = [];
  const push = (message: InboundMessage) => {
    if (messages.length >= LIMITS.items) fail(`a delivery may carry at most ${LIMITS.items} messages and statuses`);
    messages.push(message);
  };
  const entries = arr(root.entry, 'entry');
  if (entries.length > LIMITS.items) fail('too many entries');
  for (const entryValue of entries) {
    const entry = obj(entryValue, 'entry[]');
    const changes = arr(entry.changes, 'entry[].changes');
    if (changes.length > LIMITS.items) fail('too many changes');
    for (const changeValue of changes) {
      const change = obj(changeValue, 'changes[]');
      // Other subscribed fields (account_update, message_template_status_update, …) are not conversations.
      if (change.field !== undefined && change.field !== 'messages') continue;
      readValue(obj(change.value, 'changes[].value'), push);
    }
  }
  return { kind: 'messages', messages };
}

function readValue(value: Json, push: (message: InboundMessage) => void): void {
  const inbound = arr(value.messages, 'value.messages');
  const statuses = arr(value.statuses, 'value.statuses');
  if (inbound.length === 0 && statuses.length === 0) return;
  const metadata = obj(value.metadata, 'value.metadata');
  const phoneNumberId = field(metadata, 'phone_number_id', PHONE_NUMBER_ID, 'metadata');
  const thread = { phoneNumberId };

  const names = new Map<string, string>();
  for (const contactValue of arr(value.contacts, 'value.contacts')) {
    const contact = obj(contactValue, 'contacts[]');
    const waId = field(contact, 'wa_id', WA_ID, 'contacts[]');
    const profile = contact.profile === undefined ? undefined : obj(contact.profile, 'contacts[].profile');
    const name = profile ? optional(profile, 'name', 'contacts[].profile') : undefined;
    if (name) names.set(waId, name);
  }

  for (const messageValue of inbound) {
    const message = obj(messageValue, 'messages[]');
    const from = field(message, 'from', WA_ID, 'messages[]');
    const id = field(message, 'id', MESSAGE_ID, 'messages[]');
    const timestamp = field(message, 'timestamp', EPOCH_SECONDS, 'messages[]');
    const type = field(message, 'type', /^[a-z_]{1,64}$/, 'messages[]');
    const displayName = names.get(from);
    const profile: SenderProfile = { ...(displayName ? { displayName } : {}), phone: `+${from}`, verified: ['phone'] };
    const base = { channel: 'whatsapp' as const, sender: from, recipient: phoneNumberId, dedupeId: `wa:${id}`, sentAt: new Date(Number(timestamp) * 1000), profile, thread };
    push({ ...base, ...content(type, message) });
  }

  for (const statusValue of statuses) {
    const status = obj(statusValue, 'statuses[]');
    const id = field(status, 'id', MESSAGE_ID, 'statuses[]');
    const state = field(status, 'status', STATUS, 'statuses[]');
    const recipient = field(status, 'recipient_id', WA_ID, 'statuses[]');
    const timestamp = field(status, 'timestamp', EPOCH_SECONDS, 'statuses[]');
    const errors = arr(status.errors, 'statuses[].errors');
    const firstError = errors.length > 0 ? obj(errors[0], 'statuses[].errors[]') : undefined;
    const errorText = firstError ? [typeof firstError.code === 'number' ? String(firstError.code) : undefined, optional(firstError, 'title', 'errors[]')].filter(Boolean).join(' ') : '';
    push({
      channel: 'whatsapp',
      kind: 'event',
      sender: recipient,
      recipient: phoneNumberId,
      dedupeId: `wa:status:${id}:${state}`,
      sentAt: new Date(Number(timestamp) * 1000),
      event: 'other',
      eventName: `status:${state}`,
      // The wamid of Kefu's own outbound message whose status this is.
      eventKey: id,
      ...(errorText ? { description: errorText } : {}),
      thread,
    });
  }
}

type Content = Omit<InboundMessage, 'channel' | 'sender' | 'recipient' | 'dedupeId' | 'sentAt' | 'profile' | 'thread'>;

function media(message: Json, type: string): { mediaId?: string; caption?: string; filename?: string; voice?: boolean } {
  const part = obj(message[type], `messages[].${type}`);
  const mediaId = optional(part, 'id', type);
  const caption = optional(part, 'caption', type, LIMITS.textChars);
  const filename = optional(part, 'filename', type);
  return { ...(mediaId ? { mediaId } : {}), ...(caption ? { caption } : {}), ...(filename ? { filename } : {}), ...(part.voice === true ? { voice: true } : {}) };
}

function content(type: string, message: Json): Content {
  switch (type) {
    case 'text': {
      const text = obj(message.text, 'messages[].text');
      const body = text.body;
      if (typeof body !== 'string' || body.length > LIMITS.textChars) fail('text.body must be a string');
      return { kind: 'text', text: body };
    }
    case 'image':
    case 'sticker': {
      const { mediaId, caption } = media(message, type);
      return { kind: 'image', ...(mediaId ? { mediaId } : {}), ...(caption ? { text: caption } : {}), ...(type === 'sticker' ? { description: 'sticker' } : {}) };
    }
    case 'audio': {
      const { mediaId, voice } = media(message, type);
      // `voice: true` marks a recorded voice note; both are audio to Kefu.
      return { kind: 'voice', ...(mediaId ? { mediaId } : {}), ...(voice ? { description: 'voice note' } : {}) };
    }
    case 'video': {
      const { mediaId, caption } = media(message, type);
      return { kind: 'video', ...(mediaId ? { mediaId } : {}), ...(caption ? { text: caption } : {}) };
    }
    case 'document': {
      const { mediaId, caption, filename } = media(message, type);
      return { kind: 'file', ...(mediaId ? { mediaId } : {}), ...(caption ? { text: caption } : {}), ...(filename ? { title: filename } : {}) };
    }
    case 'location': {
      const location = obj(message.location, 'messages[].location');
      const { latitude, longitude } = location;
      if (typeof latitude !== 'number' || typeof longitude !== 'number' || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
        fail('location.latitude and location.longitude must be coordinates');
      }
      const name = optional(location, 'name', 'location');
      const address = optional(location, 'address', 'location');
      const url = optional(location, 'url', 'location');
      const label = [name, address].filter(Boolean).join(', ');
      return { kind: 'location', location: { latitude, longitude, ...(label ? { label } : {}) }, ...(url ? { url } : {}) };
    }
    case 'interactive': {
      const interactive = obj(message.interactive, 'messages[].interactive');
      const kind = field(interactive, 'type', /^[a-z_]{1,64}$/, 'interactive');
      if (kind === 'button_reply' || kind === 'list_reply') {
        const reply = obj(interactive[kind], `interactive.${kind}`);
        const id = field(reply, 'id', /^[\s\S]{1,256}$/, kind);
        const title = optional(reply, 'title', kind);
        const description = optional(reply, 'description', kind);
        return { kind: 'event', event: 'click', eventName: `interactive:${kind}`, eventKey: id, ...(title ? { text: title } : {}), ...(description ? { description } : {}) };
      }
      // nfm_reply (Flows) and future kinds: kept as an event, not as a customer text.
      return { kind: 'event', event: 'other', eventName: `interactive:${kind}` };
    }
    case 'button': {
      // A tap on a template's quick-reply button: the payload set on the template, and the button's text.
      const button = obj(message.button, 'messages[].button');
      const payload = optional(button, 'payload', 'button');
      const text = optional(button, 'text', 'button');
      return { kind: 'event', event: 'click', eventName: 'button', ...(payload ? { eventKey: payload } : {}), ...(text ? { text } : {}) };
    }
    case 'reaction': {
      const reaction = obj(message.reaction, 'messages[].reaction');
      const messageId = optional(reaction, 'message_id', 'reaction');
      // An empty or missing emoji means the customer removed the reaction.
      const emoji = optional(reaction, 'emoji', 'reaction');
      return { kind: 'event', event: 'other', eventName: 'reaction', ...(messageId ? { eventKey: messageId } : {}), ...(emoji ? { text: emoji } : {}) };
    }
    default:
      // contacts, order, system, unsupported, request_welcome, …: recorded as events under the channel's own name.
      return { kind: 'event', event: 'other', eventName: type };
  }
}

/** The one factory the wiring uses: checks the secrets (naming the missing ones, never their values). */
export function whatsappChannel(config: {
  secrets: Readonly<Record<string, string | undefined>>;
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}): { adapter: WhatsappChannelAdapter; sender: ChannelSender & WhatsappCloudSender } {
  const missing = WHATSAPP_SECRET_KEYS.filter((key) => !config.secrets[key]);
  if (missing.length > 0) throw new Error(`whatsapp channel: missing secret(s): ${missing.join(', ')}`);
  const { appSecret, verifyToken, accessToken, phoneNumberId } = config.secrets as Record<(typeof WHATSAPP_SECRET_KEYS)[number], string>;
  return {
    adapter: new WhatsappChannelAdapter({ appSecret, verifyToken }),
    sender: new WhatsappCloudSender({ accessToken, phoneNumberId, ...(config.apiBaseUrl ? { baseUrl: config.apiBaseUrl } : {}), ...(config.fetch ? { fetch: config.fetch } : {}) }),
  };
}
