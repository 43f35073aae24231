/**
 * SLA clocks on tickets, wired to the ticket use cases and to scheduled timers.
 *
 * - `makeTicketSlaHook` is the SLA engine the ticket use cases call on every event (created, replies, status,
 *   priority): the policy comes from the ticket's group (its `slaPolicyId`, else the policy "default"), the business
 *   calendar from the group (else the policy's). The state it returns is stored on the ticket with the next due time.
 * - Timers never scan: every write that changes a ticket's SLA state reaches the SLA scheduler through the tickets
 *   table's stream, which starts one timer workflow execution per SLA version (named after it, so a redelivered record
 *   starts nothing new). The execution waits until the next warning or breach and calls `makeFireSlaTimer`, which
 *   does nothing when the version moved on (a newer execution is in charge), and otherwise reports the warning or the
 *   breach: history, an internal note, a live event for the supervisors, and on a breach the escalation of the
 *   policy (priority one step up, the ticket handed to another group). That write is a new SLA version: its own timer.
 */
import { DomainError } from '../domain/errors.ts';
import { ALWAYS_OPEN, parseCalendar, type BusinessCalendar } from '../domain/routing/business-calendar.ts';
import {
  DEFAULT_BREACH_ACTION,
  DEFAULT_SLA_POLICY,
  evaluate,
  nextTimer,
  onAgentPublicReply,
  onCustomerReply,
  onReopened,
  onSolved,
  parseSlaPolicy,
  pauseSla,
  raisedPriority,
  reprioritise,
  resumeSla,
  slaView,
  startSla,
  type SlaMetric,
  type SlaPolicy,
  type SlaState,
  type SlaViewEntry,
} from '../domain/tickets/sla.ts';
import { bump, isActive, type NewTicket, type Ticket, type TicketComment, type TicketHistoryEntry } from '../domain/tickets/ticket.ts';
import type { Clock, Ids, LiveUpdates } from '../ports/gateways.ts';
import type { RoutingStore } from '../ports/routing.ts';
import type { TicketStore } from '../ports/tickets.ts';
import { AGENTS_AUDIENCE } from './conversation.use-cases.ts';
import type { TicketSlaHook } from './ticket.use-cases.ts';

export const DEFAULT_SLA_POLICY_ID = DEFAULT_SLA_POLICY.id;
/** A timer waits at most this long per Wait state (Node's timers, behind the local workflows, stop at 24.8 days). */
export const MAX_TIMER_WAIT_MS = 7 * 24 * 3600_000;

export interface SlaDeps {
  readonly routing: Pick<RoutingStore, 'getGroup' | 'getCalendar' | 'getSlaPolicy'>;
}

/** The stored policy, or the built-in default for "default"; an unknown id also falls back to the default. */
export async function slaPolicy(deps: SlaDeps, policyId: string | undefined): Promise<SlaPolicy> {
  const id = policyId ?? DEFAULT_SLA_POLICY_ID;
  const raw = await deps.routing.getSlaPolicy(id);
  if (raw) return parseSlaPolicy(raw);
  return id === DEFAULT_SLA_POLICY_ID ? DEFAULT_SLA_POLICY : slaPolicy(deps, DEFAULT_SLA_POLICY_ID);
}

export async function businessCalendar(deps: SlaDeps, calendarId: string | undefined): Promise<BusinessCalendar> {
  if (!calendarId || calendarId === ALWAYS_OPEN.id) return ALWAYS_OPEN;
  const raw = await deps.routing.getCalendar(calendarId);
  return raw ? parseCalendar(raw) : ALWAYS_OPEN;
}

/** The policy and calendar a ticket of this group is measured with. */
export async function slaSetupFor(deps: SlaDeps, groupId: string | undefined): Promise<{ policy: SlaPolicy; calendar: BusinessCalendar }> {
  const group = groupId ? await deps.routing.getGroup(groupId) : undefined;
  const policy = await slaPolicy(deps, group?.slaPolicyId);
  return { policy, calendar: await businessCalendar(deps, group?.calendarId ?? policy.calendarId) };
}

const stateOf = (ticket: Pick<Ticket, 'sla'>): SlaState | undefined => (ticket.sla && typeof ticket.sla === 'object' && 'clocks' in ticket.sla ? (ticket.sla as SlaState) : undefined);

/** The earliest due time of a running clock (overdue ones included): the ticket's dueAt. */
export function nextDue(state: SlaState): string | undefined {
  const due = state.clocks.filter((c) => c.state === 'active' && c.dueAt).map((c) => c.dueAt!);
  return due.sort()[0];
}

