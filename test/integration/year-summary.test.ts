// The year a pejabat penilai reads before the annual rating, for a perangkat daerah evaluated per triwulan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { loadYearSummary } from '../../src/app/annual-evaluation.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { employees } from '../../src/db/schema/index.js';
import { yearSummaryLines } from '../../src/chat/texts/approvals.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let subjectId = '';
const procedures = createProcedureRegistry(buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }).deployment.procedures);

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  const [anisa] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, '199207142017032002'));
  subjectId = anisa!.id;
  const realisasi = JSON.stringify({ realisasi: [{ rhkId: 'r1', realisasi: '30 laporan' }] });
  await db.db.execute(sql`insert into cases (procedure_code, subject_id, period, status, step_no, step_entered_at, submitted_at, late, predikat, data)
    values ('bulanan-tangerang', ${subjectId}::uuid, '2026-T1', 'completed', 7, now(), now(), false, 'baik', ${realisasi}::jsonb),
           ('bulanan-tangerang', ${subjectId}::uuid, '2026-T2', 'completed', 7, now(), now(), true, 'sangat_baik', ${realisasi}::jsonb)`);
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe('year summary', () => {
  it('lists the four triwulan, rated or missing, in Indonesian', async () => {
    const year = await loadYearSummary(db.db, procedures, subjectId, 2026);
    expect(year.periods).toEqual([
      { period: '2026-T1', status: 'on_time', predikat: 'baik' },
      { period: '2026-T2', status: 'late', predikat: 'sangat_baik' },
    ]);
    expect(year.missingPeriods).toEqual(['2026-T3', '2026-T4']);
    const text = yearSummaryLines(year, 5).join('\n');
    expect(text).toContain('• Triwulan I: Baik (realisasi tepat waktu)');
    expect(text).toContain('• Tanpa realisasi: Triwulan III, Triwulan IV');
    expect(text).not.toMatch(/2026-T/);
  });
});
