// The working-time arithmetic: working minutes and days, next opening, local dates of instants.
import { tzOffset } from '@date-fns/tz';
import { DomainError } from '../errors.js';
import type { CalendarConfig, WorkingCalendar } from './config.js';
import {
  MS_PER_MINUTE, MS_PER_DAY, FULL_DAY, MAX_EMPTY_DAYS, MAX_EMPTY_YEARS, parseLocalDate, formatDayNum, weekdayIndex,
  tryParseHhmm, assertInstant, assertInteger,
} from './local-dates.js';
import type { DaySchedule } from './local-dates.js';
import { compileConfig, deepFreeze } from './validate-config.js';

interface YearTable {
  readonly firstDay: number;
  /** cum[i] = working ms in days firstDay .. firstDay+i-1. */
  readonly cum: Float64Array;
  readonly total: number;
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
