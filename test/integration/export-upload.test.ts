// The export as a file to upload (src/app/export-upload.ts): written to a temporary file that cleanup removes, and
// stopped as soon as it passes the upload limit: 'tooLarge', no file left, no query or cursor batch after, no
// cursor left open, no unhandled rejection.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { buildExport } from '../../src/app/export.js';
import { exportForUpload, MAX_UPLOAD_BYTES } from '../../src/app/export-upload.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { parsePeriod, type ReportDeps } from '../../src/app/reports.js';
import { sql } from 'drizzle-orm';
import { abortableDb, rowBatches, type Db } from '../../src/db/client.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { buildTestConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { generateReportData } from '../support/report-data.js';

let db: TestDatabase;
let deps: ReportDeps;
let tempDir: string;
// Tuesday 15 December 2026, 10:00 WIB: the year's TPP sheet has 12 months of every employee, more than one cursor
// batch (5,000 rows).
const now = new Date('2026-12-15T03:00:00Z');
const input = (period: string, csvSheet?: 'TPP' | 'Pegawai') => ({
  period: parsePeriod(period)!,
  scope: { kind: 'all' as const },
  now,
  timeZone: 'Asia/Jakarta' as const,
  ...(csvSheet ? { csvSheet } : {}),
});

/** deps whose database handle counts its uses (each query, each cursor opened) and notes the last one's time. */
function counted(base: ReportDeps) {
  const uses = { count: 0, lastAt: 0 };
  const db = new Proxy(base.db, {
    get(target, key, receiver) {
      uses.count++;
      uses.lastAt = performance.now();
      return Reflect.get(target, key, receiver) as unknown;
    },
  }) as Db;
  return { deps: { ...base, db }, uses };
}

