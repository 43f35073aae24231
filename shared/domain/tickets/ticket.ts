/**
 * Tickets (Zendesk-like): the model, its status machine and its rules. Pure: no I/O, no clock, no ids; the use cases
 * (shared/application/ticket.use-cases.ts) read, decide here, and write through the TicketStore port.
 *
 * Status machine (a same-status "change" is no change):
 *
 *   new      → open | pending | on-hold | solved
 *   open     → pending | on-hold | solved
 *   pending  → open | on-hold | solved
 *   on-hold  → open | pending | solved
 *   solved   → open (reopen) | closed
 *   closed   → nothing: closed is final (a customer writing again gets a follow-up ticket linked to it)
 *
 * A merge is the one way to close a ticket that is not solved: the source is closed with a "merged-into" link.
 *
 * `dueKey` (the sort key of the byStatus and byAssignee indexes, written by the store from `dueKeyOf`):
 *   - active tickets (new, open, pending, on-hold): the next due time (ISO) or "~" when nothing is due, so that an
 *     ascending read lists the most urgent first and "due before T" is `dueKey < T`;
 *   - solved and closed tickets: "~" + the time they were solved / closed. They stay in both indexes (so "solved
 *     tickets" and "an agent's past tickets" remain queryable, newest last) but sort after every active ticket and
 *     never match "due before": `dueKey <= "~"` reads the active tickets only.
 */
import type { Channel } from '../conversation/conversation.ts';
import { DomainError } from '../errors.ts';
import { DEFAULT_ORDER_NUMBER_PATTERN, type SlotValue } from '../flows/slot-extraction.ts';

export const TICKET_TYPES = ['pre-sales', 'after-sales', 'inquiry', 'complaint'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'] as const;
export const TICKET_RELATIONS = ['related', 'follow-up', 'merged-into', 'merged-from'] as const;

export type TicketType = (typeof TICKET_TYPES)[number];
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export type TicketRelation = (typeof TICKET_RELATIONS)[number];
export type ActiveTicketStatus = Exclude<TicketStatus, 'solved' | 'closed'>;

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 50;
export const MAX_CUSTOM_FIELDS = 50;
export const MAX_CUSTOM_FIELD_STRING = 1_000;
export const MAX_SUBJECT = 200;
export const MAX_DESCRIPTION = 20_000;
export const MAX_COMMENT = 10_000;
export const MAX_LINKS = 100;
/** Sort key of "nothing due": after every ISO time. */
export const NOTHING_DUE = '~';

export type CustomFieldValue = string | number | boolean;

/** A link from a ticket: to a conversation, or to another ticket with a relation (seen from this ticket). */
export type TicketLink =
  | { readonly kind: 'conversation'; readonly conversationId: string; readonly at: string }
  | { readonly kind: 'ticket'; readonly ticketId: string; readonly relation: TicketRelation; readonly at: string };

export interface Ticket {
  readonly id: string;
  readonly type: TicketType;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  /** The requester. */
  readonly customerId: string;
  readonly channel?: Channel;
  /** The conversation the ticket came from (byConversation index). */
  readonly conversationId?: string;
  readonly assigneeId?: string;
  readonly groupId?: string;
  readonly subject: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly customFields: Readonly<Record<string, CustomFieldValue>>;
  readonly links: readonly TicketLink[];
  /** An order number a flow collected (or found in the conversation). */
  readonly orderNumber?: string;
  /** Next due time (ISO), from the creator or the SLA hook. */
  readonly dueAt?: string;
  /** Opaque SLA state, as the injected SLA hook returned it. */
  readonly sla?: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly solvedAt?: string;
  readonly closedAt?: string;
  /** Optimistic concurrency: 1 on create, +1 on every write; every write is conditional on the version read. */
  readonly version: number;
}

/** What a creator must give; the rest takes defaults (status new, no tags, version 1, ...). */
export interface NewTicket {
  readonly id: string;
  readonly customerId: string;
  readonly type: TicketType;
  readonly priority: TicketPriority;
  readonly subject: string;
  readonly description: string;
  readonly createdAt: string;
  readonly status?: TicketStatus;
  readonly channel?: Channel;
  readonly conversationId?: string;
  readonly assigneeId?: string;
  readonly groupId?: string;
  readonly tags?: readonly string[];
  readonly customFields?: Readonly<Record<string, unknown>>;
  readonly links?: readonly TicketLink[];
  readonly orderNumber?: string;
  readonly dueAt?: string;
  readonly sla?: unknown;
}

export type CommentVisibility = 'public' | 'internal';
export type AuthorKind = 'agent' | 'customer' | 'system';

/** A public reply (seen by the customer) or an internal note. */
export interface TicketComment {
  readonly id: string;
  readonly ticketId: string;
  readonly visibility: CommentVisibility;
  /** An agent id, "customer" or "system". */
  readonly author: string;
  readonly authorKind: AuthorKind;
  readonly text: string;
  readonly createdAt: string;
  /** The channel message a customer comment came from (a redelivered message is not stored twice). */
  readonly sourceMessageId?: string;
}

export type HistoryAction = 'created' | 'updated' | 'commented' | 'reopened' | 'linked' | 'merged-into' | 'merged-from' | 'follow-up-created' | 'sla-warning' | 'sla-breach';

/** Who changed what: one audit item per write. */
export interface TicketHistoryEntry {
  readonly id: string;
  readonly ticketId: string;
  readonly at: string;
  readonly actor: string;
  readonly action: HistoryAction;
  readonly changes?: Readonly<Record<string, { readonly from: unknown; readonly to: unknown }>>;
  readonly detail?: Readonly<Record<string, unknown>>;
}

// ---------------------------------------------------------------- validation helpers

function invalid(message: string, details?: Record<string, unknown>): never {
  throw new DomainError('TICKET.INVALID', message, details);
}

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) invalid(`${field} must be one of ${values.join(', ')}`, { field });
  return value as T;
}

