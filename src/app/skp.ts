// Use cases of the annual SKP on the ASN side: the year's case, the RHK draft, submitting it, and where cases stand.
//
// Glossary: SKP = the yearly performance plan; RHK = rencana hasil kerja (a planned result), 'utama' (main) or
// 'tambahan' (additional); indikator (IKI) = a result's measure, with an aspek (kuantitas/kualitas/waktu/biaya)
// and a target; "RHK atasan yang diintervensi" = the superior's RHK this one supports (JA/JF only).
import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import { caseDrafts, caseEvents, cases, employees } from '../db/schema/index.js';
import type { DeploymentConfig } from '../config.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { deadlineState, skpDeadlineDay } from '../domain/deadlines.js';
import { formatDate } from '../domain/format.js';
import type { CaseCommand } from '../domain/case.js';
import { DomainError } from '../domain/errors.js';
import type { PeriodKind, Procedure, Step } from '../domain/procedure.js';
import { act, openCase, type ActResult, type CaseRow, type EngineDeps } from './case-engine.js';
import { loadDraft, updateDraft } from './conversation.js';
import type { ProcedureRegistry } from './procedures.js';
import { ASPEK, skpDraftProblems, type Aspek, type RhkDraft, type SkpDraft } from '../domain/skp-rules.js';
import { findCaseRow } from './repositories/cases.js';

export { ASPEK, skpDraftProblems, type Aspek, type DraftProblem, type Indikator, type RhkDraft, type SkpDraft } from '../domain/skp-rules.js';

export interface AtasanRhkOption {
  id: string;
  text: string;
}

export function newRhkId(): string {
  return randomBytes(4).toString('hex');
}

/** The perangkat daerah is the first part of the unit path ("Dinas Kesehatan / Bidang … / Seksi …"). */
export function perangkatDaerahName(unitPath: string): string {
  return unitPath.split(' / ')[0]!.trim();
}

export function localYear(calendar: WorkingCalendar, now: Date): string {
  return calendar.localDate(now).slice(0, 4);
}

export function skpProcedureOf(procedures: ProcedureRegistry, employee: Pick<EmployeeProfile, 'unitPath'>): Procedure {
  return procedures.forUnit('skpAnnual', perangkatDaerahName(employee.unitPath));
}

/** The subject's step that takes the RHK list. */
export function skpSubmitStep(proc: Procedure): Step {
  const step = proc.steps.find((s) => s.actor === 'subject' && s.action === 'submit' && s.requires.some((r) => r.kind === 'rhk_list'));
  if (!step) throw new DomainError('UNKNOWN_STEP', `Procedure ${proc.code} has no RHK submit step`, { procedure: proc.code });
  return step;
}

/** JA and JF cascade from their atasan's SKP; a JPT's SKP comes from the Perjanjian Kinerja. */
export function needsIntervensi(employee: Pick<EmployeeProfile, 'jenisJabatan'>): boolean {
  return employee.jenisJabatan !== 'jpt';
}

/** The ASN may change the draft while the case waits on their submit step (first pass or after a return). */
export function isSkpEditable(row: CaseRow, submitStep: Step): boolean {
  return (row.status === 'active' || row.status === 'returned') && row.stepNo === submitStep.no;
}

/**
 * The day the year's SKP is to be sent to the pejabat penilai by (annual.skpDeadline, moved off a holiday), as /skp
 * and the Mini App's editor state it: its label, and whether it is today or has passed.
 */
export function skpDeadlineOf(
  calendar: WorkingCalendar,
  deployment: Pick<DeploymentConfig, 'annual' | 'instansi'>,
  year: string,
  now: Date,
): { label: string; today: boolean; passed: boolean } {
  const { day, today, passed } = deadlineState(calendar, skpDeadlineDay(calendar, Number(year), deployment.annual.skpDeadline), now);
  return { label: formatDate(day, deployment.instansi.timeZone), today, passed };
}

