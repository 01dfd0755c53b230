// SLA timers: versioned delayed jobs per escalation point of the step a case waits on, started and cancelled from the
// outbox ('start_sla', 'cancel_sla') and rebuilt from Postgres by reconcile() after Redis lost them.
import { eq, sql } from 'drizzle-orm';
import { Queue, Worker } from 'bullmq';
import { handBackEndedDelegations } from '../src/app/delegation.js';
import { rowsOf } from '../src/db/client.js';
import { cases } from '../src/db/schema/index.js';
import { runSummaries } from '../src/chat/texts/operations.js';
import { logErrors, moduleConnections } from './connection.js';
import type { JobModule, JobModuleFactory, OutboxRow } from './index.js';
import { enqueueNotifications, jobRetention, NOTIFY_QUEUE } from './processors/reminder-send.js';
import {
  dispatchSlaEvents,
  fireSla,
  SLA_ACTIONS,
  SLA_QUEUE,
  slaCadence,
  slaJobId,
  slaMinutesOf,
  stepOf,
  type CaseRow,
  type SlaDeps,
  type SlaEventData,
  type SlaJobData,
} from './processors/sla-fire.js';

/** Fired events younger than this whose messages were not all sent are re-queued by reconcile(). */
const REDISPATCH_WINDOW_MS = 3 * 24 * 3600 * 1000;
const EXISTS_CHUNK = 1000;

export interface SlaReconcileResult {
  cases: number;
  recreated: number;
  redispatched: number;
}

interface StartSlaPayload {
  stepNo: number;
  revision: number;
  version: number;
  slaMinutes: number;
  dueAt: string;
  enteredAt: string;
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
  const slaDeps: SlaDeps = {
    db: deps.db,
    calendar: deps.calendar,
    procedures: deps.procedures,
    config: deps.config,
    now: deps.now,
    logger: log,
    enqueue: (items) => enqueueNotifications(notifyQueue, items, retention),
  };
  const worker = new Worker<SlaJobData>(SLA_QUEUE, (job) => fireSla(job.data, slaDeps), {
    connection: connection(),
    prefix,
    concurrency: 5,
    autorun: deps.runWorkers !== false,
  });
  worker.on('failed', (job, error) => log.warn({ err: error, jobId: job?.id }, 'SLA timer failed'));
  worker.on('error', (error) => log.warn({ err: error }, 'SLA worker error'));

  /** Adds the delayed jobs of a cadence; an id that already exists (pending or kept) is left alone by BullMQ. */
  async function addTimers(c: Pick<CaseRow, 'id' | 'stepNo' | 'revision' | 'version'>, points: Array<{ pct: number; fireAt: Date }>): Promise<void> {
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
    const [c] = await deps.db.select().from(cases).where(eq(cases.id, row.caseId));
    // The case moved on before this row was handled: there is nothing left to time.
    if (!c || (c.status !== 'active' && c.status !== 'returned') || c.version !== p.version || c.stepNo !== p.stepNo) return;
    const found = stepOf(deps.procedures, c.procedureCode, p.stepNo);
    if (!found || p.slaMinutes <= 0) return;
    await addTimers(c, slaCadence(deps.calendar, new Date(p.enteredAt), p.slaMinutes, found.step.escalation));
  }

