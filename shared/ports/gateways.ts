/** Ports to the outside: workflows, live updates, customer tokens, time and ids. */
export interface WorkflowGateway {
  /** Runs the message workflow to its end (Express, synchronous) and returns its output. */
  runMessageWorkflow(input: MessageWorkflowInput): Promise<{ status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'; output?: unknown; error?: string }>;
  completeTask(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<'completed' | 'expired'>;
  /** Starts the escalation workflow (a transfer back to a queue); the same name and input is idempotent. */
  startEscalation(name: string, input: EscalationInput): Promise<void>;
}

export interface MessageWorkflowInput {
  readonly conversationId: string;
  readonly messageId: string;
  readonly seq: number;
  readonly text: string;
  readonly channel: string;
}

export interface EscalationInput {
  readonly conversationId: string;
  readonly reason: string;
  readonly priority: number;
  /** Offers before the escalation leaves an offline message (the accept timeout itself is in the definition). */
  readonly maxOffers: number;
}

/** A live update for everyone listening to an audience: `conversation:<id>` or `agents`. */
export interface LiveEvent {
  readonly type: string;
  readonly conversationId?: string;
  readonly [key: string]: unknown;
}

export interface LiveUpdates {
  publish(audience: string, event: LiveEvent): Promise<void>;
  /**
   * Starts finding who listens to an audience now, for events published later (e.g. once a reply is stored): the
   * lookup overlaps the caller's own work instead of following it.
   */
  channel(audience: string): { publish(event: LiveEvent): Promise<void> };
}

export interface CustomerTokens {
  issue(conversationId: string): Promise<string>;
  /** Returns the conversation id the token authorises, or undefined when it is not valid. */
  verify(token: string): Promise<string | undefined>;
}

export interface Clock {
  now(): Date;
}

export interface Ids {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };
