/**
 * The WeChat Official Account adapter: signature, echostr handshake, replay window, XML parsing of every message type,
 * the dedupe id, the passive reply, safe mode (AES, checked against the official sample's vector), and the
 * customer-service sender against a loopback fake.
 *
 * Fixtures (test/fixtures/wechat/) are the sample payloads of WeChat's own documentation (developers.weixin.qq.com,
 * 接收普通消息 and 接收事件推送); test/fixtures/wechat/SOURCES.md names each page.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureMatches, wechatSignature } from '../../shared/adapters/channels/wechat/wechat-signature.ts';
import { parseWechatXml, passiveTextReply, truncateUtf8, WechatXmlError } from '../../shared/adapters/channels/wechat/wechat-xml.ts';
import { WechatChannelAdapter } from '../../shared/adapters/channels/wechat/wechat.adapter.ts';
import { WechatMessageCrypto, wechatMessageSignature } from '../../shared/adapters/channels/wechat/wechat-crypto.ts';
import { FetchedAccessTokens, StaticAccessTokens, WechatCustomerServiceSender } from '../../shared/adapters/channels/wechat/wechat-customer-service.sender.ts';
import type { ChannelRequest, InboundMessage } from '../../shared/ports/channel.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'wechat');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const TOKEN = 'kefu-test-token';
const NOW = new Date('2026-01-02T03:04:05Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const adapter = new WechatChannelAdapter({ token: TOKEN, now: () => NOW });

/** A WeChat request signed as WeChat signs it (event factory). */
function wechatRequest(overrides: { method?: string; body?: string; timestamp?: number; nonce?: string; token?: string; signature?: string; echostr?: string } = {}): ChannelRequest {
  const timestamp = String(overrides.timestamp ?? nowSeconds);
  const nonce = overrides.nonce ?? '1514711492';
  const signature = overrides.signature ?? wechatSignature(overrides.token ?? TOKEN, timestamp, nonce);
  return {
    method: overrides.method ?? 'POST',
    query: { signature, timestamp, nonce, ...(overrides.echostr !== undefined ? { echostr: overrides.echostr } : {}) },
    headers: { 'content-type': 'text/xml' },
    body: overrides.body ?? '',
  };
}

function parsedMessage(body: string): InboundMessage {
  const outcome = adapter.parse(wechatRequest({ body }));
  if (outcome.kind !== 'messages') throw new Error(`refused: ${outcome.message}`);
  return outcome.messages[0]!;
}

describe('the WeChat signature', () => {
  it('is the SHA1 of the sorted token, timestamp and nonce', () => {
    const expected = createHash('sha1').update(['1409304348', 'kefu', 'abc'].sort().join('')).digest('hex');
    expect(wechatSignature('kefu', '1409304348', 'abc')).toBe(expected);
    // The order of the arguments does not matter once sorted.
    expect(wechatSignature('abc', '1409304348', 'kefu')).toBe(expected);
  });

  it('compares in constant time and tells matches from mismatches of any length', () => {
    const good = wechatSignature(TOKEN, '1', '2');
    expect(signatureMatches(good, good.toUpperCase())).toBe(true);
    expect(signatureMatches(good, good.slice(0, -1) + (good.endsWith('0') ? '1' : '0'))).toBe(false);
    expect(signatureMatches(good, '')).toBe(false);
    expect(signatureMatches(good, good + '00')).toBe(false);
  });
});

