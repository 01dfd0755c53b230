// Every word the page shows, in Bahasa Indonesia.
import type { DraftProblem, FieldProblem } from '../../domain/skp-rules.ts';
import { ASPEK_LABELS as ASPEK, CASE_STATUS_LABELS as CASE_STATUS, EVENT_LABELS as EVENTS, SKP_STATE_LABELS as SKP_STATES } from '../../domain/vocabulary.ts';

// Shared with the chat, the documents and the exports (pure data, bundled into the page); keyed here by the plain
// strings the API sends.
export const ASPEK_LABELS: Record<string, string> = ASPEK;
export const SKP_STATE_LABELS: Record<string, string> = SKP_STATES;

export const RATING_OPTIONS = [
  { value: 'di_atas', label: 'Di atas ekspektasi' },
  { value: 'sesuai', label: 'Sesuai ekspektasi' },
  { value: 'di_bawah', label: 'Di bawah ekspektasi' },
];
export const STATUS_LABELS: Record<string, string> = CASE_STATUS;
export const EVENT_LABELS: Record<string, string> = EVENTS;

export const t = {
  home: 'Beranda',
  back: '← Kembali',
  mySkp: '🗂️ SKP saya',
  tasks: '📥 Tugas saya',
  dashboard: '📊 Dasbor',
  greeting: (nama: string) => `Selamat datang, Bapak/Ibu ${nama}`,
  skpTitle: (year: string) => `SKP Tahun ${year}`,
  rhkNo: (n: number) => `RHK ${n}`,
  rhkText: 'Rencana hasil kerja',
  jenis: 'Jenis',
  utama: 'Utama',
  tambahan: 'Tambahan',
  choose: 'Pilih…',
  indikator: 'Indikator',
  aspek: 'Aspek',
  target: 'Target',
  addIndikator: '+ Tambah indikator',
  addRhk: '+ Tambah RHK',
  remove: 'Hapus',
  rhkAtasan: 'RHK atasan yang diintervensi',
  noRhkAtasan: '— Tidak ada / lewati —',
  saving: 'Menyimpan…',
  saved: 'Draf tersimpan',
  notSaved: 'Belum tersimpan',
  submit: 'Kirim ke atasan',
  submitted: 'SKP sudah dikirim. Atasan Bapak/Ibu menerima permintaan persetujuan di obrolan bot.',
  notEditable: 'SKP ini sedang diproses dan tidak dapat diubah saat ini.',
  returnedBy: (by: string | null, reason: string) => `Dikembalikan${by ? ` oleh ${by}` : ''}: “${reason}”`,
  status: 'Status',
  noTasks: 'Tidak ada tugas yang menunggu Bapak/Ibu. Terima kasih.',
  open: 'Buka',
  overdue: 'lewat batas waktu',
  realisasi: 'Realisasi',
  bukti: 'Bukti dukung',
  noBukti: '—',
  approve: '✅ Setujui',
  returnIt: '↩️ Kembalikan',
  returnReason: 'Alasan pengembalian',
  returnReasonHint: 'Tuliskan apa yang perlu diperbaiki',
  sendReturn: 'Kirim pengembalian',
  rate: 'Penilaian',
  hasilKerja: 'Hasil kerja',
  perilaku: 'Perilaku kerja',
  umpanBalik: 'Umpan balik (opsional)',
  sendRating: 'Simpan penilaian',
  done: 'Tersimpan. Pegawai menerima pemberitahuan di obrolan bot.',
  subject: 'Pegawai',
  step: 'Langkah',
  perangkatDaerah: 'Perangkat daerah',
  headcount: 'Pegawai',
  linked: 'Terhubung',
  established: 'SKP ditetapkan',
  late: 'Lewat SLA',
  distribution: 'Sebaran predikat',
  overdueList: 'Langkah lewat batas waktu',
  remind: 'Ingatkan',
  holder: 'Pemegang',
  history: 'Riwayat',
  notLinked: 'belum terhubung ke bot',
  myRealisasi: '📅 Realisasi',
  realisasiTitle: (period: string) => `Realisasi ${period}`,
  deadline: (when: string) => `Batas pengisian: ${when}`,
  skpDeadline: (when: string, today: boolean) => `Batas pengiriman kepada pejabat penilai: ${when}${today ? ' (hari ini)' : ''}.`,
  skpDeadlinePassed: (when: string) => `⚠️ Batas pengirimannya, ${when}, sudah lewat: mohon segera disusun dan dikirim kepada pejabat penilai.`,
  lateSend: '⚠️ Batas pengisian sudah lewat: realisasi tetap diterima, tetapi dicatat terlambat.',
  lateUnsent: (period: string, deadline: string) => `⚠️ Realisasi ${period} belum dikirim; batasnya, ${deadline}, sudah lewat.`,
  openLate: (period: string) => `Isi realisasi ${period}`,
  progress: (done: number, total: number) => `${done} dari ${total} RHK lengkap`,
  addFile: '+ Unggah bukti dukung (PDF, JPEG, PNG, DOCX, XLSX)',
  fileTooBig: (max: string) => `Berkas terlalu besar: paling besar ${max}.`,
  sendRealisasi: 'Kirim realisasi',
  realisasiSent: 'Realisasi sudah dikirim. Atasan Bapak/Ibu menerima permintaan penilaian di obrolan bot.',
  download: 'Unduh',
  close: 'Tutup',
  exportIt: '⬇️ Unduh ekspor (XLSX)',
  exporting: 'Menyiapkan berkas…',
  noData: 'Belum ada data.',
  loading: 'Memuat…',
  fileSize: (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`),
};

export function draftProblemText(p: DraftProblem): string {
  switch (p.problem) {
    case 'empty':
      return 'Belum ada RHK. Tambahkan paling sedikit satu RHK.';
    case 'no_utama':
      return 'Paling sedikit satu RHK harus berjenis Utama.';
    case 'no_jenis':
      return `RHK ${p.rhkNo}: pilih jenisnya (Utama atau Tambahan).`;
    case 'no_indikator':
      return `RHK ${p.rhkNo}: tambahkan paling sedikit satu indikator.`;
  }
}

export function fieldProblemText(p: FieldProblem): string {
  switch (p.field) {
    case 'rhkCount':
      return `Paling banyak ${p.max} RHK.`;
    case 'text':
      return p.problem === 'empty' ? 'Tuliskan rencana hasil kerjanya.' : `Terlalu panjang: paling banyak ${p.max} karakter.`;
    case 'indikatorCount':
      return `Paling banyak ${p.max} indikator per RHK.`;
    case 'aspek':
      return 'Pilih aspeknya.';
    case 'target':
      return p.problem === 'empty' ? 'Tuliskan targetnya.' : `Terlalu panjang: paling banyak ${p.max} karakter.`;
  }
}
