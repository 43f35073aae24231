/**
 * Customer identity rules: e-mail and phone normalisation, which contacts count as verified, the link keys, and what
 * a merge and a split produce.
 */
import { describe, expect, it } from 'vitest';
import { splitCustomerId } from '../../shared/application/customer-identity.use-cases.ts';
import {
  LOG_ENTRIES,
  identityLinkKey,
  mergeCustomers,
  normaliseEmail,
  normalisePhone,
  splitIdentity,
  unionTags,
  verifiedContacts,
  verifiedLinkKey,
  withLog,
} from '../../shared/domain/customers/identity.ts';
import type { Customer } from '../../shared/ports/directory.ts';

const meta = { at: '2026-05-01T10:00:00.000Z', by: 'admin', reason: 'same person' };

function customer(id: string, fields: Partial<Customer> = {}): Customer {
  return { id, tier: 'standard', identities: [{ channel: 'wechat', value: `o_${id}` }], createdAt: '2026-01-01T00:00:00.000Z', ...fields };
}

describe('normalisation', () => {
  it('lower-cases and trims e-mail addresses, and refuses what is not one', () => {
    expect(normaliseEmail('  Li.Lei@Example.COM ')).toBe('li.lei@example.com');
    expect(normaliseEmail('not an address')).toBeUndefined();
    expect(normaliseEmail('a@b')).toBeUndefined();
    expect(normaliseEmail(undefined)).toBeUndefined();
  });

  it.each([
    ['+86 138-0013-8000', '+8613800138000'],
    ['0086 13800138000', '+8613800138000'],
    ['13800138000', '+8613800138000'],
    ['(010) 6552 9988', '+861065529988'],
    ['79161234567', '+79161234567'],
    ['+1 (415) 555-0100', '+14155550100'],
  ])('writes %s as %s in E.164', (raw, e164) => {
    expect(normalisePhone(raw)).toBe(e164);
  });

  it('refuses phone numbers E.164 cannot hold', () => {
    expect(normalisePhone('+0 123 4567')).toBeUndefined();
    expect(normalisePhone('+1234567890123456')).toBeUndefined();
    expect(normalisePhone('call me maybe')).toBeUndefined();
    expect(normalisePhone('')).toBeUndefined();
  });

  it('takes a country code for national numbers', () => {
    expect(normalisePhone('020 7946 0018', '44')).toBe('+442079460018');
  });
});

describe('verified contacts', () => {
  it('keeps only what the channel verified, normalised, the phone first', () => {
    expect(verifiedContacts({ email: 'A@Example.com', phone: '+86 138 0013 8000', verified: ['email', 'phone'] })).toEqual([
      { kind: 'phone', value: '+8613800138000' },
      { kind: 'email', value: 'a@example.com' },
    ]);
    expect(verifiedContacts({ email: 'a@example.com', phone: '+8613800138000', verified: ['phone'] })).toEqual([{ kind: 'phone', value: '+8613800138000' }]);
    expect(verifiedContacts({ email: 'a@example.com', phone: '+8613800138000' })).toEqual([]);
    expect(verifiedContacts({ phone: 'garbage', verified: ['phone'] })).toEqual([]);
    expect(verifiedContacts(undefined)).toEqual([]);
  });

  it('names one link per identity and per contact', () => {
    expect(identityLinkKey({ channel: 'wechat', value: 'oABC' })).toBe('idn#wechat#oABC');
    expect(verifiedLinkKey({ kind: 'email', value: 'a@example.com' })).toBe('vfy#email#a@example.com');
    expect(verifiedLinkKey({ kind: 'phone', value: '+8613800138000' })).toBe('vfy#phone#+8613800138000');
  });
});

