// Indonesian texts of scheduled work: monthly/annual reminders, digests, SLA reminders and escalations, /wakil, /jalankan.
// Glossary: Plh = pelaksana harian (substitute while an official is on leave); realisasi = monthly results report;
// SKP = annual performance plan; atasan = direct superior; pengelola = personnel officer of a perangkat daerah.
import type { DelegationView } from '../../app/delegation.js';
import type { DigestEntry, RatingEntry } from '../../app/reminders.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import type { DomainError } from '../../domain/errors.js';
import { formatDate, formatDateTime, formatMonth } from '../../domain/format.js';
import { formatNip } from '../../domain/nip.js';
import { periodKeyLabel, periodPhrase } from '../../domain/period.js';
import { realisasiCommand } from './monthly.js';
import { clipText, escapeHtml, fullStop } from './common.js';
import { caseCallback } from '../buttons/case.js';
import { reportCallbacks } from './reports.js';

/** 'Maret 2026' for '2026-03', 'Triwulan II 2026' for '2026-T2', 'tahun 2026' for '2026', the key itself otherwise. */
export function periodLabel(period: string): string {
  return /^\d{4}$/.test(period) ? `tahun ${period}` : periodKeyLabel(period);
}

function plhNote(onBehalfOf: string | null | undefined): string {
  return onBehalfOf ? `\n\n<i>Diteruskan kepada Bapak/Ibu sebagai Plh ${escapeHtml(onBehalfOf)}.</i>` : '';
}

const b = (text: string) => `<b>${escapeHtml(text)}</b>`;

// ---------------------------------------------------------------------------------------------------------
// Monthly and annual reminders

