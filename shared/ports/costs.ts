/** Port of the cost ledger: one line per invocation, daily aggregates per dimension, the budget state. */
import type { MeteredUsage } from '../domain/costs/cost-record.ts';

export interface LedgerLine {
  readonly requestId: string;
  readonly functionId: string;
  readonly capability: string;
  readonly kind: string;
  readonly at: string;
  readonly day: string;
  readonly conversationId?: string;
  readonly channel?: string;
  readonly route?: string;
  /** Whether the conversation was with the bot or had been handed to a human when the invocation ran. */
  readonly path?: 'bot' | 'human';
  readonly usage: MeteredUsage;
  /** US dollars × 1e9 (integers add exactly). */
  readonly nanos: number;
  /** Per service, the same unit. */
  readonly serviceNanos: Readonly<Record<string, number>>;
  readonly priceVersion: string;
  /** Usage the price table could not price (e.g. an unknown Bedrock model), left out of `nanos`. */
  readonly unpriced?: readonly string[];
}

export interface AggregateRow {
  readonly day: string;
  readonly dimension: string;
  readonly value: string;
  readonly nanos: number;
  readonly count: number;
}

export interface BudgetState {
  readonly day: string;
  readonly todayNanos: number;
  readonly monthNanos: number;
  readonly exceeded: boolean;
  readonly reason?: 'daily' | 'monthly';
  readonly at: string;
}

export interface CostLedgerStore {
  /** Writes the lines (idempotent: a line's key is its conversation or day and its time and request id). */
  putLines(lines: readonly LedgerLine[], expiresAt: number): Promise<void>;
  /** Adds a batch's increments to the daily aggregates once: a batch seen before (same id) adds nothing. */
  addAggregates(batchId: string, increments: readonly AggregateRow[]): Promise<'added' | 'duplicate'>;
  linesOf(conversationId: string): Promise<LedgerLine[]>;
  aggregates(from: string, to: string): Promise<AggregateRow[]>;
  total(day: string): Promise<number>;
  monthTotal(month: string): Promise<number>;
  budget(): Promise<BudgetState | undefined>;
  setBudget(state: BudgetState): Promise<void>;
}
