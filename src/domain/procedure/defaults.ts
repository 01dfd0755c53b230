// What a template may leave out: the default escalation cadence, the default SLA and the default return target.
import type { EscalationRule, Step } from './shape.js';
import { WORKING_DAY_MINUTES } from './waktu.js';

/**
 * Default escalation cadence, as percentages of the step's SLA: a heads-up, then a reminder that marks the
 * step overdue, then the assignee's own atasan and the pengelola, and finally BKPP.
 */
export const DEFAULT_ESCALATION: readonly EscalationRule[] = [
  { atPercent: 75, notify: ['assignee'] },
  { atPercent: 100, notify: ['assignee'], markOverdue: true },
  { atPercent: 200, notify: ['atasan_of_assignee', 'pengelola'] },
  { atPercent: 300, notify: ['bkpp'] },
];

/**
 * The subject's own steps (drafting an SKP, reporting a month) are chased by the monthly and annual reminder
 * cycle, not escalated up the hierarchy: one reminder to the subject when the SLA passes, nothing more.
 */
export const SUBJECT_ESCALATION: readonly EscalationRule[] = [{ atPercent: 100, notify: ['assignee'], markOverdue: true }];

/**
 * Default SLA rule. The SOP's time standard measures hands-on work ("10 menit" to verify, "30 menit" to draft),
 * not how long a busy person may take to get to it, so every step gets at least one working day:
 * max(timeStandard, 1 working day). Reports still compare real durations with the time standard itself.
 * Deployments override.
 */
export function defaultSlaMinutes(step: Pick<Step, 'actor' | 'timeStandardMinutes'>): number {
  return Math.max(step.timeStandardMinutes, WORKING_DAY_MINUTES);
}

/**
 * Where a return goes when the template does not say: the first submit step by the subject before this step,
 * else (procedures the subject takes no part in, e.g. an award nomination) the first earlier submit step.
 */
export function defaultReturnTarget(
  steps: ReadonlyArray<Pick<Step, 'no' | 'actor' | 'action'>>,
  stepNo: number,
): number | undefined {
  const earlierSubmits = steps.filter((step) => step.no < stepNo && step.action === 'submit');
  return (earlierSubmits.find((step) => step.actor === 'subject') ?? earlierSubmits[0])?.no;
}
