// The words every surface uses for the same things: SKP states, indicator aspects, steps and their actors. The
// chat, the documents, the exports and the Mini App's page (bundled for the browser) all read them from here, so
// they cannot drift apart. Pure data: the page imports it too.
import type { StepAction, StepActor } from './procedure.js';
import type { Aspek } from './skp-rules.js';

export const SKP_STATES = ['not_started', 'draft', 'submitted', 'returned', 'approved', 'established', 'forwarded', 'received', 'cancelled'] as const;
export type SkpState = (typeof SKP_STATES)[number];

export const SKP_STATE_LABELS: Record<SkpState, string> = {
  not_started: 'Belum mulai',
  draft: 'Draf',
  submitted: 'Diajukan',
  returned: 'Dikembalikan',
  approved: 'Disetujui',
  established: 'Ditetapkan',
  forwarded: 'Diteruskan',
  received: 'Diterima BKPP',
  cancelled: 'Dibatalkan',
};

export const ASPEK_LABELS: Record<Aspek, string> = { kuantitas: 'Kuantitas', kualitas: 'Kualitas', waktu: 'Waktu', biaya: 'Biaya' };

/** What a step is, as a noun: "Verifikasi" (recaps: "Verifikasi pejabat penilai"). */
export const STEP_NOUNS: Record<StepAction, string> = {
  submit: 'Pengajuan',
  verify: 'Verifikasi',
  establish: 'Penetapan',
  rate: 'Penilaian',
  sign: 'Penandatanganan',
  acknowledge: 'Tanda terima',
  collect: 'Penghimpunan',
  receive: 'Penerimaan',
  print: 'Pencetakan',
  archive: 'Pengarsipan',
};

/** What the person did at a step, as a verb phrase: the documents' history ("Memverifikasi dan menyetujui"). */
export const STEP_VERBS: Record<StepAction, string> = {
  submit: 'Mengajukan',
  verify: 'Memverifikasi dan menyetujui',
  establish: 'Menyetujui dan menetapkan',
  rate: 'Menilai hasil kerja dan perilaku kerja',
  sign: 'Menandatangani',
  acknowledge: 'Menerima hasil penilaian',
  collect: 'Menghimpun dan meneruskan ke BKPP',
  receive: 'Menerima',
  print: 'Mencetak',
  archive: 'Mengarsipkan',
};

export const ACTOR_LABELS: Record<StepActor, string> = {
  subject: 'pegawai',
  atasan: 'pejabat penilai',
  atasan_atasan: 'atasan pejabat penilai',
  pengelola: 'pengelola kepegawaian',
  kepala_unit: 'kepala perangkat daerah',
  bkpp: 'BKPP',
};

/** A case's status (cases.status) as the Mini App shows it. */
export const CASE_STATUS_LABELS: Record<'active' | 'returned' | 'completed' | 'cancelled', string> = {
  active: 'Sedang berjalan',
  returned: 'Dikembalikan untuk diperbaiki',
  completed: 'Selesai',
  cancelled: 'Dibatalkan',
};

/** What a case event did (case_events.action), in case logs: "— dimulai", "— dikembalikan". */
export const EVENT_LABELS: Record<string, string> = {
  start: 'dimulai',
  complete: 'selesai',
  return: 'dikembalikan',
  resubmit: 'diajukan ulang',
  cancel: 'dibatalkan',
  reassign: 'pemegang diganti',
  manual_reminder: 'pengingat manual',
  keberatan_decided: 'keputusan keberatan',
};
