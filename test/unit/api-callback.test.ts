/**
 * The REST API channel's callback sender against a loopback fake receiver: the payload and its signature (recomputed
 * here with node:crypto, independently of the sender), Kefu-Delivery, and how each answer is classified (2xx ok; 429 /
 * 5xx / network retryable with Retry-After; other 4xx final; revoked or callback-less keys not configured). Also the
 * admin's callback URL rules and the secret shown once.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallbackSender, apiCallbackChannel } from '../../shared/adapters/channels/api/api-callback.sender.ts';
import { makeApiKeyAdmin } from '../../shared/application/api-channel.use-cases.ts';
import { callbackUrlProblem, type ApiKeyRecord } from '../../shared/domain/channels/api-keys.ts';
import type { ApiKeyStore } from '../../shared/ports/api-keys.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';

const NOW = new Date('2026-03-04T05:06:07.000Z');
const SECRET = 'c2VjcmV0LW9mLXRoZS1jYWxsYmFjay1mb3ItdGVzdHMx';
const HOOK = '/kefu/hook';

let receiver: FakeChannelApi;
const keys = new Map<string, ApiKeyRecord>();
const store: Pick<ApiKeyStore, 'get'> = { get: async (keyId) => keys.get(keyId) };
let n = 0;

function key(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const record: ApiKeyRecord = {
    keyId: `${(n++).toString(16).padStart(16, '0')}`,
    name: 'shop',
    owner: 'shop-eu',
    hash: '0'.repeat(64),
    prefix: 'kefu_0000000',
    ratePerMinute: 60,
    createdAt: NOW.toISOString(),
    createdBy: 'admin',
    callbackUrl: `${receiver.url}${HOOK}`,
    callbackSecret: SECRET,
    ...overrides,
  };
  keys.set(record.keyId, record);
  return record;
}

const sender = new ApiCallbackSender({ keys: store, now: () => NOW });
const context = (apiKeyId: string, messageId = `msg_${n++}`) => ({ messageId, conversationId: 'conv_1', thread: { apiKeyId, push: '1' } });

beforeAll(async () => {
  receiver = await new FakeChannelApi().route('POST', HOOK, () => ({ status: 200, body: { received: true } })).start();
});
afterAll(async () => receiver.stop());

describe('the API callback sender', () => {
  it('POSTs the reply as JSON, signed with HMAC-SHA256 over "<t>.<raw body>", with Kefu-Delivery = the message id', async () => {
    // Prepare
    const k = key();
    const ctx = context(k.keyId);
    const before = receiver.calls.length;
    // Act
    const result = await sender.sendText('shop-eu:cust:42', '您的包裹明天到', ctx);
    // Assess
    expect(result).toEqual({ ok: true });
    const call = receiver.calls.slice(before).find((c) => c.path === HOOK)!;
    expect(call.json).toEqual({ type: 'message', conversationId: 'conv_1', customerExternalId: 'cust:42', message: { id: ctx.messageId, text: '您的包裹明天到' }, sentAt: NOW.toISOString() });
    expect(call.headers['kefu-delivery']).toBe(ctx.messageId);
    expect(call.headers['content-type']).toBe('application/json');
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(call.headers['kefu-signature'] ?? '');
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBe(Math.floor(NOW.getTime() / 1000));
    const expected = createHmac('sha256', SECRET).update(`${match![1]}.${call.text}`).digest('hex');
    expect(match![2]).toBe(expected);
    const tampered = createHmac('sha256', SECRET).update(`${match![1]}.${call.text.replace('明天', '今天')}`).digest('hex');
    expect(match![2]).not.toBe(tampered);
  });

  it('classifies answers: 429 and 5xx retryable (Retry-After honoured), other 4xx final CALLBACK_<status>', async () => {
    // Prepare
    const k = key();
    receiver.failNext('POST', HOOK, 1, { status: 429, headers: { 'retry-after': '7' } });
    receiver.failNext('POST', HOOK, 1, { status: 503 });
    receiver.failNext('POST', HOOK, 1, { status: 410 });
    receiver.failNext('POST', HOOK, 1, { status: 400 });
    // Act
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await sender.sendText('shop-eu:c', 'hi', context(k.keyId)));
    // Assess
    expect(results[0]).toMatchObject({ ok: false, retryable: true, code: 'CALLBACK_429', retryAfterMs: 7000 });
    expect(results[1]).toMatchObject({ ok: false, retryable: true, code: 'CALLBACK_503' });
    expect(results[1]).not.toHaveProperty('retryAfterMs');
    expect(results[2]).toMatchObject({ ok: false, retryable: false, code: 'CALLBACK_410' });
    expect(results[3]).toMatchObject({ ok: false, retryable: false, code: 'CALLBACK_400' });
    expect(results[4]).toEqual({ ok: true });
  });

  it('treats a network failure and a timeout as retryable', async () => {
    // Prepare
    const closed = await new FakeChannelApi().start();
    await closed.stop();
    const unreachable = key({ callbackUrl: `${closed.url}${HOOK}` });
    // A receiver that never answers: only the sender's abort signal ends the call.
    const neverAnswers = (async (_url: unknown, init?: RequestInit) => new Promise<Response>((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)))) as typeof fetch;
    const impatient = new ApiCallbackSender({ keys: store, now: () => NOW, timeoutMs: 50, fetch: neverAnswers });
    const slowKey = key();
    // Act
    const network = await sender.sendText('shop-eu:c', 'hi', context(unreachable.keyId));
    const timedOut = await impatient.sendText('shop-eu:c', 'hi', context(slowKey.keyId));
    // Assess
    expect(network).toMatchObject({ ok: false, retryable: true, code: 'CALLBACK.NETWORK' });
    expect(timedOut).toMatchObject({ ok: false, retryable: true, code: 'CALLBACK.NETWORK' });
  });

  it('sends nothing for a revoked key, a key without callback, an unknown key or no thread (CALLBACK.NOT_CONFIGURED)', async () => {
    // Prepare
    const revoked = key({ revokedAt: NOW.toISOString(), revokedBy: 'admin' });
    const { callbackUrl: _u, callbackSecret: _s, ...plain } = key();
    keys.set(plain.keyId, plain);
    const before = receiver.calls.length;
    // Act
    const results = await Promise.all([
      sender.sendText('shop-eu:c', 'hi', context(revoked.keyId)),
      sender.sendText('shop-eu:c', 'hi', context(plain.keyId)),
      sender.sendText('shop-eu:c', 'hi', context('ffffffffffffffff')),
      sender.sendText('shop-eu:c', 'hi', { messageId: 'msg_x', conversationId: 'conv_1' }),
    ]);
    // Assess
    expect(results.map((r) => !r.ok && [r.retryable, r.code])).toEqual(Array.from({ length: 4 }, () => [false, 'CALLBACK.NOT_CONFIGURED']));
    expect(receiver.calls.length).toBe(before);
  });

  it('declares 10,000 characters, no service window, 20 sends a second', () => {
    const { capabilities } = apiCallbackChannel({ keys: store });
    expect(capabilities).toMatchObject({ maxText: { length: 10_000, unit: 'characters' }, sendRatePerSecond: 20 });
    expect(capabilities.serviceWindowHours).toBeUndefined();
  });
});

describe('callback URLs of new keys', () => {
  it('takes https anywhere, and http only to 127.0.0.1 / localhost on the local stage', () => {
    expect(callbackUrlProblem('https://shop.example.com/kefu', false)).toBeUndefined();
    expect(callbackUrlProblem('http://127.0.0.1:8080/hook', true)).toBeUndefined();
    expect(callbackUrlProblem('http://localhost/hook', true)).toBeUndefined();
    expect(callbackUrlProblem('http://127.0.0.1:8080/hook', false)).toBeDefined();
    expect(callbackUrlProblem('http://shop.example.com/hook', true)).toBeDefined();
    expect(callbackUrlProblem('ftp://shop.example.com/hook', true)).toBeDefined();
    expect(callbackUrlProblem('https://user:pw@shop.example.com/hook', false)).toBeDefined();
    expect(callbackUrlProblem('not a url', true)).toBeDefined();
  });

  it('shows a 32-byte base64url callback secret once, stores it with the key, and refuses a bad URL', async () => {
    // Prepare
    const stored: ApiKeyRecord[] = [];
    const keyStore = { create: async (r: ApiKeyRecord) => (stored.push(r), true), get: async () => undefined, list: async () => stored, revoke: async () => undefined, touch: async () => undefined } satisfies ApiKeyStore;
    const admin = makeApiKeyAdmin({ keys: keyStore, clock: { now: () => NOW }, allowLoopbackHttpCallback: false });
    // Act
    const withCallback = await admin.create({ name: 'shop', callbackUrl: 'https://shop.example.com/kefu' }, 'admin');
    const without = await admin.create({ name: 'app' }, 'admin');
    const refused = await admin.create({ name: 'bad', callbackUrl: 'http://127.0.0.1/hook' }, 'admin').catch((e: unknown) => e);
    const listed = await admin.list();
    // Assess
    expect(withCallback.callbackSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(withCallback.callbackSecret!, 'base64url')).toHaveLength(32);
    expect(withCallback.callbackUrl).toBe('https://shop.example.com/kefu');
    expect(stored[0]).toMatchObject({ callbackUrl: 'https://shop.example.com/kefu', callbackSecret: withCallback.callbackSecret });
    expect(without).not.toHaveProperty('callbackSecret');
    expect(without).not.toHaveProperty('callbackUrl');
    expect(refused).toMatchObject({ code: 'REQUEST.VALIDATION_FAILED' });
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toContain(withCallback.callbackSecret!);
  });
});
