// Roster CSV import: parse and validate the whole file, all or nothing, reporting every bad row.

import { parse } from 'csv-parse/sync';
import { nipDigits, parseNip } from './nip.js';
import { normalizePhone } from './phone.js';

export type JenisJabatan = 'jpt' | 'administrator' | 'pengawas' | 'pelaksana' | 'fungsional';
export type RosterRole = 'pengelola' | 'bkpp_admin';

export interface RosterRow {
  /** 1-based file line where the record starts (header = line 1). */
  line: number;
  nip: string;
  nama: string;
  jabatan: string;
  jenisJabatan: JenisJabatan;
  /** Perangkat daerah first, then bidang, subbagian… */
  unitPath: string[];
  nipAtasan: string | null;
  telepon: string | null;
  peran: RosterRole[];
  /**
   * Pangkat/golongan ruang as written ('Penata Muda Tk. I, III/b'); null for an empty cell. Absent (undefined)
   * when the file has no pangkat column, so an import leaves the stored value alone instead of erasing it.
   */
  pangkat?: string | null;
  /**
   * Jenjang of a jabatan fungsional ('Ahli Pertama', 'Terampil'…) for angka kredit; same absent/null rule as pangkat.
   */
  jenjang?: string | null;
}

export interface RosterProblem {
  line: number;
  column?: string;
  message: string;
}

export type RosterParseResult =
  | { ok: true; rows: RosterRow[]; units: string[][] }
  | { ok: false; problems: RosterProblem[] };

export interface ParseRosterOptions {
  /** Default 200,000. */
  maxRows?: number;
  /** Bounds plausible NIP years; defaults to the current time. */
  now?: Date;
}

export const ROSTER_COLUMNS = [
  'nip',
  'nama',
  'jabatan',
  'jenis_jabatan',
  'unit',
  'nip_atasan',
  'telepon',
  'peran',
] as const;
type Column = (typeof ROSTER_COLUMNS)[number];

/** Columns a file may leave out; older rosters have none of them. */
export const OPTIONAL_ROSTER_COLUMNS = ['pangkat', 'jenjang'] as const;
type OptionalColumn = (typeof OPTIONAL_ROSTER_COLUMNS)[number];
/** Other header spellings of the same column (after headerKey). */
const COLUMN_ALIASES: Readonly<Record<string, OptionalColumn>> = { pangkat_golongan: 'pangkat' };

export const JENIS_JABATAN: readonly JenisJabatan[] = ['jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional'];
export const ROSTER_ROLES: readonly RosterRole[] = ['pengelola', 'bkpp_admin'];

const DEFAULT_MAX_ROWS = 200_000;
const UNIT_SEPARATOR = /\s+\/\s+/; // ' / ' only, so names like 'Umum/Kepegawaian' stay whole
const MAX_CYCLE_NAMES = 8;
/** 'Pembina Utama Madya, IV/d' is 25 characters; anything far longer is a misplaced cell. */
const MAX_PANGKAT_LENGTH = 100;

const NOT_UTF8 = 'berkas bukan UTF-8 yang valid; simpan ulang sebagai CSV UTF-8';

// Spreadsheet cells carry NBSPs, doubled spaces and stray newlines; none of them mean anything.
// The test spares the replace (and its garbage) for the usual already-clean cell.
const UNCLEAN = /[^\S ]| {2}|^ | $/;
function clean(value: string): string {
  return UNCLEAN.test(value) ? value.replace(/\s+/g, ' ').trim() : value;
}

// 'Nip Atasan', ' NIP-ATASAN ' and 'nip_atasan' are the same header.
function headerKey(value: string): string {
  return clean(value).toLowerCase().replace(/[\s-]+/g, '_');
}

function formatCount(n: number): string {
  return n.toLocaleString('id-ID');
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Picks ';' or ',' by which occurs more often (outside quotes) in the header line. */
function detectDelimiter(text: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && c === ';') semicolons++;
    else if (!quoted && c === ',') commas++;
  }
  return semicolons > commas ? ';' : ',';
}

interface RawRecord {
  line: number;
  fields: string[];
}