export const reminderTexts = {
  // Each names the period after /realisasi: read days later, a bare /realisasi may open the next period.
  monthlyOpen: (period: string, deadline: string, tz: AgencyTimeZone) =>
    `📝 <b>Pengisian realisasi kinerja ${periodPhrase(period)} sudah dibuka</b>\n\n` +
    `Yth. Bapak/Ibu, mohon mengisi realisasi kinerja ${periodPhrase(period)} beserta bukti dukungnya ` +
    `paling lambat ${b(formatDate(deadline, tz))}.\n\nKetik ${realisasiCommand(period)} untuk mulai.`,
  /** `today` past the deadline (a run by hand after it): the deadline is said to have passed. */
  monthlyReminder: (period: string, deadline: string, tz: AgencyTimeZone, today: string) =>
    today > deadline
      ? reminderTexts.monthlyPastDeadline(period, deadline, tz)
      : `⏰ <b>Pengingat realisasi ${periodPhrase(period)}</b>\n\n` +
        `Yth. Bapak/Ibu, realisasi kinerja ${periodPhrase(period)} belum kami terima. ` +
        `Batas pengisian: ${b(formatDate(deadline, tz))}.\n\nKetik ${realisasiCommand(period)} untuk mengisinya.`,
  /** On the deadline day "hari ini"; run by hand before it, the day itself; after it, the deadline has passed. */
  monthlyLastCall: (period: string, deadline: string, tz: AgencyTimeZone, today: string) => {
    if (today > deadline) return reminderTexts.monthlyPastDeadline(period, deadline, tz);
    const head =
      today === deadline
        ? `⚠️ <b>Hari ini batas terakhir realisasi ${periodPhrase(period)}</b> (${escapeHtml(formatDate(deadline, tz))})`
        : `⚠️ <b>Batas terakhir realisasi ${periodPhrase(period)}: ${escapeHtml(formatDate(deadline, tz))}</b>`;
    return (
      `${head}\n\nYth. Bapak/Ibu, realisasi kinerja ${periodPhrase(period)} belum kami terima. Ketik ${realisasiCommand(period)} sekarang; ` +
      `pengiriman setelah ${today === deadline ? 'hari ini' : 'tanggal itu'} tetap diterima tetapi dicatat terlambat.`
    );
  },
  monthlyPastDeadline: (period: string, deadline: string, tz: AgencyTimeZone) =>
    `⏰ <b>Realisasi ${periodPhrase(period)} belum kami terima</b>\n\n` +
    `Yth. Bapak/Ibu, batas pengisiannya, ${b(formatDate(deadline, tz))}, sudah lewat. Ketik ${realisasiCommand(period)} ` +
    'untuk mengisinya: realisasi tetap diterima, tetapi dicatat terlambat.',
  pengelolaDigest: (
    d: { perangkatDaerah: string; period: string; deadline: string; missingCount: number; unlinkedCount: number; listed: DigestEntry[] },
    tz: AgencyTimeZone,
    onBehalfOf?: string | null,
  ) => {
    const head = `📋 <b>Rekap realisasi ${periodPhrase(d.period)}: ${escapeHtml(d.perangkatDaerah)}</b>\nBatas pengisian: ${escapeHtml(formatDate(d.deadline, tz))}.`;
    if (d.missingCount === 0) {
      return `${head}\n\n✅ Semua pegawai sudah mengirim realisasi. Terima kasih.${plhNote(onBehalfOf)}`;
    }
    const lines = d.listed.map(
      (e, i) => `${i + 1}. ${escapeHtml(e.nama)} (${formatNip(e.nip)})${e.linked ? '' : ' · belum menautkan Telegram'}`,
    );
    const more = d.missingCount > d.listed.length ? `\n…dan ${d.missingCount - d.listed.length} pegawai lainnya.` : '';
    const unlinked = d.unlinkedCount > 0 ? ` (${d.unlinkedCount} di antaranya belum menautkan Telegram)` : '';
    return (
      `${head}\n\nBelum mengirim: <b>${d.missingCount}</b> pegawai${unlinked}:\n${lines.join('\n')}${more}\n\n` +
      `Mohon bantu mengingatkan mereka.${plhNote(onBehalfOf)}`
    );
  },
  atasanDigest: (d: { count: number; listed: RatingEntry[] }, tz: AgencyTimeZone, onBehalfOf?: string | null) => {
    const lines = d.listed.map(
      (e, i) => `${i + 1}. ${escapeHtml(e.nama)}: ${periodLabel(e.period)} (menunggu sejak ${escapeHtml(formatDate(new Date(e.since), tz))})`,
    );
    const more = d.count > d.listed.length ? `\n…dan ${d.count - d.listed.length} lainnya.` : '';
    return (
      `📋 <b>Penilaian yang menunggu Bapak/Ibu</b>\n\nAda <b>${d.count}</b> realisasi yang menunggu penilaian:\n` +
      `${lines.join('\n')}${more}\n\nKetik /tugas untuk menilai.${plhNote(onBehalfOf)}`
    );
  },
  annualOpen: (year: number, deadline: string, tz: AgencyTimeZone) =>
    `📢 <b>Segera buat SKP tahun ${year}</b>\n\n` +
    `Yth. Bapak/Ibu, penyusunan Sasaran Kinerja Pegawai (SKP) tahun ${year} sudah dimulai. Mohon susun SKP dan ` +
    `kirimkan kepada pejabat penilai paling lambat ${b(formatDate(deadline, tz))}.\n\nKetik /skp untuk mulai.`,
  /** `today` after the deadline (a run by hand after it): the deadline is said to have passed, not to be today. */
  annualReminder: (year: number, deadline: string, tz: AgencyTimeZone, today: string) => {
    // /skp builds the SKP of the year it is on the day the message is read; another year's is typed with it.
    const command = Number(today.slice(0, 4)) === year ? '/skp' : `<code>/skp ${year}</code>`;
    if (today > deadline) {
      return (
        `⏰ <b>SKP tahun ${year} belum dikirim</b>\n\n` +
        `Yth. Bapak/Ibu, batas penyusunannya, ${b(formatDate(deadline, tz))}, sudah lewat, dan SKP tahun ${year} Bapak/Ibu ` +
        `belum dikirim kepada pejabat penilai. Realisasi dan evaluasi kinerja tahunan memerlukan SKP yang sudah ditetapkan.\n\n` +
        `Ketik ${command} untuk menyusun dan mengirimnya.`
      );
    }
    const lastDay = today === deadline;
    return (
      (lastDay
        ? `⚠️ <b>Hari ini batas terakhir SKP tahun ${year}</b> (${escapeHtml(formatDate(deadline, tz))})\n\n`
        : `⏰ <b>Pengingat SKP tahun ${year}</b>\n\n`) +
      `Yth. Bapak/Ibu, SKP tahun ${year} Bapak/Ibu belum dikirim kepada pejabat penilai.` +
      (lastDay ? '' : ` Batas: ${b(formatDate(deadline, tz))}.`) +
      `\n\nKetik ${command} untuk menyusun dan mengirimnya.`
    );
  },
  holidaysMissing: (year: number) =>
    `⚠️ <b>Hari libur tahun ${year} belum ada di kalender kinerja-bot</b>\n\n` +
    `Yth. Bapak/Ibu admin BKPP, konfigurasi belum memuat hari libur nasional dan cuti bersama tahun ${year}. ` +
    'Sampai daftar itu ditambahkan, hanya hari libur bertanggal tetap (1 Januari, 1 Mei, 1 Juni, 17 Agustus, 25 Desember) ' +
    'yang dihitung libur; hari libur lain dan cuti bersama dihitung sebagai hari kerja dalam batas waktu, pengingat, dan SLA.\n\n' +
    `Mohon minta operator menambahkan daftar dari SKB 3 Menteri tahun ${year} ke <code>calendar.holidays</code> dan ` +
    '<code>calendar.cutiBersama</code> di berkas konfigurasi, lalu memulai ulang bot.',
};

