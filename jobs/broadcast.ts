// Announcement fan-out: the broadcast-send queue, its rate-limited worker, enqueueing and reconciliation.
import type { BroadcastQueueControl } from '../src/app/job-control.js';
import { Queue, Worker, type JobsOptions } from 'bullmq';
import { finishBroadcastIfComplete, queuedBatches, sendingBroadcastIds } from '../src/app/broadcast.js';
import type { Logger } from '../src/logger.js';
import { createRedisConnection, logErrors, type QueueConnection } from './connection.js';
import type { JobModule, JobModuleFactory, Jobs } from './index.js';
import { publishReport } from '../src/chat/announcement.js';
import { runSummaries } from '../src/chat/texts/operations.js';
import { createSendPacer } from '../src/chat/outgoing/global-schedule.js';
import { globalScheduleKey, JOB_PATIENCE_MS, withCallOptions } from '../src/chat/outgoing/index.js';
import { TELEGRAM_GLOBAL_LIMIT } from '../src/chat/outgoing/product.js';
import { jobRetention } from './processors/reminder-send.js';
import {
  createSentRecorders,
  processBroadcastBatch,
  type BatchOutcome,
  type BroadcastBatchData,
  type BroadcastSendDeps,
} from './processors/broadcast-send.js';

export const BROADCAST_QUEUE = 'broadcast-send';
export const BROADCAST_MODULE = 'broadcast';

/** Telegram allows about 30 messages per second to different chats; 25 leaves a margin. */
const DEFAULT_RATE_PER_SECOND = 25;
const ENQUEUE_CHUNK = 1000;

// Retention comes from the queue's defaults (JOB_RETENTION_HOURS), so the operations page shows what happened.
const JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
};

export const broadcastJobId = (broadcastId: string, batch: number) => `bcb-${broadcastId}-${batch}`;

export interface BroadcastTuning {
  ratePerSecond: number;
  /** How long a crashed worker's jobs stay locked before another worker takes them over. */
  lockDurationMs: number;
}

function positiveNumber(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${value}"`);
  return n;
}

/** Optional env: BROADCAST_RATE_PER_SECOND (default 25), BROADCAST_LOCK_DURATION_MS (default 15000). */
export function broadcastTuning(env: NodeJS.ProcessEnv = process.env): BroadcastTuning {
  return {
    ratePerSecond: positiveNumber(env.BROADCAST_RATE_PER_SECOND, DEFAULT_RATE_PER_SECOND, 'BROADCAST_RATE_PER_SECOND'),
    lockDurationMs: positiveNumber(env.BROADCAST_LOCK_DURATION_MS, 15_000, 'BROADCAST_LOCK_DURATION_MS'),
  };
}

/**
 * Batch jobs running at once in one worker process: enough that one job's start and finish (a few queries) never
 * leave the pacer's slots unused, a handful at Telegram's real pace, more when the limit is lifted.
 */
export function batchConcurrency(ratePerSecond: number): number {
  return Math.min(16, Math.max(2, Math.ceil(ratePerSecond / 100)));
}

/** BullMQ does not close a connection it was handed, so whoever closes the queue/worker quits it too. */
async function closeWith(closeable: { close(): Promise<void> }, connection: { quit(): Promise<unknown>; disconnect(): void }) {
  try {
    await closeable.close();
  } finally {
    await connection.quit().catch(() => connection.disconnect());
  }
}

export interface Closable<T> {
  value: T;
  close(): Promise<void>;
}

export function createBroadcastQueue(connection: QueueConnection, log?: Logger, retentionHours?: number): Closable<Queue<BroadcastBatchData>> {
  const redis = createRedisConnection(connection);
  const queue = new Queue<BroadcastBatchData>(BROADCAST_QUEUE, { connection: redis, prefix: connection.prefix, defaultJobOptions: jobRetention(retentionHours) });
  if (log) logErrors(queue, log, BROADCAST_QUEUE);
  return { value: queue, close: () => closeWith(queue, redis) };
}

