// Use cases of the periodic realisation (/realisasi): which period, its deadline, the established SKP, the draft, submit.
// The period is a month, a triwulan or a semester as the employee's perangkat daerah evaluates (procedures.periodic).
//
// Rules chosen here:
// - Default period: the period just ended until its deadline has passed, afterwards the current one.
// - The deadline of a period is the end of day `deadlineDay` of the month after it in the agency time zone (moved to the next
//   working day when that day is a weekend or holiday, as the reminder cycle announces it). A first
//   submission after it is accepted and marked late; a resubmission after a return keeps the case's mark
//   (the ASN met the deadline if the first submission did).
// - The year's SKP is "established" when its case completed, or moved past the procedure's establish step
//   (the verify step for templates without one, e.g. Balangan, where the atasan's approval sets the targets).

import { and, asc, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import { caseDrafts, cases } from '../db/schema/index.js';
import type { AgencyTimeZone, WorkingCalendar } from '../domain/calendar.js';
import type { CaseCommand } from '../domain/case.js';
import { DomainError } from '../domain/errors.js';
import {
  isAfter,
  latestPeriodNamed,
  parsePeriod,
  periodContaining,
  periodForm,
  periodKey,
  periodOfKey,
  previousPeriod,
  type PeriodicKind,
} from '../domain/period.js';
import type { Procedure, Step } from '../domain/procedure.js';
import { saysSomething } from '../domain/skp-rules.js';
import { act, openCase, type ActResult, type CaseRow, type EngineDeps } from './case-engine.js';
import { loadDraft, updateDraft } from './conversation.js';
import { runsPeriodicAssessment, type ProcedureRegistry } from './procedures.js';
import { realisasiDeadlineDay } from '../domain/deadlines.js';
import { findSkpCaseOf, perangkatDaerahName, rhkOfCaseData, type RhkDraft } from './skp.js';
import { findCaseRow } from './repositories/cases.js';

/** A file attached to an RHK's realisation (the evidence_files row and what the step's schema needs). */
export interface EvidenceRef {
  evidenceId: string;
  fileId: string;
  mimeType: string;
  sizeBytes: number;
  name?: string;
}

export interface RealisasiItemDraft {
  realisasi?: string;
  bukti: EvidenceRef[];
}

export interface RealisasiDraft {
  skpCaseId: string;
  /** By RHK id. */
  items: Record<string, RealisasiItemDraft>;
}

export type RealisasiProblem = { rhkNo: number; problem: 'no_value' | 'no_bukti' };

/**
 * The period to report by default, as its key: the period just ended while its deadline is still running (to the
 * end of its deadline day, moved off a weekend or holiday: Monday 7 December for a 5th on Saturday), afterwards
 * the current one.
 */
export function defaultPeriod(calendar: WorkingCalendar, now: Date, deadlineDay: number, kind: PeriodicKind = 'bulanan'): string {
  const current = periodContaining(calendar.localDate(now), kind);
  const previous = periodKey(previousPeriod(current));
  return isLate(calendar, previous, now, deadlineDay) ? periodKey(current) : previous;
}

export type RealisasiPeriodChoice =
  | { ok: true; period: string }
  | { ok: false; reason: 'unreadable' }
  /** The form typed is not the one the employee's perangkat daerah uses; `example` is the right one at that time. */
  | { ok: false; reason: 'wrong_kind'; kind: PeriodicKind; example: string }
  | { ok: false; reason: 'future'; period: string };

/**
 * The period the employee's realisation is for: what they typed ('2026-05', '2026-T2', '2026-S1' in the forms
 * parsePeriod reads) or the default, in the period kind of their perangkat daerah.
 */
export function realisasiPeriodOf(
  deps: { calendar: WorkingCalendar; procedures: ProcedureRegistry },
  employee: Pick<EmployeeProfile, 'unitPath'>,
  input: { text: string | null; now: Date; deadlineDay: number },
): RealisasiPeriodChoice {
  const kind = deps.procedures.periodOf(perangkatDaerahName(employee.unitPath));
  if (!input.text) return { ok: true, period: defaultPeriod(deps.calendar, input.now, input.deadlineDay, kind) };
  const period = parsePeriod(input.text) ?? latestPeriodNamed(input.text, deps.calendar.localDate(input.now));
  if (!period) return { ok: false, reason: 'unreadable' };
  if (period.kind !== kind) return { ok: false, reason: 'wrong_kind', kind, example: periodForm(kind, period) };
  if (isAfter(period, deps.calendar.localDate(input.now))) return { ok: false, reason: 'future', period: periodKey(period) };
  return { ok: true, period: periodKey(period) };
}

/**
 * The first instant after the deadline: 00:00 local on the day after the deadline day. The deadline is day
 * `deadlineDay` of the next month, moved to the next working day when it falls on a weekend or holiday — the same
 * day the reminder cycle announces as the last call (domain/deadlines.ts realisasiDeadlineDay).
 */
export function monthlyDeadline(calendar: WorkingCalendar, period: string, deadlineDay: number): Date {
  const day = realisasiDeadlineDay(calendar, period, deadlineDay);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return calendar.atLocal(next, '00:00');
}

export function isLate(calendar: WorkingCalendar, period: string, now: Date, deadlineDay: number): boolean {
  return now.getTime() >= monthlyDeadline(calendar, period, deadlineDay).getTime();
}

/** The late mark a send now gets: past the deadline, or, sent again after a return, the mark of the first send. */
export function lateIfSentNow(calendar: WorkingCalendar, row: Pick<CaseRow, 'status' | 'late' | 'period'>, now: Date, deadlineDay: number): boolean {
  return row.status === 'returned' ? row.late : isLate(calendar, row.period, now, deadlineDay);
}

/** The step whose completion makes the SKP the year's target. */
export function establishStep(proc: Procedure): Step {
  const establish = proc.steps.find((s) => s.action === 'establish');
  if (establish) return establish;
  const verifies = proc.steps.filter((s) => s.action === 'verify');
  const last = verifies[verifies.length - 1];
  if (last) return last;
  const submitIndex = proc.steps.findIndex((s) => s.actor === 'subject' && s.action === 'submit');
  return proc.steps[submitIndex + 1] ?? proc.steps[proc.steps.length - 1]!;
}

export function isSkpEstablished(row: Pick<CaseRow, 'status' | 'stepNo'>, proc: Procedure): boolean {
  if (row.status === 'completed') return true;
  return row.status === 'active' && row.stepNo > establishStep(proc).no;
}

export function monthlyProcedureOf(procedures: ProcedureRegistry, employee: Pick<EmployeeProfile, 'unitPath'>): Procedure {
  return procedures.forUnit('monthly', perangkatDaerahName(employee.unitPath));
}

export function realisasiSubmitStep(proc: Procedure): Step {
  const step = proc.steps.find((s) => s.actor === 'subject' && s.action === 'submit' && s.requires.some((r) => r.kind === 'realisasi'));
  if (!step) throw new DomainError('UNKNOWN_STEP', `Procedure ${proc.code} has no realisation submit step`, { procedure: proc.code });
  return step;
}

export type EstablishedSkp =
  | { ok: true; skp: CaseRow; rhk: RhkDraft[] }
  | { ok: false; reason: 'no_skp' | 'not_established' | 'no_rhk'; skp: CaseRow | null };

/** The SKP the realisation of a year reports on, if it is established and holds RHK. */
export async function establishedSkpOf(
  deps: { db: DbOrTx; procedures: ProcedureRegistry },
  employee: Pick<EmployeeProfile, 'id'>,
  year: string,
): Promise<EstablishedSkp> {
  const skp = await findSkpCaseOf(deps.db, deps.procedures, employee.id, year);
  if (!skp || skp.status === 'cancelled') return { ok: false, reason: 'no_skp', skp };
  if (!isSkpEstablished(skp, deps.procedures.get(skp.procedureCode))) return { ok: false, reason: 'not_established', skp };
  const rhk = rhkOfCaseData(skp.data);
  if (rhk.length === 0) return { ok: false, reason: 'no_rhk', skp };
  return { ok: true, skp, rhk };
}

export interface MonthlyCase {
  case: CaseRow;
  procedure: Procedure;
  submitStep: Step;
  editable: boolean;
}

export function monthlyCaseOf(procedures: ProcedureRegistry, row: CaseRow): MonthlyCase {
  const procedure = procedures.get(row.procedureCode);
  const submitStep = realisasiSubmitStep(procedure);
  const editable = (row.status === 'active' || row.status === 'returned') && row.stepNo === submitStep.no;
  return { case: row, procedure, submitStep, editable };
}

export async function openMonthlyCase(deps: EngineDeps, employee: EmployeeProfile, period: string, now: Date): Promise<MonthlyCase> {
  const procedure = monthlyProcedureOf(deps.procedures, employee);
  const opened = await openCase(deps, { procedureCode: procedure.code, subjectId: employee.id, period, now });
  return monthlyCaseOf(deps.procedures, opened.case);
}

/**
 * The earliest period whose realisation was returned to the employee and still waits on them. /realisasi opens it
 * before the default: the return's notice says "kirim ulang lewat /realisasi", and the atasan rates (and returns)
 * after the deadline, when the default has already moved on to the next period.
 */
/** The codes of the procedures /realisasi fills in. */
const periodicAssessmentCodes = (procedures: ProcedureRegistry) => procedures.all().filter(runsPeriodicAssessment).map((p) => p.code);

async function returnedRealisasiPeriod(db: DbOrTx, procedures: ProcedureRegistry, employeeId: string): Promise<string | null> {
  const codes = periodicAssessmentCodes(procedures);
  if (codes.length === 0) return null;
  const [row] = await db
    .select({ period: cases.period })
    .from(cases)
    .where(and(eq(cases.subjectId, employeeId), eq(cases.status, 'returned'), inArray(cases.procedureCode, codes)))
    .orderBy(asc(cases.period))
    .limit(1);
  return row?.period ?? null;
}

/** The period /realisasi and the Mini App open: the one typed, else a realisation returned for fixing, else the default. */
export async function realisasiPeriodToOpen(
  deps: { db: DbOrTx; calendar: WorkingCalendar; procedures: ProcedureRegistry },
  employee: Pick<EmployeeProfile, 'id' | 'unitPath'>,
  input: { text: string | null; now: Date; deadlineDay: number },
): Promise<RealisasiPeriodChoice> {
  const returned = input.text ? null : await returnedRealisasiPeriod(deps.db, deps.procedures, employee.id);
  return returned ? { ok: true, period: returned } : realisasiPeriodOf(deps, employee, input);
}

/**
 * The last period whose deadline has passed, while its realisation is still unsent and the SKP of its year is
 * established (so it can be sent, late): what /status reminds of. Null when it was sent or cannot be.
 */
export async function unsentLateRealisasi(
  deps: { db: DbOrTx; calendar: WorkingCalendar; procedures: ProcedureRegistry },
  employee: Pick<EmployeeProfile, 'id' | 'unitPath'>,
  now: Date,
  deadlineDay: number,
): Promise<{ period: string; deadline: string } | null> {
  const kind = deps.procedures.periodOf(perangkatDaerahName(employee.unitPath));
  // The period before the one due next: its deadline has passed.
  const period = periodKey(previousPeriod(periodOfKey(defaultPeriod(deps.calendar, now, deadlineDay, kind))));
  if (periodicAssessmentCodes(deps.procedures).length === 0) return null;
  if (!(await establishedSkpOf(deps, employee, period.slice(0, 4))).ok) return null;
  return (await realisasiSent(deps, employee, period)) ? null : { period, deadline: realisasiDeadlineDay(deps.calendar, period, deadlineDay) };
}

/** True once the employee has sent the realisation of `period` (late or on time, returned since or not). */
export async function realisasiSent(
  deps: { db: DbOrTx; procedures: ProcedureRegistry },
  employee: Pick<EmployeeProfile, 'id'>,
  period: string,
): Promise<boolean> {
  const codes = periodicAssessmentCodes(deps.procedures);
  if (codes.length === 0) return false;
  const [sent] = await deps.db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.subjectId, employee.id), eq(cases.period, period), inArray(cases.procedureCode, codes), isNotNull(cases.submittedAt), ne(cases.status, 'cancelled')))
    .limit(1);
  return sent !== undefined;
}

