/**
 * Hostile traffic at every channel webhook over real HTTP on one local platform: per channel 2,000+ requests (truncated,
 * byte-flipped, wrong types, wrong / missing signatures, a wrong secret, a replayed timestamp, huge headers, bodies
 * over 64 KB, random characters, valid JSON or XML of the wrong shape), 16 in flight at a time.
 *
 * Each request is built from a valid message of its own sender (WeCom: with that sender's message queued on the
 * sync_msg fake, so a callback wrongly accepted would pull and store it). Expected: no 5xx; every answer 400, 401 or
 * 413, or 200 only for a request that was validly signed and parsed (counted and reported apart); no customer for
 * the sender of any refused request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatMessageCrypto } from '../../shared/adapters/channels/wechat/wechat-crypto.ts';
import { customerDirectory } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import { CHANNELS, channelEnv, routeSendApis, SECRETS, senderId, sendWebhook, signedPost, textMessage, wecomEnvelope, WecomKfFake, type WebhookChannel, type WebhookRequest } from '../support/channel-requests.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const PER_CHANNEL = 2000;
const CONCURRENCY = 16;
const SEED = 0x6b656675;

let platform: Platform;
const apis = Object.fromEntries(CHANNELS.map((c) => [c, new FakeChannelApi()])) as Record<WebhookChannel, FakeChannelApi>;
let wecom: WecomKfFake;
const wecomCrypto = new WechatMessageCrypto(SECRETS.wecom.encodingAesKey, SECRETS.wecom.corpId);
const report: string[] = [];

beforeAll(async () => {
  await Promise.all(CHANNELS.map((c) => apis[c].start()));
  routeSendApis(apis);
  wecom = new WecomKfFake(apis.wecom);
  Object.assign(process.env, channelEnv(Object.fromEntries(CHANNELS.map((c) => [c, apis[c].url]))));
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
}, 120_000);
afterAll(async () => {
  await platform?.runtime.stop();
  await Promise.all(CHANNELS.map((c) => apis[c].stop()));
  if (report.length > 0) console.log(`channel fuzz:\n${report.join('\n')}`);
});

/** A small seeded PRNG (mulberry32), so that a failing run can be repeated. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FuzzCase {
  readonly kind: string;
  readonly sender: string;
  readonly request: WebhookRequest;
  /** Signed with the right secret over exactly what is sent (a 200 is allowed only then). */
  readonly signed: boolean;
}

const WRONG_VALUES: readonly unknown[] = ['x', '', -1, 0, 1.5, 1e300, [], {}, null, true, [1, [2, [3]]], { a: { b: 'c' } }];
const SHAPES_JSON = ['[]', '1', '"text"', 'null', 'true', '{}', '{"a":{"b":[1,2,3]}}', `${'['.repeat(3000)}${']'.repeat(3000)}`, JSON.stringify({ events: 'x', entry: 1, update_id: 'y' }), JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i })))];
const SHAPES_XML = ['<xml></xml>', '<a><b/></a>', `${'<xml>'.repeat(2000)}${'</xml>'.repeat(2000)}`, '<xml><MsgType>text</MsgType></xml>', '<!DOCTYPE x [<!ENTITY e "e">]><xml>&e;</xml>', '<xml><ToUserName><![CDATA[', 'plain text, no markup', '{"json":"instead"}'];

/** Paths of the channel's valid payload whose values the "wrong types" cases replace. */
const TYPED_PATHS: Record<Exclude<WebhookChannel, 'wechat' | 'wecom'>, string[][]> = {
  telegram: [['update_id'], ['message'], ['message', 'chat'], ['message', 'chat', 'id'], ['message', 'date'], ['message', 'text'], ['message', 'from'], ['message', 'chat', 'type']],
  line: [['events'], ['events', '0'], ['events', '0', 'timestamp'], ['events', '0', 'source'], ['events', '0', 'source', 'userId'], ['events', '0', 'message'], ['events', '0', 'message', 'text'], ['events', '0', 'type'], ['destination'], ['events', '0', 'webhookEventId']],
  whatsapp: [['object'], ['entry'], ['entry', '0', 'changes'], ['entry', '0', 'changes', '0', 'value'], ['entry', '0', 'changes', '0', 'value', 'messages'], ['entry', '0', 'changes', '0', 'value', 'messages', '0', 'from'], ['entry', '0', 'changes', '0', 'value', 'messages', '0', 'id'], ['entry', '0', 'changes', '0', 'value', 'messages', '0', 'timestamp'], ['entry', '0', 'changes', '0', 'value', 'messages', '0', 'type'], ['entry', '0', 'changes', '0', 'value', 'messages', '0', 'text'], ['entry', '0', 'changes', '0', 'value', 'metadata']],
};
const XML_FIELDS = { wechat: ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType', 'Content', 'MsgId'], wecom: ['ToUserName', 'CreateTime', 'MsgType', 'Event', 'Token', 'OpenKfId'] } as const;
const XML_WRONG = ['', 'abc', '-1', '1e400', '<b>nested</b>', ']]>', 'x'.repeat(5000), '包 包', '\u0000\u0001'];

function setPath(value: any, path: readonly string[], to: unknown): void {
  let node = value;
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[key];
  }
  if (node !== null && typeof node === 'object') node[path.at(-1)!] = to;
}

