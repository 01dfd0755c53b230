// The header row: which column stands where, and every missing, unknown or doubled column.
import { clean, headerKey } from './cells.js';
import { OPTIONAL_ROSTER_COLUMNS, ROSTER_COLUMNS, type Column, type OptionalColumn } from './columns.js';
import type { RosterProblem } from './shape.js';

/** Other header spellings of the same column (after headerKey). */
const COLUMN_ALIASES: Readonly<Record<string, OptionalColumn>> = { pangkat_golongan: 'pangkat' };

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

export function readHeader(fields: string[], delimiter: string): HeaderMap | RosterProblem {
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
