// `npm run report -- --year Y [--month M] --out FILE [--sheet NAME] [--org RATING]`: the /ekspor file from the shell
// (all perangkat daerah), as XLSX, or one sheet as CSV when FILE ends in .csv.
import { resolve } from 'node:path';
import { writeExportFile, parseSheetName, SHEET_NAMES, type SheetName } from '../app/export.js';
import { procedureRegistryOf } from '../app/procedures.js';
import { parsePeriod, type ReportPeriod } from '../app/reports.js';
import { ConfigError, loadDatabaseEnv, parseDeployment, readDeploymentFile } from '../config.js';
import { createDatabase } from '../db/client.js';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.js';
import { migrateDatabase } from '../db/migrate.js';
import { createCalendar, type AgencyTimeZone } from '../domain/calendar.js';
import { ORG_RATING_LABELS, type OrgRating } from '../domain/predikat.js';

const USAGE =
  'Pemakaian: npm run report -- --year TAHUN [--month BULAN | T1..T4 | S1..S2] --out BERKAS.xlsx\n' +
  `           npm run report -- --year TAHUN [--month BULAN] --out BERKAS.csv --sheet NAMA   (NAMA: ${SHEET_NAMES.join(', ')})\n` +
  `Pilihan: --org ${Object.keys(ORG_RATING_LABELS).join('|')} untuk kolom kurva distribusi di Ringkasan.`;

interface ReportArgs {
  period: ReportPeriod;
  out: string;
  sheet: SheetName | null;
  org: OrgRating | null;
}

/** Parses the arguments; a string is the problem to tell the user. */
export function parseReportArgs(argv: string[]): ReportArgs | string {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const match = /^--(year|month|out|sheet|org)(?:=(.*))?$/.exec(flag);
    if (!match) return `Pilihan tidak dikenal: ${flag}`;
    const value = match[2] ?? argv[++i];
    if (value === undefined || value.startsWith('--')) return `Pilihan ${flag} butuh nilai`;
    values.set(match[1]!, value);
  }
  const year = values.get('year');
  if (!year) return 'Pilihan --year wajib diisi';
  const month = values.get('month');
  const key = month === undefined ? year : `${year}-${month.padStart(2, '0')}`;
  const period = /^\d{4}(-(\d{2}|[TS]\d))?$/i.test(key) ? parsePeriod(key) : null;
  if (!period) return `Periode tidak valid: tahun ${year}${month ? `, bulan ${month}` : ''}`;
  const out = values.get('out');
  if (!out) return 'Pilihan --out wajib diisi';
  const isCsv = out.toLowerCase().endsWith('.csv');
  if (!isCsv && !out.toLowerCase().endsWith('.xlsx')) return 'Berkas --out harus berakhiran .xlsx atau .csv';
  const sheetText = values.get('sheet');
  const sheet = sheetText === undefined ? null : parseSheetName(sheetText);
  if (sheetText !== undefined && !sheet) return `Sheet tidak dikenal: ${sheetText} (pilihan: ${SHEET_NAMES.join(', ')})`;
  if (isCsv && !sheet) return 'Berkas .csv memuat satu sheet: sebutkan --sheet NAMA';
  if (!isCsv && sheet) return '--sheet hanya untuk berkas .csv; berkas .xlsx selalu memuat semua sheet';
  const orgText = values.get('org');
  const org = orgText === undefined ? null : (orgText.toLowerCase().replace(/-/g, '_') as OrgRating);
  if (org !== null && !(org in ORG_RATING_LABELS)) return `Capaian organisasi tidak dikenal: ${orgText}`;
  return { period, out, sheet, org };
}

export async function runReportCli(
  argv: string[],
  out: (line: string) => void = console.log,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Promise<number> {
  const args = parseReportArgs(argv);
  if (typeof args === 'string') {
    out(args);
    out(USAGE);
    return 2;
  }
  const configFile = resolve(env.CONFIG_FILE || 'examples/config.yaml');
  let raw: unknown;
  try {
    raw = readDeploymentFile(configFile);
  } catch (error) {
    throw new ConfigError([`CONFIG_FILE: cannot read ${configFile}: ${(error as Error).message}`]);
  }
  const parsed = parseDeployment(raw, 'CONFIG_FILE');
  if (!parsed.deployment || !parsed.calendar) throw new ConfigError(parsed.problems);
  const { databaseUrl, dataDir } = loadDatabaseEnv(env);
  const database = await createDatabase({ databaseUrl, dataDir, maxConnections: 4 });
  try {
    await migrateDatabase(database, databaseUrl);
    const file = await writeExportFile(
      { db: database.db, calendar: createCalendar(parsed.calendar), procedures: procedureRegistryOf(parsed.deployment) },
      {
        period: args.period,
        scope: { kind: 'all' },
        now,
        timeZone: parsed.deployment.instansi.timeZone as AgencyTimeZone,
        orgRating: args.org,
        koefisien: parsed.deployment.angkaKredit.koefisien,
        ...(args.sheet ? { csvSheet: args.sheet } : {}),
      },
      args.out,
    );
    const counts = Object.entries(file.rowCounts).map(([name, n]) => `${name} ${n} baris`);
    out(`Rekap kinerja ${args.sheet ? `(sheet ${args.sheet}) ` : ''}ditulis ke ${args.out}: ${counts.join(', ')}.`);
    return 0;
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runReportCli(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy ? error.message : error);
      process.exitCode = 1;
    });
}
