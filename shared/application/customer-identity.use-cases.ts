/**
 * Customer identity: which customer a channel identity belongs to (intake, on every inbound message), automatic
 * merges on a verified e-mail or phone, and the console's search, detail, manual merge and split.
 *
 * Access patterns (customers table, see shared/ports/directory.ts CustomerLinks):
 * - intake: one strongly consistent read of the identity's link (`idn#<channel>#<value>`), batched with the verified
 *   contacts' links (`vfy#email#…`, `vfy#phone#…`) when the channel vouched for any; writes only the first time an
 *   identity or a contact is seen (a transaction: the customer conditional on its version, the links on being absent).
 * - a customer created before links existed has no link: its hash-derived id is read, and its link written then.
 * - merges and splits: the two customers, conditional on their versions, and every moved link, in one transaction.
 *
 * A merged customer stays as a tombstone (`mergedInto`); CustomerDirectory.get follows it. Conversations keep their
 * customer id: the survivor lists `mergedFrom`, and its conversations are those of its own id and of every id there.
 */
import { createHash } from 'node:crypto';
import {
  MAX_REASON_LENGTH,
  identityLinkKey,
  mergeCustomers,
  normaliseEmail,
  normalisePhone,
  splitIdentity,
  unionContacts,
  unionIdentities,
  verifiedContacts,
  verifiedLinkKey,
  withLog,
  type ChannelIdentity,
  type VerifiedContact,
} from '../domain/customers/identity.ts';
import { DomainError } from '../domain/errors.ts';
import type { SenderProfile } from '../ports/channel.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { Customer, CustomerDirectory, CustomerLinks } from '../ports/directory.ts';
import type { Clock } from '../ports/gateways.ts';

export interface CustomerIdentityDeps {
  readonly customers: CustomerDirectory;
  readonly clock: Clock;
  /** With it, a merge also moves the merged-away customer's open conversations to the surviving customer. */
  readonly store?: Pick<ConversationStore, 'listByCustomer' | 'update'>;
}

/**
 * The merged-away customer's conversations still open move to the survivor, so that the next message of a moved
 * identity (now resolving to the survivor) continues that conversation rather than opening a new one. Idempotent.
 */
async function moveOpenConversations(store: CustomerIdentityDeps['store'], fromId: string, toId: string): Promise<void> {
  if (!store) return;
  const open = (await store.listByCustomer(fromId, 50)).filter((c) => c.status !== 'resolved');
  await Promise.all(open.map((c) => store.update(c.id, { customerId: toId }, ['bot', 'queued', 'agent'])));
}

/** Who an automatic merge is recorded as. */
export const SYSTEM_ACTOR = 'system';
const WRITE_ATTEMPTS = 4;
const MERGE_HOPS = 5;
const CHANNELS = ['webchat', 'wechat', 'wecom', 'email', 'whatsapp', 'telegram', 'line', 'sms', 'api'] as const;

function linksOf(customers: CustomerDirectory): CustomerLinks {
  if (!customers.links) throw new Error('this customer directory keeps no identity links');
  return customers.links;
}

/** The stored customer, followed through merges to the survivor (with the survivor's own version). */
async function survivor(links: CustomerLinks, customerId: string): Promise<Customer | undefined> {
  let customer = await links.getStored(customerId);
  for (let hop = 0; customer?.mergedInto && hop < MERGE_HOPS; hop++) customer = await links.getStored(customer.mergedInto);
  return customer;
}

const contactLog = (contacts: readonly VerifiedContact[]) => contacts.map((c) => `${c.kind} ${c.value}`).join(', ');

/** Empty e-mail / phone / name filled from what the channel says (the customer's own values are never overwritten). */
function filledFrom(customer: Customer, profile: SenderProfile | undefined, contacts: readonly VerifiedContact[]): Partial<Customer> {
  const email = contacts.find((c) => c.kind === 'email')?.value;
  const phone = contacts.find((c) => c.kind === 'phone')?.value;
  const name = profile?.displayName?.trim();
  return {
    ...(!customer.email && email ? { email } : {}),
    ...(!customer.phone && phone ? { phone } : {}),
    ...(!customer.name && name ? { name: name.slice(0, 100) } : {}),
  };
}

