import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { importRoster } from '../../src/app/import-roster.js';
import { runRosterImportCli } from '../../src/cli/roster-import.js';
import { rowsOf } from '../../src/db/client.js';
import { employeeAudit, employeeRoles, employees, units } from '../../src/db/schema/index.js';
import { parseRoster, type RosterRow } from '../../src/domain/roster.js';
import { expectDbError } from '../support/assert.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
const exampleCsv = readFileSync('examples/roster.csv');

function parsed(content: Buffer | string) {
  const result = parseRoster(Buffer.isBuffer(content) ? content : Buffer.from(content));
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
}

const count = async (table: typeof employees | typeof employeeAudit | typeof units | typeof employeeRoles) => {
  const [row] = await db.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row!.n;
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('roster import on real PostgreSQL', () => {
  it('a dry run reports the changes and changes nothing', async () => {
    const r = parsed(exampleCsv);
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: true, actorLabel: 'test' });
    expect(summary.created).toBe(r.rows.length);
    expect(await count(employees)).toBe(0);
    expect(await count(units)).toBe(0);
    expect(await count(employeeAudit)).toBe(0);
  });

  it('imports the example roster with units, atasan and roles', async () => {
    const r = parsed(exampleCsv);
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: r.rows.length, updated: 0, deactivated: 0 });
    expect(await count(employees)).toBe(r.rows.length);
    expect(await count(units)).toBe(r.units.length);
    // Every non-empty nip_atasan became a foreign key to the right person.
    const check = rowsOf<{ bad: number }>(
      await db.db.execute(sql`select count(*)::int as bad from employees e left join employees a on a.id = e.atasan_id
        where (e.atasan_id is null) <> (e.nip in (${sql.join(r.rows.filter((x) => !x.nipAtasan).map((x) => sql`${x.nip}`), sql`, `)}))`),
    );
    expect(check[0]!.bad).toBe(0);
    const roles = await db.db.select().from(employeeRoles);
    expect(roles.filter((x) => x.role === 'bkpp_admin').length).toBe(r.rows.filter((x) => x.peran.includes('bkpp_admin')).length);
    // Pengelola roles point at the perangkat daerah (depth 0).
    const pengelolaUnits = rowsOf<{ depth: number }>(
      await db.db.execute(sql`select u.depth from employee_roles r join units u on u.id = r.unit_id where r.role = 'pengelola'`),
    );
    expect(pengelolaUnits.length).toBeGreaterThanOrEqual(3);
    expect(pengelolaUnits.every((u) => u.depth === 0)).toBe(true);
  });

  it('importing the same file twice changes nothing and writes no audit rows', async () => {
    const auditBefore = await count(employeeAudit);
    const r = parsed(exampleCsv);
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: 0, updated: 0, deactivated: 0, reactivated: 0, unitsCreated: 0, rolesAdded: 0, rolesRemoved: 0 });
    expect(summary.unchanged).toBe(r.rows.length);
    expect(await count(employeeAudit)).toBe(auditBefore);
  });

  it('updates changed rows, deactivates missing ones (never deletes) and audits each change', async () => {
    const lines = exampleCsv.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
    const r0 = parsed(exampleCsv);
    // Drop a leaf employee (one nobody names as atasan) and rename another.
    const atasanNips = new Set(r0.rows.map((x) => x.nipAtasan).filter(Boolean));
    const leaf = r0.rows.find((x) => !atasanNips.has(x.nip) && x.peran.length === 0)!;
    const renamed = r0.rows.find((x) => x.nip !== leaf.nip && x.peran.length === 0)!;
    const edited = lines
      .filter((l) => !l.includes(leaf.nip))
      .map((l) => (l.includes(renamed.nip) ? l.replace(renamed.nama, `${renamed.nama} Baru`) : l))
      .join('\n');
    const r = parsed(edited);
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: 0, updated: 1, deactivated: 1 });
    const [gone] = await db.db.select().from(employees).where(eq(employees.nip, leaf.nip));
    expect(gone!.active).toBe(false);
    const [changed] = await db.db.select().from(employees).where(eq(employees.nip, renamed.nip));
    expect(changed!.nama).toBe(`${renamed.nama} Baru`);
    const audits = await db.db.select().from(employeeAudit).where(eq(employeeAudit.employeeId, changed!.id));
    expect(audits.map((a) => a.action)).toContain('updated');
    // Re-importing the original reactivates.
    const back = await importRoster(db.db, r0.rows, r0.units, { dryRun: false, actorLabel: 'test' });
    expect(back).toMatchObject({ reactivated: 1, updated: 1, deactivated: 0 });
  });

  it('roles end with deactivation and with a row that no longer lists them; a later import gives them back', async () => {
    const r0 = parsed(exampleCsv);
    const lines = exampleCsv.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
    // A BKPP admin leaves the roster; a pengelola stays but their row no longer says pengelola.
    const admin = r0.rows.find((x) => x.peran.includes('bkpp_admin'))!;
    const pengelola = r0.rows.find((x) => x.peran.includes('pengelola'))!;
    const edited = lines
      .filter((l) => !l.startsWith(admin.nip))
      .map((l) => (l.startsWith(pengelola.nip) ? l.replace(';pengelola;', ';;') : l))
      .join('\n');
    const r = parsed(edited);
    const [adminRow] = await db.db.select().from(employees).where(eq(employees.nip, admin.nip));
    const [pengelolaRow] = await db.db.select().from(employees).where(eq(employees.nip, pengelola.nip));
    await db.db.update(employees).set({ telegramUserId: 777_001, telegramChatId: 777_001 }).where(eq(employees.id, adminRow!.id));
    const rolesOf = async (id: string) => (await db.db.select().from(employeeRoles).where(eq(employeeRoles.employeeId, id))).map((x) => x.role);

    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ deactivated: 1, rolesRemoved: 2 });
    expect(await rolesOf(adminRow!.id)).toEqual([]);
    expect(await rolesOf(pengelolaRow!.id)).toEqual([]);
    const [inactive] = await db.db.select().from(employees).where(eq(employees.id, adminRow!.id));
    // The link stays: a later import that lists them again restores access without relinking.
    expect(inactive).toMatchObject({ active: false, telegramUserId: 777_001 });
    const removed = await db.db.select().from(employeeAudit).where(eq(employeeAudit.employeeId, adminRow!.id));
    expect(removed.filter((a) => a.action === 'role_removed').map((a) => a.details)).toEqual([{ role: 'bkpp_admin', reason: 'deactivated' }]);

    const back = await importRoster(db.db, r0.rows, r0.units, { dryRun: false, actorLabel: 'test' });
    expect(back).toMatchObject({ reactivated: 1, rolesAdded: 2, rolesRemoved: 0 });
    expect(await rolesOf(adminRow!.id)).toEqual(['bkpp_admin']);
    expect(await rolesOf(pengelolaRow!.id)).toEqual(['pengelola']);
    const [again] = await db.db.select().from(employees).where(eq(employees.id, adminRow!.id));
    expect(again).toMatchObject({ active: true, telegramUserId: 777_001 });
  });

  it('the audit log is append-only', async () => {
    await expectDbError(db.db.execute(sql`update employee_audit set action = 'x'`), /append-only/);
    await expectDbError(db.db.execute(sql`delete from employee_audit`), /append-only/);
  });

  it('a failure in the middle leaves the previous state intact', async () => {
    const before = await db.db.select({ nip: employees.nip, nama: employees.nama }).from(employees);
    const r = parsed(exampleCsv.toString('utf8').replace(/;(Dinas Kesehatan)/g, ';$1 Baru'));
    await expect(
      importRoster(db.db, r.rows, r.units, {
        dryRun: false,
        actorLabel: 'test',
        after: async () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    const after = await db.db.select({ nip: employees.nip, nama: employees.nama }).from(employees);
    expect(after).toEqual(before);
    expect((await db.db.select().from(units)).some((u) => u.path.includes('Baru'))).toBe(false);
  });

  it('the CLI validates, dry-runs and applies', async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = db.url;
    try {
      const out: string[] = [];
      const dir = mkdtempSync(join(tmpdir(), 'roster-'));
      const bad = join(dir, 'bad.csv');
      writeFileSync(bad, 'nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran\n123;Budi;Staf;pelaksana;Dinas X;;;\n');
      expect(await runRosterImportCli([bad], (l) => out.push(l))).toBe(1);
      expect(out.join('\n')).toMatch(/Baris 2/);
      expect(out.join('\n')).toMatch(/tidak ada data yang diubah/);

      out.length = 0;
      expect(await runRosterImportCli(['examples/roster.csv', '--dry-run'], (l) => out.push(l))).toBe(0);
      expect(out.join('\n')).toMatch(/Pratinjau impor roster\.csv/);

      out.length = 0;
      expect(await runRosterImportCli([], (l) => out.push(l))).toBe(2);
      expect(out[0]).toMatch(/Pemakaian/);
    } finally {
      process.env.DATABASE_URL = previous;
    }
  });
});

