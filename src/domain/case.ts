// The case state machine: which transition of a procedure case is legal, and the state, event and effects it yields.
//
// Pure: every function takes `now` and data and returns new objects; inputs are never mutated. Persisting the
// state (compare-and-set on `version`), resolving who the assignee of a step is, and carrying out effects
// (outbox, SLA timers) belong to the use cases in src/app.
import { DomainError } from './errors.js';
import {
  RETURNABLE_ACTIONS, type Procedure,
  type Step,
  type StepAction
} from './procedure.js';
import { validateInputs } from './case-inputs.js';

export type CaseStatus = 'active' | 'returned' | 'completed' | 'cancelled';

export interface CaseState {
  procedureCode: string;
  status: CaseStatus;
  /** The current step; for a completed case the last step, for a returned case the step awaiting resubmission. */
  stepNo: number;
  /** 1 for the first pass; each resubmission after a return starts the next revision. */
  revision: number;
  /** Bumped by every transition: the compare-and-set guard against double taps and stale jobs. */
  version: number;
  stepEnteredAt: Date;
}

export type CaseCommand =
  /** `stepNo` is the step the actor believes is current (guards against stale buttons). */
  | { kind: 'complete'; stepNo: number; inputs: Record<string, unknown>; comment?: string }
  | { kind: 'return'; stepNo: number; reason: string; toStepNo?: number }
  /** By the assignee of the return target (normally the subject) while the case is 'returned'. */
  | { kind: 'resubmit'; inputs: Record<string, unknown> }
  | { kind: 'cancel'; reason: string };

export interface Actor {
  employeeId: string;
  isBkppAdmin: boolean;
}

export interface TransitionContext {
  now: Date;
  actor: Actor;
  /** Whom the app resolved as the assignee of the current step (null when nobody could be resolved). */
  assigneeId: string | null;
  subjectId: string;
  /** Required when a BKPP admin acts on a step assigned to someone else. */
  onBehalfReason?: string;
}

/**
 * `to` is resolved by the app after the transition: 'assignee' = the assignee of the case's step in the new
 * state, 'previous_assignee' = the assignee of the step the command acted on. Templates are keys, not text.
 */
export type Effect =
  | { kind: 'notify'; to: 'subject' | 'assignee' | 'previous_assignee'; template: string; data?: Record<string, unknown> }
  | { kind: 'start_sla'; stepNo: number; revision: number; slaMinutes: number }
  | { kind: 'cancel_sla'; stepNo: number; revision: number }
  | { kind: 'case_completed' };

export interface TransitionEvent {
  action: 'start' | 'complete' | 'return' | 'resubmit' | 'cancel';
  fromStepNo: number;
  toStepNo: number | null;
  /** The revision the state is in after the event. */
  revision: number;
  /** The completing actor's comment, or the reason of a return or cancellation. */
  comment?: string;
  actorId: string;
  onBehalf: boolean;
  onBehalfReason?: string;
  at: Date;
}

export interface TransitionResult {
  state: CaseState;
  event: TransitionEvent;
  effects: Effect[];
  /** The step the case is now waiting on; absent when the case completed or was cancelled. */
  enteredStep?: Step;
  /** The step the command acted on (completed, returned from, resubmitted, or current when cancelled). */
  completedStep: Step;
}

/** Notification template keys; the bot maps them to Indonesian text. */
export const NOTIFY_TEMPLATES = {
  stepAssigned: 'step_assigned',
  caseReturned: 'case_returned',
  caseResubmitted: 'case_resubmitted',
  caseCompleted: 'case_completed',
  caseCancelled: 'case_cancelled',
  actedOnBehalf: 'acted_on_behalf',
} as const;

/** A return must say why in at least this many characters (the subject has to know what to fix). */
export const MIN_RETURN_REASON_LENGTH = 10;

/** A return's reason tells what to fix: at least MIN_RETURN_REASON_LENGTH characters, and words ("..........", no). */
export function isReturnReasonEnough(reason: string): boolean {
  const trimmed = reason.trim();
  return trimmed.length >= MIN_RETURN_REASON_LENGTH && /\p{L}/u.test(trimmed);
}

/** Actions where the actor judges the subject's work: nobody may do them on their own case, not even an admin. */
const JUDGING_ACTIONS: readonly StepAction[] = ['verify', 'establish', 'rate', 'sign'];

// Inputs for the fixed kelengkapan kinds: see case-inputs.ts.
export * from './case-inputs.js';

// ---------------------------------------------------------------------------------------------------------
// Steps

