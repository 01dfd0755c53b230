// The annual evaluation ("Evaluasi Kinerja Tahunan", period AKHIR) after PermenPANRB 6/2022 (domain.md §10).
//
// No seed SOP covers the year's close: the steps follow the regulation. The pejabat penilai rates the whole year
// (hasil kerja and perilaku, the same scales as a period), shown the year's periodic predikat and realisation; the
// predikat follows the matrix; the employee receives it. There is no submit step: the case opens on the rating,
// for each employee whose SKP of the year was established (job `annual-evaluation-open`).
//   1  atasan rate: rating hasil kerja and perilaku kerja of the year, umpan balik, catatan/rekomendasi
//   2  subject acknowledge: the pegawai receives the Dokumen Evaluasi Kinerja Pegawai (AKHIR)
import { defineProcedure, parseWaktu, WORKING_DAY_MINUTES } from '../procedure.js';

export const EVALUASI_TAHUNAN_CODE = 'evaluasi-tahunan';

export const evaluasiTahunan = defineProcedure({
  code: EVALUASI_TAHUNAN_CODE,
  title: 'Evaluasi Kinerja Tahunan',
  source: {
    file: 'PermenPANRB 6/2022, Anak Lampiran 4',
    sopNumber: null,
    issuer: 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi',
  },
  legalBasis: [
    'PP Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil',
    'Permenpan RB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN',
    'SE Menteri PANRB Nomor 3 Tahun 2023 tentang Tahapan Evaluasi Kinerja',
  ],
  periodKind: 'annual',
  purpose: 'annual_evaluation',
  steps: [
    {
      no: 1,
      uraian: 'Pejabat penilai mengevaluasi kinerja pegawai selama satu tahun: rating hasil kerja, rating perilaku kerja dan predikat',
      actor: 'atasan',
      action: 'rate',
      requires: [{ kind: 'rating' }],
      kelengkapanText: 'SKP yang telah ditetapkan, hasil evaluasi periodik dan realisasi satu tahun',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Dokumen Evaluasi Kinerja Pegawai (AKHIR)',
      // The year's evaluation is due within January (annual.evaluationDeadline): about three working weeks, not the
      // one working day of a periodic step. Deployments override it with procedures.sla.evaluasi-tahunan.
      sla: { minutes: 15 * WORKING_DAY_MINUTES, workingTime: true },
    },
    {
      no: 2,
      uraian: 'Pegawai menerima hasil evaluasi kinerja tahunan',
      actor: 'subject',
      action: 'acknowledge',
      requires: [],
      kelengkapanText: 'Dokumen Evaluasi Kinerja Pegawai (AKHIR)',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Hasil evaluasi tahunan diterima',
      keterangan: 'Predikat tahunan menjadi dasar kenaikan pangkat, angka kredit jabatan fungsional dan penghargaan',
    },
  ],
});