describe('the optional pangkat column', () => {
  const ANISA = '199207142017032002';
  const exampleLines = () => exampleCsv.toString('utf8').replace(/^\uFEFF/, '').split('\n').filter((l) => l.trim() !== '');
  /** The example file with Anisa's pangkat cell (the last one) replaced. */
  const withAnisaPangkat = (pangkat: string) =>
    exampleLines()
      .map((l) => (l.startsWith(ANISA) ? `${l.slice(0, l.lastIndexOf(';'))};${pangkat}` : l))
      .join('\n');
  /** The example file as an older roster without the pangkat column (it is the last one). */
  const withoutPangkat = () => exampleLines().map((l) => l.slice(0, l.lastIndexOf(';')));
  const storedPangkat = async () =>
    new Map((await db.db.select({ nip: employees.nip, pangkat: employees.pangkat }).from(employees)).map((e) => [e.nip, e.pangkat]));

  it('the import stored every pangkat of the file, empty cells as null', async () => {
    const { rows, units: unitPaths } = parsed(exampleCsv);
    await importRoster(db.db, rows, unitPaths, { dryRun: false, actorLabel: 'test' });
    const stored = await storedPangkat();
    expect(rows.some((r) => r.pangkat === null)).toBe(true);
    for (const r of rows) expect(stored.get(r.nip), r.nama).toBe(r.pangkat);
    expect(stored.get(ANISA)).toBe('Penata Muda Tk. I, III/b');
  });

  it('re-importing the unchanged file changes no row', async () => {
    const r = parsed(exampleCsv);
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: 0, updated: 0, unchanged: r.rows.length, changes: [] });
  });

  it('a changed pangkat alone is one change, applied and audited with before and after', async () => {
    const r = parsed(withAnisaPangkat('Penata, III/c'));
    const dry = await importRoster(db.db, r.rows, r.units, { dryRun: true, actorLabel: 'test' });
    expect(dry).toMatchObject({ updated: 1, unchanged: r.rows.length - 1 });
    expect(dry.changes).toEqual([{ nip: ANISA, nama: 'Anisa Fitriani, S.Kep, Ns', kind: 'updated', fields: ['pangkat'] }]);
    expect((await storedPangkat()).get(ANISA)).toBe('Penata Muda Tk. I, III/b');

    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: 0, updated: 1, unchanged: r.rows.length - 1 });
    expect((await storedPangkat()).get(ANISA)).toBe('Penata, III/c');
    const [anisa] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, ANISA));
    const audits = await db.db.select().from(employeeAudit).where(eq(employeeAudit.employeeId, anisa!.id));
    expect(audits.at(-1)).toMatchObject({
      action: 'updated',
      details: { fields: ['pangkat'], before: { pangkat: 'Penata Muda Tk. I, III/b' }, after: { pangkat: 'Penata, III/c' } },
    });
  });

  it('a file without the column keeps the stored pangkat, even of rows it updates, and adds newcomers without one', async () => {
    const before = await storedPangkat();
    const rudi = '199002202014061002';
    const newcomer = '199801012024011001';
    const lines = withoutPangkat().map((l) => (l.startsWith(rudi) ? l.replace('Rudi Hartono', 'Rudi Hartono, S.E.') : l));
    lines.push(`${newcomer};Citra Anggun;Pengadministrasi Perkantoran;pelaksana;Inspektorat / Sekretariat;197706152003122006;;`);
    const r = parsed(lines.join('\n'));
    expect(r.rows.every((row) => !('pangkat' in row))).toBe(true);
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: 1, updated: 1, unchanged: r.rows.length - 2 });
    expect(summary.changes.find((c) => c.kind === 'updated')).toMatchObject({ nip: rudi, fields: ['nama'] });
    const after = await storedPangkat();
    expect(after.get(rudi)).toBe('Pengatur, II/c');
    expect(after.get(newcomer)).toBeNull();
    after.delete(newcomer);
    expect(after).toEqual(before);
    // Re-importing the file without the column is a no-op.
    const again = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: r.rows.length });
  });

  it('an empty cell in a file with the column clears the stored pangkat', async () => {
    const r = parsed(withAnisaPangkat(''));
    const summary = await importRoster(db.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    // Rudi's name goes back and the newcomer of the previous test, not in this file, is deactivated.
    expect(summary).toMatchObject({ updated: 2, deactivated: 1 });
    expect(summary.changes.filter((c) => c.kind === 'updated').map((c) => [c.nip, c.fields])).toEqual([
      ['199002202014061002', ['nama']],
      [ANISA, ['pangkat']],
    ]);
    expect((await storedPangkat()).get(ANISA)).toBeNull();
  });
});