function readRecords(text: string, delimiter: string): RawRecord[] | RosterProblem {
  const records: RawRecord[] = [];
  let lastEndLine = 0;
  try {
    // A Buffer parses about twice as fast as the same string in csv-parse 7.
    parse(Buffer.from(text, 'utf8'), {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
      // context.lines is the line the record ends on; quoted newlines push its start back.
      on_record: (record: string[], context) => {
        lastEndLine = context.lines;
        let inner = 0;
        for (const f of record) inner += countNewlines(f);
        records.push({ line: context.lines - inner, fields: record });
        return null; // collected here; nothing for csv-parse to accumulate
      },
    });
    return records;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    // The broken record starts on the first non-blank line after the last good one
    // (csv-parse reports the end of the file for an unclosed quote, which is no help).
    const lines = text.split('\n');
    let index = lastEndLine;
    while (index < lines.length - 1 && (lines[index] ?? '').trim() === '') index++;
    const message =
      e.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'tanda kutip (") dibuka tetapi tidak ditutup'
        : e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE' || e.code === 'CSV_INVALID_CLOSING_QUOTE'
          ? 'ada teks setelah tanda kutip penutup; apit seluruh nilai dengan tanda kutip dan gandakan kutip di dalamnya ("")'
          : `format CSV tidak dapat dibaca: ${e.message ?? String(error)}`;
    return { line: index + 1, message };
  }
}

interface HeaderMap {
  index: Record<Column, number>;
  optional: Partial<Record<OptionalColumn, number>>;
  /** Positions with an empty header cell (spreadsheets export trailing ';;;'); values must be empty. */
  unnamed: number[];
  /** One past the last named column: a row shorter than this is missing fields. */
  width: number;
}

function optionalColumnOf(key: string): OptionalColumn | undefined {
  if (Object.hasOwn(COLUMN_ALIASES, key)) return COLUMN_ALIASES[key];
  return (OPTIONAL_ROSTER_COLUMNS as readonly string[]).includes(key) ? (key as OptionalColumn) : undefined;
}

function readHeader(fields: string[], delimiter: string): HeaderMap | RosterProblem {
  const index: Partial<Record<Column, number>> = {};
  const optional: Partial<Record<OptionalColumn, number>> = {};
  const unknown: string[] = [];
  const duplicated: string[] = [];
  const unnamed: number[] = [];
  let width = 0;
  fields.forEach((raw, i) => {
    const key = headerKey(raw);
    if (key === '') {
      unnamed.push(i);
      return;
    }
    width = i + 1;
    const optionalKey = optionalColumnOf(key);
    if (optionalKey !== undefined) {
      // 'pangkat' next to 'pangkat_golongan' is the same column twice.
      if (optional[optionalKey] !== undefined) duplicated.push(key === optionalKey ? key : `${key} (sama dengan ${optionalKey})`);
      else optional[optionalKey] = i;
    } else if (!(ROSTER_COLUMNS as readonly string[]).includes(key)) unknown.push(clean(raw));
    else if (index[key as Column] !== undefined) duplicated.push(key);
    else index[key as Column] = i;
  });
  const missing = ROSTER_COLUMNS.filter((c) => index[c] === undefined);
  if (missing.length === 0 && unknown.length === 0 && duplicated.length === 0) {
    return { index: index as Record<Column, number>, optional, unnamed, width };
  }
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`kolom tidak ada: ${missing.join(', ')}`);
  if (unknown.length > 0) parts.push(`kolom tidak dikenal: ${unknown.map((u) => `"${u}"`).join(', ')}`);
  if (duplicated.length > 0) parts.push(`kolom ganda: ${duplicated.join(', ')}`);
  let message = `${parts.join('; ')}. Kolom yang diharapkan: ${ROSTER_COLUMNS.join(', ')}; kolom pilihan: ${OPTIONAL_ROSTER_COLUMNS.join(', ')}`;
  if (fields.length === 1 && /[\t|]/.test(fields[0] ?? '')) {
    message += ` (pemisah kolom harus "${delimiter}" atau "${delimiter === ';' ? ',' : ';'}")`;
  }
  return { line: 1, message };
}

function parsePeran(value: string): { roles: RosterRole[]; unknown: string[] } {
  const roles: RosterRole[] = [];
  const unknown: string[] = [];
  for (const part of value.split('|')) {
    const p = part.trim().toLowerCase();
    if (p === '') continue;
    if ((ROSTER_ROLES as readonly string[]).includes(p)) {
      if (!roles.includes(p as RosterRole)) roles.push(p as RosterRole);
    } else {
      unknown.push(part.trim());
    }
  }
  return { roles, unknown };
}

