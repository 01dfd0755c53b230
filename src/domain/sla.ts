// A step's SLA in working time: its deadline, the moments its escalation points fire, and the SLA a due date implies.
// The engine (the due date it writes), the timers and the firing all compute them here.
import type { WorkingCalendar } from './calendar.js';
import type { EscalationRule, Step } from './procedure.js';

/** The deadline of a step entered at `enteredAt` with an SLA of `slaMinutes` working minutes. */
export function slaDeadline(calendar: WorkingCalendar, enteredAt: Date, slaMinutes: number): Date {
  return calendar.addWorkingMinutes(enteredAt, slaMinutes);
}

export interface CadencePoint {
  pct: number;
  fireAt: Date;
  rule: EscalationRule;
}

/**
 * When each escalation rule fires: pct % of the SLA in working time after the step was entered. A due date outside
 * working hours (a Batas Pengisian at 23:59) ends the SLA's working time at that day's closing: the points from
 * 100 % on fire no earlier than the first working moment after it, so nothing says "sudah lewat" before it has.
 */
export function slaCadence(calendar: WorkingCalendar, enteredAt: Date, slaMinutes: number, rules: readonly EscalationRule[], dueAt?: Date | null): CadencePoint[] {
  return [...rules]
    .sort((a, b) => a.atPercent - b.atPercent)
    .map((rule) => {
      const fireAt = calendar.addWorkingMinutes(enteredAt, (slaMinutes * rule.atPercent) / 100);
      const afterDue = rule.atPercent >= 100 && dueAt && fireAt.getTime() < dueAt.getTime() && !calendar.isWithinWorkingHours(dueAt);
      return { pct: rule.atPercent, fireAt: afterDue ? calendar.nextWorkingInstant(dueAt) : fireAt, rule };
    });
}

/**
 * The SLA the running timer was started with: recovered from the case's own due date when it has one (so a config
 * change never moves a pending timer), else the step's configured SLA.
 */
export function slaMinutesOf(calendar: WorkingCalendar, step: Step, stepEnteredAt: Date, slaDueAt: Date | null): number {
  if (slaDueAt && slaDueAt.getTime() > stepEnteredAt.getTime()) return calendar.workingMinutesBetween(stepEnteredAt, slaDueAt);
  return step.sla.minutes;
}
