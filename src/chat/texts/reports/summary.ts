// The recap summary: per perangkat daerah blocks cut into pages, and its keyboard.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import {
  periodLabel,
  SKP_STATE_LABELS,
  SKP_STATES, type PdRecap,
  type Recap, type ReportScope
} from '../../../app/reports.js';
import type { AgencyTimeZone } from '../../../domain/calendar.js';
import { formatDateTime, formatDuration } from '../../../domain/format.js';
import { ORG_RATING_LABELS, PREDIKAT_LABELS, PREDIKATS } from '../../../domain/predikat.js';
import { escapeHtml } from '../common.js';
import { PAGE_BUDGET, shorten, navRow } from './paging.js';
import { reportCallbacks } from './callbacks.js';

export function scopeText(scope: ReportScope, recap: { units: ReadonlyArray<{ pdName: string }> }): string {
  if (scope.kind === 'all') return recap.units.length > 0 ? `semua perangkat daerah (${recap.units.length})` : 'semua perangkat daerah';
  if (scope.kind === 'reports') return 'bawahan langsung Bapak/Ibu';
  return recap.units.map((u) => u.pdName).join(', ') || 'perangkat daerah Bapak/Ibu';
}

export const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`);

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