export interface SkpCase {
  case: CaseRow;
  procedure: Procedure;
  submitStep: Step;
  year: string;
  editable: boolean;
}

/** The SKP view of a case row already read. */
export function skpCaseOf(procedures: ProcedureRegistry, row: CaseRow): SkpCase {
  const procedure = procedures.get(row.procedureCode);
  const submitStep = skpSubmitStep(procedure);
  return { case: row, procedure, submitStep, year: row.period, editable: isSkpEditable(row, submitStep) };
}

/** Opens (or finds) the employee's SKP case of the agency-local current year. */
export async function openSkpCase(deps: EngineDeps, employee: EmployeeProfile, now: Date): Promise<SkpCase> {
  const year = localYear(deps.calendar, now);
  const existing = await findSkpCaseOf(deps.db, deps.procedures, employee.id, year);
  if (existing) return skpCaseOf(deps.procedures, existing);
  const procedure = skpProcedureOf(deps.procedures, employee);
  const opened = await openCase(deps, { procedureCode: procedure.code, subjectId: employee.id, period: year, now });
  return skpCaseOf(deps.procedures, opened.case);
}

/** Last year's SKP while it still waits on the ASN (returned, or never sent): null otherwise. */
export async function unfinishedLastYearSkp(
  deps: Pick<EngineDeps, 'db' | 'procedures' | 'calendar'>,
  employee: Pick<EmployeeProfile, 'id'>,
  now: Date,
): Promise<SkpCase | null> {
  const last = String(Number(localYear(deps.calendar, now)) - 1);
  const row = await findSkpCaseOf(deps.db, deps.procedures, employee.id, last);
  const skp = row ? skpCaseOf(deps.procedures, row) : null;
  return skp?.editable ? skp : null;
}

export async function getSkpCase(deps: Pick<EngineDeps, 'db' | 'procedures'>, caseId: string): Promise<SkpCase | null> {
  const row = await findCaseRow(deps.db, caseId);
  return row ? skpCaseOf(deps.procedures, row) : null;
}

/** The employee's SKP case of a year under any annual-SKP procedure (a unit may have switched templates). */
export async function findSkpCaseOf(db: DbOrTx, procedures: ProcedureRegistry, subjectId: string, year: string): Promise<CaseRow | null> {
  const codes = procedures.all().filter((p) => p.purpose === 'skp_annual').map((p) => p.code);
  const rows = await db
    .select()
    .from(cases)
    .where(and(eq(cases.subjectId, subjectId), eq(cases.period, year), inArray(cases.procedureCode, codes)))
    .orderBy(desc(cases.createdAt));
  // A cancelled case never wins over a live one.
  return rows.find((r) => r.status !== 'cancelled') ?? rows[0] ?? null;
}

/** RHK stored in a case's data, with ids for older data that lacks them (stable by position). */
export function rhkOfCaseData(data: Record<string, unknown>): RhkDraft[] {
  const list = Array.isArray(data.rhk) ? (data.rhk as Array<Record<string, unknown>>) : [];
  return list
    .filter((r) => r && typeof r.text === 'string')
    .map((r, index) => {
      const indikator = Array.isArray(r.indikator)
        ? (r.indikator as Array<Record<string, unknown>>)
            .filter((i) => ASPEK.includes(i.aspek as Aspek) && typeof i.target === 'string')
            .map((i) => ({ aspek: i.aspek as Aspek, target: i.target as string }))
        : [];
      const rhk: RhkDraft = { id: typeof r.id === 'string' && r.id ? r.id : `rhk${index + 1}`, text: r.text as string, indikator };
      if (r.jenis === 'utama' || r.jenis === 'tambahan') rhk.jenis = r.jenis;
      if (typeof r.rhkAtasanId === 'string' || r.rhkAtasanId === null) rhk.rhkAtasanId = r.rhkAtasanId as string | null;
      if (typeof r.rhkAtasanText === 'string') rhk.rhkAtasanText = r.rhkAtasanText;
      if (r.source === 'pdf') rhk.source = 'pdf';
      if (typeof r.evidenceId === 'string') rhk.evidenceId = r.evidenceId;
      if (typeof r.fileId === 'string') rhk.fileId = r.fileId;
      return rhk;
    });
}

