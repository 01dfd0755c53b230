// Indonesian texts and keyboards of the monthly realisation (/realisasi) and of evidence-file refusals.
import { realisasiButtons } from '../buttons/realisasi.js';
import { Markup } from 'telegraf';
import type { EvidenceKind, FileRefusal } from '../../app/archive.js';
import { KIND_LABEL } from '../../app/archive.js';
import type { RealisasiDraft, RealisasiProblem } from '../../app/realisasi.js';
import type { RhkDraft } from '../../app/skp.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDateTime } from '../../domain/format.js';
import { periodArgument, periodKeyLabel, periodPhrase, type PeriodicKind } from '../../domain/period.js';
import { escapeHtml } from './common.js';
import { ASPEK_LABELS } from '../../domain/vocabulary.js';


/** 'Mei 2026', 'Triwulan II 2026', 'Semester I 2026' for a period key. */
export const monthLabel = periodKeyLabel;

/** The command that opens a period's realisation whenever it is typed: '<code>/realisasi november</code>'. */
export const realisasiCommand = (period: string) => `<code>/realisasi ${escapeHtml(periodArgument(period))}</code>`;

/** The form to type for a period kind, and what it is called. */
const PERIOD_FORMS: Record<PeriodicKind, { noun: string; example: string; spelled: string }> = {
  bulanan: { noun: 'bulan', example: '2026-05', spelled: 'Mei 2026' },
  triwulanan: { noun: 'triwulan', example: '2026-T2', spelled: 'Triwulan II 2026' },
  semesteran: { noun: 'semester', example: '2026-S1', spelled: 'Semester I 2026' },
};

