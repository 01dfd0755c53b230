// Overdue steps, undelivered notifications, and the reminder sent to whoever holds an overdue step.
import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import type { UndeliveredNotification } from '../../../app/undelivered.js';
import {
  periodLabel, type OverdueStep, type ReminderInfo,
  type ReminderResult,
  type ReportPeriod
} from '../../../app/reports.js';
import type { AgencyTimeZone } from '../../../domain/calendar.js';
import { formatDateTime, formatDuration, formatShortDateTime } from '../../../domain/format.js';
import { clipText, escapeHtml, fullStop } from '../common.js';
import { OVERDUE_PER_PAGE, navRow } from './paging.js';
import { reportCallbacks } from './callbacks.js';
import { casePeriodLabel } from './case-logs.js';

/** A step whose holder a tap on 🔔 can remind: reachable, and not the reader (whose own steps are in /tugas). */
function remindable(r: OverdueStep, viewerId: string): boolean {
  return r.holderId !== null && r.holderId !== viewerId && r.holderLinked && !r.holderUnreachable;
}

export function overdueText(rows: OverdueStep[], total: number, page: number, period: ReportPeriod | null, viewerId: string): string {
  const pages = Math.max(1, Math.ceil(total / OVERDUE_PER_PAGE));
  const head =
    `⏰ <b>Langkah lewat SLA</b> — ${total} langkah (${period ? escapeHtml(periodLabel(period)) : 'semua periode'})` +
    ` · halaman ${page + 1}/${pages}\nTerlama di atas; waktu dihitung dalam jam kerja.`;
  const lines = rows.map((r, i) => {
    const n = page * OVERDUE_PER_PAGE + i + 1;
    const reach = !r.holderLinked ? ' (📵 belum tertaut)' : r.holderUnreachable ? ' (🚫 tidak dapat dihubungi)' : '';
    const holder = r.holderId === viewerId ? 'Bapak/Ibu sendiri (/tugas)' : r.holderNama ? `${r.holderNama}${reach}` : 'belum ada pemegang';
    const over = r.overMinutes > 0 ? `, lewat SLA ${formatDuration(r.overMinutes)}` : '';
    // Who the SLA messages missed: told through a stand-in, or not at all (a BKPP admin has none).
    const names = (standIn: boolean) => r.notReached.filter((x) => x.standIn === standIn).map((x) => x.nama).join(', ');
    const missed =
      (names(true) ? `\n   🚫 Tidak dapat dihubungi: ${escapeHtml(names(true))} (pesan diteruskan kepada pengganti)` : '') +
      (names(false) ? `\n   📵 Pengingat tidak sampai kepada: ${escapeHtml(names(false))} (belum tertaut Telegram atau tidak dapat dihubungi)` : '');
    return (
      `${n}. <b>${escapeHtml(r.stepLabel)}</b> · ${escapeHtml(casePeriodLabel(r.period))} · ${escapeHtml(r.subjectNama)} (${escapeHtml(r.pdName)})\n` +
      `   Pemegang: ${escapeHtml(holder)} · menunggu ${formatDuration(r.ageMinutes)}${over}${missed}`
    );
  });
  const hint = rows.some((r) => remindable(r, viewerId)) ? '\n\nKetuk 🔔 untuk mengingatkan pemegang langkah sekarang juga.' : '';
  return `${head}\n\n${lines.join('\n')}${hint}`;
}

export function overdueKeyboard(rows: OverdueStep[], total: number, page: number, period: ReportPeriod | null, viewerId: string) {
  const pages = Math.max(1, Math.ceil(total / OVERDUE_PER_PAGE));
  const buttons = rows
    .map((r, i) => ({ r, n: page * OVERDUE_PER_PAGE + i + 1 }))
    .filter(({ r }) => remindable(r, viewerId))
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
        own_step: 'Langkah ini menunggu Bapak/Ibu sendiri: buka /tugas untuk menyelesaikannya.',
        not_linked: `${nama} belum menautkan akun Telegram, jadi pengingat tidak dapat dikirim.`,
        already_today: `${nama} sudah diingatkan hari ini untuk langkah ini.`,
        unreachable: `${nama} tidak dapat dihubungi lewat Telegram (bot diblokir atau belum dibuka).`,
      }[result.reason];
  // An answer to a tap holds at most 200 characters.
  return clipText(text, 200);
}
