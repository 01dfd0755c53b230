// Unit: the Dokumen Evaluasi Kinerja Pegawai (annual, PERIODE AKHIR) prints every section of the official sheet.
import { describe, expect, it } from 'vitest';
import { documentKindFor, isPppk, periodRange, renderDocumentPdf, type DocumentData } from '../../src/app/documents.js';
import { templates } from '../../src/domain/templates/index.js';
import { pdfPagesText } from '../support/pdf-text.js';

const pagesText = (pdf: Buffer) => pdfPagesText(pdf, { raw: true });

const flat = (pages: string[]) => pages.join(' ').replace(/\s+/g, ' ');
const at = (iso: string) => new Date(iso);

function annualData(): DocumentData {
  return {
    kind: 'evaluasi',
    caseId: '00000000-0000-4000-8000-000000000009',
    caseVersion: 3,
    revision: 1,
    status: 'completed',
    stepNo: 2,
    period: '2026',
    instansiName: 'Pemerintah Kabupaten Banyuwangi',
    timeZone: 'Asia/Jakarta',
    procedure: { code: 'evaluasi-tahunan', title: 'Evaluasi Kinerja Tahunan', sopNumber: null },
    pegawai: { nama: 'Rudi Hartono', nip: '199003152025211003', pangkat: 'IX', jabatan: 'Penata Layanan Operasional', unit: 'Dinas Kesehatan / Seksi Rujukan' },
    pejabatPenilai: { nama: 'Yuliana Pertiwi', nip: '198601152010012007', pangkat: 'Penata Tk. I, III/d', jabatan: 'Kepala Seksi Rujukan', unit: 'Dinas Kesehatan' },
    atasanPejabatPenilai: { nama: 'dr. Lilis Suryani', nip: '197612012002122003', pangkat: 'Pembina, IV/a', jabatan: 'Kepala Bidang Pelayanan', unit: 'Dinas Kesehatan' },
    decision: { label: 'Dinilai', at: at('2027-01-12T03:00:00Z'), by: 'Yuliana Pertiwi' },
    rhk: [],
    realisasi: [],
    ekspektasiKhusus: { akuntabel: 'Laporan stok tepat waktu' },
    rating: { hasilKerja: 'di_atas', perilaku: 'sesuai', catatan: 'Pertahankan ketepatan laporan; ikuti pelatihan manajemen data.' },
    predikat: 'baik',
    late: false,
    trail: [{ at: at('2027-01-12T03:00:00Z'), actor: 'Yuliana Pertiwi', actorNip: '198601152010012007', action: 'Menilai', revision: 1 }],
    evaluation: {
      annual: true,
      from: '2026-01-01',
      to: '2026-12-31',
      capaianOrganisasi: 'baik',
      hasilKerja: [
        { jenis: 'utama', rhk: 'Rujukan pasien tertangani tepat waktu', indikator: [{ aspek: 'Kuantitas', text: 'Rujukan diproses', target: '300 rujukan' }], realisasi: 'Januari 2026: 25 rujukan\nFebruari 2026: 27 rujukan', umpanBalik: 'Capaian di atas target bulanan' },
        { jenis: 'tambahan', rhk: 'Narasumber penyuluhan rujukan', indikator: [], realisasi: 'Maret 2026: 1 kali', umpanBalik: null },
      ],
      umpanBalikPerilaku: { kolaboratif: 'Aktif membantu tim rujukan' },
      periods: [{ period: '2026-01', predikat: 'baik' }, { period: '2026-02', predikat: 'sangat_baik' }],
    },
  };
}

