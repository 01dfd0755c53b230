// Notices that Redis came back without its keys (a restart without persistence, a failover to an empty replica, a
// flush) and has the lost timers, schedulers and sends rebuilt at once instead of at the next periodic reconcile.
import type { Redis } from 'ioredis';
import type { Logger } from '../src/logger.js';

export interface RedisLossWatch {
  /** Checks now (also done on every reconnect and every few seconds). Resolves when any rebuild it started ended. */
  check(): Promise<boolean>;
  stop(): void;
}

const CHECK_INTERVAL_MS = 5_000;

/**
 * A marker key is written at start and after every rebuild; it has no expiry, so it is gone only when Redis lost its
 * data. The check runs when the connection is ready again (a restart or failover reconnects) and every few seconds
 * (a FLUSHALL does not disconnect anyone). Several job processes may rebuild at the same time: reconcile is idempotent.
 */
export async function watchRedisLoss(options: {
  redis: Redis;
  key: string;
  logger: Logger;
  onLoss(): Promise<void>;
  intervalMs?: number;
}): Promise<RedisLossWatch> {
  const { redis, key, logger } = options;
  let running: Promise<boolean> | undefined;
  let stopped = false;

  const markAlive = () => redis.set(key, String(Date.now()));
  await markAlive().catch((error: unknown) => logger.warn({ err: error }, 'could not write the Redis marker key'));

  const checkOnce = async (): Promise<boolean> => {
    if (stopped) return false;
    let present: number;
    try {
      present = await redis.exists(key);
    } catch {
      return false; // Still down: the reconnect runs the check again.
    }
    if (present) return false;
    const started = performance.now();
    logger.warn('Redis lost its keys: rebuilding timers, schedulers and pending sends from PostgreSQL');
    // Marked first: a loss during the rebuild is noticed by the next check.
    await markAlive();
    await options.onLoss();
    logger.info({ ms: Math.round(performance.now() - started) }, 'rebuilt what Redis lost');
    return true;
  };
  const check = () => {
    running ??= checkOnce()
      .catch((error: unknown) => {
        logger.error({ err: error }, 'rebuilding after a Redis loss failed');
        return false;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const onReady = () => void check();
  redis.on('ready', onReady);
  const timer = setInterval(() => void check(), options.intervalMs ?? CHECK_INTERVAL_MS);
  timer.unref();
  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
      redis.off('ready', onReady);
    },
  };
}
