// Benchmark: importing a 100,000-row roster (parse + validate + apply), all or nothing. BENCH_ROSTER_ROWS=1000000
// measures the province-scale target (90 s); too long for CI. Beside it, in the same run: the floor of any import,
// a bare COPY of the same rows into a plain table without indexes through postgres.js (before and after the import,
// as the machine's load moves), and the load average, so figures from a shared machine can be read.
import './env-setup.js';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { importRoster } from '../src/app/import-roster.js';
import { rowsOf } from '../src/db/client.js';
import { parseRoster, type RosterRow } from '../src/domain/roster.js';
import { createTestDatabase } from '../test/support/db.js';
import { generateRoster } from '../test/support/roster-gen.js';
import { ensureTemplate, figure, peakRssMb, runMain } from './support.js';

const ROWS = Number(process.env.BENCH_ROSTER_ROWS ?? 100_000);

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** COPY's text format for one value. */
const copyText = (value: string | null) => (value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!));

/** The floor: the parsed rows, as they are, into a plain table by COPY (table created and dropped around it). */
async function bareCopy(url: string, rows: RosterRow[], table: string): Promise<number> {
  const pg = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await pg.unsafe(`create table ${table} (nip text, nama text, jabatan text, pangkat text, jenjang text, jenis_jabatan text, unit text,
      nip_atasan text, telepon text, peran text)`);
    const started = performance.now();
    function* chunks() {
      for (let i = 0; i < rows.length; i += 2000) {
        let chunk = '';
        for (const r of rows.slice(i, i + 2000)) {
          chunk += `${[r.nip, r.nama, r.jabatan, r.pangkat ?? null, r.jenjang ?? null, r.jenisJabatan, r.unitPath.join(' / '), r.nipAtasan, r.telepon, r.peran.join('|')]
            .map(copyText)
            .join('\t')}\n`;
        }
        yield chunk;
      }
    }
    const writable = await pg.unsafe(`copy ${table} from stdin`).writable();
    await pipeline(Readable.from(chunks()), writable);
    const seconds = (performance.now() - started) / 1000;
    await pg.unsafe(`drop table ${table}`);
    return seconds;
  } finally {
    await pg.end({ timeout: 5 });
  }
}

async function main(): Promise<void> {
  await ensureTemplate();
  const db = await createTestDatabase();
  try {
    console.log(`load average (1, 5, 15 min) at start: ${load()}`);
    const { csv } = generateRoster({ employees: ROWS, perangkatDaerah: 40, seed: 7 });
    const content = Buffer.from(csv);

    const t0 = performance.now();
    const parsed = parseRoster(content, { maxRows: ROWS + 10 });
    if (!parsed.ok) throw new Error(`generated roster invalid: ${JSON.stringify(parsed.problems.slice(0, 3))}`);
    const t1 = performance.now();
    const floorBefore = await bareCopy(db.url, parsed.rows, 'bench_copy_floor');
    const t2 = performance.now();
    const summary = await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'bench' });
    const t3 = performance.now();
    figure('roster_parse_validate_seconds', (t1 - t0) / 1000, 's');
    figure('roster_apply_seconds', (t3 - t2) / 1000, 's');
    figure('roster_import_seconds', (t1 - t0 + t3 - t2) / 1000, 's', { value: ROWS > 100_000 ? 90 : 30, better: 'lower' });
    figure('roster_import_rows', summary.created, 'rows');
    console.log(`load average after the import: ${load()}`);

    // Re-import of the same file: nothing changes.
    const t4 = performance.now();
    const again = await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'bench' });
    figure('roster_reimport_unchanged_seconds', (performance.now() - t4) / 1000, 's');
    figure('roster_reimport_changed_rows', again.created + again.updated + again.deactivated, 'rows', { value: 0, better: 'lower' });

    const floorAfter = await bareCopy(db.url, parsed.rows, 'bench_copy_floor');
    const floors = [floorBefore, floorAfter].sort((a, b) => a - b);
    console.log(
      `roster_copy_floor_seconds: ${floors.map((f) => f.toFixed(1)).join(' / ')} s (bare COPY of the same rows into a plain table, ` +
        `before and after); apply / floor: ${((t3 - t2) / 1000 / floors[1]!).toFixed(1)}–${((t3 - t2) / 1000 / floors[0]!).toFixed(1)}`,
    );

    // All or nothing: one bad row at the end refuses the whole file before anything is written.
    const bad = Buffer.concat([content, Buffer.from('\n123;Tanpa NIP;Staf;pelaksana;Dinas X;;;\n')]);
    const auditRows = async () => rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from employee_audit`))[0]!.n;
    const before = await auditRows();
    const refused = parseRoster(bad, { maxRows: ROWS + 10 });
    const after = await auditRows();
    figure('roster_bad_file_refused', refused.ok ? 0 : 1, 'bool');
    figure('roster_bad_file_rows_changed', after - before, 'rows');
    figure('roster_import_peak_rss_mb', peakRssMb(), 'MB');
    console.log(`load average at the end: ${load()}`);
  } finally {
    await db.drop();
  }
}

runMain(main);