export async function getMonthlyCase(deps: Pick<EngineDeps, 'db' | 'procedures'>, caseId: string): Promise<MonthlyCase | null> {
  const row = await findCaseRow(deps.db, caseId);
  return row ? monthlyCaseOf(deps.procedures, row) : null;
}

/** After a return: the draft starts as what was submitted. */
export function realisasiDraftFromCase(row: CaseRow, skpCaseId: string): RealisasiDraft {
  const items: Record<string, RealisasiItemDraft> = {};
  const list = Array.isArray(row.data.realisasi) ? (row.data.realisasi as Array<Record<string, unknown>>) : [];
  for (const item of list) {
    if (typeof item.rhkId !== 'string') continue;
    const ids = Array.isArray(item.evidenceIds) ? (item.evidenceIds as string[]) : [];
    const bukti = (Array.isArray(item.bukti) ? (item.bukti as Array<Record<string, unknown>>) : [])
      .map((b, i) =>
        typeof b.fileId === 'string'
          ? {
              evidenceId: ids[i] ?? '',
              fileId: b.fileId,
              mimeType: String(b.mimeType ?? ''),
              sizeBytes: Number(b.sizeBytes ?? 0),
              ...(typeof b.name === 'string' ? { name: b.name } : {}),
            }
          : null,
      )
      .filter((b): b is EvidenceRef => b !== null);
    items[item.rhkId] = { ...(typeof item.realisasi === 'string' ? { realisasi: item.realisasi } : {}), bukti };
  }
  return { skpCaseId: typeof row.data.skpCaseId === 'string' ? row.data.skpCaseId : skpCaseId, items };
}

