// The outgoing path as every process of the product builds it: the shared global schedule in Redis, the retry
// policy from the environment, and a 403 marking the recipient unreachable.
import type { Redis } from 'ioredis';
import type { Telegram } from 'telegraf';
import { markUnreachable } from '../../app/link-account.js';
import type { Env } from '../../config.js';
import type { Db } from '../../app/database.js';
import type { Logger } from '../../logger.js';
import { createSendPacer } from './global-schedule.js';
import { createOutgoing, globalScheduleKey, type Outgoing, type OutgoingDeps } from './index.js';
import { createTelegram } from './telegram-client.js';

export const DEFAULT_GLOBAL_LIMIT_PER_SECOND = 25;
/** Telegram's bulk limit without paid broadcast (docs/telegram.md). */
export const TELEGRAM_GLOBAL_LIMIT = 30;

type OutgoingEnv = Pick<Env, 'QUEUE_PREFIX' | 'TELEGRAM_GLOBAL_LIMIT_PER_SECOND' | 'OUTGOING_RETRY_BASE_MS' | 'OUTGOING_RETRY_MAX_MS'>;

export function createProductOutgoing(input: { env: OutgoingEnv; redis: Redis; db: Db; logger: Logger; now?: () => Date; pacing?: OutgoingDeps['pacing'] }): Outgoing {
  const rate = input.env.TELEGRAM_GLOBAL_LIMIT_PER_SECOND ?? DEFAULT_GLOBAL_LIMIT_PER_SECOND;
  if (rate > TELEGRAM_GLOBAL_LIMIT) {
    input.logger.warn(
      { rate, telegramLimit: TELEGRAM_GLOBAL_LIMIT },
      'TELEGRAM_GLOBAL_LIMIT_PER_SECOND is above what Telegram allows without paid broadcast: expect 429 answers and slower sends',
    );
  }
  const now = input.now ?? (() => new Date());
  return createOutgoing({
    logger: input.logger,
    schedule: createSendPacer(input.redis, globalScheduleKey(input.env.QUEUE_PREFIX), rate),
    retry: {
      ...(input.env.OUTGOING_RETRY_BASE_MS !== undefined ? { baseMs: input.env.OUTGOING_RETRY_BASE_MS } : {}),
      ...(input.env.OUTGOING_RETRY_MAX_MS !== undefined ? { maxMs: input.env.OUTGOING_RETRY_MAX_MS } : {}),
    },
    ...(input.pacing ? { pacing: input.pacing } : {}),
    // Private chats only: a user's chat id is their user id.
    onUnreachable: (chatId) => markUnreachable(input.db, chatId, now()),
  });
}

/** A Telegram client whose every call goes through `outgoing`. */
export function createOutgoingTelegram(outgoing: Outgoing, token: string, apiRoot?: string): Telegram {
  return outgoing.install(createTelegram(token, apiRoot));
}