/**
 * Intake: the customer a channel identity belongs to, creating it (with id `fallbackId`, derived from the identity,
 * so that concurrent first messages land on one customer) when nobody has it. A new identity whose verified e-mail or
 * phone is already a customer's joins that customer (an automatic merge, in the customer's identity log).
 */
export function makeResolveIdentity(deps: CustomerIdentityDeps) {
  const links = linksOf(deps.customers);

  /** Claims contacts nobody has yet for an existing customer (best effort: the next message tries again). */
  const claim = async (customerId: string, contacts: readonly VerifiedContact[], profile: SenderProfile | undefined): Promise<void> => {
    if (contacts.length === 0) return;
    const current = await survivor(links, customerId);
    if (!current) return;
    const at = deps.clock.now().toISOString();
    const next: Customer = {
      ...current,
      ...filledFrom(current, profile, contacts),
      verified: unionContacts(current.verified ?? [], contacts),
      version: (current.version ?? 0) + 1,
      updatedAt: at,
      updatedBy: SYSTEM_ACTOR,
      identityLog: withLog(current, { at, by: SYSTEM_ACTOR, kind: 'verified', reason: `verified by the channel: ${contactLog(contacts)}`, identities: [], verified: contacts }),
    };
    await links.commit({ customers: [{ customer: next, expectedVersion: current.version ?? 0 }], links: contacts.map((c) => ({ key: verifiedLinkKey(c), customerId: current.id, ifAbsent: true })) });
  };

  return async (input: { identity: ChannelIdentity; profile?: SenderProfile; fallbackId: string }): Promise<{ customerId: string; outcome: 'linked' | 'legacy' | 'attached' | 'created' }> => {
    const { identity, profile, fallbackId } = input;
    const contacts = verifiedContacts(profile);
    const idKey = identityLinkKey(identity);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const found = await links.get([idKey, ...contacts.map(verifiedLinkKey)]);
      const unclaimed = contacts.filter((c) => !found.has(verifiedLinkKey(c)));
      const linked = found.get(idKey);
      if (linked) {
        // The steady path: one read. A contact seen for the first time is claimed for this customer; one that is
        // another customer's already is left alone (an admin may merge them: an identity never moves by itself).
        if (unclaimed.length) await claim(linked, unclaimed, profile);
        return { customerId: linked, outcome: 'linked' };
      }

      // A customer from before the links: the identity's hash-derived customer exists; link it now.
      const legacy = await links.getStored(fallbackId);
      if (legacy) {
        const owner = legacy.mergedInto ? ((await survivor(links, fallbackId))?.id ?? fallbackId) : fallbackId;
        if (!(await links.commit({ customers: [], links: [{ key: idKey, customerId: owner, ifAbsent: true }] }))) continue;
        if (unclaimed.length) await claim(owner, unclaimed, profile);
        return { customerId: owner, outcome: 'legacy' };
      }

      const match = contacts.map((c) => ({ contact: c, customerId: found.get(verifiedLinkKey(c)) })).find((m) => m.customerId);
      const target = match?.customerId ? await survivor(links, match.customerId) : undefined;
      if (match && target) {
        const at = deps.clock.now().toISOString();
        const next: Customer = {
          ...target,
          ...filledFrom(target, profile, contacts),
          identities: unionIdentities(target.identities, [identity]),
          ...(unclaimed.length ? { verified: unionContacts(target.verified ?? [], unclaimed) } : {}),
          version: (target.version ?? 0) + 1,
          updatedAt: at,
          updatedBy: SYSTEM_ACTOR,
          identityLog: withLog(target, {
            at,
            by: SYSTEM_ACTOR,
            kind: 'auto-attach',
            reason: `verified ${match.contact.kind} ${match.contact.value} matches`,
            identities: [identity],
            ...(unclaimed.length ? { verified: unclaimed } : {}),
          }),
        };
        const written = await links.commit({
          customers: [{ customer: next, expectedVersion: target.version ?? 0 }],
          links: [{ key: idKey, customerId: target.id, ifAbsent: true }, ...unclaimed.map((c) => ({ key: verifiedLinkKey(c), customerId: target.id, ifAbsent: true }))],
        });
        if (written) return { customerId: target.id, outcome: 'attached' };
        continue;
      }

      const at = deps.clock.now().toISOString();
      const fresh: Customer = {
        id: fallbackId,
        tier: 'standard',
        identities: [{ channel: identity.channel, value: identity.value }],
        createdAt: at,
        ...filledFrom({ id: fallbackId, tier: 'standard', identities: [], createdAt: at }, profile, contacts),
        ...(contacts.length ? { verified: contacts } : {}),
      };
      const written = await links.commit({
        customers: [{ customer: fresh, expectedVersion: 'absent' }],
        links: [{ key: idKey, customerId: fallbackId, ifAbsent: true }, ...contacts.map((c) => ({ key: verifiedLinkKey(c), customerId: fallbackId, ifAbsent: true }))],
      });
      if (written) return { customerId: fallbackId, outcome: 'created' };
      // Someone else wrote first (a concurrent first message, a contact claimed meanwhile): read again.
    }
    throw new DomainError('CUSTOMER.CONFLICT', `the customer of ${identity.channel} identity ${identity.value} kept changing; try again`);
  };
}

