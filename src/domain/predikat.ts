// Ratings, the predikat kinerja matrix and the SE MenPANRB 3/2023 distribution curve (domain.md §3).

import { DomainError } from './errors.js';

/** Rating hasil kerja or perilaku kerja: Di Atas / Sesuai / Di Bawah Ekspektasi. */
export type Rating = 'di_atas' | 'sesuai' | 'di_bawah';
/** Individual predikat kinerja; 'kurang' is "Kurang/Misconduct". */
export type Predikat = 'sangat_baik' | 'baik' | 'butuh_perbaikan' | 'kurang' | 'sangat_kurang';
/** Capaian kinerja organisasi, which sets the distribution curve for its staff. */
export type OrgRating = 'istimewa' | 'baik' | 'butuh_perbaikan' | 'kurang' | 'sangat_kurang';

export const RATINGS: readonly Rating[] = Object.freeze(['di_atas', 'sesuai', 'di_bawah']);
export const PREDIKATS: readonly Predikat[] = Object.freeze([
  'sangat_baik',
  'baik',
  'butuh_perbaikan',
  'kurang',
  'sangat_kurang',
]);

export const RATING_LABELS: Record<Rating, string> = Object.freeze({
  di_atas: 'Di Atas Ekspektasi',
  sesuai: 'Sesuai Ekspektasi',
  di_bawah: 'Di Bawah Ekspektasi',
});

export const PREDIKAT_LABELS: Record<Predikat, string> = Object.freeze({
  sangat_baik: 'Sangat Baik',
  baik: 'Baik',
  butuh_perbaikan: 'Butuh Perbaikan',
  kurang: 'Kurang/Misconduct',
  sangat_kurang: 'Sangat Kurang',
});

export const ORG_RATING_LABELS: Record<OrgRating, string> = Object.freeze({
  istimewa: 'Istimewa',
  baik: 'Baik',
  butuh_perbaikan: 'Butuh Perbaikan',
  kurang: 'Kurang',
  sangat_kurang: 'Sangat Kurang',
});

// Rows: hasil kerja; columns: perilaku. Predikat is read off the quadrant, with no weighting.
// [verify] against the Lampiran of PermenPANRB 6/2022; many public implementations agree.
const MATRIX: Record<Rating, Record<Rating, Predikat>> = {
  di_atas: { di_bawah: 'kurang', sesuai: 'baik', di_atas: 'sangat_baik' },
  sesuai: { di_bawah: 'kurang', sesuai: 'baik', di_atas: 'baik' },
  di_bawah: { di_bawah: 'sangat_kurang', sesuai: 'butuh_perbaikan', di_atas: 'butuh_perbaikan' },
};

export function predikatOf(hasilKerja: Rating, perilaku: Rating): Predikat {
  const predikat = MATRIX[hasilKerja]?.[perilaku];
  if (predikat === undefined) {
    throw new DomainError('INVALID_RATING', `unknown rating: hasil kerja ${hasilKerja}, perilaku ${perilaku}`, {
      hasilKerja,
      perilaku,
    });
  }
  return predikat;
}

interface Rule {
  code: string;
  /** Predikat whose shares are summed. */
  predikat: readonly Predikat[];
  kind: 'max_percent' | 'min_percent' | 'min_count';
  limit: number;
}

// The curve as data, one row per org rating (domain.md §3, second table). Groups of predikat are read
// literally ("Kurang or Butuh Perbaikan" does not include Sangat Kurang).
const CURVE: Record<OrgRating, readonly Rule[]> = {
  istimewa: [{ code: 'SANGAT_BAIK_ABOVE_MAX', predikat: ['sangat_baik'], kind: 'max_percent', limit: 70 }],
  baik: [
    { code: 'BAIK_ABOVE_MAX', predikat: ['baik'], kind: 'max_percent', limit: 70 },
    { code: 'BUTUH_PERBAIKAN_OR_KURANG_MISSING', predikat: ['butuh_perbaikan', 'kurang'], kind: 'min_count', limit: 1 },
  ],
  butuh_perbaikan: [
    { code: 'BUTUH_PERBAIKAN_BELOW_MIN', predikat: ['butuh_perbaikan'], kind: 'min_percent', limit: 60 },
    { code: 'SANGAT_BAIK_ABOVE_MAX', predikat: ['sangat_baik'], kind: 'max_percent', limit: 10 },
  ],
  kurang: [
    { code: 'KURANG_BELOW_MIN', predikat: ['kurang'], kind: 'min_percent', limit: 60 },
    { code: 'BUTUH_PERBAIKAN_BELOW_MIN', predikat: ['butuh_perbaikan'], kind: 'min_percent', limit: 10 },
    { code: 'SANGAT_BAIK_ABOVE_MAX', predikat: ['sangat_baik'], kind: 'max_percent', limit: 10 },
  ],
  sangat_kurang: [
    { code: 'SANGAT_KURANG_BELOW_MIN', predikat: ['sangat_kurang'], kind: 'min_percent', limit: 60 },
    { code: 'KURANG_OR_BUTUH_PERBAIKAN_BELOW_MIN', predikat: ['kurang', 'butuh_perbaikan'], kind: 'min_percent', limit: 10 },
    { code: 'SANGAT_BAIK_NOT_ALLOWED', predikat: ['sangat_baik'], kind: 'max_percent', limit: 0 },
  ],
};

