// The global send schedule: one schedule of send slots in Redis shared by every process of the bot, so the bot as a
// whole stays under Telegram's global rate (Telegram counts per bot, not per process).
import type { Redis } from 'ioredis';

/**
 * Reserves `count` consecutive slots `interval` µs apart, starting at the later of now and the first free slot,
 * and moves the first free slot past them (GCRA-style). Time is Redis' own clock, so processes on different
 * machines agree. Returns the wait before the first slot, in µs.
 */
const RESERVE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(now, free)
redis.call('SET', KEYS[1], string.format('%.0f', start + tonumber(ARGV[1]) * tonumber(ARGV[2])), 'PX', ARGV[3])
return string.format('%.0f', start - now)
`;

/** Telegram said "retry after": no slot is handed out before now + pause (µs). */
const PAUSE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local resume = now + tonumber(ARGV[1])
if resume > free then redis.call('SET', KEYS[1], string.format('%.0f', resume), 'PX', ARGV[2]) end
return 1
`;

type PacerRedis = Redis & {
  kinerjaReserveSlots(key: string, intervalUs: number, count: number, ttlMs: number): Promise<string>;
  kinerjaPauseSlots(key: string, pauseUs: number, ttlMs: number): Promise<number>;
};

export interface Slots {
  /** Wait before the first reserved slot. */
  delayMs: number;
  /** Spacing of the reserved slots. */
  intervalMs: number;
}

export interface SendPacer {
  readonly ratePerSecond: number;
  /** Reserves the next `count` send slots for this process. */
  reserve(count: number): Promise<Slots>;
  /** Holds every process's sends back for `ms` (Telegram's retry_after). */
  pause(ms: number): Promise<void>;
  /**
   * Waits, if needed, so this process's sends stay one interval apart when they actually leave: timers that a
   * busy event loop fires late would otherwise go out together and overshoot the rate for a moment.
   */
  spaceOut(): Promise<void>;
}

export function createSendPacer(redis: Redis, key: string, ratePerSecond: number): SendPacer {
  const r = redis as PacerRedis;
  // defineCommand sends the script by EVALSHA (loading it again if Redis lost it) — once per connection.
  if (typeof r.kinerjaReserveSlots !== 'function') {
    redis.defineCommand('kinerjaReserveSlots', { numberOfKeys: 1, lua: RESERVE_LUA });
    redis.defineCommand('kinerjaPauseSlots', { numberOfKeys: 1, lua: PAUSE_LUA });
  }
  const intervalUs = 1_000_000 / ratePerSecond;
  // The key only matters while sends are scheduled; it expires a minute after the last reservation.
  const ttlMs = 60_000;
  const intervalMs = intervalUs / 1000;
  let nextLocal = 0;
  return {
    ratePerSecond,
    async reserve(count) {
      const delayUs = Number(await r.kinerjaReserveSlots(key, intervalUs, count, ttlMs));
      return { delayMs: delayUs / 1000, intervalMs: intervalUs / 1000 };
    },
    async pause(ms) {
      await r.kinerjaPauseSlots(key, Math.round(ms * 1000), ttlMs + ms);
    },
    async spaceOut() {
      const now = performance.now();
      const at = Math.max(now, nextLocal);
      nextLocal = at + intervalMs;
      if (at - now >= 1) await new Promise((resolve) => setTimeout(resolve, at - now));
    },
  };
}