function reasonOf(reason: string): string {
  const text = reason.trim();
  if (!text) throw new DomainError('REQUEST.VALIDATION_FAILED', 'reason: must not be empty', { issues: [{ path: 'reason', message: 'must not be empty' }] });
  if (text.length > MAX_REASON_LENGTH) throw new DomainError('REQUEST.VALIDATION_FAILED', `reason: must be at most ${MAX_REASON_LENGTH} characters`, { issues: [{ path: 'reason', message: `must be at most ${MAX_REASON_LENGTH} characters` }] });
  return text;
}

function conflict(customerId: string, message: string, currentVersion: number): never {
  throw new DomainError('CUSTOMER.CONFLICT', message, { customerId, currentVersion });
}

async function mustGetStored(links: CustomerLinks, customerId: string): Promise<Customer> {
  const customer = await links.getStored(customerId);
  if (!customer) throw new DomainError('CUSTOMER.NOT_FOUND', `customer ${customerId} does not exist`);
  return customer;
}

/** The links a customer's identities and verified contacts have (all of them point at `to` after a merge). */
const linksFor = (customer: Customer, to: string) =>
  [...new Set([...customer.identities.map(identityLinkKey), ...(customer.verified ?? []).map(verifiedLinkKey)])].map((key) => ({ key, customerId: to }));

/**
 * Merges `sourceCustomerId` into `customerId` (see mergeCustomers for the rules). Conditional on both versions: with
 * `expectedVersion` / `sourceExpectedVersion` a different stored version is a 409 and nothing changes; without them a
 * concurrent write is re-read and retried. A retry of a merge that already happened answers the same (`alreadyMerged`)
 * and rewrites the links (which also repairs a write that stopped half way).
 */
