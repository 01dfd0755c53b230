// Telegram's limits: sizes and lengths a call may carry, and the send rate (global, per private chat as a token
// bucket, per group per minute) beyond which a send-type call gets 429 with retry_after.
import { performance } from 'node:perf_hooks';
import { ApiError } from './http.js';
import type { Settings } from './options.js';
import { RollingWindow } from './rate.js';
import type { FakeTelegramStats } from './types.js';
import type { ChatState } from './world.js';

export const MB = 1024 * 1024;
export const DOWNLOAD_LIMIT = 20 * MB;
export const DOCUMENT_UPLOAD_LIMIT = 50 * MB;
export const PHOTO_UPLOAD_LIMIT = 10 * MB;
/** Largest body read (document limit + multipart overhead); anything bigger is answered 413 unparsed. */
export const BODY_LIMIT = DOCUMENT_UPLOAD_LIMIT + MB;
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
export const CALLBACK_TEXT_LIMIT = 200;

/** The rate limits setLimits() may change. */
export type RateLimits = Partial<
  Pick<Settings, 'globalRatePerSecond' | 'flatPerChatPerSecond' | 'privateBurst' | 'privatePerSecond' | 'groupPerMinute' | 'retryAfterSeconds'>
>;

export class Limits {
  private readonly globalWindow = new RollingWindow(1000);
  readonly counters = { sent: 0, rejected429: 0, maxGlobal: 0, maxPerChat: 0, requests: 0, outageFailures: 0 };

  constructor(private readonly opts: Settings) {}

  set(p: RateLimits): void {
    if (p.globalRatePerSecond !== undefined) this.opts.globalRatePerSecond = p.globalRatePerSecond;
    if (p.flatPerChatPerSecond !== undefined) this.opts.flatPerChatPerSecond = p.flatPerChatPerSecond;
    if (p.privateBurst !== undefined) this.opts.privateBurst = p.privateBurst;
    if (p.privatePerSecond !== undefined) this.opts.privatePerSecond = p.privatePerSecond;
    if (p.groupPerMinute !== undefined) this.opts.groupPerMinute = p.groupPerMinute;
    if (p.retryAfterSeconds !== undefined) this.opts.retryAfterSeconds = p.retryAfterSeconds;
  }

  /** Rate limiting of send-type calls; throws 429 (nothing stored) or records the send. */
  acceptSend(chat: ChatState): void {
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

  /** The rolling windows keep their history so limits stay correct. */
  resetStats(): void {
    Object.assign(this.counters, { sent: 0, rejected429: 0, maxGlobal: 0, maxPerChat: 0, requests: 0, outageFailures: 0 });
  }
}
