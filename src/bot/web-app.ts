// How users reach the Mini App from the chat: the bot's menu button, and web_app buttons beside the chat way.
import type { Telegraf } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { webAppTexts } from '../chat/texts/webapp.js';
import type { BotContext, BotDeps } from './context.js';

/** The screens a button opens (the page reads ?screen=; Telegram passes its launch data in the hash). */
export type WebAppScreen = 'skp' | 'realisasi' | 'tugas' | 'rekap';

export function webAppUrl(base: string, screen?: WebAppScreen): string {
  return screen ? `${base}?screen=${screen}` : base;
}

/** The bot's menu button opens the Mini App (through the bot's own client, like every other call). */
export async function publishMenuButton(bot: Telegraf<BotContext>, url: string | undefined): Promise<void> {
  if (!url) return;
  await bot.telegram.setChatMenuButton({ menuButton: { type: 'web_app', text: webAppTexts.menuButton, web_app: { url } } });
}

/** A web_app button to a screen, or null when the Mini App is not served. */
export function webAppButton(deps: Pick<BotDeps, 'config'>, screen: WebAppScreen): InlineKeyboardButton | null {
  const base = deps.config.env.WEB_APP_URL;
  if (!base) return null;
  const text = screen === 'rekap' ? webAppTexts.openDashboard : webAppTexts.openForm;
  return { text, web_app: { url: webAppUrl(base, screen) } };
}

/** The same button as a one-row inline keyboard, for a message that has no keyboard of its own. */
export function webAppKeyboard(deps: Pick<BotDeps, 'config'>, screen: WebAppScreen): { reply_markup: InlineKeyboardMarkup } | Record<string, never> {
  const button = webAppButton(deps, screen);
  return button ? { reply_markup: { inline_keyboard: [[button]] } } : {};
}

/** Adds the button as the last row of an inline keyboard (returned unchanged when the Mini App is not served). */
export function withWebAppRow<T extends { inline_keyboard: InlineKeyboardButton[][] } | undefined>(markup: T, deps: Pick<BotDeps, 'config'>, screen: WebAppScreen): T | InlineKeyboardMarkup {
  const button = webAppButton(deps, screen);
  if (!button) return markup;
  return { inline_keyboard: [...(markup?.inline_keyboard ?? []), [button]] };
}
