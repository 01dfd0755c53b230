// Indonesian texts, keyboards and callback data of the monitoring feature (/rekap, /ekspor), and its chart spec.
import { ORG_RATINGS } from '../../app/annual-evaluation.js';
import { reportButtons } from '../buttons/reports.js';
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { StackedBarChart } from '../../app/charts.js';
import { toPercentSeries } from '../../app/charts.js';
import { SHEET_NAMES } from '../../app/export.js';
import type { MutuBakuRow } from '../../app/mutu-baku.js';
import type { UndeliveredNotification } from '../../app/undelivered.js';
import {
  EVENT_LABELS,
  MONTHLY_STATUS_LABELS,
  parsePeriod,
  periodLabel,
  SKP_STATE_LABELS,
  SKP_STATES,
  type CaseLog,
  type EmployeeStatus,
  type OverdueStep,
  type PdRecap,
  type Recap,
  type ReminderInfo,
  type ReminderResult,
  type ReportPeriod,
  type ReportScope,
  type SkpState,
} from '../../app/reports.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDateTime, formatDuration, formatShortDateTime } from '../../domain/format.js';
import { formatNip } from '../../domain/nip.js';
import { ORG_RATING_LABELS, PREDIKAT_LABELS, PREDIKATS, type OrgRating } from '../../domain/predikat.js';
import { escapeHtml, fullStop } from './common.js';

/** Telegram's limit is 4096 characters; leave room for the page footer. */
const PAGE_BUDGET = 3800;
export const EMPLOYEES_PER_PAGE = 10;
export const OVERDUE_PER_PAGE = 8;

// ---------------------------------------------------------------------------------------------------------
// Org ratings: typed as org=baik in commands (two letters in callback data: src/chat/buttons/reports.ts)


