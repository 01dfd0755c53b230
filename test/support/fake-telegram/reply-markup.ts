// reply_markup: loose validation with Telegram's error texts, and the part a Message object carries.
import { badRequest } from './http.js';

const INLINE_ACTIONS = [
  'callback_data',
  'url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'login_url',
  'web_app',
  'pay',
  'callback_game',
  'copy_text',
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Loose validation of a reply_markup object, with Telegram's error texts for the common mistakes. */
export function validateReplyMarkup(markup: unknown): void {
  if (markup === undefined) return;
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in markup) {
    const rows = markup.inline_keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        if (!isObject(button)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton should be an Object");
        if (typeof button.text !== 'string') {
          throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
        }
        if (!INLINE_ACTIONS.some((k) => button[k] !== undefined)) {
          throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        }
        if (button.callback_data !== undefined) {
          const data = button.callback_data;
          if (typeof data !== 'string') throw badRequest(`can't parse inline keyboard button: Field "callback_data" must be of type String`);
          const bytes = Buffer.byteLength(data, 'utf8');
          if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
        if (button.url !== undefined) {
          if (typeof button.url !== 'string' || !/^(https?:\/\/|tg:\/\/)\S+$/i.test(button.url)) {
            throw badRequest(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
          }
        }
      }
    }
    return;
  }
  if ('keyboard' in markup) {
    const rows = markup.keyboard;
    if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) {
      throw badRequest('field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const button of row) {
        if (typeof button === 'string') continue;
        if (!isObject(button) || typeof button.text !== 'string') {
          throw badRequest(`can't parse keyboard button: Field "text" must be of type String`);
        }
      }
    }
    return;
  }
  if ('remove_keyboard' in markup) {
    if (markup.remove_keyboard !== true) throw badRequest('field "remove_keyboard" of the ReplyKeyboardRemove must be true');
    return;
  }
  if ('force_reply' in markup) {
    if (markup.force_reply !== true) throw badRequest('field "force_reply" of the ForceReply must be true');
    return;
  }
  // Anything else (e.g. {}) is ignored by Telegram as "no markup".
}

/** The part of a reply_markup that a Message object carries (inline keyboards only). */
export function messageMarkup(markup: unknown): unknown {
  return isObject(markup) && Array.isArray(markup.inline_keyboard) && markup.inline_keyboard.length > 0 ? markup : undefined;
}
