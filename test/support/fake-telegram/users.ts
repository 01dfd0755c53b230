// The user simulator: what people do in their chats (write, share a contact, send a file or photo, edit, tap a
// button, block the bot), each turned into the update Telegram would queue for the bot.
import type { Core } from './core.js';
import { nowSec } from './core.js';
import type { FileRecord } from './files.js';
import type {
  CallbackQueryUpdate,
  EditedMessageUpdate,
  FakeUser,
  IncomingOpts,
  MessageUpdate,
  TgMessage,
  TgMessageEntity,
  Update,
} from './types.js';
import { updateType } from './updates.js';
import { withoutReply, type ChatState } from './world.js';

/** bot_command entities for every /command that starts the text or follows whitespace. */
function commandEntities(text: string): TgMessageEntity[] {
  const out: TgMessageEntity[] = [];
  const re = /(^|\s)(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,32})?)(?=$|\s|[^A-Za-z0-9_@])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ type: 'bot_command', offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  return out;
}

export class UserSimulator {
  constructor(private readonly core: Core) {}

  blockBot(userId: number, notify: boolean | undefined): void {
    const s = this.core.world.userState(userId);
    s.blocked = true;
    if (notify) this.queueMyChatMember(s.user, 'member', 'kicked');
  }

  unblockBot(userId: number, notify: boolean | undefined): void {
    const s = this.core.world.userState(userId);
    s.blocked = false;
    if (notify) this.queueMyChatMember(s.user, 'kicked', 'member');
  }

