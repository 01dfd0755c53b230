// What a transition writes besides the case row. Effects go to the outbox in the same transaction; a dispatcher
// carries them out after commit. Every transition is logged as an event, and a step sent to a Plh says so.
import type { Tx } from '../../db/client.js';
import { runPrepared, slot } from '../../db/prepared.js';
import { caseEvents, outbox } from '../../db/schema/index.js';
import type { Effect, TransitionEvent } from '../../domain/case.js';
import type { Procedure } from '../../domain/procedure.js';
import { slaDeadline } from '../../domain/sla.js';
import type { CaseRow, EngineDeps } from './contract.js';

/**
 * The SLA deadline a transition starts (working time from `now`), known before anything is written. The employee's
 * own submission (an SKP drafted, a month reported) runs to its period's Batas Pengisian while that is later: a
 * realisation begun on 28 December is due on 5 January, not the next working day.
 */
export function slaDueOf(deps: EngineDeps, effects: readonly Effect[], now: Date, at: { proc: Procedure; period: string }): Date | null {
  let dueAt: Date | null = null;
  for (const effect of effects) {
    if (effect.kind !== 'start_sla') continue;
    dueAt = slaDeadline(deps.calendar, now, effect.slaMinutes);
    const step = at.proc.steps.find((s) => s.no === effect.stepNo);
    const periodDue = step?.actor === 'subject' && step.action === 'submit' ? deps.procedures.submitDeadline(deps.calendar, at.proc, at.period) : null;
    if (periodDue && periodDue.getTime() > dueAt.getTime()) dueAt = periodDue;
  }
  return dueAt;
}

export type CaseAfter = Pick<CaseRow, 'id' | 'subjectId' | 'assigneeId' | 'version' | 'stepNo' | 'revision'>;

/** The outbox rows of a transition's effects; `row` is the case as the transition leaves it. */
export function outboxRows(
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
        // The version the transition leaves the case at: every timer of the step was started before it.
        values.push({ caseId: row.id, kind: 'cancel_sla', payload: { stepNo: effect.stepNo, revision: effect.revision, version: row.version } });
        break;
      case 'case_completed':
        values.push({ caseId: row.id, kind: 'case_completed', payload: { version: row.version } });
        break;
    }
  }
  return values;
}

export async function insertEvent(tx: Tx, caseId: string, event: TransitionEvent, data?: Record<string, unknown>) {
  await runPrepared(
    tx,
    'insertEvent',
    (db) =>
      db.insert(caseEvents).values({
        caseId: slot('caseId'),
        at: slot('at'),
        actorId: slot('actorId'),
        action: slot('action'),
        fromStepNo: slot('fromStepNo'),
        toStepNo: slot('toStepNo'),
        revision: slot('revision'),
        comment: slot('comment'),
        onBehalf: slot('onBehalf'),
        data: slot('data'),
      }),
    {
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
    },
  );
}

/** A transition's outbox rows in one statement (one statement per number of rows). */
export async function insertOutboxRows(tx: Tx, rows: ReadonlyArray<Pick<typeof outbox.$inferInsert, 'caseId' | 'kind' | 'payload'>>) {
  const values: Record<string, unknown> = {};
  rows.forEach((r, i) => Object.assign(values, { [`caseId${i}`]: r.caseId ?? null, [`kind${i}`]: r.kind, [`payload${i}`]: r.payload }));
  await runPrepared(
    tx,
    `insertOutboxRows:${rows.length}`,
    (db) => db.insert(outbox).values(rows.map((_, i) => ({ caseId: slot(`caseId${i}`), kind: slot(`kind${i}`), payload: slot(`payload${i}`) }))),
    values,
  );
}

export const DELEGATED_COMMENT = 'Dialihkan kepada Plh karena pemegang tugas sedang cuti/berhalangan';

/** A step that went to a substitute (Plh) is logged, naming who is on leave. */
export async function logDelegation(tx: Tx, row: CaseRow, delegatedFrom: string, now: Date): Promise<void> {
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