  /**
   * Best effort: the processor's version check is the real guard against a timer that outlived its step. A pending
   * timer is run at once rather than removed: it finishes as 'stale' and stays on the operations page for the
   * retention period, so what happened to each timer can be read there.
   */
  async function cancelTimers(row: OutboxRow): Promise<void> {
    const p = row.payload as { stepNo: number; revision: number };
    if (!row.caseId) return;
    const versions = rowsOf<{ version: number }>(
      await deps.db.execute(sql`select distinct (payload->>'version')::int as version from outbox
        where case_id = ${row.caseId} and kind = 'start_sla'
          and (payload->>'stepNo')::int = ${p.stepNo} and (payload->>'revision')::int = ${p.revision}`),
    );
    const [c] = await deps.db.select({ code: cases.procedureCode }).from(cases).where(eq(cases.id, row.caseId));
    const found = c ? stepOf(deps.procedures, c.code, p.stepNo) : null;
    const pcts = found ? found.step.escalation.map((r) => r.atPercent) : [];
    for (const { version } of versions) {
      for (const pct of pcts) {
        const id = slaJobId({ caseId: row.caseId, stepNo: p.stepNo, version: Number(version), pct });
        try {
          const job = await queue.getJob(id);
          if (job && (await job.isDelayed())) await job.promote();
        } catch (error) {
          log.debug({ err: error, caseId: row.caseId }, 'SLA timer not promoted (running or gone)');
        }
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
    const open = rowsOf<{
      id: string;
      procedure_code: string;
      step_no: number;
      revision: number;
      version: number;
      step_entered_at: Date | string;
      sla_due_at: Date | string | null;
      fired: number[] | null;
    }>(
      await deps.db.execute(sql`select c.id, c.procedure_code, c.step_no, c.revision, c.version, c.step_entered_at, c.sla_due_at,
          (select jsonb_agg(distinct (ev.data->>'pct')::int) from case_events ev
            where ev.case_id = c.id and ev.action in (${sql.join(SLA_ACTIONS.map((a) => sql`${a}`), sql`, `)})
              and (ev.data->>'version')::int = c.version) as fired
        from cases c where c.status in ('active', 'returned')`),
    );
    const wanted: Array<{ c: Pick<CaseRow, 'id' | 'stepNo' | 'revision' | 'version'>; pct: number; fireAt: Date; jobId: string }> = [];
    for (const r of open) {
      const found = stepOf(deps.procedures, r.procedure_code, r.step_no);
      if (!found || found.step.sla.minutes <= 0) continue;
      const enteredAt = new Date(r.step_entered_at);
      const minutes = slaMinutesOf(deps.calendar, found.step, enteredAt, r.sla_due_at ? new Date(r.sla_due_at) : null);
      const fired = new Set((r.fired ?? []).map(Number));
      const c = { id: r.id, stepNo: r.step_no, revision: r.revision, version: r.version };
      for (const point of slaCadence(deps.calendar, enteredAt, minutes, found.step.escalation)) {
        if (fired.has(point.pct)) continue;
        wanted.push({ c, pct: point.pct, fireAt: point.fireAt, jobId: slaJobId({ caseId: r.id, stepNo: r.step_no, version: r.version, pct: point.pct }) });
      }
    }
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
    const unsent = rowsOf<{ case_id: string; data: SlaEventData }>(
      await deps.db.execute(sql`select ev.case_id, ev.data from case_events ev join cases c on c.id = ev.case_id
        where ev.action in (${sql.join(SLA_ACTIONS.map((a) => sql`${a}`), sql`, `)}) and ev.at > ${since.toISOString()}::timestamptz
          and c.status in ('active', 'returned') and c.version = (ev.data->>'version')::int
          and exists (select 1 from jsonb_array_elements_text(coalesce(ev.data->'to', '[]'::jsonb)) t(id)
                      where not exists (select 1 from reminder_log rl where rl.kind = 'sla' and rl.employee_id = t.id::uuid
                        and rl.run_key = ev.case_id::text || ':' || (ev.data->>'version') || ':' || (ev.data->>'pct')))
        order by ev.id`),
    );
    let redispatched = 0;
    const byCase = new Map<string, SlaEventData[]>();
    for (const u of unsent) byCase.set(u.case_id, [...(byCase.get(u.case_id) ?? []), u.data]);
    for (const [caseId, events] of byCase) {
      const [c] = await deps.db.select().from(cases).where(eq(cases.id, caseId));
      if (c) redispatched += await dispatchSlaEvents(slaDeps, c, events);
    }
    if (recreated > 0 || redispatched > 0) log.info({ cases: open.length, recreated, redispatched }, 'SLA timers reconciled');
    return { cases: open.length, recreated, redispatched };
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