  sendText(fromUserId: number, text: string, opts: IncomingOpts): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    msg.text = text;
    const entities = commandEntities(text);
    if (entities.length > 0) msg.entities = entities;
    return this.queueUserMessage(chat, msg);
  }

  sendContact(
    fromUserId: number,
    contact: { phone_number: string; first_name: string; last_name?: string; user_id?: number },
    opts: IncomingOpts,
  ): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    msg.contact = { ...contact };
    return this.queueUserMessage(chat, msg);
  }

  sendDocument(fromUserId: number, doc: { fileName: string; mimeType: string; content: Buffer; caption?: string }, opts: IncomingOpts): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    const files = this.core.files;
    const file = files.create('document', doc.content.length, doc.content, doc.fileName, doc.mimeType);
    msg.document = files.documentOf(file);
    if (doc.caption !== undefined) msg.caption = doc.caption;
    return this.queueUserMessage(chat, msg, { document: file });
  }

  sendPhoto(fromUserId: number, photo: { content: Buffer; caption?: string }, opts: IncomingOpts): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    const files = this.core.files;
    const file = files.createPhoto(photo.content);
    msg.photo = files.photoSizesOf(file);
    if (photo.caption !== undefined) msg.caption = photo.caption;
    return this.queueUserMessage(chat, msg, { photo: file });
  }

  sendSticker(fromUserId: number, opts: IncomingOpts & { emoji?: string }): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    const content = Buffer.from('RIFF\0\0\0\0WEBPVP8 fake-sticker');
    const file = this.core.files.create('sticker', content.length, content, undefined, 'image/webp');
    msg.sticker = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji: opts.emoji ?? '👍',
      file_size: file.size,
    };
    return this.queueUserMessage(chat, msg);
  }

  editText(fromUserId: number, messageId: number, newText: string, chatId: number): EditedMessageUpdate {
    const stored = this.core.world.chats.get(chatId)?.messages.get(messageId);
    if (!stored || stored.fromBot || stored.msg.from?.id !== fromUserId || stored.deleted) {
      throw new Error(`FakeTelegram.editText: user ${fromUserId} has no message ${messageId} in chat ${chatId}`);
    }
    const msg: TgMessage = { ...stored.msg, text: newText, edit_date: nowSec() };
    delete msg.entities;
    const entities = commandEntities(newText);
    if (entities.length > 0) msg.entities = entities;
    stored.msg = msg;
    const updates = this.core.updates;
    const update: EditedMessageUpdate = { update_id: updates.nextUpdateId++, edited_message: msg };
    updates.enqueue(update, 'edited_message', false);
    return update;
  }

  tapButton(fromUserId: number, message: { chatId: number; messageId: number }, callbackData: string): CallbackQueryUpdate {
    const { world, callbacks, updates } = this.core;
    const chat = world.chats.get(message.chatId);
    const stored = chat?.messages.get(message.messageId);
    if (!chat || !stored || !stored.fromBot || stored.deleted) {
      throw new Error(`FakeTelegram.tapButton: no bot message ${message.messageId} in chat ${message.chatId}`);
    }
    const user = world.userState(fromUserId);
    if (message.chatId === fromUserId) {
      user.started = true;
      user.blocked = false;
    }
    const id = callbacks.nextId();
    const rec = callbacks.register(id);
    const update: CallbackQueryUpdate = {
      update_id: updates.nextUpdateId++,
      callback_query: {
        id,
        from: user.user,
        message: stored.msg,
        chat_instance: String(BigInt(message.chatId) * 7919n + 104_729n),
        data: callbackData,
      },
    };
    updates.enqueue(update, 'callback_query', false, rec);
    return update;
  }

  injectUpdate(update: Record<string, unknown>): void {
    const { callbacks, updates } = this.core;
    const u = { ...update } as Update;
    const explicit = typeof update.update_id === 'number';
    if (explicit) updates.nextUpdateId = Math.max(updates.nextUpdateId, u.update_id + 1);
    else u.update_id = updates.nextUpdateId++;
    const cq = u.callback_query;
    const rec = cq && typeof cq.id === 'string' && !callbacks.has(cq.id) ? callbacks.register(cq.id) : undefined;
    updates.enqueue(u, updateType(u), explicit, rec);
  }

  private incoming(fromUserId: number, chatId: number | undefined): { user: FakeUser; chat: ChatState } {
    const world = this.core.world;
    const s = world.userState(fromUserId);
    if (chatId === undefined || chatId === fromUserId) {
      s.started = true;
      s.blocked = false;
      return { user: s.user, chat: world.chatState(fromUserId) };
    }
    if (!world.groups.has(chatId)) throw new Error(`FakeTelegram: unknown group ${chatId}; call addGroup() first`);
    return { user: s.user, chat: world.chatState(chatId) };
  }

  private newUserMessage(user: FakeUser, chat: ChatState, replyToMessageId: number | undefined): TgMessage {
    const msg: TgMessage = { message_id: chat.nextMessageId++, from: user, chat: this.core.world.tgChat(chat.id), date: nowSec() };
    if (replyToMessageId !== undefined) {
      const target = chat.messages.get(replyToMessageId);
      if (!target) throw new Error(`FakeTelegram: no message ${replyToMessageId} in chat ${chat.id} to reply to`);
      msg.reply_to_message = withoutReply(target.msg);
    }
    return msg;
  }

  private queueUserMessage(chat: ChatState, msg: TgMessage, files: { document?: FileRecord; photo?: FileRecord } = {}): MessageUpdate {
    const stored = { msg, fromBot: false, deleted: false, ...files };
    chat.messages.set(msg.message_id, stored);
    const updates = this.core.updates;
    const update: MessageUpdate = { update_id: updates.nextUpdateId++, message: msg };
    updates.enqueue(update, 'message', false);
    return update;
  }

  private queueMyChatMember(user: FakeUser, oldStatus: string, newStatus: string): void {
    const { botUser, updates } = this.core;
    const update: Update = {
      update_id: updates.nextUpdateId++,
      my_chat_member: {
        chat: this.core.world.privateChat(user),
        from: user,
        date: nowSec(),
        old_chat_member: { user: botUser, status: oldStatus },
        new_chat_member: newStatus === 'kicked' ? { user: botUser, status: 'kicked', until_date: 0 } : { user: botUser, status: newStatus },
      },
    };
    updates.enqueue(update, 'my_chat_member', false);
  }
}
