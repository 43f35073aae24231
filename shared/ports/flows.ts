/**
 * Ports of the multi-turn flows: where the flow definitions come from, where a conversation's running flow is kept
 * between messages, and how a flow reaches the company's own systems.
 */
import type { FlowDefinition } from '../domain/flows/flow-definition.ts';
import type { ConnectorRequest, FlowOutcome, FlowState } from '../domain/flows/flow-engine.ts';

export interface FlowCatalog {
  /** The flows in service (parsed and checked definitions). */
  list(): Promise<FlowDefinition[]>;
}

/** What a flow turn gave back to the conversation (also replayed when the same message is delivered again). */
export interface FlowTurnResult {
  /** Whether the flows took the message; when false the normal answer pipeline answers it. */
  readonly handled: boolean;
  readonly flowId?: string;
  /** Bot replies, in order, in the conversation's language. */
  readonly messages: readonly string[];
  readonly handoff?: { readonly reason: string };
  readonly ticketId?: string;
  readonly ended?: FlowOutcome;
}

/**
 * A conversation's flow session: the running flow's state (absent once the flow has ended) and the last message it
 * handled with what it answered, so that a redelivered message gets the same answer without a second connector call
 * or ticket. Keep ended sessions until they expire (e.g. a DynamoDB TTL on `expiresAt`).
 */
export interface FlowSession {
  readonly flowId: string;
  readonly flowVersion: number;
  /** undefined once the flow has ended. */
  readonly state?: FlowState;
  readonly lastMessageId: string;
  readonly lastTurn: FlowTurnResult;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** ISO time after which the session can be forgotten. */
  readonly expiresAt: string;
}

export interface FlowSessionStore {
  get(conversationId: string): Promise<FlowSession | undefined>;
  /** Replaces the session; undefined deletes it. */
  put(conversationId: string, session: FlowSession | undefined): Promise<void>;
}

export interface ConnectorResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface ConnectorCallOptions {
  readonly timeoutMs: number;
  /** Sent as the Idempotency-Key header, stable across redeliveries of the same customer message. */
  readonly idempotencyKey?: string;
}

/** The company's own systems, reached by connector name (e.g. "shop"). Rejects on network failure or timeout. */
export interface Connector {
  call(name: string, request: ConnectorRequest, options: ConnectorCallOptions): Promise<ConnectorResponse>;
}
