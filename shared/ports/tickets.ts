/** Port: where tickets, their comments and their history live. The DynamoDB adapter implements it. */
import type { NewTicket, Ticket, TicketComment, TicketHistoryEntry, TicketStatus } from '../domain/tickets/ticket.ts';

export type { NewTicket, Ticket, TicketComment, TicketHistoryEntry } from '../domain/tickets/ticket.ts';

/** One index read; `dueBefore` (ISO) keeps the active tickets due before that time, most urgent first. */
export type TicketQuery =
  | { readonly by: 'status'; readonly status: TicketStatus; readonly dueBefore?: string }
  | { readonly by: 'assignee'; readonly assigneeId: string; readonly dueBefore?: string }
  | { readonly by: 'customer'; readonly customerId: string }
  | { readonly by: 'conversation'; readonly conversationId: string };

export interface TicketPage {
  readonly items: readonly Ticket[];
  /** Opaque (base64url JSON); absent on the last page. */
  readonly nextCursor?: string;
}

export interface TicketWithActivity {
  readonly ticket: Ticket;
  /** Oldest first. */
  readonly comments: readonly TicketComment[];
  /** Oldest first. */
  readonly history: readonly TicketHistoryEntry[];
}

/**
 * One atomic write: every ticket in `updates` is replaced by its new state only if its stored version is still
 * `expectedVersion` (else TICKET.CONFLICT and nothing is written), together with new comments and history items.
 */
export interface TicketChangeSet {
  readonly updates: readonly { readonly ticket: Ticket; readonly expectedVersion: number }[];
  readonly creates?: readonly Ticket[];
  readonly comments?: readonly TicketComment[];
  readonly history?: readonly TicketHistoryEntry[];
}

export interface TicketStore {
  /**
   * Creates the ticket unless one with the same id exists; returns the stored ticket. Fields left out take their
   * defaults (status new, no tags, version 1); a "created" history item is written with it.
   */
  createOnce(ticket: NewTicket): Promise<Ticket>;
  /**
   * Creates a checked ticket with its first history (and comments), atomically. With an idempotency key, a second
   * create with the same key returns the first ticket (`created: false`); so does a second create with the same id.
   */
  create(ticket: Ticket, options?: { readonly idempotencyKey?: string; readonly history?: readonly TicketHistoryEntry[]; readonly comments?: readonly TicketComment[] }): Promise<{ ticket: Ticket; created: boolean }>;
  get(ticketId: string): Promise<Ticket | undefined>;
  /** The ticket with its comments and history (one strongly consistent read of its partition). */
  load(ticketId: string): Promise<TicketWithActivity | undefined>;
  write(changes: TicketChangeSet): Promise<void>;
  listByConversation(conversationId: string): Promise<Ticket[]>;
  /** Rejects a malformed cursor or a limit outside 1..100 with TICKET.INVALID. */
  search(query: TicketQuery, page: { readonly limit: number; readonly cursor?: string }): Promise<TicketPage>;
}
