// Unit: the SKP and evaluation PDFs render from fixture data (no database), paginate, and carry their verification code.
import { describe, expect, it } from 'vitest';
import {
  documentFileName,
  documentKindFor,
  isPrintable,
  newVerificationCode,
  normalizeVerificationCode,
  pdfSafe,
  printableStepNos,
  readRhkList,
  renderDocumentPdf,
  signingPlace,
  type DocumentData,
  type RhkLine,
} from '../../src/app/documents.js';
import { templates } from '../../src/domain/templates/index.js';
import { pdfPagesText } from '../support/pdf-text.js';


/** The text drawn on each page of an uncompressed pdfkit PDF (WinAnsi hex strings inside TJ arrays). */
const pagesText = pdfPagesText;

/** All pages as one line: wrapped cell text reads as the sentence it was. */
const flat = (pages: string[]) => pages.join(' ').replace(/\s+/g, ' ');

const party = (nama: string, nip: string, jabatan: string, unit: string, pangkat: string | null = null) => ({ nama, nip, pangkat, jabatan, unit });
const at = (iso: string) => new Date(iso);

function skpData(rhk: RhkLine[]): DocumentData {
  return {
    kind: 'skp',
    caseId: '00000000-0000-4000-8000-000000000001',
    caseVersion: 7,
    revision: 2,
    status: 'active',
    stepNo: 6,
    period: '2026',
    instansiName: 'Pemerintah Kabupaten Banyuwangi',
    timeZone: 'Asia/Jakarta',
    procedure: { code: 'skp-banyuwangi', title: 'Proses Pelayanan Penilaian Kinerja ASN', sopNumber: '188/2087/SOP/429.204/2025' },
    pegawai: party('Anisa Fitriani, S.Kep, Ns', '199207142017032002', 'Perawat Ahli Pertama', 'Dinas Kesehatan / Seksi Pelayanan Kesehatan Primer', 'Penata Muda Tk. I, III/b'),
    pejabatPenilai: party('Yuliana Pertiwi, S.Kep, Ns', '198601152010012007', 'Kepala Seksi Pelayanan Kesehatan Primer', 'Dinas Kesehatan', 'Penata Tk. I, III/d'),
    atasanPejabatPenilai: party('dr. Lilis Suryani', '197612012002122003', 'Kepala Bidang Pelayanan Kesehatan', 'Dinas Kesehatan', 'Pembina, IV/a'),
    decision: { label: 'Ditetapkan', at: at('2026-02-02T03:20:00Z'), by: 'dr. Lilis Suryani' },
    rhk,
    realisasi: [],
    ekspektasiKhusus: { akuntabel: 'Melaporkan stok obat tepat waktu' },
    rating: null,
    predikat: null,
    late: false,
    trail: [
      { at: at('2026-02-02T02:00:00Z'), actor: 'Anisa Fitriani, S.Kep, Ns', actorNip: '199207142017032002', action: 'Membuka pengajuan', revision: 1 },
      { at: at('2026-02-02T02:10:00Z'), actor: 'Anisa Fitriani, S.Kep, Ns', actorNip: '199207142017032002', action: 'Mengajukan', revision: 1 },
      { at: at('2026-02-02T02:30:00Z'), actor: 'Yuliana Pertiwi, S.Kep, Ns', actorNip: '198601152010012007', action: 'Mengembalikan untuk diperbaiki: "Target belum terukur"', revision: 1 },
      { at: at('2026-02-02T03:00:00Z'), actor: 'Anisa Fitriani, S.Kep, Ns', actorNip: '199207142017032002', action: 'Mengajukan kembali setelah perbaikan', revision: 2 },
      { at: at('2026-02-02T03:20:00Z'), actor: 'dr. Lilis Suryani', actorNip: '197612012002122003', action: 'Menyetujui dan menetapkan', revision: 2 },
    ],
  };
}

const twoRhk: RhkLine[] = readRhkList(
  [
    {
      id: 'r1',
      jenis: 'utama',
      text: 'Meningkatnya cakupan pelayanan kesehatan primer',
      rhkAtasanId: 'a1',
      indikator: [
        { aspek: 'kuantitas', text: 'Jumlah pasien terlayani', target: '1.200 orang' },
        { aspek: 'kualitas', text: 'Kepuasan pasien', target: { nilai: 85, satuan: '%' } },
      ],
    },
    { id: 'r2', jenis: 'tambahan', text: 'Menjadi narasumber penyuluhan gizi', indikator: [{ aspek: 'waktu', text: 'Penyuluhan terlaksana', target: '4 kali' }] },
  ],
  (id) => (id === 'a1' ? 'Meningkatnya mutu layanan puskesmas' : null),
);

