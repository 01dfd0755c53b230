// Applying a keberatan decision to the result it objected to: the new ratings and predikat replace the old ones
// on that case (so every report and export shows them); the old ones stay in that case's event log.
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { caseEvents, cases } from '../db/schema/index.js';
import { predikatOf, type Rating } from '../domain/predikat.js';
import { lockCaseRow } from './repositories/cases.js';

export interface KeberatanOrigin {
  /** The case whose result is objected to. */
  targetCaseId: string;
  /** The result as it was when the objection was filed. */
  asal: { hasilKerja: Rating | null; perilaku: Rating | null; predikat: string | null };
}

export function keberatanOriginOf(data: unknown): KeberatanOrigin | null {
  const d = data as Partial<KeberatanOrigin> | null;
  return d && typeof d.targetCaseId === 'string' && d.asal ? { targetCaseId: d.targetCaseId, asal: d.asal } : null;
}

/** Inside the decision's transaction: rewrites the target's rating and predikat and logs both on the target. */
export async function applyKeberatanDecision(
  tx: DbOrTx,
  input: { keberatan: { id: string; data: unknown }; rating: { hasilKerja: Rating; perilaku: Rating }; actorId: string; now: Date },
): Promise<void> {
  const origin = keberatanOriginOf(input.keberatan.data);
  if (!origin) return;
  const target = await lockCaseRow(tx, origin.targetCaseId);
  if (!target) return;
  const before = (target.data as { rating?: { hasilKerja?: Rating; perilaku?: Rating; catatan?: string } }).rating ?? {};
  const predikat = predikatOf(input.rating.hasilKerja, input.rating.perilaku);
  const changed = before.hasilKerja !== input.rating.hasilKerja || before.perilaku !== input.rating.perilaku;
  if (changed) {
    const rating = { ...before, hasilKerja: input.rating.hasilKerja, perilaku: input.rating.perilaku };
    await tx
      .update(cases)
      .set({ data: sql`${cases.data} || ${JSON.stringify({ rating })}::jsonb`, predikat, updatedAt: input.now })
      .where(eq(cases.id, target.id));
  }
  await tx.insert(caseEvents).values({
    caseId: target.id,
    at: input.now,
    actorId: input.actorId,
    action: 'keberatan_decided',
    revision: target.revision,
    comment: changed ? 'Hasil penilaian diubah atas keberatan (final)' : 'Hasil penilaian tetap atas keberatan (final)',
    data: {
      keberatanCaseId: input.keberatan.id,
      before: { hasilKerja: before.hasilKerja ?? null, perilaku: before.perilaku ?? null, predikat: target.predikat },
      after: { ...input.rating, predikat },
    },
  });
}
