// Performance assessment of Kesbangpol Kota Tangerang (seed 002_25ca2807bd7d5dc5.txt, SOP 1246 Tahun 2025): two procedures.
//
// The seed mixes a yearly part (steps 1–2: the RHK for the year and the dialog kinerja on it) with a monthly
// part (steps 3–7: realisation, assessment, signature, delivery, archive). A case covers one period, so each
// part is its own procedure; step numbers stay the seed's (the monthly one starts at 3). The seed's total of
// "3 Hari 2 Jam 35 Menit" is the sum of both parts.
//
// skp-tangerang (annual):
//   1    The pegawai drafts the year's RHK from the Perjanjian Kinerja and sends it to the atasan (submit).
//        The uraian also mentions "realisasi pencapaian kinerja"; realisation is reported monthly (step 3).
//   2    "Atasan langsung melakukan reviu / dialog kinerja … Rencana aksi tahunan pegawai yang disetujui
//        pimpinan": the atasan reviews the RHK in a dialog kinerja and approves it, which is the approval step
//        1's keterangan demands ("harus disetujui atasan"). Modelled as one `establish` step, not as a separate
//        verify ("1b") plus an acknowledge: step numbers are integers stored with the case, there is no number
//        between 1 and 2, and the seed's own output of step 2 is the approved plan. `establish` (not acknowledge)
//        because the outcome sets the year's plan and the atasan must be able to send it back (returns to 1).
//        Notes from the dialog are an optional text so an atasan between meetings can approve in one tap.
//
// bulanan-tangerang (monthly):
//   3    The pegawai submits the month's realisation with bukti dukung (submit, realisasi).
//   4    The atasan rates hasil kerja and perilaku, checking that the evidence is relevant (rate); a return goes
//        back to step 3.
//   5    The atasan signs the report (sign).
//   6    Seed: the atasan delivers the signed report to the ASN; output "… diterima". In the bot delivery is
//        automatic, so the step is the ASN tapping "Terima" (subject acknowledge).
//   7    Archive, physical and digital. The seed's actor mark is lost (its columns are Pegawai and Atasan
//        langsung). The ASN holds the signed report after step 6 and the digital copy is kept by the system, so
//        the step is the ASN's (subject archive); this also keeps the atasan's monthly load to steps 4–5.
import { defineProcedure, parseWaktu } from '../procedure.js';

const source = {
  file: '002_25ca2807bd7d5dc5.txt',
  sopNumber: '1246 Tahun 2025',
  issuer: 'Badan Kesatuan Bangsa dan Politik Kota Tangerang',
};

const legalBasis = [
  'UU No. 20 Tahun 2023 tentang ASN',
  'PP Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil',
  'Permenpan RB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN',
  'Peraturan Kepala BKN Nomor 3 Tahun 2023 tentang Petunjuk Teknis Penilaian Kinerja PNS',
  'Peraturan Wali Kota Tangerang nomor 52 Tahun 2015 Tentang Pedoman Penilaian Prestasi Kerja Pegawai dan Pemberian Tunjangan Tambahan Penghasilan di Lingkungan Pemerintah Kota Tangerang',
];

export const skpTangerang = defineProcedure({
  code: 'skp-tangerang',
  title: 'Penilaian Kinerja ASN: Rencana Hasil Kerja tahunan',
  source,
  legalBasis,
  periodKind: 'annual',
  purpose: 'skp_annual',
  steps: [
    {
      no: 1,
      uraian: 'Membuat RHK tahunan dan realisasi pencapaian kinerja kepada atasan langsung',
      actor: 'subject',
      action: 'submit',
      requires: [{ kind: 'rhk_list' }, { kind: 'document', label: 'Perjanjian Kinerja' }],
      kelengkapanText: 'Perjanjian Kinerja',
      timeStandardMinutes: parseWaktu('3 Hari'),
      output: 'Rencana Hasil Kerja',
      keterangan:
        'Dilakukan di awal tahun, harus disetujui atasan dan diinput pada e-kinerja bkn. ASN menyampaikan capaian SKP',
    },
    {
      no: 2,
      uraian: 'Atasan langsung melakukan reviu / dialog kinerja terhadap target rencana aksi tahunan pegawai',
      actor: 'atasan',
      action: 'establish',
      requires: [{ kind: 'text', key: 'catatanDialog', label: 'Catatan dialog kinerja', optional: true }],
      kelengkapanText: 'Rencana Hasil Kerja',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Rencana aksi tahunan pegawai yang disetujui pimpinan',
      returnTo: 1,
    },
  ],
});

export const bulananTangerang = defineProcedure({
  code: 'bulanan-tangerang',
  title: 'Penilaian Kinerja ASN: SKP bulanan',
  source,
  legalBasis,
  periodKind: 'monthly',
  purpose: 'monthly_assessment',
  steps: [
    {
      no: 3,
      uraian:
        'Mengajukan SKP bulanan yang telah diisi sesuai dengan pekerjaan yang telah dilakukan selama satu bulan penuh',
      actor: 'subject',
      action: 'submit',
      requires: [{ kind: 'realisasi' }],
      kelengkapanText: 'Draft SKP Bulanan',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'SKP Bulanan yang telah diajukan',
    },
    {
      no: 4,
      uraian: 'Penilaian kinerja bulanan berdasarkan hasil kerja dan perilaku kerja',
      actor: 'atasan',
      action: 'rate',
      requires: [{ kind: 'rating' }],
      kelengkapanText: '1. SKP yang telah diajukan 2. Bukti dukung realisasi kinerja',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'Draf Penilaian',
      keterangan:
        'Atasan melakukan penilaian capaian kinerja dan perilaku meliputi pemeriksaan data dan kelengkapan dokumen dalam aplikasi Kinerja BKN dan evidence yang dilampirkan, evidence harus relevan dengan kinerja yang dikerjakan',
      returnTo: 3,
    },
    {
      no: 5,
      uraian: 'Menandatangani laporan hasil kinerja',
      actor: 'atasan',
      action: 'sign',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Draf Penilaian',
      timeStandardMinutes: parseWaktu('30 Menit'),
      output: 'Laporan SKP yang sudah ditandatangani',
    },
    {
      no: 6,
      uraian: 'Menyampaikan laporan hasil kinerja kepada ASN yang bersangkutan',
      actor: 'subject',
      action: 'acknowledge',
      requires: [],
      kelengkapanText: 'Laporan SKP yang sudah ditandatangani',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Laporan SKP yang sudah ditandatangani diterima',
      keterangan:
        'ASN menerima hasil penilaian untuk dasar perencanaan kinerja tahun berikutnya. Hasil penilaian digunakan untuk dasar: kenaikan pangkat, promosi, tunjangan, pelatihan, atau pembinaan',
    },
    {
      no: 7,
      uraian: 'Mengarsipkan dokumen SKP bulanan baik secara manual (fisik) maupun digital',
      actor: 'subject',
      action: 'archive',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Laporan SKP yang sudah ditandatangani',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Arsip',
    },
  ],
});