export async function loadRealisasiDraft(db: DbOrTx, row: CaseRow, skpCaseId: string): Promise<RealisasiDraft> {
  const draft = await loadDraft<RealisasiDraft>(db, row.id);
  if (draft && draft.items) return draft;
  return realisasiDraftFromCase(row, skpCaseId);
}

export async function changeRealisasiDraft<R>(
  db: DbOrTx,
  row: CaseRow,
  skpCaseId: string,
  change: (draft: RealisasiDraft, tx: Tx) => Promise<R> | R,
  now: Date,
): Promise<{ draft: RealisasiDraft; result: R }> {
  return updateDraft<RealisasiDraft, R>(
    db,
    row.id,
    () => realisasiDraftFromCase(row, skpCaseId),
    (draft, tx) => {
      draft.items ??= {};
      return change(draft, tx);
    },
    now,
  );
}

export function itemOf(draft: RealisasiDraft, rhkId: string): RealisasiItemDraft {
  draft.items[rhkId] ??= { bukti: [] };
  return draft.items[rhkId]!;
}

/** Adds an archived evidence file to an RHK's bukti in the draft (chat and Mini App alike). */
export function addBukti(
  draft: RealisasiDraft,
  rhkId: string,
  evidence: { id: string; telegramFileId: string; mimeType: string; sizeBytes: number; fileName: string | null },
): void {
  itemOf(draft, rhkId).bukti.push({
    evidenceId: evidence.id,
    fileId: evidence.telegramFileId,
    mimeType: evidence.mimeType,
    sizeBytes: evidence.sizeBytes,
    ...(evidence.fileName ? { name: evidence.fileName } : {}),
  });
}

