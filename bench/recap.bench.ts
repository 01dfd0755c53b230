// Benchmark: recap, export and mutu baku on an agency of 10,000 employees with a year of annual and monthly cases.
// Targets (issue 6): a recap within 2 s, an export within 10 s; issue 19: at 100,000 employees
// (BENCH_RECAP_EMPLOYEES=100000) the year's recap within 2 s and its export streamed to a file within 60 s and
// 300 MB. The export runs in a process of its own, which loads only what the export needs, so its peak RSS is the
// export's alone; beside it, in the same kind of process, a baseline: a bare exceljs WorkbookWriter writing the
// same sheets with as many rows of constant cells to a file. BENCH_RECAP_EXPORT_RUNS rounds (default 1 at
// 100,000, 2 below) alternate the two. Generating 100,000 employees' year takes minutes: BENCH_RECAP_KEEP=1 keeps
// the database and prints its URL, BENCH_RECAP_DB=URL reuses it (BENCH_RECAP_EXPORT_ONLY=1: then only the export).
import './env-setup.js';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ReportDeps, ReportPeriod } from '../src/app/reports.js';
import { createDatabase } from '../src/db/client.js';
import { ensureTemplate, figure, peakRssMb, runMain, spread } from './support.js';

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

async function reportDepsOf(db: ReportDeps['db']): Promise<ReportDeps> {
  // test/support/config (not app): the export's process loads no bot.
  const [{ buildTestConfig }, { createCalendar }, { createProcedureRegistry }] = await Promise.all([
    import('../test/support/config.js'),
    import('../src/domain/calendar.js'),
    import('../src/app/procedures.js'),
  ]);
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:bench-token' });
  return { db, calendar: createCalendar(config.calendar), procedures: createProcedureRegistry(config.deployment.procedures) };
}

interface ChildResult {
  seconds: number;
  /** Peak RSS of the process, and its RSS once loaded and connected, before the export or the baseline. */
  rss: number;
  rssBefore: number;
  bytes: number;
  rows: Record<string, number>;
}

/** Child mode (`--export URL PERIOD FILE`): one export streamed to FILE; prints a ChildResult as JSON. */
async function exportChild(url: string, periodKey: string, file: string): Promise<void> {
  const [{ writeExportFile }, { parsePeriod }] = await Promise.all([import('../src/app/export.js'), import('../src/app/reports.js')]);
  const database = await createDatabase({ databaseUrl: url, maxConnections: 4, watchdog: false });
  try {
    const deps = await reportDepsOf(database.db);
    const rssBefore = process.memoryUsage().rss / 1024 / 1024;
    const started = performance.now();
    const result = await writeExportFile(deps, { period: parsePeriod(periodKey)!, scope: { kind: 'all' }, now: NOW, timeZone: 'Asia/Jakarta', orgRating: 'baik' }, file);
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ seconds, rss: peakRssMb(), rssBefore, bytes: statSync(file).size, rows: result.rowCounts } satisfies ChildResult));
  } finally {
    await database.close();
  }
}

/**
 * Child mode (`--baseline SHEETS FILE`, SHEETS a JSON list of [name, columns, rows]): the baseline, a bare exceljs
 * WorkbookWriter (no styles, no shared strings, as the export) writing those sheets with constant cells, a row
 * object per row committed (`ws.addRow(cells).commit()`, exceljs's documented streaming use), waiting for the zip
 * every 5,000 rows as the export does (without that it queues the XML in memory: 740 MB at 10^6 rows).
 */
