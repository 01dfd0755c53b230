// Drafts: creating one, choosing its audience, and claiming it for a decision (compare-and-set on status).
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { broadcastDeliveries, broadcasts } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';
import type { Audience, BroadcastScope } from './audiences.js';

export type BroadcastRow = typeof broadcasts.$inferSelect;
export type DeliveryStatus = (typeof broadcastDeliveries.$inferSelect)['status'];

export interface DraftInput {
  /** The id already used in the validation preview's button (so that message works like the real one). */
  id?: string;
  createdBy: string;
  scope: BroadcastScope;
  textHtml: string;
  media: { kind: 'document' | 'photo'; fileId: string } | null;
  templateCode: string | null;
}

export async function createBroadcastDraft(db: DbOrTx, input: DraftInput): Promise<BroadcastRow> {
  const [row] = await db
    .insert(broadcasts)
    .values({
      ...(input.id ? { id: input.id } : {}),
      createdBy: input.createdBy,
      scopeUnitId: input.scope.unitId,
      textHtml: input.textHtml,
      mediaKind: input.media?.kind ?? null,
      mediaFileId: input.media?.fileId ?? null,
      templateCode: input.templateCode,
      status: 'draft',
    })
    .returning();
  return row!;
}

export async function getBroadcast(db: DbOrTx, id: string): Promise<BroadcastRow | null> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
  return row ?? null;
}

/** Stores the chosen audience on a draft of this sender (the preview shows the count for exactly this). */
export async function setDraftAudience(db: DbOrTx, input: { broadcastId: string; actorId: string; audience: Audience }): Promise<void> {
  const updated = await db
    .update(broadcasts)
    .set({ audience: input.audience as unknown as Record<string, unknown> })
    .where(and(eq(broadcasts.id, input.broadcastId), eq(broadcasts.createdBy, input.actorId), eq(broadcasts.status, 'draft')))
    .returning({ id: broadcasts.id });
  if (updated.length === 0) throw new DomainError('BROADCAST_ALREADY_DECIDED');
}

export async function claimDraft(tx: DbOrTx, broadcastId: string, actorId: string, set: Partial<typeof broadcasts.$inferInsert>) {
  const [claimed] = await tx
    .update(broadcasts)
    .set(set)
    .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.createdBy, actorId), eq(broadcasts.status, 'draft')))
    .returning();
  if (claimed) return claimed;
  const existing = await getBroadcast(tx, broadcastId);
  if (!existing) throw new DomainError('BROADCAST_NOT_FOUND');
  if (existing.createdBy !== actorId) throw new DomainError('BROADCAST_NOT_YOURS');
  throw new DomainError('BROADCAST_ALREADY_DECIDED', undefined, { status: existing.status });
}
