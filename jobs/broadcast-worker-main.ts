// Standalone process running only the announcement worker (extra sending capacity, crash drills and tests).
// Env: DATABASE_URL (required: an embedded database cannot be shared), REDIS_URL, QUEUE_PREFIX, TELEGRAM_BOT_TOKEN,
// TELEGRAM_API_ROOT, CONFIG_FILE (for the time zone of reports), BROADCAST_RATE_PER_SECOND, BROADCAST_LOCK_DURATION_MS.
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/app/database.js';
import { createLogger } from '../src/logger.js';
import { createOutgoingTelegram, createProductOutgoing } from '../src/chat/outgoing/product.js';
import { createBroadcastQueue, createBroadcastWorker, reconcileBroadcasts } from './broadcast.js';
import { createRedisConnection, queueConnectionFrom } from './connection.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const env = config.env;
  const logger = createLogger(env.LOG_LEVEL).child({ process: 'broadcast-worker' });
  if (!env.DATABASE_URL) {
    throw new Error('DATABASE_URL is required: the broadcast worker must share the bot\'s PostgreSQL database');
  }
  const database = await createDatabase({
    databaseUrl: env.DATABASE_URL,
    maxConnections: 5,
    onPoolReplaced: (message, details) => logger.error(details ?? {}, message),
  });
  const connection = queueConnectionFrom(env.REDIS_URL ?? 'redis://127.0.0.1:6379', env);
  const redis = createRedisConnection(connection);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const telegram = createOutgoingTelegram(createProductOutgoing({ env, redis, db: database.db, logger }), env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT);
  const deps = {
    db: database.db,
    telegram,
    logger,
    redis,
    keyPrefix: connection.prefix,
    timeZone: config.deployment.instansi.timeZone,
    now: () => new Date(),
  };
  const queue = createBroadcastQueue(connection);
  const worker = createBroadcastWorker({ ...deps, connection });
  // Whatever Redis lost while nobody was running (a flush, a crash) comes back from Postgres.
  await reconcileBroadcasts(deps, queue.value);
  await worker.value.waitUntilReady();
  logger.info({ prefix: connection.prefix }, 'broadcast worker ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'broadcast worker stopping');
    await Promise.race([worker.close(), new Promise((r) => setTimeout(r, 10_000))]);
    await queue.close();
    await redis.quit().catch(() => redis.disconnect());
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
