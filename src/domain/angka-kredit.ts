// Angka kredit (AK) of jabatan fungsional from the predikat kinerja (Peraturan BKN 3/2023; domain.md §10).
//
// AK = percentage of the predikat × koefisien of the jenjang. A periodic (monthly) predikat counts months/12 of
// the year; an annual predikat counts the full year. The koefisien per jenjang is a deployment table
// (angkaKredit.koefisien): only Ahli Pertama 12.5 and Ahli Muda 25 were verified, the rest come from the
// regulation's Lampiran.
import type { Predikat } from './predikat.js';

/** Percentage of the koefisien each predikat earns (BKN slides on Peraturan BKN 3/2023). */
export const AK_PERCENT: Readonly<Record<Predikat, number>> = Object.freeze({
  sangat_baik: 150,
  baik: 100,
  butuh_perbaikan: 75,
  kurang: 50,
  sangat_kurang: 25,
});

/** What a predikat covers: a periodic one `months` months of the year; an annual one the whole year. */
export type PredikatSpan = { kind: 'periodic'; months: number } | { kind: 'annual' };

/** The share of the year's koefisien a predikat over `span` earns. */
export function yearShare(span: PredikatSpan): number {
  return span.kind === 'annual' ? 1 : span.months / 12;
}

/** AK earned by one predikat over `span` in a jenjang with `koefisien`, rounded to 3 decimals (the BKN forms). */
export function angkaKredit(predikat: Predikat, span: PredikatSpan, koefisien: number): number {
  const raw = (AK_PERCENT[predikat] / 100) * yearShare(span) * koefisien;
  return Math.round(raw * 1000) / 1000;
}

/** Case-insensitive, whitespace-tolerant key of a jenjang ('ahli  pertama' → 'Ahli Pertama' when configured). */
export function koefisienOf(table: Readonly<Record<string, number>>, jenjang: string): number | null {
  const wanted = jenjang.trim().replace(/\s+/g, ' ').toLowerCase();
  for (const [name, value] of Object.entries(table)) {
    if (name.trim().replace(/\s+/g, ' ').toLowerCase() === wanted) return value;
  }
  return null;
}

/**
 * AK of a year (or part of one) for a jenjang with `koefisien`: the annual predikat, when there is one, counts the
 * full year and replaces the periodic ones (the PP's judgement of the whole year); otherwise each periodic predikat
 * counts months/12, summed per predikat and rounded once.
 */
export function angkaKreditOfYear(
  input: { annual: Predikat | null; periodicMonths: Readonly<Partial<Record<Predikat, number>>> },
  koefisien: number,
): number {
  if (input.annual) return angkaKredit(input.annual, { kind: 'annual' }, koefisien);
  let total = 0;
  for (const [predikat, months] of Object.entries(input.periodicMonths) as Array<[Predikat, number]>) {
    if (months > 0) total += (AK_PERCENT[predikat] / 100) * yearShare({ kind: 'periodic', months }) * koefisien;
  }
  return Math.round(total * 1000) / 1000;
}
