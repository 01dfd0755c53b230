// The recap as a file: an XLSX workbook (exceljs, streamed) with five sheets, or one sheet as CSV.
//
// Column headers are Indonesian and dates are local time ('DD/MM/YYYY HH.mm WIB'): the file goes to people, and
// the CLI and the bot produce the same file, so its words live here rather than in the bot's views.
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { tzOffset } from '@date-fns/tz';
import type ExcelJSModule from 'exceljs';
import { sql } from 'drizzle-orm';
import { lazyRequire } from '../lazy-require.js';
import { rowBatches } from '../db/client.js';
import type { AgencyTimeZone } from '../domain/calendar.js';
import { timeZoneAbbrev } from '../domain/format.js';
import { CURVE_RULE_TEXT, NOT_EVALUATED_LABEL, ORG_RATING_LABELS, PREDIKAT_LABELS, PREDIKATS, type OrgRating } from '../domain/predikat.js';
import { formatMonth } from '../domain/format.js';
import { periodKeysContaining } from '../domain/period.js';
import { angkaKreditFacts } from './angka-kredit.js';
import { measureMutuBaku } from './mutu-baku.js';
import { tppFactBatches } from './tpp.js';
import {
  buildRecap,
  EVENT_LABELS,
  employeeStatuses,
  MONTHLY_STATUS_LABELS,
  overdueStepBatches,
  periodKey,
  procedureTitleOf,
  scopeCondition,
  SKP_STATE_LABELS,
  SKP_STATES,
  stepLabelOf,
  type PdRecap,
  type ReportDeps,
  type ReportPeriod,
  type ReportScope,
} from './reports.js';


/** exceljs loads at the first export, not at boot. */
const exceljs = lazyRequire<typeof ExcelJSModule>('exceljs');
export const SHEET_NAMES = ['Ringkasan', 'Pegawai', 'Terlambat', 'Mutu Baku', 'Log Kejadian', 'Kurva Distribusi', 'TPP', 'Angka Kredit'] as const;
export type SheetName = (typeof SHEET_NAMES)[number];

const normalise = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

/** 'Mutu Baku', 'mutu-baku', 'MUTUBAKU' → 'Mutu Baku'; null when no sheet has that name. */
export function parseSheetName(text: string): SheetName | null {
  const wanted = normalise(text);
  return SHEET_NAMES.find((name) => normalise(name) === wanted) ?? null;
}

export type Cell = string | number | null;

export interface Sheet {
  name: SheetName;
  columns: Array<{ header: string; width: number }>;
  rows: Cell[][];
}

/** A sheet whose rows come in batches from a cursor and are written as they come: a year at 10^5 employees is
 * 10^6 TPP rows and as many events, too many to hold at once. */
export interface StreamedSheet {
  name: SheetName;
  columns: Sheet['columns'];
  batches: AsyncIterable<Cell[][]>;
}

type AnySheet = Sheet | StreamedSheet;

/** Rows fetched per cursor batch of a streamed sheet. */
const STREAM_BATCH = 5000;
/** XML bytes a worksheet may have waiting for the zip before the next batch is read. */
const ZIP_AHEAD_BYTES = 8 * 1024 * 1024;

export interface ExportInput {
  period: ReportPeriod;
  scope: ReportScope;
  now: Date;
  timeZone: AgencyTimeZone;
  orgRating?: OrgRating | null;
  /** The deployment's angkaKredit.koefisien (jenjang → koefisien); none configured lists every AK as missing it. */
  koefisien?: Readonly<Record<string, number>>;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * formatShortDateTime ('02/02/2026 07.30 WIB') with the zone offset looked up once per UTC quarter hour: an export
 * formats ~10^5 instants and each Intl look-up costs microseconds.
 */
export function shortDateTimeFormatter(timeZone: AgencyTimeZone): (at: Date) => string {
  const abbrev = timeZoneAbbrev(timeZone);
  const offsets = new Map<number, number>();
  return (at) => {
    const key = Math.floor(at.getTime() / 900_000);
    let offset = offsets.get(key);
    if (offset === undefined) offsets.set(key, (offset = tzOffset(timeZone, at) * 60_000));
    const d = new Date(at.getTime() + offset);
    return `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad2(d.getUTCHours())}.${pad2(d.getUTCMinutes())} ${abbrev}`;
  };
}

const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

const hours = (minutes: number | null): number | null => (minutes === null ? null : Math.round((minutes / 60) * 10) / 10);
const oneDecimal = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);
const yesNo = (value: boolean) => (value ? 'Ya' : 'Tidak');

