/**
 * Editing a customer's profile from the console: name, tier, tags, notes, email, phone. Every edit is conditional on
 * the customer's version (optimistic concurrency: a stale `expectedVersion` is refused, nothing is written) and is
 * recorded on the customer with who and when (the last 50 edits). Any agent may edit; a tier change needs a
 * supervisor or an admin, because the tier raises queue priority.
 */
import { DomainError } from '../domain/errors.ts';
import { CUSTOMER_TIERS, type Customer, type CustomerChange, type CustomerDirectory, type CustomerTier } from '../ports/directory.ts';
import type { Clock } from '../ports/gateways.ts';

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;
export const MAX_CUSTOMER_NOTES_LENGTH = 2000;
export const MAX_NAME_LENGTH = 100;
const AUDIT_ENTRIES = 50;
/** Long values (notes) are kept short in the audit: the item must stay far below DynamoDB's 400 KB. */
const AUDIT_VALUE_CHARS = 120;
const WRITE_ATTEMPTS = 3;


/** What a PATCH may carry; an empty string clears notes, email or phone. */
export interface CustomerPatch {
  readonly name?: string;
  readonly tier?: string;
  readonly tags?: readonly string[];
  readonly notes?: string;
  readonly email?: string;
  readonly phone?: string;
}

type Issue = { path: string; message: string };
type Editable = 'name' | 'tier' | 'tags' | 'notes' | 'email' | 'phone';

function invalid(issues: readonly Issue[]): never {
  throw new DomainError('REQUEST.VALIDATION_FAILED', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

/** Trimmed, inner whitespace collapsed, duplicates dropped (case-insensitively, the first spelling kept). */
export function normaliseTags(tags: readonly string[]): { tags: string[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const out: string[] = [];
  tags.forEach((raw, i) => {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (tag.length === 0) issues.push({ path: `tags.${i}`, message: 'a tag must not be empty' });
    else if (tag.length > MAX_TAG_LENGTH) issues.push({ path: `tags.${i}`, message: `a tag must be at most ${MAX_TAG_LENGTH} characters` });
    else if (!seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  });
  if (out.length > MAX_TAGS) issues.push({ path: 'tags', message: `at most ${MAX_TAGS} tags` });
  return { tags: out, issues };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()-]{3,30}$/;

/** The patch checked and normalised: each field's new value (undefined: clear it). */
export function normalisePatch(patch: CustomerPatch): Partial<Record<Editable, string | readonly string[] | undefined>> {
  const issues: Issue[] = [];
  const out: Partial<Record<Editable, string | readonly string[] | undefined>> = {};
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (!name) issues.push({ path: 'name', message: 'must not be empty' });
    else if (name.length > MAX_NAME_LENGTH) issues.push({ path: 'name', message: `must be at most ${MAX_NAME_LENGTH} characters` });
    else out.name = name;
  }
  if (patch.tier !== undefined) {
    if (!(CUSTOMER_TIERS as readonly string[]).includes(patch.tier)) issues.push({ path: 'tier', message: `must be one of ${CUSTOMER_TIERS.join(', ')}` });
    else out.tier = patch.tier;
  }
  if (patch.tags !== undefined) {
    const tags = normaliseTags(patch.tags);
    issues.push(...tags.issues);
    out.tags = tags.tags;
  }
  if (patch.notes !== undefined) {
    const notes = patch.notes.trim();
    if (notes.length > MAX_CUSTOMER_NOTES_LENGTH) issues.push({ path: 'notes', message: `must be at most ${MAX_CUSTOMER_NOTES_LENGTH} characters` });
    else out.notes = notes || undefined;
  }
  if (patch.email !== undefined) {
    const email = patch.email.trim();
    if (email && (email.length > 254 || !EMAIL.test(email))) issues.push({ path: 'email', message: 'must be an email address' });
    else out.email = email || undefined;
  }
  if (patch.phone !== undefined) {
    const phone = patch.phone.trim();
    if (phone && !PHONE.test(phone)) issues.push({ path: 'phone', message: 'must be a phone number (digits, spaces, + ( ) -)' });
    else out.phone = phone || undefined;
  }
  if (issues.length) invalid(issues);
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function auditValue(value: unknown): unknown {
  if (value === undefined) return null;
  return typeof value === 'string' && value.length > AUDIT_VALUE_CHARS ? `${value.slice(0, AUDIT_VALUE_CHARS)}…` : value;
}

export interface CustomerEditDeps {
  readonly customers: CustomerDirectory;
  readonly clock: Clock;
}

/**
 * Applies a patch. Without `expectedVersion` the edit applies to the current version (re-read and retried if someone
 * else wrote first); with it, a different stored version is a conflict and nothing changes. An edit that changes
 * nothing writes nothing.
 */
export function makeEditCustomer(deps: CustomerEditDeps) {
  return async (input: { customerId: string; by: { agentId: string; mayChangeTier: boolean }; patch: CustomerPatch; expectedVersion?: number }): Promise<Customer> => {
    const wanted = normalisePatch(input.patch);
    for (let attempt = 0; ; attempt++) {
      const current = await deps.customers.get(input.customerId);
      if (!current) throw new DomainError('CUSTOMER.NOT_FOUND', `customer ${input.customerId} does not exist`);
      const version = current.version ?? 0;
      if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
        throw new DomainError('CUSTOMER.CONFLICT', `customer ${input.customerId} changed since version ${input.expectedVersion} (now ${version}); reload and try again`, { currentVersion: version });
      }
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const [field, value] of Object.entries(wanted) as [Editable, unknown][]) {
        const before = (current as unknown as Record<string, unknown>)[field];
        if (!same(before, value) && !(field === 'tags' && same(before ?? [], value))) changes[field] = { from: before, to: value };
      }
      if (changes.tier && !input.by.mayChangeTier) {
        throw new DomainError('CUSTOMER.TIER_FORBIDDEN', 'changing a customer\'s tier needs the supervisor or admin role', { field: 'tier' });
      }
      if (Object.keys(changes).length === 0) return current;
      const at = deps.clock.now().toISOString();
      const entry: CustomerChange = { at, by: input.by.agentId, changes: Object.fromEntries(Object.entries(changes).map(([k, c]) => [k, { from: auditValue(c.from), to: auditValue(c.to) }])) };
      const next: Record<string, unknown> = { ...current };
      for (const [field, change] of Object.entries(changes)) {
        if (change.to === undefined || (field === 'tags' && (change.to as readonly string[]).length === 0)) delete next[field];
        else next[field] = change.to;
      }
      const updated = { ...next, tier: (next.tier ?? 'standard') as CustomerTier, version: version + 1, updatedAt: at, updatedBy: input.by.agentId, audit: [entry, ...(current.audit ?? [])].slice(0, AUDIT_ENTRIES) } as unknown as Customer;
      if (await deps.customers.replace(updated, version)) return updated;
      if (input.expectedVersion !== undefined || attempt + 1 >= WRITE_ATTEMPTS) {
        const now = await deps.customers.get(input.customerId);
        if (!now) throw new DomainError('CUSTOMER.NOT_FOUND', `customer ${input.customerId} does not exist`);
        throw new DomainError('CUSTOMER.CONFLICT', `customer ${input.customerId} was changed by someone else meanwhile; reload and try again`, { currentVersion: now.version ?? 0 });
      }
    }
  };
}
