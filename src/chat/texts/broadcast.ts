// Indonesian texts and keyboards of announcements (/umumkan): compose, audience, preview, progress, report, ack.
import { ackButtons, broadcastButtons } from '../buttons/broadcast.js';
import { Markup } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Audience, AudienceCount, BroadcastReport, PerangkatDaerah, TemplateChoice } from '../../app/broadcast.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import type { DomainError } from '../../domain/errors.js';
import { formatDate, formatDateTime, formatMonth } from '../../domain/format.js';
import { realisasiCommand } from './monthly.js';
import { escapeHtml, fullStop, texts as coreTexts } from './common.js';


export const ACK_BUTTON_TEXT = '✅ Siap, dimengerti';

export function ackKeyboard(broadcastId: string): InlineKeyboardMarkup {
  return { inline_keyboard: [[{ text: ACK_BUTTON_TEXT, callback_data: ackButtons.encode({ broadcastId }) }]] };
}

const monthLabel = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return formatMonth(y, m);
};

export function templateLabel(t: TemplateChoice): string {
  switch (t.kind) {
    case 'skp':
      return t.opensOn ? `📝 SKP tahun ${t.year} dibuka 1 Januari` : `📝 Segera buat SKP tahun ${t.year}`;
    case 'realisasi':
      return t.late ? `⏰ Realisasi ${monthLabel(t.month)} belum masuk` : `📅 Isi realisasi bulan ${monthLabel(t.month)}`;
    case 'evaluasi':
      return `⭐ Evaluasi kinerja tahunan ${t.year} (untuk pejabat penilai)`;
    case 'sop': {
      const short = t.uraian.length > 40 ? `${t.uraian.slice(0, 39)}…` : t.uraian;
      return `📌 SOP langkah ${t.no}: ${short}`;
    }
  }
}

export function templateHtml(t: TemplateChoice, tz: AgencyTimeZone): string {
  switch (t.kind) {
    case 'skp':
      return (
        `<b>Pengumuman: Penyusunan SKP Tahun ${t.year}</b>\n\n` +
        (t.opensOn
          ? `Yth. Bapak/Ibu ASN,\nSasaran Kinerja Pegawai (SKP) tahun ${t.year} dapat disusun mulai <b>${formatDate(t.opensOn, tz)}</b> ` +
            'dengan perintah /skp, lalu diajukan kepada pejabat penilai. Mohon siapkan rencana hasil kerja Bapak/Ibu sejak sekarang.'
          : `Yth. Bapak/Ibu ASN,\nmohon segera menyusun Sasaran Kinerja Pegawai (SKP) tahun ${t.year} dengan perintah /skp ` +
            'dan mengajukannya kepada pejabat penilai.') +
        `\n\nBatas waktu: <b>${formatDate(t.deadline, tz)}</b>.\n\nTerima kasih.`
      );
    case 'realisasi':
      if (t.late) {
        return (
          `<b>Pengumuman: Realisasi Kinerja Bulan ${monthLabel(t.month)}</b>\n\n` +
          `Yth. Bapak/Ibu ASN,\nbatas waktu realisasi kinerja bulan ${monthLabel(t.month)} (${formatDate(t.deadline, tz)}) sudah lewat. ` +
          `Bagi yang belum mengisinya, mohon segera mengisi beserta bukti dukungnya dengan perintah ` +
          `${realisasiCommand(t.month)}. Realisasi yang dikirim sekarang tetap diterima dan dicatat terlambat.\n\nTerima kasih.`
        );
      }
      return (
        `<b>Pengumuman: Realisasi Kinerja Bulan ${monthLabel(t.month)}</b>\n\n` +
        `Yth. Bapak/Ibu ASN,\nmohon segera mengisi realisasi kinerja bulan ${monthLabel(t.month)} beserta bukti dukungnya ` +
        `dengan perintah ${realisasiCommand(t.month)}.\n\n` +
        `Batas waktu: <b>${formatDate(t.deadline, tz)}</b>.\n\nTerima kasih.`
      );
    case 'evaluasi':
      return (
        `<b>Pengumuman: Evaluasi Kinerja Tahunan ${t.year}</b>\n\n` +
        `Yth. Bapak/Ibu pejabat penilai kinerja,\nevaluasi kinerja tahunan ${t.year} sudah dibuka. Permintaan penilaian untuk setiap ` +
        `pegawai yang SKP ${t.year}-nya sudah ditetapkan menunggu di /tugas: mohon berikan rating hasil kerja dan perilaku kerja ` +
        `untuk satu tahun, beserta catatan atau rekomendasi bila perlu.\n\nBatas waktu: <b>${formatDate(t.deadline, tz)}</b>.\n\nTerima kasih.`
      );
    case 'sop':
      return (
        `<b>Pengumuman</b>\n\n${escapeHtml(t.uraian.replace(/\.?\s*$/, '.'))}` +
        (t.sopNumber ? `\n\n<i>SOP ${escapeHtml(t.sopNumber)}, langkah ${t.no}</i>` : '')
      );
  }
}