export const parseType = (value: unknown): TicketType => oneOf(TICKET_TYPES, value, 'type');
export const parsePriority = (value: unknown): TicketPriority => oneOf(TICKET_PRIORITIES, value, 'priority');
export const parseStatus = (value: unknown): TicketStatus => oneOf(TICKET_STATUSES, value, 'status');

/** Trims and checks a text field: non-empty, at most `max` characters. */
export function validateText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') invalid(`${field} must be a string`, { field });
  const text = value.trim();
  if (!text) invalid(`${field} must not be empty`, { field });
  if (text.length > max) invalid(`${field} must be at most ${max} characters`, { field, max });
  return text;
}

/** An id given by a caller (customer, agent, group, conversation, ticket): 1–128 printable characters, no spaces. */
export function validateId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[\w.:@#-]{1,128}$/u.test(value)) invalid(`${field} must be an id (1–128 letters, digits, or . : @ # _ -)`, { field });
  return value;
}

export function validateIsoTime(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value))) invalid(`${field} must be an ISO 8601 time`, { field });
  return new Date(value).toISOString();
}

/**
 * Tags: NFKC, trimmed, lower-cased, inner spaces as "_"; letters, digits and _ - : . / only, 1–50 characters;
 * duplicates dropped (first kept); at most 20.
 */
export function normalizeTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) invalid('tags must be an array of strings', { field: 'tags' });
  const out: string[] = [];
  for (const raw of tags) {
    if (typeof raw !== 'string') invalid('tags must be strings', { field: 'tags' });
    const tag = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/gu, '_');
    if (!tag) invalid('a tag must not be empty', { field: 'tags' });
    if (tag.length > MAX_TAG_LENGTH) invalid(`a tag must be at most ${MAX_TAG_LENGTH} characters`, { field: 'tags', tag });
    if (!/^[\p{L}\p{N}_\-:./]+$/u.test(tag)) invalid(`tag "${tag}" may contain only letters, digits and _ - : . /`, { field: 'tags', tag });
    if (!out.includes(tag)) out.push(tag);
  }
  if (out.length > MAX_TAGS) invalid(`at most ${MAX_TAGS} tags`, { field: 'tags', count: out.length });
  return out;
}