/** The builders of the requested sheets (all by default), in workbook order; each starts when called. */
function sheetBuilders(deps: ReportDeps, input: ExportInput, only: readonly SheetName[] = SHEET_NAMES): Array<() => Promise<AnySheet>> {
  const builders: Record<SheetName, () => Promise<AnySheet>> = {
    Ringkasan: () => summarySheet(deps, input),
    Pegawai: () => employeeSheet(deps, input),
    Terlambat: () => overdueSheet(deps, input),
    'Mutu Baku': () => mutuBakuSheet(deps, input),
    'Log Kejadian': () => eventLogSheet(deps, input),
    'Kurva Distribusi': () => curveSheet(deps, input),
    TPP: () => tppSheet(deps, input),
    'Angka Kredit': () => angkaKreditSheet(deps, input),
  };
  return SHEET_NAMES.filter((name) => only.includes(name)).map((name) => builders[name]);
}

/** The requested sheets with all their rows in memory (a CSV of one sheet, tests). */
export async function collectSheets(deps: ReportDeps, input: ExportInput, only: readonly SheetName[] = SHEET_NAMES): Promise<Sheet[]> {
  return Promise.all(sheetBuilders(deps, input, only).map(async (build) => wholeSheet(await build())));
}

async function wholeSheet(sheet: AnySheet): Promise<Sheet> {
  if ('rows' in sheet) return sheet;
  const rows: Cell[][] = [];
  for await (const batch of sheet.batches) for (const row of batch) rows.push(row);
  return { name: sheet.name, columns: sheet.columns, rows };
}

function batchesOf(sheet: AnySheet): AsyncIterable<Cell[][]> {
  return 'rows' in sheet ? (async function* () { yield sheet.rows; })() : sheet.batches;
}

async function summarySheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const recap = await buildRecap(deps, input);
  const monthly = input.period.kind === 'periodic';
  const columns: Sheet['columns'] = [
    { header: 'Perangkat Daerah', width: 44 },
    { header: 'Pegawai', width: 10 },
    { header: 'Tertaut Telegram', width: 10 },
    ...SKP_STATES.map((s) => ({ header: `SKP ${recap.period.year}: ${SKP_STATE_LABELS[s]}`, width: 12 })),
    ...(monthly
      ? [
          { header: 'Realisasi tepat waktu', width: 12 },
          { header: 'Realisasi terlambat', width: 12 },
          { header: 'Realisasi belum masuk', width: 12 },
          { header: 'Realisasi dikembalikan', width: 12 },
          { header: 'Sudah dinilai', width: 12 },
        ]
      : []),
    { header: 'Langkah lewat SLA', width: 12 },
    { header: 'Terlama menunggu (jam kerja)', width: 14 },
    ...PREDIKATS.map((p) => ({ header: `Predikat ${PREDIKAT_LABELS[p]}`, width: 12 })),
    { header: 'Capaian kinerja organisasi', width: 16 },
    { header: 'Kurva distribusi', width: 60 },
  ];
  const row = (pd: PdRecap): Cell[] => [
    pd.pdName,
    pd.employees,
    pd.linked,
    ...SKP_STATES.map((s) => pd.skp[s]),
    // Empty for a perangkat daerah evaluated per another kind of period than the one exported.
    ...(monthly ? (pd.monthly ? [pd.monthly.onTime, pd.monthly.late, pd.monthly.missing, pd.monthly.returned, pd.monthly.assessed] : ['', '', '', '', '']) : []),
    pd.overdue.count,
    hours(pd.overdue.oldestMinutes),
    ...PREDIKATS.map((p) => pd.predikat[p]),
    pd.orgRating ? ORG_RATING_LABELS[pd.orgRating] : '',
    curveVerdict(pd),
  ];
  const units = [...recap.units].sort((a, b) => a.pdName.localeCompare(b.pdName, 'id'));
  return { name: 'Ringkasan', columns, rows: [...units.map(row), row(recap.total)] };
}

