/**
 * Channel webhook requests as each platform sends them, for the e2e tests, the fuzz run and the webhook benchmark:
 * per channel, the secrets as `KEFU_<CHANNEL>_<KEY>` environment variables (with `KEFU_<CHANNEL>_API_BASE_URL` at a
 * loopback fake), a valid text message for a given sender / text / id built from the official sample payloads in
 * test/fixtures/<channel>/ (SOURCES.md there), and a correctly signed request for any body, signed the way the unit
 * tests sign (computed here with node:crypto, independently of the adapters, except WeCom's AES which reuses the
 * shared WXBizMsgCrypt implementation the unit tests check against the official vector).
 *
 * WeCom's callback carries no message: it only says "messages are waiting" (kf_msg_or_event with a sync_msg Token).
 * `WecomKfFake` serves, per callback Token, the customer messages queued for it through kf/sync_msg, so a retried
 * callback pulls the same messages again (the worst case for dedupe).
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WechatMessageCrypto } from '../../shared/adapters/channels/wechat/wechat-crypto.ts';
import type { FakeChannelApi } from './fake-channel-api.ts';

export const CHANNELS = ['wechat', 'wecom', 'telegram', 'line', 'whatsapp'] as const;
export type WebhookChannel = (typeof CHANNELS)[number];

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
const fixture = (channel: string, name: string) => readFileSync(join(FIXTURES, channel, name), 'utf8');

/** The secrets every test configures (made up; never real credentials). */
export const SECRETS = {
  wechat: { token: 'kefu-e2e-wechat-token', appId: 'wx-e2e-app', appSecret: 'e2e-wechat-app-secret', account: 'gh_kefu_e2e' },
  wecom: { corpId: 'ww12345678910', secret: 'e2e-wecom-kf-secret', token: 'kefuCallbackToken', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' },
  telegram: { botToken: '7000000001:AAE2eTestTokenForKefuOnly_abcdefghij', secretToken: 'kefu_Webhook-Secret_0123456789' },
  line: { channelSecret: '8c570fa6dd201bb328f1c1eac23a96d8', channelAccessToken: 'e2e-line-channel-access-token', destination: 'U0123456789abcdef0123456789abcdef' },
  whatsapp: { appSecret: 'kefu-app-secret', verifyToken: 'kefu-verify-token', accessToken: 'e2e-whatsapp-access-token', phoneNumberId: '106540352242922' },
} as const;

export const WEBHOOK_PATH: Record<WebhookChannel, string> = {
  wechat: '/v1/channels/wechat/webhook',
  wecom: '/v1/channels/wecom/webhook',
  telegram: '/v1/channels/telegram/webhook',
  line: '/v1/channels/line/webhook',
  whatsapp: '/v1/channels/whatsapp/webhook',
};

/** `KEFU_<CHANNEL>_<KEY>` for every channel's secrets, and each channel's API base URL (its loopback fake). */
export function channelEnv(apiBaseUrls: Partial<Record<WebhookChannel, string>>): Record<string, string> {
  const env: Record<string, string> = {
    KEFU_WECHAT_TOKEN: SECRETS.wechat.token,
    KEFU_WECHAT_APP_ID: SECRETS.wechat.appId,
    KEFU_WECHAT_APP_SECRET: SECRETS.wechat.appSecret,
    KEFU_WECOM_CORP_ID: SECRETS.wecom.corpId,
    KEFU_WECOM_SECRET: SECRETS.wecom.secret,
    KEFU_WECOM_TOKEN: SECRETS.wecom.token,
    KEFU_WECOM_ENCODING_AES_KEY: SECRETS.wecom.encodingAesKey,
    KEFU_TELEGRAM_BOT_TOKEN: SECRETS.telegram.botToken,
    KEFU_TELEGRAM_SECRET_TOKEN: SECRETS.telegram.secretToken,
    KEFU_LINE_CHANNEL_SECRET: SECRETS.line.channelSecret,
    KEFU_LINE_CHANNEL_ACCESS_TOKEN: SECRETS.line.channelAccessToken,
    KEFU_WHATSAPP_APP_SECRET: SECRETS.whatsapp.appSecret,
    KEFU_WHATSAPP_VERIFY_TOKEN: SECRETS.whatsapp.verifyToken,
    KEFU_WHATSAPP_ACCESS_TOKEN: SECRETS.whatsapp.accessToken,
    KEFU_WHATSAPP_PHONE_NUMBER_ID: SECRETS.whatsapp.phoneNumberId,
  };
  for (const channel of CHANNELS) {
    const url = apiBaseUrls[channel];
    if (url) env[`KEFU_${channel.toUpperCase()}_API_BASE_URL`] = url;
  }
  return env;
}

/** One webhook request: path with query, headers, raw body. */
export interface WebhookRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export interface SignOptions {
  /** Sign with another secret (a forgery). */
  readonly wrongSecret?: boolean;
  /** Leave the signature out. */
  readonly unsigned?: boolean;
  /** Override the timestamp (WeChat / WeCom: seconds). */
  readonly timestamp?: number;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const nonce = () => String(Math.floor(Math.random() * 1e9));
const sha1Sorted = (...parts: string[]) => createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');
const hmacBase64 = (secret: string, body: string) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('base64');
const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex');
const wecomCrypto = new WechatMessageCrypto(SECRETS.wecom.encodingAesKey, SECRETS.wecom.corpId);

/** WeCom's outer callback body around an already encrypted message. */
export const wecomEnvelope = (encrypted: string) =>
  `<xml><ToUserName><![CDATA[${SECRETS.wecom.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`;

/** The Encrypt of a WeCom envelope (undefined when there is none). */
const encryptOf = (body: string) => /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(body)?.[1];

/**
 * A POST of `body` signed as the channel signs it. WeChat and WeCom sign in the query (WeCom over the body's
 * `<Encrypt>`: a WeCom body is the envelope, see `wecomEnvelope`); Telegram sends its secret token in a header; LINE and
 * WhatsApp sign the raw body with HMAC-SHA256.
 */
export function signedPost(channel: WebhookChannel, body: string, options: SignOptions = {}): WebhookRequest {
  const path = WEBHOOK_PATH[channel];
  const wrong = options.wrongSecret === true;
  switch (channel) {
    case 'wechat': {
      const timestamp = String(options.timestamp ?? nowSeconds());
      const n = nonce();
      const query = options.unsigned ? '' : `?${new URLSearchParams({ signature: sha1Sorted(wrong ? 'not-the-token' : SECRETS.wechat.token, timestamp, n), timestamp, nonce: n })}`;
      return { method: 'POST', path: `${path}${query}`, headers: { 'content-type': 'text/xml' }, body };
    }
    case 'wecom': {
      const timestamp = String(options.timestamp ?? nowSeconds());
      const n = nonce();
      const signature = sha1Sorted(wrong ? 'notTheCallbackToken' : SECRETS.wecom.token, timestamp, n, encryptOf(body) ?? '');
      const query = options.unsigned ? '' : `?${new URLSearchParams({ msg_signature: signature, timestamp, nonce: n })}`;
      return { method: 'POST', path: `${path}${query}`, headers: { 'content-type': 'text/xml' }, body };
    }
    case 'telegram':
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...(options.unsigned ? {} : { 'x-telegram-bot-api-secret-token': wrong ? 'not-the-secret-token' : SECRETS.telegram.secretToken }) }, body };
    case 'line':
      return { method: 'POST', path, headers: { 'content-type': 'application/json; charset=utf-8', ...(options.unsigned ? {} : { 'x-line-signature': hmacBase64(wrong ? 'ffffffffffffffffffffffffffffffff' : SECRETS.line.channelSecret, body) }) }, body };
    case 'whatsapp':
      return { method: 'POST', path, headers: { 'content-type': 'application/json', ...(options.unsigned ? {} : { 'x-hub-signature-256': `sha256=${hmacHex(wrong ? 'not-the-app-secret' : SECRETS.whatsapp.appSecret, body)}` }) }, body };
  }
}