const CUSTOM_FIELD_KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/;

function customFieldValue(key: string, value: unknown): CustomFieldValue {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalid(`custom field ${key} must be a finite number`, { field: `customFields.${key}` });
    return value;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_CUSTOM_FIELD_STRING) invalid(`custom field ${key} must be at most ${MAX_CUSTOM_FIELD_STRING} characters`, { field: `customFields.${key}` });
    return value;
  }
  return invalid(`custom field ${key} must be a string, a number or a boolean`, { field: `customFields.${key}` });
}

function customFieldKey(key: string): string {
  if (!CUSTOM_FIELD_KEY.test(key)) invalid(`custom field key "${key}" must start with a letter and hold only letters, digits and _ (at most 64)`, { field: 'customFields', key });
  return key;
}

/** Custom fields: keys `[a-zA-Z][a-zA-Z0-9_]{0,63}`, string (≤ 1,000) / finite number / boolean values, at most 50. */
export function validateCustomFields(fields: unknown): Record<string, CustomFieldValue> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) invalid('customFields must be an object', { field: 'customFields' });
  const out: Record<string, CustomFieldValue> = {};
  for (const [key, value] of Object.entries(fields)) out[customFieldKey(key)] = customFieldValue(key, value);
  if (Object.keys(out).length > MAX_CUSTOM_FIELDS) invalid(`at most ${MAX_CUSTOM_FIELDS} custom fields`, { field: 'customFields' });
  return out;
}

/** Applies a patch to custom fields: a value sets, `null` removes; the result is checked as a whole. */
export function patchCustomFields(current: Readonly<Record<string, CustomFieldValue>>, patch: unknown): Record<string, CustomFieldValue> {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) invalid('customFields must be an object', { field: 'customFields' });
  const out: Record<string, CustomFieldValue> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    customFieldKey(key);
    if (value === null) delete out[key];
    else out[key] = customFieldValue(key, value);
  }
  if (Object.keys(out).length > MAX_CUSTOM_FIELDS) invalid(`at most ${MAX_CUSTOM_FIELDS} custom fields`, { field: 'customFields' });
  return out;
}

// ---------------------------------------------------------------- status machine

const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'on-hold', 'solved'],
  open: ['pending', 'on-hold', 'solved'],
  pending: ['open', 'on-hold', 'solved'],
  'on-hold': ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isActive(status: TicketStatus): status is ActiveTicketStatus {
  return status !== 'solved' && status !== 'closed';
}

/** Refuses any change to a closed ticket (closed is final). */
export function assertNotClosed(ticket: Ticket): void {
  if (ticket.status === 'closed') throw new DomainError('TICKET.CLOSED', `ticket ${ticket.id} is closed`, { ticketId: ticket.id });
}

/** The ticket moved to `to` (with solvedAt / closedAt), or a TICKET.INVALID_TRANSITION error. */
export function transition(ticket: Ticket, to: TicketStatus, at: string): Ticket {
  if (ticket.status === to) return ticket;
  assertNotClosed(ticket);
  if (!canTransition(ticket.status, to)) {
    throw new DomainError('TICKET.INVALID_TRANSITION', `ticket ${ticket.id} cannot go from ${ticket.status} to ${to}`, { from: ticket.status, to, allowed: TRANSITIONS[ticket.status] });
  }
  return withStatus(ticket, to, at);
}

function withStatus(ticket: Ticket, to: TicketStatus, at: string): Ticket {
  const next: Record<string, unknown> = { ...ticket, status: to };
  if (to === 'solved') next.solvedAt = at;
  else if (to === 'closed') next.closedAt = at;
  else delete next.solvedAt;
  return next as unknown as Ticket;
}