export function makeTicketSlaHook(deps: SlaDeps): TicketSlaHook {
  return {
    async onEvent(ticket, event, at) {
      const current = stateOf(ticket);
      if (!current) {
        const { policy, calendar } = await slaSetupFor(deps, ticket.groupId);
        let state = startSla(policy, calendar, ticket, at);
        if (ticket.status === 'pending' || ticket.status === 'on-hold') state = pauseSla(state, calendar, at);
        if (!isActive(ticket.status)) state = onSolved(state, calendar, at);
        return state;
      }
      if (event === 'created') return current;
      const [policy, calendar] = await Promise.all([slaPolicy(deps, current.policyId), businessCalendar(deps, current.calendarId)]);
      switch (event) {
        case 'agent-public-reply':
          return onAgentPublicReply(current, policy, calendar, at);
        case 'customer-reply':
          return onCustomerReply(current, policy, calendar, ticket, at);
        case 'priority':
          return reprioritise(current, policy, calendar, ticket, at);
        case 'status': {
          if (ticket.status === 'pending' || ticket.status === 'on-hold') return pauseSla(current, calendar, at);
          if (!isActive(ticket.status)) return onSolved(current, calendar, at);
          const resolution = current.clocks.findLast((c) => c.metric === 'resolution');
          return resolution && (resolution.state === 'hit' || resolution.state === 'missed') ? onReopened(current, policy, calendar, ticket, at) : resumeSla(current, calendar, at);
        }
      }
    },
    dueAt: (sla) => {
      const state = stateOf({ sla });
      return state ? nextDue(state) : undefined;
    },
  };
}

/**
 * The SLA of a ticket that is created outside the ticket use cases (an offline message, a flow's ticket): the clocks
 * start now and the ticket is due at its first response, counted on the group's calendar.
 */
export async function withStartedSla(deps: SlaDeps, draft: NewTicket, at: Date): Promise<{ ticket: NewTicket; firstResponseDueAt?: string; calendar: BusinessCalendar }> {
  const hook = makeTicketSlaHook(deps);
  const state = (await hook.onEvent({ status: 'new', ...draft } as Ticket, 'created', at)) as SlaState;
  const firstResponseDueAt = state.clocks.find((c) => c.metric === 'firstResponse')?.dueAt;
  const dueAt = nextDue(state);
  return { ticket: { ...draft, sla: state, ...(dueAt ? { dueAt } : {}) }, ...(firstResponseDueAt ? { firstResponseDueAt } : {}), calendar: await businessCalendar(deps, state.calendarId) };
}

