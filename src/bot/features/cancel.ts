// /batal: stop the question being asked. Drafts stay (an SKP question is paused, to be asked again by /skp).
import { Composer } from 'telegraf';
import { clearConversation, saveConversation } from '../../app/conversation.js';
import { findCaseRow } from '../../app/repositories/cases.js';
import { localYear } from '../../app/skp.js';
import { realisasiCommand } from '../../chat/texts/monthly.js';
import { escapeHtml, texts } from '../../chat/texts/common.js';
import { isPeriodKey } from '../../domain/period.js';
import type { BotContext, BotDeps } from '../context.js';
import { SKP_CONVERSATION, SKP_PAUSED_CONVERSATION } from './skp.js';
import { STEP_INPUT_CONVERSATION } from './step-input.js';

export function cancelFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  const resumeCommand = async (kind: string, cursor: { caseId?: string } | undefined): Promise<string> => {
    const period = cursor?.caseId ? (await findCaseRow(deps.db, cursor.caseId))?.period : undefined;
    if (kind === 'realisasi') return period && isPeriodKey(period) ? realisasiCommand(period) : '/realisasi';
    return period && period !== localYear(deps.calendar, deps.now()) ? `<code>/skp ${escapeHtml(period)}</code>` : '/skp';
  };

  composer.command(['batal', 'cancel'], async (ctx) => {
    const deleted = await clearConversation(deps.db, ctx.from.id);
    const kind = deleted?.kind;
    // An SKP question left half-way is paused, not forgotten: /skp asks it again (with the aspek already chosen).
    const cursor = deleted?.state as { q?: string; caseId?: string } | undefined;
    if (kind === SKP_CONVERSATION && cursor?.q && cursor.q !== 'review') {
      await saveConversation(deps.db, ctx.from.id, SKP_PAUSED_CONVERSATION, cursor, deps.now());
      return void (await ctx.reply(texts.skpPaused(await resumeCommand(kind, cursor)), { parse_mode: 'HTML' }));
    }
    // SKP and realisation drafts live on in case_drafts: only the question being asked is dropped. The command that
    // resumes it names its period where the bare one opens another: November's late realisation on 8 December is
    // /realisasi november (/realisasi is December's), last year's SKP in January /skp 2026.
    const draftCommand = kind === SKP_CONVERSATION || kind === SKP_PAUSED_CONVERSATION || kind === 'realisasi' ? await resumeCommand(kind, cursor) : null;
    if (draftCommand) return void (await ctx.reply(texts.draftKept(draftCommand), { parse_mode: 'HTML' }));
    await ctx.reply(!kind ? texts.nothingToCancel : kind === STEP_INPUT_CONVERSATION ? texts.stepInputStopped : texts.cancelled);
  });

  return composer;
}
