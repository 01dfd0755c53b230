// The employees of a perangkat daerah, a page at a time.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import {
  MONTHLY_STATUS_LABELS, periodLabel,
  SKP_STATE_LABELS, type EmployeeStatus, type ReportPeriod
} from '../../../app/reports.js';
import { formatNip } from '../../../domain/nip.js';
import { PREDIKAT_LABELS, type OrgRating } from '../../../domain/predikat.js';
import { escapeHtml } from '../common.js';
import { EMPLOYEES_PER_PAGE, navRow } from './paging.js';
import { reportCallbacks } from './callbacks.js';

function employeeLine(n: number, e: EmployeeStatus, period: ReportPeriod): string {
  const parts = [`SKP: ${SKP_STATE_LABELS[e.skpState]}`];
  if (period.kind === 'periodic') {
    const m = MONTHLY_STATUS_LABELS[e.monthly ?? 'missing'];
    parts.push(`realisasi: ${m.toLowerCase()}${e.assessed && e.predikat ? `, dinilai (${PREDIKAT_LABELS[e.predikat]})` : ''}`);
  } else {
    const statuses = Object.values(e.months);
    const late = statuses.filter((s) => s === 'late').length;
    const onTime = statuses.filter((s) => s === 'on_time').length;
    parts.push(`realisasi: ${onTime} tepat waktu, ${late} terlambat`);
    // The annual evaluation's predikat only; never a monthly stand-in.
    parts.push(e.predikat ? `predikat tahunan ${PREDIKAT_LABELS[e.predikat]}` : 'predikat tahunan belum dievaluasi');
  }
  if (e.overdueSteps > 0) parts.push(`⏰ ${e.overdueSteps} lewat SLA`);
  if (!e.linked) parts.push('📵 belum tertaut');
  return `${n}. <b>${escapeHtml(e.nama)}</b> (${formatNip(e.nip)}) — ${escapeHtml(parts.join(' · '))}`;
}

export function employeeListText(pdName: string, period: ReportPeriod, rows: EmployeeStatus[], total: number, page: number): string {
  const pages = Math.max(1, Math.ceil(total / EMPLOYEES_PER_PAGE));
  const head = `👥 <b>${escapeHtml(pdName)}</b> — ${escapeHtml(periodLabel(period))}\n${total} pegawai · halaman ${page + 1}/${pages}`;
  if (rows.length === 0) return `${head}\n\nTidak ada pegawai pada halaman ini.`;
  const lines = rows.map((r, i) => employeeLine(page * EMPLOYEES_PER_PAGE + i + 1, r, period));
  return `${head}\n\n${lines.join('\n')}\n\nKetuk nomor pegawai untuk melihat riwayat pengajuannya.`;
}

export function employeeListKeyboard(pdId: string, period: ReportPeriod, rows: EmployeeStatus[], total: number, page: number, org: OrgRating | null) {
  const pages = Math.max(1, Math.ceil(total / EMPLOYEES_PER_PAGE));
  const buttons = rows.map((r, i) => Markup.button.callback(String(page * EMPLOYEES_PER_PAGE + i + 1), reportCallbacks.employee(r.id, period, page, org)));
  const rowsOfButtons: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 5) rowsOfButtons.push(buttons.slice(i, i + 5));
  const nav = navRow(page, pages, (p) => reportCallbacks.perangkatDaerah(pdId, period, p, org));
  if (nav.length > 0) rowsOfButtons.push(nav);
  rowsOfButtons.push([Markup.button.callback('⬅️ Kembali ke rekap', reportCallbacks.summary(period, 0, org))]);
  return Markup.inlineKeyboard(rowsOfButtons);
}
