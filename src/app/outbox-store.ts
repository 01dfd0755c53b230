// The outbox table as its dispatcher uses it: leasing due rows, renewing or giving back the leases it holds, and
// recording what became of each (done, given up, retried later), and pruning what was handled long ago. Rows are
// leased with FOR UPDATE SKIP LOCKED, so several instances can run it.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { OUTBOX_GAVE_UP_PREFIX } from '../db/schema/index.js';

export interface ClaimedRow {
  id: number;
  case_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

/**
 * Claims up to `batch` due rows by leasing them (available_at moves `leaseSeconds` ahead) in one short statement;
 * a crash mid-batch only delays those rows until the lease ends. In id order.
 */
export async function leaseOutboxRows(db: Db, batch: number, leaseSeconds: number): Promise<ClaimedRow[]> {
  return rowsOf<ClaimedRow>(await db.execute(leaseStatement(batch, leaseSeconds))).sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * leaseOutboxRows' statement (a test checks its plan): it walks the rows not done in id order and stops at the
 * `batch`-th due one, however many are due behind it (a burst's backlog, or every row held while Telegram was down).
 * The limit is written into the text, so the plan PostgreSQL caches knows it: with a parameter there, the generic plan
 * expects many rows and joins them back to the table by reading all of it.
 */
export function leaseStatement(batch: number, leaseSeconds: number): SQL {
  return sql`
        update outbox set available_at = now() + interval '${sql.raw(String(Math.trunc(leaseSeconds)))} seconds'
        where id in (select id from outbox where done_at is null and available_at <= now()
                     order by id limit ${sql.raw(String(Math.trunc(batch)))} for update skip locked)
        returning id, case_id, kind, payload, attempts, created_at`;
}

/** A kind whose module is not running here: left for a process that has it. */
export async function leaveOutboxRowToOthers(db: Db, id: number): Promise<void> {
  await db.execute(sql`update outbox set available_at = now() + interval '30 seconds' where id = ${id}`);
}

export async function outboxRowsDone(db: Db, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`update outbox set done_at = now(), attempts = attempts + 1
      where id = any(${`{${ids.map((id) => Math.trunc(id)).join(',')}}`}::bigint[])`);
}

/** Done without reaching anyone: the recipient cannot be reached. */
export async function outboxRowUnreachable(db: Db, id: number, attempts: number, message: string): Promise<void> {
  await db.execute(sql`update outbox set done_at = now(), attempts = ${attempts}, last_error = ${message} where id = ${id}`);
}

/** Tried again after `delayMs`, without counting an attempt (the handler asked to wait). */
export async function outboxRowLater(db: Db, id: number, delayMs: number): Promise<void> {
  await db.execute(sql`update outbox set available_at = now() + ${`${delayMs} milliseconds`}::interval where id = ${id}`);
}

/** Given up: done with `lastError` (which /rekap terlambat shows BKPP). */
export async function outboxRowGivenUp(db: Db, id: number, attempts: number, lastError: string): Promise<void> {
  await db.execute(sql`update outbox set attempts = ${attempts}, last_error = ${lastError}, done_at = now() where id = ${id}`);
}

/** A failed attempt, retried after `wait` (a Postgres interval such as '2000 milliseconds'). */
export async function outboxRowRetry(db: Db, id: number, attempts: number, message: string, wait: string): Promise<void> {
  await db.execute(sql`update outbox set attempts = ${attempts}, last_error = ${message},
          available_at = now() + ${wait}::interval where id = ${id}`);
}

/** Telegram is down for everyone: the due rows after `id` wait as long, so they resume in order. */
export async function holdOutboxRowsAfter(db: Db, id: number, wait: string): Promise<void> {
  await db.execute(sql`update outbox set available_at = now() + ${wait}::interval
            where done_at is null and id > ${id} and available_at < now() + ${wait}::interval`);
}

/**
 * Rows the dispatcher holds become available again after `wait`: rows it did not try while Telegram is down resume
 * with the rest, not after their lease; the lease of rows still waiting is renewed (`wait` = the lease's length);
 * rows not started when the process stops are given back at once ('0 seconds').
 */
export async function holdOutboxRows(db: Db, ids: number[], wait: string): Promise<void> {
  await db.execute(sql`update outbox set available_at = now() + ${wait}::interval
        where done_at is null and id in ${sql`(${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`}`);
}

/**
 * Deletes handled rows done before `cutoff`, `batch` rows of the table at a time in id order, and returns how many
 * went. It keeps what is still read:
 * - rows given up (the report of undelivered notifications, /rekap terlambat, counts them all);
 * - 'start_sla' rows of a case that is still open or still has a row to handle: cancelling a step's timers reads
 *   the versions the step was started with from them (slaTimersOfStep).
 *
 * Each batch is one statement over the next `batch` rows by primary key; the pass stops at the first window that
 * ends in a row created after `cutoff` (ids grow with time, so the rest is younger), so a run reads the old rows and
 * the few kept among them, not the whole table. Several job processes may run it at once: a row deleted by one is
 * skipped by the other.
 */
export async function pruneHandledOutboxRows(db: Db, cutoff: Date, batch = 5_000): Promise<number> {
  let after = 0;
  let deleted = 0;
  for (;;) {
    const [window] = rowsOf<{ last_id: string | number | null; last_created: Date | string | null; seen: number; gone: number }>(
      await db.execute(sql`
        with win as (select id, created_at from outbox where id > ${after} order by id limit ${batch}),
        gone as (
          delete from outbox o using win
          where o.id = win.id and o.done_at < ${cutoff.toISOString()}::timestamptz
            and (o.last_error is null or o.last_error not like ${sql.raw(`'${OUTBOX_GAVE_UP_PREFIX}%'`)})
            and not (o.kind = 'start_sla' and (
              exists (select 1 from cases c where c.id = o.case_id and c.status in ('active', 'returned'))
              or exists (select 1 from outbox p where p.case_id = o.case_id and p.done_at is null)))
          returning o.id)
        select (select id from win order by id desc limit 1) as last_id,
               (select created_at from win order by id desc limit 1) as last_created,
               (select count(*)::int from win) as seen,
               (select count(*)::int from gone) as gone`),
    );
    deleted += window?.gone ?? 0;
    if (!window || window.last_id === null || window.seen < batch) return deleted;
    if (window.last_created !== null && new Date(window.last_created) >= cutoff) return deleted;
    after = Number(window.last_id);
  }
}
