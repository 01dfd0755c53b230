// Methods that send or remove a message: sendMessage, sendDocument, sendPhoto, copyMessage, forwardMessage,
// deleteMessage. Each send checks the recipient, the content and the rate limit before anything is stored.
import type { Core, Handler } from '../core.js';
import { guessMime, type FileRecord } from '../files.js';
import { countChars, formatText, type FormattedText } from '../format.js';
import { ApiError, badRequest, isUpload, paramBool, paramInt, paramJson, paramString, type Params, type UploadedFile } from '../http.js';
import { CAPTION_LIMIT, DOCUMENT_UPLOAD_LIMIT, PHOTO_UPLOAD_LIMIT, TEXT_LIMIT } from '../limits.js';
import { validateReplyMarkup } from '../reply-markup.js';
import type { TgMessage, TgMessageEntity } from '../types.js';
import type { ChatState, StoredMessage } from '../world.js';

/** The caption parameters, formatted and checked against the caption limit. */
export function caption(p: Params): { caption?: string; caption_entities?: TgMessageEntity[] } {
  const raw = paramString(p, 'caption');
  if (raw === undefined) return {};
  const f: FormattedText = formatText(raw, paramString(p, 'parse_mode'), p.caption_entities);
  if (countChars(f.text) > CAPTION_LIMIT) throw badRequest('message caption is too long');
  const out: { caption?: string; caption_entities?: TgMessageEntity[] } = {};
  if (f.text.length > 0) out.caption = f.text;
  if (f.entities.length > 0) out.caption_entities = f.entities;
  return out;
}

function replyTarget(chat: ChatState, p: Params): StoredMessage | undefined {
  let id = paramInt(p, 'reply_to_message_id');
  let allowWithout = paramBool(p, 'allow_sending_without_reply');
  const rp = paramJson(p, 'reply_parameters', "can't parse reply parameters JSON object");
  if (rp !== undefined) {
    if (typeof rp !== 'object' || rp === null) throw badRequest("can't parse reply parameters JSON object");
    const r = rp as Record<string, unknown>;
    if (typeof r.message_id === 'number') id = r.message_id;
    if (r.allow_sending_without_reply === true) allowWithout = true;
  }
  if (id === undefined) return undefined;
  const stored = chat.messages.get(id);
  if (!stored || stored.deleted) {
    if (allowWithout) return undefined;
    throw badRequest('message to be replied not found');
  }
  return stored;
}

