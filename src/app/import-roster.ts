// Use case: apply a validated roster (upsert by NIP, all or nothing), or compute what it would change (dry run).
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db, type Tx } from '../db/client.js';
import { employeeAudit, employeeRoles, employees, units } from '../db/schema/index.js';
import { templates } from '../domain/templates/index.js';
import { refreshAssignees } from './case-engine.js';
import type { JenisJabatan, RosterRole, RosterRow } from '../domain/roster.js';

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
}

const CHUNK = 1000;
const BULK = 5000;
const MAX_LISTED_CHANGES = 50;
/** Serialises concurrent imports (CLI and chat) without blocking anything else. */
const ROSTER_LOCK_KEY = 0x726f73746572;

class DryRunRollback extends Error {}

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface ExistingEmployee {
  id: string;
  nip: string;
  nama: string;
  jabatan: string;
  pangkat: string | null;
  jenjang: string | null;
  jenisJabatan: JenisJabatan;
  unitId: string;
  atasanId: string | null;
  phone: string | null;
  active: boolean;
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
  return summary!;
}

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
  const audit: Array<typeof employeeAudit.$inferInsert> = [];
  const actor = { actorId: options.actorId ?? null, actorLabel: options.actorLabel };

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

  // 2. Employees: diff against what is stored.
  const existing = new Map<string, ExistingEmployee>();
  for (const e of await tx
    .select({
      id: employees.id,
      nip: employees.nip,
      nama: employees.nama,
      jabatan: employees.jabatan,
      pangkat: employees.pangkat,
      jenjang: employees.jenjang,
      jenisJabatan: employees.jenisJabatan,
      unitId: employees.unitId,
      atasanId: employees.atasanId,
      phone: employees.phone,
      active: employees.active,
    })
    .from(employees)) {
    existing.set(e.nip, e);
  }

  // New employees are inserted parents first (atasan before staff), so each row can carry its atasan at once
  // instead of a second pass updating every new row.
  const toCreate = topologicalByAtasan(rows.filter((row) => !existing.has(row.nip)));
  const newIds = new Map<string, string>();
  // Bulk statements take the rows as one JSON parameter: thousands of rows per round trip, any driver.
  for (const part of chunks(toCreate, BULK)) {
    for (const r of part) newIds.set(r.nip, randomUUID());
    const values = part.map((r) => ({
      id: newIds.get(r.nip)!,
      nip: r.nip,
      nama: r.nama,
      jabatan: r.jabatan,
      pangkat: r.pangkat ?? null,
      jenjang: r.jenjang ?? null,
      jenis_jabatan: r.jenisJabatan,
      unit_id: unitIdByPath.get(r.unitPath.join(' / '))!.id,
      atasan_id: r.nipAtasan ? (newIds.get(r.nipAtasan) ?? existing.get(r.nipAtasan)?.id ?? null) : null,
      phone: r.telepon,
    }));
    await tx.execute(sql`
      insert into employees (id, nip, nama, jabatan, pangkat, jenjang, jenis_jabatan, unit_id, atasan_id, phone)
      select id, nip, nama, jabatan, pangkat, jenjang, jenis_jabatan, unit_id, atasan_id, phone
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
        as x(id uuid, nip text, nama text, jabatan text, pangkat text, jenjang text, jenis_jabatan text, unit_id uuid, atasan_id uuid,
          phone text)`);
    for (const [i, r] of part.entries()) {
      const id = values[i]!.id;
      existing.set(r.nip, {
        id,
        nip: r.nip,
        nama: r.nama,
        jabatan: r.jabatan,
        pangkat: values[i]!.pangkat,
        jenjang: values[i]!.jenjang,
        jenisJabatan: r.jenisJabatan,
        unitId: values[i]!.unit_id,
        atasanId: values[i]!.atasan_id,
        phone: r.telepon,
        active: true,
      });
      audit.push({ employeeId: id, ...actor, action: 'created', details: { nama: r.nama, unit: r.unitPath.join(' / ') } });
      note({ nip: r.nip, nama: r.nama, kind: 'created' });
    }
    summary.created += part.length;
  }
  const createdNips = new Set(toCreate.map((r) => r.nip));

  // Updates (including atasan, which needs every id to exist first).
  const updates: Array<{ id: string; row: RosterRow; unitId: string; atasanId: string | null }> = [];
  for (const row of rows) {
    const current = existing.get(row.nip)!;
    const unitId = unitIdByPath.get(row.unitPath.join(' / '))!.id;
    const atasanId = row.nipAtasan ? existing.get(row.nipAtasan)!.id : null;
    const fields: string[] = [];
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const compare = (name: string, oldValue: unknown, newValue: unknown) => {
      if (oldValue !== newValue) {
        fields.push(name);
        before[name] = oldValue;
        after[name] = newValue;
      }
    };
    compare('nama', current.nama, row.nama);
    compare('jabatan', current.jabatan, row.jabatan);
    // A file without the pangkat column says nothing about pangkat: what is stored stays.
    if (row.pangkat !== undefined) compare('pangkat', current.pangkat, row.pangkat);
    if (row.jenjang !== undefined) compare('jenjang', current.jenjang, row.jenjang);
    compare('jenis_jabatan', current.jenisJabatan, row.jenisJabatan);
    compare('unit', current.unitId, unitId);
    compare('atasan', current.atasanId, atasanId);
    compare('telepon', current.phone, row.telepon);
    const reactivated = !current.active;
    if (fields.length === 0 && !reactivated) {
      if (!createdNips.has(row.nip)) summary.unchanged++;
      continue;
    }
    updates.push({ id: current.id, row, unitId, atasanId });
    if (createdNips.has(row.nip)) continue; // the atasan of a new employee is part of its creation
    if (reactivated) {
      summary.reactivated++;
      audit.push({ employeeId: current.id, ...actor, action: 'reactivated', details: {} });
      note({ nip: row.nip, nama: row.nama, kind: 'reactivated' });
    }
    if (fields.length > 0) {
      summary.updated++;
      audit.push({ employeeId: current.id, ...actor, action: 'updated', details: { fields, before, after } });
      if (!reactivated) note({ nip: row.nip, nama: row.nama, kind: 'updated', fields });
    }
  }
  for (const part of chunks(updates, BULK)) {
    const values = part.map((u) => ({
      id: u.id,
      nama: u.row.nama,
      jabatan: u.row.jabatan,
      jenis_jabatan: u.row.jenisJabatan,
      unit_id: u.unitId,
      atasan_id: u.atasanId,
      phone: u.row.telepon,
      pangkat: u.row.pangkat ?? null,
      pangkat_given: u.row.pangkat !== undefined,
      jenjang: u.row.jenjang ?? null,
      jenjang_given: u.row.jenjang !== undefined,
    }));
    await tx.execute(sql`
      update employees as e set nama = v.nama, jabatan = v.jabatan, jenis_jabatan = v.jenis_jabatan,
        unit_id = v.unit_id, atasan_id = v.atasan_id, phone = v.phone,
        pangkat = case when v.pangkat_given then v.pangkat else e.pangkat end,
        jenjang = case when v.jenjang_given then v.jenjang else e.jenjang end, active = true, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
        as v(id uuid, nama text, jabatan text, jenis_jabatan text, unit_id uuid, atasan_id uuid, phone text, pangkat text,
          pangkat_given boolean, jenjang text, jenjang_given boolean)
      where e.id = v.id`);
  }

  // 3. Deactivate employees missing from a full import (never delete: history refers to them).
  if (options.deactivateMissing !== false) {
    const inFile = new Set(rows.map((r) => r.nip));
    const missing = [...existing.values()].filter((e) => e.active && !inFile.has(e.nip));
    for (const part of chunks(missing)) {
      await tx
        .update(employees)
        .set({ active: false, updatedAt: new Date() })
        .where(inArray(employees.id, part.map((e) => e.id)));
    }
    for (const e of missing) {
      audit.push({ employeeId: e.id, ...actor, action: 'deactivated', details: { reason: 'not in roster import' } });
      note({ nip: e.nip, nama: e.nama, kind: 'deactivated' });
    }
    summary.deactivated = missing.length;
  }

  // 4. Roles: the file is the whole truth for the employees it lists, and in a full import everyone it does not
  //    list is inactive, so their roles end with them (a later import that lists them again gives them back).
  const wanted = new Map<string, { employeeId: string; role: RosterRole; unitId: string | null }>();
  for (const row of rows) {
    const id = existing.get(row.nip)!.id;
    const pdId = unitIdByPath.get(row.unitPath.join(' / '))!.pdId;
    for (const role of row.peran) wanted.set(`${id}:${role}`, { employeeId: id, role, unitId: role === 'pengelola' ? pdId : null });
  }
  const listedIds = new Set(rows.map((r) => existing.get(r.nip)!.id));
  const currentRoles = await tx.select().from(employeeRoles);
  const endsWithDeactivation = options.deactivateMissing !== false;
  const toRemove = currentRoles.filter((r) =>
    listedIds.has(r.employeeId) ? !wanted.has(`${r.employeeId}:${r.role}`) : endsWithDeactivation,
  );
  const have = new Map(currentRoles.map((r) => [`${r.employeeId}:${r.role}`, r]));
  const toAdd = [...wanted.entries()].filter(([key, w]) => have.get(key)?.unitId !== w.unitId).map(([, w]) => w);
  for (const part of chunks(toRemove)) {
    const keys = sql.join(part.map((r) => sql`(${r.employeeId}::uuid, ${r.role})`), sql`, `);
    await tx.delete(employeeRoles).where(sql`(${employeeRoles.employeeId}, ${employeeRoles.role}) in (${keys})`);
  }
  for (const r of toRemove) {
    const reason = listedIds.has(r.employeeId) ? 'not in roster row' : 'deactivated';
    audit.push({ employeeId: r.employeeId, ...actor, action: 'role_removed', details: { role: r.role, reason } });
  }
  for (const part of chunks(toAdd)) {
    await tx
      .insert(employeeRoles)
      .values(part)
      .onConflictDoUpdate({ target: [employeeRoles.employeeId, employeeRoles.role], set: { unitId: sql`excluded.unit_id` } });
    for (const w of part) audit.push({ employeeId: w.employeeId, ...actor, action: 'role_added', details: { role: w.role } });
  }
  summary.rolesAdded = toAdd.length;
  summary.rolesRemoved = toRemove.length;

  for (const part of chunks(audit, BULK)) {
    const values = part.map((a) => ({ employee_id: a.employeeId, actor_id: a.actorId ?? null, actor_label: a.actorLabel, action: a.action, details: a.details ?? {} }));
    await tx.execute(sql`
      insert into employee_audit (employee_id, actor_id, actor_label, action, details)
      select employee_id, actor_id, actor_label, action, details
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
        as x(employee_id uuid, actor_id uuid, actor_label text, action text, details jsonb)`);
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

/** Orders rows so every atasan comes before the staff who name them (roots first, then level by level). */
function topologicalByAtasan(rows: RosterRow[]): RosterRow[] {
  const inSet = new Map(rows.map((r) => [r.nip, r]));
  const children = new Map<string, RosterRow[]>();
  const roots: RosterRow[] = [];
  for (const r of rows) {
    if (r.nipAtasan && inSet.has(r.nipAtasan)) {
      const list = children.get(r.nipAtasan) ?? [];
      list.push(r);
      children.set(r.nipAtasan, list);
    } else {
      roots.push(r);
    }
  }
  const ordered: RosterRow[] = [];
  for (let level = roots; level.length > 0; ) {
    for (const r of level) ordered.push(r); // not push(...level): a level of 10^5 rows overflows the stack
    level = level.flatMap((r) => children.get(r.nip) ?? []);
  }
  return ordered;
}

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
