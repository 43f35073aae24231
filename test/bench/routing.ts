/**
 * Routing on DynamoDB Local, with the real use cases and stores: decisions per second and decision latency with
 * routers racing for the same agents' seats, then the time from an agent freeing a seat to the next waiting
 * conversation being offered. The only stand-ins are the WebSocket push (`live`, a no-op) and the Step Functions
 * gateway (`workflows`), whose SendTaskSuccess is replaced by running the woken workflow's Route step right away.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';
import { cpus } from 'node:os';
import { createTables, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { DynamoDbConversationStore } from '../../shared/adapters/dynamodb/conversation.store.dynamodb.ts';
import { DynamoDbRoutingStore } from '../../shared/adapters/dynamodb/routing.dynamodb.ts';
import {
  makeAcceptConversation,
  makeParkWait,
  makeResolveConversation,
  makeRoute,
  type RouteOutcome,
  type RoutingDeps,
} from '../../shared/application/routing.use-cases.ts';
import type { Conversation } from '../../shared/domain/conversation/conversation.ts';
import { DEFAULT_HANDLING_SECONDS, estimatedWaitSeconds, serveOrder } from '../../shared/domain/routing/routing.ts';
import type { WorkflowGateway } from '../../shared/ports/gateways.ts';
import { fixed, max, percentile } from './stats.ts';

/** The floor of the contention levels: 20 agents of 3 seats, half with the skill "refunds", half "logistics". */
const AGENTS = 20;
const CAPACITY = 3;
const SEATS = AGENTS * CAPACITY;
/** The floor keeps this many conversations accepted; past it the oldest is resolved (agents finish their work). */
const HOLD_LIMIT = 54;
/** Each level starts with a fresh queue of this many conversations and ends after a fixed count of decisions. */
const QUEUE_LENGTH = 300;
const LEVEL_DECISIONS = 100;
/** The warm-up run before the levels (discarded): a shorter queue, a few routers. */
const WARMUP_QUEUE_LENGTH = 50;
const WARMUP_DECISIONS = 30;
const WARMUP_ROUTERS = 4;
/** Levels: how many routers run in parallel, each taking the head of the shared queue. */
export const ROUTER_LEVELS: readonly number[] = [1, 10];
/** The wake-up measurement: a group of 5 agents of 2 seats, all full, and conversations parked waiting for a seat. */
const WAKE_AGENTS = 5;
const WAKE_CAPACITY = 2;
const WAKE_SAMPLES = 30;
const WAKE_EXTRA_WAITING = 3;
const WAKE_GROUP = 'wake';

type Phase = 'route' | 'accept' | 'resolve';
/** DynamoDB requests made inside the calls of one use case, and how many calls there were. */
export type RequestsPerCall = Record<Phase, { readonly calls: number; readonly requests: number }>;

export interface RoutingLevelResult {
  readonly routers: number;
  readonly queueLength: number;
  /** Duration (ms) of each `makeRoute` call that ended with an offer or a waiting verdict. */
  readonly decisions: number[];
  readonly offered: number;
  readonly waiting: number;
  /** Seat claims (claimOffer transactions) the decisions made; more than one per offer means a seat was lost to a race. */
  readonly claims: number;
  readonly refusedClaims: number;
  readonly dynamoDbRequests: number;
  readonly perCall: RequestsPerCall;
  readonly wallMs: number;
}

export interface WakeResult {
  readonly agents: number;
  readonly capacity: number;
  readonly waitingAtStart: number;
  /** From calling resolve to the woken conversation's Route step returning 'offered'. */
  readonly resolveToOffer: number[];
  /** From the resolve's release transaction returning (the seat is free in DynamoDB) to the offer. */
  readonly releaseToOffer: number[];
  /** From calling resolve to the SendTaskSuccess call for the parked token (drainFor found it). */
  readonly resolveToWake: number[];
  /** The woken Route step alone. */
  readonly routeStep: number[];
}

