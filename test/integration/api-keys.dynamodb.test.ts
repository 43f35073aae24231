/**
 * API keys and rate-limit counters on DynamoDB Local: create / get / list / revoke / lastUsedAt on the customers table,
 * and the per-key counter on the idempotency table exact under concurrency (50 concurrent requests, limit 20 → 20).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbApiKeyStore, DynamoDbRateCounters } from '../../shared/adapters/dynamodb/api-keys.dynamodb.ts';
import { makeApiKeyAdmin, makeApiKeyAuth } from '../../shared/application/api-channel.use-cases.ts';
import { generateApiKey, rateWindow, type ApiKeyRecord } from '../../shared/domain/channels/api-keys.ts';

let ddb: DynamoDbLocal;
let client: DynamoDBDocumentClient;
let tables: Record<string, string>;
let keys: DynamoDbApiKeyStore;
let counters: DynamoDbRateCounters;

const clock = { now: () => new Date() };

function record(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const generated = generateApiKey();
  return { keyId: generated.keyId, name: 'shop', owner: 'default', hash: generated.hash, prefix: generated.prefix, ratePerMinute: 60, createdAt: new Date().toISOString(), createdBy: 'admin', ...overrides };
}

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  tables = await createTables(ddb.client, 'apikeys');
  client = DynamoDBDocumentClient.from(ddb.client);
  keys = new DynamoDbApiKeyStore(client, tables.customers!);
  counters = new DynamoDbRateCounters(client, tables.idempotency!);
});
afterAll(async () => ddb?.stop());

describe('the DynamoDB API key store (on DynamoDB Local)', () => {
  it('creates a key once, reads it back, and refuses a second key with the same id', async () => {
    // Prepare
    const key = record({ name: 'mobile app' });
    // Act
    const first = await keys.create(key);
    const second = await keys.create({ ...key, name: 'impostor' });
    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await keys.get(key.keyId)).toEqual(key);
    const item = await client.send(new GetCommand({ TableName: tables.customers, Key: { pk: `apikey#${key.keyId}` } }));
    expect(item.Item).toMatchObject({ pk: `apikey#${key.keyId}`, hash: key.hash, name: 'mobile app' });
    expect(await keys.get('0000000000000000')).toBeUndefined();
  });

  it('lists every created key (revoked ones too), newest first, without scanning the customers', async () => {
    // Prepare
    const older = record({ createdAt: '2026-01-01T00:00:00.000Z', name: 'older' });
    const newer = record({ createdAt: '2026-02-01T00:00:00.000Z', name: 'newer' });
    await keys.create(older);
    await keys.create(newer);
    await keys.revoke(older.keyId, '2026-03-01T00:00:00.000Z', 'admin');
    // Act
    const listed = await keys.list();
    // Assess
    const ours = listed.filter((k) => k.keyId === older.keyId || k.keyId === newer.keyId);
    expect(ours.map((k) => [k.name, k.revokedAt ?? null])).toEqual([
      ['newer', null],
      ['older', '2026-03-01T00:00:00.000Z'],
    ]);
    const index = await client.send(new GetCommand({ TableName: tables.customers, Key: { pk: 'apikeys' } }));
    expect([...(index.Item?.keyIds as Set<string>)]).toEqual(expect.arrayContaining([older.keyId, newer.keyId]));
  });

  it('revokes once: a second revocation keeps the first time and author; an unknown key is undefined', async () => {
    const key = record();
    await keys.create(key);
    const first = await keys.revoke(key.keyId, '2026-05-01T10:00:00.000Z', 'admin');
    const again = await keys.revoke(key.keyId, '2026-05-01T11:00:00.000Z', 'someone-else');
    expect(first).toMatchObject({ revokedAt: '2026-05-01T10:00:00.000Z', revokedBy: 'admin' });
    expect(again).toEqual(first);
    expect(await keys.revoke('ffffffffffffffff', '2026-05-01T10:00:00.000Z', 'admin')).toBeUndefined();
    expect(await keys.get('ffffffffffffffff')).toBeUndefined();
  });

  it('writes lastUsedAt only when it is older than the given bound', async () => {
    const key = record();
    await keys.create(key);
    await keys.touch(key.keyId, '2026-05-01T10:00:00.000Z', '2026-05-01T09:59:00.000Z');
    await keys.touch(key.keyId, '2026-05-01T10:00:30.000Z', '2026-05-01T09:59:30.000Z');
    expect((await keys.get(key.keyId))?.lastUsedAt).toBe('2026-05-01T10:00:00.000Z');
    await keys.touch(key.keyId, '2026-05-01T10:01:00.000Z', '2026-05-01T10:00:00.001Z');
    expect((await keys.get(key.keyId))?.lastUsedAt).toBe('2026-05-01T10:01:00.000Z');
    // A key that does not exist is not created by a touch.
    await keys.touch('eeeeeeeeeeeeeeee', '2026-05-01T10:01:00.000Z', '2026-05-01T10:00:00.000Z');
    expect(await keys.get('eeeeeeeeeeeeeeee')).toBeUndefined();
  });

  it('creates, verifies and revokes a key end to end through the use cases', async () => {
    // Prepare
    const admin = makeApiKeyAdmin({ keys, clock });
    const auth = makeApiKeyAuth({ keys, counters, clock });
    const created = await admin.create({ name: 'web shop', ratePerMinute: 100 }, 'admin');
    // Act
    const before = await auth(created.key);
    const wrong = await auth(`${created.key.slice(0, -1)}${created.key.endsWith('A') ? 'B' : 'A'}`);
    await admin.revoke(created.keyId, 'admin');
    const after = await auth(created.key);
    // Assess
    expect(before).toMatchObject({ kind: 'ok', key: { keyId: created.keyId } });
    expect(wrong).toMatchObject({ kind: 'refused', code: 'API_KEY.INVALID' });
    expect(after).toMatchObject({ kind: 'refused', code: 'API_KEY.REVOKED' });
    expect((await keys.get(created.keyId))?.lastUsedAt).toBeDefined();
  });
});

describe('the DynamoDB rate counters (on DynamoDB Local)', () => {
  it('admits exactly 20 of 50 concurrent requests against a limit of 20', async () => {
    // Prepare
    const counter = `ratelimit#apikey#race#${Date.now()}`;
    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => counters.take(counter, 20, Math.floor(Date.now() / 1000) + 120)));
    // Assess
    expect(results.filter((r) => r.admitted)).toHaveLength(20);
    expect(results.filter((r) => r.admitted).map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.filter((r) => !r.admitted).every((r) => r.count === 20)).toBe(true);
    const item = await client.send(new GetCommand({ TableName: tables.idempotency, Key: { pk: counter } }));
    expect(item.Item?.count).toBe(20);
  });

  it('gives the key exactly its limit through the use case under 50 concurrent checks, with the counter expiring', async () => {
    // Prepare: a key of 20 a minute, and a clock held in one minute (so that all 50 fall in the same window).
    const held = { now: () => new Date('2026-05-01T10:00:30.000Z') };
    const admin = makeApiKeyAdmin({ keys, clock });
    const auth = makeApiKeyAuth({ keys, counters, clock: held });
    const created = await admin.create({ name: 'burst', ratePerMinute: 20 }, 'admin');
    const window = rateWindow(created.keyId, held.now().getTime());
    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => auth(created.key)));
    // Assess
    expect(results.filter((r) => r.kind === 'ok')).toHaveLength(20);
    expect(results.filter((r) => r.kind === 'rate-limited')).toHaveLength(30);
    expect(results.find((r) => r.kind === 'rate-limited')).toMatchObject({ retryAfterSeconds: 30, limit: 20 });
    const item = await client.send(new GetCommand({ TableName: tables.idempotency, Key: { pk: window.counterKey } }));
    expect(item.Item).toMatchObject({ count: 20, expiresAt: window.expiresAt });
  });
});
