/**
 * The WeCom customer-contact (企业微信 微信客服) channel: the encrypted URL verification, the signed and encrypted
 * `kf_msg_or_event` callback, kf/sync_msg paging and mapping, the cached access token, and kf/send_msg with its error
 * classes — against a loopback fake WeCom server. The crypto is WeChat's (reused), checked here against the official
 * WXBizMsgCrypt sample vector of WeCom's library; test/fixtures/wecom/SOURCES.md names every source.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WechatMessageCrypto, wechatMessageSignature } from '../../shared/adapters/channels/wechat/wechat-crypto.ts';
import { parseWechatXml } from '../../shared/adapters/channels/wechat/wechat-xml.ts';
import { mapKfMessages, WecomAccessTokens, WecomApiError, WecomKfClient, WecomKfSender, wecomMsgId } from '../../shared/adapters/channels/wecom/wecom-kf.client.ts';
import { WECOM_CAPABILITIES, WECOM_SECRET_KEYS, WecomChannelAdapter, wecomChannel } from '../../shared/adapters/channels/wecom/wecom.adapter.ts';
import type { ChannelRequest, InboundMessage, ParseOutcome, Verification } from '../../shared/ports/channel.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'wecom');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const TOKEN = 'kefuCallbackToken';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const CORP = 'ww12345678910';
const NOW = new Date('2026-01-02T03:04:05Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const crypto = new WechatMessageCrypto(AES_KEY, CORP);
const adapter = new WecomChannelAdapter({ token: TOKEN, encodingAesKey: AES_KEY, corpId: CORP, now: () => NOW });

/** SHA1 of the sorted parts, computed here independently of the code under test. */
const sha1Sorted = (...parts: string[]) => createHash('sha1').update([...parts].sort().join(''), 'utf8').digest('hex');

/** A callback POST as WeCom sends it: the plaintext encrypted for `corpId`, msg_signature over the ciphertext. */
function callback(plainXml: string, o: { timestamp?: number; nonce?: string; token?: string; signature?: string; corpId?: string } = {}): ChannelRequest {
  const encrypted = (o.corpId ? new WechatMessageCrypto(AES_KEY, o.corpId) : crypto).encrypt(plainXml);
  const timestamp = String(o.timestamp ?? nowSeconds);
  const nonce = o.nonce ?? '1372623149';
  return {
    method: 'POST',
    query: { msg_signature: o.signature ?? sha1Sorted(o.token ?? TOKEN, timestamp, nonce, encrypted), timestamp, nonce },
    headers: { 'content-type': 'text/xml' },
    body: `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>`,
  };
}

/** The URL verification GET: echostr is the encrypted random string. */
function verification(plain: string, o: { timestamp?: number; signature?: string; echostr?: string; corpId?: string } = {}): ChannelRequest {
  const echostr = o.echostr ?? (o.corpId ? new WechatMessageCrypto(AES_KEY, o.corpId) : crypto).encrypt(plain);
  const timestamp = String(o.timestamp ?? nowSeconds);
  const nonce = '263014780';
  return { method: 'GET', query: { msg_signature: o.signature ?? sha1Sorted(TOKEN, timestamp, nonce, echostr), timestamp, nonce, echostr }, headers: {}, body: '' };
}

const kfEvent = (o: { token?: string; openKfId?: string | null; createTime?: number; event?: string } = {}) =>
  `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><CreateTime>${o.createTime ?? nowSeconds}</CreateTime><MsgType><![CDATA[event]]></MsgType>` +
  `<Event><![CDATA[${o.event ?? 'kf_msg_or_event'}]]></Event><Token><![CDATA[${o.token ?? 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR'}]]></Token>` +
  (o.openKfId === null ? '' : `<OpenKfId><![CDATA[${o.openKfId ?? 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q'}]]></OpenKfId>`) +
  '</xml>';

function messagesOf(outcome: ParseOutcome): readonly InboundMessage[] {
  if (outcome.kind !== 'messages') throw new Error(`refused: ${outcome.code} ${outcome.message}`);
  return outcome.messages;
}

