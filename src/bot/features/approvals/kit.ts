// What every approval handler shares: the engine, the agency's time zone, the conversation store, and running a
// transition for the tapping or typing user (refusals as toasts or replies, the outcome on every request message).
import { act, type EngineDeps } from '../../../app/case-engine.js';
import type { MessageRef } from '../../../app/case-messages.js';
import { caseHead } from '../../../app/tasks.js';
import { closeCaseMessages } from '../../../chat/case-messages.js';
import { entitiesToHtml, withoutQuestion } from '../../../chat/message-html.js';
import { withoutDeadlineLine } from '../../../chat/texts/approvals.js';
import { domainErrorText } from '../../../chat/texts/errors.js';
import { isDomainError } from '../../../domain/errors.js';
import type { Step } from '../../../domain/procedure.js';
import { logOf, type BotContext, type BotDeps } from '../../context.js';
import { approvalConversations } from './conversation.js';

/** Inputs a button press supplies for a step, from what the step requires (confirmations; optional texts left out). */
export function buttonInputs(step: Step): Record<string, unknown> {
  return step.requires.some((r) => r.kind === 'confirm') ? { confirmed: true } : {};
}

export type ApprovalKit = ReturnType<typeof approvalKit>;

export function approvalKit(deps: BotDeps) {
  const engine: EngineDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };
  const tz = deps.config.deployment.instansi.timeZone;
  const { saveConversation, loadConversation, clearConversation } = approvalConversations(deps);

  /** Runs a transition for the tapping/typing user and turns refusals into Indonesian toasts or replies. */
  const runAct = async (ctx: BotContext, input: Parameters<typeof act>[1]) => {
    try {
      return await act(engine, input);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const text = domainErrorText(error, tz);
      if (ctx.callbackQuery) await ctx.answerCbQuery(text.slice(0, 200), { show_alert: error.code === 'ALREADY_PROCESSED' });
      else await ctx.reply(text, { parse_mode: 'HTML' });
      return null;
    }
  };

  /**
   * After a decision: the tapped message shows the outcome and loses its buttons; so do the other copies.
   * `decidedStepNo`: the step the outcome answers. `closed`: the copies the transition closed (act's closeMessages);
   * without it they are closed here.
   */
  const closeWithOutcome = async (
    ctx: BotContext,
    caseId: string,
    outcome: string,
    options: { decidedStepNo?: number | null; closed?: MessageRef[]; question?: string } = {},
  ) => {
    const { decidedStepNo = null, closed, question } = options;
    const msg = ctx.callbackQuery?.message;
    const tapped = msg ? { chatId: msg.chat.id, messageId: msg.message_id } : undefined;
    // The tapped message keeps its text and formatting; the question it asked (`question`), now answered, gives way
    // to the outcome, and its batas waktu goes, as it does from the copies rebuilt from the case.
    const kept = (text: string, entities: Parameters<typeof entitiesToHtml>[1]) => {
      return withoutQuestion(withoutDeadlineLine(entitiesToHtml(text, entities)), question);
    };
    // Other copies (e.g. reopened from /tugas) are rebuilt from the case; the tapped one keeps its own text. The
    // tapped one is what the approver waits for: its edit leaves while the others are looked up, not after.
    await Promise.all([
      closeCaseMessages({ ...deps, telegram: ctx.telegram, timeZone: tz, logger: logOf(ctx) }, caseId, outcome, { now: deps.now(), except: tapped, decidedStepNo, ...(closed ? { closed } : {}) }),
      msg && 'text' in msg ? ctx.editMessageText(`${kept(msg.text, msg.entities)}\n\n${outcome}`, { parse_mode: 'HTML' }).catch(() => {}) : undefined,
    ]);
  };

  const answerError = async (ctx: BotContext, error: unknown) => {
    if (!isDomainError(error)) throw error;
    await ctx.answerCbQuery(domainErrorText(error, tz).slice(0, 200), { show_alert: error.code === 'ALREADY_PROCESSED' });
  };

  const currentStepNo = async (caseId: string) => (await caseHead(deps.db, caseId))?.stepNo;

  return { deps, engine, tz, saveConversation, loadConversation, clearConversation, runAct, closeWithOutcome, answerError, currentStepNo };
}
