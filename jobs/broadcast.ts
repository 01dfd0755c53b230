// Announcement fan-out: the broadcast-send queue, its rate-limited worker, enqueueing and reconciliation.
import { Queue, Worker, type JobsOptions } from 'bullmq';
import {
  finishBroadcastIfComplete,
  loadDelivery,
  queuedRecipientIds,
  sendingBroadcastIds,
} from '../src/app/broadcast.js';
import { createRedisConnection, type QueueConnection } from './connection.js';
import type { JobModule, JobModuleFactory, Jobs } from './index.js';
import {
  processBroadcastSend,
  publishReport,
  TelegramRateLimited,
  type BroadcastSendData,
  type BroadcastSendDeps,
  type SendOutcome,
} from './processors/broadcast-send.js';

export const BROADCAST_QUEUE = 'broadcast-send';
export const BROADCAST_MODULE = 'broadcast';

/** Telegram allows about 30 messages per second to different chats; 25 leaves a margin. */
const DEFAULT_RATE_PER_SECOND = 25;
const ENQUEUE_CHUNK = 1000;

const JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};

export const broadcastJobId = (broadcastId: string, employeeId: string) => `bc-${broadcastId}-${employeeId}`;

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
 * BullMQ's limiter counts jobs per fixed window, so 25 per 1000 ms can put 50 sends into one rolling second
 * across a window boundary. Small windows (a tenth of the rate each) keep any rolling second within ~10 %.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 10));
  return { max, duration: Math.max(1, Math.round((1000 * max) / ratePerSecond)) };
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

export function createBroadcastQueue(connection: QueueConnection): Closable<Queue<BroadcastSendData>> {
  const redis = createRedisConnection(connection.url);
  const queue = new Queue<BroadcastSendData>(BROADCAST_QUEUE, { connection: redis, prefix: connection.prefix });
  return { value: queue, close: () => closeWith(queue, redis) };
}

