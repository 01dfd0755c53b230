// The deadlines an employee asks about ("kapan batas waktu SKP?"): the realisation due next, the SKP of the year
// being worked on and, around the year's close, the annual evaluation. The same days the reminders and /realisasi
// hold, each moved off weekends and holidays.
import type { DeploymentConfig } from '../config.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { evaluationDeadlineOf } from './annual-evaluation.js';
import { skpYearFor } from './broadcast/templates.js';
import type { ProcedureRegistry } from './procedures.js';
import { defaultPeriod, isSkpEstablished, realisasiSent } from './realisasi.js';
import { realisasiDeadlineDay, skpDeadlineDay } from '../domain/deadlines.js';
import { annualEvaluationOpen } from './reminders.js';
import type { DbOrTx } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import { findSkpCaseOf, perangkatDaerahName, skpCaseOf, type SkpCase } from './skp.js';

export interface ScheduleView {
  /** The period whose realisation is due next (as /realisasi opens it) and its last day. */
  realisasi: { period: string; deadline: string };
  /** The SKP of the year people work on (next year's from November), from when it opens while that is ahead. */
  skp: { year: number; opensOn: string | null; deadline: string; passed: boolean };
  /** The evaluation of the year just closing, while its deadline is ahead (November to January); else null. */
  evaluation: { year: number; opensOn: string | null; deadline: string } | null;
}

/** Where the employee's own SKP of the year and realisation due stand, beside their deadlines. */
export interface ScheduleProgress {
  /** not_sent: no SKP, or a draft never sent; returned: sent back to be fixed. */
  skp: 'not_sent' | 'returned' | 'in_review' | 'established';
  realisasiSent: boolean;
}

export async function scheduleProgressOf(
  deps: { db: DbOrTx; procedures: ProcedureRegistry },
  employee: Pick<EmployeeProfile, 'id'>,
  schedule: ScheduleView,
): Promise<ScheduleProgress> {
  const [row, sent] = await Promise.all([findSkpCaseOf(deps.db, deps.procedures, employee.id, String(schedule.skp.year)), realisasiSent(deps, employee, schedule.realisasi.period)]);
  return { skp: row ? skpProgressOf(skpCaseOf(deps.procedures, row)) : 'not_sent', realisasiSent: sent };
}

function skpProgressOf(skp: SkpCase): ScheduleProgress['skp'] {
  if (skp.case.status === 'cancelled') return 'not_sent';
  if (isSkpEstablished(skp.case, skp.procedure)) return 'established';
  if (!skp.editable) return 'in_review';
  return skp.case.status === 'returned' ? 'returned' : 'not_sent';
}

export function scheduleOf(
  deps: { calendar: WorkingCalendar; procedures: ProcedureRegistry; deployment: Pick<DeploymentConfig, 'monthly' | 'annual'> },
  employee: Pick<EmployeeProfile, 'unitPath'>,
  now: Date,
): ScheduleView {
  const { calendar, deployment } = deps;
  const today = calendar.localDate(now);
  const kind = deps.procedures.periodOf(perangkatDaerahName(employee.unitPath));
  const period = defaultPeriod(calendar, now, deployment.monthly.deadlineDay, kind);
  const year = skpYearFor(now, calendar.config.timeZone);
  const opensOn = `${year}-01-01`;
  const skpDeadline = skpDeadlineDay(calendar, year, deployment.annual.skpDeadline);
  const evaluationDeadline = evaluationDeadlineOf(calendar, year - 1, deployment.annual.evaluationDeadline);
  const evaluationOpens = annualEvaluationOpen(calendar, year - 1, deployment.monthly.deadlineDay);
  return {
    realisasi: { period, deadline: realisasiDeadlineDay(calendar, period, deployment.monthly.deadlineDay) },
    skp: { year, opensOn: today < opensOn ? opensOn : null, deadline: skpDeadline, passed: skpDeadline < today },
    evaluation: evaluationDeadline >= today
      ? { year: year - 1, opensOn: today < evaluationOpens ? evaluationOpens : null, deadline: evaluationDeadline }
      : null,
  };
}