describe('the annual Dokumen Evaluasi Kinerja Pegawai', () => {
  it('is the document of the annual evaluation template', () => {
    expect(documentKindFor(templates['evaluasi-tahunan']!)).toBe('evaluasi');
    expect(periodRange('2026')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodRange('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(isPppk('199003152025211003')).toBe(true);
    expect(isPppk('198601152010012007')).toBe(false);
  });

  it('prints every section, in order, by its extracted text', async () => {
    const pdf = await renderDocumentPdf(annualData(), { verificationCode: 'KLMNPQRS23', printedAt: at('2027-01-13T02:00:00Z'), compress: false });
    const text = flat(pagesText(pdf));
    const sections = [
      // header: title, PERIODE …/AKHIR, the periode penilaian as a date range
      'DOKUMEN EVALUASI KINERJA PEGAWAI',
      'PERIODE: AKHIR',
      'PERIODE PENILAIAN: 1 JANUARI 2026 SD 31 DESEMBER 2026',
      // the three parties, NI PPPK labelled so, pangkat/gol, jabatan, unit
      'Pegawai yang Dinilai',
      'Pejabat Penilai Kinerja',
      'Atasan Pejabat Penilai Kinerja',
      'NIP / NI PPPK',
      'NI PPPK 19900315 202521 1 003',
      '19860115 201001 2 007',
      'Pangkat/Gol. Ruang',
      'Penata Tk. I, III/d',
      'Kepala Bidang Pelayanan',
      'Dinas Kesehatan / Seksi Rujukan',
      // organisation rating and distribution pattern
      'CAPAIAN KINERJA ORGANISASI',
      'BAIK',
      'POLA DISTRIBUSI',
      'Baik paling banyak 70%; harus ada Butuh Perbaikan dan/atau Kurang/Misconduct',
      // hasil kerja per RHK with realisation and umpan balik berkelanjutan
      'HASIL KERJA',
      'Realisasi Berdasarkan Bukti Dukung',
      'Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung',
      'A. UTAMA',
      'Rujukan pasien tertangani tepat waktu',
      'Januari 2026: 25 rujukan',
      'Capaian di atas target bulanan',
      'B. TAMBAHAN',
      'Narasumber penyuluhan rujukan',
      'RATING HASIL KERJA',
      'DI ATAS EKSPEKTASI',
      // perilaku rows with their umpan balik
      'PERILAKU KERJA',
      'Umpan Balik Berkelanjutan',
      'Berorientasi Pelayanan',
      'Laporan stok tepat waktu',
      'Kolaboratif',
      'Aktif membantu tim rujukan',
      'RATING PERILAKU KERJA',
      'SESUAI EKSPEKTASI',
      'PREDIKAT KINERJA PEGAWAI',
      'BAIK',
      'Predikat periodik: Januari 2026 Baik; Februari 2026 Sangat Baik',
      'CATATAN/REKOMENDASI',
      'Pertahankan ketepatan laporan; ikuti pelatihan manajemen data.',
      // signatures with place and date, then the verification code
      'Pegawai yang Dinilai',
      'Rudi Hartono',
      'NI PPPK. 19900315 202521 1 003',
      'Banyuwangi, 13 Januari 2027',
      'Pejabat Penilai Kinerja',
      'Yuliana Pertiwi',
      'NIP. 19860115 201001 2 007',
      'Kode verifikasi: KLMNPQRS23',
    ];
    let from = 0;
    for (const expected of sections) {
      const index = text.indexOf(expected, from);
      expect(index, `"${expected}" after position ${from}`).toBeGreaterThanOrEqual(0);
      from = index;
    }
  });

  it('says so when the organisation rating is not set and nothing is rated yet', async () => {
    const data = annualData();
    data.rating = null;
    data.predikat = null;
    data.evaluation!.capaianOrganisasi = null;
    const text = flat(pagesText(await renderDocumentPdf(data, { verificationCode: 'KLMNPQRS23', printedAt: at('2027-01-13T02:00:00Z'), compress: false })));
    expect(text).toContain('CAPAIAN KINERJA ORGANISASI BELUM DITETAPKAN');
    expect(text).toContain('PREDIKAT KINERJA PEGAWAI BELUM DINILAI');
    expect(text).not.toMatch(/undefined|null/);
  });

  it('the periodic document carries the same sheet: range, capaian, umpan balik per RHK and per value', async () => {
    const data = annualData();
    data.period = '2026-03';
    data.procedure = { code: 'bulanan-tangerang', title: 'Penilaian Kinerja ASN: SKP bulanan', sopNumber: '1246 Tahun 2025' };
    data.realisasi = [{ jenis: 'utama', rhk: 'Rujukan pasien tertangani tepat waktu', indikator: [], realisasi: '26 rujukan', buktiCount: 1, buktiNames: ['rekap.pdf'] }];
    data.evaluation = {
      ...data.evaluation!,
      annual: false,
      from: '2026-03-01',
      to: '2026-03-31',
      hasilKerja: [{ jenis: 'utama', rhk: 'Rujukan pasien tertangani tepat waktu', indikator: [], realisasi: '26 rujukan', umpanBalik: 'Tepat sasaran' }],
      periods: [],
    };
    const text = flat(pagesText(await renderDocumentPdf(data, { verificationCode: 'KLMNPQRS23', printedAt: at('2026-04-07T02:00:00Z'), compress: false })));
    let from = 0;
    for (const expected of [
      'PERIODE: BULAN MARET 2026',
      'PERIODE PENILAIAN: 1 MARET 2026 SD 31 MARET 2026',
      'CAPAIAN KINERJA ORGANISASI',
      'POLA DISTRIBUSI',
      'CAPAIAN HASIL KERJA',
      '26 rujukan',
      'Umpan balik: Tepat sasaran',
      'EVALUASI KINERJA',
      'PERILAKU KERJA',
      'Aktif membantu tim rujukan',
      'UMPAN BALIK',
      'Pertahankan ketepatan laporan',
      'Kode verifikasi: KLMNPQRS23',
    ]) {
      const index = text.indexOf(expected, from);
      expect(index, `"${expected}" after position ${from}`).toBeGreaterThanOrEqual(0);
      from = index;
    }
  });
});
