// The SLA timer's job: one point of a step's cadence, fired by the use case (src/app/sla-fire.ts), whose messages
// are written here in Indonesian and queued for the rate-limited reminder sender.
import type { SlaDeps, SlaJobData, SlaMessageToSend } from '../../src/app/sla-fire.js';
import { slaEscalationKeyboard, slaText } from '../../src/chat/texts/operations.js';
import type { AgencyTimeZone } from '../../src/domain/calendar.js';
import type { NotifyJobData } from './reminder-send.js';

export const SLA_QUEUE = 'sla';

/** Timer ids carry case, step, version and percentage; no ':' and never all digits (BullMQ). */
export function slaJobId(d: Pick<SlaJobData, 'caseId' | 'stepNo' | 'version' | 'pct'>): string {
  return `sla-${d.caseId}-${d.stepNo}-v${d.version}-p${d.pct}`;
}

/** The use case's way out: each message written for its recipient, then queued. */
export function slaDepsOf(
  deps: Omit<SlaDeps, 'send'>,
  timeZone: AgencyTimeZone,
  enqueue: (items: NotifyJobData[]) => Promise<number>,
): SlaDeps {
  return {
    db: deps.db,
    calendar: deps.calendar,
    procedures: deps.procedures,
    now: deps.now,
    send: (messages) => enqueue(messages.map((m) => slaNotification(m, timeZone))),
  };
}

function slaNotification(m: SlaMessageToSend, timeZone: AgencyTimeZone): NotifyJobData {
  return {
    kind: m.kind,
    runKey: m.runKey,
    employeeId: m.employeeId,
    caseId: m.caseId,
    text: slaText(m.facts, timeZone),
    ...(m.withActions ? { replyMarkup: slaEscalationKeyboard(m.caseId, m.caseVersion) } : {}),
  };
}
