/**
 * The cost meter: what each invocation used, attributed to its function, capability, conversation and day, and
 * handed to the cost ledger without waiting for it.
 *
 * Every handler runs inside `metered(...)` (handler-kit does it for all of them), which opens an invocation record in
 * AsyncLocalStorage, so that code anywhere below (the DynamoDB client's middleware, the Bedrock and Comprehend
 * adapters, live updates) adds its usage to the invocation it serves, even when one process serves many invocations
 * at once (the local runtime). At the end the record (usage only: the ledger prices it) goes to the sink:
 *   - in AWS one JSON line on stdout (`{"kefu":"cost",…}`), which a CloudWatch Logs subscription filter delivers to
 *     the cost-ledger function in batches: nothing on the business path waits for a write or can fail because of one;
 *   - locally the runtime's in-process sink, which batches the same lines into the same `awslogs` events.
 * The meter's own work is a few object updates and one JSON line (bench: `npm run bench -- meter`).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CostRecord, MeteredUsage } from '../domain/costs/cost-record.ts';
import { functionSpec, type FunctionId } from '../manifest/manifest.ts';

export type { CostRecord, MeteredUsage } from '../domain/costs/cost-record.ts';

export interface CostSink {
  emit(record: CostRecord): void;
}

interface Invocation {
  readonly functionId: FunctionId;
  readonly kind: CostRecord['kind'];
  readonly requestId: string;
  readonly started: number;
  conversationId?: string;
  mixed?: boolean;
  capability?: string;
  channel?: string;
  route?: string;
  readonly usage: MeteredUsage;
}

const storage = new AsyncLocalStorage<Invocation>();

/** Lambda lines START / END / REPORT that the service writes to the log per invocation (about this many bytes). */
const PLATFORM_LOG_BYTES = 330;
const ARCHITECTURE = 'arm64' as const;

/** The stdout sink (AWS): one line the subscription filter picks up. Written straight to the stream, not through the logger. */
export const stdoutSink: CostSink = {
  emit(record) {
    writeUnmetered(`${JSON.stringify(record)}\n`);
  },
};

let sink: CostSink | undefined = process.env.KEFU_COST_METER === 'off' ? undefined : stdoutSink;

const sinksByFunction = new Map<FunctionId, CostSink>();

/** Replaces the sink (the local runtime's batcher, tests); undefined turns metering off. */
export function setCostSink(next: CostSink | undefined): void {
  sink = next;
}

/** A function's own sink (the cost ledger keeps its own records, which a subscription to its log would loop on). */
export function setCostSinkFor(functionId: FunctionId, next: CostSink): void {
  sinksByFunction.set(functionId, next);
}

// ---------------------------------------------------------------- log bytes

let writing = false;
const originalWrite = process.stdout.write.bind(process.stdout);
const originalErrWrite = process.stderr.write.bind(process.stderr);

function writeUnmetered(text: string): void {
  writing = true;
  try {
    originalWrite(text);
  } finally {
    writing = false;
  }
}

/** Everything the invocation writes to stdout / stderr is CloudWatch Logs ingestion: counted to the invocation writing it. */
function countBytes(chunk: unknown): void {
  if (writing) return;
  const invocation = storage.getStore();
  if (!invocation) return;
  invocation.usage.logs.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.byteLength : 0;
}