// ---------------------------------------------------------------------------------------------------------
// SLA reminders and escalations

/** stand_in: told in place of someone who could not be reached (blocked the bot, never started it). */
export type SlaRecipientRole = 'assignee' | 'atasan_of_assignee' | 'pengelola' | 'bkpp' | 'stand_in';

export interface SlaMessage {
  pct: number;
  role: SlaRecipientRole;
  overdue: boolean;
  /** The recipient is the subject of the case (their own submission is late). */
  recipientIsSubject: boolean;
  subjectNama: string;
  assigneeNama: string | null;
  procedureTitle: string;
  period: string;
  stepNo: number;
  stepUraian: string;
  enteredAt: Date;
  dueAt: Date;
  waited: string;
  onBehalfOf: string | null;
  /** Name of the person this recipient stands in for (they could not be reached). */
  standInFor?: string | null;
  /** A step done in bulk: said of the backlog, once a day, from this case on (/kumpulkan, /rekap terlambat). */
  batch?: boolean;
}

const shorten = (text: string, max = 160): string => clipText(text, max);

/** 🔔 Ingatkan (the same reminder as in /rekap terlambat) and 📄 Rincian of the case, under an escalation. */
export function slaEscalationKeyboard(caseId: string, version: number): { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } {
  return {
    inline_keyboard: [
      [
        { text: '🔔 Ingatkan', callback_data: reportCallbacks.remind(caseId, version) },
        { text: '📄 Rincian', callback_data: caseCallback({ op: 'dt', caseId, version }) },
      ],
    ],
  };
}

export function slaText(m: SlaMessage, tz: AgencyTimeZone): string {
  const what = `Langkah ${m.stepNo}: <i>${escapeHtml(shorten(m.stepUraian))}</i>`;
  const context = `${escapeHtml(m.procedureTitle)}, ${escapeHtml(periodLabel(m.period))}`;
  const since = `sejak ${escapeHtml(formatDateTime(m.enteredAt, tz))} (${escapeHtml(m.waited)} waktu kerja)`;
  const due = escapeHtml(formatDateTime(m.dueAt, tz));
  if (m.batch) return slaBacklogText(m, what, due);
  if (m.role === 'assignee') {
    const subject = m.recipientIsSubject ? '' : ` untuk ${b(m.subjectNama)}`;
    const hint = m.recipientIsSubject ? 'Ketik /status untuk melihat pengajuan Bapak/Ibu.' : 'Ketik /tugas untuk melihat dan menindaklanjutinya.';
    if (m.overdue) {
      return (
        `⚠️ <b>Batas waktu terlewati</b>\n\n${what}${subject} (${context}) menunggu tindakan Bapak/Ibu ${since}.\n` +
        `Batas waktu ${due} sudah lewat. Mohon segera ditindaklanjuti.\n\n${hint}${plhNote(m.onBehalfOf)}`
      );
    }
    return (
      `⏰ <b>Pengingat</b>\n\n${what}${subject} (${context}) menunggu tindakan Bapak/Ibu ${since}.\n` +
      `Batas waktu: <b>${due}</b>.\n\n${hint}${plhNote(m.onBehalfOf)}`
    );
  }
  const as = recipientAs(m);
  const holder = m.assigneeNama ? `yang menjadi tugas ${b(m.assigneeNama)}` : 'yang belum memiliki pemegang tugas';
  return (
    `🔺 <b>${m.overdue ? 'Eskalasi: batas waktu terlewati' : 'Pengingat kepada pengganti'}</b>\n\nYth. Bapak/Ibu ${as}: ${what} untuk ${b(m.subjectNama)} (${context}) ` +
    `${holder} belum diselesaikan. Menunggu ${since}; batas waktu ${due}${m.overdue ? ' sudah lewat' : ''}.\n\n` +
    `Mohon bantu memastikan tugas ini segera ditindaklanjuti: tekan <b>🔔 Ingatkan</b> untuk mengingatkan pemegang tugas, ` +
    `atau <b>📄 Rincian</b> untuk melihat pengajuannya. Semua yang lewat batas waktu: <code>/rekap terlambat</code>.${plhNote(m.onBehalfOf)}`
  );
}

