// Agency-local dates as day numbers, times of day, and the argument checks shared by the calendar.
import { DomainError } from '../errors.js';

// ---------------------------------------------------------------------------------------------
// Internals. Local dates are day numbers (days since 1970-01-01 on the local calendar); times of
// day are milliseconds since local midnight. All loops step by day or by year, never by minute.

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;
export const FULL_DAY: DaySchedule = Object.freeze([Object.freeze([0, MS_PER_DAY] as const)]);
// Bounds for searches that could otherwise spin on a calendar with (almost) no working time.
export const MAX_EMPTY_DAYS = 3_660;
export const MAX_EMPTY_YEARS = 10;

export type Interval = readonly [startMs: number, endMs: number];
export type DaySchedule = readonly Interval[];
export type WeekSchedule = readonly DaySchedule[]; // index 0 = Monday


const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):(\d{2})$/;

export function tryParseLocalDate(value: unknown): number | null {
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

export function parseLocalDate(value: string, what = 'date'): number {
  const day = tryParseLocalDate(value);
  if (day === null) {
    throw new DomainError('INVALID_DATE', `${what}: expected a 'YYYY-MM-DD' date, got ${JSON.stringify(value)}`, {
      value,
    });
  }
  return day;
}

export function formatDayNum(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function weekdayIndex(day: number): number {
  // 1970-01-01 was a Thursday (index 3 with Monday = 0).
  return (((day + 3) % 7) + 7) % 7;
}

/** 'HH:MM' → minutes; '24:00' only when allowEndOfDay. */
export function tryParseHhmm(value: string, allowEndOfDay: boolean): number | null {
  const m = HHMM_RE.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return null;
  if (h === 24 && min === 0 && allowEndOfDay) return 24 * 60;
  if (h > 23) return null;
  return h * 60 + min;
}

export function assertInstant(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : NaN;
  if (!Number.isFinite(t)) throw new DomainError('INVALID_DATE', `${what}: expected a valid Date`);
  return t;
}

export function assertInteger(n: number, what: string, min?: number): void {
  if (!Number.isInteger(n) || (min !== undefined && n < min)) {
    throw new DomainError('INVALID_ARGUMENT', `${what}: expected an integer${min !== undefined ? ` >= ${min}` : ''}, got ${n}`);
  }
}
