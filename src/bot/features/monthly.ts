// /realisasi: the ASN reports a month's realisation per RHK with bukti dukung files, reviews it and sends it.
//
// Per RHK of the established SKP: the realisation (text), then files until "Selesai". Every file is checked on
// its bytes and archived on receipt (app/archive.ts). Answers live in case_drafts, the question in the
// conversations row (kind 'realisasi'), so a restart or /batal loses nothing.
import { Composer } from 'telegraf';
import { EVIDENCE_KINDS, incomingFileOf, KIND_LABEL, kindOfMime, receiveEvidenceFile, type ArchiveDeps, type IncomingFile } from '../../app/archive.js';
import { askOrWithdraw, clearConversation, loadConversation, saveConversation } from '../../app/conversation.js';
import {
  changeRealisasiDraft,
  establishedSkpOf,
  firstIncomplete,
  getMonthlyCase,
  lateIfSentNow,
  isRealisasiValue,
  addBukti,
  itemOf,
  loadRealisasiDraft,
  monthlyDeadline,
  openMonthlyCase,
  realisasiPeriodToOpen,
  submitRealisasi,
  type MonthlyCase,
  type RealisasiDraft,
  type RealisasiProblem,
} from '../../app/realisasi.js';
import { caseOverview, latestReturn, localYear, perangkatDaerahName, type RhkDraft } from '../../app/skp.js';
import type { Tx } from '../../app/database.js';
import { findEmployeeById, type EmployeeProfile } from '../../app/repositories/employees.js';
import { isDomainError } from '../../domain/errors.js';
import { permitted } from '../access.js';
import { webAppKeyboard, withWebAppRow } from '../web-app.js';
import { type BotContext, type BotDeps, callbackAnswerer, commandArgument, employeeOf, logOf } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { fileRefusalText, realisasiKeyboards, realisasiTexts } from '../../chat/texts/monthly.js';
import { realisasiButtons } from '../../chat/buttons/realisasi.js';
import { closeAnsweredQuestion, onButton } from '../buttons.js';
import { caseOverviewText } from '../../chat/texts/skp.js';

export const REALISASI_CONVERSATION = 'realisasi';

interface RealisasiCursor {
  caseId: string;
  skpCaseId: string;
  /** Index of the RHK in the SKP's list. */
  idx: number;
  q: 'value' | 'bukti' | 'review';
  /** 'edit': back to the review after this RHK. */
  mode: 'new' | 'edit';
}

const MAX_REALISASI_TEXT = 500;

/** The context one step of the conversation needs. */
interface Flow {
  employee: EmployeeProfile;
  monthly: MonthlyCase;
  skpCaseId: string;
  rhk: RhkDraft[];
}

/** How many bukti dukung the draft holds for one RHK. */
const buktiCountOf = (draft: RealisasiDraft, rhkId: string): number => draft.items[rhkId]?.bukti.length ?? 0;

