// Annual SKP in BKPPD Kabupaten Balangan's own e-Kinerja (seed 001_4988d899d366598e.txt, SOP 023/BKPPD-BLG/II/2020).
//
// The seed has two actor columns (ASN, Atasan Penilai = atasan langsung) and numbers its steps 1, 2, 4, 5, 6, 7:
// there is no step 3 in the seed, and the numbers here stay the seed's.
// Inferences:
//   1    Seed steps 1 (ASN fills the annual targets, 60 min) and 2 (ASN sends them to the atasan, 15 min) are one
//        step here: in the bot, filling the RHK list is a draft conversation kept in Postgres, and the step is
//        done when the ASN taps "Ajukan". Two subject steps in a row would make the ASN confirm twice, and after
//        every return twice again. The merged step keeps number 1 and the sum of both times (75 min).
//        "Cascading Top Down" (the atasan's SKP comes first) is checked by the use case, which sees both SKPs.
//   4    The atasan approves (the SKP becomes the year's target) or sends it back for correction: verify,
//        returning to step 1.
//   5    The ASN prints the approved SKP (print).
//   6    The ASN hands the printout over and the atasan signs it ("ditandatangani (disahkan)"): sign by the atasan.
//   7    "diarsipkan oleh Atasan Langsung dan ASN yang bersangkutan": both keep a copy. The step is the
//        atasan's, since the ASN already confirmed having the printout at step 5 and the signed original ends
//        with the atasan; the ASN's own copy is not tracked.
import { defineProcedure, parseWaktu } from '../procedure.js';

export const skpBalangan = defineProcedure({
  code: 'skp-balangan',
  title: 'Penyusunan Sasaran Kerja Pegawai (SKP) Tahunan pada Aplikasi e-Kinerja',
  source: {
    file: '001_4988d899d366598e.txt',
    sopNumber: '023/BKPPD-BLG/II/2020',
    issuer: 'Badan Kepegawaian Pendidikan dan Pelatihan Daerah Kabupaten Balangan',
  },
  legalBasis: [
    'Undang-undang Nomor 5 Tahun 2014 tentang Aparatur Sipil Negara',
    'Peraturan Pemerintah Nomor 46 Tahun 2011 tentang Penilaian Prestasi Kerja PNS',
    'Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Sasaran Kinerja Pegawai',
    'Peraturan Kepala BKN Nomor 1 Tahun 2013 tentang Petunjuk Teknis Penilaian Prestasi Kerja PNS',
    'Peraturan Bupati Balangan Nomor 9 Tahun 2020 tentang Tambahan Penghasilan Pegawai Aparatur Sipil Negara',
  ],
  periodKind: 'annual',
  purpose: 'skp_annual',
  steps: [
    {
      no: 1,
      uraian:
        'ASN mengisi target Sasaran Kerja Pegawai Tahunan pada Aplikasi e-Kinerja sesuai dengan periode tahunannya, lalu menyampaikan Target SKP Tahunan untuk diverifikasi Atasan Langsungnya (Cascading Top Down)',
      actor: 'subject',
      action: 'submit',
      requires: [{ kind: 'rhk_list' }, { kind: 'document', label: 'Rencana Kerja' }],
      kelengkapanText: 'Rencana Kerja; Data SKP',
      timeStandardMinutes: parseWaktu('60 menit') + parseWaktu('15 menit'),
      output: 'Data Aplikasi e-Kinerja',
    },
    {
      no: 4,
      uraian:
        'Atasan Langsung menyampaikan hasil verifikasi SKP Tahunan kepada ASN yang bersangkutan, jika disetujui maka langsung menjadi target pekerjaan yang harus dicapai dalam setahun jika tidak maka ASN yang bersangkutan harus melakukan perbaikan sesuai dengan hasil verifikasinya',
      actor: 'atasan',
      action: 'verify',
      requires: [],
      kelengkapanText: 'Data SKP',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'Data Aplikasi e-Kinerja',
      returnTo: 1,
    },
    {
      no: 5,
      uraian:
        'Apabila telah diverifikasi dan disetujui oleh Atasan Langsungnya maka ASN yang bersangkutan mencetak SKP Tahunannya',
      actor: 'subject',
      action: 'print',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Data SKP',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Hasil cetak SKP Tahunan',
    },
    {
      no: 6,
      uraian:
        'ASN menyampaikan hasil cetak SKP Tahunan untuk ditandatangani (disahkan) oleh Atasan Langsungnya',
      actor: 'atasan',
      action: 'sign',
      requires: [{ kind: 'confirm' }, { kind: 'document', label: 'Berkas Cetak SKP Tahunan' }],
      kelengkapanText: 'Berkas Cetak SKP Tahunan',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Hasil cetak SKP Tahunan',
    },
    {
      no: 7,
      uraian:
        'Hasil cetak SKP Tahunan yang telah dilegalisasi diarsipkan oleh Atasan Langsung dan ASN yang bersangkutan',
      actor: 'atasan',
      action: 'archive',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'SKP Tahunan',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Arsip SKP Tahunan',
    },
  ],
});