/** Parses and validates a roster CSV; either every row is valid or every problem is listed. */
export function parseRoster(input: Buffer, opts: ParseRosterOptions = {}): RosterParseResult {
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const now = opts.now ?? new Date();
  const fail = (problems: RosterProblem[]): RosterParseResult => ({
    ok: false,
    problems: problems.sort((a, b) => a.line - b.line), // Array#sort is stable: per-row order kept
  });

  let text: string;
  try {
    // The default (ignoreBOM: false) strips a UTF-8 BOM.
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(input);
    const at = lossy.indexOf('\ufffd');
    const line = at === -1 ? 1 : countNewlines(lossy.slice(0, at)) + 1;
    return fail([{ line, message: NOT_UTF8 }]);
  }
  // csv-parse miscounts lines on CRLF inside quoted fields; plain LF keeps info.lines exact.
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') return fail([{ line: 1, message: 'berkas kosong' }]);

  const delimiter = detectDelimiter(text);
  const read = readRecords(text, delimiter);
  if (!Array.isArray(read)) return fail([read]);
  // Rows of only delimiters (';;;;;;;') are spreadsheet leftovers, not employees.
  const records = read.filter((r) => r.fields.some((f) => f !== ''));
  const headerRecord = records[0];
  if (headerRecord === undefined) return fail([{ line: 1, message: 'berkas kosong' }]);
  // Leading blank lines are tolerated; the first non-empty record is the header.
  const header = readHeader(headerRecord.fields, delimiter);
  if ('message' in header) return fail([{ ...header, line: headerRecord.line }]);

  const dataRecords = records.slice(1);
  if (dataRecords.length === 0) {
    return fail([{ line: headerRecord.line, message: 'tidak ada data pegawai (hanya baris judul)' }]);
  }
  if (dataRecords.length > maxRows) {
    const first = dataRecords[maxRows];
    return fail([
      {
        line: first?.line ?? 1,
        message: `terlalu banyak baris: ${formatCount(dataRecords.length)} pegawai (maksimal ${formatCount(maxRows)})`,
      },
    ]);
  }

  const problems: RosterProblem[] = [];
  const rows: RosterRow[] = [];
  /** Line of the first occurrence of every valid NIP, even on rows with other problems. */
  const nipLine = new Map<string, number>();
  /** Digits of NIP cells that failed to parse, so a reference to such a row is not reported twice. */
  const brokenNips = new Set<string>();
  const phoneLine = new Map<string, number>();
  const units = createUnitRegistry();

  const { index, unnamed, width } = header;
  const col = (fields: string[], c: Column): string => clean(fields[index[c]] ?? '');
  const pangkatIndex = header.optional.pangkat;
  const jenjangIndex = header.optional.jenjang;
  for (const { line, fields } of dataRecords) {
    const before = problems.length;
    const nipCell = col(fields, 'nip');

    // A misaligned row would produce a cascade of misleading per-column errors; report only this.
    let extra = false;
    for (let i = width; i < fields.length; i++) if (fields[i] !== '') extra = true;
    if (fields.length < width || extra) {
      let count = fields.length;
      while (count > width && fields[count - 1] === '') count--; // trailing empties are harmless
      problems.push({
        line,
        message:
          `jumlah kolom ${count}, seharusnya ${width}` +
          (extra ? `; nilai yang mengandung "${delimiter}" harus diapit tanda kutip (")` : ''),
      });
      if (nipCell !== '') brokenNips.add(nipDigits(nipCell));
      continue;
    }
    for (const i of unnamed) {
      const value = i < width ? clean(fields[i] ?? '') : '';
      if (value !== '') problems.push({ line, message: `ada nilai di kolom tanpa judul (kolom ke-${i + 1}): "${value}"` });
    }

    let nip = '';
    if (nipCell === '') problems.push({ line, column: 'nip', message: 'NIP kosong' });
    else {
      const parsed = parseNip(nipCell, now);
      if (!parsed.ok) {
        problems.push({ line, column: 'nip', message: `NIP tidak valid: ${parsed.reason}` });
        brokenNips.add(nipDigits(nipCell));
      } else {
        nip = parsed.nip;
        const first = nipLine.get(nip);
        if (first !== undefined) {
          problems.push({ line, column: 'nip', message: `NIP ${nip} muncul dua kali (juga di baris ${first})` });
        } else nipLine.set(nip, line);
      }
    }

    const nama = col(fields, 'nama');
    if (nama === '') problems.push({ line, column: 'nama', message: 'nama kosong' });
    const jabatan = col(fields, 'jabatan');
    if (jabatan === '') problems.push({ line, column: 'jabatan', message: 'jabatan kosong' });

    const jenisCell = col(fields, 'jenis_jabatan');
    const jenis = jenisCell.toLowerCase() as JenisJabatan;
    if (!JENIS_JABATAN.includes(jenis)) {
      const choices = `(pilihan: ${JENIS_JABATAN.join(', ')})`;
      problems.push({
        line,
        column: 'jenis_jabatan',
        message: jenisCell === '' ? `jenis_jabatan kosong ${choices}` : `jenis_jabatan tidak dikenal: "${jenisCell}" ${choices}`,
      });
    }

    const unit = units.resolve(col(fields, 'unit'), line);
    if ('message' in unit) problems.push({ line, column: 'unit', message: unit.message });

    let nipAtasan: string | null = null;
    const atasanCell = col(fields, 'nip_atasan');
    if (atasanCell !== '') {
      const parsed = parseNip(atasanCell, now);
      if (!parsed.ok) {
        problems.push({ line, column: 'nip_atasan', message: `nip_atasan tidak valid: ${parsed.reason}` });
      } else if (parsed.nip === nip) {
        problems.push({ line, column: 'nip_atasan', message: 'nip_atasan sama dengan NIP pegawai itu sendiri' });
      } else nipAtasan = parsed.nip;
    }

    let telepon: string | null = null;
    const teleponCell = col(fields, 'telepon');
    if (teleponCell !== '') {
      telepon = normalizePhone(teleponCell);
      if (telepon === null) {
        problems.push({ line, column: 'telepon', message: `telepon tidak valid: "${teleponCell}"` });
      } else {
        const other = phoneLine.get(telepon);
        // One phone for two people would make registration by Telegram contact ambiguous.
        if (other !== undefined) {
          problems.push({ line, column: 'telepon', message: `telepon ${telepon} sudah dipakai di baris ${other}` });
        } else phoneLine.set(telepon, line);
      }
    }

    const { roles, unknown } = parsePeran(col(fields, 'peran'));
    for (const u of unknown) {
      problems.push({ line, column: 'peran', message: `peran tidak dikenal: "${u}" (pilihan: ${ROSTER_ROLES.join(', ')})` });
    }

    let pangkat: string | null = null;
    if (pangkatIndex !== undefined) {
      const pangkatCell = clean(fields[pangkatIndex] ?? '');
      // Counted in characters, not UTF-16 units; only a long cell pays for the count.
      if (pangkatCell.length > MAX_PANGKAT_LENGTH && [...pangkatCell].length > MAX_PANGKAT_LENGTH) {
        problems.push({ line, column: 'pangkat', message: `pangkat terlalu panjang (maksimal ${MAX_PANGKAT_LENGTH} karakter)` });
      } else if (pangkatCell !== '') pangkat = pangkatCell;
    }

    let jenjang: string | null = null;
    if (jenjangIndex !== undefined) {
      const jenjangCell = clean(fields[jenjangIndex] ?? '');
      if (jenjangCell.length > MAX_PANGKAT_LENGTH && [...jenjangCell].length > MAX_PANGKAT_LENGTH) {
        problems.push({ line, column: 'jenjang', message: `jenjang terlalu panjang (maksimal ${MAX_PANGKAT_LENGTH} karakter)` });
      } else if (jenjangCell !== '') jenjang = jenjangCell;
    }

    if (problems.length > before) continue;
    const row: RosterRow = {
      line,
      nip,
      nama,
      jabatan,
      jenisJabatan: jenis,
      unitPath: 'path' in unit ? [...unit.path] : [],
      nipAtasan,
      telepon,
      peran: roles,
    };
    if (pangkatIndex !== undefined) row.pangkat = pangkat;
    if (jenjangIndex !== undefined) row.jenjang = jenjang;
    rows.push(row);
  }

  // Atasan references can point forward, so they are checked once every NIP is known.
  for (const row of rows) {
    const atasan = row.nipAtasan;
    if (atasan !== null && !nipLine.has(atasan) && !brokenNips.has(atasan)) {
      problems.push({ line: row.line, column: 'nip_atasan', message: `nip_atasan ${atasan} tidak ada di daftar` });
    }
  }
  problems.push(...findCycles(rows));

  if (problems.length > 0) return fail(problems);
  return { ok: true, rows, units: units.list };
}

