// Monthly and annual reminders: a daily job scheduler (instansi time zone) lets the calendar decide what is due, and
// a rate-limited queue sends each reminder once. Every job is also runnable now by operators.
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { REMINDER_JOBS, isReminderJob, DAILY_CHECK_PATTERN, jobRunState, type ReminderJobName } from '../src/app/reminders.js';
import { pruneReminderLog, reminderRunsThatQueued } from '../src/app/reminder-log.js';
import { runSummaries } from '../src/chat/texts/operations.js';
import { logErrors, moduleConnections } from './connection.js';
import type { JobModule, JobModuleFactory } from './index.js';
import { runDailyReminders, runReminderJob, type ReminderRunDeps } from './processors/reminder-run.js';
import { cappedBackoff, enqueueNotifications, jobRetention, NOTIFY_QUEUE, sendReminder, type NotifyJobData, type SendDeps } from './processors/reminder-send.js';

export const REMINDERS_QUEUE = 'reminders';
export const DAILY_SCHEDULER_ID = 'reminders-daily';
/** A safe margin under Telegram's ~30 messages per second for bulk notifications. */
export const NOTIFY_RATE_PER_SECOND = 25;
/** Claims of sent reminders are kept a year and a month (REMINDER_LOG_RETENTION_DAYS): any run key is long past. */
const DEFAULT_LOG_RETENTION_DAYS = 400;
/** The daily check's local time, as in DAILY_CHECK_PATTERN: a catch-up after it only when the check did not run. */
const DAILY_CHECK_TIME = '08:00';

interface RunJobData {
  job?: ReminderJobName;
  date?: string;
  period?: string;
}

const stringArg = (args: Record<string, unknown> | undefined, key: string): string | undefined =>
  typeof args?.[key] === 'string' && args[key] !== '' ? (args[key] as string) : undefined;

