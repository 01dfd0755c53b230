// /batal: stop the question being asked. Drafts stay (an SKP question is paused, to be asked again by /skp).
import { Composer } from 'telegraf';
import { clearConversation, saveConversation } from '../../app/conversation.js';
import { texts } from '../../chat/texts/common.js';
import type { BotContext, BotDeps } from '../context.js';
import { SKP_CONVERSATION, SKP_PAUSED_CONVERSATION } from './skp.js';
import { STEP_INPUT_CONVERSATION } from './step-input.js';

export function cancelFeature(deps: BotDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  composer.command(['batal', 'cancel'], async (ctx) => {
    const deleted = await clearConversation(deps.db, ctx.from.id);
    const kind = deleted?.kind;
    // An SKP question left half-way is paused, not forgotten: /skp asks it again (with the aspek already chosen).
    const cursor = deleted?.state as { q?: string } | undefined;
    if (kind === SKP_CONVERSATION && cursor?.q && cursor.q !== 'review') {
      await saveConversation(deps.db, ctx.from.id, SKP_PAUSED_CONVERSATION, cursor, deps.now());
      return void (await ctx.reply(texts.skpPaused));
    }
    // SKP and realisation drafts live on in case_drafts: only the question being asked is dropped.
    const draftCommand = kind === SKP_CONVERSATION || kind === SKP_PAUSED_CONVERSATION ? '/skp' : kind === 'realisasi' ? '/realisasi' : null;
    const reply = !kind
      ? texts.nothingToCancel
      : draftCommand
        ? texts.draftKept(draftCommand)
        : kind === STEP_INPUT_CONVERSATION
          ? texts.stepInputStopped
          : texts.cancelled;
    await ctx.reply(reply);
  });

  return composer;
}
