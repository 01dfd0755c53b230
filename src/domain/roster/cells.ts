// How a cell reads: spreadsheet whitespace folded, header spellings made one key.

// Spreadsheet cells carry NBSPs, doubled spaces and stray newlines; none of them mean anything.
// The test spares the replace (and its garbage) for the usual already-clean cell.
const UNCLEAN = /[^\S ]| {2}|^ | $/;
export function clean(value: string): string {
  return UNCLEAN.test(value) ? value.replace(/\s+/g, ' ').trim() : value;
}

// 'Nip Atasan', ' NIP-ATASAN ' and 'nip_atasan' are the same header.
export function headerKey(value: string): string {
  return clean(value).toLowerCase().replace(/[\s-]+/g, '_');
}