export function makeMergeCustomers(deps: CustomerIdentityDeps) {
  const links = linksOf(deps.customers);
  return async (input: { customerId: string; sourceCustomerId: string; reason: string; by: string; expectedVersion?: number; sourceExpectedVersion?: number }) => {
    const reason = reasonOf(input.reason);
    if (input.customerId === input.sourceCustomerId) throw new DomainError('REQUEST.VALIDATION_FAILED', 'sourceCustomerId: a customer cannot be merged into itself', { issues: [{ path: 'sourceCustomerId', message: 'must differ from the customer' }] });
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const [target, source] = await Promise.all([mustGetStored(links, input.customerId), mustGetStored(links, input.sourceCustomerId)]);
      if (target.mergedInto) conflict(target.id, `customer ${target.id} was merged into ${target.mergedInto}: merge into that one`, target.version ?? 0);
      if (source.mergedInto === target.id) {
        await links.commit({ customers: [], links: linksFor(source, target.id) });
        await moveOpenConversations(deps.store, source.id, target.id);
        return { customer: target, source, moved: { identities: [], verified: [] }, alreadyMerged: true };
      }
      if (source.mergedInto) conflict(source.id, `customer ${source.id} was already merged into ${source.mergedInto}`, source.version ?? 0);
      const targetVersion = target.version ?? 0;
      const sourceVersion = source.version ?? 0;
      if (input.expectedVersion !== undefined && input.expectedVersion !== targetVersion) conflict(target.id, `customer ${target.id} changed since version ${input.expectedVersion} (now ${targetVersion}); reload and try again`, targetVersion);
      if (input.sourceExpectedVersion !== undefined && input.sourceExpectedVersion !== sourceVersion) conflict(source.id, `customer ${source.id} changed since version ${input.sourceExpectedVersion} (now ${sourceVersion}); reload and try again`, sourceVersion);
      const merged = mergeCustomers(target, source, { at: deps.clock.now().toISOString(), by: input.by, reason });
      const written = await links.commit({
        customers: [
          { customer: merged.target, expectedVersion: targetVersion },
          { customer: merged.source, expectedVersion: sourceVersion },
        ],
        links: linksFor(source, target.id),
      });
      if (written) {
        await moveOpenConversations(deps.store, source.id, target.id);
        return { customer: merged.target, source: merged.source, moved: merged.moved, alreadyMerged: false };
      }
      if (input.expectedVersion !== undefined || input.sourceExpectedVersion !== undefined) {
        const now = await links.getStored(target.id);
        conflict(target.id, `customer ${target.id} or ${source.id} was changed by someone else meanwhile; reload and try again`, now?.version ?? 0);
      }
    }
    throw new DomainError('CUSTOMER.CONFLICT', `customers ${input.customerId} and ${input.sourceCustomerId} kept changing; try again`);
  };
}

/** The id of the customer an identity is split onto: the same for a retry of the same split (same version). */
export function splitCustomerId(customerId: string, identity: ChannelIdentity, version: number): string {
  return `cus_split_${createHash('sha256').update(`${customerId}\u0000${identity.channel}\u0000${identity.value}\u0000${version}`, 'utf8').digest('hex').slice(0, 24)}`;
}

/**
 * Moves one identity off a customer onto a new customer. Conditional on the customer's version (as merges are); a
 * retry of a split that already happened answers the same new customer (`alreadySplit`).
 */
export function makeSplitIdentity(deps: CustomerIdentityDeps) {
  const links = linksOf(deps.customers);
  return async (input: { customerId: string; channel: string; value: string; reason: string; by: string; expectedVersion?: number }) => {
    const reason = reasonOf(input.reason);
    const identity = { channel: input.channel, value: input.value };
    const key = identityLinkKey(identity);
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const customer = await mustGetStored(links, input.customerId);
      if (customer.mergedInto) conflict(customer.id, `customer ${customer.id} was merged into ${customer.mergedInto}: split from that one`, customer.version ?? 0);
      const version = customer.version ?? 0;
      if (!customer.identities.some((i) => i.channel === identity.channel && i.value === identity.value)) {
        const owner = (await links.get([key])).get(key);
        const split = owner ? await links.getStored(owner) : undefined;
        if (split?.splitFrom === customer.id && split.identities.some((i) => i.channel === identity.channel && i.value === identity.value)) return { customer, split, alreadySplit: true };
        throw new DomainError('REQUEST.VALIDATION_FAILED', `value: customer ${customer.id} has no ${identity.channel} identity ${identity.value}`, { issues: [{ path: 'value', message: 'not an identity of this customer' }] });
      }
      if (customer.identities.length < 2) throw new DomainError('REQUEST.VALIDATION_FAILED', 'value: the only identity of a customer cannot be split off', { issues: [{ path: 'value', message: 'the customer has no other identity' }] });
      if (input.expectedVersion !== undefined && input.expectedVersion !== version) conflict(customer.id, `customer ${customer.id} changed since version ${input.expectedVersion} (now ${version}); reload and try again`, version);
      const result = splitIdentity(customer, identity, splitCustomerId(customer.id, identity, version), { at: deps.clock.now().toISOString(), by: input.by, reason });
      const written = await links.commit({
        customers: [
          { customer: result.customer, expectedVersion: version },
          { customer: result.split, expectedVersion: 'absent' },
        ],
        links: [{ key, customerId: result.split.id }],
      });
      if (written) return { customer: result.customer, split: result.split, alreadySplit: false };
      if (input.expectedVersion !== undefined) {
        const now = await links.getStored(customer.id);
        conflict(customer.id, `customer ${customer.id} was changed by someone else meanwhile; reload and try again`, now?.version ?? 0);
      }
    }
    throw new DomainError('CUSTOMER.CONFLICT', `customer ${input.customerId} kept changing; try again`);
  };
}