/** Replaces the content of one XML element (CDATA or not). */
const setXmlField = (xml: string, field: string, to: string) => xml.replace(new RegExp(`<${field}>[\\s\\S]*?</${field}>`), `<${field}>${to}</${field}>`);

function randomText(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const code = Math.floor(random() * 0xfffd) + 1;
    out += String.fromCharCode(code >= 0xd800 && code <= 0xdfff ? code - 0x800 : code);
  }
  return out;
}

/** Replaces `count` ASCII characters at random places by random printable ones (the body stays valid UTF-8). */
function flip(random: () => number, body: string, count: number): string {
  const chars = [...body];
  for (let i = 0; i < count; i++) {
    const at = Math.floor(random() * chars.length);
    if (chars[at]!.charCodeAt(0) < 0x80) chars[at] = String.fromCharCode(0x20 + Math.floor(random() * 0x5f));
  }
  return chars.join('');
}

const KINDS = ['truncated', 'flipped-resigned', 'flipped-old-signature', 'wrong-types', 'wrong-secret', 'unsigned', 'huge-headers', 'oversized', 'random', 'wrong-shape', 'replayed-or-forged'] as const;

/** The `n`-th hostile request for a channel. */
function fuzzCase(channel: WebhookChannel, n: number, random: () => number): FuzzCase {
  const sender = senderId(channel, 'fz', n);
  const valid = textMessage(channel, sender, `fuzz ${n} 我的包裹到哪了`, `fuzz-${channel}-${n}-${SEED}`);
  // WeCom: the sender's message waits on the sync_msg fake; only an accepted callback may pull it.
  if (channel === 'wecom') wecom.queue(valid);
  const kind = KINDS[n % KINDS.length]!;
  const signed = (body: string): FuzzCase => ({ kind, sender, request: signedPost(channel, body), signed: true });
  const refusedWith = (request: WebhookRequest): FuzzCase => ({ kind, sender, request, signed: false });
  // WeCom's body is an envelope around the encrypted notice: hostile plaintexts are encrypted and correctly signed.
  const notice = channel === 'wecom' ? wecomCrypto.decrypt(/<Encrypt><!\[CDATA\[([^\]]*)/.exec(valid.body)![1]!) : '';
  const wecomSigned = (plain: string) => signed(wecomEnvelope(wecomCrypto.encrypt(plain)));

  switch (kind) {
    case 'truncated': {
      const cut = Math.floor(random() * (valid.body.length - 1));
      return channel === 'wecom' && n % 2 === 0 ? wecomSigned(notice.slice(0, Math.floor(random() * (notice.length - 1)))) : signed(valid.body.slice(0, cut));
    }
    case 'flipped-resigned':
      return channel === 'wecom' ? wecomSigned(flip(random, notice, 1 + Math.floor(random() * 4))) : signed(flip(random, valid.body, 1 + Math.floor(random() * 4)));
    case 'flipped-old-signature': {
      // Signed over the valid body, then changed in transit (WeChat and Telegram do not sign the body: still "signed").
      const request = signedPost(channel, valid.body);
      const body = flip(random, valid.body, 1 + Math.floor(random() * 4));
      const encrypt = (b: string) => /<Encrypt><!\[CDATA\[([^\]]*)/.exec(b)?.[1];
      const stillSigned = body === valid.body || channel === 'wechat' || channel === 'telegram' || (channel === 'wecom' && encrypt(body) === encrypt(valid.body));
      return { kind, sender, request: { ...request, body }, signed: stillSigned };
    }
    case 'wrong-types': {
      if (channel === 'wechat' || channel === 'wecom') {
        const fields = XML_FIELDS[channel];
        const xml = setXmlField(channel === 'wecom' ? notice : valid.body, fields[Math.floor(random() * fields.length)]!, XML_WRONG[Math.floor(random() * XML_WRONG.length)]!);
        return channel === 'wecom' ? wecomSigned(xml) : signed(xml);
      }
      const payload = JSON.parse(valid.body) as unknown;
      const paths = TYPED_PATHS[channel];
      setPath(payload, paths[Math.floor(random() * paths.length)]!, WRONG_VALUES[Math.floor(random() * WRONG_VALUES.length)]);
      return signed(JSON.stringify(payload));
    }
    case 'wrong-secret':
      return refusedWith(signedPost(channel, valid.body, { wrongSecret: true }));
    case 'unsigned':
      return refusedWith(signedPost(channel, valid.body, { unsigned: true }));
    case 'huge-headers': {
      // About 12 KB of headers (Node's own limit is 16 KB), with a forged signature header of its own size.
      const request = signedPost(channel, valid.body, { wrongSecret: true });
      const junk = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`x-fuzz-${i}`, 'h'.repeat(1000)]));
      const forged: Record<string, string> = {
        telegram: { 'x-telegram-bot-api-secret-token': 's'.repeat(1500) },
        line: { 'x-line-signature': 'A'.repeat(1500) },
        whatsapp: { 'x-hub-signature-256': `sha256=${'0'.repeat(1500)}` },
        wechat: {},
        wecom: {},
      }[channel];
      return refusedWith({ ...request, headers: { ...request.headers, ...junk, ...forged } });
    }
    case 'oversized': {
      const pad = 65 * 1024 + Math.floor(random() * 200_000);
      const body = channel === 'wecom' ? valid.body.replace('<AgentID>', `<Pad><![CDATA[${'x'.repeat(pad)}]]></Pad><AgentID>`) : `${valid.body}${' '.repeat(pad)}`;
      return { kind, sender, request: signedPost(channel, body), signed: true };
    }
    case 'random':
      return signed(randomText(random, 1 + Math.floor(random() * 3000)));
    case 'wrong-shape': {
      const shapes = channel === 'wechat' || channel === 'wecom' ? SHAPES_XML : SHAPES_JSON;
      const shape = shapes[Math.floor(random() * shapes.length)]!;
      return channel === 'wecom' && n % 2 === 0 ? wecomSigned(shape) : signed(shape);
    }
    case 'replayed-or-forged':
      // WeChat and WeCom sign a timestamp: ten minutes old is a replay. The others: a signature of the right form but wrong.
      if (channel === 'wechat' || channel === 'wecom') return refusedWith(signedPost(channel, valid.body, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
      if (channel === 'telegram') return refusedWith({ ...signedPost(channel, valid.body), headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRETS.telegram.secretToken.slice(0, -1) } });
      return refusedWith({ ...signedPost(channel, valid.body), headers: signedPost(channel, `${valid.body} `).headers });
  }
}

