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
import type { Server } from 'node:http';
import type { Core } from './fake-telegram/core.js';
import { CallLog } from './fake-telegram/call-log.js';
import { FileStore, type FileKind } from './fake-telegram/files.js';
import { sendJson } from './fake-telegram/http.js';
import { Limits, type RateLimits } from './fake-telegram/limits.js';
import { CallbackQueries } from './fake-telegram/methods/callbacks.js';
import { commandsKey } from './fake-telegram/methods/bot.js';
import { buildHandlers } from './fake-telegram/methods/index.js';
import { resolveSettings, type FakeTelegramOptions } from './fake-telegram/options.js';
import { listen, Router } from './fake-telegram/server.js';
import type {
  ApiCall,
  ApiErrorSpec,
  BotMessage,
  CallbackAnswer,
  CallbackQueryUpdate,
  EditedMessageUpdate,
  FakeTelegramStats,
  FakeUser,
  IncomingOpts,
  MessageUpdate,
  TgMessage,
} from './fake-telegram/types.js';
import { UpdateQueue } from './fake-telegram/updates.js';
import { UserSimulator } from './fake-telegram/users.js';
import { DEFAULT_WAIT_MS, Timers, Waiters } from './fake-telegram/waiters.js';
import { World } from './fake-telegram/world.js';

