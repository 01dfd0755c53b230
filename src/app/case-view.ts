// Read model of one case: everything an approver needs to decide without opening anything else.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { findEmployeeById, type EmployeeProfile } from './repositories/employees.js';
import { caseEvents, employees, evidenceFiles } from '../db/schema/index.js';
import type { Procedure, Step } from '../domain/procedure.js';
import type { ProcedureRegistry } from './procedures.js';
import { loadYearSummary, type YearSummary } from './annual-evaluation.js';
import { findCaseRow, type CaseRow } from './repositories/cases.js';

export type { CaseRow };

export interface RhkView {
  id?: string;
  jenis?: string;
  text: string;
  rhkAtasan?: string;
  indikator?: Array<{ aspek?: string; indikator?: string; target?: string }>;
  source?: string;
}

export interface RealisasiView {
  rhkId: string;
  /** The RHK as written in the SKP when the realisation was submitted (what the atasan rates). */
  rhkText: string | null;
  realisasi: string;
  buktiCount: number;
}

export interface CaseView {
  row: CaseRow;
  procedure: Procedure;
  step: Step;
  subject: EmployeeProfile;
  assigneeName: string | null;
  rhk: RhkView[];
  realisasi: RealisasiView[];
  evidenceCount: number;
  lastReturnReason: string | null;
  /** For an annual evaluation: the year's periods, their predikat and the RHK with their realisation. */
  year: YearSummary | null;
}

export function stepOf(procedure: Procedure, stepNo: number): Step {
  const step = procedure.steps.find((s) => s.no === stepNo);
  if (!step) throw new Error(`procedure ${procedure.code} has no step ${stepNo}`);
  return step;
}

export async function loadCaseView(db: DbOrTx, procedures: ProcedureRegistry, caseId: string): Promise<CaseView | null> {
  const row = await findCaseRow(db, caseId);
  if (!row) return null;
  const procedure = procedures.get(row.procedureCode);
  // Everything else depends only on the case row: asked at once.
  const [subject, [assignee], evidence, [lastReturn], year] = await Promise.all([
    findEmployeeById(db, row.subjectId),
    row.assigneeId ? db.select({ nama: employees.nama }).from(employees).where(eq(employees.id, row.assigneeId)) : Promise.resolve([]),
    db
      .select({ purpose: evidenceFiles.purpose, n: sql<number>`count(*)::int` })
      .from(evidenceFiles)
      .where(eq(evidenceFiles.caseId, row.id))
      .groupBy(evidenceFiles.purpose),
    db
      .select({ comment: caseEvents.comment })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, row.id), eq(caseEvents.action, 'return')))
      .orderBy(desc(caseEvents.id))
      .limit(1),
    procedure.purpose === 'annual_evaluation' && /^\d{4}$/.test(row.period)
      ? loadYearSummary(db, procedures, row.subjectId, Number(row.period))
      : Promise.resolve(null),
  ]);
  if (!subject) return null;
  const data = row.data as { rhk?: RhkView[]; realisasi?: Array<{ rhkId: string; rhkText?: unknown; realisasi: string; bukti?: unknown[] }> };
  const byPurpose = new Map(evidence.map((e) => [e.purpose, e.n]));
  return {
    row,
    procedure,
    step: stepOf(procedure, row.stepNo),
    subject,
    assigneeName: assignee?.nama ?? null,
    rhk: Array.isArray(data.rhk) ? data.rhk : [],
    realisasi: Array.isArray(data.realisasi)
      ? data.realisasi.map((r) => ({
          rhkId: r.rhkId,
          rhkText: typeof r.rhkText === 'string' && r.rhkText.trim() !== '' ? r.rhkText : null,
          realisasi: r.realisasi,
          buktiCount: Math.max(byPurpose.get(r.rhkId) ?? 0, Array.isArray(r.bukti) ? r.bukti.length : 0),
        }))
      : [],
    evidenceCount: evidence.reduce((sum, e) => sum + e.n, 0),
    lastReturnReason: lastReturn?.comment ?? null,
    year,
  };
}

/** Who acted last on the case (null actor: the system), when, and from which step. */
export async function lastCaseEvent(
  db: DbOrTx,
  caseId: string,
): Promise<{ actorId: string | null; nama: string | null; at: Date; fromStepNo: number | null } | null> {
  const [row] = await db
    .select({ actorId: caseEvents.actorId, nama: employees.nama, at: caseEvents.at, fromStepNo: caseEvents.fromStepNo })
    .from(caseEvents)
    .leftJoin(employees, eq(employees.id, caseEvents.actorId))
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row ?? null;
}