/** The worker: global rate limit, 429 pauses every worker for retry_after, retries with backoff. */
export function createBroadcastWorker(
  deps: BroadcastSendDeps & { connection: QueueConnection },
  tuning: BroadcastTuning = broadcastTuning(),
): Closable<Worker<BroadcastSendData, SendOutcome>> {
  const redis = createRedisConnection(deps.connection.url);
  const worker: Worker<BroadcastSendData, SendOutcome> = new Worker<BroadcastSendData, SendOutcome>(
    BROADCAST_QUEUE,
    async (job) => {
      try {
        return await processBroadcastSend(job.data, deps, { attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 });
      } catch (error) {
        if (error instanceof TelegramRateLimited) {
          // Pauses the queue for every worker (the limiter lives in Redis); the job goes back without using an attempt.
          await worker.rateLimit(error.retryAfterMs);
          throw Worker.RateLimitError();
        }
        throw error;
      }
    },
    {
      connection: redis,
      prefix: deps.connection.prefix,
      // Enough parallel requests to fill the rate when Telegram answers in a few hundred milliseconds.
      concurrency: Math.min(50, Math.max(5, Math.ceil(tuning.ratePerSecond / 2))),
      limiter: limiterFor(tuning.ratePerSecond),
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

/** One job per queued delivery, with idempotent ids: re-adding an existing job is a no-op in BullMQ. */
export async function enqueueDeliveries(queue: Queue<BroadcastSendData>, broadcastId: string, employeeIds: string[]): Promise<number> {
  // Chunks keep each MULTI short, so Redis keeps serving the workers while a big broadcast is enqueued.
  for (let i = 0; i < employeeIds.length; i += ENQUEUE_CHUNK) {
    await queue.addBulk(
      employeeIds.slice(i, i + ENQUEUE_CHUNK).map((employeeId) => ({
        name: 'send',
        data: { broadcastId, employeeId },
        opts: { ...JOB_OPTIONS, jobId: broadcastJobId(broadcastId, employeeId) },
      })),
    );
  }
  return employeeIds.length;
}

/**
 * Rebuilds the queue from Postgres: every queued delivery of a 'sending' broadcast gets its job back (same ids),
 * jobs BullMQ gave up on while their delivery is still queued are retried, and broadcasts whose deliveries are
 * all final are finished with their report.
 */
export async function reconcileBroadcasts(
  deps: Pick<BroadcastSendDeps, 'db' | 'telegram' | 'logger' | 'timeZone' | 'now'>,
  queue: Queue<BroadcastSendData>,
): Promise<{ resumed: number; finished: number; revived: number }> {
  let resumed = 0;
  let finished = 0;
  for (const broadcastId of await sendingBroadcastIds(deps.db)) {
    const queued = await queuedRecipientIds(deps.db, broadcastId);
    if (queued.length === 0) {
      if (await finishBroadcastIfComplete(deps.db, broadcastId, deps.now())) {
        finished++;
        await publishReport(deps, broadcastId);
      }
      continue;
    }
    resumed += await enqueueDeliveries(queue, broadcastId, queued);
  }
  let revived = 0;
  for (const job of await queue.getFailed(0, 999)) {
    const delivery = await loadDelivery(deps.db, job.data.broadcastId, job.data.employeeId);
    if (delivery?.status === 'queued' && delivery.broadcastStatus === 'sending') {
      await job.retry('failed').catch((error) => deps.logger.warn({ err: error, jobId: job.id }, 'retrying a broadcast job failed'));
      revived++;
    }
  }
  if (resumed + finished + revived > 0) deps.logger.info({ resumed, finished, revived }, 'broadcasts reconciled');
  return { resumed, finished, revived };
}

export interface BroadcastJobs extends JobModule {
  /** Enqueues the queued deliveries of a broadcast that just started. */
  enqueue(broadcastId: string): Promise<number>;
  /** Drops the waiting jobs of cancelled deliveries (best effort: workers skip them anyway). */
  discard(broadcastId: string, employeeIds: string[]): Promise<void>;
  queue: Queue<BroadcastSendData>;
}

export function broadcastJobsOf(jobs: Jobs | undefined): BroadcastJobs | undefined {
  return jobs?.modules.find((m) => m.name === BROADCAST_MODULE) as BroadcastJobs | undefined;
}

export async function discardJobs(queue: Queue<BroadcastSendData>, broadcastId: string, employeeIds: string[]): Promise<void> {
  for (let i = 0; i < employeeIds.length; i += ENQUEUE_CHUNK) {
    await Promise.all(
      employeeIds.slice(i, i + ENQUEUE_CHUNK).map((id) => queue.remove(broadcastJobId(broadcastId, id)).catch(() => 0)),
    );
  }
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
  const queueHandle = createBroadcastQueue(deps.connection);
  const queue = queueHandle.value;
  // The validated configuration wins; plain process.env serves the standalone worker process.
  const env = deps.config.env;
  const tuning = broadcastTuning({
    ...process.env,
    ...(env.BROADCAST_RATE_PER_SECOND !== undefined ? { BROADCAST_RATE_PER_SECOND: String(env.BROADCAST_RATE_PER_SECOND) } : {}),
    ...(env.BROADCAST_LOCK_DURATION_MS !== undefined ? { BROADCAST_LOCK_DURATION_MS: String(env.BROADCAST_LOCK_DURATION_MS) } : {}),
  });
  const worker = createBroadcastWorker({ ...sendDeps, connection: deps.connection }, tuning);
  const reconcile = async () => {
    await reconcileBroadcasts(sendDeps, queue);
  };
  const module: BroadcastJobs = {
    name: BROADCAST_MODULE,
    queue,
    reconcile,
    runNow: {
      'broadcast-resume': async () => {
        const r = await reconcileBroadcasts(sendDeps, queue);
        return `resumed ${r.resumed} deliveries, finished ${r.finished} broadcasts, revived ${r.revived} jobs`;
      },
    },
    enqueue: async (broadcastId) => enqueueDeliveries(queue, broadcastId, await queuedRecipientIds(deps.db, broadcastId)),
    discard: (broadcastId, employeeIds) => discardJobs(queue, broadcastId, employeeIds),
    async close() {
      await worker.close();
      await queueHandle.close();
    },
  };
  return module;
};
