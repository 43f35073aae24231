/**
 * SLA clocks on a ticket: first response, next response (after each customer reply that follows an agent's reply)
 * and resolution, counted in business minutes of a calendar (../routing/business-calendar.ts).
 *
 * A ticket's SLA state is a value: every event takes the state and the instant it happened and returns a new state
 * (or the same object when nothing changed); `version` goes up by one on every change, so a scheduled timer that
 * carries the version it was set for can tell it is stale. Nothing here reads the clock.
 *
 * Rules a caller must know:
 * - A clock is due at `dueAt`; it is breached when the time reaches `dueAt` (a reply at exactly `dueAt` is missed).
 * - `evaluate` is what marks a running clock breached (`breachedAt = dueAt`) and warned (`warnedAt = warnAt`), and it
 *   reports each warning and each breach once: the timer that `nextTimer` describes calls it. An event that stops a
 *   clock after its due time (reply, pause, solve, reprioritise) records the breach itself, without a report.
 * - A breach is permanent: a later reply makes the clock `missed`, not `hit`, and lowering the priority does not clear it.
 * - A breached clock that still runs keeps state `active` (with `breachedAt`); it becomes `missed` when completed.
 * - Pausing (pending / on-hold) stops every running clock; resuming restarts them with the remaining business minutes.
 * - Solving completes every unfinished clock (a solve also answers the customer); reopening runs the resolution clock
 *   again with its consumed minutes kept and starts a next-response clock.
 * - A customer reply starts a next-response clock only once the first response is done, none is already running and
 *   the ticket is not solved (a reply to a solved ticket is a reopen: call `onReopened`).
 */
import * as z from 'zod/mini';
import { DomainError } from '../errors.ts';
import { ALWAYS_OPEN, addBusinessMinutes, businessMinutesBetween, type BusinessCalendar } from '../routing/business-calendar.ts';
import { describeIssues, type Problem } from '../validation-issues.ts';

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketType = 'pre-sales' | 'after-sales' | 'inquiry' | 'complaint';
export type SlaMetric = 'firstResponse' | 'nextResponse' | 'resolution';

export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const TICKET_TYPES: readonly TicketType[] = ['pre-sales', 'after-sales', 'inquiry', 'complaint'];
export const SLA_METRICS: readonly SlaMetric[] = ['firstResponse', 'nextResponse', 'resolution'];

/** Targets in business minutes; a target with a `type` applies to that type only and wins over one without. */
export interface SlaTarget {
  readonly priority: TicketPriority;
  readonly type?: TicketType;
  readonly firstResponseMinutes: number;
  readonly nextResponseMinutes: number;
  readonly resolutionMinutes: number;
}

export interface SlaPolicy {
  readonly id: string;
  readonly name: string;
  /** The business calendar whose open time the clocks count. */
  readonly calendarId: string;
  /** A warning fires this many business minutes before a clock is due. */
  readonly warnBeforeMinutes: number;
  readonly targets: readonly SlaTarget[];
  /** What a breach does besides telling the supervisors (absent: the priority goes up one step, the assignee stays). */
  readonly onBreach?: SlaBreachAction;
}

export interface SlaBreachAction {
  /** Raise the ticket's priority one step (urgent stays urgent). */
  readonly raisePriority: boolean;
  /** Hand the ticket to this group, unassigned (e.g. the team leads), so that someone else picks it up. */
  readonly reassignToGroupId?: string;
}

export const DEFAULT_BREACH_ACTION: SlaBreachAction = Object.freeze({ raisePriority: true });

/** The next priority up, for an escalation on breach. */
export function raisedPriority(priority: TicketPriority): TicketPriority {
  return TICKET_PRIORITIES[Math.min(TICKET_PRIORITIES.indexOf(priority) + 1, TICKET_PRIORITIES.length - 1)]!;
}

export interface SlaTicket {
  readonly priority: TicketPriority;
  readonly type: TicketType;
}

