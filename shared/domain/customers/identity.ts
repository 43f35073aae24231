/**
 * Customer identity rules: how e-mail addresses and phone numbers are normalised (so that the same contact written two
 * ways is one contact), the keys of the identity links, and what a merge or a split of two customers produces.
 *
 * Only VERIFIED contacts (SMS / WhatsApp numbers, a Telegram user's own shared number, an e-mail address that passed
 * DMARC) ever merge identities: an address a customer merely typed proves nothing.
 */
import type { Customer } from '../../ports/directory.ts';

export type ContactKind = 'email' | 'phone';

export interface VerifiedContact {
  readonly kind: ContactKind;
  /** Normalised: e-mail lower-cased and trimmed, phone in E.164 (`+8613800138000`). */
  readonly value: string;
}

export interface ChannelIdentity {
  readonly channel: string;
  readonly value: string;
}

/** What happened to a customer's identities: one entry of its identity log (the newest first, at most LOG_ENTRIES). */
export interface IdentityEvent {
  readonly at: string;
  /** The console user, or `system` for an automatic merge by intake. */
  readonly by: string;
  readonly kind: 'auto-attach' | 'merge-in' | 'merged-into' | 'split-off' | 'split-from' | 'verified';
  readonly reason: string;
  /** The other customer of a merge or split. */
  readonly otherCustomerId?: string;
  /** The identities that moved (or were attached). */
  readonly identities: readonly ChannelIdentity[];
  /** The verified contacts that moved with them (or were claimed). */
  readonly verified?: readonly VerifiedContact[];
}

export const LOG_ENTRIES = 100;
export const MAX_REASON_LENGTH = 500;
const MAX_TAGS = 20;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-cased and trimmed; undefined when it is not an e-mail address. */
export function normaliseEmail(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const email = raw.trim().toLowerCase();
  return email.length <= 254 && EMAIL.test(email) ? email : undefined;
}

/**
 * E.164 (`+` and 8–15 digits, no leading zero), or undefined when the text cannot be one.
 * - `+…` or `00…`: international as written.
 * - a Chinese mobile number (`1[3-9]` and 9 more digits): +86.
 * - a leading `0` (trunk prefix): the default country's national number.
 * - 11 or more digits otherwise: international without the plus (as Telegram sends a contact's number).
 * - anything shorter: the default country's national number.
 */
export function normalisePhone(raw: string | undefined, defaultCountryCode = '86'): string | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!/^\+?[0-9 ().-]+$/.test(text)) return undefined;
  const plus = text.startsWith('+');
  let digits = text.replace(/\D/g, '');
  let international: string;
  if (plus) international = digits;
  else if (digits.startsWith('00')) international = digits.slice(2);
  else if (/^1[3-9]\d{9}$/.test(digits)) international = `86${digits}`;
  else if (digits.startsWith('0')) {
    digits = digits.replace(/^0+/, '');
    international = `${defaultCountryCode}${digits}`;
  } else if (digits.length >= 11) international = digits;
  else international = `${defaultCountryCode}${digits}`;
  return /^[1-9]\d{7,14}$/.test(international) ? `+${international}` : undefined;
}

/** The verified contacts a channel vouched for, normalised (unverifiable or malformed values are dropped). */
export function verifiedContacts(profile: { readonly email?: string; readonly phone?: string; readonly verified?: readonly ContactKind[] } | undefined): VerifiedContact[] {
  if (!profile?.verified?.length) return [];
  const out: VerifiedContact[] = [];
  const phone = profile.verified.includes('phone') ? normalisePhone(profile.phone) : undefined;
  const email = profile.verified.includes('email') ? normaliseEmail(profile.email) : undefined;
  // The phone first: where both match different customers, the phone's customer is the one joined.
  if (phone) out.push({ kind: 'phone', value: phone });
  if (email) out.push({ kind: 'email', value: email });
  return out;
}

/** Key of the link item that maps a channel identity to its customer. */
export const identityLinkKey = (identity: ChannelIdentity): string => `idn#${identity.channel}#${identity.value}`;
/** Key of the link item that maps a verified contact to its customer. */
export const verifiedLinkKey = (contact: VerifiedContact): string => `vfy#${contact.kind}#${contact.value}`;

export const sameIdentity = (a: ChannelIdentity, b: ChannelIdentity): boolean => a.channel === b.channel && a.value === b.value;
export const sameContact = (a: VerifiedContact, b: VerifiedContact): boolean => a.kind === b.kind && a.value === b.value;

function union<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): T[] {
  const out = [...a];
  for (const item of b) if (!out.some((o) => same(o, item))) out.push(item);
  return out;
}

