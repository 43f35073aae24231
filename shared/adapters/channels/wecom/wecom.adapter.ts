/**
 * The WeCom customer-contact channel (企业微信 微信客服) adapter. WeCom's callbacks are always encrypted (AES, the same
 * scheme as WeChat's safe mode with the corp id as receiveid) and signed by `msg_signature` over the ciphertext; a
 * callback carries no message, only the `kf_msg_or_event` notice with a `<Token>` and the `<OpenKfId>`: the messages
 * are then pulled with kf/sync_msg (WecomKfClient) and replies sent with kf/send_msg (WecomKfSender).
 *
 * Sources (developer.work.weixin.qq.com): 回调配置 (document/path/90930: GET URL verification with the encrypted
 * echostr, POST with `<Encrypt>`), 加解密方案说明 (document/path/91144), 接收消息和事件 (document/path/94670).
 */
import type { ChannelAdapter, ChannelCapabilities, ChannelRequest, ChannelResponse, ChannelSender, ParseOutcome, Verification } from '../../../ports/channel.ts';
import { WechatCryptoError, WechatMessageCrypto, wechatMessageSignature } from '../wechat/wechat-crypto.ts';
import { signatureMatches } from '../wechat/wechat-signature.ts';
import { DEFAULT_XML_LIMITS, parseWechatXml, WechatXmlError } from '../wechat/wechat-xml.ts';
import { WECOM_MAX_TEXT_BYTES, WecomKfClient, WecomKfSender } from './wecom-kf.client.ts';

export interface WecomAdapterOptions {
  /** The callback Token (接收事件服务器 → Token). */
  readonly token: string;
  /** The callback EncodingAESKey (43 characters). */
  readonly encodingAesKey: string;
  /** The corp id (企业ID): the receiveid every decrypted callback must end with. */
  readonly corpId: string;
  /** How far the signed timestamp may be from now, either way (default 5 minutes). */
  readonly replayWindowSeconds?: number;
  readonly now?: () => Date;
}

export const WECOM_CAPABILITIES: ChannelCapabilities = {
  maxText: { length: WECOM_MAX_TEXT_BYTES, unit: 'utf8-bytes' },
  richContent: ['image', 'voice', 'video', 'file', 'link'],
  // 发送消息: within 48 hours of the customer's last message, at most 5 messages (95001 / 95002 past that).
  serviceWindowHours: 48,
  // No per-second rate is documented for kf/send_msg; the documented base frequency (访问频率限制) is 10,000 calls a
  // minute per corp per API, shared with every other caller of the corp. Kefu paces itself well below it.
  sendRatePerSecond: 20,
  // No synchronous reply: the callback carries no message; WeCom wants `success` within 5 s.
};

const TEXT = 'text/plain; charset=utf-8';
const KF_EVENT = 'kf_msg_or_event';

