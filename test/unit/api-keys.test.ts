/**
 * API keys of the REST API channel, without storage: the key format, its hash, the constant-time comparison, reading the
 * key from the headers, and the arithmetic of the one-minute rate-limit window; then the key check (401 / 429 order,
 * lastUsedAt at most once a minute) against in-memory ports.
 */
import { createHash } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

// The real timingSafeEqual, watched: the comparison must go through it (a plain === would return early).
const { timingSafeEqualSpy } = vi.hoisted(() => ({ timingSafeEqualSpy: vi.fn() }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  timingSafeEqualSpy.mockImplementation(actual.timingSafeEqual);
  return { ...actual, default: actual, timingSafeEqual: timingSafeEqualSpy };
});
import { makeApiKeyAdmin, makeApiKeyAuth, INVALID_KEY_MESSAGE } from '../../shared/application/api-channel.use-cases.ts';
import {
  admits,
  apiIdentity,
  apiKeyView,
  displayPrefix,
  generateApiKey,
  hashApiKey,
  hashesEqual,
  identityOwnedBy,
  keyFromHeaders,
  lastUsedIsStale,
  parseApiKey,
  rateWindow,
  remaining,
  retryAfterSeconds,
  validRatePerMinute,
  type ApiKeyRecord,
} from '../../shared/domain/channels/api-keys.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { ApiKeyStore, RateCounters } from '../../shared/ports/api-keys.ts';

/** Deterministic "random" bytes: 0, 1, 2, … from a seed. */
const counting = (seed: number) => (size: number) => Uint8Array.from({ length: size }, (_, i) => (seed + i) % 256);

describe('the API key format', () => {
  it('is kefu_<16 hex key id>_<43 base64url secret>, from 8 + 32 random bytes', () => {
    // Act
    const key = generateApiKey(counting(7));
    // Assess
    expect(key.plaintext).toMatch(/^kefu_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(key.keyId).toBe('0708090a0b0c0d0e');
    expect(key.plaintext.slice(22)).toBe(Buffer.from(counting(7)(32)).toString('base64url'));
    expect(Buffer.from(key.plaintext.slice(22), 'base64url')).toHaveLength(32);
  });

  it('stores the SHA-256 of the whole key in hex and its first 12 characters for display', () => {
    const key = generateApiKey(counting(1));
    expect(key.hash).toBe(createHash('sha256').update(key.plaintext).digest('hex'));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.prefix).toBe(key.plaintext.slice(0, 12));
    expect(displayPrefix('kefu_0123456789abcdef_x')).toBe('kefu_0123456');
    expect(key.hash).not.toContain(key.plaintext.slice(22));
  });

  it('gives two keys different ids, secrets and hashes with real randomness', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.keyId).not.toBe(b.keyId);
    expect(a.plaintext.slice(22)).not.toBe(b.plaintext.slice(22));
    expect(a.hash).not.toBe(b.hash);
  });

  it('parses the key id out of a well-formed key and refuses anything else', () => {
    const key = generateApiKey(counting(3));
    expect(parseApiKey(key.plaintext)).toEqual({ keyId: key.keyId });
    const malformed = [
      '',
      'kefu_',
      key.plaintext.slice(0, -1),
      `${key.plaintext}x`,
      key.plaintext.replace('kefu_', 'kefo_'),
      key.plaintext.toUpperCase(),
      key.plaintext.replace(key.keyId, key.keyId.slice(1)),
      `kefu_${'g'.repeat(16)}_${key.plaintext.slice(22)}`,
      `kefu_${key.keyId}_${'+'.repeat(43)}`,
      ` ${key.plaintext}`,
    ];
    for (const candidate of malformed) expect(parseApiKey(candidate), JSON.stringify(candidate)).toBeUndefined();
  });

  it('reads the key from Authorization: Bearer or X-Api-Key, X-Api-Key first', () => {
    expect(keyFromHeaders({ authorization: 'Bearer kefu_abc' })).toBe('kefu_abc');
    expect(keyFromHeaders({ authorization: 'bearer   kefu_abc ' })).toBe('kefu_abc');
    expect(keyFromHeaders({ 'x-api-key': ' kefu_xyz ' })).toBe('kefu_xyz');
    expect(keyFromHeaders({ 'x-api-key': 'kefu_xyz', authorization: 'Bearer kefu_abc' })).toBe('kefu_xyz');
    expect(keyFromHeaders({ authorization: 'Basic a2VmdQ==' })).toBeUndefined();
    expect(keyFromHeaders({})).toBeUndefined();
  });
});

