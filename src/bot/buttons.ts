// Handling an inline button family: the tap's callback data is decoded by the family that built the button;
// anything it does not accept (an old or forged button) is answered as invalid, never guessed at.
import type { Composer, NarrowedContext } from 'telegraf';
import type { CallbackQuery, Update } from 'telegraf/types';
import type { ButtonFamily } from '../chat/buttons/codec.js';
import { texts } from '../chat/texts/common.js';
import type { BotContext } from './context.js';

export type ButtonContext = NarrowedContext<BotContext, Update.CallbackQueryUpdate<CallbackQuery.DataQuery>>;

export function onButton<T>(composer: Composer<BotContext>, family: ButtonFamily<T>, handle: (ctx: ButtonContext, data: T) => Promise<unknown>): void {
  composer.action(family.trigger, async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? family.decode(ctx.callbackQuery.data) : null;
    if (data === null) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    await handle(ctx as ButtonContext, data);
  });
}
