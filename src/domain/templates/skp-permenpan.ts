// The annual SKP as PermenPANRB 6/2022 sets it (domain.md §4, §9 question 1): the pegawai drafts the RHK and the
// pejabat penilai (the atasan langsung) establishes (menetapkan) the SKP. The atasan pejabat penilai takes part
// only in a keberatan, so the chain has two steps. The product's default for new deployments; the seed SOPs stay
// selectable in the deployment config.
//   1  subject submit: RHK with indikator and target, from the Perjanjian Kinerja / the atasan's RHK
//   2  atasan establish: review in a dialog kinerja, then establish or return with a reason (back to 1)
import { defineProcedure, parseWaktu } from '../procedure.js';

export const skpPermenpan = defineProcedure({
  code: 'skp-permenpan',
  title: 'Penetapan SKP tahunan (PermenPANRB 6/2022)',
  source: {
    file: 'PermenPANRB 6/2022',
    sopNumber: null,
    issuer: 'Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi',
  },
  legalBasis: [
    'PP Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil',
    'Permenpan RB Nomor 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN',
  ],
  periodKind: 'annual',
  purpose: 'skp_annual',
  steps: [
    {
      no: 1,
      uraian: 'Pegawai menyusun Rencana Hasil Kerja beserta indikator dan target, lalu mengajukannya kepada pejabat penilai',
      actor: 'subject',
      action: 'submit',
      requires: [{ kind: 'rhk_list' }],
      kelengkapanText: 'Perjanjian Kinerja atau RHK atasan',
      timeStandardMinutes: parseWaktu('1 Jam'),
      output: 'Rancangan SKP',
    },
    {
      no: 2,
      uraian: 'Pejabat penilai mereviu rancangan SKP dalam dialog kinerja, lalu menetapkan SKP',
      actor: 'atasan',
      action: 'establish',
      requires: [],
      kelengkapanText: 'Rancangan SKP',
      timeStandardMinutes: parseWaktu('30 menit'),
      output: 'SKP yang ditetapkan',
      returnTo: 1,
    },
  ],
});