describe('merge rules', () => {
  it("keeps the target's profile unless empty, unions identities, contacts and tags, and marks the source", () => {
    // Prepare
    const target = customer('cus_t', { name: '李雷', notes: undefined, tags: ['VIP-lead'], version: 3, verified: [{ kind: 'phone', value: '+8613800138000' }] });
    const source = customer('cus_s', {
      name: 'Li Lei',
      email: 'li@example.com',
      notes: 'prefers e-mail',
      tier: 'vip',
      tags: ['vip-lead', 'returns'],
      identities: [{ channel: 'email', value: 'li@example.com' }, { channel: 'wechat', value: 'o_cus_t' }],
      verified: [{ kind: 'email', value: 'li@example.com' }, { kind: 'phone', value: '+8613800138000' }],
      mergedFrom: ['cus_older'],
    });
    // Act
    const { target: t, source: s, moved } = mergeCustomers(target, source, meta);
    // Assess
    expect(t).toMatchObject({ id: 'cus_t', name: '李雷', email: 'li@example.com', notes: 'prefers e-mail', tier: 'vip', version: 4, updatedBy: 'admin' });
    expect(t.identities).toEqual([{ channel: 'wechat', value: 'o_cus_t' }, { channel: 'email', value: 'li@example.com' }]);
    expect(t.tags).toEqual(['VIP-lead', 'returns']);
    expect(t.verified).toEqual([{ kind: 'phone', value: '+8613800138000' }, { kind: 'email', value: 'li@example.com' }]);
    expect(t.mergedFrom).toEqual(['cus_s', 'cus_older']);
    expect(moved).toEqual({ identities: [{ channel: 'email', value: 'li@example.com' }], verified: [{ kind: 'email', value: 'li@example.com' }] });
    expect(s).toMatchObject({ mergedInto: 'cus_t', mergedAt: meta.at, version: 1 });
    expect(t.identityLog?.[0]).toMatchObject({ kind: 'merge-in', otherCustomerId: 'cus_s', by: 'admin', reason: 'same person', at: meta.at, identities: moved.identities });
    expect(s.identityLog?.[0]).toMatchObject({ kind: 'merged-into', otherCustomerId: 'cus_t', reason: 'same person' });
  });

  it('keeps a standard tier when neither is a VIP, and at most 20 tags', () => {
    const many = Array.from({ length: 15 }, (_, i) => `a${i}`);
    const more = Array.from({ length: 15 }, (_, i) => `b${i}`);
    const { target } = mergeCustomers(customer('t', { tags: many }), customer('s', { tags: more }), meta);
    expect(target.tier).toBe('standard');
    expect(target.tags).toHaveLength(20);
    expect(unionTags(['A'], ['a', 'b'])).toEqual(['A', 'b']);
  });

  it('keeps the log to its newest entries', () => {
    let c = customer('c');
    for (let i = 0; i < LOG_ENTRIES + 5; i++) c = { ...c, identityLog: withLog(c, { ...meta, reason: `r${i}`, kind: 'verified', identities: [] }) };
    expect(c.identityLog).toHaveLength(LOG_ENTRIES);
    expect(c.identityLog?.[0]?.reason).toBe(`r${LOG_ENTRIES + 4}`);
  });
});

describe('split rules', () => {
  it('moves one identity onto a new customer and records it on both', () => {
    // Prepare
    const c = customer('cus_a', { version: 2, identities: [{ channel: 'wechat', value: 'o1' }, { channel: 'sms', value: '+8613800138000' }], verified: [{ kind: 'phone', value: '+8613800138000' }] });
    // Act
    const { customer: left, split } = splitIdentity(c, { channel: 'wechat', value: 'o1' }, 'cus_new', meta);
    // Assess
    expect(left.identities).toEqual([{ channel: 'sms', value: '+8613800138000' }]);
    expect(left.verified).toEqual(c.verified);
    expect(left.version).toBe(3);
    expect(split).toMatchObject({ id: 'cus_new', identities: [{ channel: 'wechat', value: 'o1' }], splitFrom: 'cus_a', version: 1 });
    expect(left.identityLog?.[0]).toMatchObject({ kind: 'split-off', otherCustomerId: 'cus_new' });
    expect(split.identityLog?.[0]).toMatchObject({ kind: 'split-from', otherCustomerId: 'cus_a' });
  });

  it('derives the new id from the customer, the identity and the version (a retry lands on the same one)', () => {
    const id = splitCustomerId('cus_a', { channel: 'wechat', value: 'o1' }, 2);
    expect(splitCustomerId('cus_a', { channel: 'wechat', value: 'o1' }, 2)).toBe(id);
    expect(splitCustomerId('cus_a', { channel: 'wechat', value: 'o1' }, 3)).not.toBe(id);
    expect(splitCustomerId('cus_a', { channel: 'wechat', value: 'o2' }, 2)).not.toBe(id);
    expect(id).toMatch(/^cus_split_[0-9a-f]{24}$/);
  });
});
