// An approver's queue: what waits for their decision (/tugas) and what a pengelola can forward in one go
// (/kumpulkan).
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db/client.js';
import { cases, employees } from '../db/schema/index.js';
import type { CaseRow } from './case-view.js';
import type { ProcedureRegistry } from './procedures.js';

/**
 * What waits for this person's decision, oldest first. Their own draft (an SKP or realisation they are still filling
 * in) is not a task: /skp, /realisasi and /status show it.
 */
export async function openTasksOf(
  db: DbOrTx,
  procedures: ProcedureRegistry,
  employeeId: string,
  options: { decisionsOnly?: boolean } = {},
): Promise<CaseRow[]> {
  const rows = await db
    .select()
    .from(cases)
    .where(and(eq(cases.assigneeId, employeeId), inArray(cases.status, ['active', 'returned'])))
    .orderBy(asc(cases.stepEnteredAt))
    .limit(200);
  return rows.filter((row) => {
    const step = procedures.get(row.procedureCode).steps.find((s) => s.no === row.stepNo);
    // Input steps (a nomination being filled in) are tasks, but not requests waiting for a decision.
    if (options.decisionsOnly && step?.action === 'submit') return false;
    if (row.subjectId !== employeeId) return true;
    return !(step?.actor === 'subject' && step.action === 'submit');
  });
}

/** Where a case stands: enough to tell a stale button and the step it acts on. */
export interface CaseHead {
  stepNo: number;
  procedureCode: string;
  version: number;
  status: CaseRow['status'];
}

/** Where a case stands, read lightly (the hot path of a button tap). */
export async function caseHead(db: DbOrTx, caseId: string): Promise<CaseHead | undefined> {
  const [row] = await db
    .select({ stepNo: cases.stepNo, procedureCode: cases.procedureCode, version: cases.version, status: cases.status })
    .from(cases)
    .where(eq(cases.id, caseId));
  return row;
}

/** (procedure, step) pairs of every step with one of `actions`, as SQL for `(c.procedure_code, c.step_no) in (…)`. */
function stepsWith(procedures: ProcedureRegistry, actions: readonly string[]) {
  const steps = procedures.all().flatMap((p) => p.steps.filter((s) => actions.includes(s.action)).map((s) => ({ code: p.code, no: s.no })));
  return steps.length === 0 ? null : sql.join(steps.map((s) => sql`(${s.code}, ${s.no}::int)`), sql`, `);
}

/** A step done in bulk: for a perangkat daerah by its pengelola (collect), or for BKPP by its admins (receive). */
export type BulkAction = 'collect' | 'receive';

/**
 * `employeeId` may do `action` for the case whose subject is `e`: any pengelola of the subject's perangkat daerah
 * gathers it, any BKPP admin receives it (the step is the office's, whoever its request went to).
 */
function mayDoInBulk(action: BulkAction, employeeId: string | SQL) {
  return action === 'collect'
    ? sql`exists (select 1 from units u join employee_roles r on r.role = 'pengelola' and r.unit_id = u.perangkat_daerah_id
                  where u.id = e.unit_id and r.employee_id = ${employeeId})`
    : sql`exists (select 1 from employee_roles r where r.employee_id = ${employeeId} and r.role = 'bkpp_admin')`;
}

/**
 * The cases /kumpulkan lists (at most 90, a keyboard's worth, oldest first): for a pengelola, the SKP of their
 * perangkat daerah waiting to be gathered and forwarded (collect); for a BKPP admin, those forwarded to BKPP (receive).
 */
export async function collectableCases(
  db: DbOrTx,
  procedures: ProcedureRegistry,
  employeeId: string,
  action: BulkAction = 'collect',
): Promise<Array<{ id: string; version: number; nama: string; nip: string; period: string }>> {
  const steps = stepsWith(procedures, [action]);
  if (!steps) return [];
  const mine = mayDoInBulk(action, employeeId);
  return rowsOf(
    await db.execute(sql`
      select c.id, c.version, e.nama, e.nip, c.period from cases c
      join employees e on e.id = c.subject_id
      where c.status = 'active' and (c.procedure_code, c.step_no) in (${steps}) and ${mine}
      order by c.step_entered_at limit 90`),
  );
}

/**
 * What `employeeId` may do in bulk now (what /kumpulkan lists them), per procedure and step, for their summary:
 * whoever the requests went to.
 */
export async function batchStepsWaiting(
  db: DbOrTx,
  procedures: ProcedureRegistry,
  employeeId: string,
): Promise<Array<{ procedureCode: string; stepNo: number; count: number; latestEnteredAt: Date }>> {
  const parts = (['collect', 'receive'] as const).flatMap((action) => {
    const steps = stepsWith(procedures, [action]);
    return steps ? [sql`((c.procedure_code, c.step_no) in (${steps}) and ${mayDoInBulk(action, employeeId)})`] : [];
  });
  if (parts.length === 0) return [];
  const rows = rowsOf<{ procedure_code: string; step_no: number; count: number; latest: Date | string }>(
    await db.execute(sql`
      select c.procedure_code, c.step_no, count(*)::int as count, max(c.step_entered_at) as latest from cases c
      join employees e on e.id = c.subject_id
      where c.status = 'active' and (${sql.join(parts, sql` or `)})
      group by c.procedure_code, c.step_no order by c.procedure_code, c.step_no`),
  );
  return rows.map((r) => ({ procedureCode: r.procedure_code, stepNo: Number(r.step_no), count: Number(r.count), latestEnteredAt: new Date(r.latest) }));
}

/** Who may do in bulk the step a case's subject waits at, reachable in Telegram, by NIP: those its summary goes to. */
export async function bulkPoolOf(db: DbOrTx, action: BulkAction, subjectId: string): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select p.id from employees e, employees p
      where e.id = ${subjectId}::uuid and p.active and p.telegram_chat_id is not null and p.unreachable_at is null
        and ${mayDoInBulk(action, sql`p.id`)}
      order by p.nip`),
  );
  return rows.map((r) => r.id);
}

/** The subject's name per case id. */
export async function subjectNamesOfCases(db: DbOrTx, caseIds: readonly string[]): Promise<Map<string, string>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .select({ id: cases.id, nama: employees.nama })
    .from(cases)
    .innerJoin(employees, eq(employees.id, cases.subjectId))
    .where(inArray(cases.id, [...caseIds]));
  return new Map(rows.map((r) => [r.id, r.nama]));
}