describe('the official WXBizMsgCrypt sample vector (WeCom library samples)', () => {
  const corpId = 'wx5823bf96d3bd56c7';
  const token = 'QDG6eK';
  const encodingAesKey = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
  const echostr = 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
  const encrypt =
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';

  it('has the documented msg_signatures (computed independently and by the shared code)', () => {
    expect(sha1Sorted(token, '1409659589', '263014780', echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(wechatMessageSignature(token, '1409659589', '263014780', echostr)).toBe('5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3');
    expect(wechatMessageSignature(token, '1409659813', '1372623149', encrypt)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
  });

  it('answers the sample URL verification with the decrypted echostr', () => {
    const sample = new WecomChannelAdapter({ token, encodingAesKey, corpId, now: () => new Date(1409659589 * 1000) });
    const query = { msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780', echostr };
    const verified = sample.verify({ method: 'GET', query, headers: {}, body: '' });
    expect(verified).toMatchObject({ kind: 'handshake', response: { status: 200, contentType: 'text/plain; charset=utf-8' } });
    // The sample does not print the plaintext; it is the echostr's random number, which WeCom checks.
    expect((verified as Extract<Verification, { kind: 'handshake' }>).response.body).toMatch(/^\d{10,20}$/);
    // The same request one day later is a replay.
    const late = new WecomChannelAdapter({ token, encodingAesKey, corpId, now: () => new Date((1409659589 + 86400) * 1000) });
    expect(late.verify({ method: 'GET', query, headers: {}, body: '' })).toMatchObject({ kind: 'refused', code: 'WEBHOOK.REPLAYED' });
  });

  it('decrypts the sample callback to the documented message, which is not a 微信客服 notice (acknowledged, nothing stored)', () => {
    const sample = new WecomChannelAdapter({ token, encodingAesKey, corpId, now: () => new Date(1409659813 * 1000) });
    const request: ChannelRequest = {
      method: 'POST',
      query: { msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' },
      headers: {},
      body: `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`,
    };
    expect(sample.verify(request)).toEqual({ kind: 'ok' });
    expect(parseWechatXml(new WechatMessageCrypto(encodingAesKey, corpId).decrypt(encrypt))).toMatchObject({
      ToUserName: corpId, FromUserName: 'mycreate', MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: '218',
    });
    expect(sample.parse(request)).toEqual({ kind: 'messages', messages: [] });
    // Decrypted with another corp id as receiveid, the same callback is refused.
    const otherCorp = new WecomChannelAdapter({ token, encodingAesKey, corpId: 'ww0000000000000000', now: () => new Date(1409659813 * 1000) });
    expect(otherCorp.parse(request)).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });
});

describe('the URL verification (GET)', () => {
  it('answers the decrypted echostr as plain text', () => {
    expect(adapter.verify(verification('5927782489442352469'))).toEqual({ kind: 'handshake', response: { status: 200, contentType: 'text/plain; charset=utf-8', body: '5927782489442352469' } });
  });

  it("still verifies when a form decoder turned echostr's '+' into spaces", () => {
    let plain = '';
    let request: ChannelRequest;
    // Find an echostr that contains a '+' (about one in two does).
    do {
      plain = String(Math.floor(Math.random() * 1e15));
      request = verification(plain);
    } while (!request.query.echostr!.includes('+'));
    const mangled = { ...request, query: { ...request.query, echostr: request.query.echostr!.replaceAll('+', ' ') } };
    expect(adapter.verify(mangled)).toMatchObject({ kind: 'handshake', response: { body: plain } });
  });

  it.each([
    ['a forged signature', { signature: 'a'.repeat(40) }, 'WEBHOOK.SIGNATURE_INVALID'],
    ['a signature for another echostr', { signature: sha1Sorted(TOKEN, String(nowSeconds), '263014780', 'other') }, 'WEBHOOK.SIGNATURE_INVALID'],
    ['no signature', { signature: '' }, 'WEBHOOK.SIGNATURE_MISSING'],
    ['a timestamp six minutes old', { timestamp: nowSeconds - 360 }, 'WEBHOOK.REPLAYED'],
    ['a timestamp six minutes ahead', { timestamp: nowSeconds + 360 }, 'WEBHOOK.REPLAYED'],
    ['an echostr encrypted for another corp', { corpId: 'ww99999999' }, 'WEBHOOK.DECRYPTION_FAILED'],
    ['a correctly signed echostr that is not ciphertext', { echostr: randomBytes(20).toString('base64') }, 'WEBHOOK.DECRYPTION_FAILED'],
  ])('refuses %s with 401', (_what, o, code) => {
    expect(adapter.verify(verification('123', o))).toMatchObject({ kind: 'refused', status: 401, code });
  });

  it('accepts a timestamp four minutes old (inside the window)', () => {
    expect(adapter.verify(verification('123', { timestamp: nowSeconds - 240 }))).toMatchObject({ kind: 'handshake' });
  });

  it('refuses a signed GET without echostr', () => {
    const request = verification('1');
    const { echostr: _echostr, ...query } = request.query;
    expect(adapter.verify({ ...request, query })).toMatchObject({ kind: 'refused', status: 401 });
  });
});

describe('the kf_msg_or_event callback (POST)', () => {
  it('verifies msg_signature over <Encrypt> and the replay window', () => {
    expect(adapter.verify(callback(kfEvent()))).toEqual({ kind: 'ok' });
    expect(adapter.verify(callback(kfEvent(), { token: 'another-token' }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
    expect(adapter.verify(callback(kfEvent(), { signature: 'f'.repeat(40) }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
    expect(adapter.verify(callback(kfEvent(), { timestamp: nowSeconds - 301 }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.REPLAYED' });
    expect(adapter.verify(callback(kfEvent(), { timestamp: nowSeconds + 299 }))).toEqual({ kind: 'ok' });
  });

  it('reads the documented callback (official sample) into one event carrying the sync token', () => {
    const sample = fixture('kf-msg-or-event.xml').replace('ww12345678910', CORP);
    expect(messagesOf(adapter.parse(callback(sample)))).toEqual([
      {
        channel: 'wecom',
        kind: 'event',
        sender: 'wkxxxxxxx',
        recipient: CORP,
        dedupeId: `wecom:cb:${CORP}:1348831860:ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR`,
        sentAt: new Date(1348831860 * 1000),
        event: 'other',
        eventName: 'kf_msg_or_event',
        eventKey: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR',
        thread: { openKfId: 'wkxxxxxxx' },
      },
    ]);
  });

  it('gives a retried callback the same dedupe id and another notice another one', () => {
    const first = messagesOf(adapter.parse(callback(kfEvent())))[0]!.dedupeId;
    // WeCom's retry is encrypted anew (another random prefix) and signed with another nonce.
    expect(messagesOf(adapter.parse(callback(kfEvent(), { nonce: '99' })))[0]!.dedupeId).toBe(first);
    expect(messagesOf(adapter.parse(callback(kfEvent({ token: 'ENCOtherToken' }))))[0]!.dedupeId).not.toBe(first);
    expect(messagesOf(adapter.parse(callback(kfEvent({ createTime: nowSeconds + 1 }))))[0]!.dedupeId).not.toBe(first);
  });

  it('acknowledges other well-formed WeCom callbacks with no message', () => {
    expect(adapter.parse(callback(kfEvent({ event: 'kf_account_auth_change' })))).toEqual({ kind: 'messages', messages: [] });
  });

  it.each([
    ['without OpenKfId', kfEvent({ openKfId: null })],
    ['with a Token longer than 128 bytes', kfEvent({ token: 'T'.repeat(129) })],
    ['without MsgType', `<xml><ToUserName>${CORP}</ToUserName><CreateTime>1</CreateTime></xml>`],
    ['with a CreateTime that is not a number', kfEvent().replace(/<CreateTime>\d+/, '<CreateTime>soon')],
    ['that is not XML', '{"Event":"kf_msg_or_event"}'],
    ['with a DOCTYPE', `<!DOCTYPE xml [<!ENTITY a "b">]>${kfEvent()}`],
  ])('refuses a decrypted callback %s as malformed (400)', (_what, plain) => {
    expect(adapter.parse(callback(plain))).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });

  it('refuses a callback encrypted for another corp (receiveid) as malformed', () => {
    expect(adapter.parse(callback(kfEvent(), { corpId: 'ww99999999' }))).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('refuses an unsigned or plain body in parse too (401)', () => {
    expect(adapter.parse(callback(kfEvent(), { signature: '0'.repeat(40) }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
    expect(adapter.parse({ ...callback(kfEvent()), body: kfEvent() })).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.ENCRYPTION_REQUIRED' });
  });

  it('acknowledges with success as plain text and offers no synchronous reply', () => {
    expect(adapter.acknowledge()).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' });
    expect((adapter as { reply?: unknown }).reply).toBeUndefined();
    expect(WECOM_CAPABILITIES).toMatchObject({ maxText: { length: 2048, unit: 'utf8-bytes' }, serviceWindowHours: 48, sendRatePerSecond: 20 });
    expect(WECOM_CAPABILITIES.syncReplyDeadlineMs).toBeUndefined();
  });
});

describe('fuzzing verify and parse', () => {
  const rng = (() => {
    let seed = 0x2545f491;
    return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  })();
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const weird: unknown[] = [undefined, null, 0, -1, 1e308, 2 ** 70, '', ' ', '<xml>', [], {}, { a: 1 }, true, '%00', '\u0000', 'é'.repeat(300)];

  function mutateText(text: string): string {
    const bytes = Buffer.from(text, 'utf8');
    switch (Math.floor(rng() * 6)) {
      case 0:
        return text.slice(0, Math.floor(rng() * text.length));
      case 1: {
        const copy = Buffer.from(bytes);
        for (let n = 0; n < 1 + rng() * 4; n++) copy[Math.floor(rng() * copy.length)] = Math.floor(rng() * 256);
        return copy.toString('utf8');
      }
      case 2:
        return text.replace(/<\/?[A-Za-z]+>/, '');
      case 3: {
        const at = Math.floor(rng() * text.length);
        return text.slice(0, at) + pick(['<', '>', '&', ']]>', '<![CDATA[', '&#0;', '</xml>', '<xml>', '\u0000', '😀']) + text.slice(at);
      }
      case 4:
        return text + text;
      default:
        return text.replace(/\d+/, String(pick([-1, 1e21, Number.MAX_SAFE_INTEGER, 0.5])));
    }
  }

  function mutate(request: ChannelRequest): ChannelRequest {
    const r = rng();
    if (r < 0.35) return { ...request, body: mutateText(request.body) };
    if (r < 0.6) {
      const key = pick(['msg_signature', 'timestamp', 'nonce', 'echostr']);
      const value = rng() < 0.5 ? mutateText(request.query[key] ?? 'x') : pick(weird);
      return { ...request, query: { ...request.query, [key]: value as string } };
    }
    if (r < 0.7) return { ...request, method: pick(['GET', 'POST', 'PUT', '', 'get']) };
    if (r < 0.8) return { ...request, body: pick(weird) as string };
    if (r < 0.85) return { ...request, query: pick(weird) as Record<string, string> };
    // A correctly signed and encrypted body whose plaintext is mutated: the inner parser sees the garbage.
    return callback(mutateText(kfEvent()));
  }

  it('never throws on 2,000 mutations, and only answers messages, a handshake or a 400 / 401 refusal', () => {
    const seeds = [callback(kfEvent()), callback(fixture('kf-msg-or-event.xml')), verification('5927782489442352469')];
    const seen = new Set<string>();
    for (let n = 0; n < 2000; n++) {
      const request = mutate(pick(seeds));
      let verified: Verification | undefined;
      let parsed: ParseOutcome | undefined;
      expect(() => (verified = adapter.verify(request))).not.toThrow();
      expect(() => (parsed = adapter.parse(request))).not.toThrow();
      expect(['ok', 'handshake', 'refused']).toContain(verified!.kind);
      if (verified!.kind === 'refused') expect(verified!.status).toBe(401);
      if (parsed!.kind === 'refused') expect([400, 401]).toContain(parsed!.status);
      else for (const message of parsed!.messages) expect(message).toMatchObject({ channel: 'wecom', kind: 'event', eventName: 'kf_msg_or_event' });
      seen.add(`${verified!.kind}/${parsed!.kind === 'refused' ? parsed!.status : 'messages'}`);
    }
    // The mutations reach every branch: accepted, refused by verify, refused as malformed and as unsigned.
    expect(seen).toContain('ok/messages');
    expect(seen).toContain('ok/400');
    expect([...seen].some((s) => s.startsWith('refused/'))).toBe(true);
    expect([...seen].some((s) => s.endsWith('/401'))).toBe(true);
  });

  it('maps any JSON in msg_list without throwing', () => {
    const page = JSON.parse(fixture('sync-msg-page1.json')).msg_list as Record<string, unknown>[];
    for (let n = 0; n < 2000; n++) {
      const entry = structuredClone(pick(page));
      const keys = Object.keys(entry);
      const key = pick(keys);
      entry[key] = rng() < 0.5 ? pick(weird) : { text: pick(weird), content: pick(weird), event_type: pick(weird), latitude: pick(weird) };
      expect(() => mapKfMessages([entry, pick(weird)])).not.toThrow();
    }
  });
});

/** A loopback fake of qyapi.weixin.qq.com: gettoken, kf/sync_msg (two pages), kf/send_msg with failures on demand. */
describe('the WeCom API client and sender', () => {
  let server: Server;
  let baseUrl: string;
  const calls: { path: string; query: URLSearchParams; body: any }[] = [];
  /** Answers to give, in order, before the normal ones: per path. */
  const planned: Record<string, { status?: number; headers?: Record<string, string>; body?: unknown }[]> = {};
  let tokenCounter = 0;
  const plan = (path: string, ...answers: { status?: number; headers?: Record<string, string>; body?: unknown }[]) => (planned[path] ??= []).push(...answers);
  const pathsCalled = (path: string) => calls.filter((c) => c.path === path);

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((ok) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => ok(data));
    });

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = await readBody(req);
      calls.push({ path: url.pathname, query: url.searchParams, body: raw ? JSON.parse(raw) : undefined });
      const next = planned[url.pathname]?.shift();
      if (next) {
        res.writeHead(next.status ?? 200, { 'content-type': 'application/json', ...next.headers });
        return res.end(JSON.stringify(next.body ?? {}));
      }
      res.setHeader('content-type', 'application/json');
      if (url.pathname === '/cgi-bin/gettoken') {
        if (url.searchParams.get('corpid') !== CORP || url.searchParams.get('corpsecret') !== 'kf-secret') return res.end(JSON.stringify({ errcode: 40001, errmsg: 'invalid secret' }));
        return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', access_token: `token-${++tokenCounter}`, expires_in: 7200 }));
      }
      if (url.searchParams.get('access_token') !== `token-${tokenCounter}`) return res.end(JSON.stringify({ errcode: 40014, errmsg: 'invalid access_token' }));
      if (url.pathname === '/cgi-bin/kf/sync_msg') {
        const body = JSON.parse(raw);
        return res.end(body.cursor === '4gw7MepFLfgF2VC5npN' ? fixture('sync-msg-page2.json') : fixture('sync-msg-page1.json'));
      }
      if (url.pathname === '/cgi-bin/kf/send_msg') return res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', msgid: JSON.parse(raw).msgid ?? 'generated-msgid' }));
      res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    calls.length = 0;
    for (const key of Object.keys(planned)) delete planned[key];
  });

  let clock = NOW.getTime();
  const newClient = () => new WecomKfClient({ corpId: CORP, secret: 'kf-secret', baseUrl, now: () => new Date(clock) });

  describe('the access token', () => {
    it('is fetched once for concurrent callers and cached until 5 minutes before it expires', async () => {
      clock = NOW.getTime();
      const tokens = new WecomAccessTokens({ corpId: CORP, secret: 'kf-secret', baseUrl, now: () => new Date(clock) });
      const all = await Promise.all([tokens.get(), tokens.get(), tokens.get(), tokens.get()]);
      expect(new Set(all).size).toBe(1);
      expect(pathsCalled('/cgi-bin/gettoken')).toHaveLength(1);
      expect(pathsCalled('/cgi-bin/gettoken')[0]!.query.get('corpid')).toBe(CORP);
      clock += (7200 - 300 - 1) * 1000;
      expect(await tokens.get()).toBe(all[0]);
      expect(pathsCalled('/cgi-bin/gettoken')).toHaveLength(1);
      clock += 2000;
      expect(await tokens.get()).not.toBe(all[0]);
      expect(pathsCalled('/cgi-bin/gettoken')).toHaveLength(2);
    });

    it('reports a wrong secret as a non-retryable error', async () => {
      const tokens = new WecomAccessTokens({ corpId: CORP, secret: 'wrong', baseUrl });
      await expect(tokens.get()).rejects.toMatchObject({ code: 'WECOM_TOKEN_40001', retryable: false });
    });
  });

  describe('kf/sync_msg', () => {
    it('posts the documented request and maps customer messages and events, skipping servicer messages', async () => {
      const page = await newClient().sync({ token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' });
      const request = pathsCalled('/cgi-bin/kf/sync_msg')[0]!;
      // The documented request body, less the cursor of a first pull.
      const { cursor: _cursor, ...documented } = JSON.parse(fixture('sync-msg-request.json'));
      expect(Object.keys(request.body).sort()).toEqual(Object.keys(documented).sort());
      expect(request.body).toEqual({ token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', limit: 1000, voice_format: 0, open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' });
      expect(request.query.get('access_token')).toMatch(/^token-\d+$/);
      expect(page.hasMore).toBe(true);
      expect(page.nextCursor).toBe('4gw7MepFLfgF2VC5npN');
      expect(page.skipped).toBe(1);
      const thread = { openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' };
      const common = { channel: 'wecom', sender: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw', recipient: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', thread };
      expect(page.messages).toEqual([
        { ...common, kind: 'text', dedupeId: 'wecom:from_msgid_4622416642169452483', sentAt: new Date(1615478585 * 1000), text: '你好，我的订单什么时候发货？' },
        { ...common, kind: 'image', dedupeId: 'wecom:from_msgid_4622416642169452484', sentAt: new Date(1615478590 * 1000), mediaId: '2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw' },
        { ...common, kind: 'event', dedupeId: 'wecom:from_msgid_4622416642169452485', sentAt: new Date(1615478480 * 1000), event: 'subscribe', eventName: 'enter_session', eventKey: '123' },
      ]);
    });

    it('pages with syncAll while has_more, passing each next_cursor, and returns the final cursor', async () => {
      const result = await newClient().syncAll({ token: 'ENCtoken', openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', limit: 50 });
      const requests = pathsCalled('/cgi-bin/kf/sync_msg');
      expect(requests.map((r) => r.body.cursor)).toEqual([undefined, '4gw7MepFLfgF2VC5npN']);
      expect(requests.every((r) => r.body.limit === 50 && r.body.token === 'ENCtoken')).toBe(true);
      expect(result).toMatchObject({ cursor: '5hx8NfqGMghG3WD6oqO', hasMore: false, pages: 2, skipped: 2 });
      expect(result.messages.map((m) => [m.kind, m.eventName ?? ''])).toEqual([
        ['text', ''], ['image', ''], ['event', 'enter_session'],
        ['location', ''], ['link', ''], ['voice', ''], ['event', 'msgtype:miniprogram'], ['event', 'msg_send_fail'],
      ]);
      expect(result.messages[3]).toMatchObject({ location: { latitude: 23.106021, longitude: 113.325836, label: '广州国际媒体港(广州市海珠区)' }, description: '广东省广州市海珠区滨江东路' });
      expect(result.messages[4]).toMatchObject({ title: 'TITLE', description: 'DESC', url: 'URL' });
      expect(result.messages[7]).toMatchObject({ event: 'other', eventKey: 'FAIL_MSGID', sender: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw' });
    });

    it('stops at maxPages and says there is more, resuming from the cursor passed in', async () => {
      const first = await newClient().syncAll({ token: 't', openKfId: 'wk1', maxPages: 1 });
      expect(first).toMatchObject({ cursor: '4gw7MepFLfgF2VC5npN', hasMore: true, pages: 1 });
      const rest = await newClient().syncAll({ token: 't', openKfId: 'wk1', cursor: first.cursor! });
      expect(rest).toMatchObject({ cursor: '5hx8NfqGMghG3WD6oqO', hasMore: false, pages: 1 });
    });

    it('fetches a new token when WeCom calls it expired and tries once more', async () => {
      const client = newClient();
      await client.tokens.get();
      plan('/cgi-bin/kf/sync_msg', { body: { errcode: 42001, errmsg: 'access_token expired' } });
      const page = await client.sync({ token: 't', openKfId: 'wk1' });
      expect(page.messages).toHaveLength(3);
      expect(pathsCalled('/cgi-bin/gettoken')).toHaveLength(2);
      expect(pathsCalled('/cgi-bin/kf/sync_msg')).toHaveLength(2);
    });

    it('throws WecomApiError: retryable for busy and 5xx, not for a bad request', async () => {
      plan('/cgi-bin/kf/sync_msg', { body: { errcode: -1, errmsg: 'system busy' } }, { status: 502, body: {} }, { body: { errcode: 95007, errmsg: 'invalid msg token' } }, { body: { errcode: 0, msg_list: 'nope' } });
      const client = newClient();
      await expect(client.sync({ token: 't', openKfId: 'wk1' })).rejects.toMatchObject({ code: 'WECOM_-1', retryable: true });
      await expect(client.sync({ token: 't', openKfId: 'wk1' })).rejects.toMatchObject({ code: 'HTTP_502', retryable: true });
      await expect(client.sync({ token: 't', openKfId: 'wk1' })).rejects.toMatchObject({ code: 'WECOM_95007', retryable: false });
      await expect(client.sync({ token: 't', openKfId: 'wk1' })).rejects.toBeInstanceOf(WecomApiError);
    });
  });

  describe('kf/send_msg (WecomKfSender)', () => {
    const context = { messageId: '0b6f3c1e-8d2a-4c55-9a1e-2f4b7c9d0e11', conversationId: 'c1', thread: { openKfId: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' } };
    const newSender = () => new WecomKfSender(newClient());

    it('posts { touser, open_kfid, msgid, msgtype: text, text: { content } } with a msgid derived from the message id', async () => {
      const result = await newSender().sendText('wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw', '您的包裹已发出', context);
      const sent = pathsCalled('/cgi-bin/kf/send_msg')[0]!;
      expect(sent.body).toEqual({ touser: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw', open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', msgid: sent.body.msgid, msgtype: 'text', text: { content: '您的包裹已发出' } });
      expect(sent.body.msgid).toMatch(/^[0-9a-zA-Z_-]{1,32}$/);
      // Stable across retries of the same message, different for another message.
      expect(wecomMsgId(context.messageId)).toBe(sent.body.msgid);
      expect(wecomMsgId('another-message')).not.toBe(sent.body.msgid);
      expect(wecomMsgId('msg_123-ok')).toBe('msg_123-ok');
      expect(result).toEqual({ ok: true, providerMessageId: sent.body.msgid });
    });

    it('cuts a long text at 2048 UTF-8 bytes, marked with an ellipsis', async () => {
      await newSender().sendText('wm1', '查'.repeat(1000), context);
      const content: string = pathsCalled('/cgi-bin/kf/send_msg')[0]!.body.text.content;
      expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(2048);
      expect(Buffer.byteLength(content, 'utf8')).toBeGreaterThan(2040);
      expect(content.endsWith('…')).toBe(true);
    });

    it.each([95001, 95002, 95013])('reports errcode %i (outside the 48 h / 5-message window, session ended) as OUTSIDE_SERVICE_WINDOW, not retryable', async (errcode) => {
      plan('/cgi-bin/kf/send_msg', { body: { errcode, errmsg: 'limit' } });
      expect(await newSender().sendText('wm1', 'hi', context)).toMatchObject({ ok: false, retryable: false, code: 'OUTSIDE_SERVICE_WINDOW' });
    });

    it.each([-1, 45009])('reports errcode %i (busy, rate limit) as retryable', async (errcode) => {
      plan('/cgi-bin/kf/send_msg', { body: { errcode, errmsg: 'slow down' } });
      expect(await newSender().sendText('wm1', 'hi', context)).toMatchObject({ ok: false, retryable: true, code: `WECOM_${errcode}` });
    });

    it('retries once with a new token on 42001 and succeeds', async () => {
      const sender = newSender();
      plan('/cgi-bin/kf/send_msg', { body: { errcode: 42001, errmsg: 'expired' } });
      expect(await sender.sendText('wm1', 'hi', context)).toMatchObject({ ok: true });
      expect(pathsCalled('/cgi-bin/gettoken')).toHaveLength(2);
      expect(pathsCalled('/cgi-bin/kf/send_msg')).toHaveLength(2);
    });

    it('reports a token refused twice as retryable (the next attempt fetches anew)', async () => {
      plan('/cgi-bin/kf/send_msg', { body: { errcode: 40014, errmsg: 'invalid' } }, { body: { errcode: 40014, errmsg: 'invalid' } });
      expect(await newSender().sendText('wm1', 'hi', context)).toMatchObject({ ok: false, retryable: true, code: 'WECOM_40014' });
    });

    it('reports 5xx with Retry-After as retryable after that delay, and a network failure as retryable', async () => {
      plan('/cgi-bin/kf/send_msg', { status: 503, headers: { 'retry-after': '7' } });
      expect(await newSender().sendText('wm1', 'hi', context)).toEqual({ ok: false, retryable: true, code: 'HTTP_503', message: expect.any(String), retryAfterMs: 7000 });
      const unreachable = new WecomKfSender(new WecomKfClient({ corpId: CORP, secret: 'kf-secret', baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 }));
      expect(await unreachable.sendText('wm1', 'hi', context)).toMatchObject({ ok: false, retryable: true, code: 'NETWORK' });
    });

    it('reports other errcodes (an unknown customer) and a missing open_kfid as not retryable', async () => {
      plan('/cgi-bin/kf/send_msg', { body: { errcode: 40096, errmsg: 'invalid external userid' } });
      expect(await newSender().sendText('wm1', 'hi', context)).toMatchObject({ ok: false, retryable: false, code: 'WECOM_40096' });
      expect(await newSender().sendText('wm1', 'hi', { ...context, thread: {} })).toMatchObject({ ok: false, retryable: false, code: 'WECOM_OPEN_KFID_MISSING' });
      expect(pathsCalled('/cgi-bin/kf/send_msg')).toHaveLength(1);
    });
  });

  describe('wecomChannel (the factory)', () => {
    const secrets = { corpId: CORP, secret: 'kf-secret', token: TOKEN, encodingAesKey: AES_KEY };

    it('names the missing secrets, never their values', () => {
      expect(WECOM_SECRET_KEYS).toEqual(['corpId', 'secret', 'token', 'encodingAesKey']);
      expect(() => wecomChannel({ secrets: { corpId: CORP, token: 'super-secret-token' } })).toThrow(/missing secret\(s\): secret, encodingAesKey$/);
      try {
        wecomChannel({ secrets: { corpId: CORP, token: 'super-secret-token' } });
      } catch (error) {
        expect((error as Error).message).not.toContain('super-secret-token');
      }
    });

    it('wires the adapter, the sender and the client to one configuration', async () => {
      const { adapter: a, sender, client } = wecomChannel({ secrets, apiBaseUrl: baseUrl, now: () => NOW });
      expect(a.channel).toBe('wecom');
      expect(sender.channel).toBe('wecom');
      const [notice] = messagesOf(a.parse(callback(kfEvent())));
      const pulled = await client.syncAll({ token: notice!.eventKey!, openKfId: notice!.thread!.openKfId! });
      expect(pathsCalled('/cgi-bin/kf/sync_msg')[0]!.body).toMatchObject({ token: notice!.eventKey, open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q' });
      const customer = pulled.messages[0]!;
      expect(await sender.sendText(customer.sender, '收到', { messageId: 'm-1', conversationId: 'c', thread: customer.thread! })).toMatchObject({ ok: true });
      expect(pathsCalled('/cgi-bin/kf/send_msg')[0]!.body).toMatchObject({ touser: customer.sender, open_kfid: 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q', msgid: 'm-1' });
    });
  });
});
