// Notifications the outbox finally gave up on (Telegram refused them for longer than the retry window), for BKPP.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { OUTBOX_GAVE_UP_PREFIX } from '../db/schema/index.js';

/** last_error of an outbox row given up starts with it; the dispatcher writes it, this report reads it. */
export const GAVE_UP_PREFIX = OUTBOX_GAVE_UP_PREFIX;

export interface UndeliveredNotification {
  /** When the outbox stopped trying. */
  at: Date;
  recipientNama: string | null;
  subjectNama: string | null;
}

/**
 * The given-up rows, newest first, with the names of whom they were for and whose case, and how many there are in all.
 * Exported for the test of its plan: it reads the partial index of given-up rows (the literal prefix is what lets
 * PostgreSQL match the index's predicate) and each name by primary key, however many rows the outbox keeps.
 */
export const undeliveredQuery = (limit: number) => sql`
      select o.done_at as at, r.nama as recipient_nama, s.nama as subject_nama, count(*) over ()::int as total
      from outbox o
      left join employees r
        on r.id = case when o.payload->>'to' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (o.payload->>'to')::uuid end
      left join cases c on c.id = o.case_id
      left join employees s on s.id = c.subject_id
      where o.last_error like ${sql.raw(`'${GAVE_UP_PREFIX}%'`)}
      order by o.done_at desc nulls last, o.id desc nulls last
      limit ${limit}`;

/** How many notifications were given up, and the latest few with whom they were meant for and whose case. */
export async function undeliveredNotifications(db: Db, limit = 5): Promise<{ total: number; latest: UndeliveredNotification[] }> {
  const rows = rowsOf<{ at: string | Date; recipient_nama: string | null; subject_nama: string | null; total: number }>(
    await db.execute(undeliveredQuery(limit)),
  );
  return {
    total: rows[0]?.total ?? 0,
    latest: rows.map((r) => ({ at: new Date(r.at), recipientNama: r.recipient_nama, subjectNama: r.subject_nama })),
  };
}