export function findStep(proc: Procedure, stepNo: number): Step | undefined {
  return proc.steps.find((step) => step.no === stepNo);
}

export function currentStep(proc: Procedure, state: CaseState): Step {
  if (state.procedureCode !== proc.code) {
    throw new DomainError('PROCEDURE_MISMATCH', `Case runs "${state.procedureCode}", not "${proc.code}"`, {
      caseProcedure: state.procedureCode,
      procedure: proc.code,
    });
  }
  const step = findStep(proc, state.stepNo);
  if (!step) {
    throw new DomainError('UNKNOWN_STEP', `Procedure "${proc.code}" has no step ${state.stepNo}`, {
      procedure: proc.code,
      stepNo: state.stepNo,
    });
  }
  return step;
}

/** The step a completion of `step` enters (none: the case completes). */
export function stepAfter(proc: Procedure, step: Step): Step | undefined {
  return proc.steps[proc.steps.indexOf(step) + 1];
}

function startSla(step: Step, revision: number): Effect[] {
  return step.sla.minutes > 0 ? [{ kind: 'start_sla', stepNo: step.no, revision, slaMinutes: step.sla.minutes }] : [];
}

function cancelSla(step: Step, revision: number): Effect {
  return { kind: 'cancel_sla', stepNo: step.no, revision };
}

/** Whoever acts on a subject step must be told as 'subject'; anyone else is the state's 'assignee'. */
function recipientFor(step: Step): 'subject' | 'assignee' {
  return step.actor === 'subject' ? 'subject' : 'assignee';
}

// ---------------------------------------------------------------------------------------------------------
// Guards

function assertOpen(state: CaseState, allowReturned: boolean): void {
  if (state.status === 'completed' || state.status === 'cancelled') {
    throw new DomainError('CASE_CLOSED', `Case is ${state.status}`, { status: state.status });
  }
  if (state.status === 'returned' && !allowReturned) {
    throw new DomainError('CASE_RETURNED', `Case awaits resubmission of step ${state.stepNo}`, {
      stepNo: state.stepNo,
    });
  }
}

function assertCurrentStep(state: CaseState, stepNo: number): void {
  if (stepNo === state.stepNo) return;
  if (stepNo < state.stepNo) {
    throw new DomainError('STEP_ALREADY_DONE', `Step ${stepNo} is done; the case is at step ${state.stepNo}`, {
      stepNo,
      currentStepNo: state.stepNo,
    });
  }
  throw new DomainError('STEP_MISMATCH', `Step ${stepNo} is not current; the case is at step ${state.stepNo}`, {
    stepNo,
    currentStepNo: state.stepNo,
  });
}

interface Authorization {
  onBehalf: boolean;
  onBehalfReason?: string;
}

/**
 * Who may act on a step: the subject on subject steps, the resolved assignee on the others, any BKPP admin on
 * BKPP steps (they belong to the BKPP team, not to one person). A BKPP admin may act for anyone else only
 * with a reason, and never judge their own case.
 */
function authorize(step: Step, ctx: TransitionContext): Authorization {
  const { actor } = ctx;
  if (step.actor !== 'subject' && JUDGING_ACTIONS.includes(step.action) && actor.employeeId === ctx.subjectId) {
    throw new DomainError('SELF_APPROVAL', `Step ${step.no} (${step.action}) cannot be done on one's own case`, {
      stepNo: step.no,
    });
  }
  if (step.actor === 'bkpp' && actor.isBkppAdmin) return { onBehalf: false };
  const expected = step.actor === 'subject' ? ctx.subjectId : ctx.assigneeId;
  if (expected !== null && actor.employeeId === expected) return { onBehalf: false };
  if (!actor.isBkppAdmin) {
    throw new DomainError('NOT_ASSIGNEE', `Step ${step.no} is for the ${step.actor}`, {
      stepNo: step.no,
      stepActor: step.actor,
    });
  }
  const reason = ctx.onBehalfReason?.trim();
  if (!reason) {
    throw new DomainError('REASON_REQUIRED', 'Acting on behalf of the assignee needs a reason', { stepNo: step.no });
  }
  return { onBehalf: true, onBehalfReason: reason };
}

function eventBase(
  ctx: TransitionContext,
  auth: Authorization,
): Pick<TransitionEvent, 'actorId' | 'onBehalf' | 'onBehalfReason' | 'at'> {
  return {
    actorId: ctx.actor.employeeId,
    onBehalf: auth.onBehalf,
    ...(auth.onBehalfReason !== undefined ? { onBehalfReason: auth.onBehalfReason } : {}),
    at: new Date(ctx.now.getTime()),
  };
}

