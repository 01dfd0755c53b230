// Rating a case from its buttons: hasil kerja, then perilaku, then feedback (typed, or Lewati), then a confirmation
// that shows where the unit's curve would stand, then the rating itself, with its predikat.
import { Markup } from 'telegraf';
import { curveAtRating } from '../../../app/annual-evaluation.js';
import type { AccessTarget } from '../../../app/access-policy.js';
import { assertCanAct } from '../../../app/case-engine.js';
import { loadCaseView } from '../../../app/case-view.js';
import type { EmployeeProfile } from '../../../app/repositories/employees.js';
import { caseHead } from '../../../app/tasks.js';
import type { CaseButton } from '../../../chat/buttons/case.js';
import { approvalTexts, caseCallback, outcomeLine, ratingKeyboard } from '../../../chat/texts/approvals.js';
import { texts } from '../../../chat/texts/common.js';
import { parseEvaluationFeedback } from '../../../domain/feedback.js';
import { PREDIKAT_LABELS, predikatOf, type Rating } from '../../../domain/predikat.js';
import { permitted } from '../../access.js';
import type { ButtonContext } from '../../buttons.js';
import type { BotDeps } from '../../context.js';
import { confirmPress } from '../../prompt-answer.js';
import type { ApprovalKit } from './kit.js';

/** A tap on a rating button (rx, hk, pl, fs, rc) by `me` on the case `target`. */
export async function onRatingButton(kit: ApprovalKit, ctx: ButtonContext, button: CaseButton, me: EmployeeProfile, target: AccessTarget): Promise<void> {
  const { deps, engine, tz, saveConversation, loadConversation, clearConversation, runAct, closeWithOutcome, answerError, currentStepNo } = kit;
  const { op, caseId, version } = button;
  try {
    await assertCanAct(engine, caseId!, me.id, version);
  } catch (error) {
    return void (await answerError(ctx, error));
  }
  if (!(await permitted(ctx, deps, 'actOnStep', target))) return;
  const hk = 'hk' in button ? button.hk : undefined;
  const pl = 'pl' in button ? button.pl : undefined;
  if (op === 'rx') {
    // Starting over offers what the request offered, Kembalikan included where the step may send the case back.
    const row = await caseHead(deps.db, caseId!);
    const step = row ? deps.procedures.get(row.procedureCode).steps.find((x) => x.no === row.stepNo) : undefined;
    await ctx.answerCbQuery();
    await ctx.reply('Pilih penilaian <b>hasil kerja</b>:', { parse_mode: 'HTML', reply_markup: ratingKeyboard(caseId!, version, 'hk', undefined, step?.returnTo !== undefined) });
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
    await ctx.reply(await confirmText(deps, caseId!, hk, pl, null), { parse_mode: 'HTML', reply_markup: confirmKeyboard(caseId!, version, hk, pl) });
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
    closeMessages: true,
  });
  if (!done) return;
  await clearConversation(ctx.from.id, 'rating_feedback');
  await confirmPress(ctx, 'Penilaian tersimpan ✅');
  const predikat = PREDIKAT_LABELS[predikatOf(hk, pl)];
  await closeWithOutcome(ctx, caseId!, outcomeLine('rate', me.nama, deps.now(), tz, `Predikat: <b>${predikat}</b>`), {
    decidedStepNo: ratedStepNo,
    closed: done.closedMessages,
    question: approvalTexts.confirmRatingQuestion,
  });
  const view = await loadCaseView(deps.db, deps.procedures, caseId!);
  await ctx.reply(approvalTexts.ratingDone(view?.subject.nama ?? '', predikat), { parse_mode: 'HTML' });
  return;
}

/** The confirmation before a rating is sent, with where the unit's curve would stand (a warning, never a block). */
export const confirmText = async (deps: BotDeps, caseId: string, hk: Rating, pl: Rating, catatan: string | null) => {
  const curve = await curveAtRating(deps, caseId, predikatOf(hk, pl));
  const row = await caseHead(deps.db, caseId);
  const annual = row ? deps.procedures.get(row.procedureCode).purpose === 'annual_evaluation' : false;
  return approvalTexts.confirmRating(hk, pl, catatan, curve, annual);
};

export function confirmKeyboard(caseId: string, version: number, hk: Rating, pl: Rating) {
  return Markup.inlineKeyboard([
    [Markup.button.callback('✅ Kirim penilaian', caseCallback({ op: 'rc', caseId, version, hk, pl }))],
    [Markup.button.callback('↺ Ulangi', caseCallback({ op: 'rx', caseId, version }))],
  ]).reply_markup;
}
