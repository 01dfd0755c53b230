// Personal commands work only in a private chat; in groups the bot only says so.
import type { MiddlewareFn } from 'telegraf';
import { texts } from '../../chat/texts/common.js';
import { isPrivateChat, type BotContext } from '../context.js';

export function privateOnly(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.chat && !isPrivateChat(ctx)) {
      const msg = ctx.message;
      const isCommand = msg && 'text' in msg && msg.text.startsWith('/');
      if (isCommand) await ctx.reply(texts.privateOnly(ctx.botInfo.username));
      else if (ctx.callbackQuery) await ctx.answerCbQuery(texts.privateOnly(ctx.botInfo.username).slice(0, 200));
      return;
    }
    return next();
  };
}
