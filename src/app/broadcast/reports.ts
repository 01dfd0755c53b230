// The final report of a broadcast: who was reached, who blocked the bot, who acknowledged.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import { broadcastDeliveries, employees } from '../../db/schema/index.js';
import { getBroadcast } from './drafts.js';
import type { BroadcastRow, DeliveryStatus } from './drafts.js';

export interface BroadcastReport {
  id: string;
  status: BroadcastRow['status'];
  total: number;
  queued: number;
  sent: number;
  acknowledged: number;
  blocked: number;
  failed: number;
  cancelled: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  progressChatId: number | null;
  progressMessageId: number | null;
  blockedNames: string[];
  failedNames: string[];
  /** Audience members the preview already excluded (not sent to): not linked, or blocked the bot earlier. */
  excludedNotLinked: number;
  excludedUnreachable: number;
}

const NAMES_IN_REPORT = 15;

export async function broadcastReport(db: DbOrTx, broadcastId: string): Promise<BroadcastReport | null> {
  const broadcast = await getBroadcast(db, broadcastId);
  if (!broadcast) return null;
  const counts = rowsOf<{ status: DeliveryStatus; n: number }>(
    await db.execute(sql`select status, count(*)::int as n from broadcast_deliveries where broadcast_id = ${broadcastId}::uuid group by status`),
  );
  const by = (s: DeliveryStatus) => counts.find((c) => c.status === s)?.n ?? 0;
  const namesWith = async (status: DeliveryStatus) =>
    broadcast.status === 'sending'
      ? []
      : (
          await db
            .select({ nama: employees.nama })
            .from(broadcastDeliveries)
            .innerJoin(employees, eq(employees.id, broadcastDeliveries.employeeId))
            .where(and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.status, status)))
            .orderBy(employees.nama)
            .limit(NAMES_IN_REPORT + 1)
        ).map((r) => r.nama);
  return {
    id: broadcast.id,
    status: broadcast.status,
    total: counts.reduce((sum, c) => sum + c.n, 0),
    queued: by('queued'),
    // An acknowledged message was sent, too.
    sent: by('sent') + by('acknowledged'),
    acknowledged: by('acknowledged'),
    blocked: by('blocked'),
    failed: by('failed'),
    cancelled: by('cancelled'),
    startedAt: broadcast.startedAt,
    finishedAt: broadcast.finishedAt,
    progressChatId: broadcast.progressChatId,
    progressMessageId: broadcast.progressMessageId,
    blockedNames: await namesWith('blocked'),
    failedNames: await namesWith('failed'),
    excludedNotLinked: broadcast.excludedNotLinked,
    excludedUnreachable: broadcast.excludedUnreachable,
  };
}
