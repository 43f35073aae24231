/**
 * The LINE Messaging API adapter: the x-line-signature check (expected signatures computed here independently with
 * node:crypto), the webhook event objects of LINE's reference, the empty "Verify" request, the reply token kept in the
 * thread, the factory, fuzzing of verify + parse, and the reply / push sender against a loopback fake.
 *
 * Fixtures (test/fixtures/line/) are the examples of developers.line.biz/en/reference/messaging-api/ (Webhook event
 * objects); test/fixtures/line/SOURCES.md names each section.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lineSignature, lineSignatureMatches } from '../../shared/adapters/channels/line/line-signature.ts';
import { LINE_SECRET_KEYS, LineChannelAdapter, lineChannel } from '../../shared/adapters/channels/line/line.adapter.ts';
import { LINE_RETRY_KEY_NAMESPACE, LineSender, lineRetryKey, truncateText, uuidV5 } from '../../shared/adapters/channels/line/line.sender.ts';
import type { ChannelRequest, InboundMessage, ParseOutcome } from '../../shared/ports/channel.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'line');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const CHANNEL_SECRET = '8c570fa6dd201bb328f1c1eac23a96d8';
const adapter = new LineChannelAdapter({ channelSecret: CHANNEL_SECRET });

/** What LINE computes, written out independently of the adapter's own helper. */
const sign = (body: string, secret = CHANNEL_SECRET) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('base64');

function request(body: string, overrides: { method?: string; signature?: string | null; headers?: Record<string, string> } = {}): ChannelRequest {
  const signature = overrides.signature === undefined ? sign(body) : overrides.signature;
  return {
    method: overrides.method ?? 'POST',
    query: {},
    headers: overrides.headers ?? { 'content-type': 'application/json; charset=utf-8', ...(signature !== null ? { 'x-line-signature': signature } : {}) },
    body,
  };
}

function parsedAll(body: string): readonly InboundMessage[] {
  const outcome = adapter.parse(request(body));
  if (outcome.kind !== 'messages') throw new Error(`refused: ${outcome.message}`);
  return outcome.messages;
}

function parsed(body: string): InboundMessage {
  const messages = parsedAll(body);
  expect(messages).toHaveLength(1);
  return messages[0]!;
}

/** A webhook body around the given events (a compact factory for the cases the fixtures do not cover). */
function body(...events: Record<string, unknown>[]): string {
  return JSON.stringify({ destination: 'U0123456789abcdef0123456789abcdef', events });
}
const event = (overrides: Record<string, unknown> = {}) => ({
  type: 'message',
  mode: 'active',
  timestamp: 1700000000000,
  source: { type: 'user', userId: 'U0123456789abcdef0123456789abcd01' },
  webhookEventId: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
  deliveryContext: { isRedelivery: false },
  replyToken: 'r0123456789abcdef',
  message: { id: '500000000000000001', type: 'text', text: 'hello' },
  ...overrides,
});

