// The TPP and Angka Kredit sheets of /ekspor and npm run report, read back from the XLSX and checked against a
// count made in JS from the rows the generator inserted (SKP states and AK arithmetic written out by hand).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { buildExport, SHEET_NAMES } from '../../src/app/export.js';
import { createProcedureRegistry, type ProcedureRegistry } from '../../src/app/procedures.js';
import { monthlyProcedures, parsePeriod, type ReportDeps } from '../../src/app/reports.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { formatShortDateTime } from '../../src/domain/format.js';
import { getTemplate } from '../../src/domain/templates/index.js';
import { buildTestConfig, exampleDeployment } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { generateReportData, type GeneratedCase, type ReportData } from '../support/report-data.js';

let db: TestDatabase;
let deps: ReportDeps;
let procedures: ProcedureRegistry;
let data: ReportData;
// Wednesday 15 April 2026, 10:00 WIB.
const now = new Date('2026-04-15T03:00:00Z');
const KOEFISIEN = { 'Ahli Pertama': 12.5, 'Ahli Muda': 25 };

// Steps of each annual template at which the SKP is established (ditetapkan) or later, from its SOP.
const ESTABLISHED_AT: Record<string, Array<number | 'completed'>> = {
  'skp-banyuwangi': [6, 7, 'completed'],
  'skp-balangan': ['completed'],
  'skp-tangerang': ['completed'],
};
const PREDIKAT_TEXT: Record<string, string> = {
  sangat_baik: 'Sangat Baik',
  baik: 'Baik',
  butuh_perbaikan: 'Butuh Perbaikan',
  kurang: 'Kurang/Misconduct',
  sangat_kurang: 'Sangat Kurang',
};
const PERCENT: Record<string, number> = { sangat_baik: 1.5, baik: 1, butuh_perbaikan: 0.75, kurang: 0.5, sangat_kurang: 0.25 };
const JENJANG_BY_INDEX = ['Ahli Pertama', 'Ahli Muda', 'Ahli Madya', null] as const;

const latest = (cases: GeneratedCase[]) => [...cases].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id))[0];

function establishedOf(c: GeneratedCase | undefined): { yes: boolean; at: Date | null } {
  if (!c || c.status === 'returned' || c.status === 'cancelled') return { yes: false, at: null };
  const states = ESTABLISHED_AT[c.procedureCode]!;
  const key = c.status === 'completed' ? 'completed' : c.stepNo;
  if (!states.includes(key)) return { yes: false, at: null };
  // The latest completed visit of a step that led into an established state from outside it.
  const steps = getTemplate(c.procedureCode)!.steps;
  let at: Date | null = null;
  for (const visit of data.steps.filter((s) => s.caseId === c.id && s.outcome === 'completed')) {
    const index = steps.findIndex((s) => s.no === visit.stepNo);
    const next = steps[index + 1]?.no ?? 'completed';
    if (states.includes(next) && !states.includes(visit.stepNo) && visit.completedAt && (!at || visit.completedAt > at)) at = visit.completedAt;
  }
  return { yes: true, at };
}

async function sheetOf(name: string, period: string) {
  const file = await buildExport(deps, { period: parsePeriod(period)!, scope: { kind: 'all' }, now, timeZone: 'Asia/Jakarta', koefisien: KOEFISIEN });
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file.content as unknown as ArrayBuffer);
  expect(book.worksheets.map((w) => w.name)).toEqual([...SHEET_NAMES]);
  const sheet = book.getWorksheet(name)!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 2; i <= sheet.rowCount; i++) {
    const values = (sheet.getRow(i).values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, k) => [h, values[k] ?? ''])));
  }
  return { header, rows, rowCounts: file.rowCounts };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const example = exampleDeployment() as { procedures: Record<string, unknown> };
  const config = buildTestConfig(
    { TELEGRAM_BOT_TOKEN: '1:test-token' },
    {
      procedures: {
        ...example.procedures,
        perUnit: {
          Inspektorat: { monthly: 'pengukuran-inspektorat', skpAnnual: 'skp-tangerang' },
          'Dinas Kesehatan': { skpAnnual: 'skp-balangan' },
        },
      },
    },
  );
  const calendar = createCalendar(config.calendar);
  procedures = createProcedureRegistry(config.deployment.procedures);
  deps = { db: db.db, calendar, procedures };
  data = await generateReportData(db, {
    roster: { employees: 260, perangkatDaerah: 4, seed: 5 },
    year: 2026,
    months: 3,
    now,
    calendar,
    procedures,
    seed: 17,
    settledShare: 0.4,
  });
  // Jenjang for the fungsional staff, round robin: two configured, one without a koefisien, one left empty.
  const fungsional = rowsOfIds(await db.db.execute(sql`select id from employees where jenis_jabatan = 'fungsional' order by nip`));
  for (const [i, id] of fungsional.entries()) {
    const jenjang = JENJANG_BY_INDEX[i % JENJANG_BY_INDEX.length];
    await db.db.execute(sql`update employees set jenjang = ${jenjang ?? null} where id = ${id}::uuid`);
  }
  // One objection under way for March: the keberatan case of an employee with a rated March.
  const rated = data.cases.find((c) => c.period === '2026-03' && c.predikat && c.status === 'completed' && data.employees.find((e) => e.id === c.subjectId)!.active)!;
  await db.db.execute(sql`insert into cases (procedure_code, subject_id, period, status, step_no, step_entered_at)
    values ('keberatan', ${rated.subjectId}::uuid, '2026-03', 'active', 2, now())`);
  keberatanSubject = rated.subjectId;
  // One Ahli Muda with rated months also has an annual evaluation of 2026: its predikat counts the full year.
  const ahliMuda = rowsOfIds(await db.db.execute(sql`select id from employees where jenjang = 'Ahli Muda' and active order by nip`));
  annualSubject = ahliMuda.find((id) => data.cases.some((c) => c.subjectId === id && c.predikat && c.status !== 'cancelled' && c.period.startsWith('2026-')))!;
  expect(annualSubject).toBeTruthy();
  await db.db.execute(sql`insert into cases (procedure_code, subject_id, period, status, step_no, step_entered_at, predikat)
    values ('evaluasi-tahunan', ${annualSubject}::uuid, '2026', 'completed', 1, now(), 'sangat_baik')`);
}, 120_000);
afterAll(async () => {
  await db?.drop();
});
let keberatanSubject = '';
let annualSubject = '';

