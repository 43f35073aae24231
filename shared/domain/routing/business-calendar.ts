/**
 * Business-hours calendars: when a team is open, in its own time zone, with lunch breaks, public holidays and special
 * days (调休 make-up working Saturdays, shortened days before a holiday). SLA clocks (../tickets/sla.ts) count only
 * the open time of a calendar.
 *
 * Everything here is pure and deterministic: the instant is always passed in. Time-zone data comes from `tzOffset`
 * of @date-fns/tz (the runtime's ICU data); no offset is written down here. A local wall-clock time that a
 * spring-forward gap skips moves forward by the gap, as `new TZDate(y, m, d, h, min, tz)` does (02:30 becomes 03:30
 * EDT); a time that a fall-back repeats means its first occurrence (01:30 EDT, not EST). So an interval 01:00–03:00
 * lasts one real hour on the spring-forward night and three on the fall-back night.
 *
 * The walk is interval by interval (a day's opening hours, then the next day's), never minute by minute, and the
 * offsets of a time zone are looked up once per ~13 months (cached), so a year-long span costs a fraction of a
 * millisecond.
 */
import * as z from 'zod/mini';
import { tzOffset } from '@date-fns/tz';
import { DomainError } from '../errors.ts';
import { describeIssues, type Problem } from '../validation-issues.ts';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** One opening interval of a local day, 'HH:mm'; `end` is after `start` and may be '24:00' (through midnight). */
export interface OpeningHours {
  readonly start: string;
  readonly end: string;
}

export interface BusinessCalendar {
  readonly id: string;
  readonly name: string;
  /** IANA time zone, e.g. 'Asia/Shanghai'. */
  readonly timeZone: string;
  /** Opening hours per weekday, several intervals a day allowed (lunch break); a missing or empty day is closed. */
  readonly weekly: Readonly<Partial<Record<Weekday, readonly OpeningHours[]>>>;
  /** 'YYYY-MM-DD' local dates, closed all day. */
  readonly holidays: readonly string[];
  /**
   * Dates with their own hours, replacing the weekly hours (and a holiday on the same date): 调休 make-up working
   * Saturdays, shortened days. Empty `hours` means closed.
   */
  readonly specialDays?: readonly { readonly date: string; readonly hours: readonly OpeningHours[] }[];
}

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const ALL_DAY: readonly OpeningHours[] = Object.freeze([Object.freeze({ start: '00:00', end: '24:00' })]);

/** Open around the clock, every day, in UTC. */
export const ALWAYS_OPEN: BusinessCalendar = Object.freeze({
  id: 'always-open',
  name: 'Always open (24x7)',
  timeZone: 'UTC',
  weekly: Object.freeze(Object.fromEntries(WEEKDAYS.map((day) => [day, ALL_DAY])) as Record<Weekday, readonly OpeningHours[]>),
  holidays: Object.freeze([]) as readonly string[],
});

// ---------------------------------------------------------------- errors

function calendarError(code: 'CALENDAR.INVALID' | 'CALENDAR.NEVER_OPEN', message: string, details?: Readonly<Record<string, unknown>>): DomainError {
  return new DomainError(code, message, details);
}

// ---------------------------------------------------------------- parsing

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const openingHoursSchema = z.strictObject({
  start: z.string().check(z.regex(TIME, 'must be a time HH:mm from 00:00 to 23:59')),
  end: z.string().check(z.regex(END_TIME, 'must be a time HH:mm from 00:00 to 24:00')),
});
const dayHoursSchema = z.array(openingHoursSchema);
const dateSchema = z.string().check(
  z.regex(DATE, 'must be a date YYYY-MM-DD'),
  z.refine((value) => !DATE.test(value) || dayNumberOf(value) !== undefined, 'is not a real calendar date'),
);

const calendarSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  timeZone: z.string().check(z.minLength(1)),
  weekly: z.strictObject({
    mon: z.optional(dayHoursSchema),
    tue: z.optional(dayHoursSchema),
    wed: z.optional(dayHoursSchema),
    thu: z.optional(dayHoursSchema),
    fri: z.optional(dayHoursSchema),
    sat: z.optional(dayHoursSchema),
    sun: z.optional(dayHoursSchema),
  }),
  holidays: z.array(dateSchema),
  specialDays: z.optional(z.array(z.strictObject({ date: dateSchema, hours: dayHoursSchema }))),
});