describe('the constant-time hash comparison', () => {
  const hash = hashApiKey('kefu_0000000000000000_secret');

  it('is true only for the same digest', () => {
    expect(hashesEqual(hash, hash)).toBe(true);
    expect(hashesEqual(hash, `${hash.slice(0, 63)}${hash[63] === '0' ? '1' : '0'}`)).toBe(false);
    expect(hashesEqual(hash, `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}`)).toBe(false);
  });

  it('is false for anything that is not a 64-character hex digest, even when both sides are equal', () => {
    expect(hashesEqual('', '')).toBe(false);
    expect(hashesEqual('abc', 'abc')).toBe(false);
    expect(hashesEqual(hash.toUpperCase(), hash.toUpperCase())).toBe(false);
    expect(hashesEqual(hash, hash.slice(1))).toBe(false);
    expect(hashesEqual(`${hash}00`, `${hash}00`)).toBe(false);
  });

  it('compares through crypto.timingSafeEqual, over 32 bytes, once per check, whatever the input', async () => {
    // Prepare
    const calls = timingSafeEqualSpy.mock.calls;
    calls.length = 0;
    const candidates = [hash, `${hash.slice(0, 63)}${hash[63] === '0' ? '1' : '0'}`, `${hash[0] === '0' ? '1' : '0'}${hash.slice(1)}`, '', 'not-hex', hash.slice(2)];
    // Act
    const results = candidates.map((candidate) => hashesEqual(hash, candidate));
    // Assess: one fixed-length constant-time comparison per check, no early return before it.
    expect(results).toEqual([true, false, false, false, false, false]);
    expect(calls).toHaveLength(candidates.length);
    for (const [a, b] of calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
  });
});

describe('the one-minute rate window', () => {
  const at = (iso: string) => Date.parse(iso);

  it('starts at the minute, ends a minute later, and its counter expires two minutes after its start', () => {
    const window = rateWindow('abc', at('2026-05-01T10:20:42.500Z'));
    expect(new Date(window.startMs).toISOString()).toBe('2026-05-01T10:20:00.000Z');
    expect(new Date(window.endMs).toISOString()).toBe('2026-05-01T10:21:00.000Z');
    expect(window.expiresAt).toBe(at('2026-05-01T10:22:00.000Z') / 1000);
    expect(window.counterKey).toBe(`ratelimit#apikey#abc#${at('2026-05-01T10:20:00.000Z') / 60_000}`);
  });

  it('gives the same counter within a minute and a new one at the next minute, per key', () => {
    const a = rateWindow('k1', at('2026-05-01T10:20:00.000Z')).counterKey;
    expect(rateWindow('k1', at('2026-05-01T10:20:59.999Z')).counterKey).toBe(a);
    expect(rateWindow('k1', at('2026-05-01T10:21:00.000Z')).counterKey).not.toBe(a);
    expect(rateWindow('k2', at('2026-05-01T10:20:00.000Z')).counterKey).not.toBe(a);
  });

  it('says to retry at the next minute, in whole seconds, never 0', () => {
    const window = rateWindow('k', at('2026-05-01T10:20:00.000Z'));
    expect(retryAfterSeconds(window, at('2026-05-01T10:20:00.000Z'))).toBe(60);
    expect(retryAfterSeconds(window, at('2026-05-01T10:20:42.500Z'))).toBe(18);
    expect(retryAfterSeconds(window, at('2026-05-01T10:20:59.999Z'))).toBe(1);
    expect(retryAfterSeconds(window, at('2026-05-01T10:21:03.000Z'))).toBe(1);
  });

  it('admits while the count is below the limit, and counts what is left', () => {
    expect(admits(0, 20)).toBe(true);
    expect(admits(19, 20)).toBe(true);
    expect(admits(20, 20)).toBe(false);
    expect(admits(21, 20)).toBe(false);
    expect(remaining(1, 20)).toBe(19);
    expect(remaining(20, 20)).toBe(0);
    expect(remaining(25, 20)).toBe(0);
  });

  it('accepts whole rates from 1 to 6000 a minute', () => {
    expect([1, 60, 6000].map(validRatePerMinute)).toEqual([true, true, true]);
    expect([0, -1, 6001, 1.5, Number.NaN].map(validRatePerMinute)).toEqual([false, false, false, false, false]);
  });
});

describe('the key record and identities', () => {
  const record: ApiKeyRecord = { keyId: '0123456789abcdef', name: 'shop', owner: 'default', hash: 'h'.repeat(64), prefix: 'kefu_0123456', ratePerMinute: 60, createdAt: '2026-05-01T00:00:00.000Z', createdBy: 'admin' };

  it('shows administrators neither the hash nor any secret', () => {
    const view = apiKeyView(record);
    expect(JSON.stringify(view)).not.toContain(record.hash);
    expect(view).toEqual({ keyId: record.keyId, name: 'shop', owner: 'default', prefix: 'kefu_0123456', ratePerMinute: 60, createdAt: record.createdAt, createdBy: 'admin', lastUsedAt: null, revoked: false, revokedAt: null });
    expect(apiKeyView({ ...record, revokedAt: '2026-05-02T00:00:00.000Z' })).toMatchObject({ revoked: true, revokedAt: '2026-05-02T00:00:00.000Z' });
  });

  it('namespaces external ids by key owner', () => {
    expect(apiIdentity('shop', 'u-1')).toBe('shop:u-1');
    expect(identityOwnedBy('shop', 'shop:u-1')).toBe(true);
    expect(identityOwnedBy('shop', 'shopping:u-1')).toBe(false);
    expect(identityOwnedBy('shop', 'other:shop:u-1')).toBe(false);
  });

  it('writes lastUsedAt again only a minute after the last write', () => {
    const now = new Date('2026-05-01T10:00:00.000Z');
    expect(lastUsedIsStale(undefined, now)).toBe(true);
    expect(lastUsedIsStale('2026-05-01T09:59:30.000Z', now)).toBe(false);
    expect(lastUsedIsStale('2026-05-01T09:59:00.000Z', now)).toBe(true);
  });
});

// ---------------------------------------------------------------- use cases on in-memory ports

class MemoryKeys implements ApiKeyStore {
  readonly items = new Map<string, ApiKeyRecord>();
  touches = 0;
  async create(record: ApiKeyRecord) {
    if (this.items.has(record.keyId)) return false;
    this.items.set(record.keyId, record);
    return true;
  }
  async get(keyId: string) {
    return this.items.get(keyId);
  }
  async list() {
    return [...this.items.values()];
  }
  async revoke(keyId: string, at: string, by: string) {
    const item = this.items.get(keyId);
    if (!item) return undefined;
    const revoked = { ...item, revokedAt: item.revokedAt ?? at, revokedBy: item.revokedBy ?? by };
    this.items.set(keyId, revoked);
    return revoked;
  }
  async touch(keyId: string, at: string, notBefore: string) {
    const item = this.items.get(keyId);
    if (!item || (item.lastUsedAt !== undefined && item.lastUsedAt >= notBefore)) return;
    this.touches++;
    this.items.set(keyId, { ...item, lastUsedAt: at });
  }
}

class MemoryCounters implements RateCounters {
  readonly counts = new Map<string, number>();
  async take(counterKey: string, limit: number) {
    const count = this.counts.get(counterKey) ?? 0;
    if (count >= limit) return { admitted: false, count };
    this.counts.set(counterKey, count + 1);
    return { admitted: true, count: count + 1 };
  }
}

function setup(startIso = '2026-05-01T10:00:10.000Z') {
  let now = new Date(startIso);
  const clock = { now: () => now };
  const keys = new MemoryKeys();
  const counters = new MemoryCounters();
  return { keys, counters, admin: makeApiKeyAdmin({ keys, clock }), auth: makeApiKeyAuth({ keys, counters, clock }), advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

describe('checking a key (in memory)', () => {
  it('admits the created key, refuses a wrong secret, an unknown id and garbage with one message', async () => {
    // Prepare
    const { admin, auth, counters } = setup();
    const created = await admin.create({ name: 'shop' }, 'admin');
    const wrongSecret = `${created.key.slice(0, 22)}${created.key[22] === 'A' ? 'B' : 'A'}${created.key.slice(23)}`;
    const unknownId = generateApiKey().plaintext;
    // Act
    const [ok, ...refused] = await Promise.all([created.key, wrongSecret, unknownId, 'kefu_nonsense', undefined].map((k) => auth(k)));
    // Assess
    expect(ok).toMatchObject({ kind: 'ok', key: { keyId: created.keyId }, limit: 60, remaining: 59 });
    expect(refused.map((r) => r.kind === 'refused' && r.code)).toEqual(['API_KEY.INVALID', 'API_KEY.INVALID', 'API_KEY.INVALID', 'API_KEY.INVALID']);
    expect(refused.slice(0, 3).map((r) => r.kind === 'refused' && r.message)).toEqual([INVALID_KEY_MESSAGE, INVALID_KEY_MESSAGE, INVALID_KEY_MESSAGE]);
    // Refused keys never reach the counter.
    expect([...counters.counts.values()]).toEqual([1]);
  });

  it('refuses a revoked key as revoked, and revoking twice keeps the first time', async () => {
    const { admin, auth, advance } = setup();
    const created = await admin.create({ name: 'shop' }, 'admin');
    const first = await admin.revoke(created.keyId, 'admin');
    advance(5000);
    const again = await admin.revoke(created.keyId, 'someone-else');
    expect(again).toEqual(first);
    expect(await auth(created.key)).toMatchObject({ kind: 'refused', status: 401, code: 'API_KEY.REVOKED' });
    expect(await admin.revoke('ffffffffffffffff', 'admin')).toBeUndefined();
  });

  it('admits ratePerMinute requests a minute, then 429 with the seconds to the next minute, then admits again', async () => {
    // Prepare: a key of 3 a minute, 10 s into the minute.
    const { admin, auth, advance } = setup('2026-05-01T10:00:10.000Z');
    const created = await admin.create({ name: 'shop', ratePerMinute: 3 }, 'admin');
    // Act
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await auth(created.key));
    advance(50_000);
    const nextMinute = await auth(created.key);
    // Assess
    expect(results.map((r) => r.kind)).toEqual(['ok', 'ok', 'ok', 'rate-limited']);
    expect(results.slice(0, 3).map((r) => r.kind === 'ok' && r.remaining)).toEqual([2, 1, 0]);
    expect(results[3]).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: 50, limit: 3 });
    expect(nextMinute).toMatchObject({ kind: 'ok', remaining: 2 });
  });

  it('writes lastUsedAt on the first use and then at most once a minute', async () => {
    const { admin, auth, keys, advance } = setup();
    const created = await admin.create({ name: 'shop', ratePerMinute: 100 }, 'admin');
    for (let i = 0; i < 5; i++) await auth(created.key);
    expect(keys.touches).toBe(1);
    advance(61_000);
    await auth(created.key);
    expect(keys.touches).toBe(2);
    expect(keys.items.get(created.keyId)?.lastUsedAt).toBe('2026-05-01T10:01:11.000Z');
  });

  it('refuses an out-of-range rate, an empty name and a bad owner when creating a key', async () => {
    const { admin, keys } = setup();
    for (const input of [{ name: 'x', ratePerMinute: 0 }, { name: 'x', ratePerMinute: 6001 }, { name: '  ' }, { name: 'x', owner: 'Has Spaces' }]) {
      await expect(admin.create(input, 'admin')).rejects.toSatisfy((e) => e instanceof DomainError && e.code === 'REQUEST.VALIDATION_FAILED');
    }
    expect(keys.items.size).toBe(0);
  });

  it('shows the plaintext once, on creation, and lists keys without it or its hash', async () => {
    const { admin, keys } = setup();
    const created = await admin.create({ name: 'mobile app' }, 'admin');
    const listed = await admin.list();
    expect(created.key).toMatch(/^kefu_/);
    expect(hashApiKey(created.key)).toBe(keys.items.get(created.keyId)?.hash);
    expect(listed).toEqual([expect.objectContaining({ keyId: created.keyId, name: 'mobile app', prefix: created.key.slice(0, 12), ratePerMinute: 60, revoked: false })]);
    expect(JSON.stringify(listed)).not.toContain(created.key.slice(22));
    expect(JSON.stringify(listed)).not.toContain(keys.items.get(created.keyId)!.hash);
  });
});
