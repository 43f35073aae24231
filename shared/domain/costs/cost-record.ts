/**
 * What the cost meter records per invocation (shared/observability/cost-meter.ts writes it; the cost ledger prices it):
 * plain data, so that the ledger and the reports need nothing from the meter itself.
 */
import type { FunctionId } from '../../manifest/manifest.ts';

/** What one invocation used (the cost formulas' Usage, filled as the invocation goes). */
export interface MeteredUsage {
  lambda: { requests: number; durationMs: number; initDurationMs?: number; memoryMb: number; architecture: 'arm64' | 'x86_64' };
  http?: { requests: number; requestBytes: number[] };
  webSocket?: { messages: number; messageBytes: number[]; connectionMinutes?: number };
  dynamodb: { readUnits: number; writeUnits: number };
  stepFunctions?: { standardTransitions?: number; expressRequests?: number; expressBilledMs?: number; expressMemoryMb?: number };
  bedrock?: { modelId: string; inputTokens: number; outputTokens: number }[];
  comprehend?: { characters: number }[];
  logs: { bytes: number };
}

export interface CostRecord {
  readonly kefu: 'cost';
  readonly v: 1;
  readonly requestId: string;
  readonly functionId: FunctionId;
  readonly capability: string;
  readonly kind: 'http' | 'task' | 'stream' | 'websocket' | 'event';
  readonly stage: string;
  readonly at: string;
  readonly outcome: 'ok' | 'error';
  readonly conversationId?: string;
  readonly channel?: string;
  readonly route?: string;
  readonly usage: MeteredUsage;
}