/** 'baik', 'Butuh-Perbaikan', 'sangat_kurang' → the org rating; null when unknown. */
export function parseOrgRating(text: string): OrgRating | null {
  const key = text.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return (ORG_RATINGS as readonly string[]).includes(key) ? (key as OrgRating) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Callback data: the rk: button family (src/chat/buttons/reports.ts)

export const reportCallbacks = {
  summary: (period: ReportPeriod, page: number, org: OrgRating | null) => reportButtons.encode({ op: 'summary', period, page, org }),
  perangkatDaerah: (pdId: string, period: ReportPeriod, page: number, org: OrgRating | null) =>
    reportButtons.encode({ op: 'perangkatDaerah', perangkatDaerahId: pdId, period, page, org }),
  employee: (employeeId: string, period: ReportPeriod, backPage: number, org: OrgRating | null) =>
    reportButtons.encode({ op: 'employee', employeeId, period, page: backPage, org }),
  overdue: (page: number, period: ReportPeriod | null) => reportButtons.encode({ op: 'overdue', page, period }),
  remind: (caseId: string, version: number) => reportButtons.encode({ op: 'remind', caseId, version }),
  mutuBaku: (period: ReportPeriod, org: OrgRating | null) => reportButtons.encode({ op: 'mutuBaku', period, org }),
};

// ---------------------------------------------------------------------------------------------------------
// Plain texts

export const reportTexts = {
  notAllowed: 'Mohon maaf, rekap hanya tersedia untuk atasan, pengelola kepegawaian, dan admin BKPP.',
  rekapUsage:
    '<b>Cara memakai /rekap</b>\n' +
    '• <code>/rekap</code> — bulan lalu\n' +
    '• <code>/rekap 2026</code> — satu tahun (status SKP)\n' +
    '• <code>/rekap 2026-03</code>, <code>/rekap 2026-T2</code>, <code>/rekap 2026-S1</code> — satu bulan, triwulan atau semester (realisasi dan penilaian)\n' +
    '• <code>/rekap terlambat</code> — semua langkah yang lewat SLA, dengan tombol <b>Ingatkan</b>\n' +
    '• <code>/rekap mutu 2026</code> — mutu baku: durasi nyata tiap langkah dibanding standar waktu SOP\n' +
    '• tambahkan <code>org=baik</code> (istimewa, baik, butuh-perbaikan, kurang, sangat-kurang) untuk membandingkan ' +
    'sebaran predikat dengan kurva distribusi.',
  eksporUsage:
    '<b>Cara memakai /ekspor</b>\n' +
    `• <code>/ekspor 2026-03</code> — berkas Excel (XLSX) dengan sheet ${SHEET_NAMES.join(', ')}\n` +
    '• <code>/ekspor 2026 csv Pegawai</code> — satu sheet sebagai CSV\n' +
    '• tambahkan <code>org=baik</code> untuk kolom kurva distribusi di Ringkasan.',
  badArgument: (arg: string, usage: string) => `Mohon maaf, "${escapeHtml(arg)}" tidak dikenali.\n\n${usage}`,
  badSheet: (name: string) =>
    `Sheet "${escapeHtml(name)}" tidak ada. Pilih salah satu: ${SHEET_NAMES.join(', ')}.\nContoh: <code>/ekspor 2026 csv Pegawai</code>`,
  csvNeedsSheet: `Sebutkan sheet yang diinginkan setelah csv, misalnya <code>/ekspor 2026 csv Pegawai</code>. Pilihan: ${SHEET_NAMES.join(', ')}.`,
  badPeriod: (text: string) =>
    `Periode "${escapeHtml(text)}" tidak valid. Tulis tahun (misalnya <code>2026</code>), bulan (<code>2026-03</code>), triwulan (<code>2026-T2</code>) atau semester (<code>2026-S1</code>).`,
  badOrg: (text: string) =>
    `Capaian organisasi "${escapeHtml(text)}" tidak dikenal. Pilih: istimewa, baik, butuh-perbaikan, kurang, sangat-kurang (misalnya <code>org=baik</code>).`,
  noEmployees: 'Belum ada pegawai aktif dalam cakupan rekap Bapak/Ibu.',
  preparing: 'Sedang menyiapkan rekap, mohon tunggu sebentar…',
  preparingExport: 'Sedang menyiapkan berkas, mohon tunggu sebentar…',
  exportFailed: 'Mohon maaf, berkas rekap gagal dibuat. Silakan coba lagi sebentar lagi.',
  exportTooLarge: 'Berkas terlalu besar untuk dikirim lewat Telegram (maks. 50 MB). Gunakan ekspor per bulan atau npm run report di server.',
  noOverdue: (period: ReportPeriod | null) =>
    `✅ Tidak ada langkah yang lewat SLA${period ? ` untuk ${escapeHtml(periodLabel(period))}` : ''} dalam cakupan Bapak/Ibu.`,
  employeeNotInScope: 'Pegawai ini di luar cakupan rekap Bapak/Ibu.',
  pdNotInScope: 'Perangkat daerah ini di luar cakupan rekap Bapak/Ibu.',
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

// ---------------------------------------------------------------------------------------------------------
// Summary

export function scopeText(scope: ReportScope, recap: { units: ReadonlyArray<{ pdName: string }> }): string {
  if (scope.kind === 'all') return recap.units.length > 0 ? `semua perangkat daerah (${recap.units.length})` : 'semua perangkat daerah';
  if (scope.kind === 'reports') return 'bawahan langsung Bapak/Ibu';
  return recap.units.map((u) => u.pdName).join(', ') || 'perangkat daerah Bapak/Ibu';
}

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`);

function skpLine(pd: PdRecap, year: number): string {
  const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);
  const parts = SKP_STATES.filter((s) => s === 'not_started' || pd.skp[s] > 0).map((s) => `${lower(SKP_STATE_LABELS[s])} ${pd.skp[s]}`);
  return `SKP ${year}: ${parts.join(' · ')}`;
}

function predikatLine(pd: PdRecap, recap: Recap): string {
  const parts = PREDIKATS.filter((p) => pd.predikat[p] > 0).map((p) => `${PREDIKAT_LABELS[p]} ${pd.predikat[p]}`);
  if (recap.period.kind === 'year') {
    // A year's figures are the annual evaluation's predikat only.
    const evaluated = PREDIKATS.reduce((sum, p) => sum + pd.predikat[p], 0);
    const pending = Math.max(0, pd.employees - evaluated);
    const tail = pending > 0 ? `${parts.length > 0 ? ' · ' : ''}belum dievaluasi ${pending}` : '';
    return `Predikat tahunan: ${parts.join(' · ')}${tail}`;
  }
  return `Predikat: ${parts.length > 0 ? parts.join(' · ') : 'belum ada penilaian'}`;
}

function pdBlock(pd: PdRecap, recap: Recap, heading: string): string {
  const lines = [heading, `Pegawai ${pd.employees}, tertaut Telegram ${pd.linked} (${percent(pd.linked, pd.employees)})`, skpLine(pd, recap.period.year)];
  if (pd.monthly && recap.period.kind === 'periodic') {
    const m = pd.monthly;
    lines.push(
      `Realisasi ${periodLabel(recap.period)}: tepat waktu ${m.onTime} · terlambat ${m.late} · belum masuk ${m.missing}` +
        `${m.returned > 0 ? ` · dikembalikan ${m.returned}` : ''} · sudah dinilai ${m.assessed}`,
    );
  }
  lines.push(
    pd.overdue.count === 0
      ? 'Lewat SLA: tidak ada'
      : `Lewat SLA: ${pd.overdue.count} langkah, terlama menunggu ${formatDuration(pd.overdue.oldestMinutes ?? 0)}`,
  );
  lines.push(predikatLine(pd, recap));
  if (pd.orgRating && pd.departures) {
    const curve = `Kurva (capaian organisasi ${ORG_RATING_LABELS[pd.orgRating]})`;
    lines.push(
      pd.departures.length === 0
        ? `✅ ${curve}: sesuai`
        : `⚠️ ${curve}: ${pd.departures.map((d) => d.message).join('; ')}`,
    );
  }
  return lines.map((l, i) => (i === 0 ? l : escapeHtml(l))).join('\n');
}

function headline(pd: PdRecap, recap: Recap): string {
  if (recap.period.kind === 'periodic' && pd.monthly) return `realisasi masuk ${percent(pd.monthly.onTime + pd.monthly.late, pd.employees)}`;
  return `SKP ditetapkan ${percent(pd.skp.established + pd.skp.forwarded + pd.skp.received, pd.employees)}`;
}

export interface SummaryPage {
  text: string;
  /** Indexes into recap.units shown on this page. */
  unitIndexes: number[];
}

/** The recap cut into pages of whole perangkat daerah blocks; the total comes first. */
export function summaryPages(recap: Recap, scope: ReportScope, timeZone: AgencyTimeZone): SummaryPage[] {
  const header =
    `📊 <b>Rekap kinerja — ${escapeHtml(periodLabel(recap.period))}</b>\n` +
    `Cakupan: ${escapeHtml(scopeText(scope, recap))}\nPer ${escapeHtml(formatDateTime(recap.now, timeZone))}`;
  const blocks: Array<{ text: string; index: number | null }> = [];
  if (recap.units.length > 1) blocks.push({ text: pdBlock(recap.total, recap, '<b>Total</b>'), index: null });
  recap.units.forEach((pd, i) =>
    blocks.push({ text: pdBlock(pd, recap, `<b>${i + 1}. ${escapeHtml(pd.pdName)}</b> — ${headline(pd, recap)}`), index: i }),
  );
  const pages: Array<{ parts: string[]; unitIndexes: number[] }> = [];
  let current = { parts: [header], unitIndexes: [] as number[] };
  let length = header.length;
  for (const block of blocks) {
    if (length + block.text.length + 2 > PAGE_BUDGET && current.parts.length > 1) {
      pages.push(current);
      current = { parts: [header], unitIndexes: [] };
      length = header.length;
    }
    current.parts.push(block.text);
    if (block.index !== null) current.unitIndexes.push(block.index);
    length += block.text.length + 2;
  }
  pages.push(current);
  return pages.map((p, i) => ({
    text: `${p.parts.join('\n\n')}${pages.length > 1 ? `\n\nHalaman ${i + 1}/${pages.length}` : ''}\n\nKetuk nama perangkat daerah untuk melihat pegawainya.`,
    unitIndexes: p.unitIndexes,
  }));
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function navRow(page: number, pages: number, data: (page: number) => string): InlineKeyboardButton[] {
  const row: InlineKeyboardButton[] = [];
  if (page > 0) row.push(Markup.button.callback('◀️ Sebelumnya', data(page - 1)));
  if (page < pages - 1) row.push(Markup.button.callback('Berikutnya ▶️', data(page + 1)));
  return row;
}

export function summaryKeyboard(recap: Recap, pages: SummaryPage[], page: number) {
  const rows: InlineKeyboardButton[][] = [];
  for (const i of pages[page]?.unitIndexes ?? []) {
    const pd = recap.units[i]!;
    rows.push([Markup.button.callback(`🔍 ${i + 1}. ${shorten(pd.pdName, 40)}`, reportCallbacks.perangkatDaerah(pd.pdId, recap.period, 0, recap.orgRating))]);
  }
  const nav = navRow(page, pages.length, (p) => reportCallbacks.summary(recap.period, p, recap.orgRating));
  if (nav.length > 0) rows.push(nav);
  rows.push([
    Markup.button.callback(`⏰ Lewat SLA (${recap.total.overdue.count})`, reportCallbacks.overdue(0, recap.period)),
    Markup.button.callback('⏱ Mutu baku', reportCallbacks.mutuBaku(recap.period, recap.orgRating)),
  ]);
  return Markup.inlineKeyboard(rows);
}

// ---------------------------------------------------------------------------------------------------------
// Chart

const MONTHLY_COLORS = { on_time: '#2e7d32', late: '#f9a825', missing: '#c62828' } as const;
const SKP_COLORS: Record<SkpState, string> = {
  not_started: '#c62828',
  draft: '#ef9a9a',
  submitted: '#90caf9',
  returned: '#f9a825',
  approved: '#42a5f5',
  established: '#81c784',
  forwarded: '#43a047',
  received: '#1b5e20',
  cancelled: '#9e9e9e',
};

/** Compliance per perangkat daerah as 100 % stacked bars: realisation for a month, SKP states for a year. */
export function complianceChart(recap: Recap, timeZone: AgencyTimeZone): StackedBarChart {
  const categories = recap.units.map((u) => u.pdName);
  const counts = recap.units.map((u) => u.employees);
  const subtitle = `Persentase pegawai aktif · per ${formatShortDateTime(recap.now, timeZone)}`;
  if (recap.period.kind === 'periodic') {
    // Only the perangkat daerah evaluated per this kind of period have realisation figures for it.
    const units = recap.units.flatMap((u) => (u.monthly ? [{ ...u, monthly: u.monthly }] : []));
    const series = (['on_time', 'late', 'missing'] as const).map((k) => ({
      name: MONTHLY_STATUS_LABELS[k],
      color: MONTHLY_COLORS[k],
      values: units.map((u) => (k === 'on_time' ? u.monthly.onTime : k === 'late' ? u.monthly.late : u.monthly.missing)),
    }));
    return {
      title: `Realisasi ${periodLabel(recap.period)} per perangkat daerah`,
      subtitle,
      categories: units.map((u) => u.pdName),
      counts: units.map((u) => u.employees),
      series: toPercentSeries(series),
      percent: true,
    };
  }
  const states = SKP_STATES.filter((s) => recap.total.skp[s] > 0);
  const series = states.map((s) => ({ name: SKP_STATE_LABELS[s], color: SKP_COLORS[s], values: recap.units.map((u) => u.skp[s]) }));
  return { title: `Status SKP ${recap.period.year} per perangkat daerah`, subtitle, categories, counts, series: toPercentSeries(series), percent: true };
}

export function chartCaption(recap: Recap): string {
  return recap.period.kind === 'periodic'
    ? `📈 Realisasi ${periodLabel(recap.period)}: tepat waktu, terlambat, belum masuk (persentase pegawai), terburuk di atas.`
    : `📈 Status SKP ${recap.period.year} per perangkat daerah (persentase pegawai), terburuk di atas.`;
}

// ---------------------------------------------------------------------------------------------------------
// Employees of a perangkat daerah

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

// ---------------------------------------------------------------------------------------------------------
// Case logs

function casePeriodLabel(period: string): string {
  const p = parsePeriod(period);
  if (!p) return period;
  return p.kind === 'year' ? `SKP ${p.year}` : `Realisasi ${periodLabel(p)}`;
}

const STATUS_LABELS: Record<string, string> = { active: 'berjalan', returned: 'dikembalikan', completed: 'selesai', cancelled: 'dibatalkan' };

function eventLine(e: CaseLog['events'][number], timeZone: AgencyTimeZone): string {
  const label = EVENT_LABELS[e.action] ?? e.action;
  const steps =
    e.action === 'complete' || e.action === 'resubmit'
      ? ` langkah ${e.fromStepNo}${e.toStepNo !== null ? ` → ${e.toStepNo}` : ''}`
      : e.action === 'return'
        ? ` dari langkah ${e.fromStepNo} ke ${e.toStepNo}`
        : e.fromStepNo !== null && e.action !== 'start'
          ? ` (langkah ${e.fromStepNo})`
          : '';
  const comment = e.comment ? `: "${shorten(e.comment, 120)}"` : '';
  const by = e.actorNama ? ` — ${e.actorNama}${e.onBehalf ? ' (atas nama)' : ''}` : '';
  return `• ${formatShortDateTime(e.at, timeZone)} ${label}${steps}${comment}${by}`;
}

function caseBlock(log: CaseLog, timeZone: AgencyTimeZone, maxEvents: number): string {
  const state =
    log.skpState !== null
      ? SKP_STATE_LABELS[log.skpState]
      : `${STATUS_LABELS[log.status] ?? log.status}${log.late ? ', terlambat' : ''}${log.predikat ? `, predikat ${PREDIKAT_LABELS[log.predikat]}` : ''}`;
  const where =
    log.status === 'active' || log.status === 'returned'
      ? ` — langkah ${log.stepNo} (${log.stepLabel}), pemegang ${log.holderNama ?? 'belum ada'}`
      : '';
  const events = log.events.slice(-maxEvents);
  const hidden = log.omitted + (log.events.length - events.length);
  return [
    `📄 <b>${escapeHtml(casePeriodLabel(log.period))}</b> · ${escapeHtml(log.procedureTitle)}`,
    escapeHtml(`Status: ${state}${where}`),
    ...(hidden > 0 ? [`(${hidden} kejadian lebih lama tidak ditampilkan; lengkapnya di /ekspor)`] : []),
    ...events.map((e) => escapeHtml(eventLine(e, timeZone))),
  ].join('\n');
}

/** The cases of one employee with their logs, shortened until it fits one message. */
export function caseLogsText(nama: string, period: ReportPeriod, logs: CaseLog[], timeZone: AgencyTimeZone): string {
  const head = `👤 <b>${escapeHtml(nama)}</b> — ${escapeHtml(periodLabel(period))}`;
  let text = '';
  for (const max of [15, 8, 4, 1]) {
    text = `${head}\n\n${logs.map((l) => caseBlock(l, timeZone, max)).join('\n\n')}`;
    if (text.length <= PAGE_BUDGET) break;
  }
  // A case shows at most one event by now, and an employee has two cases in a period: always well within 4096.
  return text;
}

export function caseLogsKeyboard(pdId: string, period: ReportPeriod, backPage: number, org: OrgRating | null) {
  return Markup.inlineKeyboard([
    [Markup.button.callback('⬅️ Kembali ke daftar pegawai', reportCallbacks.perangkatDaerah(pdId, period, backPage, org))],
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Overdue steps

export function overdueText(rows: OverdueStep[], total: number, page: number, period: ReportPeriod | null): string {
  const pages = Math.max(1, Math.ceil(total / OVERDUE_PER_PAGE));
  const head =
    `⏰ <b>Langkah lewat SLA</b> — ${total} langkah (${period ? escapeHtml(periodLabel(period)) : 'semua periode'})` +
    ` · halaman ${page + 1}/${pages}\nTerlama di atas; waktu dihitung dalam jam kerja.`;
  const lines = rows.map((r, i) => {
    const n = page * OVERDUE_PER_PAGE + i + 1;
    const reach = !r.holderLinked ? ' (📵 belum tertaut)' : r.holderUnreachable ? ' (🚫 tidak dapat dihubungi)' : '';
    const holder = r.holderNama ? `${r.holderNama}${reach}` : 'belum ada pemegang';
    const over = r.overMinutes > 0 ? `, lewat SLA ${formatDuration(r.overMinutes)}` : '';
    const missed =
      r.notReached.length > 0 ? `\n   🚫 Tidak dapat dihubungi: ${escapeHtml(r.notReached.join(', '))} (pesan diteruskan ke pengganti)` : '';
    return (
      `${n}. <b>${escapeHtml(r.stepLabel)}</b> · ${escapeHtml(casePeriodLabel(r.period))} · ${escapeHtml(r.subjectNama)} (${escapeHtml(r.pdName)})\n` +
      `   Pemegang: ${escapeHtml(holder)} · menunggu ${formatDuration(r.ageMinutes)}${over}${missed}`
    );
  });
  return `${head}\n\n${lines.join('\n')}${rows.length > 0 ? '\n\nKetuk 🔔 untuk mengingatkan pemegang langkah sekarang juga.' : ''}`;
}

export function overdueKeyboard(rows: OverdueStep[], total: number, page: number, period: ReportPeriod | null) {
  const pages = Math.max(1, Math.ceil(total / OVERDUE_PER_PAGE));
  const buttons = rows
    .map((r, i) => ({ r, n: page * OVERDUE_PER_PAGE + i + 1 }))
    .filter(({ r }) => r.holderId && r.holderLinked && !r.holderUnreachable)
    .map(({ r, n }) => Markup.button.callback(`🔔 Ingatkan ${n}`, reportCallbacks.remind(r.caseId, r.version)));
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 4) keyboard.push(buttons.slice(i, i + 4));
  const nav = navRow(page, pages, (p) => reportCallbacks.overdue(p, period));
  if (nav.length > 0) keyboard.push(nav);
  return Markup.inlineKeyboard(keyboard);
}

/** For BKPP under /rekap terlambat: notifications Telegram kept refusing until the bot stopped trying. */
export function undeliveredText(u: { total: number; latest: UndeliveredNotification[] }, timeZone: AgencyTimeZone): string {
  if (u.total === 0) return '';
  const lines = u.latest.map((n) => {
    const who = n.recipientNama ? escapeHtml(n.recipientNama) : 'penerima tidak dikenal';
    const about = n.subjectNama ? ` (terkait ${escapeHtml(n.subjectNama)})` : '';
    return `• ${who}${about}, ${escapeHtml(formatShortDateTime(n.at, timeZone))}`;
  });
  const more = u.total > u.latest.length ? `\n… dan ${u.total - u.latest.length} lainnya.` : '';
  return (
    `\n\n📭 <b>Pemberitahuan gagal terkirim</b>: ${u.total}\n` +
    `Telegram terus menolak pesan berikut sampai batas waktu percobaan habis; mohon Bapak/Ibu sampaikan langsung:\n` +
    `${lines.join('\n')}${more}`
  );
}

/** The reminder the holder of an overdue step receives. */
export function reminderText(info: ReminderInfo, timeZone: AgencyTimeZone): string {
  return [
    `🔔 <b>Pengingat</b> dari ${escapeHtml(info.actorNama)}`,
    '',
    `Mohon segera ditindaklanjuti: <b>${escapeHtml(info.stepLabel)}</b>`,
    `${escapeHtml(info.procedureTitle)} · ${escapeHtml(casePeriodLabel(info.period))}`,
    `Pegawai: ${escapeHtml(info.subjectNama)}`,
    `Menunggu sejak ${escapeHtml(formatDateTime(info.enteredAt, timeZone))} (${formatDuration(info.waitingMinutes)} waktu kerja).`,
    ...(info.slaDueAt ? [`Batas waktu: ${escapeHtml(formatDateTime(info.slaDueAt, timeZone))}.`] : []),
    '',
    info.holderIsSubject
      ? 'Ketik /status untuk melihat apa yang perlu Bapak/Ibu lengkapi.'
      : 'Ketik /tugas untuk melihat tugas yang menunggu Bapak/Ibu.',
  ].join('\n');
}

/** Toast after a tap on Ingatkan (answerCbQuery allows 200 characters). */
export function reminderResultText(result: ReminderResult): string {
  const nama = result.holderNama ?? 'Pemegang langkah';
  const text = result.ok
    ? `🔔 Pengingat terkirim ke ${fullStop(nama)}`
    : {
        not_found: 'Pengajuan ini tidak ditemukan.',
        not_in_scope: 'Pengajuan ini di luar cakupan rekap Bapak/Ibu.',
        stale: 'Langkah ini sudah berpindah sejak daftar dibuat. Buka /rekap terlambat lagi.',
        closed: 'Pengajuan ini sudah selesai atau dibatalkan.',
        no_holder: 'Langkah ini belum punya pemegang (data atasan atau pengelola kosong).',
        not_linked: `${nama} belum menautkan akun Telegram, jadi pengingat tidak dapat dikirim.`,
        already_today: `${nama} sudah diingatkan hari ini untuk langkah ini.`,
        unreachable: `${nama} tidak dapat dihubungi lewat Telegram (bot diblokir atau belum dibuka).`,
      }[result.reason];
  return text.slice(0, 200);
}

// ---------------------------------------------------------------------------------------------------------
// Mutu baku

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
