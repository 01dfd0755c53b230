// Built-in templates: the SOP's own announcements, with deadlines from the deployment config.
import { TZDate } from '@date-fns/tz';
import type { AppConfig } from '../../config.js';
import type { AgencyTimeZone, WorkingCalendar } from '../../domain/calendar.js';
import type { ProcedureRegistry } from '../procedures.js';
import { defaultPeriod } from '../realisasi.js';
import { realisasiDeadlineDay, skpDeadlineDay } from '../../domain/deadlines.js';
import { annualEvaluationOpen } from '../reminders.js';
import { evaluationDeadlineOf } from '../annual-evaluation.js';

export type TemplateChoice =
  /** `opensOn`: 1 January of the year while it is still ahead (/skp builds that year's SKP from then on). */
  | { kind: 'skp'; year: number; deadline: string; opensOn: string | null }
  /** `late`: the deadline has passed; the announcement chases those who have not sent it (sent now, it is marked late). */
  | { kind: 'realisasi'; month: string; deadline: string; late: boolean }
  | { kind: 'sop'; procedureCode: string; no: number; uraian: string; sopNumber: string | null }
  /** The annual evaluation of `year`, for the pejabat penilai, while it is open (its requests wait in /tugas). */
  | { kind: 'evaluasi'; year: number; deadline: string };

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

/** The year's SKP deadline as /skp and the reminders hold it: the configured day, or the next working day. */
export function skpDeadline(config: AppConfig, calendar: WorkingCalendar, year: number): string {
  return skpDeadlineDay(calendar, year, config.deployment.annual.skpDeadline);
}

/** Realisation of month M is due on deadlineDay of month M+1, or the next working day (as /realisasi holds it). */
export function realisasiDeadline(config: AppConfig, calendar: WorkingCalendar, month: string): string {
  return realisasiDeadlineDay(calendar, month, config.deployment.monthly.deadlineDay);
}

/** Template keys travel in callback data: 'skp:2026', 'real:2026-03', 'sop:skp-banyuwangi:1'. */
export function resolveTemplate(
  config: AppConfig,
  calendar: WorkingCalendar,
  procedures: ProcedureRegistry,
  key: string,
  now: Date,
): TemplateChoice | null {
  let m = /^skp:(\d{4})$/.exec(key);
  if (m) {
    const year = Number(m[1]);
    const opensOn = `${year}-01-01`;
    return { kind: 'skp', year, deadline: skpDeadline(config, calendar, year), opensOn: calendar.localDate(now) < opensOn ? opensOn : null };
  }
  m = /^real:(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(key);
  if (m) {
    const deadline = realisasiDeadline(config, calendar, m[1]!);
    return { kind: 'realisasi', month: m[1]!, deadline, late: calendar.localDate(now) > deadline };
  }
  m = /^eval:(\d{4})$/.exec(key);
  if (m) return { kind: 'evaluasi', year: Number(m[1]), deadline: evaluationDeadlineOf(calendar, Number(m[1]), config.deployment.annual.evaluationDeadline) };
  m = /^sop:([a-z0-9-]+):(\d+)$/.exec(key);
  if (m) {
    const proc = procedures.all().find((p) => p.code === m![1]);
    const a = proc?.announcements?.find((x) => x.no === Number(m![2]));
    if (!proc || !a) return null;
    return { kind: 'sop', procedureCode: proc.code, no: a.no, uraian: a.uraian, sopNumber: proc.source.sopNumber ?? null };
  }
  return null;
}

/** The SKP year people are working on: from November, next year's SKP is what they prepare. */
export function skpYearFor(now: Date, tz: AgencyTimeZone): number {
  const { year, month } = localYearMonth(now, tz);
  return month >= 11 ? year + 1 : year;
}

/** The month whose realisation is due next: last month until its deadline (the day included), then this month. */
export function realisasiMonthFor(config: AppConfig, calendar: WorkingCalendar, now: Date): string {
  return defaultPeriod(calendar, now, config.deployment.monthly.deadlineDay);
}

/** The year whose annual evaluation is open now (from the day it opens to its deadline, last year's), or null. */
export function openEvaluationYear(config: AppConfig, calendar: WorkingCalendar, now: Date): number | null {
  const today = calendar.localDate(now);
  const year = localYearMonth(now, calendar.config.timeZone).year - 1;
  const opens = annualEvaluationOpen(calendar, year, config.deployment.monthly.deadlineDay);
  return today >= opens && today <= evaluationDeadlineOf(calendar, year, config.deployment.annual.evaluationDeadline) ? year : null;
}

/**
 * The month whose realisation deadline passed most recently, while it is the month before the one due next (from
 * the day after the deadline to the month's end): the month BKPP chases the late for. Null before the deadline.
 */
export function lateRealisasiMonthFor(config: AppConfig, calendar: WorkingCalendar, now: Date): string | null {
  const tz = calendar.config.timeZone;
  const due = realisasiMonthFor(config, calendar, now);
  const { year, month } = localYearMonth(now, tz);
  return due === `${year}-${pad2(month)}` ? previousMonth(now, tz) : null;
}

/**
 * The template keys offered now: the SKP of the year that fits the date (never one whose deadline has passed), the
 * annual evaluation while it is open, the realisation of the month just past its deadline (to chase the late), the
 * realisation due next, and every SOP announcement.
 */
export function templateKeys(config: AppConfig, calendar: WorkingCalendar, procedures: ProcedureRegistry, now: Date): string[] {
  const tz = calendar.config.timeZone;
  const { year } = localYearMonth(now, tz);
  const today = calendar.localDate(now);
  const keys: string[] = [];
  for (const y of [year, skpYearFor(now, tz)]) {
    if (skpDeadline(config, calendar, y) >= today && !keys.includes(`skp:${y}`)) keys.push(`skp:${y}`);
  }
  // The annual evaluation of last year, from the day it opens to its deadline: to remind the pejabat penilai.
  const evaluated = openEvaluationYear(config, calendar, now);
  if (evaluated !== null) keys.push(`eval:${evaluated}`);
  const late = lateRealisasiMonthFor(config, calendar, now);
  if (late) keys.push(`real:${late}`);
  keys.push(`real:${realisasiMonthFor(config, calendar, now)}`);
  for (const proc of procedures.all()) for (const a of proc.announcements ?? []) keys.push(`sop:${proc.code}:${a.no}`);
  return keys;
}