/** The channel's GET handshake, where it has one (WhatsApp's hub.challenge, WeCom's encrypted echostr). */
export function handshake(channel: 'wecom' | 'whatsapp', challenge: string, options: SignOptions = {}): WebhookRequest {
  if (channel === 'whatsapp') {
    const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': options.wrongSecret ? 'not-the-verify-token' : SECRETS.whatsapp.verifyToken, 'hub.challenge': challenge });
    return { method: 'GET', path: `${WEBHOOK_PATH.whatsapp}?${query}`, headers: {} };
  }
  const echostr = wecomCrypto.encrypt(challenge);
  const timestamp = String(options.timestamp ?? nowSeconds());
  const n = nonce();
  const query = new URLSearchParams({ msg_signature: sha1Sorted(options.wrongSecret ? 'notTheCallbackToken' : SECRETS.wecom.token, timestamp, n, echostr), timestamp, nonce: n, echostr });
  return { method: 'GET', path: `${WEBHOOK_PATH.wecom}?${query}`, headers: {} };
}

/** A valid text message from `sender` with `text`, whose channel message id (the dedupe key) is derived from `id`. */
export interface TextMessage {
  readonly channel: WebhookChannel;
  /** The sender's channel identity (the customer is customerIdForIdentity(channel, sender)). */
  readonly sender: string;
  /** The webhook body (WeCom: the encrypted kf_msg_or_event callback). */
  readonly body: string;
  /** WeCom only: the sync_msg entry the callback announces, to queue on the fake before posting. */
  readonly wecom?: { readonly syncToken: string; readonly entry: Record<string, unknown> };
}

