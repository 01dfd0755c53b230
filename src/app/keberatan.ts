// Keberatan (objection) to a periodic or annual result, PP 30/2019 ps. 59: which results an ASN may object to,
// until when, and filing one. The decision's effect on the result is keberatan-decision.ts; the steps are the template.
import { and, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { EmployeeProfile } from './repositories/employees.js';
import { caseEvents, cases } from '../db/schema/index.js';
import { endOfDeadlineDay } from '../domain/deadlines.js';
import { DomainError } from '../domain/errors.js';
import { isWindowOpen, keberatanWindow, type KeberatanWindow } from '../domain/keberatan.js';
import type { Predikat, Rating } from '../domain/predikat.js';
import type { Procedure } from '../domain/procedure.js';
import { KEBERATAN_PROCEDURE } from '../domain/templates/keberatan.js';
import { openCase, type CaseRow, type EngineDeps } from './case-engine.js';
import { findCaseRow } from './repositories/cases.js';

/**
 * Procedures whose rated results can be objected to: the periodic (monthly) assessments and the annual evaluation
 * (its period is the year, '2026', so its objection never collides with a month's).
 */
export function objectableProcedures(procedures: EngineDeps['procedures']): Procedure[] {
  return procedures.all().filter(isObjectable);
}

/** Whether a procedure's rated result can be objected to (see objectableProcedures). */
export function isObjectable(p: Procedure): boolean {
  return (p.periodKind === 'monthly' || p.purpose === 'annual_evaluation') && p.steps.some((s) => s.action === 'rate');
}

/**
 * When the ASN received the result of `row`: the acknowledgement, else its delivery (the case entering the
 * acknowledge step), else the rating itself for a procedure without an acknowledge step.
 */
export async function receivedAtOf(deps: Pick<EngineDeps, 'db'>, proc: Procedure, caseId: string): Promise<Date | null> {
  const ack = proc.steps.find((s) => s.action === 'acknowledge');
  const rate = [...proc.steps].reverse().find((s) => s.action === 'rate');
  const events = await deps.db
    .select({ action: caseEvents.action, from: caseEvents.fromStepNo, to: caseEvents.toStepNo, at: caseEvents.at })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, ['complete', 'resubmit'])))
    .orderBy(desc(caseEvents.id));
  if (ack) {
    const acknowledged = events.find((e) => e.action === 'complete' && e.from === ack.no);
    if (acknowledged) return acknowledged.at;
    const delivered = events.find((e) => e.to === ack.no);
    if (delivered) return delivered.at;
    return null;
  }
  return events.find((e) => e.action === 'complete' && e.from === rate?.no)?.at ?? null;
}

export interface ObjectableResult {
  caseId: string;
  period: string;
  predikat: Predikat;
  rating: { hasilKerja: Rating | null; perilaku: Rating | null };
  window: KeberatanWindow | null;
  open: boolean;
  /** The objection already filed for this result, if any. */
  keberatan: Pick<CaseRow, 'id' | 'status' | 'stepNo'> | null;
}

/**
 * The subject's rated periodic and annual results, latest year first and within a year the annual result before
 * its months (so the year's evaluation in January is not pushed out by the months), at most `limit`.
 */
export async function objectableResults(deps: EngineDeps, subjectId: string, now: Date, limit = 6): Promise<ObjectableResult[]> {
  const procs = objectableProcedures(deps.procedures);
  if (procs.length === 0) return [];
  const rows = await deps.db
    .select()
    .from(cases)
    .where(
      and(
        eq(cases.subjectId, subjectId),
        inArray(cases.procedureCode, procs.map((p) => p.code)),
        isNotNull(cases.predikat),
        ne(cases.status, 'cancelled'),
      ),
    )
    .orderBy(desc(sql`left(${cases.period}, 4)`), desc(sql`length(${cases.period}) = 4`), desc(cases.period), desc(cases.createdAt))
    .limit(limit);
  const filed = rows.length
    ? await deps.db
        .select({ id: cases.id, status: cases.status, stepNo: cases.stepNo, period: cases.period })
        .from(cases)
        .where(and(eq(cases.procedureCode, KEBERATAN_PROCEDURE), eq(cases.subjectId, subjectId), inArray(cases.period, rows.map((r) => r.period))))
    : [];
  const out: ObjectableResult[] = [];
  for (const row of rows) {
    const proc = deps.procedures.get(row.procedureCode);
    const receivedAt = await receivedAtOf(deps, proc, row.id);
    const window = receivedAt ? keberatanWindow(receivedAt, deps.calendar) : null;
    const rating = (row.data as { rating?: { hasilKerja?: Rating; perilaku?: Rating } }).rating;
    const existing = filed.find((f) => f.period === row.period && f.status !== 'cancelled') ?? null;
    out.push({
      caseId: row.id,
      period: row.period,
      predikat: row.predikat as Predikat,
      rating: { hasilKerja: rating?.hasilKerja ?? null, perilaku: rating?.perilaku ?? null },
      window,
      open: window !== null && isWindowOpen(window, now),
      keberatan: existing ? { id: existing.id, status: existing.status, stepNo: existing.stepNo } : null,
    });
  }
  return out;
}

/**
 * Files (or resumes) the subject's objection to their result of `period` ('2026-03', or '2026' for the annual
 * evaluation). Throws DomainError
 * KEBERATAN_NO_RESULT (no rated result of theirs for that period), KEBERATAN_NOT_RECEIVED (not delivered yet),
 * KEBERATAN_WINDOW_CLOSED (details.closesOn), KEBERATAN_ALREADY_FILED (details.status) for one under way past its
 * first step or decided.
 */
export async function fileKeberatan(
  deps: EngineDeps,
  input: { subject: EmployeeProfile; period: string; now: Date },
): Promise<{ case: CaseRow; created: boolean; result: ObjectableResult }> {
  const results = await objectableResults(deps, input.subject.id, input.now, 24);
  const result = results.find((r) => r.period === input.period);
  if (!result) throw new DomainError('KEBERATAN_NO_RESULT', undefined, { period: input.period });
  if (result.keberatan) {
    const row = await findCaseRow(deps.db, result.keberatan.id);
    // Still being written by the ASN: resume it, within the window only.
    if (row && row.stepNo === 1 && (row.status === 'active' || row.status === 'returned')) {
      if (result.window && !result.open) {
        throw new DomainError('KEBERATAN_WINDOW_CLOSED', undefined, { period: input.period, closesOn: result.window.closesOn });
      }
      return { case: row, created: false, result };
    }
    throw new DomainError('KEBERATAN_ALREADY_FILED', undefined, { status: result.keberatan.status, period: input.period });
  }
  if (!result.window) throw new DomainError('KEBERATAN_NOT_RECEIVED', undefined, { period: input.period });
  if (!result.open) {
    throw new DomainError('KEBERATAN_WINDOW_CLOSED', undefined, { period: input.period, closesOn: result.window.closesOn });
  }
  const opened = await openCase(deps, {
    procedureCode: KEBERATAN_PROCEDURE,
    subjectId: input.subject.id,
    period: input.period,
    actorId: input.subject.id,
    now: input.now,
    data: { targetCaseId: result.caseId, asal: { ...result.rating, predikat: result.predikat } },
    // Written at the employee's pace within the window: due when the window closes, not a working day on.
    dueNotBefore: endOfDeadlineDay(deps.calendar, result.window.closesOn),
  });
  return { case: opened.case, created: opened.created, result };
}
