// /skp: the ASN enters (or uploads as PDF) the year's SKP, reviews it, sends it, and fixes it after a return.
//
// One question at a time. What was answered lives in case_drafts, which question is being asked lives in the
// user's conversations row (kind 'skp'); both change in one transaction, so a restart resumes at the same
// question and /batal (which deletes the cursor) keeps the answers.
import { ASPEK, SKP_LIMITS, saysSomething } from '../../domain/skp-rules.js';
import { withWebAppRow } from '../web-app.js';
import { Composer } from 'telegraf';
import type { Message } from 'telegraf/types';
import { receiveEvidenceFile, type ArchiveDeps } from '../../app/archive.js';
import { askOrWithdraw, clearConversation, loadConversation, sameState, saveConversation } from '../../app/conversation.js';
import {
  atasanRhkOptions,
  caseOverview,
  changeSkpDraft,
  getSkpCase,
  latestReturn,
  loadSkpDraft,
  needsIntervensi,
  newRhkId,
  openSkpCase,
  rhkOfCaseData,
  skpDeadlineOf,
  submitSkp,
  unfinishedLastYearSkp,
  type Aspek,
  type DraftProblem,
  type RhkDraft,
  type SkpCase,
  type SkpDraft,
} from '../../app/skp.js';
import type { Tx } from '../../app/database.js';
import { isSkpEstablished } from '../../app/realisasi.js';
import { findEmployeeById, type EmployeeProfile } from '../../app/repositories/employees.js';
import { isDomainError } from '../../domain/errors.js';
import { permitted } from '../access.js';
import { type BotContext, type BotDeps, callbackAnswerer, commandArgument, employeeOf, logOf } from '../context.js';
import { answerOtherSkpYear } from './skp-year.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { texts } from '../../chat/texts/common.js';
import { fileRefusalText } from '../../chat/texts/monthly.js';
import { caseOverviewText, skpKeyboards, skpTexts } from '../../chat/texts/skp.js';
import { skpButtons } from '../../chat/buttons/skp.js';
import { closeAnsweredQuestion, onButton } from '../buttons.js';

export const SKP_CONVERSATION = 'skp';
/** The cursor kept by /batal: no answer is expected, and /skp resumes at its question. */
export const SKP_PAUSED_CONVERSATION = 'skp_paused';

type SkpQuestion = 'intro' | 'rhk_text' | 'jenis' | 'aspek' | 'target' | 'more' | 'intervensi' | 'pdf_file' | 'pdf_summary' | 'review';

/** The conversation cursor: which question about which RHK; 'edit' returns to the review after one change. */
interface SkpCursor {
  caseId: string;
  q: SkpQuestion;
  mode: 'new' | 'edit';
  rhkId?: string;
  aspek?: Aspek;
  /** "Ubah indikator": the first new indikator replaces the old list (kept until then, so /batal loses nothing). */
  replaceIndikator?: boolean;
  evidenceId?: string;
  fileId?: string;
  fileName?: string | null;
}

// Shared with the Mini App (src/domain/skp-rules.ts). MAX_RHK keeps the review within one message and its keyboard
// within Telegram's button limit.
const { maxRhkText: MAX_RHK_TEXT, maxRhk: MAX_RHK, maxIndikator: MAX_INDIKATOR, maxTarget: MAX_TARGET } = SKP_LIMITS;
const skpDraftIsFull = (draft: SkpDraft) => draft.rhk.length >= MAX_RHK;
const QUESTIONS_ABOUT_AN_RHK: SkpQuestion[] = ['jenis', 'aspek', 'target', 'more', 'intervensi'];
const BUTTON_QUESTIONS: SkpQuestion[] = ['intro', 'jenis', 'aspek', 'more', 'intervensi', 'review'];

