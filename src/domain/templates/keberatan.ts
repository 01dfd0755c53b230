// Keberatan (objection) to a periodic or annual performance result, PP 30/2019 ps. 59 (domain.md §10). Not from a seed SOP:
// the regulation's own steps, as data like the seed templates.
//
// The case's subject is the objecting ASN; its period is the period of the result objected to ('2026-03', or '2026' for the annual evaluation), so one
// objection per result. The atasan of the pejabat penilai (APP, atasan_atasan of the subject, or their Plh) handles
// it:
//   1  the ASN states the reasons (at least 20 characters) and may attach evidence (the bukti dukung checks);
//   2  the APP asks the pejabat penilai for an explanation (a tap);
//   3  the pejabat penilai types the explanation (its own SLA, 3 working days);
//   4  the APP, having read both, decides: the ratings stay or new ones are set (the predikat follows the matrix).
//      The decision is final. Its SLA is the deployment's keberatan.decisionSla.
import { DOCUMENT_FILES, defineProcedure, parseWaktu, WORKING_DAY_MINUTES } from '../procedure.js';

export const KEBERATAN_PROCEDURE = 'keberatan';
/** PP 30/2019 ps. 59: at the latest 14 days after receiving the result. Calendar days. */
export const KEBERATAN_WINDOW_DAYS = 14;
export const MIN_KEBERATAN_REASON_LENGTH = 20;

export const keberatan = defineProcedure({
  code: KEBERATAN_PROCEDURE,
  title: 'Keberatan atas Hasil Penilaian Kinerja',
  source: {
    file: 'PP 30/2019 pasal 59 (docs/domain.md §10)',
    sopNumber: null,
    issuer: 'Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil',
  },
  legalBasis: ['Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil, pasal 59'],
  periodKind: 'one_off',
  purpose: 'keberatan',
  steps: [
    {
      no: 1,
      uraian: 'Mengajukan keberatan atas hasil penilaian kinerja beserta alasannya',
      actor: 'subject',
      action: 'submit',
      requires: [
        { kind: 'text', key: 'alasan', label: 'Alasan keberatan', minLength: MIN_KEBERATAN_REASON_LENGTH },
        { kind: 'files', key: 'buktiKeberatan', label: 'Bukti pendukung keberatan', ...DOCUMENT_FILES, optional: true },
      ],
      kelengkapanText: 'Hasil penilaian kinerja dan alasan keberatan',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'Keberatan yang diajukan',
    },
    {
      no: 2,
      uraian: 'Meminta penjelasan pejabat penilai kinerja atas keberatan',
      actor: 'atasan_atasan',
      action: 'submit',
      requires: [{ kind: 'confirm' }],
      kelengkapanText: 'Keberatan yang diajukan',
      timeStandardMinutes: parseWaktu('10 menit'),
      output: 'Permintaan penjelasan',
    },
    {
      no: 3,
      uraian: 'Memberikan penjelasan atas keberatan',
      actor: 'atasan',
      action: 'submit',
      requires: [{ kind: 'text', key: 'penjelasan', label: 'Penjelasan pejabat penilai', minLength: 10 }],
      kelengkapanText: 'Keberatan yang diajukan',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Penjelasan pejabat penilai',
      sla: { minutes: 3 * WORKING_DAY_MINUTES, workingTime: true },
    },
    {
      no: 4,
      uraian: 'Memutuskan keberatan: menetapkan tetap atau mengubah hasil penilaian (bersifat final)',
      actor: 'atasan_atasan',
      action: 'rate',
      requires: [{ kind: 'rating' }],
      kelengkapanText: 'Keberatan dan penjelasan pejabat penilai',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Keputusan atas keberatan',
      returnTo: 3,
    },
  ],
});
