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
  outboxRowsDone,
  pruneHandledOutboxRows,
  outboxRowGivenUp,
  outboxRowLater,
  outboxRowRetry,
  outboxRowUnreachable,
  type ClaimedRow,
} from '../src/app/outbox-store.js';
import { groupCommit } from '../src/app/group-commit.js';
import { runSummaries } from '../src/chat/texts/operations.js';
import type { JobModuleFactory, OutboxRow } from './index.js';

const POLL_MS = 250;
/** A row Telegram keeps refusing (an outage) is retried for this long before it is given up (OUTBOX_GIVE_UP_HOURS). */
const DEFAULT_GIVE_UP_HOURS = 24;
const LEASE_SECONDS = 120;
/**
 * Rows held in this process at once: leased and waiting for their case or their recipient, or being handled. More
 * are leased as rows finish, not after a whole batch. A chat takes a burst of 4 and then about one message a
 * second, so a chat with 10 requests due holds its rows for about 20 row-seconds for 10 messages; 200 rows then
 * keep enough chats busy for some 60 messages a second, over the 25 a second the global schedule allows, and still
 * about 20 a second when each chat has 20 requests. Memory and the lease renewal below are small at this size.
 */
const IN_FLIGHT = 200;
/**
 * Rows handled at once (the rest of the held rows wait for a turn, in the order they became ready). 25 chats at
 * about one message a second fill the global schedule's 25 a second; twice that leaves room for rows that wait on
 * the database or send twice, and keeps what close() waits for to a couple of seconds of sends (the job system gives
 * a module 10 s to close).
 */
const ROWS_AT_ONCE = 50;
/** Leasing waits until this much room is free, so rows finishing one by one do not cost a statement each. */
const LEASE_AT_LEAST = 20;
/**
 * Held rows have their lease renewed this often (to LEASE_SECONDS from then), well before it ends: a row may wait
 * behind its recipient's pace for longer than a lease (200 rows for one chat take 200 s), and a second process must
 * not take it meanwhile. A process that dies stops renewing, and its rows come back when the lease ends.
 */
const RENEW_MS = 30_000;
/**
 * While the bot of this process handles many updates at once (a burst of taps), a row waits up to this long before
 * it is handled: nobody is watching a notification or an SLA timer start to the second, and the taps go faster.
 */
const FOREGROUND_WAIT_MS = 3_000;

/** Handled rows are kept this long (OUTBOX_RETENTION_DAYS), then deleted; the pass runs this often. */
const DEFAULT_RETENTION_DAYS = 30;
const PRUNE_EVERY_MS = 3600_000;

/** The employee a notify row is for: their rows go out one after another (the chat's pace orders them anyway). */
function recipientOf(r: ClaimedRow): string | null {
  return r.kind === 'notify' && typeof r.payload.to === 'string' ? r.payload.to : null;
}

