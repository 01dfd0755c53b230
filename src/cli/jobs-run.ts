// `npm run jobs:run -- <name> [--date YYYY-MM-DD] [--period YYYY-MM | YYYY-T2 | YYYY-S1] [--year YYYY]`: boots config, database and Redis, runs one
// scheduled job once (as the scheduler would), prints its result and exits. Without a name it lists the jobs.
import { pino } from 'pino';
import { JOB_PATIENCE_MS, withCallOptions } from '../chat/outgoing/index.js';
import { createOutgoingTelegram, createProductOutgoing } from '../chat/outgoing/product.js';
import { createJobs } from '../../jobs/index.js';
import { jobModules } from '../../jobs/modules.js';
import { procedureRegistryOf } from '../app/procedures.js';
import { ConfigError, loadConfig } from '../config.js';
import { createDatabase } from '../db/client.js';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.js';
import { migrateDatabase } from '../db/migrate.js';
import { createCalendar } from '../domain/calendar.js';
import { yearOrPeriodKey } from '../domain/period.js';
import { ensureRedis, type RedisHandle } from '../redis.js';
import { createRedisConnection, queueConnectionFrom } from '../../jobs/connection.js';
import { JOB_DESCRIPTIONS } from '../chat/texts/operations.js';

const USAGE = 'Pemakaian: npm run jobs:run -- NAMA [--date YYYY-MM-DD] [--period YYYY-MM | YYYY-T2 | YYYY-S1] [--year YYYY]';

export interface JobsRunArgs {
  name?: string;
  args: Record<string, string>;
  problems: string[];
}

function validDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

export function parseJobsRunArgs(argv: string[]): JobsRunArgs {
  const args: Record<string, string> = {};
  const problems: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') ? (a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined]) : [a, undefined];
    if (flag === '--year') {
      // The year a yearly job works on (annual-evaluation-open, annual-open): the same as --period YYYY.
      const value = inline ?? argv[++i];
      if (value === undefined) problems.push('--year perlu nilai');
      else if (!/^\d{4}$/.test(value)) problems.push(`--year: "${value}" bukan tahun YYYY`);
      else args.period = value;
    } else if (flag === '--date' || flag === '--period') {
      const value = inline ?? argv[++i];
      if (value === undefined) problems.push(`${flag} perlu nilai`);
      else if (flag === '--date' && !validDate(value)) problems.push(`--date: "${value}" bukan tanggal YYYY-MM-DD`);
      else if (flag === '--period' && !yearOrPeriodKey(value)) problems.push(`--period: "${value}" bukan YYYY-MM, YYYY-T2, YYYY-S1 atau YYYY`);
      else args[flag.slice(2)] = flag === '--period' ? yearOrPeriodKey(value)! : value;
    } else if (a.startsWith('--')) {
      problems.push(`opsi tidak dikenal: ${a}`);
    } else if (name === undefined) {
      name = a;
    } else {
      problems.push(`argumen berlebih: ${a}`);
    }
  }
  return { name, args, problems };
}

export async function runJobsRunCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; out?: (line: string) => void } = {},
): Promise<number> {
  const out = options.out ?? console.log;
  const parsed = parseJobsRunArgs(argv);
  if (parsed.problems.length > 0) {
    for (const p of parsed.problems) out(p);
    out(USAGE);
    return 2;
  }
  let config;
  try {
    config = loadConfig(options.env ?? process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      out(error.message);
      return 1;
    }
    throw error;
  }
  const env = config.env;
  // Logs go to stderr so stdout carries only the result.
  const logger = pino({ level: env.LOG_LEVEL, base: { app: 'kinerja-bot', cli: 'jobs-run' } }, pino.destination(2));
  const database = await createDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, maxConnections: 4 });
  const redisHandle: RedisHandle = env.REDIS_CLUSTER_NODES
    ? { url: '', stop: async () => {} }
    : await ensureRedis({ redisUrl: env.REDIS_URL, dataDir: env.DATA_DIR, logger }).catch(async (error: unknown) => {
        await database.close();
        throw error;
      });
  const connection = queueConnectionFrom(redisHandle.url, env);
  const redis = createRedisConnection(connection);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  let jobs: Awaited<ReturnType<typeof createJobs>> | undefined;
  try {
    await migrateDatabase(database, env.DATABASE_URL);
    const outgoing = createProductOutgoing({ env, redis, db: database.db, logger });
    const telegram = withCallOptions(createOutgoingTelegram(outgoing, env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_API_ROOT), { patienceMs: JOB_PATIENCE_MS });
    // Only deep links need the username; a run must not fail because Telegram is unreachable right now.
    const me = await telegram.getMe().catch((error: unknown) => {
      logger.warn({ err: error }, 'getMe failed; continuing without the bot username');
      return null;
    });
    jobs = await createJobs(
      {
        db: database.db,
        config,
        logger,
        calendar: createCalendar(config.calendar),
        procedures: procedureRegistryOf(config.deployment),
        telegram,
        connection,
        redis,
        now: () => new Date(),
        botUsername: me?.username ?? '',
        outboxHandlers: new Map(),
      },
      jobModules,
    );
    const names = jobs.jobNames();
    const listing = names.map((n) => `  ${n}${JOB_DESCRIPTIONS[n] ? `  ${JOB_DESCRIPTIONS[n]}` : ''}`).join('\n');
    if (!parsed.name) {
      out(`${USAGE}\n\nPekerjaan yang tersedia:\n${listing}`);
      return 2;
    }
    if (!names.includes(parsed.name)) {
      out(`Pekerjaan "${parsed.name}" tidak dikenal.\n\nPekerjaan yang tersedia:\n${listing}`);
      return 2;
    }
    out(await jobs.runNow(parsed.name, parsed.args));
    return 0;
  } finally {
    await jobs?.close();
    await redis.quit().catch(() => redis.disconnect());
    await redisHandle.stop();
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runJobsRunCli(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy ? error.message : error);
      process.exitCode = 1;
    });
}
