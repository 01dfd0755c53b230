// A case's row by id: read by most use cases and by every decision, so built once (src/db/prepared.ts).
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { runPrepared } from '../../db/prepared.js';
import { cases } from '../../db/schema/index.js';

/** A case as stored: the one definition the engine, the views and the SLA code share. */
export type CaseRow = typeof cases.$inferSelect;

/** The case's row, or null. */
export async function findCaseRow(db: DbOrTx, caseId: string): Promise<CaseRow | null> {
  const [row] = await runPrepared(db, 'findCaseRow', (db) => db.select().from(cases).where(eq(cases.id, sql.placeholder('id'))), { id: caseId });
  return row ?? null;
}

/** The case's row, locked for the rest of the transaction (FOR UPDATE), or null. */
export async function lockCaseRow(tx: DbOrTx, caseId: string): Promise<CaseRow | null> {
  const [row] = await runPrepared(tx, 'lockCaseRow', (db) => db.select().from(cases).where(eq(cases.id, sql.placeholder('id'))).for('update'), {
    id: caseId,
  });
  return row ?? null;
}

/** The rows of these cases, in one statement (those that exist; in no particular order). */
export async function findCaseRows(db: DbOrTx, caseIds: string[]): Promise<CaseRow[]> {
  return caseIds.length === 0 ? [] : db.select().from(cases).where(inArray(cases.id, caseIds));
}
