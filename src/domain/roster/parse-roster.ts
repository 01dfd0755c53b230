// Parsing a roster: the whole file validated row by row, all or nothing, every bad row reported.
import { nipDigits, parseNip } from '../nip.js';
import { normalizePhone } from '../phone.js';
import { clean } from './cells.js';
import { JENIS_JABATAN, ROSTER_ROLES, type Column } from './columns.js';
import { countNewlines, detectDelimiter, readRecords } from './csv-records.js';
import { findCycles } from './cycles.js';
import { readHeader } from './header.js';
import { formatCount } from './problems.js';
import type { JenisJabatan, ParseRosterOptions, RosterParseResult, RosterProblem, RosterRole, RosterRow } from './shape.js';
import { createUnitRegistry } from './units.js';

const DEFAULT_MAX_ROWS = 200_000;

/** 'Pembina Utama Madya, IV/d' is 25 characters; anything far longer is a misplaced cell. */
const MAX_PANGKAT_LENGTH = 100;

const NOT_UTF8 = 'berkas bukan UTF-8 yang valid; simpan ulang sebagai CSV UTF-8';

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
  /** An optional free-text cell (pangkat, jenjang): null when absent or empty, a problem when too long. */
  const shortCell = (fields: string[], line: number, index: number | undefined, column: 'pangkat' | 'jenjang'): string | null => {
    if (index === undefined) return null;
    const cell = clean(fields[index] ?? '');
    // Counted in characters, not UTF-16 units; only a long cell pays for the count.
    if (cell.length > MAX_PANGKAT_LENGTH && [...cell].length > MAX_PANGKAT_LENGTH) {
      problems.push({ line, column, message: `${column} terlalu panjang (maksimal ${MAX_PANGKAT_LENGTH} karakter)` });
      return null;
    }
    return cell === '' ? null : cell;
  };
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

    const pangkat = shortCell(fields, line, pangkatIndex, 'pangkat');
    const jenjang = shortCell(fields, line, jenjangIndex, 'jenjang');

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
