/** Port: where conversations and their transcripts live. The DynamoDB adapter implements it. */
import type { Conversation, ConversationStatus, Message, MessageDraft, OutboxState } from '../domain/conversation/conversation.ts';

/** A conversation or message attribute: scalars, or a small JSON object (the mood, a message's sentiment). */
export type FieldValue = string | number | boolean | null | readonly string[] | Readonly<Record<string, unknown>>;
export type Fields = Readonly<Record<string, FieldValue>>;

export interface AppendResult {
  readonly message: Message;
  /** True when the idempotency key was already used: nothing new was stored and `message` is the original. */
  readonly duplicate: boolean;
}

export interface StatusChange {
  readonly from: readonly ConversationStatus[];
  readonly to: ConversationStatus;
  /** Fields set with the move; `null` removes a field. */
  readonly set?: Fields;
  /** Extra conditions: attribute = value. */
  readonly expect?: Readonly<Record<string, string | number>>;
}

export interface AuditEvent {
  readonly type: string;
  readonly at: string;
  readonly actor: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * An agent's internal note on a conversation: for agents only, never part of the customer's transcript and never
 * sent to a channel. `afterSeq` places it in the transcript (after that message).
 */
export interface ConversationNote {
  readonly id: string;
  readonly conversationId: string;
  readonly agentId: string;
  readonly text: string;
  readonly createdAt: string;
  readonly afterSeq: number;
  readonly clientNoteId?: string;
}

export interface ConversationStore {
  create(conversation: Conversation): Promise<void>;
  get(conversationId: string): Promise<Conversation | undefined>;
  /**
   * Appends a message with the next sequence number, atomically with the conversation's counter and, when given,
   * an idempotency key; optionally moves the conversation's status in the same transaction.
   */
  append(
    conversationId: string,
    draft: MessageDraft,
    options?: {
      idempotencyKey?: string;
      statusChange?: StatusChange;
      set?: Fields;
      /** Fields set on an earlier message of the conversation in the same transaction (its sentiment scores). */
      annotate?: { readonly seq: number; readonly fields: Fields };
      /** The caller's current view of the conversation: saves a read; a stale view only costs a retry. */
      current?: Conversation;
    },
  ): Promise<AppendResult>;
  listMessages(conversationId: string, options: { afterSeq?: number; limit: number }): Promise<Message[]>;
  getMessage(conversationId: string, seq: number): Promise<Message | undefined>;
  /**
   * Moves an outbound message's delivery state, only from one of `from` (the claim that makes a delivery happen once:
   * the webhook's passive reply and the outbox consumer race for `pending`). Returns the message, or undefined when
   * its state was not one of `from`.
   */
  setOutbox(conversationId: string, seq: number, change: { from: readonly OutboxState[]; to: OutboxState; fields?: Fields }): Promise<Message | undefined>;
  /** Conditional status move; returns the updated conversation, or undefined when the condition failed. */
  changeStatus(conversationId: string, change: StatusChange): Promise<Conversation | undefined>;
  /** Sets fields without a status move, only while the conversation has one of the given statuses. */
  update(conversationId: string, fields: Fields, whenStatus: readonly ConversationStatus[]): Promise<Conversation | undefined>;
  /** A routing group's queue (default: "default"), highest priority then longest waiting first. */
  listQueue(limit: number, groupId?: string): Promise<Conversation[]>;
  /** The conversations an agent is serving now (status agent, assigned to them), longest-held first. */
  listAssigned(agentId: string, limit: number): Promise<Conversation[]>;
  /** A customer's conversations, newest first (the byCustomer index; eventually consistent). */
  listByCustomer(customerId: string, limit: number): Promise<Conversation[]>;
  recordEvent(conversationId: string, event: AuditEvent): Promise<void>;
  listEvents(conversationId: string): Promise<AuditEvent[]>;
  /**
   * Stores an internal note as one of the conversation's audit events (type "note", its fields in `detail`), once per
   * idempotency key: a repeated key stores nothing and returns the original note.
   */
  addNote(note: ConversationNote, options?: { idempotencyKey?: string }): Promise<{ readonly note: ConversationNote; readonly duplicate: boolean }>;
}