describe('the LINE signature', () => {
  it('is base64(HMAC-SHA256(channel secret, raw body)), as node:crypto computes it', () => {
    const raw = fixture('text-group.json');
    expect(lineSignature(CHANNEL_SECRET, raw)).toBe(sign(raw));
    expect(lineSignature(CHANNEL_SECRET, raw)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('covers non-ASCII bodies as UTF-8 bytes', () => {
    const raw = body(event({ message: { id: '1', type: 'text', text: 'こんにちは 👋' } }));
    expect(lineSignature(CHANNEL_SECRET, raw)).toBe(createHmac('sha256', CHANNEL_SECRET).update(Buffer.from(raw, 'utf8')).digest('base64'));
    expect(adapter.verify(request(raw))).toEqual({ kind: 'ok' });
  });

  it('matches only the exact signature (any length, compared in constant time)', () => {
    const raw = '{"destination":"U1","events":[]}';
    const good = sign(raw);
    expect(lineSignatureMatches(CHANNEL_SECRET, raw, good)).toBe(true);
    expect(lineSignatureMatches(CHANNEL_SECRET, raw, good.slice(0, -2) + (good.at(-2) === 'A' ? 'B' : 'A') + '=')).toBe(false);
    expect(lineSignatureMatches(CHANNEL_SECRET, raw, good.slice(0, -1))).toBe(false);
    expect(lineSignatureMatches(CHANNEL_SECRET, raw, '')).toBe(false);
    expect(lineSignatureMatches(CHANNEL_SECRET, raw + ' ', good)).toBe(false);
  });
});

describe('verifying a LINE request', () => {
  const raw = fixture('text-group.json');

  it('accepts a correctly signed POST', () => {
    expect(adapter.verify(request(raw))).toEqual({ kind: 'ok' });
    expect(adapter.verify(request(raw, { headers: { 'X-Line-Signature': sign(raw) } }))).toEqual({ kind: 'ok' });
  });

  it.each([
    ['signed with another channel secret', { signature: sign(raw, 'another-secret') }],
    ['carrying a forged signature', { signature: Buffer.alloc(32).toString('base64') }],
    ['without the signature header', { signature: null }],
    ['with an empty signature', { signature: '' }],
    ['with a huge signature header', { signature: 'A'.repeat(10_000) }],
  ])('refuses a request %s with 401', (_what, overrides) => {
    expect(adapter.verify(request(raw, overrides))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it('refuses a body altered after signing', () => {
    const tampered = { ...request(raw), body: raw.replace('Good Morning', 'Good Evening') };
    expect(adapter.verify(tampered)).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it('refuses anything but POST', () => {
    expect(adapter.verify(request(raw, { method: 'GET' }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.METHOD_NOT_ALLOWED' });
  });
});

describe('parsing LINE webhook events (samples of the Messaging API reference)', () => {
  it('reads the documented group text message: the user is the sender, the group and reply token go in the thread', () => {
    expect(parsed(fixture('text-group.json'))).toEqual({
      channel: 'line',
      kind: 'text',
      sender: 'U4af4980629...',
      recipient: 'xxxxxxxxxx',
      dedupeId: 'line:01FZ74A0TDDPYRVKNK77XKC3ZR',
      sentAt: new Date(1462629479859),
      text: '@All @example Good Morning!! (love)',
      thread: { replyToken: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA', replyTokenAt: new Date(1462629479859).toISOString(), sourceType: 'group', groupId: 'Ca56f94637c...' },
    });
  });

  it('reads the documented image (content fetched by message id) and video (external URL)', () => {
    expect(parsed(fixture('image.json'))).toEqual({
      channel: 'line',
      kind: 'image',
      sender: 'U4af4980629...',
      recipient: 'xxxxxxxxxx',
      dedupeId: 'line:01FZ74A0TDDPYRVKNK77XKC3ZR',
      sentAt: new Date(1627356924513),
      mediaId: '354718705033693859',
      thread: { replyToken: '7840b71058e24a5d91f9b5726c7512c9', replyTokenAt: '2021-07-27T03:35:24.513Z' },
    });
    expect(parsed(fixture('video.json'))).toMatchObject({ kind: 'video', mediaId: '325708', url: 'https://example.com/original.mp4' });
  });

  it('reads the documented audio as voice, file, location and sticker', () => {
    expect(parsed(fixture('audio.json'))).toMatchObject({ kind: 'voice', mediaId: '325708' });
    expect(parsed(fixture('audio.json')).url).toBeUndefined();
    expect(parsed(fixture('file.json'))).toMatchObject({ kind: 'file', mediaId: '325708', title: 'file.txt' });
    expect(parsed(fixture('location.json'))).toMatchObject({ kind: 'location', location: { latitude: 35.67966, longitude: 139.73669, label: 'my location' }, description: '1-3 Kioicho, Chiyoda-ku, Tokyo, 102-8282 Japan' });
    expect(parsed(fixture('sticker.json'))).toMatchObject({ kind: 'image', title: 'sticker', description: '11537/52002738' });
  });

  it('reads the documented follow and unfollow as subscribe and unsubscribe', () => {
    expect(parsed(fixture('follow.json'))).toEqual({
      channel: 'line',
      kind: 'event',
      event: 'subscribe',
      eventName: 'follow',
      sender: 'U3d3edab4f36c6292e6d8a8131f141b8b',
      recipient: 'xxxxxxxxxx',
      dedupeId: 'line:01HMQGW40RZJPJM3RAJP7BHC2Q',
      sentAt: new Date(1705891467176),
      thread: { replyToken: '85cbe770fa8b4f45bbe077b1d4be4a36', replyTokenAt: new Date(1705891467176).toISOString() },
    });
    expect(parsed(fixture('follow.json').replace('"isUnblocked": false', '"isUnblocked": true'))).toMatchObject({ event: 'subscribe', eventKey: 'unblocked' });
    const unfollow = parsed(fixture('unfollow.json'));
    expect(unfollow).toMatchObject({ kind: 'event', event: 'unsubscribe', eventName: 'unfollow', sender: 'U4af4980629...' });
    // No reply token on an unfollow: nothing to carry.
    expect(unfollow.thread).toBeUndefined();
  });

  it('reads the documented postback as a click whose key is the data', () => {
    expect(parsed(fixture('postback.json'))).toMatchObject({ kind: 'event', event: 'click', eventName: 'postback', eventKey: 'storeId=12345', description: '2017-12-25T01:00', sender: 'U91eeaf62d...' });
  });

  it('accepts the console\'s "Verify" request (no events) with zero messages', () => {
    const raw = fixture('verify-empty.json');
    expect(adapter.verify(request(raw))).toEqual({ kind: 'ok' });
    expect(adapter.parse(request(raw))).toEqual({ kind: 'messages', messages: [] });
  });
});

describe('parsing LINE webhook events (edge cases)', () => {
  it('reads every event of a batch, skipping those that name no user', () => {
    const messages = parsedAll(
      body(
        event(),
        event({ type: 'join', source: { type: 'group', groupId: 'C1' }, webhookEventId: '01J0000000000000000000000A', message: undefined }),
        event({ webhookEventId: '01J0000000000000000000000B', message: { id: '2', type: 'text', text: 'second' } }),
      ),
    );
    expect(messages.map((m) => m.text)).toEqual(['hello', 'second']);
  });

  it('de-duplicates on webhookEventId, else on the message id', () => {
    expect(parsed(body(event())).dedupeId).toBe('line:01HZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(parsed(body(event({ webhookEventId: undefined }))).dedupeId).toBe('line:500000000000000001');
    // A redelivery carries the same webhookEventId: the same dedupe id.
    expect(parsed(body(event({ deliveryContext: { isRedelivery: true } }))).dedupeId).toBe('line:01HZZZZZZZZZZZZZZZZZZZZZZZ');
  });

  it('notes a multi-person chat in the thread, and keeps other events and message types as `other`', () => {
    expect(parsed(body(event({ source: { type: 'room', roomId: 'Ra8dbf4673c4c812cd491258042226c99', userId: 'U1' } }))).thread).toMatchObject({ sourceType: 'room', roomId: 'Ra8dbf4673c4c812cd491258042226c99' });
    expect(parsed(body(event({ type: 'unsend', message: undefined, unsend: { messageId: '1' } })))).toMatchObject({ kind: 'event', event: 'other', eventName: 'unsend' });
    expect(parsed(body(event({ message: { id: '3', type: 'hologram' } })))).toMatchObject({ kind: 'event', event: 'other', eventName: 'message:hologram' });
  });

  it.each([
    ['an empty body', ''],
    ['not JSON', 'events='],
    ['truncated JSON', fixture('text-group.json').slice(0, 100)],
    ['an array', '[]'],
    ['events that are not an array', JSON.stringify({ destination: 'U1', events: {} })],
    ['a timestamp that is a string', body(event({ timestamp: '1700000000000' }))],
    ['a timestamp beyond any date', body(event({ timestamp: 1e300 }))],
    ['a user id that is a number', body(event({ source: { type: 'user', userId: 42 } }))],
    ['a text that is a number', body(event({ message: { id: '1', type: 'text', text: 42 } }))],
    ['a message event without a message', body(event({ message: undefined }))],
    ['a group event without its group id', body(event({ source: { type: 'group', userId: 'U1' } }))],
    ['a location off the globe', body(event({ message: { id: '1', type: 'location', latitude: 95, longitude: 0 } }))],
    ['a postback without data', body(event({ type: 'postback', postback: {} }))],
    ['more than 500 events', body(...Array.from({ length: 501 }, () => event()))],
  ])('refuses %s with 400 WEBHOOK.MALFORMED', (_what, raw) => {
    expect(adapter.parse(request(raw))).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });

  it('acknowledges with an empty 200 and declares the documented capabilities', () => {
    expect(adapter.acknowledge()).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '' });
    expect(adapter.capabilities.maxText).toEqual({ length: 5000, unit: 'characters' });
    expect(adapter.capabilities.serviceWindowHours).toBeUndefined();
    expect(adapter.capabilities.syncReplyDeadlineMs).toBeUndefined();
    expect(adapter.capabilities.sendRatePerSecond).toBe(2000);
  });
});

/** A small seeded PRNG (mulberry32), so that a failing mutation can be replayed. */
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

const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, 1e308, 2 ** 64, -(2 ** 63), '', 'x', '1462629479859', '💥'.repeat(3), [], [1, 2], {}, { id: 1 }, true, false];

/** Truncations, flipped characters, values replaced by the wrong type, deleted keys and injected junk. */
function mutate(valid: string, random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  switch (Math.floor(random() * 5)) {
    case 0:
      return valid.slice(0, Math.floor(random() * valid.length));
    case 1: {
      const chars = [...valid];
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--) chars[Math.floor(random() * chars.length)] = String.fromCharCode(Math.floor(random() * 0x3000));
      return chars.join('');
    }
    case 2:
    case 3: {
      const root = JSON.parse(valid) as unknown;
      const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
      const walk = (node: unknown) => {
        if (Array.isArray(node)) {
          node.forEach((child, i) => {
            slots.push({ parent: node, key: i });
            walk(child);
          });
        } else if (node && typeof node === 'object') {
          for (const [k, child] of Object.entries(node)) {
            slots.push({ parent: node as Record<string, unknown>, key: k });
            walk(child);
          }
        }
      };
      walk(root);
      const slot = pick(slots);
      if (random() < 0.2 && !Array.isArray(slot.parent)) delete (slot.parent as Record<string, unknown>)[slot.key as string];
      else (slot.parent as Record<string | number, unknown>)[slot.key] = pick(ODD_VALUES);
      return JSON.stringify(root);
    }
    default: {
      const at = Math.floor(random() * valid.length);
      return valid.slice(0, at) + pick(['{', '}', '[', ']', '"', ',', ':', '\\', '\u0000', 'null', '1e999', '-0']) + valid.slice(at);
    }
  }
}

/** Every outcome is well formed: messages with a sender, a dedupe id and a real time, or a 400/401 refusal. */
function assertWellFormed(outcome: ParseOutcome): void {
  if (outcome.kind === 'refused') {
    expect([400, 401]).toContain(outcome.status);
    expect(outcome.message).not.toMatch(/could not be read/);
    return;
  }
  for (const message of outcome.messages) {
    expect(typeof message.sender === 'string' && message.sender.length > 0).toBe(true);
    expect(message.dedupeId).toMatch(/^line:./);
    expect(Number.isNaN(message.sentAt.getTime())).toBe(false);
    if (message.thread?.replyTokenAt) expect(Number.isNaN(Date.parse(message.thread.replyTokenAt))).toBe(false);
  }
}

describe('fuzzing verify and parse', () => {
  const samples = ['text-group.json', 'image.json', 'video.json', 'audio.json', 'file.json', 'location.json', 'sticker.json', 'follow.json', 'unfollow.json', 'postback.json'].map(fixture);

  it('never throws on 2,000 signed mutations of valid bodies and answers messages or a 400/401 refusal', () => {
    const random = prng(20260102);
    const counts = { messages: 0, refused: 0 };
    for (let i = 0; i < 2000; i++) {
      const raw = mutate(samples[i % samples.length]!, random);
      // Signed as LINE would sign it, so that parse sees the garbage; and unsigned / mis-signed, so that verify refuses it.
      expect(adapter.verify(request(raw))).toEqual({ kind: 'ok' });
      expect(adapter.verify(request(raw, { signature: sign(samples[0]!) }))).toMatchObject({ kind: 'refused', status: 401 });
      const outcome = adapter.parse(request(raw));
      assertWellFormed(outcome);
      counts[outcome.kind]++;
    }
    expect(counts.messages).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(100);
  });

  it('never throws on hostile requests (wrong types where strings belong)', () => {
    const random = prng(7);
    const weird: unknown[] = [undefined, null, 42, {}, [], 'x'];
    for (let i = 0; i < 200; i++) {
      const hostile = { method: weird[Math.floor(random() * weird.length)], query: {}, headers: weird[Math.floor(random() * weird.length)], body: weird[Math.floor(random() * weird.length)] } as unknown as ChannelRequest;
      expect(adapter.verify(hostile).kind).toBe('refused');
      expect(adapter.parse(hostile)).toMatchObject({ kind: 'refused', status: 400 });
    }
  });
});

describe('the LINE channel factory', () => {
  it('names the missing secrets, never their values', () => {
    expect(LINE_SECRET_KEYS).toEqual(['channelSecret', 'channelAccessToken']);
    expect(() => lineChannel({ secrets: {} })).toThrow('the LINE channel is missing secret(s): channelSecret, channelAccessToken');
    expect(() => lineChannel({ secrets: { channelSecret: 'SECRET-VALUE' } })).toThrow(/^the LINE channel is missing secret\(s\): channelAccessToken$/);
  });

  it('builds an adapter checking signatures with the channel secret, and a sender', () => {
    const { adapter: built, sender } = lineChannel({ secrets: { channelSecret: CHANNEL_SECRET, channelAccessToken: 'token' } });
    expect(built.verify(request(fixture('follow.json')))).toEqual({ kind: 'ok' });
    expect(built.verify(request(fixture('follow.json'), { signature: sign(fixture('follow.json'), 'other') }))).toMatchObject({ kind: 'refused' });
    expect(sender.channel).toBe('line');
  });
});

describe('retry keys and text limits', () => {
  it('computes RFC 9562 version-5 UUIDs (the Python documentation\'s uuid5(NAMESPACE_DNS, "python.org") example)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('derives one stable retry key per Kefu message id, and different keys for different ids', () => {
    const key = lineRetryKey('msg-0001');
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lineRetryKey('msg-0001')).toBe(key);
    expect(lineRetryKey('msg-0002')).not.toBe(key);
    // Independently: SHA-1 of namespace bytes ‖ name, version and variant bits set.
    const hash = createHash('sha1').update(Buffer.from(LINE_RETRY_KEY_NAMESPACE.replaceAll('-', ''), 'hex')).update('msg-0001').digest('hex');
    expect(key.replaceAll('-', '').slice(0, 12)).toBe(hash.slice(0, 12));
  });

  it('cuts a text over 5000 characters with an ellipsis, never inside a surrogate pair', () => {
    expect(truncateText('short', 5000)).toBe('short');
    const cut = truncateText('z'.repeat(6000), 5000);
    expect(cut).toHaveLength(5000);
    expect(cut.endsWith('…')).toBe(true);
    expect(truncateText('ab😀😀', 4)).toBe('ab…');
  });
});

describe('the reply / push sender', () => {
  let server: Server;
  let baseUrl: string;
  const calls: { method: string; url: string; headers: IncomingHttpHeaders; body: any }[] = [];
  let next: { status: number; body: unknown; headers?: Record<string, string> }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', () => {
        calls.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: data ? JSON.parse(data) : undefined });
        const answer = next.shift() ?? { status: 200, body: { sentMessages: [{ id: '461230966842064897', quoteToken: 'IStG5h1Tz7b...' }] } };
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
    next = [];
  });

  // The image fixture's event happened at 2021-07-27T03:35:24.513Z.
  const imageEvent = parsed(fixture('image.json'));
  const eventTime = imageEvent.sentAt.getTime();
  const sender = (secondsAfterEvent: number) => new LineSender({ channelAccessToken: 'ACCESS-TOKEN', baseUrl, now: () => new Date(eventTime + secondsAfterEvent * 1000) });
  const context = (thread = imageEvent.thread) => ({ messageId: 'kefu-msg-1', conversationId: 'conv-1', ...(thread ? { thread } : {}) });

  it('replies with the fresh reply token of the parsed event (free), with the access token', async () => {
    expect(await sender(10).sendText(imageEvent.sender, 'Thanks, got it', context())).toEqual({ ok: true, providerMessageId: '461230966842064897' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/v2/bot/message/reply', body: { replyToken: '7840b71058e24a5d91f9b5726c7512c9', messages: [{ type: 'text', text: 'Thanks, got it' }] } });
    expect(calls[0]!.headers.authorization).toBe('Bearer ACCESS-TOKEN');
    expect(calls[0]!.headers['x-line-retry-key']).toBeUndefined();
  });

  it('pushes with a retry key derived from the message id once the token is 50 s old', async () => {
    expect(await sender(50).sendText('U4af4980629...', 'Later answer', context())).toEqual({ ok: true, providerMessageId: '461230966842064897' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: '/v2/bot/message/push', body: { to: 'U4af4980629...', messages: [{ type: 'text', text: 'Later answer' }] } });
    expect(calls[0]!.headers['x-line-retry-key']).toBe(lineRetryKey('kefu-msg-1'));
    expect(calls[0]!.headers.authorization).toBe('Bearer ACCESS-TOKEN');
  });

  it('pushes when there is no thread, and sends the same retry key on a retry of the same message', async () => {
    await sender(0).sendText('U1', 'a', { messageId: 'm-7', conversationId: 'c' });
    await sender(0).sendText('U1', 'a', { messageId: 'm-7', conversationId: 'c' });
    expect(calls.map((c) => c.url)).toEqual(['/v2/bot/message/push', '/v2/bot/message/push']);
    expect(calls[0]!.headers['x-line-retry-key']).toBe(calls[1]!.headers['x-line-retry-key']);
  });

  it('falls back to push when LINE calls the reply token invalid', async () => {
    next = [{ status: 400, body: { message: 'Invalid reply token' } }];
    expect(await sender(5).sendText('U4af4980629...', 'hi', context())).toMatchObject({ ok: true });
    expect(calls.map((c) => c.url)).toEqual(['/v2/bot/message/reply', '/v2/bot/message/push']);
  });

  it('does not push after a reply refused for another reason', async () => {
    next = [{ status: 400, body: { message: 'The request body has 1 error(s)', details: [{ message: 'May not be empty', property: 'messages[0].text' }] } }];
    expect(await sender(5).sendText('U1', 'hi', context())).toEqual({ ok: false, retryable: false, code: 'LINE_400', message: 'The request body has 1 error(s)' });
    expect(calls).toHaveLength(1);
  });

  it('pushes to the group the conversation last spoke in', async () => {
    const group = parsed(fixture('text-group.json'));
    await sender(0).sendText(group.sender, 'hello group', context(group.thread));
    expect(calls[0]).toMatchObject({ url: '/v2/bot/message/push', body: { to: 'Ca56f94637c...' } });
  });

  it('treats 409 for an already accepted retry key as sent', async () => {
    next = [{ status: 409, body: { message: 'The retry key is already accepted', sentMessages: [{ id: '1' }] }, headers: { 'x-line-accepted-request-id': 'accepted-req-1' } }];
    expect(await sender(0).sendText('U1', 'x', { messageId: 'm', conversationId: 'c' })).toEqual({ ok: true, providerMessageId: 'accepted-req-1' });
  });

  it('reports 429 and 5xx as retryable, 400 and 403 as not', async () => {
    next = [
      { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '2' } },
      { status: 500, body: { message: 'Internal server error' } },
      { status: 400, body: { message: 'Failed to send messages' } },
      { status: 403, body: { message: 'Access to this API is not available for your account' } },
    ];
    const send = () => sender(0).sendText('U1', 'x', { messageId: 'm', conversationId: 'c' });
    expect(await send()).toEqual({ ok: false, retryable: true, code: 'LINE_429', message: 'Too many requests', retryAfterMs: 2000 });
    expect(await send()).toEqual({ ok: false, retryable: true, code: 'LINE_500', message: 'Internal server error' });
    expect(await send()).toEqual({ ok: false, retryable: false, code: 'LINE_400', message: 'Failed to send messages' });
    expect(await send()).toEqual({ ok: false, retryable: false, code: 'LINE_403', message: 'Access to this API is not available for your account' });
  });

  it('cuts a text over 5000 characters before sending', async () => {
    await sender(0).sendText('U1', 'q'.repeat(7000));
    expect(calls[0]!.body.messages[0].text).toHaveLength(5000);
    expect(calls[0]!.headers['x-line-retry-key']).toBeUndefined();
  });

  it('reports an unreachable API as a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const result = await new LineSender({ channelAccessToken: 't', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 }).sendText('U1', 'x');
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'NETWORK' });
  });

  it('is what the factory builds, pointed at apiBaseUrl and using its clock', async () => {
    const { sender: built } = lineChannel({ secrets: { channelSecret: 's', channelAccessToken: 'FACTORY-TOKEN' }, apiBaseUrl: baseUrl, now: () => new Date(eventTime + 1000) });
    expect(await built.sendText('U1', 'x', context())).toMatchObject({ ok: true });
    expect(calls[0]).toMatchObject({ url: '/v2/bot/message/reply' });
    expect(calls[0]!.headers.authorization).toBe('Bearer FACTORY-TOKEN');
  });
});
