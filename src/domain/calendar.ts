// Working-time calendar: agency-local working hours, holidays and the SLA arithmetic built on them.

import { tzOffset } from '@date-fns/tz';
import { DomainError } from './errors.js';

export type AgencyTimeZone = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface CalendarConfig {
  timeZone: AgencyTimeZone;
  /** 24/7 calendar: every minute counts, weekends and holidays included. */
  alwaysOpen: boolean;
  /** One or more 'HH:MM-HH:MM' intervals a day, sorted, non-overlapping; [] = closed. */
  workingHours: Record<Weekday, string[]>;
  /** 'YYYY-MM-DD' agency-local dates. */
  holidays: Array<{ date: string; name: string }>;
  /** Cuti bersama (collective leave): non-working like holidays. */
  cutiBersama: Array<{ date: string; name: string }>;
  /** Inclusive local date ranges with their own hours (e.g. Ramadan). */
  specialPeriods?: Array<{ from: string; to: string; name: string; workingHours: Record<Weekday, string[]> }>;
}

export interface WorkingCalendar {
  /** A frozen copy of the validated config. */
  readonly config: CalendarConfig;
  /**
   * The instant when `minutes` (>= 0, ms precision) of working time have elapsed after start. A start
   * outside hours counts from the next opening; a result exactly at a closing time stays there.
   * 0 minutes gives nextWorkingInstant(start).
   */
  addWorkingMinutes(start: Date, minutes: number): Date;
  /** Working minutes in [from, to), fractional; 0 when to <= from. Inverse of addWorkingMinutes. */
  workingMinutesBetween(from: Date, to: Date): number;
  /** 'YYYY-MM-DD' local date with some working time (always true when alwaysOpen). */
  isWorkingDay(localDate: string): boolean;
  /** Inside [opening, closing) of an interval. */
  isWithinWorkingHours(at: Date): boolean;
  /** `at` when inside hours, else the next opening. */
  nextWorkingInstant(at: Date): Date;
  /** The same date when it is a working day, else the next one. */
  nextWorkingDay(localDate: string): string;
  /** The n-th (>= 1) working day of month (1-12); throws NO_SUCH_WORKING_DAY past the last one. */
  nthWorkingDayOfMonth(year: number, month: number, n: number): string;
  /** n working days after (n > 0) or before (n < 0) localDate; n = 0 is nextWorkingDay(localDate). */
  addWorkingDays(localDate: string, n: number): string;
  /** The agency-local 'YYYY-MM-DD' of an instant. */
  localDate(at: Date): string;
  /** The instant of a local wall-clock 'HH:MM' on a local date. */
  atLocal(localDate: string, hhmm: string): Date;
  /** Name of the holiday or cuti bersama on that date, else null. */
  holidayName(localDate: string): string | null;
}

export const AGENCY_TIME_ZONES: readonly AgencyTimeZone[] = Object.freeze([
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
]);

