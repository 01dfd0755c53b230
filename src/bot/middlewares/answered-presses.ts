// Which presses were answered, so an error after the answer does not answer again (Telegram would refuse); an
// answer too late for a toast comes as a chat message instead.
import type { MiddlewareFn } from 'telegraf';
import { classifyTelegramError } from '../../chat/telegram-errors.js';
import { escapeHtml } from '../../chat/texts/common.js';
import type { BotContext, BotState } from '../context.js';

export function recordAnsweredPresses(): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    if (ctx.callbackQuery) {
      const answer = ctx.answerCbQuery.bind(ctx);
      ctx.answerCbQuery = (async (...args: Parameters<typeof answer>) => {
        (ctx.state as Partial<BotState>).callbackAnswered = true;
        try {
          return await answer(...args);
        } catch (error) {
          if (classifyTelegramError(error).kind !== 'query_too_old') throw error;
          // Answered too late for a toast: what it said comes as a chat message instead.
          const [text] = args;
          if (text && ctx.chat) await ctx.reply(escapeHtml(text), { parse_mode: 'HTML' });
          return true;
        }
      }) as typeof ctx.answerCbQuery;
    }
    return next();
  };
}
