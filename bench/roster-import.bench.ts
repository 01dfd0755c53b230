// Benchmark: importing a 100,000-row roster (parse + validate + apply), all or nothing. BENCH_ROSTER_ROWS=1000000
// measures the province-scale target (90 s); too long for CI.
import './env-setup.js';
import { sql } from 'drizzle-orm';
import { importRoster } from '../src/app/import-roster.js';
import { rowsOf } from '../src/db/client.js';
import { parseRoster } from '../src/domain/roster.js';
import { createTestDatabase } from '../test/support/db.js';
import { generateRoster } from '../test/support/roster-gen.js';
import { ensureTemplate, figure, peakRssMb, runMain } from './support.js';

const ROWS = Number(process.env.BENCH_ROSTER_ROWS ?? 100_000);

async function main(): Promise<void> {
  await ensureTemplate();
  const db = await createTestDatabase();
  try {
    const { csv } = generateRoster({ employees: ROWS, perangkatDaerah: 40, seed: 7 });
    const content = Buffer.from(csv);

    const t0 = performance.now();
    const parsed = parseRoster(content, { maxRows: ROWS + 10 });
    if (!parsed.ok) throw new Error(`generated roster invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
    const t1 = performance.now();
    const summary = await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'bench' });
    const t2 = performance.now();
    figure('roster_parse_validate_seconds', (t1 - t0) / 1000, 's');
    figure('roster_import_seconds', (t2 - t0) / 1000, 's', { value: ROWS > 100_000 ? 90 : 30, better: 'lower' });
    figure('roster_import_rows', summary.created, 'rows');

    // Re-import of the same file: nothing changes.
    const t3 = performance.now();
    const again = await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'bench' });
    figure('roster_reimport_unchanged_seconds', (performance.now() - t3) / 1000, 's');
    figure('roster_reimport_changed_rows', again.created + again.updated + again.deactivated, 'rows', { value: 0, better: 'lower' });

    // All or nothing: one bad row at the end refuses the whole file before anything is written.
    const bad = Buffer.concat([content, Buffer.from('\n123;Tanpa NIP;Staf;pelaksana;Dinas X;;;\n')]);
    const auditRows = async () => rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from employee_audit`))[0]!.n;
    const before = await auditRows();
    const refused = parseRoster(bad, { maxRows: ROWS + 10 });
    const after = await auditRows();
    figure('roster_bad_file_refused', refused.ok ? 0 : 1, 'bool');
    figure('roster_bad_file_rows_changed', after - before, 'rows');
    figure('roster_import_peak_rss_mb', peakRssMb(), 'MB');
  } finally {
    await db.drop();
  }
}

runMain(main);
