// Which perangkat daerah a name typed in a command means ("/rekap kesehatan", "/capaian BKPSDM"): pure matching
// over the names the caller may choose from.

/** Words that say "a perangkat daerah" without naming one. */
const PD_FILLER = new Set(['perangkat', 'daerah', 'pd', 'opd', 'skpd', 'unit']);
const wordsOfName = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean);

/**
 * The perangkat daerah a typed name means ("Dinas Kesehatan", "kesehatan", "BKPSDM"): every word begins a word of
 * the name, or the text is the name's initials. Several when the words fit several ("dinas").
 */
export function perangkatDaerahMatching<T extends { name: string }>(units: readonly T[], typed: string): T[] {
  const words = wordsOfName(typed).filter((w) => !PD_FILLER.has(w));
  if (words.length === 0) return [];
  const named = units.map((unit) => ({ unit, name: wordsOfName(unit.name) }));
  const exact = named.filter((n) => n.name.join(' ') === words.join(' '));
  const initialsOf = (name: string[]) => name.filter((w) => w !== 'dan' && w !== 'serta').map((w) => w[0]).join('');
  const fits = exact.length > 0
    ? exact
    : named.filter(({ name }) => (words.length === 1 && words[0]!.length >= 3 && words[0] === initialsOf(name)) || words.every((w) => name.some((n) => n.startsWith(w))));
  return fits.map((n) => n.unit);
}
