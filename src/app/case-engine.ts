// Use cases of the procedure engine: open a case, act on it (complete/return/resubmit/cancel), re-resolve assignees.
// Each transition is one transaction: row lock + version compare-and-set + domain call + event + outbox.
import { and, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { caseEvents, caseSteps, cases, employees, outbox } from '../db/schema/index.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import {
  startCase,
  transition,
  type CaseCommand,
  type CaseState,
  type Effect,
  type TransitionEvent,
} from '../domain/case.js';
import { DomainError, isDomainError } from '../domain/errors.js';
import { predikatOf, type Rating } from '../domain/predikat.js';
import type { Procedure, Step, StepActor } from '../domain/procedure.js';
import { slaDeadline } from '../domain/sla.js';
import { applyKeberatanDecision } from './keberatan-decision.js';
import type { ProcedureRegistry } from './procedures.js';

export interface EngineDeps {
  db: Db;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
}

export type CaseRow = typeof cases.$inferSelect;

export interface ActInput {
  caseId: string;
  command: CaseCommand;
  actorId: string;
  /** The version the actor saw (from the button); a different current version means someone acted first. */
  expectedVersion?: number;
  onBehalfReason?: string;
  now: Date;
  /** A monthly realisation submitted after its deadline is accepted and marked late. */
  late?: boolean;
}

export interface ActResult {
  case: CaseRow;
  event: TransitionEvent;
  effects: Effect[];
  procedure: Procedure;
}

// ---------------------------------------------------------------------------------------------------------
// Who holds a step: roles resolved relative to the subject and the roster, in SQL so one query can also
// re-resolve every open case after a roster import.

/** SQL yielding the employee id that holds `actor` for the subject in column `subjectCol` (null if nobody). */
function resolverSql(actor: StepActor, subjectCol: SQL) {
  switch (actor) {
    case 'subject':
      return sql`${subjectCol}`;
    case 'atasan':
      return sql`(select a.id from employees s join employees a on a.id = s.atasan_id where s.id = ${subjectCol} and a.active)`;
    case 'atasan_atasan':
      return sql`(select aa.id from employees s join employees a on a.id = s.atasan_id join employees aa on aa.id = a.atasan_id
                  where s.id = ${subjectCol} and aa.active)`;
    case 'pengelola':
      return sql`(select e.id from employees s join units su on su.id = s.unit_id
                  join employee_roles r on r.role = 'pengelola' and r.unit_id = su.perangkat_daerah_id
                  join employees e on e.id = r.employee_id
                  where s.id = ${subjectCol} and e.active order by e.nip limit 1)`;
    case 'kepala_unit':
      // The head of the perangkat daerah: the active employee of that PD whose atasan is outside it (or absent),
      // preferring JPT and the shallowest unit.
      return sql`(select e.id from employees s join units su on su.id = s.unit_id
                  join units eu on eu.perangkat_daerah_id = su.perangkat_daerah_id
                  join employees e on e.unit_id = eu.id
                  left join employees ea on ea.id = e.atasan_id left join units eau on eau.id = ea.unit_id
                  where s.id = ${subjectCol} and e.active
                    and (e.atasan_id is null or eau.perangkat_daerah_id is distinct from su.perangkat_daerah_id)
                  order by (e.jenis_jabatan = 'jpt') desc, eu.depth, e.nip limit 1)`;
    case 'bkpp':
      return sql`(select e.id from employee_roles r join employees e on e.id = r.employee_id
                  where r.role = 'bkpp_admin' and e.active order by e.nip limit 1)`;
  }
}

/** Wraps a resolved holder with an active delegation (Plh) on the agency-local date: the substitute acts instead. */
function withDelegation(holder: SQL, localDate: string): SQL {
  return sql`(select coalesce(d.substitute_id, r.id) from (select ${holder} as id) r
    left join lateral (select dl.substitute_id from delegations dl join employees se on se.id = dl.substitute_id and se.active
      where dl.employee_id = r.id and dl.cancelled_at is null and ${localDate}::date between dl.from_date and dl.to_date
      order by dl.created_at desc limit 1) d on true)`;
}

export interface Resolution {
  assigneeId: string | null;
  /** The role holder on leave when a substitute (Plh) was chosen instead. */
  delegatedFrom: string | null;
}

