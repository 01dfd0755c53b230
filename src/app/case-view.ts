// Read model of one case: everything an approver needs to decide without opening anything else.
import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { findEmployeeById, type EmployeeProfile } from './repositories/employees.js';
import { runPrepared } from '../db/prepared.js';
import { caseEvents, cases, employees } from '../db/schema/index.js';
import type { Procedure, Step } from '../domain/procedure.js';
import type { ProcedureRegistry } from './procedures.js';
import { loadYearSummary, type YearSummary } from './annual-evaluation.js';
import type { CaseRow } from './repositories/cases.js';
import { SLA_ACTIONS } from './sla-fire.js';

/** Events that note something about a step without moving the case. */
const NOTE_ACTIONS = [...SLA_ACTIONS, 'manual_reminder'];

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

/** The case row with what the view needs besides it that depends on nothing else. */
interface CaseViewRow {
  row: CaseRow;
  assigneeName: string | null;
  /** Evidence files per purpose (an RHK id, or the SKP's own). */
  evidence: Array<{ purpose: string; n: number }> | string | null;
  lastReturnReason: string | null;
}

/**
 * The case row and its extras in the row's own statement (one round trip, not four). The subqueries name the outer table in their
 * text: drizzle leaves a one-table select's columns unqualified, which inside them would mean their own tables'.
 */
const loadCaseViewRow = (db: DbOrTx, caseId: string) =>
  runPrepared(
    db,
    'loadCaseViewRow',
    (db) =>
      db
        .select({
          row: cases,
          assigneeName: sql<string | null>`(select a.nama from employees a where a.id = cases.assignee_id)`,
          evidence: sql<CaseViewRow['evidence']>`(select json_agg(json_build_object('purpose', e.purpose, 'n', e.n))
            from (select f.purpose, count(*)::int as n from evidence_files f where f.case_id = cases.id group by f.purpose) e)`,
          lastReturnReason: sql<string | null>`(select r.comment from case_events r where r.case_id = cases.id and r.action = 'return'
            order by r.id desc limit 1)`,
        })
        .from(cases)
        .where(eq(cases.id, sql.placeholder('id'))),
    { id: caseId },
  ).then(([head]): CaseViewRow | null => head ?? null);

export async function loadCaseView(db: DbOrTx, procedures: ProcedureRegistry, caseId: string): Promise<CaseView | null> {
  const head = await loadCaseViewRow(db, caseId);
  if (!head) return null;
  const { row } = head;
  const procedure = procedures.get(row.procedureCode);
  // Everything else depends only on the case row: asked at once.
  const [subject, year] = await Promise.all([
    findEmployeeById(db, row.subjectId),
    procedure.purpose === 'annual_evaluation' && /^\d{4}$/.test(row.period)
      ? loadYearSummary(db, procedures, row.subjectId, Number(row.period))
      : Promise.resolve(null),
  ]);
  if (!subject) return null;
  const data = row.data as { rhk?: RhkView[]; realisasi?: Array<{ rhkId: string; rhkText?: unknown; realisasi: string; bukti?: unknown[] }> };
  // postgres.js parses json; PGlite may hand it over as text.
  const evidence = (typeof head.evidence === 'string' ? (JSON.parse(head.evidence) as Array<{ purpose: string; n: number }>) : head.evidence) ?? [];
  const byPurpose = new Map(evidence.map((e) => [e.purpose, e.n]));
  return {
    row,
    procedure,
    step: stepOf(procedure, row.stepNo),
    subject,
    assigneeName: head.assigneeName,
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
    lastReturnReason: head.lastReturnReason,
    year,
  };
}

/** Who last moved the case (null actor: the system), when, and from which step; reminders noted on a step do not count. */
export async function lastCaseEvent(
  db: DbOrTx,
  caseId: string,
): Promise<{ actorId: string | null; nama: string | null; at: Date; fromStepNo: number | null } | null> {
  const [row] = await db
    .select({ actorId: caseEvents.actorId, nama: employees.nama, at: caseEvents.at, fromStepNo: caseEvents.fromStepNo })
    .from(caseEvents)
    .leftJoin(employees, eq(employees.id, caseEvents.actorId))
    // A note on the step (an SLA reminder, a manual reminder) is not what moved the case: logged between a return and
    // its notice, it would make the notice say the system returned it, on the reminder's date.
    .where(and(eq(caseEvents.caseId, caseId), notInArray(caseEvents.action, NOTE_ACTIONS)))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row ?? null;
}