/** The curve verdict of a perangkat daerah in words; empty without an org rating. */
function curveVerdict(pd: PdRecap): string {
  if (!pd.orgRating || !pd.departures) return '';
  return pd.departures.length > 0 ? pd.departures.map((d) => d.message).join('; ') : 'Sesuai kurva';
}

/** One row per perangkat daerah: its org rating, predikat counts and shares, the rule, the verdict. */
async function curveSheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const recap = await buildRecap(deps, input);
  const columns: Sheet['columns'] = [
    { header: 'Perangkat Daerah', width: 44 },
    { header: 'Capaian kinerja organisasi', width: 18 },
    { header: 'Dinilai', width: 10 },
    ...PREDIKATS.map((p) => ({ header: `${PREDIKAT_LABELS[p]} (orang)`, width: 12 })),
    ...PREDIKATS.map((p) => ({ header: `${PREDIKAT_LABELS[p]} (%)`, width: 12 })),
    { header: 'Aturan', width: 60 },
    { header: 'Hasil', width: 60 },
  ];
  const units = [...recap.units].sort((a, b) => a.pdName.localeCompare(b.pdName, 'id'));
  return {
    name: 'Kurva Distribusi',
    columns,
    rows: units.map((pd) => {
      const total = PREDIKATS.reduce((sum, p) => sum + pd.predikat[p], 0);
      return [
        pd.pdName,
        pd.orgRating ? ORG_RATING_LABELS[pd.orgRating] : 'Belum ditetapkan',
        total,
        ...PREDIKATS.map((p) => pd.predikat[p]),
        ...PREDIKATS.map((p) => (total === 0 ? 0 : Math.round((pd.predikat[p] / total) * 1000) / 10)),
        pd.orgRating ? CURVE_RULE_TEXT[pd.orgRating] : '-',
        pd.orgRating ? (total === 0 ? 'Belum ada penilaian' : curveVerdict(pd)) : 'Capaian kinerja organisasi belum ditetapkan',
      ];
    }),
  };
}

/**
 * The perangkat daerah of the scope in the order the employee list sorts them (by name, in the database's
 * collation), so the list can be built one perangkat daerah at a time; null when that would change the order (an
 * atasan's reports, or two perangkat daerah with the same name).
 */
async function pdsInListOrder(deps: ReportDeps, scope: ReportScope): Promise<string[] | null> {
  if (scope.kind === 'reports') return null;
  const pds: Array<{ id: string; name: string }> = [];
  for await (const batch of rowBatches<{ id: string; name: string }>(
    deps.db,
    sql`select distinct pd.id, pd.name from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      where e.active and ${scopeCondition(scope)} order by pd.name`,
    10_000,
  ))
    pds.push(...batch);
  return new Set(pds.map((p) => p.name)).size === pds.length ? pds.map((p) => p.id) : null;
}

