// The world the bot talks to: users, groups, chats and every message in them, and who the bot may send to.
import { performance } from 'node:perf_hooks';
import type { Core } from './core.js';
import { nowSec } from './core.js';
import type { FileRecord } from './files.js';
import { messageMarkup } from './reply-markup.js';
import { ApiError, badRequest, paramInt, sanitizeParams, type Params } from './http.js';
import { RollingWindow } from './rate.js';
import type { BotMessage, FakeUser, TgChat, TgMessage } from './types.js';

export interface UserState {
  user: FakeUser;
  started: boolean;
  blocked: boolean;
  deactivated: boolean;
}

interface GroupState {
  chat: TgChat;
  botIsMember: boolean;
}

export interface BotRec {
  pub: BotMessage;
  consumed: boolean;
  /** edits already handed to waitForEdit callers */
  editsSeen: number;
}

export interface StoredMessage {
  msg: TgMessage;
  fromBot: boolean;
  deleted: boolean;
  rec?: BotRec;
  document?: FileRecord;
  photo?: FileRecord;
}

export interface ChatState {
  id: number;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  bot: BotRec[];
  firstUnconsumed: number;
  window: RollingWindow;
  /** Groups: sends in the last minute. */
  minuteWindow: RollingWindow;
  /** Private chats: the burst left (a token bucket refilled at privatePerSecond). */
  tokens: number;
  refilledAt: number;
}

export interface BotMessageExtra {
  replyTo?: StoredMessage | undefined;
  parseMode?: string | undefined;
  document?: FileRecord | undefined;
  photo?: FileRecord | undefined;
  source?: { chat_id: number; message_id: number };
  keepMarkup?: boolean;
}

export function withoutReply(msg: TgMessage): TgMessage {
  if (msg.reply_to_message === undefined) return msg;
  const { reply_to_message: _drop, ...rest } = msg;
  return rest as TgMessage;
}

export class World {
  readonly users = new Map<number, UserState>();
  readonly groups = new Map<number, GroupState>();
  readonly chats = new Map<number, ChatState>();
  private readonly privateChats = new Map<number, TgChat>();
  readonly allBot: BotRec[] = [];
  /** setMyCommands, by commandsKey(scope, language). */
  readonly commands = new Map<string, unknown[]>();

  constructor(private readonly core: Core) {}

  addUser(u: { id: number; first_name: string; last_name?: string; username?: string; language_code?: string }): FakeUser {
    if (!(u.id > 0)) throw new Error(`FakeTelegram.addUser: user id must be positive, got ${u.id}`);
    const user: FakeUser = { id: u.id, is_bot: false, first_name: u.first_name };
    if (u.last_name !== undefined) user.last_name = u.last_name;
    if (u.username !== undefined) user.username = u.username;
    if (u.language_code !== undefined) user.language_code = u.language_code;
    const existing = this.users.get(u.id);
    this.privateChats.delete(u.id);
    if (existing) existing.user = user;
    else this.users.set(u.id, { user, started: false, blocked: false, deactivated: false });
    return user;
  }

  addGroup(g: { id: number; title: string; username?: string; type?: 'group' | 'supergroup' }): void {
    if (!(g.id < 0)) throw new Error(`FakeTelegram.addGroup: group id must be negative, got ${g.id}`);
    const chat: TgChat = { id: g.id, type: g.type ?? (g.id <= -1_000_000_000_000 ? 'supergroup' : 'group'), title: g.title };
    if (g.username !== undefined) chat.username = g.username;
    this.groups.set(g.id, { chat, botIsMember: true });
  }

  removeBotFromGroup(groupId: number): void {
    const g = this.groups.get(groupId);
    if (!g) throw new Error(`FakeTelegram: unknown group ${groupId}`);
    g.botIsMember = false;
  }

  /** The user, registered on first mention. */
  userState(userId: number): UserState {
    let s = this.users.get(userId);
    if (!s) {
      this.addUser({ id: userId, first_name: `User ${userId}` });
      s = this.users.get(userId)!;
    }
    return s;
  }

  privateChat(u: FakeUser): TgChat {
    const chat: TgChat = { id: u.id, type: 'private', first_name: u.first_name };
    if (u.last_name !== undefined) chat.last_name = u.last_name;
    if (u.username !== undefined) chat.username = u.username;
    return chat;
  }

