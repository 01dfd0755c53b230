// ASN Berprestasi nomination through SI PETRUK, BKPPD Kabupaten Balangan (seed 004_66c65b2e05e08316.txt).
//
// The seed is an OCR scan: no SOP number is legible (sopNumber null), the Dasar Hukum heading is empty and the
// four laws are printed under Kualifikasi Pelaksana (layout mangling; they are taken as the legal basis), and
// step 3 is missing from the table (OCR damage; numbers stay the seed's: 1, 2, 4, 5, 6, 7). Columns: Kasubbag
// Umum Kepegawaian, Pejabat Administrator SKPD, Kepala SKPD, Tim BKPSDM.
// The case's subject is the nominated employee, who takes no step; the nomination is carried by the unit.
//   1    The Kasubbag Umum-Kepegawaian (pengelola) proposes the SKPD's candidate: pengelola submit, with a
//        written summary of the achievement and optionally the nomination data as a file.
//   2    "Menetapkan dan memberikan nilai …" with a Berita Acara: the Kepala SKPD decides and scores (the
//        Pejabat Administrator prepares it; the Kualifikasi asks for the Kepala SKPD's recommendation). Modelled
//        as kepala_unit `establish` (not `rate`: the score is free text on the SKPD's own scale, not the
//        hasil kerja/perilaku rating), with the score as required text and the signed berita acara optional.
//        The OCR lost the tail of this uraian. A return goes to step 1 (default: no subject submit exists).
//   4    The Kasubbag enters the data into SI PETRUK: pengelola submit attesting the entry (confirm).
//   5    The Kepala SKPD signs the printed form (kepala_unit sign).
//   6    Tim BKPSDM verifies (bkpp verify); a return goes to step 1, where the unit corrects the proposal.
//   7    Tim BKPSDM prints the certificate (bkpp print).
import { DOCUMENT_FILES, defineProcedure, parseWaktu } from '../procedure.js';

export const asnBerprestasi = defineProcedure({
  code: 'asn-berprestasi',
  title: 'Penginputan Data ASN Berprestasi melalui SI PETRUK',
  source: {
    file: '004_66c65b2e05e08316.txt',
    sopNumber: null,
    issuer: 'BKPPD Kabupaten Balangan, Sub Bidang Penilaian dan Evaluasi Kinerja Aparatur',
  },
  legalBasis: [
    'Undang-Undang Nomor 20 Tahun 2009 tentang Gelar, Tanda Jasa dan Tanda Kehormatan',
    'Undang-undang Nomor 5 Tahun 2014 tentang Aparatur Sipil Negara',
    'Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Sasaran Kinerja Pegawai',
    'Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 8 Tahun 2021 tentang Sistem Manajemen Kinerja PNS',
  ],
  periodKind: 'one_off',
  purpose: 'award',
  steps: [
    {
      no: 1,
      uraian: 'Menyampaikan data usulan ASN Berprestasi SKPD',
      actor: 'pengelola',
      action: 'submit',
      requires: [
        { kind: 'text', key: 'usulan', label: 'Ringkasan prestasi yang diusulkan' },
        { kind: 'files', key: 'dataUsulan', label: 'Data usulan ASN Berprestasi', ...DOCUMENT_FILES, optional: true },
      ],
      kelengkapanText: 'Data usulan ASN Berprestasi',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'Usulan Data ASN Berprestasi',
    },
    {
      no: 2,
      uraian: 'Menetapkan dan memberikan nilai pegawai ASN Berprestasi',
      actor: 'kepala_unit',
      action: 'establish',
      requires: [
        { kind: 'text', key: 'nilai', label: 'Nilai ASN Berprestasi' },
        {
          kind: 'files',
          key: 'beritaAcara',
          label: 'Berita Acara Penetapan ASN Berprestasi SKPD',
          ...DOCUMENT_FILES,
          optional: true,
        },
      ],
      kelengkapanText: 'Berita Acara Penetapan ASN Berprestasi SKPD',
      timeStandardMinutes: parseWaktu('60 menit'),
      output: 'Berita Acara Penetapan ASN Berprestasi SKPD',
      returnTo: 1,
    },
    {
      no: 4,
      uraian: 'Melaksanakan input Data ASN Berprestasi ke aplikasi SI PETRUK',
      actor: 'pengelola',
      action: 'submit',
      requires: [{ kind: 'confirm' }, { kind: 'document', label: 'Berita Acara Penetapan ASN Berprestasi SKPD' }],
      kelengkapanText: 'Berita Acara Penetapan ASN Berprestasi SKPD',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'Formulir penetapan ASN Berprestasi',
    },
    {
      no: 5,
      uraian: 'Menandatangani hasil cetak formulir usulan ASN Berprestasi',
      actor: 'kepala_unit',
      action: 'sign',
      requires: [{ kind: 'confirm' }, { kind: 'document', label: 'Formulir penetapan ASN Berprestasi' }],
      kelengkapanText: 'Formulir penetapan ASN Berprestasi',
      timeStandardMinutes: parseWaktu('5 menit'),
      output: 'Formulir penetapan ASN Berprestasi yang ditandatangani',
    },
    {
      no: 6,
      uraian: 'Memverifikasi usulan ASN Berprestasi oleh Tim BKPSDM',
      actor: 'bkpp',
      action: 'verify',
      requires: [],
      kelengkapanText: 'Formulir penetapan ASN Berprestasi yang ditandatangani',
      timeStandardMinutes: parseWaktu('60 menit'),
      output: 'Hasil verifikasi formulir penetapan ASN Berprestasi yang ditandatangani',
      returnTo: 1,
    },
    {
      no: 7,
      uraian: 'Mencetak sertifikat ASN Berprestasi',
      actor: 'bkpp',
      action: 'print',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Hasil verifikasi formulir penetapan ASN Berprestasi yang ditandatangani',
      timeStandardMinutes: parseWaktu('15 menit'),
      output: 'Sertifikat ASN Berprestasi',
    },
  ],
});
