// Who acts in a procedure and how: step actors and actions, which actions may send work back, escalation
// targets, period kinds and procedure purposes.

export const STEP_ACTORS = ['subject', 'atasan', 'atasan_atasan', 'pengelola', 'kepala_unit', 'bkpp'] as const;
export type StepActor = (typeof STEP_ACTORS)[number];

export const STEP_ACTIONS = [
  'submit',
  'verify',
  'establish',
  'rate',
  'sign',
  'acknowledge',
  'collect',
  'receive',
  'print',
  'archive',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

/** Actions whose actor judges or handles someone else's work and may therefore send it back. */
export const RETURNABLE_ACTIONS: readonly StepAction[] = ['verify', 'establish', 'rate', 'collect', 'receive'];

/**
 * Steps one role holder takes for many cases at once (the pengelola gathering its perangkat daerah's SKP, BKPP
 * receiving the region's): they are announced as one summary per holder and done together with /kumpulkan, not
 * with a request message per case.
 */
export const BATCH_ACTIONS: readonly StepAction[] = ['collect', 'receive'];

export const ESCALATION_TARGETS = ['assignee', 'atasan_of_assignee', 'pengelola', 'bkpp'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

export const PERIOD_KINDS = ['annual', 'monthly', 'one_off'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PROCEDURE_PURPOSES = [
  'skp_annual',
  'monthly_assessment',
  'performance_measurement',
  'award',
  'annual_evaluation',
  'keberatan',
] as const;
export type ProcedurePurpose = (typeof PROCEDURE_PURPOSES)[number];
