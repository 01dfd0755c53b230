// Which perangkat daerah a name typed in a command means ("/rekap kesehatan", "/capaian BKPSDM", "/rekap dinkes"):
// pure matching over the names the caller may choose from.

/** Words that say "a perangkat daerah" without naming one. */
const PD_FILLER = new Set(['perangkat', 'daerah', 'pd', 'opd', 'skpd', 'unit']);
/** Words an abbreviation or initials leave out ("Dinas Komunikasi dan Informatika" is Diskominfo). */
const LINKING = new Set(['dan', 'serta']);
/** Trailing words of a name that its abbreviation leaves out ("Dinas Kesehatan Kabupaten Banyuwangi" is Dinkes). */
const REGION = /^(kabupaten|kab|kota|provinsi)$/;
/** How abbreviations begin some words, besides the word's own first letters: Dishub, Setwan. */
const WORD_FORMS: Record<string, string[]> = { dinas: ['dis'], sekretariat: ['set'] };
/** Indonesian prefixes an abbreviation skips: "Perhubungan" is "hub" in Dishub, "Kebudayaan" "bud" in Disbudpar. */
const AFFIX = /^(per|peng|pen|pem|pe|ke|ber)(?=[a-z]{3})/;
/**
 * Abbreviations of the national nomenclature of perangkat daerah that take letters from inside a word, so no rule
 * reads them: each stands for the words of one of its names, which then have to begin words of the name.
 */
const IRREGULAR: Record<string, string[]> = {
  disdik: ['dinas pendidikan'],
  dindik: ['dinas pendidikan'],
  dispendik: ['dinas pendidikan'],
  disdikbud: ['dinas pendidikan kebudayaan'],
  disnaker: ['dinas tenaga kerja'],
  disnakertrans: ['dinas tenaga kerja transmigrasi'],
  dukcapil: ['dinas kependudukan pencatatan sipil'],
  disdukcapil: ['dinas kependudukan pencatatan sipil'],
  setwan: ['sekretariat dprd', 'sekretariat dewan perwakilan rakyat'],
  dispora: ['dinas pemuda olahraga'],
  dispusip: ['dinas perpustakaan kearsipan'],
  dispersip: ['dinas perpustakaan kearsipan'],
  kesbangpol: ['kesatuan bangsa politik'],
};

const wordsOfName = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean);

/** The beginnings an abbreviation may take from a word: the word, its usual short form, the word without its prefix. */
function wordStarts(word: string): Array<{ start: string; bare: boolean }> {
  const bare = word.replace(AFFIX, '');
  return [
    { start: word, bare: false },
    ...(WORD_FORMS[word] ?? []).map((start) => ({ start, bare: false })),
    ...(bare !== word ? [{ start: bare, bare: true }] : []),
  ];
}

/**
 * How well `typed` (one run of letters, at least three) abbreviates the name, or null when it does not: it splits
 * into pieces, in order, each the beginning of the next word of the name (or of that word without its prefix),
 * covering every word but the linking ones and a trailing region. Initials are the case of one letter per word
 * (BKPSDM); Dinkes, Bappeda, Diskominfo, Satpol PP take more. The cost counts the one-letter pieces, and half a point
 * for each prefix skipped, so "dispar" is Dinas Pariwisata (dis-par) before Dinas Perpustakaan dan Kearsipan
 * (dis-p-ar) and "bpbd" the initials of Badan Penanggulangan Bencana Daerah before Bappeda's.
 */
export function abbreviationCost(typed: string, name: readonly string[]): number | null {
  const words = name.filter((w) => !LINKING.has(w));
  const region = words.findIndex((w, i) => i > 0 && REGION.test(w));
  const covered = (region > 0 ? words.slice(0, region) : words).map(wordStarts);
  if (typed.length < 3 || covered.length === 0) return null;
  const memo = new Map<number, number | null>();
  const cost = (word: number, at: number): number | null => {
    if (at === typed.length) return word === covered.length ? 0 : null;
    if (word === covered.length) return null;
    const key = word * (typed.length + 1) + at;
    if (memo.has(key)) return memo.get(key)!;
    let best: number | null = null;
    for (const { start, bare } of covered[word]!) {
      for (let n = 1; n <= start.length && at + n <= typed.length && typed[at + n - 1] === start[n - 1]; n++) {
        const rest = cost(word + 1, at + n);
        if (rest === null) continue;
        const total = rest + (n === 1 ? 1 : 0) + (bare ? 0.5 : 0);
        if (best === null || total < best) best = total;
      }
    }
    memo.set(key, best);
    return best;
  };
  return cost(0, 0);
}

/**
 * The perangkat daerah a typed name means ("Dinas Kesehatan", "kesehatan", "BKPSDM", "dinkes"): every word begins a
 * word of the name, or the text abbreviates it (initials included). Several when the words fit several ("dinas").
 */
export function perangkatDaerahMatching<T extends { name: string }>(units: readonly T[], typed: string): T[] {
  const said = wordsOfName(typed);
  const words = said.filter((w) => !PD_FILLER.has(w));
  if (words.length === 0) return [];
  const named = units.map((unit) => ({ unit, name: wordsOfName(unit.name) }));
  // The whole name, with or without "perangkat daerah" before it ("Sekretariat Daerah" is not Sekretariat DPRD).
  const exact = named.filter((n) => n.name.join(' ') === said.join(' ') || n.name.join(' ') === words.join(' '));
  if (exact.length > 0) return exact.map((n) => n.unit);
  const run = words.join('');
  const begins = (name: string[], ws: string[]) => ws.every((w) => name.some((n) => n.startsWith(w)));
  const irregular = IRREGULAR[run]?.map((words) => words.split(' '));
  if (irregular) return named.filter(({ name }) => irregular.some((ws) => begins(name, ws))).map((n) => n.unit);
  // The names the words begin, and those the text abbreviates best.
  const costs = named.map(({ name }) => abbreviationCost(run, name));
  const best = Math.min(...costs.map((c) => c ?? Infinity));
  return named.filter(({ name }, i) => begins(name, words) || costs[i] === best).map((n) => n.unit);
}