export type * from './fake-telegram/types.js';
export type { FakeTelegramOptions } from './fake-telegram/options.js';
export { ApiError } from './fake-telegram/http.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  readonly botUsername: string;
  readonly botUser: FakeUser;

  private readonly server: Server;
  private readonly core: Core;
  private readonly router: Router;
  private readonly users: UserSimulator;

  private constructor(server: Server, port: number, options: FakeTelegramOptions) {
    this.server = server;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = options.token ?? '123456:TEST-TOKEN';
    this.botUsername = options.botUsername ?? 'kinerja_test_bot';
    const botId = Number(/^(\d+):/.exec(this.token)?.[1] ?? 123456);
    this.botUser = { id: botId, is_bot: true, first_name: 'Kinerja Test Bot', username: this.botUsername };
    // The parts reach each other through `core` only when called, so they can be built in any order.
    const core = { token: this.token, botUser: this.botUser, opts: resolveSettings(options), stopped: false } as Mutable<Core>;
    core.timers = new Timers();
    core.limits = new Limits(core.opts);
    core.log = new CallLog(core.opts, core.limits);
    core.world = new World(core);
    core.files = new FileStore();
    core.waiters = new Waiters(core);
    core.callbacks = new CallbackQueries(core);
    core.updates = new UpdateQueue(core);
    core.handlers = buildHandlers(core);
    this.core = core;
    this.router = new Router(core);
    this.users = new UserSimulator(core);
  }

  /** Starts the server on 127.0.0.1 (ephemeral port unless `port` is given). */
  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const { server, port } = await listen(options.port);
    const fake = new FakeTelegram(server, port, options);
    server.on('request', (req, res) => {
      fake.router.onRequest(req, res).catch((err: unknown) => {
        sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
      });
    });
    return fake;
  }

  /** Stops the server, answering nothing further. Stop the bot (bot.stop()) first. Pending waits are rejected. */
  async stop(): Promise<void> {
    const core = this.core;
    if (core.stopped) return;
    core.stopped = true;
    core.timers.clear();
    core.updates.stop();
    const stopped = new Error('FakeTelegram stopped');
    core.waiters.rejectAll(stopped);
    core.callbacks.rejectAll(stopped);
    core.updates.rejectPollWaiters(stopped);
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  setLimits(p: RateLimits): void {
    this.core.limits.set(p);
  }

  /**
   * A Telegram outage: for `ms` every request fails, with 502 Bad Gateway (an HTML page, as a proxy answers) or
   * with the connection cut before any answer ('connection').
   */
  simulateOutage(ms: number, kind: 'bad_gateway' | 'connection' = 'bad_gateway'): void {
    this.router.simulateOutage(ms, kind);
  }

  /** Ends a simulated outage now. */
  endOutage(): void {
    this.router.endOutage();
  }

  /** Changes how late a callback query may be answered. */
  setCallbackAnswerTimeout(ms: number): void {
    this.core.opts.callbackAnswerTimeoutMs = ms;
  }

  // ================================================================ users & chats

  /** Registers a user. Their private chat (id = user id) exists but is not "started" until they send something. */
  addUser(u: { id: number; first_name: string; last_name?: string; username?: string; language_code?: string }): FakeUser {
    return this.core.world.addUser(u);
  }

  /** The user blocks the bot: sends to their private chat get 403. `notify` also queues a my_chat_member update. */
  blockBot(userId: number, opts: { notify?: boolean } = {}): void {
    this.users.blockBot(userId, opts.notify);
  }

  unblockBot(userId: number, opts: { notify?: boolean } = {}): void {
    this.users.unblockBot(userId, opts.notify);
  }

  /** The account is deleted: sends get 403 'Forbidden: user is deactivated'. */
  deactivateUser(userId: number): void {
    this.core.world.userState(userId).deactivated = true;
  }

  /** Lets the bot message the user as if they had pressed Start. */
  markStarted(userId: number): void {
    this.core.world.userState(userId).started = true;
  }

  /** Adds a group (negative id; ids <= -1e12 are supergroups) that the bot is a member of. */
  addGroup(g: { id: number; title: string; username?: string; type?: 'group' | 'supergroup' }): void {
    this.core.world.addGroup(g);
  }

  /** The bot is removed from the group: sends get 403 'Forbidden: bot was kicked from the group chat'. */
  removeBotFromGroup(groupId: number): void {
    this.core.world.removeBotFromGroup(groupId);
  }

  // ================================================================ incoming updates

  /**
   * The user sends text. A /command (also '/start payload', '/cmd@botname') gets a bot_command entity.
   * Private-chat updates mark the chat started (and unblock: a user must unblock to write).
   */
  sendText(fromUserId: number, text: string, opts: IncomingOpts = {}): MessageUpdate {
    return this.users.sendText(fromUserId, text, opts);
  }

  /** The user shares a contact (pass user_id = fromUserId for the "share my phone number" button). */
  sendContact(
    fromUserId: number,
    contact: { phone_number: string; first_name: string; last_name?: string; user_id?: number },
    opts: IncomingOpts = {},
  ): MessageUpdate {
    return this.users.sendContact(fromUserId, contact, opts);
  }

  /** The user sends a file; its bytes are stored so getFile + download work. */
  sendDocument(
    fromUserId: number,
    doc: { fileName: string; mimeType: string; content: Buffer; caption?: string },
    opts: IncomingOpts = {},
  ): MessageUpdate {
    return this.users.sendDocument(fromUserId, doc, opts);
  }

  /** The user sends a photo: `photo` holds 2-3 PhotoSize, largest last, each getFile-able (same bytes). */
  sendPhoto(fromUserId: number, photo: { content: Buffer; caption?: string }, opts: IncomingOpts = {}): MessageUpdate {
    return this.users.sendPhoto(fromUserId, photo, opts);
  }

  sendSticker(fromUserId: number, opts: IncomingOpts & { emoji?: string } = {}): MessageUpdate {
    return this.users.sendSticker(fromUserId, opts);
  }

  /** The user edits one of their own messages (edited_message update). */
  editText(fromUserId: number, messageId: number, newText: string, opts: { chatId?: number } = {}): EditedMessageUpdate {
    return this.users.editText(fromUserId, messageId, newText, opts.chatId ?? fromUserId);
  }

  /**
   * The user taps an inline button of a message the bot sent. `callbackData` is not checked against the
   * keyboard (so forged/stale data can be tested). Returns the update; update.callback_query.id is the query id.
   */
  tapButton(fromUserId: number, message: { chatId: number; messageId: number }, callbackData: string): CallbackQueryUpdate {
    return this.users.tapButton(fromUserId, message, callbackData);
  }

  /**
   * Queues a raw update. An explicit update_id is kept (duplicates/replays allowed) and such an update is
   * delivered at least once even if its id is below the bot's current offset; otherwise an id is assigned.
   * A callback_query with an id becomes answerable.
   */
  injectUpdate(update: Record<string, unknown>): void {
    this.users.injectUpdate(update);
  }

  /** Registers a file without a message (e.g. a forged 25 MB file_id). Downloads stream zeros when no content. */
  registerFile(meta: {
    fileSize: number;
    content?: Buffer;
    fileName?: string;
    mimeType?: string;
    kind?: FileKind;
  }): { file_id: string; file_unique_id: string; file_size: number } {
    const file = this.core.files.create(meta.kind ?? 'document', meta.fileSize, meta.content, meta.fileName, meta.mimeType);
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.size };
  }

  /** The stored bytes of a file (undefined when unknown or registered without content). */
  fileContent(fileId: string): Buffer | undefined {
    return this.core.files.byId.get(fileId)?.content;
  }

  // ================================================================ observation

  /** Messages the bot sent (current state, after edits; deleted ones included with deleted: true), in order. */
  messages(chatId?: number): BotMessage[] {
    return this.core.world.messages(chatId);
  }

  /** Messages users sent (as stored: current state after user edits), in order. */
  userMessages(chatId: number): TgMessage[] {
    return this.core.world.userMessages(chatId);
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
    return this.core.waiters.waitForMessage(chatId, predicate, timeoutMs);
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
    return this.core.waiters.waitForEdit(chatId, messageId, predicate, timeoutMs);
  }

  callbackAnswer(callbackQueryId: string): CallbackAnswer | undefined {
    return this.core.callbacks.answerOf(callbackQueryId);
  }

  /**
   * latencyMs = answeredAt - when getUpdates handed the query to the bot (or when it was queued, if never handed out);
   * sinceTapMs = answeredAt - when the tap reached the fake (includes any wait for the bot's next getUpdates).
   */
  waitForCallbackAnswer(callbackQueryId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<CallbackAnswer & { latencyMs: number; sinceTapMs: number }> {
    return this.core.callbacks.waitForAnswer(callbackQueryId, timeoutMs);
  }

  /** Recorded API calls (oldest first, capped), optionally for one method (case-insensitive). */
  calls(method?: string): ApiCall[] {
    return this.core.log.calls(method);
  }

  stats(): FakeTelegramStats {
    return this.core.limits.stats();
  }

  /** Zeroes stats() (the rolling windows keep their history so limits stay correct). */
  resetStats(): void {
    this.core.limits.resetStats();
  }

  /** The commands setMyCommands stored for this scope (default {type:'default'}) and language ('' = all). */
  myCommands(scope?: Record<string, unknown>, languageCode = ''): Array<{ command: string; description: string }> | undefined {
    const c = this.core.world.commands.get(commandsKey(scope, languageCode));
    return c ? (structuredClone(c) as Array<{ command: string; description: string }>) : undefined;
  }

  /** The next `count` calls of `method` (case-insensitive) fail with this error (HTTP status = error_code). */
  failNext(method: string, error: ApiErrorSpec, count = 1): void {
    this.core.log.failNext(method, error, count);
  }

  /** Updates queued but never handed out by getUpdates (or the webhook). */
  pendingUpdates(): number {
    return this.core.updates.undelivered;
  }

  /** Updates not yet confirmed by a getUpdates offset (includes handed-out ones). */
  unconfirmedUpdates(): number {
    return this.core.updates.unconfirmedUpdates();
  }

  /** Whether a long-polling getUpdates request is currently held open. */
  isPolling(): boolean {
    return this.core.updates.isPolling();
  }

  /** Resolves once a long-polling getUpdates is held open (e.g. after bot.launch(), before bot.stop() is safe). */
  waitForPolling(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.core.updates.addPollWaiter(false, timeoutMs);
  }

  /**
   * Resolves when every queued update has been confirmed and the bot is back in a held getUpdates. With
   * telegraf this means the handlers of all updates so far have returned (work they left running may not have).
   */
  waitForIdle(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.core.updates.addPollWaiter(true, timeoutMs);
  }
}
