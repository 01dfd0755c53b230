// Who is told in place of someone the bot cannot reach (blocked it, never started it, not linked): the nearest
// reachable atasan up the chain, else every reachable BKPP admin. SLA messages and step requests both use it.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rowsOf } from '../db/client.js';

const MAX_LEVELS = 10;

export async function standInsFor(tx: DbOrTx, employeeId: string): Promise<string[]> {
  const ok = sql`e.active and e.telegram_chat_id is not null and e.unreachable_at is null`;
  const up = rowsOf<{ id: string }>(
    await tx.execute(sql`
      with recursive up(id, depth) as (
        select atasan_id, 1 from employees where id = ${employeeId}::uuid and atasan_id is not null
        union all
        select a.atasan_id, up.depth + 1 from up join employees a on a.id = up.id
        where a.atasan_id is not null and up.depth < ${MAX_LEVELS}
      )
      select e.id from up join employees e on e.id = up.id where ${ok} and e.id <> ${employeeId}::uuid order by up.depth limit 1`),
  );
  if (up.length > 0) return up.map((r) => r.id);
  return rowsOf<{ id: string }>(
    await tx.execute(sql`select e.id from employee_roles r join employees e on e.id = r.employee_id
      where r.role = 'bkpp_admin' and ${ok} order by e.nip`),
  ).map((r) => r.id);
}
