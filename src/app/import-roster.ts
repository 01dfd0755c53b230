// Use case: apply a validated roster (upsert by NIP, all or nothing), or compute what it would change (dry run).
import { randomUUID } from 'node:crypto';
import { eq, sql, type SQL } from 'drizzle-orm';
import { ANALYZE_FROM, refreshStatistics, rowsOf, type Db, type Tx } from '../db/client.js';
import { employeeRoles, employees, units } from '../db/schema/index.js';
import { templates } from '../domain/templates/index.js';
import { refreshAssignees } from './case-engine.js';
import { BULK_CREATION, setAsideForBulkCreation } from './import-roster/bulk-creation.js';
import { parentsFirst } from './import-roster/parents-first.js';
import { stageRoster } from './import-roster/staging.js';
import type { RosterRole, RosterRow } from '../domain/roster.js';

export interface RosterChange {
  nip: string;
  nama: string;
  kind: 'created' | 'updated' | 'deactivated' | 'reactivated';
  fields?: string[];
}

export interface RosterImportSummary {
  dryRun: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  reactivated: number;
  unitsCreated: number;
  rolesAdded: number;
  rolesRemoved: number;
  /** Open cases whose assignee changed because of this import. */
  casesReassigned: number;
  /** The first changes, for a human-readable report. */
  changes: RosterChange[];
}

export interface ImportOptions {
  dryRun: boolean;
  actorId?: string | null;
  actorLabel: string;
  /** Full import: employees missing from the file are deactivated (the default, as the roster is the whole agency). */
  deactivateMissing?: boolean;
  /** Runs first inside the import's transaction (e.g. claim a pending upload); throwing aborts everything. */
  before?: (tx: Tx) => Promise<void>;
  /** Runs last inside the transaction, with the result. */
  after?: (tx: Tx, summary: RosterImportSummary) => Promise<void>;
  /** How many new employees make a bulk creation (see BULK_CREATION, the default); for tests. */
  bulkCreationFrom?: number;
  /** How many changed rows make the import refresh the planner's statistics (see ANALYZE_FROM, the default); for tests. */
  analyzeFrom?: number;
}

const CHUNK = 1000;
const BULK = 5000;
const MAX_LISTED_CHANGES = 50;
/** Serialises concurrent imports (CLI and chat) without blocking anything else (a bulk creation aside: see BULK_CREATION). */
const ROSTER_LOCK_KEY = 0x726f73746572;
/** Memory for the import's joins of the staged file with the employees (10^6 rows each), this transaction only. */
const IMPORT_WORK_MEM = '256MB';