export const outboxModule: JobModuleFactory = (deps) => {
  const log = deps.logger.child({ module: 'outbox' });
  const giveUpMs = (deps.config.env.OUTBOX_GIVE_UP_HOURS ?? DEFAULT_GIVE_UP_HOURS) * 3600_000;
  const baseMs = deps.config.env.OUTGOING_RETRY_BASE_MS ?? 2_000;
  const capMs = deps.config.env.OUTGOING_RETRY_MAX_MS ?? 600_000;
  /** Capped exponential backoff: an outage of hours costs a try every few minutes, not a lost notification. */
  const backoffMs = (attempts: number) => Math.min(baseMs * 2 ** Math.max(0, attempts - 1), capMs);
  const notifier = createCaseNotifier(deps);
  /**
   * Rows handled without trouble are marked done together: under a burst (each approval leaves three or four rows)
   * one statement carries every row finished while the one before it ran, instead of a round trip each.
   */
  const doneMarks = groupCommit<number>((ids) => outboxRowsDone(deps.db, ids));
  deps.outboxHandlers.set('notify', (row) => notifier.handle(row.payload, row.caseId, new Date(row.createdAt)));
  // Completion needs no work of its own (the notify rows tell the people); other modules may replace this.
  if (!deps.outboxHandlers.has('case_completed')) deps.outboxHandlers.set('case_completed', async () => {});

  let stopped = false;
  /** Whether the dispatcher runs, and its promise (drain() callers wait for it). */
  let pumpRunning = false;
  let pumping: Promise<void> = Promise.resolve();
  /** Someone asked for the due rows (the poll, runNow, reconcile), or the last lease was full: lease again. */
  let wanted = false;
  /** Set when Telegram is down for everyone (the wait): no row starts and nothing is leased until those running end. */
  let halted: string | undefined;
  /** Rows leased and not finished yet. */
  const held = new Set<number>();
  /** Held rows whose lease is renewed: all but those whose outcome is being written. */
  const leased = new Set<number>();
  /** Held rows skipped (halted or stopping) that were never tried: held back or given back once nothing runs. */
  const untried: number[] = [];
  /** The last row queued of each case and each recipient: the next one starts after it, across leases. */
  const tails = new Map<string, Promise<void>>();
  let renewing: Promise<void> | undefined;
  /** Rows being handled, and the ready ones waiting for a turn. */
  let handling = 0;
  const turns: Array<() => void> = [];
  let wakeUp: (() => void) | undefined;
  /** Wakes the dispatcher when a row finishes, someone asks for rows, or the process stops. */
  const wake = () => {
    const resolve = wakeUp;
    wakeUp = undefined;
    resolve?.();
  };

  /**
   * A row's own outcome (or its hold) is about to be written: it leaves the renewal, and a renewal already under way
   * (which may have taken it) ends first, so it cannot move the row's available_at back to a lease afterwards.
   */
  async function settling(ids: number[]): Promise<void> {
    for (const id of ids) leased.delete(id);
    if (renewing) await renewing;
  }

  function renewLeases(): void {
    if (renewing || leased.size === 0) return;
    const ids = [...leased];
    renewing = holdOutboxRows(deps.db, ids, `${LEASE_SECONDS} seconds`)
      .catch((error: unknown) => log.warn({ err: error, rows: ids.length }, 'renewing outbox leases failed; they end on their own'))
      .finally(() => {
        renewing = undefined;
      });
  }

  /** Handles one claimed row; `halt` (with the wait) when Telegram is down for everyone: the rows not started wait too. */
  async function handleRow(r: ClaimedRow): Promise<'done' | { halt: string }> {
    const row: OutboxRow = { id: Number(r.id), caseId: r.case_id, kind: r.kind, payload: r.payload, attempts: r.attempts, createdAt: r.created_at };
    const handler = deps.outboxHandlers.get(row.kind);
    if (!handler) {
      // A kind whose module is not running here: leave it for a process that has it.
      await settling([row.id]);
      await leaveOutboxRowToOthers(deps.db, row.id);
      return 'done';
    }
    try {
      await handler(row);
      await settling([row.id]);
      await doneMarks.add(row.id);
    } catch (error) {
      await settling([row.id]);
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
          // Telegram is down for everyone: the other due rows wait as long, so they resume in order, and the held
          // rows not started yet are not tried (each would only wait out its patience).
          await holdOutboxRowsAfter(deps.db, row.id, wait);
          return { halt: wait };
        }
      }
    }
    return 'done';
  }

  async function turn(): Promise<void> {
    if (handling < ROWS_AT_ONCE) handling++;
    else await new Promise<void>((resolve) => turns.push(resolve));
  }
  /** The turn passes to the next ready row, if one waits. */
  function endTurn(): void {
    const next = turns.shift();
    if (next) next();
    else handling--;
  }

  /** Runs one held row once the rows before it of its case and of its recipient have finished, on its turn. */
  async function run(r: ClaimedRow): Promise<void> {
    const id = Number(r.id);
    await turn();
    try {
      if (!stopped && !halted) await deps.foreground?.quiet(FOREGROUND_WAIT_MS);
      if (stopped || halted) {
        untried.push(id);
        return;
      }
      const outcome = await handleRow(r);
      if (outcome !== 'done') halted ??= outcome.halt;
    } catch (error) {
      // Its outcome could not be written (the database): no longer renewed, it comes back when its lease ends.
      leased.delete(id);
      log.error({ err: error, outboxId: id }, 'outbox row failed; it is tried again after its lease');
    } finally {
      endTurn();
      held.delete(id);
      wake();
    }
  }

  /**
   * Queues a leased row behind the last held row of its case (rows without a case share one queue), so a case's
   * rows run one after another in id order even when they came in different leases, and behind the last of its
   * recipient's, so a chat has one row under way at a time: the rest of that chat's rows are not yet in the
   * outgoing path, and can still be held back when Telegram is down or given back when the process stops.
   * Everything else runs side by side; the outgoing path paces each chat and the whole bot.
   */
  function enqueue(r: ClaimedRow): void {
    const id = Number(r.id);
    held.add(id);
    leased.add(id);
    const to = recipientOf(r);
    const keys = to === null ? [`case:${r.case_id ?? ''}`] : [`case:${r.case_id ?? ''}`, `to:${to}`];
    const before = keys.map((k) => tails.get(k)).filter((p) => p !== undefined);
    const done = Promise.all(before).then(() => run(r));
    for (const k of keys) tails.set(k, done);
    void done.then(() => {
      for (const k of keys) if (tails.get(k) === done) tails.delete(k);
    });
  }

  /**
   * The dispatcher: leases due rows (available_at moves 2 minutes ahead, in a short statement) while fewer than
   * IN_FLIGHT are held, and handles each outside any transaction: a crash only delays the rows it held until their
   * lease ends. (Handlers must not run inside a transaction: the embedded PGlite has a single connection.) It ends
   * when nothing is held and the last lease found no more due rows.
   */
  async function pump(): Promise<void> {
    const renewal = setInterval(renewLeases, RENEW_MS);
    renewal.unref();
    try {
      for (;;) {
        if (held.size === 0 && untried.length > 0) {
          // Nothing runs any more: the rows skipped resume with the rest when Telegram is down (not after their
          // lease), or go back at once to whichever process takes them next when this one stops.
          const ids = untried.splice(0);
          await settling(ids);
          await holdOutboxRows(deps.db, ids, halted ?? '0 seconds').catch((error: unknown) =>
            log.warn({ err: error, rows: ids.length }, 'outbox rows not tried stay leased until their lease ends'),
          );
        }
        if (held.size === 0) halted = undefined;
        const room = IN_FLIGHT - held.size;
        if (!stopped && !halted && wanted && room >= Math.min(LEASE_AT_LEAST, IN_FLIGHT)) {
          wanted = false;
          try {
            // In steps of LEASE_AT_LEAST: the size is written into the lease's text, so each connection prepares
            // ten statements, not one for every size the room can have.
            const size = room >= LEASE_AT_LEAST ? room - (room % LEASE_AT_LEAST) : room;
            const rows = await leaseOutboxRows(deps.db, size, LEASE_SECONDS);
            for (const r of rows) enqueue(r);
            // A full lease: more may be due, leased as soon as there is room. (A drain() during the lease has
            // already asked again: wanted is not cleared here.)
            if (rows.length === size) wanted = true;
          } catch (error) {
            // Asked again by the next poll; the rows held meanwhile carry on.
            log.error({ err: error }, 'leasing outbox rows failed');
          }
          continue;
        }
        if (held.size === 0 && (stopped || !wanted)) return;
        await new Promise<void>((resolve) => {
          wakeUp = resolve;
        });
      }
    } catch (error) {
      log.error({ err: error }, 'outbox drain failed');
    } finally {
      // At once when it decides to end (before any await): a drain() from now on starts it again.
      pumpRunning = false;
      clearInterval(renewal);
      if (renewing) await renewing;
    }
  }

  /** Asks for the due rows to be handled; resolves when the dispatcher has nothing left (started now or running). */
  function drain(): Promise<void> {
    if (stopped) return pumping;
    wanted = true;
    wake();
    if (!pumpRunning) {
      pumpRunning = true;
      pumping = pump();
    }
    return pumping;
  }

  // Only job processes poll; a bot-only process leaves the rows to them.
  const timer = deps.runWorkers === false ? undefined : setInterval(() => void drain(), POLL_MS);
  timer?.unref();

  // Every transition leaves three or four rows: without pruning, the table grows by a row per notification for ever.
  const retentionDays = deps.config.env.OUTBOX_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS;
  const retentionMs = retentionDays * 86_400_000;
  let pruning: Promise<number> | null = null;
  const prune = () =>
    (pruning ??= pruneHandledOutboxRows(deps.db, new Date(deps.now().getTime() - retentionMs))
      .then((deleted) => {
        if (deleted > 0) log.info({ deleted }, 'handled outbox rows pruned');
        return deleted;
      })
      .finally(() => {
        pruning = null;
      }));
  const pruneTimer =
    deps.runWorkers === false ? undefined : setInterval(() => void prune().catch((error) => log.warn({ err: error }, 'pruning the outbox failed')), PRUNE_EVERY_MS);
  pruneTimer?.unref();

  return {
    name: 'outbox',
    // Reconciling does not wait for a dispatcher already running (a backlog of hours would hold back the modules
    // reconciled after this one, such as the SLA timers after a Redis loss); it only asks it for the due rows.
    reconcile: async () => {
      const running = pumpRunning;
      const drained = drain();
      if (!running) await drained;
    },
    runNow: {
      outbox: async () => {
        await drain();
        return runSummaries.outboxDrained;
      },
      'outbox-prune': async () => runSummaries.outboxPruned(await prune(), retentionDays),
    },
    async close() {
      stopped = true;
      clearInterval(timer);
      clearInterval(pruneTimer);
      await pruning?.catch(() => {});
      wake();
      // Rows under way finish; the others are given back.
      await pumping;
    },
  };
};
