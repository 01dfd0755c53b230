// Indonesian texts and keyboards of the approver side: step requests, outcomes, rating, notices to the subject.
import { keberatanOriginOf } from '../../app/keberatan-decision.js';
import { isObjectable } from '../../app/keberatan.js';
import { Markup } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { CaseView } from '../../app/case-view.js';
import { hasilKerjaOfOrgRating, type CurveAtRating, type RealisationStatus, type YearSummary } from '../../app/annual-evaluation.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDateTime, formatDuration, localYearMonthOf } from '../../domain/format.js';
import { formatNip } from '../../domain/nip.js';
import { isPeriodKey, periodKeyLabel, periodNoun, periodOfKey } from '../../domain/period.js';
import { CURVE_RULE_TEXT, ORG_RATING_LABELS, PREDIKAT_LABELS, PREDIKATS, RATING_LABELS, predikatOf, type Rating } from '../../domain/predikat.js';
import { documentKindFor } from '../../app/documents.js';
import { typedInputsOf, type Procedure, type Step, type TextKelengkapan } from '../../domain/procedure.js';
import { keberatanTexts } from './keberatan.js';
import { clipText, escapeHtml, fullStop } from './common.js';
import { caseCallback } from '../buttons/case.js';

const MAX_TEXT = 3900; // under Telegram's 4096, leaving room for the outcome line

export { caseCallback } from '../buttons/case.js';

/** 'Maret 2026', 'Triwulan II 2026', 'Tahun 2026' for a case's period key. */
export const periodLabel = periodKeyLabel;

const headings: Record<Step['action'], string> = {
  submit: '📝 Tugas input',
  verify: '📋 Permintaan verifikasi',
  establish: '📋 Permintaan persetujuan dan penetapan',
  rate: '⭐ Penilaian kinerja',
  sign: '✍️ Permintaan tanda tangan',
  acknowledge: '📨 Hasil penilaian kinerja',
  collect: '📦 SKP siap dihimpun dan diteruskan ke BKPP',
  receive: '📥 SKP diteruskan kepada BKPP',
  print: '🖨️ Cetak dokumen',
  archive: '🗄️ Arsipkan dokumen',
};

function aspekLabel(aspek: string | undefined): string {
  return aspek ? aspek.charAt(0).toUpperCase() + aspek.slice(1) : 'Indikator';
}

/** The body shared by requests and outcome edits: who, what, which resubmission, when. */
const DEADLINE_LABEL = 'Batas waktu: ';

/** A request's HTML without its batas waktu line, as caseSummary leaves it out of a decided request. */
export function withoutDeadlineLine(html: string): string {
  return html.replace(new RegExp(`\n${DEADLINE_LABEL}[^\n]*(?=\n)`), '');
}