function groupLabel(predikat: readonly Predikat[]): string {
  return predikat.map((p) => PREDIKAT_LABELS[p]).join(' atau ');
}

/**
 * Percent with at most one decimal and an Indonesian decimal comma, rounded away from the limit so a
 * 70.04% share is never shown as "70% melebihi batas 70%".
 */
function formatPercent(count: number, total: number, roundUp: boolean): string {
  const tenths = (count * 1000) / total;
  const rounded = (roundUp ? Math.ceil(tenths - 1e-9) : Math.floor(tenths + 1e-9)) / 10;
  return `${String(rounded).replace('.', ',')}%`;
}

/**
 * Departures of a unit's predikat counts from the SE MenPANRB 3/2023 curve for its org rating;
 * empty when compliant or when nobody was rated.
 */
export function checkDistribution(
  orgRating: OrgRating,
  counts: Record<Predikat, number>,
): Array<{ code: string; message: string }> {
  const rules = CURVE[orgRating];
  if (rules === undefined) {
    throw new DomainError('INVALID_ORG_RATING', `unknown org rating: ${orgRating}`, { orgRating });
  }
  for (const p of PREDIKATS) {
    const n = counts[p];
    if (!Number.isInteger(n) || n < 0) {
      throw new DomainError('INVALID_COUNTS', `count for ${p}: expected an integer >= 0, got ${n}`, { counts });
    }
  }
  const total = PREDIKATS.reduce((sum, p) => sum + counts[p], 0);
  if (total === 0) return [];

  const departures: Array<{ code: string; message: string }> = [];
  for (const rule of rules) {
    const count = rule.predikat.reduce((sum, p) => sum + counts[p], 0);
    const label = groupLabel(rule.predikat);
    // Integer comparisons (count/total vs limit/100) avoid floating-point edge errors at the limit.
    if (rule.kind === 'max_percent' && count * 100 > rule.limit * total) {
      departures.push({
        code: rule.code,
        message:
          rule.limit === 0
            ? `${label} tidak diperbolehkan, tetapi ada ${count} pegawai (${formatPercent(count, total, true)})`
            : `${label} ${formatPercent(count, total, true)} melebihi batas ${rule.limit}%`,
      });
    } else if (rule.kind === 'min_percent' && count * 100 < rule.limit * total) {
      departures.push({
        code: rule.code,
        message: `${label} ${formatPercent(count, total, false)} kurang dari minimal ${rule.limit}%`,
      });
    } else if (rule.kind === 'min_count' && count < rule.limit) {
      departures.push({
        code: rule.code,
        message: `Tidak ada pegawai dengan predikat ${label}; minimal ${rule.limit} orang`,
      });
    }
  }
  return departures;
}

/** The SE MenPANRB 3/2023 rule of each org rating in words, as the curve sheet and the chat print it. */
export const CURVE_RULE_TEXT: Record<OrgRating, string> = Object.freeze({
  istimewa: 'Sangat Baik paling banyak 70%',
  baik: 'Baik paling banyak 70%; harus ada Butuh Perbaikan dan/atau Kurang/Misconduct',
  butuh_perbaikan: 'Butuh Perbaikan paling sedikit 60%; Sangat Baik paling banyak 10%',
  kurang: 'Kurang/Misconduct paling sedikit 60%; Butuh Perbaikan paling sedikit 10%; Sangat Baik paling banyak 10%',
  sangat_kurang: 'Sangat Kurang paling sedikit 60%; Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10%; tanpa Sangat Baik',
});

/** What a year figure shows: the annual predikat, never a monthly stand-in. */
export const NOT_EVALUATED_LABEL = 'Belum dievaluasi';