/**
 * The default policy, in business minutes (first response / next response / resolution):
 * urgent 30 / 60 / 240 (4 h); high 60 / 120 / 480 (8 h); normal 240 / 480 / 1,440 (24 h); low 480 / 960 / 2,880 (48 h);
 * a normal-priority complaint gets a first response within 120. Warnings 15 business minutes before due.
 * Counted on ALWAYS_OPEN (24x7, UTC) until a company assigns its own calendar.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = deepFreeze({
  id: 'default',
  name: 'Default SLA',
  calendarId: ALWAYS_OPEN.id,
  warnBeforeMinutes: 15,
  targets: [
    { priority: 'urgent', firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 240 },
    { priority: 'high', firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 480 },
    { priority: 'normal', firstResponseMinutes: 240, nextResponseMinutes: 480, resolutionMinutes: 1440 },
    { priority: 'normal', type: 'complaint', firstResponseMinutes: 120, nextResponseMinutes: 480, resolutionMinutes: 1440 },
    { priority: 'low', firstResponseMinutes: 480, nextResponseMinutes: 960, resolutionMinutes: 2880 },
  ],
});

export interface SlaClock {
  readonly metric: SlaMetric;
  /** Business minutes. */
  readonly targetMinutes: number;
  /** ISO instant the clock started. */
  readonly startedAt: string;
  /** Business minutes consumed before the current run (all of them once paused or finished). */
  readonly consumedMinutes: number;
  /** ISO; present only while active. */
  readonly runningSince?: string;
  /** ISO; recomputed on every (re)start; absent while paused; kept when finished if it was running. */
  readonly dueAt?: string;
  /** ISO; `dueAt` minus the policy's warning lead in business time, never before `runningSince`; only while active. */
  readonly warnAt?: string;
  /** ISO; set (to `warnAt`) once `evaluate` has reported the warning. */
  readonly warnedAt?: string;
  readonly state: 'active' | 'paused' | 'hit' | 'missed';
  readonly completedAt?: string;
  /** ISO instant the clock went past due (its `dueAt`), even if it was completed later (then `missed`). */
  readonly breachedAt?: string;
}

export interface SlaState {
  readonly policyId: string;
  /** The calendar the clocks were computed with (the `cal` given to `startSla`). */
  readonly calendarId: string;
  /** The policy's warning lead, kept so that pause and resume need no policy. */
  readonly warnBeforeMinutes: number;
  readonly clocks: readonly SlaClock[];
  /** Starts at 1, +1 on every change. */
  readonly version: number;
}

export interface SlaTimer {
  readonly at: string;
  readonly kind: 'warn' | 'breach';
  readonly metric: SlaMetric;
  readonly version: number;
}

export interface SlaViewEntry {
  readonly metric: SlaMetric;
  readonly state: SlaClock['state'];
  readonly targetMinutes: number;
  readonly dueAt?: string;
  /** Business minutes left (negative when overdue); absent when finished, or when running and no calendar was given. */
  readonly remainingBusinessMinutes?: number;
  readonly breached: boolean;
  /** Running, inside the warning window and not yet breached. */
  readonly warning: boolean;
  readonly completedAt?: string;
}

// ---------------------------------------------------------------- errors and parsing

function slaError(message: string, details?: Readonly<Record<string, unknown>>): DomainError {
  return new DomainError('SLA.INVALID', message, details);
}

const MAX_MINUTES = 366 * 24 * 60;
const minutesSchema = z.number().check(z.gt(0, 'must be greater than 0'), z.lte(MAX_MINUTES, `must be at most ${MAX_MINUTES} (a year)`));

const policySchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  calendarId: z.string().check(z.minLength(1)),
  warnBeforeMinutes: z.number().check(z.gte(0, 'must be at least 0'), z.lte(MAX_MINUTES, `must be at most ${MAX_MINUTES}`)),
  targets: z.array(
    z.strictObject({
      priority: z.enum(['low', 'normal', 'high', 'urgent']),
      type: z.optional(z.enum(['pre-sales', 'after-sales', 'inquiry', 'complaint'])),
      firstResponseMinutes: minutesSchema,
      nextResponseMinutes: minutesSchema,
      resolutionMinutes: minutesSchema,
    }),
  ),
  onBreach: z.optional(z.strictObject({ raisePriority: z.boolean(), reassignToGroupId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))) })),
});