function onBehalfNotice(auth: Authorization, step: Step): Effect[] {
  return auth.onBehalf
    ? [
        {
          kind: 'notify',
          to: 'previous_assignee',
          template: NOTIFY_TEMPLATES.actedOnBehalf,
          data: { stepNo: step.no, reason: auth.onBehalfReason },
        },
      ]
    : [];
}

// ---------------------------------------------------------------------------------------------------------
// Transitions

/** Opens a case on the procedure's first step. `actorId` defaults to the subject (who usually starts it). */
export function startCase(
  proc: Procedure,
  { now, subjectId, actorId }: { now: Date; subjectId: string; actorId?: string },
): { state: CaseState; event: TransitionEvent; effects: Effect[] } {
  const first = proc.steps[0];
  if (!first) throw new DomainError('UNKNOWN_STEP', `Procedure "${proc.code}" has no steps`, { procedure: proc.code });
  const revision = 1;
  const state: CaseState = {
    procedureCode: proc.code,
    status: 'active',
    stepNo: first.no,
    revision,
    version: 1,
    stepEnteredAt: new Date(now.getTime()),
  };
  const event: TransitionEvent = {
    action: 'start',
    fromStepNo: first.no,
    toStepNo: first.no,
    revision,
    actorId: actorId ?? subjectId,
    onBehalf: false,
    at: new Date(now.getTime()),
  };
  const effects: Effect[] = [
    ...startSla(first, revision),
    { kind: 'notify', to: recipientFor(first), template: NOTIFY_TEMPLATES.stepAssigned, data: { stepNo: first.no } },
  ];
  return { state, event, effects };
}

/**
 * Applies a command to a case. Checks, in order: the case is open, the button is not stale, the actor may act,
 * then the command's own rules. Throws DomainError with a stable code on refusal.
 */
export function transition(
  proc: Procedure,
  state: CaseState,
  command: CaseCommand,
  ctx: TransitionContext,
): TransitionResult {
  const step = currentStep(proc, state);
  switch (command.kind) {
    case 'complete':
      return complete(proc, state, step, command, ctx);
    case 'return':
      return returnCase(proc, state, step, command, ctx);
    case 'resubmit':
      return resubmit(proc, state, step, command, ctx);
    case 'cancel':
      return cancel(state, step, command, ctx);
  }
}

function complete(
  proc: Procedure,
  state: CaseState,
  step: Step,
  command: Extract<CaseCommand, { kind: 'complete' }>,
  ctx: TransitionContext,
): TransitionResult {
  assertOpen(state, false);
  assertCurrentStep(state, command.stepNo);
  const auth = authorize(step, ctx);
  validateInputs(step, command.inputs);
  const comment = command.comment?.trim();
  return advance(proc, state, step, ctx, auth, {
    action: 'complete',
    revision: state.revision,
    ...(comment ? { comment } : {}),
  });
}

function resubmit(
  proc: Procedure,
  state: CaseState,
  step: Step,
  command: Extract<CaseCommand, { kind: 'resubmit' }>,
  ctx: TransitionContext,
): TransitionResult {
  assertOpen(state, true);
  if (state.status !== 'returned') {
    throw new DomainError('NOT_RETURNED', 'Only a returned case can be resubmitted', { status: state.status });
  }
  const auth = authorize(step, ctx);
  validateInputs(step, command.inputs);
  return advance(proc, state, step, ctx, auth, { action: 'resubmit', revision: state.revision + 1 });
}

/** Completes `step` and moves to the next one, or completes the case after the last step. */
function advance(
  proc: Procedure,
  state: CaseState,
  step: Step,
  ctx: TransitionContext,
  auth: Authorization,
  how: { action: 'complete' | 'resubmit'; revision: number; comment?: string },
): TransitionResult {
  const next = stepAfter(proc, step);
  const base = eventBase(ctx, auth);
  const event: TransitionEvent = {
    action: how.action,
    fromStepNo: step.no,
    toStepNo: next ? next.no : null,
    revision: how.revision,
    ...(how.comment !== undefined ? { comment: how.comment } : {}),
    ...base,
  };
  const left = cancelSla(step, state.revision);
  if (!next) {
    return {
      state: {
        ...state,
        status: 'completed',
        revision: how.revision,
        version: state.version + 1,
        stepEnteredAt: new Date(state.stepEnteredAt.getTime()),
      },
      event,
      effects: [
        left,
        ...onBehalfNotice(auth, step),
        { kind: 'notify', to: 'subject', template: NOTIFY_TEMPLATES.caseCompleted, data: { stepNo: step.no } },
        { kind: 'case_completed' },
      ],
      completedStep: step,
    };
  }
  const template = how.action === 'resubmit' ? NOTIFY_TEMPLATES.caseResubmitted : NOTIFY_TEMPLATES.stepAssigned;
  return {
    state: {
      ...state,
      status: 'active',
      stepNo: next.no,
      revision: how.revision,
      version: state.version + 1,
      stepEnteredAt: new Date(ctx.now.getTime()),
    },
    event,
    effects: [
      left,
      ...startSla(next, how.revision),
      ...onBehalfNotice(auth, step),
      {
        kind: 'notify',
        to: recipientFor(next),
        template,
        data: { stepNo: next.no, fromStepNo: step.no, revision: how.revision },
      },
    ],
    enteredStep: next,
    completedStep: step,
  };
}