/** The sort key of the byStatus / byAssignee indexes (see the header). */
export function dueKeyOf(ticket: Pick<Ticket, 'status' | 'dueAt' | 'solvedAt' | 'closedAt' | 'updatedAt'>): string {
  if (isActive(ticket.status)) return ticket.dueAt ?? NOTHING_DUE;
  return `${NOTHING_DUE}${(ticket.status === 'closed' ? ticket.closedAt : ticket.solvedAt) ?? ticket.updatedAt}`;
}

// ---------------------------------------------------------------- creation

/** A full ticket from what a creator gave, checked and with defaults. */
export function newTicket(input: NewTicket): Ticket {
  const ticket: Record<string, unknown> = {
    id: validateId(input.id, 'id'),
    type: parseType(input.type),
    status: input.status === undefined ? 'new' : parseStatus(input.status),
    priority: parsePriority(input.priority),
    customerId: validateId(input.customerId, 'customerId'),
    subject: validateText(truncate(input.subject, MAX_SUBJECT), 'subject', MAX_SUBJECT),
    description: typeof input.description === 'string' ? truncate(input.description, MAX_DESCRIPTION) : invalid('description must be a string', { field: 'description' }),
    tags: normalizeTags(input.tags ?? []),
    customFields: validateCustomFields(input.customFields ?? {}),
    links: [...(input.links ?? [])],
    createdAt: validateIsoTime(input.createdAt, 'createdAt'),
    version: 1,
  };
  ticket.updatedAt = ticket.createdAt;
  if (input.channel !== undefined) ticket.channel = input.channel;
  if (input.conversationId !== undefined) ticket.conversationId = validateId(input.conversationId, 'conversationId');
  if (input.assigneeId !== undefined) ticket.assigneeId = validateId(input.assigneeId, 'assigneeId');
  if (input.groupId !== undefined) ticket.groupId = validateId(input.groupId, 'groupId');
  if (input.orderNumber !== undefined) ticket.orderNumber = validateText(input.orderNumber, 'orderNumber', 64);
  if (input.dueAt !== undefined) ticket.dueAt = validateIsoTime(input.dueAt, 'dueAt');
  if (input.sla !== undefined) ticket.sla = input.sla;
  if (ticket.status === 'closed') invalid('a ticket cannot be created closed', { field: 'status' });
  if (ticket.status === 'solved') ticket.solvedAt = ticket.createdAt;
  if ((ticket.links as TicketLink[]).length > MAX_LINKS) invalid(`at most ${MAX_LINKS} links`, { field: 'links' });
  return ticket as unknown as Ticket;
}