describe('reading the RHK list as the SKP feature stores it', () => {
  it('keeps jenis, indikator with aspek and target, and resolves the intervened atasan RHK', () => {
    expect(twoRhk).toHaveLength(2);
    expect(twoRhk[0]).toMatchObject({
      jenis: 'utama',
      rhkAtasan: 'Meningkatnya mutu layanan puskesmas',
      indikator: [
        { aspek: 'Kuantitas', text: 'Jumlah pasien terlayani', target: '1.200 orang' },
        { aspek: 'Kualitas', text: 'Kepuasan pasien', target: '85 %' },
      ],
    });
    expect(twoRhk[1]).toMatchObject({ jenis: 'tambahan', rhkAtasan: null });
    // Entries without text are skipped; a PDF draft summary is marked as such.
    const read = readRhkList([{ jenis: 'utama' }, { jenis: 'utama', text: 'Ringkasan', source: 'pdf' }, 'x']);
    expect(read).toHaveLength(1);
    expect(read[0]!.note).toMatch(/PDF/);
  });
});

describe('the SKP document', () => {
  it('prints the form: title, period, the three parties, RHK, perilaku, trail, signatures and the code', async () => {
    const pdf = await renderDocumentPdf(skpData(twoRhk), { verificationCode: 'ABCDEFGH23', printedAt: at('2026-02-03T01:00:00Z'), compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]'); // A4
    const text = flat(pagesText(pdf));
    for (const expected of [
      'PEMERINTAH KABUPATEN BANYUWANGI',
      'SASARAN KINERJA PEGAWAI',
      'PERIODE PENILAIAN: 1 JANUARI – 31 DESEMBER 2026',
      'Pegawai yang Dinilai',
      'Pejabat Penilai Kinerja',
      'Atasan Pejabat Penilai Kinerja',
      '19920714 201703 2 002',
      '19761201 200212 2 003',
      'A. HASIL KERJA UTAMA',
      'B. HASIL KERJA TAMBAHAN',
      'Jumlah pasien terlayani',
      '1.200 orang',
      'Kuantitas',
      'Meningkatnya mutu layanan puskesmas',
      'Berorientasi Pelayanan',
      'Melaporkan stok obat tepat waktu',
      'Target belum terukur',
      'Menyetujui dan menetapkan',
      'Banyuwangi, 3 Februari 2026',
      'NIP. 19860115 201001 2 007',
      'Kode verifikasi: ABCDEFGH23',
      'Verifikasi: /verifikasi ABCDEFGH23',
      'Ditetapkan pada 02/02/2026 10.20 WIB oleh dr. Lilis Suryani',
    ]) {
      expect(text).toContain(expected);
    }
    // The party table's Pangkat/Gol. Ruang row, between NIP and Jabatan, for all three parties in order.
    expect(text).toContain('Pangkat/Gol. Ruang Penata Muda Tk. I, III/b Penata Tk. I, III/d Pembina, IV/a Jabatan');
    // The trail shows times in the agency's zone (02:10 UTC = 09.10 WIB) and the revisions.
    expect(text).toContain('02/02/2026 09.10 WIB');
    expect(pdf.toString('latin1')).toContain('(ABCDEFGH23)'); // the document info carries the code too
  });

  it('paginates a long RHK list, repeating the table header and footer on every page', async () => {
    const many = readRhkList(
      Array.from({ length: 45 }, (_, i) => ({
        id: `r${i}`,
        jenis: i % 5 === 4 ? 'tambahan' : 'utama',
        text: `RHK nomor ${i + 1}: meningkatnya kualitas layanan administrasi kesehatan di wilayah kerja puskesmas`,
        indikator: [
          { aspek: 'kuantitas', text: `Jumlah kegiatan ${i + 1}`, target: `${i + 1} kegiatan` },
          { aspek: 'waktu', text: `Ketepatan waktu ${i + 1}`, target: '12 bulan' },
        ],
      })),
    );
    const pdf = await renderDocumentPdf(skpData(many), { verificationCode: 'ZZZZZZZZZ9', printedAt: at('2026-02-03T01:00:00Z'), compress: false });
    const pages = pagesText(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(pdf.toString('latin1').match(/\/Type \/Page\n/g)!.length).toBe(pages.length);
    // Every RHK and its second indikator made it, in order.
    const all = pages.join('\n');
    for (let i = 1; i <= 45; i++) expect(all).toContain(`Ketepatan waktu ${i}`);
    expect(all.indexOf('Jumlah kegiatan 44')).toBeLessThan(all.indexOf('Jumlah kegiatan 45'));
    // Pages holding the RHK table (all but the last ones) repeat its header; every page has the footer.
    const withRhkHeader = pages.filter((p) => p.includes('Indikator Kinerja Individu'));
    expect(withRhkHeader.length).toBeGreaterThanOrEqual(3);
    pages.forEach((p, i) => {
      expect(p).toContain(`Halaman ${i + 1} dari ${pages.length}`);
      expect(p).toContain('/verifikasi ZZZZZZZZZ9');
    });
  });

  it('repeats the text of an RHK whose indikator continue on the next page', async () => {
    const long = readRhkList([
      {
        jenis: 'utama',
        text: 'Tersusunnya laporan bulanan puskesmas',
        indikator: Array.from({ length: 90 }, (_, i) => ({ aspek: 'kuantitas', text: `Laporan ke-${i + 1}`, target: '1 dokumen' })),
      },
    ]);
    const pages = pagesText(await renderDocumentPdf(skpData(long), { verificationCode: 'ZZZZZZZZZ9', printedAt: at('2026-02-03T01:00:00Z'), compress: false }));
    const tablePages = pages.filter((p) => p.includes('Laporan ke-'));
    expect(tablePages.length).toBeGreaterThanOrEqual(2);
    for (const page of tablePages) expect(flat([page])).toContain('Tersusunnya laporan bulanan puskesmas');
    expect(flat(pages)).toContain('Laporan ke-90');
  });
});

describe('the monthly evaluation document', () => {
  it('prints realisasi with bukti counts, the ratings, the predikat and the umpan balik', async () => {
    const data: DocumentData = {
      ...skpData([]),
      kind: 'evaluasi',
      // The PP's pangkat is not in the roster and there is no atasan pejabat penilai: both print '-'.
      pejabatPenilai: party('Yuliana Pertiwi, S.Kep, Ns', '198601152010012007', 'Kepala Seksi Pelayanan Kesehatan Primer', 'Dinas Kesehatan'),
      atasanPejabatPenilai: null,
      period: '2026-03',
      procedure: { code: 'bulanan-tangerang', title: 'Penilaian Kinerja ASN: SKP bulanan', sopNumber: '1246 Tahun 2025' },
      decision: { label: 'Dinilai', at: at('2026-04-06T03:00:00Z'), by: 'Yuliana Pertiwi, S.Kep, Ns' },
      realisasi: [
        {
          jenis: 'utama',
          rhk: 'Meningkatnya cakupan pelayanan kesehatan primer',
          indikator: [{ aspek: 'Kuantitas', text: 'Jumlah pasien terlayani', target: '100 orang' }],
          realisasi: '112 orang',
          buktiCount: 2,
          buktiNames: ['rekap-pasien-maret.pdf', 'foto-kegiatan.jpg'],
        },
      ],
      rating: { hasilKerja: 'di_atas', perilaku: 'sesuai', catatan: 'Pertahankan ketelitian pencatatan rekam medis.' },
      predikat: 'baik',
      late: true,
    };
    const pdf = await renderDocumentPdf(data, { verificationCode: 'MNPQRSTUV2', printedAt: at('2026-04-07T01:00:00Z'), compress: false });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = flat(pagesText(pdf));
    for (const expected of [
      'DOKUMEN EVALUASI KINERJA PEGAWAI',
      'PERIODE: BULAN MARET 2026',
      'CAPAIAN HASIL KERJA',
      '112 orang',
      '2 berkas',
      'foto-kegiatan.jpg',
      'Rating Hasil Kerja',
      'Di Atas Ekspektasi',
      'Sesuai Ekspektasi',
      'Predikat Kinerja Pegawai',
      'Baik',
      'Terlambat',
      'UMPAN BALIK',
      'Pertahankan ketelitian pencatatan rekam medis.',
      'Pegawai yang Dinilai',
      'Kode verifikasi: MNPQRSTUV2',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('HASIL KERJA UTAMA'); // the SKP's table is not in the evaluation
    expect(text).toContain('Pangkat/Gol. Ruang Penata Muda Tk. I, III/b - - Jabatan');
  });
});

describe('printability, codes and names', () => {
  it('maps procedure purposes to document kinds', () => {
    expect(documentKindFor(templates['skp-banyuwangi']!)).toBe('skp');
    expect(documentKindFor(templates['bulanan-tangerang']!)).toBe('evaluasi');
    expect(documentKindFor(templates['pengukuran-inspektorat']!)).toBe('evaluasi');
    expect(documentKindFor(templates['asn-berprestasi']!)).toBeNull();
  });

  it('prints an SKP once approved/established and an evaluation once rated, never when returned or cancelled', () => {
    const banyuwangi = templates['skp-banyuwangi']!;
    expect(printableStepNos(banyuwangi)).toEqual([6, 7]);
    expect(isPrintable(banyuwangi, { status: 'active', stepNo: 5 })).toBe(false);
    expect(isPrintable(banyuwangi, { status: 'active', stepNo: 6 })).toBe(true);
    expect(isPrintable(banyuwangi, { status: 'completed', stepNo: 7 })).toBe(true);
    expect(isPrintable(banyuwangi, { status: 'returned', stepNo: 3 })).toBe(false);
    expect(isPrintable(banyuwangi, { status: 'cancelled', stepNo: 6 })).toBe(false);
    expect(printableStepNos(templates['skp-balangan']!)).toEqual([5, 6, 7]); // the print step itself
    expect(printableStepNos(templates['bulanan-tangerang']!)).toEqual([5, 6, 7]);
    expect(isPrintable(templates['asn-berprestasi']!, { status: 'completed', stepNo: 7 })).toBe(false);
  });

  it('issues unambiguous codes and reads them back leniently', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newVerificationCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(normalizeVerificationCode(' abcde-fgh23 ')).toBe('ABCDEFGH23');
    expect(normalizeVerificationCode('ABCDEFGH20')).toBeNull(); // 0 is never issued
    expect(normalizeVerificationCode('ABC')).toBeNull();
  });

  it('names the file, finds the signing place, and keeps text printable in the embedded font', () => {
    expect(documentFileName({ kind: 'skp', period: '2026', pegawai: party('A', '199207142017032002', '', ''), revision: 2 })).toBe(
      'SKP_2026_199207142017032002_revisi-2.pdf',
    );
    expect(signingPlace('Pemerintah Kota Tangerang')).toBe('Tangerang');
    expect(signingPlace('Pemerintah Kabupaten Balangan')).toBe('Balangan');
    expect(signingPlace('Inspektorat')).toBe('Inspektorat');
    expect(pdfSafe('Ṣalāḥ – ok ✓ “kutipan” • €')).toBe('Salah – ok ? “kutipan” • €');
  });
});

describe('what a viewer shows', () => {
  it('embeds its font, so the extracted text is exactly what was written', async () => {
    const pdf = await renderDocumentPdf(skpData(twoRhk), { verificationCode: 'ABCDEFGH23', printedAt: at('2026-02-03T01:00:00Z') });
    const raw = pdf.toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSans/); // a subset of Noto Sans, embedded
    expect(raw).toContain('/FontFile2');
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
    const lines = pagesText(pdf).join('\n').split('\n').map((l) => l.trim());
    for (const written of [
      'SASARAN KINERJA PEGAWAI',
      'PERIODE PENILAIAN: 1 JANUARI – 31 DESEMBER 2026',
      'PEGAWAI YANG DINILAI DAN PEJABAT PENILAI',
      'Kode verifikasi: ABCDEFGH23',
      'Verifikasi: /verifikasi ABCDEFGH23',
      'Kirim perintah di atas ke bot kinerja untuk memeriksa keaslian dan versi dokumen ini.',
    ]) {
      expect(lines).toContain(written);
    }
  });

  it('never leaves the signatures alone on a page: the last rows above come with them', async () => {
    const rhk = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        jenis: 'utama' as const,
        rhk: `Meningkatnya cakupan pelayanan kesehatan primer ke-${i + 1}`,
        indikator: [{ aspek: 'Kuantitas', text: 'Jumlah pasien terlayani', target: '100 orang' }],
        realisasi: '112 orang',
        buktiCount: 1,
        buktiNames: ['rekap.pdf'],
      }));
    for (let n = 1; n <= 8; n++) {
      const data: DocumentData = {
        ...skpData([]),
        kind: 'evaluasi',
        period: '2026-03',
        realisasi: rhk(n),
        rating: { hasilKerja: 'sesuai', perilaku: 'sesuai', catatan: 'Pertahankan.' },
        predikat: 'baik',
      };
      const pages = pagesText(await renderDocumentPdf(data, { verificationCode: 'MNPQRSTUV2', printedAt: at('2026-04-07T01:00:00Z') }));
      const signed = pages.find((p) => p.includes('Banyuwangi, 7 April 2026'))!;
      expect(signed, `${n} RHK`).toBeDefined();
      // The trail's last row sits on the signatures' page.
      expect(signed, `${n} RHK`).toContain('Menyetujui dan menetapkan');
    }
  });
});