export async function resolveAssigneeDetailed(db: DbOrTx, actor: StepActor, subjectId: string, localDate?: string): Promise<Resolution> {
  const holder = resolverSql(actor, sql`${subjectId}::uuid`);
  const rows = rowsOf<{ holder: string | null; assignee: string | null }>(
    await db.execute(
      sql`select ${holder} as holder, ${localDate ? withDelegation(holder, localDate) : holder} as assignee`,
    ),
  );
  const row = rows[0];
  const assigneeId = row?.assignee ?? null;
  return { assigneeId, delegatedFrom: row && row.holder !== assigneeId ? row.holder : null };
}

export async function resolveAssignee(db: DbOrTx, actor: StepActor, subjectId: string, localDate?: string): Promise<string | null> {
  return (await resolveAssigneeDetailed(db, actor, subjectId, localDate)).assigneeId;
}

/** Any holder of a shared role (pengelola of the subject's PD, BKPP admin) may act on that role's step. */
async function holdsStepRole(db: DbOrTx, actor: StepActor, actorId: string, subjectId: string): Promise<boolean> {
  if (actor === 'pengelola') {
    const rows = rowsOf<{ ok: boolean }>(
      await db.execute(sql`select exists (select 1 from employees s join units su on su.id = s.unit_id
        join employee_roles r on r.role = 'pengelola' and r.unit_id = su.perangkat_daerah_id
        where s.id = ${subjectId} and r.employee_id = ${actorId}) as ok`),
    );
    return rows[0]?.ok === true;
  }
  if (actor === 'bkpp') {
    const rows = rowsOf<{ ok: boolean }>(
      await db.execute(sql`select exists (select 1 from employee_roles where role = 'bkpp_admin' and employee_id = ${actorId}) as ok`),
    );
    return rows[0]?.ok === true;
  }
  return false;
}

async function isBkppAdmin(db: DbOrTx, employeeId: string): Promise<boolean> {
  return holdsStepRole(db, 'bkpp', employeeId, employeeId);
}

function stepOf(proc: Procedure, stepNo: number): Step {
  const step = proc.steps.find((s) => s.no === stepNo);
  if (!step) throw new DomainError('UNKNOWN_STEP', `Procedure ${proc.code} has no step ${stepNo}`);
  return step;
}

