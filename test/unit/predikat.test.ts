// Unit tests for the predikat matrix and the SE MenPANRB 3/2023 distribution check.
import { describe, it, expect } from 'vitest';
import {
  checkDistribution,
  predikatOf,
  PREDIKAT_LABELS,
  RATING_LABELS,
  type OrgRating,
  type Predikat,
} from '../../src/domain/predikat.js';
import { DomainError } from '../../src/domain/errors.js';

function counts(partial: Partial<Record<Predikat, number>>): Record<Predikat, number> {
  return { sangat_baik: 0, baik: 0, butuh_perbaikan: 0, kurang: 0, sangat_kurang: 0, ...partial };
}

function codes(org: OrgRating, partial: Partial<Record<Predikat, number>>): string[] {
  return checkDistribution(org, counts(partial)).map((d) => d.code);
}

describe('predikatOf (rows hasil kerja, columns perilaku)', () => {
  it('HK Di Atas', () => {
    expect(predikatOf('di_atas', 'di_bawah')).toBe('kurang');
    expect(predikatOf('di_atas', 'sesuai')).toBe('baik');
    expect(predikatOf('di_atas', 'di_atas')).toBe('sangat_baik');
  });

  it('HK Sesuai', () => {
    expect(predikatOf('sesuai', 'di_bawah')).toBe('kurang');
    expect(predikatOf('sesuai', 'sesuai')).toBe('baik');
    expect(predikatOf('sesuai', 'di_atas')).toBe('baik');
  });

  it('HK Di Bawah', () => {
    expect(predikatOf('di_bawah', 'di_bawah')).toBe('sangat_kurang');
    expect(predikatOf('di_bawah', 'sesuai')).toBe('butuh_perbaikan');
    expect(predikatOf('di_bawah', 'di_atas')).toBe('butuh_perbaikan');
  });

  it('rejects unknown ratings', () => {
    expect(() => predikatOf('tinggi' as never, 'sesuai')).toThrow(DomainError);
  });
});

describe('labels', () => {
  it('uses the official Indonesian wording', () => {
    expect(RATING_LABELS).toEqual({
      di_atas: 'Di Atas Ekspektasi',
      sesuai: 'Sesuai Ekspektasi',
      di_bawah: 'Di Bawah Ekspektasi',
    });
    expect(PREDIKAT_LABELS).toEqual({
      sangat_baik: 'Sangat Baik',
      baik: 'Baik',
      butuh_perbaikan: 'Butuh Perbaikan',
      kurang: 'Kurang/Misconduct',
      sangat_kurang: 'Sangat Kurang',
    });
  });
});

