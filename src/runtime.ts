// Starts and stops the whole application (used by main.ts, the e2e tests and benchmarks).
import type { Server } from 'node:http';
import { lt, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Telegraf } from 'telegraf';
import type { AppConfig } from './config.js';
import { createDatabase, type Database } from './db/client.js';
import { migrateDatabase } from './db/migrate.js';
import { instansi, processedUpdates } from './db/schema/index.js';
import { claimUpdates, claimWebhookUpdate, createBot, publishDefaultCommands } from './bot/index.js';
import { answerGateFor } from './bot/prompt-answer.js';
import { startPolling, type PollingHandle } from './bot/polling.js';
import type { BotContext, BotDeps } from './bot/context.js';
import { createJobs, type Jobs } from '../jobs/index.js';
import { createRedisConnection, queueConnectionFrom } from '../jobs/connection.js';
import { watchRedisLoss, type RedisLossWatch } from '../jobs/redis-loss.js';
import { jobModules } from '../jobs/modules.js';
import { broadcastJobsOf } from '../jobs/broadcast.js';
import { procedureRegistryOf } from './app/procedures.js';
import { createAccessPolicy } from './app/access-policy.js';
import { createForeground } from './app/foreground.js';
import type { ExportUploadOptions } from './app/export-upload.js';
import { createCalendar, yearsWithoutHolidays } from './domain/calendar.js';
import { createHttpServer, listen } from './http.js';
import { registerWebhook, webhookHandler } from './bot/webhook.js';
import { createOpsHandler } from './ops-http.js';
import { createWebAppHandler } from './webapp/server.js';
import { publishMenuButton } from './bot/web-app.js';
import type { Logger } from './logger.js';
import { checkEvictionPolicy, ensureRedis, type RedisHandle } from './redis.js';
import { JOB_PATIENCE_MS, withCallOptions, type Outgoing } from './chat/outgoing/index.js';
import { createProductOutgoing } from './chat/outgoing/product.js';

export interface RunningApp {
  bot: Telegraf<BotContext>;
  jobs: Jobs;
  /** The one way out to Telegram (tests wait on it: "every reply has left"). */
  outgoing: Outgoing;
  deps: BotDeps;
  database: Database;
  redis: Redis;
  redisHandle: RedisHandle;
  httpServer?: Server;
  httpPort?: number;
  /** Resolves once every update fetched by polling has been handled (immediately in webhook mode). */
  updatesIdle(): Promise<void>;
  stop(reason?: string): Promise<void>;
}

export interface StartOptions {
  config: AppConfig;
  logger: Logger;
  now?: () => Date;
  /** Tests pass a database they own; otherwise one is created from the config. */
  database?: Database;
  /** Tests set a small export upload limit and their own temporary directory. */
  exportUpload?: ExportUploadOptions;
}

const DEDUPE_RETENTION_MS = 7 * 24 * 3600 * 1000;
const RECONCILE_INTERVAL_MS = 5 * 60 * 1000;