export function skpFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;

  const saveCursor = (db: BotDeps['db'] | Tx, ctx: BotContext, cursor: SkpCursor) =>
    saveConversation(db, ctx.from!.id, SKP_CONVERSATION, cursor, deps.now());

  const html = (extra: object = {}) => ({ parse_mode: 'HTML' as const, ...extra });

  async function showReview(ctx: BotContext, employee: EmployeeProfile, skp: SkpCase, draft?: SkpDraft, prefix?: string): Promise<void> {
    const d = draft ?? (await loadSkpDraft(deps.db, skp.case));
    const cursor: SkpCursor = { caseId: skp.case.id, q: 'review', mode: 'new' };
    await saveCursor(deps.db, ctx, cursor);
    const revision = skp.case.status === 'returned' ? skp.case.revision + 1 : skp.case.revision;
    const body = skpTexts.review(skp.year, d, needsIntervensi(employee), revision);
    await askOrWithdraw(deps.db, ctx.from!.id, SKP_CONVERSATION, cursor, () =>
      ctx.reply(prefix ? `${prefix}\n\n${body}` : body, html({ reply_markup: withWebAppRow(skpKeyboards.review(d).reply_markup, deps, 'skp') })),
    );
  }

  /** Saves the cursor and asks its question (a question about a deleted RHK falls back to the review). */
  async function ask(ctx: BotContext, employee: EmployeeProfile, skp: SkpCase, cursor: SkpCursor, draft?: SkpDraft, prefix?: string): Promise<void> {
    const d = draft ?? (await loadSkpDraft(deps.db, skp.case));
    const rhk = cursor.rhkId ? d.rhk.find((r) => r.id === cursor.rhkId) : undefined;
    if ((QUESTIONS_ABOUT_AN_RHK.includes(cursor.q) || cursor.mode === 'edit') && cursor.q !== 'pdf_file' && !rhk) {
      return showReview(ctx, employee, skp, d, prefix);
    }
    if (cursor.q === 'review') return showReview(ctx, employee, skp, d, prefix);
    await saveCursor(deps.db, ctx, cursor);
    // A question that did not reach the user does not wait for an answer.
    const say = (text: string, extra: object = {}) =>
      askOrWithdraw(deps.db, ctx.from!.id, SKP_CONVERSATION, cursor, () => ctx.reply(prefix ? `${prefix}\n\n${text}` : text, html(extra)));
    switch (cursor.q) {
      case 'intro':
        await say(skpTexts.intro(skp.year, skpDeadlineOf(deps.calendar, deps.config.deployment, skp.year, deps.now())), { reply_markup: withWebAppRow(skpKeyboards.intro().reply_markup, deps, 'skp') });
        return;
      case 'rhk_text':
        await say(cursor.mode === 'edit' && rhk ? skpTexts.askRhkTextEdit(rhk.text) : skpTexts.askRhkText(d.rhk.length + 1));
        return;
      case 'jenis':
        await say(skpTexts.askJenis(rhk!.text), skpKeyboards.jenis());
        return;
      case 'aspek':
        await say(skpTexts.askAspek(cursor.replaceIndikator ? 1 : rhk!.indikator.length + 1, cursor.replaceIndikator === true), skpKeyboards.aspek());
        return;
      case 'target':
        await say(skpTexts.askTarget(cursor.aspek ?? 'kuantitas'));
        return;
      case 'more':
        await say(skpTexts.askMore(rhk!), skpKeyboards.more());
        return;
      case 'intervensi': {
        const options = await atasanRhkOptions(deps, employee, skp.year);
        if (options) await say(skpTexts.askIntervensi(options), skpKeyboards.intervensi(options));
        else await say(skpTexts.askIntervensiNone(employee.atasanNama), skpKeyboards.intervensi([]));
        return;
      }
      case 'pdf_file':
        await say(skpTexts.askPdf);
        return;
      case 'pdf_summary':
        await say(cursor.mode === 'edit' && rhk ? skpTexts.askPdfSummaryEdit(rhk.text) : skpTexts.askPdfSummary(cursor.fileName ?? null));
        return;
    }
  }

  /**
   * Applies an answer to the draft and moves the cursor in one transaction, then asks the next question.
   * `answered` is the cursor the answer was given to: telegraf handles a batch of updates concurrently, so
   * a double-sent answer must not be applied twice; the second one just sees the question that is current.
   */
  async function advance(
    ctx: BotContext,
    employee: EmployeeProfile,
    skp: SkpCase,
    answered: SkpCursor | null,
    change: (draft: SkpDraft) => SkpCursor,
  ): Promise<void> {
    const { draft, result: next } = await changeSkpDraft(
      deps.db,
      skp.case,
      async (d, tx) => {
        if (answered) {
          const current = await loadConversation<SkpCursor>(tx, ctx.from!.id, { lock: true });
          if (current?.kind !== SKP_CONVERSATION || !sameState(current.state, answered)) {
            return current?.kind === SKP_CONVERSATION ? current.state : ({ caseId: skp.case.id, q: 'review', mode: 'new' } as SkpCursor);
          }
        }
        const cursor = change(d);
        await saveCursor(tx, ctx, cursor);
        return cursor;
      },
      deps.now(),
    );
    await ask(ctx, employee, skp, next, draft);
  }

  /** Entry point of /skp: continue where the ASN is, or say where the case stands. */
  async function enter(ctx: BotContext, employee: EmployeeProfile, skp: SkpCase): Promise<void> {
    if (!skp.editable) {
      const conversation = await loadConversation<SkpCursor>(deps.db, ctx.from!.id);
      if (conversation?.kind === SKP_CONVERSATION) await clearConversation(deps.db, ctx.from!.id);
      const overview = caseOverviewText(await caseOverview(deps, skp.case), tz, deps.now());
      // What it holds too: the ASN's /skp is their SKP, not only where it stands.
      if (skp.case.status === 'cancelled') return void (await ctx.reply(overview, html()));
      const note = skpTexts.lockedNote(isSkpEstablished(skp.case, skp.procedure));
      await ctx.reply(skpTexts.view(overview, rhkOfCaseData(skp.case.data), needsIntervensi(employee), note), html());
      return;
    }
    if (skp.case.status === 'returned') {
      const returned = await latestReturn(deps.db, skp.case.id);
      if (returned) await ctx.reply(skpTexts.returned(returned.reason, returned.byName, returned.at, tz), html());
    }
    const conversation = await loadConversation<SkpCursor>(deps.db, ctx.from!.id);
    const resumable = conversation?.kind === SKP_CONVERSATION || conversation?.kind === SKP_PAUSED_CONVERSATION;
    if (conversation && resumable && conversation.state.caseId === skp.case.id && conversation.state.q !== 'review') {
      return ask(ctx, employee, skp, conversation.state);
    }
    const draft = await loadSkpDraft(deps.db, skp.case);
    if (draft.rhk.length === 0) return ask(ctx, employee, skp, { caseId: skp.case.id, q: 'intro', mode: 'new' }, draft);
    return showReview(ctx, employee, skp, draft);
  }

  async function submit(ctx: BotContext, employee: EmployeeProfile, skp: SkpCase): Promise<void> {
    try {
      const { case: row } = await submitSkp(deps, { caseId: skp.case.id, actorId: employee.id, now: deps.now() });
      await clearConversation(deps.db, ctx.from!.id);
      const holder = row.assigneeId ? await findEmployeeById(deps.db, row.assigneeId) : null;
      await ctx.reply(skpTexts.submitted(skp.year, holder?.nama ?? null, row.revision), html());
    } catch (error) {
      if (!isDomainError(error)) throw error;
      if (error.code === 'SKP_DRAFT_INCOMPLETE') {
        const problems = (error.details.problems ?? []) as DraftProblem[];
        return showReview(ctx, employee, skp, undefined, skpTexts.incomplete(problems));
      }
      await ctx.reply(domainErrorText(error, tz), html());
    }
  }

  composer.command('skp', async (ctx) => {
    // The employee's own SKP: the policy's 'acting on a step' for the subject's own steps.
    if (!(await permitted(ctx, deps, 'actOnStep'))) return;
    const employee = employeeOf(ctx)!;
    const arg = commandArgument(ctx);
    const other = arg ? await answerOtherSkpYear(ctx, deps, employee, arg) : 'current';
    if (other === 'answered') return;
    if (other !== 'current') return enter(ctx, employee, other);
    const lastYear = await unfinishedLastYearSkp(deps, employee, deps.now());
    if (lastYear) await ctx.reply(skpTexts.lastYearUnfinished(lastYear.year, lastYear.case.status === 'returned'), html());
    const skp = await openSkpCase(deps, employee, deps.now());
    await enter(ctx, employee, skp);
  });

  onButton(composer, skpButtons, async (ctx, button) => {
    const answer = callbackAnswerer(ctx);
    // The tapped message loses its buttons: its question is answered, and old buttons cannot be reused.
    const dropButtons = () => ctx.editMessageReplyMarkup(undefined).catch(() => {});
    const employee = employeeOf(ctx);
    if (!employee) return answer(texts.buttonNotForYou);
    const conversation = await loadConversation<SkpCursor>(deps.db, ctx.from.id);
    const ownCursor = conversation?.kind === SKP_CONVERSATION ? conversation.state : null;
    let skp = ownCursor ? await getSkpCase(deps, ownCursor.caseId) : null;
    // A cursor of a case that moved on (or of last year) does not decide: the buttons act on this year's SKP.
    if (!skp || skp.case.subjectId !== employee.id || !skp.editable) skp = await openSkpCase(deps, employee, deps.now());
    if (!skp.editable) {
      await answer(skpTexts.notEditable);
      await dropButtons();
      return;
    }
    const cursor = ownCursor && ownCursor.caseId === skp.case.id ? ownCursor : null;
    const draft = await loadSkpDraft(deps.db, skp.case);
    const at = (q: SkpQuestion) => cursor?.q === q && (!cursor.rhkId || draft.rhk.some((r) => r.id === cursor.rhkId));
    const rhkById = (id: string | undefined) => draft.rhk.find((r) => r.id === id);
    const base = { caseId: skp.case.id };
    const withRhk = (id: string, change: (rhk: RhkDraft) => void) => (d: SkpDraft) => {
      const rhk = d.rhk.find((r) => r.id === id);
      if (rhk) change(rhk);
    };

    switch (button.op) {
      case 'm':
      case 'add':
        if (skpDraftIsFull(draft)) return answer(skpTexts.tooManyRhk(MAX_RHK));
        await answer();
        await dropButtons();
        return ask(ctx, employee, skp, { ...base, q: 'rhk_text', mode: 'new' }, draft);
      case 'p':
        await answer();
        await dropButtons();
        return ask(ctx, employee, skp, { ...base, q: 'pdf_file', mode: 'new' }, draft);
      case 'r':
        await answer();
        await dropButtons();
        return showReview(ctx, employee, skp, draft);
      case 'send':
        await answer(skpTexts.sending);
        await closeAnsweredQuestion(ctx, skpTexts.reviewQuestion);
        return submit(ctx, employee, skp);
      case 'j': {
        if (!at('jenis')) return answer(skpTexts.stale);
        await answer();
        await dropButtons();
        return advance(ctx, employee, skp, cursor!, jenisChosen(cursor!, button.jenis));
      }
      case 'a': {
        if (!at('aspek')) return answer(skpTexts.stale);
        await answer();
        await dropButtons();
        return ask(ctx, employee, skp, { ...cursor!, q: 'target', aspek: button.aspek }, draft);
      }
      case 'i': {
        if (!at('more')) return answer(skpTexts.stale);
        if (button.next === 'add' && (rhkById(cursor!.rhkId)?.indikator.length ?? 0) >= MAX_INDIKATOR) return answer(skpTexts.tooManyIndikator(MAX_INDIKATOR));
        await answer();
        await dropButtons();
        const c = cursor!;
        if (button.next === 'add') return ask(ctx, employee, skp, { ...c, q: 'aspek', replaceIndikator: false }, draft);
        if (c.mode === 'new' && needsIntervensi(employee)) return ask(ctx, employee, skp, { ...base, q: 'intervensi', mode: 'new', rhkId: c.rhkId! }, draft);
        return showReview(ctx, employee, skp, draft);
      }
      case 'v': {
        if (!at('intervensi')) return answer(skpTexts.stale);
        const c = cursor!;
        let picked: { id: string | null; text?: string };
        if (button.pick === 'skip') picked = { id: null };
        else {
          const options = await atasanRhkOptions(deps, employee, skp.year);
          const option = options?.[button.pick];
          if (!option) return answer(skpTexts.stale);
          picked = { id: option.id, text: option.text };
        }
        await answer();
        await dropButtons();
        return advance(ctx, employee, skp, c, (d) => {
          withRhk(c.rhkId!, (rhk) => {
            rhk.rhkAtasanId = picked.id;
            if (picked.text) rhk.rhkAtasanText = picked.text;
            else delete rhk.rhkAtasanText;
          })(d);
          return { ...base, q: 'review', mode: 'new' };
        });
      }
      case 'e': {
        const rhk = rhkById(button.rhkId);
        if (!rhk) return answer(skpTexts.rhkGone);
        await answer();
        await dropButtons();
        await saveCursor(deps.db, ctx, { ...base, q: 'review', mode: 'new' });
        const no = draft.rhk.indexOf(rhk) + 1;
        await ctx.reply(skpTexts.editMenu(rhk, no, needsIntervensi(employee)), html(skpKeyboards.editMenu(rhk, needsIntervensi(employee))));
        return;
      }
      case 'ef': {
        const rhk = rhkById(button.rhkId);
        if (!rhk) return answer(skpTexts.rhkGone);
        const edit = { ...base, mode: 'edit' as const, rhkId: rhk.id };
        const next: SkpCursor | null =
          button.field === 't'
            ? { ...edit, q: rhk.source === 'pdf' ? 'pdf_summary' : 'rhk_text' }
            : button.field === 'j'
              ? { ...edit, q: 'jenis' }
              : button.field === 'i'
                ? { ...edit, q: 'aspek', replaceIndikator: rhk.indikator.length > 0 }
                : button.field === 'v' && needsIntervensi(employee)
                  ? { ...edit, q: 'intervensi' }
                  : null;
        if (!next) return answer(skpTexts.stale);
        await answer();
        await dropButtons();
        return ask(ctx, employee, skp, next, draft);
      }
      case 'd': {
        const rhk = rhkById(button.rhkId);
        if (!rhk) return answer(skpTexts.rhkGone);
        await answer();
        await dropButtons();
        await ctx.reply(skpTexts.confirmDelete(rhk, draft.rhk.indexOf(rhk) + 1), html(skpKeyboards.confirmDelete(rhk)));
        return;
      }
      case 'dy': {
        if (!rhkById(button.rhkId)) return answer(skpTexts.rhkGone);
        await answer(skpTexts.deleted);
        await dropButtons();
        const { draft: after } = await changeSkpDraft(
          deps.db,
          skp.case,
          async (d, tx) => {
            d.rhk = d.rhk.filter((r) => r.id !== button.rhkId);
            await saveCursor(tx, ctx, { ...base, q: 'review', mode: 'new' });
          },
          deps.now(),
        );
        if (after.rhk.length === 0) return ask(ctx, employee, skp, { ...base, q: 'intro', mode: 'new' }, after);
        return showReview(ctx, employee, skp, after);
      }
      default:
        return answer(skpTexts.stale);
    }
  });

  /** The draft change of a jenis chosen for the cursor's RHK, by its button or typed: the aspek comes next. */
  function jenisChosen(c: SkpCursor, jenis: 'utama' | 'tambahan') {
    return (d: SkpDraft): SkpCursor => {
      const rhk = d.rhk.find((r) => r.id === c.rhkId);
      if (rhk) rhk.jenis = jenis;
      return c.mode === 'edit' ? { caseId: c.caseId, q: 'review', mode: 'new' } : { caseId: c.caseId, q: 'aspek', mode: 'new', rhkId: c.rhkId! };
    };
  }

  async function onText(ctx: BotContext, employee: EmployeeProfile, skp: SkpCase, cursor: SkpCursor, text: string): Promise<void> {
    const base = { caseId: skp.case.id };
    // A button's label typed instead of tapped ("utama", "Kuantitas") is the same answer; anything else asks again.
    const typed = text.trim().toLowerCase().replace(/[.!]+$/, '');
    if (cursor.q === 'jenis' && (typed === 'utama' || typed === 'tambahan')) return advance(ctx, employee, skp, cursor, jenisChosen(cursor, typed));
    const aspek = ASPEK.find((a) => a === typed);
    if (cursor.q === 'aspek' && aspek) return ask(ctx, employee, skp, { ...cursor, q: 'target', aspek });
    switch (cursor.q) {
      case 'rhk_text':
      case 'pdf_summary': {
        if (text.length > MAX_RHK_TEXT) return void (await ctx.reply(skpTexts.textTooLong(MAX_RHK_TEXT)));
        if (!saysSomething(text)) return ask(ctx, employee, skp, cursor, undefined, skpTexts.noContent);
        if (cursor.mode === 'edit') {
          return advance(ctx, employee, skp, cursor, (d) => {
            const rhk = d.rhk.find((r) => r.id === cursor.rhkId);
            if (rhk) rhk.text = text;
            return { ...base, q: 'review', mode: 'new' };
          });
        }
        if (cursor.q === 'pdf_summary') {
          // The PDF is the whole SKP: it replaces whatever was typed before.
          return advance(ctx, employee, skp, cursor, (d) => {
            d.rhk = [
              {
                id: newRhkId(),
                jenis: 'utama',
                text,
                indikator: [],
                source: 'pdf',
                ...(cursor.evidenceId ? { evidenceId: cursor.evidenceId } : {}),
                ...(cursor.fileId ? { fileId: cursor.fileId } : {}),
              },
            ];
            return { ...base, q: 'review', mode: 'new' };
          });
        }
        if (skpDraftIsFull(await loadSkpDraft(deps.db, skp.case))) return showReview(ctx, employee, skp, undefined, skpTexts.tooManyRhk(MAX_RHK));
        const id = newRhkId();
        return advance(ctx, employee, skp, cursor, (d) => {
          d.rhk.push({ id, text, indikator: [] });
          return { ...base, q: 'jenis', mode: 'new', rhkId: id };
        });
      }
      case 'target': {
        if (text.length > MAX_TARGET) return void (await ctx.reply(skpTexts.textTooLong(MAX_TARGET)));
        if (!saysSomething(text)) return ask(ctx, employee, skp, cursor, undefined, skpTexts.noContent);
        return advance(ctx, employee, skp, cursor, (d) => {
          const rhk = d.rhk.find((r) => r.id === cursor.rhkId);
          if (rhk) {
            const indikator = { aspek: cursor.aspek ?? 'kuantitas', target: text };
            rhk.indikator = cursor.replaceIndikator ? [indikator] : [...rhk.indikator, indikator];
          }
          const { aspek: _answered, ...rest } = cursor;
          return { ...rest, q: 'more', replaceIndikator: false };
        });
      }
      case 'pdf_file':
        return ask(ctx, employee, skp, cursor, undefined, skpTexts.expectsPdf);
      default:
        return ask(ctx, employee, skp, cursor, undefined, skpTexts.expectsButton);
    }
  }

  async function onPdf(ctx: BotContext, employee: EmployeeProfile, skp: SkpCase, cursor: SkpCursor, doc: Message.DocumentMessage['document']) {
    const archiveDeps: ArchiveDeps = { db: deps.db, config: deps.config, telegram: ctx.telegram, now: deps.now, logger: logOf(ctx) };
    const received = await receiveEvidenceFile(
      archiveDeps,
      {
        caseId: skp.case.id,
        ownerId: employee.id,
        purpose: 'skp_draft_pdf',
        file: { fileId: doc.file_id, fileUniqueId: doc.file_unique_id, fileName: doc.file_name, mimeType: doc.mime_type, sizeBytes: doc.file_size },
        allowed: ['pdf'],
      },
      async (tx, evidence) => {
        await saveCursor(tx, ctx, {
          caseId: skp.case.id,
          q: 'pdf_summary',
          mode: 'new',
          evidenceId: evidence.id,
          fileId: evidence.telegramFileId,
          fileName: evidence.fileName,
        });
      },
    );
    if (!received.ok) {
      await ctx.reply(`${fileRefusalText(received.refusal)}\n\n${skpTexts.askPdf}`, html());
      return;
    }
    await ctx.reply(skpTexts.askPdfSummary(received.evidence.fileName), html());
  }

  // Answers within an SKP conversation; anything else goes on to the other features and the fallback.
  composer.on('message', async (ctx, next) => {
    const msg = ctx.message;
    if ('text' in msg && msg.text.startsWith('/')) return next();
    const employee = employeeOf(ctx);
    if (!employee) return next();
    const conversation = await loadConversation<SkpCursor>(deps.db, ctx.from.id);
    if (conversation?.kind !== SKP_CONVERSATION) return next();
    const cursor = conversation.state;
    const skp = await getSkpCase(deps, cursor.caseId);
    if (!skp || skp.case.subjectId !== employee.id || !skp.editable) {
      // The case moved on (submitted elsewhere, cancelled): the cursor is stale.
      await clearConversation(deps.db, ctx.from.id);
      return next();
    }
    if ('text' in msg) return onText(ctx, employee, skp, cursor, msg.text.trim());
    if (cursor.q === 'pdf_file') {
      if ('document' in msg) return onPdf(ctx, employee, skp, cursor, msg.document);
      return ask(ctx, employee, skp, cursor, undefined, skpTexts.expectsPdf);
    }
    // A sticker, photo, voice note… where text or a button is expected: say what is expected.
    return ask(ctx, employee, skp, cursor, undefined, BUTTON_QUESTIONS.includes(cursor.q) ? skpTexts.expectsButton : skpTexts.expectsText);
  });

  return composer;
}