/** The draft of an SKP case: the saved work in progress, else (after a return) what was last submitted. */
export async function loadSkpDraft(db: DbOrTx, row: CaseRow): Promise<SkpDraft> {
  const draft = await loadDraft<SkpDraft>(db, row.id);
  if (draft && Array.isArray(draft.rhk)) return draft;
  return { rhk: rhkOfCaseData(row.data) };
}

/** Changes the draft under a row lock; `change` gets the transaction to save the conversation cursor with it. */
export async function changeSkpDraft<R>(
  db: DbOrTx,
  row: CaseRow,
  change: (draft: SkpDraft, tx: Tx) => Promise<R> | R,
  now: Date,
): Promise<{ draft: SkpDraft; result: R }> {
  return updateDraft<SkpDraft, R>(
    db,
    row.id,
    () => ({ rhk: rhkOfCaseData(row.data) }),
    (draft, tx) => {
      if (!Array.isArray(draft.rhk)) draft.rhk = [];
      return change(draft, tx);
    },
    now,
  );
}

/** The RHK list as stored in case data: every field the approver and the monthly realisation need. */
export function rhkInputsOf(draft: SkpDraft): Array<Record<string, unknown>> {
  return draft.rhk.map((r) => ({
    id: r.id,
    jenis: r.jenis,
    text: r.text,
    indikator: r.indikator,
    ...(r.rhkAtasanId !== undefined ? { rhkAtasanId: r.rhkAtasanId } : {}),
    ...(r.rhkAtasanText ? { rhkAtasanText: r.rhkAtasanText } : {}),
    ...(r.source ? { source: r.source } : {}),
    ...(r.evidenceId ? { evidenceId: r.evidenceId } : {}),
    ...(r.fileId ? { fileId: r.fileId } : {}),
  }));
}

/**
 * Sends the draft to the next step: `complete` on the first pass, `resubmit` (a new revision) after a return.
 * The draft is read under a row lock and deleted in the same transaction as the transition, so a double tap
 * submits once. Throws DomainError('SKP_DRAFT_INCOMPLETE', { problems }) when the draft is not ready.
 */
export async function submitSkp(deps: EngineDeps, input: { caseId: string; actorId: string; now: Date }): Promise<ActResult> {
  return deps.db.transaction(async (tx) => {
    const [draftRow] = await tx.select().from(caseDrafts).where(eq(caseDrafts.caseId, input.caseId)).for('update');
    const row = await findCaseRow(tx, input.caseId);
    if (!row) throw new DomainError('CASE_NOT_FOUND');
    const draft: SkpDraft =
      draftRow && Array.isArray((draftRow.data as Partial<SkpDraft>).rhk) ? (draftRow.data as unknown as SkpDraft) : { rhk: rhkOfCaseData(row.data) };
    const problems = skpDraftProblems(draft);
    if (problems.length > 0) throw new DomainError('SKP_DRAFT_INCOMPLETE', 'The SKP draft is not complete', { problems });
    const step = skpSubmitStep(deps.procedures.get(row.procedureCode));
    const inputs = { rhk: rhkInputsOf(draft) };
    const command: CaseCommand = row.status === 'returned' ? { kind: 'resubmit', inputs } : { kind: 'complete', stepNo: step.no, inputs };
    // act runs inside this transaction (as a savepoint), so the draft goes only if the transition happened.
    const result = await act({ ...deps, db: tx as unknown as Db }, { caseId: row.id, actorId: input.actorId, command, now: input.now });
    await tx.delete(caseDrafts).where(eq(caseDrafts.caseId, row.id));
    return result;
  });
}

