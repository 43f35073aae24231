/**
 * The WeCom customer-contact API (企业微信 微信客服) beside the webhook: the access token (`/cgi-bin/gettoken`), pulling
 * the messages a `kf_msg_or_event` callback announces (`/cgi-bin/kf/sync_msg`, cursor-paged), and sending text
 * (`/cgi-bin/kf/send_msg`). The base URL, fetch and clock are injectable so that tests use a loopback fake.
 *
 * Sources (developer.work.weixin.qq.com): 获取access_token (document/path/91039), 接收消息和事件 / 读取消息
 * (document/path/94670), 发送消息 (document/path/94677), 访问频率限制 (document/path/90454).
 */
import { createHash } from 'node:crypto';
import type { ChannelSender, InboundEvent, InboundMessage, OutboundContext, SendResult } from '../../../ports/channel.ts';
import { truncateUtf8 } from '../wechat/wechat-xml.ts';

export const WECOM_API_BASE_URL = 'https://qyapi.weixin.qq.com';

/** 发送消息: `text.content` 最长不超过2048个字节. */
export const WECOM_MAX_TEXT_BYTES = 2048;

/** sync_msg: `limit` defaults to and is at most 1000. */
export const WECOM_SYNC_MAX_LIMIT = 1000;

/** Token errors: invalid (40014), expired (42001), invalid secret / credential (40001): fetch a new token, try once more. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** System busy (-1), API rate limit (45009), concurrency limit (45033): worth another try later. */
const RETRYABLE_ERRORS = new Set([-1, 45009, 45033]);
/** 95001 send count limit (5 per customer message), 95002 send time limit (48 h), 95013 the session has ended. */
const OUTSIDE_WINDOW_ERRORS = new Set([95001, 95002, 95013]);

/** A failed API call: `retryable` says whether another try later may succeed. */
export class WecomApiError extends Error {
  constructor(
    readonly code: string,
    readonly retryable: boolean,
    message: string,
    readonly errcode?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'WecomApiError';
  }
}

export interface WecomClientOptions {
  readonly corpId: string;
  /** The 微信客服 secret (only its token may call kf/send_msg and kf/sync_msg). */
  readonly secret: string;
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/**
 * The access token of one secret, cached until 5 minutes before `expires_in` runs out; concurrent callers share one
 * fetch (single flight). WeCom returns the same token while it is valid, so several processes may each hold a cache.
 */
export class WecomAccessTokens {
  private cached?: { token: string; expiresAt: number };
  private pending?: Promise<string>;

  constructor(private readonly options: WecomClientOptions) {}