function toState(row: CaseRow): CaseState {
  return {
    procedureCode: row.procedureCode,
    status: row.status,
    stepNo: row.stepNo,
    revision: row.revision,
    version: row.version,
    stepEnteredAt: row.stepEnteredAt,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Effects go to the outbox in the same transaction; a dispatcher carries them out after commit.

/** The SLA deadline a transition starts (working time from `now`), known before anything is written. */
function slaDueOf(deps: EngineDeps, effects: readonly Effect[], now: Date): Date | null {
  let dueAt: Date | null = null;
  for (const effect of effects) if (effect.kind === 'start_sla') dueAt = slaDeadline(deps.calendar, now, effect.slaMinutes);
  return dueAt;
}

type CaseAfter = Pick<CaseRow, 'id' | 'subjectId' | 'assigneeId' | 'version' | 'stepNo' | 'revision'>;

/** The outbox rows of a transition's effects; `row` is the case as the transition leaves it. */
function outboxRows(
  effects: readonly Effect[],
  input: { row: CaseAfter; previousAssigneeId: string | null; dueAt: Date | null; now: Date },
): Array<typeof outbox.$inferInsert> {
  const { row, dueAt, now } = input;
  const values: Array<typeof outbox.$inferInsert> = [];
  for (const effect of effects) {
    switch (effect.kind) {
      case 'notify': {
        const to =
          effect.to === 'subject' ? row.subjectId : effect.to === 'assignee' ? row.assigneeId : input.previousAssigneeId;
        values.push({
          caseId: row.id,
          kind: 'notify',
          payload: { to, template: effect.template, data: effect.data ?? {}, version: row.version, stepNo: row.stepNo, revision: row.revision },
        });
        break;
      }
      case 'start_sla':
        values.push({
          caseId: row.id,
          kind: 'start_sla',
          payload: { stepNo: effect.stepNo, revision: effect.revision, version: row.version, slaMinutes: effect.slaMinutes, dueAt: dueAt!.toISOString(), enteredAt: now.toISOString() },
        });
        break;
      case 'cancel_sla':
        values.push({ caseId: row.id, kind: 'cancel_sla', payload: { stepNo: effect.stepNo, revision: effect.revision } });
        break;
      case 'case_completed':
        values.push({ caseId: row.id, kind: 'case_completed', payload: { version: row.version } });
        break;
    }
  }
  return values;
}

async function insertEvent(tx: Tx, caseId: string, event: TransitionEvent, data?: Record<string, unknown>) {
  await tx.insert(caseEvents).values({
    caseId,
    at: event.at,
    actorId: event.actorId,
    action: event.action,
    fromStepNo: event.fromStepNo,
    toStepNo: event.toStepNo,
    revision: event.revision,
    comment: event.comment ?? null,
    onBehalf: event.onBehalf,
    data: { ...(event.onBehalfReason ? { onBehalfReason: event.onBehalfReason } : {}), ...data },
  });
}

const DELEGATED_COMMENT = 'Dialihkan kepada Plh karena pemegang tugas sedang cuti/berhalangan';

/** A step that went to a substitute (Plh) is logged, naming who is on leave. */
async function logDelegation(tx: Tx, row: CaseRow, delegatedFrom: string, now: Date): Promise<void> {
  await tx.insert(caseEvents).values({
    caseId: row.id,
    at: now,
    actorId: null,
    action: 'delegated',
    fromStepNo: row.stepNo,
    toStepNo: row.stepNo,
    revision: row.revision,
    comment: DELEGATED_COMMENT,
    data: { from: delegatedFrom, to: row.assigneeId },
  });
}

// ---------------------------------------------------------------------------------------------------------

export interface OpenCaseInput {
  procedureCode: string;
  subjectId: string;
  period: string;
  actorId?: string;
  now: Date;
  /** Data the case starts with (a keberatan: which result it objects to). */
  data?: Record<string, unknown>;
  /** The first step is due no later than this (a deadline set by the deployment), even when its SLA is longer. */
  dueBy?: Date;
}

/** Opens the case of a subject for a period, or returns the existing one (idempotent). */
export async function openCase(deps: EngineDeps, input: OpenCaseInput): Promise<{ case: CaseRow; created: boolean }> {
  const proc = deps.procedures.get(input.procedureCode);
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.procedureCode, proc.code), eq(cases.subjectId, input.subjectId), eq(cases.period, input.period)));
    if (existing) return { case: existing, created: false };
    const started = startCase(proc, { now: input.now, subjectId: input.subjectId, actorId: input.actorId });
    const first = stepOf(proc, started.state.stepNo);
    // Whoever opens a case at a step of a shared role they hold (a pengelola proposing a nominee) holds that step
    // themselves, rather than the role's first holder.
    const opener = input.actorId && (first.actor === 'pengelola' || first.actor === 'bkpp') ? input.actorId : null;
    const resolution: Resolution =
      opener && (await holdsStepRole(tx, first.actor, opener, input.subjectId))
        ? { assigneeId: opener, delegatedFrom: null }
        : await resolveAssigneeDetailed(tx, first.actor, input.subjectId, deps.calendar.localDate(input.now));
    const assigneeId = resolution.assigneeId;
    const slaDue = slaDueOf(deps, started.effects, input.now);
    const dueAt = slaDue && input.dueBy && input.dueBy < slaDue ? input.dueBy : slaDue;
    const inserted = await tx
      .insert(cases)
      .values({
        procedureCode: proc.code,
        subjectId: input.subjectId,
        period: input.period,
        status: started.state.status,
        stepNo: started.state.stepNo,
        revision: started.state.revision,
        version: started.state.version,
        assigneeId,
        stepEnteredAt: started.state.stepEnteredAt,
        slaDueAt: dueAt,
        ...(input.data ? { data: input.data } : {}),
      })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) {
      // Someone opened it concurrently: theirs stands.
      const [row] = await tx
        .select()
        .from(cases)
        .where(and(eq(cases.procedureCode, proc.code), eq(cases.subjectId, input.subjectId), eq(cases.period, input.period)));
      return { case: row!, created: false };
    }
    const row = inserted[0]!;
    // Independent writes, issued together: one round trip in the transaction.
    const effects = outboxRows(started.effects, { row, previousAssigneeId: null, dueAt, now: input.now });
    await Promise.all([
      tx.insert(caseSteps).values({ caseId: row.id, stepNo: row.stepNo, revision: row.revision, assigneeId, enteredAt: input.now }),
      insertEvent(tx, row.id, started.event),
      resolution.delegatedFrom ? logDelegation(tx, row, resolution.delegatedFrom, input.now) : null,
      effects.length > 0 ? tx.insert(outbox).values(effects) : null,
    ]);
    return { case: row, created: true };
  });
}

