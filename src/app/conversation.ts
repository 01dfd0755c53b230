// Chat-flow storage: the user's conversation cursor (conversations) and a case's work in progress (case_drafts).
//
// The cursor says which question is being asked; the draft holds what was answered. They are separate rows so
// /batal (which deletes the cursor) never loses answers, and both are in Postgres so a restart loses nothing.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { caseDrafts, conversations } from '../db/schema/index.js';

export interface Conversation<S extends object = Record<string, unknown>> {
  kind: string;
  state: S;
  updatedAt: Date;
}

/**
 * The user's conversation. `lock` (inside a transaction) holds the row until commit, so two updates cannot answer
 * the same question; `kinds` returns null for a conversation of another flow.
 */
export async function loadConversation<S extends object = Record<string, unknown>>(
  db: DbOrTx,
  telegramUserId: number,
  options: { lock?: boolean; kinds?: readonly string[] } = {},
): Promise<Conversation<S> | null> {
  const query = db.select().from(conversations).where(eq(conversations.telegramUserId, telegramUserId));
  const [row] = options.lock ? await query.for('update') : await query;
  if (!row || (options.kinds && !options.kinds.includes(row.kind))) return null;
  return { kind: row.kind, state: row.state as S, updatedAt: row.updatedAt };
}

/** Replaces the user's conversation: a user is in at most one conversation at a time. */
export async function saveConversation(db: DbOrTx, telegramUserId: number, kind: string, state: object, now: Date): Promise<void> {
  const value = state as Record<string, unknown>;
  await db
    .insert(conversations)
    .values({ telegramUserId, kind, state: value, updatedAt: now })
    .onConflictDoUpdate({ target: conversations.telegramUserId, set: { kind, state: value, updatedAt: now } });
}

/** Compares two cursor states regardless of key order (jsonb does not keep it). */
export function sameState(a: object, b: object): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .filter(([, v]) => v !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * The question of `state` did not reach the user: it is not waiting for an answer (a later text must not be taken
 * as one). Only that question is withdrawn; a newer one asked meanwhile stays.
 */
export async function withdrawQuestion(db: DbOrTx, telegramUserId: number, kind: string, state: object): Promise<void> {
  const current = await loadConversation(db, telegramUserId);
  if (current?.kind === kind && sameState(current.state, state)) await clearConversation(db, telegramUserId);
}

/** Runs `send` (the question's message); when it fails, the question is withdrawn before the error goes on. */
export async function askOrWithdraw(db: DbOrTx, telegramUserId: number, kind: string, state: object, send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    await withdrawQuestion(db, telegramUserId, kind, state).catch(() => undefined);
    throw error;
  }
}

/** Ends the user's conversation (only one of `kind`, when given) and returns what it was. */
export async function clearConversation(
  db: DbOrTx,
  telegramUserId: number,
  kind?: string,
): Promise<{ kind: string; state: Record<string, unknown> } | null> {
  const byUser = eq(conversations.telegramUserId, telegramUserId);
  const [row] = await db
    .delete(conversations)
    .where(kind === undefined ? byUser : and(byUser, eq(conversations.kind, kind)))
    .returning({ kind: conversations.kind, state: conversations.state });
  return row ?? null;
}

export async function loadDraft<D extends object>(db: DbOrTx, caseId: string): Promise<D | null> {
  const [row] = await db.select().from(caseDrafts).where(eq(caseDrafts.caseId, caseId));
  return row ? (row.data as D) : null;
}

/**
 * Read-modify-write of a case's draft under a row lock: telegraf runs a batch of updates concurrently (an
 * album arrives as several messages at once), and each must see the others' changes. `initial` seeds a
 * missing draft. `change` may return the same object after mutating it.
 */
export async function updateDraft<D extends object, R = void>(
  db: DbOrTx,
  caseId: string,
  initial: () => D,
  change: (draft: D, tx: Tx) => Promise<R> | R,
  now: Date,
): Promise<{ draft: D; result: R }> {
  return db.transaction(async (tx) => {
    await tx
      .insert(caseDrafts)
      .values({ caseId, data: initial() as Record<string, unknown>, updatedAt: now })
      .onConflictDoNothing();
    const [row] = await tx.select().from(caseDrafts).where(eq(caseDrafts.caseId, caseId)).for('update');
    const draft = row!.data as D;
    const result = await change(draft, tx);
    await tx
      .update(caseDrafts)
      .set({ data: draft as Record<string, unknown>, updatedAt: now })
      .where(eq(caseDrafts.caseId, caseId));
    return { draft, result };
  });
}

export async function deleteDraft(db: DbOrTx, caseId: string): Promise<void> {
  await db.delete(caseDrafts).where(eq(caseDrafts.caseId, caseId));
}
