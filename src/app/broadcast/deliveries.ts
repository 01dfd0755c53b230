// One batch, as the worker sees it: loading it and recording each delivery's outcome.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.js';
import { broadcastDeliveries, broadcasts, employees } from '../../db/schema/index.js';
import { getBroadcast } from './drafts.js';
import type { BroadcastRow } from './drafts.js';

export interface AnnouncementBatch {
  broadcastStatus: BroadcastRow['status'];
  textHtml: string;
  mediaKind: 'document' | 'photo' | null;
  mediaFileId: string | null;
  /** The batch's recipients still queued (a job that runs again finds only what is left). */
  deliveries: Array<{ employeeId: string; chatId: number }>;
}

/**
 * "Still to send", written as a constant so that PostgreSQL can use the partial index of queued deliveries in a
 * prepared statement's plan (a parameter might be any status).
 */
export const stillQueued = sql`${broadcastDeliveries.status} = 'queued'`;

export async function loadBatch(db: DbOrTx, broadcastId: string, batch: number): Promise<AnnouncementBatch | null> {
  const broadcast = await getBroadcast(db, broadcastId);
  if (!broadcast) return null;
  const deliveries = await db
    .select({ employeeId: broadcastDeliveries.employeeId, chatId: broadcastDeliveries.chatId })
    .from(broadcastDeliveries)
    .where(and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.batch, batch), stillQueued));
  return {
    broadcastStatus: broadcast.status,
    textHtml: broadcast.textHtml,
    mediaKind: broadcast.mediaKind,
    mediaFileId: broadcast.mediaFileId,
    deliveries,
  };
}

export async function broadcastStatusOf(db: DbOrTx, broadcastId: string): Promise<BroadcastRow['status'] | null> {
  const [row] = await db.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, broadcastId));
  return row?.status ?? null;
}

const deliveryKey = (broadcastId: string, employeeId: string) =>
  and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.employeeId, employeeId));

export interface SentDelivery {
  employeeId: string;
  messageId: number;
  sentAt: Date;
}

/**
 * Messages that went out, recorded with one statement however many. The LIMIT (all of them) tells PostgreSQL how
 * many there are, which it cannot see in a JSON parameter (it assumes 100): for the one or two of a paced send it
 * looks each up by primary key instead of hashing the whole broadcast (1.1 ms of database CPU a message at 6,000
 * recipients). A Batal that landed while a message was in flight still ends as 'sent' (the recipient did get
 * it); an acknowledgment that beat this update is kept, and only gains the message id.
 */
export async function recordSent(db: DbOrTx, broadcastId: string, sent: SentDelivery[]): Promise<void> {
  if (sent.length === 0) return;
  await db.execute(recordSentStatement(broadcastId, sent));
}

/** recordSent's statement (a test checks its plan). */
export function recordSentStatement(broadcastId: string, sent: SentDelivery[]): SQL {
  const values = JSON.stringify(sent.map((d) => ({ employee_id: d.employeeId, message_id: d.messageId, sent_at: d.sentAt.toISOString() })));
  return sql`update broadcast_deliveries d set
      status = case when d.status = 'acknowledged' then d.status else 'sent' end,
      message_id = v.message_id,
      sent_at = v.sent_at,
      attempts = case when d.status = 'acknowledged' then d.attempts else d.attempts + 1 end,
      last_error = case when d.status = 'acknowledged' then d.last_error else null end
    from (select * from jsonb_to_recordset(${values}::jsonb) as v(employee_id uuid, message_id bigint, sent_at timestamptz)
      limit ${sent.length}) v
    where d.broadcast_id = ${broadcastId}::uuid and d.employee_id = v.employee_id
      and (d.status in ('queued', 'cancelled') or (d.status = 'acknowledged' and d.message_id is null))`;
}

/** Telegram answered 403: the recipient blocked the bot (or never started it). Not retried. */
export async function markDeliveryBlocked(
  db: Db,
  input: { broadcastId: string; employeeId: string; error: string; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(broadcastDeliveries)
      .set({ status: 'blocked', lastError: input.error.slice(0, 500), attempts: sql`${broadcastDeliveries.attempts} + 1` })
      .where(and(deliveryKey(input.broadcastId, input.employeeId), eq(broadcastDeliveries.status, 'queued')));
    await tx
      .update(employees)
      .set({ unreachableAt: input.now })
      .where(and(eq(employees.id, input.employeeId), sql`${employees.unreachableAt} is null`));
  });
}

/** A failed attempt: `final` marks the delivery failed (attempts exhausted, or an error retrying cannot fix). */
export async function recordDeliveryError(
  db: DbOrTx,
  input: { broadcastId: string; employeeId: string; error: string; final: boolean },
): Promise<void> {
  await db
    .update(broadcastDeliveries)
    .set({
      ...(input.final ? { status: 'failed' as const } : {}),
      lastError: input.error.slice(0, 500),
      attempts: sql`${broadcastDeliveries.attempts} + 1`,
    })
    .where(and(deliveryKey(input.broadcastId, input.employeeId), eq(broadcastDeliveries.status, 'queued')));
}
