/**
 * The WhatsApp Cloud API adapter: the hub.challenge handshake, the X-Hub-Signature-256 check (expected HMACs computed
 * here with node:crypto, independently of the adapter), parsing of Meta's payloads (test/fixtures/whatsapp/, sources
 * in SOURCES.md), statuses as events, the factory, fuzzing, and the Cloud API sender against a loopback fake.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WHATSAPP_CAPABILITIES, WHATSAPP_SECRET_KEYS, WhatsappChannelAdapter, whatsappChannel, whatsappSignature } from '../../shared/adapters/channels/whatsapp/whatsapp.adapter.ts';
import { truncateWhatsappText, WhatsappCloudSender } from '../../shared/adapters/channels/whatsapp/whatsapp.sender.ts';
import type { ChannelAdapter, ChannelRequest, InboundMessage } from '../../shared/ports/channel.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'whatsapp');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const APP_SECRET = 'kefu-app-secret';
const VERIFY_TOKEN = 'kefu-verify-token';
const adapter = new WhatsappChannelAdapter({ appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN });

/** HMAC-SHA256 of the raw body keyed by the app secret, as Meta computes it (independent of the adapter). */
const metaSignature = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(Buffer.from(body, 'utf8')).digest('hex')}`;

/** A POST as Meta sends it; `signature: null` leaves the header out. */
function post(body: string, signature: string | null = metaSignature(body)): ChannelRequest {
  return { method: 'POST', query: {}, headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) }, body };
}

function handshake(query: Record<string, string>): ChannelRequest {
  return { method: 'GET', query, headers: {}, body: '' };
}

function parsed(body: string): InboundMessage[] {
  const request = post(body);
  expect(adapter.verify(request)).toEqual({ kind: 'ok' });
  const outcome = adapter.parse(request);
  if (outcome.kind !== 'messages') throw new Error(`refused: ${outcome.message}`);
  return [...outcome.messages];
}

describe('the subscription handshake (GET)', () => {
  it('answers hub.challenge as plain text when hub.mode is subscribe and the verify token matches', () => {
    expect(adapter.verify(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' }))).toEqual({
      kind: 'handshake',
      response: { status: 200, contentType: 'text/plain; charset=utf-8', body: '1158201444' },
    });
  });

  it.each([
    ['a wrong verify token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'not-the-token', 'hub.challenge': '1' }],
    ['a verify token that is a prefix of the right one', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN.slice(0, -1), 'hub.challenge': '1' }],
    ['no verify token', { 'hub.mode': 'subscribe', 'hub.challenge': '1' }],
    ['another hub.mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }],
  ])('refuses %s with 401', (_what, query) => {
    expect(adapter.verify(handshake(query))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['too long', 'a'.repeat(129)],
    ['missing', undefined],
  ])('answers 400 to a challenge that is %s (never reflects it)', (_what, challenge) => {
    const verified = adapter.verify(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, ...(challenge !== undefined ? { 'hub.challenge': challenge } : {}) }));
    expect(verified).toMatchObject({ kind: 'handshake', response: { status: 400 } });
    if (verified.kind === 'handshake' && challenge) expect(verified.response.body).not.toContain(challenge);
  });

  it('accepts a challenge of exactly 128 letters and digits', () => {
    const challenge = 'aZ9'.repeat(42) + 'ab';
    expect(adapter.verify(handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': challenge }))).toMatchObject({ kind: 'handshake', response: { status: 200, body: challenge } });
  });
});

describe('the X-Hub-Signature-256 check (POST)', () => {
  const body = fixture('text.json');

  it('computes sha256= followed by the hex HMAC-SHA256 of the body under the app secret', () => {
    expect(whatsappSignature(APP_SECRET, body)).toBe(metaSignature(body));
    expect(whatsappSignature(APP_SECRET, 'abc')).toBe('sha256=' + createHmac('sha256', APP_SECRET).update('abc').digest('hex'));
  });

  it('accepts the right signature, in lower or upper case hex', () => {
    expect(adapter.verify(post(body))).toEqual({ kind: 'ok' });
    expect(adapter.verify(post(body, 'sha256=' + metaSignature(body).slice(7).toUpperCase()))).toEqual({ kind: 'ok' });
  });

  it('covers non-ASCII bodies byte for byte (UTF-8)', () => {
    const unicode = body.replace('Does it come in another color?', '还有别的颜色吗？🎨');
    expect(adapter.verify(post(unicode))).toEqual({ kind: 'ok' });
  });

  it.each([
    ['signed with another secret', () => post(body, metaSignature(body, 'another-secret'))],
    ['whose body was changed after signing', () => post(body.replace('another color', 'another colour'), metaSignature(body))],
    ['with one hex digit changed', () => { const s = metaSignature(body); return post(body, s.slice(0, -1) + (s.endsWith('0') ? '1' : '0')); }],
    ['with a truncated signature', () => post(body, metaSignature(body).slice(0, -2))],
    ['with the sha1 header form', () => post(body, 'sha1=' + createHmac('sha1', APP_SECRET).update(body).digest('hex'))],
    ['with a bare hex digest (no sha256= prefix)', () => post(body, metaSignature(body).slice(7))],
  ])('refuses a request %s with 401 SIGNATURE_INVALID', (_what, request) => {
    expect(adapter.verify(request())).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it('refuses a request without the header with 401 SIGNATURE_MISSING', () => {
    expect(adapter.verify(post(body, null))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_MISSING' });
    expect(adapter.verify(post(body, ''))).toMatchObject({ kind: 'refused', status: 401 });
  });
});

describe('parsing Meta payloads', () => {
  it('reads the documented text message, with the sender profile and the business number as thread', () => {
    expect(parsed(fixture('text.json'))).toEqual([
      {
        channel: 'whatsapp',
        kind: 'text',
        sender: '16505551234',
        recipient: '106540352242922',
        dedupeId: 'wa:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        sentAt: new Date(1749416383 * 1000),
        text: 'Does it come in another color?',
        profile: { displayName: 'Sheena Nelson', phone: '+16505551234', verified: ['phone'] },
        thread: { phoneNumberId: '106540352242922' },
      },
    ]);
  });

  it('reads the App Dashboard test sample (field before value)', () => {
    expect(parsed(fixture('dashboard-test.json'))).toMatchObject([{ kind: 'text', sender: '16315551181', text: 'this is a text message', dedupeId: 'wa:ABGGFlA5Fpa', thread: { phoneNumberId: '123456123' }, profile: { displayName: 'test user name' } }]);
  });

  it('reads an image with its media id and caption', () => {
    expect(parsed(fixture('image.json'))).toMatchObject([{ kind: 'image', mediaId: '1003383421387256', text: 'The best succulent ever?', sentAt: new Date(1750090702 * 1000) }]);
  });

  it('turns a button reply into a click event carrying the button id', () => {
    const [message] = parsed(fixture('interactive-button-reply.json'));
    expect(message).toMatchObject({ kind: 'event', event: 'click', eventName: 'interactive:button_reply', eventKey: 'change-button', text: 'Change', dedupeId: 'wa:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFBQzE5NDFGQjQ5QTNFNkQ0RQA=' });
  });

  it('returns one inbound message per message of a batch, in order', () => {
    const messages = parsed(fixture('mixed-batch.json'));
    expect(messages.map((m) => m.dedupeId)).toEqual(['wa:wamid.LOCATION0001', 'wa:wamid.REACTION0001', 'wa:wamid.AUDIO0001', 'wa:wamid.DOCUMENT0001', 'wa:wamid.LISTREPLY0001']);
    expect(messages[0]).toMatchObject({ kind: 'location', location: { latitude: 37.483307, longitude: -122.148981, label: 'Philz Coffee, 1 Hacker Way, Menlo Park, CA 94025' }, url: 'https://philzcoffee.com' });
    expect(messages[1]).toMatchObject({ kind: 'event', event: 'other', eventName: 'reaction', eventKey: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBIyQjhBRTFCNjJBNzg1NzRBMzUA', text: '👍' });
    expect(messages[2]).toMatchObject({ kind: 'voice', mediaId: '1003383421387257' });
    expect(messages[3]).toMatchObject({ kind: 'file', mediaId: '1003383421387258', title: 'invoice-4711.pdf', text: 'Invoice' });
    expect(messages[4]).toMatchObject({ kind: 'event', event: 'click', eventName: 'interactive:list_reply', eventKey: 'priority_express', text: 'Express Shipping' });
    for (const message of messages) expect(message).toMatchObject({ sender: '16505551234', profile: { phone: '+16505551234', verified: ['phone'] }, thread: { phoneNumberId: '106540352242922' } });
  });

  it('maps video, sticker, template button and unknown types', () => {
    const base = JSON.parse(fixture('text.json'));
    const withMessage = (message: Record<string, unknown>) => {
      const copy = structuredClone(base);
      copy.entry[0].changes[0].value.messages = [{ from: '16505551234', id: 'wamid.X', timestamp: '1750000000', ...message }];
      return JSON.stringify(copy);
    };
    expect(parsed(withMessage({ type: 'video', video: { id: '77', caption: 'unboxing', mime_type: 'video/mp4' } }))[0]).toMatchObject({ kind: 'video', mediaId: '77', text: 'unboxing' });
    expect(parsed(withMessage({ type: 'sticker', sticker: { id: '78', mime_type: 'image/webp', animated: false } }))[0]).toMatchObject({ kind: 'image', mediaId: '78', description: 'sticker' });
    expect(parsed(withMessage({ type: 'button', button: { payload: 'STOP_PROMOS', text: 'Stop promotions' } }))[0]).toMatchObject({ kind: 'event', event: 'click', eventName: 'button', eventKey: 'STOP_PROMOS', text: 'Stop promotions' });
    expect(parsed(withMessage({ type: 'contacts', contacts: [{ name: { formatted_name: 'A' } }] }))[0]).toMatchObject({ kind: 'event', event: 'other', eventName: 'contacts' });
    expect(parsed(withMessage({ type: 'unsupported', errors: [{ code: 131051 }] }))[0]).toMatchObject({ kind: 'event', event: 'other', eventName: 'unsupported' });
  });

  it('turns statuses into status:<status> events, never messages, keyed per wamid and status', () => {
    const [sent] = parsed(fixture('status-sent.json'));
    expect(sent).toEqual({
      channel: 'whatsapp',
      kind: 'event',
      sender: '16505551234',
      recipient: '106540352242922',
      dedupeId: 'wa:status:wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA:sent',
      sentAt: new Date(1750263773 * 1000),
      event: 'other',
      eventName: 'status:sent',
      eventKey: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3MTE5MjVBOTE3MDk5QUVFM0YA',
      thread: { phoneNumberId: '106540352242922' },
    });
    const delivered = parsed(fixture('status-sent.json').replace('"sent"', '"delivered"'))[0]!;
    expect(delivered.eventName).toBe('status:delivered');
    expect(delivered.dedupeId).not.toBe(sent!.dedupeId);
    const [failed] = parsed(fixture('status-failed.json'));
    expect(failed).toMatchObject({ kind: 'event', eventName: 'status:failed', description: '131047 Re-engagement message' });
    expect(failed).not.toHaveProperty('text');
  });

  it('gives a redelivery the same dedupe id and another message another one', () => {
    const body = fixture('text.json');
    expect(parsed(body)[0]!.dedupeId).toBe(parsed(body)[0]!.dedupeId);
    expect(parsed(body.replace('RgA=', 'RgB='))[0]!.dedupeId).not.toBe(parsed(body)[0]!.dedupeId);
  });

  it('ignores other subscribed fields and empty changes', () => {
    const other = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }] });
    expect(parsed(other)).toEqual([]);
  });

  it.each([
    ['an empty body', ''],
    ['truncated JSON', fixture('text.json').slice(0, 200)],
    ['a JSON array', '[]'],
    ['another object type', JSON.stringify({ object: 'page', entry: [] })],
    ['entry that is not an array', JSON.stringify({ object: 'whatsapp_business_account', entry: {} })],
    ['a phone number with a plus sign', fixture('text.json').replace('"from": "16505551234"', '"from": "+16505551234"')],
    ['a timestamp in milliseconds as a number', fixture('text.json').replace('"timestamp": "1749416383"', '"timestamp": 1749416383000')],
    ['a text whose body is not a string', fixture('text.json').replace('"body": "Does it come in another color?"', '"body": {"x": 1}')],
    ['a message without id', fixture('text.json').replace('"id": "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",', '')],
    ['messages without metadata', fixture('text.json').replace(/"metadata": \{[^}]*\},/, '')],
    ['a location off the globe', fixture('mixed-batch.json').replace('"latitude": 37.483307', '"latitude": 137.5')],
    ['a body over 1 MiB', JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(1024 * 1024) })],
  ])('refuses %s with 400 WEBHOOK.MALFORMED', (_what, body) => {
    expect(adapter.parse(post(body))).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });

  it('acknowledges with 200 and has no synchronous reply', () => {
    expect(adapter.acknowledge()).toMatchObject({ status: 200 });
    expect((adapter as ChannelAdapter).reply).toBeUndefined();
    expect(WHATSAPP_CAPABILITIES).toMatchObject({ maxText: { length: 4096, unit: 'characters' }, serviceWindowHours: 24, sendRatePerSecond: 80 });
    expect(WHATSAPP_CAPABILITIES.syncReplyDeadlineMs).toBeUndefined();
  });
});

describe('fuzzing verify + parse', () => {
  /** A small deterministic PRNG (mulberry32), so that a failure can be replayed. */
  function prng(seed: number) {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const WEIRD: unknown[] = [null, 0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '', 'x', '\u0000', [], {}, [[]], true, false, '9'.repeat(400), { a: { b: {} } }];

  /** Replaces one random value somewhere in the document with a value of another type. */
  function mutateValue(doc: unknown, random: () => number): unknown {
    const copy = structuredClone(doc);
    const paths: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach((child, i) => { paths.push({ parent: node, key: i }); walk(child); });
      else if (node && typeof node === 'object') for (const [k, child] of Object.entries(node)) { paths.push({ parent: node as Record<string, unknown>, key: k }); walk(child); }
    };
    walk(copy);
    const target = paths[Math.floor(random() * paths.length)];
    if (target) (target.parent as Record<string | number, unknown>)[target.key] = WEIRD[Math.floor(random() * WEIRD.length)];
    return copy;
  }

  it('never throws on 2,000 mutations of valid payloads, and only answers messages or 400/401', () => {
    const random = prng(20260102);
    const seeds = ['text.json', 'mixed-batch.json', 'status-failed.json', 'interactive-button-reply.json', 'image.json'].map(fixture);
    const counts = { messages: 0, refused400: 0, refused401: 0 };
    for (let i = 0; i < 2000; i++) {
      const seed = seeds[i % seeds.length]!;
      let body: string;
      const how = i % 4;
      if (how === 0) body = seed.slice(0, Math.floor(random() * seed.length));
      else if (how === 1) {
        const bytes = Buffer.from(seed, 'utf8');
        for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
        body = bytes.toString('utf8');
      } else body = JSON.stringify(mutateValue(JSON.parse(seed), random));
      // Most requests are correctly signed so that parse is reached; some are not.
      const signature = random() < 0.9 ? metaSignature(body) : metaSignature(body, 'wrong');
      const request = post(body, signature);
      let verified: ReturnType<typeof adapter.verify>;
      let outcome: ReturnType<typeof adapter.parse> | undefined;
      expect(() => {
        verified = adapter.verify(request);
        if (verified.kind === 'ok') outcome = adapter.parse(request);
      }).not.toThrow();
      if (verified!.kind === 'refused') {
        expect(verified!.status).toBe(401);
        counts.refused401++;
        continue;
      }
      expect(verified!.kind).toBe('ok');
      if (outcome!.kind === 'messages') {
        counts.messages++;
        for (const m of outcome!.messages) {
          expect(m.channel).toBe('whatsapp');
          expect(m.sentAt.getTime()).not.toBeNaN();
          expect(m.dedupeId).toMatch(/^wa:/);
        }
      } else {
        expect(outcome!.status).toBe(400);
        counts.refused400++;
      }
    }
    // The mutations are varied enough to reach every outcome.
    expect(counts.messages).toBeGreaterThan(0);
    expect(counts.refused400).toBeGreaterThan(0);
    expect(counts.refused401).toBeGreaterThan(0);
  });

  it('never throws on requests of the wrong shape', () => {
    const odd = [
      { method: 'GET', query: {}, headers: {}, body: '' },
      { method: 'GET', query: { 'hub.mode': 'subscribe' }, headers: {}, body: '' },
      { method: 'PUT', query: {}, headers: { 'x-hub-signature-256': 'sha256=zz' }, body: '{}' },
      { method: 'POST', query: {}, headers: { 'x-hub-signature-256': 'sha256=' + 'g'.repeat(64) }, body: '{}' },
    ] as ChannelRequest[];
    for (const request of odd) expect(() => { adapter.verify(request); adapter.parse(request); }).not.toThrow();
  });
});

describe('the factory', () => {
  const secrets = { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: 'EAAG-test', phoneNumberId: '106540352242922' };

  it('lists its secrets and builds an adapter and a sender', () => {
    expect(WHATSAPP_SECRET_KEYS).toEqual(['appSecret', 'verifyToken', 'accessToken', 'phoneNumberId']);
    const { adapter: built, sender } = whatsappChannel({ secrets });
    expect(built.channel).toBe('whatsapp');
    expect(sender.channel).toBe('whatsapp');
    const body = fixture('text.json');
    expect(built.verify(post(body))).toEqual({ kind: 'ok' });
  });

  it('names every missing secret, and never a value', () => {
    expect(() => whatsappChannel({ secrets: { ...secrets, appSecret: undefined, accessToken: '' } })).toThrow(/missing secret\(s\): appSecret, accessToken$/);
    let message = '';
    try {
      whatsappChannel({ secrets: { ...secrets, phoneNumberId: undefined } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/missing secret\(s\): phoneNumberId$/);
    expect(message).not.toContain(APP_SECRET);
    expect(message).not.toContain('EAAG-test');
  });
});

describe('the Cloud API sender', () => {
  let server: Server;
  let baseUrl: string;
  const calls: { url: string; authorization?: string; body: any }[] = [];
  let next: { status: number; body: unknown; headers?: Record<string, string> } | undefined;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        calls.push({ url: req.url ?? '', authorization: req.headers.authorization, body: data ? JSON.parse(data) : undefined });
        const answer = next ?? { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: '16505551234', wa_id: '16505551234' }], messages: [{ id: `wamid.OUT${calls.length}` }] } };
        next = undefined;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.headers ?? {}) });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    calls.length = 0;
    next = undefined;
  });

  const sender = () => new WhatsappCloudSender({ accessToken: 'EAAG-token', phoneNumberId: '999', baseUrl });
  const graphError = (code: number, status = 400, message = 'failed') => ({ status, body: { error: { message, type: 'OAuthException', code, fbtrace_id: 'A1' } } });

  it('posts a text from the number the customer wrote to, and returns the wamid', async () => {
    const result = await sender().sendText('16505551234', 'Yes, in blue.', { messageId: 'm1', conversationId: 'c1', thread: { phoneNumberId: '106540352242922' } });
    expect(result).toEqual({ ok: true, providerMessageId: 'wamid.OUT1' });
    expect(calls).toEqual([
      {
        url: '/v21.0/106540352242922/messages',
        authorization: 'Bearer EAAG-token',
        body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '16505551234', type: 'text', text: { body: 'Yes, in blue.', preview_url: false } },
      },
    ]);
  });

  it('falls back to the configured phone number id and strips a leading +', async () => {
    await sender().sendText('+16505551234', 'hi');
    expect(calls[0]).toMatchObject({ url: '/v21.0/999/messages', body: { to: '16505551234' } });
  });

  it('cuts a text over 4096 characters, marking the cut with …', async () => {
    await sender().sendText('16505551234', 'a'.repeat(5000));
    const body: string = calls[0]!.body.text.body;
    expect(body).toHaveLength(4096);
    expect(body.endsWith('…')).toBe(true);
    // Never splits a surrogate pair.
    const emoji = truncateWhatsappText('😀'.repeat(3000));
    expect(emoji.length).toBeLessThanOrEqual(4096);
    expect(emoji.endsWith('😀…')).toBe(true);
    expect(truncateWhatsappText('short')).toBe('short');
  });

  it('sends a template with body parameters', async () => {
    const result = await sender().sendTemplate('16505551234', { name: 'order_update', language: 'en_US', bodyParameters: ['4711', 'shipped'] });
    expect(result).toMatchObject({ ok: true });
    expect(calls[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '4711' }, { type: 'text', text: 'shipped' }] }] },
    });
  });

  it('reports 131047 (more than 24 h since the customer wrote) as OUTSIDE_SERVICE_WINDOW, not retryable', async () => {
    next = graphError(131047, 400, 'Re-engagement message');
    expect(await sender().sendText('16505551234', 'hi')).toEqual({ ok: false, retryable: false, code: 'OUTSIDE_SERVICE_WINDOW', message: 'Re-engagement message' });
  });

  it.each([130429, 131056, 80007])('reports rate limit %i as retryable, with Retry-After', async (code) => {
    next = { ...graphError(code), headers: { 'retry-after': '7' } };
    expect(await sender().sendText('16505551234', 'hi')).toMatchObject({ ok: false, retryable: true, code: `WHATSAPP_${code}`, retryAfterMs: 7000 });
  });

  it('reports 5xx as retryable and an expired token (190) or a bad parameter as not retryable', async () => {
    next = { status: 503, body: { error: { message: 'Service unavailable', code: 2 } } };
    expect(await sender().sendText('16505551234', 'hi')).toMatchObject({ ok: false, retryable: true, code: 'WHATSAPP_2' });
    next = { status: 502, body: 'bad gateway' };
    expect(await sender().sendText('16505551234', 'hi')).toMatchObject({ ok: false, retryable: true, code: 'HTTP_502' });
    next = graphError(190, 401, 'Error validating access token');
    expect(await sender().sendText('16505551234', 'hi')).toMatchObject({ ok: false, retryable: false, code: 'WHATSAPP_190' });
    next = graphError(131009);
    expect(await sender().sendText('16505551234', 'hi')).toMatchObject({ ok: false, retryable: false, code: 'WHATSAPP_131009' });
  });

  it('reports a network failure as retryable', async () => {
    const closed = new WhatsappCloudSender({ accessToken: 't', phoneNumberId: '1', baseUrl: 'http://127.0.0.1:1' });
    expect(await closed.sendText('16505551234', 'hi')).toMatchObject({ ok: false, retryable: true, code: 'NETWORK' });
  });
});
