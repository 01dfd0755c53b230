// A fake Telegram Bot API server for tests and benchmarks.
//
// Point telegraf at it with `new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } })`. It serves
// `${apiRoot}/bot${token}/${method}` (GET query string, JSON, urlencoded and multipart bodies) and file
// downloads at `${apiRoot}/file/bot${token}/${file_path}`, enforces the Bot API limits the bot must respect
// (text/caption length, parse_mode markup, callback_data bytes, file sizes, 403 for blocked or never-started
// users, 429 rate limits) and records what the bot sent so tests can wait for it.
//
// Typical use:
//   const fake = await FakeTelegram.start();
//   fake.addUser({ id: 42, first_name: 'Budi' });
//   const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
//   void bot.launch().catch(() => {});          // launch() resolves only when polling stops
//   await fake.waitForPolling();
//   fake.sendText(42, '/start');
//   const reply = await fake.waitForMessage(42);
//   bot.stop(); await fake.stop();              // stop the bot first
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { countChars, formatText, messageMarkup, validateReplyMarkup, type FormattedText } from './fake-telegram/format.js';
import {
  ApiError,
  badRequest,
  isUpload,
  paramBool,
  paramInt,
  paramJson,
  paramString,
  parseParams,
  readBody,
  sendJson,
  type Params,
  type UploadedFile,
} from './fake-telegram/http.js';
import {
  guessMime,
  imageSize,
  makeFileIds,
  pathWithExtension,
  photoSizeDims,
  type FileKind,
  type FileRecord,
} from './fake-telegram/files.js';
import { RollingWindow } from './fake-telegram/rate.js';
import type {
  ApiCall,
  ApiErrorSpec,
  BotMessage,
  BotMessageDocument,
  BotMessagePhotoSize,
  CallbackAnswer,
  CallbackQueryUpdate,
  EditedMessageUpdate,
  FakeTelegramStats,
  FakeUser,
  IncomingOpts,
  MessageUpdate,
  TgChat,
  TgMessage,
  TgMessageEntity,
  TgPhotoSize,
  Update,
} from './fake-telegram/types.js';

export type * from './fake-telegram/types.js';
export { ApiError } from './fake-telegram/http.js';

export interface FakeTelegramOptions {
  /** Default '123456:TEST-TOKEN'; requests with any other token get 401 Unauthorized. */
  token?: string;
  /** Default 'kinerja_test_bot'. */
  botUsername?: string;
  /**
   * Telegram's limits are enforced by default (private chats: a burst of 4, then 1/s; groups: 20 a minute; 30/s
   * overall; 429 with retry_after beyond them). A test that turns them off says why: `{ unlimited: 'reason' }`.
   * The numbers below override single limits (0 = that limit off).
   */
  unlimited?: string;
  /** Send-type calls per rolling 1 s across all chats (default 30). */
  globalRatePerSecond?: number;
  /** An extra flat cap: send-type calls per rolling 1 s per chat of any kind, for tests of other limits (default 0:
   * none). Telegram's own per-chat limits are the private burst and the group limit below, on by default. */
  flatPerChatPerSecond?: number;
  /** Messages a private chat takes at once (default 4)... */
  privateBurst?: number;
  /** ...then this many per second (default 1). */
  privatePerSecond?: number;
  /** Messages per rolling minute to one group (default 20). */
  groupPerMinute?: number;
  /** retry_after returned with 429 (default 1). */
  retryAfterSeconds?: number;
  /** Answering a callback query later than this after the tap -> 400 query is too old (default 15000). */
  callbackAnswerTimeoutMs?: number;
  /** Default 0 (ephemeral); binds 127.0.0.1. */
  port?: number;
  /** Webhook mode: delay before re-posting an update the webhook did not accept with 2xx (default 1000). */
  webhookRetryMs?: number;
  /** Cap of the calls() log (default 50 000). */
  callLogLimit?: number;
}

const MB = 1024 * 1024;
const DOWNLOAD_LIMIT = 20 * MB;
const DOCUMENT_UPLOAD_LIMIT = 50 * MB;
const PHOTO_UPLOAD_LIMIT = 10 * MB;
/** Largest body read (document limit + multipart overhead); anything bigger is answered 413 unparsed. */
const BODY_LIMIT = DOCUMENT_UPLOAD_LIMIT + MB;
const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;
const CALLBACK_TEXT_LIMIT = 200;
const DEFAULT_WAIT_MS = 5000;
const JSON_FIELDS = [
  'reply_markup',
  'entities',
  'caption_entities',
  'allowed_updates',
  'commands',
  'scope',
  'reply_parameters',
  'link_preview_options',
];
const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/** Update types Telegram leaves out unless allowed_updates names them explicitly. */
const NOT_DELIVERED_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const CONFLICT_POLL = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';
const CONFLICT_WEBHOOK = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const QUERY_TOO_OLD = 'query is too old and response timeout expired or query ID is invalid';
const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

interface UserState {
  user: FakeUser;
  started: boolean;
  blocked: boolean;
  deactivated: boolean;
}

interface GroupState {
  chat: TgChat;
  botIsMember: boolean;
}

interface BotRec {
  pub: BotMessage;
  consumed: boolean;
  /** edits already handed to waitForEdit callers */
  editsSeen: number;
}

interface StoredMessage {
  msg: TgMessage;
  fromBot: boolean;
  deleted: boolean;
  rec?: BotRec;
  document?: FileRecord;
  photo?: FileRecord;
}

interface ChatState {
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

interface CallbackRec {
  id: string;
  createdAt: number;
  handedOutAt?: number;
  answer?: CallbackAnswer;
}

interface QueueEntry {
  update: Update;
  type: string;
  delivered: boolean;
  dropped: boolean;
  /** injected with an explicit update_id: never dropped by an offset before it was delivered once */
  injected: boolean;
  callback?: CallbackRec;
}

interface Poller {
  res: ServerResponse;
  limit: number;
  call: ApiCall;
  timer?: NodeJS.Timeout;
}

interface Waiter<T> {
  resolve: (v: T) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface MessageWaiter extends Waiter<BotMessage> {
  predicate: (m: BotMessage) => boolean;
}

interface WebhookState {
  url: string;
  secret?: string;
  maxConnections: number;
  inflight: number;
  busyChats: Map<number, number>;
  retry: QueueEntry[];
  lastError?: { date: number; message: string };
  abort: AbortController;
}

type Handler = (p: Params) => unknown;

const nowSec = (): number => Math.floor(Date.now() / 1000);
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function withoutReply(msg: TgMessage): TgMessage {
  if (msg.reply_to_message === undefined) return msg;
  const { reply_to_message: _drop, ...rest } = msg;
  return rest as TgMessage;
}

/** bot_command entities for every /command that starts the text or follows whitespace. */
function commandEntities(text: string): TgMessageEntity[] {
  const out: TgMessageEntity[] = [];
  const re = /(^|\s)(\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,32})?)(?=$|\s|[^A-Za-z0-9_@])/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ type: 'bot_command', offset: m.index + m[1]!.length, length: m[2]!.length });
  }
  return out;
}

/** A predicate that throws (e.g. on a message without text) counts as "no match" instead of breaking the server. */
function safePredicate(predicate: ((m: BotMessage) => boolean) | undefined): (m: BotMessage) => boolean {
  if (!predicate) return () => true;
  return (m) => {
    try {
      return predicate(m);
    } catch {
      return false;
    }
  };
}

function sanitizeParams(p: Params): Params {
  let out: Params | undefined;
  for (const k in p) {
    const v = p[k];
    if (isUpload(v)) {
      out ??= { ...p };
      out[k] = { filename: v.filename, size: v.data.length };
    }
  }
  return out ?? p;
}

function normalizeJsonFields(p: Params): void {
  for (const k of JSON_FIELDS) {
    const v = p[k];
    if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
      try {
        p[k] = JSON.parse(v);
      } catch {
        // left as a string; validation reports it
      }
    }
  }
}

function updateType(u: Record<string, unknown>): string {
  for (const k in u) if (k !== 'update_id') return k;
  return 'unknown';
}

function updateChatId(u: Update): number | undefined {
  const m = u.message ?? u.edited_message ?? u.callback_query?.message;
  if (m) return m.chat.id;
  if (u.callback_query) return u.callback_query.from.id;
  const other = u.my_chat_member as { chat?: { id?: number } } | undefined;
  return other?.chat?.id;
}

