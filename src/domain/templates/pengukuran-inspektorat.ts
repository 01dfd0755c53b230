// Performance measurement of Inspektorat Kabupaten Balangan (seed 003_d35137535da3feb2.txt, SOP 700/418/2023).
//
// The seed's Pelaksana columns are Atasan Langsung, Irban Wil, Kasubbag Umum dan Kepegawaian and JFT/JFU.
// Only two marks survived the export: "MULAI" under JFT/JFU on step 1 and a box under Kasubbag on step 2
// (counted by tab position). The rest is inferred:
//   1    JFT/JFU (the employee being measured) collects performance data against the targets: subject submit
//        with the month's realisation.
//   2    The Kasubbag Umum dan Kepegawaian (the unit's pengelola) checks it: pengelola verify, returning to 1.
//   3    "Pengetikan/penginputan": typing the checked form into the system is clerical work following the
//        check, so it stays with the pengelola; modelled as a pengelola submit that attests the entry (confirm).
//   4    "Memvalidasi hasil inputan / memberikan penilaian": scoring is the atasan's (for an auditor the Irban
//        Wilayah is the atasan langsung, which is why the seed has an Irban Wil column): atasan rate. A return
//        goes to step 1 (the default), since doubts about a score are about the employee's data; steps 2–3
//        are then repeated.
//   5    The atasan signs the measurement document (sign).
//   6    "Penggandaan" (copying) and 7 filing in a box file are clerical: pengelola print and archive.
// The seed states no cadence; it is run monthly like the other seeds' assessments (domain.md §4, §9.2).
import { defineProcedure, parseWaktu } from '../procedure.js';

export const pengukuranInspektorat = defineProcedure({
  code: 'pengukuran-inspektorat',
  title: 'Pelaksanaan Pengukuran Kinerja/Penilaian SKP',
  source: {
    file: '003_d35137535da3feb2.txt',
    sopNumber: '700/418/2023',
    issuer: 'Inspektorat Kabupaten Balangan',
  },
  legalBasis: [
    'Undang-Undang Republik Indonesia Nomor 23 Tahun 2014 tentang Pemerintahan Daerah',
    'Peraturan Pemerintah Republik Indonesia Nomor 12 Tahun 2019 Tentang Pengelolaan Keuangan Daerah',
    'Peraturan Menteri Dalam Negeri Nomor 52 Tahun 2011 tentang Standar Operasional Prosedur Di Lingkungan Pemerintahan Provinsi dan Kabupaten/Kota',
    'Permendagri No. 73 tahun 2009 tentang tata cara pelaksanaan evaluasi kinerja penyelenggaraan pemerintahan daerah',
    'Peraturan Pemerintah Nomor 46 Tahun 2011 tentang Penilaian Prestasi Kerja Pegawai Negeri Sipil',
    'Peraturan Kepala Badan Kepegawaian Negara Nomor 1 Tahun 2013 Tentang Ketentuan Pelaksanaan Peraturan Pemerintah Nomor 46 Tahun 2011 Tentang Penilaian Prestasi Kerja Pegawai Negeri Sipil',
    'Peraturan Menteri Dalam Negeri Republik Indonesia Nomor 86 Tahun 2017 Tentang Tata Cara Perencanaan, Pengendalian Dan Evaluasi Pembangunan Daerah, Tata Cara Evaluasi Rancangan Peraturan Daerah Tentang Rencana Pembangunan Jangka Panjang Daerah Dan Rencana Pembangunan Jangka Menengah Daerah, Serta Tata Cara Perubahan Rencana Pembangunan',
  ],
  periodKind: 'monthly',
  purpose: 'performance_measurement',
  steps: [
    {
      no: 1,
      uraian: 'Mengumpulkan data kinerja atas target yang telah ditetapkan',
      actor: 'subject',
      action: 'submit',
      requires: [{ kind: 'realisasi' }, { kind: 'document', label: 'Formulir kinerja' }],
      kelengkapanText: 'Formulir kinerja',
      timeStandardMinutes: parseWaktu('2 Jam'),
      output: 'Formulir kinerja',
    },
    {
      no: 2,
      uraian: 'Memeriksa dan mengecek data kinerja pegawai',
      actor: 'pengelola',
      action: 'verify',
      requires: [],
      kelengkapanText: 'Formulir kinerja',
      timeStandardMinutes: parseWaktu('2 Jam'),
      output: 'Formulir kinerja yang telah diperiksa',
      returnTo: 1,
    },
    {
      no: 3,
      uraian: 'Pengetikan/penginputan kinerja atas penilaian sasaran kinerja pegawai',
      actor: 'pengelola',
      action: 'submit',
      requires: [{ kind: 'confirm' }, { kind: 'document', label: 'Formulir kinerja' }],
      kelengkapanText: 'Formulir kinerja; Komputer/Laptop',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Formulir kinerja yang telah diisi',
    },
    {
      no: 4,
      uraian: 'Memvalidasi hasil inputan / memberikan penilaian atas kinerja pegawai',
      actor: 'atasan',
      action: 'rate',
      requires: [{ kind: 'rating' }],
      kelengkapanText: 'Formulir kinerja',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Formulir kinerja',
      returnTo: 1,
    },
    {
      no: 5,
      uraian: 'Menandatangani pengukuran kinerja pegawai yang telah disetujui dokumen penilaian',
      actor: 'atasan',
      action: 'sign',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Dokumen pengukuran kinerja',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Dokumen pengukuran kinerja yang telah ditanda tangani',
    },
    {
      no: 6,
      uraian: 'Penggandaan Dokumen Pengukuran Kinerja',
      actor: 'pengelola',
      action: 'print',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Dokumen pengukuran kinerja',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Dokumen pengukuran kinerja',
    },
    {
      no: 7,
      uraian: 'Pengarsipan Dokumen Pengukuran kinerja atas penilaian kinerja pegawai',
      actor: 'pengelola',
      action: 'archive',
      requires: [{ kind: 'confirm' }, { kind: 'document', label: 'Box file' }],
      kelengkapanText: 'Dokumen pengukuran kinerja; Box file',
      timeStandardMinutes: parseWaktu('15 Menit'),
      output: 'Tersimpannya dokumen pengukuran kinerja',
    },
  ],
});