async function employeeSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const { period } = input;
  // One perangkat daerah at a time: 10^5 employees' statuses at once are hundreds of MB.
  const pds = await pdsInListOrder(deps, input.scope);
  const statuses = async function* () {
    if (!pds) yield (await employeeStatuses(deps, input)).rows;
    else for (const pdId of pds) yield (await employeeStatuses(deps, { ...input, pdId })).rows;
  };
  const columns: Sheet['columns'] = [
    { header: 'NIP', width: 21 },
    { header: 'Nama', width: 30 },
    { header: 'Jabatan', width: 30 },
    { header: 'Pangkat/Gol.', width: 24 },
    { header: 'Unit', width: 50 },
    { header: 'Perangkat Daerah', width: 40 },
    { header: 'Telegram', width: 10 },
    { header: `Status SKP ${period.year}`, width: 14 },
  ];
  let monthKeys: string[] = [];
  if (period.kind === 'periodic') {
    columns.push({ header: 'Realisasi', width: 13 }, { header: 'Sudah dinilai', width: 10 }, { header: 'Predikat', width: 18 });
  } else {
    monthKeys = MONTH_ABBREVIATIONS.map((_, i) => `${period.year}-${String(i + 1).padStart(2, '0')}`);
    columns.push(...MONTH_ABBREVIATIONS.map((m) => ({ header: `Realisasi ${m}`, width: 12 })), { header: 'Predikat tahunan', width: 18 });
  }
  columns.push({ header: 'Langkah lewat SLA', width: 10 });
  // A month's realisation is only missing once the month is over; later months have nothing to show yet.
  const currentMonth = deps.calendar.localDate(input.now).slice(0, 7);
  return {
    name: 'Pegawai',
    columns,
    batches: mapBatches(statuses(), (r) => [
      r.nip,
      r.nama,
      r.jabatan,
      r.pangkat ?? '',
      r.unitPath,
      r.pdName,
      r.linked ? 'Tertaut' : 'Belum',
      SKP_STATE_LABELS[r.skpState],
      ...(period.kind === 'periodic'
        ? [MONTHLY_STATUS_LABELS[r.monthly ?? 'missing'], yesNo(r.assessed), r.predikat ? PREDIKAT_LABELS[r.predikat] : '']
        : [
            ...monthKeys.map((k) => {
              // The month's own case, or the triwulan's or semester's that covers it.
              const status = periodKeysContaining(k).map((key) => r.months[key]).find((s) => s !== undefined);
              if (status) return MONTHLY_STATUS_LABELS[status];
              return k < currentMonth ? MONTHLY_STATUS_LABELS.missing : '-';
            }),
            // The annual evaluation's predikat only; never a monthly stand-in.
            r.predikat ? PREDIKAT_LABELS[r.predikat] : NOT_EVALUATED_LABEL,
          ]),
      r.overdueSteps,
    ]),
  };
}


async function overdueSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const steps = overdueStepBatches(deps, { scope: input.scope, now: input.now, period: input.period }, STREAM_BATCH);
  const format = shortDateTimeFormatter(input.timeZone);
  return {
    name: 'Terlambat',
    columns: [
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'NIP', width: 21 },
      { header: 'Pegawai', width: 30 },
      { header: 'Prosedur', width: 40 },
      { header: 'Periode', width: 10 },
      { header: 'Langkah', width: 8 },
      { header: 'Tahap', width: 30 },
      { header: 'Status', width: 14 },
      { header: 'Pemegang', width: 30 },
      { header: 'Telegram pemegang', width: 10 },
      { header: 'Masuk langkah', width: 22 },
      { header: 'Batas SLA', width: 22 },
      { header: 'Lama menunggu (jam kerja)', width: 12 },
      { header: 'Lewat SLA (jam kerja)', width: 12 },
    ],
    batches: mapBatches(steps, (r) => [
      r.pdName,
      r.subjectNip,
      r.subjectNama,
      procedureTitleOf(deps.procedures, r.procedureCode),
      r.period,
      r.stepNo,
      r.stepLabel,
      r.status === 'returned' ? 'Dikembalikan' : 'Aktif',
      r.holderNama ?? '(tidak ada)',
      r.holderLinked ? 'Tertaut' : 'Belum',
      format(r.enteredAt),
      r.slaDueAt ? format(r.slaDueAt) : '',
      hours(r.ageMinutes),
      hours(r.overMinutes),
    ]),
  };
}

async function mutuBakuSheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const rows = await measureMutuBaku(deps, input);
  return {
    name: 'Mutu Baku',
    columns: [
      { header: 'Prosedur', width: 44 },
      { header: 'Kode', width: 22 },
      { header: 'Langkah', width: 8 },
      { header: 'Tahap', width: 30 },
      { header: 'Uraian', width: 60 },
      { header: 'Standar waktu (menit kerja)', width: 12 },
      { header: 'Jumlah diukur', width: 10 },
      { header: 'Median (menit kerja)', width: 12 },
      { header: 'P90 (menit kerja)', width: 12 },
      { header: 'Dalam standar', width: 10 },
      { header: '% dalam standar', width: 10 },
    ],
    rows: rows.map((r) => [
      r.procedureTitle,
      r.procedureCode,
      r.stepNo,
      r.label,
      r.uraian,
      r.standardMinutes,
      r.count,
      oneDecimal(r.medianMinutes),
      oneDecimal(r.p90Minutes),
      r.withinStandard,
      r.withinShare === null ? null : Math.round(r.withinShare * 1000) / 10,
    ]),
  };
}

