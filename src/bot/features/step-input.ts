// Steps that need typed input before they complete — a nomination's summary of achievements (ASN Berprestasi
// step 1), the Kepala SKPD's score (step 2). A button or /usulkan starts the conversation; the chat asks for each
// required text in turn and takes the step's files (a nomination's data, a berita acara) on the way; the last
// answer completes the step, or resubmits it after a return. The cursor (which case, which answers, which files)
// lives in the user's conversations row, so a restart loses nothing and /batal changes nothing.
import { Composer } from 'telegraf';
import { incomingFileOf, kindOfMime, receiveEvidenceFile, type ArchiveDeps, type EvidenceKind } from '../../app/archive.js';
import { act, type EngineDeps } from '../../app/case-engine.js';
import { loadCaseView, type CaseView } from '../../app/case-view.js';
import { clearConversation, loadConversation, saveConversation } from '../../app/conversation.js';
import type { DbOrTx } from '../../app/database.js';
import { evidenceFilesSince } from '../../app/evidence-files.js';
import type { FileRef } from '../../domain/case.js';
import { isDomainError } from '../../domain/errors.js';
import { fileInputOf, typedInputsOf, type Step, type TextKelengkapan } from '../../domain/procedure.js';
import { saysSomething } from '../../domain/skp-rules.js';
import { permitted } from '../access.js';
import { employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { approvalTexts } from '../../chat/texts/approvals.js';
import { MAX_STEP_FILES, MAX_STEP_TEXT, stepInputTexts } from '../../chat/texts/award.js';
import { fileRefusalText } from '../../chat/texts/monthly.js';

export const STEP_INPUT_CONVERSATION = 'step_input';

interface StepInputCursor {
  caseId: string;
  /** The case version the answers are for: any other transition makes them stale. */
  version: number;
  stepNo: number;
  answers: Record<string, string>;
  files: FileRef[];
}

/** A file arrived for a conversation that has since ended (the step completed, /batal): it is not kept. */
class ConversationEnded extends Error {}

const nextQuestion = (step: Step, cursor: Pick<StepInputCursor, 'answers'>): TextKelengkapan | undefined =>
  typedInputsOf(step).find((item) => !(item.key in cursor.answers));

const allowedKinds = (mimeTypes: readonly string[]): EvidenceKind[] =>
  mimeTypes.map((m) => kindOfMime(m)).filter((k): k is EvidenceKind => k !== null);

/** Whether the step's button must ask for typed input instead of completing at once. */
export function needsTypedInput(step: Step): boolean {
  return typedInputsOf(step).length > 0;
}

async function loadCursor(db: DbOrTx, telegramUserId: number, lock = false): Promise<StepInputCursor | null> {
  const conv = await loadConversation<StepInputCursor>(db, telegramUserId, { lock });
  return conv?.kind === STEP_INPUT_CONVERSATION ? conv.state : null;
}

/**
 * Files already received for this step since the case entered it (sent before a /batal or a restart of the
 * questions): they stay part of the answer rather than lingering unlisted in the case's attachments.
 */
async function filesOfThisVisit(deps: BotDeps, view: CaseView): Promise<FileRef[]> {
  const files = fileInputOf(view.step);
  if (!files) return [];
  const rows = await evidenceFilesSince(deps.db, view.row.id, files.key, view.row.stepEnteredAt, MAX_STEP_FILES);
  return rows.map((r) => ({ fileId: r.telegramFileId, mimeType: r.mimeType, sizeBytes: r.sizeBytes, ...(r.fileName ? { name: r.fileName } : {}) }));
}

async function prompt(ctx: BotContext, view: CaseView, cursor: StepInputCursor, prefix?: string): Promise<void> {
  const item = nextQuestion(view.step, cursor)!;
  const text = stepInputTexts.ask(view, item, fileInputOf(view.step), cursor.files.length);
  await ctx.reply(prefix ? `${prefix}\n\n${text}` : text, {
    parse_mode: 'HTML',
    reply_markup: { force_reply: true, input_field_placeholder: stepInputTexts.placeholder(item) },
  });
}

/**
 * Starts (or, for the same case and version, resumes) the typed input of the case's current step for the user.
 * The caller has checked that the user may act on it.
 */
export async function askStepInput(deps: BotDeps, ctx: BotContext, view: CaseView, prefix?: string): Promise<void> {
  const userId = ctx.from!.id;
  const existing = await loadCursor(deps.db, userId);
  const cursor: StepInputCursor =
    existing && existing.caseId === view.row.id && existing.version === view.row.version
      ? existing
      : { caseId: view.row.id, version: view.row.version, stepNo: view.row.stepNo, answers: {}, files: await filesOfThisVisit(deps, view) };
  await saveConversation(deps.db, userId, STEP_INPUT_CONVERSATION, cursor, deps.now());
  await prompt(ctx, view, cursor, prefix);
}

export function stepInputFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const engine: EngineDeps = { db: deps.db, calendar: deps.calendar, procedures: deps.procedures };
  const tz = deps.config.deployment.instansi.timeZone;
  const html = { parse_mode: 'HTML' as const };

  composer.on('message', async (ctx, next) => {
    const msg = ctx.message;
    if ('text' in msg && msg.text.startsWith('/')) return next();
    const me = employeeOf(ctx);
    if (!me) return next();
    const cursor = await loadCursor(deps.db, ctx.from.id);
    if (!cursor) return next();
    const view = await loadCaseView(deps.db, deps.procedures, cursor.caseId);
    const question = view ? nextQuestion(view.step, cursor) : undefined;
    if (!view || view.row.version !== cursor.version || view.row.stepNo !== cursor.stepNo || !question) {
      // Someone else acted on the case meanwhile (or an admin cancelled it): these answers are for nothing now.
      await clearConversation(deps.db, ctx.from.id);
      await ctx.reply(approvalTexts.conversationExpired);
      return;
    }

    const file = incomingFileOf(msg);
    if (file) {
      const files = fileInputOf(view.step);
      if (!files) return void (await ctx.reply(stepInputTexts.noFilesHere(question), html));
      if (cursor.files.length >= MAX_STEP_FILES) return void (await ctx.reply(stepInputTexts.tooManyFiles));
      const archiveDeps: ArchiveDeps = { db: deps.db, config: deps.config, telegram: ctx.telegram, now: deps.now, logger: logOf(ctx) };
      let count = 0;
      try {
        const received = await receiveEvidenceFile(
          archiveDeps,
          { caseId: view.row.id, ownerId: me.id, purpose: files.key, file, allowed: allowedKinds(files.mimeTypes) },
          // The file joins the answers in the evidence row's transaction: recorded and listed, or neither.
          async (tx, evidence) => {
            const locked = await loadCursor(tx, ctx.from.id, true);
            if (!locked || locked.caseId !== cursor.caseId || locked.version !== cursor.version) throw new ConversationEnded();
            locked.files.push({
              fileId: evidence.telegramFileId,
              mimeType: evidence.mimeType,
              sizeBytes: evidence.sizeBytes,
              ...(evidence.fileName ? { name: evidence.fileName } : {}),
            });
            count = locked.files.length;
            await saveConversation(tx, ctx.from.id, STEP_INPUT_CONVERSATION, locked, deps.now());
          },
        );
        if (!received.ok) return void (await ctx.reply(fileRefusalText(received.refusal), html));
      } catch (error) {
        if (!(error instanceof ConversationEnded)) throw error;
        return void (await ctx.reply(approvalTexts.conversationExpired));
      }
      await ctx.reply(stepInputTexts.fileReceived(files, count, question), html);
      return;
    }

    if (!('text' in msg)) return void (await ctx.reply(stepInputTexts.textPlease(question), html));
    const text = msg.text.trim();
    if (text.length > MAX_STEP_TEXT) return void (await ctx.reply(stepInputTexts.tooLong));
    const min = question.minLength ?? 1;
    // An answer with a minimum length is words, not a row of dots to reach it.
    const empty = question.minLength !== undefined && !saysSomething(text);
    if (text.length < min || empty) return void (await ctx.reply(stepInputTexts.tooShort(question, min), html));
    const answered: StepInputCursor = { ...cursor, answers: { ...cursor.answers, [question.key]: text } };
    if (nextQuestion(view.step, answered)) {
      await saveConversation(deps.db, ctx.from.id, STEP_INPUT_CONVERSATION, answered, deps.now());
      await prompt(ctx, view, answered);
      return;
    }

    // The last answer: the step completes (or is resubmitted after a return) with everything gathered.
    if (!(await permitted(ctx, deps, 'actOnStep', { kind: 'case', caseId: view.row.id }))) {
      return void (await clearConversation(deps.db, ctx.from.id));
    }
    const files = fileInputOf(view.step);
    const inputs: Record<string, unknown> = {
      ...answered.answers,
      ...(files && answered.files.length > 0 ? { [files.key]: answered.files } : {}),
      ...(view.step.requires.some((r) => r.kind === 'confirm') ? { confirmed: true } : {}),
    };
    try {
      await act(engine, {
        caseId: view.row.id,
        actorId: me.id,
        expectedVersion: cursor.version,
        command: view.row.status === 'returned' ? { kind: 'resubmit', inputs } : { kind: 'complete', stepNo: view.row.stepNo, inputs },
        now: deps.now(),
      });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await clearConversation(deps.db, ctx.from.id);
      await ctx.reply(domainErrorText(error, tz), html);
      return;
    }
    await clearConversation(deps.db, ctx.from.id);
    await ctx.reply(stepInputTexts.done(await loadCaseView(deps.db, deps.procedures, view.row.id)), html);
  });

  return composer;
}
