// Indonesian date, time and duration formatting in the agency's time zone (WIB/WITA/WIT).

import { TZDate } from '@date-fns/tz';
import type { AgencyTimeZone } from './calendar.js';
import { DomainError } from './errors.js';

// Own tables rather than date-fns locales, so the output is exact and stable across versions.
const DAY_NAMES = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'] as const; // index = getDay()
/** Indonesian month names, January first (also how periods are read when typed in words: domain/period.ts). */
export const MONTH_NAMES = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
] as const;

const ABBREVIATIONS: Record<AgencyTimeZone, 'WIB' | 'WITA' | 'WIT'> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** A "hari kerja" here is 450 working minutes (7.5 h = 37.5 h/week over five days, domain.md §5). */
export const MINUTES_PER_WORKING_DAY = 450;

export function timeZoneAbbrev(tz: AgencyTimeZone): 'WIB' | 'WITA' | 'WIT' {
  const abbrev = ABBREVIATIONS[tz];
  if (abbrev === undefined) throw new DomainError('INVALID_TIME_ZONE', `unknown agency time zone: ${tz}`, { tz });
  return abbrev;
}

interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: number; // 0 = Sunday
  hour: number;
  minute: number;
}

function localParts(at: Date, tz: AgencyTimeZone): LocalParts {
  timeZoneAbbrev(tz); // rejects unknown zones before TZDate silently yields NaN
  const time = at instanceof Date ? at.getTime() : NaN;
  if (!Number.isFinite(time)) throw new DomainError('INVALID_DATE', 'expected a valid Date');
  const d = new TZDate(time, tz);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    weekday: d.getDay(),
    hour: d.getHours(),
    minute: d.getMinutes(),
  };
}

/** A 'YYYY-MM-DD' local date: the calendar date itself, with no time zone involved. */
function partsOfLocalDate(value: string): LocalParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const utc = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!m || !utc || utc.getUTCMonth() + 1 !== Number(m[2]) || utc.getUTCDate() !== Number(m[3])) {
    throw new DomainError('INVALID_DATE', `expected a 'YYYY-MM-DD' date, got ${JSON.stringify(value)}`, { value });
  }
  return {
    year: utc.getUTCFullYear(),
    month: utc.getUTCMonth() + 1,
    day: utc.getUTCDate(),
    weekday: utc.getUTCDay(),
    hour: 0,
    minute: 0,
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function longDate(p: LocalParts): string {
  return `${DAY_NAMES[p.weekday]}, ${p.day} ${MONTH_NAMES[p.month - 1]} ${p.year}`;
}

// Indonesian writes times with a dot: 07.30.
function clock(p: LocalParts): string {
  return `${pad2(p.hour)}.${pad2(p.minute)}`;
}

/** 'Senin, 2 Februari 2026 pukul 07.30 WITA' */
/** The agency-local year and month (1–12) of a moment. */
export function localYearMonthOf(at: Date, timeZone: AgencyTimeZone): { year: number; month: number } {
  const p = localParts(at, timeZone);
  return { year: p.year, month: p.month };
}

export function formatDateTime(at: Date, timeZone: AgencyTimeZone): string {
  const p = localParts(at, timeZone);
  return `${longDate(p)} pukul ${clock(p)} ${timeZoneAbbrev(timeZone)}`;
}

/** 'Senin, 2 Februari 2026'; a 'YYYY-MM-DD' string is already a local date. */
export function formatDate(at: Date | string, timeZone: AgencyTimeZone): string {
  return longDate(typeof at === 'string' ? partsOfLocalDate(at) : localParts(at, timeZone));
}

/** '02/02/2026 07.30 WITA' */
export function formatShortDateTime(at: Date, timeZone: AgencyTimeZone): string {
  const p = localParts(at, timeZone);
  return `${pad2(p.day)}/${pad2(p.month)}/${p.year} ${clock(p)} ${timeZoneAbbrev(timeZone)}`;
}

/** 'Februari 2026'; month is 1-12. */
export function formatMonth(year: number, month: number): string {
  const name = Number.isInteger(month) ? MONTH_NAMES[month - 1] : undefined;
  if (name === undefined || !Number.isInteger(year)) {
    throw new DomainError('INVALID_ARGUMENT', `invalid month: ${year}-${month}`, { year, month });
  }
  return `${name} ${year}`;
}

/**
 * Working-time duration: '45 menit', '3 jam 10 menit', '2 hari kerja 1 jam'. A "hari kerja" is 450
 * minutes (7.5 h), the average working day, so it matches workingMinutesBetween rather than 24 h.
 * Rounded to whole minutes; zero parts are left out.
 */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes)) {
    throw new DomainError('INVALID_ARGUMENT', `invalid duration: ${minutes}`, { minutes });
  }
  const total = Math.round(Math.abs(minutes));
  if (total === 0) return '0 menit';
  const days = Math.floor(total / MINUTES_PER_WORKING_DAY);
  const rest = total % MINUTES_PER_WORKING_DAY;
  const hours = Math.floor(rest / 60);
  const mins = rest % 60;
  const parts: string[] = [];
  if (days > 0) parts.push(`${days} hari kerja`);
  if (hours > 0) parts.push(`${hours} jam`);
  if (mins > 0) parts.push(`${mins} menit`);
  // An overdue step is a negative duration; keep the sign rather than failing inside a message.
  return `${minutes < 0 ? '-' : ''}${parts.join(' ')}`;
}
