// Unit look-ups (perangkat daerah and the units under them).
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { units } from '../../db/schema/index.js';

/** The unit's name, or null when there is no such unit. */
export async function unitName(db: DbOrTx, id: string): Promise<string | null> {
  const [row] = await db.select({ name: units.name }).from(units).where(eq(units.id, id));
  return row?.name ?? null;
}