export function messageMethods(core: Core): Record<string, Handler> {
  const { world, files, limits } = core;

  const sendMessage = (p: Params): TgMessage => {
    const chat = world.sendTarget(p);
    const raw = paramString(p, 'text');
    if (raw === undefined) throw badRequest('message text is empty');
    const parseMode = paramString(p, 'parse_mode');
    const f = formatText(raw, parseMode, p.entities);
    if (f.text.length === 0) throw badRequest('message text is empty');
    if (countChars(f.text) > TEXT_LIMIT) throw badRequest('message is too long');
    validateReplyMarkup(p.reply_markup);
    const replyTo = replyTarget(chat, p);
    limits.acceptSend(chat);
    const content: Partial<TgMessage> = { text: f.text };
    if (f.entities.length > 0) content.entities = f.entities;
    return world.storeBotMessage(chat, 'sendMessage', p, content, { replyTo, parseMode }).msg;
  };

  /**
   * The checks of sendDocument/sendPhoto, in Telegram's order, up to the accepted send: the recipient, the file
   * (an upload within `uploadLimit`, or a known file_id / URL), caption, keyboard, reply target, rate limit.
   */
  const acceptFileSend = (p: Params, name: 'document' | 'photo', uploadLimit: number) => {
    const chat = world.sendTarget(p);
    const v = p[name];
    let existing: FileRecord | undefined;
    let upload: UploadedFile | undefined;
    if (isUpload(v)) {
      if (v.data.length > uploadLimit) throw new ApiError(413, 'Request Entity Too Large');
      if (v.data.length === 0) throw badRequest('file must be non-empty');
      upload = v;
    } else if (typeof v === 'string' && v !== '') {
      existing = files.byIdOrUrl(v, name);
    } else {
      throw badRequest(`there is no ${name} in the request`);
    }
    const c = caption(p);
    validateReplyMarkup(p.reply_markup);
    const replyTo = replyTarget(chat, p);
    limits.acceptSend(chat);
    return { chat, existing, upload, caption: c, replyTo };
  };

  const sendDocument = (p: Params): TgMessage => {
    const { chat, existing, upload, caption: c, replyTo } = acceptFileSend(p, 'document', DOCUMENT_UPLOAD_LIMIT);
    const file =
      existing ?? files.create('document', upload!.data.length, Buffer.from(upload!.data), upload!.filename, guessMime(upload!.filename, upload!.contentType));
    const content: Partial<TgMessage> = { document: files.documentOf(file) };
    Object.assign(content, c);
    return world.storeBotMessage(chat, 'sendDocument', p, content, { replyTo, parseMode: paramString(p, 'parse_mode'), document: file }).msg;
  };

  const sendPhoto = (p: Params): TgMessage => {
    const { chat, existing, upload, caption: c, replyTo } = acceptFileSend(p, 'photo', PHOTO_UPLOAD_LIMIT);
    let file: FileRecord;
    if (upload) file = files.createPhoto(Buffer.from(upload.data));
    else if (existing!.kind === 'photo') file = files.photoOwner(existing!);
    else file = files.createPhoto(existing!.content ?? Buffer.alloc(0));
    const content: Partial<TgMessage> = { photo: files.photoSizesOf(file) };
    Object.assign(content, c);
    return world.storeBotMessage(chat, 'sendPhoto', p, content, { replyTo, parseMode: paramString(p, 'parse_mode'), photo: file }).msg;
  };

  const copyOrForward = (p: Params, method: 'copyMessage' | 'forwardMessage'): TgMessage | { message_id: number } => {
    const chat = world.sendTarget(p);
    const fromChatId = world.requireChatId(p, 'from_chat_id');
    if (!world.chatExists(fromChatId)) throw badRequest('chat not found');
    const src = world.chats.get(fromChatId)?.messages.get(paramInt(p, 'message_id') ?? -1);
    const what = method === 'copyMessage' ? 'copy' : 'forward';
    if (!src || src.deleted) throw badRequest(`message to ${what} not found`);
    const s = src.msg;
    const content: Partial<TgMessage> = {};
    for (const k of ['text', 'entities', 'caption', 'caption_entities', 'document', 'photo', 'sticker', 'contact'] as const) {
      if (s[k] !== undefined) (content as Record<string, unknown>)[k] = s[k];
    }
    if (method === 'copyMessage' && p.caption !== undefined && (s.document || s.photo)) {
      delete content.caption;
      delete content.caption_entities;
      Object.assign(content, caption(p));
    }
    if (method === 'forwardMessage') {
      const date = s.forward_date ?? s.date;
      if (s.from && !s.from.is_bot) {
        content.forward_origin = { type: 'user', sender_user: s.from, date };
        content.forward_from = s.from;
      } else {
        content.forward_origin = { type: 'user', sender_user: core.botUser, date };
        content.forward_from = core.botUser;
      }
      content.forward_date = date;
    }
    if (method === 'copyMessage') validateReplyMarkup(p.reply_markup);
    const replyTo = method === 'copyMessage' ? replyTarget(chat, p) : undefined;
    limits.acceptSend(chat);
    const stored = world.storeBotMessage(chat, method, p, content, {
      replyTo,
      parseMode: paramString(p, 'parse_mode'),
      source: { chat_id: fromChatId, message_id: s.message_id },
      document: src.document ?? (s.document ? files.byId.get(s.document.file_id) : undefined),
      photo: src.photo,
      keepMarkup: method === 'copyMessage',
    });
    return method === 'copyMessage' ? { message_id: stored.msg.message_id } : stored.msg;
  };

  return {
    sendmessage: sendMessage,
    senddocument: sendDocument,
    sendphoto: sendPhoto,
    copymessage: (p) => copyOrForward(p, 'copyMessage'),
    forwardmessage: (p) => copyOrForward(p, 'forwardMessage'),
    deletemessage: (p) => {
      const chatId = world.requireChatId(p);
      const stored = world.chats.get(chatId)?.messages.get(paramInt(p, 'message_id') ?? -1);
      if (!stored || stored.deleted) throw badRequest('message to delete not found');
      stored.deleted = true;
      if (stored.rec) stored.rec.pub.deleted = true;
      return true;
    },
  };
}