  /** The Chat object embedded in messages (shared, never mutated). */
  tgChat(chatId: number): TgChat {
    const g = this.groups.get(chatId);
    if (g) return g.chat;
    let chat = this.privateChats.get(chatId);
    if (chat) return chat;
    const u = this.users.get(chatId);
    if (!u) throw new Error(`FakeTelegram: unknown chat ${chatId}`);
    chat = this.privateChat(u.user);
    this.privateChats.set(chatId, chat);
    return chat;
  }

  chatExists(chatId: number): boolean {
    return this.groups.has(chatId) || this.users.has(chatId);
  }

  chatState(chatId: number): ChatState {
    let c = this.chats.get(chatId);
    if (!c) {
      c = {
        id: chatId,
        nextMessageId: 1,
        messages: new Map(),
        bot: [],
        firstUnconsumed: 0,
        window: new RollingWindow(1000),
        minuteWindow: new RollingWindow(60_000),
        tokens: this.core.opts.privateBurst,
        refilledAt: performance.now(),
      };
      this.chats.set(chatId, c);
    }
    return c;
  }

  requireChatId(p: Params, name = 'chat_id'): number {
    const v = p[name];
    if (v === undefined || v === null || v === '') throw badRequest(`${name} is empty`);
    const id = paramInt(p, name);
    if (id !== undefined) return id;
    if (typeof v === 'string' && v.startsWith('@')) {
      for (const g of this.groups.values()) if (g.chat.username && `@${g.chat.username}` === v) return g.chat.id;
    }
    throw badRequest('chat not found');
  }

  /** The chat a send-type call targets, with Telegram's 403/400 checks. */
  sendTarget(p: Params): ChatState {
    const chatId = this.requireChatId(p);
    const g = this.groups.get(chatId);
    if (g) {
      if (!g.botIsMember) throw new ApiError(403, 'Forbidden: bot was kicked from the group chat');
      return this.chatState(chatId);
    }
    const u = this.users.get(chatId);
    if (!u) throw badRequest('chat not found');
    if (u.deactivated) throw new ApiError(403, 'Forbidden: user is deactivated');
    if (u.blocked) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (!u.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    return this.chatState(chatId);
  }

  storeBotMessage(chat: ChatState, method: string, p: Params, content: Partial<TgMessage>, extra: BotMessageExtra): StoredMessage {
    const messageId = chat.nextMessageId++;
    const date = nowSec();
    const msg: TgMessage = { message_id: messageId, from: this.core.botUser, chat: this.tgChat(chat.id), date, ...content };
    if (extra.replyTo) msg.reply_to_message = withoutReply(extra.replyTo.msg);
    const markup = messageMarkup(p.reply_markup);
    if (markup !== undefined) msg.reply_markup = markup;
    const pub: BotMessage = {
      message_id: messageId,
      chat_id: chat.id,
      method,
      date,
      sentAt: Date.now(),
      edits: 0,
      params: sanitizeParams(p),
      message: msg,
    };
    if (content.text !== undefined) pub.text = content.text;
    if (content.entities !== undefined) pub.entities = content.entities;
    if (content.caption !== undefined) pub.caption = content.caption;
    if (content.caption_entities !== undefined) pub.caption_entities = content.caption_entities;
    if (extra.parseMode) pub.parse_mode = extra.parseMode;
    if (p.reply_markup !== undefined) pub.reply_markup = p.reply_markup;
    if (extra.replyTo) pub.reply_to_message_id = extra.replyTo.msg.message_id;
    if (extra.source) pub.source = extra.source;
    if (content.document && extra.document) pub.document = this.core.files.botDocument(extra.document);
    if (content.photo && extra.photo) pub.photo = this.core.files.botPhoto(extra.photo);
    const rec: BotRec = { pub, consumed: false, editsSeen: 0 };
    const stored: StoredMessage = { msg, fromBot: true, deleted: false, rec };
    if (extra.document) stored.document = extra.document;
    if (extra.photo) stored.photo = extra.photo;
    chat.messages.set(messageId, stored);
    chat.bot.push(rec);
    this.allBot.push(rec);
    this.core.waiters.onBotMessageChanged(chat.id, rec, false);
    return stored;
  }

  messages(chatId?: number): BotMessage[] {
    const recs = chatId === undefined ? this.allBot : (this.chats.get(chatId)?.bot ?? []);
    return recs.map((r) => ({ ...r.pub }));
  }

  userMessages(chatId: number): TgMessage[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    const out: TgMessage[] = [];
    for (const s of chat.messages.values()) if (!s.fromBot) out.push(s.msg);
    return out;
  }
}
