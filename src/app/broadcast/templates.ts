// Built-in templates: the SOP's own announcements, with deadlines from the deployment config.
import { TZDate } from '@date-fns/tz';
import type { AppConfig } from '../../config.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import type { ProcedureRegistry } from '../procedures.js';

export type TemplateChoice =
  | { kind: 'skp'; year: number; deadline: string }
  | { kind: 'realisasi'; month: string; deadline: string }
  | { kind: 'sop'; procedureCode: string; no: number; uraian: string; sopNumber: string | null };

export function localYearMonth(now: Date, tz: AgencyTimeZone): { year: number; month: number } {
  const local = new TZDate(now.getTime(), tz);
  return { year: local.getFullYear(), month: local.getMonth() + 1 };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM' of the month before `now` (the realisation usually announced at the start of a month). */
export function previousMonth(now: Date, tz: AgencyTimeZone, back = 1): string {
  const { year, month } = localYearMonth(now, tz);
  const index = year * 12 + (month - 1) - back;
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
}

export function skpDeadline(config: AppConfig, year: number): string {
  return `${year}-${config.deployment.annual.skpDeadline}`;
}

/** Realisation of month M is due on deadlineDay of month M+1. */
export function realisasiDeadline(config: AppConfig, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = y * 12 + m; // index of month M+1 (0-based months)
  return `${Math.floor(next / 12)}-${pad2((next % 12) + 1)}-${pad2(config.deployment.monthly.deadlineDay)}`;
}

/** Template keys travel in callback data: 'skp:2026', 'real:2026-03', 'sop:skp-banyuwangi:1'. */
export function resolveTemplate(config: AppConfig, procedures: ProcedureRegistry, key: string): TemplateChoice | null {
  let m = /^skp:(\d{4})$/.exec(key);
  if (m) return { kind: 'skp', year: Number(m[1]), deadline: skpDeadline(config, Number(m[1])) };
  m = /^real:(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(key);
  if (m) return { kind: 'realisasi', month: m[1]!, deadline: realisasiDeadline(config, m[1]!) };
  m = /^sop:([a-z0-9-]+):(\d+)$/.exec(key);
  if (m) {
    const proc = procedures.all().find((p) => p.code === m![1]);
    const a = proc?.announcements?.find((x) => x.no === Number(m![2]));
    if (!proc || !a) return null;
    return { kind: 'sop', procedureCode: proc.code, no: a.no, uraian: a.uraian, sopNumber: proc.source.sopNumber ?? null };
  }
  return null;
}

function localDate(now: Date, tz: AgencyTimeZone): string {
  const local = new TZDate(now.getTime(), tz);
  return `${local.getFullYear()}-${pad2(local.getMonth() + 1)}-${pad2(local.getDate())}`;
}

/** The SKP year people are working on: from November, next year's SKP is what they prepare. */
export function skpYearFor(now: Date, tz: AgencyTimeZone): number {
  const { year, month } = localYearMonth(now, tz);
  return month >= 11 ? year + 1 : year;
}

/** The month whose realisation is due next: last month until its deadline, then this month. */
export function realisasiMonthFor(config: AppConfig, now: Date, tz: AgencyTimeZone): string {
  const last = previousMonth(now, tz);
  return realisasiDeadline(config, last) >= localDate(now, tz) ? last : previousMonth(now, tz, 0);
}

/**
 * The template keys offered now, each with a deadline still ahead: the SKP of the year that fits the date (never
 * one whose deadline has passed), the realisation due next, and every SOP announcement.
 */
export function templateKeys(config: AppConfig, procedures: ProcedureRegistry, now: Date, tz: AgencyTimeZone): string[] {
  const { year } = localYearMonth(now, tz);
  const today = localDate(now, tz);
  const keys: string[] = [];
  for (const y of [year, skpYearFor(now, tz)]) {
    if (skpDeadline(config, y) >= today && !keys.includes(`skp:${y}`)) keys.push(`skp:${y}`);
  }
  keys.push(`real:${realisasiMonthFor(config, now, tz)}`);
  for (const proc of procedures.all()) for (const a of proc.announcements ?? []) keys.push(`sop:${proc.code}:${a.no}`);
  return keys;
}
