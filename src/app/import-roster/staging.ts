// The roster import's staging table: the validated file as rows in the import's transaction, so every change is
// worked out and applied by set-based statements instead of round trips per batch of rows.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import type { RosterRow } from '../../domain/roster.js';

/** The file's rows, with what the import resolved for each (by file position). */
export interface StagedRoster {
  rows: RosterRow[];
  unitIds: string[];
  /** File position of each row's atasan; -1 when none or not in the file (then it must be stored already). */
  atasanOrd: Int32Array;
}

/** Columns of roster_stage, in COPY order. `ord` is the row's position in the file. */
const STAGE_COLUMNS = [
  ['ord', 'int'],
  ['nip', 'text'],
  ['nama', 'text'],
  ['jabatan', 'text'],
  ['pangkat', 'text'],
  ['pangkat_given', 'boolean'],
  ['jenjang', 'text'],
  ['jenjang_given', 'boolean'],
  ['jenis_jabatan', 'text'],
  ['unit_id', 'uuid'],
  ['nip_atasan', 'text'],
  ['atasan_ord', 'int'],
  ['phone', 'text'],
] as const;

const ROWS_PER_CHUNK = 2000;
/** Rows per statement where COPY is not available (the embedded PGlite). */
const ROWS_PER_JSON_BATCH = 5000;

/** Creates roster_stage (dropped at the end of the transaction) and loads every row into it. */
export async function stageRoster(tx: Tx, staged: StagedRoster): Promise<void> {
  const columns = STAGE_COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ');
  await tx.execute(sql.raw(`create temporary table roster_stage (${columns}) on commit drop`));
  const copy = copyClient(tx);
  if (copy) {
    const writable = await copy.unsafe(`copy roster_stage (${STAGE_COLUMNS.map(([name]) => name).join(', ')}) from stdin`).writable();
    await pipeline(Readable.from(copyChunks(staged)), writable);
  } else {
    for (let i = 0; i < staged.rows.length; i += ROWS_PER_JSON_BATCH) {
      const values: Array<ReturnType<typeof stageRecord>> = [];
      for (let j = i; j < Math.min(i + ROWS_PER_JSON_BATCH, staged.rows.length); j++) values.push(stageRecord(staged, j));
      await tx.execute(sql`
        insert into roster_stage select * from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
          as x(${sql.raw(columns)})`);
    }
  }
  // Temporary tables are never analysed automatically; the joins that follow are planned on these statistics.
  await tx.execute(sql`analyze roster_stage`);
}

type CopyClient = { unsafe(query: string): { writable(): Promise<Writable> } };

/** The postgres.js connection of a transaction on a server database (COPY); undefined on PGlite. */
function copyClient(tx: Tx): CopyClient | undefined {
  const client = (tx as unknown as { session?: { client?: { unsafe?: unknown } } }).session?.client;
  return typeof client?.unsafe === 'function' ? (client as CopyClient) : undefined;
}

function atasanOrd(staged: StagedRoster, ord: number): number | null {
  const atasan = staged.atasanOrd[ord]!;
  return atasan === -1 ? null : atasan;
}

function stageRecord(staged: StagedRoster, ord: number): Record<(typeof STAGE_COLUMNS)[number][0], unknown> {
  const r = staged.rows[ord]!;
  return {
    ord,
    nip: r.nip,
    nama: r.nama,
    jabatan: r.jabatan,
    pangkat: r.pangkat ?? null,
    pangkat_given: r.pangkat !== undefined,
    jenjang: r.jenjang ?? null,
    jenjang_given: r.jenjang !== undefined,
    jenis_jabatan: r.jenisJabatan,
    unit_id: staged.unitIds[ord],
    nip_atasan: r.nipAtasan,
    atasan_ord: atasanOrd(staged, ord),
    phone: r.telepon,
  };
}

/** COPY's text format, a few thousand rows per chunk (the stream's backpressure paces the generator). */
function* copyChunks(staged: StagedRoster): Generator<string> {
  let chunk = '';
  for (let i = 0; i < staged.rows.length; i++) {
    const r = staged.rows[i]!;
    chunk +=
      `${i}\t${text(r.nip)}\t${text(r.nama)}\t${text(r.jabatan)}\t${nullable(r.pangkat)}\t${r.pangkat === undefined ? 'f' : 't'}\t` +
      `${nullable(r.jenjang)}\t${r.jenjang === undefined ? 'f' : 't'}\t${text(r.jenisJabatan)}\t${staged.unitIds[i]}\t${nullable(r.nipAtasan)}\t` +
      `${atasanOrd(staged, i) ?? '\\N'}\t${nullable(r.telepon)}\n`;
    if ((i + 1) % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function text(value: string): string {
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : value;
}

function nullable(value: string | null | undefined): string {
  return value === null || value === undefined ? '\\N' : text(value);
}
