// Mutu baku on real PostgreSQL: a small hand-made history run through the real case engine, with every step's
// working-time duration worked out by hand on the default calendar (Mon–Thu 07.30–16.00, Fri 07.30–16.30,
// 2026 holidays), then the medians, 90th percentiles and shares within the SOP standard checked exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { measureMutuBaku, percentile, summariseDurations, type MutuBakuRow } from '../../src/app/mutu-baku.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { parsePeriod, scopeOf, type ReportScope } from '../../src/app/reports.js';
import { findEmployeeById } from '../../src/app/repositories/employees.js';
import { mutuBakuLine } from '../../src/chat/texts/reports.js';
import { employees } from '../../src/db/schema/index.js';
import { createCalendar, CUTI_BERSAMA_2026, DEFAULT_WORKING_HOURS, HOLIDAYS_2026 } from '../../src/domain/calendar.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let deps: EngineDeps;
const ids: Record<string, string> = {};
const NIP = {
  anisa: '199207142017032002',
  melati: '199011052019022001',
  rini: '199508232023212003',
  yuliana: '198601152010012007', // their atasan
  lilis: '197612012002122003', // atasan of the atasan
  siti: '198303272008012005', // pengelola Dinas Kesehatan
  fajar: '199103252015031001', // BKPP admin
  rina: '198406302009022003', // pengelola of the BKPP
};
/** A WIB wall-clock time ('2026-01-12 08:00') as an instant. */
const wib = (text: string) => new Date(`${text.replace(' ', 'T')}:00+07:00`);
const rhk = { rhk: [{ jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer' }] };
const realisasi = { realisasi: [{ rhkId: 'r1', realisasi: '100 kunjungan', bukti: [{ url: 'https://example.go.id/bukti' }] }] };

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  for (const [key, nip] of Object.entries(NIP)) {
    const [row] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, nip));
    ids[key] = row!.id;
  }
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' });
  const calendar = createCalendar({
    timeZone: 'Asia/Jakarta',
    alwaysOpen: false,
    workingHours: DEFAULT_WORKING_HOURS,
    holidays: HOLIDAYS_2026,
    cutiBersama: CUTI_BERSAMA_2026,
  });
  deps = { db: db.db, calendar, procedures: createProcedureRegistry(config.deployment.procedures) };
  const step = (caseId: string, actor: string, stepNo: number, at: string, inputs: Record<string, unknown> = {}) =>
    act(deps, { caseId, actorId: ids[actor]!, command: { kind: 'complete', stepNo, inputs }, now: wib(at) });

  // Anisa's SKP, straight through (skp-banyuwangi, steps 3–7).
  const a = (await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now: wib('2026-01-12 08:00') })).case;
  await step(a.id, 'anisa', 3, '2026-01-12 08:20', rhk); // 20 min
  await step(a.id, 'yuliana', 4, '2026-01-12 11:20'); // 3 h = 180
  await step(a.id, 'lilis', 5, '2026-01-13 08:00'); // Mon 11.20–16.00 = 280, Tue 07.30–08.00 = 30 → 310
  await step(a.id, 'siti', 6, '2026-01-13 08:25', { confirmed: true }); // 25
  await step(a.id, 'fajar', 7, '2026-01-15 15:00'); // Tue 08.25–16.00 = 455, Wed 510, Thu 07.30–15.00 = 450 → 1415

  // Melati's: across the Isra Mikraj holiday (Fri 16 Jan) and a weekend, returned once, resubmitted.
  const b = (await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.melati!, period: '2026', now: wib('2026-01-15 15:00') })).case;
  await step(b.id, 'melati', 3, '2026-01-19 09:00', rhk); // Thu 15.00–16.00 = 60, Mon 07.30–09.00 = 90 → 150
  await act(deps, {
    caseId: b.id,
    actorId: ids.yuliana!,
    command: { kind: 'return', stepNo: 4, reason: 'Target kuantitas belum diisi' },
    now: wib('2026-01-19 09:05'),
  }); // step 4: 5 (returned counts: the verifier did the work)
  await act(deps, { caseId: b.id, actorId: ids.melati!, command: { kind: 'resubmit', inputs: rhk }, now: wib('2026-01-19 10:05') }); // step 3 again: 60
  await step(b.id, 'yuliana', 4, '2026-01-19 10:15'); // 10; step 5 stays open and is not measured

  // Rini's: opened before office hours, verified four days later, then cancelled (a cancelled visit is not measured).
  const c = (await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.rini!, period: '2026', now: wib('2026-01-19 07:00') })).case;
  await step(c.id, 'rini', 3, '2026-01-19 07:45', rhk); // 07.30–07.45 = 15
  await step(c.id, 'yuliana', 4, '2026-01-23 16:20'); // Mon 495 + Tue–Thu 3 × 510 + Fri 07.30–16.20 = 530 → 2555
  await act(deps, { caseId: c.id, actorId: ids.fajar!, command: { kind: 'cancel', reason: 'Pindah tugas' }, now: wib('2026-01-26 08:00') });

  // Anisa's January realisation (bulanan-tangerang), submitted in February.
  const m = (await openCase(deps, { procedureCode: 'bulanan-tangerang', subjectId: ids.anisa!, period: '2026-01', now: wib('2026-02-02 08:00') })).case;
  await step(m.id, 'anisa', 3, '2026-02-02 09:00', realisasi); // 60: exactly the standard of 1 hour
  await act(deps, {
    caseId: m.id,
    actorId: ids.yuliana!,
    command: { kind: 'complete', stepNo: 4, inputs: { rating: { hasilKerja: 'sesuai', perilaku: 'sesuai' } } },
    now: wib('2026-02-03 08:00'),
  }); // Mon 09.00–16.00 = 420, Tue 07.30–08.00 = 30 → 450
});
afterAll(async () => {
  await db?.drop();
});