/** The last transition of a case, to tell a late actor who acted first and when. */
export async function lastTransition(db: DbOrTx, caseId: string): Promise<{ actorName: string | null; at: Date; action: string } | null> {
  const [row] = await db
    .select({ at: caseEvents.at, action: caseEvents.action, actorName: employees.nama })
    .from(caseEvents)
    .leftJoin(employees, eq(employees.id, caseEvents.actorId))
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, ['start', 'complete', 'return', 'resubmit', 'cancel'])))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row ?? null;
}

async function alreadyProcessed(tx: DbOrTx, caseId: string): Promise<never> {
  const last = await lastTransition(tx, caseId);
  throw new DomainError('ALREADY_PROCESSED', 'This step was already processed', {
    by: last?.actorName ?? null,
    at: last?.at?.toISOString() ?? null,
    action: last?.action ?? null,
  });
}

/** Applies one command to a case. Exactly one of many concurrent attempts on the same version wins. */
export async function act(deps: EngineDeps, input: ActInput): Promise<ActResult> {
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = await tx.select().from(cases).where(eq(cases.id, input.caseId)).for('update');
      if (!row) throw new DomainError('CASE_NOT_FOUND');
      if (input.expectedVersion !== undefined && row.version !== input.expectedVersion) await alreadyProcessed(tx, row.id);
      const proc = deps.procedures.get(row.procedureCode);
      const step = stepOf(proc, row.stepNo);

      // Shared-role steps (pengelola, BKPP) may be taken by any holder of the role.
      let assigneeId = row.assigneeId;
      if (assigneeId !== input.actorId && (await holdsStepRole(tx, step.actor, input.actorId, row.subjectId))) {
        assigneeId = input.actorId;
      }
      // Admin rights matter only for BKPP steps, cancelling, or acting for someone else: skip the query otherwise.
      const expectedActor = step.actor === 'subject' ? row.subjectId : assigneeId;
      const adminMatters = step.actor === 'bkpp' || input.command.kind === 'cancel' || input.actorId !== expectedActor;
      const result = transition(proc, toState(row), input.command, {
        now: input.now,
        actor: { employeeId: input.actorId, isBkppAdmin: adminMatters && (await isBkppAdmin(tx, input.actorId)) },
        assigneeId,
        subjectId: row.subjectId,
        ...(input.onBehalfReason ? { onBehalfReason: input.onBehalfReason } : {}),
      });
      const next = result.state;
      const enteredStep = result.enteredStep;
      const resolution = enteredStep
        ? await resolveAssigneeDetailed(tx, enteredStep.actor, row.subjectId, deps.calendar.localDate(input.now))
        : { assigneeId: null, delegatedFrom: null };
      const nextAssignee = resolution.assigneeId;
      const inputs =
        input.command.kind === 'complete' || input.command.kind === 'resubmit' ? input.command.inputs : undefined;
      const stepChanged = next.stepNo !== row.stepNo || next.revision !== row.revision || next.status !== row.status;
      const submitted = step.actor === 'subject' && step.action === 'submit' && input.command.kind !== 'return' && input.command.kind !== 'cancel';
      const rating = step.action === 'rate' && inputs ? (inputs.rating as { hasilKerja?: Rating; perilaku?: Rating } | undefined) : undefined;

      const finalAssignee = next.status === 'completed' || next.status === 'cancelled' ? null : nextAssignee;
      const dueAt = slaDueOf(deps, result.effects, input.now);
      const after: CaseAfter = { id: row.id, subjectId: row.subjectId, assigneeId: finalAssignee, version: next.version, stepNo: next.stepNo, revision: next.revision };
      const effects = outboxRows(result.effects, { row: after, previousAssigneeId: row.assigneeId, dueAt, now: input.now });
      // The writes of a transition do not depend on one another's results: issued together, they reach the
      // server in one write and cost one round trip. The case row is held FOR UPDATE, so its version check
      // cannot fail here; if it did, the error rolls every write back.
      const [updated] = await Promise.all([
        tx
        .update(cases)
        .set({
          status: next.status,
          stepNo: next.stepNo,
          revision: next.revision,
          version: next.version,
          assigneeId: finalAssignee,
          stepEnteredAt: next.stepEnteredAt,
          slaDueAt: dueAt,
          overdueAt: stepChanged ? null : row.overdueAt,
          data: inputs ? sql`${cases.data} || ${JSON.stringify(inputs)}::jsonb` : cases.data,
          updatedAt: input.now,
          completedAt: next.status === 'completed' || next.status === 'cancelled' ? input.now : null,
          ...(submitted ? { submittedAt: input.now, late: input.late ?? row.late } : {}),
          ...(rating?.hasilKerja && rating.perilaku ? { predikat: predikatOf(rating.hasilKerja, rating.perilaku) } : {}),
        })
        .where(and(eq(cases.id, row.id), eq(cases.version, row.version)))
        .returning(),
        // Step timing: close the visit that was open, open the one entered. The entered step is never the one
        // left, so excluding it keeps the close from touching the new visit whatever order the two run in.
        tx
          .update(caseSteps)
          .set({
            completedAt: input.now,
            outcome: input.command.kind === 'return' ? 'returned' : input.command.kind === 'cancel' ? 'cancelled' : 'completed',
            actorId: input.actorId,
            inputs: inputs ?? (input.command.kind === 'return' ? { reason: input.command.reason } : null),
          })
          .where(and(eq(caseSteps.caseId, row.id), isNull(caseSteps.completedAt), enteredStep ? ne(caseSteps.stepNo, next.stepNo) : undefined)),
        enteredStep
          ? tx.insert(caseSteps).values({ caseId: row.id, stepNo: next.stepNo, revision: next.revision, assigneeId: nextAssignee, enteredAt: input.now })
          : null,
        insertEvent(tx, row.id, result.event),
        resolution.delegatedFrom ? logDelegation(tx, { ...row, ...after }, resolution.delegatedFrom, input.now) : null,
        effects.length > 0 ? tx.insert(outbox).values(effects) : null,
      ]);
      if (updated.length === 0) await alreadyProcessed(tx, row.id);
      // A decided keberatan replaces the result it objected to, in the same transaction.
      if (proc.purpose === 'keberatan' && next.status === 'completed' && rating?.hasilKerja && rating.perilaku) {
        await applyKeberatanDecision(tx, { keberatan: updated[0]!, rating: { hasilKerja: rating.hasilKerja, perilaku: rating.perilaku }, actorId: input.actorId, now: input.now });
      }
      return { case: updated[0]!, event: result.event, effects: result.effects, procedure: proc };
    });
  } catch (error) {
    // A stale button reports who acted first, not a bare "wrong step".
    if (isDomainError(error) && (error.code === 'STEP_ALREADY_DONE' || error.code === 'CASE_CLOSED')) {
      await alreadyProcessed(deps.db, input.caseId);
    }
    throw error;
  }
}

