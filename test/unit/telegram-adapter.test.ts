/**
 * The Telegram Bot API adapter: the webhook secret token, the Update shapes (messages of every kind, edits, block /
 * unblock, button presses, anything else), the factory, fuzzing of verify + parse, and the sendMessage sender against
 * a loopback fake of the Bot API.
 *
 * Fixtures (test/fixtures/telegram/) are Telegram's own sample updates from core.telegram.org/bots/webhooks where it
 * has one, else written from the Bot API field lists; test/fixtures/telegram/SOURCES.md says which is which.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { secretMatches, TELEGRAM_SECRET_KEYS, TelegramChannelAdapter, telegramChannel } from '../../shared/adapters/channels/telegram/telegram.adapter.ts';
import { TelegramSender, truncateText } from '../../shared/adapters/channels/telegram/telegram.sender.ts';
import type { ChannelAdapter, ChannelRequest, InboundMessage, ParseOutcome } from '../../shared/ports/channel.ts';

const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'telegram');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const SECRET = 'kefu_Webhook-Secret_0123456789';
const NOW = new Date('2026-01-02T03:04:05Z');
const adapter = new TelegramChannelAdapter({ secretToken: SECRET, botId: '7000000001', now: () => NOW });

function request(body: string, overrides: { method?: string; headers?: Record<string, string> } = {}): ChannelRequest {
  return { method: overrides.method ?? 'POST', query: {}, headers: overrides.headers ?? { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body };
}

function parsed(body: string): InboundMessage {
  const outcome = adapter.parse(request(body));
  if (outcome.kind !== 'messages') throw new Error(`refused: ${outcome.message}`);
  expect(outcome.messages).toHaveLength(1);
  return outcome.messages[0]!;
}

/** A text update with its message fields overridden (a compact factory for the cases the fixtures do not cover). */
function update(message: Record<string, unknown>, updateId = 20000): string {
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: 1, date: 1441645532, chat: { id: 1111111, type: 'private', first_name: 'Test' }, from: { id: 1111111, is_bot: false, first_name: 'Test' }, ...message },
  });
}

