// A roster CSV sent in the chat waits as an upload (with its dry-run summary) until its admin applies or cancels
// it; the decision is claimed once, in the import's own transaction.
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { rosterUploads } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import type { RosterRow } from '../domain/roster.js';
import { importRoster, type RosterImportSummary } from './import-roster.js';

export type RosterUpload = typeof rosterUploads.$inferSelect;

export async function storeRosterUpload(
  db: Db,
  upload: { uploadedBy: string; fileName: string; content: Buffer; summary: RosterImportSummary },
): Promise<string> {
  const [row] = await db
    .insert(rosterUploads)
    .values({ ...upload, summary: upload.summary as unknown as Record<string, unknown> })
    .returning({ id: rosterUploads.id });
  return row!.id;
}

export async function findRosterUpload(db: Db, id: string): Promise<RosterUpload | undefined> {
  const [row] = await db.select().from(rosterUploads).where(eq(rosterUploads.id, id));
  return row;
}

/** Marks a pending upload decided; ROSTER_ALREADY_DECIDED when another tap decided it first. */
async function claim(tx: Tx, id: string, status: 'applied' | 'cancelled', now: Date): Promise<void> {
  const claimed = await tx
    .update(rosterUploads)
    .set({ status, decidedAt: now })
    .where(and(eq(rosterUploads.id, id), eq(rosterUploads.status, 'pending')))
    .returning({ id: rosterUploads.id });
  if (claimed.length === 0) throw new DomainError('ROSTER_ALREADY_DECIDED');
}

/** Cancels a pending upload (a second cancel changes nothing). */
export async function cancelRosterUpload(db: Db, id: string, now: Date): Promise<void> {
  await db.transaction((tx) => claim(tx, id, 'cancelled', now)).catch((error: unknown) => {
    if (!(error instanceof DomainError)) throw error;
  });
}

/** Applies the upload's (re-validated) rows: the claim, the import and the stored summary commit together. */
export async function applyRosterUpload(
  db: Db,
  uploadId: string,
  roster: { rows: RosterRow[]; units: string[][] },
  actor: { id: string; label: string },
  now: Date,
): Promise<RosterImportSummary> {
  return importRoster(db, roster.rows, roster.units, {
    dryRun: false,
    actorId: actor.id,
    actorLabel: actor.label,
    before: (tx) => claim(tx, uploadId, 'applied', now),
    after: async (tx, summary) => {
      await tx.update(rosterUploads).set({ summary: summary as unknown as Record<string, unknown> }).where(eq(rosterUploads.id, uploadId));
    },
  });
}
