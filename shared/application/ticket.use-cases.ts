/**
 * Tickets: create (through the API, or from a conversation), read, update with optimistic concurrency, comment
 * (public replies and internal notes), customer replies (reopen, follow-up), links, merge and search.
 *
 * Every write is conditional on the version read (TICKET.CONFLICT otherwise, with nothing written). Writes the caller
 * did not base on a version it saw (a comment, a customer reply, a merge without versions) re-read and retry a few
 * times on a conflict. The SLA hook is asked for the ticket's new SLA state before each write (so it may be called
 * again on a retry: it must not have side effects), and what it returns is stored on the ticket.
 */
import type { Channel } from '../domain/conversation/conversation.ts';
import { DomainError } from '../domain/errors.ts';
import {
  addLink,
  applyPatch,
  bump,
  checkMerge,
  customerReplyEffect,
  MAX_COMMENT,
  MAX_DESCRIPTION,
  MAX_SUBJECT,
  mergedInto,
  mergeStates,
  mergeSummary,
  newTicket,
  orderNumberFromSlots,
  orderNumberInTexts,
  parseStatus,
  priorityFromScore,
  statusAfterAgentComment,
  transition,
  truncate,
  validateId,
  validateIsoTime,
  validateText,
  type Changes,
  type CommentVisibility,
  type Ticket,
  type TicketComment,
  type TicketHistoryEntry,
  type TicketPatch,
} from '../domain/tickets/ticket.ts';
import type { ConversationStore } from '../ports/conversation.store.ts';
import type { FlowSessionStore } from '../ports/flows.ts';
import type { Clock, Ids } from '../ports/gateways.ts';
import type { TicketPage, TicketQuery, TicketStore, TicketWithActivity } from '../ports/tickets.ts';

export type TicketSlaEvent = 'created' | 'agent-public-reply' | 'customer-reply' | 'status' | 'priority';

/** The SLA engine (shared/domain/tickets/sla.ts), injected; its state is opaque here. */
export interface TicketSlaHook {
  /** The ticket's new SLA state after the event, or undefined to keep the current one. */
  onEvent(ticket: Ticket, event: TicketSlaEvent, at: Date): Promise<unknown | undefined>;
  /**
   * The next due time (ISO) an SLA state implies: becomes the ticket's dueAt (and dueKey). When it implies none (every
   * clock paused or finished) the ticket's dueAt is removed, except at creation.
   */
  dueAt?(sla: unknown): string | undefined;
}

export const noSla: TicketSlaHook = { onEvent: async () => undefined };

export interface TicketDeps {
  readonly tickets: TicketStore;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly sla?: TicketSlaHook;
  /** Delivers a public reply to the customer on their channel (wired by the lead); absent: nothing is sent. */
  readonly notifyCustomer?: (ticket: Ticket, comment: TicketComment) => Promise<void>;
}

export interface TicketFromConversationDeps extends TicketDeps {
  readonly conversations: ConversationStore;
  /** Where a flow keeps its slots: an order number a running flow collected goes on the ticket. */
  readonly flowSessions?: FlowSessionStore;
}

const CHANNELS: readonly Channel[] = ['webchat', 'wechat', 'wecom', 'email', 'whatsapp', 'telegram', 'line', 'sms', 'api'];
const MAX_RETRIES = 5;
const DEFAULT_LIMIT = 25;
const TRANSCRIPT_MESSAGES = 200;

// ---------------------------------------------------------------- helpers

function invalid(message: string, field: string): never {
  throw new DomainError('TICKET.INVALID', message, { field });
}

function parseChannel(value: unknown): Channel {
  if (typeof value !== 'string' || !(CHANNELS as readonly string[]).includes(value)) invalid(`channel must be one of ${CHANNELS.join(', ')}`, 'channel');
  return value as Channel;
}

function parseKey(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 200) invalid(`${field} must be 1–200 characters`, field);
  return value;
}

function parseActor(value: unknown): string {
  if (value === 'system') return value;
  return validateId(value, 'actor');
}

async function mustLoad(tickets: TicketStore, ticketId: string): Promise<TicketWithActivity> {
  const found = await tickets.load(validateId(ticketId, 'ticketId'));
  if (!found) throw new DomainError('TICKET.NOT_FOUND', `ticket ${ticketId} does not exist`, { ticketId });
  return found;
}

