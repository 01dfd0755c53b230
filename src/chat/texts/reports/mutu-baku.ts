// Mutu baku: the real duration of each step against the SOP's time standard.
import { Markup } from 'telegraf';
import type { MutuBakuRow } from '../../../app/mutu-baku.js';
import {
  periodLabel, type ReportPeriod
} from '../../../app/reports.js';
import { formatDuration } from '../../../domain/format.js';
import { type OrgRating } from '../../../domain/predikat.js';
import { escapeHtml } from '../common.js';
import { PAGE_BUDGET } from './paging.js';
import { reportCallbacks } from './callbacks.js';

/** "Verifikasi pejabat penilai (langkah 4): median 1 jam 35 menit, P90 …, standar 10 menit, 50 % dalam standar (n = 4)". */
export function mutuBakuLine(row: MutuBakuRow): string {
  const head = `${row.label} (langkah ${row.stepNo})`;
  const standard = `standar ${formatDuration(row.standardMinutes)}`;
  if (row.count === 0 || row.medianMinutes === null || row.p90Minutes === null || row.withinShare === null) {
    return `${head}: belum ada data, ${standard}`;
  }
  return (
    `${head}: median ${formatDuration(row.medianMinutes)}, P90 ${formatDuration(row.p90Minutes)}, ${standard}, ` +
    `${Math.round(row.withinShare * 100)} % dalam standar (n = ${row.count})`
  );
}

export function mutuBakuText(rows: MutuBakuRow[], period: ReportPeriod, scopeLabel: string): string {
  const head =
    `⏱ <b>Mutu baku — ${escapeHtml(periodLabel(period))}</b>\nCakupan: ${escapeHtml(scopeLabel)}\n` +
    'Durasi nyata tiap langkah dalam waktu kerja (median dan persentil ke-90) dibanding standar waktu SOP.';
  if (rows.length === 0) return `${head}\n\nBelum ada pengajuan pada periode ini.`;
  let text = head;
  let code = '';
  for (const [i, row] of rows.entries()) {
    let add = '';
    if (row.procedureCode !== code) {
      code = row.procedureCode;
      add += `\n\n<b>${escapeHtml(row.procedureTitle)}</b>`;
    }
    add += `\n• ${escapeHtml(mutuBakuLine(row))}`;
    // Whole lines only: cutting inside a tag would make Telegram refuse the message.
    if (text.length + add.length > PAGE_BUDGET) {
      return `${text}\n\n… ${rows.length - i} langkah lagi ada di sheet Mutu Baku (/ekspor).`;
    }
    text += add;
  }
  return text;
}

export function mutuBakuKeyboard(period: ReportPeriod, org: OrgRating | null) {
  return Markup.inlineKeyboard([[Markup.button.callback('⬅️ Kembali ke rekap', reportCallbacks.summary(period, 0, org))]]);
}
