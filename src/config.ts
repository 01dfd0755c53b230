// Configuration: environment variables plus the deployment config file (YAML/JSON), validated at boot.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { procedureConfigProblems } from './app/procedures.js';
import { defaultProcedures } from './domain/templates/index.js';
import { PERIODIC_KINDS } from './domain/period.js';
import {
  DEFAULT_WORKING_HOURS,
  FIXED_NATIONAL_HOLIDAYS,
  createCalendar,
  type CalendarConfig,
  type Weekday,
} from './domain/calendar.js';

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const periodicKind = z.enum(PERIODIC_KINDS, { error: `expected ${PERIODIC_KINDS.map((k) => `"${k}"`).join(', ')}` });

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = (protocols: string[], expected: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, expected)
      .optional(),
  );

export const envSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string({ error: 'required: the bot token from @BotFather, like 123456789:AA...' })
      .regex(/^\d+:[A-Za-z0-9_-]{5,}$/, 'expected a token from @BotFather, like 123456789:AA...'),
    TELEGRAM_API_ROOT: optionalUrl(['http:', 'https:'], 'expected an http(s) URL, e.g. http://127.0.0.1:8081'),
    DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'expected postgres://user:pass@host:5432/db'),
    REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'expected redis://host:6379'),
    BOT_MODE: z.preprocess(
      emptyToUndefined,
      z.enum(['polling', 'webhook'], { error: 'expected "polling" or "webhook"' }).default('polling'),
    ),
    WEBHOOK_URL: optionalUrl(['https:', 'http:'], 'expected the public https URL Telegram will call'),
    WEBHOOK_SECRET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters A-Z a-z 0-9 _ -')
        .optional(),
    ),
    // Replace a webhook Telegram has at another URL (normally left alone, with an error in the log).
    WEBHOOK_FORCE: z.preprocess(
      emptyToUndefined,
      z
        .enum(['0', '1', 'true', 'false'], { error: 'expected 1 (replace a webhook registered at another URL) or 0' })
        .default('0')
        .transform((v) => v === '1' || v === 'true'),
    ),
    PORT: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ error: 'expected a TCP port number' })
        .int('expected a TCP port number')
        .min(1, 'expected 1-65535')
        .max(65535, 'expected 1-65535')
        .optional(),
    ),
    CONFIG_FILE: z.preprocess(emptyToUndefined, z.string().default('examples/config.yaml')),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('data')),
    QUEUE_PREFIX: z.preprocess(
      emptyToUndefined,
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 characters A-Z a-z 0-9 _ -').default('kinerja'),
    ),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z
        .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
          error: 'expected fatal|error|warn|info|debug|trace|silent',
        })
        .default('info'),
    ),
    // Read by the announcement worker (jobs/broadcast.ts), validated here so a typo stops the boot.
    BROADCAST_RATE_PER_SECOND: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected messages per second' }).positive('expected a positive number').max(10000, 'expected at most 10000').optional(),
    ),
    BROADCAST_LOCK_DURATION_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(500, 'expected at least 500').optional(),
    ),
    // A button press not answered within this many ms is acknowledged with "Sedang diproses" (src/bot/prompt-answer.ts).
    CALLBACK_ANSWER_BUDGET_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(0, 'expected 0 (off) or more').max(10000, 'expected at most 10000').optional(),
    ),
    // The outgoing path (src/chat/outgoing): the global pace of every process together, and the backoff on outages.
    TELEGRAM_GLOBAL_LIMIT_PER_SECOND: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected messages per second' }).positive('expected a positive number').max(1000, 'expected at most 1000').optional(),
    ),
    OUTGOING_RETRY_BASE_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(1, 'expected at least 1').optional(),
    ),
    OUTGOING_RETRY_MAX_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(1, 'expected at least 1').optional(),
    ),
    // How long a job process's call keeps trying (429s, an outage) before its queue takes it back for later.
    OUTGOING_JOB_PATIENCE_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(0, 'expected 0 or more').optional(),
    ),
    // Steps done in bulk (gathering, receiving SKP) are announced once per holder per window of this many ms, as one
    // summary of what waits, instead of a message per case (src/chat/notifier.ts).
    BATCH_SUMMARY_WINDOW_MS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected milliseconds' }).int('expected whole milliseconds').min(0, 'expected 0 or more').max(86_400_000, 'expected at most a day').optional(),
    ),
    // How long the outbox keeps retrying a notification Telegram does not take (an outage), before it gives up.
    OUTBOX_GIVE_UP_HOURS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected hours' }).positive('expected a positive number').optional(),
    ),
    // How long handled outbox rows are kept before the job processes delete them (given-up rows are kept).
    OUTBOX_RETENTION_DAYS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected days' }).int('expected whole days').min(1, 'expected at least 1').optional(),
    ),
    // How long the claims of sent reminders (reminder_log) are kept; the daily reminder check deletes older ones.
    REMINDER_LOG_RETENTION_DAYS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected days' }).int('expected whole days').min(30, 'expected at least 30').optional(),
    ),
    // What this process runs: "bot" (polling, or the webhook receiver with /healthz), "jobs" (BullMQ workers,
    // schedulers, outbox and reconciliation), or both. Several processes of each role may share one database and Redis.
    ROLES: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .default('bot,jobs')
        .refine((v) => /^\s*(bot|jobs)\s*(,\s*(bot|jobs)\s*)?$/.test(v), 'expected "bot", "jobs" or "bot,jobs"')
        .transform((v) => {
          const roles = v.split(',').map((r) => r.trim());
          return { bot: roles.includes('bot'), jobs: roles.includes('jobs') };
        }),
    ),
    // Redis Cluster seed nodes (host:port,host:port,...); when set, REDIS_URL is not used.
    REDIS_CLUSTER_NODES: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\s*[^\s:,]+:\d{1,5}\s*(,\s*[^\s:,]+:\d{1,5}\s*)*$/, 'expected host:port,host:port,...')
        .transform((v) => v.split(',').map((n) => {
          const [host, port] = n.trim().split(':');
          return { host: host!, port: Number(port) };
        }))
        .optional(),
    ),
    // How long a bot process may take over an update before another one may (it died): see processed_updates.
    UPDATE_LEASE_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected seconds' }).int('expected whole seconds').min(2, 'expected at least 2').max(3600, 'expected at most 3600').default(60),
    ),
    ADMIN_HTTP_USER: optionalString,
    ADMIN_HTTP_PASSWORD: optionalString,
    // How long the operations page keeps completed and failed jobs (hours; default 168 = a week).
    JOB_RETENTION_HOURS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected hours' }).positive('expected more than 0 hours').max(24 * 90, 'expected at most 2160 (90 days)').optional(),
    ),
    // The Mini App (src/webapp): the public address of /app/ on this server (HTTPS in front of PORT).
    WEB_APP_URL: optionalUrl(['https:', 'http:'], 'expected the public https address of /app/, e.g. https://kinerja.example.go.id/app/'),
    // How old a Mini App's signed initData may be (auth_date) before the API refuses it.
    WEB_APP_MAX_AGE_SECONDS: z.preprocess(
      emptyToUndefined,
      z.coerce.number({ error: 'expected seconds' }).int('expected whole seconds').min(60, 'expected at least 60').default(3600),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.BOT_MODE === 'webhook') {
      if (!env.WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'required when BOT_MODE=webhook' });
      if (!env.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'required when BOT_MODE=webhook' });
      if (!env.PORT) ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'required when BOT_MODE=webhook' });
    }
    if (env.WEB_APP_URL) {
      if (!env.PORT) ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'required when WEB_APP_URL is set (the Mini App is served on it)' });
      if (!new URL(env.WEB_APP_URL).pathname.endsWith('/app/')) {
        ctx.addIssue({ code: 'custom', path: ['WEB_APP_URL'], message: 'expected an address ending in /app/ (where the Mini App is served)' });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

const hhmmRange = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'expected "HH:MM-HH:MM"');
const dayHours = z.union([z.null(), hhmmRange, z.array(hhmmRange)]).transform((v) => (v === null ? [] : Array.isArray(v) ? v : [v]));
const weekdays: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const workingHoursSchema = z
  .object(Object.fromEntries(weekdays.map((d) => [d, dayHours.optional()])) as Record<Weekday, z.ZodOptional<typeof dayHours>>)
  .strict();
const localDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'));
const datedList = z.array(z.object({ date: localDate, name: z.string().min(1) })).default([]);

// Durations in config are minutes of working time, or strings like "2h", "30m", "1d" (1d = 450 working minutes).
const duration = z.union([
  z.number().positive(),
  z
    .string()
    .regex(/^\s*\d+(\.\d+)?\s*(m|h|d|s)\s*$/, 'expected minutes or "30m", "2h", "1d", "5s"')
    .transform((v) => {
      const m = /^\s*(\d+(?:\.\d+)?)\s*(m|h|d|s)\s*$/.exec(v)!;
      const n = Number(m[1]);
      return m[2] === 's' ? n / 60 : m[2] === 'h' ? n * 60 : m[2] === 'd' ? n * 450 : n;
    }),
]);

export const deploymentSchema = z
  .object({
    instansi: z.object({
      name: z.string().min(1, 'expected the name of the instansi'),
      timeZone: z.enum(['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'], {
        error: 'expected Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)',
      }),
    }),
    calendar: z
      .object({
        alwaysOpen: z.boolean().default(false),
        workingHours: workingHoursSchema.optional(),
        holidays: datedList,
        cutiBersama: datedList,
        // Holidays on a fixed date (1 January, 17 August …), kept in years `holidays` does not list yet.
        fixedHolidays: z
          .array(z.object({ monthDay: z.string().regex(/^\d{2}-\d{2}$/, "expected 'MM-DD'"), name: z.string().min(1) }))
          .default(FIXED_NATIONAL_HOLIDAYS),
        specialPeriods: z
          .array(z.object({ from: localDate, to: localDate, name: z.string(), workingHours: workingHoursSchema }))
          .default([]),
      })
      .default({ alwaysOpen: false, holidays: [], cutiBersama: [], fixedHolidays: FIXED_NATIONAL_HOLIDAYS, specialPeriods: [] }),
    procedures: z
      .object({
        skpAnnual: z.string().default(defaultProcedures.skpAnnual),
        monthly: z.string().default(defaultProcedures.monthly),
        annualEvaluation: z.string().default(defaultProcedures.annualEvaluation),
        // The period of the periodic evaluation: a month, a triwulan or a semester.
        periodic: z.strictObject({ period: periodicKind.default('bulanan') }).default({ period: 'bulanan' }),
        perUnit: z
          .record(
            z.string(),
            z.strictObject({
              skpAnnual: z.string().optional(),
              monthly: z.string().optional(),
              annualEvaluation: z.string().optional(),
              periodic: z.strictObject({ period: periodicKind }).optional(),
            }),
          )
          .default({}),
        sla: z.record(z.string(), z.record(z.string(), duration)).default({}),
        // Seed SOPs of different regions in one deployment must be chosen on purpose, not by a typo.
        mixAgencies: z.boolean().default(false),
      })
      .default({
        skpAnnual: defaultProcedures.skpAnnual,
        monthly: defaultProcedures.monthly,
        annualEvaluation: defaultProcedures.annualEvaluation,
        periodic: { period: 'bulanan' },
        perUnit: {},
        sla: {},
        mixAgencies: false,
      }),
    monthly: z
      .object({
        // Day of the following month by which realisation of month M must be submitted (Batas Pengisian).
        deadlineDay: z.number().int().min(1).max(28).default(5),
      })
      .default({ deadlineDay: 5 }),
    annual: z
      .object({
        // SKP of year Y must be established by this local date of year Y (MM-DD).
        skpDeadline: z.string().regex(/^\d{2}-\d{2}$/).default('01-31'),
        // The annual evaluation of year Y must be done by this local date of year Y+1 (MM-DD).
        evaluationDeadline: z.string().regex(/^\d{2}-\d{2}$/).default('01-31'),
      })
      .default({ skpDeadline: '01-31', evaluationDeadline: '01-31' }),
    orgRating: z
      .object({
        // Whether the pengelola of a perangkat daerah may set its capaian kinerja organisasi (/capaian).
        pengelolaMaySet: z.boolean().default(false),
      })
      .default({ pengelolaMaySet: false }),
    angkaKredit: z
      .object({
        // Koefisien per jenjang jabatan fungsional (Peraturan BKN 3/2023), keyed by the roster's jenjang.
        koefisien: z.record(z.string().min(1), z.number().positive('expected a positive koefisien')).default({}),
      })
      .default({ koefisien: {} }),
    keberatan: z
      .object({
        // Working time the atasan of the pejabat penilai has to decide an objection (no legal deadline found).
        decisionSla: duration.default(5 * 450),
      })
      .default({ decisionSla: 5 * 450 }),
    linking: z
      .object({
        codeTtlDays: z.number().int().min(1).max(60).default(7),
      })
      .default({ codeTtlDays: 7 }),
    storage: z
      .object({
        archiveDir: z.string().default('data/archive'),
      })
      .default({ archiveDir: 'data/archive' }),
  })
  .strict();