/** '20 MB', '1,5 MB', '340 KB' (Indonesian decimal comma). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mb = bytes / (1024 * 1024);
    return `${(Math.round(mb * 10) / 10).toString().replace('.', ',')} MB`;
  }
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

const allowedList = (allowed: readonly EvidenceKind[]) => allowed.map((k) => KIND_LABEL[k]).join(', ');

export function fileRefusalText(refusal: FileRefusal): string {
  switch (refusal.reason) {
    case 'too_big':
      return (
        `❌ Berkas ditolak: ukurannya ${formatBytes(refusal.sizeBytes)}, melebihi batas 20 MB yang dapat diunduh bot dari Telegram.\n` +
        'Perkecil atau pecah berkasnya, lalu kirim lagi.'
      );
    case 'type_not_allowed':
      return (
        `❌ Berkas ditolak: jenis berkas ${escapeHtml(refusal.what)} tidak diterima.\n` +
        `Jenis yang diterima: ${allowedList(refusal.allowed)}.`
      );
    case 'extension_mismatch':
      return (
        `❌ Berkas ditolak: namanya berakhiran <b>.${escapeHtml(refusal.extension)}</b>, tetapi isinya berkas ${escapeHtml(refusal.actual)}.\n` +
        `Jenis yang diterima: ${allowedList(refusal.allowed)}. Kirim berkas asli dalam salah satu jenis tersebut.`
      );
    case 'unavailable':
      return '❌ Berkas tidak dapat diambil dari Telegram. Silakan kirim ulang berkasnya.';
  }
}

function rhkHeader(rhk: RhkDraft, index: number, total: number): string {
  const indikator = rhk.indikator.map((i) => `${ASPEK_LABELS[i.aspek] ?? i.aspek}: ${escapeHtml(i.target)}`).join('; ');
  return `<b>RHK ${index + 1} dari ${total}</b>\n${escapeHtml(rhk.text)}${indikator ? `\n<i>Target: ${indikator}</i>` : ''}`;
}

export const realisasiTexts = {
  usage: (kind: PeriodicKind) =>
    `Format periode tidak dikenali. Ketik <code>/realisasi</code> untuk ${PERIOD_FORMS[kind].noun} yang sedang berjalan, ` +
    `atau misalnya <code>/realisasi ${PERIOD_FORMS[kind].example}</code> (<code>/realisasi ${PERIOD_FORMS[kind].spelled}</code>).`,
  wrongPeriodKind: (kind: PeriodicKind, example: string) =>
    `Perangkat daerah Bapak/Ibu menilai per ${PERIOD_FORMS[kind].noun}. Ketik periode seperti <code>${escapeHtml(example)}</code>, ` +
    `misalnya <code>/realisasi ${escapeHtml(example)}</code>.`,
  futureMonth: (period: string) => `Realisasi ${monthLabel(period)} belum dapat diisi karena periodenya belum tiba.`,
  noSkp: (year: string, current: string) =>
    year === current
      ? `SKP tahun ${year} Bapak/Ibu belum ada, sehingga realisasi belum dapat diisi. Susun SKP lebih dulu dengan /skp.`
      : // /skp builds this year's SKP, which does not open last year's realisation.
        `SKP tahun ${year} Bapak/Ibu tidak tercatat, sehingga realisasi tahun itu tidak dapat diisi di sini. Hubungi pengelola kepegawaian.`,
  skpNotEstablished: (year: string) =>
    `SKP tahun ${year} Bapak/Ibu belum ditetapkan, sehingga realisasi belum dapat diisi.\n` +
    'Ketik /status untuk melihat posisi SKP Bapak/Ibu.',
  skpNoRhk: (year: string) => `SKP tahun ${year} Bapak/Ibu tidak memuat RHK, sehingga realisasi belum dapat diisi. Hubungi pengelola kepegawaian.`,
  /** Why the realisation of a period of `year` cannot be filled in yet (`current`: this year, agency-local). */
  skpNotReady: (reason: 'no_skp' | 'no_rhk' | 'not_established', year: string, current: string) =>
    reason === 'no_skp' ? realisasiTexts.noSkp(year, current) : reason === 'no_rhk' ? realisasiTexts.skpNoRhk(year) : realisasiTexts.skpNotEstablished(year),
  intro: (period: string, rhkCount: number, deadline: Date, late: boolean, tz: AgencyTimeZone) => {
    const lastDay = new Date(deadline.getTime() - 60_000);
    const lines = [
      `<b>Realisasi ${monthLabel(period)}</b>`,
      `Batas pengisian: ${formatDateTime(lastDay, tz)}.`,
      '',
      `Ada ${rhkCount} RHK. Untuk setiap RHK, tulis realisasinya lalu kirim bukti dukung (foto atau dokumen PDF, JPEG, PNG, DOCX, XLSX; maks. 20 MB per berkas).`,
      'Ketik /batal kapan saja untuk berhenti; isian yang sudah masuk tetap tersimpan.',
    ];
    if (late) lines.push('', '⚠️ Batas pengisian sudah lewat: realisasi tetap diterima, tetapi dicatat <b>terlambat</b>.');
    return lines.join('\n');
  },
  returned: (period: string, reason: string, byName: string | null, at: Date, tz: AgencyTimeZone) =>
    `↩️ Realisasi ${monthLabel(period)} dikembalikan${byName ? ` oleh <b>${escapeHtml(byName)}</b>` : ''} pada ${formatDateTime(at, tz)} dengan alasan:\n` +
    `<i>${escapeHtml(reason)}</i>\n\nSilakan perbaiki (✏️) lalu tekan <b>Kirim</b>.`,
  askValue: (rhk: RhkDraft, index: number, total: number, period: string, current?: string) =>
    `${rhkHeader(rhk, index, total)}\n\nTulis <b>realisasi</b> ${periodPhrase(period)} untuk RHK ini (angka atau teks, misalnya <i>3 laporan</i>).` +
    (current ? `\n\nIsian saat ini: <i>${escapeHtml(current)}</i>` : ''),
  askBukti: (rhk: RhkDraft, index: number, total: number, count: number) =>
    `${rhkHeader(rhk, index, total)}\n\nKirim <b>bukti dukung</b>: foto atau dokumen (PDF, JPEG, PNG, DOCX, XLSX; maks. 20 MB). ` +
    `Boleh lebih dari satu berkas.${count > 0 ? `\nSudah ada ${count} bukti untuk RHK ini.` : ''}\nTekan <b>Selesai</b> bila sudah.`,
  buktiReceived: (name: string | null, kindLabel: string, sizeBytes: number, count: number, pendingArchive: boolean) =>
    `✅ Bukti diterima${name ? `: ${escapeHtml(name)}` : ''} (${kindLabel}${sizeBytes > 0 ? `, ${formatBytes(sizeBytes)}` : ''}).\n` +
    `Bukti untuk RHK ini: ${count}. Kirim berkas lain, atau tekan <b>Selesai</b>.` +
    (pendingArchive ? '\n<i>Salinan arsip akan diunduh ulang otomatis.</i>' : ''),
  buktiNeeded: 'Mohon kirim minimal satu bukti dukung untuk RHK ini sebelum menekan Selesai.',
  buktiCleared: 'Bukti lama untuk RHK ini sudah dihapus dari isian. Kirim bukti yang baru.',
  expectsText: 'Mohon tulis realisasi dalam bentuk teks (angka atau kalimat singkat).',
  expectsFile: 'Mohon kirim bukti dukung berupa foto atau dokumen, atau tekan <b>Selesai</b> bila sudah.',
  expectsButton: 'Mohon gunakan tombol pada ringkasan di atas: ✏️ untuk mengubah, atau <b>Kirim</b>.',
  textTooLong: 'Isian terlalu panjang (maksimal 500 karakter). Mohon diringkas.',
  noContent: 'Realisasi perlu berisi angka atau kata, misalnya <i>3 laporan</i> atau <i>Selesai 100%</i>. Mohon tulis ulang.',
  /** The last line of the review, gone once Kirim is pressed. */
  reviewQuestion: 'Tekan ✏️ untuk mengubah, atau <b>Kirim</b> bila sudah benar.',
  review: (period: string, rhk: RhkDraft[], draft: RealisasiDraft, deadline: Date, late: boolean, tz: AgencyTimeZone) => {
    const lines = [`<b>Ringkasan realisasi ${monthLabel(period)}</b>`, ''];
    rhk.forEach((r, i) => {
      const item = draft.items[r.id];
      lines.push(`<b>${i + 1}. ${escapeHtml(r.text)}</b>`);
      lines.push(`   Realisasi: ${item?.realisasi ? escapeHtml(item.realisasi) : '⚠️ belum diisi'}`);
      const bukti = item?.bukti ?? [];
      lines.push(`   Bukti dukung: ${bukti.length > 0 ? `${bukti.length} berkas` : '⚠️ belum ada'}`);
    });
    const lastDay = new Date(deadline.getTime() - 60_000);
    lines.push('', `Batas pengisian: ${formatDateTime(lastDay, tz)}.`);
    if (late) lines.push('⚠️ Batas sudah lewat: pengiriman akan dicatat <b>terlambat</b>.');
    lines.push('', realisasiTexts.reviewQuestion);
    return lines.join('\n');
  },
  incomplete: (problems: RealisasiProblem[]) => {
    const lines = problems.map((p) => `• RHK ${p.rhkNo}: ${p.problem === 'no_value' ? 'realisasi belum diisi' : 'bukti dukung belum ada'}`);
    return `Realisasi belum lengkap:\n${lines.join('\n')}\n\nTekan ✏️ pada RHK tersebut untuk melengkapinya.`;
  },
  submitted: (period: string, holderName: string | null, revision: number, late: boolean) =>
    `✅ Realisasi ${monthLabel(period)} sudah dikirim${holderName ? ` kepada <b>${escapeHtml(holderName)}</b>` : ''} untuk dinilai` +
    `${revision > 1 ? ` (revisi ${revision})` : ''}.` +
    (late ? '\n\n⚠️ Pengiriman ini melewati batas pengisian, sehingga dicatat <b>terlambat</b>.' : '') +
    '\n\nKetik /status untuk melihat posisinya.',
  notEditable: 'Realisasi periode ini sudah dikirim, jadi tidak dapat diubah lagi. Ketik /status untuk melihat posisinya.',
  stale: 'Tombol ini sudah tidak berlaku. Ketik /realisasi untuk melanjutkan.',
  sending: 'Mengirim…',
};

export const realisasiKeyboards = {
  bukti: (count: number) =>
    Markup.inlineKeyboard(count > 0 ? [[Markup.button.callback('✅ Selesai', realisasiButtons.encode({ op: 'done' }))], [Markup.button.callback('🗑 Hapus semua bukti RHK ini', realisasiButtons.encode({ op: 'clr' }))]] : [[Markup.button.callback('✅ Selesai', realisasiButtons.encode({ op: 'done' }))]]),
  review: (rhkCount: number) =>
    Markup.inlineKeyboard([
      ...Array.from({ length: rhkCount }, (_, i) => [Markup.button.callback(`✏️ Ubah RHK ${i + 1}`, realisasiButtons.encode({ op: 'e', index: i }))]),
      [Markup.button.callback('📤 Kirim', realisasiButtons.encode({ op: 'send' }))],
    ]),
};
