/**
 * The WeChat Official Account (公众号) channel adapter: the `echostr` URL verification, the signature and replay check,
 * the XML messages and events, the dedupe id WeChat's docs recommend, and the passive reply; plain mode, or safe mode
 * (AES, `encrypt_type=aes`) when an EncodingAESKey is configured — then plain bodies are refused and replies encrypted.
 *
 * Sources: developers.weixin.qq.com/doc/offiaccount — 接入指南 (signature, echostr), 接收普通消息 (MsgId dedupe),
 * 接收事件推送 (FromUserName + CreateTime dedupe), 被动回复用户消息 (5-second rule, reply `success`).
 */
import { randomInt } from 'node:crypto';
import type { ChannelAdapter, ChannelCapabilities, ChannelRequest, ChannelResponse, InboundEvent, InboundMessage, ParseOutcome, Verification } from '../../../ports/channel.ts';
import { WechatCryptoError, WechatMessageCrypto, wechatMessageSignature } from './wechat-crypto.ts';
import { signatureMatches, wechatSignature } from './wechat-signature.ts';
import { cdata, DEFAULT_XML_LIMITS, parseWechatXml, passiveTextReply, truncateUtf8, WechatXmlError } from './wechat-xml.ts';

export interface WechatAdapterOptions {
  /** The token configured on the official account's server settings (服务器配置 → Token). */
  readonly token: string;
  /** How far the signed timestamp may be from now, either way (default 5 minutes). */
  readonly replayWindowSeconds?: number;
  /** Safe mode (安全模式): the account's EncodingAESKey (43 characters) and app id. */
  readonly safeMode?: { readonly encodingAesKey: string; readonly appId: string };
  readonly now?: () => Date;
}

/** Passive replies and customer-service texts are limited to 2048 bytes by WeChat. */
export const WECHAT_MAX_TEXT_BYTES = 2048;

export const WECHAT_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: WECHAT_MAX_TEXT_BYTES, unit: 'utf8-bytes' },
  richContent: ['image', 'voice', 'video', 'link', 'card'],
  // Customer-service messages (客服消息) may be sent within 48 hours of the user's last interaction.
  serviceWindowHours: 48,
  // WeChat drops the connection after 5 s and retries (3 times in all); Kefu answers within about 4 s.
  syncReplyDeadlineMs: 5000,
};

const KNOWN_EVENTS: Readonly<Record<string, InboundEvent>> = { subscribe: 'subscribe', unsubscribe: 'unsubscribe', scan: 'scan', click: 'click', view: 'view', location: 'location' };
const MESSAGE_TYPES = new Set(['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link', 'file', 'event']);
const TEXT = 'text/plain; charset=utf-8';
const XML = 'application/xml; charset=utf-8';