/** In what capacity someone other than the holder is told of a late step. */
function recipientAs(m: SlaMessage): string {
  if (m.role === 'stand_in') return `sebagai pengganti ${b(m.standInFor ?? 'penerima')}, yang tidak dapat dihubungi lewat Telegram (bot diblokir atau belum dibuka)`;
  if (m.role === 'atasan_of_assignee') return 'sebagai atasan langsung pemegang tugas';
  return m.role === 'pengelola' ? 'sebagai pengelola kepegawaian' : 'sebagai admin BKPP';
}

/** The SLA message of a step done in bulk: the holder's backlog, said once a day per point of the cadence. */
function slaBacklogText(m: SlaMessage, what: string, due: string): string {
  const late = m.overdue ? `sudah melewati batas waktunya (yang pertama ${due})` : `mendekati batas waktunya (yang pertama ${due})`;
  const once = 'Pemberitahuan ini dikirim sekali sehari untuk langkah ini.';
  if (m.role === 'assignee') {
    return (
      `${m.overdue ? '⚠️ <b>Batas waktu terlewati</b>' : '⏰ <b>Pengingat</b>'}\n\nPengajuan yang menunggu Bapak/Ibu pada ${what} ` +
      `(${escapeHtml(m.procedureTitle)}) ${late}, mulai dari <b>${fullStop(escapeHtml(m.subjectNama))}</b>\n\n` +
      `Ketik /kumpulkan untuk menyelesaikannya sekaligus. ${once}${plhNote(m.onBehalfOf)}`
    );
  }
  const holder = m.assigneeNama ? `yang menjadi tugas ${b(m.assigneeNama)}` : 'yang belum memiliki pemegang tugas';
  return (
    `🔺 <b>${m.overdue ? 'Eskalasi: batas waktu terlewati' : 'Pengingat kepada pengganti'}</b>\n\nYth. Bapak/Ibu ${recipientAs(m)}: pengajuan pada ${what} ` +
    `(${escapeHtml(m.procedureTitle)}) ${holder} ${late}, mulai dari <b>${fullStop(escapeHtml(m.subjectNama))}</b>\n\n` +
    `Semua yang lewat batas waktu: <code>/rekap terlambat</code>. ${once}${plhNote(m.onBehalfOf)}`
  );
}

// ---------------------------------------------------------------------------------------------------------
// /wakil (Plh while on leave)

function range(d: Pick<DelegationView, 'fromDate' | 'toDate'>, tz: AgencyTimeZone): string {
  return d.fromDate === d.toDate
    ? escapeHtml(formatDate(d.fromDate, tz))
    : `${escapeHtml(formatDate(d.fromDate, tz))} s.d. ${escapeHtml(formatDate(d.toDate, tz))}`;
}

/** 'DD-MM-YYYY' of a local date 'YYYY-MM-DD', as /wakil takes it. */
const dmy = (localDate: string) => localDate.split('-').reverse().join('-');
/** '15 Juni 2026' of a local date 'YYYY-MM-DD', as /wakil also reads it. */
const inWords = (localDate: string) => {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return `${d} ${formatMonth(y, m)}`;
};

