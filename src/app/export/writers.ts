// Writing sheets out: an XLSX workbook streamed with exceljs, or one sheet as CSV (whole or streamed).
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type ExcelJSModule from 'exceljs';
import { readAhead } from '../../db/client.js';
import { lazyRequire } from '../../lazy-require.js';
import { batchesOf, STREAM_BATCH, type AnySheet, type Cell, type Sheet } from './sheet.js';

/** exceljs loads at the first export, not at boot. */
const exceljs = lazyRequire<typeof ExcelJSModule>('exceljs');
/** XML bytes a worksheet may have waiting for the zip before the next batch is read. */
const ZIP_AHEAD_BYTES = 8 * 1024 * 1024;

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

/** Column letters as in cell references: A … Z, AA, AB, … */
function columnLetters(count: number): string[] {
  const letters: string[] = [];
  for (let n = 1; n <= count; n++) {
    let name = '';
    for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) name = String.fromCharCode(65 + ((k - 1) % 26)) + name;
    letters.push(name);
  }
  return letters;
}

const XML_ESCAPED = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/;
const XML_ESCAPED_ALL = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/g;
const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

/** Text in XML as exceljs writes it (utils.xmlEncode): the five entities escaped, control characters XML cannot hold dropped. */
function xmlText(text: string): string {
  return XML_ESCAPED.test(text) ? text.replace(XML_ESCAPED_ALL, (c) => XML_ENTITIES[c] ?? '') : text;
}

/**
 * One row of a worksheet as the XML exceljs's streaming writer makes of `ws.addRow(cells).commit()` without styles
 * or shared strings, byte for byte: a string cell `t="str"`, a number plain, null no cell (but within the row's
 * spans), and a row with no value at all not written. exceljs builds a Row, a Cell and a value object per cell
 * and an XML stream per row on the way, which was most of the export's time at 10^6 rows.
 */
export function rowXml(rowNumber: number, cells: readonly Cell[], letters: readonly string[]): string {
  let xml = '';
  let min = 0;
  let max = 0;
  for (let k = 0; k < cells.length; k++) {
    const value = cells[k];
    if (value === undefined) continue;
    if (min === 0) min = k + 1;
    max = k + 1;
    if (value === null) continue;
    xml +=
      typeof value === 'number'
        ? `<c r="${letters[k]}${rowNumber}"><v>${value}</v></c>`
        : `<c r="${letters[k]}${rowNumber}" t="str"><v>${xmlText(value)}</v></c>`;
  }
  return xml === '' ? '' : `<row r="${rowNumber}" spans="${min}:${max}" x14ac:dyDescent="0.25">${xml}</row>`;
}

/** A sheet built, with its batches already being read. */
interface StartedSheet {
  sheet: AnySheet;
  batches: AsyncIterator<Cell[][]>;
}

/**
 * Builds a sheet and asks for its first batch at once, without waiting for it: the next sheet's queries run in
 * PostgreSQL while this one is written (at 10^5 employees the process waited on the database about half the
 * time). A failure surfaces when the sheet's turn comes.
 */
function startSheet(build: () => Promise<AnySheet>): Promise<StartedSheet> {
  const started = build().then((sheet) => {
    const rows = readAhead(batchesOf(sheet));
    const first = rows.next();
    first.catch(() => undefined);
    let firstTaken = false;
    const batches: AsyncIterator<Cell[][]> = {
      next: () => (firstTaken ? rows.next() : ((firstTaken = true), first)),
      return: async () => {
        // Closing while the first read is under way would wait for it anyway (the generator runs one step at a time).
        await first.catch(() => undefined);
        return rows.return(undefined);
      },
    };
    return { sheet, batches };
  });
  started.catch(() => undefined);
  return started;
}

/**
 * Streams the sheets into `out` as an XLSX workbook and returns the rows written per sheet. The sheets are written
 * one after another, in order; each is built, and its first batch read, while the one before it is written. A
 * streamed sheet is written batch by batch, the next batch read from its cursor meanwhile, waiting for the zip and
 * `out` between batches, so only a batch or two of it is in memory. exceljs writes the workbook, each sheet's
 * columns and header row; the data rows' XML is written here (see rowXml). No cell styles and no shared strings
 * (exceljs keys them in a plain object, which costs seconds with ~10^5 distinct names and times).
 */
export async function writeXlsx(out: Writable, builders: ReadonlyArray<() => Promise<AnySheet>>, meta: { title: string }): Promise<Record<string, number>> {
  const done = finished(out);
  done.catch(() => undefined);
  const workbook = new (exceljs().stream.xlsx.WorkbookWriter)({ stream: out, useSharedStrings: false, useStyles: false });
  workbook.creator = 'kinerja-bot';
  workbook.title = meta.title;
  const rowCounts: Record<string, number> = {};
  // The sheets started and not yet written, in order. One sheet is always started ahead of the one written, and
  // a sheet built whole (a few rows) starts the next at once: so a streamed sheet's query (the TPP facts sort 10^6
  // rows before the first comes) runs while the streamed sheet before it is written, not only during a small
  // sheet between them. At most two cursors are open: the sheet written and one ahead.
  const ahead: Array<Promise<StartedSheet>> = [];
  let toStart = 0;
  const startNext = (): void => {
    if (toStart >= builders.length) return;
    const started = startSheet(builders[toStart++]!);
    ahead.push(started);
    started.then((s) => 'rows' in s.sheet && startNext(), () => undefined);
  };
  startNext();
  try {
    while (ahead.length > 0) {
      const { sheet, batches } = await ahead.shift()!;
      if (ahead.length === 0) startNext();
      const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = sheet.columns.map((c, k) => ({ header: c.header, key: `c${k}`, width: c.width }));
      // The header row through exceljs: it also writes the columns and opens <sheetData>.
      ws.getRow(1).commit();
      const sheetXml = (ws as unknown as { stream: { write(xml: string): unknown } }).stream;
      // exceljs hands each worksheet's XML to the zip without waiting for it: wait for the zip's entry stream
      // between batches, or the XML of a million rows queues up in memory ahead of the compression.
      // (The zip takes the entry stream once it reaches it, so it is looked up each time; at most a second in all
      // is spent waiting for that.)
      const zipEntry = () => (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
      let letters = columnLetters(sheet.columns.length);
      let count = 0;
      let waits = 0;
      try {
        for (let batch = await batches.next(); !batch.done; batch = await batches.next()) {
          // A sheet built whole (the angka kredit: ~2·10^4 rows at 10^5 employees) is written in pieces as well,
          // not as one XML string and buffer of ~10 MB.
          for (let from = 0; from < batch.value.length; from += STREAM_BATCH) {
            const xml: string[] = [];
            for (const row of batch.value.slice(from, from + STREAM_BATCH)) {
              if (row.length > letters.length) letters = columnLetters(row.length);
              xml.push(rowXml(count + 2, row, letters));
              count++;
            }
            sheetXml.write(xml.join(''));
            while (!zipEntry() && waits++ < 500) await new Promise((r) => setTimeout(r, 2));
            // A few MB may wait: the compression (on another thread) keeps working while the next batch is read.
            await drained(zipEntry(), ZIP_AHEAD_BYTES);
            await drained(out);
          }
        }
      } catch (error) {
        await batches.return?.();
        throw error;
      }
      ws.commit();
      rowCounts[sheet.name] = count;
    }
  } finally {
    // After a failure: the sheets started ahead close their cursors.
    for (const started of ahead) await started.then((s) => s.batches.return?.(), () => undefined);
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
export async function streamCsv(out: Writable, sheet: AnySheet): Promise<number> {
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