function rowsOfIds(result: unknown): string[] {
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

describe('TPP sheet', () => {
  it('holds one row per active employee and month, each fact as counted from the generated cases', async () => {
    const monthly = new Set(monthlyProcedures(procedures).map((p) => p.code));
    const { rows } = await sheetOf('TPP', '2026');
    const active = data.employees.filter((e) => e.active);
    // January to April (the current month) for every active employee.
    expect(rows).toHaveLength(active.length * 4);
    const byKey = new Map(rows.map((r) => [`${r.NIP}|${r.Bulan}`, r]));
    const monthNames = ['Januari 2026', 'Februari 2026', 'Maret 2026', 'April 2026'];
    let late = 0;
    let rated = 0;
    for (const e of active) {
      const skp = establishedOf(latest(data.cases.filter((c) => c.subjectId === e.id && c.period === '2026')));
      for (const [i, name] of monthNames.entries()) {
        const row = byKey.get(`${e.nip}|${name}`)!;
        expect(row, `${e.nip} ${name}`).toBeDefined();
        expect(row.Nama).toBe(e.nama);
        expect(row['Perangkat Daerah']).toBe(e.pdName);
        expect(row['SKP 2026 ditetapkan']).toBe(skp.yes ? 'Ya' : 'Tidak');
        expect(row['Tanggal SKP ditetapkan']).toBe(skp.at ? formatShortDateTime(skp.at, 'Asia/Jakarta').slice(0, 10) : '');
        const key = `2026-0${i + 1}`;
        const m = latest(data.cases.filter((c) => c.subjectId === e.id && c.period === key && monthly.has(c.procedureCode)));
        const submitted = m && m.submittedAt !== null && m.status !== 'cancelled';
        expect(row['Realisasi bulan']).toBe(submitted ? (m.late ? 'Terlambat' : 'Tepat waktu') : 'Belum masuk');
        const predikat = m && m.status !== 'cancelled' ? m.predikat : null;
        expect(row['Sudah dinilai']).toBe(predikat ? 'Ya' : 'Tidak');
        expect(row.Predikat).toBe(predikat ? PREDIKAT_TEXT[predikat] : '');
        expect(row['Keberatan dalam proses']).toBe(e.id === keberatanSubject && key === '2026-03' ? 'Ya' : 'Tidak');
        if (submitted && m.late) late++;
        if (predikat) rated++;
      }
    }
    // The generated data covers what the columns distinguish.
    expect(late).toBeGreaterThan(0);
    expect(rated).toBeGreaterThan(0);
    expect(rows.some((r) => r['SKP 2026 ditetapkan'] === 'Ya')).toBe(true);
    expect(rows.some((r) => r['SKP 2026 ditetapkan'] === 'Tidak')).toBe(true);
  });

  it('a month export has that month only', async () => {
    const { rows } = await sheetOf('TPP', '2026-03');
    expect(rows).toHaveLength(data.employees.filter((e) => e.active).length);
    expect(new Set(rows.map((r) => r.Bulan))).toEqual(new Set(['Maret 2026']));
  });
});

describe('Angka Kredit sheet', () => {
  it('lists every jabatan fungsional with the AK of its rated months, or the reason there is none', async () => {
    const monthly = new Set(monthlyProcedures(procedures).map((p) => p.code));
    const jenjangRows = await db.db.execute(sql`select nip, jenjang from employees where jenis_jabatan = 'fungsional' and active`);
    const jenjangOf = new Map(
      ((Array.isArray(jenjangRows) ? jenjangRows : (jenjangRows as { rows: unknown[] }).rows) as Array<{ nip: string; jenjang: string | null }>).map((r) => [r.nip, r.jenjang]),
    );
    const { rows } = await sheetOf('Angka Kredit', '2026');
    expect(rows).toHaveLength(jenjangOf.size);
    const problems = { none: 0, jenjang: 0, koefisien: 0, annual: 0 };
    for (const row of rows) {
      const e = data.employees.find((x) => x.nip === row.NIP)!;
      const jenjang = jenjangOf.get(String(row.NIP)) ?? null;
      let ak = 0;
      let months = 0;
      for (const key of ['2026-01', '2026-02', '2026-03']) {
        const m = latest(data.cases.filter((c) => c.subjectId === e.id && c.period === key && monthly.has(c.procedureCode) && c.status !== 'cancelled'));
        if (m?.predikat) {
          months++;
          ak += PERCENT[m.predikat]! * (jenjang === 'Ahli Pertama' ? 12.5 : 25) / 12;
        }
      }
      expect(row['Bulan dinilai']).toBe(months);
      if (e.id === annualSubject) {
        // Sangat Baik × koefisien 25 × 12/12, whatever the months say.
        expect(row['Predikat Tahunan']).toBe('Sangat Baik');
        expect(row['Angka Kredit']).toBe(37.5);
        expect(row['Angka Kredit']).not.toBeCloseTo(ak, 2);
        expect(row.Keterangan).toBe('Dihitung dari predikat tahunan (12/12)');
        problems.annual++;
        continue;
      }
      expect(row['Predikat Tahunan']).toBe('');
      if (jenjang === null) {
        problems.jenjang++;
        expect(row['Angka Kredit']).toBe('');
        expect(row.Keterangan).toMatch(/Jenjang jabatan fungsional belum diisi/);
      } else if (jenjang === 'Ahli Madya') {
        problems.koefisien++;
        expect(row['Angka Kredit']).toBe('');
        expect(row.Keterangan).toMatch(/Koefisien jenjang ini belum diatur/);
      } else {
        problems.none++;
        expect(row.Koefisien).toBe(KOEFISIEN[jenjang as keyof typeof KOEFISIEN]);
        expect(row['Angka Kredit']).toBeCloseTo(ak, 2);
        expect(row.Keterangan).toBe('');
      }
    }
    expect(problems.none).toBeGreaterThan(0);
    expect(problems.jenjang).toBeGreaterThan(0);
    expect(problems.koefisien).toBeGreaterThan(0);
    expect(problems.annual).toBe(1);
  });

  it('a month export counts only that month, even for an employee with an annual predikat', async () => {
    const { rows } = await sheetOf('Angka Kredit', '2026-03');
    const e = data.employees.find((x) => x.id === annualSubject)!;
    const row = rows.find((r) => r.NIP === e.nip)!;
    expect(row['Predikat Tahunan']).toBe('');
    expect(row['Bulan dinilai']).toBeLessThanOrEqual(1);
  });
});

describe('a triwulan predikat', () => {
  it('covers its three months in the TPP sheet and counts 3/12 in the Angka Kredit', async () => {
    // An Ahli Pertama whose monthly cases are moved out of 2026, rated per triwulan instead: Triwulan I, Baik.
    const ids = rowsOfIds(await db.db.execute(sql`select id from employees where jenjang = 'Ahli Pertama' and active order by nip`));
    const subject = ids.find((id) => id !== keberatanSubject && id !== annualSubject)!;
    await db.db.execute(sql`update cases set period = '2025-' || substr(period, 6) where subject_id = ${subject}::uuid and period like '2026-%'`);
    await db.db.execute(sql`insert into cases (procedure_code, subject_id, period, status, step_no, step_entered_at, submitted_at, predikat)
      values ('bulanan-tangerang', ${subject}::uuid, '2026-T1', 'completed', 1, now(), now(), 'baik')`);
    const nip = data.employees.find((x) => x.id === subject)!.nip;

    const tpp = (await sheetOf('TPP', '2026')).rows.filter((r) => r.NIP === nip);
    expect(tpp.map((r) => [r.Bulan, r.Predikat])).toEqual([
      ['Januari 2026', 'Baik'],
      ['Februari 2026', 'Baik'],
      ['Maret 2026', 'Baik'],
      ['April 2026', ''],
    ]);
    const quarter = (await sheetOf('TPP', '2026-T1')).rows.filter((r) => r.NIP === nip);
    expect(quarter.map((r) => r.Bulan)).toEqual(['Januari 2026', 'Februari 2026', 'Maret 2026']);

    const ak = (await sheetOf('Angka Kredit', '2026')).rows.find((r) => r.NIP === nip)!;
    expect(ak['Bulan dinilai']).toBe(3);
    expect(ak['Angka Kredit']).toBeCloseTo(KOEFISIEN['Ahli Pertama'] * (3 / 12), 3);
    expect((await sheetOf('Angka Kredit', '2026-T1')).rows.find((r) => r.NIP === nip)!['Bulan dinilai']).toBe(3);
  });
});