export const wakilTexts = {
  formatMismatch: 'Format perintah belum sesuai.',
  /** `example`: dates ('YYYY-MM-DD') still ahead, so the example can be copied as it is. */
  usage: (example?: { from: string; to: string }) =>
    'Untuk menunjuk pengganti (Plh) selama Bapak/Ibu cuti atau dinas luar, ketik:\n' +
    '<code>/wakil NIP_PENGGANTI DD-MM-YYYY DD-MM-YYYY [alasan]</code>\n' +
    (example ? `Contoh: <code>/wakil 198410202009011003 ${dmy(example.from)} ${dmy(example.to)} cuti tahunan</code>\n` : '') +
    'Pengganti boleh ditulis dengan namanya, dan tanggal dengan kata, misalnya <code>/wakil Budi besok sampai jumat</code>' +
    (example ? ` atau <code>${inWords(example.from)}</code>` : '') +
    '.\n\n' +
    'Selama tanggal itu, tugas dan pengingat untuk Bapak/Ibu diteruskan kepada Plh.\n' +
    '<code>/wakil</code> menampilkan Plh yang berlaku; <code>/wakil batal</code> membatalkannya.',
  list: (given: DelegationView[], received: DelegationView[], tz: AgencyTimeZone) => {
    const parts: string[] = [];
    if (given.length === 0) parts.push('Bapak/Ibu belum menunjuk Plh untuk hari ini atau tanggal mendatang.');
    else {
      parts.push('<b>Plh yang Bapak/Ibu tunjuk:</b>');
      for (const d of given) {
        parts.push(`• ${b(d.substituteNama)} (${formatNip(d.substituteNip)}): ${range(d, tz)}${d.reason ? ` (${escapeHtml(d.reason)})` : ''}`);
      }
    }
    if (received.length > 0) {
      parts.push('', '<b>Bapak/Ibu menjadi Plh untuk:</b>');
      for (const d of received) parts.push(`• ${b(d.employeeNama)}: ${range(d, tz)}`);
    }
    parts.push('', 'Ketik <code>/wakil NIP DD-MM-YYYY DD-MM-YYYY [alasan]</code> untuk menunjuk Plh, atau <code>/wakil batal</code> untuk membatalkan.');
    return parts.join('\n');
  },
  created: (d: DelegationView, substituteLinked: boolean, tz: AgencyTimeZone) =>
    `✅ ${b(d.substituteNama)} (${formatNip(d.substituteNip)}) ditunjuk sebagai Plh Bapak/Ibu pada ${range(d, tz)}.` +
    (d.reason ? `\nAlasan: ${escapeHtml(d.reason)}` : '') +
    '\n\nSelama tanggal itu, pengingat dan eskalasi untuk Bapak/Ibu diteruskan kepada Plh.' +
    (substituteLinked
      ? ' Plh sudah kami beri tahu.'
      : '\n\nCatatan: Plh belum menautkan akun Telegram, sehingga belum dapat menerima pemberitahuan. Mohon minta beliau membuka bot ini.'),
  substituteNotice: (d: DelegationView, tz: AgencyTimeZone) =>
    `📌 Bapak/Ibu ditunjuk oleh ${b(d.employeeNama)} sebagai <b>Plh</b> pada ${range(d, tz)}.` +
    (d.reason ? `\nAlasan: ${escapeHtml(d.reason)}` : '') +
    '\n\nSelama tanggal itu, pengingat dan tugas beliau akan diteruskan kepada Bapak/Ibu.',
  cancelled: (list: DelegationView[], tz: AgencyTimeZone) =>
    `✅ Penunjukan Plh dibatalkan:\n${list.map((d) => `• ${b(d.substituteNama)}: ${range(d, tz)}`).join('\n')}`,
  substituteCancelledNotice: (d: DelegationView, tz: AgencyTimeZone) =>
    `ℹ️ Penunjukan Bapak/Ibu sebagai Plh ${b(d.employeeNama)} pada ${range(d, tz)} telah dibatalkan.`,
  nothingToCancel: 'Tidak ada penunjukan Plh yang dapat dibatalkan.',
  notAllowed:
    'Mohon maaf, penunjukan Plh hanya untuk atasan (pejabat penilai), pengelola kepegawaian, dan admin BKPP.',
};

