import { TZDate } from '@date-fns/tz';
import { describe, expect, it } from 'vitest';
import {
  ALWAYS_OPEN,
  addBusinessMinutes,
  businessMinutesBetween,
  isOpen,
  nextClosing,
  nextOpening,
  parseCalendar,
  type BusinessCalendar,
  type OpeningHours,
} from '../../shared/domain/routing/business-calendar.ts';
import { DomainError } from '../../shared/domain/errors.ts';

// 2026-03-01 is a Sunday; 2026-03-02 a Monday. Asia/Shanghai is UTC+8 all year.
const NINE_TO_SIX: readonly OpeningHours[] = [{ start: '09:00', end: '18:00' }];
const WEEKDAYS_ONLY = { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX };

function shanghai(extra: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return parseCalendar({ id: 'sh', name: 'Shanghai office', timeZone: 'Asia/Shanghai', weekly: WEEKDAYS_ONLY, holidays: [], ...extra });
}

/** A Shanghai wall-clock time, 'YYYY-MM-DD HH:mm'. */
const sh = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
const utc = (iso: string) => new Date(iso);

function invalid(input: unknown): DomainError {
  try {
    parseCalendar(input);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('parseCalendar accepted an invalid calendar');
}

describe('a Mon–Fri 09:00–18:00 calendar in Asia/Shanghai', () => {
  const cal = shanghai();

  it('counts a request at 23:00 on Sunday from Monday 09:00: 60 business minutes end at 10:00', () => {
    expect(addBusinessMinutes(cal, sh('2026-03-01 23:00'), 60)).toEqual(sh('2026-03-02 10:00'));
    expect(addBusinessMinutes(cal, sh('2026-03-01 23:00'), 60).toISOString()).toBe('2026-03-02T02:00:00.000Z');
  });

  it('carries Friday 17:30 + 60 over the weekend to Monday 09:30, and ends Friday 17:30 + 30 at the closing', () => {
    expect(addBusinessMinutes(cal, sh('2026-03-06 17:30'), 60)).toEqual(sh('2026-03-09 09:30'));
    expect(addBusinessMinutes(cal, sh('2026-03-06 17:30'), 30)).toEqual(sh('2026-03-06 18:00'));
    expect(addBusinessMinutes(cal, sh('2026-03-06 17:30'), 30.5)).toEqual(new Date(sh('2026-03-09 09:00').getTime() + 30_000));
  });

  it('gives the start itself for 0 minutes and accepts fractions, refuses negative or non-finite minutes', () => {
    expect(addBusinessMinutes(cal, sh('2026-03-07 12:00'), 0)).toEqual(sh('2026-03-07 12:00'));
    expect(addBusinessMinutes(cal, sh('2026-03-02 10:00'), 1.5)).toEqual(new Date(sh('2026-03-02 10:01').getTime() + 30_000));
    expect(() => addBusinessMinutes(cal, sh('2026-03-02 10:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessMinutes(cal, sh('2026-03-02 10:00'), Number.NaN)).toThrow(RangeError);
  });

  it('is open from 09:00 up to (not including) 18:00 on weekdays only', () => {
    expect(isOpen(cal, sh('2026-03-02 08:59'))).toBe(false);
    expect(isOpen(cal, sh('2026-03-02 09:00'))).toBe(true);
    expect(isOpen(cal, sh('2026-03-02 17:59'))).toBe(true);
    expect(isOpen(cal, sh('2026-03-02 18:00'))).toBe(false);
    expect(isOpen(cal, sh('2026-03-07 12:00'))).toBe(false); // Saturday
    expect(isOpen(cal, utc('2026-03-02T01:00:00Z'))).toBe(true); // 09:00 local
  });

  it('finds the next opening and the next closing', () => {
    expect(nextOpening(cal, sh('2026-03-07 12:00'))).toEqual(sh('2026-03-09 09:00'));
    expect(nextOpening(cal, sh('2026-03-04 10:15'))).toEqual(sh('2026-03-04 10:15'));
    expect(nextOpening(cal, sh('2026-03-04 18:00'))).toEqual(sh('2026-03-05 09:00'));
    expect(nextClosing(cal, sh('2026-03-04 10:15'))).toEqual(sh('2026-03-04 18:00'));
    expect(nextClosing(cal, sh('2026-03-07 12:00'))).toEqual(sh('2026-03-07 12:00')); // closed: now
  });

  it('counts 45 business hours in a week, and nothing backwards', () => {
    expect(businessMinutesBetween(cal, sh('2026-03-02 00:00'), sh('2026-03-09 00:00'))).toBe(45 * 60);
    expect(businessMinutesBetween(cal, sh('2026-03-06 17:00'), sh('2026-03-09 10:00'))).toBe(120);
    expect(businessMinutesBetween(cal, sh('2026-03-02 10:00'), sh('2026-03-02 10:00'))).toBe(0);
    expect(businessMinutesBetween(cal, sh('2026-03-09 10:00'), sh('2026-03-02 10:00'))).toBe(0);
    expect(businessMinutesBetween(cal, sh('2026-03-02 10:00'), new Date(sh('2026-03-02 10:00').getTime() + 90_000))).toBe(1.5);
  });

  it('walks a whole year of 261 weekdays (2026) and back again', () => {
    const year = businessMinutesBetween(cal, sh('2026-01-01 00:00'), sh('2027-01-01 00:00'));
    expect(year).toBe(261 * 9 * 60);
    // 2026-01-01 is a Thursday; 140,940 minutes later is the closing of the last weekday, Thursday 2026-12-31.
    expect(addBusinessMinutes(cal, sh('2026-01-01 00:00'), year)).toEqual(sh('2026-12-31 18:00'));
  });
});

describe('lunch breaks, holidays and special days', () => {
  const lunch: readonly OpeningHours[] = [
    { start: '09:00', end: '12:00' },
    { start: '13:00', end: '18:00' },
  ];

  it('skips the lunch break', () => {
    const cal = shanghai({ weekly: { mon: lunch, tue: lunch, wed: lunch, thu: lunch, fri: lunch } });
    expect(addBusinessMinutes(cal, sh('2026-03-02 11:30'), 60)).toEqual(sh('2026-03-02 13:30'));
    expect(addBusinessMinutes(cal, sh('2026-03-02 11:30'), 30)).toEqual(sh('2026-03-02 12:00'));
    expect(isOpen(cal, sh('2026-03-02 12:30'))).toBe(false);
    expect(nextOpening(cal, sh('2026-03-02 12:30'))).toEqual(sh('2026-03-02 13:00'));
    expect(nextClosing(cal, sh('2026-03-02 10:00'))).toEqual(sh('2026-03-02 12:00'));
    expect(businessMinutesBetween(cal, sh('2026-03-02 08:00'), sh('2026-03-02 20:00'))).toBe(8 * 60);
    expect(businessMinutesBetween(cal, sh('2026-03-02 00:00'), sh('2026-03-09 00:00'))).toBe(40 * 60);
  });

  it('skips a holiday on a Monday to Tuesday', () => {
    const cal = shanghai({ holidays: ['2026-03-09'] });
    expect(addBusinessMinutes(cal, sh('2026-03-06 17:30'), 60)).toEqual(sh('2026-03-10 09:30'));
    expect(isOpen(cal, sh('2026-03-09 10:00'))).toBe(false);
    expect(nextOpening(cal, sh('2026-03-07 00:00'))).toEqual(sh('2026-03-10 09:00'));
    expect(businessMinutesBetween(cal, sh('2026-03-09 00:00'), sh('2026-03-16 00:00'))).toBe(36 * 60);
  });

  it('opens on a special working Saturday (调休), and a special day replaces a holiday on the same date', () => {
    const cal = shanghai({ specialDays: [{ date: '2026-03-07', hours: NINE_TO_SIX }] });
    expect(addBusinessMinutes(cal, sh('2026-03-06 17:30'), 60)).toEqual(sh('2026-03-07 09:30'));
    expect(isOpen(cal, sh('2026-03-07 12:00'))).toBe(true);
    expect(isOpen(cal, sh('2026-03-08 12:00'))).toBe(false); // the Sunday stays closed
    const both = shanghai({ holidays: ['2026-03-07'], specialDays: [{ date: '2026-03-07', hours: [{ start: '10:00', end: '12:00' }] }] });
    expect(nextOpening(both, sh('2026-03-06 18:00'))).toEqual(sh('2026-03-07 10:00'));
  });

  it('shortens or closes a day with special hours', () => {
    const cal = shanghai({
      specialDays: [
        { date: '2026-03-04', hours: [{ start: '09:00', end: '12:00' }] },
        { date: '2026-03-05', hours: [] },
      ],
    });
    // Wednesday 11:00 + 120: 60 until the early closing, Thursday closed, Friday 09:00 + 60.
    expect(addBusinessMinutes(cal, sh('2026-03-04 11:00'), 120)).toEqual(sh('2026-03-06 10:00'));
    expect(nextClosing(cal, sh('2026-03-04 11:00'))).toEqual(sh('2026-03-04 12:00'));
  });

  it('runs an evening shift through midnight with 24:00 and treats abutting intervals as one open period', () => {
    const cal = parseCalendar({
      id: 'night',
      name: 'Night desk',
      timeZone: 'Asia/Shanghai',
      weekly: { mon: [{ start: '20:00', end: '24:00' }], tue: [{ start: '00:00', end: '02:00' }] },
      holidays: [],
    });
    expect(addBusinessMinutes(cal, sh('2026-03-02 23:30'), 60)).toEqual(sh('2026-03-03 00:30'));
    expect(nextClosing(cal, sh('2026-03-02 22:00'))).toEqual(sh('2026-03-03 02:00'));
    expect(businessMinutesBetween(cal, sh('2026-03-02 00:00'), sh('2026-03-04 00:00'))).toBe(6 * 60);
  });

  it('never opens with no hours: nextOpening is undefined and a due time cannot be computed', () => {
    const cal = shanghai({ weekly: {} });
    expect(nextOpening(cal, sh('2026-03-02 10:00'))).toBeUndefined();
    expect(isOpen(cal, sh('2026-03-02 10:00'))).toBe(false);
    expect(businessMinutesBetween(cal, sh('2026-03-02 00:00'), sh('2027-03-02 00:00'))).toBe(0);
    expect(() => addBusinessMinutes(cal, sh('2026-03-02 10:00'), 1)).toThrow(expect.objectContaining({ code: 'CALENDAR.NEVER_OPEN' }));
  });

  it('opens once a year: found within 366 days, not beyond', () => {
    const cal = shanghai({ weekly: {}, specialDays: [{ date: '2027-02-01', hours: NINE_TO_SIX }] });
    expect(nextOpening(cal, sh('2026-03-02 10:00'))).toEqual(sh('2027-02-01 09:00'));
    expect(nextOpening(cal, sh('2026-01-30 10:00'))).toBeUndefined(); // 367 days less an hour away
    expect(addBusinessMinutes(cal, sh('2026-01-30 10:00'), 60)).toEqual(sh('2027-02-01 10:00'));
  });
});

describe('the 24x7 calendar', () => {
  it('counts every minute', () => {
    const at = utc('2026-06-15T13:17:00Z');
    expect(isOpen(ALWAYS_OPEN, at)).toBe(true);
    expect(nextOpening(ALWAYS_OPEN, at)).toEqual(at);
    expect(nextClosing(ALWAYS_OPEN, at)).toBeUndefined();
    expect(addBusinessMinutes(ALWAYS_OPEN, at, 90)).toEqual(utc('2026-06-15T14:47:00Z'));
    expect(addBusinessMinutes(ALWAYS_OPEN, at, 3 * 24 * 60)).toEqual(utc('2026-06-18T13:17:00Z'));
    expect(businessMinutesBetween(ALWAYS_OPEN, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'))).toBe(365 * 24 * 60);
  });

  it('is itself a valid calendar', () => {
    expect(parseCalendar(ALWAYS_OPEN)).toEqual(ALWAYS_OPEN);
  });
});

describe('daylight saving time', () => {
  const newYork = (weekly: BusinessCalendar['weekly'], extra: Partial<BusinessCalendar> = {}) =>
    parseCalendar({ id: 'ny', name: 'New York', timeZone: 'America/New_York', weekly, holidays: [], ...extra });

  it('counts a Sunday night shift 00:00–06:00 as 5 real hours on 2026-03-08 and 7 on 2026-11-01', () => {
    const cal = newYork({ sun: [{ start: '00:00', end: '06:00' }] });
    // 2026-03-08: 00:00 EST = 05:00Z, 06:00 EDT = 10:00Z.
    expect(businessMinutesBetween(cal, utc('2026-03-07T12:00:00Z'), utc('2026-03-09T12:00:00Z'))).toBe(5 * 60);
    expect(nextOpening(cal, utc('2026-03-07T17:00:00Z'))).toEqual(utc('2026-03-08T05:00:00Z'));
    expect(nextClosing(cal, utc('2026-03-08T06:00:00Z'))).toEqual(utc('2026-03-08T10:00:00Z'));
    // 180 minutes from the opening: 00:00 EST + 3 h = 04:00 EDT = 08:00Z (02:00–03:00 does not exist).
    expect(addBusinessMinutes(cal, utc('2026-03-07T17:00:00Z'), 180)).toEqual(utc('2026-03-08T08:00:00Z'));
    // 2026-11-01: 00:00 EDT = 04:00Z, 06:00 EST = 11:00Z; 01:00–02:00 happens twice.
    expect(businessMinutesBetween(cal, utc('2026-10-31T12:00:00Z'), utc('2026-11-02T12:00:00Z'))).toBe(7 * 60);
    expect(addBusinessMinutes(cal, utc('2026-10-31T12:00:00Z'), 360)).toEqual(utc('2026-11-01T10:00:00Z'));
    expect(isOpen(cal, utc('2026-11-01T10:30:00Z'))).toBe(true);
    expect(isOpen(cal, utc('2026-11-01T11:00:00Z'))).toBe(false);
  });

  it('moves office hours with the clocks: Friday 16:00 EST + 120 is Monday 10:00 EDT', () => {
    const nine = [{ start: '09:00', end: '17:00' }];
    const cal = newYork({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine });
    expect(addBusinessMinutes(cal, utc('2026-03-06T21:00:00Z'), 120)).toEqual(utc('2026-03-09T14:00:00Z'));
    expect(addBusinessMinutes(cal, utc('2026-10-30T20:00:00Z'), 120)).toEqual(utc('2026-11-02T15:00:00Z')); // 16:00 EDT → Monday 10:00 EST
    expect(businessMinutesBetween(cal, utc('2026-03-02T05:00:00Z'), utc('2026-03-16T04:00:00Z'))).toBe(80 * 60);
  });

  it('reads a time in the spring-forward gap as TZDate does (02:30 → 03:30 EDT)', () => {
    const cal = newYork({}, { specialDays: [{ date: '2026-03-08', hours: [{ start: '02:30', end: '04:00' }] }] });
    expect(nextOpening(cal, utc('2026-03-07T12:00:00Z'))).toEqual(utc('2026-03-08T07:30:00Z'));
    expect(+utc('2026-03-08T07:30:00Z')).toBe(+new TZDate(2026, 2, 8, 2, 30, 'America/New_York'));
    expect(businessMinutesBetween(cal, utc('2026-03-07T12:00:00Z'), utc('2026-03-09T12:00:00Z'))).toBe(30);
  });

  it('keeps Berlin office hours across both 2026 changes (29 March, 25 October)', () => {
    const nine = [{ start: '09:00', end: '17:00' }];
    const cal = parseCalendar({ id: 'ber', name: 'Berlin', timeZone: 'Europe/Berlin', weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine }, holidays: [] });
    // Friday 16:00 CET (15:00Z) + 120: 60 on Friday, Monday 09:00 CEST (07:00Z) + 60.
    expect(addBusinessMinutes(cal, utc('2026-03-27T15:00:00Z'), 120)).toEqual(utc('2026-03-30T08:00:00Z'));
    // Friday 16:00 CEST (14:00Z) + 120: Monday 09:00 CET (08:00Z) + 60.
    expect(addBusinessMinutes(cal, utc('2026-10-23T14:00:00Z'), 120)).toEqual(utc('2026-10-26T09:00:00Z'));
    expect(isOpen(cal, utc('2026-03-30T07:00:00Z'))).toBe(true);
    expect(isOpen(cal, utc('2026-03-30T06:59:00Z'))).toBe(false);
    const always = parseCalendar({ ...ALWAYS_OPEN, id: 'ber-24', timeZone: 'Europe/Berlin' });
    // Monday 2026-03-23 00:00 CET → Monday 2026-03-30 00:00 CEST: a week one hour short.
    expect(businessMinutesBetween(always, utc('2026-03-22T23:00:00Z'), utc('2026-03-29T22:00:00Z'))).toBe(167 * 60);
  });

  const openingOf = (timeZone: string, date: string, start: string) => {
    const cal = parseCalendar({ id: 'x', name: 'x', timeZone, weekly: {}, holidays: [], specialDays: [{ date, hours: [{ start, end: '24:00' }] }] });
    return nextOpening(cal, new Date(Date.parse(`${date}T00:00:00Z`) - 2 * 86_400_000));
  };

  it('turns unambiguous and skipped local times into the same instants as TZDate, around every change', () => {
    const cases: [string, number, number, number, number, number][] = [
      ['America/New_York', 2026, 2, 8, 1, 59],
      ['America/New_York', 2026, 2, 8, 2, 0], // skipped
      ['America/New_York', 2026, 2, 8, 3, 0],
      ['America/New_York', 2026, 10, 1, 0, 59],
      ['America/New_York', 2026, 10, 1, 2, 0],
      ['Europe/Berlin', 2026, 2, 29, 2, 15], // skipped
      ['Europe/Berlin', 2026, 2, 29, 3, 0],
      ['Europe/Berlin', 2026, 9, 25, 1, 59],
      ['Europe/Berlin', 2026, 9, 25, 3, 0],
      ['Australia/Lord_Howe', 2026, 3, 5, 2, 0], // a half-hour change
      ['Australia/Lord_Howe', 2026, 9, 4, 2, 15], // skipped (02:00 → 02:30)
      ['Asia/Shanghai', 2026, 0, 1, 0, 0],
    ];
    for (const [timeZone, y, m, d, h, min] of cases) {
      const date = `${y}-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      const start = `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
      expect(openingOf(timeZone, date, start), `${timeZone} ${date} ${start}`).toEqual(new Date(+new TZDate(y, m, d, h, min, timeZone)));
    }
  });

  it('reads a repeated local time as its first occurrence', () => {
    expect(openingOf('America/New_York', '2026-11-01', '01:30')).toEqual(utc('2026-11-01T05:30:00Z')); // EDT
    expect(openingOf('Europe/Berlin', '2026-10-25', '02:30')).toEqual(utc('2026-10-25T00:30:00Z')); // CEST
    expect(openingOf('Australia/Lord_Howe', '2026-04-05', '01:45')).toEqual(utc('2026-04-04T14:45:00Z')); // +11:00
  });
});

describe('efficiency', () => {
  it('computes a year-long span in well under two milliseconds', () => {
    const cal = shanghai({ holidays: ['2026-05-01', '2026-10-01'], weekly: { ...WEEKDAYS_ONLY, sat: [{ start: '10:00', end: '12:00' }, { start: '13:00', end: '16:00' }] } });
    const ny = parseCalendar({ id: 'ny', name: 'NY', timeZone: 'America/New_York', weekly: WEEKDAYS_ONLY, holidays: [] });
    const run = () => {
      businessMinutesBetween(cal, sh('2026-01-01 00:00'), sh('2027-01-01 00:00'));
      businessMinutesBetween(ny, utc('2026-01-01T00:00:00Z'), utc('2027-01-01T00:00:00Z'));
      addBusinessMinutes(ny, utc('2026-01-01T00:00:00Z'), 130_000);
    };
    for (let i = 0; i < 5; i++) run(); // time-zone offsets are scanned once per zone and 400 days; the JIT warms up
    const rounds = 50;
    const started = performance.now();
    for (let i = 0; i < rounds; i++) run();
    expect((performance.now() - started) / rounds / 3).toBeLessThan(1);
  });
});

describe('parseCalendar', () => {
  const valid = { id: 'sh', name: 'Shanghai', timeZone: 'Asia/Shanghai', weekly: WEEKDAYS_ONLY, holidays: ['2026-10-01'], specialDays: [{ date: '2026-09-27', hours: NINE_TO_SIX }] };

  it('accepts a valid calendar and returns a copy', () => {
    const cal = parseCalendar(valid);
    expect(cal).toEqual(valid);
    expect(cal.weekly).not.toBe(valid.weekly);
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone: unknown time zone'],
    ['a start that is not HH:mm', { weekly: { mon: [{ start: '9:00', end: '18:00' }] } }, 'weekly.mon.0.start: must be a time HH:mm'],
    ['an end after 24:00', { weekly: { tue: [{ start: '09:00', end: '24:30' }] } }, 'weekly.tue.0.end: must be a time HH:mm'],
    ['24:00 as a start', { weekly: { tue: [{ start: '24:00', end: '24:00' }] } }, 'weekly.tue.0.start'],
    ['an end before the start', { weekly: { wed: [{ start: '18:00', end: '09:00' }] } }, 'weekly.wed.0.end: must be after start'],
    ['an empty interval', { weekly: { wed: [{ start: '09:00', end: '09:00' }] } }, 'weekly.wed.0.end: must be after start'],
    ['overlapping intervals', { weekly: { thu: [{ start: '09:00', end: '12:30' }, { start: '12:00', end: '18:00' }] } }, 'weekly.thu.1.start: overlaps'],
    ['unsorted intervals', { weekly: { fri: [{ start: '13:00', end: '18:00' }, { start: '09:00', end: '12:00' }] } }, 'weekly.fri.1.start: overlaps or comes before'],
    ['an unknown weekday', { weekly: { monday: NINE_TO_SIX } }, 'weekly.monday: unknown field'],
    ['a holiday that is not a date', { holidays: ['2026/10/01'] }, 'holidays.0: must be a date YYYY-MM-DD'],
    ['a holiday that does not exist', { holidays: ['2026-10-01', '2026-02-30'] }, 'holidays.1: is not a real calendar date'],
    ['a special day with a bad date', { specialDays: [{ date: '2026-13-01', hours: [] }] }, 'specialDays.0.date: is not a real calendar date'],
    ['a special day listed twice', { specialDays: [{ date: '2026-09-27', hours: [] }, { date: '2026-09-27', hours: NINE_TO_SIX }] }, 'specialDays.1.date: 2026-09-27 is listed twice'],
    ['special hours out of order', { specialDays: [{ date: '2026-09-27', hours: [{ start: '12:00', end: '11:00' }] }] }, 'specialDays.0.hours.0.end: must be after start'],
    ['a missing id', { id: undefined }, 'id: expected string'],
    ['an empty name', { name: '' }, 'name: must have at least 1 character(s)'],
    ['holidays that are not a list', { holidays: '2026-10-01' }, 'holidays: expected array'],
    ['an unknown field', { holiday: [] }, 'holiday: unknown field'],
  ])('rejects %s, naming the field', (_what, change, message) => {
    const error = invalid({ ...valid, ...change });
    expect(error.code).toBe('CALENDAR.INVALID');
    expect(error.message).toContain(message);
  });

  it('rejects what is not an object', () => {
    expect(invalid(null).code).toBe('CALENDAR.INVALID');
    expect(invalid('Asia/Shanghai').message).toContain('(calendar): expected object');
  });
});
