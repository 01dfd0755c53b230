// Shapes used by the fake Telegram Bot API server (test/support/fake-telegram.ts).
// They mirror the Bot API objects loosely: only the fields the fake produces are typed.

export interface FakeUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface TgMessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
  user?: { id: number };
}

export interface TgPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
}

export interface TgContact {
  phone_number: string;
  first_name: string;
  last_name?: string;
  user_id?: number;
}

export interface TgMessage {
  message_id: number;
  from?: FakeUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  caption_entities?: TgMessageEntity[];
  document?: TgDocument;
  photo?: TgPhotoSize[];
  sticker?: Record<string, unknown>;
  contact?: TgContact;
  reply_to_message?: TgMessage;
  reply_markup?: unknown;
  [key: string]: unknown;
}

export interface TgCallbackQuery {
  id: string;
  from: FakeUser;
  chat_instance: string;
  data?: string;
  message?: TgMessage;
}

export interface Update {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  callback_query?: TgCallbackQuery;
  my_chat_member?: Record<string, unknown>;
  [key: string]: unknown;
}

export type MessageUpdate = Update & { message: TgMessage };
export type EditedMessageUpdate = Update & { edited_message: TgMessage };
export type CallbackQueryUpdate = Update & {
  callback_query: TgCallbackQuery & { data: string; message: TgMessage };
};

/** A file attached to a message the bot sent. `content` is absent for files registered without bytes. */
export interface BotMessageDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
  content?: Buffer;
}

export type BotMessagePhotoSize = TgPhotoSize & { content?: Buffer };

/**
 * A message the bot sent (sendMessage, sendDocument, sendPhoto, copyMessage, forwardMessage), in its
 * current state. `text`/`caption` are what Telegram would store: the plain text after entity parsing
 * (HTML tags stripped, entities decoded, surrounding whitespace trimmed); the text exactly as sent is in
 * `params.text` / `params.caption`.
 */
export interface BotMessage {
  message_id: number;
  chat_id: number;
  /** The API method that created the message. */
  method: string;
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  caption_entities?: TgMessageEntity[];
  parse_mode?: string;
  /** reply_markup as sent (parsed from JSON when it arrived as a string); any kind, not only inline keyboards. */
  reply_markup?: unknown;
  document?: BotMessageDocument;
  photo?: BotMessagePhotoSize[];
  reply_to_message_id?: number;
  /** For copyMessage / forwardMessage: where the content came from. */
  source?: { chat_id: number; message_id: number };
  /** Unix seconds. */
  date: number;
  /** Date.now() when stored. */
  sentAt: number;
  /** Number of successful edits (editMessageText / editMessageReplyMarkup / editMessageCaption). */
  edits: number;
  /** Date.now() of the last edit. */
  editedAt?: number;
  deleted?: boolean;
  /** Parameters of the call that created the message (JSON fields parsed; uploaded files replaced by {filename, size}). */
  params: Record<string, unknown>;
  /** Parameters of the last successful edit, if any. */
  lastEditParams?: Record<string, unknown>;
  /** The Telegram Message object as Telegram would return it now. */
  message: TgMessage;
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  status: number;
  ok: boolean;
  description?: string;
  /** Date.now() when the request arrived. */
  at: number;
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  answeredAt: number;
}

export interface FakeTelegramStats {
  /** Accepted send-type calls (sendMessage, sendDocument, sendPhoto, copyMessage, forwardMessage). */
  sent: number;
  rejected429: number;
  /** Max accepted send-type calls seen in any rolling 1 s window, all chats together. */
  maxGlobalPerSecondObserved: number;
  /** Max accepted send-type calls seen in any rolling 1 s window in one chat. */
  maxPerChatPerSecondObserved: number;
  /** All HTTP requests answered (including getUpdates and errors). */
  requests: number;
  /** Requests failed by a simulated outage. */
  outageFailures: number;
}

export interface IncomingOpts {
  /** Chat the update happens in; default the user's private chat (chat id = user id). */
  chatId?: number;
  replyToMessageId?: number;
}

export interface ApiErrorSpec {
  error_code: number;
  description: string;
  retry_after?: number;
}
