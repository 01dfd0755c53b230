// The outbox dispatcher: carries out effects committed with their transitions (notifications, SLA timers...).
// Rows are leased with FOR UPDATE SKIP LOCKED, so several instances can run it; a crash re-delivers (at least once).
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { createCaseNotifier, RetryLater, TelegramUnreachable } from '../src/bot/notify.js';
import type { JobModuleFactory, OutboxRow } from './index.js';

const POLL_MS = 250;
const BATCH = 50;
const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 120;

interface ClaimedRow {
  id: number;
  case_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

export const outboxModule: JobModuleFactory = (deps) => {
  const log = deps.logger.child({ module: 'outbox' });
  const notifier = createCaseNotifier(deps);
  deps.outboxHandlers.set('notify', (row) => notifier.handle(row.payload, row.caseId));
  // Completion needs no work of its own (the notify rows tell the people); other modules may replace this.
  if (!deps.outboxHandlers.has('case_completed')) deps.outboxHandlers.set('case_completed', async () => {});

  let running = false;
  let stopped = false;
  let again = false;

  /**
   * Claims a batch by leasing it (available_at moves 2 minutes ahead) in a short statement, then handles each row
   * outside any transaction: a crash mid-batch only delays those rows until the lease ends. (Handlers must not run
   * inside a transaction: the embedded PGlite has a single connection.)
   */
  async function drainOnce(): Promise<number> {
    const rows = rowsOf<ClaimedRow>(
      await deps.db.execute(sql`
        update outbox set available_at = now() + interval '${sql.raw(String(LEASE_SECONDS))} seconds'
        where id in (select id from outbox where done_at is null and available_at <= now()
                     order by id limit ${BATCH} for update skip locked)
        returning id, case_id, kind, payload, attempts, created_at`),
    ).sort((a, b) => Number(a.id) - Number(b.id));
    for (const r of rows) {
      if (stopped) break;
      const row: OutboxRow = { id: Number(r.id), caseId: r.case_id, kind: r.kind, payload: r.payload, attempts: r.attempts, createdAt: r.created_at };
      const handler = deps.outboxHandlers.get(row.kind);
      if (!handler) {
        // A kind whose module is not running here: leave it for a process that has it.
        await deps.db.execute(sql`update outbox set available_at = now() + interval '30 seconds' where id = ${row.id}`);
        continue;
      }
      try {
        await handler(row);
        await deps.db.execute(sql`update outbox set done_at = now(), attempts = attempts + 1 where id = ${row.id}`);
      } catch (error) {
        if (error instanceof TelegramUnreachable) {
          await deps.db.execute(sql`update outbox set done_at = now(), attempts = attempts + 1, last_error = ${error.message} where id = ${row.id}`);
        } else if (error instanceof RetryLater) {
          await deps.db.execute(sql`update outbox set available_at = now() + ${`${error.delayMs} milliseconds`}::interval where id = ${row.id}`);
        } else {
          const attempts = row.attempts + 1;
          const message = error instanceof Error ? error.message : String(error);
          log.warn({ err: error, outboxId: row.id, kind: row.kind, attempts }, 'outbox handler failed');
          const backoff = `${Math.min(2 ** attempts, 600)} seconds`;
          await deps.db.execute(sql`update outbox set attempts = ${attempts}, last_error = ${message},
            available_at = now() + ${backoff}::interval,
            done_at = case when ${attempts} >= ${MAX_ATTEMPTS} then now() else null end
            where id = ${row.id}`);
        }
      }
    }
    return rows.length;
  }

  async function drain(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        while (!stopped && (await drainOnce()) === BATCH) {
          /* keep going while full batches come back */
        }
      } while (again && !stopped);
    } catch (error) {
      log.error({ err: error }, 'outbox drain failed');
    } finally {
      running = false;
    }
  }

  // Only job processes poll; a bot-only process leaves the rows to them.
  const timer = deps.runWorkers === false ? undefined : setInterval(() => void drain(), POLL_MS);
  timer?.unref();

  return {
    name: 'outbox',
    reconcile: drain,
    runNow: {
      outbox: async () => {
        await drain();
        return 'outbox drained';
      },
    },
    async close() {
      stopped = true;
      clearInterval(timer);
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
  };
};
