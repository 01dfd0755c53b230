// SLA timers: versioned delayed jobs per escalation point of the step a case waits on, started and cancelled from the
// outbox ('start_sla', 'cancel_sla') and rebuilt from Postgres by reconcile() after Redis lost them.
import { Job, Queue, Worker } from 'bullmq';
import { handBackEndedDelegations } from '../src/app/delegation.js';
import { fireSla, type SlaDeps, type SlaJobData } from '../src/app/sla-fire.js';
import { redispatchUnsentSla, slaTimersOfOpenCases, slaTimersOfStep, slaTimersToStart, type StartSlaPayload, type TimedCase } from '../src/app/sla-timers.js';
import { runSummaries } from '../src/chat/texts/operations.js';
import { logErrors, moduleConnections } from './connection.js';
import type { JobModule, JobModuleFactory, OutboxRow } from './index.js';
import { enqueueNotifications, jobRetention, NOTIFY_QUEUE } from './processors/reminder-send.js';
import { SLA_QUEUE, slaDepsOf, slaJobId } from './processors/sla-fire.js';

/** Fired events younger than this whose messages were not all sent are re-queued by reconcile(). */
const REDISPATCH_WINDOW_MS = 3 * 24 * 3600 * 1000;
const EXISTS_CHUNK = 1000;

export interface SlaReconcileResult {
  cases: number;
  recreated: number;
  redispatched: number;
}

export const slaModule: JobModuleFactory = (deps) => {
  const log = deps.logger.child({ module: 'sla' });
  const redisPool = moduleConnections(deps.connection, log);
  const connection = redisPool.open;
  const prefix = deps.connection.prefix;
  const retention = jobRetention(deps.config.env.JOB_RETENTION_HOURS);
  const queue = logErrors(
    new Queue<SlaJobData>(SLA_QUEUE, {
      connection: connection(),
      prefix,
      defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 5_000 }, ...retention },
    }),
    log,
    SLA_QUEUE,
  );
  // Producer handle only: the reminders module runs the rate-limited worker of this queue.
  const notifyQueue = logErrors(new Queue(NOTIFY_QUEUE, { connection: connection(), prefix }), log, NOTIFY_QUEUE);
  const slaDeps: SlaDeps = slaDepsOf(deps, deps.config.deployment.instansi.timeZone, (items) => enqueueNotifications(notifyQueue, items, retention));
  const worker = new Worker<SlaJobData>(SLA_QUEUE, (job) => fireSla(job.data, slaDeps), {
    connection: connection(),
    prefix,
    concurrency: 5,
    autorun: deps.runWorkers !== false,
  });
  worker.on('failed', (job, error) => log.warn({ err: error, jobId: job?.id }, 'SLA timer failed'));
  worker.on('error', (error) => log.warn({ err: error }, 'SLA worker error'));

  /** Adds the delayed jobs of a cadence; an id that already exists (pending or kept) is left alone by BullMQ. */
  async function addTimers(c: TimedCase, points: Array<{ pct: number; fireAt: Date }>): Promise<void> {
    if (points.length === 0) return;
    const now = deps.now().getTime();
    await queue.addBulk(
      points.map((p) => ({
        name: 'sla-fire',
        data: { caseId: c.id, stepNo: c.stepNo, revision: c.revision, version: c.version, pct: p.pct },
        opts: { jobId: slaJobId({ caseId: c.id, stepNo: c.stepNo, version: c.version, pct: p.pct }), delay: Math.max(0, p.fireAt.getTime() - now) },
      })),
    );
  }

  async function startTimers(row: OutboxRow): Promise<void> {
    const p = row.payload as unknown as StartSlaPayload;
    if (!row.caseId) return;
    const start = await slaTimersToStart(deps, row.caseId, p);
    if (start) await addTimers(start.c, start.points);
  }

  /**
   * Best effort: the processor's version check is the real guard against a timer that outlived its step. A pending
   * timer is run at once rather than removed: it finishes as 'stale' and stays on the operations page for the
   * retention period, so what happened to each timer can be read there. Each is first marked as left, so its run
   * reads nothing from the database; only timers started before the transition that left the step are touched
   * (the row's version; a row written before it carried one touches them all). Two Redis calls a timer: a timer
   * that is gone, running or finished refuses one of them, and is left as it is.
   */
  async function cancelTimers(row: OutboxRow): Promise<void> {
    const p = row.payload as { stepNo: number; revision: number; version?: number };
    if (!row.caseId) return;
    for (const { version, pct } of await slaTimersOfStep(deps, row.caseId, p)) {
      if (p.version !== undefined && version >= p.version) continue;
      const data: SlaJobData = { caseId: row.caseId, stepNo: p.stepNo, revision: p.revision, version, pct };
      const job = new Job<SlaJobData>(queue, 'sla-fire', data, {}, slaJobId({ caseId: row.caseId, stepNo: p.stepNo, version, pct }));
      try {
        // updateData refuses a job that does not exist; promote one that is not delayed (running or finished:
        // its own run reads the case, and a finished one keeps what it did).
        if (p.version !== undefined) await job.updateData({ ...data, left: true });
        await job.promote();
      } catch (error) {
        log.debug({ err: error, caseId: row.caseId }, 'SLA timer not promoted (running or gone)');
      }
    }
  }

  deps.outboxHandlers.set('start_sla', startTimers);
  deps.outboxHandlers.set('cancel_sla', cancelTimers);

  /**
   * Re-creates every missing timer of every open case from Postgres (skipping points already logged; points already
   * due fire at once) and re-queues messages of logged firings that were never sent.
   */
  async function reconcile(): Promise<SlaReconcileResult> {
    const open = await slaTimersOfOpenCases(deps);
    const wanted = open.timers.map((t) => ({ ...t, jobId: slaJobId({ caseId: t.c.id, stepNo: t.c.stepNo, version: t.c.version, pct: t.pct }) }));
    let recreated = 0;
    for (let i = 0; i < wanted.length; i += EXISTS_CHUNK) {
      const chunk = wanted.slice(i, i + EXISTS_CHUNK);
      const pipeline = deps.redis.pipeline();
      for (const w of chunk) pipeline.exists(queue.toKey(w.jobId));
      const results = (await pipeline.exec()) ?? [];
      const missing = chunk.filter((_, j) => Number(results[j]?.[1] ?? 0) === 0);
      for (const m of missing) await addTimers(m.c, [m]);
      recreated += missing.length;
    }

    const since = new Date(deps.now().getTime() - REDISPATCH_WINDOW_MS);
    const redispatched = await redispatchUnsentSla(slaDeps, since);
    if (recreated > 0 || redispatched > 0) log.info({ cases: open.cases, recreated, redispatched }, 'SLA timers reconciled');
    return { cases: open.cases, recreated, redispatched };
  }

  const module: JobModule & { reconcileSla: typeof reconcile } = {
    name: 'sla',
    queues: [queue],
    reconcile: async () => {
      // A Plh acts only while the delegation is in force: steps left with one whose delegation ended go back.
      const now = deps.now();
      const handedBack = await handBackEndedDelegations(deps.db, deps.procedures.all(), now, deps.calendar.localDate(now));
      if (handedBack > 0) log.info({ handedBack }, 'steps handed back from a Plh whose delegation ended');
      await reconcile();
    },
    reconcileSla: reconcile,
    runNow: {
      'sla-reconcile': async () => runSummaries.slaReconciled(await reconcile()),
    },
    async close() {
      await worker.close();
      await queue.close();
      await notifyQueue.close();
      await redisPool.closeAll();
    },
  };
  return module;
};
