// Handling an inline button family: the tap's callback data is decoded by the family that built the button;
// anything it does not accept (an old or forged button) is answered as invalid, never guessed at.
import type { Composer, NarrowedContext } from 'telegraf';
import type { CallbackQuery, Update } from 'telegraf/types';
import type { ButtonFamily } from '../chat/buttons/codec.js';
import { entitiesToHtml, withoutQuestion } from '../chat/message-html.js';
import { texts } from '../chat/texts/common.js';
import type { BotContext } from './context.js';

export type ButtonContext = NarrowedContext<BotContext, Update.CallbackQueryUpdate<CallbackQuery.DataQuery>>;

/**
 * The tapped message once its question is answered: the question (last in its text) goes with its buttons, and the
 * rest keeps its formatting. A message that does not end with it only loses its buttons.
 */
export async function closeAnsweredQuestion(ctx: BotContext, question: string): Promise<void> {
  const msg = ctx.callbackQuery?.message;
  const html = msg && 'text' in msg ? entitiesToHtml(msg.text, msg.entities) : null;
  if (html === null || !html.endsWith(question)) return void (await ctx.editMessageReplyMarkup(undefined).catch(() => {}));
  await ctx.editMessageText(withoutQuestion(html, question), { parse_mode: 'HTML' }).catch(() => {});
}

export function onButton<T>(composer: Composer<BotContext>, family: ButtonFamily<T>, handle: (ctx: ButtonContext, data: T) => Promise<unknown>): void {
  composer.action(family.trigger, async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? family.decode(ctx.callbackQuery.data) : null;
    if (data === null) return void (await ctx.answerCbQuery(texts.buttonInvalid));
    await handle(ctx as ButtonContext, data);
  });
}