export const WEEKDAYS: readonly Weekday[] = Object.freeze([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);

// Frozen so a tenant config that shares these objects cannot mutate them for everyone; typed mutable
// so they can be assigned straight into a CalendarConfig.
function frozenHours(hours: Record<Weekday, string[]>): Record<Weekday, string[]> {
  for (const day of WEEKDAYS) Object.freeze(hours[day]);
  return Object.freeze(hours) as Record<Weekday, string[]>;
}

function frozenDates(dates: Array<{ date: string; name: string }>): Array<{ date: string; name: string }> {
  for (const d of dates) Object.freeze(d);
  return Object.freeze(dates) as Array<{ date: string; name: string }>;
}

/**
 * Mon–Thu 07.30–16.00, Fri 07.30–16.30 (domain.md §5). The intervals include the lunch break, so they
 * count 43 h/week, not the regulation's 37.5 h; a tenant that wants 37.5 h splits days around the break.
 */
export const DEFAULT_WORKING_HOURS: Record<Weekday, string[]> = frozenHours({
  monday: ['07:30-16:00'],
  tuesday: ['07:30-16:00'],
  wednesday: ['07:30-16:00'],
  thursday: ['07:30-16:00'],
  friday: ['07:30-16:30'],
  saturday: [],
  sunday: [],
});

/** Ramadan hours 08.00–15.00, Friday to 15.30 (domain.md §5), break included like the default; dates go in specialPeriods. */
export const RAMADAN_WORKING_HOURS: Record<Weekday, string[]> = frozenHours({
  monday: ['08:00-15:00'],
  tuesday: ['08:00-15:00'],
  wednesday: ['08:00-15:00'],
  thursday: ['08:00-15:00'],
  friday: ['08:00-15:30'],
  saturday: [],
  sunday: [],
});

/**
 * From this local month-day on, next year's holidays belong in the config too: the SKB 3 Menteri on national
 * holidays and cuti bersama comes out in the autumn, and January holds the annual SKP deadline.
 */
export const NEXT_YEAR_HOLIDAYS_FROM = '10-01';

/**
 * The years, this one and (from NEXT_YEAR_HOLIDAYS_FROM) the next, whose national holidays the config does not
 * list: deadlines and SLAs would count those holidays as working days. A 24/7 calendar has none to list.
 */
export function yearsWithoutHolidays(config: Pick<CalendarConfig, 'alwaysOpen' | 'holidays'>, localDate: string): number[] {
  if (config.alwaysOpen) return [];
  const year = Number(localDate.slice(0, 4));
  const years = localDate.slice(5) >= NEXT_YEAR_HOLIDAYS_FROM ? [year, year + 1] : [year];
  const listed = new Set(config.holidays.map((h) => Number(h.date.slice(0, 4))));
  return years.filter((y) => !listed.has(y));
}

/** 2026 national holidays (SKB 1497/2/5 of 2025); Islamic dates may still shift by Keputusan Menteri Agama. */
export const HOLIDAYS_2026: Array<{ date: string; name: string }> = frozenDates([
  { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi' },
  { date: '2026-01-16', name: 'Isra Mikraj Nabi Muhammad SAW' },
  { date: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili' },
  { date: '2026-03-19', name: 'Hari Suci Nyepi' },
  { date: '2026-03-21', name: 'Idul Fitri 1447 H' },
  { date: '2026-03-22', name: 'Idul Fitri 1447 H' },
  { date: '2026-04-03', name: 'Wafat Yesus Kristus' },
  { date: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { date: '2026-05-01', name: 'Hari Buruh Internasional' },
  { date: '2026-05-14', name: 'Kenaikan Yesus Kristus' },
  { date: '2026-05-27', name: 'Idul Adha 1447 H' },
  { date: '2026-05-31', name: 'Hari Raya Waisak' },
  { date: '2026-06-01', name: 'Hari Lahir Pancasila' },
  { date: '2026-06-16', name: 'Tahun Baru Islam 1448 H' },
  { date: '2026-08-17', name: 'Hari Kemerdekaan RI' },
  { date: '2026-08-25', name: 'Maulid Nabi Muhammad SAW' },
  { date: '2026-12-25', name: 'Hari Raya Natal' },
]);

/** 2026 cuti bersama, each attached to the holiday it bridges. */
export const CUTI_BERSAMA_2026: Array<{ date: string; name: string }> = frozenDates([
  { date: '2026-02-16', name: 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili' },
  { date: '2026-03-18', name: 'Cuti Bersama Hari Suci Nyepi' },
  { date: '2026-03-20', name: 'Cuti Bersama Idul Fitri 1447 H' },
  { date: '2026-03-23', name: 'Cuti Bersama Idul Fitri 1447 H' },
  { date: '2026-03-24', name: 'Cuti Bersama Idul Fitri 1447 H' },
  { date: '2026-05-15', name: 'Cuti Bersama Kenaikan Yesus Kristus' },
  { date: '2026-05-28', name: 'Cuti Bersama Idul Adha 1447 H' },
  { date: '2026-12-24', name: 'Cuti Bersama Hari Raya Natal' },
]);

// ---------------------------------------------------------------------------------------------
// Internals. Local dates are day numbers (days since 1970-01-01 on the local calendar); times of
// day are milliseconds since local midnight. All loops step by day or by year, never by minute.

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const FULL_DAY: DaySchedule = Object.freeze([Object.freeze([0, MS_PER_DAY] as const)]);
// Bounds for searches that could otherwise spin on a calendar with (almost) no working time.
const MAX_EMPTY_DAYS = 3_660;
const MAX_EMPTY_YEARS = 10;

type Interval = readonly [startMs: number, endMs: number];
type DaySchedule = readonly Interval[];
type WeekSchedule = readonly DaySchedule[]; // index 0 = Monday

interface YearTable {
  readonly firstDay: number;
  /** cum[i] = working ms in days firstDay .. firstDay+i-1. */
  readonly cum: Float64Array;
  readonly total: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):(\d{2})$/;

function tryParseLocalDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const m = DATE_RE.exec(value);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  // Round trip rejects 2026-02-30 and the like.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return ms / MS_PER_DAY;
}

function parseLocalDate(value: string, what = 'date'): number {
  const day = tryParseLocalDate(value);
  if (day === null) {
    throw new DomainError('INVALID_DATE', `${what}: expected a 'YYYY-MM-DD' date, got ${JSON.stringify(value)}`, {
      value,
    });
  }
  return day;
}

function formatDayNum(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function weekdayIndex(day: number): number {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return (((day + 3) % 7) + 7) % 7;
}

/** 'HH:MM' → minutes; '24:00' only when allowEndOfDay. */
function tryParseHhmm(value: string, allowEndOfDay: boolean): number | null {
  const m = HHMM_RE.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && allowEndOfDay) return 24 * 60;
  if (h > 23) return null;
  return h * 60 + min;
}

function assertInstant(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : NaN;
  if (!Number.isFinite(t)) throw new DomainError('INVALID_DATE', `${what}: expected a valid Date`);
  return t;
}

function assertInteger(n: number, what: string, min?: number): void {
  if (!Number.isInteger(n) || (min !== undefined && n < min)) {
    throw new DomainError('INVALID_ARGUMENT', `${what}: expected an integer${min !== undefined ? ` >= ${min}` : ''}, got ${n}`);
  }
}

/** Validates one weekday→intervals record, pushing readable problems; returns the parsed schedule. */
function parseWeek(hours: unknown, path: string, problems: string[]): WeekSchedule {
  const week: DaySchedule[] = [];
  if (typeof hours !== 'object' || hours === null) {
    problems.push(`${path}: expected working hours for each weekday (monday..sunday)`);
    return WEEKDAYS.map(() => []);
  }
  const record = hours as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(WEEKDAYS as readonly string[]).includes(key)) problems.push(`${path}.${key}: unknown weekday`);
  }
  for (const day of WEEKDAYS) {
    const list = record[day];
    const intervals: Interval[] = [];
    if (!Array.isArray(list)) {
      problems.push(`${path}.${day}: expected a list of 'HH:MM-HH:MM' intervals ([] when closed)`);
      week.push(intervals);
      continue;
    }
    let prevEnd = -1;
    list.forEach((raw: unknown, i) => {
      const where = `${path}.${day}[${i}]`;
      const parts = typeof raw === 'string' ? raw.split('-') : [];
      const start = parts.length === 2 ? tryParseHhmm(parts[0]!, false) : null;
      const end = parts.length === 2 ? tryParseHhmm(parts[1]!, true) : null;
      if (start === null || end === null) {
        problems.push(`${where}: expected 'HH:MM-HH:MM', got ${JSON.stringify(raw)}`);
        return;
      }
      if (end <= start) {
        problems.push(`${where}: ${raw} does not end after it starts`);
        return;
      }
      if (start < prevEnd) {
        problems.push(`${where}: ${raw} overlaps or precedes the previous interval (keep them sorted)`);
        return;
      }
      prevEnd = end;
      intervals.push(Object.freeze([start * MS_PER_MINUTE, end * MS_PER_MINUTE] as const));
    });
    week.push(Object.freeze(intervals));
  }
  return Object.freeze(week);
}

function weekHasWorkingTime(week: WeekSchedule): boolean {
  return week.some((day) => day.length > 0);
}

function parseNamedDates(list: unknown, path: string, problems: string[], into: Map<number, string>): void {
  if (!Array.isArray(list)) {
    problems.push(`${path}: expected a list of { date, name }`);
    return;
  }
  list.forEach((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as { date?: unknown; name?: unknown };
    const day = tryParseLocalDate(e.date);
    if (day === null) problems.push(`${path}[${i}].date: expected 'YYYY-MM-DD', got ${JSON.stringify(e.date)}`);
    if (typeof e.name !== 'string' || e.name.trim() === '') problems.push(`${path}[${i}].name: required`);
    // The first name wins so a national holiday outranks a cuti bersama listed on the same date.
    if (day !== null && typeof e.name === 'string' && !into.has(day)) into.set(day, e.name);
  });
}

interface SpecialPeriod {
  readonly from: number;
  readonly to: number;
  readonly week: WeekSchedule;
}

interface CompiledConfig {
  readonly week: WeekSchedule;
  readonly closedDays: ReadonlyMap<number, string>;
  readonly specials: readonly SpecialPeriod[];
}

function compileConfig(config: CalendarConfig): CompiledConfig {
  const problems: string[] = [];
  if (typeof config !== 'object' || config === null) {
    throw new DomainError('INVALID_CALENDAR', 'invalid calendar config: expected an object');
  }
  if (!(AGENCY_TIME_ZONES as readonly string[]).includes(config.timeZone)) {
    problems.push(`timeZone: expected one of ${AGENCY_TIME_ZONES.join(', ')}, got ${JSON.stringify(config.timeZone)}`);
  } else if (!Number.isFinite(tzOffset(config.timeZone, new Date()))) {
    problems.push(`timeZone: ${config.timeZone} is not supported by this runtime's Intl data`);
  }
  if (typeof config.alwaysOpen !== 'boolean') problems.push('alwaysOpen: expected true or false');

  const week = parseWeek(config.workingHours, 'workingHours', problems);
  if (config.alwaysOpen !== true && !weekHasWorkingTime(week)) {
    problems.push('workingHours: no working time at all in the week (set alwaysOpen for 24/7)');
  }

  const closedDays = new Map<number, string>();
  parseNamedDates(config.holidays, 'holidays', problems, closedDays);
  parseNamedDates(config.cutiBersama, 'cutiBersama', problems, closedDays);

  const specials: SpecialPeriod[] = [];
  if (config.specialPeriods !== undefined) {
    if (!Array.isArray(config.specialPeriods)) {
      problems.push('specialPeriods: expected a list');
    } else {
      config.specialPeriods.forEach((p, i) => {
        const path = `specialPeriods[${i}]`;
        const from = tryParseLocalDate(p?.from);
        const to = tryParseLocalDate(p?.to);
        if (from === null) problems.push(`${path}.from: expected 'YYYY-MM-DD', got ${JSON.stringify(p?.from)}`);
        if (to === null) problems.push(`${path}.to: expected 'YYYY-MM-DD', got ${JSON.stringify(p?.to)}`);
        if (typeof p?.name !== 'string' || p.name.trim() === '') problems.push(`${path}.name: required`);
        const pweek = parseWeek(p?.workingHours, `${path}.workingHours`, problems);
        if (from !== null && to !== null) {
          if (to < from) problems.push(`${path}: 'to' (${p.to}) is before 'from' (${p.from})`);
          else specials.push({ from, to, week: pweek });
        }
      });
      specials.sort((a, b) => a.from - b.from);
      for (let i = 1; i < specials.length; i++) {
        if (specials[i]!.from <= specials[i - 1]!.to) {
          problems.push(
            `specialPeriods: ${formatDayNum(specials[i - 1]!.from)}..${formatDayNum(specials[i - 1]!.to)} overlaps ` +
              `${formatDayNum(specials[i]!.from)}..${formatDayNum(specials[i]!.to)}`,
          );
        }
      }
    }
  }

  if (problems.length > 0) {
    throw new DomainError('INVALID_CALENDAR', `invalid calendar config: ${problems.join('; ')}`, {
      problems,
    });
  }
  return { week, closedDays, specials };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function createCalendar(config: CalendarConfig): WorkingCalendar {
  const compiled = compileConfig(config);
  // Our own frozen copy: later edits to the caller's object cannot desync the precomputed tables.
  const frozenConfig = deepFreeze(structuredClone(config));
  const { week, closedDays, specials } = compiled;
  const timeZone = frozenConfig.timeZone;
  const alwaysOpen = frozenConfig.alwaysOpen;

  // tzOffset costs ~2 µs (Intl); cache per UTC quarter hour, the granularity of every modern offset
  // change. The three Indonesian zones have had fixed offsets since 1964, so this is exact for them.
  const offsetCache = new Map<number, number>();
  function offsetMs(utcMs: number): number {
    const key = Math.floor(utcMs / 900_000);
    let off = offsetCache.get(key);
    if (off === undefined) {
      if (offsetCache.size > 100_000) offsetCache.clear();
      off = tzOffset(timeZone, new Date(utcMs)) * MS_PER_MINUTE;
      offsetCache.set(key, off);
    }
    return off;
  }

  function toLocal(utcMs: number): { day: number; ms: number } {
    const local = utcMs + offsetMs(utcMs);
    const day = Math.floor(local / MS_PER_DAY);
    return { day, ms: local - day * MS_PER_DAY };
  }

  function toInstant(day: number, msOfDay: number): Date {
    const local = day * MS_PER_DAY + msOfDay;
    // Two passes so the offset is the one in force at the result, not at the guess.
    const guess = local - offsetMs(local);
    return new Date(local - offsetMs(guess));
  }

  function scheduleOf(day: number): DaySchedule {
    if (alwaysOpen) return FULL_DAY;
    if (closedDays.has(day)) return [];
    for (const p of specials) {
      if (day < p.from) break;
      if (day <= p.to) return p.week[weekdayIndex(day)]!;
    }
    return week[weekdayIndex(day)]!;
  }

  function dayWorkingMs(day: number): number {
    let sum = 0;
    for (const [s, e] of scheduleOf(day)) sum += e - s;
    return sum;
  }

  /** Working ms of `day` inside [fromMs, toMs) of local time. */
  function overlapMs(day: number, fromMs: number, toMs: number): number {
    let sum = 0;
    for (const [s, e] of scheduleOf(day)) {
      const a = Math.max(s, fromMs);
      const b = Math.min(e, toMs);
      if (b > a) sum += b - a;
    }
    return sum;
  }

  // Per-year prefix sums make multi-month spans O(1) and let addWorkingMinutes binary-search the due day.
  const yearTables = new Map<number, YearTable>();
  function yearTable(year: number): YearTable {
    let table = yearTables.get(year);
    if (table === undefined) {
      const firstDay = Date.UTC(year, 0, 1) / MS_PER_DAY;
      const length = Date.UTC(year + 1, 0, 1) / MS_PER_DAY - firstDay;
      const cum = new Float64Array(length + 1);
      for (let i = 0; i < length; i++) cum[i + 1] = cum[i]! + dayWorkingMs(firstDay + i);
      table = { firstDay, cum, total: cum[length]! };
      yearTables.set(year, table);
    }
    return table;
  }
  function yearOfDay(day: number): number {
    return new Date(day * MS_PER_DAY).getUTCFullYear();
  }
  /** Working ms before `day` within its year. */
  function cumBefore(day: number): { table: YearTable; year: number; value: number } {
    const year = yearOfDay(day);
    const table = yearTable(year);
    return { table, year, value: table.cum[day - table.firstDay]! };
  }

  /** Working ms in the whole days [fromDay, toDay). */
  function fullDaysMs(fromDay: number, toDay: number): number {
    if (toDay <= fromDay) return 0;
    const a = cumBefore(fromDay);
    const b = cumBefore(toDay);
    if (a.year === b.year) return b.value - a.value;
    let sum = a.table.total - a.value + b.value;
    for (let y = a.year + 1; y < b.year; y++) sum += yearTable(y).total;
    return sum;
  }

  /**
   * The first day D >= fromDay whose cumulative working time from fromDay through D reaches `remaining`
   * (> 0), with what is left to spend inside D.
   */
  function findDueDay(fromDay: number, remaining: number): { day: number; left: number } {
    let day = fromDay;
    let emptyYears = 0;
    for (;;) {
      const { table, value } = cumBefore(day);
      const idx = day - table.firstDay;
      const availableInYear = table.total - value;
      if (remaining > availableInYear) {
        remaining -= availableInYear;
        emptyYears = availableInYear === 0 ? emptyYears + 1 : 0;
        if (emptyYears > MAX_EMPTY_YEARS) {
          throw new DomainError('CALENDAR_NO_WORKING_TIME', 'the calendar has no working time in this range');
        }
        day = table.firstDay + table.cum.length - 1;
        continue;
      }
      // Smallest j in (idx, length] with cum[j] - value >= remaining.
      let lo = idx + 1;
      let hi = table.cum.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (table.cum[mid]! - value >= remaining) hi = mid;
        else lo = mid + 1;
      }
      return { day: table.firstDay + lo - 1, left: remaining - (table.cum[lo - 1]! - value) };
    }
  }

  function firstWorkingDayFrom(day: number): number {
    for (let i = 0; i <= MAX_EMPTY_DAYS; i++) {
      if (scheduleOf(day + i).length > 0) return day + i;
    }
    throw new DomainError('CALENDAR_NO_WORKING_TIME', 'the calendar has no working day in this range');
  }

  function nextWorkingInstantMs(utcMs: number): Date {
    const { day, ms } = toLocal(utcMs);
    for (const [s, e] of scheduleOf(day)) {
      if (ms < s) return toInstant(day, s);
      if (ms < e) return new Date(utcMs);
    }
    const next = firstWorkingDayFrom(day + 1);
    return toInstant(next, scheduleOf(next)[0]![0]);
  }

  const calendar: WorkingCalendar = {
    config: frozenConfig,

    addWorkingMinutes(start, minutes) {
      const startMs = assertInstant(start, 'start');
      if (!Number.isFinite(minutes) || minutes < 0) {
        throw new DomainError('INVALID_ARGUMENT', `minutes: expected a finite number >= 0, got ${minutes}`);
      }
      // Dates carry ms precision, so fractional minutes are rounded to the millisecond.
      let remaining = Math.round(minutes * MS_PER_MINUTE);
      if (remaining === 0) return nextWorkingInstantMs(startMs);

      const { day, ms } = toLocal(startMs);
      // `<=` keeps a result that lands exactly on a closing time on that day instead of the next opening.
      for (const [s, e] of scheduleOf(day)) {
        if (e <= ms) continue;
        const from = Math.max(s, ms);
        const available = e - from;
        if (remaining <= available) return toInstant(day, from + remaining);
        remaining -= available;
      }
      const due = findDueDay(day + 1, remaining);
      let left = due.left;
      for (const [s, e] of scheduleOf(due.day)) {
        if (left <= e - s) return toInstant(due.day, s + left);
        left -= e - s;
      }
      // Unreachable: findDueDay guarantees the day holds `left`.
      throw new Error('addWorkingMinutes: inconsistent calendar tables');
    },

    workingMinutesBetween(from, to) {
      const fromMs = assertInstant(from, 'from');
      const toMs = assertInstant(to, 'to');
      if (toMs <= fromMs) return 0;
      const a = toLocal(fromMs);
      const b = toLocal(toMs);
      let total: number;
      if (a.day === b.day) {
        total = overlapMs(a.day, a.ms, b.ms);
      } else {
        total = overlapMs(a.day, a.ms, MS_PER_DAY) + fullDaysMs(a.day + 1, b.day) + overlapMs(b.day, 0, b.ms);
      }
      return total / MS_PER_MINUTE;
    },

    isWorkingDay(localDate) {
      return scheduleOf(parseLocalDate(localDate)).length > 0;
    },

    isWithinWorkingHours(at) {
      const { day, ms } = toLocal(assertInstant(at, 'at'));
      return scheduleOf(day).some(([s, e]) => ms >= s && ms < e);
    },

    nextWorkingInstant(at) {
      return nextWorkingInstantMs(assertInstant(at, 'at'));
    },

    nextWorkingDay(localDate) {
      return formatDayNum(firstWorkingDayFrom(parseLocalDate(localDate)));
    },

    nthWorkingDayOfMonth(year, month, n) {
      assertInteger(year, 'year', 1);
      assertInteger(month, 'month', 1);
      if (month > 12) throw new DomainError('INVALID_ARGUMENT', `month: expected 1-12, got ${month}`);
      assertInteger(n, 'n', 1);
      const first = Date.UTC(year, month - 1, 1) / MS_PER_DAY;
      const end = Date.UTC(year, month, 1) / MS_PER_DAY;
      let seen = 0;
      for (let day = first; day < end; day++) {
        if (scheduleOf(day).length > 0 && ++seen === n) return formatDayNum(day);
      }
      throw new DomainError(
        'NO_SUCH_WORKING_DAY',
        `${year}-${String(month).padStart(2, '0')} has only ${seen} working days (asked for #${n})`,
        { year, month, n, workingDays: seen },
      );
    },

    // n > 0: the n-th working day after localDate; n < 0: before it; n = 0: nextWorkingDay(localDate),
    // so a deadline never lands on a closed day.
    addWorkingDays(localDate, n) {
      let day = parseLocalDate(localDate);
      assertInteger(n, 'n');
      if (n === 0) return formatDayNum(firstWorkingDayFrom(day));
      const step = n > 0 ? 1 : -1;
      let left = Math.abs(n);
      let empty = 0;
      while (left > 0) {
        day += step;
        if (scheduleOf(day).length > 0) {
          left--;
          empty = 0;
        } else if (++empty > MAX_EMPTY_DAYS) {
          throw new DomainError('CALENDAR_NO_WORKING_TIME', 'the calendar has no working day in this range');
        }
      }
      return formatDayNum(day);
    },

    localDate(at) {
      return formatDayNum(toLocal(assertInstant(at, 'at')).day);
    },

    atLocal(localDate, hhmm) {
      const day = parseLocalDate(localDate);
      const minutes = typeof hhmm === 'string' ? tryParseHhmm(hhmm, false) : null;
      if (minutes === null) {
        throw new DomainError('INVALID_TIME', `time: expected 'HH:MM', got ${JSON.stringify(hhmm)}`, { value: hhmm });
      }
      return toInstant(day, minutes * MS_PER_MINUTE);
    },

    holidayName(localDate) {
      return closedDays.get(parseLocalDate(localDate)) ?? null;
    },
  };
  return Object.freeze(calendar);
}