/**
 * The atasan's RHK for the year, to pick the one an RHK intervenes. null when the employee has no atasan or
 * the atasan's SKP holds no RHK yet (cascading: the atasan's SKP should come first).
 */
export async function atasanRhkOptions(
  deps: Pick<EngineDeps, 'db' | 'procedures'>,
  employee: Pick<EmployeeProfile, 'atasanId'>,
  year: string,
): Promise<AtasanRhkOption[] | null> {
  if (!employee.atasanId) return null;
  const row = await findSkpCaseOf(deps.db, deps.procedures, employee.atasanId, year);
  if (!row) return null;
  const list = rhkOfCaseData(row.data);
  return list.length > 0 ? list.map((r) => ({ id: r.id, text: r.text })) : null;
}

export interface ReturnInfo {
  reason: string;
  byName: string | null;
  at: Date;
  revision: number;
}

/** The approver's reason of the latest return of a case. */
export async function latestReturn(db: DbOrTx, caseId: string): Promise<ReturnInfo | null> {
  const [row] = await db
    .select({ reason: caseEvents.comment, at: caseEvents.at, revision: caseEvents.revision, byName: employees.nama })
    .from(caseEvents)
    .leftJoin(employees, eq(employees.id, caseEvents.actorId))
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, 'return')))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row ? { reason: row.reason ?? '', byName: row.byName, at: row.at, revision: row.revision } : null;
}

// ---------------------------------------------------------------------------------------------------------
// Where a case stands (/status, and /skp or /realisasi once the ASN's step is done)

export interface CaseOverview {
  caseId: string;
  procedureCode: string;
  procedureTitle: string;
  periodKind: PeriodKind | null;
  period: string;
  status: CaseRow['status'];
  stepNo: number;
  stepUraian: string | null;
  holderName: string | null;
  /** The subject holds the step (their submit step, or a return awaiting their fix). */
  heldBySubject: boolean;
  since: Date;
  slaDueAt: Date | null;
  revision: number;
  late: boolean;
  predikat: string | null;
  completedAt: Date | null;
  returned: ReturnInfo | null;
}

export async function caseOverviewsOf(
  deps: { db: DbOrTx; procedures: ProcedureRegistry },
  filter: { subjectId: string; caseId?: string },
): Promise<CaseOverview[]> {
  const rows = await deps.db
    .select({ c: cases, holderName: employees.nama })
    .from(cases)
    .leftJoin(employees, eq(employees.id, cases.assigneeId))
    .where(and(eq(cases.subjectId, filter.subjectId), filter.caseId ? eq(cases.id, filter.caseId) : undefined))
    .orderBy(desc(cases.createdAt));
  const out: CaseOverview[] = [];
  for (const { c, holderName } of rows) {
    let procedure: Procedure | null = null;
    try {
      procedure = deps.procedures.get(c.procedureCode);
    } catch {
      procedure = null; // a template no longer deployed: still show the case
    }
    const step = procedure?.steps.find((s) => s.no === c.stepNo) ?? null;
    out.push({
      caseId: c.id,
      procedureCode: c.procedureCode,
      procedureTitle: procedure?.title ?? c.procedureCode,
      periodKind: procedure?.periodKind ?? null,
      period: c.period,
      status: c.status,
      stepNo: c.stepNo,
      stepUraian: step?.uraian ?? null,
      holderName,
      heldBySubject: c.assigneeId === c.subjectId,
      since: c.stepEnteredAt,
      slaDueAt: c.slaDueAt,
      revision: c.revision,
      late: c.late,
      predikat: c.predikat,
      completedAt: c.completedAt,
      returned: c.status === 'returned' ? await latestReturn(deps.db, c.id) : null,
    });
  }
  return out;
}

export async function caseOverview(deps: { db: DbOrTx; procedures: ProcedureRegistry }, row: CaseRow): Promise<CaseOverview> {
  const [overview] = await caseOverviewsOf(deps, { subjectId: row.subjectId, caseId: row.id });
  return overview!;
}
