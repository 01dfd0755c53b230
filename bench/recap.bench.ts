// Benchmark: recap, export and mutu baku on an agency of 10,000 employees with a year of annual and monthly cases.
// Targets (issue 6): a recap within 2 s, an export within 10 s; issue 19: at 100,000 employees
// (BENCH_RECAP_EMPLOYEES=100000) the year's recap within 2 s and its export streamed to a file within 60 s and
// 300 MB. The export runs in a process of its own so its peak RSS is the export's alone. Generating 100,000
// employees' year takes minutes: BENCH_RECAP_KEEP=1 keeps the database and prints its URL, BENCH_RECAP_DB=URL reuses it.
import './env-setup.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { renderStackedBarsPng } from '../src/app/charts.js';
import { buildExport, writeExportFile } from '../src/app/export.js';
import { measureMutuBaku } from '../src/app/mutu-baku.js';
import { createProcedureRegistry } from '../src/app/procedures.js';
import { buildRecap, parsePeriod, type ReportDeps, type ReportPeriod } from '../src/app/reports.js';
import { complianceChart, summaryPages } from '../src/chat/texts/reports.js';
import { createDatabase, rowsOf } from '../src/db/client.js';
import { createCalendar } from '../src/domain/calendar.js';
import { buildTestConfig } from '../test/support/app.js';
import { createTestDatabase } from '../test/support/db.js';
import { generateReportData } from '../test/support/report-data.js';
import { ensureTemplate, figure, peakRssMb, runMain } from './support.js';

const EMPLOYEES = Number(process.env.BENCH_RECAP_EMPLOYEES ?? 10_000);
const RUNS = 3;
// 20 January 2027, 10:00 WIB: every 2026 month has been submitted and mostly assessed.
const NOW = new Date('2027-01-20T03:00:00Z');

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push((performance.now() - t0) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

function reportDepsOf(db: ReportDeps['db']): ReportDeps {
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:bench-token' });
  return { db, calendar: createCalendar(config.calendar), procedures: createProcedureRegistry(config.deployment.procedures) };
}

/** Child mode (`--export URL PERIOD FILE`): one export streamed to FILE; prints seconds, peak RSS and rows as JSON. */
async function exportChild(url: string, periodKey: string, file: string): Promise<void> {
  const database = await createDatabase({ databaseUrl: url, maxConnections: 4, watchdog: false });
  try {
    const started = performance.now();
    const result = await writeExportFile(reportDepsOf(database.db), { period: parsePeriod(periodKey)!, scope: { kind: 'all' }, now: NOW, timeZone: 'Asia/Jakarta', orgRating: 'baik' }, file);
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ seconds, rss: peakRssMb(), bytes: statSync(file).size, rows: result.rowCounts }));
  } finally {
    await database.close();
  }
}

function exportInChild(url: string, periodKey: string): Promise<{ seconds: number; rss: number; bytes: number; rows: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-export-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/recap.bench.ts', '--export', url, periodKey, join(dir, 'export.xlsx')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`export child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!));
    }),
  );
}

async function main(): Promise<void> {
  await ensureTemplate();
  const reuse = process.env.BENCH_RECAP_DB;
  const db = reuse ? { ...(await createDatabase({ databaseUrl: reuse, watchdog: false })), url: reuse, drop: async () => {} } : await createTestDatabase();
  try {
    const deps = reportDepsOf(db.db);
    const t0 = performance.now();
    const data = reuse ? undefined : await generateReportData(db as Awaited<ReturnType<typeof createTestDatabase>>, {
      roster: { employees: EMPLOYEES, perangkatDaerah: 15, seed: 2026 },
      year: 2026,
      months: 12,
      now: NOW,
      calendar: deps.calendar,
      procedures: deps.procedures,
      keepSteps: false,
      seed: 17,
    });
    figure('recap_dataset_generate_seconds', (performance.now() - t0) / 1000, 's');
    const [counts] = rowsOf<{ employees: number; cases: number; steps: number; events: number }>(
      await db.db.execute(sql`select (select count(*) from employees where active)::int as employees, (select count(*) from cases)::int as cases,
        (select count(*) from case_steps)::int as steps, (select count(*) from case_events)::int as events`),
    );
    figure('recap_dataset_employees', counts!.employees, 'employees');
    figure('recap_dataset_cases', counts!.cases, 'cases');
    figure('recap_dataset_case_steps', counts!.steps, 'rows');
    figure('recap_dataset_case_events', counts!.events, 'rows');
    void data;

    const scope = { kind: 'all' } as const;
    const timeZone = 'Asia/Jakarta' as const;
    // What /rekap does before answering: the recap, the chart and the message pages.
    const recapOnce = async (period: ReportPeriod) => {
      const recap = await buildRecap(deps, { period, scope, now: NOW, orgRating: 'baik' });
      renderStackedBarsPng(complianceChart(recap, timeZone));
      summaryPages(recap, scope, timeZone);
    };
    const month = parsePeriod('2026-12')!;
    const year = parsePeriod('2026')!;
    await recapOnce(month); // warm-up: plans, fonts, calendar tables
    const recapMonth = await median(RUNS, () => recapOnce(month));
    const recapYear = await median(RUNS, () => recapOnce(year));
    figure('recap_month_seconds', recapMonth, 's');
    figure('recap_year_seconds', recapYear, 's');
    figure('recap_seconds', Math.max(recapMonth, recapYear), 's', { value: 2, better: 'lower' });

    // The bot's path (in memory, for the upload) at the default size; the streamed file in a process of its own.
    if (EMPLOYEES <= 20_000) {
      const exportMonth = await median(1, () => buildExport(deps, { period: month, scope, now: NOW, timeZone, orgRating: 'baik' }));
      figure('export_month_in_memory_seconds', exportMonth, 's', { value: 10, better: 'lower' });
    }
    const yearFile = await exportInChild(db.url, '2026');
    figure('export_year_to_file_seconds', yearFile.seconds, 's', { value: EMPLOYEES > 20_000 ? 60 : 10, better: 'lower' });
    figure('export_year_to_file_peak_rss', yearFile.rss, 'MB', { value: 300, better: 'lower' });
    figure('export_year_file_mb', yearFile.bytes / 1024 / 1024, 'MB');
    console.log(`export_year_rows: ${Object.entries(yearFile.rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const mutu = await median(RUNS, () => measureMutuBaku(deps, { period: year, scope }));
    figure('mutu_baku_seconds', mutu, 's');
    figure('recap_bench_peak_rss_mb', peakRssMb(), 'MB');
  } finally {
    if (process.env.BENCH_RECAP_KEEP === '1' && !reuse) console.log(`kept database: BENCH_RECAP_DB=${db.url}`);
    else await db.drop();
  }
}

if (process.argv[2] === '--export') {
  exportChild(process.argv[3]!, process.argv[4]!, process.argv[5]!).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else runMain(main);