function hoursProblems(hours: readonly OpeningHours[], path: string): Problem[] {
  const problems: Problem[] = [];
  hours.forEach((interval, i) => {
    const start = minutesOf(interval.start);
    const end = minutesOf(interval.end);
    if (end <= start) problems.push({ path: `${path}.${i}.end`, message: `must be after start (${interval.start})` });
    const previous = hours[i - 1];
    if (previous && start < minutesOf(previous.end)) {
      problems.push({ path: `${path}.${i}.start`, message: `overlaps or comes before the previous interval (ending ${previous.end}); list intervals in order without overlaps` });
    }
  });
  return problems;
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return Number.isFinite(tzOffset(timeZone, new Date(0)));
  } catch {
    return false;
  }
}

/**
 * Validates a calendar (the parsed JSON). Throws DomainError CALENDAR.INVALID whose message names every bad field
 * ("weekly.mon.1.start: overlaps …", "timeZone: unknown time zone \"Mars/Olympus\"").
 */
export function parseCalendar(input: unknown): BusinessCalendar {
  const result = calendarSchema.safeParse(input);
  if (!result.success) failCalendar(describeIssues(result.error.issues, '(calendar)'));
  const cal = result.data;
  const problems: Problem[] = [];
  if (!isTimeZone(cal.timeZone)) problems.push({ path: 'timeZone', message: `unknown time zone ${JSON.stringify(cal.timeZone)} (use an IANA name such as Asia/Shanghai)` });
  for (const day of WEEKDAYS) {
    const hours = cal.weekly[day];
    if (hours) problems.push(...hoursProblems(hours, `weekly.${day}`));
  }
  const seen = new Set<string>();
  cal.specialDays?.forEach((special, i) => {
    if (seen.has(special.date)) problems.push({ path: `specialDays.${i}.date`, message: `${special.date} is listed twice` });
    seen.add(special.date);
    problems.push(...hoursProblems(special.hours, `specialDays.${i}.hours`));
  });
  if (problems.length > 0) failCalendar(problems);
  const weekly: Partial<Record<Weekday, readonly OpeningHours[]>> = {};
  for (const day of WEEKDAYS) {
    const hours = cal.weekly[day];
    if (hours) weekly[day] = hours.map((h) => ({ start: h.start, end: h.end }));
  }
  return {
    id: cal.id,
    name: cal.name,
    timeZone: cal.timeZone,
    weekly,
    holidays: [...cal.holidays],
    ...(cal.specialDays ? { specialDays: cal.specialDays.map((s) => ({ date: s.date, hours: s.hours.map((h) => ({ start: h.start, end: h.end })) })) } : {}),
  };
}

