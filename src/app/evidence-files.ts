// Reading a case's evidence files (bukti dukung): what an approver opens, what a step already received, what is
// still to be archived.
import { and, asc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { evidenceFiles } from '../db/schema/index.js';
import type { EvidenceRow } from './archive.js';

/** The case's files, oldest first (at most `limit` when given). */
export async function evidenceFilesOfCase(db: DbOrTx, caseId: string, limit?: number): Promise<EvidenceRow[]> {
  const query = db.select().from(evidenceFiles).where(eq(evidenceFiles.caseId, caseId)).orderBy(asc(evidenceFiles.createdAt));
  return limit === undefined ? query : query.limit(limit);
}

export async function evidenceFileById(db: DbOrTx, id: string): Promise<EvidenceRow | null> {
  const [row] = await db.select().from(evidenceFiles).where(eq(evidenceFiles.id, id));
  return row ?? null;
}

/** Files of one purpose received for the case since `since` (the step's entry), oldest first. */
export async function evidenceFilesSince(db: DbOrTx, caseId: string, purpose: string, since: Date, limit: number): Promise<EvidenceRow[]> {
  return db
    .select()
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.caseId, caseId), eq(evidenceFiles.purpose, purpose), gte(evidenceFiles.createdAt, since)))
    .orderBy(asc(evidenceFiles.createdAt))
    .limit(limit);
}

/** How many of the case's files are not archived yet. */
export async function countUnarchivedEvidence(db: DbOrTx, caseId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(evidenceFiles)
    .where(and(eq(evidenceFiles.caseId, caseId), isNull(evidenceFiles.archivedAt)));
  return row?.n ?? 0;
}