function returnCase(
  proc: Procedure,
  state: CaseState,
  step: Step,
  command: Extract<CaseCommand, { kind: 'return' }>,
  ctx: TransitionContext,
): TransitionResult {
  assertOpen(state, false);
  assertCurrentStep(state, command.stepNo);
  const auth = authorize(step, ctx);
  if (!RETURNABLE_ACTIONS.includes(step.action)) {
    throw new DomainError('RETURN_NOT_ALLOWED', `A ${step.action} step cannot be returned`, {
      stepNo: step.no,
      action: step.action,
    });
  }
  const reason = command.reason.trim();
  if (!isReturnReasonEnough(reason)) {
    throw new DomainError(
      'REASON_TOO_SHORT',
      `A return needs a reason of at least ${MIN_RETURN_REASON_LENGTH} characters`,
      { minLength: MIN_RETURN_REASON_LENGTH },
    );
  }
  const targetNo = command.toStepNo ?? step.returnTo;
  const target = targetNo === undefined ? undefined : findStep(proc, targetNo);
  if (!target || target.no >= step.no || target.action !== 'submit') {
    throw new DomainError('INVALID_RETURN_TARGET', `Step ${step.no} cannot return to step ${String(targetNo)}`, {
      stepNo: step.no,
      toStepNo: targetNo ?? null,
    });
  }
  return {
    state: {
      ...state,
      status: 'returned',
      stepNo: target.no,
      version: state.version + 1,
      stepEnteredAt: new Date(ctx.now.getTime()),
    },
    event: {
      action: 'return',
      fromStepNo: step.no,
      toStepNo: target.no,
      revision: state.revision,
      comment: reason,
      ...eventBase(ctx, auth),
    },
    effects: [
      cancelSla(step, state.revision),
      // The resubmission gets its own timer so reminders and escalation keep working while the fix is pending.
      ...startSla(target, state.revision),
      ...onBehalfNotice(auth, step),
      {
        kind: 'notify',
        to: recipientFor(target),
        template: NOTIFY_TEMPLATES.caseReturned,
        data: { reason, fromStepNo: step.no, toStepNo: target.no, revision: state.revision },
      },
    ],
    enteredStep: target,
    completedStep: step,
  };
}

function cancel(
  state: CaseState,
  step: Step,
  command: Extract<CaseCommand, { kind: 'cancel' }>,
  ctx: TransitionContext,
): TransitionResult {
  assertOpen(state, true);
  if (!ctx.actor.isBkppAdmin) {
    throw new DomainError('ADMIN_ONLY', 'Only a BKPP admin can cancel a case');
  }
  const reason = command.reason.trim();
  if (!reason) throw new DomainError('REASON_REQUIRED', 'Cancelling a case needs a reason');
  const data = { reason, stepNo: step.no };
  const effects: Effect[] = [
    cancelSla(step, state.revision),
    { kind: 'notify', to: 'subject', template: NOTIFY_TEMPLATES.caseCancelled, data },
  ];
  if (step.actor !== 'subject') {
    // Whoever was expected to act next must stop waiting on it too.
    effects.push({ kind: 'notify', to: 'assignee', template: NOTIFY_TEMPLATES.caseCancelled, data: { ...data } });
  }
  return {
    state: {
      ...state,
      status: 'cancelled',
      version: state.version + 1,
      stepEnteredAt: new Date(state.stepEnteredAt.getTime()),
    },
    event: {
      action: 'cancel',
      fromStepNo: step.no,
      toStepNo: null,
      revision: state.revision,
      comment: reason,
      actorId: ctx.actor.employeeId,
      onBehalf: false,
      at: new Date(ctx.now.getTime()),
    },
    effects,
    completedStep: step,
  };
}
