// Recaps on real PostgreSQL with generated data: every figure is checked against a count made in JS from the rows
// the generator inserted, with the SKP states of each template written out by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { collectSheets, buildExport, parseSheetName, SHEET_NAMES, writeCsv } from '../../src/app/export.js';
import { createProcedureRegistry, type ProcedureRegistry } from '../../src/app/procedures.js';
import { setOrgRating } from '../../src/app/annual-evaluation.js';
import {
  buildRecap,
  employeeCaseLogs,
  employeeStatuses,
  overdueSteps,
  parsePeriod,
  periodKey,
  scopeOf,
  sendManualReminder,
  skpStateOfStep,
  skpStateWhenCompleted,
  SKP_STATES,
  type PdRecap,
  type ReportDeps,
  type ReportPeriod,
  type ReportScope,
  type SkpState,
} from '../../src/app/reports.js';
import { parseReportArgs, runReportCli } from '../../src/cli/report.js';
import { rowsOf } from '../../src/db/client.js';
import { findEmployeeById } from '../../src/app/repositories/employees.js';
import { caseEvents, employees } from '../../src/db/schema/index.js';
import { createCalendar, type WorkingCalendar } from '../../src/domain/calendar.js';
import { formatShortDateTime } from '../../src/domain/format.js';
import { checkDistribution, PREDIKATS, type Predikat } from '../../src/domain/predikat.js';
import { getTemplate } from '../../src/domain/templates/index.js';
import { reportCallbacks, summaryKeyboard, summaryPages } from '../../src/chat/texts/reports.js';
import { buildTestConfig, exampleDeployment } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { generateReportData, type GeneratedCase, type GeneratedEmployee, type ReportData } from '../support/report-data.js';

let db: TestDatabase;
let deps: ReportDeps;
let calendar: WorkingCalendar;
let procedures: ProcedureRegistry;
let data: ReportData;
// Wednesday 15 April 2026, 10:00 WIB: January–March realisations are in, the March ones partly late.
const now = new Date('2026-04-15T03:00:00Z');

// The SKP state of a case sitting on each step, written out per template from its SOP (not derived in code).
const EXPECTED_STATE: Record<string, Record<string, SkpState>> = {
  'skp-banyuwangi': { '3': 'draft', '4': 'submitted', '5': 'approved', '6': 'established', '7': 'forwarded', completed: 'received' },
  'skp-balangan': { '1': 'draft', '4': 'submitted', '5': 'approved', '6': 'approved', '7': 'approved', completed: 'established' },
  'skp-tangerang': { '1': 'draft', '2': 'submitted', completed: 'established' },
};

function expectedState(c: GeneratedCase | undefined): SkpState {
  if (!c) return 'not_started';
  if (c.status === 'returned' || c.status === 'cancelled') return c.status;
  return EXPECTED_STATE[c.procedureCode]![c.status === 'completed' ? 'completed' : String(c.stepNo)]!;
}

const isOverdue = (c: GeneratedCase) =>
  (c.status === 'active' || c.status === 'returned') && (c.overdueAt !== null || (c.slaDueAt !== null && c.slaDueAt < now));

function inPeriod(c: GeneratedCase, period: ReportPeriod): boolean {
  if (period.kind === 'year') return c.period === String(period.year) || c.period.startsWith(`${period.year}-`);
  return c.period === String(period.year) || c.period === periodKey(period);
}