/**
 * Every event of the period's cases, oldest first. A year's log holds its annual SKP cases; each month's log
 * (its own export) holds that month's cases, which keeps a year of ~10k employees' monthly events (~10^6 rows)
 * out of one sheet. Times are formatted by PostgreSQL in the agency zone.
 */
async function eventLogSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const suffix = ` ${timeZoneAbbrev(input.timeZone)}`;
  const batches = rowBatches<{
    at: string;
    pd_name: string;
    nip: string;
    nama: string;
    code: string;
    period: string;
    action: string;
    from_step_no: number | null;
    to_step_no: number | null;
    revision: number;
    actor: string | null;
    on_behalf: boolean;
    comment: string | null;
  }>(
    deps.db,
    sql`
      select to_char(ev.at at time zone ${input.timeZone}, 'DD/MM/YYYY HH24.MI') as at, pd.name as pd_name, e.nip, e.nama,
        c.procedure_code as code, c.period, ev.action, ev.from_step_no, ev.to_step_no, ev.revision, a.nama as actor,
        ev.on_behalf, ev.comment
      from case_events ev join cases c on c.id = ev.case_id
      join employees e on e.id = c.subject_id join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      left join employees a on a.id = ev.actor_id
      where c.period = ${periodKey(input.period)} and ${scopeCondition(input.scope)}
      order by ev.at, ev.id`,
    STREAM_BATCH,
  );
  const titles = new Map<string, string>();
  const title = (code: string) => {
    let t = titles.get(code);
    if (t === undefined) titles.set(code, (t = procedureTitleOf(deps.procedures, code)));
    return t;
  };
  const steps = new Map<string, string>();
  const stepName = (code: string, no: number | null) => {
    if (no === null) return '';
    const key = `${code}#${no}`;
    let s = steps.get(key);
    if (s === undefined) steps.set(key, (s = `${no}. ${stepLabelOf(deps.procedures, code, no)}`));
    return s;
  };
  return {
    name: 'Log Kejadian',
    columns: [
      { header: 'Waktu', width: 20 },
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'NIP', width: 21 },
      { header: 'Pegawai', width: 30 },
      { header: 'Prosedur', width: 40 },
      { header: 'Periode', width: 10 },
      { header: 'Kejadian', width: 18 },
      { header: 'Dari langkah', width: 30 },
      { header: 'Ke langkah', width: 30 },
      { header: 'Revisi', width: 8 },
      { header: 'Oleh', width: 30 },
      { header: 'Atas nama', width: 10 },
      { header: 'Catatan', width: 50 },
    ],
    batches: mapBatches(batches, (r) => [
      r.at + suffix,
      r.pd_name,
      r.nip,
      r.nama,
      title(r.code),
      r.period,
      EVENT_LABELS[r.action] ?? r.action,
      stepName(r.code, r.from_step_no),
      stepName(r.code, r.to_step_no),
      r.revision,
      r.actor ?? 'Sistem',
      r.on_behalf ? 'Ya' : '',
      r.comment ?? '',
    ]),
  };
}

/** TPP facts per employee per month for the finance team; the README explains each column. */
async function tppSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const facts = tppFactBatches(deps, input, STREAM_BATCH);
  const format = shortDateTimeFormatter(input.timeZone);
  return {
    name: 'TPP',
    columns: [
      { header: 'NIP', width: 21 },
      { header: 'Nama', width: 30 },
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'Bulan', width: 16 },
      { header: `SKP ${input.period.year} ditetapkan`, width: 12 },
      { header: 'Tanggal SKP ditetapkan', width: 14 },
      { header: 'Realisasi bulan', width: 14 },
      { header: 'Sudah dinilai', width: 10 },
      { header: 'Predikat', width: 18 },
      { header: 'Keberatan dalam proses', width: 12 },
    ],
    batches: mapBatches(facts, (f) => [
      f.nip,
      f.nama,
      f.pdName,
      formatMonth(Number(f.month.slice(0, 4)), Number(f.month.slice(5, 7))),
      yesNo(f.skpEstablished),
      f.skpEstablishedAt ? format(f.skpEstablishedAt).slice(0, 10) : '',
      MONTHLY_STATUS_LABELS[f.realisasi],
      yesNo(f.rated),
      f.predikat ? PREDIKAT_LABELS[f.predikat] : '',
      yesNo(f.keberatanPending),
    ]),
  };
}