/** A sender identity of the channel's own form, unique per `label` and `n`. */
export function senderId(channel: WebhookChannel, label: string, n: number): string {
  const salt = createHash('sha256').update(`${label}:${n}:${process.pid}:${Date.now()}:${Math.random()}`).digest('hex');
  switch (channel) {
    case 'wechat':
      return `o${label}${salt.slice(0, 20)}`;
    case 'wecom':
      return `wm${label}${salt.slice(0, 20)}`;
    case 'telegram':
      // A private chat id: a positive integer (safe, non-zero).
      return String(1_000_000_000 + (parseInt(salt.slice(0, 12), 16) % 8_000_000_000_000));
    case 'line':
      return `U${salt.slice(0, 32)}`;
    case 'whatsapp':
      return `86${String(parseInt(salt.slice(0, 12), 16)).padStart(11, '0').slice(0, 11)}`;
  }
}

/** A numeric message id derived from `id` (WeChat's MsgId, Telegram's update_id, LINE's message id). */
const numericId = (id: string, digits: number) => String(BigInt(`0x${createHash('sha256').update(id).digest('hex').slice(0, 15)}`) % 10n ** BigInt(digits)).padStart(digits, '1');

export function textMessage(channel: WebhookChannel, sender: string, text: string, id: string): TextMessage {
  const now = nowSeconds();
  switch (channel) {
    case 'wechat': {
      // test/fixtures/wechat/text.xml (接收普通消息 → 文本消息) with the sender, account, time, text and MsgId set.
      const body = fixture('wechat', 'text.xml')
        .replace('<![CDATA[toUser]]>', `<![CDATA[${SECRETS.wechat.account}]]>`)
        .replace('<![CDATA[fromUser]]>', `<![CDATA[${sender}]]>`)
        .replace('1348831860', String(now))
        .replace('<![CDATA[this is a test]]>', `<![CDATA[${text}]]>`)
        .replace('1234567890123456', `7${numericId(id, 18)}`)
        .replace(/\s*<MsgDataId>xxxx<\/MsgDataId>\s*<Idx>xxxx<\/Idx>/, '');
      return { channel, sender, body };
    }
    case 'wecom': {
      const syncToken = `ENC${createHash('sha256').update(`token:${id}`).digest('base64url').slice(0, 40)}`;
      // test/fixtures/wecom/kf-msg-or-event.xml (接收消息和事件 → 回调事件), encrypted for the corp.
      const notice = fixture('wecom', 'kf-msg-or-event.xml')
        .replace('<![CDATA[ww12345678910]]>', `<![CDATA[${SECRETS.wecom.corpId}]]>`)
        .replace('1348831860', String(now))
        .replace('ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', syncToken)
        .replace('wkxxxxxxx', SECRETS.wecom.openKfId);
      // The first entry of test/fixtures/wecom/sync-msg-page1.json (a customer's text, origin 3), re-addressed.
      const sample = (JSON.parse(fixture('wecom', 'sync-msg-page1.json')) as { msg_list: Record<string, unknown>[] }).msg_list[0]!;
      const entry = { ...sample, msgid: `from_msgid_${numericId(id, 19)}`, open_kfid: SECRETS.wecom.openKfId, external_userid: sender, send_time: now, text: { content: text } };
      return { channel, sender, body: wecomEnvelope(wecomCrypto.encrypt(notice)), wecom: { syncToken, entry } };
    }
    case 'telegram': {
      // test/fixtures/telegram/text.json ("Message with text", private chat).
      const update = JSON.parse(fixture('telegram', 'text.json')) as { update_id: number; message: Record<string, any> };
      update.update_id = Number(numericId(id, 12));
      update.message.date = now;
      update.message.message_id = Number(numericId(`m${id}`, 9));
      update.message.chat.id = Number(sender);
      update.message.from.id = Number(sender);
      update.message.text = text;
      return { channel, sender, body: JSON.stringify(update) };
    }
    case 'line': {
      // test/fixtures/line/text-group.json (Message event → Text), made a one-to-one chat (source type user).
      const webhook = JSON.parse(fixture('line', 'text-group.json')) as { destination: string; events: Record<string, any>[] };
      const event = webhook.events[0]!;
      webhook.destination = SECRETS.line.destination;
      event.timestamp = Date.now();
      event.source = { type: 'user', userId: sender };
      event.webhookEventId = `01E2E${numericId(id, 21)}`;
      event.replyToken = `rt${numericId(`r${id}`, 30)}`;
      event.message = { id: numericId(`m${id}`, 18), type: 'text', quoteToken: event.message.quoteToken, text };
      return { channel, sender, body: JSON.stringify(webhook) };
    }
    case 'whatsapp': {
      // test/fixtures/whatsapp/text.json (messages webhook reference → incoming text message).
      const payload = JSON.parse(fixture('whatsapp', 'text.json')) as { entry: { changes: { value: Record<string, any> }[] }[] };
      const value = payload.entry[0]!.changes[0]!.value;
      value.metadata.phone_number_id = SECRETS.whatsapp.phoneNumberId;
      value.contacts[0].wa_id = sender;
      value.messages[0] = { ...value.messages[0], from: sender, id: `wamid.E2E${createHash('sha256').update(id).digest('base64url').slice(0, 40)}`, timestamp: String(now), text: { body: text } };
      return { channel, sender, body: JSON.stringify(payload) };
    }
  }
}