function failCalendar(problems: readonly Problem[]): never {
  throw calendarError('CALENDAR.INVALID', `invalid business calendar: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { issues: problems });
}

// ---------------------------------------------------------------- time-zone offsets

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Offsets are scanned in buckets of 400 days (whole minutes, as transitions are) and cached per time zone. */
const BUCKET_MS = 400 * DAY_MS;
const SCAN_STEP_MS = 7 * DAY_MS;

interface OffsetBucket {
  readonly initial: number;
  readonly changes: readonly { readonly at: number; readonly offset: number }[];
}

const offsetBuckets = new Map<string, Map<number, OffsetBucket>>();

function scanBucket(timeZone: string, bucket: number): OffsetBucket {
  const start = bucket * BUCKET_MS;
  const end = start + BUCKET_MS;
  const offsetOf = (ms: number) => tzOffset(timeZone, new Date(ms));
  const initial = offsetOf(start);
  const changes: { at: number; offset: number }[] = [];
  let lo = start;
  let loOffset = initial;
  while (lo < end) {
    const hi = Math.min(lo + SCAN_STEP_MS, end);
    const hiOffset = offsetOf(hi);
    if (hiOffset === loOffset) {
      lo = hi;
      continue;
    }
    // Narrow down to the first minute with the new offset (transitions fall on whole minutes).
    let a = lo;
    let b = hi;
    while (b - a > MINUTE_MS) {
      const mid = a + Math.floor((b - a) / (2 * MINUTE_MS)) * MINUTE_MS;
      if (offsetOf(mid) === loOffset) a = mid;
      else b = mid;
    }
    const offset = offsetOf(b);
    if (b < end) changes.push({ at: b, offset });
    lo = b;
    loOffset = offset;
  }
  return { initial, changes };
}

/** The UTC offset (minutes) of `timeZone` at the instant `ms`. */
function offsetAt(timeZone: string, ms: number): number {
  let buckets = offsetBuckets.get(timeZone);
  if (!buckets) offsetBuckets.set(timeZone, (buckets = new Map()));
  const index = Math.floor(ms / BUCKET_MS);
  let bucket = buckets.get(index);
  if (!bucket) buckets.set(index, (bucket = scanBucket(timeZone, index)));
  let offset = bucket.initial;
  for (const change of bucket.changes) {
    if (change.at > ms) break;
    offset = change.offset;
  }
  return offset;
}

/**
 * The instant of a local wall-clock time (`local` is the wall clock written as if it were UTC). A time skipped by a
 * spring-forward gap moves forward by the gap (as TZDate does); a repeated time means its first occurrence.
 */
function localToInstant(timeZone: string, local: number): number {
  const before = offsetAt(timeZone, local - DAY_MS);
  const after = offsetAt(timeZone, local + DAY_MS);
  if (before === after) return local - before * MINUTE_MS;
  const a = local - before * MINUTE_MS;
  const b = local - after * MINUTE_MS;
  const aValid = offsetAt(timeZone, a) === before;
  const bValid = offsetAt(timeZone, b) === after;
  if (aValid && bValid) return Math.min(a, b);
  if (aValid) return a;
  if (bValid) return b;
  return a; // in the gap: read with the offset before it, which lands after the gap
}

/** The local day (days since 1970-01-01 on the local calendar) that contains the instant `ms`. */
function localDayOf(timeZone: string, ms: number): number {
  return Math.floor((ms + offsetAt(timeZone, ms) * MINUTE_MS) / DAY_MS);
}

// ---------------------------------------------------------------- compiled calendars

type Span = readonly [start: number, end: number];

interface Compiled {
  readonly timeZone: string;
  /** Local opening minutes per weekday, index 0 = Sunday (as Date#getUTCDay). */
  readonly weekly: readonly (readonly Span[])[];
  readonly holidays: ReadonlySet<number>;
  readonly special: ReadonlyMap<number, readonly Span[]>;
}

const compiledCalendars = new WeakMap<BusinessCalendar, Compiled>();

function minutesOf(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

function dayNumberOf(date: string): number | undefined {
  const match = DATE.exec(date);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** Sorted, merged minute spans of a day (robust to calendars that did not go through parseCalendar). */
function spansOf(hours: readonly OpeningHours[] | undefined): Span[] {
  const spans = (hours ?? []).map((h) => [minutesOf(h.start), minutesOf(h.end)] as [number, number]).filter(([s, e]) => e > s);
  spans.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

const WEEKDAY_BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function compile(cal: BusinessCalendar): Compiled {
  let compiled = compiledCalendars.get(cal);
  if (compiled) return compiled;
  const special = new Map<number, Span[]>();
  for (const day of cal.specialDays ?? []) {
    const n = dayNumberOf(day.date);
    if (n !== undefined) special.set(n, spansOf(day.hours));
  }
  const holidays = new Set<number>();
  for (const date of cal.holidays) {
    const n = dayNumberOf(date);
    if (n !== undefined) holidays.add(n);
  }
  compiled = { timeZone: cal.timeZone, weekly: WEEKDAY_BY_UTC_DAY.map((day) => spansOf(cal.weekly[day])), holidays, special };
  compiledCalendars.set(cal, compiled);
  return compiled;
}

function spansOfDay(c: Compiled, day: number): readonly Span[] {
  const special = c.special.get(day);
  if (special) return special;
  if (c.holidays.has(day)) return [];
  return c.weekly[(((day + 4) % 7) + 7) % 7] ?? []; // 1970-01-01 was a Thursday
}

/**
 * The open intervals (instants, ms) of the local days from the day containing `from` (and the one before, which a
 * DST edge can reach into) through `lastDay`, in order, unclipped and unmerged; abutting intervals may follow each other.
 */
function* openIntervals(c: Compiled, from: number, lastDay: number): Generator<Span> {
  for (let day = localDayOf(c.timeZone, from) - 1; day <= lastDay; day++) {
    const spans = spansOfDay(c, day);
    if (spans.length === 0) continue;
    const midnight = day * DAY_MS;
    // One offset for the whole day unless a transition is near (then each time on its own).
    const before = offsetAt(c.timeZone, midnight - DAY_MS);
    const steady = before === offsetAt(c.timeZone, midnight + 2 * DAY_MS);
    for (const [s, e] of spans) {
      const start = steady ? midnight + s * MINUTE_MS - before * MINUTE_MS : localToInstant(c.timeZone, midnight + s * MINUTE_MS);
      const end = steady ? midnight + e * MINUTE_MS - before * MINUTE_MS : localToInstant(c.timeZone, midnight + e * MINUTE_MS);
      if (end > from && end > start) yield [start, end];
    }
  }
}

function instant(at: Date, name: string): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid date`);
  return ms;
}

