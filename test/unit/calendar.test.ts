// Unit tests for the working-time calendar: SLA arithmetic, holidays, time zones, validation.
import { describe, it, expect } from 'vitest';
import {
  yearsWithoutHolidays,
  createCalendar,
  CUTI_BERSAMA_2026,
  DEFAULT_WORKING_HOURS,
  FIXED_NATIONAL_HOLIDAYS,
  HOLIDAYS_2026,
  RAMADAN_WORKING_HOURS,
  type AgencyTimeZone,
  type CalendarConfig,
  type WorkingCalendar,
} from '../../src/domain/calendar.js';
import { DomainError } from '../../src/domain/errors.js';

const ZONES: AgencyTimeZone[] = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];

function config(overrides: Partial<CalendarConfig> = {}): CalendarConfig {
  return {
    timeZone: 'Asia/Makassar',
    alwaysOpen: false,
    workingHours: DEFAULT_WORKING_HOURS,
    holidays: HOLIDAYS_2026,
    cutiBersama: CUTI_BERSAMA_2026,
    ...overrides,
  };
}

const FRIDAY_TO_16 = { ...DEFAULT_WORKING_HOURS, friday: ['07:30-16:00'] };
const LUNCH_BREAK = {
  ...DEFAULT_WORKING_HOURS,
  monday: ['07:30-12:00', '13:00-16:00'],
  friday: ['07:30-11:30', '13:00-16:30'],
};

/** Local wall-clock instant in the calendar's zone, as 'YYYY-MM-DD HH:MM'. */
function at(cal: WorkingCalendar, local: string): Date {
  const [date, time] = local.split(' ');
  return cal.atLocal(date!, time!);
}