/** The LINE reply token a text message carries (to find the reply on the fake). */
export const lineReplyTokenOf = (body: string): string => (JSON.parse(body) as { events: { replyToken: string }[] }).events[0]!.replyToken;

/**
 * kf/sync_msg on a FakeChannelApi: the messages queued per callback Token (every pull with that Token gets them again:
 * a retried callback re-reads, as after a crash before the cursor moved), gettoken and send_msg answered as documented.
 */
export class WecomKfFake {
  private readonly queued = new Map<string, Record<string, unknown>[]>();
  pulls = 0;

  constructor(api: FakeChannelApi) {
    api
      .route('GET', '/cgi-bin/gettoken', () => ({ body: { errcode: 0, errmsg: 'ok', access_token: 'fake-wecom-access-token', expires_in: 7200 } }))
      .route('POST', '/cgi-bin/kf/sync_msg', (call) => {
        this.pulls++;
        const token = typeof call.json?.token === 'string' ? call.json.token : '';
        const list = this.queued.get(token) ?? [];
        return { body: { errcode: 0, errmsg: 'ok', next_cursor: `c_${createHash('sha256').update(token).digest('hex').slice(0, 16)}`, has_more: 0, msg_list: list } };
      })
      .route('POST', '/cgi-bin/kf/send_msg', (call) => ({ body: { errcode: 0, errmsg: 'ok', msgid: `sent_${call.json?.msgid ?? 'x'}` } }));
  }

  queue(message: TextMessage): void {
    if (!message.wecom) throw new Error('not a WeCom message');
    this.queued.set(message.wecom.syncToken, [...(this.queued.get(message.wecom.syncToken) ?? []), message.wecom.entry]);
  }
}

/** Routes of the other platforms' send APIs on their fakes, answering success as each platform documents it. */
export function routeSendApis(apis: { wechat?: FakeChannelApi; telegram?: FakeChannelApi; line?: FakeChannelApi; whatsapp?: FakeChannelApi }): void {
  apis.wechat
    ?.route('POST', '/cgi-bin/stable_token', () => ({ body: { access_token: 'fake-wechat-access-token', expires_in: 7200 } }))
    .route('POST', '/cgi-bin/message/custom/send', () => ({ body: { errcode: 0, errmsg: 'ok' } }));
  let telegramIds = 1;
  apis.telegram?.route('POST', `/bot${SECRETS.telegram.botToken}/sendMessage`, (call) => ({
    body: { ok: true, result: { message_id: telegramIds++, date: nowSeconds(), chat: { id: Number(call.json?.chat_id), type: 'private' }, text: call.json?.text } },
  }));
  let lineIds = 1;
  apis.line
    ?.route('POST', '/v2/bot/message/reply', () => ({ body: { sentMessages: [{ id: String(lineIds++), quoteToken: 'q' }] } }))
    .route('POST', '/v2/bot/message/push', () => ({ body: { sentMessages: [{ id: String(lineIds++), quoteToken: 'q' }] } }));
  let waIds = 1;
  apis.whatsapp?.route('POST', `/v21.0/${SECRETS.whatsapp.phoneNumberId}/messages`, (call) => ({
    body: { messaging_product: 'whatsapp', contacts: [{ input: call.json?.to, wa_id: call.json?.to }], messages: [{ id: `wamid.out${waIds++}` }] },
  }));
}

/** Sends a webhook request over real HTTP; the status, body and how long until the whole response was read. */
export async function sendWebhook(baseUrl: string, request: WebhookRequest): Promise<{ status: number; text: string; contentType: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, ...(request.body !== undefined ? { body: request.body } : {}) });
  const text = await res.text();
  return { status: res.status, text, contentType: res.headers.get('content-type') ?? '', ms: performance.now() - started };
}
