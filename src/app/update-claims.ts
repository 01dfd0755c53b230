// Each Telegram update is handled once across processes: a process claims it with a lease, and finishing ends the
// lease. An update whose lease ran out (its process died) can be claimed again.
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { runPrepared } from '../db/prepared.js';
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

/** Ends the lease: the update is handled (also when its handler failed: the user was told). Runs once per update. */
export async function finishUpdate(db: Db, updateId: number): Promise<void> {
  await runPrepared(
    db,
    'finishUpdate',
    (db) => db.update(processedUpdates).set({ leaseUntil: null }).where(eq(processedUpdates.updateId, sql.placeholder('updateId'))),
    { updateId },
  );
}

/** True while a process holds the update's lease. */
export async function isUpdateLeased(db: Db, updateId: number): Promise<boolean> {
  const leased = await db
    .select({ id: processedUpdates.updateId })
    .from(processedUpdates)
    .where(and(inArray(processedUpdates.updateId, [updateId]), isNotNull(processedUpdates.leaseUntil)));
  return leased.length > 0;
}