export type DeploymentConfig = z.infer<typeof deploymentSchema>;

export interface AppConfig {
  env: Env;
  deployment: DeploymentConfig;
  calendar: CalendarConfig;
  configFile: string;
}

function describeIssues(prefix: string, error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${prefix}${path}: ${issue.message}`;
  });
}

export function parseEnv(env: NodeJS.ProcessEnv): { env?: Env; problems: string[] } {
  const result = envSchema.safeParse(env);
  if (result.success) return { env: result.data, problems: [] };
  return { problems: describeIssues('', result.error) };
}

export function parseDeployment(raw: unknown, source = 'config'): { deployment?: DeploymentConfig; calendar?: CalendarConfig; problems: string[] } {
  const result = deploymentSchema.safeParse(raw);
  if (!result.success) return { problems: describeIssues(`${source}: `, result.error) };
  const d = result.data;
  const calendar: CalendarConfig = {
    timeZone: d.instansi.timeZone,
    alwaysOpen: d.calendar.alwaysOpen,
    workingHours: { ...DEFAULT_WORKING_HOURS, ...(d.calendar.workingHours as Partial<Record<Weekday, string[]>>) },
    holidays: d.calendar.holidays,
    cutiBersama: d.calendar.cutiBersama,
    fixedHolidays: d.calendar.fixedHolidays,
    specialPeriods: d.calendar.specialPeriods.map((p) => ({
      ...p,
      workingHours: { ...DEFAULT_WORKING_HOURS, ...(p.workingHours as Partial<Record<Weekday, string[]>>) },
    })),
  };
  const problems: string[] = [];
  try {
    createCalendar(calendar);
  } catch (error) {
    problems.push(`${source}: calendar: ${(error as Error).message}`);
  }
  // The keberatan decision step (4) takes its SLA from keberatan.decisionSla unless procedures.sla names it.
  d.procedures.sla = { ...d.procedures.sla, keberatan: { '4': d.keberatan.decisionSla, ...d.procedures.sla.keberatan } };
  problems.push(...procedureConfigProblems(d.procedures).map((p) => `${source}: ${p}`));
  if (problems.length > 0) return { problems };
  return { deployment: d, calendar, problems: [] };
}

export function readDeploymentFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

/** Validates everything and throws one ConfigError listing every bad value. */
export function loadConfig(processEnv: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const { env, problems: envProblems } = parseEnv(processEnv);
  problems.push(...envProblems);
  const configFile = resolve(emptyToUndefined(processEnv.CONFIG_FILE) ? String(processEnv.CONFIG_FILE) : 'examples/config.yaml');
  let deployment: DeploymentConfig | undefined;
  let calendar: CalendarConfig | undefined;
  if (!existsSync(configFile)) {
    problems.push(`CONFIG_FILE: file not found: ${configFile}`);
  } else {
    let raw: unknown;
    try {
      raw = readDeploymentFile(configFile);
    } catch (error) {
      problems.push(`CONFIG_FILE: cannot parse ${configFile}: ${(error as Error).message}`);
    }
    if (raw !== undefined) {
      const parsed = parseDeployment(raw, 'CONFIG_FILE');
      problems.push(...parsed.problems);
      deployment = parsed.deployment;
      calendar = parsed.calendar;
    }
  }
  if (problems.length > 0 || !env || !deployment || !calendar) throw new ConfigError(problems);
  return { env, deployment, calendar, configFile };
}

/** For CLIs that only need the database (migrate, roster import): no token required. */
export function loadDatabaseEnv(processEnv: NodeJS.ProcessEnv = process.env): { databaseUrl?: string; dataDir: string } {
  const result = z
    .object({ DATABASE_URL: envSchema.shape.DATABASE_URL, DATA_DIR: envSchema.shape.DATA_DIR })
    .safeParse(processEnv);
  if (!result.success) throw new ConfigError(describeIssues('', result.error));
  return { databaseUrl: result.data.DATABASE_URL, dataDir: result.data.DATA_DIR };
}