async function runBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
    }),
  );
  return results;
}

describe.each(CHANNELS)('fuzzing the %s webhook', (channel) => {
  it(`answers ${PER_CHANNEL} hostile requests with 400 / 401 / 413 (200 only when signed and parsed), never 5xx, storing nothing refused`, async () => {
    // Prepare
    const random = prng(SEED + CHANNELS.indexOf(channel));
    const cases = Array.from({ length: PER_CHANNEL }, (_, n) => fuzzCase(channel, n, random));
    const started = performance.now();
    // Act
    const answers = await runBounded(cases, CONCURRENCY, async (c) => {
      const res = await sendWebhook(platform.runtime.url, c.request).catch((error: Error) => ({ status: -1, text: error.message, contentType: '', ms: 0 }));
      return { ...c, status: res.status, text: res.text };
    });
    const seconds = (performance.now() - started) / 1000;
    // Assess
    const byStatus = new Map<number, number>();
    for (const a of answers) byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1);
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status !== 200);
    const acceptedStored = await runBounded(accepted, 8, async (a) => (await customerDirectory().get(customerIdForIdentity(channel, a.sender))) !== undefined);
    const refusedStored = (await runBounded(refused, 8, async (a) => ((await customerDirectory().get(customerIdForIdentity(channel, a.sender))) !== undefined ? a : undefined))).filter((a) => a !== undefined);
    const acceptedKinds = [...new Set(accepted.map((a) => a.kind))].join(', ');
    report.push(
      `  ${channel}: ${answers.length} requests in ${seconds.toFixed(1)} s; statuses ${[...byStatus].sort(([a], [b]) => a - b).map(([s, k]) => `${s}×${k}`).join(' ')}; ` +
        `accepted (signed and parsed) ${accepted.length}${accepted.length ? ` (${acceptedKinds}), of which ${acceptedStored.filter(Boolean).length} stored their sender` : ''}`,
    );
    const show = (a: (typeof answers)[number]) => `${a.kind} → ${a.status} ${a.text.slice(0, 160)} (${a.request.method} ${a.request.path.slice(0, 80)}, body ${a.request.body?.slice(0, 80)})`;
    expect(answers.filter((a) => a.status >= 500 || a.status < 0).map(show)).toEqual([]);
    expect(answers.filter((a) => ![400, 401, 413].includes(a.status) && !(a.status === 200 && a.signed)).map(show)).toEqual([]);
    expect(refusedStored.map(show)).toEqual([]);
    expect(answers.filter((a) => a.kind === 'oversized').map((a) => a.status)).toEqual(answers.filter((a) => a.kind === 'oversized').map(() => 413));
  }, 180_000);
});