/**
 * The worker: batch jobs whose sends take the slots of the pacer shared by every process (the global rate; a 429
 * holds back only its own chat, in the outgoing path); failed batches are retried with backoff and only their queued rest is sent.
 */
export function createBroadcastWorker(
  deps: BroadcastSendDeps & { connection: QueueConnection },
  tuning: BroadcastTuning = broadcastTuning(),
): Closable<Worker<BroadcastBatchData, BatchOutcome>> {
  const redis = createRedisConnection(deps.connection);
  const pacer = createSendPacer(deps.redis, globalScheduleKey(deps.connection.prefix), tuning.ratePerSecond);
  if (tuning.ratePerSecond > TELEGRAM_GLOBAL_LIMIT) {
    deps.logger.warn(
      { rate: tuning.ratePerSecond, telegramLimit: TELEGRAM_GLOBAL_LIMIT },
      'BROADCAST_RATE_PER_SECOND is above what Telegram allows without paid broadcast (about 30/s): expect 429 answers, which slow the announcement down',
    );
  }
  // The worker takes its slots of the global schedule itself (the pacer); the path keeps per-chat order and retries.
  const sendDeps = { ...deps, telegram: withCallOptions(deps.telegram, { patienceMs: JOB_PATIENCE_MS, globalPacing: false }) };
  // The jobs running side by side record their sends together (one statement at a time per broadcast).
  const recorders = createSentRecorders(deps.db);
  const worker = new Worker<BroadcastBatchData, BatchOutcome>(
    BROADCAST_QUEUE,
    (job) => processBroadcastBatch(job.data, sendDeps, pacer, { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 }, recorders),
    {
      connection: redis,
      prefix: deps.connection.prefix,
      concurrency: batchConcurrency(tuning.ratePerSecond),
      lockDuration: tuning.lockDurationMs,
      stalledInterval: Math.min(30_000, tuning.lockDurationMs),
      // A job whose worker died is retried rather than failed; reconcile() also revives any that were failed.
      maxStalledCount: 5,
    },
  );
  worker.on('error', (error) => deps.logger.warn({ err: error, queue: BROADCAST_QUEUE }, 'broadcast worker error'));
  worker.on('failed', (job, error) =>
    deps.logger.warn({ queue: BROADCAST_QUEUE, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'broadcast job attempt failed'),
  );
  return { value: worker, close: () => closeWith(worker, redis) };
}

/** One job per batch, with idempotent ids: re-adding a job that is waiting or running is a no-op in BullMQ. */
export async function enqueueBatches(queue: Queue<BroadcastBatchData>, broadcastId: string, batches: number[]): Promise<number> {
  // Chunks keep each MULTI short, so Redis keeps serving the workers while a big broadcast is enqueued.
  for (let i = 0; i < batches.length; i += ENQUEUE_CHUNK) {
    await queue.addBulk(
      batches.slice(i, i + ENQUEUE_CHUNK).map((batch) => ({
        name: 'send',
        data: { broadcastId, batch },
        opts: { ...JOB_OPTIONS, jobId: broadcastJobId(broadcastId, batch) },
      })),
    );
  }
  return batches.length;
}

/**
 * Rebuilds the queue from Postgres: every batch of a 'sending' broadcast that still has queued recipients gets
 * its job back (same id); a job BullMQ gave up on, or one kept as completed, is retried or replaced; broadcasts
 * whose deliveries are all final are finished with their report.
 */
export async function reconcileBroadcasts(
  deps: Pick<BroadcastSendDeps, 'db' | 'telegram' | 'logger' | 'timeZone' | 'now'>,
  queue: Queue<BroadcastBatchData>,
): Promise<{ resumed: number; finished: number; revived: number }> {
  let resumed = 0;
  let finished = 0;
  let revived = 0;
  for (const broadcastId of await sendingBroadcastIds(deps.db)) {
    const batches = await queuedBatches(deps.db, broadcastId);
    if (batches.length === 0) {
      if (await finishBroadcastIfComplete(deps.db, broadcastId, deps.now())) {
        finished++;
        await publishReport(deps, broadcastId);
      }
      continue;
    }
    // One state lookup per batch, sent together rather than one round trip after another.
    const states = await Promise.all(batches.map((batch) => queue.getJobState(broadcastJobId(broadcastId, batch))));
    const missing: number[] = [];
    for (const [i, batch] of batches.entries()) {
      const id = broadcastJobId(broadcastId, batch);
      if (states[i] === 'failed') {
        await queue.getJob(id).then((job) => job?.retry('failed')).catch((error) => deps.logger.warn({ err: error, jobId: id }, 'retrying a broadcast job failed'));
        revived++;
      } else if (states[i] === 'completed' || states[i] === 'unknown') {
        // A kept completed job would make re-adding its id a no-op.
        if (states[i] === 'completed') await queue.remove(id).catch(() => 0);
        missing.push(batch);
      }
    }
    resumed += await enqueueBatches(queue, broadcastId, missing);
  }
  if (resumed + finished + revived > 0) deps.logger.info({ resumed, finished, revived }, 'broadcasts reconciled');
  return { resumed, finished, revived };
}

export interface BroadcastJobs extends JobModule, BroadcastQueueControl {
  queue: Queue<BroadcastBatchData>;
}

export function broadcastJobsOf(jobs: Jobs | undefined): BroadcastJobs | undefined {
  return jobs?.modules.find((m) => m.name === BROADCAST_MODULE) as BroadcastJobs | undefined;
}

export async function discardJobs(queue: Queue<BroadcastBatchData>, broadcastId: string, batches: number[]): Promise<void> {
  // remove() refuses a job that is running (locked); that one stops by itself at its next status check.
  await Promise.all(batches.map((batch) => queue.remove(broadcastJobId(broadcastId, batch)).catch(() => 0)));
}

export const broadcastModule: JobModuleFactory = (deps) => {
  const sendDeps: BroadcastSendDeps = {
    db: deps.db,
    telegram: deps.telegram,
    logger: deps.logger.child({ module: BROADCAST_MODULE }),
    redis: deps.redis,
    keyPrefix: deps.connection.prefix,
    timeZone: deps.config.deployment.instansi.timeZone,
    now: deps.now,
  };
  const queueHandle = createBroadcastQueue(deps.connection, sendDeps.logger, deps.config.env.JOB_RETENTION_HOURS);
  const queue = queueHandle.value;
  // The validated configuration wins; plain process.env serves the standalone worker process.
  const env = deps.config.env;
  const tuning = broadcastTuning({
    ...process.env,
    ...(env.BROADCAST_RATE_PER_SECOND !== undefined ? { BROADCAST_RATE_PER_SECOND: String(env.BROADCAST_RATE_PER_SECOND) } : {}),
    ...(env.BROADCAST_LOCK_DURATION_MS !== undefined ? { BROADCAST_LOCK_DURATION_MS: String(env.BROADCAST_LOCK_DURATION_MS) } : {}),
  });
  const worker = deps.runWorkers === false ? undefined : createBroadcastWorker({ ...sendDeps, connection: deps.connection }, tuning);
  const reconcile = async () => {
    await reconcileBroadcasts(sendDeps, queue);
  };
  const module: BroadcastJobs = {
    name: BROADCAST_MODULE,
    queue,
    // Listed on the operations page with the others.
    queues: [queue],
    reconcile,
    runNow: {
      'broadcast-resume': async () => {
        return runSummaries.broadcastsResumed(await reconcileBroadcasts(sendDeps, queue));
      },
    },
    enqueue: async (broadcastId) => enqueueBatches(queue, broadcastId, await queuedBatches(deps.db, broadcastId)),
    discard: (broadcastId, batches) => discardJobs(queue, broadcastId, batches),
    async close() {
      await worker?.close();
      await queueHandle.close();
    },
  };
  return module;
};