const refused = (code: string, message: string): Verification => ({ kind: 'refused', status: 401, code, message });
const malformed = (message: string): ParseOutcome => ({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED', message });

export class WechatChannelAdapter implements ChannelAdapter {
  readonly channel = 'wechat' as const;
  readonly capabilities = WECHAT_CAPABILITIES;
  private readonly windowSeconds: number;
  private readonly now: () => Date;
  private readonly crypto?: WechatMessageCrypto;

  constructor(private readonly options: WechatAdapterOptions) {
    if (!options.token) throw new Error('the wechat token must not be empty');
    if (options.safeMode) this.crypto = new WechatMessageCrypto(options.safeMode.encodingAesKey, options.safeMode.appId);
    this.windowSeconds = options.replayWindowSeconds ?? 300;
    this.now = options.now ?? (() => new Date());
  }

  /** Signature over (token, timestamp, nonce), the timestamp within the replay window; GET with `echostr` is the handshake. */
  verify(request: ChannelRequest): Verification {
    const { signature, timestamp, nonce, echostr } = request.query;
    if (!signature || !timestamp || !nonce) return refused('WEBHOOK.SIGNATURE_MISSING', 'signature, timestamp and nonce are required');
    if (!/^\d{1,12}$/.test(timestamp) || nonce.length > 128) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    if (!signatureMatches(wechatSignature(this.options.token, timestamp, nonce), signature)) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    // Checked after the signature, so that only a correctly signed but stale request is told it is stale.
    if (Math.abs(this.now().getTime() / 1000 - Number(timestamp)) > this.windowSeconds) return refused('WEBHOOK.REPLAYED', `the timestamp is more than ${this.windowSeconds} s away from now`);
    if (request.method === 'GET') {
      if (echostr === undefined || echostr.length > 256) return refused('WEBHOOK.SIGNATURE_INVALID', 'a GET must carry echostr');
      return { kind: 'handshake', response: { status: 200, contentType: TEXT, body: echostr } };
    }
    return { kind: 'ok' };
  }

  parse(request: ChannelRequest): ParseOutcome {
    try {
      const fields = parseWechatXml(request.body, DEFAULT_XML_LIMITS);
      if (!this.crypto) return toInbound(fields);
      // Safe mode: only encrypted bodies, signed by msg_signature over the ciphertext.
      const { timestamp = '', nonce = '', msg_signature: msgSignature, encrypt_type: encryptType } = request.query;
      if (encryptType !== 'aes' || !fields.Encrypt) return { kind: 'refused', status: 401, code: 'WEBHOOK.ENCRYPTION_REQUIRED', message: 'safe mode is on: the body must be encrypted (encrypt_type=aes)' };
      if (!msgSignature || !signatureMatches(wechatMessageSignature(this.options.token, timestamp, nonce, fields.Encrypt), msgSignature)) {
        return { kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID', message: 'the message signature does not match' };
      }
      return toInbound(parseWechatXml(this.crypto.decrypt(fields.Encrypt), DEFAULT_XML_LIMITS));
    } catch (error) {
      if (error instanceof WechatXmlError || error instanceof WechatCryptoError) return malformed(`the body is not WeChat XML: ${error.message}`);
      throw error;
    }
  }

  reply(to: InboundMessage, text: string): ChannelResponse {
    const now = this.now().getTime() / 1000;
    const xml = passiveTextReply({ toUser: to.sender, fromUser: to.recipient ?? '', createTime: now, content: truncateUtf8(text, WECHAT_MAX_TEXT_BYTES) });
    if (!this.crypto) return { status: 200, contentType: XML, body: xml };
    const encrypted = this.crypto.encrypt(xml);
    const timestamp = String(Math.floor(now));
    const nonce = String(randomInt(1e9));
    const signature = wechatMessageSignature(this.options.token, timestamp, nonce, encrypted);
    return { status: 200, contentType: XML, body: `<xml><Encrypt>${cdata(encrypted)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature><TimeStamp>${timestamp}</TimeStamp><Nonce>${cdata(nonce)}</Nonce></xml>` };
  }

  /** `success` tells WeChat not to retry and shows the user nothing; the reply follows through the customer-service API. */
  acknowledge(): ChannelResponse {
    return { status: 200, contentType: TEXT, body: 'success' };
  }
}

function toInbound(f: Record<string, string>): ParseOutcome {
  const sender = f.FromUserName;
  const type = f.MsgType;
  if (!sender || !/^[A-Za-z0-9_-]{1,128}$/.test(sender)) return malformed('FromUserName must be an openid');
  if (!type || !MESSAGE_TYPES.has(type)) return malformed(`MsgType ${JSON.stringify(type ?? '')} is not a WeChat message type`);
  if (!f.CreateTime || !/^\d{1,12}$/.test(f.CreateTime)) return malformed('CreateTime must be epoch seconds');
  const base = { channel: 'wechat' as const, sender, sentAt: new Date(Number(f.CreateTime) * 1000), ...(f.ToUserName ? { recipient: f.ToUserName } : {}) };

  if (type === 'event') {
    const eventName = f.Event;
    if (!eventName) return malformed('an event must name its Event');
    const message: InboundMessage = {
      ...base,
      kind: 'event',
      // WeChat's docs: de-duplicate events on FromUserName + CreateTime.
      dedupeId: `evt:${sender}:${f.CreateTime}`,
      event: KNOWN_EVENTS[eventName.toLowerCase()] ?? 'other',
      eventName,
      ...(f.EventKey ? { eventKey: f.EventKey } : {}),
    };
    return { kind: 'messages', messages: [message] };
  }

  if (!f.MsgId || !/^\d{1,20}$/.test(f.MsgId)) return malformed('a message must carry a numeric MsgId');
  const common = { ...base, dedupeId: `msg:${f.MsgId}` };
  switch (type) {
    case 'text':
      if (f.Content === undefined) return malformed('a text message must carry Content');
      return one({ ...common, kind: 'text', text: f.Content });
    case 'image':
      return one({ ...common, kind: 'image', ...opt('url', f.PicUrl), ...opt('mediaId', f.MediaId) });
    case 'voice':
      // With speech recognition switched on, WeChat adds the transcript (the field is spelled Recognition).
      return one({ ...common, kind: 'voice', ...opt('mediaId', f.MediaId), ...opt('text', f.Recognition) });
    case 'video':
    case 'shortvideo':
      return one({ ...common, kind: 'video', ...opt('mediaId', f.MediaId) });
    case 'file':
      return one({ ...common, kind: 'file', ...opt('title', f.Title), ...opt('description', f.Description) });
    case 'location': {
      const latitude = Number(f.Location_X);
      const longitude = Number(f.Location_Y);
      if (!f.Location_X || !f.Location_Y || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
        return malformed('a location must carry Location_X and Location_Y');
      }
      const scale = f.Scale !== undefined && Number.isFinite(Number(f.Scale)) ? Number(f.Scale) : undefined;
      return one({ ...common, kind: 'location', location: { latitude, longitude, ...(scale !== undefined ? { scale } : {}), ...opt('label', f.Label) } });
    }
    case 'link':
      return one({ ...common, kind: 'link', ...opt('title', f.Title), ...opt('description', f.Description), ...opt('url', f.Url) });
    default:
      return malformed(`MsgType ${type} is not handled`);
  }
}

function one(message: InboundMessage): ParseOutcome {
  return { kind: 'messages', messages: [message] };
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
