// Unit tests for the predikat matrix and the SE MenPANRB 3/2023 distribution check.
import { describe, it, expect } from 'vitest';
import {
  checkDistribution,
  predikatOf,
  PREDIKAT_LABELS,
  RATING_LABELS,
  type OrgRating,
  type Predikat,
  type Rating,
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

describe('predikat matrix, every cell (annual and periodic evaluations alike)', () => {
  const cells: Array<[Rating, Rating, Predikat]> = [
    ['di_atas', 'di_atas', 'sangat_baik'],
    ['di_atas', 'sesuai', 'baik'],
    ['di_atas', 'di_bawah', 'kurang'],
    ['sesuai', 'di_atas', 'baik'],
    ['sesuai', 'sesuai', 'baik'],
    ['sesuai', 'di_bawah', 'kurang'],
    ['di_bawah', 'di_atas', 'butuh_perbaikan'],
    ['di_bawah', 'sesuai', 'butuh_perbaikan'],
    ['di_bawah', 'di_bawah', 'sangat_kurang'],
  ];
  it.each(cells)('hasil kerja %s × perilaku %s → %s', (hk, pl, expected) => {
    expect(predikatOf(hk, pl)).toBe(expected);
  });
  it('covers all nine cells', () => {
    expect(new Set(cells.map(([hk, pl]) => `${hk}/${pl}`)).size).toBe(9);
  });
});

describe('curve boundaries (SE MenPANRB 3/2023)', () => {
  it('Istimewa: exactly 70% Sangat Baik passes, one more fails', () => {
    expect(codes('istimewa', { sangat_baik: 7, butuh_perbaikan: 3 })).toEqual([]);
    expect(codes('istimewa', { sangat_baik: 71, baik: 29 })).toEqual(['SANGAT_BAIK_ABOVE_MAX']);
  });
  it('Baik: exactly 70% Baik with a Kurang passes; 71% fails; none below Baik fails', () => {
    expect(codes('baik', { baik: 7, sangat_baik: 2, kurang: 1 })).toEqual([]);
    expect(codes('baik', { baik: 71, sangat_baik: 28, butuh_perbaikan: 1 })).toEqual(['BAIK_ABOVE_MAX']);
    expect(codes('baik', { baik: 5, sangat_baik: 5 })).toEqual(['BUTUH_PERBAIKAN_OR_KURANG_MISSING']);
    expect(codes('baik', { baik: 1 })).toEqual(['BAIK_ABOVE_MAX', 'BUTUH_PERBAIKAN_OR_KURANG_MISSING']);
  });
  it('Butuh Perbaikan: exactly 60% and exactly 10% Sangat Baik pass; 59% and 11% fail', () => {
    expect(codes('butuh_perbaikan', { butuh_perbaikan: 6, baik: 3, sangat_baik: 1 })).toEqual([]);
    expect(codes('butuh_perbaikan', { butuh_perbaikan: 59, baik: 41 })).toEqual(['BUTUH_PERBAIKAN_BELOW_MIN']);
    expect(codes('butuh_perbaikan', { butuh_perbaikan: 60, baik: 29, sangat_baik: 11 })).toEqual(['SANGAT_BAIK_ABOVE_MAX']);
  });
  it('Kurang: exactly 60% Kurang, 10% Butuh Perbaikan, 10% Sangat Baik pass; just outside fails', () => {
    expect(codes('kurang', { kurang: 60, butuh_perbaikan: 10, sangat_baik: 10, baik: 20 })).toEqual([]);
    expect(codes('kurang', { kurang: 59, butuh_perbaikan: 10, sangat_baik: 10, baik: 21 })).toEqual(['KURANG_BELOW_MIN']);
    expect(codes('kurang', { kurang: 60, butuh_perbaikan: 9, sangat_baik: 10, baik: 21 })).toEqual(['BUTUH_PERBAIKAN_BELOW_MIN']);
    expect(codes('kurang', { kurang: 60, butuh_perbaikan: 10, sangat_baik: 11, baik: 19 })).toEqual(['SANGAT_BAIK_ABOVE_MAX']);
  });
  it('Sangat Kurang: exactly 60% and 10% pass; one Sangat Baik fails', () => {
    expect(codes('sangat_kurang', { sangat_kurang: 60, kurang: 5, butuh_perbaikan: 5, baik: 30 })).toEqual([]);
    expect(codes('sangat_kurang', { sangat_kurang: 59, kurang: 10, baik: 31 })).toEqual(['SANGAT_KURANG_BELOW_MIN']);
    expect(codes('sangat_kurang', { sangat_kurang: 60, kurang: 9, baik: 31 })).toEqual(['KURANG_OR_BUTUH_PERBAIKAN_BELOW_MIN']);
    expect(codes('sangat_kurang', { sangat_kurang: 60, kurang: 10, sangat_baik: 1, baik: 29 })).toEqual(['SANGAT_BAIK_NOT_ALLOWED']);
  });
});

describe('umpan balik typed as one message', () => {
  it('sends "RHK n:" lines to that RHK, BerAKHLAK lines to that value, the rest to catatan/rekomendasi', async () => {
    const { parseEvaluationFeedback } = await import('../../src/domain/feedback.js');
    const parsed = parseEvaluationFeedback('RHK 1: di atas target\nakuntabel: laporan tepat waktu\nBerorientasi pelayanan: ramah\nRHK 9: tidak ada\nPertahankan.', ['r1', 'r2']);
    expect(parsed).toEqual({
      catatan: 'RHK 9: tidak ada\nPertahankan.',
      rhk: { r1: 'di atas target' },
      perilaku: { akuntabel: 'laporan tepat waktu', berorientasiPelayanan: 'ramah' },
    });
    expect(parseEvaluationFeedback('RHK 1: saja', ['r1']).catatan).toBeNull();
  });
});