/** The backends of the test database that are running a query or hold a transaction (an open cursor does). */
async function busyBackends(): Promise<Array<{ state: string; query: string }>> {
  const probe = postgres(db.url, { max: 1, onnotice: () => {} });
  try {
    return await probe<Array<{ state: string; query: string }>>`
      select state, query from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and state in ('active', 'idle in transaction', 'idle in transaction (aborted)')`;
  } finally {
    await probe.end({ timeout: 5 });
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' });
  const calendar = createCalendar(config.calendar);
  const procedures = createProcedureRegistry(config.deployment.procedures);
  deps = { db: db.db, calendar, procedures };
  await generateReportData(db, { roster: { employees: 600, perangkatDaerah: 4, seed: 7 }, year: 2026, months: 11, now, calendar, procedures, seed: 7, keepSteps: false });
}, 240_000);
afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'kinerja-export-test-'));
});
afterEach(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

describe('abortableDb', () => {
  it('refuses queries once aborted, and closes a cursor at the batch asked for after the abort', async () => {
    const controller = new AbortController();
    const guarded = abortableDb(db.db, controller.signal);
    const batches = rowBatches<{ n: number }>(guarded, sql`select n from generate_series(1, 20000) n`, 1000)[Symbol.asyncIterator]();
    expect((await batches.next()).value).toHaveLength(1000);
    expect(await busyBackends()).toHaveLength(1);
    controller.abort(new Error('stop'));
    await expect(batches.next()).rejects.toThrow('stop');
    expect(await busyBackends()).toEqual([]);
    expect(() => guarded.execute(sql`select 1`)).toThrow('stop');
  });
});

describe('exportForUpload', () => {
  it('writes the export to a temporary file, the same as the export in memory, which cleanup removes', async () => {
    expect(MAX_UPLOAD_BYTES).toBe(50 * 1024 * 1024);
    const csv = await exportForUpload(deps, input('2026', 'TPP'), { tempDir });
    if (!csv.ok) throw new Error('expected a file');
    const inMemory = await buildExport(deps, input('2026', 'TPP'));
    expect(csv.fileName).toBe('rekap-kinerja-2026-tpp.csv');
    expect(csv.rowCounts).toEqual(inMemory.rowCounts);
    expect(csv.rowCounts.TPP).toBeGreaterThan(5000);
    expect((await readFile(csv.path)).equals(inMemory.content)).toBe(true);
    expect(csv.path.startsWith(tempDir)).toBe(true);
    await csv.cleanup();
    expect(await readdir(tempDir)).toEqual([]);

    const xlsx = await exportForUpload(deps, input('2026'), { tempDir });
    if (!xlsx.ok) throw new Error('expected a file');
    expect(xlsx.fileName).toBe('rekap-kinerja-2026.xlsx');
    expect(xlsx.rowCounts).toEqual((await buildExport(deps, input('2026'))).rowCounts);
    expect((await readFile(xlsx.path)).subarray(0, 2).toString('latin1')).toBe('PK');
    await xlsx.cleanup();
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('stops the export once the file passes the limit: tooLarge, no file left, no database work after, no cursor open', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // The whole export, for comparison: its size and how often it uses the database.
      const full = counted(deps);
      const whole = await exportForUpload(full.deps, input('2026'), { tempDir });
      if (!whole.ok) throw new Error('expected a file');
      const fullSize = (await stat(whole.path)).size;
      await whole.cleanup();

      for (const [request, limit] of [
        // One sheet as CSV, stopped inside the first of the TPP cursor's batches (the cursor is open then).
        [input('2026', 'TPP'), 64 * 1024],
        // The workbook, stopped before its last sheets.
        [input('2026'), Math.floor(fullSize / 10)],
      ] as const) {
        const run = counted(deps);
        const result = await exportForUpload(run.deps, request, { tempDir, maxUploadBytes: limit });
        const returnedAt = performance.now();
        expect(result).toEqual({ ok: false, reason: 'tooLarge', maxBytes: limit });
        expect(await readdir(tempDir)).toEqual([]);
        // Nothing runs on after the answer: no query, and no cursor left open on a connection.
        await new Promise((r) => setTimeout(r, 300));
        expect(run.uses.lastAt).toBeLessThanOrEqual(returnedAt);
        expect(await busyBackends()).toEqual([]);
        if (!request.csvSheet) expect(run.uses.count).toBeLessThan(full.uses.count);
      }
      // The database is still usable: a whole export afterwards works.
      const again = await exportForUpload(deps, input('2026-03'), { tempDir });
      expect(again.ok).toBe(true);
      if (again.ok) await again.cleanup();
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('removes the directory when the export itself fails, and throws', async () => {
    const broken: ReportDeps = { ...deps, db: new Proxy(deps.db, { get: (target, key, receiver) => (key === 'execute' ? () => Promise.reject(new Error('db down')) : Reflect.get(target, key, receiver)) }) };
    await expect(exportForUpload(broken, input('2026-03'), { tempDir })).rejects.toThrow('db down');
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('removes a directory a crashed export left behind once it is a day old, and nothing else', async () => {
    const leftover = join(tempDir, 'kinerja-export-crashed');
    const recent = join(tempDir, 'kinerja-export-running');
    const other = join(tempDir, 'someone-else');
    for (const dir of [leftover, recent, other]) await mkdir(dir);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    await utimes(leftover, twoDaysAgo, twoDaysAgo);
    await utimes(other, twoDaysAgo, twoDaysAgo);
    const file = await exportForUpload(deps, input('2026-03', 'Pegawai'), { tempDir });
    if (!file.ok) throw new Error('expected a file');
    await file.cleanup();
    expect((await readdir(tempDir)).sort()).toEqual(['kinerja-export-running', 'someone-else']);
  });

  it('runs the exports of a process one after another', async () => {
    // Each export's directory is made when it starts: the second is made only after the first is done.
    const first = exportForUpload(deps, input('2026', 'TPP'), { tempDir });
    const second = exportForUpload(deps, input('2026-03', 'Pegawai'), { tempDir });
    let firstDone = false;
    void first.then(() => (firstDone = true));
    const seen: string[][] = [];
    while (!firstDone) {
      seen.push(await readdir(tempDir));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(seen.every((names) => names.length <= 1)).toBe(true);
    for (const file of [await first, await second]) if (file.ok) await file.cleanup();
  });
});