type UnitResult = { path: readonly string[] } | { message: string };

/**
 * Splits and checks unit cells, remembering every distinct path. Rosters repeat a few hundred
 * unit cells across thousands of rows, so each distinct cell is worked out once.
 */
function createUnitRegistry() {
  const byCell = new Map<string, UnitResult>();
  /** Lower-cased path prefix -> first spelling and its line, to catch 'Dinas kesehatan' typos. */
  const spelling = new Map<string, { path: string; line: number }>();
  const list: string[][] = [];

  const compute = (cell: string, line: number): UnitResult => {
    if (cell === '') return { message: 'unit kosong' };
    const path = cell.split(UNIT_SEPARATOR).map((p) => p.trim());
    if (path.some((p) => p === '' || p.startsWith('/') || p.endsWith('/'))) {
      return { message: `unit memuat bagian kosong: "${cell}" (pisahkan tingkat dengan " / ")` };
    }
    let key = '';
    const added: string[][] = [];
    for (let depth = 0; depth < path.length; depth++) {
      key = depth === 0 ? (path[0] ?? '') : `${key} / ${path[depth]}`;
      const lower = key.toLowerCase();
      const seen = spelling.get(lower);
      if (seen === undefined) {
        spelling.set(lower, { path: key, line });
        added.push(path.slice(0, depth + 1)); // ancestors first, so parents precede children
      } else if (seen.path !== key) {
        // Same unit with different capitalisation would silently become two units.
        return { message: `unit "${key}" hanya beda huruf besar/kecil dengan "${seen.path}" (baris ${seen.line}); samakan penulisannya` };
      }
    }
    list.push(...added);
    return { path };
  };

  return {
    list,
    resolve(cell: string, line: number): UnitResult {
      let result = byCell.get(cell);
      if (result === undefined) {
        result = compute(cell, line);
        byCell.set(cell, result);
      }
      return result;
    },
  };
}