/** The recap computed the slow, obvious way from the generated rows. */
function expectedRecap(period: ReportPeriod, people: GeneratedEmployee[], orgRating: 'baik' | null): Map<string, PdRecap> {
  const monthKey = period.kind === 'periodic' ? periodKey(period) : null;
  const out = new Map<string, PdRecap>();
  for (const e of people.filter((p) => p.active)) {
    let pd = out.get(e.pdId);
    if (!pd) {
      pd = {
        pdId: e.pdId,
        pdName: e.pdName,
        employees: 0,
        linked: 0,
        skp: Object.fromEntries(SKP_STATES.map((s) => [s, 0])) as Record<SkpState, number>,
        monthly: monthKey ? { onTime: 0, late: 0, missing: 0, returned: 0, assessed: 0 } : null,
        overdue: { count: 0, oldestEnteredAt: null, oldestMinutes: null },
        predikat: Object.fromEntries(PREDIKATS.map((p) => [p, 0])) as Record<Predikat, number>,
        orgRating,
        departures: null,
      };
      out.set(e.pdId, pd);
    }
    pd.employees++;
    if (e.linked) pd.linked++;
    const own = data.cases.filter((c) => c.subjectId === e.id);
    pd.skp[expectedState(own.find((c) => c.period === String(period.year) && c.procedureCode.startsWith('skp-')))]++;
    if (monthKey && pd.monthly) {
      const m = own.find((c) => c.period === monthKey);
      const submitted = m !== undefined && m.submittedAt !== null && m.status !== 'cancelled';
      if (!submitted) pd.monthly.missing++;
      else if (m.late) pd.monthly.late++;
      else pd.monthly.onTime++;
      if (m?.status === 'returned') pd.monthly.returned++;
      if (m && m.predikat && m.status !== 'cancelled') pd.monthly.assessed++;
    }
    for (const c of own.filter((x) => inPeriod(x, period) && isOverdue(x))) {
      pd.overdue.count++;
      if (!pd.overdue.oldestEnteredAt || c.stepEnteredAt < pd.overdue.oldestEnteredAt) pd.overdue.oldestEnteredAt = c.stepEnteredAt;
    }
    const rated = own
      // A year counts the annual evaluation's predikat only, never a monthly one.
      .filter((c) => c.predikat && c.status !== 'cancelled' && (monthKey ? c.period === monthKey : c.period === String(period.year) && c.procedureCode === 'evaluasi-tahunan'))
      .sort((a, b) => b.period.localeCompare(a.period));
    if (rated[0]) pd.predikat[rated[0].predikat!]++;
  }
  for (const pd of out.values()) {
    if (pd.overdue.oldestEnteredAt) pd.overdue.oldestMinutes = calendar.workingMinutesBetween(pd.overdue.oldestEnteredAt, now);
    if (orgRating) pd.departures = checkDistribution(orgRating, pd.predikat);
  }
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase();
  const example = exampleDeployment() as { procedures: Record<string, unknown> };
  // Three annual templates in one deployment, so the state mapping is exercised on each.
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
  calendar = createCalendar(config.calendar);
  procedures = createProcedureRegistry(config.deployment.procedures);
  deps = { db: db.db, calendar, procedures };
  data = await generateReportData(db, {
    roster: { employees: 420, perangkatDaerah: 5, seed: 3 },
    year: 2026,
    months: 3,
    now,
    calendar,
    procedures,
    seed: 11,
    settledShare: 0.3,
  });
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe('SKP states from the templates', () => {
  it('maps every step of every annual template as its SOP reads', () => {
    for (const [code, table] of Object.entries(EXPECTED_STATE)) {
      const proc = getTemplate(code);
      for (const step of proc.steps) expect([code, step.no, skpStateOfStep(proc, step)]).toEqual([code, step.no, table[String(step.no)]]);
      expect(skpStateWhenCompleted(proc)).toBe(table.completed);
    }
  });

  it('the generated data covers every state, so the counts below mean something', () => {
    const seen = new Set(data.employees.filter((e) => e.active).map((e) => expectedState(data.cases.find((c) => c.subjectId === e.id && c.period === '2026'))));
    for (const s of SKP_STATES) if (s !== 'cancelled') expect(seen, s).toContain(s);
    expect(data.employees.some((e) => !e.active)).toBe(true);
    expect(data.cases.filter(isOverdue).length).toBeGreaterThan(10);
    expect(data.cases.some((c) => c.late)).toBe(true);
  });
});

describe('recap counts', () => {
  it('a year for BKPP: every perangkat daerah, every figure', async () => {
    const period = parsePeriod('2026')!;
    const recap = await buildRecap(deps, { period, scope: { kind: 'all' }, now });
    const expected = expectedRecap(period, data.employees, null);
    expect(recap.units.length).toBe(expected.size);
    for (const pd of recap.units) expect(pd).toEqual(expected.get(pd.pdId));
    expect(recap.total.employees).toBe(data.employees.filter((e) => e.active).length);
    expect(recap.total.overdue.count).toBe([...expected.values()].reduce((s, p) => s + p.overdue.count, 0));
  });

  it('a month with the distribution curve of an org rated Baik', async () => {
    const period = parsePeriod('2026-03')!;
    const recap = await buildRecap(deps, { period, scope: { kind: 'all' }, now, orgRating: 'baik' });
    const expected = expectedRecap(period, data.employees, 'baik');
    for (const pd of recap.units) expect(pd).toEqual(expected.get(pd.pdId));
    const monthly = recap.total.monthly!;
    expect(monthly.onTime + monthly.late + monthly.missing).toBe(recap.total.employees);
    expect(monthly.late).toBeGreaterThan(0);
    expect(recap.total.departures).toEqual(checkDistribution('baik', recap.total.predikat));
  });

  it('a year never shows a monthly predikat: without an annual evaluation it is "belum dievaluasi"', async () => {
    expect(data.cases.some((c) => c.predikat !== null && c.period.startsWith('2026-'))).toBe(true);
    const recap = await buildRecap(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' }, now });
    expect(PREDIKATS.reduce((sum, p) => sum + recap.total.predikat[p], 0)).toBe(0);
    const text = summaryPages(recap, { kind: 'all' }, 'Asia/Jakarta').map((p) => p.text).join('\n');
    expect(text).toContain('Predikat tahunan: belum dievaluasi');
    const sheets = await collectSheets(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' }, now, timeZone: 'Asia/Jakarta' }, ['Pegawai']);
    const column = sheets[0]!.columns.findIndex((c) => c.header === 'Predikat tahunan');
    expect(column).toBeGreaterThan(0);
    expect(new Set(sheets[0]!.rows.map((r) => r[column]))).toEqual(new Set(['Belum dievaluasi']));
  });

  it('each perangkat daerah is checked against its own org rating (set with /capaian), on screen and in the curve sheet', async () => {
    const [admin] = rowsOf<{ id: string }>(await db.db.execute(sql`select employee_id as id from employee_roles where role = 'bkpp_admin' limit 1`));
    const actor = (await findEmployeeById(db.db, admin!.id))!;
    const period = parsePeriod('2026-03')!;
    const before = await buildRecap(deps, { period, scope: { kind: 'all' }, now });
    const [first, second] = before.units;
    // Predikat of March are confirmed already: the rating is locked there. An unrated month is free.
    await expect(
      setOrgRating({ db: db.db, procedures }, { actor, perangkatDaerahId: first!.pdId, period: '2026-03', rating: 'baik', now, pengelolaMaySet: false }),
    ).rejects.toMatchObject({ code: 'ORG_RATING_LOCKED' });
    await db.db.execute(sql`insert into org_ratings (perangkat_daerah_id, period, rating, set_by_id, set_at)
      values (${first!.pdId}::uuid, '2026-03', 'baik', ${actor.id}::uuid, now()), (${second!.pdId}::uuid, '2026-03', 'istimewa', ${actor.id}::uuid, now())`);
    const recap = await buildRecap(deps, { period, scope: { kind: 'all' }, now });
    const a = recap.units.find((u) => u.pdId === first!.pdId)!;
    const b = recap.units.find((u) => u.pdId === second!.pdId)!;
    expect(a.orgRating).toBe('baik');
    expect(a.departures).toEqual(checkDistribution('baik', a.predikat));
    expect(b.orgRating).toBe('istimewa');
    expect(b.departures).toEqual(checkDistribution('istimewa', b.predikat));
    for (const other of recap.units.filter((u) => u !== a && u !== b)) expect(other.orgRating).toBeNull();
    const [curve] = await collectSheets(deps, { period, scope: { kind: 'all' }, now, timeZone: 'Asia/Jakarta' }, ['Kurva Distribusi']);
    expect(curve!.columns.map((c) => c.header)).toEqual(expect.arrayContaining(['Perangkat Daerah', 'Capaian kinerja organisasi', 'Aturan', 'Hasil']));
    const rowOf = (name: string) => curve!.rows.find((r) => r[0] === name)!;
    expect(rowOf(a.pdName)[1]).toBe('Baik');
    expect(rowOf(a.pdName).at(-2)).toMatch(/Baik paling banyak 70%/);
    expect(rowOf(a.pdName).at(-1)).toBe(a.departures!.length === 0 ? 'Sesuai kurva' : a.departures!.map((d) => d.message).join('; '));
    const unrated = recap.units.find((u) => u.orgRating === null)!;
    expect(rowOf(unrated.pdName)[1]).toBe('Belum ditetapkan');
    await db.db.execute(sql`delete from org_ratings`);
  });

  it('a pengelola sees only their perangkat daerah; an atasan only their direct reports; staff nothing', async () => {
    const period = parsePeriod('2026-02')!;
    const [pengelola] = rowsOf<{ id: string }>(
      await db.db.execute(sql`select r.employee_id as id from employee_roles r join units u on u.id = r.unit_id
        where r.role = 'pengelola' and u.name = 'Dinas Kesehatan'`),
    );
    const profile = (await findEmployeeById(db.db, pengelola!.id))!;
    const scope = scopeOf(profile)!;
    expect(scope).toEqual({ kind: 'perangkatDaerah', pdIds: [profile.perangkatDaerahId] });
    const recap = await buildRecap(deps, { period, scope, now });
    expect(recap.units.map((u) => u.pdName)).toEqual(['Dinas Kesehatan']);
    expect(recap.units[0]).toEqual(expectedRecap(period, data.employees, null).get(profile.perangkatDaerahId));

    // An atasan with several active reports.
    const counts = new Map<string, number>();
    for (const e of data.employees) if (e.active && e.atasanId) counts.set(e.atasanId, (counts.get(e.atasanId) ?? 0) + 1);
    const atasanId = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const atasan = (await findEmployeeById(db.db, atasanId))!;
    const atasanScope: ReportScope = { kind: 'reports', atasanId };
    expect(scopeOf({ ...atasan, roles: [] })).toEqual(atasanScope);
    const mine = await buildRecap(deps, { period, scope: atasanScope, now });
    const reports = data.employees.filter((e) => e.atasanId === atasanId);
    const expected = expectedRecap(period, reports, null);
    expect(mine.units.length).toBe(expected.size);
    for (const pd of mine.units) expect(pd).toEqual(expected.get(pd.pdId));

    const staff = data.employees.find((e) => e.active && !counts.has(e.id))!;
    const staffProfile = (await findEmployeeById(db.db, staff.id))!;
    expect(scopeOf({ ...staffProfile, roles: [] })).toBeNull();
  });
});

describe('drill-down', () => {
  it('lists every active employee of a perangkat daerah with their status, page by page', async () => {
    const period = parsePeriod('2026-03')!;
    const pd = data.employees.find((e) => e.pdName === 'Inspektorat')!;
    const people = data.employees.filter((e) => e.active && e.pdId === pd.pdId);
    const seen: string[] = [];
    let total = 0;
    for (let offset = 0; ; offset += 25) {
      const page = await employeeStatuses(deps, { period, scope: { kind: 'all' }, now, pdId: pd.pdId, limit: 25, offset });
      if (page.rows.length === 0) break;
      total = page.total;
      for (const row of page.rows) {
        seen.push(row.id);
        const own = data.cases.filter((c) => c.subjectId === row.id);
        expect(row.skpState).toBe(expectedState(own.find((c) => c.period === '2026')));
        const m = own.find((c) => c.period === '2026-03');
        const submitted = m !== undefined && m.submittedAt !== null && m.status !== 'cancelled';
        expect(row.monthly).toBe(!submitted ? 'missing' : m.late ? 'late' : 'on_time');
        expect(row.overdueSteps).toBe(own.filter((c) => inPeriod(c, period) && isOverdue(c)).length);
      }
    }
    expect(total).toBe(people.length);
    expect(seen.sort()).toEqual(people.map((p) => p.id).sort());
  });

  it("shows a case's whole event log", async () => {
    const c = data.cases.find((x) => x.status === 'returned' && x.period === '2026')!;
    const logs = await employeeCaseLogs(deps, { employeeId: c.subjectId, period: parsePeriod('2026')! });
    const log = logs.find((l) => l.caseId === c.id)!;
    const [count] = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from case_events where case_id = ${c.id}::uuid`));
    expect(log.events.length).toBe(count!.n);
    expect(log.events[0]!.action).toBe('start');
    expect(log.events.map((e) => e.action)).toContain('return');
    expect(log.skpState).toBe('returned');
  });

  it('lists every overdue step, oldest first, with its waiting time in working minutes', async () => {
    const all = await overdueSteps(deps, { scope: { kind: 'all' }, now });
    const active = new Set(data.employees.filter((e) => e.active).map((e) => e.id));
    const expected = data.cases.filter((c) => isOverdue(c) && active.has(c.subjectId));
    expect(all.total).toBe(expected.length);
    expect(all.rows.map((r) => r.caseId).sort()).toEqual(expected.map((c) => c.id).sort());
    for (let i = 1; i < all.rows.length; i++) expect(all.rows[i]!.enteredAt >= all.rows[i - 1]!.enteredAt).toBe(true);
    for (const row of all.rows) {
      const c = expected.find((x) => x.id === row.caseId)!;
      expect(row.ageMinutes).toBe(calendar.workingMinutesBetween(c.stepEnteredAt, now));
      expect(row.holderId).toBe(c.assigneeId);
    }
    const page = await overdueSteps(deps, { scope: { kind: 'all' }, now, limit: 5, offset: 5 });
    expect(page.rows.map((r) => r.caseId)).toEqual(all.rows.slice(5, 10).map((r) => r.caseId));
  });
});

describe('manual reminder', () => {
  it('sends once per step version a day, logs the actor, and refuses stale or unreachable holders', async () => {
    const active = new Set(data.employees.filter((e) => e.active).map((e) => e.id));
    const linked = new Set(data.employees.filter((e) => e.linked).map((e) => e.id));
    const targets = data.cases.filter((c) => isOverdue(c) && active.has(c.subjectId) && c.assigneeId && linked.has(c.assigneeId));
    const c = targets[0]!;
    const admin = rowsOf<{ id: string }>(await db.db.execute(sql`select employee_id as id from employee_roles where role = 'bkpp_admin' limit 1`))[0]!;
    const actor = (await findEmployeeById(db.db, admin.id))!;
    const sent: string[] = [];
    const send = async (info: { holderId: string }) => (sent.push(info.holderId), 'sent' as const);
    const scope = scopeOf(actor)!;

    expect(await sendManualReminder(deps, { caseId: c.id, version: c.version + 1, actor, scope, now, send })).toEqual({ ok: false, reason: 'stale' });
    const first = await sendManualReminder(deps, { caseId: c.id, version: c.version, actor, scope, now, send });
    expect(first.ok).toBe(true);
    const again = await sendManualReminder(deps, { caseId: c.id, version: c.version, actor, scope, now, send });
    expect(again).toMatchObject({ ok: false, reason: 'already_today' });
    expect(sent).toEqual([c.assigneeId]);
    const events = await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id));
    const reminders = events.filter((e) => e.action === 'manual_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.actorId).toBe(actor.id);

    // A holder who blocked the bot: nothing is logged, and they are marked unreachable.
    const d = targets[1]!;
    const blocked = await sendManualReminder(deps, {
      caseId: d.id,
      version: d.version,
      actor,
      scope,
      now,
      send: async () => 'unreachable' as const,
    });
    expect(blocked).toMatchObject({ ok: false, reason: 'unreachable' });
    expect((await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, d.id))).some((e) => e.action === 'manual_reminder')).toBe(false);
    const [holder] = await db.db.select().from(employees).where(eq(employees.id, d.assigneeId!));
    expect(holder!.unreachableAt).toEqual(now);

    // A pengelola cannot remind about another perangkat daerah's case.
    const outsider: ReportScope = { kind: 'perangkatDaerah', pdIds: ['00000000-0000-0000-0000-000000000000'] };
    expect(await sendManualReminder(deps, { caseId: targets[2]!.id, version: targets[2]!.version, actor, scope: outsider, now, send })).toEqual({
      ok: false,
      reason: 'not_in_scope',
    });
  });
});

describe('export', () => {
  it('holds the recap, every employee, the overdue steps, mutu baku and the period log', async () => {
    const period = parsePeriod('2026-03')!;
    const input = { period, scope: { kind: 'all' } as const, now, timeZone: 'Asia/Jakarta' as const };
    const file = await buildExport(deps, input);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.content as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([...SHEET_NAMES]);
    const activeCount = data.employees.filter((e) => e.active).length;
    const recap = await buildRecap(deps, { period, scope: { kind: 'all' }, now });
    const summary = book.getWorksheet('Ringkasan')!;
    expect(summary.rowCount).toBe(1 + recap.units.length + 1);
    const header = (summary.getRow(1).values as unknown[]).slice(1);
    const totalRow = (summary.getRow(summary.rowCount).values as unknown[]).slice(1);
    expect(totalRow[0]).toBe('Total');
    expect(totalRow[header.indexOf('Pegawai')]).toBe(activeCount);
    expect(totalRow[header.indexOf('Realisasi terlambat')]).toBe(recap.total.monthly!.late);
    expect(totalRow[header.indexOf('SKP 2026: Diterima BKPP')]).toBe(recap.total.skp.received);
    expect(book.getWorksheet('Pegawai')!.rowCount).toBe(1 + activeCount);
    const overdue = data.cases.filter((c) => inPeriod(c, period) && isOverdue(c) && data.employees.find((e) => e.id === c.subjectId)!.active);
    expect(book.getWorksheet('Terlambat')!.rowCount).toBe(1 + overdue.length);
    const [reminders] = rowsOf<{ n: number }>(
      await db.db.execute(sql`select count(*)::int as n from case_events ev join cases c on c.id = ev.case_id
        where c.period = '2026-03' and ev.action = 'manual_reminder'`),
    );
    expect(book.getWorksheet('Log Kejadian')!.rowCount).toBe(1 + data.eventsByPeriod.get('2026-03')! + reminders!.n);
    const overdueSheet = book.getWorksheet('Terlambat')!;
    const overdueHeader = (overdueSheet.getRow(1).values as unknown[]).slice(1);
    const firstOverdue = (overdueSheet.getRow(2).values as unknown[]).slice(1);
    const oldest = [...overdue].sort((x, y) => x.stepEnteredAt.getTime() - y.stepEnteredAt.getTime() || x.id.localeCompare(y.id))[0]!;
    expect(firstOverdue[overdueHeader.indexOf('Masuk langkah')]).toBe(formatShortDateTime(oldest.stepEnteredAt, 'Asia/Jakarta'));
    const logFirst = (book.getWorksheet('Log Kejadian')!.getRow(2).values as unknown[]).slice(1);
    expect(String(logFirst[0])).toMatch(/^\d{2}\/\d{2}\/2026 \d{2}\.\d{2} WIB$/);
    expect(file.fileName).toBe('rekap-kinerja-2026-03.xlsx');
  });

  it('a year export has a column per month and the annual log', async () => {
    const sheets = await collectSheets(deps, { period: parsePeriod('2026')!, scope: { kind: 'all' }, now, timeZone: 'Asia/Jakarta' }, ['Pegawai', 'Log Kejadian']);
    const pegawai = sheets[0]!;
    const jan = pegawai.columns.findIndex((c) => c.header === 'Realisasi Jan');
    const may = pegawai.columns.findIndex((c) => c.header === 'Realisasi Mei');
    expect(jan).toBeGreaterThan(0);
    for (const row of pegawai.rows) {
      const e = data.employees.find((x) => x.nip === row[0])!;
      const m = data.cases.find((c) => c.subjectId === e.id && c.period === '2026-01');
      const submitted = m !== undefined && m.submittedAt !== null && m.status !== 'cancelled';
      expect(row[jan]).toBe(!submitted ? 'Belum masuk' : m.late ? 'Terlambat' : 'Tepat waktu');
      expect(row[may]).toBe('-');
    }
    // Plus whatever reminders other tests logged on the annual cases.
    const [reminders] = rowsOf<{ n: number }>(
      await db.db.execute(sql`select count(*)::int as n from case_events ev join cases c on c.id = ev.case_id
        where c.period = '2026' and ev.action = 'manual_reminder'`),
    );
    expect(sheets[1]!.rows.length).toBe(data.eventsByPeriod.get('2026')! + reminders!.n);
  });

  it('a CSV of one sheet, with the sheet named loosely', async () => {
    expect(parseSheetName('mutu-baku')).toBe('Mutu Baku');
    expect(parseSheetName('LOG kejadian')).toBe('Log Kejadian');
    expect(parseSheetName('Gaji')).toBeNull();
    const file = await buildExport(deps, { period: parsePeriod('2026-03')!, scope: { kind: 'all' }, now, timeZone: 'Asia/Jakarta', csvSheet: 'Pegawai' });
    const text = file.content.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('NIP;Nama;Jabatan;Pangkat/Gol.;Unit;Perangkat Daerah;Telegram;Status SKP 2026;Realisasi;Sudah dinilai;Predikat;Langkah lewat SLA');
    expect(lines.length).toBe(1 + data.employees.filter((e) => e.active).length);
    expect(writeCsv({ name: 'Ringkasan', columns: [{ header: 'a;b', width: 1 }], rows: [[1.5, 'x"y']] }).toString('utf8')).toBe('\ufeff"a;b"\r\n1,5;"x""y"\r\n');
  });
});

describe('npm run report', () => {
  it('writes the XLSX, or one sheet as CSV, and refuses unclear arguments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinerja-report-'));
    const lines: string[] = [];
    const env = { DATABASE_URL: db.url, CONFIG_FILE: 'examples/config.yaml' };
    const csvPath = join(dir, 'terlambat.csv');
    expect(await runReportCli(['--year', '2026', '--month', '3', '--out', csvPath, '--sheet', 'terlambat'], (l) => lines.push(l), env, now)).toBe(0);
    const csv = readFileSync(csvPath, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(csv[0]!.startsWith('Perangkat Daerah;NIP;Pegawai;Prosedur;Periode;Langkah')).toBe(true);
    // Scope "all" with the example config: the same overdue steps as the recap of the month counts.
    const recap = await buildRecap(
      { db: db.db, calendar, procedures: createProcedureRegistry(buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }).deployment.procedures) },
      { period: parsePeriod('2026-03')!, scope: { kind: 'all' }, now },
    );
    expect(csv.length - 1).toBe(recap.total.overdue.count);
    expect(lines.at(-1)).toMatch(/ditulis ke .*terlambat\.csv: Terlambat \d+ baris/);

    const xlsxPath = join(dir, 'rekap.xlsx');
    expect(await runReportCli(['--year=2026', '--out', xlsxPath, '--org', 'baik'], (l) => lines.push(l), env, now)).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsxPath);
    expect(book.worksheets.map((w) => w.name)).toEqual([...SHEET_NAMES]);
    expect((book.getWorksheet('Ringkasan')!.getRow(1).values as unknown[]).at(-1)).toBe('Kurva distribusi');

    expect(parseReportArgs(['--year', '2026', '--out', 'x.csv'])).toMatch(/--sheet/);
    expect(parseReportArgs(['--year', '2026', '--month', '13', '--out', 'x.xlsx'])).toMatch(/Periode tidak valid/);
    expect(parseReportArgs(['--year', '2026', '--out', 'x.xlsx', '--sheet', 'Pegawai'])).toMatch(/hanya untuk berkas \.csv/);
    expect(parseReportArgs(['--out', 'x.xlsx'])).toMatch(/--year wajib/);
    expect(await runReportCli(['--year', '2026'], (l) => lines.push(l), env, now)).toBe(2);
  });
});

describe('chat limits', () => {
  it('a recap of 40 perangkat daerah pages within 4096 characters, each listed once with its button', async () => {
    const recap = await buildRecap(deps, { period: parsePeriod('2026-03')!, scope: { kind: 'all' }, now, orgRating: 'butuh_perbaikan' });
    const base = recap.units[0]!;
    const units = Array.from({ length: 40 }, (_, i) => ({
      ...base,
      pdId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
      pdName: `Dinas Urusan Pemerintahan Daerah Bidang ${i + 1} <&>`,
    }));
    const big = { ...recap, units };
    const pages = summaryPages(big, { kind: 'all' }, 'Asia/Jakarta');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page.text.length).toBeLessThanOrEqual(4096);
    expect(pages.flatMap((p) => p.unitIndexes)).toEqual(units.map((_, i) => i));
    expect(pages[0]!.text).toContain('&lt;&amp;&gt;');
    for (let i = 0; i < pages.length; i++) {
      const keyboard = summaryKeyboard(big, pages, i).reply_markup.inline_keyboard.flat() as Array<{ callback_data: string }>;
      for (const b of keyboard) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  });

  it('every callback fits in 64 bytes at its longest', () => {
    const uuid = 'ffffffff-ffff-ffff-ffff-ffffffffffff';
    const month = parsePeriod('2026-12')!;
    const longest = [
      reportCallbacks.summary(month, 9999, 'butuh_perbaikan'),
      reportCallbacks.perangkatDaerah(uuid, month, 9999, 'sangat_kurang'),
      reportCallbacks.employee(uuid, month, 9999, 'sangat_kurang'),
      reportCallbacks.overdue(9999, month),
      reportCallbacks.remind(uuid, 999_999_999),
      reportCallbacks.mutuBaku(month, 'butuh_perbaikan'),
    ];
    for (const data of longest) expect(Buffer.byteLength(data), data).toBeLessThanOrEqual(64);
  });
});
