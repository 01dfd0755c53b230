// Who acted first: the last transition of a case, and the ALREADY_PROCESSED refusal a stale press gets.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { caseEvents, employees } from '../../db/schema/index.js';
import { DomainError } from '../../domain/errors.js';

/** The last transition of a case, to tell a late actor who acted first and when. */
export async function lastTransition(db: DbOrTx, caseId: string): Promise<{ actorName: string | null; at: Date; action: string } | null> {
  const [row] = await db
    .select({ at: caseEvents.at, action: caseEvents.action, actorName: employees.nama })
    .from(caseEvents)
    .leftJoin(employees, eq(employees.id, caseEvents.actorId))
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, ['start', 'complete', 'return', 'resubmit', 'cancel'])))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row ?? null;
}

export async function alreadyProcessed(tx: DbOrTx, caseId: string): Promise<never> {
  const last = await lastTransition(tx, caseId);
  throw new DomainError('ALREADY_PROCESSED', 'This step was already processed', {
    by: last?.actorName ?? null,
    at: last?.at?.toISOString() ?? null,
    action: last?.action ?? null,
  });
}