async function baselineChild(sheetsJson: string, file: string): Promise<void> {
  const sheets = JSON.parse(sheetsJson) as Array<[string, number, number]>;
  const { default: ExcelJS } = await import('exceljs');
  const rssBefore = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  const out = createWriteStream(file);
  const done = finished(out);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const waitFor = (w: Writable | undefined) => {
    const state = (w as { _writableState?: { length: number } } | undefined)?._writableState;
    return state && state.length > 8 * 1024 * 1024 ? new Promise((resolve) => w!.once('drain', resolve)) : undefined;
  };
  for (const [name, columns, rows] of sheets) {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = Array.from({ length: columns }, (_, k) => ({ header: `Kolom ${k + 1}`, key: `c${k}`, width: 20 }));
    ws.getRow(1).commit();
    // A mix like the export's: NIP-like digits, names, a date text, labels and numbers.
    const constant = Array.from({ length: columns }, (_, k) =>
      [`19800101200501100${k % 10}`, 'Budi Santoso bin Ahmad', '12/03/2026 08.15 WIB', 'Dinas Pendidikan dan Kebudayaan', 'Tepat waktu', k][k % 6]!,
    );
    const entry = () => (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
    for (let r = 1; r <= rows; r++) {
      ws.addRow(constant).commit();
      if (r % 5000 === 0) {
        await waitFor(entry());
        await waitFor(out);
      }
    }
    ws.commit();
  }
  await workbook.commit();
  await done;
  const seconds = (performance.now() - started) / 1000;
  const rowCounts = Object.fromEntries(sheets.map(([name, , rows]) => [name, rows]));
  console.log(JSON.stringify({ seconds, rss: peakRssMb(), rssBefore, bytes: statSync(file).size, rows: rowCounts } satisfies ChildResult));
}

/**
 * The export's process is started as `npm run report` starts it, with that script's node flags (package.json, the
 * one place they are set): a young generation of 4 MB semi-spaces, so batches that outlive a scavenge are not left
 * to pile up in a fast-growing old generation (at 10^5 employees: 285-295 MB peak RSS against 321-332 MB, same
 * time). The baseline gets the same process.
 */
const EXPORT_PROCESS_FLAGS: string[] = (() => {
  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts.report ?? '';
  const flags = /^node((?: --[\w-]+(?:=\S+)?)*) --import tsx /.exec(script)?.[1];
  if (flags === undefined) throw new Error(`bench: cannot read the node flags of "npm run report" (${script})`);
  return flags.trim().split(' ').filter(Boolean);
})();

function runChild(args: string[]): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-export-'));
  const child = spawn(process.execPath, [...EXPORT_PROCESS_FLAGS, '--import', 'tsx', 'bench/recap.bench.ts', ...args, join(dir, 'export.xlsx')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`${args[0]} child exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult);
    }),
  );
}

/** min/median/max as text. */
function range(values: number[], digits: number): string {
  const { min, median, max } = spread(values);
  return values.length === 1 ? min.toFixed(digits) : `${min.toFixed(digits)}/${median.toFixed(digits)}/${max.toFixed(digits)}`;
}

/** `export: A (baseline B, ratio R)` lines for the rounds of export and baseline. */
function exportVersusBaseline(exports: ChildResult[], baselines: ChildResult[], load: string[]): void {
  const ratio = (f: (r: ChildResult) => number) => {
    const e = spread(exports.map(f));
    const b = spread(baselines.map(f));
    return `ratio of medians ${(e.median / b.median).toFixed(2)}` + (exports.length > 1 ? `, range ${(e.min / b.max).toFixed(2)}–${(e.max / b.min).toFixed(2)}` : '');
  };
  const runs = `${exports.length} run${exports.length > 1 ? 's' : ''}${exports.length > 1 ? ', min/median/max' : ''}`;
  const seconds = (r: ChildResult) => r.seconds;
  const rss = (r: ChildResult) => r.rss;
  console.log(`export_year_vs_baseline_seconds: ${range(exports.map(seconds), 1)} s; bare exceljs baseline ${range(baselines.map(seconds), 1)} s; ${ratio(seconds)} (${runs})`);
  console.log(
    `export_year_vs_baseline_peak_rss: ${range(exports.map(rss), 0)} MB (${range(exports.map((r) => r.rssBefore), 0)} MB before the export); ` +
      `bare exceljs baseline ${range(baselines.map(rss), 0)} MB (${range(baselines.map((r) => r.rssBefore), 0)} MB before); ${ratio(rss)}`,
  );
  console.log(`export_load_average: ${load.join('; ')}`);
}

/** The 1-minute load average now, for quoting beside the figures. */
async function loadAverage(): Promise<string> {
  const { loadavg } = await import('node:os');
  return loadavg().map((l) => l.toFixed(1)).join(' ');
}

async function main(): Promise<void> {
  await ensureTemplate();
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../src/db/client.js');
  const { createTestDatabase } = await import('../test/support/db.js');
  const reuse = process.env.BENCH_RECAP_DB;
  const db = reuse ? { ...(await createDatabase({ databaseUrl: reuse, watchdog: false })), url: reuse, drop: async () => {} } : await createTestDatabase();
  try {
    const deps = await reportDepsOf(db.db);
    const t0 = performance.now();
    if (!reuse) {
      const { generateReportData } = await import('../test/support/report-data.js');
      await generateReportData(db as Awaited<ReturnType<typeof createTestDatabase>>, {
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
    }
    const [counts] = rowsOf<{ employees: number; cases: number; steps: number; events: number }>(
      await db.db.execute(sql`select (select count(*) from employees where active)::int as employees, (select count(*) from cases)::int as cases,
        (select count(*) from case_steps)::int as steps, (select count(*) from case_events)::int as events`),
    );
    figure('recap_dataset_employees', counts!.employees, 'employees');
    figure('recap_dataset_cases', counts!.cases, 'cases');
    figure('recap_dataset_case_steps', counts!.steps, 'rows');
    figure('recap_dataset_case_events', counts!.events, 'rows');

    const scope = { kind: 'all' } as const;
    const timeZone = 'Asia/Jakarta' as const;
    const [{ renderStackedBarsPng }, { buildExport }, { measureMutuBaku }, { buildRecap, parsePeriod }, { complianceChart, summaryPages }] = await Promise.all([
      import('../src/app/charts.js'),
      import('../src/app/export.js'),
      import('../src/app/mutu-baku.js'),
      import('../src/app/reports.js'),
      import('../src/chat/texts/reports.js'),
    ]);
    const month = parsePeriod('2026-12')!;
    const year = parsePeriod('2026')!;
    const exportOnly = process.env.BENCH_RECAP_EXPORT_ONLY === '1';
    if (!exportOnly) {
      // What /rekap does before answering: the recap, the chart and the message pages.
      const recapOnce = async (period: ReportPeriod) => {
        const recap = await buildRecap(deps, { period, scope, now: NOW, orgRating: 'baik' });
        renderStackedBarsPng(complianceChart(recap, timeZone));
        summaryPages(recap, scope, timeZone);
      };
      await recapOnce(month); // warm-up: plans, fonts, calendar tables
      const recapMonth = await median(RUNS, () => recapOnce(month));
      const recapYear = await median(RUNS, () => recapOnce(year));
      figure('recap_month_seconds', recapMonth, 's');
      figure('recap_year_seconds', recapYear, 's');
      figure('recap_seconds', Math.max(recapMonth, recapYear), 's', { value: 2, better: 'lower' });

      // The bot's path (in memory, for the upload) at the default size.
      if (EMPLOYEES <= 20_000) {
        const exportMonth = await median(1, () => buildExport(deps, { period: month, scope, now: NOW, timeZone, orgRating: 'baik' }));
        figure('export_month_in_memory_seconds', exportMonth, 's', { value: 10, better: 'lower' });
      }
    }

    // The year streamed to a file in a process of its own, alternating with the baseline in the same setup.
    const rounds = Number(process.env.BENCH_RECAP_EXPORT_RUNS ?? (EMPLOYEES > 20_000 ? 1 : 2));
    const exports: ChildResult[] = [];
    const baselines: ChildResult[] = [];
    const load: string[] = [];
    for (let i = 0; i < rounds; i++) {
      load.push(await loadAverage());
      const yearFile = await runChild(['--export', db.url, '2026']);
      exports.push(yearFile);
      console.log(`export_year_round_${i + 1}: ${yearFile.seconds.toFixed(1)} s, peak RSS ${yearFile.rss.toFixed(0)} MB, load before ${load.at(-1)}`);
      const sheets = Object.entries(yearFile.rows).map(([name, rows]) => [name, EXPORT_COLUMNS[name] ?? 10, rows]);
      baselines.push(await runChild(['--baseline', JSON.stringify(sheets)]));
      console.log(`export_baseline_round_${i + 1}: ${baselines.at(-1)!.seconds.toFixed(1)} s, peak RSS ${baselines.at(-1)!.rss.toFixed(0)} MB`);
    }
    load.push(await loadAverage());
    const medianOf = (f: (r: ChildResult) => number) => spread(exports.map(f)).median;
    figure('export_year_to_file_seconds', medianOf((r) => r.seconds), 's', { value: EMPLOYEES > 20_000 ? 60 : 10, better: 'lower' });
    figure('export_year_to_file_peak_rss', medianOf((r) => r.rss), 'MB', { value: 300, better: 'lower' });
    figure('export_year_file_mb', medianOf((r) => r.bytes) / 1024 / 1024, 'MB');
    console.log(`export_year_rows: ${Object.entries(exports[0]!.rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    exportVersusBaseline(exports, baselines, load);

    if (!exportOnly) {
      const mutu = await median(RUNS, () => measureMutuBaku(deps, { period: year, scope }));
      figure('mutu_baku_seconds', mutu, 's');
    }
    figure('recap_bench_peak_rss_mb', peakRssMb(), 'MB');
  } finally {
    if (process.env.BENCH_RECAP_KEEP === '1' && !reuse) console.log(`kept database: BENCH_RECAP_DB=${db.url}`);
    else await db.drop();
  }
}

/** Columns per sheet of a year export, for the baseline's rows. */
const EXPORT_COLUMNS: Record<string, number> = {
  Ringkasan: 21,
  Pegawai: 22,
  Terlambat: 14,
  'Mutu Baku': 11,
  'Log Kejadian': 13,
  'Kurva Distribusi': 16,
  TPP: 10,
  'Angka Kredit': 15,
};

function child(run: () => Promise<void>): void {
  run().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

if (process.argv[2] === '--export') child(() => exportChild(process.argv[3]!, process.argv[4]!, process.argv[5]!));
else if (process.argv[2] === '--baseline') child(() => baselineChild(process.argv[3]!, process.argv[4]!));
else runMain(main);