const row = (rows: MutuBakuRow[], code: string, stepNo: number) => rows.find((r) => r.procedureCode === code && r.stepNo === stepNo)!;

describe('percentiles', () => {
  it('interpolate between the closest ranks, like percentile_cont', () => {
    expect(percentile([5], 0.9)).toBe(5);
    expect(percentile([10, 20], 0.5)).toBe(15);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(() => percentile([], 0.5)).toThrow();
    expect(summariseDurations([30, 10, 20, 31], 30)).toEqual({ count: 4, medianMinutes: 25, p90Minutes: 30.7, withinStandard: 3, withinShare: 0.75 });
    expect(summariseDurations([], 30)).toEqual({ count: 0, medianMinutes: null, p90Minutes: null, withinStandard: 0, withinShare: null });
  });
});

describe('mutu baku of the year', () => {
  it('matches the hand-computed working-time durations of every step', async () => {
    const rows = await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' } });
    // The annual procedure first, then the monthly one, each in template order.
    expect(rows.map((r) => `${r.procedureCode}#${r.stepNo}`)).toEqual([
      'skp-banyuwangi#3',
      'skp-banyuwangi#4',
      'skp-banyuwangi#5',
      'skp-banyuwangi#6',
      'skp-banyuwangi#7',
      'bulanan-tangerang#3',
      'bulanan-tangerang#4',
      'bulanan-tangerang#5',
      'bulanan-tangerang#6',
      'bulanan-tangerang#7',
    ]);
    // Step 3: [20, 150, 60, 15] → sorted 15, 20, 60, 150; median (20 + 60) / 2; p90 at rank 2.7: 60 + 0.7 × 90.
    expect(row(rows, 'skp-banyuwangi', 3)).toMatchObject({
      label: 'Pengajuan pegawai',
      standardMinutes: 30,
      count: 4,
      medianMinutes: 40,
      withinStandard: 2,
      withinShare: 0.5,
    });
    expect(row(rows, 'skp-banyuwangi', 3).p90Minutes).toBeCloseTo(123, 9);
    // Step 4: [180, 5, 10, 2555] → 5, 10, 180, 2555; median 95; p90 180 + 0.7 × 2375 = 1842.5.
    expect(row(rows, 'skp-banyuwangi', 4)).toMatchObject({
      label: 'Verifikasi pejabat penilai',
      standardMinutes: 10,
      count: 4,
      medianMinutes: 95,
      withinStandard: 2,
      withinShare: 0.5,
    });
    expect(row(rows, 'skp-banyuwangi', 4).p90Minutes).toBeCloseTo(1842.5, 9);
    expect(row(rows, 'skp-banyuwangi', 5)).toMatchObject({ label: 'Penetapan atasan pejabat penilai', count: 1, medianMinutes: 310, p90Minutes: 310, withinShare: 0 });
    expect(row(rows, 'skp-banyuwangi', 6)).toMatchObject({ count: 1, medianMinutes: 25, withinStandard: 1, withinShare: 1 });
    expect(row(rows, 'skp-banyuwangi', 7)).toMatchObject({ label: 'Penerimaan BKPP', count: 1, medianMinutes: 1415, withinShare: 0 });
    // Exactly on the standard counts as within it.
    expect(row(rows, 'bulanan-tangerang', 3)).toMatchObject({ count: 1, medianMinutes: 60, standardMinutes: 60, withinShare: 1 });
    expect(row(rows, 'bulanan-tangerang', 4)).toMatchObject({ count: 1, medianMinutes: 450, standardMinutes: 30, withinShare: 0 });
    expect(row(rows, 'bulanan-tangerang', 5)).toMatchObject({ count: 0, medianMinutes: null, withinShare: null });
  });

  it("the same figures when each step's visits come in slices of one, two or three", async () => {
    const whole = await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' } });
    expect(whole.some((r) => r.count >= 4)).toBe(true);
    for (const slice of [1, 2, 3]) {
      expect(await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' } }, slice)).toEqual(whole);
    }
  });

  it('reads as the issue asks', async () => {
    const rows = await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' } });
    expect(mutuBakuLine(row(rows, 'skp-banyuwangi', 4))).toBe(
      'Verifikasi pejabat penilai (langkah 4): median 1 jam 35 menit, P90 4 hari kerja 43 menit, standar 10 menit, 50 % dalam standar (n = 4)',
    );
    expect(mutuBakuLine(row(rows, 'bulanan-tangerang', 5))).toBe('Penandatanganan pejabat penilai (langkah 5): belum ada data, standar 30 menit');
  });
});

describe('mutu baku of a month and of a scope', () => {
  it('a month covers only that month’s cases', async () => {
    const rows = await measureMutuBaku(deps, { period: parsePeriod('2026-01')!, scope: { kind: 'all' } });
    expect(new Set(rows.map((r) => r.procedureCode))).toEqual(new Set(['bulanan-tangerang']));
    expect(row(rows, 'bulanan-tangerang', 4).medianMinutes).toBe(450);
  });

  it('a pengelola of another perangkat daerah measures nothing of Dinas Kesehatan', async () => {
    const rina = (await findEmployeeById(db.db, ids.rina!))!;
    const otherPd = scopeOf(rina)!;
    expect(otherPd.kind).toBe('perangkatDaerah');
    expect(await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: otherPd })).toEqual([]);
    const siti = scopeOf((await findEmployeeById(db.db, ids.siti!))!)!;
    expect(row(await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: siti }), 'skp-banyuwangi', 3).count).toBe(4);
    const yuliana: ReportScope = { kind: 'reports', atasanId: ids.yuliana! };
    expect(row(await measureMutuBaku(deps, { period: parsePeriod('2026')!, scope: yuliana }), 'skp-banyuwangi', 4).count).toBe(4);
  });
});
