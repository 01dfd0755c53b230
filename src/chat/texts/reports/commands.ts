// The /rekap and /ekspor texts: usage, argument errors, the export caption, and org ratings as typed in commands
// (org=baik; two letters in callback data: src/chat/buttons/reports.ts).
import { ORG_RATINGS } from '../../../app/annual-evaluation.js';
import { SHEET_NAMES, type SheetName } from '../../../app/export.js';
import {
  periodKey, periodLabel, type ReportPeriod
} from '../../../app/reports.js';
import { periodMonths } from '../../../domain/period.js';
import { type OrgRating } from '../../../domain/predikat.js';
import { escapeHtml } from '../common.js';
import { formatBytes } from '../monthly.js';

/** 'baik', 'Butuh-Perbaikan', 'sangat_kurang' → the org rating; null when unknown. */
export function parseOrgRating(text: string): OrgRating | null {
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (ORG_RATINGS as readonly string[]).includes(key) ? (key as OrgRating) : null;
}

/**
 * A smaller /ekspor than one over Telegram's upload limit: a month of a longer period (the same sheet, for a CSV),
 * or one sheet of a month's workbook as CSV; null for a month's CSV (nothing smaller to ask for in the chat).
 */
export function smallerExport(period: ReportPeriod, csvSheet: SheetName | null): { what: string; command: string } | null {
  const csv = csvSheet ? ` csv ${csvSheet}` : '';
  if (period.kind === 'year') return { what: 'per bulan', command: `/ekspor ${period.year}-01${csv}` };
  if (period.period.kind !== 'bulanan') return { what: 'per bulan', command: `/ekspor ${periodMonths(period.period)[0]}${csv}` };
  if (!csvSheet) return { what: 'satu sheet sebagai CSV', command: `/ekspor ${periodKey(period)} csv Pegawai` };
  return null;
}

