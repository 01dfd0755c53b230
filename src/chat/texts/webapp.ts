// What the Mini App's server says (API refusals) and the chat's buttons that open the Mini App.
import { periodLabel, type ReportPeriod } from '../../app/reports.js';
import { formatBytes } from './monthly.js';
import { smallerExport } from './reports/commands.js';

export const webAppTexts = {
  /** The web_app button beside a form's chat way (/skp, /realisasi, /tugas). */
  openForm: '🗂️ Buka formulir',
  /** The web_app button beside /rekap. */
  openDashboard: '📊 Buka dasbor',
  /** The bot's menu button. */
  menuButton: 'Kinerja',
  /** No valid initData: opened outside Telegram, or the page sat open too long. */
  notSignedIn: 'Sesi tidak dikenali atau sudah kedaluwarsa. Silakan tutup lalu buka kembali aplikasi ini dari Telegram.',
  /** A Telegram account not linked to an employee. */
  notLinked: 'Akun Telegram Bapak/Ibu belum terhubung dengan data pegawai. Silakan kirim /start kepada bot untuk menghubungkan akun.',
  notFound: 'Halaman atau data yang diminta tidak ditemukan.',
  badRequest: 'Isian tidak dapat dibaca. Silakan periksa kembali lalu coba lagi.',
  notEditable: 'SKP ini sedang diproses sehingga belum dapat diubah. Bapak/Ibu dapat mengubahnya bila dikembalikan.',
  noReason: 'Mohon tuliskan alasan pengembalian agar pegawai tahu apa yang perlu diperbaiki.',
  reasonTooShort: (min: number) => `Alasan terlalu singkat: mohon tulis minimal ${min} karakter.`,
  needsChat: 'Langkah ini memerlukan isian lewat obrolan dengan bot. Silakan buka /tugas di obrolan.',
  notRatingStep: 'Langkah ini bukan penilaian.',
  exportSent: 'Berkas ekspor sudah dikirim ke obrolan bot. Silakan buka obrolan untuk mengunduhnya.',
  /** The Mini App's export is the whole workbook of a period (the last one by default); a smaller one is asked for in the chat. */
  exportTooLarge: (maxBytes: number, period: ReportPeriod) => {
    const smaller = smallerExport(period, null);
    return (
      `Berkas ekspor ${periodLabel(period)} melebihi batas ${formatBytes(maxBytes)} yang dapat dikirim lewat Telegram, sehingga pembuatannya dihentikan. ` +
      (smaller ? `Silakan ekspor ${smaller.what} lewat obrolan bot, misalnya ${smaller.command}.` : 'Silakan minta admin server membuatnya dengan npm run report.')
    );
  },
  realisasiNotEditable: 'Realisasi bulan ini sedang diproses sehingga belum dapat diubah. Bapak/Ibu dapat mengubahnya bila dikembalikan.',
  /** Caption of an evidence file the bot keeps in the employee's chat after a Mini App upload. */
  evidenceCaption: (rhkNo: number, month: string) => `Bukti dukung RHK ${rhkNo}, realisasi ${month} (diunggah lewat formulir).`,
  unexpected: 'Maaf, terjadi kesalahan. Silakan coba lagi beberapa saat lagi.',
};
