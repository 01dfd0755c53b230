// The export's sheets as data: their names, cells and rows (whole or in batches), the input, and the cell formats.
import { tzOffset } from '@date-fns/tz';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { timeZoneAbbrev } from '../../domain/format.js';
import type { OrgRating } from '../../domain/predikat.js';
import type { ReportPeriod, ReportScope } from '../reports.js';

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

export type AnySheet = Sheet | StreamedSheet;

/**
 * Rows fetched per cursor batch of a streamed sheet. Small enough that a batch, read while the one before it is
 * written, dies in V8's young generation: at 5,000 rows its objects outlived two scavenges and were promoted, and
 * the old generation grew to ~4× its live size between major collections (peak RSS 366 MB against 250–270 MB at
 * 10^4 employees; the round trips cost nothing measurable, the next batch being read while one is written).
 */
export const STREAM_BATCH = 1000;

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

export const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

export const hours = (minutes: number | null): number | null => (minutes === null ? null : Math.round((minutes / 60) * 10) / 10);
export const oneDecimal = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);
export const yesNo = (value: boolean) => (value ? 'Ya' : 'Tidak');

export async function wholeSheet(sheet: AnySheet): Promise<Sheet> {
  if ('rows' in sheet) return sheet;
  const rows: Cell[][] = [];
  for await (const batch of sheet.batches) for (const row of batch) rows.push(row);
  return { name: sheet.name, columns: sheet.columns, rows };
}

export function batchesOf(sheet: AnySheet): AsyncIterable<Cell[][]> {
  return 'rows' in sheet ? (async function* () { yield sheet.rows; })() : sheet.batches;
}

export async function* mapBatches<T>(batches: AsyncIterable<T[]>, row: (item: T) => Cell[]): AsyncGenerator<Cell[][]> {
  for await (const batch of batches) yield batch.map(row);
}