export async function startApp(options: StartOptions): Promise<RunningApp> {
  const { config, logger } = options;
  const env = config.env;
  const now = options.now ?? (() => new Date());

  const database =
    options.database ??
    (await createDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      onPoolReplaced: (message, details) => logger.error(details ?? {}, message),
    }));
  logger.info({ database: database.describe }, 'database ready');
  await migrateDatabase(database, env.DATABASE_URL ?? (database as { url?: string }).url);
  await database.db
    .insert(instansi)
    .values({ id: 1, name: config.deployment.instansi.name, timeZone: config.deployment.instansi.timeZone })
    .onConflictDoUpdate({ target: instansi.id, set: { name: config.deployment.instansi.name, timeZone: config.deployment.instansi.timeZone, updatedAt: sql`now()` } });

  const roles = env.ROLES;
  logger.info({ roles: Object.keys(roles).filter((r) => roles[r as keyof typeof roles]) }, 'process roles');
  // A cluster is named by its nodes; otherwise REDIS_URL, a local server, or a private one.
  const redisHandle: RedisHandle = env.REDIS_CLUSTER_NODES
    ? { url: '', stop: async () => {} }
    : await ensureRedis({ redisUrl: env.REDIS_URL, dataDir: env.DATA_DIR, logger });
  const connection = queueConnectionFrom(redisHandle.url, env);
  const redis = createRedisConnection(connection);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  await checkEvictionPolicy(redis, logger);

  const calendar = createCalendar(config.calendar);
  for (const year of yearsWithoutHolidays(config.calendar, calendar.localDate(now()))) {
    // BKPP admins also get a chat notice from the daily check; operators read it here first.
    logger.warn({ year }, 'calendar.holidays lists no national holidays for this year: deadlines and SLAs count all but the fixed-date ones as working days');
  }
  const procedures = procedureRegistryOf(config.deployment);
  const services: BotDeps['services'] = {};
  const access = createAccessPolicy({ db: database.db, procedures, localToday: () => calendar.localDate(now()), logger });
  // Shared by the bot and the jobs of this process: the outbox waits behind a burst of updates (src/app/foreground.ts).
  const foreground = createForeground();
  const botDeps: BotDeps = { db: database.db, config, logger, now, calendar, procedures, access, services, exportUpload: options.exportUpload, foreground };
  const answerGate = answerGateFor(env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT, env.CALLBACK_ANSWER_BUDGET_MS);
  const outgoing = createProductOutgoing({ env, redis, db: database.db, logger, now });
  const bot = createBot(botDeps, { token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, answerGate, outgoing });
  bot.botInfo = await bot.telegram.getMe();
  if (roles.bot) {
    await publishDefaultCommands(bot).catch((error) => logger.warn({ err: error }, 'setMyCommands failed'));
    // The menu button opens the Mini App when it is served; otherwise Telegram's default (the command list).
    await publishMenuButton(bot, env.WEB_APP_URL).catch((error) => logger.warn({ err: error }, 'setChatMenuButton failed'));
  }

  const jobs = await createJobs(
    {
      db: database.db,
      config,
      logger,
      calendar,
      procedures,
      // Jobs hand a call that cannot go out soon back to their queue, which retries it later.
      telegram: withCallOptions(bot.telegram, { patienceMs: env.OUTGOING_JOB_PATIENCE_MS ?? JOB_PATIENCE_MS }),
      connection,
      redis,
      runWorkers: roles.jobs,
      now,
      botUsername: bot.botInfo.username,
      outboxHandlers: new Map(),
      foreground,
    },
    jobModules,
  );
  services.jobs = { jobNames: () => jobs.jobNames(), runNow: (name, args) => jobs.runNow(name, args), broadcasts: broadcastJobsOf(jobs) };
  // Redis holds only what can be rebuilt: job processes re-derive timers and pending sends from Postgres at boot,
  // regularly, and at once when Redis comes back empty (a restart without persistence, a failover, a flush).
  let lossWatch: RedisLossWatch | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let firstReconcile: Promise<void> | undefined;
  if (roles.jobs) {
    // Runs while the bot starts taking updates (they never depend on it); startApp returns once it is done.
    firstReconcile = jobs.reconcile();
    reconcileTimer = setInterval(() => void jobs.reconcile(), RECONCILE_INTERVAL_MS);
    reconcileTimer.unref();
    lossWatch = await watchRedisLoss({ redis, key: `${connection.prefix}:alive`, logger, onLoss: () => jobs.reconcile() });
  }

  // Duplicate-update records only need to outlive Telegram's 24 h retention.
  const pruneTimer = setInterval(() => {
    void database.db
      .delete(processedUpdates)
      .where(lt(processedUpdates.processedAt, new Date(Date.now() - DEDUPE_RETENTION_MS)))
      .catch((error) => logger.warn({ err: error }, 'pruning processed updates failed'));
  }, 3600_000);
  pruneTimer.unref();

  let httpServer: Server | undefined;
  let httpPort: number | undefined;
  let polling: PollingHandle | undefined;
  const webhookPath = env.WEBHOOK_URL ? new URL(env.WEBHOOK_URL).pathname : '/telegram';
  const receivesWebhooks = roles.bot && env.BOT_MODE === 'webhook';
  if (receivesWebhooks || env.PORT !== undefined) {
    httpServer = createHttpServer([
      async (req, res) => {
        if (req.method !== 'GET' || req.url !== '/healthz') return false;
        // Each probe answers within 3 s: a stuck pool or Redis must turn /healthz red, not leave it hanging.
        const probe = (check: Promise<boolean>) =>
          Promise.race([check.catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000).unref())]);
        const [dbOk, redisOk] = await Promise.all([
          probe(database.db.execute(sql`select 1`).then(() => true)),
          probe(redis.ping().then((r) => r === 'PONG')),
        ]);
        res.statusCode = dbOk && redisOk ? 200 : 503;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: dbOk && redisOk, database: dbOk, redis: redisOk }));
        return true;
      },
      receivesWebhooks ? webhookHandler({
            bot,
            path: webhookPath,
            secret: env.WEBHOOK_SECRET!,
            logger,
            claim: (update) => claimWebhookUpdate(database.db, update, env.UPDATE_LEASE_SECONDS),
          }) : () => false,
      roles.bot && env.WEB_APP_URL
        ? createWebAppHandler({ deps: { ...botDeps, telegram: bot.telegram }, botToken: env.TELEGRAM_BOT_TOKEN, maxAgeSeconds: env.WEB_APP_MAX_AGE_SECONDS })
        : () => false,
      createOpsHandler({ user: env.ADMIN_HTTP_USER, password: env.ADMIN_HTTP_PASSWORD, queues: () => jobs.modules.flatMap((m) => m.queues ?? []), logger }),
    ]);
    httpPort = await listen(httpServer, env.PORT ?? 0);
    logger.info({ port: httpPort }, 'http server listening');
  }

  if (!roles.bot) {
    logger.info('no bot role: updates are left to the bot processes');
  } else if (env.BOT_MODE === 'webhook') {
    await registerWebhook(bot, {
      url: env.WEBHOOK_URL!,
      secret: env.WEBHOOK_SECRET!,
      force: env.WEBHOOK_FORCE,
      allowedUpdates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      logger,
    });
  } else {
    await bot.telegram.deleteWebhook();
    polling = startPolling(bot, {
      allowedUpdates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      logger,
      onArrival: (update, busy) => answerGate.arrived(update, busy),
      claim: (updates) => claimUpdates(database.db, updates, env.UPDATE_LEASE_SECONDS),
    });
    logger.info({ bot: bot.botInfo.username }, 'polling started');
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason = 'stop') => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      clearInterval(pruneTimer);
      clearInterval(reconcileTimer);
      lossWatch?.stop();
      // Ordered: stop taking updates, then close the HTTP port, Redis, and the database last.
      await polling?.stop();
      await firstReconcile;
      if (httpServer) await new Promise<void>((r) => httpServer!.close(() => r()));
      await jobs.close();
      await redis.quit().catch(() => redis.disconnect());
      await redisHandle.stop();
      if (!options.database) await database.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  const updatesIdle = async () => {
    await polling?.idle();
  };
  await firstReconcile;
  return { bot, jobs, outgoing, deps: botDeps, database, redis, redisHandle, httpServer, httpPort, updatesIdle, stop };
}


