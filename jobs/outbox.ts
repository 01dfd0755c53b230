// The outbox dispatcher: carries out effects committed with their transitions (notifications, SLA timers...).
// Rows are leased with FOR UPDATE SKIP LOCKED, so several instances can run it; a crash re-delivers (at least once).
import { createCaseNotifier, RetryLater, TelegramUnreachable } from '../src/chat/notifier.js';
import { classifyTelegramError } from '../src/chat/telegram-errors.js';
// last_error of a row given up: /rekap terlambat shows BKPP these notifications that never reached anyone.
import { GAVE_UP_PREFIX } from '../src/app/undelivered.js';
import {
  holdOutboxRows,
  holdOutboxRowsAfter,
  leaseOutboxRows,
  leaveOutboxRowToOthers,
  outboxRowDone,
  outboxRowGivenUp,
  outboxRowLater,
  outboxRowRetry,
  outboxRowUnreachable,
  type ClaimedRow,
} from '../src/app/outbox-store.js';
export { GAVE_UP_PREFIX };
import type { JobModuleFactory, OutboxRow } from './index.js';

const POLL_MS = 250;
const BATCH = 50;
/** A row Telegram keeps refusing (an outage) is retried for this long before it is given up (OUTBOX_GIVE_UP_HOURS). */
const DEFAULT_GIVE_UP_HOURS = 24;
const LEASE_SECONDS = 120;
/**
 * Cases whose rows are handled side by side. A morning's 2,000 approval requests go to 2,000 chats: one at a time
 * they wait on each other's round trips, side by side only on Telegram's limits (the outgoing path paces them).
 * A case's own rows stay in order.
 */
const CASES_AT_ONCE = 8;

export const outboxModule: JobModuleFactory = (deps) => {
  const log = deps.logger.child({ module: 'outbox' });
  const giveUpMs = (deps.config.env.OUTBOX_GIVE_UP_HOURS ?? DEFAULT_GIVE_UP_HOURS) * 3600_000;
  const baseMs = deps.config.env.OUTGOING_RETRY_BASE_MS ?? 2_000;
  const capMs = deps.config.env.OUTGOING_RETRY_MAX_MS ?? 600_000;
  /** Capped exponential backoff: an outage of hours costs a try every few minutes, not a lost notification. */
  const backoffMs = (attempts: number) => Math.min(baseMs * 2 ** Math.max(0, attempts - 1), capMs);
  const notifier = createCaseNotifier(deps);
  deps.outboxHandlers.set('notify', (row) => notifier.handle(row.payload, row.caseId));
  // Completion needs no work of its own (the notify rows tell the people); other modules may replace this.
  if (!deps.outboxHandlers.has('case_completed')) deps.outboxHandlers.set('case_completed', async () => {});

  let running = false;
  let stopped = false;
  let again = false;

  /** Handles one claimed row; `halt` (with the wait) when Telegram is down for everyone: the rest of the batch waits too. */
  async function handleRow(r: ClaimedRow): Promise<'done' | { halt: string }> {
    const row: OutboxRow = { id: Number(r.id), caseId: r.case_id, kind: r.kind, payload: r.payload, attempts: r.attempts, createdAt: r.created_at };
    const handler = deps.outboxHandlers.get(row.kind);
    if (!handler) {
      // A kind whose module is not running here: leave it for a process that has it.
      await leaveOutboxRowToOthers(deps.db, row.id);
      return 'done';
    }
    try {
      await handler(row);
      await outboxRowDone(deps.db, row.id);
    } catch (error) {
      const attempts = row.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      const failure = classifyTelegramError(error);
      if (error instanceof TelegramUnreachable) {
        await outboxRowUnreachable(deps.db, row.id, attempts, message);
      } else if (error instanceof RetryLater) {
        await outboxRowLater(deps.db, row.id, error.delayMs);
      } else if (Date.now() - new Date(row.createdAt).getTime() >= giveUpMs || failure.kind === 'bad_request') {
        // Visible: in the log, and to BKPP admins in /rekap (outbox rows done with an error).
        log.error({ err: error, outboxId: row.id, kind: row.kind, caseId: row.caseId, attempts }, 'outbox row given up: Telegram did not take it');
        await outboxRowGivenUp(deps.db, row.id, attempts, `${GAVE_UP_PREFIX}${message}`);
      } else {
        const wait = `${backoffMs(attempts)} milliseconds`;
        log.warn({ err: error, outboxId: row.id, kind: row.kind, attempts }, 'outbox handler failed; will retry');
        await outboxRowRetry(deps.db, row.id, attempts, message, wait);
        if (failure.kind === 'transient') {
          // Telegram is down for everyone: the other due rows wait as long, so they resume in order, and the rest
          // of this batch is not tried (each would only wait out its patience).
          await holdOutboxRowsAfter(deps.db, row.id, wait);
          return { halt: wait };
        }
      }
    }
    return 'done';
  }

  /**
   * Claims a batch by leasing it (available_at moves 2 minutes ahead) in a short statement, then handles each row
   * outside any transaction: a crash mid-batch only delays those rows until the lease ends. (Handlers must not run
   * inside a transaction: the embedded PGlite has a single connection.)
   */
  async function drainOnce(): Promise<number> {
    const rows = await leaseOutboxRows(deps.db, BATCH, LEASE_SECONDS);
    // One lane per case (rows without a case share one), in id order within it; lanes run side by side.
    const lanes = new Map<string, ClaimedRow[]>();
    for (const r of rows) {
      const lane = lanes.get(r.case_id ?? '');
      if (lane) lane.push(r);
      else lanes.set(r.case_id ?? '', [r]);
    }
    const queue = [...lanes.values()];
    /** Set when Telegram is down for everyone: no lane starts another row. */
    let halted: string | undefined;
    const untried = new Set(rows.map((r) => Number(r.id)));
    const runLane = async (): Promise<void> => {
      for (let lane = queue.shift(); lane; lane = queue.shift()) {
        for (const r of lane) {
          if (stopped || halted) return;
          untried.delete(Number(r.id));
          const outcome = await handleRow(r);
          if (outcome !== 'done') halted = outcome.halt;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CASES_AT_ONCE, queue.length) }, runLane));
    if (halted && untried.size > 0) {
      // Rows of this batch that no lane reached (other cases, lower ids) resume with the rest, not after the lease.
      await holdOutboxRows(deps.db, [...untried], halted);
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
