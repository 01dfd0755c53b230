// Each Telegram update is handled once across processes: a process claims it with a lease, and finishing ends the
// lease. An update whose lease ran out (its process died) can be claimed again.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { processedUpdates } from '../db/schema/index.js';

/** Claims these update ids in one statement and returns the ids this call claimed. */
export async function claimUpdateIds(db: Db, updateIds: number[], leaseSeconds: number): Promise<Set<number>> {
  if (updateIds.length === 0) return new Set();
  const leaseUntil = sql`now() + ${`${leaseSeconds} seconds`}::interval`;
  const inserted = await db
    .insert(processedUpdates)
    .values(updateIds.map((updateId) => ({ updateId, leaseUntil })))
    .onConflictDoUpdate({
      target: processedUpdates.updateId,
      set: { leaseUntil: sql`excluded.lease_until`, processedAt: sql`now()` },
      setWhere: sql`${processedUpdates.leaseUntil} < now()`,
    })
    .returning({ id: processedUpdates.updateId });
  return new Set(inserted.map((r) => Number(r.id)));
}

/**
 * Ends the leases: the updates are handled (also when a handler failed: the user was told). One statement for all
 * of them: under a burst the dedupe middleware hands over every update finished while the last statement ran.
 */
export async function finishUpdates(db: Db, updateIds: number[]): Promise<void> {
  if (updateIds.length === 0) return;
  const ids = `{${updateIds.map((id) => Math.trunc(id)).join(',')}}`;
  await db.execute(sql`update processed_updates set lease_until = null where update_id = any(${ids}::bigint[])`);
}

/** True while a process holds the update's lease. */
export async function isUpdateLeased(db: Db, updateId: number): Promise<boolean> {
  const leased = await db
    .select({ id: processedUpdates.updateId })
    .from(processedUpdates)
    .where(and(eq(processedUpdates.updateId, updateId), isNotNull(processedUpdates.leaseUntil)));
  return leased.length > 0;
}
