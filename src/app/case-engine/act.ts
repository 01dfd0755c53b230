// Acting on a case: one command applied in one transaction (row lock + version compare-and-set + domain call +
// event + outbox), and the check, changing nothing, that someone may act before they are asked for more.
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { runPrepared, slot } from '../../db/prepared.js';
import { caseSteps, cases } from '../../db/schema/index.js';
import { stepAfter, transition } from '../../domain/case.js';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { predikatOf, type Rating } from '../../domain/predikat.js';
import { closeOpenCaseMessages } from '../case-messages.js';
import { applyKeberatanDecision } from '../keberatan-decision.js';
import { alreadyProcessed } from './already-processed.js';
import { holdsStepRole, isBkppAdmin, resolveAssigneeDetailed, resolveAssigneeOfCase, type Resolution } from './assignees.js';
import { stepOf, toState } from './case-state.js';
import type { ActInput, ActResult, CaseRow, EngineDeps } from './contract.js';
import type { DbOrTx } from '../../db/client.js';
import type { StepActor } from '../../domain/procedure.js';
import { insertEvent, insertOutboxRows, logDelegation, outboxRows, slaDueOf, type CaseAfter } from './effects-and-events.js';
import { findCaseRow, lockCaseRow } from '../repositories/cases.js';