/** A due time as the customer reads it, in the calendar's time zone: "11月23日（周一）09:15 GMT+8", "Mon 23 Nov, 09:15 GMT+8". */
export function formatDue(iso: string, calendar: Pick<BusinessCalendar, 'timeZone'>, language: 'zh' | 'en'): string {
  const parts = new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: calendar.timeZone,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const month = language === 'zh' ? part('month').replace(/月$/, '') : part('month');
  return language === 'zh'
    ? `${month}月${part('day')}日（${part('weekday')}）${part('hour')}:${part('minute')} ${part('timeZoneName')}`
    : `${part('weekday')} ${part('day')} ${month}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/** What a ticket shows of its SLA: per metric the due time, the state (active / paused / hit / missed) and what is left. */
export async function slaViewOf(deps: SlaDeps, ticket: Ticket, now: Date): Promise<{ policyId: string; calendarId: string; clocks: SlaViewEntry[] } | undefined> {
  const state = stateOf(ticket);
  if (!state) return undefined;
  const calendar = await businessCalendar(deps, state.calendarId);
  return { policyId: state.policyId, calendarId: state.calendarId, clocks: slaView(state, now, calendar) };
}

// ---------------------------------------------------------------- timers

export interface SlaTimerInput {
  readonly ticketId: string;
  readonly version: number;
  /** When the execution's Wait state ends (the next warning or breach, at most MAX_TIMER_WAIT_MS ahead). */
  readonly wakeAt: string;
}

export interface SlaTimerStarter {
  /** Starts the timer workflow; the same name again is a no-op. */
  startSlaTimer(name: string, input: SlaTimerInput): Promise<void>;
}

const capped = (at: string, now: Date) => new Date(Math.min(Date.parse(at), now.getTime() + MAX_TIMER_WAIT_MS)).toISOString();

/** The timer a ticket's current SLA state needs (undefined: nothing pending), named after its SLA version. */
export function slaTimerFor(ticket: Pick<Ticket, 'id' | 'sla' | 'status'>, now: Date): { name: string; input: SlaTimerInput } | undefined {
  const state = stateOf(ticket);
  if (!state || ticket.status === 'closed') return undefined;
  const timer = nextTimer(state);
  if (!timer) return undefined;
  return { name: `sla-${ticket.id}-v${state.version}`.slice(0, 80), input: { ticketId: ticket.id, version: state.version, wakeAt: capped(timer.at, now) } };
}

/** The SLA scheduler: starts the timer of a ticket's SLA state (from the tickets table's stream). */
export function makeScheduleSlaTimer(deps: { readonly timers: SlaTimerStarter; readonly clock: Clock }) {
  return async (ticket: Pick<Ticket, 'id' | 'sla' | 'status'>): Promise<{ scheduled: boolean; name?: string; wakeAt?: string }> => {
    const timer = slaTimerFor(ticket, deps.clock.now());
    if (!timer) return { scheduled: false };
    await deps.timers.startSlaTimer(timer.name, timer.input);
    return { scheduled: true, name: timer.name, wakeAt: timer.input.wakeAt };
  };
}

export interface FireSlaTimerDeps extends SlaDeps {
  readonly tickets: TicketStore;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly live: LiveUpdates;
}

export type FireSlaTimerResult =
  | { readonly outcome: 'stale' | 'idle' }
  /** Woken before anything was due (a long wait is cut into pieces): wait again until `wakeAt`. */
  | { readonly outcome: 'early'; readonly wakeAt: string }
  | { readonly outcome: 'fired'; readonly warnings: readonly SlaMetric[]; readonly breaches: readonly SlaMetric[]; readonly priority: Ticket['priority']; readonly groupId?: string };

const METRIC_LABEL: Record<SlaMetric, string> = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };

/** The timer workflow's step: report the warnings and breaches that are due now, and escalate on a breach. */
export function makeFireSlaTimer(deps: FireSlaTimerDeps) {
  return async (input: { ticketId: string; version: number }): Promise<FireSlaTimerResult> => {
    const ticket = await deps.tickets.get(input.ticketId);
    if (!ticket) throw new DomainError('TICKET.NOT_FOUND', `ticket ${input.ticketId} does not exist`, { ticketId: input.ticketId });
    const state = stateOf(ticket);
    if (!state || state.version !== input.version || !isActive(ticket.status)) return { outcome: 'stale' };
    const now = deps.clock.now();
    const at = now.toISOString();
    const { state: evaluated, warnings, breaches } = evaluate(state, now);
    if (!warnings.length && !breaches.length) {
      const pending = nextTimer(state);
      return pending ? { outcome: 'early', wakeAt: capped(pending.at, now) } : { outcome: 'idle' };
    }
    let next: Ticket = { ...ticket, sla: evaluated };
    const history: TicketHistoryEntry[] = [];
    const notes: string[] = [];
    const dueOf = (metric: SlaMetric) => state.clocks.findLast((c) => c.metric === metric)?.dueAt;
    for (const metric of warnings) notes.push(`SLA warning: ${METRIC_LABEL[metric]} is due at ${dueOf(metric)}.`);
    if (warnings.length) history.push(entry(deps, ticket.id, at, 'sla-warning', { detail: { metrics: warnings } }));
    if (breaches.length) {
      const policy = await slaPolicy(deps, state.policyId);
      const action = policy.onBreach ?? DEFAULT_BREACH_ACTION;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (action.raisePriority && raisedPriority(ticket.priority) !== ticket.priority) {
        const priority = raisedPriority(ticket.priority);
        changes.priority = { from: ticket.priority, to: priority };
        next = { ...next, priority };
        next = { ...next, sla: reprioritise(next.sla as SlaState, policy, await businessCalendar(deps, state.calendarId), next, now) };
      }
      if (action.reassignToGroupId && action.reassignToGroupId !== ticket.groupId) {
        changes.groupId = { from: ticket.groupId ?? null, to: action.reassignToGroupId };
        if (ticket.assigneeId) changes.assigneeId = { from: ticket.assigneeId, to: null };
        const { assigneeId, ...rest } = next;
        void assigneeId;
        next = { ...rest, groupId: action.reassignToGroupId };
      }
      for (const metric of breaches) notes.push(`SLA breached: ${METRIC_LABEL[metric]} was due at ${dueOf(metric)}.`);
      history.push(entry(deps, ticket.id, at, 'sla-breach', { changes, detail: { metrics: breaches } }));
    }
    const due = nextDue(next.sla as SlaState);
    if (due) next = { ...next, dueAt: due };
    next = bump(next, at);
    const comment: TicketComment = { id: `cmt_${deps.ids.next()}`, ticketId: ticket.id, visibility: 'internal', author: 'system', authorKind: 'system', text: notes.join('\n'), createdAt: at };
    await deps.tickets.write({ updates: [{ ticket: next, expectedVersion: ticket.version }], comments: [comment], history });
    const event = {
      ticketId: ticket.id,
      subject: ticket.subject,
      priority: next.priority,
      ...(next.groupId ? { groupId: next.groupId } : {}),
      ...(ticket.assigneeId ? { assigneeId: ticket.assigneeId } : {}),
      ...(next.dueAt ? { dueAt: next.dueAt } : {}),
    };
    if (warnings.length) await deps.live.publish(AGENTS_AUDIENCE, { type: 'sla.warning', metrics: warnings, ...event });
    if (breaches.length) await deps.live.publish(AGENTS_AUDIENCE, { type: 'sla.breach', metrics: breaches, ...event });
    return { outcome: 'fired', warnings, breaches, priority: next.priority, ...(next.groupId ? { groupId: next.groupId } : {}) };
  };
}

function entry(deps: Pick<FireSlaTimerDeps, 'ids'>, ticketId: string, at: string, action: TicketHistoryEntry['action'], extra: { changes?: TicketHistoryEntry['changes']; detail?: Record<string, unknown> }): TicketHistoryEntry {
  return { id: `hst_${deps.ids.next()}`, ticketId, at, actor: 'system', action, ...(extra.changes && Object.keys(extra.changes).length ? { changes: extra.changes } : {}), ...(extra.detail ? { detail: extra.detail } : {}) };
}