// ---------------------------------------------------------------- queries

const SEARCH_DAYS = 366;
const ADD_HORIZON_DAYS = 2 * 366;

export function isOpen(cal: BusinessCalendar, at: Date): boolean {
  const t = instant(at, 'at');
  const c = compile(cal);
  for (const [start] of openIntervals(c, t, localDayOf(c.timeZone, t) + 1)) return start <= t;
  return false;
}

/** `at` itself when open, else the start of the next open interval; undefined if none starts within 366 days. */
export function nextOpening(cal: BusinessCalendar, at: Date): Date | undefined {
  const t = instant(at, 'at');
  const c = compile(cal);
  const limit = t + SEARCH_DAYS * DAY_MS;
  for (const [start] of openIntervals(c, t, localDayOf(c.timeZone, limit) + 1)) {
    if (start > limit) return undefined;
    return new Date(Math.max(start, t));
  }
  return undefined;
}

/**
 * The end of the open period containing `at` (abutting intervals, such as Monday 00:00–24:00 then Tuesday, count as
 * one period); `at` itself when closed; undefined when it stays open for more than 366 days (24x7).
 */
export function nextClosing(cal: BusinessCalendar, at: Date): Date | undefined {
  const t = instant(at, 'at');
  const c = compile(cal);
  const limit = t + SEARCH_DAYS * DAY_MS;
  let closing: number | undefined;
  for (const [start, end] of openIntervals(c, t, localDayOf(c.timeZone, limit) + 1)) {
    if (closing === undefined) {
      if (start > t) return new Date(t);
      closing = end;
    } else if (start <= closing) {
      closing = Math.max(closing, end);
    } else {
      return new Date(closing);
    }
    if (closing > limit) return undefined;
  }
  return new Date(closing ?? t);
}

/**
 * The instant at which `minutes` of open time have passed since `start` (a due time). Closed time does not count;
 * `minutes` may be fractional (kept to the millisecond). 0 minutes gives `start` itself, and a span that ends exactly
 * at a closing gives that closing (Friday 17:30 + 30 = Friday 18:00, not Monday 09:00). Throws CALENDAR.NEVER_OPEN
 * when the calendar does not provide that much open time within two years.
 */
export function addBusinessMinutes(cal: BusinessCalendar, start: Date, minutes: number): Date {
  const t = instant(start, 'start');
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number ≥ 0, got ${minutes}`);
  let need = Math.round(minutes * MINUTE_MS);
  if (need === 0) return new Date(t);
  const c = compile(cal);
  for (const [s, e] of openIntervals(c, t, localDayOf(c.timeZone, t) + ADD_HORIZON_DAYS)) {
    const from = Math.max(s, t);
    if (e - from >= need) return new Date(from + need);
    need -= e - from;
  }
  throw calendarError('CALENDAR.NEVER_OPEN', `calendar ${cal.id} does not provide ${minutes} open minutes within two years of ${new Date(t).toISOString()}`, { calendarId: cal.id, minutes });
}

/** Open minutes in [from, to) (fractional to the millisecond); 0 when `to` is not after `from`. */
export function businessMinutesBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  const a = instant(from, 'from');
  const b = instant(to, 'to');
  if (b <= a) return 0;
  const c = compile(cal);
  let total = 0;
  for (const [s, e] of openIntervals(c, a, localDayOf(c.timeZone, b) + 1)) {
    if (s >= b) break;
    total += Math.min(e, b) - Math.max(s, a);
  }
  return total / MINUTE_MS;
}
