// What a tap on a case request's buttons does: the printable document, the evidence, the detail, opening a task
// from /tugas, approving (Setujui) and returning (Kembalikan, which asks for a reason); rating is rating.ts's.
import { Composer } from 'telegraf';
import type { EvidenceRow } from '../../../app/archive.js';
import { assertCanAct } from '../../../app/case-engine.js';
import { recordCaseMessage } from '../../../app/case-messages.js';
import { loadCaseView } from '../../../app/case-view.js';
import { renderCaseDocument } from '../../../app/documents.js';
import { countUnarchivedEvidence, evidenceFilesOfCase } from '../../../app/evidence-files.js';
import { caseButtons } from '../../../chat/buttons/case.js';
import { approvalTexts, caseSummary, MAX_EVIDENCE_SENT, outcomeLine, requestHint, requestKeyboard, requestText } from '../../../chat/texts/approvals.js';
import { escapeHtml, texts } from '../../../chat/texts/common.js';
import { caseForButton, permitted } from '../../access.js';
import { onButton } from '../../buttons.js';
import { employeeOf, type BotContext } from '../../context.js';
import { confirmPress } from '../../prompt-answer.js';
import { askStepInput, needsTypedInput } from '../step-input.js';
import { buttonInputs, type ApprovalKit } from './kit.js';
import { onRatingButton } from './rating.js';

