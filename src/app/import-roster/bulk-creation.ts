// A bulk creation (a first import of a whole province): indexes built and foreign keys checked once, at the end.
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../db/client.js';

/**
 * From this many new employees on, when they also outnumber the stored ones (a first import of a whole province),
 * the creation is a bulk one: see setAsideForBulkCreation. It takes the import's transaction an exclusive lock on
 * employees, units and employee_audit until it commits: the bot waits for a bulk import instead of reading beside it.
 */
export const BULK_CREATION = 50_000;
/** The foreign keys of a new employee (unit, atasan) and of its audit row. */
const CREATION_FOREIGN_KEYS = ['employees_unit_id_units_id_fk', 'employees_atasan_id_employees_id_fk', 'employee_audit_employee_id_employees_id_fk'];

/**
 * Sets aside, for a bulk creation (see BULK_CREATION), the foreign keys every new employee and audit row would
 * check one by one and the secondary indexes of employees and of the audit log's employee column that would take
 * the rows one at a time. The function returned puts them back exactly as they were: each index built in one sort,
 * each key checked in one join (a duplicate NIP or a dangling key fails there, and the transaction with it).
 */
export async function setAsideForBulkCreation(tx: Tx): Promise<() => Promise<void>> {
  const keys = rowsOf<{ table_name: string; name: string; definition: string }>(
    await tx.execute(sql`
      select c.conrelid::regclass::text as table_name, c.conname as name, pg_get_constraintdef(c.oid) as definition
      from pg_constraint c
      where c.contype = 'f' and c.conname in (${sql.join(CREATION_FOREIGN_KEYS.map((name) => sql`${name}`), sql`, `)})
        and c.conrelid in ('employees'::regclass, 'employee_audit'::regclass)`),
  );
  const indexes = rowsOf<{ name: string; definition: string }>(
    await tx.execute(sql`
      select c.relname as name, pg_get_indexdef(i.indexrelid) as definition
      from pg_index i join pg_class c on c.oid = i.indexrelid
      where (i.indrelid = 'employees'::regclass or c.relname = 'employee_audit_employee_idx') and not i.indisprimary
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`),
  );
  for (const k of keys) await tx.execute(sql.raw(`alter table ${k.table_name} drop constraint ${k.name}`));
  for (const i of indexes) await tx.execute(sql.raw(`drop index ${i.name}`));
  return async () => {
    for (const i of indexes) await tx.execute(sql.raw(i.definition));
    for (const k of keys) await tx.execute(sql.raw(`alter table ${k.table_name} add constraint ${k.name} ${k.definition}`));
  };
}
