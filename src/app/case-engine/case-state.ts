// The domain's view of a case row: the step it stands at and its state for a transition.
import type { CaseState } from '../../domain/case.js';
import { DomainError } from '../../domain/errors.js';
import type { Procedure, Step } from '../../domain/procedure.js';
import type { CaseRow } from './contract.js';

export function stepOf(proc: Procedure, stepNo: number): Step {
  const step = proc.steps.find((s) => s.no === stepNo);
  if (!step) throw new DomainError('UNKNOWN_STEP', `Procedure ${proc.code} has no step ${stepNo}`);
  return step;
}

export function toState(row: CaseRow): CaseState {
  return {
    procedureCode: row.procedureCode,
    status: row.status,
    stepNo: row.stepNo,
    revision: row.revision,
    version: row.version,
    stepEnteredAt: row.stepEnteredAt,
  };
}