export function caseSummary(view: CaseView, timeZone: AgencyTimeZone, options: { full?: boolean; decided?: boolean } = {}): string {
  const { row, subject, procedure, step } = view;
  const lines: string[] = [
    `<b>${escapeHtml(procedure.title)}</b> — ${escapeHtml(periodLabel(row.period))}`,
    '',
    `Pegawai: <b>${escapeHtml(subject.nama)}</b>`,
    `NIP: ${formatNip(subject.nip)}`,
    `Jabatan: ${escapeHtml(subject.jabatan)}`,
    `Unit: ${escapeHtml(subject.unitPath)}`,
  ];
  // A first submission needs no revision number; a resubmission says so, as the printed SKP does ("Revisi: ke-2").
  if (row.revision > 1) lines.push(`Revisi: ke-${row.revision} (diajukan ulang setelah dikembalikan)`);
  if (row.late) lines.push('⚠️ Diajukan setelah batas waktu');
  if (row.submittedAt) lines.push(`Diajukan: ${formatDateTime(row.submittedAt, timeZone)}`);
  lines.push(`Tahap ${step.no}: ${escapeHtml(step.uraian)}`);
  if (!options.decided && row.slaDueAt && (row.status === 'active' || row.status === 'returned')) {
    lines.push(`${DEADLINE_LABEL}${formatDateTime(row.slaDueAt, timeZone)}`);
  }
  const limit = options.full ? Infinity : 8;
  if (view.rhk.length > 0) {
    lines.push('', `<b>Rencana Hasil Kerja (${view.rhk.length})</b>`);
    view.rhk.slice(0, limit).forEach((rhk, i) => {
      lines.push(`${i + 1}. [${escapeHtml(rhk.jenis ?? 'utama')}] ${escapeHtml(rhk.text)}`);
      if (rhk.rhkAtasan) lines.push(`   ↳ mendukung RHK atasan: ${escapeHtml(rhk.rhkAtasan)}`);
      for (const iki of rhk.indikator ?? []) {
        const name = iki.indikator?.trim() ? `: ${escapeHtml(iki.indikator.trim())}` : '';
        lines.push(`   • ${escapeHtml(aspekLabel(iki.aspek))}${name}${iki.target ? ` — target ${escapeHtml(iki.target)}` : ''}`);
      }
    });
    if (view.rhk.length > limit) lines.push(`… dan ${view.rhk.length - limit} RHK lain (tekan 📄 Detail)`);
  }
  if (view.realisasi.length > 0) {
    const rhkText = new Map(view.rhk.map((r) => [r.id, r.text]));
    lines.push('', `<b>Realisasi ${escapeHtml(periodLabel(row.period))}</b>`);
    view.realisasi.slice(0, limit).forEach((r, i) => {
      const label = rhkText.get(r.rhkId) ?? r.rhkText ?? `RHK ${i + 1}`;
      lines.push(`${i + 1}. ${escapeHtml(label)}\n   Realisasi: ${escapeHtml(r.realisasi)} — bukti dukung: ${r.buktiCount} berkas`);
    });
    if (view.realisasi.length > limit) lines.push(`… dan ${view.realisasi.length - limit} lainnya (tekan 📄 Detail)`);
  }
  if (view.year) lines.push('', ...yearSummaryLines(view.year, options.full ? Infinity : 6));
  // What was typed at earlier steps (a nomination's summary, its score), so the next actor decides on it.
  const data = row.data as Record<string, unknown>;
  // An objection shows the result it objects to.
  const origin = procedure.purpose === 'keberatan' ? keberatanOriginOf(data) : null;
  if (origin) lines.push('', keberatanTexts.origin(origin.asal));
  const typed = new Map<string, TextKelengkapan>();
  for (const s of procedure.steps) for (const r of s.requires) if (r.kind === 'text' && !typed.has(r.key)) typed.set(r.key, r);
  for (const item of typed.values()) {
    const value = data[item.key];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const shown = options.full || value.length <= 700 ? value : `${value.slice(0, 700)}…`;
    lines.push('', `<b>${escapeHtml(item.label)}:</b>\n${escapeHtml(shown)}`);
  }
  if (view.evidenceCount > 0 && view.realisasi.length === 0) lines.push('', `Lampiran: ${view.evidenceCount} berkas`);
  const text = lines.join('\n');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 40)}\n… (terpotong, tekan 📄 Detail)` : text;
}

const STATUS_SHORT: Record<RealisationStatus, string> = { on_time: 'tepat waktu', late: 'terlambat', missing: 'tidak masuk' };
const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
/** 'Mar' for a month, 'Triwulan II' / 'Semester I' for the longer periods (the year is in the heading). */
function monthShort(period: string): string {
  if (!isPeriodKey(period)) return period;
  const p = periodOfKey(period);
  return p.kind === 'bulanan' ? MONTH_SHORT[p.index - 1]! : periodKeyLabel(period).replace(/ \d{4}$/, '');
}
const periodNounOf = (period: string) => (isPeriodKey(period) ? periodNoun(periodOfKey(period).kind) : 'periode');

/** The compact year the pejabat penilai reads before rating it: each period, then the RHK and their realisation. */
export function yearSummaryLines(year: YearSummary, rhkLimit: number): string[] {
  const lines = [`<b>Ringkasan tahun ${year.year}</b>`];
  for (const p of year.periods) {
    const predikat = p.predikat ? PREDIKAT_LABELS[p.predikat] : 'belum dinilai';
    lines.push(`• ${monthShort(p.period)}: ${predikat} (realisasi ${STATUS_SHORT[p.status]})`);
  }
  if (year.missingPeriods.length > 0) {
    lines.push(`• Tanpa realisasi: ${year.missingPeriods.map(monthShort).join(', ')}`);
  }
  const counts = { on_time: 0, late: 0, missing: year.missingPeriods.length };
  for (const p of year.periods) counts[p.status]++;
  lines.push(`Realisasi: tepat waktu ${counts.on_time} · terlambat ${counts.late} · tidak masuk ${counts.missing}`);
  if (year.rhk.length > 0) {
    lines.push('', `<b>RHK dan realisasinya</b>`);
    year.rhk.slice(0, rhkLimit).forEach((r, i) => {
      const last = r.realisasi.at(-1);
      const shown = last ? `${escapeHtml(clipText(last.text, 120))} (${monthShort(last.period)}; dilaporkan ${r.realisasi.length} ${periodNounOf(last.period)})` : 'belum ada realisasi';
      lines.push(`${i + 1}. [${r.jenis}] ${escapeHtml(r.text)}
   Realisasi: ${shown}`);
    });
    if (year.rhk.length > rhkLimit) lines.push(`… dan ${year.rhk.length - rhkLimit} RHK lain (tekan 📄 Detail)`);
  }
  return lines;
}

/**
 * A request once decided: its own heading and step, then what happened. The case may have moved on, but the message
 * keeps saying what was asked of its reader, so it never reads as if they did the next step.
 */
export function decidedText(view: CaseView, decidedStep: Step | null, timeZone: AgencyTimeZone, outcome: string): string {
  const step = decidedStep ?? view.step;
  return `${headings[step.action]}\n\n${caseSummary({ ...view, step }, timeZone, { decided: true })}\n\n${outcome}`;
}

export function requestText(view: CaseView, timeZone: AgencyTimeZone): string {
  const heading = headings[view.step.action];
  const hint = requestHint(view.step, view.procedure);
  // A step sent back to a role holder (a nomination returned to the pengelola) says why, as the subject's notice does.
  const returned =
    view.row.status === 'returned' && view.lastReturnReason ? `\n\n↩️ <b>Dikembalikan.</b> Alasan: ${escapeHtml(view.lastReturnReason)}` : '';
  return `${heading}\n\n${caseSummary(view, timeZone)}${returned}${hint ? `\n\n${hint}` : ''}`;
}

/** What a request asks of its reader, last in its message: once answered, it gives way to the outcome. */
export function requestHint(step: Step, procedure: CaseView['procedure']): string {
  return stepHint(step, documentKindFor(procedure) !== null);
}

/** What a result delivered to the ASN asks, last in its message (removed from it once answered). */
export const ACKNOWLEDGE_QUESTION = 'Tekan <b>Terima</b> sebagai tanda Bapak/Ibu sudah menerima hasil ini.';

function stepHint(step: Step, printable: boolean): string {
  const typed = typedInputsOf(step)[0];
  if (typed) {
    const what = escapeHtml(lowerFirst(typed.label));
    if (step.action === 'establish') {
      return `Periksa, lalu pilih <b>Tetapkan &amp; beri nilai</b> (lalu ketik ${what}) atau <b>Kembalikan</b> (pengembalian wajib disertai alasan).`;
    }
    return `Tekan <b>${escapeHtml(typedButtonLabel(step, typed).replace(/^\S+ /, ''))}</b>, lalu ketik ${what}.`;
  }
  switch (step.action) {
    case 'verify':
      return 'Periksa, lalu pilih <b>Setujui</b> atau <b>Kembalikan</b> (pengembalian wajib disertai alasan).';
    case 'establish':
      return 'Periksa, lalu pilih <b>Setujui &amp; tetapkan</b> atau <b>Kembalikan</b> (pengembalian wajib disertai alasan).';
    case 'receive':
      return 'Periksa, lalu pilih <b>Terima</b> atau <b>Kembalikan</b> (pengembalian wajib disertai alasan).';
    case 'rate':
      return step.returnTo !== undefined
        ? 'Pilih penilaian <b>hasil kerja</b>, atau <b>Kembalikan</b> bila isian atau bukti dukungnya perlu diperbaiki (pengembalian wajib disertai alasan):'
        : 'Pilih penilaian <b>hasil kerja</b>:';
    case 'sign':
      return 'Setelah dokumen ditandatangani, tekan <b>Sudah ditandatangani</b> atau kirim pindaian (scan) dokumen bertanda tangan sebagai balasan pesan ini.';
    case 'print':
      return printable ? 'Unduh PDF, cetak, lalu tekan <b>Sudah dicetak</b>.' : 'Setelah dicetak, tekan <b>Sudah dicetak</b>.';
    case 'archive':
      return 'Setelah dokumen diarsipkan (fisik dan digital), tekan <b>Sudah diarsipkan</b>.';
    case 'collect':
      return 'Teruskan ke BKPP dari sini, atau sekaligus banyak lewat /kumpulkan.';
    case 'acknowledge':
      return ACKNOWLEDGE_QUESTION;
    default:
      return 'Setelah selesai, tekan <b>Sudah dilakukan</b>.';
  }
}

export function requestKeyboard(view: CaseView): InlineKeyboardMarkup {
  const markup = baseKeyboard(view);
  // Evidence is one tap away on every request that has any.
  if (view.evidenceCount > 0 && view.step.action !== 'acknowledge') {
    // Evidence of results is "bukti dukung"; a nomination's data or an SKP draft is an attachment.
    const label = view.realisasi.length > 0 ? 'Bukti dukung' : 'Lampiran';
    markup.inline_keyboard.push([Markup.button.callback(`📎 ${label} (${view.evidenceCount})`, caseCallback({ op: 'bk', caseId: view.row.id, version: view.row.version }))]);
  }
  return markup;
}

const lowerFirst = (text: string) => `${text.charAt(0).toLowerCase()}${text.slice(1)}`;

/** The button of a step that asks for typed input first ("✍️ Isi ringkasan prestasi", "✅ Tetapkan & beri nilai"). */
function typedButtonLabel(step: Step, typed: TextKelengkapan): string {
  if (step.action === 'establish') return '✅ Tetapkan & beri nilai';
  return clipText(`✍️ Isi ${lowerFirst(typed.label)}`, 60);
}

function baseKeyboard(view: CaseView): InlineKeyboardMarkup {
  const { row, step } = view;
  const cb = (op: 'ok' | 'rt' | 'dt' | 'pd') => caseCallback({ op, caseId: row.id, version: row.version });
  const detail = Markup.button.callback('📄 Detail', cb('dt'));
  // The PDF button only where the bot prints the document (not for forms printed from another system).
  const pdf = documentKindFor(view.procedure) !== null ? [Markup.button.callback('📄 Unduh PDF', cb('pd'))] : [];
  const typed = typedInputsOf(step)[0];
  if (typed) {
    const first = Markup.button.callback(typedButtonLabel(step, typed), cb('ok'));
    const decision = ['verify', 'establish', 'receive', 'collect'].includes(step.action);
    return Markup.inlineKeyboard([decision ? [first, Markup.button.callback('↩️ Kembalikan', cb('rt'))] : [first], [detail]]).reply_markup;
  }
  switch (step.action) {
    case 'verify':
      return Markup.inlineKeyboard([[Markup.button.callback('✅ Setujui', cb('ok')), Markup.button.callback('↩️ Kembalikan', cb('rt'))], [detail]]).reply_markup;
    case 'establish':
      return Markup.inlineKeyboard([[Markup.button.callback('✅ Setujui & tetapkan', cb('ok')), Markup.button.callback('↩️ Kembalikan', cb('rt'))], [detail]]).reply_markup;
    case 'receive':
      return Markup.inlineKeyboard([[Markup.button.callback('✅ Terima', cb('ok')), Markup.button.callback('↩️ Kembalikan', cb('rt'))], [detail]]).reply_markup;
    case 'collect':
      return Markup.inlineKeyboard([[Markup.button.callback('📤 Teruskan ke BKPP', cb('ok')), Markup.button.callback('↩️ Kembalikan', cb('rt'))], [detail]]).reply_markup;
    case 'rate':
      return ratingKeyboard(row.id, row.version, 'hk', undefined, step.returnTo !== undefined);
    case 'sign':
      return Markup.inlineKeyboard([[Markup.button.callback('✍️ Sudah ditandatangani', cb('ok'))], [...pdf, detail]]).reply_markup;
    case 'print':
      return Markup.inlineKeyboard([[...pdf, Markup.button.callback('✅ Sudah dicetak', cb('ok'))], [detail]]).reply_markup;
    case 'archive':
      return Markup.inlineKeyboard([[Markup.button.callback('🗄️ Sudah diarsipkan', cb('ok'))], [detail]]).reply_markup;
    case 'acknowledge':
      return Markup.inlineKeyboard([[Markup.button.callback('✅ Terima', cb('ok'))], ...(pdf.length > 0 ? [pdf] : [])]).reply_markup;
    default:
      return Markup.inlineKeyboard([[Markup.button.callback('✅ Sudah dilakukan', cb('ok'))], [detail]]).reply_markup;
  }
}

/** Files of a case sent as documents when the approver taps 📎 (Telegram re-sends them by file_id). */
export const MAX_EVIDENCE_SENT = 20;

/** `returnable`: the step may send the case back (a realisation whose evidence does not fit), so Kembalikan is offered. */
export function ratingKeyboard(caseId: string, version: number, op: 'hk' | 'pl', chosenHk?: Rating, returnable = false): InlineKeyboardMarkup {
  const data = (r: Rating) => caseCallback(op === 'hk' ? { op, caseId, version, hk: r } : { op, caseId, version, hk: chosenHk!, pl: r });
  const detail = Markup.button.callback('📄 Detail', caseCallback({ op: 'dt', caseId, version }));
  return Markup.inlineKeyboard([
    ...(['di_atas', 'sesuai', 'di_bawah'] as Rating[]).map((r) => [Markup.button.callback(RATING_LABELS[r], data(r))]),
    returnable ? [detail, Markup.button.callback('↩️ Kembalikan', caseCallback({ op: 'rt', caseId, version }))] : [detail],
  ]).reply_markup;
}

/**
 * Where the perangkat daerah's distribution stands if this predikat is confirmed (SE MenPANRB 3/2023). It warns;
 * it never blocks the rating.
 */
export function curveLines(curve: CurveAtRating, hk: Rating): string[] {
  const shares = PREDIKATS.filter((p) => curve.counts[p] > 0)
    .map((p) => `${PREDIKAT_LABELS[p]} ${curve.counts[p]}`)
    .join(' · ');
  const lines = [`📈 <b>Sebaran predikat ${escapeHtml(curve.perangkatDaerahName)}</b> bila penilaian ini dikirim: ${shares}`];
  if (!curve.orgRating) {
    lines.push('Capaian kinerja organisasi periode ini belum ditetapkan (/capaian), sehingga kurva belum dapat diperiksa.');
    return lines;
  }
  lines.push(`Capaian kinerja organisasi: <b>${ORG_RATING_LABELS[curve.orgRating]}</b> — ${CURVE_RULE_TEXT[curve.orgRating]}.`);
  if (curve.departures.length === 0) lines.push('✅ Sesuai kurva distribusi.');
  else lines.push(`⚠️ <b>Belum sesuai kurva distribusi:</b> ${curve.departures.map((d) => escapeHtml(d.message)).join('; ')}. Penilaian tetap dapat dikirim.`);
  if (curve.subjectIsHead) {
    const expected = hasilKerjaOfOrgRating(curve.orgRating);
    if (expected !== hk) {
      lines.push(`⚠️ Pegawai ini memimpin perangkat daerah: rating hasil kerjanya mengikuti capaian organisasi (<b>${RATING_LABELS[expected]}</b>).`);
    }
  }
  return lines;
}

export const approvalTexts = {
  chosenHasilKerja: (r: Rating) => `Hasil kerja: <b>${RATING_LABELS[r]}</b>\n\nSekarang pilih penilaian <b>perilaku kerja</b>:`,
  askFeedback: (hk: Rating, pl: Rating, annual = false) =>
    `Hasil kerja: <b>${RATING_LABELS[hk]}</b>\nPerilaku kerja: <b>${RATING_LABELS[pl]}</b>\n\n` +
    (annual
      ? 'Tuliskan <b>catatan/rekomendasi</b> untuk pegawai atas kinerja satu tahun sebagai balasan pesan ini (opsional), atau tekan <b>Lewati</b>.\n\n' +
        'Umpan balik per RHK atau per nilai BerAKHLAK boleh ditulis satu per baris, misalnya:\n' +
        '<code>RHK 1: capaian di atas target</code>\n<code>Akuntabel: laporan selalu tepat waktu</code>'
      : 'Tuliskan <b>umpan balik</b> untuk pegawai sebagai balasan pesan ini (opsional), atau tekan <b>Lewati</b>.\n' +
        'Umpan balik per RHK atau per nilai BerAKHLAK boleh ditulis satu per baris, misalnya <code>RHK 1: …</code> atau <code>Akuntabel: …</code>.'),
  feedbackPlaceholder: 'Umpan balik untuk pegawai…',
  confirmRating: (hk: Rating, pl: Rating, catatan: string | null, curve: CurveAtRating | null = null, annual = false) =>
    `Konfirmasi penilaian${annual ? ' tahunan' : ''}:\n\nHasil kerja: <b>${RATING_LABELS[hk]}</b>\nPerilaku kerja: <b>${RATING_LABELS[pl]}</b>\n` +
    `Predikat: <b>${PREDIKAT_LABELS[predikatOf(hk, pl)]}</b>\n${annual ? 'Catatan/rekomendasi' : 'Umpan balik'}: ${catatan ? escapeHtml(catatan) : '-'}\n\n` +
    `${curve ? `${curveLines(curve, hk).join('\n')}\n\n` : ''}${approvalTexts.confirmRatingQuestion}`,
  /** The last line of confirmRating, dropped from the message once the rating is sent. */
  confirmRatingQuestion: 'Kirim penilaian ini?',
  askReturnReason: (nama: string) =>
    `Tuliskan <b>alasan pengembalian</b> untuk ${escapeHtml(nama)} sebagai balasan pesan ini (minimal 10 karakter), agar pegawai tahu apa yang harus diperbaiki. Ketik /batal untuk membatalkan.`,
  returnPlaceholder: 'Alasan pengembalian…',
  reasonTooShort: 'Alasan terlalu singkat: mohon tulis minimal 10 karakter. Silakan tulis ulang, atau /batal.',
  returnDone: (nama: string) => `↩️ Pengajuan ${escapeHtml(nama)} sudah dikembalikan beserta alasannya.`,
  ratingDone: (nama: string, predikat: string) => `✅ Penilaian untuk ${escapeHtml(nama)} tersimpan. Predikat: <b>${predikat}</b>.`,
  replyWithTextPlease: 'Mohon kirim alasan dalam bentuk teks, atau ketik /batal.',
  feedbackTextPlease: 'Mohon kirim umpan balik dalam bentuk teks, tekan Lewati, atau ketik /batal.',
  conversationExpired: 'Isian ini sudah tidak berlaku karena pengajuan sudah berubah. Silakan buka /tugas.',
  signedScanReceived: 'Pindaian dokumen bertanda tangan diterima dan diarsipkan.',
  archiveIncomplete: (missing: number) =>
    `Masih ada ${missing} berkas bukti dukung yang belum tersimpan di arsip. Coba lagi beberapa saat lagi.`,
  noTasks: '✅ Tidak ada tugas yang menunggu Bapak/Ibu saat ini.',
  tasksHeading: (n: number) => `<b>Tugas menunggu (${n})</b>, terlama lebih dulu:`,
  openTask: 'Buka',
  collectNone: 'Tidak ada SKP yang menunggu dihimpun di perangkat daerah Bapak/Ibu.',
  collectHeading: (n: number) =>
    `<b>SKP siap diteruskan ke BKPP (${n})</b>\nCentang yang akan diteruskan, atau tekan <b>Teruskan semua</b>.`,
  collectDone: (n: number, skipped: number) =>
    `📤 ${n} SKP diteruskan ke BKPP.${skipped > 0 ? ` ${skipped} tidak diteruskan karena sudah diproses.` : ''}`,
};

/** What a decided request says happened: each step with its own verb ("📥 Diterima", not "Disetujui", at BKPP). */
const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  submit: '✅ Dikirim',
  verify: '✅ Diverifikasi dan disetujui',
  establish: '✅ Disetujui dan ditetapkan',
  rate: '⭐ Dinilai',
  sign: '✍️ Ditandatangani',
  acknowledge: '✅ Diterima',
  collect: '📦 Dihimpun dan diteruskan',
  receive: '📥 Diterima',
  print: '🖨️ Dicetak',
  archive: '🗄️ Diarsipkan',
  returned: '↩️ Dikembalikan',
  done: '✅ Selesai',
  processed: '☑️ Sudah diproses',
};

export type OutcomeKind = Step['action'] | 'returned' | 'done' | 'processed';

export function outcomeLine(kind: OutcomeKind, by: string, at: Date, timeZone: AgencyTimeZone, extra?: string): string {
  const when = formatDateTime(at, timeZone);
  const label = OUTCOME_LABELS[kind];
  return `${label} oleh ${escapeHtml(by)} pada ${when}${extra ? `\n${extra}` : ''}`;
}

export function taskLine(i: number, view: { nama: string; title: string; period: string; step: Step; enteredAt: Date; slaDueAt: Date | null }, now: Date, ageMinutes: number): string {
  const due = view.slaDueAt;
  const sla = !due ? '' : due.getTime() < now.getTime() ? ' — ⛔ lewat batas waktu' : due.getTime() - now.getTime() < 4 * 3600_000 ? ' — ⚠️ mendekati batas' : '';
  // The age counts working time: none has passed for a request that came in minutes ago or after hours.
  const age =
    Math.round(ageMinutes) >= 1
      ? `menunggu ${formatDuration(ageMinutes)}`
      : now.getTime() - view.enteredAt.getTime() < 60_000
        ? 'baru saja masuk'
        : 'masuk di luar jam kerja';
  return `${i}. ${escapeHtml(view.nama)} — ${escapeHtml(clipText(view.step.uraian, 60))} (${escapeHtml(periodLabel(view.period))}), ${age}${sla}`;
}

/** Notices to the subject (and others) about what happened to a case. */
export const notices = {
  returned: (view: CaseView, by: string, reason: string, command: string) =>
    `↩️ <b>${escapeHtml(view.procedure.title)}</b> (${escapeHtml(periodLabel(view.row.period))}) dikembalikan oleh ${fullStop(escapeHtml(by))}\n\n` +
    `<b>Alasan:</b> ${escapeHtml(reason)}\n\nSilakan perbaiki lalu kirim ulang lewat ${command}.`,
  requestToStandIn: (view: CaseView, missed: string) =>
    `📮 <b>Permintaan tidak tersampaikan</b>\n\n${escapeHtml(view.procedure.title)} (${escapeHtml(periodLabel(view.row.period))}) ` +
    `untuk ${escapeHtml(view.subject.nama)} menunggu tindakan ${escapeHtml(missed)} pada tahap: ${escapeHtml(view.step.uraian)}.\n\n` +
    `${escapeHtml(missed)} tidak dapat dihubungi lewat Telegram (bot diblokir atau belum dibuka), sehingga pesan ini disampaikan ` +
    `kepada Bapak/Ibu sebagai pengganti. Mohon bantu menyampaikannya; yang lewat batas waktu tampil di <code>/rekap terlambat</code>.`,
  progressed: (view: CaseView, holder: string | null) =>
    `📨 <b>${escapeHtml(view.procedure.title)}</b> (${escapeHtml(periodLabel(view.row.period))}) sekarang pada tahap: ${escapeHtml(view.step.uraian)}` +
    (holder ? `\nDitangani oleh: ${escapeHtml(holder)}` : ''),
  completed: (view: CaseView) => {
    if (view.procedure.purpose === 'award') {
      return (
        `🏅 <b>Selamat, Bapak/Ibu ${escapeHtml(view.subject.nama)}!</b>\n\n` +
        `Usulan Bapak/Ibu sebagai <b>ASN Berprestasi tahun ${escapeHtml(view.row.period)}</b> telah ditetapkan oleh Kepala SKPD, ` +
        'diverifikasi oleh Tim BKPSDM, dan sertifikatnya telah dicetak.'
      );
    }
    const predikat = view.row.predikat
      ? `\nPredikat: <b>${PREDIKAT_LABELS[view.row.predikat as keyof typeof PREDIKAT_LABELS] ?? view.row.predikat}</b>`
      : '';
    return `✅ <b>${escapeHtml(view.procedure.title)}</b> (${escapeHtml(periodLabel(view.row.period))}) sudah selesai.${predikat}`;
  },
  completedWithCertificate: (view: CaseView, code: string) =>
    `🏅 <b>Selamat, Bapak/Ibu ${escapeHtml(view.subject.nama)}!</b>\n\n` +
    `Usulan Bapak/Ibu sebagai <b>ASN Berprestasi tahun ${escapeHtml(view.row.period)}</b> telah ditetapkan oleh Kepala SKPD, ` +
    'diverifikasi oleh Tim BKPSDM, dan sertifikatnya telah dicetak. Sertifikat terlampir.\n\n' +
    `Kode verifikasi: <code>${code}</code>`,
  cancelled: (view: CaseView) => `✖️ <b>${escapeHtml(view.procedure.title)}</b> (${escapeHtml(periodLabel(view.row.period))}) dibatalkan oleh admin.`,
  actedOnBehalf: (view: CaseView, reason: string | undefined) =>
    `ℹ️ Admin BKPP memproses tahap "${escapeHtml(view.step.uraian)}" atas nama Bapak/Ibu untuk ${fullStop(escapeHtml(view.subject.nama))}` +
    (reason ? `\nAlasan: ${escapeHtml(reason)}` : ''),
  reassigned: (view: CaseView) => `ℹ️ Tugas berikut sekarang menjadi tanggung jawab Bapak/Ibu karena perubahan data pegawai.`,
  resultForSubject: (view: CaseView, catatan: string | null) => {
    const rating = (view.row.data as { rating?: { hasilKerja?: Rating; perilaku?: Rating } }).rating;
    const lines = [
      `📨 <b>Hasil penilaian kinerja ${escapeHtml(periodLabel(view.row.period))}</b>`,
      '',
      rating?.hasilKerja ? `Hasil kerja: <b>${RATING_LABELS[rating.hasilKerja]}</b>` : '',
      rating?.perilaku ? `Perilaku kerja: <b>${RATING_LABELS[rating.perilaku]}</b>` : '',
      view.row.predikat ? `Predikat: <b>${PREDIKAT_LABELS[view.row.predikat as keyof typeof PREDIKAT_LABELS]}</b>` : '',
      catatan ? `Umpan balik: ${escapeHtml(catatan)}` : '',
      '',
      // The right to object (PP 30/2019 ps. 59), which Terima does not waive: the window counts from it. It stays
      // once the question below, answered, gives way to the outcome.
      isObjectable(view.procedure)
        ? `Bila tidak sependapat, Bapak/Ibu dapat mengajukan keberatan lewat <code>/keberatan ${escapeHtml(view.row.period)}</code> paling lambat 14 hari setelah menerima hasil ini.`
        : '',
      ACKNOWLEDGE_QUESTION,
    ];
    return lines.filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== '')).join('\n');
  },
};

/**
 * The command to send a returned case again. An SKP returned in December is fixed in January with "/skp YEAR" (from
 * 1 January /skp builds the new year's), so the notice says both; returned after its year, only that.
 */
export function resendCommandFor(procedure: Procedure, period: string, returnedAt: Date, tz: AgencyTimeZone): string {
  const command = commandForProcedure(procedure);
  if (procedure.purpose !== 'skp_annual' || !/^\d{4}$/.test(period)) return command;
  const year = Number(period);
  const at = localYearMonthOf(returnedAt, tz);
  // In <code>: Telegram links only "/skp" of a plain "/skp 2026", and a tap on it would send the bare command.
  const withYear = `<code>/skp ${year}</code>`;
  if (at.year > year) return withYear;
  return at.year === year && at.month === 12 ? `/skp (mulai 1 Januari ${year + 1}: ${withYear})` : command;
}

export function commandForProcedure(procedure: Procedure): string {
  if (procedure.purpose === 'award') return '/usulkan';
  if (procedure.purpose === 'keberatan') return '/keberatan';
  return procedure.purpose === 'skp_annual' ? '/skp' : '/realisasi';
}
