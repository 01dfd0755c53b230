// The one way out to Telegram: every Bot API call the product makes goes through `Outgoing.call`, installed on each
// telegraf Telegram instance (bot.telegram, each update's ctx.telegram, the job processes' clients). It keeps the
// calls of one chat in order, paces sends per chat (private: a short burst, then about 1/s; groups: 20 a minute)
// and globally (the shared schedule in Redis), waits out every 429's retry_after, backs off on 5xx and network
// errors, and classifies what Telegram refused in one place (../telegram-errors.ts).
import type { Telegram } from 'telegraf';
import type { Logger } from '../../logger.js';
import { classifyTelegramError, redactPayload, type TelegramFailure } from '../telegram-errors.js';
import type { SendPacer } from './global-schedule.js';
import { directBotApiCall } from './telegram-client.js';

/** Methods that put a new message into a chat: the ones Telegram's per-chat and global limits count. */
const SEND_METHODS = new Set([
  'sendMessage',
  'sendDocument',
  'sendPhoto',
  'sendVideo',
  'sendAudio',
  'sendVoice',
  'sendAnimation',
  'sendSticker',
  'sendMediaGroup',
  'sendLocation',
  'sendContact',
  'sendPoll',
  'copyMessage',
  'forwardMessage',
]);

export interface PacingLimits {
  /** Messages a private chat may get at once before the pace applies. */
  privateBurst: number;
  /** Pace of a private chat after the burst, ms between messages. */
  privateIntervalMs: number;
  /** Messages a group may get in `groupWindowMs`. */
  groupPerWindow: number;
  groupWindowMs: number;
}

/**
 * Telegram publishes no exact numbers (about 1/s per private chat with short bursts, 20/min per group); these stay a
 * little under what the test rig's Telegram enforces, so a reply waits rather than meets a 429.
 */
export const DEFAULT_PACING: PacingLimits = { privateBurst: 4, privateIntervalMs: 1050, groupPerWindow: 20, groupWindowMs: 61_000 };

export interface RetryPolicy {
  /** First wait after a 5xx or network error; doubles up to maxMs. */
  baseMs: number;
  maxMs: number;
}

export interface CallOptions {
  /**
   * How long one call may keep trying (429s, outages) before its error is handed to the caller. Replies inside
   * handlers wait as long as it takes (late rather than never); job processes hand the call back to their queue,
   * which retries it later without holding a worker.
   */
  patienceMs?: number;
  /** false: the caller already took a slot of the global schedule (the announcement worker reserves its own). */
  globalPacing?: boolean;
}

