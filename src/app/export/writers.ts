// Writing sheets out: an XLSX workbook streamed with exceljs, or one sheet as CSV (whole or streamed).
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type ExcelJSModule from 'exceljs';
import { lazyRequire } from '../../lazy-require.js';
import { batchesOf, type AnySheet, type Cell, type Sheet } from './sheet.js';

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