export function audienceLabel(a: Audience, unitNames: string[] = []): string {
  switch (a.kind) {
    case 'all':
      return 'Semua pegawai';
    case 'units':
      return `Perangkat daerah: ${unitNames.join(', ')}`;
    case 'role':
      return a.role === 'atasan' ? 'Para atasan (pejabat penilai)' : 'Pengelola kepegawaian';
    case 'status':
      if (a.status === 'eval_pending') return `Pejabat penilai yang belum menyelesaikan evaluasi kinerja tahunan ${a.year}`;
      return a.status === 'no_skp' ? `Belum mengajukan SKP tahun ${a.year}` : `Belum mengajukan realisasi bulan ${monthLabel(a.month)}`;
  }
}

export const broadcastTexts = {
  intro: (scopeName: string | null) =>
    '📣 <b>Buat pengumuman</b>\n\n' +
    'Silakan kirim <b>teks pengumuman</b>. Format HTML Telegram dapat dipakai, misalnya ' +
    '<code>&lt;b&gt;tebal&lt;/b&gt;</code>, <code>&lt;i&gt;miring&lt;/i&gt;</code>, ' +
    '<code>&lt;a href="https://…"&gt;tautan&lt;/a&gt;</code>.\n' +
    'Bapak/Ibu juga dapat mengirim <b>satu dokumen atau foto</b> dengan teks pengumuman sebagai keterangannya (maksimal 1024 karakter).\n\n' +
    'Atau pilih salah satu templat di bawah.' +
    (scopeName ? `\n\nPengumuman hanya dikirim kepada pegawai ${fullStop(`<b>${escapeHtml(scopeName)}</b>`)}` : '') +
    '\n\nKetik /batal untuk membatalkan.',
  notAuthorized: coreTexts.notAuthorized,
  chooseAudience: 'Tampilan pengumuman di atas sudah sesuai. Sekarang pilih <b>penerima</b>:',
  chooseUnits: 'Pilih perangkat daerah penerima (boleh lebih dari satu), lalu tekan <b>➡️ Lanjut</b>.',
  chooseUnitsFirst: 'Pilih minimal satu perangkat daerah.',
  htmlInvalid: (detail: string) =>
    `Mohon maaf, format teks belum sesuai HTML Telegram: ${htmlProblem(detail)}.\n\n` +
    'Periksa tag yang belum ditutup, dan tulis karakter &lt; &gt; &amp; sebagai <code>&amp;lt;</code> <code>&amp;gt;</code> ' +
    '<code>&amp;amp;</code>. Lalu kirim ulang teksnya.',
  textTooLong: 'Teks terlalu panjang (maksimal 4096 karakter). Mohon persingkat, lalu kirim ulang.',
  captionTooLong:
    'Keterangan dokumen/foto terlalu panjang (maksimal 1024 karakter). Persingkat keterangannya, ' +
    'atau kirim pengumuman sebagai teks saja.',
  emptyText: 'Teks pengumuman masih kosong. Silakan kirim teksnya.',
  sendFailed: 'Mohon maaf, pratinjau tidak dapat ditampilkan. Silakan kirim ulang teks atau berkasnya.',
  unsupportedCompose: 'Untuk pengumuman, kirim teks, satu dokumen, atau satu foto. Jenis pesan ini tidak dapat dipakai.',
  useButtons: 'Silakan pilih dengan tombol pada pesan sebelumnya, atau ketik /batal untuk membatalkan.',
  noRecipients: (count: AudienceCount) =>
    'Tidak ada pegawai yang dapat menerima pengumuman untuk pilihan ini' +
    (count.notLinked > 0 ? ` (${count.notLinked} pegawai belum menautkan akun Telegram)` : '') +
    '. Silakan pilih penerima lain:',
  preview: (label: string, count: AudienceCount) =>
    '👆 <b>Pratinjau</b>: pengumuman yang dibalas pesan ini persis seperti yang akan diterima pegawai.\n\n' +
    `Penerima: ${escapeHtml(label)}\n` +
    `• Akan menerima: <b>${count.recipients}</b> pegawai\n` +
    (count.notLinked > 0 ? `• Belum menautkan akun Telegram: ${count.notLinked} (tidak menerima)\n` : '') +
    (count.unreachable > 0 ? `• Memblokir bot: ${count.unreachable} (tidak menerima)\n` : '') +
    '\nKirim sekarang?',
  draftCancelled: 'Pengumuman dibatalkan, tidak ada yang dikirim.',
  startedToast: 'Pengumuman mulai dikirim.',
  stoppedToast: 'Pengiriman dihentikan.',
  refreshedToast: 'Laporan diperbarui.',
  alreadyDecided: 'Pengumuman ini sudah diproses sebelumnya.',
  notYourUnit: 'Mohon maaf, perangkat daerah tersebut bukan yang Bapak/Ibu kelola.',
  unitNotFound: 'Perangkat daerah tidak ditemukan.',
  ackRecorded: 'Terima kasih, konfirmasi Bapak/Ibu sudah dicatat.',
  ackAlready: 'Konfirmasi Bapak/Ibu sudah tercatat sebelumnya.',
  ackPreview: 'Ini pratinjau. Penerima menekan tombol ini untuk menyatakan sudah membaca.',
};

