// Closing a case's open messages after a decision: each copy loses its buttons and says what happened. The one
// closer for the notifier (decisions taken elsewhere) and the approval buttons (the tapped message keeps its text).
import type { Telegram } from 'telegraf';
import { closeOpenCaseMessages, type MessageRef } from '../app/case-messages.js';
import { loadCaseView } from '../app/case-view.js';
import type { ProcedureRegistry } from '../app/procedures.js';
import type { Db } from '../app/database.js';
import type { AgencyTimeZone } from '../domain/calendar.js';
import type { Logger } from '../logger.js';
import { decidedText } from './texts/approvals.js';

export interface CloseDeps {
  db: Db;
  telegram: Telegram;
  procedures: ProcedureRegistry;
  timeZone: AgencyTimeZone;
  logger?: Logger;
}

/**
 * Closes every open message of the case in one statement, then edits each (but `except`) to the request's own
 * heading and step followed by `outcome`. `decidedStepNo` names the step the outcome answers. `closed`: the messages
 * the transition already closed in its own transaction (act's closeMessages): only their edits are left.
 */
export async function closeCaseMessages(
  deps: CloseDeps,
  caseId: string,
  outcome: string,
  options: { now: Date; except?: MessageRef; decidedStepNo?: number | null; closed?: MessageRef[] },
): Promise<void> {
  const open = options.closed ?? (await closeOpenCaseMessages(deps.db, caseId, options.now));
  const except = options.except;
  const others = open.filter((m) => !(except && m.chatId === except.chatId && m.messageId === except.messageId));
  if (others.length === 0) return;
  const view = await loadCaseView(deps.db, deps.procedures, caseId);
  const decidedStep = view && options.decidedStepNo ? (view.procedure.steps.find((s) => s.no === options.decidedStepNo) ?? null) : null;
  const text = view ? decidedText(view, decidedStep, deps.timeZone, outcome) : outcome;
  for (const m of others) {
    await deps.telegram
      .editMessageText(m.chatId, m.messageId, undefined, text, { parse_mode: 'HTML' })
      .catch((error: unknown) => deps.logger?.debug({ err: error, caseId }, 'could not edit an old request message'));
  }
}
