// After a roster change or a delegation: every open case's assignee re-resolved in one statement per role.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import { caseEvents, outbox } from '../../db/schema/index.js';
import type { Procedure, StepActor } from '../../domain/procedure.js';
import { resolverSql, withDelegation } from './assignees.js';
import { DELEGATED_COMMENT } from './effects-and-events.js';

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
      /** A system event on a case's current step: who held it before and who holds it now. */
      const stepEvent = (r: (typeof rows)[number], action: 'reassign' | 'delegated', comment: string, from: string | null) => ({
        caseId: r.id,
        at: now,
        actorId: null,
        action,
        fromStepNo: r.step_no,
        toStepNo: r.step_no,
        revision: r.revision,
        comment,
        data: { from, to: r.new_assignee },
      });
      await tx
        .insert(caseEvents)
        .values(rows.map((r) => stepEvent(r, 'reassign', options.comment ?? 'Pemegang peran berubah karena pembaruan data pegawai', r.old_assignee)));
      // A step that went to a Plh says so, as when a transition sends it there: the Plh holds it only while the
      // delegation is in force (see the access policy).
      const toPlh = rows.filter((r) => r.new_assignee && r.holder && r.holder !== r.new_assignee);
      if (toPlh.length > 0) {
        await tx.insert(caseEvents).values(toPlh.map((r) => stepEvent(r, 'delegated', DELEGATED_COMMENT, r.holder)));
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