export function truncate(text: string, max: number): string {
  return typeof text === 'string' && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Maps a conversation's numeric priority (0–9, 5 normal) to a ticket priority. */
export function priorityFromScore(score: number | undefined): TicketPriority {
  const p = score ?? 5;
  return p >= 8 ? 'urgent' : p >= 6 ? 'high' : p <= 2 ? 'low' : 'normal';
}

/**
 * The order number among a flow's slots: a slot named like "orderNumber" / "order_no" first, else any value that
 * looks like an order number (the default pattern).
 */
export function orderNumberFromSlots(slots: Readonly<Record<string, SlotValue>> | undefined): string | undefined {
  if (!slots) return undefined;
  for (const [name, value] of Object.entries(slots)) if (/^order[_-]?(number|no|id)$/i.test(name) && String(value).trim()) return String(value).trim();
  const pattern = new RegExp(`^${DEFAULT_ORDER_NUMBER_PATTERN}$`, 'i');
  for (const value of Object.values(slots)) if (pattern.test(String(value))) return String(value).toUpperCase();
  return undefined;
}

/** The last order number (default pattern) mentioned in some texts. */
export function orderNumberInTexts(texts: readonly string[]): string | undefined {
  const pattern = new RegExp(DEFAULT_ORDER_NUMBER_PATTERN, 'gi');
  let found: string | undefined;
  for (const text of texts) for (const m of text.normalize('NFKC').matchAll(pattern)) found = m[0].toUpperCase();
  return found;
}

// ---------------------------------------------------------------- updates

export interface TicketPatch {
  readonly status?: unknown;
  readonly priority?: unknown;
  readonly type?: unknown;
  readonly subject?: unknown;
  /** null unassigns. */
  readonly assigneeId?: unknown;
  /** null removes the group. */
  readonly groupId?: unknown;
  /** Replaces the tags. */
  readonly tags?: unknown;
  readonly addTags?: unknown;
  readonly removeTags?: unknown;
  /** A value sets, null removes. */
  readonly customFields?: unknown;
}

export type Changes = Record<string, { from: unknown; to: unknown }>;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies a patch (already shaped by the caller, checked here): returns the new state (version not yet bumped) and
 * the changes for the history. Unchanged fields are not reported; an empty `changes` means nothing to write.
 */
export function applyPatch(ticket: Ticket, patch: TicketPatch, at: string): { ticket: Ticket; changes: Changes } {
  assertNotClosed(ticket);
  let next: Record<string, unknown> = { ...ticket };
  const changes: Changes = {};
  const set = (field: string, value: unknown) => {
    const before = (ticket as unknown as Record<string, unknown>)[field];
    if (same(before, value)) return;
    changes[field] = { from: before ?? null, to: value ?? null };
    if (value === undefined || value === null) delete next[field];
    else next[field] = value;
  };
  if (patch.priority !== undefined) set('priority', parsePriority(patch.priority));
  if (patch.type !== undefined) set('type', parseType(patch.type));
  if (patch.subject !== undefined) set('subject', validateText(patch.subject, 'subject', MAX_SUBJECT));
  if (patch.assigneeId !== undefined) set('assigneeId', patch.assigneeId === null ? null : validateId(patch.assigneeId, 'assigneeId'));
  if (patch.groupId !== undefined) set('groupId', patch.groupId === null ? null : validateId(patch.groupId, 'groupId'));
  if (patch.tags !== undefined || patch.addTags !== undefined || patch.removeTags !== undefined) {
    let tags = patch.tags !== undefined ? normalizeTags(patch.tags) : [...ticket.tags];
    if (patch.addTags !== undefined) tags = [...tags, ...normalizeTags(patch.addTags).filter((t) => !tags.includes(t))];
    if (patch.removeTags !== undefined) {
      const remove = new Set(normalizeTags(patch.removeTags));
      tags = tags.filter((t) => !remove.has(t));
    }
    if (tags.length > MAX_TAGS) invalid(`at most ${MAX_TAGS} tags`, { field: 'tags', count: tags.length });
    set('tags', tags);
  }
  if (patch.customFields !== undefined) set('customFields', patchCustomFields(ticket.customFields, patch.customFields));
  if (patch.status !== undefined) {
    const to = parseStatus(patch.status);
    if (to !== ticket.status) {
      next = { ...(transition(next as unknown as Ticket, to, at) as unknown as Record<string, unknown>) };
      changes.status = { from: ticket.status, to };
    }
  }
  if (Object.keys(changes).length) next.updatedAt = at;
  return { ticket: next as unknown as Ticket, changes };
}

/** The state to write: version + 1 and updatedAt. */
export function bump(ticket: Ticket, at: string): Ticket {
  return { ...ticket, version: ticket.version + 1, updatedAt: at };
}

// ---------------------------------------------------------------- links

export function hasTicketLink(ticket: Ticket, ticketId: string, relation?: TicketRelation): boolean {
  return ticket.links.some((l) => l.kind === 'ticket' && l.ticketId === ticketId && (relation === undefined || l.relation === relation));
}

export function mergedInto(ticket: Ticket): string | undefined {
  const link = ticket.links.find((l) => l.kind === 'ticket' && l.relation === 'merged-into');
  return link && link.kind === 'ticket' ? link.ticketId : undefined;
}

/** Adds a link unless the same one is there; undefined when nothing changes. */
export function addLink(ticket: Ticket, link: TicketLink): Ticket | undefined {
  const exists = ticket.links.some((l) =>
    l.kind === 'conversation' ? link.kind === 'conversation' && link.conversationId === l.conversationId : link.kind === 'ticket' && link.ticketId === l.ticketId && link.relation === l.relation,
  );
  if (exists) return undefined;
  if (ticket.links.length >= MAX_LINKS) invalid(`at most ${MAX_LINKS} links`, { field: 'links', ticketId: ticket.id });
  return { ...ticket, links: [...ticket.links, link] };
}

// ---------------------------------------------------------------- merge

export type MergeCheck = { readonly kind: 'merge' } | { readonly kind: 'already-merged' };

/**
 * Whether `source` may be merged into `target`:
 *   - not into itself;
 *   - a source already merged into this target is done already (idempotent); merged elsewhere, refused;
 *   - not into a closed ticket (which includes a ticket merged elsewhere: no chains);
 *   - not a closed source (closed is final);
 *   - not a source that others were merged into (its merged-from tickets would point at a closed ticket: a chain).
 */
export function checkMerge(source: Ticket, target: Ticket): MergeCheck {
  const refuse = (why: string): never => {
    throw new DomainError('TICKET.MERGE_REFUSED', `cannot merge ticket ${source.id} into ${target.id}: ${why}`, { sourceId: source.id, targetId: target.id });
  };
  if (source.id === target.id) refuse('a ticket cannot be merged into itself');
  const into = mergedInto(source);
  if (into === target.id) return { kind: 'already-merged' };
  if (into) refuse(`the source was already merged into ${into}`);
  if (mergedInto(target)) refuse('the target was merged into another ticket');
  if (target.status === 'closed') refuse('the target is closed');
  if (source.status === 'closed') refuse('the source is closed');
  if (source.links.some((l) => l.kind === 'ticket' && l.relation === 'merged-from')) refuse('other tickets were merged into the source (no merge chains)');
  return { kind: 'merge' };
}

/** The summary note the target receives: the source's description and public comments, oldest first. */
export function mergeSummary(source: Ticket, publicComments: readonly TicketComment[]): string {
  const lines = [`Merged from ticket ${source.id}: ${source.subject}`, '', source.description];
  for (const c of publicComments) lines.push('', `[${c.createdAt} ${c.author}] ${c.text}`);
  return truncate(lines.join('\n'), MAX_COMMENT);
}

/** Both sides of a merge (versions bumped): the source closed with a merged-into link, the target with merged-from. */
export function mergeStates(source: Ticket, target: Ticket, at: string): { source: Ticket; target: Ticket } {
  const closed = withStatus(source, 'closed', at);
  return {
    source: bump({ ...closed, links: [...source.links, { kind: 'ticket', ticketId: target.id, relation: 'merged-into', at }] }, at),
    target: bump({ ...target, links: [...target.links, { kind: 'ticket', ticketId: source.id, relation: 'merged-from', at }] }, at),
  };
}

// ---------------------------------------------------------------- customer activity

/**
 * What a customer writing on a ticket does: reopen a solved (or pending) ticket, comment on an active one, or, on a
 * closed ticket, ask for a follow-up ticket.
 */
export function customerReplyEffect(ticket: Ticket): { kind: 'comment'; reopen: TicketStatus | undefined } | { kind: 'follow-up' } {
  if (ticket.status === 'closed') return { kind: 'follow-up' };
  if (ticket.status === 'solved' || ticket.status === 'pending') return { kind: 'comment', reopen: 'open' };
  return { kind: 'comment', reopen: undefined };
}

/** The status after an agent's comment: a public reply on a new ticket opens it. */
export function statusAfterAgentComment(ticket: Ticket, visibility: CommentVisibility): TicketStatus {
  return visibility === 'public' && ticket.status === 'new' ? 'open' : ticket.status;
}