async function mustGet(tickets: TicketStore, ticketId: string): Promise<Ticket> {
  const found = await tickets.get(validateId(ticketId, 'ticketId'));
  if (!found) throw new DomainError('TICKET.NOT_FOUND', `ticket ${ticketId} does not exist`, { ticketId });
  return found;
}

/** Asks the SLA hook about each event in turn and keeps what it returns (and the due time it implies). */
async function applySla(deps: Pick<TicketDeps, 'sla'>, ticket: Ticket, events: readonly TicketSlaEvent[], at: Date): Promise<Ticket> {
  const hook = deps.sla ?? noSla;
  let current = ticket;
  for (const event of events) {
    const sla = await hook.onEvent(current, event, at);
    if (sla === undefined) continue;
    current = { ...current, sla };
    if (!hook.dueAt) continue;
    const due = hook.dueAt(sla);
    if (due !== undefined) current = { ...current, dueAt: due };
    else if (event !== 'created') {
      // Every clock paused or finished: nothing is due (a creator's own due time stays until the SLA implies one).
      const { dueAt, ...rest } = current;
      void dueAt;
      current = rest;
    }
  }
  return current;
}

/** Runs a read-decide-write step again when a concurrent writer got there first. */
async function retryOnConflict<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'TICKET.CONFLICT') || attempt >= MAX_RETRIES) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

function history(deps: Pick<TicketDeps, 'ids'>, ticketId: string, at: string, actor: string, action: TicketHistoryEntry['action'], extra: { changes?: Changes; detail?: Record<string, unknown> } = {}): TicketHistoryEntry {
  return { id: `hst_${deps.ids.next()}`, ticketId, at, actor, action, ...(extra.changes && Object.keys(extra.changes).length ? { changes: extra.changes } : {}), ...(extra.detail ? { detail: extra.detail } : {}) };
}

function comment(deps: Pick<TicketDeps, 'ids'>, input: Omit<TicketComment, 'id' | 'authorKind'> & { authorKind?: TicketComment['authorKind'] }): TicketComment {
  const authorKind = input.authorKind ?? (input.author === 'customer' ? 'customer' : input.author === 'system' ? 'system' : 'agent');
  return { ...input, id: `cmt_${deps.ids.next()}`, authorKind };
}

// ---------------------------------------------------------------- create

export interface CreateTicketInput {
  /** Who creates it: an agent id, or "system". */
  readonly actor: string;
  /** The same key again returns the first ticket (created: false). */
  readonly idempotencyKey?: string;
  readonly customerId: string;
  readonly subject: string;
  readonly description: string;
  readonly type?: string;
  readonly priority?: string;
  readonly channel?: string;
  readonly conversationId?: string;
  readonly assigneeId?: string;
  readonly groupId?: string;
  readonly tags?: readonly string[];
  readonly customFields?: Readonly<Record<string, unknown>>;
  readonly orderNumber?: string;
  readonly dueAt?: string;
}

export interface CreateTicketResult {
  readonly ticket: Ticket;
  readonly created: boolean;
}

async function create(deps: TicketDeps, input: CreateTicketInput & { links?: Ticket['links'] }, detail: Record<string, unknown> = {}): Promise<CreateTicketResult> {
  const actor = parseActor(input.actor);
  const idempotencyKey = input.idempotencyKey === undefined ? undefined : parseKey(input.idempotencyKey, 'idempotencyKey');
  const now = deps.clock.now();
  const at = now.toISOString();
  let ticket = newTicket({
    id: `tkt_${deps.ids.next()}`,
    customerId: input.customerId,
    subject: validateText(input.subject, 'subject', MAX_SUBJECT),
    description: typeof input.description === 'string' ? validateText(input.description, 'description', MAX_DESCRIPTION) : invalid('description must be a string', 'description'),
    type: (input.type ?? 'inquiry') as Ticket['type'],
    priority: (input.priority ?? 'normal') as Ticket['priority'],
    createdAt: at,
    ...(input.channel !== undefined ? { channel: parseChannel(input.channel) } : {}),
    ...(input.conversationId !== undefined ? { conversationId: input.conversationId } : {}),
    ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
    ...(input.groupId !== undefined ? { groupId: input.groupId } : {}),
    ...(input.tags !== undefined ? { tags: input.tags } : {}),
    ...(input.customFields !== undefined ? { customFields: input.customFields } : {}),
    ...(input.orderNumber !== undefined ? { orderNumber: input.orderNumber } : {}),
    ...(input.dueAt !== undefined ? { dueAt: validateIsoTime(input.dueAt, 'dueAt') } : {}),
    ...(input.links ? { links: input.links } : {}),
  });
  ticket = await applySla(deps, ticket, ['created'], now);
  return deps.tickets.create(ticket, {
    ...(idempotencyKey ? { idempotencyKey } : {}),
    history: [history(deps, ticket.id, at, actor, 'created', { detail: { status: ticket.status, priority: ticket.priority, type: ticket.type, ...detail } })],
  });
}

