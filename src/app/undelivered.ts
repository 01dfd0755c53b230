// Notifications the outbox finally gave up on (Telegram refused them for longer than the retry window), for BKPP.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowsOf } from '../db/client.js';

/** last_error of an outbox row given up; the dispatcher writes it, this report reads it. */
export const GAVE_UP_PREFIX = 'gave up: ';

export interface UndeliveredNotification {
  /** When the outbox stopped trying. */
  at: Date;
  recipientNama: string | null;
  subjectNama: string | null;
}

/** How many notifications were given up, and the latest few with whom they were meant for and whose case. */
export async function undeliveredNotifications(db: Db, limit = 5): Promise<{ total: number; latest: UndeliveredNotification[] }> {
  const rows = rowsOf<{ at: string | Date; recipient_nama: string | null; subject_nama: string | null; total: number }>(
    await db.execute(sql`
      select o.done_at as at, r.nama as recipient_nama, s.nama as subject_nama, count(*) over ()::int as total
      from outbox o
      left join employees r on r.id::text = o.payload->>'to'
      left join cases c on c.id = o.case_id
      left join employees s on s.id = c.subject_id
      where o.last_error like ${`${GAVE_UP_PREFIX}%`}
      order by o.done_at desc, o.id desc
      limit ${limit}`),
  );
  return {
    total: rows[0]?.total ?? 0,
    latest: rows.map((r) => ({ at: new Date(r.at), recipientNama: r.recipient_nama, subjectNama: r.subject_nama })),
  };
}