export interface OutgoingDeps {
  logger: Logger;
  /** The global schedule shared by every process (Redis); without it the global rate is not enforced here. */
  schedule?: SendPacer;
  pacing?: Partial<PacingLimits>;
  retry?: Partial<RetryPolicy>;
  /** Telegram said this chat cannot be reached (blocked, deactivated, never started, not found). */
  onUnreachable?: (chatId: number, failure: Extract<TelegramFailure, { kind: 'unreachable' }>) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

type CallApi = Telegram['callApi'];
type RawCall = (method: string, payload: unknown, extra?: { signal?: AbortSignal }) => Promise<unknown>;

export interface Outgoing {
  /** Routes every call of this Telegram instance through the path; returns it. */
  install<T extends Telegram>(telegram: T, options?: CallOptions): T;
  /** A view of an installed Telegram with other call options (its own object; the original is left as it is). */
  view<T extends Telegram>(telegram: T, options: CallOptions): T;
  /** Calls waiting or in flight for a chat (a reply on its way late, not lost). */
  pendingFor(chatId: number): number;
  /** Resolves when no call is waiting or in flight. */
  idle(): Promise<void>;
}

const RAW = Symbol('kinerja.rawCallApi');
const OWNER = Symbol('kinerja.outgoing');

/**
 * The same Telegram client with other call options (e.g. a job's patience), as its own object; the client must have
 * been installed on an Outgoing. A client that was not is returned as it is.
 */
export function withCallOptions<T extends Telegram>(telegram: T, options: CallOptions): T {
  const owner = (telegram as { [OWNER]?: Outgoing })[OWNER];
  return owner ? owner.view(telegram, options) : telegram;
}

export function isInstalled(telegram: Telegram): boolean {
  return Boolean((telegram as { [OWNER]?: Outgoing })[OWNER]);
}

interface Lane {
  tail: Promise<unknown>;
  pending: number;
  /** Private chats: tokens of the burst, refilled one per interval. */
  tokens: number;
  refilledAt: number;
  /** Groups: when the last messages left. */
  sentAt: number[];
  /** After a 429: nothing leaves for this chat before then. */
  blockedUntil: number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function chatIdOf(payload: unknown): number | null {
  const id = (payload as { chat_id?: unknown } | null)?.chat_id;
  if (typeof id === 'number') return id;
  if (typeof id === 'string' && /^-?\d+$/.test(id)) return Number(id);
  return null;
}

export function createOutgoing(deps: OutgoingDeps): Outgoing {
  const pacing: PacingLimits = { ...DEFAULT_PACING, ...deps.pacing };
  const retry: RetryPolicy = { baseMs: 1000, maxMs: 60_000, ...deps.retry };
  const sleep = deps.sleep ?? defaultSleep;
  const log = deps.logger.child({ module: 'outgoing' });
  const lanes = new Map<number, Lane>();
  const inFlight = new Set<Promise<unknown>>();

  const laneOf = (chatId: number): Lane => {
    let lane = lanes.get(chatId);
    if (!lane) {
      lane = { tail: Promise.resolve(), pending: 0, tokens: pacing.privateBurst, refilledAt: performance.now(), sentAt: [], blockedUntil: 0 };
      lanes.set(chatId, lane);
    }
    return lane;
  };

  /** Ms until this chat may get another message (0: now). */
  const waitFor = (chatId: number, lane: Lane, now: number): number => {
    const blocked = Math.max(0, lane.blockedUntil - now);
    if (chatId < 0) {
      while (lane.sentAt.length > 0 && lane.sentAt[0]! <= now - pacing.groupWindowMs) lane.sentAt.shift();
      const window = lane.sentAt.length < pacing.groupPerWindow ? 0 : lane.sentAt[0]! + pacing.groupWindowMs - now;
      return Math.max(blocked, window);
    }
    const earned = Math.floor((now - lane.refilledAt) / pacing.privateIntervalMs);
    if (earned > 0) {
      lane.tokens = Math.min(pacing.privateBurst, lane.tokens + earned);
      lane.refilledAt = lane.tokens === pacing.privateBurst ? now : lane.refilledAt + earned * pacing.privateIntervalMs;
    }
    return Math.max(blocked, lane.tokens >= 1 ? 0 : lane.refilledAt + pacing.privateIntervalMs - now);
  };

  const take = (chatId: number, lane: Lane, now: number) => {
    if (chatId < 0) lane.sentAt.push(now);
    else {
      if (lane.tokens === pacing.privateBurst) lane.refilledAt = now;
      lane.tokens -= 1;
    }
  };

  /** One call, tried until it succeeds, fails for good, or runs out of patience. */
  async function attempt(raw: RawCall, method: string, payload: unknown, extra: { signal?: AbortSignal } | undefined, options: CallOptions) {
    const started = performance.now();
    const patience = options.patienceMs ?? Number.POSITIVE_INFINITY;
    const chatId = chatIdOf(payload);
    const paced = SEND_METHODS.has(method) && chatId !== null;
    let backoff = retry.baseMs;
    for (let tries = 1; ; tries++) {
      if (paced) {
        const lane = laneOf(chatId);
        for (let wait = waitFor(chatId, lane, performance.now()); wait > 0; wait = waitFor(chatId, lane, performance.now())) await sleep(wait);
        take(chatId, lane, performance.now());
        if (options.globalPacing !== false && deps.schedule) {
          const { delayMs } = await deps.schedule.reserve(1);
          if (delayMs >= 1) await sleep(delayMs);
        }
      }
      try {
        return await raw(method, payload, extra);
      } catch (error) {
        const failure = classifyTelegramError(error);
        const waited = performance.now() - started;
        switch (failure.kind) {
          case 'not_modified':
            // The edit is already there: the caller gets what an edit without a message result returns.
            return true;
          case 'rate_limited': {
            if (waited + failure.retryAfterMs > patience) throw error;
            log.info({ method, chatId, retryAfterMs: failure.retryAfterMs, tries }, 'Telegram asked to wait; sending again after retry_after');
            if (chatId !== null) laneOf(chatId).blockedUntil = performance.now() + failure.retryAfterMs;
            if (!paced) await sleep(failure.retryAfterMs);
            continue;
          }
          case 'transient': {
            if (extra?.signal?.aborted || waited + backoff > patience) throw error;
            log.warn({ method, chatId, tries, backoffMs: backoff, err: error }, 'Telegram unreachable; trying again');
            await sleep(backoff);
            backoff = Math.min(backoff * 2, retry.maxMs);
            continue;
          }
          case 'unreachable':
            if (chatId !== null && chatId > 0 && deps.onUnreachable) {
              await deps.onUnreachable(chatId, failure).catch((e: unknown) => log.warn({ err: e, chatId }, 'could not mark a chat unreachable'));
            }
            log.info({ method, chatId, reason: failure.reason }, 'recipient unreachable');
            throw error;
          case 'bad_request':
          case 'wrong_edit_kind':
          case 'wrong_file_kind':
          case 'file_unavailable':
          case 'file_too_big':
            log.warn({ method, payload: redactPayload(payload), kind: failure.kind, description: (error as Error).message }, 'Telegram refused a request');
            throw error;
          case 'fatal':
            log.error({ method, description: failure.description }, 'Telegram refused the bot itself');
            throw error;
          default:
            throw error;
        }
      }
    }
  }

  function call(raw: RawCall, method: string, payload: unknown, extra: { signal?: AbortSignal } | undefined, options: CallOptions): Promise<unknown> {
    // The polling runner's long poll has its own retry (src/bot/polling.ts) and is never "pending output".
    if (method === 'getUpdates') return raw(method, payload, extra);
    const chatId = chatIdOf(payload);
    let result: Promise<unknown>;
    if (chatId === null) {
      result = attempt(raw, method, payload, extra, options);
    } else {
      // Calls of one chat leave one after another, in the order they were made, whatever each one meets.
      const lane = laneOf(chatId);
      lane.pending++;
      result = lane.tail.then(() => attempt(raw, method, payload, extra, options));
      lane.tail = result.catch(() => undefined);
      void lane.tail.then(() => {
        lane.pending--;
        if (lane.pending === 0 && lanes.get(chatId) === lane) {
          // An idle lane is forgotten once its pacing no longer matters.
          const forget = setTimeout(() => {
            if (lane.pending === 0 && lanes.get(chatId) === lane) lanes.delete(chatId);
          }, pacing.groupWindowMs + 1000);
          forget.unref();
        }
      });
    }
    inFlight.add(result);
    void result.then(
      () => inFlight.delete(result),
      () => inFlight.delete(result),
    );
    return result;
  }

  const wrap = (raw: RawCall, options: CallOptions): CallApi =>
    ((method: string, payload: unknown, extra?: { signal?: AbortSignal }) => call(raw, method, payload, extra, options)) as CallApi;

  const outgoing: Outgoing = {
    install<T extends Telegram>(telegram: T, options: CallOptions = {}): T {
      const t = telegram as T & { [RAW]?: RawCall; [OWNER]?: Outgoing };
      t[OWNER] = outgoing;
      if (!t[RAW]) {
        const original = telegram.callApi;
        const viaTelegraf = ((method: string, payload: unknown, extra?: { signal?: AbortSignal }) =>
          (original as unknown as RawCall).call(telegram, method, payload, extra)) as RawCall;
        // telegraf's own client is replaced by the direct JSON call; a callApi someone set on the object is kept.
        t[RAW] = Object.hasOwn(telegram, 'callApi') ? viaTelegraf : directBotApiCall(telegram, viaTelegraf);
      }
      telegram.callApi = wrap(t[RAW]!, options);
      return telegram;
    },
    view<T extends Telegram>(telegram: T, options: CallOptions): T {
      const raw = (telegram as { [RAW]?: RawCall })[RAW];
      if (!raw) throw new Error('outgoing.view: install the Telegram instance first');
      const copy = Object.create(telegram) as T;
      copy.callApi = wrap(raw, options);
      return copy;
    },
    pendingFor: (chatId) => lanes.get(chatId)?.pending ?? 0,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
  return outgoing;
}

export { classifyTelegramError } from '../telegram-errors.js';

/** How long a job process's call keeps trying before its queue takes it back (and retries it later). */
export const JOB_PATIENCE_MS = 20_000;

/** The key of the global schedule in Redis (the announcement worker reserves its slots from the same one). */
export const globalScheduleKey = (queuePrefix: string) => `${queuePrefix}:broadcast-pacer`;

/**
 * Sends a reminder that is part of a caller's transaction (Ingatkan from /rekap or the Mini App): waits at most
 * ten seconds, so a Telegram that keeps refusing fails the reminder rather than holding the claim, and says
 * 'unreachable' when the holder blocked the bot or never started it.
 */
export async function sendWithinClaim(telegram: Telegram, chatId: number | string, text: string): Promise<'sent' | 'unreachable'> {
  try {
    await withCallOptions(telegram, { patienceMs: 10_000 }).sendMessage(chatId, text, { parse_mode: 'HTML' });
    return 'sent';
  } catch (error) {
    if (classifyTelegramError(error).kind === 'unreachable') return 'unreachable';
    throw error;
  }
}
