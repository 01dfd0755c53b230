// Employee look-ups shared by the bot and the use cases.
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { rowsOf, type DbOrTx } from '../../db/client.js';
import { runPrepared } from '../../db/prepared.js';
import { employees, units } from '../../db/schema/index.js';

export interface EmployeeProfile {
  id: string;
  nip: string;
  nama: string;
  jabatan: string;
  /** Pangkat/golongan ruang from the roster; null when the roster gave none. */
  pangkat: string | null;
  jenisJabatan: string;
  unitId: string;
  unitPath: string;
  perangkatDaerahId: string;
  atasanId: string | null;
  atasanNama: string | null;
  active: boolean;
  telegramUserId: number | null;
  telegramChatId: number | null;
  /** Telegram refused a message to them (blocked, never started) and they have not written since. */
  unreachable: boolean;
  roles: Array<{ role: 'pengelola' | 'bkpp_admin'; unitId: string | null }>;
  /** True when someone names this employee as their pejabat penilai. */
  isAtasan: boolean;
}

const atasan = alias(employees, 'atasan');

type ProfileKey = 'telegramUserId' | 'nip' | 'id';

/** The profile of the employee whose `by` is the placeholder `key`. */
const profileQuery = (db: DbOrTx, by: ProfileKey) =>
  db
    .select({
      id: employees.id,
      nip: employees.nip,
      nama: employees.nama,
      jabatan: employees.jabatan,
      pangkat: employees.pangkat,
      jenisJabatan: employees.jenisJabatan,
      unitId: employees.unitId,
      unitPath: units.path,
      perangkatDaerahId: units.perangkatDaerahId,
      atasanId: employees.atasanId,
      atasanNama: atasan.nama,
      active: employees.active,
      telegramUserId: employees.telegramUserId,
      telegramChatId: employees.telegramChatId,
      unreachable: sql<boolean>`${employees.unreachableAt} is not null`,
      isAtasan: sql<boolean>`exists (select 1 from employees b where b.atasan_id = ${employees.id} and b.active)`,
      // In the same round trip: every update looks its sender up, so one query instead of two matters.
      roles: sql<EmployeeProfile['roles']>`coalesce((select json_agg(json_build_object('role', r.role, 'unitId', r.unit_id) order by r.role, r.unit_id)
        from employee_roles r where r.employee_id = ${employees.id}), '[]'::json)`,
    })
    .from(employees)
    .innerJoin(units, eq(units.id, employees.unitId))
    .leftJoin(atasan, eq(atasan.id, employees.atasanId))
    .where(eq(employees[by], sql.placeholder('key')))
    .limit(1);

/** An employee found by one of their keys; built once per key (src/db/prepared.ts): every update looks its sender up. */
async function loadProfile(db: DbOrTx, by: ProfileKey, key: string | number): Promise<EmployeeProfile | null> {
  const [row] = await runPrepared(db, `loadProfile:${by}`, (db) => profileQuery(db, by), { key });
  if (!row) return null;
  // postgres.js parses json; PGlite may hand it over as text.
  const roles = typeof row.roles === 'string' ? (JSON.parse(row.roles) as EmployeeProfile['roles']) : row.roles;
  return { ...row, perangkatDaerahId: row.perangkatDaerahId ?? row.unitId, roles };
}

export const findEmployeeByTelegramId = (db: DbOrTx, telegramUserId: number) =>
  loadProfile(db, 'telegramUserId', telegramUserId);

export const findEmployeeByNip = (db: DbOrTx, nip: string) => loadProfile(db, 'nip', nip);

export const findEmployeeById = (db: DbOrTx, id: string) => loadProfile(db, 'id', id);

export async function findEmployeesByPhone(db: DbOrTx, phone: string) {
  return db
    .select({ id: employees.id, nip: employees.nip, active: employees.active })
    .from(employees)
    .where(and(eq(employees.phone, phone)));
}

/** The private chat an active, linked employee is reached in; null otherwise. */
export async function chatOfActiveEmployee(db: DbOrTx, id: string): Promise<number | null> {
  const [row] = await db.select({ chatId: employees.telegramChatId, active: employees.active }).from(employees).where(eq(employees.id, id));
  return row?.active && row.chatId ? row.chatId : null;
}

/** Names by employee id (ids not found are left out). */
export async function employeeNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: employees.id, nama: employees.nama }).from(employees).where(inArray(employees.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.nama]));
}

export interface NamedEmployee {
  nama: string;
  nip: string;
  jabatan: string;
  unit: string;
}

/**
 * Active employees whose name holds every word typed (a name typed where a NIP is asked), among those `visible`
 * (a condition over `employees` aliased `e` and `units` aliased `u`, e.g. the access policy's), by name.
 */
export async function employeesNamed(db: DbOrTx, visible: SQL, typed: string, limit = 6): Promise<NamedEmployee[]> {
  const words = typed.split(/\s+/).filter((w) => w.length >= 2).slice(0, 4);
  if (words.length === 0) return [];
  const like = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return rowsOf<NamedEmployee>(
    await db.execute(sql`select e.nama, e.nip, e.jabatan, u.path as unit from employees e join units u on u.id = e.unit_id
      where e.active and ${visible} and ${sql.join(words.map((w) => sql`e.nama ilike ${like(w)}`), sql` and `)}
      order by e.nama limit ${limit}`),
  );
}

/** The active pengelola kepegawaian of a perangkat daerah, by name: whom its staff ask about their data. */
export async function pengelolaNamesOf(db: DbOrTx, perangkatDaerahId: string): Promise<string[]> {
  const rows = rowsOf<{ nama: string }>(
    await db.execute(sql`select e.nama from employee_roles r join employees e on e.id = r.employee_id
      where r.role = 'pengelola' and r.unit_id = ${perangkatDaerahId}::uuid and e.active order by e.nama limit 5`),
  );
  return rows.map((r) => r.nama);
}