  async get(): Promise<string> {
    if (this.cached && this.cached.expiresAt > this.nowMs()) return this.cached.token;
    this.pending ??= this.fetchToken().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets a token WeCom called invalid or expired, so that the next `get` fetches anew. */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  private nowMs(): number {
    return (this.options.now ?? (() => new Date()))().getTime();
  }

  private async fetchToken(): Promise<string> {
    const url = new URL('/cgi-bin/gettoken', this.options.baseUrl ?? WECOM_API_BASE_URL);
    url.search = new URLSearchParams({ corpid: this.options.corpId, corpsecret: this.options.secret }).toString();
    const answer = await request(this.options, url, undefined);
    if (answer.kind !== 'json') throw failure('gettoken', answer);
    const body = answer.body;
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0 || typeof body.access_token !== 'string' || !body.access_token) {
      // The secret itself is wrong (40001 / 40091…) unless WeCom is busy: only the latter is worth retrying.
      throw new WecomApiError(`WECOM_TOKEN_${errcode}`, RETRYABLE_ERRORS.has(errcode), `gettoken: ${errcode} ${str(body.errmsg)}`.trim(), errcode);
    }
    const expiresIn = typeof body.expires_in === 'number' && Number.isFinite(body.expires_in) ? body.expires_in : 7200;
    const lifetimeMs = Math.max(60, expiresIn - 300) * 1000;
    this.cached = { token: body.access_token, expiresAt: this.nowMs() + lifetimeMs };
    return body.access_token;
  }
}

export interface WecomSyncRequest {
  /** The `next_cursor` of the previous page (omit for the first pull: then WeCom starts 3 days back). */
  readonly cursor?: string;
  /** The callback's `<Token>` (valid 10 minutes; without it sync_msg is strictly rate limited). */
  readonly token: string;
  readonly openKfId: string;
  readonly limit?: number;
}

export interface WecomSyncPage {
  readonly messages: readonly InboundMessage[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
  /** Entries not mapped: sent by a servicer (origin 5), events about no customer, or not well formed. */
  readonly skipped: number;
}

export interface WecomSyncAllResult {
  readonly messages: readonly InboundMessage[];
  /** The cursor to keep for the next callback (the last page's `next_cursor`, or the one passed in). */
  readonly cursor: string | undefined;
  /** True when `maxPages` stopped the loop before WeCom said there was nothing more. */
  readonly hasMore: boolean;
  readonly pages: number;
  readonly skipped: number;
}

type Answer =
  | { kind: 'json'; body: Record<string, unknown>; status: number }
  | { kind: 'http'; status: number; retryAfterMs?: number; message: string }
  | { kind: 'network'; message: string };

async function request(options: WecomClientOptions, url: URL, body: unknown): Promise<Answer> {
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(url, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
  } catch (error) {
    return { kind: 'network', message: (error as Error).message };
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    return { kind: 'http', status: res.status, message: res.statusText, ...retryAfter(res.headers.get('retry-after')) };
  }
  try {
    const parsed: unknown = await res.json();
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'http', status: 502, message: 'the answer is not a JSON object' };
    return { kind: 'json', body: parsed as Record<string, unknown>, status: res.status };
  } catch {
    return { kind: 'http', status: 502, message: 'the answer is not JSON' };
  }
}

/** Retry-After in seconds or as an HTTP date, as milliseconds (capped at an hour). */
function retryAfter(header: string | null): { retryAfterMs?: number } {
  if (!header) return {};
  const seconds = /^\d{1,6}$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - Date.now()) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: Math.min(Math.round(seconds * 1000), 3_600_000) } : {};
}

function failure(what: string, answer: Exclude<Answer, { kind: 'json' }>): WecomApiError {
  if (answer.kind === 'network') return new WecomApiError('NETWORK', true, `${what}: ${answer.message}`);
  const retryable = answer.status >= 500 || answer.status === 429;
  return new WecomApiError(`HTTP_${answer.status}`, retryable, `${what}: ${answer.status} ${answer.message}`.trim(), undefined, answer.retryAfterMs);
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

export class WecomKfClient {
  readonly tokens: WecomAccessTokens;

  constructor(
    private readonly options: WecomClientOptions,
    tokens?: WecomAccessTokens,
  ) {
    if (!options.corpId || !options.secret) throw new Error('the wecom corp id and secret must not be empty');
    this.tokens = tokens ?? new WecomAccessTokens(options);
  }

  /**
   * POSTs to a `/cgi-bin/…` API with the access token; a token error invalidates the token and tries once more.
   * Returns WeCom's JSON (errcode may be non-zero) or throws WecomApiError for network / HTTP / token failures.
   */
  async call(path: string, body: unknown): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.tokens.get();
      const url = new URL(path, this.options.baseUrl ?? WECOM_API_BASE_URL);
      url.searchParams.set('access_token', token);
      const answer = await request(this.options, url, body);
      if (answer.kind !== 'json') throw failure(path, answer);
      const errcode = answer.body.errcode;
      if (typeof errcode === 'number' && TOKEN_ERRORS.has(errcode)) {
        this.tokens.invalidate(token);
        if (attempt === 0) continue;
      }
      return answer.body;
    }
  }

  /** One page of kf/sync_msg, mapped to inbound messages (customer messages and events only). */
  async sync(input: WecomSyncRequest): Promise<WecomSyncPage> {
    const limit = Math.min(WECOM_SYNC_MAX_LIMIT, Math.max(1, Math.floor(input.limit ?? WECOM_SYNC_MAX_LIMIT)));
    const body = await this.call('/cgi-bin/kf/sync_msg', {
      ...(input.cursor ? { cursor: input.cursor } : {}),
      token: input.token,
      limit,
      voice_format: 0,
      open_kfid: input.openKfId,
    });
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode !== 0) throw new WecomApiError(`WECOM_${errcode}`, RETRYABLE_ERRORS.has(errcode) || TOKEN_ERRORS.has(errcode), `sync_msg: ${errcode} ${str(body.errmsg)}`.trim(), errcode);
    if (!Array.isArray(body.msg_list)) throw new WecomApiError('WECOM_MALFORMED', true, 'sync_msg: msg_list is not a list');
    const { messages, skipped } = mapKfMessages(body.msg_list, input.openKfId);
    return { messages, nextCursor: str(body.next_cursor), hasMore: body.has_more === 1 || body.has_more === true, skipped };
  }

  /** Pulls page after page while WeCom says `has_more`, at most `maxPages` (default 10), and returns the last cursor. */
  async syncAll(input: WecomSyncRequest & { readonly maxPages?: number }): Promise<WecomSyncAllResult> {
    const maxPages = Math.max(1, Math.floor(input.maxPages ?? 10));
    const messages: InboundMessage[] = [];
    let cursor = input.cursor;
    let hasMore = true;
    let pages = 0;
    let skipped = 0;
    while (hasMore && pages < maxPages) {
      const page = await this.sync({ ...input, ...(cursor !== undefined ? { cursor } : {}) });
      pages++;
      messages.push(...page.messages);
      skipped += page.skipped;
      // An empty next_cursor would restart from 3 days back: keep the previous one instead.
      if (page.nextCursor) cursor = page.nextCursor;
      hasMore = page.hasMore && !!page.nextCursor;
    }
    return { messages, cursor, hasMore, pages, skipped };
  }

  /** kf/send_msg of one text; `msgid` makes WeCom drop a repeated send of the same message. */
  async sendText(input: { touser: string; openKfId: string; content: string; msgid?: string }): Promise<Record<string, unknown>> {
    return this.call('/cgi-bin/kf/send_msg', {
      touser: input.touser,
      open_kfid: input.openKfId,
      ...(input.msgid ? { msgid: input.msgid } : {}),
      msgtype: 'text',
      text: { content: input.content },
    });
  }
}

