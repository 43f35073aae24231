/**
 * The REST API channel over HTTP on the local runtime: an admin creates a key (shown once), the company's app posts
 * messages with it and polls the bot's reply; wrong, revoked and missing keys are 401 and store nothing; a key over its
 * requests per minute gets 429 with Retry-After and stores nothing; bad bodies are 400 and store nothing; an agent
 * cannot manage keys; keys of another owner cannot read the conversation; 转人工 puts it in the agents' queue; a key
 * with a callback URL gets the bot's replies pushed, signed, by the channel outbox (a loopback fake receives them).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationStore, customerDirectory } from '../../shared/adapters/wiring/storage.ts';
import { customerIdForIdentity } from '../../shared/application/channel-intake.use-cases.ts';
import { FakeChannelApi } from '../support/fake-channel-api.ts';
import { startPlatform, type Platform } from '../support/local-platform.ts';

const MESSAGES = '/v1/channels/api/messages';
const KEYS = '/v1/admin/api-keys';

let platform: Platform;
let adminToken: string;
let shopKey: string;
let counter = 0;
let receiver: FakeChannelApi;
const HOOK = '/shop/kefu-hook';

const externalId = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}`;
const clientMessageId = () => `m-${Date.now()}-${counter++}`;
const customerOf = (id: string, owner = 'default') => customerDirectory().get(customerIdForIdentity('api', `${owner}:${id}`));

/** A raw call, to see the response headers too. */
async function call(method: string, path: string, options: { key?: string; header?: 'authorization' | 'x-api-key'; body?: unknown } = {}) {
  const headers: Record<string, string> = options.body !== undefined ? { 'content-type': 'application/json' } : {};
  if (options.key !== undefined) headers[options.header ?? 'authorization'] = (options.header ?? 'authorization') === 'authorization' ? `Bearer ${options.key}` : options.key;
  const res = await fetch(`${platform.runtime.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const send = (key: string, id: string, text: string, extra: { clientMessageId?: string; header?: 'authorization' | 'x-api-key'; customer?: Record<string, string> } = {}) =>
  call('POST', MESSAGES, { key, ...(extra.header ? { header: extra.header } : {}), body: { customer: { externalId: id, ...extra.customer }, clientMessageId: extra.clientMessageId ?? clientMessageId(), text } });

const poll = (key: string, conversationId: string, afterSeq = 0) => call('GET', `/v1/channels/api/conversations/${conversationId}/messages?afterSeq=${afterSeq}`, { key });

async function createKey(body: Record<string, unknown>): Promise<{ key: string; keyId: string }> {
  const res = await platform.request('POST', KEYS, { token: adminToken, body });
  if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  receiver = await new FakeChannelApi().route('POST', HOOK, () => ({ status: 200, body: { ok: true } })).start();
  platform = await startPlatform({ acceptTimeoutSeconds: 60 });
  adminToken = await platform.runtime.tokenFor('admin');
  shopKey = (await createKey({ name: 'web shop backend', ratePerMinute: 1000 })).key;
}, 120_000);
afterAll(async () => {
  await platform?.runtime.stop();
  await receiver?.stop();
});

describe('API keys (admin)', () => {
  it('creates a key shown once, and lists it with its prefix but never the key or its hash', async () => {
    // Act
    const created = await platform.request('POST', KEYS, { token: adminToken, body: { name: 'mobile app' } });
    const listed = await platform.request('GET', KEYS, { token: adminToken });
    // Assess
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'mobile app', ratePerMinute: 60, revoked: false, createdBy: 'admin', lastUsedAt: null });
    expect(created.body.key).toMatch(/^kefu_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.prefix).toBe(created.body.key.slice(0, 12));
    const item = listed.body.keys.find((k: any) => k.keyId === created.body.keyId);
    expect(item).toMatchObject({ name: 'mobile app', prefix: created.body.prefix, ratePerMinute: 60, revoked: false });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.slice(22));
    expect(Object.keys(item)).not.toContain('hash');
    expect(Object.keys(item)).not.toContain('key');
  });

  it('refuses an agent (403) and a bad key request (400), creating nothing', async () => {
    // Prepare
    const agentToken = await platform.runtime.tokenFor('agent-li');
    const before = (await platform.request('GET', KEYS, { token: adminToken })).body.keys.length;
    // Act
    const byAgent = await platform.request('POST', KEYS, { token: agentToken, body: { name: 'sneaky' } });
    const listByAgent = await platform.request('GET', KEYS, { token: agentToken });
    const bad = await Promise.all([{}, { name: '' }, { name: 'x', ratePerMinute: 6001 }, { name: 'x', ratePerMinute: 0 }, { name: 'x', ratePerMinute: 1.5 }, { name: 'x', extra: true }].map((body) => platform.request('POST', KEYS, { token: adminToken, body })));
    // Assess
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe('AUTH.FORBIDDEN');
    expect(listByAgent.status).toBe(403);
    expect(bad.map((r) => [r.status, r.body.error.code])).toEqual(Array.from({ length: 6 }, () => [400, 'REQUEST.VALIDATION_FAILED']));
    expect((await platform.request('GET', KEYS, { token: adminToken })).body.keys).toHaveLength(before);
  });

  it('revokes idempotently, and 404s an unknown key id', async () => {
    const created = await createKey({ name: 'to revoke' });
    const first = await platform.request('DELETE', `${KEYS}/${created.keyId}`, { token: adminToken });
    const again = await platform.request('DELETE', `${KEYS}/${created.keyId}`, { token: adminToken });
    const unknown = await platform.request('DELETE', `${KEYS}/0000000000000000`, { token: adminToken });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ keyId: created.keyId, revoked: true });
    expect(again.body).toEqual(first.body);
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'API_KEY.NOT_FOUND' } } });
  });
});

describe('messages with an API key', () => {
  it("accepts a message (202), and the app gets the bot's reply by polling", async () => {
    // Prepare
    const id = externalId('parcel');
    // Act
    const posted = await send(shopKey, id, '我的包裹到哪了', { customer: { name: '王小明', email: 'wang@example.com' } });
    const reply = await platform.waitFor(async () => {
      const res = await poll(shopKey, posted.body.conversationId, posted.body.seq);
      return res.body.messages.find((m: any) => m.role === 'bot');
    }, "the bot's reply", 30_000);
    // Assess
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ conversationId: expect.stringMatching(/^conv_/), messageId: expect.stringMatching(/^msg_/), seq: 1, duplicate: false });
    expect(reply.text).toContain('查看物流');
    expect(reply.seq).toBeGreaterThan(posted.body.seq);
    const full = await poll(shopKey, posted.body.conversationId);
    expect(full.body.messages[0]).toMatchObject({ role: 'customer', text: '我的包裹到哪了', seq: 1 });
    expect(full.body.messages[0].sentiment).toBeUndefined();
    expect(full.body.lastSeq).toBe(full.body.messages.at(-1).seq);
    expect(await customerOf(id)).toMatchObject({ name: '王小明', email: 'wang@example.com', identities: [{ channel: 'api', value: `default:${id}` }] });
    const conversation = await conversationStore().get(posted.body.conversationId);
    expect(conversation?.channel).toBe('api');
  });

  it('takes X-Api-Key too, dedupes on clientMessageId, and keeps one open conversation per customer', async () => {
    const id = externalId('twice');
    const messageId = clientMessageId();
    const first = await send(shopKey, id, '你好', { clientMessageId: messageId, header: 'x-api-key' });
    const retry = await send(shopKey, id, '你好', { clientMessageId: messageId });
    const second = await send(shopKey, id, '怎么退货');
    expect(first.status).toBe(202);
    expect(retry.body).toEqual({ ...first.body, duplicate: true });
    expect(second.body.conversationId).toBe(first.body.conversationId);
    expect(second.body.seq).toBeGreaterThan(first.body.seq);
    expect(await conversationStore().listByCustomer(customerIdForIdentity('api', `default:${id}`), 10)).toHaveLength(1);
  });

  it('answers rate-limit headers on accepted requests', async () => {
    const res = await send(shopKey, externalId('headers'), '你好');
    expect(res.status).toBe(202);
    expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(1000);
  });

  it('refuses a wrong, a malformed, a missing and a revoked key with 401, storing nothing', async () => {
    // Prepare
    const revoked = await createKey({ name: 'leaked' });
    await platform.request('DELETE', `${KEYS}/${revoked.keyId}`, { token: adminToken });
    const wrongSecret = `${shopKey.slice(0, 22)}${shopKey[22] === 'A' ? 'B' : 'A'}${shopKey.slice(23)}`;
    const unknownId = `kefu_0123456789abcdef_${shopKey.slice(22)}`;
    const cases = [
      { key: wrongSecret, code: 'API_KEY.INVALID' },
      { key: unknownId, code: 'API_KEY.INVALID' },
      { key: 'kefu_garbage', code: 'API_KEY.INVALID' },
      { key: revoked.key, code: 'API_KEY.REVOKED' },
    ];
    const ids = cases.map(() => externalId('refused'));
    // Act
    const results = await Promise.all(cases.map((c, i) => send(c.key, ids[i]!, '你好')));
    const missing = await call('POST', MESSAGES, { body: { customer: { externalId: ids[0] }, clientMessageId: clientMessageId(), text: '你好' } });
    // Assess
    expect(results.map((r) => [r.status, r.body.error.code])).toEqual(cases.map((c) => [401, c.code]));
    // Unknown id, wrong secret and garbage cannot be told apart.
    expect(new Set(results.slice(0, 3).map((r) => r.body.error.message)).size).toBe(1);
    expect(results[0]!.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'API_KEY.INVALID' } } });
    for (const id of ids) expect(await customerOf(id)).toBeUndefined();
  });

  it('refuses bad bodies with 400 in the platform shape, storing nothing', async () => {
    // Prepare
    const ids = Array.from({ length: 6 }, () => externalId('bad'));
    const bodies = [
      { clientMessageId: clientMessageId(), text: 'no customer' },
      { customer: { externalId: 'x'.repeat(129) }, clientMessageId: clientMessageId(), text: 'too long an id' },
      { customer: { externalId: '' }, clientMessageId: clientMessageId(), text: 'empty id' },
      { customer: { externalId: ids[0] }, clientMessageId: clientMessageId(), text: '   ' },
      { customer: { externalId: ids[1] }, text: 'no clientMessageId' },
      { customer: { externalId: ids[2] }, clientMessageId: 'has spaces', text: 'bad clientMessageId' },
      { customer: { externalId: ids[3], email: 'not-an-email' }, clientMessageId: clientMessageId(), text: 'bad email' },
      { customer: { externalId: ids[4], nickname: 'x' }, clientMessageId: clientMessageId(), text: 'unknown field' },
      { customer: { externalId: ids[5] }, clientMessageId: clientMessageId(), text: 42 },
    ];
    // Act
    const results = await Promise.all(bodies.map((body) => call('POST', MESSAGES, { key: shopKey, body })));
    // Assess
    expect(results.map((r) => [r.status, r.body.error.code])).toEqual(bodies.map(() => [400, 'REQUEST.VALIDATION_FAILED']));
    expect(results.every((r) => typeof r.body.error.message === 'string' && r.body.error.message.length > 0)).toBe(true);
    for (const id of [...ids, 'x'.repeat(129)]) expect(await customerOf(id)).toBeUndefined();
  });

  it('answers 429 with Retry-After past the key’s requests per minute, storing nothing', async () => {
    // Prepare: a key of 3 a minute, used in a part of the minute where 4 requests cannot straddle two windows.
    const limited = await createKey({ name: 'tiny', ratePerMinute: 3 });
    await platform.waitFor(async () => new Date().getSeconds() < 50, 'a fresh part of the minute', 15_000);
    const ids = Array.from({ length: 4 }, () => externalId('limited'));
    // Act
    const accepted = [];
    for (const id of ids.slice(0, 3)) accepted.push(await send(limited.key, id, '你好'));
    const refused = await send(limited.key, ids[3]!, '你好');
    const pollRefused = await poll(limited.key, accepted[0]!.body.conversationId);
    // Assess
    expect(accepted.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(refused.headers.get('retry-after'));
    const secondsLeft = 60 - new Date().getSeconds();
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Math.abs(retryAfter - secondsLeft)).toBeLessThanOrEqual(2);
    expect(pollRefused.status).toBe(429);
    expect(await customerOf(ids[3]!)).toBeUndefined();
    expect(await customerOf(ids[0]!)).toBeDefined();
  });

  it("404s a conversation that is not one of the key owner's customers", async () => {
    // Prepare
    const other = await createKey({ name: 'other brand', owner: 'other-brand' });
    const posted = await send(shopKey, externalId('mine'), '你好');
    const webchat = await platform.openConversation();
    // Act
    const byOtherOwner = await poll(other.key, posted.body.conversationId);
    const webchatConversation = await poll(shopKey, webchat.conversationId);
    const unknown = await poll(shopKey, 'conv_does_not_exist');
    const mine = await poll(shopKey, posted.body.conversationId);
    // Assess
    expect([byOtherOwner, webchatConversation, unknown].map((r) => [r.status, r.body.error.code])).toEqual(Array.from({ length: 3 }, () => [404, 'CONVERSATION.NOT_FOUND']));
    expect(mine.status).toBe(200);
    // The same external id under another owner is another customer.
    const sameId = externalId('shared');
    const a = await send(shopKey, sameId, '你好');
    const b = await send(other.key, sameId, '你好');
    expect(a.body.conversationId).not.toBe(b.body.conversationId);
  });

  it('puts the conversation in the agents’ queue after 转人工', async () => {
    // Prepare
    const id = externalId('human');
    const agentToken = await platform.runtime.tokenFor('agent-li');
    // Act
    const posted = await send(shopKey, id, '转人工');
    // Assess
    expect(posted.status).toBe(202);
    const item = await platform.waitFor(async () => {
      const res = await platform.request('GET', '/v1/agent/queue', { token: agentToken });
      return res.body.items.find((i: any) => i.conversationId === posted.body.conversationId);
    }, 'the API conversation in the agent queue', 30_000);
    expect(item).toMatchObject({ reason: 'requested', preview: '转人工' });
    const status = await platform.waitFor(async () => {
      const res = await poll(shopKey, posted.body.conversationId);
      return res.body.status === 'queued' && res.body.status;
    }, 'the queued status seen by the app');
    expect(status).toBe('queued');
  });
});

describe('pushed replies (a key with a callback URL)', () => {
  it("shows the callback secret once, and pushes the bot's reply signed, with Kefu-Delivery = the message id, marked sent", async () => {
    // Prepare
    const created = await platform.request('POST', KEYS, { token: adminToken, body: { name: 'push shop', ratePerMinute: 1000, callbackUrl: `${receiver.url}${HOOK}` } });
    const listed = await platform.request('GET', KEYS, { token: adminToken });
    const id = externalId('push');
    // Act
    const posted = await send(created.body.key, id, '我的包裹到哪了');
    const [call] = await receiver.waitForCalls((c) => c.path === HOOK && c.json?.conversationId === posted.body.conversationId, 1, 30_000);
    // Assess
    expect(created.status).toBe(201);
    expect(created.body.callbackSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.body.callbackUrl).toBe(`${receiver.url}${HOOK}`);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.callbackSecret);
    expect(posted.status).toBe(202);
    const transcript = (await poll(created.body.key, posted.body.conversationId)).body.messages;
    const reply = transcript.find((m: any) => m.id === call!.json.message.id);
    expect(reply).toMatchObject({ role: 'bot' });
    expect(call!.json).toMatchObject({ type: 'message', conversationId: posted.body.conversationId, customerExternalId: id, message: { id: reply.id, text: expect.stringContaining('查看物流') } });
    expect(call!.headers['kefu-delivery']).toBe(reply.id);
    const signature = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(call!.headers['kefu-signature'] ?? '');
    expect(signature).not.toBeNull();
    expect(Math.abs(Number(signature![1]) - Date.now() / 1000)).toBeLessThan(120);
    expect(signature![2]).toBe(createHmac('sha256', created.body.callbackSecret).update(`${signature![1]}.${call!.text}`).digest('hex'));
    await platform.waitFor(async () => (await conversationStore().getMessage(posted.body.conversationId, reply.seq))?.outbox === 'sent', 'the pushed reply marked sent', 30_000);
    expect(receiver.calls.filter((c) => c.headers['kefu-delivery'] === reply.id)).toHaveLength(1);
  });

  it('refuses a callback URL that is not https (nor loopback http), creating nothing', async () => {
    // Prepare
    const before = (await platform.request('GET', KEYS, { token: adminToken })).body.keys.length;
    // Act
    const refused = await Promise.all(['http://shop.example.com/hook', 'ftp://shop.example.com/hook', 'not a url'].map((callbackUrl) => platform.request('POST', KEYS, { token: adminToken, body: { name: 'bad hook', callbackUrl } })));
    // Assess
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual(Array.from({ length: 3 }, () => [400, 'REQUEST.VALIDATION_FAILED']));
    expect((await platform.request('GET', KEYS, { token: adminToken })).body.keys).toHaveLength(before);
  });

  it('does not stamp replies for the outbox when the key has no callback', async () => {
    // Prepare
    const id = externalId('nopush');
    // Act
    const posted = await send(shopKey, id, '我的包裹到哪了');
    const reply = await platform.waitFor(async () => (await poll(shopKey, posted.body.conversationId, posted.body.seq)).body.messages.find((m: any) => m.role === 'bot'), "the bot's reply", 30_000);
    // Assess
    const stored = await conversationStore().getMessage(posted.body.conversationId, reply.seq);
    expect(stored?.role).toBe('bot');
    expect(stored).not.toHaveProperty('outbox');
    expect((await conversationStore().get(posted.body.conversationId))?.channelThread).toBeUndefined();
  });
});