class DryRunRollback extends Error {}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function importRoster(db: Db, rows: RosterRow[], unitPaths: string[][], options: ImportOptions): Promise<RosterImportSummary> {
  let summary: RosterImportSummary | undefined;
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ROSTER_LOCK_KEY})`);
      await options.before?.(tx);
      summary = await applyInTransaction(tx, rows, unitPaths, options);
      await options.after?.(tx, summary);
      // A dry run does all the work and then rolls back, so its report is exactly what a real run would do.
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
  }
  const changed = summary!.created + summary!.updated + summary!.deactivated + summary!.reactivated + summary!.unitsCreated;
  if (!options.dryRun && changed >= (options.analyzeFrom ?? ANALYZE_FROM)) {
    // A first import fills these tables at once, and the reminder fan-out or a broadcast may follow within the
    // minute: on an empty table's estimates their joins with the cases ran as nested loops over every row (a
    // fan-out to 100,000 employees did not finish in minutes).
    await refreshStatistics(db, ['employees', 'units', 'employee_roles']);
  }
  return summary!;
}

/**
 * The file goes into a staging table (COPY on a server database) and is compared with the stored employees by
 * set-based statements: one each for the new employees, the changed ones, the deactivated ones and their audit
 * rows, whatever the size of the file. Only the roles (a few per perangkat daerah) are worked out here.
 */
async function applyInTransaction(tx: Tx, rows: RosterRow[], unitPaths: string[][], options: ImportOptions): Promise<RosterImportSummary> {
  const summary: RosterImportSummary = {
    dryRun: options.dryRun,
    total: rows.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    deactivated: 0,
    reactivated: 0,
    unitsCreated: 0,
    rolesAdded: 0,
    rolesRemoved: 0,
    casesReassigned: 0,
    changes: [],
  };
  const note = (change: RosterChange) => {
    if (summary.changes.length < MAX_LISTED_CHANGES) summary.changes.push(change);
  };
  const room = () => MAX_LISTED_CHANGES - summary.changes.length;
  const actorId = options.actorId ?? null;
  const actorLabel = options.actorLabel;
  // Big joins and sorts in memory rather than in temporary files; no JIT compilation (the statements' time goes
  // into writing rows, and the estimates over fresh temporary tables would compile every one of them).
  await tx.execute(sql.raw(`set local work_mem = '${IMPORT_WORK_MEM}'`));
  await tx.execute(sql`set local jit = off`);

  // 1. Units: create missing paths, parents first (unitPaths is ordered that way).
  const unitIdByPath = new Map<string, { id: string; pdId: string }>();
  for (const u of await tx.select({ id: units.id, path: units.path, pd: units.perangkatDaerahId }).from(units)) {
    unitIdByPath.set(u.path, { id: u.id, pdId: u.pd ?? u.id });
  }
  const sortedPaths = [...unitPaths].sort((a, b) => a.length - b.length);
  for (const depthGroup of groupBy(sortedPaths, (p) => p.length)) {
    const missing = depthGroup.filter((p) => !unitIdByPath.has(p.join(' / ')));
    for (const part of chunks(missing)) {
      const values = part.map((p) => {
        const parent = p.length > 1 ? unitIdByPath.get(p.slice(0, -1).join(' / ')) : undefined;
        return { name: p[p.length - 1]!, path: p.join(' / '), depth: p.length - 1, parentId: parent?.id ?? null, perangkatDaerahId: parent?.pdId ?? null };
      });
      if (values.length === 0) continue;
      const inserted = await tx.insert(units).values(values).returning({ id: units.id, path: units.path, pd: units.perangkatDaerahId });
      for (const u of inserted) unitIdByPath.set(u.path, { id: u.id, pdId: u.pd ?? u.id });
      summary.unitsCreated += inserted.length;
    }
  }
  // A perangkat daerah is its own perangkat daerah.
  await tx.execute(sql`update units set perangkat_daerah_id = id where depth = 0 and perangkat_daerah_id is null`);
  const unitOf = (row: RosterRow) => unitIdByPath.get(row.unitPath.join(' / '))!;

  // 2. Employees: the file, staged, against what is stored (roster_diff: one row per file row, its stored
  //    values beside; id is the stored one or the one a new employee gets; atasan_id resolved the same way).
  const ordByNip = new Map<string, number>();
  rows.forEach((row, i) => ordByNip.set(row.nip, i));
  /** Position in the file of each row's atasan, -1 when there is none or it is not in the file. */
  const atasanOrd = new Int32Array(rows.length);
  const unitIds: string[] = new Array<string>(rows.length);
  const unitIdByCell = new Map<string, string>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    atasanOrd[i] = row.nipAtasan === null ? -1 : (ordByNip.get(row.nipAtasan) ?? -1);
    const cell = row.unitPath.join(' / ');
    let unitId = unitIdByCell.get(cell);
    if (unitId === undefined) unitIdByCell.set(cell, (unitId = unitIdByPath.get(cell)!.id));
    unitIds[i] = unitId;
  }
  await stageRoster(tx, { rows, unitIds, atasanOrd });
  // The id a new employee gets follows from their position in the file: one random UUID's first 80 bits and a
  // random 48-bit start, plus the position (unique within the import, and new ids sort together in the indexes).
  const base = randomUUID();
  const newId = (ord: SQL) =>
    sql`(${base.slice(0, 24)} || lpad(to_hex(${Number.parseInt(base.slice(24, 36), 16) % 2 ** 47}::bigint + ${ord}), 12, '0'))::uuid`;
  await tx.execute(sql`
    create temporary table roster_diff on commit drop as
    select s.ord, s.nip, s.nama, s.jabatan, s.pangkat, s.pangkat_given, s.jenjang, s.jenjang_given, s.jenis_jabatan, s.unit_id,
      s.phone, s.nip_atasan, e.id as old_id, coalesce(e.id, ${newId(sql`s.ord`)}) as id,
      case when s.nip_atasan is null then null else coalesce(a.id, ${newId(sql`s.atasan_ord`)}) end as atasan_id,
      e.nama as old_nama, e.jabatan as old_jabatan, e.pangkat as old_pangkat, e.jenjang as old_jenjang,
      e.jenis_jabatan as old_jenis_jabatan, e.unit_id as old_unit_id, e.atasan_id as old_atasan_id, e.phone as old_phone,
      e.active as old_active
    from roster_stage s
      left join employees e on e.nip = s.nip
      left join employees a on a.nip = s.nip_atasan`);
  await tx.execute(sql`analyze roster_diff`);
  const [found] = rowsOf<{ new_ords: string | null; unknown_atasan: string | null; stored: number }>(
    await tx.execute(sql`
      select string_agg(ord::text, ',' order by ord) filter (where old_id is null) as new_ords,
        min(nip_atasan) filter (where nip_atasan is not null and atasan_id is null) as unknown_atasan,
        (select count(*)::int from employees) as stored
      from roster_diff`),
  );
  if (found?.unknown_atasan) throw new Error(`roster import: nip_atasan ${found.unknown_atasan} is neither in the file nor stored`);

  // New employees, in one statement (a foreign key is checked at its end, so staff may come before their atasan).
  // They are stored, audited and reported parents first (atasan before staff), as the file's hierarchy reads.
  const newOrds = found?.new_ords ? found.new_ords.split(',').map(Number) : [];
  const creationOrder = parentsFirst(newOrds, atasanOrd, rows.length);
  if (creationOrder.length !== newOrds.length) throw new Error('roster import: the atasan of new employees form a cycle');
  if (newOrds.length > 0) {
    const order = `{${creationOrder.join(',')}}`;
    // A bulk creation (more new employees than stored ones, and many) builds indexes and checks keys at the end.
    const bulk = newOrds.length >= (options.bulkCreationFrom ?? BULK_CREATION) && newOrds.length >= found!.stored;
    const restore = bulk ? await setAsideForBulkCreation(tx) : async () => {};
    await tx.execute(sql`
      insert into employees (id, nip, nama, jabatan, pangkat, jenjang, jenis_jabatan, unit_id, atasan_id, phone)
      select d.id, d.nip, d.nama, d.jabatan, d.pangkat, d.jenjang, d.jenis_jabatan, d.unit_id, d.atasan_id, d.phone
      from unnest(${order}::int[]) with ordinality as o(ord, n)
        join roster_diff d on d.ord = o.ord
      order by o.n`);
    await tx.execute(sql`
      insert into employee_audit (employee_id, actor_id, actor_label, action, details)
      select d.id, ${actorId}::uuid, ${actorLabel}, 'created', jsonb_build_object('nama', d.nama, 'unit', u.path)
      from unnest(${order}::int[]) with ordinality as o(ord, n)
        join roster_diff d on d.ord = o.ord
        join units u on u.id = d.unit_id
      order by o.n`);
    await restore();
    for (const ord of creationOrder.slice(0, room())) note({ nip: rows[ord]!.nip, nama: rows[ord]!.nama, kind: 'created' });
  }
  summary.created = newOrds.length;

  // Stored employees whose row differs (fields in the order of the report) or who come back.
  await tx.execute(sql`
    create temporary table roster_changed on commit drop as
    select * from (
      select d.*, array_remove(array[${sql.join(
        COMPARED.map((f) => sql.raw(`case when ${f.when ? `${f.when} and ` : ''}d.${f.old} is distinct from d.${f.now} then '${f.name}' end`)),
        sql`, `,
      )}], null) as fields
      from roster_diff d where d.old_id is not null
    ) x where cardinality(fields) > 0 or not old_active`);
  const [changed] = rowsOf<{ updated: number; reactivated: number; changed: number }>(
    await tx.execute(sql`select count(*) filter (where cardinality(fields) > 0)::int as updated,
      count(*) filter (where not old_active)::int as reactivated, count(*)::int as changed from roster_changed`),
  );
  summary.updated = changed!.updated;
  summary.reactivated = changed!.reactivated;
  summary.unchanged = rows.length - summary.created - changed!.changed;
  if (changed!.changed > 0) {
    await tx.execute(sql`
      update employees as e set nama = c.nama, jabatan = c.jabatan, jenis_jabatan = c.jenis_jabatan,
        unit_id = c.unit_id, atasan_id = c.atasan_id, phone = c.phone,
        pangkat = case when c.pangkat_given then c.pangkat else e.pangkat end,
        jenjang = case when c.jenjang_given then c.jenjang else e.jenjang end, active = true, updated_at = now()
      from roster_changed c
      where e.id = c.old_id`);
    const side = (column: 'old' | 'now') =>
      sql.join(
        COMPARED.map((f) => sql.raw(`case when '${f.name}' = any(c.fields) then jsonb_build_object('${f.name}', c.${f[column]}) else '{}'::jsonb end`)),
        sql` || `,
      );
    // Per row in file order: reactivated, then updated (with every changed field before and after).
    await tx.execute(sql`
      insert into employee_audit (employee_id, actor_id, actor_label, action, details)
      select c.old_id, ${actorId}::uuid, ${actorLabel}, k.action,
        case when k.n = 1 then '{}'::jsonb
          else jsonb_build_object('fields', to_jsonb(c.fields), 'before', ${side('old')}, 'after', ${side('now')}) end
      from roster_changed c cross join (values (1, 'reactivated'), (2, 'updated')) as k(n, action)
      where case when k.n = 1 then not c.old_active else cardinality(c.fields) > 0 end
      order by c.ord, k.n`);
    if (room() > 0) {
      const listed = rowsOf<{ ord: number; reactivated: boolean; fields: string }>(
        await tx.execute(sql`select ord, not old_active as reactivated, array_to_string(fields, ',') as fields
          from roster_changed order by ord limit ${room()}`),
      );
      for (const c of listed) {
        const row = rows[c.ord]!;
        note(c.reactivated ? { nip: row.nip, nama: row.nama, kind: 'reactivated' } : { nip: row.nip, nama: row.nama, kind: 'updated', fields: c.fields.split(',') });
      }
    }
  }

  // 3. Deactivate employees missing from a full import (never delete: history refers to them).
  if (options.deactivateMissing !== false) {
    await tx.execute(sql`
      create temporary table roster_gone on commit drop as
      select e.id, e.nip, e.nama, row_number() over (order by e.ctid) as n from employees e
      where e.active and not exists (select 1 from roster_diff d where d.id = e.id)`);
    const [gone] = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with deactivated as (
          update employees set active = false, updated_at = ${new Date().toISOString()}::timestamptz
          where id in (select id from roster_gone) returning 1
        )
        select count(*)::int as n from deactivated`),
    );
    summary.deactivated = gone!.n;
    if (summary.deactivated > 0) {
      await tx.execute(sql`
        insert into employee_audit (employee_id, actor_id, actor_label, action, details)
        select id, ${actorId}::uuid, ${actorLabel}, 'deactivated', '{"reason": "not in roster import"}'::jsonb
        from roster_gone order by n`);
      if (room() > 0) {
        const listed = rowsOf<{ nip: string; nama: string }>(await tx.execute(sql`select nip, nama from roster_gone order by n limit ${room()}`));
        for (const e of listed) note({ nip: e.nip, nama: e.nama, kind: 'deactivated' });
      }
    }
  }

  // 4. Roles: the file is the whole truth for the employees it lists, and in a full import everyone it does not
  //    list is inactive, so their roles end with them (a later import that lists them again gives them back).
  const audit: Array<{ employeeId: string; action: string; details: Record<string, unknown> }> = [];
  const withRoles = rows.flatMap((row, i) => (row.peran.length > 0 ? [i] : []));
  const idByOrd = new Map<number, string>();
  for (const part of chunks(withRoles, BULK)) {
    for (const r of rowsOf<{ ord: number; id: string }>(
      await tx.execute(sql`select d.ord, d.id from unnest(${`{${part.join(',')}}`}::int[]) as o(ord) join roster_diff d on d.ord = o.ord`),
    )) {
      idByOrd.set(r.ord, r.id);
    }
  }
  const wanted = new Map<string, { employeeId: string; role: RosterRole; unitId: string | null }>();
  for (const i of withRoles) {
    const row = rows[i]!;
    const id = idByOrd.get(i)!;
    const pdId = unitOf(row).pdId;
    for (const role of row.peran) wanted.set(`${id}:${role}`, { employeeId: id, role, unitId: role === 'pengelola' ? pdId : null });
  }
  const currentRoles = rowsOf<{ employee_id: string; role: RosterRole; unit_id: string | null; listed: boolean }>(
    await tx.execute(sql`
      select r.employee_id, r.role, r.unit_id, d.id is not null as listed
      from employee_roles r left join roster_diff d on d.id = r.employee_id
      order by r.ctid`),
  );
  const endsWithDeactivation = options.deactivateMissing !== false;
  const toRemove = currentRoles.filter((r) => (r.listed ? !wanted.has(`${r.employee_id}:${r.role}`) : endsWithDeactivation));
  const have = new Map(currentRoles.map((r) => [`${r.employee_id}:${r.role}`, r]));
  const toAdd = [...wanted.entries()].filter(([key, w]) => have.get(key)?.unit_id !== w.unitId).map(([, w]) => w);
  for (const part of chunks(toRemove)) {
    const keys = sql.join(part.map((r) => sql`(${r.employee_id}::uuid, ${r.role})`), sql`, `);
    await tx.delete(employeeRoles).where(sql`(${employeeRoles.employeeId}, ${employeeRoles.role}) in (${keys})`);
  }
  for (const r of toRemove) {
    const reason = r.listed ? 'not in roster row' : 'deactivated';
    audit.push({ employeeId: r.employee_id, action: 'role_removed', details: { role: r.role, reason } });
  }
  for (const part of chunks(toAdd)) {
    await tx
      .insert(employeeRoles)
      .values(part)
      .onConflictDoUpdate({ target: [employeeRoles.employeeId, employeeRoles.role], set: { unitId: sql`excluded.unit_id` } });
    for (const w of part) audit.push({ employeeId: w.employeeId, action: 'role_added', details: { role: w.role } });
  }
  summary.rolesAdded = toAdd.length;
  summary.rolesRemoved = toRemove.length;

  for (const part of chunks(audit, BULK)) {
    const values = part.map((a) => ({ employee_id: a.employeeId, action: a.action, details: a.details }));
    await tx.execute(sql`
      insert into employee_audit (employee_id, actor_id, actor_label, action, details)
      select employee_id, ${actorId}::uuid, ${actorLabel}, action, details
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as x(employee_id uuid, action text, details jsonb)`);
  }
  // Whoever now holds a role (atasan, pengelola, ...) takes over the open steps of that role. Delegations (Plh)
  // are in force by the agency-local date: the instansi's time zone, stored at every boot (UTC before the first).
  const now = new Date();
  const [local] = rowsOf<{ today: string }>(
    await tx.execute(sql`select coalesce(
      (select to_char(${now.toISOString()}::timestamptz at time zone time_zone, 'YYYY-MM-DD') from instansi where id = 1),
      ${now.toISOString().slice(0, 10)}) as today`),
  );
  summary.casesReassigned = await refreshAssignees(tx, Object.values(templates), now, local!.today);
  return summary;
}

