// The fake's constructor options and the settings they resolve to (Telegram's limits on unless a test says why not).

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

/** The options in force; setLimits() and setCallbackAnswerTimeout() change them while the fake runs. */
export interface Settings {
  globalRatePerSecond: number;
  flatPerChatPerSecond: number;
  privateBurst: number;
  privatePerSecond: number;
  groupPerMinute: number;
  retryAfterSeconds: number;
  callbackAnswerTimeoutMs: number;
  webhookRetryMs: number;
  callLogLimit: number;
}

export function resolveSettings(options: FakeTelegramOptions): Settings {
  const strict = options.unlimited === undefined;
  return {
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
}