export const reportTexts = {
  notAllowed: 'Mohon maaf, rekap hanya tersedia untuk atasan, pengelola kepegawaian, dan admin BKPP.',
  rekapUsage:
    '<b>Cara memakai /rekap</b>\n' +
    '• <code>/rekap</code> — bulan lalu\n' +
    '• <code>/rekap 2026</code> — satu tahun (status SKP)\n' +
    '• <code>/rekap 2026-03</code>, <code>/rekap 2026-T2</code>, <code>/rekap 2026-S1</code> — satu bulan, triwulan atau semester (realisasi dan penilaian)\n' +
    '• periode juga dapat ditulis <code>Maret 2026</code>, <code>bulan ini</code>, <code>bulan lalu</code> atau <code>tahun lalu</code>\n' +
    '• <code>/rekap Dinas Kesehatan</code> atau singkatannya (<code>/rekap dinkes</code>) — pegawai satu perangkat daerah (pengelola dan admin BKPP; dapat ditambah periode)\n' +
    '• <code>/rekap terlambat</code> — semua langkah yang lewat SLA, dengan tombol <b>Ingatkan</b>\n' +
    '• <code>/rekap mutu 2026</code> — mutu baku: durasi nyata tiap langkah dibanding standar waktu SOP\n' +
    '• tambahkan <code>org=baik</code> (istimewa, baik, butuh-perbaikan, kurang, sangat-kurang) untuk membandingkan ' +
    'sebaran predikat dengan kurva distribusi.',
  eksporUsage:
    '<b>Cara memakai /ekspor</b>\n' +
    `• <code>/ekspor 2026-03</code> — berkas Excel (XLSX) dengan sheet ${SHEET_NAMES.join(', ')}\n` +
    '• <code>/ekspor 2026 csv Pegawai</code> — satu sheet sebagai CSV\n' +
    '• <code>/ekspor Dinas Kesehatan 2026</code> — satu perangkat daerah saja (pengelola dan admin BKPP)\n' +
    '• tambahkan <code>org=baik</code> untuk kolom kurva distribusi di Ringkasan.',
  badArgument: (arg: string, usage: string) => `Mohon maaf, "${escapeHtml(arg)}" tidak dikenali.\n\n${usage}`,
  badSheet: (name: string) =>
    `Sheet "${escapeHtml(name)}" tidak ada. Pilih salah satu: ${SHEET_NAMES.join(', ')}.\nContoh: <code>/ekspor 2026 csv Pegawai</code>`,
  csvNeedsSheet: `Sebutkan sheet yang diinginkan setelah csv, misalnya <code>/ekspor 2026 csv Pegawai</code>. Pilihan: ${SHEET_NAMES.join(', ')}.`,
  badPeriod: (text: string) =>
    `Periode "${escapeHtml(text)}" tidak valid. Tulis tahun (misalnya <code>2026</code>), bulan (<code>2026-03</code> atau <code>Maret 2026</code>), triwulan (<code>2026-T2</code>) atau semester (<code>2026-S1</code>).`,
  badOrg: (text: string) =>
    `Capaian organisasi "${escapeHtml(text)}" tidak dikenal. Pilih: istimewa, baik, butuh-perbaikan, kurang, sangat-kurang (misalnya <code>org=baik</code>).`,
  noEmployees: 'Belum ada pegawai aktif dalam cakupan rekap Bapak/Ibu.',
  preparing: 'Sedang menyiapkan rekap, mohon tunggu sebentar…',
  exportFollows: (period: ReportPeriod) =>
    `⏳ Berkas rekap ${escapeHtml(periodLabel(period))} sedang disiapkan dan akan dikirim di sini begitu selesai.`,
  exportFailed: 'Mohon maaf, berkas rekap gagal dibuat. Silakan coba lagi sebentar lagi.',
  exportTooLarge: (maxBytes: number, period: ReportPeriod, csvSheet: SheetName | null) => {
    const smaller = smallerExport(period, csvSheet);
    return (
      `Berkas rekap ${escapeHtml(periodLabel(period))} melebihi batas ${formatBytes(maxBytes)} yang dapat dikirim lewat Telegram, sehingga pembuatannya dihentikan. ` +
      (smaller
        ? `Silakan ekspor ${smaller.what}, misalnya <code>${escapeHtml(smaller.command)}</code>.`
        : 'Silakan minta admin server membuatnya dengan <code>npm run report</code>.')
    );
  },
  noOverdue: (period: ReportPeriod | null) =>
    `✅ Tidak ada langkah yang lewat SLA${period ? ` untuk ${escapeHtml(periodLabel(period))}` : ''} dalam cakupan Bapak/Ibu.`,
  employeeNotInScope: 'Pegawai ini di luar cakupan rekap Bapak/Ibu.',
  pdNotInScope: 'Perangkat daerah ini di luar cakupan rekap Bapak/Ibu.',
  pdAmbiguous: (command: 'rekap' | 'ekspor', typed: string, names: string[]) =>
    `Ada ${names.length} perangkat daerah yang cocok dengan "${escapeHtml(typed)}":\n` +
    names.slice(0, 10).map((n) => `• ${escapeHtml(n)}`).join('\n') +
    (names.length > 10 ? `\n• … dan ${names.length - 10} lainnya` : '') +
    `\n\nKetik namanya lebih lengkap, misalnya <code>/${command} ${escapeHtml(names[0]!)}</code>.`,
  noCases: (nama: string, period: ReportPeriod) =>
    `👤 <b>${escapeHtml(nama)}</b> — ${escapeHtml(periodLabel(period))}\n\nBelum ada pengajuan untuk periode ini.`,
};

export function exportCaption(period: ReportPeriod, scopeText: string, rowCounts: Record<string, number>, csv: boolean): string {
  const counts = Object.entries(rowCounts)
    .map(([name, n]) => `${name}: ${n} baris`)
    .join(' · ');
  const logNote = period.kind === 'year' && !csv ? '\nLog Kejadian memuat SKP tahunan; log bulanan ada di ekspor per bulan.' : '';
  return `📎 Rekap kinerja ${escapeHtml(periodLabel(period))} — ${escapeHtml(scopeText)}\n${counts}${logNote}`.slice(0, 1024);
}