/** Creates a ticket from validated API input. */
export function makeCreateTicket(deps: TicketDeps) {
  return async (input: CreateTicketInput): Promise<CreateTicketResult> => create(deps, input);
}

export interface CreateTicketFromConversationInput {
  readonly conversationId: string;
  readonly actor: string;
  readonly idempotencyKey?: string;
  readonly subject?: string;
  readonly type?: string;
  readonly priority?: string;
  readonly assigneeId?: string;
  readonly groupId?: string;
  readonly tags?: readonly string[];
  readonly customFields?: Readonly<Record<string, unknown>>;
  readonly dueAt?: string;
}

/**
 * Creates a ticket from a conversation: the customer, the channel and the conversation link from it, the transcript
 * as the description, the priority from the conversation's, the subject from the last customer message, and the order
 * number a running flow collected (or, failing that, the last one the customer wrote).
 */
export function makeCreateTicketFromConversation(deps: TicketFromConversationDeps) {
  return async (input: CreateTicketFromConversationInput): Promise<CreateTicketResult> => {
    const conversationId = validateId(input.conversationId, 'conversationId');
    const conversation = await deps.conversations.get(conversationId);
    if (!conversation) throw new DomainError('CONVERSATION.NOT_FOUND', `conversation ${conversationId} does not exist`);
    const transcript = await deps.conversations.listMessages(conversationId, { afterSeq: Math.max(0, conversation.seq - TRANSCRIPT_MESSAGES), limit: TRANSCRIPT_MESSAGES });
    const customerTexts = transcript.filter((m) => m.role === 'customer').map((m) => m.text);
    const session = deps.flowSessions ? await deps.flowSessions.get(conversationId) : undefined;
    const orderNumber = orderNumberFromSlots(session?.state?.slots) ?? orderNumberInTexts(customerTexts);
    const description = transcript.length ? transcript.map((m) => `[${m.createdAt} ${m.role}] ${m.text}`).join('\n') : '(no messages)';
    const result = await create(
      deps,
      {
        actor: input.actor,
        ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
        customerId: conversation.customerId,
        channel: conversation.channel,
        conversationId,
        subject: input.subject ?? truncate(customerTexts.at(-1) ?? `Conversation ${conversationId}`, MAX_SUBJECT),
        description: truncate(description, MAX_DESCRIPTION),
        type: input.type ?? 'inquiry',
        priority: input.priority ?? priorityFromScore(conversation.priority),
        ...(input.assigneeId !== undefined ? { assigneeId: input.assigneeId } : {}),
        ...(input.groupId !== undefined ? { groupId: input.groupId } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
        ...(input.customFields !== undefined ? { customFields: input.customFields } : {}),
        ...(input.dueAt !== undefined ? { dueAt: input.dueAt } : {}),
        ...(orderNumber ? { orderNumber } : {}),
        links: [{ kind: 'conversation', conversationId, at: deps.clock.now().toISOString() }],
      },
      { source: 'conversation' },
    );
    // The conversation points at its latest ticket: what the customer writes there next goes on the ticket too.
    if (result.created) await deps.conversations.update(conversationId, { ticketId: result.ticket.id }, ['bot', 'queued', 'agent', 'resolved']);
    return result;
  };
}

// ---------------------------------------------------------------- read

/** The ticket with its comments and history; `publicOnly` leaves out internal notes and history (a customer's view). */
export function makeGetTicket(deps: Pick<TicketDeps, 'tickets'>) {
  return async (input: { ticketId: string; publicOnly?: boolean }): Promise<TicketWithActivity> => {
    const found = await mustLoad(deps.tickets, input.ticketId);
    if (!input.publicOnly) return found;
    return { ticket: found.ticket, comments: found.comments.filter((c) => c.visibility === 'public'), history: [] };
  };
}

// ---------------------------------------------------------------- update

export interface UpdateTicketInput extends TicketPatch {
  readonly ticketId: string;
  /** The version the caller read: a different stored version is TICKET.CONFLICT. */
  readonly version: number;
  readonly actor: string;
}

const PATCH_FIELDS = ['status', 'priority', 'type', 'subject', 'assigneeId', 'groupId', 'tags', 'addTags', 'removeTags', 'customFields'] as const satisfies readonly (keyof TicketPatch)[];

/** Changes status / priority / assignee / group / tags / custom fields / type / subject, conditional on the version. */
export function makeUpdateTicket(deps: TicketDeps) {
  return async (input: UpdateTicketInput): Promise<{ ticket: Ticket; changes: Changes }> => {
    const actor = parseActor(input.actor);
    if (!Number.isInteger(input.version) || input.version < 1) invalid('version must be a positive integer', 'version');
    const { ticketId, version } = input;
    const patch: TicketPatch = Object.fromEntries(PATCH_FIELDS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
    if (!Object.keys(patch).length) invalid(`nothing to update (give one of ${PATCH_FIELDS.join(', ')})`, 'body');
    const current = await mustGet(deps.tickets, ticketId);
    if (current.version !== version) {
      throw new DomainError('TICKET.CONFLICT', `ticket ${ticketId} is at version ${current.version}, not ${version}; read it again`, { ticketId, version: current.version });
    }
    const now = deps.clock.now();
    const at = now.toISOString();
    const { ticket: patched, changes } = applyPatch(current, patch, at);
    if (!Object.keys(changes).length) return { ticket: current, changes };
    const events: TicketSlaEvent[] = [];
    if (changes.status) events.push('status');
    if (changes.priority || changes.type) events.push('priority');
    const next = bump(await applySla(deps, patched, events, now), at);
    const action = changes.status && current.status === 'solved' ? 'reopened' : 'updated';
    await deps.tickets.write({ updates: [{ ticket: next, expectedVersion: version }], history: [history(deps, ticketId, at, actor, action, { changes })] });
    return { ticket: next, changes };
  };
}

// ---------------------------------------------------------------- comments

export interface AddCommentInput {
  readonly ticketId: string;
  /** An agent id, or "system". */
  readonly actor: string;
  readonly visibility: CommentVisibility;
  readonly text: string;
}

export interface AddCommentResult {
  readonly ticket: Ticket;
  readonly comment: TicketComment;
  /** Whether a public reply reached notifyCustomer without error (false for notes, or without a notifier). */
  readonly notified: boolean;
  readonly notifyError?: string;
}

/** An agent's public reply (sent to the customer; opens a new ticket) or internal note. */
export function makeAddComment(deps: TicketDeps) {
  return async (input: AddCommentInput): Promise<AddCommentResult> => {
    const actor = parseActor(input.actor);
    if (input.visibility !== 'public' && input.visibility !== 'internal') invalid('visibility must be public or internal', 'visibility');
    const text = validateText(input.text, 'text', MAX_COMMENT);
    const { ticket, comment: stored } = await retryOnConflict(async () => {
      const current = await mustGet(deps.tickets, input.ticketId);
      if (current.status === 'closed') throw new DomainError('TICKET.CLOSED', `ticket ${current.id} is closed`, { ticketId: current.id });
      const now = deps.clock.now();
      const at = now.toISOString();
      const c = comment(deps, { ticketId: current.id, visibility: input.visibility, author: actor, text, createdAt: at });
      const to = actor === 'system' ? current.status : statusAfterAgentComment(current, input.visibility);
      let next = transition(current, to, at);
      const events: TicketSlaEvent[] = [];
      if (input.visibility === 'public' && actor !== 'system') events.push('agent-public-reply');
      if (to !== current.status) events.push('status');
      next = bump(await applySla(deps, next, events, now), at);
      const entries = to !== current.status ? [history(deps, current.id, at, actor, 'updated', { changes: { status: { from: current.status, to } }, detail: { by: 'public reply' } })] : [];
      await deps.tickets.write({ updates: [{ ticket: next, expectedVersion: current.version }], comments: [c], history: entries });
      return { ticket: next, comment: c };
    });
    if (input.visibility !== 'public' || !deps.notifyCustomer) return { ticket, comment: stored, notified: false };
    try {
      await deps.notifyCustomer(ticket, stored);
      return { ticket, comment: stored, notified: true };
    } catch (error) {
      return { ticket, comment: stored, notified: false, notifyError: error instanceof Error ? error.message : String(error) };
    }
  };
}

export interface CustomerReplyInput {
  readonly ticketId: string;
  readonly text: string;
  /** The channel message it came from: a redelivery is stored once (and creates one follow-up). */
  readonly messageId?: string;
  /** Where the customer wrote from (used for a follow-up ticket). */
  readonly conversationId?: string;
  readonly channel?: string;
}

export type CustomerReplyResult =
  | { readonly outcome: 'commented' | 'reopened'; readonly ticket: Ticket; readonly comment: TicketComment; readonly duplicate: boolean }
  | { readonly outcome: 'follow-up'; readonly ticket: Ticket; readonly followUpOf: string; readonly duplicate: boolean };

/**
 * The customer wrote on a ticket: a comment (public, author "customer"); a solved or pending ticket goes back to
 * open; a closed ticket stays closed and a follow-up ticket linked to it takes the message. A reply to a ticket that
 * was merged goes to the ticket it was merged into.
 */
export function makeCustomerReply(deps: TicketDeps) {
  return async (input: CustomerReplyInput): Promise<CustomerReplyResult> => {
    const text = validateText(input.text, 'text', MAX_COMMENT);
    const messageId = input.messageId === undefined ? undefined : parseKey(input.messageId, 'messageId');
    const channel = input.channel === undefined ? undefined : parseChannel(input.channel);
    return retryOnConflict(async () => {
      let found = await mustLoad(deps.tickets, input.ticketId);
      const into = mergedInto(found.ticket);
      if (into) found = await mustLoad(deps.tickets, into);
      const current = found.ticket;
      const effect = customerReplyEffect(current);
      if (effect.kind === 'follow-up') {
        const result = await create(
          deps,
          {
            actor: 'system',
            ...(messageId ? { idempotencyKey: `follow-up#${current.id}#${messageId}` } : {}),
            customerId: current.customerId,
            subject: truncate(`Re: ${current.subject}`, MAX_SUBJECT),
            description: text,
            type: current.type,
            priority: current.priority,
            ...((channel ?? current.channel) ? { channel: channel ?? current.channel } : {}),
            ...((input.conversationId ?? current.conversationId) ? { conversationId: input.conversationId ?? current.conversationId } : {}),
            ...(current.assigneeId ? { assigneeId: current.assigneeId } : {}),
            ...(current.groupId ? { groupId: current.groupId } : {}),
            tags: current.tags,
            ...(current.orderNumber ? { orderNumber: current.orderNumber } : {}),
            links: [{ kind: 'ticket', ticketId: current.id, relation: 'follow-up', at: deps.clock.now().toISOString() }],
          },
          { followUpOf: current.id },
        );
        return { outcome: 'follow-up', ticket: result.ticket, followUpOf: current.id, duplicate: !result.created };
      }
      const seen = messageId ? found.comments.find((c) => c.sourceMessageId === messageId) : undefined;
      if (seen) return { outcome: effect.reopen ? 'reopened' : 'commented', ticket: current, comment: seen, duplicate: true };
      const now = deps.clock.now();
      const at = now.toISOString();
      const c = comment(deps, { ticketId: current.id, visibility: 'public', author: 'customer', text, createdAt: at, ...(messageId ? { sourceMessageId: messageId } : {}) });
      let next = effect.reopen ? transition(current, effect.reopen, at) : current;
      next = bump(await applySla(deps, next, effect.reopen ? ['customer-reply', 'status'] : ['customer-reply'], now), at);
      const entries = effect.reopen
        ? [history(deps, current.id, at, 'customer', current.status === 'solved' ? 'reopened' : 'updated', { changes: { status: { from: current.status, to: effect.reopen } }, detail: { by: 'customer reply' } })]
        : [];
      await deps.tickets.write({ updates: [{ ticket: next, expectedVersion: current.version }], comments: [c], history: entries });
      return { outcome: effect.reopen && current.status === 'solved' ? 'reopened' : 'commented', ticket: next, comment: c, duplicate: false };
    });
  };
}

/**
 * A customer message in a conversation that has a ticket: it goes on the ticket as the customer's reply (a pending
 * or solved ticket opens again, its SLA clocks with it), once per message. A closed ticket is left alone: the
 * conversation goes on without it (no follow-up ticket for every later chat).
 */
export function makeCustomerWroteInConversation(deps: TicketDeps) {
  return async (input: { ticketId: string; conversationId: string; messageId: string; text: string; channel?: string }): Promise<CustomerReplyResult | { outcome: 'skipped'; reason: string }> => {
    const ticket = await deps.tickets.get(input.ticketId);
    if (!ticket) return { outcome: 'skipped', reason: 'no such ticket' };
    const into = mergedInto(ticket);
    const target = into ? await deps.tickets.get(into) : ticket;
    if (!target || target.status === 'closed') return { outcome: 'skipped', reason: 'ticket closed' };
    return makeCustomerReply(deps)({ ticketId: target.id, text: input.text, messageId: input.messageId, conversationId: input.conversationId, ...(input.channel ? { channel: input.channel } : {}) });
  };
}

// ---------------------------------------------------------------- links and merge

export interface LinkTicketsInput {
  readonly ticketId: string;
  readonly actor: string;
  /** Another ticket: a "related" link on both (only on this one when the other is closed). */
  readonly otherTicketId?: string;
  /** A conversation. */
  readonly conversationId?: string;
}

/** Links a ticket to another ticket (related, both ways, one transaction) or to a conversation. Idempotent. */
export function makeLinkTickets(deps: TicketDeps) {
  return async (input: LinkTicketsInput): Promise<{ ticket: Ticket; other?: Ticket; changed: boolean }> => {
    const actor = parseActor(input.actor);
    if ((input.otherTicketId === undefined) === (input.conversationId === undefined)) invalid('give exactly one of otherTicketId and conversationId', 'otherTicketId');
    return retryOnConflict(async () => {
      const current = await mustGet(deps.tickets, input.ticketId);
      if (current.status === 'closed') throw new DomainError('TICKET.CLOSED', `ticket ${current.id} is closed`, { ticketId: current.id });
      const at = deps.clock.now().toISOString();
      if (input.conversationId !== undefined) {
        const conversationId = validateId(input.conversationId, 'conversationId');
        const linked = addLink(current, { kind: 'conversation', conversationId, at });
        if (!linked) return { ticket: current, changed: false };
        const next = bump(linked, at);
        await deps.tickets.write({ updates: [{ ticket: next, expectedVersion: current.version }], history: [history(deps, current.id, at, actor, 'linked', { detail: { conversationId } })] });
        return { ticket: next, changed: true };
      }
      const otherId = validateId(input.otherTicketId, 'otherTicketId');
      if (otherId === current.id) invalid('a ticket cannot be linked to itself', 'otherTicketId');
      const other = await mustGet(deps.tickets, otherId);
      const mine = addLink(current, { kind: 'ticket', ticketId: other.id, relation: 'related', at });
      const theirs = other.status === 'closed' ? undefined : addLink(other, { kind: 'ticket', ticketId: current.id, relation: 'related', at });
      if (!mine && !theirs) return { ticket: current, other, changed: false };
      const updates = [];
      const entries = [];
      let ticket = current;
      let otherNext = other;
      if (mine) {
        ticket = bump(mine, at);
        updates.push({ ticket, expectedVersion: current.version });
        entries.push(history(deps, current.id, at, actor, 'linked', { detail: { ticketId: other.id, relation: 'related' } }));
      }
      if (theirs) {
        otherNext = bump(theirs, at);
        updates.push({ ticket: otherNext, expectedVersion: other.version });
        entries.push(history(deps, other.id, at, actor, 'linked', { detail: { ticketId: current.id, relation: 'related' } }));
      }
      await deps.tickets.write({ updates, history: entries });
      return { ticket, other: otherNext, changed: true };
    });
  };
}

export interface MergeTicketsInput {
  readonly sourceId: string;
  readonly targetId: string;
  readonly actor: string;
  /** When given, the merge is conditional on these versions (no retry); otherwise it re-reads on a conflict. */
  readonly sourceVersion?: number;
  readonly targetVersion?: number;
}

/**
 * Merges source into target in one transaction: the source is closed with a "merged-into" link and a note, the target
 * gets a "merged-from" link and a note summarising the source's description and public replies; history on both.
 * Merging again is a no-op (alreadyMerged: true). Refused into itself, into a closed ticket, and for chains.
 */
export function makeMergeTickets(deps: TicketDeps) {
  return async (input: MergeTicketsInput): Promise<{ source: Ticket; target: Ticket; alreadyMerged: boolean }> => {
    const actor = parseActor(input.actor);
    const sourceId = validateId(input.sourceId, 'sourceId');
    const targetId = validateId(input.targetId, 'targetId');
    const pinned = input.sourceVersion !== undefined || input.targetVersion !== undefined;
    const step = async () => {
      const [source, target] = await Promise.all([mustLoad(deps.tickets, sourceId), mustGet(deps.tickets, targetId)]);
      const check = checkMerge(source.ticket, target);
      if (check.kind === 'already-merged') return { source: source.ticket, target, alreadyMerged: true };
      for (const [ticket, expected] of [[source.ticket, input.sourceVersion], [target, input.targetVersion]] as const) {
        if (expected !== undefined && ticket.version !== expected) {
          throw new DomainError('TICKET.CONFLICT', `ticket ${ticket.id} is at version ${ticket.version}, not ${expected}; read it again`, { ticketId: ticket.id, version: ticket.version });
        }
      }
      const now = deps.clock.now();
      const at = now.toISOString();
      const merged = mergeStates(source.ticket, target, at);
      const closedSource = await applySla(deps, merged.source, ['status'], now);
      const publicComments = source.comments.filter((c) => c.visibility === 'public');
      await deps.tickets.write({
        updates: [
          { ticket: closedSource, expectedVersion: source.ticket.version },
          { ticket: merged.target, expectedVersion: target.version },
        ],
        comments: [
          comment(deps, { ticketId: source.ticket.id, visibility: 'internal', author: actor, authorKind: actor === 'system' ? 'system' : 'agent', text: `Merged into ticket ${target.id}: ${target.subject}`, createdAt: at }),
          comment(deps, { ticketId: target.id, visibility: 'internal', author: actor, authorKind: actor === 'system' ? 'system' : 'agent', text: mergeSummary(source.ticket, publicComments), createdAt: at }),
        ],
        history: [
          history(deps, source.ticket.id, at, actor, 'merged-into', { changes: { status: { from: source.ticket.status, to: 'closed' } }, detail: { ticketId: target.id } }),
          history(deps, target.id, at, actor, 'merged-from', { detail: { ticketId: source.ticket.id, publicComments: publicComments.length } }),
        ],
      });
      return { source: closedSource, target: merged.target, alreadyMerged: false };
    };
    return pinned ? step() : retryOnConflict(step);
  };
}

// ---------------------------------------------------------------- search

export interface SearchTicketsInput {
  readonly status?: string;
  readonly assigneeId?: string;
  readonly customerId?: string;
  readonly conversationId?: string;
  /** ISO time: with status or assignee, the active tickets due before it. */
  readonly dueBefore?: string;
  /** 1..100, default 25. */
  readonly limit?: number;
  readonly cursor?: string;
}

/** One of: by status, by assignee (both most urgent first, optionally due before a time), by customer (newest first), by conversation. */
export function makeSearchTickets(deps: Pick<TicketDeps, 'tickets'>) {
  return async (input: SearchTicketsInput): Promise<TicketPage> => {
    const given = (['status', 'assigneeId', 'customerId', 'conversationId'] as const).filter((k) => input[k] !== undefined);
    if (given.length !== 1) invalid('search by exactly one of status, assigneeId, customerId, conversationId', 'query');
    const limit = input.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) invalid('limit must be an integer from 1 to 100', 'limit');
    if (input.cursor !== undefined && (typeof input.cursor !== 'string' || !input.cursor || input.cursor.length > 2048)) invalid('cursor is not valid', 'cursor');
    const dueBefore = input.dueBefore === undefined ? undefined : validateIsoTime(input.dueBefore, 'dueBefore');
    if (dueBefore && input.status === undefined && input.assigneeId === undefined) invalid('dueBefore goes with status or assigneeId', 'dueBefore');
    let query: TicketQuery;
    if (input.status !== undefined) query = { by: 'status', status: parseStatus(input.status), ...(dueBefore ? { dueBefore } : {}) };
    else if (input.assigneeId !== undefined) query = { by: 'assignee', assigneeId: validateId(input.assigneeId, 'assigneeId'), ...(dueBefore ? { dueBefore } : {}) };
    else if (input.customerId !== undefined) query = { by: 'customer', customerId: validateId(input.customerId, 'customerId') };
    else query = { by: 'conversation', conversationId: validateId(input.conversationId, 'conversationId') };
    return deps.tickets.search(query, { limit, ...(input.cursor ? { cursor: input.cursor } : {}) });
  };
}