/** The Indonesian answer for a refused /wakil; null for codes the shared error texts already cover. */
export function wakilErrorText(error: DomainError, tz: AgencyTimeZone): string | null {
  const d = error.details;
  switch (error.code) {
    case 'DELEGATION_USAGE':
      return `${wakilTexts.formatMismatch}\n\n${wakilTexts.usage()}`;
    case 'DATE_INVALID':
      return `Tanggal "${escapeHtml(String(d.value ?? ''))}" tidak valid. Tulis tanggal sebagai DD-MM-YYYY (tanggal-bulan-tahun), atau dengan kata seperti besok atau jumat.`;
    case 'DATE_ORDER':
      return 'Tanggal selesai tidak boleh sebelum tanggal mulai. Mohon periksa kembali urutan tanggalnya.';
    case 'DATE_PAST':
      return 'Rentang tanggal tersebut sudah lewat. Penunjukan Plh hanya untuk hari ini atau tanggal mendatang.';
    case 'RANGE_TOO_LONG':
      return 'Rentang tanggal terlalu panjang (maksimal satu tahun). Untuk perpindahan jabatan, hubungi admin BKPP agar data pegawai diperbarui.';
    case 'SUBSTITUTE_SELF':
      return 'Bapak/Ibu tidak dapat menunjuk diri sendiri sebagai Plh. Mohon tulis NIP pegawai lain.';
    case 'SUBSTITUTE_INACTIVE':
      return `${escapeHtml(String(d.nama ?? 'Pegawai tersebut'))} berstatus tidak aktif, sehingga tidak dapat ditunjuk sebagai Plh.`;
    case 'DELEGATION_OVERLAP':
      return (
        `Bapak/Ibu sudah menunjuk Plh untuk ${range({ fromDate: String(d.from), toDate: String(d.to) }, tz)}, ` +
        'yang beririsan dengan tanggal ini. Ketik <code>/wakil batal</code> terlebih dahulu bila ingin menggantinya.'
      );
    case 'SUBSTITUTE_ON_LEAVE':
      return (
        `${escapeHtml(String(d.nama ?? 'Pegawai tersebut'))} sendiri sedang diwakili Plh pada ` +
        `${range({ fromDate: String(d.from), toDate: String(d.to) }, tz)}. Mohon pilih pegawai lain.`
      );
    case 'DELEGATION_NOT_ALLOWED':
      return wakilTexts.notAllowed;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// /jalankan (operators run a scheduled job now)

export const JOB_DESCRIPTIONS: Record<string, string> = {
  'reminders-daily': 'Pemeriksaan harian: menjalankan pengingat yang jatuh pada tanggal itu',
  'monthly-open': 'Pengumuman pengisian realisasi periode lalu kepada semua pegawai',
  'monthly-reminder': 'Pengingat realisasi kepada yang belum mengirim',
  'monthly-deadline': 'Panggilan terakhir realisasi dan rekap untuk pengelola',
  'monthly-digest-atasan': 'Rekap penilaian yang menunggu untuk setiap atasan',
  'annual-open': 'Pengumuman "Segera buat SKP tahun ini" kepada semua pegawai',
  'annual-reminder': 'Pengingat SKP kepada yang belum mengirim',
  'annual-evaluation-open': 'Membuka evaluasi kinerja tahunan tahun lalu bagi pegawai yang SKP-nya sudah ditetapkan',
  'calendar-check': 'Memberi tahu admin BKPP bila hari libur tahun ini (atau, mulai Oktober, tahun depan) belum ada di konfigurasi',
  'sla-reconcile': 'Membangun ulang pengatur waktu SLA dari basis data',
  'broadcast-resume': 'Melanjutkan pengiriman pengumuman yang tertunda (misalnya setelah server dimulai ulang)',
  'archive-evidence': 'Mengunduh ulang bukti dukung yang belum tersimpan di arsip',
  outbox: 'Mengirim sekarang pemberitahuan yang sudah waktunya dikirim',
  'outbox-prune': 'Menghapus catatan pemberitahuan lama yang sudah terkirim',
  'reminder-log-prune': 'Menghapus catatan pengingat terkirim yang sudah lebih dari setahun',
};

/**
 * The names /jalankan shows and takes in the chat, in Indonesian; the job's own name (as `npm run jobs:run` and the
 * logs know it) is taken too.
 */
export const JOB_CHAT_NAMES: Record<string, string> = {
  'reminders-daily': 'pemeriksaan-harian',
  'monthly-open': 'buka-realisasi',
  'monthly-reminder': 'pengingat-realisasi',
  'monthly-deadline': 'batas-realisasi',
  'monthly-digest-atasan': 'rekap-atasan',
  'annual-open': 'buka-skp',
  'annual-reminder': 'pengingat-skp',
  'annual-evaluation-open': 'buka-evaluasi-tahunan',
  'calendar-check': 'periksa-hari-libur',
  'sla-reconcile': 'pulihkan-sla',
  'broadcast-resume': 'lanjutkan-pengumuman',
  'archive-evidence': 'arsipkan-bukti',
  outbox: 'kirim-pemberitahuan',
  'outbox-prune': 'bersihkan-pemberitahuan',
  'reminder-log-prune': 'bersihkan-catatan-pengingat',
};

/** The chat name of a job (its own name when it has none). */
export const jobChatName = (job: string) => JOB_CHAT_NAMES[job] ?? job;

export const jalankanTexts = {
  list: (names: string[]) =>
    '<b>Pekerjaan terjadwal yang dapat dijalankan sekarang</b>\n\n' +
    names.map((n) => `• <code>${escapeHtml(jobChatName(n))}</code>${JOB_DESCRIPTIONS[n] ? `: ${escapeHtml(JOB_DESCRIPTIONS[n]!)}` : ''}`).join('\n') +
    '\n\nKetik <code>/jalankan NAMA</code>, atau <code>/jalankan NAMA DD-MM-YYYY</code> untuk menjalankannya seolah-olah pada tanggal itu ' +
    '(<code>YYYY-MM</code>, <code>YYYY-T2</code> atau <code>YYYY-S1</code> memilih periode realisasi), misalnya <code>/jalankan buka-realisasi 01-04-2026</code>.',
  running: (job: string) => `⏳ Menjalankan <code>${escapeHtml(jobChatName(job))}</code>…`,
  done: (job: string, result: string) => `✅ <code>${escapeHtml(jobChatName(job))}</code> selesai.\n\n${escapeHtml(result)}`,
  failed: (job: string) => `❌ <code>${escapeHtml(jobChatName(job))}</code> gagal dijalankan. Rinciannya tercatat di log server; silakan coba lagi.`,
  unknown: (name: string) => `Pekerjaan <code>${escapeHtml(name)}</code> tidak dikenal. Ketik /jalankan untuk melihat daftarnya.`,
  badArgument: (value: string) =>
    `"${escapeHtml(value)}" tidak dikenali. Gunakan tanggal <code>DD-MM-YYYY</code> atau periode <code>YYYY-MM</code>, <code>YYYY-T2</code>, <code>YYYY-S1</code>.`,
  notReady: 'Sistem penjadwal belum siap. Silakan coba beberapa saat lagi.',
  notAuthorized: 'Mohon maaf, perintah ini hanya untuk admin BKPP.',
};

// ---------------------------------------------------------------------------------------------------------
// Run summaries (shown to operators by /jalankan and the CLI)

const count = (n: number) => n.toLocaleString('id-ID');

export const runSummaries = {
  /** An announcement to everyone: none queued means everyone had it. */
  /** The SKP announcement run after its year's deadline: not sent to everyone again. */
  annualOpenPast: (year: number, deadline: string, tz: AgencyTimeZone) =>
    `Pengumuman SKP tahun ${year} tidak dikirim: batas penyusunannya, ${formatDate(deadline, tz)}, sudah lewat. ` +
    'Untuk mengingatkan yang belum mengirim SKP, jalankan pengingat-skp; untuk pengumuman lain, gunakan /umumkan.',
  sent: (what: string, period: string, queued: number) =>
    queued === 0
      ? `${what} ${periodLabel(period)}: semua penerima sudah mendapatkannya, tidak ada pesan baru yang dijadwalkan.`
      : `${what} ${periodLabel(period)}: ${queued} pesan dijadwalkan untuk dikirim.`,
  /** A reminder to those who have not sent: none queued may also mean everyone has sent. */
  reminded: (what: string, period: string, queued: number) =>
    queued === 0
      ? `${what} ${periodLabel(period)}: tidak ada pesan baru yang dijadwalkan. Yang belum mengirim sudah mendapatkannya, atau semua sudah mengirim.`
      : `${what} ${periodLabel(period)}: ${queued} pesan dijadwalkan untuk dikirim.`,
  /** A summary to those with something waiting: none queued may also mean nothing waits. */
  digests: (what: string, period: string, queued: number) =>
    queued === 0
      ? `${what} ${periodLabel(period)}: tidak ada rekap baru yang dijadwalkan. Yang masih ditunggu sudah mendapatkan rekapnya, atau tidak ada yang menunggu.`
      : `${what} ${periodLabel(period)}: ${queued} rekap dijadwalkan untuk dikirim.`,
  holidaysListed: (year: number) => `Hari libur ${year} sudah tercantum di konfigurasi: tidak ada yang perlu diberitahukan.`,
  holidaysMissing: (year: number, queued: number) =>
    `Hari libur ${year} belum ada di konfigurasi: pemberitahuan kepada ${queued} admin BKPP dijadwalkan untuk dikirim.`,
  outsideHours: 'Di luar jam kerja: pesan dikirim saat jam kerja berikutnya dimulai.',
  annualEvaluationOpened: (r: { year: number; opened: number; alreadyOpen: number; withoutSkp: number; deadline: string }, tz: AgencyTimeZone) =>
    `Evaluasi kinerja tahunan ${r.year}: ${r.opened} dibuka, ${r.alreadyOpen} sudah terbuka sebelumnya, ` +
    `${r.withoutSkp} pegawai tanpa SKP ${r.year} yang ditetapkan. Batas evaluasi: ${formatDate(r.deadline, tz)}.`,
  nothingDue: (date: string, tz: AgencyTimeZone) => `Tidak ada pengingat yang jatuh pada ${formatDate(date, tz)}.`,
  alreadyChecked: (date: string, tz: AgencyTimeZone) => `Pemeriksaan harian ${formatDate(date, tz)} sudah dijalankan sebelumnya.`,
  broadcastsResumed: (r: { resumed: number; finished: number; revived: number }) =>
    r.resumed + r.finished + r.revived === 0
      ? 'Pengumuman: tidak ada pengiriman yang tertunda.'
      : `Pengumuman: ${count(r.resumed)} pengiriman dilanjutkan, ${count(r.finished)} pengumuman ditandai selesai, ` +
        `${count(r.revived)} antrean pengiriman dipulihkan.`,
  evidenceArchived: (r: { archived: number; failed: number; permanent: number }) =>
    r.archived + r.failed + r.permanent === 0
      ? 'Arsip bukti dukung: semua berkas sudah tersimpan.'
      : `Arsip bukti dukung: ${count(r.archived)} berkas tersimpan, ${count(r.failed)} belum berhasil diunduh (dicoba lagi nanti), ` +
        `${count(r.permanent)} tidak dapat diunduh lagi dari Telegram.`,
  outboxDrained: 'Pemberitahuan yang sudah waktunya dikirim telah diproses.',
  reminderLogPruned: (deleted: number, days: number) =>
    deleted === 0
      ? `Tidak ada catatan pengingat terkirim yang lebih lama dari ${days} hari.`
      : `${count(deleted)} catatan pengingat yang terkirim lebih dari ${days} hari lalu dihapus.`,
  outboxPruned: (deleted: number, days: number) =>
    deleted === 0
      ? `Tidak ada catatan pemberitahuan terkirim yang lebih lama dari ${days} hari.`
      : `${count(deleted)} catatan pemberitahuan yang terkirim lebih dari ${days} hari lalu dihapus.`,
  slaReconciled: (r: { cases: number; recreated: number; redispatched: number }) =>
    `SLA: ${r.cases} pengajuan terbuka diperiksa, ${r.recreated} pengatur waktu dibuat ulang, ${r.redispatched} pemberitahuan dikirim ulang.`,
};