/** WeCom's msgid: at most 32 characters of [0-9a-zA-Z_-]; Kefu's id as is when it fits, else a stable digest of it. */
export function wecomMsgId(messageId: string): string {
  if (/^[0-9a-zA-Z_-]{1,32}$/.test(messageId)) return messageId;
  return createHash('sha256').update(messageId, 'utf8').digest('base64url').slice(0, 32);
}

export class WecomKfSender implements ChannelSender {
  readonly channel = 'wecom' as const;

  constructor(private readonly client: WecomKfClient) {}

  async sendText(to: string, text: string, context?: OutboundContext): Promise<SendResult> {
    const openKfId = context?.thread?.openKfId;
    if (!openKfId) return { ok: false, retryable: false, code: 'WECOM_OPEN_KFID_MISSING', message: 'the conversation carries no open_kfid (thread.openKfId) to send from' };
    if (!to) return { ok: false, retryable: false, code: 'WECOM_RECIPIENT_MISSING', message: 'no external_userid to send to' };
    let body: Record<string, unknown>;
    try {
      body = await this.client.sendText({
        touser: to,
        openKfId,
        content: truncateUtf8(text, WECOM_MAX_TEXT_BYTES),
        ...(context?.messageId ? { msgid: wecomMsgId(context.messageId) } : {}),
      });
    } catch (error) {
      if (error instanceof WecomApiError) return { ok: false, retryable: error.retryable, code: error.code, message: error.message, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
      return { ok: false, retryable: true, code: 'NETWORK', message: (error as Error).message };
    }
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    if (errcode === 0) return { ok: true, ...(typeof body.msgid === 'string' && body.msgid ? { providerMessageId: body.msgid } : {}) };
    const message = `${errcode} ${str(body.errmsg)}`.trim();
    if (OUTSIDE_WINDOW_ERRORS.has(errcode)) return { ok: false, retryable: false, code: 'OUTSIDE_SERVICE_WINDOW', message };
    return { ok: false, retryable: RETRYABLE_ERRORS.has(errcode) || TOKEN_ERRORS.has(errcode), code: `WECOM_${errcode}`, message };
  }
}

// ---- mapping sync_msg's msg_list to inbound messages ----

const ID = /^[A-Za-z0-9_@.:=+/-]{1,128}$/;
const MAX_TEXT = 16 * 1024;

type Json = Record<string, unknown>;
const obj = (value: unknown): Json | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined);
const id = (value: unknown): string | undefined => (typeof value === 'string' && ID.test(value) ? value : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_TEXT) : undefined);
const opt = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value ? ({ [key]: value } as Record<K, string>) : {});

