// The export as a file for the bot to upload (/ekspor, the Mini App's export): written to a temporary file through
// a byte counter that stops the export as soon as the file passes the Bot API's upload limit, so a workbook too
// large to send is never built whole (a year at 10^5 employees is ~130 MB and minutes of database work).
import { mkdtemp, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { abortableDb } from '../db/client.js';
import { streamExport, type ExportInput, type SheetName } from './export.js';
import type { ReportDeps } from './reports.js';

/** Telegram refuses a bot's document upload over 50 MB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface ExportUploadOptions {
  /** The largest file that may be sent; MAX_UPLOAD_BYTES unless a test sets less. */
  maxUploadBytes?: number;
  /** Where the temporary directory is made; os.tmpdir() unless a test looks into its own. */
  tempDir?: string;
  /**
   * How long a chat command waits for the file before it tells the user the file will follow (EXPORT_PATIENCE_MS
   * unless a test sets less): a year's export can take longer than an update's handler may run.
   */
  patienceMs?: number;
}

/** A chat command's wait for its file before it says the file follows; well within telegraf's handler timeout. */
export const EXPORT_PATIENCE_MS = 3_000;

export type ExportUpload =
  | {
      ok: true;
      /** The file to send (as telegraf's `{ source: path, filename: fileName }`); removed by cleanup. */
      path: string;
      fileName: string;
      /** Rows per sheet, for the caption. */
      rowCounts: Record<string, number>;
      /** Removes the file and its directory: call it once the file is sent, or the send has failed. */
      cleanup: () => Promise<void>;
    }
  /** Stopped once over `maxBytes`, the limit it was given. */
  | { ok: false; reason: 'tooLarge'; maxBytes: number };

/** Why a CappedFile stopped: the export passed the limit. */
class ExportTooLarge extends Error {
  constructor(limit: number) {
    super(`export over ${limit} bytes`);
    this.name = 'ExportTooLarge';
  }
}

/**
 * The export's output: counts the bytes and writes them to `file` until they pass `limit`. Then (or when the file
 * cannot be written) it aborts `controller`, which stops the export's database work at its next query or cursor
 * batch, and takes whatever still comes at once, without keeping it. It never fails, and once stopped it never
 * holds the writer back: writeXlsx, on an output that has failed or no longer drains, waits forever (its cursor
 * open) instead of stopping, and streamCsv reads on to the end; only a query or batch that throws stops them.
 */
class CappedFile extends Writable {
  private bytes = 0;
  /** Why it stopped writing; null while it writes. */
  stopped: Error | null = null;

  constructor(
    private readonly file: FileHandle,
    private readonly limit: number,
    private readonly controller: AbortController,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    this.controller.abort(reason);
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    if (this.stopped) return callback();
    const data = chunks.length === 1 ? chunks[0]!.chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this.bytes += data.length;
    if (this.bytes > this.limit) {
      this.stop(new ExportTooLarge(this.limit));
      return callback();
    }
    this.writeAll(data).then(
      () => callback(),
      (error: unknown) => {
        this.stop(error instanceof Error ? error : new Error(String(error)));
        callback();
      },
    );
  }

  private async writeAll(data: Buffer): Promise<void> {
    for (let offset = 0; offset < data.length; ) offset += (await this.file.write(data, offset)).bytesWritten;
  }
}

/**
 * The export (the whole workbook, or one sheet as CSV when `csvSheet` is given) written to a file in a new
 * temporary directory, or 'tooLarge' as soon as it passes the upload limit: the export is stopped there (no
 * further query or cursor batch) and the partial file removed. A failure of the export itself is thrown, its file
 * removed as well.
 */
export function exportForUpload(
  deps: ReportDeps,
  input: ExportInput & { csvSheet?: SheetName },
  options: ExportUploadOptions = {},
): Promise<ExportUpload> {
  // One export at a time in a process: each holds a database cursor and up to a few hundred MB while it runs.
  const run = exportsBefore.then(() => exportOnce(deps, input, options));
  exportsBefore = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}

let exportsBefore: Promise<void> = Promise.resolve();

/** A directory of an export that a crash left behind is removed by a later export, a day on. */
const LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;
const DIR_PREFIX = 'kinerja-export-';

async function removeLeftovers(parent: string): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[]);
  const cutoff = Date.now() - LEFTOVER_AGE_MS;
  for (const name of names) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const path = join(parent, name);
    const info = await stat(path).catch(() => null);
    if (info?.isDirectory() && info.mtimeMs < cutoff) await rm(path, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function exportOnce(deps: ReportDeps, input: ExportInput & { csvSheet?: SheetName }, options: ExportUploadOptions): Promise<ExportUpload> {
  const parent = options.tempDir ?? tmpdir();
  await removeLeftovers(parent);
  const dir = await mkdtemp(join(parent, DIR_PREFIX));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'export');
    const controller = new AbortController();
    const file = await open(path, 'w');
    const maxBytes = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
    const out = new CappedFile(file, maxBytes, controller);
    let written: Awaited<ReturnType<typeof streamExport>> | null = null;
    try {
      const guarded = { db: abortableDb(deps.db, controller.signal), calendar: deps.calendar, procedures: deps.procedures };
      written = await streamExport(guarded, input, out);
    } catch (error) {
      // Once stopped, the export fails with the abort's reason (or what the abort caused): the reason says it.
      if (!out.stopped) throw error;
    } finally {
      await file.close();
    }
    if (out.stopped instanceof ExportTooLarge) {
      await cleanup();
      return { ok: false, reason: 'tooLarge', maxBytes };
    }
    if (out.stopped || !written) throw out.stopped ?? new Error('export ended without a result');
    return { ok: true, path, fileName: written.fileName, rowCounts: written.rowCounts, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