/** Applies one command to a case. Exactly one of many concurrent attempts on the same version wins. */
export async function act(deps: EngineDeps, input: ActInput): Promise<ActResult> {
  try {
    return await deps.db.transaction(async (tx) => {
      const locked = lockCaseRow(tx, input.caseId);
      const early = earlyResolution(deps, tx, input);
      const row = await locked;
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
      const resolution = !enteredStep
        ? { assigneeId: null, delegatedFrom: null }
        : early && input.procedureHint === row.procedureCode && early.actor === enteredStep.actor
          ? await early.resolution
          : await resolveAssigneeDetailed(tx, enteredStep.actor, row.subjectId, deps.calendar.localDate(input.now));
      const nextAssignee = resolution.assigneeId;
      const inputs =
        input.command.kind === 'complete' || input.command.kind === 'resubmit' ? input.command.inputs : undefined;
      const stepChanged = next.stepNo !== row.stepNo || next.revision !== row.revision || next.status !== row.status;
      const submitted = step.actor === 'subject' && step.action === 'submit' && input.command.kind !== 'return' && input.command.kind !== 'cancel';
      const rating = step.action === 'rate' && inputs ? (inputs.rating as { hasilKerja?: Rating; perilaku?: Rating } | undefined) : undefined;

      const completed = next.status === 'completed' || next.status === 'cancelled';
      const finalAssignee = completed ? null : nextAssignee;
      const dueAt = slaDueOf(deps, result.effects, input.now, { proc, period: row.period });
      const after: CaseAfter = { id: row.id, subjectId: row.subjectId, assigneeId: finalAssignee, version: next.version, stepNo: next.stepNo, revision: next.revision };
      const effects = outboxRows(result.effects, { row: after, previousAssigneeId: row.assigneeId, dueAt, now: input.now });
      // The writes of a transition do not depend on one another's results: issued together, they reach the
      // server in one write and cost one round trip. The case row is held FOR UPDATE, so its version check
      // cannot fail here; if it did, the error rolls every write back.
      const predikat = rating?.hasilKerja && rating.perilaku ? predikatOf(rating.hasilKerja, rating.perilaku) : null;
      const [updated, closedMessages] = await Promise.all([
        // One statement per shape: the data merged or left, the submission stamped or not, a predikat set or not.
        runPrepared(
          tx,
          `act.updateCase:${inputs ? 'data' : ''}:${submitted ? 'submitted' : ''}:${predikat ? 'predikat' : ''}`,
          (db) =>
            db
              .update(cases)
              .set({
                status: slot('status'),
                stepNo: slot('stepNo'),
                revision: slot('revision'),
                version: slot('version'),
                assigneeId: slot('assigneeId'),
                stepEnteredAt: slot('stepEnteredAt'),
                slaDueAt: slot('slaDueAt'),
                overdueAt: slot('overdueAt'),
                data: inputs ? sql`${cases.data} || ${sql.placeholder('inputs')}::jsonb` : cases.data,
                updatedAt: slot('now'),
                completedAt: slot('completedAt'),
                ...(submitted ? { submittedAt: slot('now'), late: slot('late') } : {}),
                ...(predikat ? { predikat: slot('predikat') } : {}),
              })
              .where(and(eq(cases.id, sql.placeholder('id')), eq(cases.version, sql.placeholder('expectedVersion'))))
              .returning(),
          {
            id: row.id,
            expectedVersion: row.version,
            status: next.status,
            stepNo: next.stepNo,
            revision: next.revision,
            version: next.version,
            assigneeId: finalAssignee,
            stepEnteredAt: next.stepEnteredAt,
            slaDueAt: dueAt,
            overdueAt: stepChanged ? null : row.overdueAt,
            ...(inputs ? { inputs: JSON.stringify(inputs) } : {}),
            now: input.now,
            completedAt: completed ? input.now : null,
            ...(submitted ? { late: input.late ?? row.late } : {}),
            ...(predikat ? { predikat } : {}),
          },
        ),
        input.closeMessages ? closeOpenCaseMessages(tx, row.id, input.now) : [],
        // Step timing: close the visit that was open, open the one entered. The entered step is never the one
        // left, so excluding it keeps the close from touching the new visit whatever order the two run in.
        runPrepared(
          tx,
          `act.closeStep:${enteredStep ? 'entered' : ''}`,
          (db) =>
            db
              .update(caseSteps)
              .set({ completedAt: slot('now'), outcome: slot('outcome'), actorId: slot('actorId'), inputs: slot('inputs') })
              .where(
                and(
                  eq(caseSteps.caseId, sql.placeholder('caseId')),
                  isNull(caseSteps.completedAt),
                  enteredStep ? ne(caseSteps.stepNo, sql.placeholder('enteredStepNo')) : undefined,
                ),
              ),
          {
            caseId: row.id,
            now: input.now,
            outcome: input.command.kind === 'return' ? 'returned' : input.command.kind === 'cancel' ? 'cancelled' : 'completed',
            actorId: input.actorId,
            inputs: inputs ?? (input.command.kind === 'return' ? { reason: input.command.reason } : null),
            ...(enteredStep ? { enteredStepNo: next.stepNo } : {}),
          },
        ),
        enteredStep
          ? runPrepared(
              tx,
              'act.enterStep',
              (db) =>
                db.insert(caseSteps).values({
                  caseId: slot('caseId'),
                  stepNo: slot('stepNo'),
                  revision: slot('revision'),
                  assigneeId: slot('assigneeId'),
                  enteredAt: slot('now'),
                }),
              { caseId: row.id, stepNo: next.stepNo, revision: next.revision, assigneeId: nextAssignee, now: input.now },
            )
          : null,
        insertEvent(tx, row.id, result.event),
        resolution.delegatedFrom ? logDelegation(tx, { ...row, ...after }, resolution.delegatedFrom, input.now) : null,
        effects.length > 0 ? insertOutboxRows(tx, effects) : null,
      ]);
      if (updated.length === 0) await alreadyProcessed(tx, row.id);
      // A decided keberatan replaces the result it objected to, in the same transaction.
      if (proc.purpose === 'keberatan' && next.status === 'completed' && rating?.hasilKerja && rating.perilaku) {
        await applyKeberatanDecision(tx, { keberatan: updated[0]!, rating: { hasilKerja: rating.hasilKerja, perilaku: rating.perilaku }, actorId: input.actorId, now: input.now });
      }
      return { case: updated[0]!, event: result.event, effects: result.effects, procedure: proc, closedMessages };
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
 * Who holds the step a completion enters, asked right behind the row lock when the caller named the procedure: the
 * domain's step after the one completed. Used only if the locked row confirms the procedure and the
 * transition enters a step of that actor; otherwise it is asked again after the lock. (Its answer comes from the
 * same roster either way: the case lock does not cover the roster.)
 */
function earlyResolution(deps: EngineDeps, tx: DbOrTx, input: ActInput): { actor: StepActor; resolution: Promise<Resolution> } | null {
  if (!input.procedureHint || input.command.kind !== 'complete') return null;
  const proc = deps.procedures.get(input.procedureHint);
  const { stepNo } = input.command;
  const completed = proc.steps.find((s) => s.no === stepNo);
  const next = completed && stepAfter(proc, completed);
  if (!next) return null;
  const resolution = resolveAssigneeOfCase(tx, next.actor, input.caseId, deps.calendar.localDate(input.now));
  // Not awaited when the transition goes elsewhere; a failure then shows in the transaction's next statement.
  resolution.catch(() => undefined);
  return { actor: next.actor, resolution };
}

/**
 * Checks, without changing anything, that `actorId` may act on the case at `version` now (used before asking
 * for a return reason or walking through a rating, so nobody types a reason for a step that is not theirs).
 */
export async function assertCanAct(deps: EngineDeps, caseId: string, actorId: string, version: number): Promise<CaseRow> {
  const row = await findCaseRow(deps.db, caseId);
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
