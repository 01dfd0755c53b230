// /umumkan: compose an announcement, choose the audience, preview, send through the queue, follow progress; and
// the recipients' "✅ Siap, dimengerti" button. Conversation progress is a `conversations` row (kind 'broadcast').
import { randomUUID } from 'node:crypto';
import { clearConversation, loadConversation, saveConversation } from '../../app/conversation.js';
import { Composer, TelegramError } from 'telegraf';
import type { Message, MessageEntity } from 'telegraf/types';
import { z } from 'zod';
import { publishReport, sendAnnouncement } from '../../chat/announcement.js';
import {
  acknowledgeDelivery,
  audienceSchema,
  broadcastScopeOf,
  cancelBroadcast,
  checkUnitChoice,
  countAudience,
  createBroadcastDraft,
  discardDraft,
  getBroadcast,
  listPerangkatDaerah,
  realisasiMonthFor,
  lateRealisasiMonthFor,
  openEvaluationYear,
  resolveTemplate,
  setDraftAudience,
  startBroadcast,
  templateKeys,
  type Audience,
  type BroadcastScope,
} from '../../app/broadcast.js';
import { isDomainError, type DomainError } from '../../domain/errors.js';
import { perangkatDaerahMatching } from '../../domain/unit-name.js';
import { wordsOf } from '../free-text.js';
import { permitted } from '../access.js';
import { onButton, type ButtonContext } from '../buttons.js';
import { ackButtons, broadcastButtons } from '../../chat/buttons/broadcast.js';
import { employeeOf, logOf, type BotContext, type BotDeps } from '../context.js';
import { domainErrorText } from '../../chat/texts/errors.js';
import { confirmPress } from '../prompt-answer.js';
import { texts } from '../../chat/texts/common.js';
import {
  audienceLabel,
  broadcastErrorText,
  broadcastKeyboards,
  broadcastTexts,
  templateHtml,
} from '../../chat/texts/broadcast.js';
import { entitiesToHtml, hasFormatting } from '../../chat/message-html.js';

const KIND = 'broadcast';

const stateSchema = z.object({
  step: z.enum(['compose', 'audience', 'units', 'preview']),
  broadcastId: z.uuid().optional(),
  /** The one preview of the announcement, sent when it was composed; the audience confirmation replies to it. */
  previewMessageId: z.number().int().optional(),
  selectedUnitIds: z.array(z.uuid()).default([]),
});
type BroadcastState = z.infer<typeof stateSchema>;

/** An announcement as composed: its text (HTML), an attachment, and the template it came from. */
type Composition = { textHtml: string; media: { kind: 'document' | 'photo'; fileId: string } | null; templateCode: string | null };

