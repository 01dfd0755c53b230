// The cases of one employee with their event logs.
import { Markup } from 'telegraf';
import {
  EVENT_LABELS, parsePeriod,
  periodLabel,
  SKP_STATE_LABELS, type CaseLog, type ReportPeriod
} from '../../../app/reports.js';
import type { AgencyTimeZone } from '../../../domain/calendar.js';
import { formatShortDateTime } from '../../../domain/format.js';
import { PREDIKAT_LABELS, type OrgRating } from '../../../domain/predikat.js';
import { escapeHtml } from '../common.js';
import { PAGE_BUDGET, shorten } from './paging.js';
import { reportCallbacks } from './callbacks.js';

export function casePeriodLabel(period: string): string {
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