const AK_PROBLEM_LABELS = {
  no_jenjang: 'Jenjang jabatan fungsional belum diisi di data pegawai (kolom jenjang)',
  no_koefisien: 'Koefisien jenjang ini belum diatur (angkaKredit.koefisien)',
} as const;

/**
 * Angka kredit of jabatan fungsional: a year with an annual predikat counts it for the full year (12/12), otherwise
 * the period's monthly predikat count months/12; the README explains each column.
 */
async function angkaKreditSheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const facts = await angkaKreditFacts(deps, { period: input.period, scope: input.scope, koefisien: input.koefisien ?? {} });
  return {
    name: 'Angka Kredit',
    columns: [
      { header: 'NIP', width: 21 },
      { header: 'Nama', width: 30 },
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'Jabatan', width: 30 },
      { header: 'Jenjang', width: 16 },
      { header: 'Koefisien', width: 10 },
      { header: 'Bulan dinilai', width: 10 },
      ...PREDIKATS.map((p) => ({ header: `Bulan ${PREDIKAT_LABELS[p]}`, width: 10 })),
      { header: 'Predikat Tahunan', width: 16 },
      { header: 'Angka Kredit', width: 12 },
      { header: 'Keterangan', width: 50 },
    ],
    rows: facts.map((f) => [
      f.nip,
      f.nama,
      f.pdName,
      f.jabatan,
      f.jenjang ?? '',
      f.koefisien,
      f.ratedMonths,
      ...PREDIKATS.map((p) => f.months[p]),
      f.annualPredikat ? PREDIKAT_LABELS[f.annualPredikat] : '',
      f.angkaKredit,
      f.problem ? AK_PROBLEM_LABELS[f.problem] : f.annualPredikat ? 'Dihitung dari predikat tahunan (12/12)' : '',
    ]),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Writers

async function* mapBatches<T>(batches: AsyncIterable<T[]>, row: (item: T) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const batch of batches) yield batch.map(row);
}

/**
 * Resolves when the writable can take more (its buffer below the high-water mark) or has failed. (exceljs's zip
 * uses readable-stream 2, whose writables have no writableLength: its state says the same.)
 */
function drained(out: Writable | undefined, allowedBytes = 0): Promise<void> {
  const state = (out as { _writableState?: { length: number; highWaterMark: number } } | undefined)?._writableState;
  if (!out || !state || state.length <= Math.max(allowedBytes, state.highWaterMark)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('error', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done).on('error', done).on('close', done);
  });
}

/**
 * Streams the sheets into `out` as an XLSX workbook and returns the rows written per sheet. The sheets are built
 * one after another, each once the one before is written (building the next meanwhile cost more memory than it
 * saved time at 10^5 employees); a streamed sheet is written batch by batch, waiting for the zip and `out` between
 * batches, so only a batch of it is in memory. No cell styles (they
 * halve exceljs's speed at 10^5 rows) and no shared strings (exceljs keys them in a plain object, which costs
 * seconds with ~10^5 distinct names and times).
 */
