// The record of the bot's messages about a case (requests with buttons, acknowledgements): which are still open,
// so a decision can close every copy, and which case a reply points at.
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { runPrepared, slot } from '../db/prepared.js';
import { caseMessages } from '../db/schema/index.js';

export type CaseMessage = typeof caseMessages.$inferSelect;
export interface MessageRef {
  chatId: number;
  messageId: number;
}

/** Remembers a message sent about `caseId` at `version`, so later decisions can close it. */
export async function recordCaseMessage(
  db: DbOrTx,
  message: { caseId: string; version: number; employeeId: string; kind: string } & MessageRef,
): Promise<void> {
  await db.insert(caseMessages).values(message);
}

/** The open request a chat message is, if any. */
export async function findOpenCaseMessage(db: DbOrTx, ref: MessageRef): Promise<CaseMessage | undefined> {
  const [row] = await db
    .select()
    .from(caseMessages)
    .where(and(eq(caseMessages.chatId, ref.chatId), eq(caseMessages.messageId, ref.messageId), isNull(caseMessages.closedAt)));
  return row;
}

/** Closes every open message of a case in one statement and returns them (their edits follow). */
export async function closeOpenCaseMessages(db: DbOrTx, caseId: string, now: Date): Promise<MessageRef[]> {
  return runPrepared(
    db,
    'closeOpenCaseMessages',
    (db) =>
      db
        .update(caseMessages)
        .set({ closedAt: slot('now') })
        .where(and(eq(caseMessages.caseId, sql.placeholder('caseId')), isNull(caseMessages.closedAt)))
        .returning({ chatId: caseMessages.chatId, messageId: caseMessages.messageId }),
    { caseId, now },
  );
}

/** True when a message of the case sent before `version` is still open. */
export async function hasOpenMessagesBefore(db: DbOrTx, caseId: string, version: number): Promise<boolean> {
  const stale = await db
    .select({ id: caseMessages.id })
    .from(caseMessages)
    .where(and(eq(caseMessages.caseId, caseId), isNull(caseMessages.closedAt), lt(caseMessages.version, version)))
    .limit(1);
  return stale.length > 0;
}

export async function closeCaseMessage(db: DbOrTx, id: number, now: Date): Promise<void> {
  await db.update(caseMessages).set({ closedAt: now }).where(eq(caseMessages.id, id));
}