export function broadcastFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const tz = deps.config.deployment.instansi.timeZone;

  const errorText = (error: DomainError) => broadcastErrorText(error) ?? domainErrorText(error, tz);

  const loadState = async (telegramUserId: number): Promise<BroadcastState | null> => {
    const row = await loadConversation(deps.db, telegramUserId, { kinds: [KIND] });
    if (!row) return null;
    const parsed = stateSchema.safeParse(row.state);
    return parsed.success ? parsed.data : null;
  };

  const saveState = (telegramUserId: number, state: BroadcastState) => saveConversation(deps.db, telegramUserId, KIND, state, deps.now());

  const endConversation = async (telegramUserId: number) => {
    await clearConversation(deps.db, telegramUserId, KIND);
  };

  /** The sender's scope, or null after telling them they may not broadcast. */
  const senderScope = async (ctx: BotContext): Promise<BroadcastScope | null> => {
    if (!(await permitted(ctx, deps, 'broadcast'))) return null;
    return broadcastScopeOf(employeeOf(ctx));
  };

  const scopeName = async (scope: BroadcastScope) =>
    scope.unitId ? ((await listPerangkatDaerah(deps.db, scope))[0]?.name ?? null) : null;

  const audienceMenu = async (scope: BroadcastScope) => {
    const now = deps.now();
    return broadcastKeyboards.audience({
      wholeInstansi: scope.unitId === null,
      scopeName: await scopeName(scope),
      // The year /skp builds: in December, next year's SKP cannot be made yet, so its audience would be everyone.
      skpYear: Number(deps.calendar.localDate(now).slice(0, 4)),
      realisasiMonth: realisasiMonthFor(deps.config, deps.calendar, now),
      lateRealisasiMonth: lateRealisasiMonthFor(deps.config, deps.calendar, now),
      evaluationYear: openEvaluationYear(deps.config, deps.calendar, now),
    });
  };

  // ------------------------------------------------------------------------------------------------ compose

  composer.command('umumkan', async (ctx) => {
    const scope = await senderScope(ctx);
    if (!scope) return;
    await saveState(ctx.from.id, { step: 'compose', selectedUnitIds: [] });
    const now = deps.now();
    const choices = templateKeys(deps.config, deps.calendar, deps.procedures, now).flatMap((key) => {
      const choice = resolveTemplate(deps.config, deps.calendar, deps.procedures, key, now);
      return choice ? [{ key, choice }] : [];
    });
    await ctx.reply(broadcastTexts.intro(await scopeName(scope)), { parse_mode: 'HTML', ...broadcastKeyboards.templates(choices) });
  });

  /**
   * The composed announcement is sent back exactly as recipients will see it: that is how Telegram validates the
   * HTML. Only when it is accepted does the draft exist and the audience question follow.
   */
  const acceptComposition = async (
    ctx: BotContext,
    scope: BroadcastScope,
    content: Composition,
  ) => {
    if (!content.textHtml.trim() && !content.media) return void (await ctx.reply(broadcastTexts.emptyText));
    const broadcastId = randomUUID();
    let preview: { message_id: number };
    try {
      preview = await sendAnnouncement(ctx.telegram, ctx.chat!.id, {
        broadcastId,
        textHtml: content.textHtml,
        mediaKind: content.media?.kind ?? null,
        mediaFileId: content.media?.fileId ?? null,
      });
    } catch (error) {
      if (!(error instanceof TelegramError) || error.code !== 400) throw error;
      const d = error.description;
      const parse = /can't parse entities: (.*)$/i.exec(d);
      const reply = parse
        ? broadcastTexts.htmlInvalid(parse[1]!)
        : /caption is too long/i.test(d)
          ? broadcastTexts.captionTooLong
          : /message is too long/i.test(d)
            ? broadcastTexts.textTooLong
            : /text is empty|text must be non-empty/i.test(d)
              ? broadcastTexts.emptyText
              : broadcastTexts.sendFailed;
      logOf(ctx).info({ description: d }, 'announcement refused by Telegram');
      await ctx.reply(reply, { parse_mode: 'HTML' });
      return;
    }
    await createBroadcastDraft(deps.db, { id: broadcastId, createdBy: employeeOf(ctx)!.id, scope, ...content });
    await saveState(ctx.from!.id, { step: 'audience', broadcastId, previewMessageId: preview.message_id, selectedUnitIds: [] });
    await ctx.reply(broadcastTexts.chooseAudience, { parse_mode: 'HTML', ...(await audienceMenu(scope)) });
  };

  const onTemplate = async (ctx: ButtonContext, key: string) => {
    const scope = await senderScope(ctx);
    if (!scope) return;
    const state = await loadState(ctx.from.id);
    const choice = resolveTemplate(deps.config, deps.calendar, deps.procedures, key, deps.now());
    if (!state || state.step !== 'compose' || !choice) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    await ctx.answerCbQuery();
    await acceptComposition(ctx, scope, { textHtml: templateHtml(choice, tz), media: null, templateCode: key });
  };

  const htmlOf = (text: string, entities: MessageEntity[] | undefined) =>
    // Formatting done in the Telegram app arrives as entities; otherwise the text is taken as typed HTML.
    hasFormatting(entities) ? entitiesToHtml(text, entities) : text;

  /** What a message adds to an announcement being composed; null for a kind an announcement cannot carry. */
  const compositionOf = (m: Message): Composition | null => {
    if ('text' in m) return { textHtml: htmlOf(m.text, m.entities), media: null, templateCode: null };
    if ('document' in m) return { textHtml: htmlOf(m.caption ?? '', m.caption_entities), media: { kind: 'document', fileId: m.document.file_id }, templateCode: null };
    if ('photo' in m) return { textHtml: htmlOf(m.caption ?? '', m.caption_entities), media: { kind: 'photo', fileId: m.photo[m.photo.length - 1]!.file_id }, templateCode: null };
    return null;
  };

  // Text, a document or a photo while composing becomes the announcement; anything else (stickers, voice,
  // contacts…) gets an answer, not silence.
  composer.on('message', async (ctx, next) => {
    if ('text' in ctx.message && ctx.message.text.startsWith('/')) return next();
    const state = await loadState(ctx.from.id);
    if (!state) return next();
    const composition = compositionOf(ctx.message);
    if (!composition) return void (await ctx.reply(state.step === 'compose' ? broadcastTexts.unsupportedCompose : broadcastTexts.useButtons));
    const scope = await senderScope(ctx);
    if (!scope) return endConversation(ctx.from.id);
    if (state.step === 'compose') return acceptComposition(ctx, scope, composition);
    // An audience typed instead of tapped ("Semua pegawai", "para atasan", "Dinas Kesehatan") is the same choice.
    const typed = 'text' in ctx.message && (state.step === 'audience' || state.step === 'preview') ? await typedAudience(scope, ctx.message.text) : null;
    if (!typed) return void (await ctx.reply(broadcastTexts.useButtons));
    await showPreview(ctx, scope, state, typed);
  });

  /** The audience a typed answer names: everyone, the atasan, the pengelola, the late, or (for BKPP) one perangkat daerah. */
  const typedAudience = async (scope: BroadcastScope, text: string): Promise<Audience | null> => {
    const said = wordsOf(text).filter((w) => w !== 'para').join(' ');
    if (said === 'semua' || said === 'semua pegawai') return { kind: 'all' };
    if (said === 'atasan') return { kind: 'role', role: 'atasan' };
    if (said === 'pengelola' || said === 'pengelola kepegawaian') return { kind: 'role', role: 'pengelola' };
    // "terlambat", "yang terlambat": the month just past its deadline, as its button offers it.
    const late = lateRealisasiMonthFor(deps.config, deps.calendar, deps.now());
    if (late && (said === 'terlambat' || said === 'yang terlambat')) return { kind: 'status', status: 'no_realisasi', month: late };
    if (scope.unitId !== null) return null;
    const units = perangkatDaerahMatching(await listPerangkatDaerah(deps.db, scope), text);
    return units.length === 1 ? { kind: 'units', unitIds: [units[0]!.id] } : null;
  };

  // ------------------------------------------------------------------------------------------------ audience

  const showPreview = async (ctx: BotContext, scope: BroadcastScope, state: BroadcastState, audience: Audience) => {
    const draft = state.broadcastId ? await getBroadcast(deps.db, state.broadcastId) : null;
    if (!draft || draft.status !== 'draft') {
      await endConversation(ctx.from!.id);
      return void (await ctx.reply(broadcastTexts.alreadyDecided));
    }
    const count = await countAudience(deps.db, deps.procedures, { audience, scope });
    if (count.recipients === 0) {
      await saveState(ctx.from!.id, { ...state, step: 'audience' });
      return void (await ctx.reply(broadcastTexts.noRecipients(count), await audienceMenu(scope)));
    }
    await setDraftAudience(deps.db, { broadcastId: draft.id, actorId: draft.createdBy, audience });
    const unitNames =
      audience.kind === 'units'
        ? (await listPerangkatDaerah(deps.db, scope)).filter((u) => audience.unitIds.includes(u.id)).map((u) => u.name)
        : [];
    // The announcement itself was shown once, when it was composed (that send validated it): the confirmation
    // replies to that preview instead of showing it again, so the sender sees it once (and once more only as a
    // recipient, if they are in the audience).
    await saveState(ctx.from!.id, { ...state, step: 'preview' });
    await ctx.reply(broadcastTexts.preview(audienceLabel(audience, unitNames), count), {
      parse_mode: 'HTML',
      ...(state.previewMessageId ? { reply_parameters: { message_id: state.previewMessageId, allow_sending_without_reply: true } } : {}),
      ...broadcastKeyboards.confirm(draft.id),
    });
  };

  const onAudience = async (ctx: ButtonContext, choice: string) => {
    const scope = await senderScope(ctx);
    if (!scope) return;
    const state = await loadState(ctx.from.id);
    // The audience may be changed until Kirim: an older audience menu stays usable during the preview.
    if (!state || state.step === 'compose') return void (await ctx.answerCbQuery(texts.buttonInvalid));

    if (choice === 'units') {
      if (scope.unitId) return void (await ctx.answerCbQuery(broadcastTexts.notYourUnit));
      await ctx.answerCbQuery();
      await saveState(ctx.from.id, { ...state, step: 'units', selectedUnitIds: [] });
      const all = await listPerangkatDaerah(deps.db, scope);
      await ctx.reply(broadcastTexts.chooseUnits, { parse_mode: 'HTML', ...broadcastKeyboards.units(all, []) });
      return;
    }
    const [kind, arg] = choice.split(':') as [string, string | undefined];
    const candidate =
      kind === 'all'
        ? { kind: 'all' }
        : kind === 'atasan' || kind === 'pengelola'
          ? { kind: 'role', role: kind }
          : kind === 'noskp'
            ? { kind: 'status', status: 'no_skp', year: Number(arg) }
            : kind === 'noeval'
              ? { kind: 'status', status: 'eval_pending', year: Number(arg) }
              : { kind: 'status', status: 'no_realisasi', month: arg };
    const audience = audienceSchema.safeParse(candidate);
    if (!audience.success) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    await ctx.answerCbQuery();
    await showPreview(ctx, scope, state, audience.data);
  };

  const onUnit = async (ctx: ButtonContext, arg: string) => {
    const scope = await senderScope(ctx);
    if (!scope) return;
    const state = await loadState(ctx.from.id);
    if (!state || state.step !== 'units') return void (await ctx.answerCbQuery(texts.buttonInvalid));

    if (arg === 'ok') {
      if (state.selectedUnitIds.length === 0) return void (await ctx.answerCbQuery(broadcastTexts.chooseUnitsFirst));
      await ctx.answerCbQuery();
      await ctx.editMessageReplyMarkup(undefined).catch(() => {});
      await showPreview(ctx, scope, state, { kind: 'units', unitIds: state.selectedUnitIds });
      return;
    }
    try {
      await checkUnitChoice(deps.db, scope, arg);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return void (await ctx.answerCbQuery(errorText(error)));
    }
    const selected = state.selectedUnitIds.includes(arg)
      ? state.selectedUnitIds.filter((id) => id !== arg)
      : [...state.selectedUnitIds, arg];
    await saveState(ctx.from.id, { ...state, selectedUnitIds: selected });
    await ctx.answerCbQuery();
    const all = await listPerangkatDaerah(deps.db, scope);
    await ctx.editMessageReplyMarkup(broadcastKeyboards.units(all, selected).reply_markup).catch((error: unknown) => {
      if (!(error instanceof TelegramError && /not modified/.test(error.description))) throw error;
    });
  };

  // ------------------------------------------------------------------------------------------------ send / stop / report

  const onBroadcast = async (ctx: ButtonContext, op: 'send' | 'discard' | 'stop' | 'refresh', broadcastId: string) => {


    const employee = employeeOf(ctx);
    
    const scope = await senderScope(ctx);
    if (!scope || !employee) return;
    const message = ctx.callbackQuery.message;
    const reportDeps = { db: deps.db, telegram: ctx.telegram, logger: logOf(ctx), timeZone: tz, now: deps.now };
    try {
      switch (op) {
        case 'send': {
          if (!message) return void (await ctx.answerCbQuery(texts.buttonInvalid));
          const { broadcast, recipients } = await startBroadcast(deps.db, deps.procedures, {
            broadcastId,
            actorId: employee.id,
            now: deps.now(),
            progress: { chatId: message.chat.id, messageId: message.message_id },
          });
          await confirmPress(ctx, broadcastTexts.startedToast);
          await endConversation(ctx.from.id);
          // The confirmation message becomes the live report before any worker can edit it.
          await publishReport(reportDeps, broadcast.id);
          if (recipients > 0) {
            const jobs = deps.services.jobs?.broadcasts;
            // Deliveries are already in Postgres: if Redis is unreachable now, reconcile() enqueues them later.
            await jobs?.enqueue(broadcast.id).catch((error) => logOf(ctx).error({ err: error }, 'enqueueing a broadcast failed'));
            if (!jobs) logOf(ctx).warn({ broadcastId }, 'job system not running; the broadcast waits for reconcile');
          }
          return;
        }
        case 'discard': {
          await discardDraft(deps.db, { broadcastId, actorId: employee.id, now: deps.now() });
          await ctx.answerCbQuery();
          await endConversation(ctx.from.id);
          await ctx.editMessageText(broadcastTexts.draftCancelled);
          return;
        }
        case 'stop': {
          const { cancelledBatches } = await cancelBroadcast(deps.db, { broadcastId, actor: employee, now: deps.now() });
          await confirmPress(ctx, broadcastTexts.stoppedToast);
          await publishReport(reportDeps, broadcastId);
          await deps.services.jobs?.broadcasts
            ?.discard(broadcastId, cancelledBatches)
            .catch((error) => logOf(ctx).warn({ err: error }, 'dropping cancelled broadcast jobs failed'));
          return;
        }
        case 'refresh': {
          const broadcast = await getBroadcast(deps.db, broadcastId);
          if (!broadcast) return void (await ctx.answerCbQuery(texts.buttonInvalid));
          if (broadcast.createdBy !== employee.id && scope.unitId !== null) return void (await ctx.answerCbQuery(texts.buttonNotForYou));
          await confirmPress(ctx, broadcastTexts.refreshedToast);
          await publishReport(reportDeps, broadcastId);
          return;
        }
      }
    } catch (error) {
      if (!isDomainError(error)) throw error;
      await ctx.answerCbQuery(errorText(error).slice(0, 200));
    }
  };

  // ------------------------------------------------------------------------------------------------ recipients

  onButton(composer, broadcastButtons, async (ctx, button) => {
    switch (button.op) {
      case 'template':
        return onTemplate(ctx, button.key);
      case 'audience':
        return onAudience(ctx, button.audience);
      case 'unit':
        return onUnit(ctx, button.unitId);
      case 'unitsDone':
        return onUnit(ctx, 'ok');
      default:
        return onBroadcast(ctx, button.op, button.broadcastId);
    }
  });

  onButton(composer, ackButtons, async (ctx, { broadcastId }) => {

    const message = ctx.callbackQuery.message;
    if (!message) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    const result = await acknowledgeDelivery(deps.db, {
      broadcastId,
      chatId: message.chat.id,
      messageId: message.message_id,
      now: deps.now(),
    });
    const toast = {
      acknowledged: broadcastTexts.ackRecorded,
      already: broadcastTexts.ackAlready,
      preview: broadcastTexts.ackPreview,
      unknown: texts.buttonInvalid,
    }[result];
    await ctx.answerCbQuery(toast);
  });

  return composer;
}
