// The recap as a file: an XLSX workbook (exceljs, streamed) with five sheets, or one sheet as CSV.
//
// Column headers are Indonesian and dates are local time ('DD/MM/YYYY HH.mm WIB'): the file goes to people, and
// the CLI and the bot produce the same file, so its words live here rather than in the bot's views.
// The sheets live in export/ (sheet.ts the data, *-sheets.ts the builders, writers.ts the file formats); this file
// chooses the sheets and writes them to a stream, a file or memory, under the names the rest of the app imports.
import { createWriteStream } from 'node:fs';
import { PassThrough, type Writable } from 'node:stream';
import { periodKey, type ReportDeps, type ReportPeriod } from './reports.js';
import { employeeSheet, overdueSheet } from './export/employee-sheets.js';
import { angkaKreditSheet, eventLogSheet, tppSheet } from './export/fact-sheets.js';
import { curveSheet, mutuBakuSheet, summarySheet } from './export/overview-sheets.js';
import { SHEET_NAMES, wholeSheet, type AnySheet, type ExportInput, type Sheet, type SheetName } from './export/sheet.js';
import { streamCsv, writeXlsx } from './export/writers.js';

export { parseSheetName, SHEET_NAMES, shortDateTimeFormatter, type Cell, type ExportInput, type Sheet, type SheetName, type StreamedSheet } from './export/sheet.js';
export { writeCsv, writeXlsx } from './export/writers.js';

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