/** A realisation value says something: a number or a word, not only punctuation or emoji ("-", "👍"). */
export const isRealisasiValue = saysSomething;

export function realisasiProblems(draft: RealisasiDraft, rhk: RhkDraft[]): RealisasiProblem[] {
  const problems: RealisasiProblem[] = [];
  rhk.forEach((r, index) => {
    const item = draft.items[r.id];
    if (!isRealisasiValue(item?.realisasi)) problems.push({ rhkNo: index + 1, problem: 'no_value' });
    if (!item || item.bukti.length === 0) problems.push({ rhkNo: index + 1, problem: 'no_bukti' });
  });
  return problems;
}

/** The index of the first RHK still missing something, or -1 when all are complete. */
export function firstIncomplete(draft: RealisasiDraft, rhk: RhkDraft[]): number {
  return rhk.findIndex((r) => {
    const item = draft.items[r.id];
    return !isRealisasiValue(item?.realisasi) || !item || item.bukti.length === 0;
  });
}

export interface SubmitRealisasiInput {
  caseId: string;
  actorId: string;
  now: Date;
  deadlineDay: number;
  timeZone: AgencyTimeZone;
}

/**
 * Submits the month (a new revision after a return). Reads the draft under a row lock and deletes it in the
 * same transaction as the transition. Throws DomainError('REALISASI_INCOMPLETE', { problems }) or
 * ('SKP_NOT_ESTABLISHED').
 */
