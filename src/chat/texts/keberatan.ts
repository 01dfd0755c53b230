// Indonesian texts and keyboards of /keberatan (objection to a periodic or annual result, PP 30/2019 ps. 59).
import { keberatanButtons } from '../buttons/keberatan.js';
import { Markup } from 'telegraf';
import type { ObjectableResult } from '../../app/keberatan.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDate } from '../../domain/format.js';
import { PREDIKAT_LABELS, RATING_LABELS, type Predikat, type Rating } from '../../domain/predikat.js';
import { KEBERATAN_WINDOW_DAYS, MIN_KEBERATAN_REASON_LENGTH } from '../../domain/templates/keberatan.js';
import { escapeHtml } from './common.js';
import { periodLabel } from './approvals.js';


const predikatText = (p: string | null) => (p ? (PREDIKAT_LABELS[p as Predikat] ?? '-') : '-');

export const keberatanTexts = {
  none:
    'Belum ada hasil penilaian kinerja Bapak/Ibu yang dapat diajukan keberatan.\n\n' +
    'Keberatan dapat diajukan paling lambat 14 hari sejak hasil penilaian diterima.',
  list: (results: ObjectableResult[], tz: AgencyTimeZone) => {
    const lines = results.map((r, i) => {
      const head = `${i + 1}. ${escapeHtml(periodLabel(r.period))} — predikat <b>${predikatText(r.predikat)}</b>`;
      if (r.keberatan) {
        const state = r.keberatan.status === 'completed' ? 'keberatan sudah diputuskan (final)' : 'keberatan sedang diproses';
        return `${head}\n   ${state}`;
      }
      if (!r.window) return `${head}\n   hasil belum disampaikan kepada Bapak/Ibu`;
      return r.open
        ? `${head}\n   keberatan dapat diajukan sampai ${formatDate(r.window.closesOn, tz)}`
        : `${head}\n   batas keberatan berakhir ${formatDate(r.window.closesOn, tz)}`;
    });
    // The buttons are the results open to an objection; the typed form is shown with one of them.
    const open = results.find((r) => r.open && !r.keberatan);
    return (
      `⚖️ <b>Keberatan atas hasil penilaian kinerja</b>\n\n${lines.join('\n')}\n\n` +
      `Keberatan diajukan kepada atasan pejabat penilai paling lambat ${KEBERATAN_WINDOW_DAYS} hari sejak hasil diterima, ` +
      `dengan alasan minimal ${MIN_KEBERATAN_REASON_LENGTH} karakter. Keputusannya bersifat final.\n` +
      (open
        ? `Pilih hasil yang diajukan keberatan dengan tombol di bawah, atau ketik periodenya, misalnya <code>/keberatan ${open.period}</code>.`
        : 'Saat ini tidak ada hasil yang dapat diajukan keberatan: keberatan dapat diajukan setelah hasil penilaian ' +
          'disampaikan kepada Bapak/Ibu, sampai batas waktunya.')
    );
  },
  opened: (period: string) =>
    `⚖️ Keberatan atas hasil penilaian <b>${escapeHtml(periodLabel(period))}</b> dibuka.\n` +
    `Tuliskan alasan keberatan (minimal ${MIN_KEBERATAN_REASON_LENGTH} karakter); bukti pendukung boleh dikirim sebagai berkas.`,
  resumed: (period: string) => `⚖️ Melanjutkan keberatan atas hasil penilaian <b>${escapeHtml(periodLabel(period))}</b>.`,
  badPeriod:
    'Format periode tidak dikenal. Contoh: <code>/keberatan 2026-03</code> untuk hasil penilaian Maret 2026 ' +
    '(<code>2026-T2</code> untuk Triwulan II, <code>2026-S1</code> untuk Semester I), ' +
    'atau <code>/keberatan 2025</code> untuk hasil evaluasi kinerja tahunan 2025.',
  noResult: (period: string) =>
    `Mohon maaf, tidak ada hasil penilaian kinerja Bapak/Ibu untuk ${escapeHtml(periodLabel(period))} yang dapat diajukan keberatan.`,
  notReceived: (period: string) =>
    `Hasil penilaian ${escapeHtml(periodLabel(period))} belum disampaikan kepada Bapak/Ibu, sehingga keberatan belum dapat diajukan.`,
  windowClosed: (period: string, closesOn: string, tz: AgencyTimeZone) =>
    `Mohon maaf, keberatan atas hasil penilaian ${escapeHtml(periodLabel(period))} tidak dapat diajukan lagi: ` +
    `batas waktunya (${KEBERATAN_WINDOW_DAYS} hari sejak hasil diterima) berakhir pada ${formatDate(closesOn, tz)}.`,
  alreadyFiled: (period: string, status: string) =>
    status === 'completed'
      ? `Keberatan atas hasil penilaian ${escapeHtml(periodLabel(period))} sudah diputuskan. Keputusan tersebut bersifat final.`
      : `Keberatan atas hasil penilaian ${escapeHtml(periodLabel(period))} sudah diajukan dan sedang diproses. Lihat /status.`,
  /** Lines of the result objected to, shown to the APP and the PP with the case. */
  origin: (asal: { hasilKerja: Rating | null; perilaku: Rating | null; predikat: string | null }) =>
    [
      '<b>Hasil yang diajukan keberatan:</b>',
      `Hasil kerja: ${asal.hasilKerja ? RATING_LABELS[asal.hasilKerja] : '-'}`,
      `Perilaku kerja: ${asal.perilaku ? RATING_LABELS[asal.perilaku] : '-'}`,
      `Predikat: ${predikatText(asal.predikat)}`,
    ].join('\n'),
  decided: (nama: string, period: string, before: string | null, after: string | null, forSubject: boolean) => {
    const changed = before !== after;
    const who = forSubject ? 'Bapak/Ibu' : escapeHtml(nama);
    return (
      `⚖️ <b>Keputusan atas keberatan</b> — hasil penilaian ${escapeHtml(periodLabel(period))}${forSubject ? '' : ` ${who}`}\n\n` +
      (changed
        ? `Hasil penilaian <b>diubah</b>: predikat ${predikatText(before)} menjadi <b>${predikatText(after)}</b>.`
        : `Hasil penilaian <b>tetap</b>: predikat <b>${predikatText(after)}</b>.`) +
      '\n\nKeputusan atasan pejabat penilai ini bersifat <b>final</b>.'
    );
  },
};

export const keberatanKeyboards = {
  choose: (results: ObjectableResult[]) =>
    Markup.inlineKeyboard(
      results
        .filter((r) => r.open && !r.keberatan)
        .map((r) => [Markup.button.callback(`⚖️ Ajukan keberatan: ${periodLabel(r.period)}`, keberatanButtons.encode({ period: r.period }))]),
    ),
};