describe('atasan within the file, and what the import itself refuses', () => {
  let fresh: TestDatabase;
  beforeAll(async () => {
    fresh = await createTestDatabase();
  });
  afterAll(async () => {
    await fresh.drop();
  });
  const atasanOf = async (nip: string) =>
    rowsOf<{ atasan: string | null }>(
      await fresh.db.execute(sql`select a.nip as atasan from employees e left join employees a on a.id = e.atasan_id where e.nip = ${nip}`),
    )[0]?.atasan;
  /** Foreign keys and indexes of the tables a bulk creation sets aside and puts back. */
  const foreignKeys = async () =>
    rowsOf<{ name: string; definition: string }>(
      await fresh.db.execute(sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
          where contype = 'f' and conrelid in ('employees'::regclass, 'employee_audit'::regclass)
        union all select indexname, indexdef from pg_indexes where tablename in ('employees', 'employee_audit')
        order by name`),
    );

  it('a bulk creation (foreign keys and indexes set aside and put back) stores the same as a row by row one, keys and indexes intact', async () => {
    const keys = await foreignKeys();
    const r = parsed(exampleCsv);
    const statistics = async () =>
      rowsOf<{ n: number }>(await fresh.db.execute(sql`select count(*)::int as n from pg_stats where schemaname = 'public' and tablename = 'employees'`))[0]!.n;
    expect(await statistics()).toBe(0);
    const summary = await importRoster(fresh.db, r.rows, r.units, { dryRun: false, actorLabel: 'test', bulkCreationFrom: 1, analyzeFrom: 1 });
    expect(summary).toMatchObject({ created: r.rows.length, updated: 0 });
    // The planner knows the new rows at once: the fan-out that may follow is not planned on an empty table.
    expect(await statistics()).toBeGreaterThan(0);
    expect(await foreignKeys()).toEqual(keys);
    for (const row of r.rows) expect(await atasanOf(row.nip), row.nama).toBe(row.nipAtasan);
    const audits = rowsOf<{ n: number }>(await fresh.db.execute(sql`select count(*)::int as n from employee_audit where action = 'created'`));
    expect(audits[0]!.n).toBe(r.rows.length);
    // A dry run of a bulk creation rolls the dropped keys back too.
    const lines = exampleCsv.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
    const more = parsed([...lines, '199801012024011001;Citra Anggun;Staf;pelaksana;Inspektorat;;;;'].join('\n'));
    const dry = await importRoster(fresh.db, more.rows, more.units, { dryRun: true, actorLabel: 'test', bulkCreationFrom: 1 });
    expect(dry.created).toBe(1);
    expect(await foreignKeys()).toEqual(keys);
  });

  it('a newcomer may name an atasan listed after them who is new too, and a stored employee may move under a newcomer', async () => {
    const r0 = parsed(exampleCsv);
    await importRoster(fresh.db, r0.rows, r0.units, { dryRun: false, actorLabel: 'test' }); // the example, stored
    const lines = exampleCsv.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
    const staff = r0.rows.find((x) => x.nipAtasan && x.peran.length === 0)!;
    const [header, ...body] = lines;
    const NEW_STAFF = '199901012024011002';
    const NEW_HEAD = '197001011995031001';
    const edited = [
      header,
      `${NEW_STAFF};Dimas Anggara;Staf;pelaksana;Inspektorat;${NEW_HEAD};;;`,
      ...body.map((l) => (l.startsWith(staff.nip) ? l.replace(`;${staff.nipAtasan};`, `;${NEW_HEAD};`) : l)),
      `${NEW_HEAD};Kepala Baru;Kepala Unit Baru;administrator;Inspektorat / Unit Baru;;;;`,
    ].join('\n');
    const r = parsed(edited);
    const summary = await importRoster(fresh.db, r.rows, r.units, { dryRun: false, actorLabel: 'test' });
    expect(summary).toMatchObject({ created: 2, updated: 1, unitsCreated: 1 });
    // Parents first in the report: the new head before the staff who names them.
    expect(summary.changes.filter((c) => c.kind === 'created').map((c) => c.nip)).toEqual([NEW_HEAD, NEW_STAFF]);
    expect(summary.changes.find((c) => c.kind === 'updated')).toMatchObject({ nip: staff.nip, fields: ['atasan'] });
    expect(await atasanOf(NEW_STAFF)).toBe(NEW_HEAD);
    expect(await atasanOf(staff.nip)).toBe(NEW_HEAD);
    expect(await atasanOf(NEW_HEAD)).toBeNull();
  });

  it('rows that skipped validation are refused, changing nothing: an atasan cycle among newcomers, an atasan nowhere', async () => {
    const r = parsed(exampleCsv);
    const before = await fresh.db.select({ nip: employees.nip, active: employees.active, atasan: employees.atasanId }).from(employees);
    const newcomer = (nip: string, nipAtasan: string): RosterRow => ({
      line: 0,
      nip,
      nama: `Pegawai ${nip}`,
      jabatan: 'Staf',
      jenisJabatan: 'pelaksana',
      unitPath: ['Inspektorat'],
      nipAtasan,
      telepon: null,
      peran: [],
    });
    const cycle = [newcomer('199901012024011011', '199901012024011012'), newcomer('199901012024011012', '199901012024011011')];
    await expect(importRoster(fresh.db, [...r.rows, ...cycle], r.units, { dryRun: false, actorLabel: 'test' })).rejects.toThrow(/cycle/);
    const nowhere = [newcomer('199901012024011013', '199901012024011099')];
    await expect(importRoster(fresh.db, [...r.rows, ...nowhere], r.units, { dryRun: false, actorLabel: 'test' })).rejects.toThrow(/199901012024011099/);
    expect(await fresh.db.select({ nip: employees.nip, active: employees.active, atasan: employees.atasanId }).from(employees)).toEqual(before);
  });
});