export async function submitRealisasi(
  deps: EngineDeps,
  input: SubmitRealisasiInput,
): Promise<{ result: ActResult; late: boolean; deadline: Date }> {
  return deps.db.transaction(async (tx) => {
    const [draftRow] = await tx.select().from(caseDrafts).where(eq(caseDrafts.caseId, input.caseId)).for('update');
    const row = await findCaseRow(tx, input.caseId);
    if (!row) throw new DomainError('CASE_NOT_FOUND');
    const skp = await establishedSkpOf({ db: tx, procedures: deps.procedures }, { id: row.subjectId }, row.period.slice(0, 4));
    if (!skp.ok) throw new DomainError('SKP_NOT_ESTABLISHED', 'The SKP of the year is not established', { reason: skp.reason });
    const draft =
      draftRow && (draftRow.data as Partial<RealisasiDraft>).items
        ? (draftRow.data as unknown as RealisasiDraft)
        : realisasiDraftFromCase(row, skp.skp.id);
    const problems = realisasiProblems(draft, skp.rhk);
    if (problems.length > 0) throw new DomainError('REALISASI_INCOMPLETE', 'The realisation is not complete', { problems });
    const inputs = {
      skpCaseId: skp.skp.id,
      realisasi: skp.rhk.map((r) => {
        const item = draft.items[r.id]!;
        return {
          rhkId: r.id,
          rhkText: r.text,
          realisasi: item.realisasi!.trim(),
          bukti: item.bukti.map((b) => ({ fileId: b.fileId, mimeType: b.mimeType, sizeBytes: b.sizeBytes, ...(b.name ? { name: b.name } : {}) })),
          evidenceIds: item.bukti.map((b) => b.evidenceId),
        };
      }),
    };
    const deadline = monthlyDeadline(deps.calendar, row.period, input.deadlineDay);
    const resubmit = row.status === 'returned';
    const late = lateIfSentNow(deps.calendar, row, input.now, input.deadlineDay);
    const step = realisasiSubmitStep(deps.procedures.get(row.procedureCode));
    const command: CaseCommand = resubmit ? { kind: 'resubmit', inputs } : { kind: 'complete', stepNo: step.no, inputs };
    const result = await act({ ...deps, db: tx as unknown as Db }, { caseId: row.id, actorId: input.actorId, command, now: input.now, late });
    await tx.delete(caseDrafts).where(eq(caseDrafts.caseId, row.id));
    return { result, late, deadline };
  });
}