export function caseButtonsHandler(kit: ApprovalKit): Composer<BotContext> {
  const { deps, engine, tz, saveConversation, runAct, closeWithOutcome, answerError } = kit;
  const composer = new Composer<BotContext>();

  onButton(composer, caseButtons, async (ctx, button) => {
    const me = employeeOf(ctx);
    const { op, caseId, version } = button;
    if (!me) return void (await ctx.answerCbQuery(texts.notLinked.replace(/<[^>]+>/g, '').slice(0, 200)));

    if (op === 'pd') {
      // The printable document of the case (print, sign and acknowledge steps).
      try {
        const doc = await renderCaseDocument(deps, { caseId: caseId!, requestedBy: me, now: deps.now() });
        await ctx.answerCbQuery();
        await ctx.replyWithDocument({ source: doc.pdf, filename: doc.fileName }, { caption: `Kode verifikasi: ${doc.verificationCode}` });
      } catch (error) {
        await answerError(ctx, error);
      }
      return;
    }

    const target = { kind: 'case' as const, caseId: caseId! };
    if (op === 'bk') {
      if (!(await permitted(ctx, deps, 'caseEvidence', target))) return;
      const view = await loadCaseView(deps.db, deps.procedures, caseId!);
      if (!view) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      await ctx.answerCbQuery();
      const files = await evidenceFilesOfCase(deps.db, view.row.id, MAX_EVIDENCE_SENT);
      // Each file captioned with what it is: the RHK it proves, or the step's file label ("Data usulan …").
      const purposeLabel = new Map<string, string>([
        ['signed_scan', 'Dokumen bertanda tangan'],
        ['skp_draft_pdf', 'Draf SKP (PDF)'],
        ...view.procedure.steps.flatMap((s) => s.requires.flatMap((r) => (r.kind === 'files' ? [[r.key, r.label] as [string, string]] : []))),
        ...view.rhk.flatMap((r) => (r.id ? [[r.id, r.text] as [string, string]] : [])),
        ...view.realisasi.flatMap((r) => (r.rhkText ? [[r.rhkId, r.rhkText] as [string, string]] : [])),
      ]);
      for (const f of files) {
        const caption = escapeHtml(`${purposeLabel.get(f.purpose) ?? 'Lampiran'}${f.fileName ? ` — ${f.fileName}` : ''}`).slice(0, 1000);
        const sent = await resendEvidence(ctx, f, caption);
        if (!sent) await ctx.reply(texts.evidenceUnavailable(f.fileName), { parse_mode: 'HTML' });
      }
      return;
    }

    if (op === 'dt' || op === 'op') {
      if (!(await permitted(ctx, deps, 'caseDetail', target))) return;
      const view = await loadCaseView(deps.db, deps.procedures, caseId!);
      if (!view) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      await ctx.answerCbQuery();
      if (op === 'dt') {
        await ctx.reply(caseSummary(view, tz, { full: true }), { parse_mode: 'HTML' });
        return;
      }
      // Open a task from /tugas: a fresh request message with working buttons.
      if (view.row.assigneeId !== me.id || view.step.actor === 'subject' && view.step.action === 'submit') {
        await ctx.reply(caseSummary(view, tz), { parse_mode: 'HTML' });
        return;
      }
      const sent = await ctx.reply(requestText(view, tz), { parse_mode: 'HTML', reply_markup: requestKeyboard(view) });
      await recordCaseMessage(deps.db, { caseId: view.row.id, version: view.row.version, employeeId: me.id, chatId: sent.chat.id, messageId: sent.message_id, kind: 'request' });
      return;
    }

    if (op === 'ok') {
      // Hot path: one light read (where the case stands, and whether the tapper may act on it), the transition,
      // then the toast; the message edits come after the answer.
      const found = await caseForButton(ctx, deps, 'actOnStep', caseId!);
      if (!found) return;
      const row = found.head;
      // A stale button is the engine's to explain (who acted first); a current one must be the tapper's step.
      if (row.version === version && !(await found.permitted())) return;
      const step = deps.procedures.get(row.procedureCode).steps.find((s) => s.no === row.stepNo)!;
      if (row.version === version && step.action === 'archive') {
        const pending = await countUnarchivedEvidence(deps.db, caseId!);
        if (pending > 0) return void (await ctx.answerCbQuery(approvalTexts.archiveIncomplete(pending), { show_alert: true }));
      }
      if (needsTypedInput(step)) {
        // The step needs typed input (a nomination's summary, a score): the chat asks for it, then completes.
        try {
          await assertCanAct(engine, caseId!, me.id, version);
        } catch (error) {
          return void (await answerError(ctx, error));
        }
        const view = await loadCaseView(deps.db, deps.procedures, caseId!);
        if (!view) return void (await ctx.answerCbQuery(texts.buttonInvalid));
        await ctx.answerCbQuery();
        await askStepInput(deps, ctx, view);
        return;
      }
      const inputs = buttonInputs(step);
      const done = await runAct(ctx, {
        caseId: caseId!,
        actorId: me.id,
        expectedVersion: version,
        // A returned step that is not the subject's (a nomination sent back to the pengelola) is resubmitted.
        command: row.status === 'returned' ? { kind: 'resubmit', inputs } : { kind: 'complete', stepNo: row.stepNo, inputs },
        now: deps.now(),
        closeMessages: true,
        procedureHint: row.procedureCode,
      });
      if (!done) return;
      await confirmPress(ctx, 'Tersimpan ✅');
      // What the request asked ("Periksa, lalu pilih Setujui …", "Tekan Terima …"), answered, gives way to the outcome.
      const question = requestHint(step, deps.procedures.get(row.procedureCode));
      await closeWithOutcome(ctx, caseId!, outcomeLine(step.action, me.nama, deps.now(), tz), { decidedStepNo: step.no, closed: done.closedMessages, question });
      return;
    }

    if (op === 'rt') {
      try {
        const row = await assertCanAct(engine, caseId!, me.id, version);
        if (!(await permitted(ctx, deps, 'actOnStep', target))) return;
        const view = await loadCaseView(deps.db, deps.procedures, row.id);
        await saveConversation(ctx.from.id, { kind: 'return_reason', caseId: row.id, version, stepNo: row.stepNo });
        await ctx.answerCbQuery();
        await ctx.reply(approvalTexts.askReturnReason(view!.subject.nama), {
          parse_mode: 'HTML',
          reply_markup: { force_reply: true, input_field_placeholder: approvalTexts.returnPlaceholder },
        });
      } catch (error) {
        await answerError(ctx, error);
      }
      return;
    }

    if (op === 'hk' || op === 'pl' || op === 'fs' || op === 'rc' || op === 'rx') {
      return void (await onRatingButton(kit, ctx, button, me, target));
    }

    await ctx.answerCbQuery(texts.buttonInvalid);
  });

  return composer;
}

/**
 * Sends an evidence file back the way it came: a photo as a photo, anything sent as a file (an image file too) as a
 * document. Telegram refuses a document's file id with sendPhoto ("can't use file of type Document as Photo"), so a
 * refusal of one kind tries the other before giving up. False when Telegram no longer has the file.
 */
async function resendEvidence(ctx: BotContext, f: EvidenceRow, caption: string): Promise<boolean> {
  // Photos arrive without a file name; documents carry theirs.
  const cameAsPhoto = f.fileName === null && f.mimeType.startsWith('image/');
  const asPhoto = () => ctx.replyWithPhoto(f.telegramFileId, { caption, parse_mode: 'HTML' });
  const asDocument = () => ctx.replyWithDocument(f.telegramFileId, { caption, parse_mode: 'HTML' });
  const [first, second] = cameAsPhoto ? [asPhoto, asDocument] : [asDocument, asPhoto];
  try {
    await first();
    return true;
  } catch (error) {
    if (!/can't use file of type/i.test(String((error as { description?: unknown }).description ?? error))) return false;
  }
  try {
    await second();
    return true;
  } catch {
    return false;
  }
}