describe('the Telegram secret token', () => {
  it('accepts a POST carrying the configured secret token', () => {
    expect(adapter.verify(request('{}'))).toEqual({ kind: 'ok' });
  });

  it('finds the header whatever its case', () => {
    expect(adapter.verify(request('{}', { headers: { 'X-Telegram-Bot-Api-Secret-Token': SECRET } }))).toEqual({ kind: 'ok' });
  });

  it.each([
    ['a wrong token', 'not-the-secret'],
    ['a prefix of the token', SECRET.slice(0, -1)],
    ['the token and more', `${SECRET}x`],
    ['the token in another case', SECRET.toUpperCase()],
  ])('refuses %s with 401 WEBHOOK.SIGNATURE_INVALID', (_what, token) => {
    expect(adapter.verify(request('{}', { headers: { 'x-telegram-bot-api-secret-token': token } }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it('refuses a request without the header', () => {
    expect(adapter.verify(request('{}', { headers: { 'content-type': 'application/json' } }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
    expect(adapter.verify(request('{}', { headers: { 'x-telegram-bot-api-secret-token': '' } }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.SIGNATURE_INVALID' });
  });

  it('refuses anything but POST, even with the right token', () => {
    expect(adapter.verify(request('{}', { method: 'GET' }))).toMatchObject({ kind: 'refused', status: 401, code: 'WEBHOOK.METHOD_NOT_ALLOWED' });
  });

  it('compares through fixed-length digests (equal strings only)', () => {
    expect(secretMatches('abc', 'abc')).toBe(true);
    expect(secretMatches('abc', 'abd')).toBe(false);
    expect(secretMatches('abc', '')).toBe(false);
    expect(secretMatches('abc', 'abcabc')).toBe(false);
  });

  it('rejects a configured secret that setWebhook would not take', () => {
    expect(() => new TelegramChannelAdapter({ secretToken: 'has spaces' })).toThrow(/secret token/);
    expect(() => new TelegramChannelAdapter({ secretToken: 'x'.repeat(257) })).toThrow(/secret token/);
    expect(() => new TelegramChannelAdapter({ secretToken: '' })).toThrow(/secret token/);
  });
});

describe('parsing Telegram updates (samples of core.telegram.org/bots/webhooks)', () => {
  it('reads the documented text message: chat id as sender, update id as dedupe id, names as profile', () => {
    expect(parsed(fixture('text.json'))).toEqual({
      channel: 'telegram',
      kind: 'text',
      sender: '1111111',
      recipient: '7000000001',
      dedupeId: 'tg:10000',
      sentAt: new Date(1441645532 * 1000),
      text: '/start',
      profile: { displayName: 'Test Firstname Test Lastname' },
    });
  });

  it('reads the documented edited message as the new text of that chat', () => {
    expect(parsed(fixture('edited-message.json'))).toMatchObject({ kind: 'text', text: 'Edited text', sender: '1111111', dedupeId: 'tg:10000' });
  });

  it('reads the documented voice message and document', () => {
    expect(parsed(fixture('voice.json'))).toMatchObject({ kind: 'voice', mediaId: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX' });
    expect(parsed(fixture('document.json'))).toMatchObject({ kind: 'file', mediaId: 'AwADBAADbXXXXXXXXXXXGBdhD2l6_XX', title: 'Testfile.pdf' });
  });

  it('reads the documented callback query as a click whose key is the button data', () => {
    expect(parsed(fixture('callback-query.json'))).toEqual({
      channel: 'telegram',
      kind: 'event',
      event: 'click',
      eventName: 'callback_query',
      eventKey: 'Data from button callback',
      sender: '1111111',
      recipient: '7000000001',
      dedupeId: 'tg:10000',
      sentAt: NOW,
      profile: { displayName: 'Test Firstname Test Lastname' },
      thread: { callbackQueryId: '4382bfdwdsb323b2d9' },
    });
  });

  it('answers a callback query to the chat of the message that held the button', () => {
    const body = JSON.stringify({ update_id: 5, callback_query: { id: 'q1', from: { id: 42, first_name: 'Ann' }, message: { message_id: 9, date: 1, chat: { id: -100777, type: 'supergroup', title: 'G' } }, chat_instance: 'c', data: 'refund:yes' } });
    expect(parsed(body)).toMatchObject({ sender: '-100777', eventKey: 'refund:yes', profile: { displayName: 'Ann' } });
  });

  it('maps the documented inline query (and any other update) to an `other` event from its user', () => {
    expect(parsed(fixture('inline-query.json'))).toMatchObject({ kind: 'event', event: 'other', eventName: 'inline_query', sender: '1111111', dedupeId: 'tg:10000', sentAt: NOW });
  });

  it('gives the same dedupe id to a redelivered update and different ids to different updates', () => {
    const text = fixture('text.json');
    expect(parsed(text).dedupeId).toBe(parsed(text).dedupeId);
    expect(parsed(text.replace('"update_id":10000', '"update_id":10001')).dedupeId).toBe('tg:10001');
  });
});

describe('parsing Telegram updates (written from the Bot API field lists)', () => {
  it('takes the largest size of a photo, with its caption', () => {
    expect(parsed(fixture('photo.json'))).toMatchObject({ kind: 'image', mediaId: 'AgACAgQAAxkBAAIBlarge', text: 'Is this the right charger?', dedupeId: 'tg:10001' });
  });

  it('reads a user blocking the bot as unsubscribe, and unblocking as subscribe', () => {
    expect(parsed(fixture('my-chat-member-blocked.json'))).toMatchObject({ kind: 'event', event: 'unsubscribe', eventName: 'my_chat_member', eventKey: 'kicked', sender: '1111111', sentAt: new Date(1441646000 * 1000) });
    const unblocked = fixture('my-chat-member-blocked.json').replace('"status": "kicked"', '"status": "member"').replace('"status": "member" }', '"status": "kicked" }');
    expect(parsed(unblocked)).toMatchObject({ event: 'subscribe', eventKey: 'member' });
  });

  it('makes a group chat the customer and names the member who wrote', () => {
    expect(parsed(fixture('group-text.json'))).toMatchObject({
      kind: 'text',
      sender: '-1001234567890',
      text: 'Where is my order?',
      profile: { displayName: 'Test Firstname Test Lastname' },
      thread: { chatType: 'supergroup', fromId: '1111111' },
    });
  });

  it('reads location, venue, video, video note, audio and sticker', () => {
    expect(parsed(update({ location: { latitude: 52.52, longitude: 13.405 } }))).toMatchObject({ kind: 'location', location: { latitude: 52.52, longitude: 13.405 } });
    expect(parsed(update({ venue: { location: { latitude: 1.5, longitude: 2.5 }, title: 'Shop', address: 'Main St 1' } }))).toMatchObject({ kind: 'location', location: { latitude: 1.5, longitude: 2.5, label: 'Shop' }, description: 'Main St 1' });
    expect(parsed(update({ video: { file_id: 'vid', width: 1, height: 1, duration: 3 } }))).toMatchObject({ kind: 'video', mediaId: 'vid' });
    expect(parsed(update({ video_note: { file_id: 'round', length: 240, duration: 3 } }))).toMatchObject({ kind: 'video', mediaId: 'round' });
    expect(parsed(update({ audio: { file_id: 'song', duration: 243, title: 'Test music file' } }))).toMatchObject({ kind: 'file', mediaId: 'song', title: 'Test music file' });
    expect(parsed(update({ sticker: { file_id: 'stk', emoji: '👍', width: 512, height: 512, is_animated: false, is_video: false, type: 'regular' } }))).toMatchObject({ kind: 'image', title: 'sticker', mediaId: 'stk', description: '👍' });
  });

  it('takes a shared contact as verified phone only when it is the sender\'s own', () => {
    const own = parsed(update({ contact: { phone_number: '+4915112345678', first_name: 'Test', user_id: 1111111 } }));
    expect(own).toMatchObject({ kind: 'text', title: 'contact', text: 'Test: +4915112345678', profile: { displayName: 'Test', phone: '+4915112345678', verified: ['phone'] } });
    const someoneElse = parsed(update({ contact: { phone_number: '+4915100000000', first_name: 'Bob', user_id: 222 } }));
    expect(someoneElse.text).toBe('Bob: +4915100000000');
    expect(someoneElse.profile).toEqual({ displayName: 'Test' });
  });

  it('keeps a service message as an `other` event and an update without a sender as nothing', () => {
    expect(parsed(update({ new_chat_members: [{ id: 5, first_name: 'X' }] }))).toMatchObject({ kind: 'event', event: 'other', eventName: 'message' });
    expect(adapter.parse(request(JSON.stringify({ update_id: 9, poll: { id: 'p', question: 'q', options: [] } })))).toEqual({ kind: 'messages', messages: [] });
    expect(adapter.parse(request(JSON.stringify({ update_id: 9 })))).toEqual({ kind: 'messages', messages: [] });
  });

  it.each([
    ['an empty body', ''],
    ['not JSON', 'update_id=1'],
    ['truncated JSON', fixture('text.json').slice(0, 60)],
    ['an array', '[]'],
    ['a missing update_id', JSON.stringify({ message: { date: 1, chat: { id: 1 }, text: 'x' } })],
    ['a string update_id', JSON.stringify({ update_id: '1', message: { date: 1, chat: { id: 1 }, text: 'x' } })],
    ['a negative update_id', JSON.stringify({ update_id: -1 })],
    ['a chat id beyond 2^53', update({ chat: { id: 1e20, type: 'private' } })],
    ['a chat id that is a string', update({ chat: { id: '1111111', type: 'private' } })],
    ['a text that is a number', update({ text: 42 })],
    ['a date that is a string', update({ date: '1441645532' })],
    ['an empty photo array', update({ photo: [] })],
    ['a location off the globe', update({ location: { latitude: 91, longitude: 0 } })],
    ['a message that is a string', JSON.stringify({ update_id: 1, message: 'hi' })],
    ['a body over 256 KiB', update({ text: 'x'.repeat(300 * 1024) })],
  ])('refuses %s with 400 WEBHOOK.MALFORMED', (_what, body) => {
    expect(adapter.parse(request(body))).toMatchObject({ kind: 'refused', status: 400, code: 'WEBHOOK.MALFORMED' });
  });

  it('acknowledges with an empty 200 and declares the documented capabilities', () => {
    expect(adapter.acknowledge()).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '' });
    expect(adapter.capabilities.maxText).toEqual({ length: 4096, unit: 'characters' });
    expect(adapter.capabilities.serviceWindowHours).toBeUndefined();
    expect(adapter.capabilities.syncReplyDeadlineMs).toBeUndefined();
    expect(adapter.capabilities.sendRatePerSecond).toBe(25);
    expect((adapter as ChannelAdapter).reply).toBeUndefined();
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

const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, 1e308, 2 ** 64, -(2 ** 63), '', 'x', '1441645532', '💥'.repeat(3), [], [1, 2], {}, { id: 1 }, true, false];

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
    expect(message.dedupeId).toMatch(/^tg:\d+$/);
    expect(Number.isNaN(message.sentAt.getTime())).toBe(false);
  }
}

describe('fuzzing verify and parse', () => {
  const samples = ['text.json', 'edited-message.json', 'voice.json', 'document.json', 'callback-query.json', 'inline-query.json', 'photo.json', 'my-chat-member-blocked.json', 'group-text.json'].map(fixture);

  it('never throws on 2,000 mutations of valid updates and answers messages or a 400/401 refusal', () => {
    const random = prng(20260102);
    const counts = { messages: 0, refused: 0 };
    for (let i = 0; i < 2000; i++) {
      const body = mutate(samples[i % samples.length]!, random);
      const verified = adapter.verify(request(body));
      expect(verified).toEqual({ kind: 'ok' });
      const outcome = adapter.parse(request(body));
      assertWellFormed(outcome);
      counts[outcome.kind]++;
    }
    // Both branches were exercised, so the loop tested something.
    expect(counts.messages).toBeGreaterThan(100);
    expect(counts.refused).toBeGreaterThan(100);
  });

  it('never throws on hostile requests (wrong types where strings belong)', () => {
    const random = prng(7);
    const weird: unknown[] = [undefined, null, 42, {}, [], 'x'];
    for (let i = 0; i < 200; i++) {
      const hostile = { method: weird[Math.floor(random() * weird.length)], query: {}, headers: weird[Math.floor(random() * weird.length)], body: weird[Math.floor(random() * weird.length)] } as unknown as ChannelRequest;
      const verified = adapter.verify(hostile);
      expect(verified.kind).toBe('refused');
      const outcome = adapter.parse(hostile);
      expect(outcome).toMatchObject({ kind: 'refused', status: 400 });
    }
  });
});

describe('the Telegram channel factory', () => {
  it('names the missing secrets, never their values', () => {
    expect(TELEGRAM_SECRET_KEYS).toEqual(['botToken', 'secretToken']);
    expect(() => telegramChannel({ secrets: {} })).toThrow('the Telegram channel is missing secret(s): botToken, secretToken');
    let message = '';
    try {
      telegramChannel({ secrets: { botToken: '123:SECRET-VALUE' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('the Telegram channel is missing secret(s): secretToken');
    expect(message).not.toContain('SECRET-VALUE');
  });

  it('builds an adapter that knows the bot id from the token, and a sender', () => {
    const { adapter: built, sender } = telegramChannel({ secrets: { botToken: '7000000001:AAH-abc', secretToken: SECRET }, now: () => NOW });
    expect(built.verify(request('{}'))).toEqual({ kind: 'ok' });
    const outcome = built.parse(request(fixture('text.json')));
    expect(outcome.kind === 'messages' && outcome.messages[0]!.recipient).toBe('7000000001');
    expect(sender.channel).toBe('telegram');
  });
});

describe('truncating to the 4096-character limit', () => {
  it('keeps short texts and cuts long ones with an ellipsis, never inside a surrogate pair', () => {
    expect(truncateText('hello', 4096)).toBe('hello');
    const cut = truncateText('a'.repeat(5000), 4096);
    expect(cut).toHaveLength(4096);
    expect(cut.endsWith('…')).toBe(true);
    // '😀' is two UTF-16 code units: a cut that would split it drops it whole.
    const emoji = truncateText('a' + '😀'.repeat(10), 5);
    expect(emoji).toBe('a😀…');
    expect(emoji.length).toBeLessThanOrEqual(5);
  });
});

describe('the sendMessage sender', () => {
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
        const answer = next.shift() ?? { status: 200, body: { ok: true, result: { message_id: 101, date: 1, chat: { id: 1, type: 'private' } } } };
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

  const sender = () => new TelegramSender({ botToken: '123456:ABC-DEF1234ghIkl', baseUrl });

  it('posts { chat_id, text } to /bot<token>/sendMessage and returns the message id', async () => {
    expect(await sender().sendText('1111111', 'Your parcel is on its way')).toEqual({ ok: true, providerMessageId: '101' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'POST', url: '/bot123456:ABC-DEF1234ghIkl/sendMessage', body: { chat_id: '1111111', text: 'Your parcel is on its way' } });
    expect(calls[0]!.headers['content-type']).toMatch(/application\/json/);
  });

  it('cuts a text over 4096 characters before sending', async () => {
    await sender().sendText('1', 'y'.repeat(5000));
    expect(calls[0]!.body.text).toHaveLength(4096);
    expect(calls[0]!.body.text.endsWith('…')).toBe(true);
  });

  it('reports 429 as retryable after parameters.retry_after', async () => {
    next = [{ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } }];
    expect(await sender().sendText('1', 'hi')).toEqual({ ok: false, retryable: true, code: 'TELEGRAM_429', message: 'Too Many Requests: retry after 7', retryAfterMs: 7000 });
  });

  it('falls back to the Retry-After header when the body has no retry_after', async () => {
    next = [{ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests' }, headers: { 'retry-after': '3' } }];
    expect(await sender().sendText('1', 'hi')).toMatchObject({ retryable: true, retryAfterMs: 3000 });
  });

  it('reports a blocked bot (403) and an unknown chat (400) as not retryable', async () => {
    next = [
      { status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } },
      { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } },
    ];
    expect(await sender().sendText('1', 'hi')).toEqual({ ok: false, retryable: false, code: 'TELEGRAM_403', message: 'Forbidden: bot was blocked by the user' });
    expect(await sender().sendText('2', 'hi')).toEqual({ ok: false, retryable: false, code: 'TELEGRAM_400', message: 'Bad Request: chat not found' });
  });

  it('reports a server error as retryable', async () => {
    next = [{ status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }];
    expect(await sender().sendText('1', 'hi')).toMatchObject({ ok: false, retryable: true, code: 'TELEGRAM_502' });
  });

  it('reports an unreachable API as a retryable network error without the token in the message', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const result = await new TelegramSender({ botToken: '123456:SECRET', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 }).sendText('1', 'hi');
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'NETWORK' });
    expect(JSON.stringify(result)).not.toContain('SECRET');
  });

  it('is what the factory builds, pointed at apiBaseUrl', async () => {
    const { sender: built } = telegramChannel({ secrets: { botToken: '42:TOKEN', secretToken: SECRET }, apiBaseUrl: baseUrl });
    expect(await built.sendText('5', 'x')).toMatchObject({ ok: true });
    expect(calls[0]!.url).toBe('/bot42:TOKEN/sendMessage');
  });
});
