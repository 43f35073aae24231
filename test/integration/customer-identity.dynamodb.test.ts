/**
 * Customer identity on DynamoDB Local: identity and verified-contact links written by intake, an automatic merge on a
 * verified e-mail, customers from before the links, concurrent first messages, manual merge and split (with their
 * links, the identity log, version conflicts and idempotent retries), and search.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbCustomerDirectory } from '../../shared/adapters/dynamodb/directory.dynamodb.ts';
import { customerIdForIdentity, makeChannelIntake } from '../../shared/application/channel-intake.use-cases.ts';
import { makeGetCustomerIdentity, makeMergeCustomers, makeSearchCustomers, makeSplitIdentity } from '../../shared/application/customer-identity.use-cases.ts';
import type { Channel } from '../../shared/domain/conversation/conversation.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import type { InboundMessage, SenderProfile } from '../../shared/ports/channel.ts';

let ddb: DynamoDbLocal;
let doc: DynamoDBDocumentClient;
let table: string;
let customers: DynamoDbCustomerDirectory;
let store: DynamoDbConversationStore;
let now = Date.parse('2026-06-01T08:00:00.000Z');
let seq = 0;
const clock = { now: () => new Date((now += 1000)) };
const ids = { next: () => `id${String(++seq).padStart(6, '0')}` };
const unique = (label: string) => `${label}${Math.random().toString(36).slice(2, 10)}`;

beforeAll(async () => {
  ddb = await startDynamoDbLocal();
  const tables = await createTables(ddb.client, 'cid');
  doc = DynamoDBDocumentClient.from(ddb.client);
  table = tables.customers;
  customers = new DynamoDbCustomerDirectory(doc, table);
  store = new DynamoDbConversationStore(doc, { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
}, 60_000);
afterAll(async () => ddb?.stop());

const deps = () => ({ store, customers, clock, ids });
const intake = () => makeChannelIntake(deps());

function message(channel: Channel, sender: string, text: string, profile?: SenderProfile): InboundMessage {
  return { channel, kind: 'text', sender, dedupeId: unique(`${channel}:`), sentAt: new Date(now), text, ...(profile ? { profile } : {}) };
}

async function link(key: string): Promise<string | undefined> {
  const res = await doc.send(new GetCommand({ TableName: table, Key: { pk: key }, ConsistentRead: true }));
  return res.Item?.customerId as string | undefined;
}

async function expectConflict(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('CUSTOMER.CONFLICT');
  return error as DomainError;
}

describe('intake with identity links', () => {
  it('creates a customer with its identity and verified-contact links, and finds it again by the link', async () => {
    // Prepare
    const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const sender = phone;
    // Act
    const first = await intake()(message('sms', sender, '你好', { phone, verified: ['phone'] }));
    const second = await intake()(message('sms', sender, '还在吗', { phone, verified: ['phone'] }));
    // Assess
    expect(first.customerId).toBe(customerIdForIdentity('sms', sender));
    expect(second.customerId).toBe(first.customerId);
    expect(await link(`idn#sms#${sender}`)).toBe(first.customerId);
    expect(await link(`vfy#phone#${phone}`)).toBe(first.customerId);
    expect(await customers.get(first.customerId)).toMatchObject({ phone, verified: [{ kind: 'phone', value: phone }], identities: [{ channel: 'sms', value: sender }] });
  });

  it('attaches a new identity whose verified e-mail is a known customer, and logs the automatic merge', async () => {
    // Prepare: a customer from e-mail (DMARC passed), then the same address verified on another channel, spelt differently.
    const address = `${unique('wang')}@example.com`;
    const fromEmail = await intake()(message('email', address, 'order question', { email: address, verified: ['email'] }));
    const telegramId = unique('tg');
    // Act
    const fromTelegram = await intake()(message('telegram', telegramId, 'hi again', { email: `  ${address.toUpperCase()} `, verified: ['email'], displayName: 'Wang' }));
    // Assess
    expect(fromTelegram.customerId).toBe(fromEmail.customerId);
    expect(await link(`idn#telegram#${telegramId}`)).toBe(fromEmail.customerId);
    const customer = await customers.get(fromEmail.customerId);
    expect(customer?.identities).toEqual([{ channel: 'email', value: address }, { channel: 'telegram', value: telegramId }]);
    expect(customer?.name).toBe('Wang');
    expect(customer?.identityLog?.[0]).toMatchObject({ kind: 'auto-attach', by: 'system', identities: [{ channel: 'telegram', value: telegramId }] });
    expect(customer?.identityLog?.[0]?.reason).toContain(address);
    // An unverified address with the same spelling merges nothing.
    const unverified = await intake()(message('line', unique('U'), 'hello', { email: address }));
    expect(unverified.customerId).not.toBe(fromEmail.customerId);
  });

  it('keeps a customer created before the links (hash-derived id, no link) and links it on its next message', async () => {
    // Prepare: a customer as the old intake wrote it.
    const openid = unique('oLegacy');
    const legacyId = customerIdForIdentity('wechat', openid);
    await customers.put({ id: legacyId, tier: 'vip', identities: [{ channel: 'wechat', value: openid }], createdAt: '2025-01-01T00:00:00.000Z' });
    expect(await link(`idn#wechat#${openid}`)).toBeUndefined();
    // Act
    const result = await intake()(message('wechat', openid, '老客户'));
    // Assess
    expect(result.customerId).toBe(legacyId);
    expect(await link(`idn#wechat#${openid}`)).toBe(legacyId);
    expect((await customers.get(legacyId))?.tier).toBe('vip');
  });

  it('puts concurrent first messages of one identity on one customer', async () => {
    // Prepare
    const openid = unique('oRace');
    // Act
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => intake()(message('wechat', openid, `msg ${i}`))));
    // Assess
    expect(new Set(results.map((r) => r.customerId)).size).toBe(1);
    expect(await link(`idn#wechat#${openid}`)).toBe(results[0]!.customerId);
  });
});

describe('manual merge and split', () => {
  async function twoCustomers() {
    const openid = unique('oM');
    const phone = `+86137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const a = await intake()(message('wechat', openid, '微信上的问题'));
    const b = await intake()(message('whatsapp', phone.slice(1), 'whatsapp question', { phone, verified: ['phone'] }));
    return { openid, phone, target: a.customerId, source: b.customerId, sourceConversation: b.kind === 'message' ? b.conversationId : '' };
  }

  it("moves the source's links to the target, leaves a tombstone, records both sides, lists both customers' conversations", async () => {
    // Prepare
    const { openid, phone, target, source, sourceConversation } = await twoCustomers();
    const targetVersion = (await customers.links.getStored(target))?.version ?? 0;
    // Act
    const merged = await makeMergeCustomers(deps())({ customerId: target, sourceCustomerId: source, reason: 'same phone on the call', by: 'admin', expectedVersion: targetVersion, sourceExpectedVersion: 0 });
    // Assess
    expect(merged.alreadyMerged).toBe(false);
    expect(merged.customer.identities).toEqual([{ channel: 'wechat', value: openid }, { channel: 'whatsapp', value: phone.slice(1) }]);
    expect(await link(`idn#whatsapp#${phone.slice(1)}`)).toBe(target);
    expect(await link(`vfy#phone#${phone}`)).toBe(target);
    expect((await customers.links.getStored(source))?.mergedInto).toBe(target);
    expect((await customers.get(source))?.id).toBe(target);
    const stored = await customers.links.getStored(target);
    expect(stored?.version).toBe(targetVersion + 1);
    expect(stored?.identityLog?.[0]).toMatchObject({ kind: 'merge-in', by: 'admin', reason: 'same phone on the call', otherCustomerId: source });
    expect((await customers.links.getStored(source))?.identityLog?.[0]).toMatchObject({ kind: 'merged-into', otherCustomerId: target });
    // The next WhatsApp message lands on the target; the detail lists the source's conversation too.
    const next = await intake()(message('whatsapp', phone.slice(1), 'again', { phone, verified: ['phone'] }));
    expect(next.customerId).toBe(target);
    const detail = await makeGetCustomerIdentity(deps())(target);
    expect(detail.conversations.map((c) => c.id)).toContain(sourceConversation);
    expect(detail.customer.mergedFrom).toEqual([source]);
    const followed = await makeGetCustomerIdentity(deps())(source);
    expect(followed).toMatchObject({ redirectedFrom: source, customer: { id: target } });
  });

  it('answers a retried merge the same, and refuses a stale version with a conflict that changes nothing', async () => {
    // Prepare
    const { target, source } = await twoCustomers();
    const merge = makeMergeCustomers(deps());
    const input = { customerId: target, sourceCustomerId: source, reason: 'duplicate', by: 'supervisor', expectedVersion: 0, sourceExpectedVersion: 0 };
    await merge(input);
    const after = await customers.links.getStored(target);
    // Act
    const retried = await merge(input);
    // Assess: the same customer, no second log entry, no version bump.
    expect(retried.alreadyMerged).toBe(true);
    expect(retried.customer.id).toBe(target);
    expect((await customers.links.getStored(target))?.version).toBe(after?.version);
    expect((await customers.links.getStored(target))?.identityLog).toHaveLength(after?.identityLog?.length ?? -1);

    // Prepare: another pair, and a profile edit of the target after the console read it.
    const other = await twoCustomers();
    await customers.replace({ ...(await customers.links.getStored(other.target))!, notes: 'edited meanwhile', version: 1 }, 0);
    // Act
    const error = await expectConflict(merge({ customerId: other.target, sourceCustomerId: other.source, reason: 'dup', by: 'admin', expectedVersion: 0 }));
    // Assess
    expect(error.details).toMatchObject({ currentVersion: 1 });
    expect((await customers.links.getStored(other.source))?.mergedInto).toBeUndefined();
    expect(await link(`vfy#phone#${other.phone}`)).toBe(other.source);
  });

  it('splits an identity onto a new customer (links follow), idempotently, and refuses a stale version', async () => {
    // Prepare: one customer with two identities.
    const { openid, phone, target, source } = await twoCustomers();
    const merged = await makeMergeCustomers(deps())({ customerId: target, sourceCustomerId: source, reason: 'dup', by: 'admin' });
    const split = makeSplitIdentity(deps());
    // Act: a stale version first, then the split, then its retry.
    await expectConflict(split({ customerId: target, channel: 'wechat', value: openid, reason: 'wrong person', by: 'admin', expectedVersion: (merged.customer.version ?? 0) - 1 }));
    const done = await split({ customerId: target, channel: 'wechat', value: openid, reason: 'wrong person', by: 'admin', expectedVersion: merged.customer.version ?? 0 });
    const retried = await split({ customerId: target, channel: 'wechat', value: openid, reason: 'wrong person', by: 'admin', expectedVersion: merged.customer.version ?? 0 });
    // Assess
    expect(done.alreadySplit).toBe(false);
    expect(retried).toMatchObject({ alreadySplit: true, split: { id: done.split.id } });
    expect(done.customer.identities).toEqual([{ channel: 'whatsapp', value: phone.slice(1) }]);
    expect(await link(`idn#wechat#${openid}`)).toBe(done.split.id);
    expect((await customers.links.getStored(done.split.id))?.identityLog?.[0]).toMatchObject({ kind: 'split-from', otherCustomerId: target, reason: 'wrong person' });
    expect((await customers.links.getStored(target))?.identityLog?.[0]).toMatchObject({ kind: 'split-off', otherCustomerId: done.split.id });
    // The split identity's next message goes to the new customer.
    expect((await intake()(message('wechat', openid, 'me again'))).customerId).toBe(done.split.id);
    // The only identity left cannot be split off.
    await expect(split({ customerId: target, channel: 'whatsapp', value: phone.slice(1), reason: 'x', by: 'admin' })).rejects.toMatchObject({ code: 'REQUEST.VALIDATION_FAILED' });
  });

  it('finds customers by phone in any spelling, by identity and by name, and leaves merged ones out', async () => {
    // Prepare
    const { openid, phone, target, source } = await twoCustomers();
    await customers.replace({ ...(await customers.links.getStored(target))!, name: `Zhao ${openid}`, version: 1 }, 0);
    const search = makeSearchCustomers(deps());
    // Act / Assess: the phone spelt nationally finds the WhatsApp customer through its verified link.
    const national = `0086 ${phone.slice(3)}`;
    expect((await search(national)).customers.map((c) => c.id)).toContain(source);
    expect((await search(openid)).customers.map((c) => c.id)).toEqual([target]);
    expect((await search(`zhao ${openid}`.toUpperCase())).customers.map((c) => c.id)).toEqual([target]);
    await makeMergeCustomers(deps())({ customerId: target, sourceCustomerId: source, reason: 'dup', by: 'admin' });
    const afterMerge = (await search(national)).customers.map((c) => c.id);
    expect(afterMerge).toContain(target);
    expect(afterMerge).not.toContain(source);
  });
});