export const remindersModule: JobModuleFactory = (deps) => {
  const log = deps.logger.child({ module: 'reminders' });
  const tz = deps.config.deployment.instansi.timeZone;
  const prefix = deps.connection.prefix;
  const redisPool = moduleConnections(deps.connection, log);
  const connection = redisPool.open;
  const retention = jobRetention(deps.config.env.JOB_RETENTION_HOURS);

  const queue = logErrors(new Queue<RunJobData>(REMINDERS_QUEUE, { connection: connection(), prefix, defaultJobOptions: { ...retention } }), log, REMINDERS_QUEUE);
  const notifyQueue = logErrors(new Queue<NotifyJobData>(NOTIFY_QUEUE, { connection: connection(), prefix }), log, NOTIFY_QUEUE);
  const runDeps: ReminderRunDeps = {
    db: deps.db,
    calendar: deps.calendar,
    config: deps.config,
    procedures: deps.procedures,
    now: deps.now,
    enqueue: (items) => enqueueNotifications(notifyQueue, items, retention),
  };
  const logRetentionDays = deps.config.env.REMINDER_LOG_RETENTION_DAYS ?? DEFAULT_LOG_RETENTION_DAYS;
  const pruneLog = () => pruneReminderLog(deps.db, new Date(deps.now().getTime() - logRetentionDays * 86_400_000));
  const sendDeps: SendDeps = { db: deps.db, telegram: deps.telegram, calendar: deps.calendar, now: deps.now, logger: log };

  const worker = new Worker<RunJobData>(
    REMINDERS_QUEUE,
    async (job) => {
      if (job.name === DAILY_SCHEDULER_ID) {
        const result = await runDailyReminders(runDeps, { date: job.data.date });
        // Once a day, after the day's reminders: the old claims go (a failure here is only retried tomorrow).
        await pruneLog().then(
          (deleted) => deleted > 0 && log.info({ deleted, days: logRetentionDays }, 'old reminder claims pruned'),
          (error: unknown) => log.warn({ err: error }, 'pruning reminder_log failed'),
        );
        return result.summary;
      }
      if (job.data.job && isReminderJob(job.data.job)) {
        return (await runReminderJob(runDeps, job.data.job, { date: job.data.date, period: job.data.period })).summary;
      }
      throw new Error(`unknown reminders job ${job.name}`);
    },
    { connection: connection(), prefix, concurrency: 1, autorun: deps.runWorkers !== false },
  );
  worker.on('failed', (job, error) => log.error({ err: error, jobId: job?.id }, 'reminder run failed'));
  worker.on('error', (error) => log.warn({ err: error }, 'reminders worker error'));

  const notifyWorker: Worker<NotifyJobData> = new Worker<NotifyJobData>(
    NOTIFY_QUEUE,
    async (job: Job<NotifyJobData>, token?: string) => {
      const outcome = await sendReminder(job.data, sendDeps);
      if (outcome.status === 'rate_limited') {
        // Telegram said wait: pause the whole queue for retry_after; the job goes back without using an attempt.
        await notifyWorker.rateLimit(outcome.retryAfterMs);
        throw Worker.RateLimitError();
      }
      if (outcome.status === 'outside_hours') {
        await job.moveToDelayed(Date.now() + Math.max(0, outcome.sendAt.getTime() - deps.now().getTime()), token);
        throw new DelayedError();
      }
      return outcome.status;
    },
    {
      connection: connection(),
      prefix,
      concurrency: 5,
      limiter: { max: NOTIFY_RATE_PER_SECOND, duration: 1000 },
      settings: { backoffStrategy: (attemptsMade) => cappedBackoff(attemptsMade, deps.config.env.OUTGOING_RETRY_BASE_MS, deps.config.env.OUTGOING_RETRY_MAX_MS) },
      autorun: deps.runWorkers !== false,
    },
  );
  notifyWorker.on('failed', (job, error) => {
    const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) log.error({ err: error, jobId: job.id, employeeId: job.data.employeeId, kind: job.data.kind }, 'reminder given up: Telegram did not take it');
    else log.warn({ err: error, jobId: job?.id }, 'reminder send failed; will retry');
  });
  notifyWorker.on('error', (error) => log.warn({ err: error }, 'reminder send worker error'));

  async function schedule(): Promise<void> {
    await queue.upsertJobScheduler(
      DAILY_SCHEDULER_ID,
      { pattern: DAILY_CHECK_PATTERN, tz },
      { name: DAILY_SCHEDULER_ID, data: {}, opts: { ...retention } },
    );
  }

  /**
   * Re-upserts the scheduler; runs today's check when it should have run and did not (Redis lost the scheduler);
   * and when no send is pending, re-runs today's jobs that queued something, which re-queues only the reminders
   * not logged as sent (lost with Redis, or failed for good).
   */
  async function reconcile(): Promise<void> {
    await schedule();
    const now = deps.now();
    if (!deps.calendar.isWithinWorkingHours(now)) return;
    const today = deps.calendar.localDate(now);
    if (now >= deps.calendar.atLocal(today, DAILY_CHECK_TIME) && (await jobRunState(deps.db, DAILY_SCHEDULER_ID, today)) !== 'finished') {
      // Run in place (not queued): at boot this completes before the bot takes updates, so it reaches exactly the
      // people linked at that moment, like the scheduled run would have.
      const result = await runDailyReminders(runDeps, { date: today });
      log.info({ date: today, jobs: result.ran.map((r) => r.job) }, 'daily reminder check caught up');
    }
    const runs = await reminderRunsThatQueued(deps.db, REMINDER_JOBS, today);
    if (runs.length === 0) return;
    const counts = await notifyQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    if (Object.values(counts).some((n) => n > 0)) return;
    for (const r of runs) {
      if (!isReminderJob(r.name)) continue;
      const result = await runReminderJob(runDeps, r.name, { date: today, period: r.period, quiet: true });
      if (result.queued > 0) log.info({ job: r.name, period: r.period, queued: result.queued }, 'reminders re-queued after loss');
    }
  }

  const runNow: NonNullable<JobModule['runNow']> = {
    [DAILY_SCHEDULER_ID]: async (args) => (await runDailyReminders(runDeps, { date: stringArg(args, 'date'), force: true })).summary,
    'reminder-log-prune': async () => runSummaries.reminderLogPruned(await pruneLog(), logRetentionDays),
  };
  for (const job of REMINDER_JOBS) {
    runNow[job] = async (args) => (await runReminderJob(runDeps, job, { date: stringArg(args, 'date'), period: stringArg(args, 'period') })).summary;
  }

  return {
    name: 'reminders',
    queues: [queue, notifyQueue],
    schedule,
    reconcile,
    runNow,
    async close() {
      await worker.close();
      await notifyWorker.close();
      await queue.close();
      await notifyQueue.close();
      await redisPool.closeAll();
    },
  };
};