/**
 * What an import compares, in the order the report lists changed fields: the audit name, the stored column in
 * roster_diff and the file's. pangkat and jenjang count only when the file has their column.
 */
const COMPARED: ReadonlyArray<{ name: string; old: string; now: string; when?: string }> = [
  { name: 'nama', old: 'old_nama', now: 'nama' },
  { name: 'jabatan', old: 'old_jabatan', now: 'jabatan' },
  { name: 'pangkat', old: 'old_pangkat', now: 'pangkat', when: 'd.pangkat_given' },
  { name: 'jenjang', old: 'old_jenjang', now: 'jenjang', when: 'd.jenjang_given' },
  { name: 'jenis_jabatan', old: 'old_jenis_jabatan', now: 'jenis_jabatan' },
  { name: 'unit', old: 'old_unit_id', now: 'unit_id' },
  { name: 'atasan', old: 'old_atasan_id', now: 'atasan_id' },
  { name: 'telepon', old: 'old_phone', now: 'phone' },
];

function groupBy<T>(items: T[], key: (item: T) => number): T[][] {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k) ?? [];
    list.push(item);
    map.set(k, list);
  }
  return [...map.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Employee count, for the CLI's closing line. */
export async function countActiveEmployees(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(employees).where(eq(employees.active, true));
  return row?.n ?? 0;
}
