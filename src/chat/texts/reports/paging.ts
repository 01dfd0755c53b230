// How report messages fit Telegram: the message budget, page sizes, shortened labels and the page navigation row.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';

/** Telegram's limit is 4096 characters; leave room for the page footer. */
export const PAGE_BUDGET = 3800;
export const EMPLOYEES_PER_PAGE = 10;
export const OVERDUE_PER_PAGE = 8;

export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function navRow(page: number, pages: number, data: (page: number) => string): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  if (page > 0) row.push(Markup.button.callback('◀️ Sebelumnya', data(page - 1)));
  if (page < pages - 1) row.push(Markup.button.callback('Berikutnya ▶️', data(page + 1)));
  return row;
}
