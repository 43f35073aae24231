import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, businessMinutesBetween, parseCalendar, type BusinessCalendar, type OpeningHours } from '../../shared/domain/routing/business-calendar.ts';
import {
  DEFAULT_SLA_POLICY,
  evaluate,
  nextTimer,
  onAgentPublicReply,
  onCustomerReply,
  onReopened,
  onSolved,
  parseSlaPolicy,
  pauseSla,
  reprioritise,
  resumeSla,
  slaView,
  startSla,
  targetFor,
  type SlaClock,
  type SlaMetric,
  type SlaPolicy,
  type SlaState,
  type SlaTicket,
} from '../../shared/domain/tickets/sla.ts';
import { DomainError } from '../../shared/domain/errors.ts';

// Mon–Fri 09:00–18:00 in Asia/Shanghai (UTC+8). 2026-03-02 is a Monday, 2026-03-06 a Friday.
const NINE_TO_SIX: readonly OpeningHours[] = [{ start: '09:00', end: '18:00' }];
const WEEKLY = { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX };
const CAL: BusinessCalendar = parseCalendar({ id: 'sh', name: 'Shanghai office', timeZone: 'Asia/Shanghai', weekly: WEEKLY, holidays: [] });
const WITH_HOLIDAY: BusinessCalendar = parseCalendar({ id: 'sh-h', name: 'Shanghai office', timeZone: 'Asia/Shanghai', weekly: WEEKLY, holidays: ['2026-03-09'] });

// The default targets (urgent 30/60/240, high 60/120/480, normal 240/480/1440, normal complaint 120/480/1440,
// low 480/960/2880), warnings 15 minutes before, on the Shanghai calendar.
const POLICY: SlaPolicy = parseSlaPolicy({ ...DEFAULT_SLA_POLICY, calendarId: 'sh' });

const HIGH: SlaTicket = { priority: 'high', type: 'inquiry' };
const NORMAL: SlaTicket = { priority: 'normal', type: 'inquiry' };
const URGENT: SlaTicket = { priority: 'urgent', type: 'inquiry' };