const refused = (code: string, message: string): Verification => ({ kind: 'refused', status: 401, code, message });
const malformed = (message: string): ParseOutcome => ({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED', message });

export class WecomChannelAdapter implements ChannelAdapter {
  readonly channel = 'wecom' as const;
  readonly capabilities = WECOM_CAPABILITIES;
  private readonly crypto: WechatMessageCrypto;
  private readonly windowSeconds: number;
  private readonly now: () => Date;

  constructor(private readonly options: WecomAdapterOptions) {
    if (!options.token) throw new Error('the wecom callback token must not be empty');
    this.crypto = new WechatMessageCrypto(options.encodingAesKey, options.corpId);
    this.windowSeconds = options.replayWindowSeconds ?? 300;
    this.now = options.now ?? (() => new Date());
  }

  /**
   * GET: the URL verification — msg_signature over the encrypted echostr, the timestamp within the window, then the
   * decrypted echostr is the answer. POST: msg_signature over the body's `<Encrypt>` and the window; a body without a
   * readable `<Encrypt>` goes on to `parse`, which refuses it as malformed (nothing is stored either way).
   */
  verify(request: ChannelRequest): Verification {
    const query = request.query ?? {};
    const { msg_signature: signature, timestamp, nonce } = query;
    if (!signature || !timestamp || !nonce) return refused('WEBHOOK.SIGNATURE_MISSING', 'msg_signature, timestamp and nonce are required');
    if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string' || !/^\d{1,12}$/.test(timestamp) || nonce.length > 128 || signature.length > 128) {
      return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    }
    if (request.method === 'GET') {
      const raw = query.echostr;
      if (typeof raw !== 'string' || raw.length === 0 || raw.length > 1024) return refused('WEBHOOK.SIGNATURE_INVALID', 'a GET must carry echostr');
      // Base64 has no spaces: a '+' that a form decoder turned into ' ' is put back.
      const echostr = raw.replaceAll(' ', '+');
      if (!signatureMatches(wechatMessageSignature(this.options.token, timestamp, nonce, echostr), signature)) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
      const stale = this.staleness(timestamp);
      if (stale) return stale;
      try {
        return { kind: 'handshake', response: { status: 200, contentType: TEXT, body: this.crypto.decrypt(echostr) } };
      } catch {
        return refused('WEBHOOK.DECRYPTION_FAILED', 'echostr does not decrypt for this corp');
      }
    }
    const encrypted = outerEncrypt(request.body);
    if (encrypted === undefined) return { kind: 'ok' };
    if (!signatureMatches(wechatMessageSignature(this.options.token, timestamp, nonce, encrypted), signature)) return refused('WEBHOOK.SIGNATURE_INVALID', 'the signature does not match');
    return this.staleness(timestamp) ?? { kind: 'ok' };
  }

  /**
   * The decrypted `kf_msg_or_event` notice as one event (its Token is the eventKey, to pass to sync_msg). Other
   * well-formed callbacks reaching the same URL (other WeCom events) are acknowledged with no message.
   */
  parse(request: ChannelRequest): ParseOutcome {
    try {
      if (typeof request.body !== 'string') return malformed('the body must be text');
      const outer = parseWechatXml(request.body, DEFAULT_XML_LIMITS);
      if (!outer.Encrypt) return { kind: 'refused', status: 401, code: 'WEBHOOK.ENCRYPTION_REQUIRED', message: 'the body must carry <Encrypt>' };
      const query = request.query ?? {};
      const { msg_signature: signature, timestamp, nonce } = query;
      if (typeof signature !== 'string' || typeof timestamp !== 'string' || typeof nonce !== 'string' || !signatureMatches(wechatMessageSignature(this.options.token, timestamp, nonce, outer.Encrypt), signature)) {
        return { kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID', message: 'the message signature does not match' };
      }
      return toInbound(parseWechatXml(this.crypto.decrypt(outer.Encrypt), DEFAULT_XML_LIMITS));
    } catch (error) {
      if (error instanceof WechatXmlError || error instanceof WechatCryptoError) return malformed(`the body is not a WeCom callback: ${error.message}`);
      return malformed('the body is not a WeCom callback');
    }
  }

  /** `success` within 5 s, or WeCom retries the callback; the messages are pulled and answered afterwards. */
  acknowledge(): ChannelResponse {
    return { status: 200, contentType: TEXT, body: 'success' };
  }

  private staleness(timestamp: string): Verification | undefined {
    // Checked after the signature, so that only a correctly signed but stale request is told it is stale.
    if (Math.abs(this.now().getTime() / 1000 - Number(timestamp)) > this.windowSeconds) return refused('WEBHOOK.REPLAYED', `the timestamp is more than ${this.windowSeconds} s away from now`);
    return undefined;
  }
}

function outerEncrypt(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    return parseWechatXml(body, DEFAULT_XML_LIMITS).Encrypt || undefined;
  } catch {
    return undefined;
  }
}

function toInbound(f: Record<string, string>): ParseOutcome {
  if (!f.MsgType) return malformed('MsgType is required');
  if (f.MsgType !== 'event' || f.Event !== KF_EVENT) return { kind: 'messages', messages: [] };
  const corp = f.ToUserName;
  const token = f.Token;
  const openKfId = f.OpenKfId;
  if (!corp || !/^[A-Za-z0-9_-]{1,64}$/.test(corp)) return malformed('ToUserName must be the corp id');
  if (!f.CreateTime || !/^\d{1,12}$/.test(f.CreateTime)) return malformed('CreateTime must be epoch seconds');
  // sync_msg: the token is at most 128 bytes.
  if (!token || Buffer.byteLength(token, 'utf8') > 128 || /[\s:]/.test(token)) return malformed('Token must be the sync_msg token (at most 128 bytes)');
  if (!openKfId || !/^[A-Za-z0-9_-]{1,128}$/.test(openKfId)) return malformed('OpenKfId must name the customer-service account');
  return {
    kind: 'messages',
    messages: [
      {
        channel: 'wecom',
        kind: 'event',
        sender: openKfId,
        recipient: corp,
        dedupeId: `wecom:cb:${corp}:${f.CreateTime}:${token}`,
        sentAt: new Date(Number(f.CreateTime) * 1000),
        event: 'other',
        eventName: KF_EVENT,
        eventKey: token,
        thread: { openKfId },
      },
    ],
  };
}

export const WECOM_SECRET_KEYS = ['corpId', 'secret', 'token', 'encodingAesKey'] as const;

/** The WeCom channel from its secrets: the webhook adapter, the text sender, and the sync_msg client they share. */
export function wecomChannel(config: {
  secrets: Readonly<Record<string, string | undefined>>;
  apiBaseUrl?: string;
  fetch?: typeof fetch;
  now?: () => Date;
}): { adapter: WecomChannelAdapter; sender: ChannelSender; client: WecomKfClient } {
  const missing = WECOM_SECRET_KEYS.filter((key) => !config.secrets[key]);
  if (missing.length > 0) throw new Error(`wecom channel: missing secret(s): ${missing.join(', ')}`);
  const { corpId, secret, token, encodingAesKey } = config.secrets as Record<(typeof WECOM_SECRET_KEYS)[number], string>;
  const adapter = new WecomChannelAdapter({ token, encodingAesKey, corpId, ...(config.now ? { now: config.now } : {}) });
  const client = new WecomKfClient({
    corpId,
    secret,
    ...(config.apiBaseUrl ? { baseUrl: config.apiBaseUrl } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
    ...(config.now ? { now: config.now } : {}),
  });
  return { adapter, sender: new WecomKfSender(client), client };
}