export interface RoutingBenchResult {
  readonly dynamoDbReadyMs: number;
  readonly warmup: { readonly decisions: number; readonly routers: number; readonly dynamoDbRequests: number; readonly ms: number };
  readonly levels: RoutingLevelResult[];
  readonly wake: WakeResult;
  /** Capacity checks made while the levels ran (each reads every agent's load). */
  readonly capacityChecks: number;
  /** Conversations whose audit trail was checked to hold exactly one acceptance. */
  readonly acceptancesChecked: number;
  readonly totalMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function skillOf(i: number): string | undefined {
  return i % 3 ? (i % 2 ? 'refunds' : 'logistics') : undefined;
}

/** Runs the whole routing benchmark on its own DynamoDB Local (in memory); throws if a routing invariant broke. */
export async function measureRouting(): Promise<RoutingBenchResult> {
  const t0 = performance.now();
  const ddb = await startDynamoDbLocal();
  const dynamoDbReadyMs = Math.round(performance.now() - t0);
  try {
    // Counts every request sent, and which use case's call sent it (the async context says).
    let requests = 0;
    const phase = new AsyncLocalStorage<Phase>();
    const perPhase: Record<Phase, { calls: number; requests: number }> = { route: { calls: 0, requests: 0 }, accept: { calls: 0, requests: 0 }, resolve: { calls: 0, requests: 0 } };
    ddb.client.middlewareStack.add(
      (next) => (args) => {
        requests++;
        const current = phase.getStore();
        if (current) perPhase[current].requests++;
        return next(args);
      },
      { step: 'initialize', name: 'benchRequestCounter' },
    );
    const inPhase = <T>(p: Phase, run: () => Promise<T>): Promise<T> => (perPhase[p].calls++, phase.run(p, run));
    const snapshot = (): RequestsPerCall => ({ route: { ...perPhase.route }, accept: { ...perPhase.accept }, resolve: { ...perPhase.resolve } });
    const since = (before: RequestsPerCall): RequestsPerCall => {
      const now = snapshot();
      const d = (p: Phase) => ({ calls: now[p].calls - before[p].calls, requests: now[p].requests - before[p].requests });
      return { route: d('route'), accept: d('accept'), resolve: d('resolve') };
    };
    const tables = await createTables(ddb.client, 'bench-routing');
    const client = DynamoDBDocumentClient.from(ddb.client);
    const store = new DynamoDbConversationStore(client, { conversations: tables.conversations, messages: tables.messages, idempotency: tables.idempotency });
    const routingStore = new DynamoDbRoutingStore(client, { conversations: tables.conversations, agents: tables.agents });

    // Instrumentation only: counts seat claims and timestamps seat releases; every call goes to the real store.
    let claims = 0;
    let refusedClaims = 0;
    const released = new Map<string, number>();
    const routing = new Proxy(routingStore, {
      get(target, prop, receiver) {
        if (prop === 'claimOffer') {
          return async (...args: Parameters<DynamoDbRoutingStore['claimOffer']>) => {
            claims++;
            const result = await target.claimOffer(...args);
            if (typeof result === 'string') refusedClaims++;
            return result;
          };
        }
        if (prop === 'release') {
          return async (...args: Parameters<DynamoDbRoutingStore['release']>) => {
            const result = await target.release(...args);
            released.set(args[0], performance.now());
            return result;
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });

    // The Step Functions gateway: what it does with a completed token is set per phase.
    let onComplete: (token: string, output: Readonly<Record<string, unknown>>) => void = () => {};
    const workflows: WorkflowGateway = {
      completeTask: async (token, output) => (onComplete(token, output), 'completed'),
      startEscalation: async () => {},
      runMessageWorkflow: async () => ({ status: 'SUCCEEDED' }),
    };
    let n = 0;
    const deps: RoutingDeps = {
      store,
      routing,
      live: { publish: async () => {}, channel: () => ({ publish: async () => {} }) },
      clock: { now: () => new Date() },
      ids: { next: () => `b${(++n).toString(36)}` },
      workflows,
    };
    const routeStep = makeRoute(deps);
    const acceptStep = makeAcceptConversation(deps);
    const resolveStep = makeResolveConversation(deps);
    const parkWait = makeParkWait(deps);
    const route = (input: { conversationId: string }) => inPhase('route', () => routeStep(input));
    const accept = (input: { conversationId: string; agentId: string }) => inPhase('accept', () => acceptStep(input));
    const resolve = (input: { conversationId: string; agentId: string }) => inPhase('resolve', () => resolveStep(input));

    const violations: string[] = [];
    const acceptedBy = new Map<string, number>();
    const noteAccepted = (conversationId: string) => acceptedBy.set(conversationId, (acceptedBy.get(conversationId) ?? 0) + 1);
    let capacityChecks = 0;
    const checkCapacity = async () => {
      capacityChecks++;
      for (const a of await routingStore.listAgents()) {
        if ((a.load ?? 0) > a.capacity || (a.load ?? 0) < 0) violations.push(`agent ${a.id} holds ${a.load} of ${a.capacity} seats`);
      }
    };

    /**
     * Queues conversations in a new group as the Enqueue step leaves them (position and estimated wait told), and
     * returns them in serving order. The group's handling statistics get one prior handling time of 0 s: the
     * benchmark resolves conversations within a second, and without it the first resolve would move every customer's
     * estimate (from the 300 s default) and re-announce the whole queue at once.
     */
    const queueConversations = async (groupId: string, count: number, seats: number): Promise<string[]> => {
      const now = Date.now();
      await routingStore.recordHandling(groupId, 0, new Date(now).toISOString());
      const aht = (await routingStore.averageHandlingSeconds(groupId, new Date(now).toISOString())) ?? DEFAULT_HANDLING_SECONDS;
      const drafts = Array.from({ length: count }, (_, i) => {
        const at = new Date(now - (count - i) * 1000).toISOString();
        const skill = skillOf(i);
        return { id: `${groupId}-${i}`, at, priority: i % 10, ...(skill ? { neededSkill: skill } : {}) };
      });
      const ordered = serveOrder(
        drafts.map((d) => ({ ...d, queuedAt: d.at })),
        new Date(now),
      );
      const create = async (d: (typeof ordered)[number], position: number) => {
        const c: Conversation = {
          id: d.id,
          channel: 'webchat',
          customerId: `cus-${d.id}`,
          status: 'queued',
          seq: 0,
          failedAnswers: 0,
          handoffs: 1,
          createdAt: d.at,
          updatedAt: d.at,
          queuedAt: d.at,
          priority: d.priority,
          groupId,
          offers: 0,
          deadlineAt: new Date(now + 3_600_000).toISOString(),
          toldPosition: position + 1,
          toldEtaSeconds: estimatedWaitSeconds(position + 1, seats, aht),
          ...(d.neededSkill ? { neededSkill: d.neededSkill } : {}),
        };
        await store.create(c);
        await routingStore.setQueueEntry(c.id, { groupId, priority: d.priority, queuedAt: d.at });
      };
      // Ten at a time: setting up the queue is not measured.
      for (let i = 0; i < ordered.length; i += 10) await Promise.all(ordered.slice(i, i + 10).map((d, j) => create(d, i + j)));
      return ordered.map((d) => d.id);
    };

    /**
     * One level, on a fresh floor (every agent online, no load, in the level's group only) and a fresh queue of
     * `queueLength`: `routers` loops share the queue (in serving order) and each takes its head: Route; on an offer the
     * agent accepts, and once the floor holds more than HOLD_LIMIT conversations the oldest is resolved; on a waiting
     * verdict the conversation goes back to the tail and the oldest held conversation is resolved (time passes, an
     * agent finishes). Routers stop taking conversations after `decisionCount` decisions; then every held conversation
     * is resolved (the rest of the queue stays in its group, which no later level uses).
     */
    const runLevel = async (groupId: string, routers: number, queueLength: number, decisionCount: number): Promise<RoutingLevelResult> => {
      for (let i = 0; i < AGENTS; i++) {
        await routingStore.putAgent({ id: `a${i}`, name: `Agent ${i}`, skills: [i % 2 ? 'refunds' : 'logistics'], groups: [groupId], languages: [], capacity: CAPACITY, presence: 'online' });
      }
      const queue = await queueConversations(groupId, queueLength, SEATS);
      const held: Array<{ conversationId: string; agentId: string }> = [];
      const decisions: number[] = [];
      let started = 0;
      let offered = 0;
      let waiting = 0;
      const claimsBefore = claims;
      const refusedBefore = refusedClaims;
      const requestsBefore = requests;
      const perCallBefore = snapshot();
      let running = true;
      const monitor = (async () => {
        while (running) {
          await checkCapacity();
          await sleep(100);
        }
      })();
      const startedAt = performance.now();
      const router = async () => {
        while (started < decisionCount) {
          const id = queue.shift();
          if (id === undefined) throw new Error(`the ${groupId} queue ran dry after ${started} decisions`);
          started++;
          const t = performance.now();
          const outcome: RouteOutcome = await route({ conversationId: id });
          const ms = performance.now() - t;
          if (outcome.outcome === 'offered') {
            decisions.push(ms);
            offered++;
            await accept({ conversationId: id, agentId: outcome.agentId });
            noteAccepted(id);
            held.push({ conversationId: id, agentId: outcome.agentId });
            while (held.length > HOLD_LIMIT) await resolve(held.shift()!);
          } else if (outcome.outcome === 'waiting') {
            decisions.push(ms);
            waiting++;
            queue.push(id);
            const oldest = held.shift();
            if (oldest) await resolve(oldest);
          } else {
            throw new Error(`route ${id}: unexpected outcome ${outcome.outcome}`);
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: routers }, router));
      } finally {
        running = false;
        await monitor;
      }
      const wallMs = performance.now() - startedAt;
      const result: RoutingLevelResult = {
        routers,
        queueLength,
        decisions,
        offered,
        waiting,
        claims: claims - claimsBefore,
        refusedClaims: refusedClaims - refusedBefore,
        dynamoDbRequests: requests - requestsBefore,
        perCall: since(perCallBefore),
        wallMs,
      };
      while (held.length) await resolve(held.shift()!);
      await checkCapacity();
      const loads = (await routingStore.listAgents()).filter((a) => a.groups.includes(groupId) && (a.load ?? 0) !== 0);
      if (loads.length) violations.push(`after the ${routers}-router level, seats still held: ${loads.map((a) => `${a.id}=${a.load}`).join(', ')}`);
      return result;
    };

    // Warm-up (DynamoDB Local's JVM serves its first ~2,000 calls markedly slower), discarded.
    const warmupStarted = performance.now();
    const warmupRequestsBefore = requests;
    const warmupLevel = await runLevel('warmup', WARMUP_ROUTERS, WARMUP_QUEUE_LENGTH, WARMUP_DECISIONS);
    const warmup = { decisions: WARMUP_DECISIONS, routers: WARMUP_ROUTERS, dynamoDbRequests: requests - warmupRequestsBefore, ms: performance.now() - warmupStarted };

    const levels: RoutingLevelResult[] = [];
    for (const routers of ROUTER_LEVELS) levels.push(await runLevel(`routers${routers}`, routers, QUEUE_LENGTH, LEVEL_DECISIONS));

    // Freed seat → next offer. A separate group whose agents are all full, and conversations parked waiting.
    for (let i = 0; i < WAKE_AGENTS; i++) {
      await routingStore.putAgent({ id: `w${i}`, name: `Waker ${i}`, skills: ['refunds', 'logistics'], groups: [WAKE_GROUP], languages: [], capacity: WAKE_CAPACITY, presence: 'online' });
    }
    const wakeSeats = WAKE_AGENTS * WAKE_CAPACITY;
    const wakeIds = await queueConversations(WAKE_GROUP, wakeSeats + WAKE_SAMPLES + WAKE_EXTRA_WAITING, wakeSeats);
    const wakeHeld: Array<{ conversationId: string; agentId: string }> = [];
    for (const id of wakeIds.slice(0, wakeSeats)) {
      const outcome = await route({ conversationId: id });
      if (outcome.outcome !== 'offered') throw new Error(`filling the wake group: ${id} was not offered (${outcome.outcome})`);
      await accept({ conversationId: id, agentId: outcome.agentId });
      noteAccepted(id);
      wakeHeld.push({ conversationId: id, agentId: outcome.agentId });
    }
    const tokenOf = (id: string) => `wait-token-${id}`;
    for (const id of wakeIds.slice(wakeSeats)) {
      const outcome = await route({ conversationId: id });
      if (outcome.outcome !== 'waiting') throw new Error(`${id} should wait (every seat is taken) but was ${outcome.outcome}`);
      const parked = await parkWait({ conversationId: id, taskToken: tokenOf(id) });
      if (!parked.parked) throw new Error(`${id} did not park its wait token`);
    }
    const waitingAtStart = wakeIds.length - wakeSeats;
    // SendTaskSuccess for a parked wait token: the workflow's next step is Route (via the AfterAnswer choice), run here
    // at once, concurrently with whatever the caller still does.
    const conversationOfToken = new Map(wakeIds.map((id) => [tokenOf(id), id]));
    let woken: Array<{ conversationId: string; at: number; offer: Promise<{ outcome: RouteOutcome; at: number; routeMs: number }> }> = [];
    onComplete = (token, output) => {
      const conversationId = conversationOfToken.get(token);
      if (!conversationId || output.outcome !== 'woken') throw new Error(`unexpected task completion ${token} ${JSON.stringify(output)}`);
      const at = performance.now();
      // Its own async context: the Route step's requests count as the route's, not the resolve's.
      const offer = phase.exit(() => route({ conversationId })).then((outcome) => ({ outcome, at: performance.now(), routeMs: performance.now() - at }));
      woken.push({ conversationId, at, offer });
    };
    const wake: WakeResult = { agents: WAKE_AGENTS, capacity: WAKE_CAPACITY, waitingAtStart, resolveToOffer: [], releaseToOffer: [], resolveToWake: [], routeStep: [] };
    for (let i = 0; i < WAKE_SAMPLES; i++) {
      const freeing = wakeHeld.shift()!;
      await sleep(5);
      woken = [];
      const started = performance.now();
      await resolve(freeing);
      if (woken.length !== 1) throw new Error(`resolving ${freeing.conversationId} woke ${woken.length} waiting conversations, expected 1`);
      const { conversationId, at, offer } = woken[0]!;
      const result = await offer;
      if (result.outcome.outcome !== 'offered') throw new Error(`woken ${conversationId} was not offered (${result.outcome.outcome})`);
      const releasedAt = released.get(freeing.conversationId);
      if (releasedAt === undefined) throw new Error(`no release recorded for ${freeing.conversationId}`);
      wake.resolveToOffer.push(result.at - started);
      wake.releaseToOffer.push(result.at - releasedAt);
      wake.resolveToWake.push(at - started);
      wake.routeStep.push(result.routeMs);
      // The agent accepts; the group is full again for the next sample.
      await accept({ conversationId, agentId: result.outcome.agentId });
      noteAccepted(conversationId);
      wakeHeld.push({ conversationId, agentId: result.outcome.agentId });
    }
    onComplete = () => {};
    while (wakeHeld.length) await resolve(wakeHeld.shift()!);
    await checkCapacity();

    // Invariants: no agent ever above capacity, every seat free at the end, no conversation accepted twice.
    const agents = await routingStore.listAgents();
    const stillHeld = agents.filter((a) => (a.load ?? 0) !== 0);
    if (stillHeld.length) violations.push(`seats still held at the end: ${stillHeld.map((a) => `${a.id}=${a.load}`).join(', ')}`);
    for (const [id, count] of acceptedBy) if (count !== 1) violations.push(`${id} accepted ${count} times`);
    const ids = [...acceptedBy.keys()];
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids.slice(i, i + 20).map(async (id) => {
          const accepts = (await store.listEvents(id)).filter((e) => e.type === 'accepted').length;
          if (accepts !== 1) violations.push(`${id}: ${accepts} acceptances in the audit trail`);
        }),
      );
    }
    const expected = [warmupLevel, ...levels].reduce((sum, l) => sum + l.offered, 0) + wakeSeats + WAKE_SAMPLES;
    if (ids.length !== expected) violations.push(`${ids.length} conversations accepted, expected ${expected}`);
    if (violations.length) throw new Error(`routing invariants broken:\n  ${violations.slice(0, 20).join('\n  ')}`);
    return { dynamoDbReadyMs, warmup, levels, wake, capacityChecks, acceptancesChecked: ids.length, totalMs: performance.now() - t0 };
  } finally {
    await ddb.stop();
  }
}

function stats(values: readonly number[]): string[] {
  return [fixed(percentile(values, 50)), fixed(percentile(values, 95)), fixed(percentile(values, 99)), fixed(max(values))];
}

const perCall = (c: { calls: number; requests: number }) => (c.calls ? fixed(c.requests / c.calls) : '–');

/** The two tables (decisions under contention; freed seat → offer), for stdout and the doc. */
export function routingTables(result: RoutingBenchResult): { decisions: string; wake: string } {
  const decisions = table(
    ['Routers', 'Decisions', 'Offered', 'Waiting', 'Seat claims (refused)', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'Decisions/s', 'DynamoDB requests/s', 'Requests per route / accept / resolve'],
    result.levels.map((l) => [
      String(l.routers),
      String(l.decisions.length),
      String(l.offered),
      String(l.waiting),
      `${l.claims} (${l.refusedClaims})`,
      ...stats(l.decisions),
      fixed(l.decisions.length / (l.wallMs / 1000)),
      fixed(l.dynamoDbRequests / (l.wallMs / 1000), 0),
      `${perCall(l.perCall.route)} / ${perCall(l.perCall.accept)} / ${perCall(l.perCall.resolve)}`,
    ]),
  );
  const w = result.wake;
  const rows: Array<[string, number[]]> = [
    ['resolve called → waiting conversation offered', w.resolveToOffer],
    ['seat released in DynamoDB → offered', w.releaseToOffer],
    ['resolve called → SendTaskSuccess for the parked token', w.resolveToWake],
    ['the woken Route step alone', w.routeStep],
  ];
  const wake = table(
    ['Interval', 'Samples', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    rows.map(([label, values]) => [label, String(values.length), ...stats(values)]),
  );
  return { decisions, wake };
}

/** One line for the doc's Summary (no targets: the issue gives none for routing). */
export function routingSummaryLine(result: RoutingBenchResult): string {
  const levels = result.levels.map((l) => `${fixed(l.decisions.length / (l.wallMs / 1000))} decisions/s, p99 ${fixed(percentile(l.decisions, 99))} ms with ${l.routers} router${l.routers === 1 ? '' : 's'}`).join('; ');
  const w = result.wake.resolveToOffer;
  return (
    `Routing (the issue sets no target; reported only): ${levels}; freed seat → next waiting conversation offered ` +
    `p50 ${fixed(percentile(w, 50))} ms, p99 ${fixed(percentile(w, 99))} ms (Step Functions hop excluded). The routing invariants held.`
  );
}

/** A sentence when accepts cost markedly more requests with more routers (concurrent accepts re-announce the same queue). */
function concurrentAccepts(result: RoutingBenchResult): string {
  const first = result.levels[0]!;
  const last = result.levels[result.levels.length - 1]!;
  const per = (l: RoutingLevelResult) => l.perCall.accept.requests / Math.max(1, l.perCall.accept.calls);
  if (first === last || per(last) < 1.5 * per(first)) return '';
  return (
    ` With ${last.routers} routers an accept sent ${fixed(per(last))} requests against ${fixed(per(first))} with ${first.routers}: ` +
    'accepts running at the same time read the queue before the others have recorded what they told the customers, ' +
    'so the same customers are re-announced by several accepts.'
  );
}

/** The doc's section. */
export function routingSection(result: RoutingBenchResult): string {
  const { decisions, wake } = routingTables(result);
  const w = result.wake;
  const levelsText = result.levels.map((l) => l.routers).join(' and ');
  const top = result.levels[result.levels.length - 1]!;
  return `## Routing decisions under contention (DynamoDB Local)

\`test/bench/routing.ts\` runs the routing use cases (\`shared/application/routing.use-cases.ts\`) with the real DynamoDB
stores against a DynamoDB Local of its own (in memory, ready in ${result.dynamoDbReadyMs} ms), in the benchmark's process; the run took
${fixed(result.totalMs / 1000, 0)} s. Two things only are stand-ins: the WebSocket push (a no-op) and the Step Functions gateway
(see the wake-up below). Nothing else is faked.

The floor: ${AGENTS} agents of ${CAPACITY} seats (${SEATS} seats), half with the skill “refunds”, half “logistics”, all
online. Each level starts with that floor free and a fresh queue of ${top.queueLength} conversations in a group of its
own (priorities 0–9; a third need “refunds”, a third “logistics”, a third no skill; position and estimated wait
already told, as the Enqueue step leaves them), and runs ${levelsText} router loops in parallel. A router takes the
head of the shared queue (serving order) and calls \`makeRoute\`: read the conversation, list the agents, rank the
eligible ones, claim a seat of the first in a conditional DynamoDB transaction (on a refusal, the next), record the
audit event. **A decision is one \`makeRoute\` call that ends with an offer or with a waiting verdict** (no eligible
agent has a free seat); its latency is that call's duration. After an offer the offered agent accepts
(\`makeAcceptConversation\`), and once the floor holds more than ${HOLD_LIMIT} accepted conversations the oldest is
resolved (\`makeResolveConversation\`); after a waiting verdict the conversation goes back to the tail of the queue and
the oldest held conversation is resolved (an agent finishes). So the floor runs at about
${Math.round((HOLD_LIMIT / SEATS) * 100)} % of its seats and the routers race for the last ones: they all rank the same
least-loaded agents first, so concurrent decisions claim the same seats; a refused claim (the seat went to another
router's decision, or the agent is full) moves on to the next agent. A level stops taking conversations after
${top.decisions.length} decisions.

Decisions/s is decisions divided by the level's wall time. That wall time also holds the accepts and resolves the
routers run between decisions (each offer comes with one accept and, in the steady state, one resolve), so it is the
rate of the whole offer → accept → resolve cycle on this floor, with Node.js (the routers) and DynamoDB Local (Java)
sharing the machine's ${cpus().length} cores. The last column, DynamoDB requests sent per call of each use case, shows
where the requests go: an accept re-announces queue positions (\`announcePositions\`: it reads up to 200 queued
conversations and, for every customer whose position changed materially — within the first three, or moved by a
quarter — updates the conversation and appends a system message), so with a long queue the accepts, not the routing
decisions, make most of the requests, and DynamoDB Local's throughput bounds the cycle.${concurrentAccepts(result)}

Before the levels, a warm-up level (${result.warmup.routers} routers, ${result.warmup.decisions} decisions, ${result.warmup.dynamoDbRequests} DynamoDB
requests counting the queue's creation, ${fixed(result.warmup.ms / 1000)} s) is discarded: DynamoDB Local's JVM serves its
first ~2,000 calls markedly slower.

${decisions}

### Freed seat → next waiting conversation offered

A separate group of ${w.agents} agents of ${w.capacity} seats, all taken by accepted conversations, and ${w.waitingAtStart}
conversations that each got a waiting verdict from \`makeRoute\` and parked their wait token with \`makeParkWait\` (the
escalation workflow's WaitForSeat step). Each sample resolves one held conversation (\`makeResolveConversation\`: the
release transaction that frees the seat, handling statistics, audit event, system message, then \`drainFor\`, which
finds the first waiting conversation in serving order that the agent can take, takes its token and completes it). The
Step Functions gateway stands for SendTaskSuccess: its \`completeTask\` starts that conversation's Route step
(\`makeRoute\`) at once, without awaiting it, as the workflow goes on (WaitForSeat → AfterAnswer → Route) while the
resolve returns. A sample ends when that Route step has claimed the freed seat and returned 'offered'; the agent then
accepts, so the group is full again for the next sample. ${w.resolveToOffer.length} samples, one at a time, after the
levels above (DynamoDB Local warm).

${wake}

What the figure covers: the resolve's DynamoDB work up to the SendTaskSuccess call, then the whole Route step
(conversation read, agent list, seat claim transaction, audit event). What it **excludes**: the Step Functions hop —
SendTaskSuccess's own round trip, the transition through the AfterAnswer choice and the invocation of the routing
function for the Route step (on AWS a state transition and a warm Lambda invoke; locally, aws-local-stepfunctions and
an in-process call) — and the push of the offer to the agent's console over the WebSocket. The “seat released in
DynamoDB” row starts when the resolve's release transaction, which frees the seat, has returned.

Invariants, checked during and after the run (the benchmark fails if one breaks): every agent's load was read
${result.capacityChecks} times (every 100 ms while the routers ran, and after each level) and was never above its
capacity nor below zero; every seat was
free after each level and at the end; each of the ${result.acceptancesChecked} conversations accepted was accepted
exactly once, by the routers' own count and by its audit trail (exactly one \`accepted\` event).
`;
}
