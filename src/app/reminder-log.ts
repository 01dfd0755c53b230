// The claims behind "each reminder is sent once": a reminder_log row per (kind, run key, employee), written just
// before sending and removed again when nothing was sent, and deleted when too old to matter; and which of a day's
// reminder runs queued anything.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { employees, reminderLog } from '../db/schema/index.js';

export interface ReminderClaim {
  kind: string;
  runKey: string;
  employeeId: string;
  caseId?: string | null;
}

/** Where a reminder to this employee would go, if anywhere. */
export async function reminderRecipient(db: Db, employeeId: string): Promise<{ chatId: number | null; active: boolean; unreachableAt: Date | null } | undefined> {
  const [employee] = await db
    .select({ chatId: employees.telegramChatId, active: employees.active, unreachableAt: employees.unreachableAt })
    .from(employees)
    .where(eq(employees.id, employeeId));
  return employee;
}

/** Claims the send; false when it was claimed (sent) already. */
export async function claimReminder(db: Db, claim: ReminderClaim, now: Date): Promise<boolean> {
  const claimed = rowsOf<{ kind: string }>(
    await db.execute(sql`insert into reminder_log (kind, run_key, employee_id, case_id, sent_at)
      values (${claim.kind}, ${claim.runKey}, ${claim.employeeId}, ${claim.caseId ?? null}, ${now.toISOString()}::timestamptz)
      on conflict do nothing returning kind`),
  );
  return claimed.length > 0;
}

/** When the latest other claim of this kind for the employee was made (another run key), if any. */
export async function previousClaimAt(db: Db, kind: string, employeeId: string, exceptRunKey: string): Promise<Date | null> {
  const [row] = rowsOf<{ at: Date | string | null }>(
    await db.execute(sql`select max(sent_at) as at from reminder_log
      where kind = ${kind} and employee_id = ${employeeId} and run_key <> ${exceptRunKey}`),
  );
  return row?.at ? new Date(row.at) : null;
}

/** Nothing was sent: the claim goes, so the reminder can be sent again. */
export async function releaseReminder(db: Db, claim: ReminderClaim): Promise<void> {
  await db
    .delete(reminderLog)
    .where(and(eq(reminderLog.kind, claim.kind), eq(reminderLog.runKey, claim.runKey), eq(reminderLog.employeeId, claim.employeeId)));
}

/**
 * Deletes the claims sent before `cutoff`. A claim only stops the same reminder from going out twice, and every run
 * key names its period, case version or day, so an old claim guards nothing: a monthly run only ever looks at this
 * month's key, SLA messages are re-sent only within days of their firing. Without this the table would grow by a row
 * per reminder for ever, a few million a month at a province's size. One statement, run once a day: no index on
 * sent_at slows the inserts of the fan-out, and the rows it locks are ones nobody else touches.
 */
export async function pruneReminderLog(db: Db, cutoff: Date): Promise<number> {
  const [gone] = rowsOf<{ n: number }>(
    await db.execute(sql`with gone as (delete from reminder_log where sent_at < ${cutoff.toISOString()}::timestamptz returning 1)
      select count(*)::int as n from gone`),
  );
  return gone?.n ?? 0;
}

/** Blocked or never started: no reminder tries them again. */
export async function markReminderRecipientUnreachable(db: Db, employeeId: string, now: Date): Promise<void> {
  await db.update(employees).set({ unreachableAt: now }).where(eq(employees.id, employeeId));
}

/** The runs of these reminder jobs on `date` that queued something, in the order they started. */
export async function reminderRunsThatQueued(db: Db, jobNames: readonly string[], date: string): Promise<Array<{ name: string; period: string }>> {
  return rowsOf<{ name: string; period: string }>(
    await db.execute(sql`select name, result->>'period' as period from job_runs
        where name in (${sql.join(jobNames.map((j) => sql`${j}`), sql`, `)})
          and result->>'date' = ${date} and coalesce((result->>'queuedTotal')::int, 0) > 0
        order by started_at`),
  );
}