/**
 * After a roster change, the person holding a role may be someone else: re-resolve the assignee of every open
 * case in one statement, log each change and notify the new assignee.
 */
export async function refreshAssignees(
  tx: Tx,
  procedures: readonly Procedure[],
  now: Date,
  localDate: string = now.toISOString().slice(0, 10),
  options: { /** Only open cases `c` matching this condition. */ only?: SQL; /** The reassign event's comment. */ comment?: string } = {},
): Promise<number> {
  const pairs = procedures.flatMap((p) => p.steps.map((s) => ({ code: p.code, no: s.no, actor: s.actor })));
  if (pairs.length === 0) return 0;
  const byActor = new Map<StepActor, Array<{ code: string; no: number }>>();
  for (const p of pairs) byActor.set(p.actor, [...(byActor.get(p.actor) ?? []), p]);
  let changed = 0;
  for (const [actor, steps] of byActor) {
    const stepList = sql.join(steps.map((s) => sql`(${s.code}, ${s.no}::int)`), sql`, `);
    const rows = rowsOf<{
      id: string;
      old_assignee: string | null;
      new_assignee: string | null;
      holder: string | null;
      step_no: number;
      revision: number;
      version: number;
    }>(
      await tx.execute(sql`
        with open_cases as (
          select c.id, c.assignee_id, c.subject_id, c.step_no, c.revision, c.version from cases c
          where c.status in ('active', 'returned') and (c.procedure_code, c.step_no) in (${stepList})
            and ${options.only ?? sql`true`}
          for update
        ), resolved as (
          select o.*, ${resolverSql(actor, sql.raw('o.subject_id'))} as holder,
            ${withDelegation(resolverSql(actor, sql.raw('o.subject_id')), localDate)} as new_assignee from open_cases o
        )
        update cases c set assignee_id = r.new_assignee, updated_at = ${now.toISOString()}::timestamptz
        from resolved r
        where c.id = r.id and r.new_assignee is distinct from r.assignee_id
        returning c.id, r.assignee_id as old_assignee, r.new_assignee, r.holder, c.step_no, c.revision, c.version`),
    );
    if (rows.length > 0) {
      // Set-based: one statement each for the events, the open step visits and the notifications.
      await tx.insert(caseEvents).values(
        rows.map((r) => ({
          caseId: r.id,
          at: now,
          actorId: null,
          action: 'reassign',
          fromStepNo: r.step_no,
          toStepNo: r.step_no,
          revision: r.revision,
          comment: options.comment ?? 'Pemegang peran berubah karena pembaruan data pegawai',
          data: { from: r.old_assignee, to: r.new_assignee },
        })),
      );
      // A step that went to a Plh says so, as when a transition sends it there: the Plh holds it only while the
      // delegation is in force (see the access policy).
      const toPlh = rows.filter((r) => r.new_assignee && r.holder && r.holder !== r.new_assignee);
      if (toPlh.length > 0) {
        await tx.insert(caseEvents).values(
          toPlh.map((r) => ({
            caseId: r.id,
            at: now,
            actorId: null,
            action: 'delegated',
            fromStepNo: r.step_no,
            toStepNo: r.step_no,
            revision: r.revision,
            comment: DELEGATED_COMMENT,
            data: { from: r.holder, to: r.new_assignee },
          })),
        );
      }
      const moved = JSON.stringify(rows.map((r) => ({ case_id: r.id, assignee_id: r.new_assignee })));
      await tx.execute(sql`update case_steps s set assignee_id = v.assignee_id
        from jsonb_to_recordset(${moved}::jsonb) as v(case_id uuid, assignee_id uuid)
        where s.case_id = v.case_id and s.completed_at is null`);
      const notices = rows.filter((r) => r.new_assignee);
      if (notices.length > 0) {
        await tx.insert(outbox).values(
          notices.map((r) => ({
            caseId: r.id,
            kind: 'notify',
            payload: { to: r.new_assignee, template: 'step_assigned', data: { stepNo: r.step_no, reassigned: true }, version: r.version, stepNo: r.step_no, revision: r.revision },
          })),
        );
      }
    }
    changed += rows.length;
  }
  return changed;
}

/**
 * Checks, without changing anything, that `actorId` may act on the case at `version` now (used before asking
 * for a return reason or walking through a rating, so nobody types a reason for a step that is not theirs).
 */
export async function assertCanAct(deps: EngineDeps, caseId: string, actorId: string, version: number): Promise<CaseRow> {
  const [row] = await deps.db.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new DomainError('CASE_NOT_FOUND');
  if (row.version !== version || (row.status !== 'active' && row.status !== 'returned')) await alreadyProcessed(deps.db, caseId);
  const step = stepOf(deps.procedures.get(row.procedureCode), row.stepNo);
  if (row.assigneeId === actorId || (await holdsStepRole(deps.db, step.actor, actorId, row.subjectId))) {
    if (actorId === row.subjectId && step.actor !== 'subject' && ['verify', 'establish', 'rate', 'sign'].includes(step.action)) {
      throw new DomainError('SELF_APPROVAL');
    }
    return row;
  }
  throw new DomainError('NOT_ASSIGNEE');
}