/**
 * Atasan links form a functional graph (at most one atasan each), so one pass with three
 * colours finds every cycle in O(n) without recursion. Each cycle is reported once, on the
 * line of its earliest member. Rows here are problem-free, so their NIPs are unique.
 */
function findCycles(rows: RosterRow[]): RosterProblem[] {
  const indexByNip = new Map<string, number>();
  rows.forEach((r, i) => indexByNip.set(r.nip, i));
  const parent = new Int32Array(rows.length).fill(-1);
  rows.forEach((r, i) => {
    if (r.nipAtasan !== null) parent[i] = indexByNip.get(r.nipAtasan) ?? -1;
  });

  const UNSEEN = 0;
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Uint8Array(rows.length);
  const problems: RosterProblem[] = [];
  const path: number[] = [];
  for (let start = 0; start < rows.length; start++) {
    if (state[start] !== UNSEEN) continue;
    path.length = 0;
    let current = start;
    while (current !== -1 && state[current] === UNSEEN) {
      state[current] = ON_PATH;
      path.push(current);
      current = parent[current] ?? -1;
    }
    if (current !== -1 && state[current] === ON_PATH) {
      const cycle = path.slice(path.indexOf(current)).map((i) => rows[i]!);
      problems.push(describeCycle(cycle));
    }
    for (const i of path) state[i] = DONE;
  }
  return problems;
}

function describeCycle(cycle: RosterRow[]): RosterProblem {
  // Start the description at the earliest line so the report is stable and points at a real row.
  let first = 0;
  cycle.forEach((r, i) => {
    if (r.line < (cycle[first]?.line ?? Infinity)) first = i;
  });
  const ordered = [...cycle.slice(first), ...cycle.slice(0, first)];
  const label = (r: RosterRow) => `${r.nip} (baris ${r.line})`;
  let names = ordered.map(label);
  if (names.length > MAX_CYCLE_NAMES) {
    const hidden = names.length - (MAX_CYCLE_NAMES - 1);
    names = [...names.slice(0, MAX_CYCLE_NAMES - 2), `… ${formatCount(hidden)} lainnya`, names[names.length - 1] ?? ''];
  }
  const head = ordered[0];
  return {
    line: head?.line ?? 1,
    column: 'nip_atasan',
    message: `siklus atasan: ${[...names, head?.nip ?? ''].join(' → ')}`,
  };
}

/** Indonesian multi-line report, one problem a line, capped at `limit` lines. */
export function formatProblems(problems: RosterProblem[], limit = 30): string {
  const shown = problems.slice(0, limit).map((p) =>
    p.column === undefined ? `Baris ${p.line}: ${p.message}` : `Baris ${p.line} (${p.column}): ${p.message}`,
  );
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`… dan ${formatCount(rest)} masalah lain`);
  return shown.join('\n');
}