export const unionIdentities = (a: readonly ChannelIdentity[], b: readonly ChannelIdentity[]): ChannelIdentity[] => union(a, b, sameIdentity);
export const unionContacts = (a: readonly VerifiedContact[], b: readonly VerifiedContact[]): VerifiedContact[] => union(a, b, sameContact);

/** Tags of both, the target's first, case-insensitively unique, at most 20. */
export function unionTags(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return union(a ?? [], b ?? [], (x, y) => x.toLowerCase() === y.toLowerCase()).slice(0, MAX_TAGS);
}

export function withLog(customer: Customer, entry: IdentityEvent): readonly IdentityEvent[] {
  return [entry, ...(customer.identityLog ?? [])].slice(0, LOG_ENTRIES);
}

const blank = (value: string | undefined) => value === undefined || value.trim() === '';

/**
 * Merges `source` into `target`: the target keeps its id, its profile fields (name, e-mail, phone, notes) unless they
 * are empty (then the source's), the higher tier (a VIP stays a VIP), the union of identities, verified contacts and
 * tags, and the ids of every customer merged into it (`mergedFrom`, whose conversations are the target's too). The
 * source stays as a tombstone that points at the target (`mergedInto`). Both versions go up by one and both logs
 * record the merge.
 */
export function mergeCustomers(target: Customer, source: Customer, meta: { at: string; by: string; reason: string }): { target: Customer; source: Customer; moved: { identities: ChannelIdentity[]; verified: VerifiedContact[] } } {
  const moved = {
    identities: source.identities.filter((i) => !target.identities.some((t) => sameIdentity(t, i))).map((i) => ({ channel: i.channel, value: i.value })),
    verified: (source.verified ?? []).filter((v) => !(target.verified ?? []).some((t) => sameContact(t, v))),
  };
  const fields: Record<string, unknown> = {};
  for (const field of ['name', 'email', 'phone', 'notes'] as const) {
    if (blank(target[field]) && !blank(source[field])) fields[field] = source[field];
  }
  const tags = unionTags(target.tags, source.tags);
  const verified = unionContacts(target.verified ?? [], source.verified ?? []);
  const mergedFrom = [...new Set([...(target.mergedFrom ?? []), source.id, ...(source.mergedFrom ?? [])])].filter((id) => id !== target.id);
  const common = { at: meta.at, by: meta.by, reason: meta.reason, identities: moved.identities, ...(moved.verified.length ? { verified: moved.verified } : {}) };
  const nextTarget: Customer = {
    ...target,
    ...fields,
    tier: target.tier === 'vip' || source.tier === 'vip' ? 'vip' : target.tier,
    identities: unionIdentities(target.identities, source.identities),
    ...(tags.length ? { tags } : {}),
    ...(verified.length ? { verified } : {}),
    mergedFrom,
    version: (target.version ?? 0) + 1,
    updatedAt: meta.at,
    updatedBy: meta.by,
    identityLog: withLog(target, { ...common, kind: 'merge-in', otherCustomerId: source.id }),
  };
  const nextSource: Customer = {
    ...source,
    mergedInto: target.id,
    mergedAt: meta.at,
    version: (source.version ?? 0) + 1,
    updatedAt: meta.at,
    updatedBy: meta.by,
    identityLog: withLog(source, { ...common, kind: 'merged-into', otherCustomerId: target.id }),
  };
  return { target: nextTarget, source: nextSource, moved };
}

/**
 * Splits one identity off `customer` onto a new customer `newId`: the identity leaves the customer (its verified
 * contacts stay: they belong to the person, not to one channel account), both logs record it, the customer's version
 * goes up by one, the new customer starts at version 1.
 */
export function splitIdentity(customer: Customer, identity: ChannelIdentity, newId: string, meta: { at: string; by: string; reason: string }): { customer: Customer; split: Customer } {
  const common = { at: meta.at, by: meta.by, reason: meta.reason, identities: [{ channel: identity.channel, value: identity.value }] };
  return {
    customer: {
      ...customer,
      identities: customer.identities.filter((i) => !sameIdentity(i, identity)),
      version: (customer.version ?? 0) + 1,
      updatedAt: meta.at,
      updatedBy: meta.by,
      identityLog: withLog(customer, { ...common, kind: 'split-off', otherCustomerId: newId }),
    },
    split: {
      id: newId,
      tier: 'standard',
      identities: [{ channel: identity.channel, value: identity.value }],
      createdAt: meta.at,
      splitFrom: customer.id,
      version: 1,
      updatedAt: meta.at,
      updatedBy: meta.by,
      identityLog: [{ ...common, kind: 'split-from', otherCustomerId: customer.id }],
    },
  };
}