describe('verifying a WeChat request', () => {
  it('answers the echostr URL verification with echostr as plain text', () => {
    const verified = adapter.verify(wechatRequest({ method: 'GET', echostr: '5837397520001466787' }));
    expect(verified).toEqual({ kind: 'handshake', response: { status: 200, contentType: 'text/plain; charset=utf-8', body: '5837397520001466787' } });
  });

  it('accepts a correctly signed POST', () => {
    expect(adapter.verify(wechatRequest())).toEqual({ kind: 'ok' });
  });

  it.each([
    ['signed with another token', { token: 'not-the-token' }, 'WEBHOOK.SIGNATURE_INVALID'],
    ['carrying a forged signature', { signature: 'a'.repeat(40) }, 'WEBHOOK.SIGNATURE_INVALID'],
    ['without a signature', { signature: '' }, 'WEBHOOK.SIGNATURE_MISSING'],
  ])('rejects a request %s', (_what, overrides, code) => {
    expect(adapter.verify(wechatRequest(overrides))).toMatchObject({ kind: 'refused', status: 401, code });
  });

  it.each([
    ['six minutes old', nowSeconds - 360],
    ['six minutes ahead', nowSeconds + 360],
  ])('rejects a correctly signed request whose timestamp is %s (replay window)', (_what, timestamp) => {
    expect(adapter.verify(wechatRequest({ timestamp }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.REPLAYED' });
  });

  it('accepts a timestamp four minutes old (inside the window)', () => {
    expect(adapter.verify(wechatRequest({ timestamp: nowSeconds - 240 }))).toEqual({ kind: 'ok' });
  });

  it('rejects a signed GET without echostr', () => {
    expect(adapter.verify(wechatRequest({ method: 'GET' }))).toMatchObject({ kind: 'refused', status: 401 });
  });
});

describe('parsing WeChat XML (official sample payloads)', () => {
  it('reads the documented text message', () => {
    expect(parsedMessage(fixture('text.xml'))).toEqual({
      channel: 'wechat',
      kind: 'text',
      sender: 'fromUser',
      recipient: 'toUser',
      dedupeId: 'msg:1234567890123456',
      sentAt: new Date(1348831860 * 1000),
      text: 'this is a test',
    });
  });

  it('reads the documented image message', () => {
    expect(parsedMessage(fixture('image.xml'))).toMatchObject({ kind: 'image', url: 'this is a url', mediaId: 'media_id', dedupeId: 'msg:1234567890123456' });
  });

  it('reads the documented subscribe event and de-duplicates it on FromUserName + CreateTime', () => {
    expect(parsedMessage(fixture('event-subscribe.xml'))).toMatchObject({ kind: 'event', event: 'subscribe', eventName: 'subscribe', sender: 'FromUser', dedupeId: 'evt:FromUser:123456789' });
  });

  it('gives the same dedupe id to a retry of the same MsgId and different ids to different messages', () => {
    const text = fixture('text.xml');
    expect(parsedMessage(text).dedupeId).toBe(parsedMessage(text).dedupeId);
    expect(parsedMessage(text.replace('1234567890123456', '1234567890123457')).dedupeId).not.toBe(parsedMessage(text).dedupeId);
  });

  it('reads voice (with recognition), location, link and unsubscribe', () => {
    const head = '<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName><CreateTime>1351776360</CreateTime>';
    expect(parsedMessage(`${head}<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[腾讯微信团队]]></Recognition><MsgId>1234567890123456</MsgId></xml>`)).toMatchObject({ kind: 'voice', text: '腾讯微信团队', mediaId: 'media_id' });
    expect(parsedMessage(`${head}<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>1234567890123456</MsgId></xml>`)).toMatchObject({ kind: 'location', location: { latitude: 23.134521, longitude: 113.358803, scale: 20, label: '位置信息' } });
    expect(parsedMessage(`${head}<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]></Description><Url><![CDATA[url]]></Url><MsgId>1234567890123456</MsgId></xml>`)).toMatchObject({ kind: 'link', title: '公众平台官网链接', url: 'url' });
    expect(parsedMessage(`${head}<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event></xml>`)).toMatchObject({ kind: 'event', event: 'unsubscribe', dedupeId: 'evt:fromUser:1351776360' });
  });

  it('keeps nested event fields under their parent (SendLocationInfo)', () => {
    const xml = '<xml><ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName><FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName><CreateTime>1408091189</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[location_select]]></Event><EventKey><![CDATA[6]]></EventKey><SendLocationInfo><Location_X><![CDATA[23]]></Location_X><Location_Y><![CDATA[113]]></Location_Y></SendLocationInfo></xml>';
    expect(parseWechatXml(xml)['SendLocationInfo.Location_X']).toBe('23');
    expect(parsedMessage(xml)).toMatchObject({ kind: 'event', event: 'other', eventName: 'location_select', eventKey: '6' });
  });

  it('decodes the predefined and numeric entities outside CDATA', () => {
    expect(parseWechatXml('<xml><Content>a &lt;b&gt; &amp; &#20320;&#x597D;</Content></xml>').Content).toBe('a <b> & 你好');
  });

  it.each([
    ['an empty body', ''],
    ['a truncated document', fixture('text.xml').slice(0, 120)],
    ['a DOCTYPE (no entity expansion)', '<!DOCTYPE xml [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>'],
    ['an unknown entity', '<xml><Content>&a;</Content></xml>'],
    ['attributes', '<xml><Content lang="zh">x</Content></xml>'],
    ['a mismatched closing tag', '<xml><Content>x</Contents></xml>'],
    ['a duplicate field', '<xml><MsgId>1</MsgId><MsgId>2</MsgId></xml>'],
    ['JSON', '{"MsgType":"text"}'],
    ['content after the root', `${fixture('text.xml')}<xml></xml>`],
    ['deep nesting', `<xml>${'<a>'.repeat(10)}x${'</a>'.repeat(10)}</xml>`],
  ])('rejects %s as malformed', (_what, body) => {
    expect(() => parseWechatXml(body)).toThrow(WechatXmlError);
    expect(adapter.parse(wechatRequest({ body }))).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });

  it('rejects well-formed XML that is not a WeChat message', () => {
    expect(adapter.parse(wechatRequest({ body: '<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>' }))).toMatchObject({ kind: 'refused', status: 400 });
    expect(adapter.parse(wechatRequest({ body: '<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>spaceship</MsgType><MsgId>1</MsgId></xml>' }))).toMatchObject({ kind: 'refused', status: 400 });
  });
});

describe('the passive reply', () => {
  it('answers the sender from the official account, with the text in CDATA', () => {
    const message = parsedMessage(fixture('text.xml'));
    const reply = adapter.reply(message, '您好 ]]> <b>');
    expect(reply.contentType).toMatch(/xml/);
    const fields = parseWechatXml(reply.body);
    expect(fields).toEqual({ ToUserName: 'fromUser', FromUserName: 'toUser', CreateTime: String(nowSeconds), MsgType: 'text', Content: '您好 ]]> <b>' });
  });

  it('cuts a long reply to 2048 UTF-8 bytes on a character boundary', () => {
    const cut = truncateUtf8('查'.repeat(1000), 2048);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(2048);
    expect(cut.endsWith('…')).toBe(true);
    expect(passiveTextReply({ toUser: 'a', fromUser: 'b', createTime: 1, content: 'x' })).toContain('<CreateTime>1</CreateTime>');
  });

  it('acknowledges with success when no reply is ready', () => {
    expect(adapter.acknowledge()).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' });
  });
});

describe('the customer-service message sender', () => {
  let server: Server;
  let baseUrl: string;
  const calls: { url: string; body: any }[] = [];
  let nextErrcode = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        calls.push({ url: req.url ?? '', body: data ? JSON.parse(data) : undefined });
        res.setHeader('content-type', 'application/json');
        if (req.url?.startsWith('/cgi-bin/stable_token')) return res.end(JSON.stringify({ access_token: `token-${calls.length}`, expires_in: 7200 }));
        const errcode = nextErrcode;
        nextErrcode = 0;
        res.end(JSON.stringify({ errcode, errmsg: errcode ? 'failed' : 'ok' }));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  it('posts { touser, msgtype: text, text: { content } } with the access token', async () => {
    calls.length = 0;
    const sender = new WechatCustomerServiceSender({ tokens: new StaticAccessTokens('abc'), baseUrl });
    expect(await sender.sendText('oOpenId', '您的包裹已发出')).toEqual({ ok: true });
    expect(calls).toEqual([{ url: '/cgi-bin/message/custom/send?access_token=abc', body: { touser: 'oOpenId', msgtype: 'text', text: { content: '您的包裹已发出' } } }]);
  });

  it('reports an expired token as retryable and fetches a new one next time', async () => {
    calls.length = 0;
    const tokens = new FetchedAccessTokens({ appId: 'wx1', appSecret: 's', baseUrl });
    const sender = new WechatCustomerServiceSender({ tokens, baseUrl });
    nextErrcode = 42001;
    expect(await sender.sendText('o1', 'hi')).toMatchObject({ ok: false, retryable: true, code: 'WECHAT_42001' });
    expect(await sender.sendText('o1', 'hi')).toEqual({ ok: true });
    const tokenCalls = calls.filter((c) => c.url.startsWith('/cgi-bin/stable_token'));
    expect(tokenCalls).toHaveLength(2);
    // The stable token in normal mode: every container may fetch it without invalidating the others'.
    expect(tokenCalls[0]!.body).toEqual({ grant_type: 'client_credential', appid: 'wx1', secret: 's', force_refresh: false });
  });

  it('reports a refused user (outside the 48 h window) as not retryable', async () => {
    const sender = new WechatCustomerServiceSender({ tokens: new StaticAccessTokens('abc'), baseUrl });
    nextErrcode = 45015;
    expect(await sender.sendText('o1', 'hi')).toMatchObject({ ok: false, retryable: false, code: 'OUTSIDE_SERVICE_WINDOW' });
    nextErrcode = 43004;
    expect(await sender.sendText('o1', 'hi')).toMatchObject({ ok: false, retryable: false, code: 'WECHAT_43004' });
  });
});

describe('safe mode (AES)', () => {
  // The official WXBizMsgCrypt sample's test vector (WeChat's 消息加解密 demo code, WXBizMsgCryptTest).
  const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const appId = 'wxb11529c136998cb6';
  const crypto = new WechatMessageCrypto(encodingAesKey, appId);
  const safe = new WechatChannelAdapter({ token: TOKEN, now: () => NOW, safeMode: { encodingAesKey, appId } });

  /** A safe-mode POST as WeChat sends it: the encrypted body signed by msg_signature. */
  function encryptedRequest(plainXml: string, options: { msgSignature?: string; appId?: string } = {}): ChannelRequest {
    const encrypted = options.appId ? new WechatMessageCrypto(encodingAesKey, options.appId).encrypt(plainXml) : crypto.encrypt(plainXml);
    const base = wechatRequest({ body: `<xml><ToUserName><![CDATA[toUser]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>` });
    const msgSignature = options.msgSignature ?? wechatMessageSignature(TOKEN, base.query.timestamp!, base.query.nonce!, encrypted);
    return { ...base, query: { ...base.query, encrypt_type: 'aes', msg_signature: msgSignature } };
  }

  it('encrypts exactly as the official sample does', () => {
    expect(crypto.encrypt('我是中文abcd123', Buffer.from('aaaabbbbccccdddd'))).toBe('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
    expect(crypto.decrypt('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==')).toBe('我是中文abcd123');
  });

  it('decrypts a signed encrypted message into the same inbound message as plain mode', () => {
    expect(safe.parse(encryptedRequest(fixture('text.xml')))).toEqual({ kind: 'messages', messages: [parsedMessage(fixture('text.xml'))] });
  });

  it('rejects a wrong msg_signature, a plain body, and a message for another app id', () => {
    expect(safe.parse(encryptedRequest(fixture('text.xml'), { msgSignature: 'b'.repeat(40) }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
    expect(safe.parse(wechatRequest({ body: fixture('text.xml') }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.ENCRYPTION_REQUIRED' });
    expect(safe.parse(encryptedRequest(fixture('text.xml'), { appId: 'wx0000000000000000' }))).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('encrypts the passive reply and signs it', () => {
    const message = parsedMessage(fixture('text.xml'));
    const outer = parseWechatXml(safe.reply(message, '您好').body);
    expect(outer.MsgSignature).toBe(wechatMessageSignature(TOKEN, outer.TimeStamp!, outer.Nonce!, outer.Encrypt!));
    expect(parseWechatXml(crypto.decrypt(outer.Encrypt!))).toMatchObject({ ToUserName: 'fromUser', FromUserName: 'toUser', Content: '您好' });
  });
});