/** The instant rendered back as local 'YYYY-MM-DD HH:MM' (seconds must be zero). */
function local(cal: WorkingCalendar, instant: Date): string {
  const offsetFree = instant.getTime() - cal.atLocal(cal.localDate(instant), '00:00').getTime();
  const minutes = offsetFree / 60_000;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${cal.localDate(instant)} ${hh}:${mm}`;
}

function expectDomainError(fn: () => unknown, code: string, messagePart?: string): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const e = error as DomainError;
    expect(e.code).toBe(code);
    if (messagePart !== undefined) expect(e.message).toContain(messagePart);
    return e;
  }
  throw new Error(`expected DomainError ${code}`);
}

// Small seeded PRNG (mulberry32) so property-style loops are reproducible.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('addWorkingMinutes', () => {
  it('carries Friday 15:55 + 30 min over the weekend when Friday closes at 16:00', () => {
    const cal = createCalendar(config({ workingHours: FRIDAY_TO_16 }));
    const due = cal.addWorkingMinutes(at(cal, '2026-02-06 15:55'), 30);
    expect(local(cal, due)).toBe('2026-02-09 07:55');
    expect(due.toISOString()).toBe('2026-02-08T23:55:00.000Z'); // 07:55 WITA = 23:55 UTC the day before
  });

  it('keeps Friday 15:55 + 30 min on Friday with the default hours (Friday to 16:30)', () => {
    const cal = createCalendar(config());
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-06 15:55'), 30))).toBe('2026-02-06 16:25');
  });

  it('stops exactly at a closing boundary instead of rolling to the next morning', () => {
    const cal = createCalendar(config());
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-05 15:55'), 5))).toBe('2026-02-05 16:00');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-05 07:30'), 510))).toBe('2026-02-05 16:00');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-05 07:30'), 511))).toBe('2026-02-06 07:31');
  });

  it('skips cuti bersama and a holiday entered the evening before (Mon 16 Feb cuti, Tue 17 Feb Imlek)', () => {
    const cal = createCalendar(config());
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-13 18:00'), 30))).toBe('2026-02-18 08:00');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-13 16:20'), 30))).toBe('2026-02-18 07:50');
    // Thursday evening before Isra Mikraj (Fri 16 Jan).
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-01-15 18:00'), 60))).toBe('2026-01-19 08:30');
  });

  it('counts a start outside hours from the next opening', () => {
    const cal = createCalendar(config());
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-07 10:00'), 30))).toBe('2026-02-09 08:00'); // Saturday
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-09 05:00'), 30))).toBe('2026-02-09 08:00'); // early Monday
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-09 16:00'), 30))).toBe('2026-02-10 08:00'); // at closing
  });

  it('with 0 minutes returns the next working instant', () => {
    const cal = createCalendar(config());
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-09 10:00'), 0))).toBe('2026-02-09 10:00');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-07 10:00'), 0))).toBe('2026-02-09 07:30');
  });

  it('spans several working days, weeks and the Idul Fitri block', () => {
    const cal = createCalendar(config());
    // 3 full Mon–Thu days of 510 min: Mon 07:30 + 1530 = Wed 16:00.
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-02 07:30'), 1530))).toBe('2026-02-04 16:00');
    // A default week is 4 × 510 + 540 = 2580 min (the intervals include the lunch break).
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-02 07:30'), 2580))).toBe('2026-02-06 16:30');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-02 07:30'), 2581))).toBe('2026-02-09 07:31');
    // Tue 17 Mar 16:00 + 1 min: 18 cuti, 19 Nyepi, 20 cuti, 21–22 Idul Fitri (weekend), 23–24 cuti.
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-03-17 15:59'), 2))).toBe('2026-03-25 07:31');
  });

  it('crosses a year boundary', () => {
    const cal = createCalendar(config());
    // Wed 31 Dec 2025 16:00 closes; 1 Jan 2026 is a holiday.
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2025-12-31 15:00'), 90))).toBe('2026-01-02 08:00');
    // Roughly a working year later still lands inside hours.
    const due = cal.addWorkingMinutes(at(cal, '2026-01-02 07:30'), 250 * 450);
    expect(cal.isWithinWorkingHours(due) || cal.isWithinWorkingHours(new Date(due.getTime() - 1))).toBe(true);
    expect(cal.workingMinutesBetween(at(cal, '2026-01-02 07:30'), due)).toBe(250 * 450);
  });

  it('rejects negative or non-finite minutes and invalid dates', () => {
    const cal = createCalendar(config());
    expectDomainError(() => cal.addWorkingMinutes(new Date(), -1), 'INVALID_ARGUMENT');
    expectDomainError(() => cal.addWorkingMinutes(new Date(), Number.NaN), 'INVALID_ARGUMENT');
    expectDomainError(() => cal.addWorkingMinutes(new Date('nope'), 5), 'INVALID_DATE');
  });
});

describe('multi-interval days (lunch break)', () => {
  const cal = createCalendar(config({ workingHours: LUNCH_BREAK }));

  it('skips the break when adding', () => {
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-06 11:00'), 60))).toBe('2026-02-06 13:30');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-06 11:00'), 30))).toBe('2026-02-06 11:30');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-06 12:15'), 10))).toBe('2026-02-06 13:10');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-06 16:00'), 60))).toBe('2026-02-09 08:00');
  });

  it('excludes the break from durations and opening checks', () => {
    expect(cal.workingMinutesBetween(at(cal, '2026-02-06 11:00'), at(cal, '2026-02-06 13:30'))).toBe(60);
    expect(cal.workingMinutesBetween(at(cal, '2026-02-06 00:00'), at(cal, '2026-02-07 00:00'))).toBe(240 + 210);
    expect(cal.isWithinWorkingHours(at(cal, '2026-02-06 12:00'))).toBe(false);
    expect(cal.isWithinWorkingHours(at(cal, '2026-02-06 11:29'))).toBe(true);
    expect(cal.isWithinWorkingHours(at(cal, '2026-02-06 11:30'))).toBe(false);
    expect(local(cal, cal.nextWorkingInstant(at(cal, '2026-02-06 12:00')))).toBe('2026-02-06 13:00');
    expect(local(cal, cal.nextWorkingInstant(at(cal, '2026-02-06 13:00')))).toBe('2026-02-06 13:00');
  });
});

describe('workingMinutesBetween', () => {
  const cal = createCalendar(config());

  it('returns 0 for empty or reversed ranges', () => {
    const t = at(cal, '2026-02-02 09:00');
    expect(cal.workingMinutesBetween(t, t)).toBe(0);
    expect(cal.workingMinutesBetween(t, at(cal, '2026-02-02 08:00'))).toBe(0);
  });

  it('counts a normal week and skips weekends', () => {
    expect(cal.workingMinutesBetween(at(cal, '2026-02-02 00:00'), at(cal, '2026-02-09 00:00'))).toBe(4 * 510 + 540);
    expect(cal.workingMinutesBetween(at(cal, '2026-02-06 16:00'), at(cal, '2026-02-09 08:00'))).toBe(60);
    expect(cal.workingMinutesBetween(at(cal, '2026-02-07 08:00'), at(cal, '2026-02-08 15:00'))).toBe(0);
  });

  it('skips holidays and cuti bersama', () => {
    // Fri 13 Feb 16:00 → Wed 18 Feb 08:00: 30 min on Friday + 30 min on Wednesday.
    expect(cal.workingMinutesBetween(at(cal, '2026-02-13 16:00'), at(cal, '2026-02-18 08:00'))).toBe(60);
  });

  it('allows fractional minutes at millisecond precision', () => {
    const from = at(cal, '2026-02-02 07:30');
    expect(cal.workingMinutesBetween(from, new Date(from.getTime() + 30_000))).toBe(0.5);
    expect(cal.workingMinutesBetween(from, new Date(from.getTime() + 1))).toBe(1 / 60_000);
  });

  it('counts the whole of 2026 from the same tables as isWorkingDay', () => {
    let expected = 0;
    for (let d = new Date(Date.UTC(2026, 0, 1)); d.getUTCFullYear() === 2026; d.setUTCDate(d.getUTCDate() + 1)) {
      const date = d.toISOString().slice(0, 10);
      if (cal.isWorkingDay(date)) expected += d.getUTCDay() === 5 ? 540 : 510;
    }
    expect(cal.workingMinutesBetween(at(cal, '2026-01-01 00:00'), at(cal, '2027-01-01 00:00'))).toBe(expected);
    // Across three calendar years; 2027 has no configured holidays, so Fri 1 Jan 2027 is a working day.
    const longSpan = cal.workingMinutesBetween(at(cal, '2025-12-31 12:00'), at(cal, '2027-01-04 08:00'));
    expect(longSpan).toBe(240 + expected + 540 + 30);
  });

  it('agrees with a minute-by-minute count (independent reference)', () => {
    const random = prng(7);
    const cal2 = createCalendar(config({ workingHours: LUNCH_BREAK, timeZone: 'Asia/Jayapura' }));
    for (let i = 0; i < 40; i++) {
      const start = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 360 * 1440) * 60_000);
      const span = Math.floor(random() * 4 * 1440);
      let count = 0;
      for (let m = 0; m < span; m++) {
        if (cal2.isWithinWorkingHours(new Date(start.getTime() + m * 60_000))) count++;
      }
      expect(cal2.workingMinutesBetween(start, new Date(start.getTime() + span * 60_000))).toBe(count);
    }
  });
});

describe('addWorkingMinutes and workingMinutesBetween are inverses', () => {
  const cases: Array<[string, CalendarConfig]> = [
    ['default hours, WITA', config()],
    ['lunch break, WIB', config({ workingHours: LUNCH_BREAK, timeZone: 'Asia/Jakarta' })],
    [
      'Ramadan special period, WIT',
      config({
        timeZone: 'Asia/Jayapura',
        specialPeriods: [{ from: '2026-02-19', to: '2026-03-19', name: 'Ramadan 1447 H', workingHours: RAMADAN_WORKING_HOURS }],
      }),
    ],
    ['alwaysOpen', config({ alwaysOpen: true })],
  ];

  for (const [name, cfg] of cases) {
    it(`holds for random starts and durations (${name})`, () => {
      const cal = createCalendar(cfg);
      const random = prng(20260202);
      const yearStart = Date.UTC(2025, 11, 1);
      for (let i = 0; i < 2000; i++) {
        // Random instants at ms precision, mostly in 2026, many outside working hours.
        const start = new Date(yearStart + Math.floor(random() * 400 * 86_400_000));
        const minutes = i % 5 === 0 ? Math.floor(random() * 60) : Math.floor(random() * 20_000);
        const due = cal.addWorkingMinutes(start, minutes);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(cal.workingMinutesBetween(start, due)).toBe(minutes);
        if (minutes > 0) {
          // The due instant is inside hours or exactly at a closing boundary.
          const justBefore = new Date(due.getTime() - 1);
          expect(cal.isWithinWorkingHours(justBefore)).toBe(true);
        }
        // The other direction: any instant inside hours is reached by adding the minutes up to it.
        const target = cal.nextWorkingInstant(new Date(start.getTime() + Math.floor(random() * 30 * 86_400_000)));
        const elapsed = cal.workingMinutesBetween(start, target);
        // An opening instant is skipped: the same elapsed time is first reached at the previous closing.
        const strictlyInside = cal.isWithinWorkingHours(new Date(target.getTime() - 1));
        if (elapsed > 0 && strictlyInside) expect(cal.addWorkingMinutes(start, elapsed).getTime()).toBe(target.getTime());
      }
    });
  }
});

describe('time zones', () => {
  it('reads the same instant differently in WIB, WITA and WIT', () => {
    const instant = new Date('2026-02-01T23:45:00Z'); // Mon 06:45 WIB, 07:45 WITA, 08:45 WIT
    const [wib, wita, wit] = ZONES.map((timeZone) => createCalendar(config({ timeZone })));
    expect(wib!.isWithinWorkingHours(instant)).toBe(false);
    expect(wita!.isWithinWorkingHours(instant)).toBe(true);
    expect(wit!.isWithinWorkingHours(instant)).toBe(true);
    const lateEvening = new Date('2026-02-01T16:30:00Z'); // Sun 23:30 WIB, Mon 00:30 WITA, Mon 01:30 WIT
    expect(wib!.localDate(lateEvening)).toBe('2026-02-01');
    expect(wita!.localDate(lateEvening)).toBe('2026-02-02');
    expect(wit!.localDate(lateEvening)).toBe('2026-02-02');
    expect(wib!.nextWorkingInstant(instant).toISOString()).toBe('2026-02-02T00:30:00.000Z');
    expect(wita!.workingMinutesBetween(instant, new Date('2026-02-02T00:00:00Z'))).toBe(15);
    expect(wit!.workingMinutesBetween(instant, new Date('2026-02-02T00:00:00Z'))).toBe(15);
    expect(wib!.workingMinutesBetween(instant, new Date('2026-02-02T00:00:00Z'))).toBe(0);
  });

  it('places the same local wall-clock time at different instants', () => {
    const expected: Record<AgencyTimeZone, string> = {
      'Asia/Jakarta': '2026-02-02T00:30:00.000Z',
      'Asia/Makassar': '2026-02-01T23:30:00.000Z',
      'Asia/Jayapura': '2026-02-01T22:30:00.000Z',
    };
    for (const timeZone of ZONES) {
      const cal = createCalendar(config({ timeZone }));
      expect(cal.atLocal('2026-02-02', '07:30').toISOString()).toBe(expected[timeZone]);
      // Friday 15:55 + 30 with default hours is Friday 16:25 local in every zone.
      const due = cal.addWorkingMinutes(cal.atLocal('2026-02-06', '15:55'), 30);
      expect(due.getTime()).toBe(cal.atLocal('2026-02-06', '16:25').getTime());
    }
  });

  it('localDate changes at local midnight', () => {
    const cal = createCalendar(config({ timeZone: 'Asia/Jakarta' }));
    expect(cal.localDate(new Date('2026-02-01T16:59:59.999Z'))).toBe('2026-02-01');
    expect(cal.localDate(new Date('2026-02-01T17:00:00.000Z'))).toBe('2026-02-02');
  });
});

describe('alwaysOpen', () => {
  const cal = createCalendar(config({ alwaysOpen: true }));

  it('counts every minute, weekends and holidays included', () => {
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-07 23:00'), 120))).toBe('2026-02-08 01:00');
    expect(cal.workingMinutesBetween(at(cal, '2026-02-13 00:00'), at(cal, '2026-02-20 00:00'))).toBe(7 * 1440);
    expect(cal.isWithinWorkingHours(at(cal, '2026-02-17 03:00'))).toBe(true);
    expect(cal.isWorkingDay('2026-02-17')).toBe(true);
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-14');
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    // The holiday data is still there for display.
    expect(cal.holidayName('2026-02-17')).toBe('Tahun Baru Imlek 2577 Kongzili');
  });

  it('ends exactly at midnight when a day is used up', () => {
    expect(cal.addWorkingMinutes(at(cal, '2026-02-07 23:00'), 60).getTime()).toBe(at(cal, '2026-02-08 00:00').getTime());
  });
});

describe('working days', () => {
  const cal = createCalendar(config());

  it('knows holidays, cuti bersama and weekends', () => {
    expect(cal.isWorkingDay('2026-01-01')).toBe(false);
    expect(cal.isWorkingDay('2026-01-02')).toBe(true);
    expect(cal.isWorkingDay('2026-02-07')).toBe(false); // Saturday
    expect(cal.isWorkingDay('2026-02-08')).toBe(false); // Sunday
    expect(cal.isWorkingDay('2026-02-16')).toBe(false); // cuti bersama
    expect(cal.holidayName('2026-02-17')).toBe('Tahun Baru Imlek 2577 Kongzili');
    expect(cal.holidayName('2026-02-16')).toBe('Cuti Bersama Tahun Baru Imlek 2577 Kongzili');
    expect(cal.holidayName('2026-08-17')).toBe('Hari Kemerdekaan RI');
    expect(cal.holidayName('2026-02-18')).toBeNull();
  });

  it('has the 17 national holidays and 8 cuti bersama of 2026', () => {
    expect(HOLIDAYS_2026).toHaveLength(17);
    expect(CUTI_BERSAMA_2026).toHaveLength(8);
    expect(Object.isFrozen(HOLIDAYS_2026)).toBe(true);
  });

  it('nextWorkingDay returns the date itself when it is a working day', () => {
    expect(cal.nextWorkingDay('2026-02-18')).toBe('2026-02-18');
    expect(cal.nextWorkingDay('2026-02-14')).toBe('2026-02-18');
    expect(cal.nextWorkingDay('2026-03-18')).toBe('2026-03-25');
  });

  it('nthWorkingDayOfMonth skips holidays', () => {
    expect(cal.nthWorkingDayOfMonth(2026, 1, 1)).toBe('2026-01-02'); // 1 Jan is a holiday
    expect(cal.nthWorkingDayOfMonth(2026, 1, 2)).toBe('2026-01-05');
    expect(cal.nthWorkingDayOfMonth(2026, 2, 1)).toBe('2026-02-02');
    expect(cal.nthWorkingDayOfMonth(2026, 3, 17)).toBe('2026-03-31'); // March 2026 has 17 working days
    const e = expectDomainError(() => cal.nthWorkingDayOfMonth(2026, 3, 18), 'NO_SUCH_WORKING_DAY');
    expect(e.details).toMatchObject({ workingDays: 17 });
    expectDomainError(() => cal.nthWorkingDayOfMonth(2026, 13, 1), 'INVALID_ARGUMENT');
    expectDomainError(() => cal.nthWorkingDayOfMonth(2026, 1, 0), 'INVALID_ARGUMENT');
  });

  it('addWorkingDays goes forward and backward over closed days', () => {
    expect(cal.addWorkingDays('2026-02-13', 1)).toBe('2026-02-18');
    expect(cal.addWorkingDays('2026-02-18', -1)).toBe('2026-02-13');
    expect(cal.addWorkingDays('2026-03-17', 1)).toBe('2026-03-25');
    expect(cal.addWorkingDays('2026-03-25', -2)).toBe('2026-03-16');
    expect(cal.addWorkingDays('2026-02-02', 5)).toBe('2026-02-09');
    expect(cal.addWorkingDays('2026-02-09', -5)).toBe('2026-02-02');
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-02');
    expect(cal.addWorkingDays('2026-01-02', -1)).toBe('2025-12-31');
    // From a closed day, +1 is the first working day after it and 0 is nextWorkingDay.
    expect(cal.addWorkingDays('2026-02-14', 1)).toBe('2026-02-18');
    expect(cal.addWorkingDays('2026-02-14', 0)).toBe('2026-02-18');
    expect(cal.addWorkingDays('2026-02-14', -1)).toBe('2026-02-13');
    expectDomainError(() => cal.addWorkingDays('2026-02-14', 1.5), 'INVALID_ARGUMENT');
  });

  it('rests on the fixed-date national holidays of a year whose list is not in the config yet', () => {
    const fixed = createCalendar(config({ fixedHolidays: FIXED_NATIONAL_HOLIDAYS }));
    // 2027 is not listed: 1 January (a Friday) and 17 August rest; the annual SKP cycle opens on Monday 4 January.
    expect(fixed.holidayName('2027-01-01')).toBe('Tahun Baru Masehi');
    expect(fixed.isWorkingDay('2027-08-17')).toBe(false);
    expect(fixed.nthWorkingDayOfMonth(2027, 1, 1)).toBe('2027-01-04');
    // Without them the same year counts the day as a working day.
    expect(cal.nthWorkingDayOfMonth(2027, 1, 1)).toBe('2027-01-01');
    // A listed year keeps its own list: the SKB names the day, nothing is added beside it.
    expect(fixed.holidayName('2026-08-17')).toBe('Hari Kemerdekaan RI');
    const listedWithoutChristmas = createCalendar(config({ holidays: HOLIDAYS_2026.filter((h) => h.date !== '2026-12-25'), fixedHolidays: FIXED_NATIONAL_HOLIDAYS }));
    expect(listedWithoutChristmas.isWorkingDay('2026-12-25')).toBe(true);
    expect(() => createCalendar(config({ fixedHolidays: [{ monthDay: '13-01', name: 'x' }] }))).toThrow(/fixedHolidays\[0\]\.monthDay/);
  });

  it('rejects malformed local dates and times', () => {
    expectDomainError(() => cal.isWorkingDay('2026-02-30'), 'INVALID_DATE');
    expectDomainError(() => cal.nextWorkingDay('2026/02/01'), 'INVALID_DATE');
    expectDomainError(() => cal.atLocal('2026-02-02', '7:30'), 'INVALID_TIME');
    expectDomainError(() => cal.atLocal('2026-02-02', '24:00'), 'INVALID_TIME');
  });
});

describe('specialPeriods', () => {
  const cal = createCalendar(
    config({
      specialPeriods: [{ from: '2026-02-19', to: '2026-03-19', name: 'Ramadan 1447 H', workingHours: RAMADAN_WORKING_HOURS }],
    }),
  );

  it('applies Ramadan hours inside the period only', () => {
    // Thu 19 Feb closes at 15:00; Fri 20 Feb opens 08:00.
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-19 14:50'), 20))).toBe('2026-02-20 08:10');
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-20 15:20'), 10))).toBe('2026-02-20 15:30');
    // Wed 18 Feb still has normal hours (to 16:00), then Ramadan hours from Thursday.
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-18 15:50'), 20))).toBe('2026-02-19 08:10');
    expect(cal.isWithinWorkingHours(at(cal, '2026-02-19 07:45'))).toBe(false);
    expect(cal.isWithinWorkingHours(at(cal, '2026-02-18 07:45'))).toBe(true);
    // A Ramadan week (23–27 Feb): 4 × 420 + 450 min.
    expect(cal.workingMinutesBetween(at(cal, '2026-02-23 00:00'), at(cal, '2026-03-02 00:00'))).toBe(4 * 420 + 450);
    // Holidays still win inside the period (19 Mar Nyepi is the last day).
    expect(cal.isWorkingDay('2026-03-19')).toBe(false);
    // After the period, normal hours resume.
    expect(cal.isWithinWorkingHours(at(cal, '2026-03-25 15:30'))).toBe(true);
  });

  it('can close days entirely', () => {
    const closed = createCalendar(
      config({
        specialPeriods: [
          {
            from: '2026-02-09',
            to: '2026-02-10',
            name: 'Libur daerah',
            workingHours: { ...DEFAULT_WORKING_HOURS, monday: [], tuesday: [] },
          },
        ],
      }),
    );
    expect(closed.isWorkingDay('2026-02-09')).toBe(false);
    expect(closed.nextWorkingDay('2026-02-09')).toBe('2026-02-11');
    expect(local(closed, closed.addWorkingMinutes(at(closed, '2026-02-06 16:00'), 60))).toBe('2026-02-11 08:00');
  });
});

describe('config validation', () => {
  it('rejects malformed, reversed, overlapping and unsorted intervals with their paths', () => {
    const e = expectDomainError(
      () =>
        createCalendar(
          config({
            workingHours: {
              ...DEFAULT_WORKING_HOURS,
              monday: ['16:00-07:30'],
              tuesday: ['07:30-12:00', '11:00-16:00'],
              wednesday: ['13:00-16:00', '07:30-12:00'],
              thursday: ['7:30-16:00'],
              friday: ['07:30-25:00'],
            },
          }),
        ),
      'INVALID_CALENDAR',
    );
    expect(e.message).toContain('workingHours.monday[0]');
    expect(e.message).toContain('workingHours.tuesday[1]');
    expect(e.message).toContain('workingHours.wednesday[1]');
    expect(e.message).toContain('workingHours.thursday[0]');
    expect(e.message).toContain('workingHours.friday[0]');
    expect((e.details['problems'] as string[]).length).toBe(5);
  });

  it('accepts an interval ending at 24:00 and touching intervals', () => {
    const cal = createCalendar(config({ workingHours: { ...DEFAULT_WORKING_HOURS, saturday: ['20:00-24:00'], sunday: ['00:00-02:00'] } }));
    expect(local(cal, cal.addWorkingMinutes(at(cal, '2026-02-07 23:30'), 60))).toBe('2026-02-08 00:30');
    createCalendar(config({ workingHours: { ...DEFAULT_WORKING_HOURS, monday: ['07:30-12:00', '12:00-16:00'] } }));
  });

  it('rejects unknown time zones, bad dates, missing weekdays and empty weeks', () => {
    expectDomainError(
      () => createCalendar(config({ timeZone: 'Asia/Singapore' as AgencyTimeZone })),
      'INVALID_CALENDAR',
      'timeZone',
    );
    expectDomainError(
      () => createCalendar(config({ holidays: [{ date: '2026-02-30', name: 'Tidak ada' }] })),
      'INVALID_CALENDAR',
      'holidays[0].date',
    );
    expectDomainError(
      () => createCalendar(config({ cutiBersama: [{ date: '2026-02-16', name: '' }] })),
      'INVALID_CALENDAR',
      'cutiBersama[0].name',
    );
    const { sunday: _sunday, ...withoutSunday } = DEFAULT_WORKING_HOURS;
    expectDomainError(
      () => createCalendar(config({ workingHours: withoutSunday as CalendarConfig['workingHours'] })),
      'INVALID_CALENDAR',
      'workingHours.sunday',
    );
    const closed = { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] };
    expectDomainError(() => createCalendar(config({ workingHours: closed })), 'INVALID_CALENDAR', 'no working time');
    // A closed week is fine for a 24/7 calendar.
    createCalendar(config({ workingHours: closed, alwaysOpen: true }));
  });

  it('rejects reversed and overlapping special periods', () => {
    expectDomainError(
      () =>
        createCalendar(
          config({ specialPeriods: [{ from: '2026-03-19', to: '2026-02-19', name: 'Ramadan', workingHours: RAMADAN_WORKING_HOURS }] }),
        ),
      'INVALID_CALENDAR',
      'specialPeriods[0]',
    );
    expectDomainError(
      () =>
        createCalendar(
          config({
            specialPeriods: [
              { from: '2026-02-19', to: '2026-03-19', name: 'Ramadan', workingHours: RAMADAN_WORKING_HOURS },
              { from: '2026-03-01', to: '2026-03-05', name: 'Lain', workingHours: DEFAULT_WORKING_HOURS },
            ],
          }),
        ),
      'INVALID_CALENDAR',
      'overlaps',
    );
  });

  it('keeps its own frozen copy of the config', () => {
    const cfg = config({ holidays: [{ date: '2026-02-18', name: 'Libur daerah' }] });
    const cal = createCalendar(cfg);
    cfg.holidays.push({ date: '2026-02-19', name: 'Ditambah belakangan' });
    expect(cal.isWorkingDay('2026-02-19')).toBe(true);
    expect(cal.config.holidays).toEqual([{ date: '2026-02-18', name: 'Libur daerah' }]);
    expect(Object.isFrozen(cal.config.workingHours.monday)).toBe(true);
  });
});

describe('years whose holidays the config does not list', () => {
  const listed2026 = { alwaysOpen: false, holidays: [{ date: '2026-01-01', name: 'Tahun Baru 2026 Masehi' }] };

  it('checks this year, and next year from October on', () => {
    expect(yearsWithoutHolidays(listed2026, '2026-06-15')).toEqual([]);
    expect(yearsWithoutHolidays(listed2026, '2026-09-30')).toEqual([]);
    expect(yearsWithoutHolidays(listed2026, '2026-10-01')).toEqual([2027]);
    expect(yearsWithoutHolidays(listed2026, '2027-02-01')).toEqual([2027]);
    expect(yearsWithoutHolidays({ alwaysOpen: false, holidays: [] }, '2026-11-22')).toEqual([2026, 2027]);
  });

  it('is satisfied once the year is listed, and never asks a 24/7 calendar', () => {
    const both = { alwaysOpen: false, holidays: [...listed2026.holidays, { date: '2027-01-01', name: 'Tahun Baru 2027 Masehi' }] };
    expect(yearsWithoutHolidays(both, '2026-11-22')).toEqual([]);
    expect(yearsWithoutHolidays({ alwaysOpen: true, holidays: [] }, '2026-11-22')).toEqual([]);
  });
});
