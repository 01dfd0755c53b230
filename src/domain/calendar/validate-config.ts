// Validating a calendar config into precomputed week schedules, closed days and special periods.
import { tzOffset } from '@date-fns/tz';
import { DomainError } from '../errors.js';
import { AGENCY_TIME_ZONES, WEEKDAYS } from './config.js';
import type { CalendarConfig } from './config.js';
import { MS_PER_MINUTE, tryParseLocalDate, formatDayNum, tryParseHhmm } from './local-dates.js';
import type { Interval, DaySchedule, WeekSchedule } from './local-dates.js';

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

/** Years the fixed-date holidays are laid out for: far past any deadline the bot computes. */
const FIXED_HOLIDAY_YEARS = { from: 2000, to: 2100 } as const;

/** `fixedHolidays` in every year of FIXED_HOLIDAY_YEARS whose holidays the config does not list. */
function addFixedHolidays(config: CalendarConfig, problems: string[], into: Map<number, string>): void {
  if (config.fixedHolidays === undefined) return;
  if (!Array.isArray(config.fixedHolidays)) return void problems.push('fixedHolidays: expected a list of { monthDay, name }');
  const listed = new Set(Array.isArray(config.holidays) ? config.holidays.map((h) => String(h?.date).slice(0, 4)) : []);
  config.fixedHolidays.forEach((f, i) => {
    const ok = typeof f?.monthDay === 'string' && /^\d{2}-\d{2}$/.test(f.monthDay) && tryParseLocalDate(`2000-${f.monthDay}`) !== null;
    if (!ok) return void problems.push(`fixedHolidays[${i}].monthDay: expected 'MM-DD', got ${JSON.stringify(f?.monthDay)}`);
    if (typeof f.name !== 'string' || f.name.trim() === '') return void problems.push(`fixedHolidays[${i}].name: required`);
    for (let year = FIXED_HOLIDAY_YEARS.from; year <= FIXED_HOLIDAY_YEARS.to; year++) {
      if (listed.has(String(year))) continue;
      const day = tryParseLocalDate(`${year}-${f.monthDay}`);
      if (day !== null && !into.has(day)) into.set(day, f.name);
    }
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

export function compileConfig(config: CalendarConfig): CompiledConfig {
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
  addFixedHolidays(config, problems, closedDays);

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

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