function failPolicy(problems: readonly Problem[]): never {
  throw slaError(`invalid SLA policy: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { issues: problems });
}

/**
 * Validates an SLA policy (the parsed JSON). Besides the shape: no two targets for the same priority and type, and
 * every priority has a target without a type (so `targetFor` always finds one). Throws DomainError SLA.INVALID.
 */
export function parseSlaPolicy(input: unknown): SlaPolicy {
  const result = policySchema.safeParse(input);
  if (!result.success) failPolicy(describeIssues(result.error.issues, '(policy)'));
  const policy = result.data;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  policy.targets.forEach((target, i) => {
    const key = `${target.priority}/${target.type ?? '*'}`;
    if (seen.has(key)) problems.push({ path: `targets.${i}`, message: `a second target for priority ${target.priority}${target.type ? ` and type ${target.type}` : ' without a type'}` });
    seen.add(key);
  });
  for (const priority of TICKET_PRIORITIES) {
    if (!seen.has(`${priority}/*`)) problems.push({ path: 'targets', message: `no target without a type for priority ${priority} (every priority needs one)` });
  }
  if (problems.length > 0) failPolicy(problems);
  return {
    id: policy.id,
    name: policy.name,
    calendarId: policy.calendarId,
    warnBeforeMinutes: policy.warnBeforeMinutes,
    targets: policy.targets.map((t) => ({
      priority: t.priority,
      ...(t.type ? { type: t.type } : {}),
      firstResponseMinutes: t.firstResponseMinutes,
      nextResponseMinutes: t.nextResponseMinutes,
      resolutionMinutes: t.resolutionMinutes,
    })),
    ...(policy.onBreach ? { onBreach: { raisePriority: policy.onBreach.raisePriority, ...(policy.onBreach.reassignToGroupId ? { reassignToGroupId: policy.onBreach.reassignToGroupId } : {}) } } : {}),
  };
}

/** The target for a ticket: one with the same priority and type, else the priority's target without a type. */
export function targetFor(policy: SlaPolicy, priority: TicketPriority, type: TicketType): SlaTarget {
  const target = policy.targets.find((t) => t.priority === priority && t.type === type) ?? policy.targets.find((t) => t.priority === priority && t.type === undefined);
  if (!target) throw slaError(`SLA policy ${policy.id} has no target for priority ${priority} and type ${type}`, { policyId: policy.id, priority, type });
  return target;
}

// ---------------------------------------------------------------- clock arithmetic

const MINUTE_MS = 60_000;

function time(at: Date): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError('at is not a valid date');
  return ms;
}

const iso = (ms: number) => new Date(ms).toISOString();
const parse = (value: string) => Date.parse(value);
/** Minutes kept to the millisecond, so that sums do not drift. */
const roundMinutes = (minutes: number) => Math.round(minutes * MINUTE_MS) / MINUTE_MS;

const isFinished = (clock: SlaClock) => clock.state === 'hit' || clock.state === 'missed';

/** The clock without its undefined fields (stores such as DynamoDB reject undefined attributes). */
function clockOf(fields: { [K in keyof SlaClock]: SlaClock[K] | undefined }): SlaClock {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as SlaClock;
}

function targetMinutesOf(target: SlaTarget, metric: SlaMetric): number {
  return metric === 'firstResponse' ? target.firstResponseMinutes : metric === 'nextResponse' ? target.nextResponseMinutes : target.resolutionMinutes;
}

function elapsedMinutes(clock: SlaClock, cal: BusinessCalendar, at: number): number {
  const running = clock.runningSince ? businessMinutesBetween(cal, new Date(parse(clock.runningSince)), new Date(at)) : 0;
  return roundMinutes(clock.consumedMinutes + running);
}

/** Records a breach that has already happened by `at` (a running clock at or past its due time). */
function settle(clock: SlaClock, at: number): SlaClock {
  if (clock.state !== 'active' || clock.breachedAt || !clock.dueAt || at < parse(clock.dueAt)) return clock;
  return { ...clock, breachedAt: clock.dueAt };
}

/** The clock running from `at` with what is left of its target. */
function run(clock: SlaClock, cal: BusinessCalendar, at: number, warnBeforeMinutes: number): SlaClock {
  const remaining = roundMinutes(clock.targetMinutes - clock.consumedMinutes);
  const due = remaining > 0 ? addBusinessMinutes(cal, new Date(at), remaining).getTime() : clock.breachedAt ? parse(clock.breachedAt) : at;
  const lead = remaining - warnBeforeMinutes;
  const warn = Math.min(due, lead > 0 ? addBusinessMinutes(cal, new Date(at), lead).getTime() : at);
  const stillWarned = clock.warnedAt !== undefined && warn <= at;
  return clockOf({
    metric: clock.metric,
    targetMinutes: clock.targetMinutes,
    startedAt: clock.startedAt,
    consumedMinutes: clock.consumedMinutes,
    runningSince: iso(at),
    dueAt: iso(due),
    warnAt: iso(warn),
    warnedAt: stillWarned ? clock.warnedAt : undefined,
    state: 'active',
    completedAt: undefined,
    breachedAt: clock.breachedAt,
  });
}

function newClock(metric: SlaMetric, targetMinutes: number, cal: BusinessCalendar, at: number, warnBeforeMinutes: number, paused = false): SlaClock {
  const clock: SlaClock = { metric, targetMinutes, startedAt: iso(at), consumedMinutes: 0, state: 'paused' };
  return paused ? clock : run(clock, cal, at, warnBeforeMinutes);
}

function pause(clock: SlaClock, cal: BusinessCalendar, at: number): SlaClock {
  if (clock.state !== 'active') return clock;
  const settled = settle(clock, at);
  return clockOf({
    metric: settled.metric,
    targetMinutes: settled.targetMinutes,
    startedAt: settled.startedAt,
    consumedMinutes: elapsedMinutes(settled, cal, at),
    runningSince: undefined,
    dueAt: undefined,
    warnAt: undefined,
    warnedAt: settled.warnedAt,
    state: 'paused',
    completedAt: undefined,
    breachedAt: settled.breachedAt,
  });
}

function complete(clock: SlaClock, cal: BusinessCalendar, at: number): SlaClock {
  if (isFinished(clock)) return clock;
  const settled = settle(clock, at);
  const consumed = elapsedMinutes(settled, cal, at);
  // A paused clock cannot pass its due time; the fallback covers a state written by hand.
  const breachedAt = settled.breachedAt ?? (consumed >= settled.targetMinutes ? iso(at) : undefined);
  return clockOf({
    metric: settled.metric,
    targetMinutes: settled.targetMinutes,
    startedAt: settled.startedAt,
    consumedMinutes: consumed,
    runningSince: undefined,
    dueAt: settled.dueAt,
    warnAt: undefined,
    warnedAt: settled.warnedAt,
    state: breachedAt ? 'missed' : 'hit',
    completedAt: iso(at),
    breachedAt,
  });
}

function withClocks(state: SlaState, clocks: readonly SlaClock[]): SlaState {
  if (clocks.length === state.clocks.length && clocks.every((clock, i) => clock === state.clocks[i])) return state;
  return { ...state, clocks, version: state.version + 1 };
}

function lastIndex(clocks: readonly SlaClock[], test: (clock: SlaClock) => boolean): number {
  for (let i = clocks.length - 1; i >= 0; i--) if (test(clocks[i]!)) return i;
  return -1;
}

function replaceAt(clocks: readonly SlaClock[], index: number, clock: SlaClock): SlaClock[] {
  return clocks.map((c, i) => (i === index ? clock : c));
}

// ---------------------------------------------------------------- events

/** A new ticket: first-response and resolution clocks start running (version 1). */
export function startSla(policy: SlaPolicy, cal: BusinessCalendar, ticket: SlaTicket, at: Date): SlaState {
  const t = time(at);
  const target = targetFor(policy, ticket.priority, ticket.type);
  return {
    policyId: policy.id,
    calendarId: cal.id,
    warnBeforeMinutes: policy.warnBeforeMinutes,
    clocks: [newClock('firstResponse', target.firstResponseMinutes, cal, t, policy.warnBeforeMinutes), newClock('resolution', target.resolutionMinutes, cal, t, policy.warnBeforeMinutes)],
    version: 1,
  };
}

/** An agent's public reply: completes the first-response clock, or else the unfinished next-response clock. */
export function onAgentPublicReply(state: SlaState, _policy: SlaPolicy, cal: BusinessCalendar, at: Date): SlaState {
  const t = time(at);
  let index = lastIndex(state.clocks, (c) => c.metric === 'firstResponse' && !isFinished(c));
  if (index < 0) index = lastIndex(state.clocks, (c) => c.metric === 'nextResponse' && !isFinished(c));
  if (index < 0) return state;
  return withClocks(state, replaceAt(state.clocks, index, complete(state.clocks[index]!, cal, t)));
}

/**
 * A customer's reply: starts a next-response clock when the first response is done, none is unfinished and the
 * ticket is not solved. It starts paused when the ticket is paused (resume it with the ticket).
 */
export function onCustomerReply(state: SlaState, policy: SlaPolicy, cal: BusinessCalendar, ticket: SlaTicket, at: Date): SlaState {
  const t = time(at);
  const unfinished = (metric: SlaMetric) => state.clocks.some((c) => c.metric === metric && !isFinished(c));
  if (unfinished('firstResponse') || unfinished('nextResponse')) return state;
  const resolution = state.clocks[lastIndex(state.clocks, (c) => c.metric === 'resolution')];
  if (!resolution || isFinished(resolution)) return state;
  const minutes = targetFor(policy, ticket.priority, ticket.type).nextResponseMinutes;
  return withClocks(state, [...state.clocks, newClock('nextResponse', minutes, cal, t, state.warnBeforeMinutes, resolution.state === 'paused')]);
}

/** The ticket waits on the customer (pending / on-hold): every running clock pauses, its business minutes kept. */
export function pauseSla(state: SlaState, cal: BusinessCalendar, at: Date): SlaState {
  const t = time(at);
  return withClocks(state, state.clocks.map((c) => pause(c, cal, t)));
}

/** Back to open: every paused clock runs again, due after its remaining business minutes. */
export function resumeSla(state: SlaState, cal: BusinessCalendar, at: Date): SlaState {
  const t = time(at);
  return withClocks(state, state.clocks.map((c) => (c.state === 'paused' ? run(c, cal, t, state.warnBeforeMinutes) : c)));
}

/** Solved: the resolution clock completes, and so does any unfinished response clock. */
export function onSolved(state: SlaState, cal: BusinessCalendar, at: Date): SlaState {
  const t = time(at);
  return withClocks(state, state.clocks.map((c) => complete(c, cal, t)));
}

/**
 * Reopened: the resolution clock runs again with its consumed minutes (a clock that was missed stays breached),
 * paused clocks resume, and a next-response clock starts unless one is unfinished.
 */
export function onReopened(state: SlaState, policy: SlaPolicy, cal: BusinessCalendar, ticket: SlaTicket, at: Date): SlaState {
  const t = time(at);
  const resolutionIndex = lastIndex(state.clocks, (c) => c.metric === 'resolution');
  let clocks = state.clocks.map((c, i) => {
    if (c.state === 'paused') return run(c, cal, t, state.warnBeforeMinutes);
    if (i !== resolutionIndex || !isFinished(c)) return c;
    return run(clockOf({ ...c, state: 'paused', completedAt: undefined, dueAt: undefined, warnAt: undefined, runningSince: undefined }), cal, t, state.warnBeforeMinutes);
  });
  if (!clocks.some((c) => (c.metric === 'nextResponse' || c.metric === 'firstResponse') && !isFinished(c))) {
    clocks = [...clocks, newClock('nextResponse', targetFor(policy, ticket.priority, ticket.type).nextResponseMinutes, cal, t, state.warnBeforeMinutes)];
  }
  return withClocks(state, clocks);
}

/**
 * New priority or type: unfinished clocks take the new targets with their consumed minutes kept (running ones are
 * due again from `at`); finished clocks keep theirs. A breach already recorded stays.
 */
export function reprioritise(state: SlaState, policy: SlaPolicy, cal: BusinessCalendar, ticket: SlaTicket, at: Date): SlaState {
  const t = time(at);
  const target = targetFor(policy, ticket.priority, ticket.type);
  return withClocks(
    state,
    state.clocks.map((c) => {
      const minutes = targetMinutesOf(target, c.metric);
      if (isFinished(c) || minutes === c.targetMinutes) return c;
      if (c.state === 'paused') return { ...c, targetMinutes: minutes };
      const settled = settle(c, t);
      const consumed = elapsedMinutes(settled, cal, t);
      return run({ ...settled, targetMinutes: minutes, consumedMinutes: consumed }, cal, t, state.warnBeforeMinutes);
    }),
  );
}

// ---------------------------------------------------------------- timers and views

/**
 * What the timer does at `at`: running clocks at or past `dueAt` are marked breached (`breachedAt = dueAt`), running
 * clocks at or past `warnAt` (and not yet due) are marked warned. Each is reported once: `warnings` and `breaches`
 * list the clocks newly marked by this call.
 */
export function evaluate(state: SlaState, at: Date): { state: SlaState; warnings: SlaMetric[]; breaches: SlaMetric[] } {
  const t = time(at);
  const warnings: SlaMetric[] = [];
  const breaches: SlaMetric[] = [];
  const clocks = state.clocks.map((c) => {
    if (c.state !== 'active' || c.breachedAt || !c.dueAt) return c;
    if (t >= parse(c.dueAt)) {
      breaches.push(c.metric);
      return { ...c, breachedAt: c.dueAt };
    }
    if (!c.warnedAt && c.warnAt && t >= parse(c.warnAt)) {
      warnings.push(c.metric);
      return { ...c, warnedAt: c.warnAt };
    }
    return c;
  });
  return { state: withClocks(state, clocks), warnings, breaches };
}

/**
 * The earliest pending warning or breach of a running clock: the instant a scheduled timer (a Step Functions Wait)
 * should wake at and call `evaluate`. At the same instant a warning comes before a breach. Undefined when nothing is
 * pending (all clocks paused, finished or already breached).
 */
export function nextTimer(state: SlaState): SlaTimer | undefined {
  let best: { at: number; kind: 'warn' | 'breach'; metric: SlaMetric } | undefined;
  const consider = (at: number, kind: 'warn' | 'breach', metric: SlaMetric) => {
    if (!best || at < best.at || (at === best.at && kind === 'warn' && best.kind === 'breach')) best = { at, kind, metric };
  };
  for (const c of state.clocks) {
    if (c.state !== 'active' || c.breachedAt || !c.dueAt) continue;
    const due = parse(c.dueAt);
    if (!c.warnedAt && c.warnAt && parse(c.warnAt) < due) consider(parse(c.warnAt), 'warn', c.metric);
    consider(due, 'breach', c.metric);
  }
  return best && { at: iso(best.at), kind: best.kind, metric: best.metric, version: state.version };
}

/**
 * What a ticket shows: per metric (in the order first response, next response, resolution) its unfinished clock, or
 * else its latest one. The remaining business minutes of a running clock need the calendar (`cal`); without it they
 * are left out.
 */
export function slaView(state: SlaState, now: Date, cal?: BusinessCalendar): SlaViewEntry[] {
  const t = time(now);
  const entries: SlaViewEntry[] = [];
  for (const metric of SLA_METRICS) {
    const index = lastIndex(state.clocks, (c) => c.metric === metric && !isFinished(c));
    const clock = state.clocks[index >= 0 ? index : lastIndex(state.clocks, (c) => c.metric === metric)];
    if (!clock) continue;
    const active = clock.state === 'active';
    const breached = clock.breachedAt !== undefined || (active && clock.dueAt !== undefined && t >= parse(clock.dueAt));
    const remaining = clock.state === 'paused' ? roundMinutes(clock.targetMinutes - clock.consumedMinutes) : active && cal ? roundMinutes(clock.targetMinutes - elapsedMinutes(clock, cal, t)) : undefined;
    entries.push({
      metric,
      state: clock.state,
      targetMinutes: clock.targetMinutes,
      ...(clock.dueAt ? { dueAt: clock.dueAt } : {}),
      ...(remaining !== undefined ? { remainingBusinessMinutes: remaining } : {}),
      breached,
      warning: active && !breached && clock.warnAt !== undefined && t >= parse(clock.warnAt),
      ...(clock.completedAt ? { completedAt: clock.completedAt } : {}),
    });
  }
  return entries;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
