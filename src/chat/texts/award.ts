// Indonesian texts of typed step inputs (a nomination's summary, an award's score) and of /usulkan.
import type { CaseView } from '../../app/case-view.js';
import { formatNip } from '../../domain/nip.js';
import type { FilesKelengkapan, TextKelengkapan } from '../../domain/procedure.js';
import { clipText, escapeHtml, fullStop } from './common.js';
import { periodLabel } from './approvals.js';

export const MAX_STEP_TEXT = 2000;
/** Files one step input keeps (a nomination's data, a berita acara): enough for scans of a few pages. */
export const MAX_STEP_FILES = 10;

export const stepInputTexts = {
  ask: (view: CaseView, item: TextKelengkapan, files: FilesKelengkapan | undefined, received: number) => {
    const lines = [
      `✍️ <b>${escapeHtml(view.procedure.title)}</b> — ${escapeHtml(periodLabel(view.row.period))}`,
      `Pegawai: <b>${escapeHtml(view.subject.nama)}</b> (NIP ${formatNip(view.subject.nip)})`,
      `Tahap ${view.step.no}: ${escapeHtml(view.step.uraian)}`,
    ];
    if (view.row.status === 'returned' && view.lastReturnReason) {
      lines.push('', `↩️ Dikembalikan dengan alasan: ${escapeHtml(view.lastReturnReason)}`);
    }
    lines.push('', `Ketik <b>${escapeHtml(item.label)}</b> sebagai balasan pesan ini.`);
    if (files) {
      lines.push(
        received > 0
          ? `📎 ${escapeHtml(files.label)}: ${received} berkas diterima.`
          : `Bila ada, kirim dulu <b>${escapeHtml(files.label)}</b> (PDF, JPG atau PNG)${files.optional ? ' — boleh dilewati' : ''}.`,
      );
    }
    lines.push('Ketik /batal untuk membatalkan.');
    return lines.join('\n');
  },
  placeholder: (item: TextKelengkapan) => clipText(item.label, 64),
  tooShort: (item: TextKelengkapan, min: number) =>
    `${escapeHtml(item.label)} terlalu singkat: mohon tulis minimal ${min} karakter. Silakan tulis ulang, atau /batal.`,
  tooLong: `Teks terlalu panjang (maksimal ${MAX_STEP_TEXT} karakter). Mohon diringkas, atau kirim rinciannya sebagai berkas.`,
  fileReceived: (files: FilesKelengkapan, n: number, next: TextKelengkapan) =>
    `📎 Berkas diterima (${escapeHtml(files.label)}: ${n}). Kirim berkas lain bila ada, atau ketik <b>${escapeHtml(next.label)}</b>.`,
  tooManyFiles: `Sudah ${MAX_STEP_FILES} berkas: cukup untuk langkah ini. Silakan ketik isiannya.`,
  noFilesHere: (next: TextKelengkapan) => `Langkah ini tidak membutuhkan berkas. Mohon ketik <b>${escapeHtml(next.label)}</b>, atau /batal.`,
  textPlease: (next: TextKelengkapan) => `Mohon ketik <b>${escapeHtml(next.label)}</b> dalam bentuk teks, atau /batal.`,
  done: (view: CaseView | null) =>
    !view
      ? '✅ Tersimpan.'
      : view.row.status === 'completed'
        ? `✅ Tersimpan. <b>${escapeHtml(view.procedure.title)}</b> untuk ${escapeHtml(view.subject.nama)} sudah selesai.`
        : `✅ Tersimpan dan diteruskan.\nSekarang pada tahap ${view.step.no}: ${escapeHtml(view.step.uraian)}` +
          (view.assigneeName ? `\nDitangani oleh: ${escapeHtml(view.assigneeName)}` : ''),
};

export const awardTexts = {
  pengelolaOnly: 'Mohon maaf, usulan ASN Berprestasi disampaikan oleh pengelola kepegawaian perangkat daerah.',
  usage: (year: string) =>
    `<b>Usulan ASN Berprestasi ${escapeHtml(year)}</b>\n\nKetik NIP pegawai yang diusulkan setelah perintah, misalnya:\n` +
    '<code>/usulkan 199011052019022001</code>\n\nBot akan meminta ringkasan prestasinya (dan data usulan bila ada), lalu meneruskannya ' +
    'kepada Kepala SKPD untuk ditetapkan dan dinilai.',
  listHeading: (year: string, n: number) => `<b>Usulan tahun ${escapeHtml(year)} di perangkat daerah Bapak/Ibu (${n})</b>`,
  listHeadingAll: (year: string, n: number) => `<b>Usulan ASN Berprestasi tahun ${escapeHtml(year)} dari semua perangkat daerah (${n})</b>`,
  noneYet: (year: string) => `Belum ada usulan ASN Berprestasi tahun ${escapeHtml(year)}.`,
  listLine: (i: number, nama: string, nip: string, where: string) => `${i}. ${escapeHtml(nama)} (NIP ${formatNip(nip)}) — ${escapeHtml(where)}`,
  selfNomination: 'Mohon maaf, pengelola tidak dapat mengusulkan dirinya sendiri. Usulan untuk Bapak/Ibu disampaikan oleh pengelola kepegawaian lain di perangkat daerah.',
  opened: (nama: string, year: string) => `Usulan ASN Berprestasi ${escapeHtml(year)} untuk <b>${escapeHtml(nama)}</b> dibuka.`,
  resumed: (nama: string) => `Melanjutkan usulan untuk ${fullStop(`<b>${escapeHtml(nama)}</b>`)}`,
  alreadyDone: (nama: string, year: string) => `Usulan ASN Berprestasi ${escapeHtml(year)} untuk ${escapeHtml(nama)} sudah selesai diproses.`,
  cancelledBefore: (nama: string, year: string) =>
    `Usulan ASN Berprestasi ${escapeHtml(year)} untuk ${escapeHtml(nama)} sudah dibatalkan oleh admin BKPP. Hubungi admin BKPP bila perlu dibuka kembali.`,
  inProgress: (view: CaseView) =>
    `${escapeHtml(view.subject.nama)} sudah diusulkan. Sekarang pada tahap ${view.step.no}: ${escapeHtml(view.step.uraian)}` +
    (view.assigneeName ? `\nDitangani oleh: ${escapeHtml(view.assigneeName)}` : ''),
};
