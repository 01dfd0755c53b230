// Umpan balik of an evaluation typed as one message: lines "RHK 2: …" go to that RHK, lines naming a BerAKHLAK
// value ("Akuntabel: …") go to that value, everything else is the catatan/rekomendasi.

/** The seven BerAKHLAK values: the key the SKP and the evaluation store, and the name a user types. */
export const BERAKHLAK_VALUES: ReadonlyArray<{ key: string; nama: string }> = Object.freeze([
  { key: 'berorientasiPelayanan', nama: 'Berorientasi Pelayanan' },
  { key: 'akuntabel', nama: 'Akuntabel' },
  { key: 'kompeten', nama: 'Kompeten' },
  { key: 'harmonis', nama: 'Harmonis' },
  { key: 'loyal', nama: 'Loyal' },
  { key: 'adaptif', nama: 'Adaptif' },
  { key: 'kolaboratif', nama: 'Kolaboratif' },
]);

export interface EvaluationFeedback {
  catatan: string | null;
  /** RHK id → umpan balik. */
  rhk: Record<string, string>;
  /** BerAKHLAK value key → umpan balik. */
  perilaku: Record<string, string>;
}

const normalise = (text: string) => text.toLowerCase().replace(/[^a-z]/g, '');

/** Splits a typed feedback message; `rhkIds` are the SKP's RHK ids in order (RHK 1 is the first). */
export function parseEvaluationFeedback(text: string, rhkIds: readonly string[]): EvaluationFeedback {
  const out: EvaluationFeedback = { catatan: null, rhk: {}, perilaku: {} };
  const rest: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([^:]{2,40}):\s*(.+)$/.exec(line);
    const label = m ? m[1]!.trim() : '';
    const body = m ? m[2]!.trim() : '';
    const rhk = /^rhk\s*(\d{1,2})$/i.exec(label);
    const index = rhk ? Number(rhk[1]) - 1 : -1;
    if (rhk && index >= 0 && index < rhkIds.length) {
      out.rhk[rhkIds[index]!] = body;
      continue;
    }
    const value = m ? BERAKHLAK_VALUES.find((v) => normalise(v.nama) === normalise(label)) : undefined;
    if (value) {
      out.perilaku[value.key] = body;
      continue;
    }
    rest.push(line);
  }
  const catatan = rest.join('\n').trim();
  out.catatan = catatan === '' ? null : catatan;
  return out;
}
