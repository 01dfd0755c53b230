// Annual SKP of BKPP Kabupaten Banyuwangi (seed 000_bee55eac0956d0ef.txt, SOP 188/2087/SOP/429.204/2025).
//
// The seed's Pelaksana columns (ASN, Pejabat Penilai, Pengelola Kepegawaian, BKPP) lost their marks in the
// export, so every actor below is inferred from the uraian:
//   1–2  BKPP tells all PNS that SKP and the monthly assessment run in kinerja.bkn.go.id and to draft their SKP.
//        They address everyone at once, so they are `announcements` for the broadcast feature, not case steps.
//   3    "Menyusun MPH dan membuat Draf SKP … menyampaikan kepada Pejabat Penilai": the ASN (subject) submits.
//   4    "…jika sudah benar menyetujui SKP dan diteruskan kepada atasan Pejabat Penilai": the pejabat penilai,
//        i.e. the direct atasan, verifies.
//   5    "…menyetujui dan menetapkan SKP dan diteruskan kepada Pejabat Pengelola Kepegawaian": the step-4 text
//        forwards to the atasan Pejabat Penilai, so step 5 is theirs (atasan_atasan) and it sets the SKP
//        (establish). PermenPANRB 6/2022 has the PP set the SKP (domain.md §9.1); this template follows the seed,
//        and a deployment whose PP sets the SKP picks another template (skp-balangan, skp-tangerang).
//   6    The pengelola kepegawaian compiles, documents and forwards to BKPP (collect).
//   7    BKPP receives (receive) for monitoring and evaluation.
// Steps 4 and 5 say "dikembalikan kepada PNS untuk diperbaiki": both return to step 3 (the default).
// The seed's "Renstra RKS" kelengkapan is read as Renstra plus the Dinas RKT the uraian names.
// The seed says assessment is monthly; that is a separate procedure (bulanan-tangerang by default).
import { DOCUMENT_FILES, defineProcedure, parseWaktu } from '../procedure.js';

export const skpBanyuwangi = defineProcedure({
  code: 'skp-banyuwangi',
  title: 'Proses Pelayanan Penilaian Kinerja ASN (penyusunan SKP tahunan)',
  source: {
    file: '000_bee55eac0956d0ef.txt',
    sopNumber: '188/2087/SOP/429.204/2025',
    issuer: 'Badan Kepegawaian, Pendidikan dan Pelatihan Kabupaten Banyuwangi',
  },
  legalBasis: [
    'Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara (ASN)',
    'Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil',
    'Peraturan Pemerintah Nomor 49 Tahun 2018 tentang Manajemen Pegawai Pemerintah dengan Perjanjian Kerja (PPPK)',
    'Peraturan Pemerintah Republik Indonesia Nomor 30 Tahun 2019 Tentang Penilaian Kinerja Pegawai Negeri Sipil',
    'Peraturan Kepala Badan Kepegawaian Negara Nomor 1 Tahun 2013 Tentang Ketentuan Pelaksanaan Peraturan Pemerintah Nomor 46 Tahun 2011 Tentang Penilaian Prestasi Kerja Pegawai Negeri Sipil',
    'Peraturan Bupati Banyuwangi Nomor 40 Tahun 2024 tentang Kedudukan, Susunan Organisasi, Tugas dan Fungsi Serta Tata Kerja Badan Kepegawaian, Pendidikan dan Pelatihan Kabupaten Banyuwangi',
  ],
  periodKind: 'annual',
  purpose: 'skp_annual',
  announcements: [
    {
      no: 1,
      uraian:
        'Penyusunan Sasaran dan Hasil Kinerja Pegawai (SKP) serta Penilaian Kinerja Pegawai dikerjakan melalui kinerja.bkn.go.id. Penilaian SKP dilakukan setiap bulan',
      actor: 'bkpp',
      timeStandardMinutes: parseWaktu('20 menit'),
      kelengkapanText: 'Renstra, SIM K',
      output: 'Dokumen pendukung',
    },
    {
      no: 2,
      uraian: 'Menginformasikan kepada seluruh PNS untuk segera membuat Sasaran Kinerja PNS',
      actor: 'bkpp',
      timeStandardMinutes: parseWaktu('5 menit'),
      kelengkapanText: '',
      output: 'Dokumen pendukung',
    },
  ],
  steps: [
    {
      no: 3,
      uraian:
        'Menyusun MPH dan membuat Draf SKP berdasarkan Rencana Kerja Tahunan (RKT) Dinas, kemudian menyampaikan kepada Pejabat Penilai untuk mendapatkan persetujuan',
      actor: 'subject',
      action: 'submit',
      requires: [
        { kind: 'rhk_list' },
        // The MPH lives in e-Kinerja; attaching an export helps the approvers but must not block the ASN.
        { kind: 'files', key: 'mph', label: 'Matriks Peran Hasil (MPH)', ...DOCUMENT_FILES, optional: true },
        { kind: 'document', label: 'Renstra' },
        { kind: 'document', label: 'Rencana Kerja Tahunan (RKT) Dinas' },
      ],
      kelengkapanText: 'Renstra RKS',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: '1. MPH 2. Aplikasi kinerja',
    },
    {
      no: 4,
      uraian:
        'Memeriksa dan memverifikasi draf SKP yang diajukan jika belum benar dikembalikan kepada PNS untuk diperbaiki, jika sudah benar menyetujui SKP dan diteruskan kepada atasan Pejabat Penilai untuk ditetapkan',
      actor: 'atasan',
      action: 'verify',
      requires: [{ kind: 'document', label: 'MPH' }],
      kelengkapanText: 'MPH',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'RHK',
      returnTo: 3,
    },
    {
      no: 5,
      uraian:
        'Memeriksa dan memverifikasi draf SKP yang diajukan jika belum benar dikembalikan kepada PNS untuk diperbaiki, jika sudah benar menyetujui dan menetapkan SKP dan diteruskan kepada Pejabat Pengelola Kepegawaian',
      actor: 'atasan_atasan',
      action: 'establish',
      requires: [{ kind: 'document', label: 'MPH' }],
      kelengkapanText: 'MPH',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'RHK',
      returnTo: 3,
    },
    {
      no: 6,
      uraian: 'Menghimpun Sasaran Kinerja PNS, mendokumentasikan dan meneruskan ke BKPP',
      actor: 'pengelola',
      action: 'collect',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'RHK',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'RHK Pegawai',
    },
    {
      no: 7,
      uraian: 'Menerima Sasaran Kinerja PNS',
      actor: 'bkpp',
      action: 'receive',
      requires: [],
      kelengkapanText: 'Laporan SKP',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: '- Hasil Kinerja, - Monitoring dan evaluasi',
    },
  ],
});
