// Approver side in the chat: Setujui / Kembalikan (with a reason) / Detail, rating, sign/print/archive, /tugas, /kumpulkan.
import { Composer, Markup } from 'telegraf';
import { message } from 'telegraf/filters';
import { act, assertCanAct, type EngineDeps } from '../../app/case-engine.js';
import { loadCaseView } from '../../app/case-view.js';
import { curveAtRating } from '../../app/annual-evaluation.js';
import { parseEvaluationFeedback } from '../../domain/feedback.js';
import { renderCaseDocument } from '../../app/documents.js';
import { incomingFileOf, receiveEvidenceFile } from '../../app/archive.js';
import { fileRefusalText } from '../../chat/texts/monthly.js';
import { closeCaseMessage, findOpenCaseMessage, recordCaseMessage } from '../../app/case-messages.js';
import { clearConversation as clearStoredConversation, loadConversation as loadStoredConversation, saveConversation as saveStoredConversation } from '../../app/conversation.js';
import { countUnarchivedEvidence, evidenceFilesOfCase } from '../../app/evidence-files.js';
import type { EvidenceRow } from '../../app/archive.js';
import { employeeNames } from '../../app/repositories/employees.js';
import { caseHead, collectableCases, openTasksOf, subjectNamesOfCases } from '../../app/tasks.js';
import { closeCaseMessages } from '../../chat/case-messages.js';
import { DomainError, isDomainError } from '../../domain/errors.js';
import { PREDIKAT_LABELS, predikatOf, type Rating } from '../../domain/predikat.js';
import type { Step } from '../../domain/procedure.js';
import { MIN_RETURN_REASON_LENGTH } from '../../domain/case.js';
import { permitted } from '../access.js';
import { withWebAppRow } from '../web-app.js';
import { employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { confirmPress } from '../prompt-answer.js';
import { onButton } from '../buttons.js';
import { caseButtons } from '../../chat/buttons/case.js';
import { collectButtons } from '../../chat/buttons/collect.js';
import { askStepInput, needsTypedInput } from './step-input.js';
import { escapeHtml, texts } from '../../chat/texts/common.js';
import {
  approvalTexts,
  caseCallback,
  caseSummary,
  decidedText,
  MAX_EVIDENCE_SENT,
  outcomeLine,
  ratingKeyboard,
  requestKeyboard,
  requestText,
  taskLine,
} from '../../chat/texts/approvals.js';

const MAX_TASKS_LISTED = 20;

type Conversation =
  | { kind: 'return_reason'; caseId: string; version: number; stepNo: number; messageChatId?: number; messageId?: number }
  | { kind: 'rating_feedback'; caseId: string; version: number; hk: Rating; pl: Rating; catatan?: string }
  | { kind: 'collect'; caseIds: string[]; versions: number[]; selected: number[] };

/** Inputs a button press supplies for a step, from what the step requires (confirmations; optional texts left out). */
function buttonInputs(step: Step): Record<string, unknown> {
  return step.requires.some((r) => r.kind === 'confirm') ? { confirmed: true } : {};
}

export function approvalsFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const engine: EngineDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };
  const tz = deps.config.deployment.instansi.timeZone;

  const KINDS: ReadonlyArray<Conversation['kind']> = ['return_reason', 'rating_feedback', 'collect'];
  const saveConversation = (telegramUserId: number, state: Conversation) => saveStoredConversation(deps.db, telegramUserId, state.kind, state, deps.now());
  const loadConversation = async (telegramUserId: number): Promise<Conversation | null> =>
    (await loadStoredConversation<Conversation>(deps.db, telegramUserId, { kinds: KINDS }))?.state ?? null;
  const clearConversation = async (telegramUserId: number, kind: Conversation['kind']) => {
    await clearStoredConversation(deps.db, telegramUserId, kind);
  };

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

  /** After a decision: the tapped message shows the outcome and loses its buttons; so do the other copies. */
  const closeWithOutcome = async (ctx: BotContext, caseId: string, outcome: string, decidedStepNo: number | null = null) => {
    const msg = ctx.callbackQuery?.message;
    const tapped = msg ? { chatId: msg.chat.id, messageId: msg.message_id } : undefined;
    // Other copies (e.g. reopened from /tugas) are rebuilt from the case; the tapped one keeps its own text.
    await closeCaseMessages({ ...deps, telegram: ctx.telegram, timeZone: tz, logger: logOf(ctx) }, caseId, outcome, { now: deps.now(), except: tapped, decidedStepNo });
    if (msg && 'text' in msg) {
      await ctx.editMessageText(`${escapeHtml(msg.text)}\n\n${outcome}`, { parse_mode: 'HTML' }).catch(() => {});
    }
  };

  const answerError = async (ctx: BotContext, error: unknown) => {
    if (!isDomainError(error)) throw error;
    await ctx.answerCbQuery(domainErrorText(error, tz).slice(0, 200), { show_alert: error.code === 'ALREADY_PROCESSED' });
  };

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
      // Hot path: one light read, the transition, then the toast; the message edits come after the answer.
      const row = await caseHead(deps.db, caseId!);
      if (!row) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      // A stale button is the engine's to explain (who acted first); a current one must be the tapper's step.
      if (row.version === version && !(await permitted(ctx, deps, 'actOnStep', target))) return;
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
      });
      if (!done) return;
      await confirmPress(ctx, 'Tersimpan ✅');
      await closeWithOutcome(ctx, caseId!, outcomeLine(step.action, me.nama, deps.now(), tz), step.no);
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
      try {
        await assertCanAct(engine, caseId!, me.id, version);
      } catch (error) {
        return void (await answerError(ctx, error));
      }
      if (!(await permitted(ctx, deps, 'actOnStep', target))) return;
      const hk = 'hk' in button ? button.hk : undefined;
      const pl = 'pl' in button ? button.pl : undefined;
      if (op === 'rx') {
        await ctx.answerCbQuery();
        await ctx.reply('Pilih penilaian <b>hasil kerja</b>:', { parse_mode: 'HTML', reply_markup: ratingKeyboard(caseId!, version, 'hk') });
        return;
      }
      if (op === 'hk') {
        if (!hk) return void (await ctx.answerCbQuery(texts.buttonInvalid));
        await ctx.answerCbQuery();
        await ctx.reply(approvalTexts.chosenHasilKerja(hk), { parse_mode: 'HTML', reply_markup: ratingKeyboard(caseId!, version, 'pl', hk) });
        return;
      }
      if (!hk || !pl) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      if (op === 'pl') {
        await saveConversation(ctx.from.id, { kind: 'rating_feedback', caseId: caseId!, version, hk, pl });
        await ctx.answerCbQuery();
        const current = await caseHead(deps.db, caseId!);
        const annual = current ? deps.procedures.get(current.procedureCode).purpose === 'annual_evaluation' : false;
        await ctx.reply(approvalTexts.askFeedback(hk, pl, annual), {
          parse_mode: 'HTML',
          reply_markup: Markup.inlineKeyboard([[Markup.button.callback('Lewati', caseCallback({ op: 'fs', caseId, version, hk, pl }))]]).reply_markup,
        });
        return;
      }
      const conv = await loadConversation(ctx.from.id);
      const catatan = conv?.kind === 'rating_feedback' && conv.caseId === caseId ? (conv.catatan ?? null) : null;
      if (op === 'fs') {
        await ctx.answerCbQuery();
        await ctx.reply(await confirmText(caseId!, hk, pl, null), { parse_mode: 'HTML', reply_markup: confirmKeyboard(caseId!, version, hk, pl) });
        if (conv?.kind === 'rating_feedback') await saveConversation(ctx.from.id, { ...conv, catatan: undefined });
        return;
      }
      // op === 'rc': submit the rating. The annual evaluation's text may carry umpan balik per RHK and per value.
      const ratedStepNo = (await currentStepNo(caseId!))!;
      const before = await loadCaseView(deps.db, deps.procedures, caseId!);
      const rhkIds = before?.year ? before.year.rhk.map((r) => r.id) : (before?.realisasi.map((r) => r.rhkId) ?? []);
      const feedback = before && catatan ? parseEvaluationFeedback(catatan, rhkIds) : null;
      const structured = feedback && (Object.keys(feedback.rhk).length > 0 || Object.keys(feedback.perilaku).length > 0);
      const rating = structured
        ? { hasilKerja: hk, perilaku: pl, ...(feedback.catatan ? { catatan: feedback.catatan } : {}), umpanBalik: { rhk: feedback.rhk, perilaku: feedback.perilaku } }
        : { hasilKerja: hk, perilaku: pl, ...(catatan ? { catatan } : {}) };
      const done = await runAct(ctx, {
        caseId: caseId!,
        actorId: me.id,
        expectedVersion: version,
        command: { kind: 'complete', stepNo: ratedStepNo, inputs: { rating } },
        now: deps.now(),
      });
      if (!done) return;
      await clearConversation(ctx.from.id, 'rating_feedback');
      await confirmPress(ctx, 'Penilaian tersimpan ✅');
      const predikat = PREDIKAT_LABELS[predikatOf(hk, pl)];
      await closeWithOutcome(ctx, caseId!, outcomeLine('rate', me.nama, deps.now(), tz, `Predikat: <b>${predikat}</b>`), ratedStepNo);
      const view = await loadCaseView(deps.db, deps.procedures, caseId!);
      await ctx.reply(approvalTexts.ratingDone(view?.subject.nama ?? '', predikat), { parse_mode: 'HTML' });
      return;
    }

    await ctx.answerCbQuery(texts.buttonInvalid);
  });

  /** The confirmation before a rating is sent, with where the unit's curve would stand (a warning, never a block). */
  const confirmText = async (caseId: string, hk: Rating, pl: Rating, catatan: string | null) => {
    const curve = await curveAtRating(deps, caseId, predikatOf(hk, pl));
    const row = await caseHead(deps.db, caseId);
    const annual = row ? deps.procedures.get(row.procedureCode).purpose === 'annual_evaluation' : false;
    return approvalTexts.confirmRating(hk, pl, catatan, curve, annual);
  };

  const currentStepNo = async (caseId: string) => (await caseHead(deps.db, caseId))?.stepNo;

  // Typed answers to a return-reason or feedback question.
  composer.on(message('text'), async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const me = employeeOf(ctx);
    const conv = me ? await loadConversation(ctx.from.id) : null;
    if (!me || !conv || conv.kind === 'collect') return next();
    const text = ctx.message.text.trim();
    if (conv.kind === 'return_reason') {
      if (text.length < MIN_RETURN_REASON_LENGTH) return void (await ctx.reply(approvalTexts.reasonTooShort));
      if (!(await permitted(ctx, deps, 'actOnStep', { kind: 'case', caseId: conv.caseId }))) {
        return void (await clearConversation(ctx.from.id, 'return_reason'));
      }
      const done = await runAct(ctx, {
        caseId: conv.caseId,
        actorId: me.id,
        expectedVersion: conv.version,
        command: { kind: 'return', stepNo: conv.stepNo, reason: text },
        now: deps.now(),
      });
      await clearConversation(ctx.from.id, 'return_reason');
      if (!done) return;
      await closeWithOutcome(ctx, conv.caseId, outcomeLine('returned', me.nama, deps.now(), tz, `Alasan: ${escapeHtml(text)}`), conv.stepNo);
      const view = await loadCaseView(deps.db, deps.procedures, conv.caseId);
      await ctx.reply(approvalTexts.returnDone(view?.subject.nama ?? ''), { parse_mode: 'HTML' });
      return;
    }
    // rating_feedback
    await saveConversation(ctx.from.id, { ...conv, catatan: text.slice(0, 2000) });
    await ctx.reply(await confirmText(conv.caseId, conv.hk, conv.pl, text.slice(0, 2000)), {
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

  composer.command('tugas', async (ctx) => {
    if (!(await permitted(ctx, deps, 'tasks'))) return;
    const me = employeeOf(ctx)!;
    const rows = await openTasksOf(deps.db, deps.procedures, me.id);
    if (rows.length === 0) return void (await ctx.reply(approvalTexts.noTasks));
    const now = deps.now();
    const names = await subjectNames(rows.map((r) => r.subjectId));
    const lines = [approvalTexts.tasksHeading(rows.length)];
    const buttons = [];
    for (const [i, row] of rows.slice(0, MAX_TASKS_LISTED).entries()) {
      const proc = deps.procedures.get(row.procedureCode);
      const step = proc.steps.find((s) => s.no === row.stepNo)!;
      const age = deps.calendar.workingMinutesBetween(row.stepEnteredAt, now);
      lines.push(taskLine(i + 1, { nama: names.get(row.subjectId) ?? '-', title: proc.title, period: row.period, step, enteredAt: row.stepEnteredAt, slaDueAt: row.slaDueAt }, now, age));
      buttons.push([Markup.button.callback(`${i + 1}. ${approvalTexts.openTask} — ${(names.get(row.subjectId) ?? '').slice(0, 30)}`, caseCallback({ op: 'op', caseId: row.id, version: row.version }))]);
    }
    if (rows.length > MAX_TASKS_LISTED) lines.push(`… dan ${rows.length - MAX_TASKS_LISTED} lainnya.`);
    await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', reply_markup: withWebAppRow(Markup.inlineKeyboard(buttons).reply_markup, deps, 'tugas') });
  });

  const subjectNames = (ids: string[]) => employeeNames(deps.db, ids);

  // Pengelola: gather the established SKP of their perangkat daerah and forward them to BKPP in one go.
  const listCollectable = (pengelolaId: string) => collectableCases(deps.db, deps.procedures, pengelolaId);

  const collectKeyboard = (items: Array<{ nama: string }>, selected: number[]) =>
    Markup.inlineKeyboard([
      ...items.map((item, i) => [Markup.button.callback(`${selected.includes(i) ? '✅' : '⬜'} ${item.nama.slice(0, 40)}`, collectButtons.encode({ op: 'toggle', index: i }))]),
      [Markup.button.callback('📤 Teruskan terpilih', collectButtons.encode({ op: 'selected' })), Markup.button.callback('📤 Teruskan semua', collectButtons.encode({ op: 'all' }))],
    ]).reply_markup;

  composer.command('kumpulkan', async (ctx) => {
    if (!(await permitted(ctx, deps, 'collect'))) return;
    const me = employeeOf(ctx)!;
    const items = await listCollectable(me.id);
    if (items.length === 0) return void (await ctx.reply(approvalTexts.collectNone));
    await saveConversation(ctx.from.id, { kind: 'collect', caseIds: items.map((i) => i.id), versions: items.map((i) => i.version), selected: [] });
    await ctx.reply(approvalTexts.collectHeading(items.length), { parse_mode: 'HTML', reply_markup: collectKeyboard(items, []) });
  });

  onButton(composer, collectButtons, async (ctx, button) => {
    if (!(await permitted(ctx, deps, 'collect'))) return;
    const me = employeeOf(ctx);
    const conv = me ? await loadConversation(ctx.from.id) : null;
    if (!me || !conv || conv.kind !== 'collect') return void (await ctx.answerCbQuery(texts.buttonInvalid));
    if (button.op === 'toggle') {
      const i = button.index;
      if (!(i >= 0 && i < conv.caseIds.length)) return void (await ctx.answerCbQuery(texts.buttonInvalid));
      const selected = conv.selected.includes(i) ? conv.selected.filter((x) => x !== i) : [...conv.selected, i];
      await saveConversation(ctx.from.id, { ...conv, selected });
      const names = await subjectNamesOfCases(deps.db, conv.caseIds);
      await ctx.answerCbQuery();
      await ctx.editMessageReplyMarkup(collectKeyboard(conv.caseIds.map((id) => ({ nama: names.get(id) ?? '-' })), selected));
      return;
    }
    const chosen = button.op === 'all' ? conv.caseIds.map((_, i) => i) : conv.selected;
    if (chosen.length === 0) return void (await ctx.answerCbQuery('Belum ada yang dipilih.'));
    await ctx.answerCbQuery('Meneruskan…');
    let forwarded = 0;
    let skipped = 0;
    for (const i of chosen) {
      try {
        const caseId = conv.caseIds[i]!;
        await act(engine, {
          caseId,
          actorId: me.id,
          expectedVersion: conv.versions[i],
          command: { kind: 'complete', stepNo: (await currentStepNo(caseId))!, inputs: { confirmed: true } },
          now: deps.now(),
        });
        forwarded++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        skipped++;
      }
    }
    await clearConversation(ctx.from.id, 'collect');
    await ctx.editMessageText(approvalTexts.collectDone(forwarded, skipped));
    logOf(ctx).info({ forwarded, skipped }, 'collect batch forwarded');
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

function confirmKeyboard(caseId: string, version: number, hk: Rating, pl: Rating) {
  return Markup.inlineKeyboard([
    [Markup.button.callback('✅ Kirim penilaian', caseCallback({ op: 'rc', caseId, version, hk, pl }))],
    [Markup.button.callback('↺ Ulangi', caseCallback({ op: 'rx', caseId, version }))],
  ]).reply_markup;
}