/** Maps the broadcast use cases' error codes to Indonesian; anything else goes to the core mapping. */
export function broadcastErrorText(error: DomainError): string | null {
  switch (error.code) {
    case 'BROADCAST_ALREADY_DECIDED':
      return broadcastTexts.alreadyDecided;
    case 'BROADCAST_NOT_YOURS':
      return coreTexts.buttonNotForYou;
    case 'BROADCAST_NOT_FOUND':
      return coreTexts.buttonInvalid;
    case 'NOT_YOUR_UNIT':
      return broadcastTexts.notYourUnit;
    case 'UNIT_NOT_FOUND':
      return broadcastTexts.unitNotFound;
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Keyboards

export interface AudienceMenuOptions {
  /** Only BKPP admins address other perangkat daerah and every pengelola. */
  wholeInstansi: boolean;
  scopeName: string | null;
  skpYear: number;
  realisasiMonth: string;
  /** The month just past its deadline, while it is (see lateRealisasiMonthFor). */
  lateRealisasiMonth: string | null;
  /** The year whose annual evaluation is open (see openEvaluationYear). */
  evaluationYear: number | null;
}

export const broadcastKeyboards = {
  templates: (choices: Array<{ key: string; choice: TemplateChoice }>) =>
    Markup.inlineKeyboard(choices.map((c) => [Markup.button.callback(templateLabel(c.choice), broadcastButtons.encode({ op: 'template', key: c.key }))])),
  audience: (o: AudienceMenuOptions) => {
    const rows = [[Markup.button.callback(o.scopeName ? `👥 Semua pegawai ${o.scopeName}` : '👥 Semua pegawai', broadcastButtons.encode({ op: 'audience', audience: 'all' }))]];
    if (o.wholeInstansi) rows.push([Markup.button.callback('🏢 Pilih perangkat daerah', broadcastButtons.encode({ op: 'audience', audience: 'units' }))]);
    rows.push([Markup.button.callback('👔 Para atasan', broadcastButtons.encode({ op: 'audience', audience: 'atasan' }))]);
    if (o.wholeInstansi) rows.push([Markup.button.callback('🗂 Pengelola kepegawaian', broadcastButtons.encode({ op: 'audience', audience: 'pengelola' }))]);
    rows.push([Markup.button.callback(`📝 Belum mengajukan SKP ${o.skpYear}`, broadcastButtons.encode({ op: 'audience', audience: `noskp:${o.skpYear}` }))]);
    if (o.evaluationYear !== null) {
      rows.push([
        Markup.button.callback(`⭐ Belum menyelesaikan evaluasi tahunan ${o.evaluationYear}`, broadcastButtons.encode({ op: 'audience', audience: `noeval:${o.evaluationYear}` })),
      ]);
    }
    if (o.lateRealisasiMonth) {
      rows.push([
        Markup.button.callback(`⏰ Terlambat: realisasi ${monthLabel(o.lateRealisasiMonth)} belum masuk`, broadcastButtons.encode({ op: 'audience', audience: `noreal:${o.lateRealisasiMonth}` })),
      ]);
    }
    rows.push([
      Markup.button.callback(`📅 Belum mengajukan realisasi ${monthLabel(o.realisasiMonth)}`, broadcastButtons.encode({ op: 'audience', audience: `noreal:${o.realisasiMonth}` })),
    ]);
    return Markup.inlineKeyboard(rows);
  },
  units: (all: PerangkatDaerah[], selected: string[]) =>
    Markup.inlineKeyboard([
      ...all.map((u) => [Markup.button.callback(`${selected.includes(u.id) ? '✅' : '▫️'} ${u.name}`, broadcastButtons.encode({ op: 'unit', unitId: u.id }))]),
      [Markup.button.callback('➡️ Lanjut', broadcastButtons.encode({ op: 'unitsDone' }))],
    ]),
  confirm: (broadcastId: string) =>
    Markup.inlineKeyboard([
      [
        Markup.button.callback('📤 Kirim', broadcastButtons.encode({ op: 'send', broadcastId })),
        Markup.button.callback('✖️ Batal', broadcastButtons.encode({ op: 'discard', broadcastId })),
      ],
    ]),
};

// ---------------------------------------------------------------------------------------------------------
// Progress and final report (the same message, edited)

function namesLine(label: string, names: string[], count: number): string {
  if (count === 0 || names.length === 0) return '';
  const shown = names.slice(0, 15).map(escapeHtml).join(', ');
  const more = count > 15 ? ` dan ${count - 15} lainnya` : '';
  return `\n${label}: ${shown}${more}`;
}

export function reportText(r: BroadcastReport, tz: AgencyTimeZone, now: Date): string {
  const lines: string[] = [];
  if (r.status === 'sending') {
    lines.push('📣 <b>Pengumuman sedang dikirim</b>', '');
  } else if (r.status === 'cancelled') {
    lines.push('⛔ <b>Pengiriman pengumuman dihentikan</b>', '');
  } else {
    lines.push('✅ <b>Pengumuman selesai dikirim</b>', '');
  }
  lines.push(`Terkirim: <b>${r.sent}</b> dari ${r.total} penerima`);
  lines.push(`Dikonfirmasi (Siap, dimengerti): ${r.acknowledged}`);
  lines.push(`Memblokir bot: ${r.blocked}`);
  lines.push(`Gagal: ${r.failed}`);
  if (r.status === 'sending') lines.push(`Menunggu giliran: ${r.queued}`);
  if (r.cancelled > 0) lines.push(`Tidak dikirim (dihentikan): ${r.cancelled}`);
  // Those the preview left out are part of the audience too: the report says so, as the preview did.
  if (r.excludedNotLinked > 0 || r.excludedUnreachable > 0) {
    lines.push('', 'Tidak dikirimi sejak pratinjau:');
    if (r.excludedNotLinked > 0) lines.push(`• Belum menautkan akun Telegram: ${r.excludedNotLinked}`);
    if (r.excludedUnreachable > 0) lines.push(`• Sudah memblokir bot sebelumnya: ${r.excludedUnreachable}`);
  }
  let text = lines.join('\n');
  text += namesLine('\nYang memblokir bot', r.blockedNames, r.blocked);
  text += namesLine('\nYang gagal dikirimi', r.failedNames, r.failed);
  if (r.status === 'sending') {
    text += `\n\nDiperbarui ${formatDateTime(now, tz)}. Tekan ⛔ Batal untuk menghentikan pesan yang belum terkirim.`;
  } else {
    const at = r.finishedAt ?? now;
    text +=
      `\n\nSelesai ${formatDateTime(at, tz)}.\n` +
      `Angka konfirmasi dapat bertambah: tekan 🔄 Perbarui (terakhir diperbarui ${formatDateTime(now, tz)}).`;
  }
  return text;
}

export function reportKeyboard(r: Pick<BroadcastReport, 'id' | 'status'>): InlineKeyboardMarkup {
  return r.status === 'sending'
    ? { inline_keyboard: [[{ text: '⛔ Batal', callback_data: broadcastButtons.encode({ op: 'stop', broadcastId: r.id }) }]] }
    : { inline_keyboard: [[{ text: '🔄 Perbarui', callback_data: broadcastButtons.encode({ op: 'refresh', broadcastId: r.id }) }]] };
}

/** Telegram's English parse error ("Can't find end tag corresponding to start tag "b"") said in Indonesian. */
function htmlProblem(detail: string): string {
  const tag = (name: string) => `<code>&lt;${escapeHtml(name)}&gt;</code>`;
  const unclosed = /end tag corresponding to start tag "([^"]+)"/i.exec(detail);
  if (unclosed) return `tag ${tag(unclosed[1]!)} belum ditutup`;
  const unsupported = /unsupported start tag "([^"]+)"/i.exec(detail);
  if (unsupported) return `tag ${tag(unsupported[1]!)} tidak didukung Telegram`;
  if (/unexpected end tag/i.test(detail)) return 'ada tag penutup tanpa tag pembuka';
  if (/unclosed start tag|expected end of/i.test(detail)) return 'ada tag yang belum lengkap';
  return 'ada tag atau karakter khusus yang belum sesuai';
}
