// Unit: /status marks a step whose batas waktu has passed, so a date months ago does not read as still ahead.
import { describe, expect, it } from 'vitest';
import type { CaseOverview } from '../../src/app/skp.js';
import { caseOverviewText } from '../../src/chat/texts/skp.js';

const overview: CaseOverview = {
  caseId: 'c1',
  procedureCode: 'skp-banyuwangi',
  procedureTitle: 'Proses Pelayanan Penilaian Kinerja ASN (penyusunan SKP tahunan)',
  periodKind: 'annual',
  period: '2026',
  status: 'active',
  stepNo: 6,
  stepUraian: 'Menghimpun Sasaran Kinerja PNS, mendokumentasikan dan meneruskan ke BKPP',
  holderName: 'Siti Nurhaliza, S.E.',
  heldBySubject: false,
  since: new Date('2026-01-05T02:00:00Z'),
  slaDueAt: new Date('2026-01-06T01:00:00Z'),
  revision: 1,
  late: false,
  predikat: null,
  completedAt: null,
  returned: null,
};

describe('caseOverviewText', () => {
  it('marks a batas waktu that has passed, and only then', () => {
    expect(caseOverviewText(overview, 'Asia/Jakarta', new Date('2026-12-07T03:00:00Z'))).toContain(
      'Batas waktu: Selasa, 6 Januari 2026 pukul 08.00 WIB — ⛔ lewat batas waktu',
    );
    expect(caseOverviewText(overview, 'Asia/Jakarta', new Date('2026-01-05T03:00:00Z'))).toMatch(/Batas waktu: Selasa, 6 Januari 2026 pukul 08\.00 WIB$/m);
  });

  it('gives the period in words, whatever the procedure: a keberatan is filed against "2026-11"', () => {
    const keberatan: CaseOverview = { ...overview, procedureTitle: 'Keberatan atas Hasil Penilaian Kinerja', periodKind: null, period: '2026-11' };
    expect(caseOverviewText(keberatan, 'Asia/Jakarta', new Date('2026-12-08T02:00:00Z'))).toMatch(/\nPeriode: November 2026\n/);
    expect(caseOverviewText(overview, 'Asia/Jakarta', new Date('2026-12-08T02:00:00Z'))).toMatch(/\nPeriode: Tahun 2026\n/);
  });
});