export function monthlyFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;
  const deadlineDay = deps.config.deployment.monthly.deadlineDay;
  const html = (extra: object = {}) => ({ parse_mode: 'HTML' as const, ...extra });

  const saveCursor = (db: BotDeps['db'] | Tx, ctx: BotContext, cursor: RealisasiCursor) =>
    saveConversation(db, ctx.from!.id, REALISASI_CONVERSATION, cursor, deps.now());

  /** A resubmission keeps the first submission's mark; otherwise late is judged now. */
  const lateNow = (monthly: MonthlyCase) => lateIfSentNow(deps.calendar, monthly.case, deps.now(), deadlineDay);

  async function showReview(ctx: BotContext, flow: Flow, draft?: RealisasiDraft, prefix?: string): Promise<void> {
    const d = draft ?? (await loadRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId));
    const cursor: RealisasiCursor = { caseId: flow.monthly.case.id, skpCaseId: flow.skpCaseId, idx: 0, q: 'review', mode: 'new' };
    await saveCursor(deps.db, ctx, cursor);
    const period = flow.monthly.case.period;
    const body = realisasiTexts.review(period, flow.rhk, d, monthlyDeadline(deps.calendar, period, deadlineDay), lateNow(flow.monthly), tz);
    await askOrWithdraw(deps.db, ctx.from!.id, REALISASI_CONVERSATION, cursor, () =>
      ctx.reply(prefix ? `${prefix}\n\n${body}` : body, html({ reply_markup: withWebAppRow(realisasiKeyboards.review(flow.rhk.length).reply_markup, deps, 'realisasi') })),
    );
  }

  async function ask(ctx: BotContext, flow: Flow, cursor: RealisasiCursor, draft?: RealisasiDraft, prefix?: string): Promise<void> {
    const rhk = flow.rhk[cursor.idx];
    if (cursor.q === 'review' || !rhk) return showReview(ctx, flow, draft, prefix);
    const d = draft ?? (await loadRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId));
    await saveCursor(deps.db, ctx, cursor);
    const item = d.items[rhk.id];
    // A question that did not reach the user does not wait for an answer.
    const say = (text: string, extra: object = {}) =>
      askOrWithdraw(deps.db, ctx.from!.id, REALISASI_CONVERSATION, cursor, () => ctx.reply(prefix ? `${prefix}\n\n${text}` : text, html(extra)));
    if (cursor.q === 'value') {
      await say(realisasiTexts.askValue(rhk, cursor.idx, flow.rhk.length, flow.monthly.case.period, item?.realisasi));
      return;
    }
    const count = item?.bukti.length ?? 0;
    await say(realisasiTexts.askBukti(rhk, cursor.idx, flow.rhk.length, count), realisasiKeyboards.bukti(count));
  }

  /** After an RHK is complete: the next incomplete one, or the review. */
  async function afterRhk(ctx: BotContext, flow: Flow, cursor: RealisasiCursor, draft: RealisasiDraft): Promise<void> {
    const next = cursor.mode === 'edit' ? -1 : firstIncomplete(draft, flow.rhk);
    if (next === -1) return showReview(ctx, flow, draft);
    const hasValue = isRealisasiValue(draft.items[flow.rhk[next]!.id]?.realisasi);
    return ask(ctx, flow, { ...cursor, idx: next, q: hasValue ? 'bukti' : 'value', mode: 'new' }, draft);
  }

  /** Loads what a conversation step needs; 'gone' when the month can no longer be edited. */
  async function loadFlow(employee: EmployeeProfile, caseId: string): Promise<Flow | 'gone'> {
    const monthly = await getMonthlyCase(deps, caseId);
    if (!monthly || monthly.case.subjectId !== employee.id || !monthly.editable) return 'gone';
    const skp = await establishedSkpOf(deps, employee, monthly.case.period.slice(0, 4));
    if (!skp.ok) return 'gone';
    return { employee, monthly, skpCaseId: skp.skp.id, rhk: skp.rhk };
  }

  composer.command('realisasi', async (ctx) => {
    // The employee's own realisation: the policy's 'acting on a step' for the subject's own steps.
    if (!(await permitted(ctx, deps, 'actOnStep'))) return;
    const employee = employeeOf(ctx)!;
    const now = deps.now();
    const arg = commandArgument(ctx);
    // Without a period, a realisation returned for fixing comes first (its notice sent the ASN here).
    const chosen = await realisasiPeriodToOpen(deps, employee, { text: arg || null, now, deadlineDay });
    if (!chosen.ok) {
      const text =
        chosen.reason === 'unreadable'
          ? realisasiTexts.usage(deps.procedures.periodOf(perangkatDaerahName(employee.unitPath)))
          : chosen.reason === 'wrong_kind'
            ? realisasiTexts.wrongPeriodKind(chosen.kind, chosen.example)
            : realisasiTexts.futureMonth(chosen.period);
      return void (await ctx.reply(text, html()));
    }
    const period = chosen.period;
    const year = period.slice(0, 4);
    const skp = await establishedSkpOf(deps, employee, year);
    if (!skp.ok) return void (await ctx.reply(realisasiTexts.skpNotReady(skp.reason, year, localYear(deps.calendar, now))));
    const monthly = await openMonthlyCase(deps, employee, period, now);
    if (!monthly.editable) {
      const conversation = await loadConversation<RealisasiCursor>(deps.db, ctx.from.id);
      if (conversation?.kind === REALISASI_CONVERSATION && conversation.state.caseId === monthly.case.id) await clearConversation(deps.db, ctx.from.id);
      await ctx.reply(caseOverviewText(await caseOverview(deps, monthly.case), tz, deps.now()), html());
      return;
    }
    const flow: Flow = { employee, monthly, skpCaseId: skp.skp.id, rhk: skp.rhk };
    if (monthly.case.status === 'returned') {
      const returned = await latestReturn(deps.db, monthly.case.id);
      if (returned) await ctx.reply(realisasiTexts.returned(period, returned.reason, returned.byName, returned.at, tz), html());
    }
    const conversation = await loadConversation<RealisasiCursor>(deps.db, ctx.from.id);
    if (conversation?.kind === REALISASI_CONVERSATION && conversation.state.caseId === monthly.case.id && conversation.state.q !== 'review') {
      return ask(ctx, flow, conversation.state);
    }
    const draft = await loadRealisasiDraft(deps.db, monthly.case, skp.skp.id);
    const next = firstIncomplete(draft, skp.rhk);
    if (next === -1) return showReview(ctx, flow, draft);
    const fresh = Object.keys(draft.items).length === 0;
    if (fresh) {
      const deadline = monthlyDeadline(deps.calendar, period, deadlineDay);
      await ctx.reply(realisasiTexts.intro(period, skp.rhk.length, deadline, lateNow(monthly), tz), html(webAppKeyboard(deps, 'realisasi')));
    }
    const hasValue = isRealisasiValue(draft.items[skp.rhk[next]!.id]?.realisasi);
    return ask(ctx, flow, { caseId: monthly.case.id, skpCaseId: skp.skp.id, idx: next, q: hasValue ? 'bukti' : 'value', mode: 'new' }, draft);
  });

  onButton(composer, realisasiButtons, async (ctx, button) => {
    const answer = callbackAnswerer(ctx);
    const dropButtons = () => ctx.editMessageReplyMarkup(undefined).catch(() => {});
    const employee = employeeOf(ctx);
    if (!employee) return answer(texts.buttonNotForYou);
    const action = button.op;
    const conversation = await loadConversation<RealisasiCursor>(deps.db, ctx.from.id);
    // Without a cursor the buttons cannot tell which month they belong to: /realisasi starts again.
    if (conversation?.kind !== REALISASI_CONVERSATION) return answer(realisasiTexts.stale);
    const cursor = conversation.state;
    const flow = await loadFlow(employee, cursor.caseId);
    if (flow === 'gone') {
      await clearConversation(deps.db, ctx.from.id);
      await answer(realisasiTexts.notEditable);
      await dropButtons();
      return;
    }
    const draft = await loadRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId);
    switch (action) {
      case 'done': {
        const rhk = flow.rhk[cursor.idx];
        if (cursor.q !== 'bukti' || !rhk) return answer(realisasiTexts.stale);
        if (buktiCountOf(draft, rhk.id) === 0) return answer(realisasiTexts.buktiNeeded);
        await answer();
        await dropButtons();
        return afterRhk(ctx, flow, cursor, draft);
      }
      case 'clr': {
        const rhk = flow.rhk[cursor.idx];
        if (cursor.q !== 'bukti' || !rhk) return answer(realisasiTexts.stale);
        await answer();
        await dropButtons();
        const { draft: after } = await changeRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId, (d) => void (itemOf(d, rhk.id).bukti = []), deps.now());
        return ask(ctx, flow, cursor, after, realisasiTexts.buktiCleared);
      }
      case 'e': {
        const idx = button.op === 'e' ? button.index : -1;
        if (!flow.rhk[idx]) return answer(realisasiTexts.stale);
        await answer();
        await dropButtons();
        return ask(ctx, flow, { caseId: flow.monthly.case.id, skpCaseId: flow.skpCaseId, idx, q: 'value', mode: 'edit' }, draft);
      }
      case 'rev':
        await answer();
        await dropButtons();
        return showReview(ctx, flow, draft);
      case 'send': {
        await answer(realisasiTexts.sending);
        await closeAnsweredQuestion(ctx, realisasiTexts.reviewQuestion);
        try {
          const { result, late } = await submitRealisasi(deps, {
            caseId: flow.monthly.case.id,
            actorId: employee.id,
            now: deps.now(),
            deadlineDay,
            timeZone: tz,
          });
          await clearConversation(deps.db, ctx.from.id);
          const holder = result.case.assigneeId ? await findEmployeeById(deps.db, result.case.assigneeId) : null;
          await ctx.reply(realisasiTexts.submitted(result.case.period, holder?.nama ?? null, result.case.revision, late), html());
        } catch (error) {
          if (!isDomainError(error)) throw error;
          if (error.code === 'REALISASI_INCOMPLETE') {
            return showReview(ctx, flow, undefined, realisasiTexts.incomplete((error.details.problems ?? []) as RealisasiProblem[]));
          }
          if (error.code === 'SKP_NOT_ESTABLISHED') return void (await ctx.reply(realisasiTexts.skpNotEstablished(flow.monthly.case.period.slice(0, 4))));
          await ctx.reply(domainErrorText(error, tz), html());
        }
        return;
      }
      default:
        return answer(realisasiTexts.stale);
    }
  });

  async function onFile(ctx: BotContext, flow: Flow, cursor: RealisasiCursor, file: IncomingFile): Promise<void> {
    const rhk = flow.rhk[cursor.idx]!;
    const archiveDeps: ArchiveDeps = { db: deps.db, config: deps.config, telegram: ctx.telegram, now: deps.now, logger: logOf(ctx) };
    const received = await receiveEvidenceFile(
      archiveDeps,
      { caseId: flow.monthly.case.id, ownerId: flow.employee.id, purpose: rhk.id, file, allowed: EVIDENCE_KINDS },
      async (tx, evidence) => {
        await changeRealisasiDraft(
          tx,
          flow.monthly.case,
          flow.skpCaseId,
          (d) => addBukti(d, rhk.id, evidence),
          deps.now(),
        );
      },
    );
    if (!received.ok) {
      const count = buktiCountOf(await loadRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId), rhk.id);
      await ctx.reply(fileRefusalText(received.refusal), html(realisasiKeyboards.bukti(count)));
      return;
    }
    const draft = await loadRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId);
    const count = buktiCountOf(draft, rhk.id);
    const ev = received.evidence;
    const kind = kindOfMime(ev.mimeType);
    await ctx.reply(
      realisasiTexts.buktiReceived(ev.fileName, kind ? KIND_LABEL[kind] : ev.mimeType, ev.sizeBytes, count, !received.archived),
      html(realisasiKeyboards.bukti(count)),
    );
  }

  // Answers within a realisation conversation; anything else goes on to the next feature and the fallback.
  composer.on('message', async (ctx, next) => {
    const msg = ctx.message;
    if ('text' in msg && msg.text.startsWith('/')) return next();
    const employee = employeeOf(ctx);
    if (!employee) return next();
    const conversation = await loadConversation<RealisasiCursor>(deps.db, ctx.from.id);
    if (conversation?.kind !== REALISASI_CONVERSATION) return next();
    const cursor = conversation.state;
    const flow = await loadFlow(employee, cursor.caseId);
    if (flow === 'gone') {
      await clearConversation(deps.db, ctx.from.id);
      return next();
    }
    const file = incomingFileOf(msg);
    if (cursor.q === 'bukti' && flow.rhk[cursor.idx]) {
      if (file) return onFile(ctx, flow, cursor, file);
      // "Selesai" typed instead of tapped is the same answer as the button.
      if ('text' in msg && /^(selesai|sudah|cukup)[.!]*$/i.test(msg.text.trim())) {
        const draft = await loadRealisasiDraft(deps.db, flow.monthly.case, flow.skpCaseId);
        if (buktiCountOf(draft, flow.rhk[cursor.idx]!.id) === 0) return ask(ctx, flow, cursor, draft, realisasiTexts.buktiNeeded);
        return afterRhk(ctx, flow, cursor, draft);
      }
      return ask(ctx, flow, cursor, undefined, realisasiTexts.expectsFile);
    }
    if (cursor.q === 'value' && flow.rhk[cursor.idx]) {
      if (!('text' in msg)) return ask(ctx, flow, cursor, undefined, realisasiTexts.expectsText);
      const text = msg.text.trim();
      if (text.length > MAX_REALISASI_TEXT) return void (await ctx.reply(realisasiTexts.textTooLong));
      if (!isRealisasiValue(text)) return ask(ctx, flow, cursor, undefined, realisasiTexts.noContent);
      const rhk = flow.rhk[cursor.idx]!;
      const { draft } = await changeRealisasiDraft(
        deps.db,
        flow.monthly.case,
        flow.skpCaseId,
        async (d, tx) => {
          itemOf(d, rhk.id).realisasi = text;
          await saveCursor(tx, ctx, { ...cursor, q: 'bukti' });
        },
        deps.now(),
      );
      return ask(ctx, flow, { ...cursor, q: 'bukti' }, draft);
    }
    return showReview(ctx, flow, undefined, realisasiTexts.expectsButton);
  });

  return composer;
}
