// Methods that edit a bot message: editMessageText, editMessageCaption, editMessageReplyMarkup (an edit that
// changes nothing is refused as "message is not modified", as Telegram does).
import type { Core, Handler } from '../core.js';
import { nowSec } from '../core.js';
import { countChars, formatText } from '../format.js';
import { badRequest, paramInt, paramString, sanitizeParams, type Params } from '../http.js';
import { TEXT_LIMIT } from '../limits.js';
import { messageMarkup, validateReplyMarkup } from '../reply-markup.js';
import type { BotMessage, TgMessage, TgMessageEntity } from '../types.js';
import type { StoredMessage } from '../world.js';
import { caption } from './messages.js';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

interface EditChanges {
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  captionEntities?: TgMessageEntity[];
  parseMode?: string | undefined;
}

export function editMethods(core: Core): Record<string, Handler> {
  const world = core.world;

  const editTarget = (p: Params): StoredMessage => {
    if (p.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID');
    const chatId = world.requireChatId(p);
    if (!world.chatExists(chatId)) throw badRequest('chat not found');
    const messageId = paramInt(p, 'message_id');
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const stored = world.chats.get(chatId)?.messages.get(messageId);
    if (!stored || stored.deleted) throw badRequest('message to edit not found');
    if (!stored.fromBot) throw badRequest("message can't be edited");
    return stored;
  };

  /** Stores the edited message (reply_markup replaced or removed, as Telegram does) and notifies waiters. */
  const applyEdit = (stored: StoredMessage, next: TgMessage, p: Params, changes: EditChanges): TgMessage => {
    const markup = messageMarkup(p.reply_markup);
    delete next.reply_markup;
    if (markup !== undefined) next.reply_markup = markup;
    stored.msg = next;
    const rec = stored.rec!;
    const pub: BotMessage = { ...rec.pub, message: next, edits: rec.pub.edits + 1, editedAt: Date.now(), lastEditParams: sanitizeParams(p) };
    if (changes.text !== undefined) {
      pub.text = changes.text;
      if (changes.entities && changes.entities.length > 0) pub.entities = changes.entities;
      else delete pub.entities;
    }
    if (changes.caption !== undefined) {
      if (changes.caption === '') delete pub.caption;
      else pub.caption = changes.caption;
      if (changes.captionEntities && changes.captionEntities.length > 0) pub.caption_entities = changes.captionEntities;
      else delete pub.caption_entities;
    }
    if (changes.text !== undefined || changes.caption !== undefined) {
      if (changes.parseMode) pub.parse_mode = changes.parseMode;
      else delete pub.parse_mode;
    }
    if (p.reply_markup !== undefined) pub.reply_markup = p.reply_markup;
    else delete pub.reply_markup;
    rec.pub = pub;
    core.waiters.onBotMessageChanged(pub.chat_id, rec, true);
    return next;
  };

  return {
    editmessagetext: (p) => {
      const stored = editTarget(p);
      if (stored.msg.text === undefined) throw badRequest('there is no text in the message to edit');
      const raw = paramString(p, 'text');
      if (raw === undefined) throw badRequest('message text is empty');
      const f = formatText(raw, paramString(p, 'parse_mode'), p.entities);
      if (f.text.length === 0) throw badRequest('message text is empty');
      if (countChars(f.text) > TEXT_LIMIT) throw badRequest('message is too long');
      validateReplyMarkup(p.reply_markup);
      const markup = messageMarkup(p.reply_markup);
      const m = stored.msg;
      if (f.text === m.text && sameJson(f.entities, m.entities ?? []) && sameJson(markup, m.reply_markup)) {
        throw badRequest(NOT_MODIFIED);
      }
      const next: TgMessage = { ...m, text: f.text, edit_date: nowSec() };
      delete next.entities;
      if (f.entities.length > 0) next.entities = f.entities;
      return applyEdit(stored, next, p, { text: f.text, entities: f.entities, parseMode: paramString(p, 'parse_mode') });
    },
    editmessagecaption: (p) => {
      const stored = editTarget(p);
      const m = stored.msg;
      if (!m.document && !m.photo) throw badRequest('there is no caption in the message to edit');
      const c = caption(p);
      validateReplyMarkup(p.reply_markup);
      const markup = messageMarkup(p.reply_markup);
      if (c.caption === m.caption && sameJson(c.caption_entities ?? [], m.caption_entities ?? []) && sameJson(markup, m.reply_markup)) {
        throw badRequest(NOT_MODIFIED);
      }
      const next: TgMessage = { ...m, edit_date: nowSec() };
      delete next.caption;
      delete next.caption_entities;
      Object.assign(next, c);
      return applyEdit(stored, next, p, { caption: c.caption ?? '', captionEntities: c.caption_entities ?? [], parseMode: paramString(p, 'parse_mode') });
    },
    editmessagereplymarkup: (p) => {
      const stored = editTarget(p);
      validateReplyMarkup(p.reply_markup);
      const markup = messageMarkup(p.reply_markup);
      if (sameJson(markup, stored.msg.reply_markup)) throw badRequest(NOT_MODIFIED);
      return applyEdit(stored, { ...stored.msg, edit_date: nowSec() }, p, {});
    },
  };
}
