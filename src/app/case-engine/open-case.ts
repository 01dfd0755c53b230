// Opening a case: once per subject, procedure and period, at its first step's holder.
import { and, eq } from 'drizzle-orm';
import { caseSteps, cases } from '../../db/schema/index.js';
import { startCase } from '../../domain/case.js';
import { holdsStepRole, resolveAssigneeDetailed, type Resolution } from './assignees.js';
import { stepOf } from './case-state.js';
import type { CaseRow, EngineDeps } from './contract.js';
import { insertEvent, insertOutboxRows, logDelegation, outboxRows, slaDueOf } from './effects-and-events.js';

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
  /** The first step is due no earlier than this (the end of a keberatan's 14-day window), even when its SLA is shorter. */
  dueNotBefore?: Date;
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
    const due = slaDueOf(deps, started.effects, input.now, { proc, period: input.period });
    const slaDue = due && input.dueNotBefore && input.dueNotBefore > due ? input.dueNotBefore : due;
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
      effects.length > 0 ? insertOutboxRows(tx, effects) : null,
    ]);
    return { case: row, created: true };
  });
}
