// Unit: angka kredit = percentage of the predikat × koefisien of the jenjang, periodic months/12, annual full year.
import { describe, expect, it } from 'vitest';
import { AK_PERCENT, angkaKredit, angkaKreditOfYear, koefisienOf, yearShare } from '../../src/domain/angka-kredit.js';
import { PREDIKATS, type Predikat } from '../../src/domain/predikat.js';

// Written out by hand from Peraturan BKN 3/2023 (slides): the percentages per predikat.
const PERCENT: Record<Predikat, number> = { sangat_baik: 1.5, baik: 1, butuh_perbaikan: 0.75, kurang: 0.5, sangat_kurang: 0.25 };

describe('angka kredit', () => {
  it('every predikat has its percentage', () => {
    for (const p of PREDIKATS) expect(AK_PERCENT[p] / 100).toBe(PERCENT[p]);
  });

  it('a periodic predikat counts months/12 of the koefisien, for every predikat', () => {
    // Ahli Pertama, koefisien 12.5: one month Baik = 12.5/12.
    expect(angkaKredit('baik', { kind: 'periodic', months: 1 }, 12.5)).toBe(1.042);
    expect(angkaKredit('sangat_baik', { kind: 'periodic', months: 1 }, 12.5)).toBe(1.563);
    expect(angkaKredit('butuh_perbaikan', { kind: 'periodic', months: 1 }, 12.5)).toBe(0.781);
    expect(angkaKredit('kurang', { kind: 'periodic', months: 1 }, 12.5)).toBe(0.521);
    expect(angkaKredit('sangat_kurang', { kind: 'periodic', months: 1 }, 12.5)).toBe(0.26);
    // Ahli Muda, koefisien 25: three months (a triwulan) Sangat Baik = 1.5 × 25 × 3/12.
    expect(angkaKredit('sangat_baik', { kind: 'periodic', months: 3 }, 25)).toBe(9.375);
    for (const p of PREDIKATS) {
      for (const months of [1, 3, 6, 12]) {
        expect(angkaKredit(p, { kind: 'periodic', months }, 25)).toBeCloseTo(PERCENT[p] * 25 * (months / 12), 3);
      }
    }
  });

  it('an annual predikat counts the full year, for every predikat', () => {
    // The primary worked example: Ahli Muda Baik for a year = 25.
    expect(angkaKredit('baik', { kind: 'annual' }, 25)).toBe(25);
    for (const p of PREDIKATS) expect(angkaKredit(p, { kind: 'annual' }, 12.5)).toBe(PERCENT[p] * 12.5);
    expect(yearShare({ kind: 'annual' })).toBe(1);
    expect(yearShare({ kind: 'periodic', months: 12 })).toBe(1);
  });

  it('finds a jenjang in the deployment table loosely, and says null when it is not there', () => {
    const table = { 'Ahli Pertama': 12.5, 'Ahli Muda': 25 };
    expect(koefisienOf(table, 'ahli  pertama ')).toBe(12.5);
    expect(koefisienOf(table, 'Ahli Madya')).toBeNull();
  });
});

describe('angka kredit of a year', () => {
  it('an annual predikat counts the full year and replaces the periodic ones', () => {
    // Ahli Muda, 3 months Kurang, annual Sangat Baik: 1.5 × 25 × 12/12, not the months.
    expect(angkaKreditOfYear({ annual: 'sangat_baik', periodicMonths: { kurang: 3 } }, 25)).toBe(37.5);
    for (const p of PREDIKATS) {
      expect(angkaKreditOfYear({ annual: p, periodicMonths: { baik: 12 } }, 12.5)).toBe(PERCENT[p] * 12.5);
    }
  });

  it('without an annual predikat, each periodic predikat counts months/12', () => {
    // Ahli Pertama: 2 months Baik + 1 month Sangat Baik = (2 × 1 + 1 × 1.5) × 12.5 / 12 = 3.646.
    expect(angkaKreditOfYear({ annual: null, periodicMonths: { baik: 2, sangat_baik: 1 } }, 12.5)).toBe(3.646);
    expect(angkaKreditOfYear({ annual: null, periodicMonths: { baik: 12 } }, 25)).toBe(25);
    expect(angkaKreditOfYear({ annual: null, periodicMonths: {} }, 25)).toBe(0);
  });
});
