// Messages to the approver's questions: a typed return reason or rating feedback, a hint for anything else while
// one is awaited, and a signed scan sent as a reply to a sign request, which completes that step.
import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import { incomingFileOf, receiveEvidenceFile } from '../../../app/archive.js';
import { closeCaseMessage, findOpenCaseMessage } from '../../../app/case-messages.js';
import { loadCaseView } from '../../../app/case-view.js';
import { approvalTexts, decidedText, outcomeLine } from '../../../chat/texts/approvals.js';
import { escapeHtml } from '../../../chat/texts/common.js';
import { fileRefusalText } from '../../../chat/texts/monthly.js';
import { isReturnReasonEnough } from '../../../domain/case.js';
import { permitted } from '../../access.js';
import { employeeOf, type BotContext } from '../../context.js';
import { buttonInputs, type ApprovalKit } from './kit.js';
import { confirmKeyboard, confirmText } from './rating.js';

export function repliesHandler(kit: ApprovalKit): Composer<BotContext> {
  const { deps, tz, saveConversation, loadConversation, clearConversation, runAct, closeWithOutcome } = kit;
  const composer = new Composer<BotContext>();

  /**
   * The open request a reply points at. The notifier records a request right after Telegram accepts it, so a reply
   * to one of the bot's messages that is not found yet gets a few short retries before it counts as no request.
   */
  const openRequestMessage = async (chatId: number, messageId: number, repliedToBot: boolean) => {
    for (let attempt = 0; ; attempt++) {
      const request = await findOpenCaseMessage(deps.db, { chatId, messageId });
      if (request || !repliedToBot || attempt >= 4) return request;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  // Typed answers to a return-reason or feedback question.
  composer.on(message('text'), async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const me = employeeOf(ctx);
    const conv = me ? await loadConversation(ctx.from.id) : null;
    if (!me || !conv || conv.kind === 'collect') return next();
    const text = ctx.message.text.trim();
    if (conv.kind === 'return_reason') {
      if (!isReturnReasonEnough(text)) return void (await ctx.reply(approvalTexts.reasonTooShort));
      if (!(await permitted(ctx, deps, 'actOnStep', { kind: 'case', caseId: conv.caseId }))) {
        return void (await clearConversation(ctx.from.id, 'return_reason'));
      }
      const done = await runAct(ctx, {
        caseId: conv.caseId,
        actorId: me.id,
        expectedVersion: conv.version,
        command: { kind: 'return', stepNo: conv.stepNo, reason: text },
        now: deps.now(),
        closeMessages: true,
      });
      await clearConversation(ctx.from.id, 'return_reason');
      if (!done) return;
      await closeWithOutcome(ctx, conv.caseId, outcomeLine('returned', me.nama, deps.now(), tz, `Alasan: ${escapeHtml(text)}`), { decidedStepNo: conv.stepNo, closed: done.closedMessages });
      const view = await loadCaseView(deps.db, deps.procedures, conv.caseId);
      await ctx.reply(approvalTexts.returnDone(view?.subject.nama ?? ''), { parse_mode: 'HTML' });
      return;
    }
    // rating_feedback
    await saveConversation(ctx.from.id, { ...conv, catatan: text.slice(0, 2000) });
    await ctx.reply(await confirmText(deps, conv.caseId, conv.hk, conv.pl, text.slice(0, 2000)), {
      parse_mode: 'HTML',
      reply_markup: confirmKeyboard(conv.caseId, conv.version, conv.hk, conv.pl),
    });
  });

  // Anything other than text while a reason or feedback is expected gets a hint, not silence.
  composer.on('message', async (ctx, next) => {
    const me = employeeOf(ctx);
    const msg = ctx.message;
    if (!me) return next();
    // A signed scan sent as a reply to a sign request completes that step.
    if ('document' in msg || 'photo' in msg) {
      const replied = 'reply_to_message' in msg ? msg.reply_to_message : undefined;
      if (replied) {
        const request = await openRequestMessage(ctx.chat.id, replied.message_id, replied.from?.id === ctx.botInfo.id);
        const view = request ? await loadCaseView(deps.db, deps.procedures, request.caseId) : null;
        if (view && view.step.action === 'sign' && view.row.version === request!.version) {
          if (!(await permitted(ctx, deps, 'actOnStep', { kind: 'case', caseId: view.row.id }))) return;
          const file = incomingFileOf(msg)!;
          // The scan is checked (real type, size) and archived before the step completes.
          const received = await receiveEvidenceFile(
            { ...deps, telegram: ctx.telegram },
            {
              caseId: view.row.id,
              ownerId: me.id,
              purpose: 'signed_scan',
              // A photo has no name of its own.
              file: { ...file, fileName: 'document' in msg ? (file.fileName ?? null) : 'scan.jpg' },
              allowed: ['pdf', 'jpeg', 'png'],
            },
          );
          if (!received.ok) return void (await ctx.reply(fileRefusalText(received.refusal), { parse_mode: 'HTML' }));
          const done = await runAct(ctx, {
            caseId: view.row.id,
            actorId: me.id,
            expectedVersion: view.row.version,
            command: { kind: 'complete', stepNo: view.row.stepNo, inputs: buttonInputs(view.step) },
            now: deps.now(),
          });
          if (!done) return;
          await ctx.reply(approvalTexts.signedScanReceived);
          await closeCaseMessage(deps.db, request!.id, deps.now());
          await ctx.telegram
            .editMessageText(ctx.chat.id, replied.message_id, undefined, decidedText(view, view.step, tz, outcomeLine('sign', me.nama, deps.now(), tz)), { parse_mode: 'HTML' })
            .catch(() => {});
          return;
        }
      }
    }
    const conv = await loadConversation(ctx.from.id);
    if (!conv || conv.kind === 'collect') return next();
    await ctx.reply(conv.kind === 'return_reason' ? approvalTexts.replyWithTextPlease : approvalTexts.feedbackTextPlease);
  });

  return composer;
}