export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUsername: string;
  readonly botUser: FakeUser;

  private readonly server: Server;
  private readonly opts: {
    globalRatePerSecond: number;
    flatPerChatPerSecond: number;
    privateBurst: number;
    privatePerSecond: number;
    groupPerMinute: number;
    retryAfterSeconds: number;
    callbackAnswerTimeoutMs: number;
    webhookRetryMs: number;
    callLogLimit: number;
  };
  private readonly handlers: Record<string, Handler>;
  private stopped = false;
  private outage?: { until: number; kind: 'bad_gateway' | 'connection' };

  // users & chats
  private readonly users = new Map<number, UserState>();
  private readonly groups = new Map<number, GroupState>();
  private readonly chats = new Map<number, ChatState>();
  private readonly privateChats = new Map<number, TgChat>();
  private readonly allBot: BotRec[] = [];

  // updates
  private queue: QueueEntry[] = [];
  private qHead = 0;
  private undelivered = 0;
  private nextUpdateId = 1;
  private poller?: Poller;
  private flushScheduled = false;
  private allowedUpdates?: Set<string>;
  private webhook?: WebhookState;
  private readonly timers = new Set<NodeJS.Timeout>();

  // callbacks
  private readonly callbacks = new Map<string, CallbackRec>();
  private nextCallbackSeq = 1;
  private readonly callbackWaiters = new Map<string, Waiter<CallbackAnswer>[]>();

  // files
  private readonly filesById = new Map<string, FileRecord>();
  private readonly filesByPath = new Map<string, FileRecord>();
  private nextFileSeq = 1;

  // observation
  private callLog: ApiCall[] = [];
  private readonly messageWaiters = new Map<number, MessageWaiter[]>();
  private readonly editWaiters = new Map<string, MessageWaiter[]>();
  private pollWaiters: Array<{ idle: boolean; w: Waiter<void> }> = [];
  private readonly failures = new Map<string, Array<{ error: ApiErrorSpec; remaining: number }>>();
  private readonly commands = new Map<string, unknown[]>();
  private readonly globalWindow = new RollingWindow(1000);
  private readonly counters = { sent: 0, rejected429: 0, maxGlobal: 0, maxPerChat: 0, requests: 0, outageFailures: 0 };

  private constructor(server: Server, port: number, options: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = options.token ?? '123456:TEST-TOKEN';
    this.botUsername = options.botUsername ?? 'kinerja_test_bot';
    const botId = Number(/^(\d+):/.exec(this.token)?.[1] ?? 123456);
    this.botUser = { id: botId, is_bot: true, first_name: 'Kinerja Test Bot', username: this.botUsername };
    const strict = options.unlimited === undefined;
    this.opts = {
      globalRatePerSecond: options.globalRatePerSecond ?? (strict ? 30 : 0),
      flatPerChatPerSecond: options.flatPerChatPerSecond ?? 0,
      privateBurst: options.privateBurst ?? (strict ? 4 : 0),
      privatePerSecond: options.privatePerSecond ?? 1,
      groupPerMinute: options.groupPerMinute ?? (strict ? 20 : 0),
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
      callbackAnswerTimeoutMs: options.callbackAnswerTimeoutMs ?? 15_000,
      webhookRetryMs: options.webhookRetryMs ?? 1000,
      callLogLimit: options.callLogLimit ?? 50_000,
    };
    this.handlers = this.buildHandlers();
  }

  /** Starts the server on 127.0.0.1 (ephemeral port unless `port` is given). */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    // Keep idle keep-alive sockets open longer than clients do, so a client never reuses a socket the server is closing.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const fake = new FakeTelegram(server, port, options);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      fake.onRequest(req, res).catch((err: unknown) => {
        sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
    });
    return fake;
  }

  /** Stops the server, answering nothing further. Stop the bot (bot.stop()) first. Pending waits are rejected. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.poller) {
      clearTimeout(this.poller.timer);
      this.poller.res.destroy();
      this.poller = undefined;
    }
    this.webhook?.abort.abort();
    const stopped = new Error('FakeTelegram stopped');
    const rejectAll = <T>(list: Waiter<T>[]) => {
      for (const w of list) {
        clearTimeout(w.timer);
        w.reject(stopped);
      }
    };
    for (const l of this.messageWaiters.values()) rejectAll(l);
    for (const l of this.editWaiters.values()) rejectAll(l);
    for (const l of this.callbackWaiters.values()) rejectAll(l);
    rejectAll(this.pollWaiters.map((p) => p.w));
    this.messageWaiters.clear();
    this.editWaiters.clear();
    this.callbackWaiters.clear();
    this.pollWaiters = [];
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  setLimits(p: {
    globalRatePerSecond?: number;
    flatPerChatPerSecond?: number;
    privateBurst?: number;
    privatePerSecond?: number;
    groupPerMinute?: number;
    retryAfterSeconds?: number;
  }): void {
    if (p.globalRatePerSecond !== undefined) this.opts.globalRatePerSecond = p.globalRatePerSecond;
    if (p.flatPerChatPerSecond !== undefined) this.opts.flatPerChatPerSecond = p.flatPerChatPerSecond;
    if (p.privateBurst !== undefined) this.opts.privateBurst = p.privateBurst;
    if (p.privatePerSecond !== undefined) this.opts.privatePerSecond = p.privatePerSecond;
    if (p.groupPerMinute !== undefined) this.opts.groupPerMinute = p.groupPerMinute;
    if (p.retryAfterSeconds !== undefined) this.opts.retryAfterSeconds = p.retryAfterSeconds;
  }

  /**
   * A Telegram outage: for `ms` every request fails, with 502 Bad Gateway (an HTML page, as a proxy answers) or
   * with the connection cut before any answer ('connection').
   */
  simulateOutage(ms: number, kind: 'bad_gateway' | 'connection' = 'bad_gateway'): void {
    this.outage = { until: Date.now() + ms, kind };
  }

  /** Ends a simulated outage now. */
  endOutage(): void {
    this.outage = undefined;
  }

  /** Changes how late a callback query may be answered. */
  setCallbackAnswerTimeout(ms: number): void {
    this.opts.callbackAnswerTimeoutMs = ms;
  }

  // ================================================================ users & chats

  /** Registers a user. Their private chat (id = user id) exists but is not "started" until they send something. */
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

  /** The user blocks the bot: sends to their private chat get 403. `notify` also queues a my_chat_member update. */
  blockBot(userId: number, opts: { notify?: boolean } = {}): void {
    const s = this.userState(userId);
    s.blocked = true;
    if (opts.notify) this.queueMyChatMember(s.user, 'member', 'kicked');
  }

  unblockBot(userId: number, opts: { notify?: boolean } = {}): void {
    const s = this.userState(userId);
    s.blocked = false;
    if (opts.notify) this.queueMyChatMember(s.user, 'kicked', 'member');
  }

  /** The account is deleted: sends get 403 'Forbidden: user is deactivated'. */
  deactivateUser(userId: number): void {
    this.userState(userId).deactivated = true;
  }

  /** Lets the bot message the user as if they had pressed Start. */
  markStarted(userId: number): void {
    this.userState(userId).started = true;
  }

  /** Adds a group (negative id; ids <= -1e12 are supergroups) that the bot is a member of. */
  addGroup(g: { id: number; title: string; username?: string; type?: 'group' | 'supergroup' }): void {
    if (!(g.id < 0)) throw new Error(`FakeTelegram.addGroup: group id must be negative, got ${g.id}`);
    const chat: TgChat = { id: g.id, type: g.type ?? (g.id <= -1_000_000_000_000 ? 'supergroup' : 'group'), title: g.title };
    if (g.username !== undefined) chat.username = g.username;
    this.groups.set(g.id, { chat, botIsMember: true });
  }

  /** The bot is removed from the group: sends get 403 'Forbidden: bot was kicked from the group chat'. */
  removeBotFromGroup(groupId: number): void {
    const g = this.groups.get(groupId);
    if (!g) throw new Error(`FakeTelegram: unknown group ${groupId}`);
    g.botIsMember = false;
  }

  // ================================================================ incoming updates

  /**
   * The user sends text. A /command (also '/start payload', '/cmd@botname') gets a bot_command entity.
   * Private-chat updates mark the chat started (and unblock: a user must unblock to write).
   */
  sendText(fromUserId: number, text: string, opts: IncomingOpts = {}): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    msg.text = text;
    const entities = commandEntities(text);
    if (entities.length > 0) msg.entities = entities;
    return this.queueUserMessage(chat, msg);
  }

  /** The user shares a contact (pass user_id = fromUserId for the "share my phone number" button). */
  sendContact(
    fromUserId: number,
    contact: { phone_number: string; first_name: string; last_name?: string; user_id?: number },
    opts: IncomingOpts = {},
  ): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    msg.contact = { ...contact };
    return this.queueUserMessage(chat, msg);
  }

  /** The user sends a file; its bytes are stored so getFile + download work. */
  sendDocument(
    fromUserId: number,
    doc: { fileName: string; mimeType: string; content: Buffer; caption?: string },
    opts: IncomingOpts = {},
  ): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    const file = this.createFile('document', doc.content.length, doc.content, doc.fileName, doc.mimeType);
    msg.document = this.documentOf(file);
    if (doc.caption !== undefined) msg.caption = doc.caption;
    return this.queueUserMessage(chat, msg, { document: file });
  }

  /** The user sends a photo: `photo` holds 2-3 PhotoSize, largest last, each getFile-able (same bytes). */
  sendPhoto(fromUserId: number, photo: { content: Buffer; caption?: string }, opts: IncomingOpts = {}): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    const file = this.createPhoto(photo.content);
    msg.photo = this.photoSizesOf(file);
    if (photo.caption !== undefined) msg.caption = photo.caption;
    return this.queueUserMessage(chat, msg, { photo: file });
  }

  sendSticker(fromUserId: number, opts: IncomingOpts & { emoji?: string } = {}): MessageUpdate {
    const { user, chat } = this.incoming(fromUserId, opts.chatId);
    const msg = this.newUserMessage(user, chat, opts.replyToMessageId);
    const content = Buffer.from('RIFF\0\0\0\0WEBPVP8 fake-sticker');
    const file = this.createFile('sticker', content.length, content, undefined, 'image/webp');
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

  /** The user edits one of their own messages (edited_message update). */
  editText(fromUserId: number, messageId: number, newText: string, opts: { chatId?: number } = {}): EditedMessageUpdate {
    const chatId = opts.chatId ?? fromUserId;
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    if (!stored || stored.fromBot || stored.msg.from?.id !== fromUserId || stored.deleted) {
      throw new Error(`FakeTelegram.editText: user ${fromUserId} has no message ${messageId} in chat ${chatId}`);
    }
    const msg: TgMessage = { ...stored.msg, text: newText, edit_date: nowSec() };
    delete msg.entities;
    const entities = commandEntities(newText);
    if (entities.length > 0) msg.entities = entities;
    stored.msg = msg;
    const update: EditedMessageUpdate = { update_id: this.nextUpdateId++, edited_message: msg };
    this.enqueue(update, 'edited_message', false);
    return update;
  }

  /**
   * The user taps an inline button of a message the bot sent. `callbackData` is not checked against the
   * keyboard (so forged/stale data can be tested). Returns the update; update.callback_query.id is the query id.
   */
  tapButton(fromUserId: number, message: { chatId: number; messageId: number }, callbackData: string): CallbackQueryUpdate {
    const chat = this.chats.get(message.chatId);
    const stored = chat?.messages.get(message.messageId);
    if (!chat || !stored || !stored.fromBot || stored.deleted) {
      throw new Error(`FakeTelegram.tapButton: no bot message ${message.messageId} in chat ${message.chatId}`);
    }
    const user = this.userState(fromUserId);
    if (message.chatId === fromUserId) {
      user.started = true;
      user.blocked = false;
    }
    const id = `${4_000_000_000 + this.botUser.id}${String(this.nextCallbackSeq++).padStart(9, '0')}`;
    const rec: CallbackRec = { id, createdAt: Date.now() };
    this.callbacks.set(id, rec);
    const update: CallbackQueryUpdate = {
      update_id: this.nextUpdateId++,
      callback_query: {
        id,
        from: user.user,
        message: stored.msg,
        chat_instance: String(BigInt(message.chatId) * 7919n + 104_729n),
        data: callbackData,
      },
    };
    this.enqueue(update, 'callback_query', false, rec);
    return update;
  }

  /**
   * Queues a raw update. An explicit update_id is kept (duplicates/replays allowed) and such an update is
   * delivered at least once even if its id is below the bot's current offset; otherwise an id is assigned.
   * A callback_query with an id becomes answerable.
   */
  injectUpdate(update: Record<string, unknown>): void {
    const u = { ...update } as Update;
    const explicit = typeof update.update_id === 'number';
    if (explicit) this.nextUpdateId = Math.max(this.nextUpdateId, u.update_id + 1);
    else u.update_id = this.nextUpdateId++;
    let rec: CallbackRec | undefined;
    const cq = u.callback_query;
    if (cq && typeof cq.id === 'string' && !this.callbacks.has(cq.id)) {
      rec = { id: cq.id, createdAt: Date.now() };
      this.callbacks.set(cq.id, rec);
    }
    this.enqueue(u, updateType(u), explicit, rec);
  }

  /** Registers a file without a message (e.g. a forged 25 MB file_id). Downloads stream zeros when no content. */
  registerFile(meta: {
    fileSize: number;
    content?: Buffer;
    fileName?: string;
    mimeType?: string;
    kind?: FileKind;
  }): { file_id: string; file_unique_id: string; file_size: number } {
    const file = this.createFile(meta.kind ?? 'document', meta.fileSize, meta.content, meta.fileName, meta.mimeType);
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
  }

  /** The stored bytes of a file (undefined when unknown or registered without content). */
  fileContent(fileId: string): Buffer | undefined {
    return this.filesById.get(fileId)?.content;
  }

  // ================================================================ observation

  /** Messages the bot sent (current state, after edits; deleted ones included with deleted: true), in order. */
  messages(chatId?: number): BotMessage[] {
    const recs = chatId === undefined ? this.allBot : (this.chats.get(chatId)?.bot ?? []);
    return recs.map((r) => ({ ...r.pub }));
  }

  /** Messages users sent (as stored: current state after user edits), in order. */
  userMessages(chatId: number): TgMessage[] {
    const chat = this.chats.get(chatId);
    if (!chat) return [];
    const out: TgMessage[] = [];
    for (const s of chat.messages.values()) if (!s.fromBot) out.push(s.msg);
    return out;
  }

  /**
   * Resolves with the first bot message in `chatId` that no earlier waitForMessage call has consumed and that
   * matches `predicate` (checked against the message's current state), then marks it consumed. Messages already
   * sent count, so there is no race between triggering the bot and starting to wait; non-matching messages stay
   * available to later calls. Waiting callers are served in call order; a message that is edited into shape
   * also resolves a waiter. Rejects after `timeoutMs` (default 5000) with the chat's recent messages and the
   * bot's recent failed calls in the error text.
   */
  waitForMessage(chatId: number, predicate?: (m: BotMessage) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<BotMessage> {
    const pred = safePredicate(predicate);
    const chat = this.chats.get(chatId);
    if (chat) {
      const found = this.takeUnconsumed(chat, pred);
      if (found) return Promise.resolve(found);
    }
    return this.addWaiter(this.messageWaiters, chatId, pred, timeoutMs, () => this.describeChat(chatId, `waitForMessage(chat ${chatId})`));
  }

  /**
   * Resolves on an edit of message `messageId` in `chatId` that no earlier waitForEdit call has seen and whose
   * resulting state matches `predicate`. An edit made before the call counts if no earlier waitForEdit saw it.
   */
  waitForEdit(
    chatId: number,
    messageId: number,
    predicate?: (m: BotMessage) => boolean,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<BotMessage> {
    const pred = safePredicate(predicate);
    const rec = this.chats.get(chatId)?.messages.get(messageId)?.rec;
    if (rec && rec.pub.edits > rec.editsSeen && pred(rec.pub)) {
      rec.editsSeen = rec.pub.edits;
      return Promise.resolve({ ...rec.pub });
    }
    const key = `${chatId}:${messageId}`;
    return this.addWaiter(this.editWaiters, key, pred, timeoutMs, () =>
      this.describeChat(chatId, `waitForEdit(chat ${chatId}, message ${messageId})`),
    );
  }

  callbackAnswer(callbackQueryId: string): CallbackAnswer | undefined {
    const a = this.callbacks.get(callbackQueryId)?.answer;
    return a ? { ...a } : undefined;
  }

  /**
   * latencyMs = answeredAt - when getUpdates handed the query to the bot (or when it was queued, if never handed out);
   * sinceTapMs = answeredAt - when the tap reached the fake (includes any wait for the bot's next getUpdates).
   */
  waitForCallbackAnswer(callbackQueryId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<CallbackAnswer & { latencyMs: number; sinceTapMs: number }> {
    const rec = this.callbacks.get(callbackQueryId);
    if (!rec) return Promise.reject(new Error(`FakeTelegram: unknown callback query ${callbackQueryId}`));
    const withLatency = (a: CallbackAnswer) => ({ ...a, latencyMs: a.answeredAt - (rec.handedOutAt ?? rec.createdAt), sinceTapMs: a.answeredAt - rec.createdAt });
    if (rec.answer) return Promise.resolve(withLatency(rec.answer));
    const p = new Promise<CallbackAnswer>((resolve, reject) => {
      const w: Waiter<CallbackAnswer> = { resolve, reject };
      w.timer = this.timer(timeoutMs, () => {
        this.removeWaiter(this.callbackWaiters, callbackQueryId, w);
        reject(new Error(`waitForCallbackAnswer(${callbackQueryId}) timed out after ${timeoutMs} ms${this.recentFailures()}`));
      });
      const list = this.callbackWaiters.get(callbackQueryId) ?? [];
      list.push(w);
      this.callbackWaiters.set(callbackQueryId, list);
    }).then(withLatency);
    p.catch(() => {});
    return p;
  }

  /** Recorded API calls (oldest first, capped), optionally for one method (case-insensitive). */
  calls(method?: string): ApiCall[] {
    const cap = this.opts.callLogLimit;
    const log = this.callLog.length > cap ? this.callLog.slice(-cap) : this.callLog.slice();
    if (method === undefined) return log;
    const m = method.toLowerCase();
    return log.filter((c) => c.method.toLowerCase() === m);
  }

  stats(): FakeTelegramStats {
    const c = this.counters;
    return {
      sent: c.sent,
      rejected429: c.rejected429,
      maxGlobalPerSecondObserved: c.maxGlobal,
      maxPerChatPerSecondObserved: c.maxPerChat,
      requests: c.requests,
      outageFailures: c.outageFailures,
    };
  }

  /** Zeroes stats() (the rolling windows keep their history so limits stay correct). */
  resetStats(): void {
    Object.assign(this.counters, { sent: 0, rejected429: 0, maxGlobal: 0, maxPerChat: 0, requests: 0, outageFailures: 0 });
  }

  /** The commands setMyCommands stored for this scope (default {type:'default'}) and language ('' = all). */
  myCommands(scope?: Record<string, unknown>, languageCode = ''): Array<{ command: string; description: string }> | undefined {
    const c = this.commands.get(this.commandsKey(scope, languageCode));
    return c ? (structuredClone(c) as Array<{ command: string; description: string }>) : undefined;
  }

  /** The next `count` calls of `method` (case-insensitive) fail with this error (HTTP status = error_code). */
  failNext(method: string, error: ApiErrorSpec, count = 1): void {
    const key = method.toLowerCase();
    const list = this.failures.get(key) ?? [];
    list.push({ error, remaining: count });
    this.failures.set(key, list);
  }

  /** Updates queued but never handed out by getUpdates (or the webhook). */
  pendingUpdates(): number {
    return this.undelivered;
  }

  /** Updates not yet confirmed by a getUpdates offset (includes handed-out ones). */
  unconfirmedUpdates(): number {
    let n = 0;
    for (let i = this.qHead; i < this.queue.length; i++) if (!this.queue[i]!.dropped) n++;
    return n;
  }

  /** Whether a long-polling getUpdates request is currently held open. */
  isPolling(): boolean {
    return this.poller !== undefined;
  }

  /** Resolves once a long-polling getUpdates is held open (e.g. after bot.launch(), before bot.stop() is safe). */
  waitForPolling(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.addPollWaiter(false, timeoutMs);
  }

  /**
   * Resolves when every queued update has been confirmed and the bot is back in a held getUpdates. With
   * telegraf this means the handlers of all updates so far have returned (work they left running may not have).
   */
  waitForIdle(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.addPollWaiter(true, timeoutMs);
  }

  // ================================================================ HTTP

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.requests++;
    const at = Date.now();
    if (this.outage && at < this.outage.until) {
      this.counters.outageFailures++;
      if (this.outage.kind === 'connection') {
        req.socket.destroy();
        return;
      }
      req.resume();
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const pathname = q >= 0 ? url.slice(0, q) : url;
    const search = q >= 0 ? url.slice(q) : '';
    if (pathname.startsWith('/file/')) {
      req.resume();
      this.serveFile(res, pathname);
      return;
    }
    const { body, tooLarge } = await readBody(req, BODY_LIMIT);
    const m = /^\/bot([^/]*)\/(?:test\/)?([^/]*)$/.exec(pathname);
    if (!m) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (m[1] !== this.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const method = decodeURIComponent(m[2]!);
    const key = method.toLowerCase();
    const call: ApiCall = { method, params: {}, status: 0, ok: false, at };
    if (tooLarge) {
      this.finish(res, call, new ApiError(413, 'Request Entity Too Large'));
      return;
    }
    let params: Params;
    try {
      params = parseParams(search, req.headers['content-type'], body);
    } catch (err) {
      this.finish(res, call, err instanceof ApiError ? err : badRequest(String(err)));
      return;
    }
    normalizeJsonFields(params);
    if (typeof params.method === 'string' && params.method.toLowerCase() === key) delete params.method; // telegraf's multipart adds it
    call.params = sanitizeParams(params);
    const failure = this.takeFailure(key);
    if (failure) {
      this.finish(res, call, failure);
      return;
    }
    if (key === 'getupdates') {
      this.getUpdates(params, res, call);
      return;
    }
    const handler = this.handlers[key];
    if (!handler) {
      this.finish(res, call, new ApiError(404, 'Not Found'));
      return;
    }
    let result: unknown;
    try {
      result = handler(params);
    } catch (err) {
      this.finish(res, call, err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`));
      return;
    }
    this.finish(res, call, undefined, result);
  }

  private finish(res: ServerResponse, call: ApiCall, error: ApiError | undefined, result?: unknown): void {
    let status = 200;
    let payload: unknown;
    if (error) {
      status = error.code;
      const body: Record<string, unknown> = { ok: false, error_code: error.code, description: error.description };
      if (error.parameters) body.parameters = error.parameters;
      payload = body;
      call.description = error.description;
      if (error.code === 429) this.counters.rejected429++;
    } else {
      payload = { ok: true, result };
    }
    call.status = status;
    call.ok = !error;
    this.log(call);
    sendJson(res, status, payload);
  }

  private log(call: ApiCall): void {
    this.callLog.push(call);
    const cap = this.opts.callLogLimit;
    if (this.callLog.length > cap * 2) this.callLog = this.callLog.slice(-cap);
  }

  private takeFailure(key: string): ApiError | undefined {
    const list = this.failures.get(key);
    const f = list?.[0];
    if (!list || !f) return undefined;
    if (--f.remaining <= 0) list.shift();
    const e = f.error;
    return new ApiError(e.error_code, e.description, e.retry_after !== undefined ? { retry_after: e.retry_after } : undefined);
  }

  private serveFile(res: ServerResponse, pathname: string): void {
    const m = /^\/file\/bot([^/]+)\/(?:test\/)?(.+)$/.exec(pathname);
    if (!m) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    if (m[1] !== this.token) {
      sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const file = this.filesByPath.get(decodeURIComponent(m[2]!));
    if (!file || file.size > DOWNLOAD_LIMIT) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res.writeHead(200, {
      'content-type': file.mime_type ?? 'application/octet-stream',
      'content-length': file.content ? file.content.length : file.size,
    });
    if (file.content) {
      res.end(file.content);
      return;
    }
    // no bytes stored: stream zeros
    const chunk = Buffer.alloc(64 * 1024);
    let left = file.size;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  // ================================================================ getUpdates / webhook

  private getUpdates(p: Params, res: ServerResponse, call: ApiCall): void {
    if (this.webhook) {
      this.finish(res, call, new ApiError(409, CONFLICT_WEBHOOK));
      return;
    }
    // Like Telegram: a new request terminates the one being held.
    const old = this.poller;
    if (old) {
      this.poller = undefined;
      clearTimeout(old.timer);
      this.finish(old.res, old.call, new ApiError(409, CONFLICT_POLL));
    }
    const allowed = p.allowed_updates;
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
    this.confirm(paramInt(p, 'offset') ?? 0);
    const limit = Math.min(100, Math.max(1, paramInt(p, 'limit') ?? 100));
    const timeout = Math.max(0, paramInt(p, 'timeout') ?? 0);
    const batch = this.collect(limit);
    if (batch.length > 0 || timeout === 0) {
      this.finish(res, call, undefined, batch);
      return;
    }
    const poller: Poller = { res, limit, call };
    poller.timer = this.timer(timeout * 1000, () => {
      if (this.poller !== poller) return;
      this.poller = undefined;
      this.finish(res, call, undefined, []);
    });
    res.on('close', () => {
      if (this.poller !== poller) return;
      clearTimeout(poller.timer);
      this.poller = undefined;
    });
    this.poller = poller;
    this.notifyPollWaiters();
  }

  private confirm(offset: number): void {
    if (offset < 0) {
      const keep = -offset;
      while (this.queue.length - this.qHead > keep) this.dropHead();
      return;
    }
    if (offset === 0) return;
    while (this.qHead < this.queue.length) {
      const e = this.queue[this.qHead]!;
      if (!e.dropped && (e.update.update_id >= offset || (e.injected && !e.delivered))) break;
      this.dropHead();
    }
    this.compactQueue();
  }

  private dropHead(): void {
    const e = this.queue[this.qHead++]!;
    if (!e.dropped) {
      e.dropped = true;
      if (!e.delivered) this.undelivered--;
    }
  }

  private compactQueue(): void {
    if (this.qHead === this.queue.length) {
      this.queue = [];
      this.qHead = 0;
    } else if (this.qHead > 4096 && this.qHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.qHead);
      this.qHead = 0;
    }
  }

  private collect(limit: number): Update[] {
    const out: Update[] = [];
    const now = Date.now();
    for (let i = this.qHead; i < this.queue.length && out.length < limit; i++) {
      const e = this.queue[i]!;
      if (e.dropped) continue;
      if (!this.isAllowed(e.type)) {
        e.dropped = true;
        if (!e.delivered) this.undelivered--;
        continue;
      }
      this.markDelivered(e, now);
      out.push(e.update);
    }
    return out;
  }

  private isAllowed(type: string): boolean {
    return this.allowedUpdates ? this.allowedUpdates.has(type) : !NOT_DELIVERED_BY_DEFAULT.has(type);
  }

  private markDelivered(e: QueueEntry, now: number): void {
    if (e.delivered) return;
    e.delivered = true;
    this.undelivered--;
    if (e.callback && e.callback.handedOutAt === undefined) e.callback.handedOutAt = now;
  }

  private enqueue(update: Update, type: string, injected: boolean, callback?: CallbackRec): void {
    const entry: QueueEntry = { update, type, delivered: false, dropped: false, injected };
    if (callback) entry.callback = callback;
    this.queue.push(entry);
    this.undelivered++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  /** Hands queued updates to a held getUpdates (batched per event-loop turn) or to the webhook. */
  private flush(): void {
    if (this.stopped) return;
    if (this.webhook) {
      this.pumpWebhook();
      return;
    }
    const p = this.poller;
    if (!p) return;
    const batch = this.collect(p.limit);
    if (batch.length === 0) return;
    this.poller = undefined;
    clearTimeout(p.timer);
    this.finish(p.res, p.call, undefined, batch);
  }

  private pumpWebhook(): void {
    const wh = this.webhook;
    if (!wh || this.stopped) return;
    const now = Date.now();
    while (wh.inflight < wh.maxConnections) {
      let entry = wh.retry.shift();
      if (!entry) {
        for (let i = this.qHead; i < this.queue.length; i++) {
          const e = this.queue[i]!;
          if (e.dropped || e.delivered) continue;
          if (!this.isAllowed(e.type)) {
            e.dropped = true;
            this.undelivered--;
            continue;
          }
          const chatId = updateChatId(e.update);
          if (chatId !== undefined && (wh.busyChats.get(chatId) ?? 0) > 0) continue; // keep per-chat order
          entry = e;
          break;
        }
      }
      if (!entry) break;
      this.markDelivered(entry, now);
      const chatId = updateChatId(entry.update);
      if (chatId !== undefined) wh.busyChats.set(chatId, (wh.busyChats.get(chatId) ?? 0) + 1);
      wh.inflight++;
      const e = entry;
      void this.postUpdate(wh, e).then((ok) => {
        wh.inflight--;
        if (chatId !== undefined) {
          const n = (wh.busyChats.get(chatId) ?? 1) - 1;
          if (n <= 0) wh.busyChats.delete(chatId);
          else wh.busyChats.set(chatId, n);
        }
        if (ok) {
          e.dropped = true;
          while (this.qHead < this.queue.length && this.queue[this.qHead]!.dropped) this.qHead++;
          this.compactQueue();
          this.pumpWebhook();
        } else if (this.webhook === wh) {
          this.timer(this.opts.webhookRetryMs, () => {
            wh.retry.push(e);
            this.pumpWebhook();
          });
        }
      });
    }
    if (this.pollWaiters.length > 0) this.notifyPollWaiters();
  }

  private async postUpdate(wh: WebhookState, entry: QueueEntry): Promise<boolean> {
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (wh.secret) headers['x-telegram-bot-api-secret-token'] = wh.secret;
      const res = await fetch(wh.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(entry.update),
        signal: wh.abort.signal,
      });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) {
        wh.lastError = { date: nowSec(), message: `Wrong response from the webhook: ${res.status} ${res.statusText}` };
        return false;
      }
      // A method call in the webhook response (telegraf's webhookReply) is executed like a request.
      if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('application/json')) {
        let payload: unknown;
        try {
          payload = JSON.parse(text);
        } catch {
          payload = undefined;
        }
        if (payload && typeof payload === 'object' && typeof (payload as Params).method === 'string') {
          const { method, ...params } = payload as Params & { method: string };
          const call: ApiCall = { method, params, status: 0, ok: false, at: Date.now() };
          const handler = this.handlers[method.toLowerCase()];
          try {
            if (!handler || method.toLowerCase() === 'getupdates') throw new ApiError(404, 'Not Found');
            handler(params);
            call.ok = true;
            call.status = 200;
          } catch (err) {
            const e = err instanceof ApiError ? err : new ApiError(500, String(err));
            call.status = e.code;
            call.description = e.description;
          }
          this.log(call);
        }
      }
      return true;
    } catch (err) {
      wh.lastError = { date: nowSec(), message: `Connection failed: ${String(err)}` };
      return false;
    }
  }

  private addPollWaiter(idle: boolean, timeoutMs: number): Promise<void> {
    if (this.pollCondition(idle)) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => {
      const w: Waiter<void> = { resolve, reject };
      const entry = { idle, w };
      w.timer = this.timer(timeoutMs, () => {
        this.pollWaiters = this.pollWaiters.filter((x) => x !== entry);
        reject(
          new Error(
            `${idle ? 'waitForIdle' : 'waitForPolling'} timed out after ${timeoutMs} ms ` +
              `(polling: ${this.isPolling()}, unconfirmed updates: ${this.unconfirmedUpdates()})${this.recentFailures()}`,
          ),
        );
      });
      this.pollWaiters.push(entry);
    });
    p.catch(() => {});
    return p;
  }

  private pollCondition(idle: boolean): boolean {
    if (this.webhook) return idle ? this.unconfirmedUpdates() === 0 && this.webhook.inflight === 0 : true;
    if (!this.poller) return false;
    return !idle || this.unconfirmedUpdates() === 0;
  }

  private notifyPollWaiters(): void {
    if (this.pollWaiters.length === 0) return;
    const keep: typeof this.pollWaiters = [];
    for (const entry of this.pollWaiters) {
      if (this.pollCondition(entry.idle)) {
        clearTimeout(entry.w.timer);
        entry.w.resolve();
      } else keep.push(entry);
    }
    this.pollWaiters = keep;
  }

  // ================================================================ method handlers

  private buildHandlers(): Record<string, Handler> {
    const h: Record<string, Handler> = {
      getme: () => ({
        ...this.botUser,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      }),
      logout: () => true,
      close: () => true,
      setwebhook: (p) => this.setWebhook(p),
      deletewebhook: (p) => {
        if (this.webhook) {
          this.webhook.abort.abort();
          this.webhook = undefined;
        }
        if (paramBool(p, 'drop_pending_updates')) this.dropAllPending();
        return true;
      },
      getwebhookinfo: () => {
        const wh = this.webhook;
        const info: Record<string, unknown> = {
          url: wh?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: this.unconfirmedUpdates(),
        };
        if (wh) {
          info.max_connections = wh.maxConnections;
          if (this.allowedUpdates) info.allowed_updates = [...this.allowedUpdates];
          if (wh.lastError) {
            info.last_error_date = wh.lastError.date;
            info.last_error_message = wh.lastError.message;
          }
        }
        return info;
      },
      setmycommands: (p) => {
        const commands = p.commands;
        if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
        if (commands.length > 100) throw badRequest('too many commands');
        for (const c of commands as Array<Record<string, unknown>>) {
          if (typeof c !== 'object' || c === null) throw badRequest("can't parse BotCommand");
          if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) {
            throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
          }
        }
        this.commands.set(this.commandsKey(p.scope, paramString(p, 'language_code') ?? ''), structuredClone(commands));
        return true;
      },
      getmycommands: (p) => structuredClone(this.commands.get(this.commandsKey(p.scope, paramString(p, 'language_code') ?? '')) ?? []),
      deletemycommands: (p) => {
        this.commands.delete(this.commandsKey(p.scope, paramString(p, 'language_code') ?? ''));
        return true;
      },
      setmydescription: () => true,
      setmyshortdescription: () => true,
      setmyname: () => true,
      setchatmenubutton: () => true,
      getchatmenubutton: () => ({ type: 'commands' }),
      getchat: (p) => this.getChat(p),
      getchatmember: (p) => {
        const chatId = this.requireChatId(p);
        if (!this.chatExists(chatId)) throw badRequest('chat not found');
        const userId = paramInt(p, 'user_id');
        if (userId === this.botUser.id) return { status: 'member', user: this.botUser };
        const u = userId === undefined ? undefined : this.users.get(userId);
        if (!u) throw badRequest('user not found');
        return { status: 'member', user: u.user };
      },
      leavechat: (p) => {
        const chatId = this.requireChatId(p);
        const g = this.groups.get(chatId);
        if (!g) throw badRequest('chat not found');
        g.botIsMember = false;
        return true;
      },
      sendmessage: (p) => this.sendMessage(p),
      senddocument: (p) => this.sendDocumentMethod(p),
      sendphoto: (p) => this.sendPhotoMethod(p),
      copymessage: (p) => this.copyOrForward(p, 'copyMessage'),
      forwardmessage: (p) => this.copyOrForward(p, 'forwardMessage'),
      sendchataction: (p) => {
        this.sendTarget(p);
        const action = paramString(p, 'action');
        if (!action || !CHAT_ACTIONS.has(action)) throw badRequest('wrong parameter action in request');
        return true;
      },
      editmessagetext: (p) => this.editMessageText(p),
      editmessagecaption: (p) => this.editMessageCaption(p),
      editmessagereplymarkup: (p) => this.editMessageReplyMarkup(p),
      deletemessage: (p) => {
        const chatId = this.requireChatId(p);
        const stored = this.chats.get(chatId)?.messages.get(paramInt(p, 'message_id') ?? -1);
        if (!stored || stored.deleted) throw badRequest('message to delete not found');
        stored.deleted = true;
        if (stored.rec) stored.rec.pub.deleted = true;
        return true;
      },
      answercallbackquery: (p) => this.answerCallbackQuery(p),
      getfile: (p) => {
        const id = paramString(p, 'file_id') ?? '';
        const file = this.filesById.get(id);
        if (!file) throw badRequest('invalid file_id');
        if (file.size > DOWNLOAD_LIMIT) throw badRequest('file is too big');
        return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size, file_path: file.path };
      },
    };
    return h;
  }

  private setWebhook(p: Params): true {
    const url = paramString(p, 'url') ?? '';
    if (this.webhook) {
      this.webhook.abort.abort();
      this.webhook = undefined;
    }
    if (paramBool(p, 'drop_pending_updates')) this.dropAllPending();
    const allowed = p.allowed_updates;
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
    if (url === '') return true;
    if (!/^https?:\/\/\S+$/i.test(url)) throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    const secret = paramString(p, 'secret_token');
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('bad webhook: secret token contains unallowed characters');
    }
    const maxConnections = paramInt(p, 'max_connections') ?? 40;
    if (maxConnections < 1 || maxConnections > 100) throw badRequest('bad webhook: max_connections must be between 1 and 100');
    // A held long poll is terminated by setting a webhook.
    const old = this.poller;
    if (old) {
      this.poller = undefined;
      clearTimeout(old.timer);
      this.finish(old.res, old.call, new ApiError(409, CONFLICT_WEBHOOK));
    }
    // updates handed out by getUpdates but not confirmed are delivered again
    for (let i = this.qHead; i < this.queue.length; i++) {
      const e = this.queue[i]!;
      if (!e.dropped && e.delivered) {
        e.delivered = false;
        this.undelivered++;
      }
    }
    const wh: WebhookState = {
      url,
      maxConnections,
      inflight: 0,
      busyChats: new Map(),
      retry: [],
      abort: new AbortController(),
    };
    if (secret !== undefined) wh.secret = secret;
    this.webhook = wh;
    setImmediate(() => this.pumpWebhook());
    return true;
  }

  private dropAllPending(): void {
    while (this.qHead < this.queue.length) this.dropHead();
    this.compactQueue();
  }

  private getChat(p: Params): TgChat {
    const chatId = this.requireChatId(p);
    const g = this.groups.get(chatId);
    if (g) return { ...g.chat };
    const u = this.users.get(chatId);
    if (u) return this.privateChat(u.user);
    throw badRequest('chat not found');
  }

  private sendMessage(p: Params): TgMessage {
    const chat = this.sendTarget(p);
    const raw = paramString(p, 'text');
    if (raw === undefined) throw badRequest('message text is empty');
    const parseMode = paramString(p, 'parse_mode');
    const f = formatText(raw, parseMode, p.entities);
    if (f.text.length === 0) throw badRequest('message text is empty');
    if (countChars(f.text) > TEXT_LIMIT) throw badRequest('message is too long');
    validateReplyMarkup(p.reply_markup);
    const replyTo = this.replyTarget(chat, p);
    this.acceptSend(chat);
    const content: Partial<TgMessage> = { text: f.text };
    if (f.entities.length > 0) content.entities = f.entities;
    return this.storeBotMessage(chat, 'sendMessage', p, content, { replyTo, parseMode }).msg;
  }

  private sendDocumentMethod(p: Params): TgMessage {
    const chat = this.sendTarget(p);
    const v = p.document;
    let existing: FileRecord | undefined;
    let upload: UploadedFile | undefined;
    if (isUpload(v)) {
      if (v.data.length > DOCUMENT_UPLOAD_LIMIT) throw new ApiError(413, 'Request Entity Too Large');
      if (v.data.length === 0) throw badRequest('file must be non-empty');
      upload = v;
    } else if (typeof v === 'string' && v !== '') {
      existing = this.fileByIdOrUrl(v, 'document');
    } else {
      throw badRequest('there is no document in the request');
    }
    const caption = this.caption(p);
    validateReplyMarkup(p.reply_markup);
    const replyTo = this.replyTarget(chat, p);
    this.acceptSend(chat);
    const file =
      existing ??
      this.createFile('document', upload!.data.length, Buffer.from(upload!.data), upload!.filename, guessMime(upload!.filename, upload!.contentType));
    const content: Partial<TgMessage> = { document: this.documentOf(file) };
    Object.assign(content, caption);
    return this.storeBotMessage(chat, 'sendDocument', p, content, { replyTo, parseMode: paramString(p, 'parse_mode'), document: file }).msg;
  }

  private sendPhotoMethod(p: Params): TgMessage {
    const chat = this.sendTarget(p);
    const v = p.photo;
    let existing: FileRecord | undefined;
    let upload: UploadedFile | undefined;
    if (isUpload(v)) {
      if (v.data.length > PHOTO_UPLOAD_LIMIT) throw new ApiError(413, 'Request Entity Too Large');
      if (v.data.length === 0) throw badRequest('file must be non-empty');
      upload = v;
    } else if (typeof v === 'string' && v !== '') {
      existing = this.fileByIdOrUrl(v, 'photo');
    } else {
      throw badRequest('there is no photo in the request');
    }
    const caption = this.caption(p);
    validateReplyMarkup(p.reply_markup);
    const replyTo = this.replyTarget(chat, p);
    this.acceptSend(chat);
    let file: FileRecord;
    if (upload) file = this.createPhoto(Buffer.from(upload.data));
    else if (existing!.kind === 'photo') file = this.photoOwner(existing!);
    else file = this.createPhoto(existing!.content ?? Buffer.alloc(0));
    const content: Partial<TgMessage> = { photo: this.photoSizesOf(file) };
    Object.assign(content, caption);
    return this.storeBotMessage(chat, 'sendPhoto', p, content, { replyTo, parseMode: paramString(p, 'parse_mode'), photo: file }).msg;
  }

  private copyOrForward(p: Params, method: 'copyMessage' | 'forwardMessage'): TgMessage | { message_id: number } {
    const chat = this.sendTarget(p);
    const fromChatId = this.requireChatId(p, 'from_chat_id');
    if (!this.chatExists(fromChatId)) throw badRequest('chat not found');
    const src = this.chats.get(fromChatId)?.messages.get(paramInt(p, 'message_id') ?? -1);
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
      Object.assign(content, this.caption(p));
    }
    if (method === 'forwardMessage') {
      const date = s.forward_date ?? s.date;
      if (s.from && !s.from.is_bot) {
        content.forward_origin = { type: 'user', sender_user: s.from, date };
        content.forward_from = s.from;
      } else {
        content.forward_origin = { type: 'user', sender_user: this.botUser, date };
        content.forward_from = this.botUser;
      }
      content.forward_date = date;
    }
    if (method === 'copyMessage') validateReplyMarkup(p.reply_markup);
    const replyTo = method === 'copyMessage' ? this.replyTarget(chat, p) : undefined;
    this.acceptSend(chat);
    const stored = this.storeBotMessage(chat, method, p, content, {
      replyTo,
      parseMode: paramString(p, 'parse_mode'),
      source: { chat_id: fromChatId, message_id: s.message_id },
      document: src.document ?? (s.document ? this.filesById.get(s.document.file_id) : undefined),
      photo: src.photo,
      keepMarkup: method === 'copyMessage',
    });
    return method === 'copyMessage' ? { message_id: stored.msg.message_id } : stored.msg;
  }

  private editMessageText(p: Params): TgMessage {
    const stored = this.editTarget(p);
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
    return this.applyEdit(stored, next, p, { text: f.text, entities: f.entities, parseMode: paramString(p, 'parse_mode') });
  }

  private editMessageCaption(p: Params): TgMessage {
    const stored = this.editTarget(p);
    const m = stored.msg;
    if (!m.document && !m.photo) throw badRequest('there is no caption in the message to edit');
    const c = this.caption(p);
    validateReplyMarkup(p.reply_markup);
    const markup = messageMarkup(p.reply_markup);
    if (c.caption === m.caption && sameJson(c.caption_entities ?? [], m.caption_entities ?? []) && sameJson(markup, m.reply_markup)) {
      throw badRequest(NOT_MODIFIED);
    }
    const next: TgMessage = { ...m, edit_date: nowSec() };
    delete next.caption;
    delete next.caption_entities;
    Object.assign(next, c);
    return this.applyEdit(stored, next, p, { caption: c.caption ?? '', captionEntities: c.caption_entities ?? [], parseMode: paramString(p, 'parse_mode') });
  }

  private editMessageReplyMarkup(p: Params): TgMessage {
    const stored = this.editTarget(p);
    validateReplyMarkup(p.reply_markup);
    const markup = messageMarkup(p.reply_markup);
    if (sameJson(markup, stored.msg.reply_markup)) throw badRequest(NOT_MODIFIED);
    return this.applyEdit(stored, { ...stored.msg, edit_date: nowSec() }, p, {});
  }

  /** Stores the edited message (reply_markup replaced or removed, as Telegram does) and notifies waiters. */
  private applyEdit(
    stored: StoredMessage,
    next: TgMessage,
    p: Params,
    changes: { text?: string; entities?: TgMessageEntity[]; caption?: string; captionEntities?: TgMessageEntity[]; parseMode?: string | undefined },
  ): TgMessage {
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
    this.onBotMessageChanged(pub.chat_id, rec, true);
    return next;
  }

  private answerCallbackQuery(p: Params): true {
    const id = paramString(p, 'callback_query_id') ?? '';
    const rec = this.callbacks.get(id);
    const now = Date.now();
    if (!rec || rec.answer || now - rec.createdAt > this.opts.callbackAnswerTimeoutMs) throw badRequest(QUERY_TOO_OLD);
    const text = paramString(p, 'text');
    if (text !== undefined && countChars(text) > CALLBACK_TEXT_LIMIT) throw badRequest('MESSAGE_TOO_LONG');
    const answer: CallbackAnswer = { answeredAt: now };
    if (text !== undefined) answer.text = text;
    if (p.show_alert !== undefined) answer.show_alert = paramBool(p, 'show_alert');
    const url = paramString(p, 'url');
    if (url !== undefined) answer.url = url;
    const cacheTime = paramInt(p, 'cache_time');
    if (cacheTime !== undefined) answer.cache_time = cacheTime;
    rec.answer = answer;
    const waiters = this.callbackWaiters.get(id);
    if (waiters) {
      this.callbackWaiters.delete(id);
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.resolve({ ...answer });
      }
    }
    return true;
  }

  // ================================================================ helpers: chats, sending, storing

  private userState(userId: number): UserState {
    let s = this.users.get(userId);
    if (!s) {
      this.addUser({ id: userId, first_name: `User ${userId}` });
      s = this.users.get(userId)!;
    }
    return s;
  }

  private privateChat(u: FakeUser): TgChat {
    const chat: TgChat = { id: u.id, type: 'private', first_name: u.first_name };
    if (u.last_name !== undefined) chat.last_name = u.last_name;
    if (u.username !== undefined) chat.username = u.username;
    return chat;
  }

  /** The Chat object embedded in messages (shared, never mutated). */
  private tgChat(chatId: number): TgChat {
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

  private chatExists(chatId: number): boolean {
    return this.groups.has(chatId) || this.users.has(chatId);
  }

  private chatState(chatId: number): ChatState {
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
        tokens: this.opts.privateBurst,
        refilledAt: performance.now(),
      };
      this.chats.set(chatId, c);
    }
    return c;
  }

  private requireChatId(p: Params, name = 'chat_id'): number {
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
  private sendTarget(p: Params): ChatState {
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

  private replyTarget(chat: ChatState, p: Params): StoredMessage | undefined {
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

  private caption(p: Params): { caption?: string; caption_entities?: TgMessageEntity[] } {
    const raw = paramString(p, 'caption');
    if (raw === undefined) return {};
    const f: FormattedText = formatText(raw, paramString(p, 'parse_mode'), p.caption_entities);
    if (countChars(f.text) > CAPTION_LIMIT) throw badRequest('message caption is too long');
    const out: { caption?: string; caption_entities?: TgMessageEntity[] } = {};
    if (f.text.length > 0) out.caption = f.text;
    if (f.entities.length > 0) out.caption_entities = f.entities;
    return out;
  }

  /** Rate limiting of send-type calls; throws 429 (nothing stored) or records the send. */
  private acceptSend(chat: ChatState): void {
    const now = performance.now();
    const { globalRatePerSecond: g, flatPerChatPerSecond: c, privateBurst, privatePerSecond, groupPerMinute, retryAfterSeconds } = this.opts;
    const tooMany = (seconds: number) => {
      const after = Math.max(retryAfterSeconds, Math.ceil(seconds));
      return new ApiError(429, `Too Many Requests: retry after ${after}`, { retry_after: after });
    };
    if ((g > 0 && this.globalWindow.count(now) >= g) || (c > 0 && chat.window.count(now) >= c)) throw tooMany(1);
    const group = chat.id < 0;
    if (group && groupPerMinute > 0 && chat.minuteWindow.count(now) >= groupPerMinute) {
      throw tooMany(chat.minuteWindow.msUntilFree(now) / 1000);
    }
    if (!group && privateBurst > 0) {
      const intervalMs = 1000 / privatePerSecond;
      const earned = Math.floor((now - chat.refilledAt) / intervalMs);
      if (earned > 0) {
        chat.tokens = Math.min(privateBurst, chat.tokens + earned);
        chat.refilledAt = chat.tokens === privateBurst ? now : chat.refilledAt + earned * intervalMs;
      }
      if (chat.tokens < 1) throw tooMany((chat.refilledAt + intervalMs - now) / 1000);
      if (chat.tokens === privateBurst) chat.refilledAt = now;
      chat.tokens -= 1;
    }
    const gc = this.globalWindow.add(now);
    const cc = chat.window.add(now);
    chat.minuteWindow.add(now);
    const k = this.counters;
    k.sent++;
    if (gc > k.maxGlobal) k.maxGlobal = gc;
    if (cc > k.maxPerChat) k.maxPerChat = cc;
  }

  private storeBotMessage(
    chat: ChatState,
    method: string,
    p: Params,
    content: Partial<TgMessage>,
    extra: {
      replyTo?: StoredMessage | undefined;
      parseMode?: string | undefined;
      document?: FileRecord | undefined;
      photo?: FileRecord | undefined;
      source?: { chat_id: number; message_id: number };
      keepMarkup?: boolean;
    },
  ): StoredMessage {
    const messageId = chat.nextMessageId++;
    const date = nowSec();
    const msg: TgMessage = { message_id: messageId, from: this.botUser, chat: this.tgChat(chat.id), date, ...content };
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
    if (content.document && extra.document) pub.document = this.botDocument(extra.document);
    if (content.photo && extra.photo) pub.photo = this.botPhoto(extra.photo);
    const rec: BotRec = { pub, consumed: false, editsSeen: 0 };
    const stored: StoredMessage = { msg, fromBot: true, deleted: false, rec };
    if (extra.document) stored.document = extra.document;
    if (extra.photo) stored.photo = extra.photo;
    chat.messages.set(messageId, stored);
    chat.bot.push(rec);
    this.allBot.push(rec);
    this.onBotMessageChanged(chat.id, rec, false);
    return stored;
  }

  private botDocument(file: FileRecord): BotMessageDocument {
    const d: BotMessageDocument = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
    if (file.file_name !== undefined) d.file_name = file.file_name;
    if (file.mime_type !== undefined) d.mime_type = file.mime_type;
    if (file.content) d.content = file.content;
    return d;
  }

  private botPhoto(file: FileRecord): BotMessagePhotoSize[] {
    return (file.sizes ?? [file]).map((s) => {
      const out: BotMessagePhotoSize = { ...this.photoSize(s) };
      if (s.content) out.content = s.content;
      return out;
    });
  }

  private incoming(fromUserId: number, chatId: number | undefined): { user: FakeUser; chat: ChatState } {
    const s = this.userState(fromUserId);
    if (chatId === undefined || chatId === fromUserId) {
      s.started = true;
      s.blocked = false;
      return { user: s.user, chat: this.chatState(fromUserId) };
    }
    if (!this.groups.has(chatId)) throw new Error(`FakeTelegram: unknown group ${chatId}; call addGroup() first`);
    return { user: s.user, chat: this.chatState(chatId) };
  }

  private newUserMessage(user: FakeUser, chat: ChatState, replyToMessageId: number | undefined): TgMessage {
    const msg: TgMessage = { message_id: chat.nextMessageId++, from: user, chat: this.tgChat(chat.id), date: nowSec() };
    if (replyToMessageId !== undefined) {
      const target = chat.messages.get(replyToMessageId);
      if (!target) throw new Error(`FakeTelegram: no message ${replyToMessageId} in chat ${chat.id} to reply to`);
      msg.reply_to_message = withoutReply(target.msg);
    }
    return msg;
  }

  private queueUserMessage(chat: ChatState, msg: TgMessage, files: { document?: FileRecord; photo?: FileRecord } = {}): MessageUpdate {
    const stored: StoredMessage = { msg, fromBot: false, deleted: false, ...files };
    chat.messages.set(msg.message_id, stored);
    const update: MessageUpdate = { update_id: this.nextUpdateId++, message: msg };
    this.enqueue(update, 'message', false);
    return update;
  }

  private queueMyChatMember(user: FakeUser, oldStatus: string, newStatus: string): void {
    const update: Update = {
      update_id: this.nextUpdateId++,
      my_chat_member: {
        chat: this.privateChat(user),
        from: user,
        date: nowSec(),
        old_chat_member: { user: this.botUser, status: oldStatus },
        new_chat_member: newStatus === 'kicked' ? { user: this.botUser, status: 'kicked', until_date: 0 } : { user: this.botUser, status: newStatus },
      },
    };
    this.enqueue(update, 'my_chat_member', false);
  }

  private editTarget(p: Params): StoredMessage {
    if (p.inline_message_id !== undefined) throw badRequest('MESSAGE_ID_INVALID');
    const chatId = this.requireChatId(p);
    if (!this.chatExists(chatId)) throw badRequest('chat not found');
    const messageId = paramInt(p, 'message_id');
    if (messageId === undefined) throw badRequest('message identifier is not specified');
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    if (!stored || stored.deleted) throw badRequest('message to edit not found');
    if (!stored.fromBot) throw badRequest("message can't be edited");
    return stored;
  }

  private commandsKey(scope: unknown, languageCode: string): string {
    let s: Record<string, unknown> = { type: 'default' };
    if (typeof scope === 'string') {
      try {
        s = JSON.parse(scope) as Record<string, unknown>;
      } catch {
        throw badRequest("can't parse BotCommandScope JSON object");
      }
    } else if (scope && typeof scope === 'object') s = scope as Record<string, unknown>;
    return JSON.stringify([s.type ?? 'default', s.chat_id ?? null, s.user_id ?? null, languageCode]);
  }

  // ================================================================ helpers: files

  private createFile(kind: FileKind, size: number, content: Buffer | undefined, fileName?: string, mimeType?: string): FileRecord {
    const ids = makeFileIds(kind, this.nextFileSeq++);
    const file: FileRecord = { file_id: ids.file_id, file_unique_id: ids.file_unique_id, kind, size, path: pathWithExtension(ids.path, fileName) };
    if (content) file.content = content;
    if (fileName !== undefined) file.file_name = fileName;
    if (mimeType !== undefined) file.mime_type = mimeType;
    this.filesById.set(file.file_id, file);
    this.filesByPath.set(file.path, file);
    return file;
  }

  /** A photo: one record per size (same bytes), the largest returned with all sizes attached. */
  private createPhoto(content: Buffer): FileRecord {
    const { width, height } = imageSize(content);
    const sizes = photoSizeDims(width, height).map((d) => {
      const f = this.createFile('photo', content.length, content, undefined, 'image/jpeg');
      f.width = d.width;
      f.height = d.height;
      return f;
    });
    for (const s of sizes) s.sizes = sizes;
    return sizes[sizes.length - 1]!;
  }

  private photoOwner(file: FileRecord): FileRecord {
    const sizes = file.sizes;
    return sizes ? sizes[sizes.length - 1]! : file;
  }

  private photoSize(f: FileRecord): TgPhotoSize {
    return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.size, width: f.width ?? 0, height: f.height ?? 0 };
  }

  private photoSizesOf(file: FileRecord): TgPhotoSize[] {
    return (file.sizes ?? [file]).map((s) => this.photoSize(s));
  }

  private documentOf(file: FileRecord): NonNullable<TgMessage['document']> {
    const d: NonNullable<TgMessage['document']> = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
    if (file.file_name !== undefined) d.file_name = file.file_name;
    if (file.mime_type !== undefined) d.mime_type = file.mime_type;
    return d;
  }

  private fileByIdOrUrl(v: string, kind: FileKind): FileRecord {
    const known = this.filesById.get(v);
    if (known) return known;
    if (/^https?:\/\//i.test(v)) {
      const name = decodeURIComponent(v.split(/[?#]/)[0]!.split('/').pop() || 'file');
      return this.createFile(kind === 'photo' ? 'photo' : 'document', 0, undefined, name, guessMime(name));
    }
    throw badRequest('wrong file identifier/HTTP URL specified');
  }

  // ================================================================ helpers: waiting

  private timer(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
    return t;
  }

  private addWaiter<K>(
    map: Map<K, MessageWaiter[]>,
    key: K,
    predicate: (m: BotMessage) => boolean,
    timeoutMs: number,
    describe: () => string,
  ): Promise<BotMessage> {
    const p = new Promise<BotMessage>((resolve, reject) => {
      const w: MessageWaiter = { predicate, resolve, reject };
      w.timer = this.timer(timeoutMs, () => {
        this.removeWaiter(map, key, w);
        reject(new Error(`${describe()} timed out after ${timeoutMs} ms`));
      });
      const list = map.get(key) ?? [];
      list.push(w);
      map.set(key, list);
    });
    p.catch(() => {}); // callers that await still see the rejection; abandoned waits do not become unhandled
    return p;
  }

  private removeWaiter<K, T>(map: Map<K, Waiter<T>[]>, key: K, w: Waiter<T>): void {
    const list = map.get(key);
    if (!list) return;
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) map.delete(key);
  }

  private takeUnconsumed(chat: ChatState, pred: (m: BotMessage) => boolean): BotMessage | undefined {
    const recs = chat.bot;
    while (chat.firstUnconsumed < recs.length && recs[chat.firstUnconsumed]!.consumed) chat.firstUnconsumed++;
    for (let i = chat.firstUnconsumed; i < recs.length; i++) {
      const r = recs[i]!;
      if (!r.consumed && pred(r.pub)) {
        r.consumed = true;
        return { ...r.pub };
      }
    }
    return undefined;
  }

  private onBotMessageChanged(chatId: number, rec: BotRec, edited: boolean): void {
    const waiters = this.messageWaiters.get(chatId);
    if (waiters && !rec.consumed) {
      for (let i = 0; i < waiters.length; i++) {
        const w = waiters[i]!;
        if (!w.predicate(rec.pub)) continue;
        rec.consumed = true;
        waiters.splice(i, 1);
        if (waiters.length === 0) this.messageWaiters.delete(chatId);
        clearTimeout(w.timer);
        w.resolve({ ...rec.pub });
        break;
      }
    }
    if (!edited) return;
    const key = `${chatId}:${rec.pub.message_id}`;
    const ew = this.editWaiters.get(key);
    if (!ew) return;
    for (let i = 0; i < ew.length; i++) {
      const w = ew[i]!;
      if (!w.predicate(rec.pub)) continue;
      rec.editsSeen = rec.pub.edits;
      ew.splice(i, 1);
      if (ew.length === 0) this.editWaiters.delete(key);
      clearTimeout(w.timer);
      w.resolve({ ...rec.pub });
      break;
    }
  }

  private describeChat(chatId: number, what: string): string {
    const recs = this.chats.get(chatId)?.bot ?? [];
    const lines = recs.slice(-10).map((r) => {
      const m = r.pub;
      const body = m.text ?? (m.caption !== undefined ? `[${m.method}] ${m.caption}` : `[${m.method}]`);
      const flags = [r.consumed ? 'consumed' : '', m.edits ? `edits=${m.edits}` : '', m.deleted ? 'deleted' : ''].filter(Boolean).join(',');
      return `  #${m.message_id}${flags ? ` (${flags})` : ''}: ${JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}…` : body)}`;
    });
    const header = `${what}: ${recs.length} bot message(s) in the chat${recs.length > 10 ? ' (last 10 shown)' : ''}`;
    return `${header}\n${lines.join('\n')}${this.recentFailures(chatId)}\n`;
  }

  /** The bot's last failed calls (optionally for one chat), for timeout messages. */
  private recentFailures(chatId?: number): string {
    const out: string[] = [];
    for (let i = this.callLog.length - 1; i >= 0 && out.length < 5; i--) {
      const c = this.callLog[i]!;
      if (c.ok || c.method.toLowerCase() === 'getupdates') continue;
      if (chatId !== undefined && c.params.chat_id !== undefined && Number(c.params.chat_id) !== chatId) continue;
      out.push(`  ${c.method} -> ${c.status} ${c.description ?? ''}`);
    }
    return out.length > 0 ? `\nrecent failed calls:\n${out.reverse().join('\n')}` : '';
  }
}