describe('checkDistribution', () => {
  it('finds nothing to report for an empty population, whatever the org rating', () => {
    for (const org of ['istimewa', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang'] as const) {
      expect(checkDistribution(org, counts({}))).toEqual([]);
    }
  });

  it('Istimewa: at most 70% Sangat Baik', () => {
    expect(codes('istimewa', { sangat_baik: 7, baik: 3 })).toEqual([]);
    expect(checkDistribution('istimewa', counts({ sangat_baik: 8, baik: 2 }))).toEqual([
      { code: 'SANGAT_BAIK_ABOVE_MAX', message: 'Sangat Baik 80% melebihi batas 70%' },
    ]);
    // 5/7 = 71.43%: rounded up so it never reads as exactly the limit.
    expect(checkDistribution('istimewa', counts({ sangat_baik: 5, baik: 2 }))[0]?.message).toBe(
      'Sangat Baik 71,5% melebihi batas 70%',
    );
  });

  it('Baik: at most 70% Baik and at least one Butuh Perbaikan or Kurang', () => {
    expect(codes('baik', { sangat_baik: 2, baik: 7, butuh_perbaikan: 1 })).toEqual([]);
    expect(codes('baik', { baik: 7, sangat_baik: 2, kurang: 1 })).toEqual([]);
    expect(checkDistribution('baik', counts({ baik: 8, sangat_baik: 2 }))).toEqual([
      { code: 'BAIK_ABOVE_MAX', message: 'Baik 80% melebihi batas 70%' },
      {
        code: 'BUTUH_PERBAIKAN_OR_KURANG_MISSING',
        message: 'Tidak ada pegawai dengan predikat Butuh Perbaikan atau Kurang/Misconduct; minimal 1 orang',
      },
    ]);
    // Read literally: Sangat Kurang does not count as "Butuh Perbaikan or Kurang".
    expect(codes('baik', { baik: 5, sangat_baik: 4, sangat_kurang: 1 })).toEqual(['BUTUH_PERBAIKAN_OR_KURANG_MISSING']);
  });

  it('Butuh Perbaikan: at least 60% Butuh Perbaikan, at most 10% Sangat Baik', () => {
    expect(codes('butuh_perbaikan', { butuh_perbaikan: 6, baik: 3, sangat_baik: 1 })).toEqual([]);
    expect(checkDistribution('butuh_perbaikan', counts({ butuh_perbaikan: 5, baik: 3, sangat_baik: 2 }))).toEqual([
      { code: 'BUTUH_PERBAIKAN_BELOW_MIN', message: 'Butuh Perbaikan 50% kurang dari minimal 60%' },
      { code: 'SANGAT_BAIK_ABOVE_MAX', message: 'Sangat Baik 20% melebihi batas 10%' },
    ]);
  });

  it('Kurang: at least 60% Kurang, at least 10% Butuh Perbaikan, at most 10% Sangat Baik', () => {
    expect(codes('kurang', { kurang: 6, butuh_perbaikan: 1, baik: 2, sangat_baik: 1 })).toEqual([]);
    expect(checkDistribution('kurang', counts({ kurang: 5, baik: 3, sangat_baik: 2 }))).toEqual([
      { code: 'KURANG_BELOW_MIN', message: 'Kurang/Misconduct 50% kurang dari minimal 60%' },
      { code: 'BUTUH_PERBAIKAN_BELOW_MIN', message: 'Butuh Perbaikan 0% kurang dari minimal 10%' },
      { code: 'SANGAT_BAIK_ABOVE_MAX', message: 'Sangat Baik 20% melebihi batas 10%' },
    ]);
    // 2/3 = 66.67% Kurang is fine; 1/3 Butuh Perbaikan too.
    expect(codes('kurang', { kurang: 2, butuh_perbaikan: 1 })).toEqual([]);
  });

  it('Sangat Kurang: at least 60% Sangat Kurang, at least 10% Kurang or Butuh Perbaikan, no Sangat Baik', () => {
    expect(codes('sangat_kurang', { sangat_kurang: 6, kurang: 1, baik: 3 })).toEqual([]);
    expect(codes('sangat_kurang', { sangat_kurang: 6, butuh_perbaikan: 1, baik: 3 })).toEqual([]);
    expect(checkDistribution('sangat_kurang', counts({ sangat_kurang: 5, baik: 4, sangat_baik: 1 }))).toEqual([
      { code: 'SANGAT_KURANG_BELOW_MIN', message: 'Sangat Kurang 50% kurang dari minimal 60%' },
      {
        code: 'KURANG_OR_BUTUH_PERBAIKAN_BELOW_MIN',
        message: 'Kurang/Misconduct atau Butuh Perbaikan 0% kurang dari minimal 10%',
      },
      { code: 'SANGAT_BAIK_NOT_ALLOWED', message: 'Sangat Baik tidak diperbolehkan, tetapi ada 1 pegawai (10%)' },
    ]);
  });

  it('rounds shown percentages away from the limit and compares exactly', () => {
    // 59.96% Butuh Perbaikan is below 60% and must not print as 60%.
    const message = checkDistribution('butuh_perbaikan', counts({ butuh_perbaikan: 1499, baik: 1001 }))[0]?.message;
    expect(message).toBe('Butuh Perbaikan 59,9% kurang dari minimal 60%');
    // Exactly at a limit is compliant.
    expect(codes('butuh_perbaikan', { butuh_perbaikan: 3, baik: 2 })).toEqual([]);
    expect(codes('istimewa', { sangat_baik: 70, baik: 30 })).toEqual([]);
  });

  it('rejects negative or fractional counts', () => {
    expect(() => checkDistribution('baik', counts({ baik: -1 }))).toThrow(DomainError);
    expect(() => checkDistribution('baik', counts({ baik: 1.5 }))).toThrow(DomainError);
  });
});