process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
  countBytes(chunk);
  return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stdout.write;
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
  countBytes(chunk);
  return (originalErrWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

// ---------------------------------------------------------------- usage from anywhere below a handler

/** Adds to the invocation this code runs for (nothing outside one: scripts, tests, module load). */
export const meter = {
  dynamodb(readUnits: number, writeUnits: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    usage.dynamodb.readUnits += readUnits;
    usage.dynamodb.writeUnits += writeUnits;
  },
  bedrock(modelId: string, inputTokens: number, outputTokens: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    (usage.bedrock ??= []).push({ modelId, inputTokens, outputTokens });
  },
  comprehend(characters: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    (usage.comprehend ??= []).push({ characters });
  },
  /** A message the WebSocket API carries (in or out). */
  webSocketMessage(bytes: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    const ws = (usage.webSocket ??= { messages: 0, messageBytes: [] });
    ws.messages += 1;
    ws.messageBytes.push(bytes);
  },
  webSocketConnectionMinutes(minutes: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    const ws = (usage.webSocket ??= { messages: 0, messageBytes: [] });
    ws.connectionMinutes = (ws.connectionMinutes ?? 0) + minutes;
  },
  /** An Express execution this invocation ran (StartSyncExecution's billing details). */
  expressExecution(billedMs: number, memoryMb: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    const sfn = (usage.stepFunctions ??= {});
    sfn.expressRequests = (sfn.expressRequests ?? 0) + 1;
    sfn.expressBilledMs = (sfn.expressBilledMs ?? 0) + billedMs;
    sfn.expressMemoryMb = Math.max(sfn.expressMemoryMb ?? 0, memoryMb);
  },
  /** State transitions of a Standard execution, counted from its own events when it ended. */
  standardTransitions(count: number): void {
    const usage = storage.getStore()?.usage;
    if (!usage) return;
    const sfn = (usage.stepFunctions ??= {});
    sfn.standardTransitions = (sfn.standardTransitions ?? 0) + count;
  },
  /**
   * The conversation (and its channel) the invocation works for, when the handler learns it. A batch that serves
   * several conversations (a stream batch) is attributed to none of them: its cost counts by day, function and capability.
   */
  attribute(conversationId: string | undefined, channel?: string): void {
    const invocation = storage.getStore();
    if (!invocation) return;
    if (conversationId && !invocation.mixed) {
      if (invocation.conversationId && invocation.conversationId !== conversationId) {
        invocation.mixed = true;
        delete invocation.conversationId;
      } else invocation.conversationId = conversationId;
    }
    if (channel) invocation.channel = channel;
  },
  /** Counts this invocation's cost under another capability (the workflow meter: a workflow's transitions). */
  capability(capability: string): void {
    const invocation = storage.getStore();
    if (invocation) invocation.capability = capability;
  },
  route(route: string): void {
    const invocation = storage.getStore();
    if (invocation) invocation.route = route;
  },
  httpRequest(bytes: number): void {
    const usage = storage.getStore()?.usage;
    if (usage) usage.http = { requests: 1, requestBytes: [bytes] };
  },
};

export function currentConversation(): string | undefined {
  return storage.getStore()?.conversationId;
}

/** Which capability a function's cost belongs to (finance's dimension). */
export function capabilityOf(functionId: FunctionId): string {
  const spec = functionSpec(functionId);
  return spec.capability ?? (spec.group === 'channel' ? 'intake' : spec.group === 'console' ? 'console' : spec.id);
}

/**
 * Runs a handler as one metered invocation. The record is emitted after the handler settles and never changes its
 * result: a sink that throws is ignored.
 */
export function metered<E, C extends { awsRequestId?: string; memoryLimitInMB?: string }, R>(
  functionId: FunctionId,
  kind: CostRecord['kind'],
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  // In Lambda (one function per process) the INIT phase, billed since August 2025, ran from the process's start to
  // here, where the handler module has loaded; the first invocation carries it. The local runtime has no INIT phase.
  let initDurationMs = process.env.AWS_LAMBDA_FUNCTION_NAME ? performance.now() : undefined;
  return async (event, context) => {
    const target = sinksByFunction.get(functionId) ?? sink;
    if (!target) return handler(event, context);
    const now = performance.now();
    const init = initDurationMs;
    initDurationMs = undefined;
    const invocation: Invocation = {
      functionId,
      kind,
      requestId: context.awsRequestId ?? `local-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      started: now,
      usage: {
        lambda: { requests: 1, durationMs: 0, memoryMb: Number(context.memoryLimitInMB ?? functionSpec(functionId).memoryMb), architecture: ARCHITECTURE, ...(init !== undefined ? { initDurationMs: init } : {}) },
        dynamodb: { readUnits: 0, writeUnits: 0 },
        logs: { bytes: PLATFORM_LOG_BYTES },
      },
    };
    let outcome: CostRecord['outcome'] = 'ok';
    try {
      return await storage.run(invocation, () => handler(event, context));
    } catch (error) {
      outcome = 'error';
      throw error;
    } finally {
      invocation.usage.lambda.durationMs = performance.now() - invocation.started;
      try {
        target.emit({
          kefu: 'cost',
          v: 1,
          requestId: invocation.requestId,
          functionId,
          capability: invocation.capability ?? capabilityOf(functionId),
          kind,
          stage: process.env.KEFU_STAGE ?? 'local',
          at: new Date().toISOString(),
          outcome,
          ...(invocation.conversationId ? { conversationId: invocation.conversationId } : {}),
          ...(invocation.channel ? { channel: invocation.channel } : {}),
          ...(invocation.route ? { route: invocation.route } : {}),
          usage: invocation.usage,
        });
      } catch {
        // metering never fails the business path
      }
    }
  };
}