/** What the console lists of a customer. */
export function customerSummary(c: Customer) {
  return {
    id: c.id,
    name: c.name ?? null,
    tier: c.tier,
    email: c.email ?? null,
    phone: c.phone ?? null,
    identities: c.identities,
    verified: c.verified ?? [],
    tags: c.tags ?? [],
    version: c.version ?? 0,
    createdAt: c.createdAt,
  };
}

export const SEARCH_LIMIT = 50;

/**
 * Search by name, e-mail, phone or channel identity: exact matches through the links first (a pasted openid, an
 * e-mail or phone in any spelling), then a scan of the profiles for the text.
 */
export function makeSearchCustomers(deps: CustomerIdentityDeps) {
  const links = linksOf(deps.customers);
  return async (q: string) => {
    const text = q.trim().slice(0, 200);
    const exactKeys: string[] = [];
    if (text) {
      const email = normaliseEmail(text);
      if (email) exactKeys.push(verifiedLinkKey({ kind: 'email', value: email }));
      const phone = /^\+?[0-9 ().-]{6,}$/.test(text) ? normalisePhone(text) : undefined;
      if (phone) exactKeys.push(verifiedLinkKey({ kind: 'phone', value: phone }));
      exactKeys.push(...CHANNELS.map((channel) => identityLinkKey({ channel, value: text })));
    }
    const exactIds = [...new Set((await links.get(exactKeys)).values())];
    const exact = (await Promise.all(exactIds.map((id) => survivor(links, id)))).filter((c): c is Customer => !!c);
    const scanned = await links.search(text, SEARCH_LIMIT);
    const seen = new Set<string>();
    const customers = [...exact, ...scanned].filter((c) => !seen.has(c.id) && seen.add(c.id)).slice(0, SEARCH_LIMIT);
    return { customers: customers.map(customerSummary) };
  };
}

/** A customer for the console: the profile, identities, conversations (its own and the merged customers'), the log. */
export function makeGetCustomerIdentity(deps: CustomerIdentityDeps & { store: Pick<ConversationStore, 'listByCustomer'> }) {
  const links = linksOf(deps.customers);
  return async (customerId: string) => {
    const stored = await mustGetStored(links, customerId);
    const customer = stored.mergedInto ? ((await survivor(links, customerId)) ?? stored) : stored;
    const ids = [customer.id, ...(customer.mergedFrom ?? [])];
    const lists = await Promise.all(ids.map((id) => deps.store.listByCustomer(id, 20)));
    const conversations = lists
      .flat()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 50)
      .map((c) => ({ id: c.id, channel: c.channel, status: c.status, customerId: c.customerId, createdAt: c.createdAt, ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}) }));
    return {
      customer: { ...customerSummary(customer), notes: customer.notes ?? null, mergedFrom: customer.mergedFrom ?? [], splitFrom: customer.splitFrom ?? null },
      ...(customer.id !== customerId ? { redirectedFrom: customerId } : {}),
      conversations,
      identityLog: customer.identityLog ?? [],
    };
  };
}