export async function writeXlsx(out: Writable, builders: ReadonlyArray<() => Promise<AnySheet>>, meta: { title: string }): Promise<Record<string, number>> {
  const done = finished(out);
  done.catch(() => undefined);
  const workbook = new (exceljs().stream.xlsx.WorkbookWriter)({ stream: out, useSharedStrings: false, useStyles: false });
  workbook.creator = 'kinerja-bot';
  workbook.title = meta.title;
  const rowCounts: Record<string, number> = {};
  for (const build of builders) {
    const sheet = await build();
    const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c, k) => ({ header: c.header, key: `c${k}`, width: c.width }));
    ws.getRow(1).commit();
    // exceljs hands each worksheet's XML to the zip without waiting for it: wait for the zip's entry stream
    // between batches, or the XML of a million rows queues up in memory ahead of the compression.
    // (The zip takes the entry stream once it reaches it, so it is looked up each time; at most a second in all is
    // spent waiting for that.)
    const zipEntry = () => (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
    let count = 0;
    let waits = 0;
    for await (const batch of batchesOf(sheet)) {
      for (const row of batch) ws.addRow(row).commit();
      count += batch.length;
      while (!zipEntry() && waits++ < 500) await new Promise((r) => setTimeout(r, 2));
      // A few MB may wait: the compression (on another thread) keeps working while the next batch is read.
      await drained(zipEntry(), ZIP_AHEAD_BYTES);
      await drained(out);
    }
    ws.commit();
    rowCounts[sheet.name] = count;
  }
  await workbook.commit();
  await done;
  return rowCounts;
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  // Indonesian spreadsheets read ';' as the separator and ',' as the decimal mark.
  const text = typeof value === 'number' ? String(value).replace('.', ',') : value;
  return /[";\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (cells: readonly Cell[]) => `${cells.map(csvCell).join(';')}\r\n`;

/** One sheet as CSV: UTF-8 with BOM (so Excel detects it), ';' separated, CRLF line ends. */
export function writeCsv(sheet: Sheet): Buffer {
  const lines = [csvLine(sheet.columns.map((c) => c.header))];
  for (const row of sheet.rows) lines.push(csvLine(row));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join(''), 'utf8')]);
}

/** The same CSV streamed into `out`, batch by batch; returns the rows written. */
async function streamCsv(out: Writable, sheet: AnySheet): Promise<number> {
  const done = finished(out);
  done.catch(() => undefined);
  out.write(Buffer.from([0xef, 0xbb, 0xbf]));
  out.write(csvLine(sheet.columns.map((c) => c.header)));
  let count = 0;
  for await (const batch of batchesOf(sheet)) {
    out.write(batch.map(csvLine).join(''));
    count += batch.length;
    await drained(out);
  }
  out.end();
  await done;
  return count;
}

export interface ExportFile {
  content: Buffer;
  fileName: string;
  mimeType: string;
  /** Rows per sheet, for the caption. */
  rowCounts: Record<string, number>;
}

export function exportFileName(period: ReportPeriod, sheet?: SheetName): string {
  const base = `rekap-kinerja-${periodKey(period)}`;
  return sheet ? `${base}-${sheet.toLowerCase().replace(/\s+/g, '-')}.csv` : `${base}.xlsx`;
}

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Writes the whole workbook, or one sheet as CSV when `csvSheet` is given, into `out` (ended when done). */
export async function streamExport(
  deps: ReportDeps,
  input: ExportInput & { csvSheet?: SheetName },
  out: Writable,
): Promise<Omit<ExportFile, 'content'>> {
  if (input.csvSheet) {
    const [build] = sheetBuilders(deps, input, [input.csvSheet]);
    const rows = await streamCsv(out, await build!());
    return { fileName: exportFileName(input.period, input.csvSheet), mimeType: 'text/csv', rowCounts: { [input.csvSheet]: rows } };
  }
  const rowCounts = await writeXlsx(out, sheetBuilders(deps, input), { title: `Rekap kinerja ${periodKey(input.period)}` });
  return { fileName: exportFileName(input.period), mimeType: XLSX_MIME, rowCounts };
}

/** The export written to the file at `path`, never whole in memory: the size of the file is what it costs. */
export async function writeExportFile(deps: ReportDeps, input: ExportInput & { csvSheet?: SheetName }, path: string): Promise<Omit<ExportFile, 'content'>> {
  return streamExport(deps, input, createWriteStream(path));
}

/** The whole workbook, or one sheet as CSV when `csvSheet` is given, in memory. */
export async function buildExport(deps: ReportDeps, input: ExportInput & { csvSheet?: SheetName }): Promise<ExportFile> {
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const file = await streamExport(deps, input, out);
  return { ...file, content: Buffer.concat(chunks) };
}