/** A Shanghai wall-clock time, 'YYYY-MM-DD HH:mm'. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const iso = (local: string) => sh(local).toISOString();

function clock(state: SlaState, metric: SlaMetric, nth = 0): SlaClock {
  const found = state.clocks.filter((c) => c.metric === metric)[nth];
  if (!found) throw new Error(`no ${metric} clock #${nth}`);
  return found;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('starting the clocks', () => {
  it('runs first response and resolution from the creation, due after their business minutes', () => {
    const state = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));
    expect(state).toEqual({
      policyId: 'default',
      calendarId: 'sh',
      warnBeforeMinutes: 15,
      version: 1,
      clocks: [
        { metric: 'firstResponse', targetMinutes: 60, startedAt: iso('2026-03-02 10:00'), consumedMinutes: 0, runningSince: iso('2026-03-02 10:00'), dueAt: iso('2026-03-02 11:00'), warnAt: iso('2026-03-02 10:45'), state: 'active' },
        { metric: 'resolution', targetMinutes: 480, startedAt: iso('2026-03-02 10:00'), consumedMinutes: 0, runningSince: iso('2026-03-02 10:00'), dueAt: iso('2026-03-02 18:00'), warnAt: iso('2026-03-02 17:45'), state: 'active' },
      ],
    });
  });

  it('counts over the weekend from Friday 17:30: 240 business minutes are due Monday 12:30', () => {
    const state = startSla(POLICY, CAL, NORMAL, sh('2026-03-06 17:30'));
    expect(clock(state, 'firstResponse').dueAt).toBe(iso('2026-03-09 12:30'));
    expect(clock(state, 'firstResponse').warnAt).toBe(iso('2026-03-09 12:15'));
  });

  it('uses the target of the ticket type when there is one', () => {
    const state = startSla(POLICY, CAL, { priority: 'normal', type: 'complaint' }, sh('2026-03-02 10:00'));
    expect(clock(state, 'firstResponse')).toMatchObject({ targetMinutes: 120, dueAt: iso('2026-03-02 12:00') });
  });

  it('never warns before the clock started when the warning lead exceeds the target', () => {
    const eager = parseSlaPolicy({ ...POLICY, warnBeforeMinutes: 60 });
    const state = startSla(eager, CAL, URGENT, sh('2026-03-02 10:00'));
    expect(clock(state, 'firstResponse')).toMatchObject({ dueAt: iso('2026-03-02 10:30'), warnAt: iso('2026-03-02 10:00') });
    expect(nextTimer(state)).toEqual({ at: iso('2026-03-02 10:00'), kind: 'warn', metric: 'firstResponse', version: 1 });
  });

  it('counts every minute on the 24x7 default policy', () => {
    const state = startSla(DEFAULT_SLA_POLICY, ALWAYS_OPEN, URGENT, new Date('2026-03-08T06:00:00Z'));
    expect(state.calendarId).toBe('always-open');
    expect(clock(state, 'firstResponse').dueAt).toBe('2026-03-08T06:30:00.000Z');
    expect(clock(state, 'resolution').dueAt).toBe('2026-03-08T10:00:00.000Z');
  });
});

describe('first response', () => {
  const started = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));

  it('is hit by a public reply before it is due', () => {
    const state = onAgentPublicReply(started, POLICY, CAL, sh('2026-03-02 10:50'));
    expect(clock(state, 'firstResponse')).toEqual({
      metric: 'firstResponse',
      targetMinutes: 60,
      startedAt: iso('2026-03-02 10:00'),
      consumedMinutes: 50,
      dueAt: iso('2026-03-02 11:00'),
      state: 'hit',
      completedAt: iso('2026-03-02 10:50'),
    });
    expect(state.version).toBe(2);
    expect(clock(state, 'resolution')).toBe(clock(started, 'resolution'));
  });

  it('is missed by a reply after it was due, breached at the due time', () => {
    const state = onAgentPublicReply(started, POLICY, CAL, sh('2026-03-02 11:05'));
    expect(clock(state, 'firstResponse')).toMatchObject({ state: 'missed', consumedMinutes: 65, breachedAt: iso('2026-03-02 11:00'), completedAt: iso('2026-03-02 11:05') });
  });

  it('is missed by a reply at exactly the due time', () => {
    expect(clock(onAgentPublicReply(started, POLICY, CAL, sh('2026-03-02 11:00')), 'firstResponse').state).toBe('missed');
    expect(clock(onAgentPublicReply(started, POLICY, CAL, new Date(sh('2026-03-02 11:00').getTime() - 1)), 'firstResponse').state).toBe('hit');
  });

  it('counts only business time across the weekend', () => {
    const friday = startSla(POLICY, CAL, NORMAL, sh('2026-03-06 17:30'));
    const state = onAgentPublicReply(friday, POLICY, CAL, sh('2026-03-09 12:00'));
    expect(clock(state, 'firstResponse')).toMatchObject({ state: 'hit', consumedMinutes: 210 });
  });
});

describe('pausing while the ticket waits on the customer', () => {
  // High, created Friday 16:00: resolution due Friday 120 + Monday 360 = Monday 15:00.
  const created = startSla(POLICY, CAL, HIGH, sh('2026-03-06 16:00'));
  const replied = onAgentPublicReply(created, POLICY, CAL, sh('2026-03-06 16:20'));
  const paused = pauseSla(replied, CAL, sh('2026-03-06 17:00'));

  it('stops the clock with its consumed business minutes and no due time', () => {
    expect(clock(created, 'resolution').dueAt).toBe(iso('2026-03-09 15:00'));
    expect(clock(paused, 'resolution')).toEqual({ metric: 'resolution', targetMinutes: 480, startedAt: iso('2026-03-06 16:00'), consumedMinutes: 60, state: 'paused' });
    expect(paused.version).toBe(3);
    expect(nextTimer(paused)).toBeUndefined();
    expect(slaView(paused, sh('2026-03-07 12:00'), CAL).find((v) => v.metric === 'resolution')).toEqual({ metric: 'resolution', state: 'paused', targetMinutes: 480, remainingBusinessMinutes: 420, breached: false, warning: false });
  });

  it('resumes Monday 10:00 with the remaining 420 minutes: due Monday 17:00, two business hours later than before', () => {
    const resumed = resumeSla(paused, CAL, sh('2026-03-09 10:00'));
    expect(clock(resumed, 'resolution')).toEqual({
      metric: 'resolution',
      targetMinutes: 480,
      startedAt: iso('2026-03-06 16:00'),
      consumedMinutes: 60,
      runningSince: iso('2026-03-09 10:00'),
      dueAt: iso('2026-03-09 17:00'),
      warnAt: iso('2026-03-09 16:45'),
      state: 'active',
    });
    expect(resumed.version).toBe(4);
    // The shift is exactly the business time spent paused: Friday 17:00–18:00 and Monday 09:00–10:00.
    expect(businessMinutesBetween(CAL, sh('2026-03-09 15:00'), sh('2026-03-09 17:00'))).toBe(120);
    expect(businessMinutesBetween(CAL, sh('2026-03-06 17:00'), sh('2026-03-09 10:00'))).toBe(120);
    // Solved at 16:30: 60 before the pause + 390 after.
    expect(clock(onSolved(resumed, CAL, sh('2026-03-09 16:30')), 'resolution')).toMatchObject({ state: 'hit', consumedMinutes: 450 });
  });

  it('shifts a due time within a day by the paused hour', () => {
    const state = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));
    const back = resumeSla(pauseSla(state, CAL, sh('2026-03-02 10:30')), CAL, sh('2026-03-02 11:30'));
    expect(clock(back, 'firstResponse')).toMatchObject({ consumedMinutes: 30, dueAt: iso('2026-03-02 12:00'), warnAt: iso('2026-03-02 11:45') });
    expect(clock(back, 'resolution')).toMatchObject({ consumedMinutes: 30, dueAt: iso('2026-03-03 10:00') });
  });

  it('records a breach that happened before the pause, and keeps it', () => {
    const state = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));
    const late = pauseSla(state, CAL, sh('2026-03-02 11:20'));
    expect(clock(late, 'firstResponse')).toMatchObject({ state: 'paused', consumedMinutes: 80, breachedAt: iso('2026-03-02 11:00') });
    const back = resumeSla(late, CAL, sh('2026-03-02 12:00'));
    expect(clock(back, 'firstResponse')).toMatchObject({ state: 'active', dueAt: iso('2026-03-02 11:00'), breachedAt: iso('2026-03-02 11:00') });
    expect(nextTimer(back)).toMatchObject({ kind: 'warn', metric: 'resolution' });
    expect(clock(onAgentPublicReply(back, POLICY, CAL, sh('2026-03-02 12:10')), 'firstResponse')).toMatchObject({ state: 'missed', consumedMinutes: 90 });
    // Paused at exactly the due time: breached then, not when it runs again.
    expect(clock(pauseSla(state, CAL, sh('2026-03-02 11:00')), 'firstResponse')).toMatchObject({ consumedMinutes: 60, breachedAt: iso('2026-03-02 11:00') });
  });

  it('changes nothing when nothing runs (or nothing is paused)', () => {
    expect(pauseSla(paused, CAL, sh('2026-03-06 17:30'))).toBe(paused);
    expect(resumeSla(replied, CAL, sh('2026-03-06 17:30'))).toBe(replied);
  });
});

describe('next response', () => {
  const replied = onAgentPublicReply(startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00')), POLICY, CAL, sh('2026-03-02 10:50'));

  it('starts with a customer reply after the first response and is hit by the next public reply', () => {
    const waiting = onCustomerReply(replied, POLICY, CAL, HIGH, sh('2026-03-02 11:30'));
    expect(clock(waiting, 'nextResponse')).toEqual({
      metric: 'nextResponse',
      targetMinutes: 120,
      startedAt: iso('2026-03-02 11:30'),
      consumedMinutes: 0,
      runningSince: iso('2026-03-02 11:30'),
      dueAt: iso('2026-03-02 13:30'),
      warnAt: iso('2026-03-02 13:15'),
      state: 'active',
    });
    expect(waiting.version).toBe(3);
    // A second customer message does not restart it.
    expect(onCustomerReply(waiting, POLICY, CAL, HIGH, sh('2026-03-02 12:00'))).toBe(waiting);
    const answered = onAgentPublicReply(waiting, POLICY, CAL, sh('2026-03-02 12:10'));
    expect(clock(answered, 'nextResponse')).toMatchObject({ state: 'hit', consumedMinutes: 40, completedAt: iso('2026-03-02 12:10') });
    expect(answered.version).toBe(4);
    // The next customer message at 17:00 starts a new one: 60 minutes on Monday, 60 on Tuesday.
    const again = onCustomerReply(answered, POLICY, CAL, HIGH, sh('2026-03-02 17:00'));
    expect(clock(again, 'nextResponse', 1)).toMatchObject({ state: 'active', dueAt: iso('2026-03-03 10:00'), warnAt: iso('2026-03-03 09:45') });
    expect(again.clocks).toHaveLength(4);
  });

  it('does not start before the first response, nor on a solved ticket', () => {
    const fresh = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));
    expect(onCustomerReply(fresh, POLICY, CAL, HIGH, sh('2026-03-02 10:10'))).toBe(fresh);
    const solved = onSolved(replied, CAL, sh('2026-03-02 11:00'));
    expect(onCustomerReply(solved, POLICY, CAL, HIGH, sh('2026-03-02 11:30'))).toBe(solved);
  });

  it('starts paused when the ticket is paused', () => {
    const pending = pauseSla(replied, CAL, sh('2026-03-02 11:00'));
    const state = onCustomerReply(pending, POLICY, CAL, HIGH, sh('2026-03-02 11:30'));
    expect(clock(state, 'nextResponse')).toEqual({ metric: 'nextResponse', targetMinutes: 120, startedAt: iso('2026-03-02 11:30'), consumedMinutes: 0, state: 'paused' });
    expect(clock(resumeSla(state, CAL, sh('2026-03-02 11:40')), 'nextResponse').dueAt).toBe(iso('2026-03-02 13:40'));
  });

  it('leaves a reply with nothing to answer unchanged', () => {
    expect(onAgentPublicReply(replied, POLICY, CAL, sh('2026-03-02 11:00'))).toBe(replied);
  });
});

describe('resolution', () => {
  // Normal, created Thursday 15:00: 1,440 minutes = Thursday 180 + Friday 540 + 540 + 180.
  it('runs across the weekend: due Tuesday 12:00', () => {
    const state = startSla(POLICY, CAL, NORMAL, sh('2026-03-05 15:00'));
    expect(clock(state, 'resolution').dueAt).toBe(iso('2026-03-10 12:00'));
    expect(clock(state, 'firstResponse').dueAt).toBe(iso('2026-03-06 10:00'));
  });

  it('skips the Monday holiday: due Wednesday 12:00, hit or missed by the solve', () => {
    const state = startSla(POLICY, WITH_HOLIDAY, NORMAL, sh('2026-03-05 15:00'));
    expect(clock(state, 'resolution').dueAt).toBe(iso('2026-03-11 12:00'));
    const early = onSolved(state, WITH_HOLIDAY, sh('2026-03-11 11:00'));
    expect(clock(early, 'resolution')).toMatchObject({ state: 'hit', consumedMinutes: 1380, completedAt: iso('2026-03-11 11:00') });
    // The solve also completes the unanswered first response, which was due Friday 10:00.
    expect(clock(early, 'firstResponse')).toMatchObject({ state: 'missed', breachedAt: iso('2026-03-06 10:00') });
    expect(nextTimer(early)).toBeUndefined();
    const late = onSolved(state, WITH_HOLIDAY, sh('2026-03-11 12:30'));
    expect(clock(late, 'resolution')).toMatchObject({ state: 'missed', consumedMinutes: 1470, breachedAt: iso('2026-03-11 12:00') });
  });
});

describe('reopening', () => {
  const start = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));
  const solved = onSolved(onAgentPublicReply(start, POLICY, CAL, sh('2026-03-02 10:30')), CAL, sh('2026-03-02 12:00'));

  it('runs the resolution clock again with its consumed minutes and starts a next response', () => {
    expect(clock(solved, 'resolution')).toMatchObject({ state: 'hit', consumedMinutes: 120, completedAt: iso('2026-03-02 12:00') });
    const reopened = onReopened(solved, POLICY, CAL, HIGH, sh('2026-03-02 20:00'));
    expect(reopened.version).toBe(4);
    expect(clock(reopened, 'resolution')).toEqual({
      metric: 'resolution',
      targetMinutes: 480,
      startedAt: iso('2026-03-02 10:00'),
      consumedMinutes: 120,
      runningSince: iso('2026-03-02 20:00'),
      dueAt: iso('2026-03-03 15:00'),
      warnAt: iso('2026-03-03 14:45'),
      state: 'active',
    });
    expect(clock(reopened, 'nextResponse')).toMatchObject({ state: 'active', targetMinutes: 120, dueAt: iso('2026-03-03 11:00') });
    // Solved again Tuesday 14:00: resolution 120 + 300 minutes, hit; the unanswered next response was due 11:00.
    const again = onSolved(reopened, CAL, sh('2026-03-03 14:00'));
    expect(clock(again, 'resolution')).toMatchObject({ state: 'hit', consumedMinutes: 420, completedAt: iso('2026-03-03 14:00') });
    expect(clock(again, 'nextResponse')).toMatchObject({ state: 'missed', consumedMinutes: 300, breachedAt: iso('2026-03-03 11:00') });
  });

  it('keeps a missed resolution breached', () => {
    const lateSolve = onSolved(start, CAL, sh('2026-03-03 10:00'));
    expect(clock(lateSolve, 'resolution')).toMatchObject({ state: 'missed', consumedMinutes: 540, breachedAt: iso('2026-03-02 18:00') });
    const reopened = onReopened(lateSolve, POLICY, CAL, HIGH, sh('2026-03-03 11:00'));
    expect(clock(reopened, 'resolution')).toMatchObject({ state: 'active', breachedAt: iso('2026-03-02 18:00') });
    expect(nextTimer(reopened)).toMatchObject({ metric: 'nextResponse', kind: 'warn', at: iso('2026-03-03 12:45') });
    expect(clock(onSolved(reopened, CAL, sh('2026-03-03 11:30')), 'resolution').state).toBe('missed');
  });
});

describe('reprioritising', () => {
  const start = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));

  it('gives running clocks the new targets, consumed minutes kept', () => {
    const urgent = reprioritise(start, POLICY, CAL, URGENT, sh('2026-03-02 10:20'));
    expect(urgent.version).toBe(2);
    expect(clock(urgent, 'firstResponse')).toEqual({
      metric: 'firstResponse',
      targetMinutes: 30,
      startedAt: iso('2026-03-02 10:00'),
      consumedMinutes: 20,
      runningSince: iso('2026-03-02 10:20'),
      dueAt: iso('2026-03-02 10:30'),
      warnAt: iso('2026-03-02 10:20'),
      state: 'active',
    });
    expect(clock(urgent, 'resolution')).toMatchObject({ targetMinutes: 240, consumedMinutes: 20, dueAt: iso('2026-03-02 14:00'), warnAt: iso('2026-03-02 13:45') });
    const low = reprioritise(start, POLICY, CAL, { priority: 'low', type: 'inquiry' }, sh('2026-03-02 10:20'));
    expect(clock(low, 'firstResponse')).toMatchObject({ targetMinutes: 480, dueAt: iso('2026-03-02 18:00') });
    // 2,860 minutes left from Monday 10:20: 460 on Monday, 540 Tuesday to Friday, then Monday 09:00 + 240.
    expect(clock(low, 'resolution')).toMatchObject({ targetMinutes: 2880, dueAt: iso('2026-03-09 13:00') });
  });

  it('breaches at once when the consumed time already exceeds the new target', () => {
    const urgent = reprioritise(start, POLICY, CAL, URGENT, sh('2026-03-02 10:40'));
    expect(clock(urgent, 'firstResponse')).toMatchObject({ consumedMinutes: 40, dueAt: iso('2026-03-02 10:40') });
    expect(nextTimer(urgent)).toEqual({ at: iso('2026-03-02 10:40'), kind: 'breach', metric: 'firstResponse', version: 2 });
    const evaluated = evaluate(urgent, sh('2026-03-02 10:40'));
    expect(evaluated.breaches).toEqual(['firstResponse']);
    expect(clock(evaluated.state, 'firstResponse').breachedAt).toBe(iso('2026-03-02 10:40'));
  });

  it('leaves finished clocks alone and changes paused clocks only in their targets', () => {
    const replied = onAgentPublicReply(start, POLICY, CAL, sh('2026-03-02 10:10'));
    const paused = pauseSla(replied, CAL, sh('2026-03-02 10:20'));
    const urgent = reprioritise(paused, POLICY, CAL, URGENT, sh('2026-03-02 10:30'));
    expect(clock(urgent, 'firstResponse')).toBe(clock(paused, 'firstResponse'));
    expect(clock(urgent, 'resolution')).toEqual({ ...clock(paused, 'resolution'), targetMinutes: 240 });
    expect(clock(resumeSla(urgent, CAL, sh('2026-03-02 11:00')), 'resolution').dueAt).toBe(iso('2026-03-02 14:40'));
  });

  it('follows a type change, and changes nothing when the targets stay the same', () => {
    const normal = startSla(POLICY, CAL, NORMAL, sh('2026-03-02 10:00'));
    expect(clock(reprioritise(normal, POLICY, CAL, { priority: 'normal', type: 'complaint' }, sh('2026-03-02 10:30')), 'firstResponse')).toMatchObject({ targetMinutes: 120, dueAt: iso('2026-03-02 12:00') });
    expect(reprioritise(normal, POLICY, CAL, { priority: 'normal', type: 'after-sales' }, sh('2026-03-02 10:30'))).toBe(normal);
  });
});

describe('timers: evaluate and nextTimer', () => {
  const s1 = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));

  it('wakes for the warning first, then the breach, each reported once', () => {
    expect(nextTimer(s1)).toEqual({ at: iso('2026-03-02 10:45'), kind: 'warn', metric: 'firstResponse', version: 1 });
    expect(evaluate(s1, sh('2026-03-02 10:44'))).toEqual({ state: s1, warnings: [], breaches: [] });

    const warned = evaluate(s1, sh('2026-03-02 10:45'));
    expect(warned.warnings).toEqual(['firstResponse']);
    expect(warned.breaches).toEqual([]);
    expect(warned.state.version).toBe(2);
    expect(clock(warned.state, 'firstResponse').warnedAt).toBe(iso('2026-03-02 10:45'));
    expect(nextTimer(warned.state)).toEqual({ at: iso('2026-03-02 11:00'), kind: 'breach', metric: 'firstResponse', version: 2 });
    expect(evaluate(warned.state, sh('2026-03-02 10:50')).state).toBe(warned.state);

    const breached = evaluate(warned.state, sh('2026-03-02 11:00'));
    expect(breached.breaches).toEqual(['firstResponse']);
    expect(breached.warnings).toEqual([]);
    expect(clock(breached.state, 'firstResponse')).toMatchObject({ state: 'active', breachedAt: iso('2026-03-02 11:00') });
    expect(breached.state.version).toBe(3);
    expect(nextTimer(breached.state)).toEqual({ at: iso('2026-03-02 17:45'), kind: 'warn', metric: 'resolution', version: 3 });
    expect(evaluate(breached.state, sh('2026-03-02 11:05')).breaches).toEqual([]);

    const replied = onAgentPublicReply(breached.state, POLICY, CAL, sh('2026-03-02 11:10'));
    expect(clock(replied, 'firstResponse')).toMatchObject({ state: 'missed', consumedMinutes: 70, breachedAt: iso('2026-03-02 11:00') });

    // A late timer: past both the warning and the due time, only the breach is reported.
    const late = evaluate(replied, sh('2026-03-02 18:30'));
    expect(late).toMatchObject({ warnings: [], breaches: ['resolution'] });
    expect(clock(late.state, 'resolution').breachedAt).toBe(iso('2026-03-02 18:00'));
    expect(nextTimer(late.state)).toBeUndefined();
  });

  it('reports several clocks at once and puts a warning before a breach at the same instant', () => {
    const state: SlaState = {
      policyId: 'p',
      calendarId: 'sh',
      warnBeforeMinutes: 15,
      version: 7,
      clocks: [
        { metric: 'resolution', targetMinutes: 60, startedAt: iso('2026-03-02 10:00'), consumedMinutes: 0, runningSince: iso('2026-03-02 10:00'), dueAt: iso('2026-03-02 11:00'), warnAt: iso('2026-03-02 10:45'), warnedAt: iso('2026-03-02 10:45'), state: 'active' },
        { metric: 'nextResponse', targetMinutes: 30, startedAt: iso('2026-03-02 10:45'), consumedMinutes: 0, runningSince: iso('2026-03-02 10:45'), dueAt: iso('2026-03-02 11:15'), warnAt: iso('2026-03-02 11:00'), state: 'active' },
      ],
    };
    expect(nextTimer(state)).toEqual({ at: iso('2026-03-02 11:00'), kind: 'warn', metric: 'nextResponse', version: 7 });
    const result = evaluate(state, sh('2026-03-02 11:00'));
    expect(result).toMatchObject({ warnings: ['nextResponse'], breaches: ['resolution'] });
    expect(result.state.version).toBe(8);
    expect(nextTimer(result.state)).toEqual({ at: iso('2026-03-02 11:15'), kind: 'breach', metric: 'nextResponse', version: 8 });
  });

  it('keeps a warning whose new time has come, and re-arms one that moved ahead', () => {
    const warned = evaluate(s1, sh('2026-03-02 10:45')).state;
    // Paused at 10:50 with 10 minutes left, resumed Tuesday 09:00: the warning time is the resume itself.
    const back = resumeSla(pauseSla(warned, CAL, sh('2026-03-02 10:50')), CAL, sh('2026-03-03 09:00'));
    expect(clock(back, 'firstResponse')).toMatchObject({ dueAt: iso('2026-03-03 09:10'), warnAt: iso('2026-03-03 09:00'), warnedAt: iso('2026-03-02 10:45') });
    expect(nextTimer(back)).toMatchObject({ kind: 'breach', metric: 'firstResponse', at: iso('2026-03-03 09:10') });
    // Lowered to low at 10:46: 434 minutes left, due 18:00, a new warning at 17:45.
    const relaxed = reprioritise(warned, POLICY, CAL, { priority: 'low', type: 'inquiry' }, sh('2026-03-02 10:46'));
    expect(clock(relaxed, 'firstResponse')).not.toHaveProperty('warnedAt');
    expect(clock(relaxed, 'firstResponse')).toMatchObject({ dueAt: iso('2026-03-02 18:00'), warnAt: iso('2026-03-02 17:45') });
    expect(nextTimer(relaxed)).toEqual({ at: iso('2026-03-02 17:45'), kind: 'warn', metric: 'firstResponse', version: 3 });
  });
});

describe('the state as a value', () => {
  it('never changes its input, counts every change in version, and writes no undefined fields', () => {
    let state = deepFreeze(startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00')));
    const versions = [state.version];
    const steps: ((s: SlaState) => SlaState)[] = [
      (s) => evaluate(s, sh('2026-03-02 10:45')).state,
      (s) => onAgentPublicReply(s, POLICY, CAL, sh('2026-03-02 10:50')),
      (s) => onCustomerReply(s, POLICY, CAL, HIGH, sh('2026-03-02 11:00')),
      (s) => pauseSla(s, CAL, sh('2026-03-02 11:10')),
      (s) => resumeSla(s, CAL, sh('2026-03-02 14:00')),
      (s) => reprioritise(s, POLICY, CAL, URGENT, sh('2026-03-02 14:10')),
      (s) => onSolved(s, CAL, sh('2026-03-02 15:00')),
      (s) => onReopened(s, POLICY, CAL, URGENT, sh('2026-03-03 09:30')),
    ];
    for (const step of steps) {
      const before = structuredClone(state);
      const next = step(state);
      expect(state).toEqual(before);
      expect(next).not.toBe(state);
      for (const c of next.clocks) expect(Object.values(c)).not.toContain(undefined);
      state = deepFreeze(next);
      versions.push(state.version);
    }
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe('slaView', () => {
  const state = startSla(POLICY, CAL, HIGH, sh('2026-03-02 10:00'));

  it('shows remaining business minutes, warning and breach per metric', () => {
    expect(slaView(state, sh('2026-03-02 10:30'), CAL)).toEqual([
      { metric: 'firstResponse', state: 'active', targetMinutes: 60, dueAt: iso('2026-03-02 11:00'), remainingBusinessMinutes: 30, breached: false, warning: false },
      { metric: 'resolution', state: 'active', targetMinutes: 480, dueAt: iso('2026-03-02 18:00'), remainingBusinessMinutes: 450, breached: false, warning: false },
    ]);
    expect(slaView(state, sh('2026-03-02 10:50'), CAL)[0]).toMatchObject({ warning: true, breached: false, remainingBusinessMinutes: 10 });
    expect(slaView(state, sh('2026-03-02 11:05'), CAL)[0]).toMatchObject({ warning: false, breached: true, remainingBusinessMinutes: -5 });
    expect(slaView(state, sh('2026-03-02 10:30'))[0]).not.toHaveProperty('remainingBusinessMinutes');
  });

  it('shows the unfinished clock of a metric before older finished ones', () => {
    const replied = onAgentPublicReply(state, POLICY, CAL, sh('2026-03-02 10:30'));
    const first = onAgentPublicReply(onCustomerReply(replied, POLICY, CAL, HIGH, sh('2026-03-02 11:00')), POLICY, CAL, sh('2026-03-02 11:30'));
    const second = onCustomerReply(first, POLICY, CAL, HIGH, sh('2026-03-02 12:00'));
    expect(slaView(second, sh('2026-03-02 12:30'), CAL).map((v) => [v.metric, v.state, v.remainingBusinessMinutes, v.completedAt])).toEqual([
      ['firstResponse', 'hit', undefined, iso('2026-03-02 10:30')],
      ['nextResponse', 'active', 90, undefined],
      ['resolution', 'active', 330, undefined],
    ]);
  });
});

describe('SLA policies', () => {
  it('accepts the default policy and leaves it frozen', () => {
    expect(parseSlaPolicy(DEFAULT_SLA_POLICY)).toEqual(DEFAULT_SLA_POLICY);
    expect(Object.isFrozen(DEFAULT_SLA_POLICY.targets[0])).toBe(true);
  });

  it('prefers a target with the same type over one without, wherever it is listed', () => {
    expect(targetFor(POLICY, 'normal', 'complaint').firstResponseMinutes).toBe(120);
    expect(targetFor(POLICY, 'normal', 'inquiry').firstResponseMinutes).toBe(240);
    const reordered = { ...POLICY, targets: [...POLICY.targets].reverse() };
    expect(targetFor(reordered, 'normal', 'complaint').firstResponseMinutes).toBe(120);
    expect(targetFor(reordered, 'normal', 'pre-sales').firstResponseMinutes).toBe(240);
  });

  it('fails for a priority without a target', () => {
    const partial: SlaPolicy = { ...POLICY, targets: POLICY.targets.filter((t) => t.priority !== 'low') };
    expect(() => targetFor(partial, 'low', 'inquiry')).toThrow(expect.objectContaining({ code: 'SLA.INVALID' }));
  });

  const target = { priority: 'urgent', firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 240 };
  const valid = { id: 'p', name: 'P', calendarId: 'sh', warnBeforeMinutes: 15, targets: [target, { ...target, priority: 'high' }, { ...target, priority: 'normal' }, { ...target, priority: 'low' }] };

  it.each([
    ['a zero target', { targets: [{ ...target, firstResponseMinutes: 0 }, ...valid.targets.slice(1)] }, 'targets.0.firstResponseMinutes: must be greater than 0'],
    ['an unknown priority', { targets: [...valid.targets, { ...target, priority: 'critical' }] }, 'targets.4.priority: expected "low" | "normal" | "high" | "urgent"'],
    ['an unknown type', { targets: [...valid.targets, { ...target, type: 'billing' }] }, 'targets.4.type: expected'],
    ['a duplicate target', { targets: [...valid.targets, { ...target, resolutionMinutes: 100 }] }, 'targets.4: a second target for priority urgent without a type'],
    ['a priority without a catch-all target', { targets: [...valid.targets.slice(0, 3), { ...target, priority: 'low', type: 'complaint' }] }, 'targets: no target without a type for priority low'],
    ['a negative warning lead', { warnBeforeMinutes: -1 }, 'warnBeforeMinutes: must be at least 0'],
    ['a missing calendar', { calendarId: undefined }, 'calendarId: expected string'],
    ['an unknown field', { breachAction: 'email' }, 'breachAction: unknown field'],
  ])('rejects %s', (_what, change, message) => {
    let error: unknown;
    try {
      parseSlaPolicy({ ...valid, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('SLA.INVALID');
    expect((error as DomainError).message).toContain(message);
  });
});