/** Origin (消息来源): 3 sent by the WeChat customer, 4 a system event, 5 sent by a servicer in the WeCom app. */
const ORIGIN_CUSTOMER = 3;
const ORIGIN_EVENT = 4;

/**
 * Maps sync_msg's `msg_list` (any JSON) to inbound messages; never throws. Customer messages (origin 3) become
 * messages, events (origin 4, or msgtype `event`) about a customer become events (`enter_session` → subscribe),
 * servicer messages (origin 5) and anything malformed are skipped and counted.
 */
export function mapKfMessages(list: readonly unknown[], fallbackOpenKfId?: string): { messages: InboundMessage[]; skipped: number } {
  const messages: InboundMessage[] = [];
  let skipped = 0;
  for (const entry of list) {
    const message = mapOne(obj(entry), fallbackOpenKfId);
    if (message) messages.push(message);
    else skipped++;
  }
  return { messages, skipped };
}

function mapOne(m: Json | undefined, fallbackOpenKfId: string | undefined): InboundMessage | undefined {
  if (!m) return undefined;
  const msgid = id(m.msgid);
  const sendTime = m.send_time;
  if (!msgid || typeof sendTime !== 'number' || !Number.isSafeInteger(sendTime) || sendTime < 0 || sendTime > 1e11) return undefined;
  const msgtype = typeof m.msgtype === 'string' ? m.msgtype : '';
  const base = { channel: 'wecom' as const, dedupeId: `wecom:${msgid}`, sentAt: new Date(sendTime * 1000) };

  if (msgtype === 'event' || m.origin === ORIGIN_EVENT) {
    const event = obj(m.event);
    const sender = id(event?.external_userid) ?? id(m.external_userid);
    const openKfId = id(event?.open_kfid) ?? id(m.open_kfid) ?? fallbackOpenKfId;
    const eventType = typeof event?.event_type === 'string' && event.event_type.length <= 64 ? event.event_type : '';
    // Events about no customer (e.g. a servicer's status change) have no conversation to go to.
    if (!event || !sender || !openKfId || !eventType) return undefined;
    const kind: InboundEvent = eventType === 'enter_session' ? 'subscribe' : 'other';
    const key = text(event.scene) ?? text(event.recall_msgid) ?? text(event.fail_msgid);
    return { ...base, kind: 'event', sender, recipient: openKfId, event: kind, eventName: eventType, ...opt('eventKey', key), thread: { openKfId } };
  }

  // Servicer messages (origin 5) and anything not from the customer are not the customer's words.
  if (m.origin !== ORIGIN_CUSTOMER) return undefined;
  const sender = id(m.external_userid);
  const openKfId = id(m.open_kfid) ?? fallbackOpenKfId;
  if (!sender || !openKfId) return undefined;
  const common = { ...base, sender, recipient: openKfId, thread: { openKfId } };
  const body = obj(m[msgtype]);
  switch (msgtype) {
    case 'text': {
      const content = typeof body?.content === 'string' ? body.content.slice(0, MAX_TEXT) : undefined;
      return content === undefined ? undefined : { ...common, kind: 'text', text: content };
    }
    case 'image':
    case 'voice':
    case 'video':
    case 'file':
      return { ...common, kind: msgtype, ...opt('mediaId', id(body?.media_id) ?? text(body?.media_id)) };
    case 'location': {
      const latitude = body?.latitude;
      const longitude = body?.longitude;
      const lat = typeof latitude === 'string' ? Number(latitude) : latitude;
      const lng = typeof longitude === 'string' ? Number(longitude) : longitude;
      if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return undefined;
      const label = text(body?.name) ?? text(body?.address);
      return { ...common, kind: 'location', location: { latitude: lat, longitude: lng, ...opt('label', label) }, ...opt('description', text(body?.address)) };
    }
    case 'link':
      return { ...common, kind: 'link', ...opt('title', text(body?.title)), ...opt('description', text(body?.desc)), ...opt('url', text(body?.url)) };
    default:
      // 名片, 小程序, 菜单, 视频号… : kept (so that the agent sees something arrived), named by their msgtype.
      if (!/^[a-z_]{1,40}$/.test(msgtype)) return undefined;
      return { ...common, kind: 'event', event: 'other', eventName: `msgtype:${msgtype}` };
  }
}
