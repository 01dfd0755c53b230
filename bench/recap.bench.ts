// Benchmark: recap, export and mutu baku on an agency of 10,000 employees with a year of annual and monthly cases.
// Targets (issue 6): a recap within 2 s, an export within 10 s.
import './env-setup.js';
import { sql } from 'drizzle-orm';
import { renderStackedBarsPng } from '../src/app/charts.js';
import { buildExport } from '../src/app/export.js';
import { measureMutuBaku } from '../src/app/mutu-baku.js';
import { createProcedureRegistry } from '../src/app/procedures.js';
import { buildRecap, parsePeriod, type ReportDeps, type ReportPeriod } from '../src/app/reports.js';
import { complianceChart, summaryPages } from '../src/chat/texts/reports.js';
import { rowsOf } from '../src/db/client.js';
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

async function main(): Promise<void> {
  await ensureTemplate();
  const db = await createTestDatabase();
  try {
    const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:bench-token' });
    const deps: ReportDeps = {
      db: db.db,
      calendar: createCalendar(config.calendar),
      procedures: createProcedureRegistry(config.deployment.procedures),
    };
    const t0 = performance.now();
    const data = await generateReportData(db, {
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

    let bytes = 0;
    const exportOnce = async (period: ReportPeriod) => {
      const file = await buildExport(deps, { period, scope, now: NOW, timeZone, orgRating: 'baik' });
      bytes = Math.max(bytes, file.content.length);
    };
    const exportMonth = await median(1, () => exportOnce(month));
    const exportYear = await median(1, () => exportOnce(year));
    figure('export_month_seconds', exportMonth, 's');
    figure('export_year_seconds', exportYear, 's');
    figure('export_seconds', Math.max(exportMonth, exportYear), 's', { value: 10, better: 'lower' });
    figure('export_largest_file_mb', bytes / 1024 / 1024, 'MB');

    const mutu = await median(RUNS, () => measureMutuBaku(deps, { period: year, scope }));
    figure('mutu_baku_seconds', mutu, 's');
    figure('recap_bench_peak_rss_mb', peakRssMb(), 'MB');
  } finally {
    await db.drop();
  }
}

runMain(main);
