// Acknowledgment ("✅ Siap, dimengerti") of a delivered announcement.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import { broadcastDeliveries } from '../../db/schema/index.js';
import { getBroadcast } from './drafts.js';

export type AckResult = 'acknowledged' | 'already' | 'preview' | 'unknown';

/** The acknowledging update: by broadcast and chat, one index lookup whatever the broadcast's size (a test checks it). */
export function acknowledgeStatement(input: { broadcastId: string; chatId: number; messageId: number; now: Date }): SQL {
  return sql`update broadcast_deliveries set status = 'acknowledged', acknowledged_at = ${input.now.toISOString()}::timestamptz
      where broadcast_id = ${input.broadcastId}::uuid and chat_id = ${input.chatId} and status <> 'acknowledged'
        and (message_id = ${input.messageId} or (message_id is null and status in ('queued', 'failed', 'blocked')))
      returning employee_id`;
}

export async function acknowledgeDelivery(
  db: DbOrTx,
  input: { broadcastId: string; chatId: number; messageId: number; now: Date },
): Promise<AckResult> {
  // The tapped message must be the delivered one (or one whose send was not yet recorded): a sender tapping
  // the button on their own preview does not acknowledge anything.
  const rows = rowsOf<{ employee_id: string }>(await db.execute(acknowledgeStatement(input)));
  if (rows.length > 0) return 'acknowledged';
  const [delivery] = await db
    .select({ status: broadcastDeliveries.status, messageId: broadcastDeliveries.messageId })
    .from(broadcastDeliveries)
    .where(and(eq(broadcastDeliveries.broadcastId, input.broadcastId), eq(broadcastDeliveries.chatId, input.chatId)));
  if (delivery?.status === 'acknowledged' && (delivery.messageId === null || delivery.messageId === input.messageId)) return 'already';
  const broadcast = await getBroadcast(db, input.broadcastId);
  if (!broadcast) return 'unknown';
  // A draft, or a message of this broadcast that is not a delivery: the sender's preview.
  return 'preview';
}
