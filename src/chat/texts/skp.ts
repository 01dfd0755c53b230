// Indonesian texts and keyboards of the SKP entry (/skp) and of the case overview (/status).
import { skpButtons } from '../buttons/skp.js';
import { ASPEK_LABELS } from '../../domain/vocabulary.js';
import { Markup } from 'telegraf';
import type { AtasanRhkOption, Aspek, CaseOverview, DraftProblem, RhkDraft, SkpDraft } from '../../app/skp.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDate, formatDateTime } from '../../domain/format.js';
import { PREDIKAT_LABELS, type Predikat } from '../../domain/predikat.js';
import { escapeHtml } from './common.js';
import { periodKeyLabel } from '../../domain/period.js';
import { realisasiCommand } from './monthly.js';



const JENIS_LABEL = { utama: 'Utama', tambahan: 'Tambahan' } as const;
/** An atasan rarely has more RHK; more would not fit one message and one keyboard. */
const MAX_INTERVENSI_OPTIONS = 20;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `room` is how many characters a text may take: the review shrinks it so that all RHK fit one message. */
function rhkLines(rhk: RhkDraft, no: number, withIntervensi: boolean, room = 1000): string[] {
  const jenis = rhk.jenis ? JENIS_LABEL[rhk.jenis] : '⚠️ jenis belum dipilih';
  const lines = [`<b>${no}. ${escapeHtml(clip(rhk.text, room))}</b>`, `   Jenis: ${jenis}${rhk.source === 'pdf' ? ' · 📄 dari PDF e-Kinerja' : ''}`];
  if (rhk.source !== 'pdf') {
    if (rhk.indikator.length === 0) lines.push('   ⚠️ Indikator belum diisi');
    for (const i of rhk.indikator) lines.push(`   • ${ASPEK_LABELS[i.aspek]}: ${escapeHtml(clip(i.target, room))}`);
    if (withIntervensi) {
      const atasan = rhk.rhkAtasanText ? escapeHtml(clip(rhk.rhkAtasanText, Math.min(room, 120))) : rhk.rhkAtasanId === null ? '(dilewati)' : '-';
      lines.push(`   RHK atasan: ${atasan}`);
    }
  }
  return lines;
}

/** What an ASN whose SKP is being checked waits for. */
const TOLD_WHEN_DECIDED = 'Bapak/Ibu akan diberi tahu bila disetujui atau dikembalikan untuk diperbaiki.';

/** Telegram takes 4096 characters a message; stay clear of it. */
const MESSAGE_BUDGET = 3800;

/** The RHK of an SKP in as much detail as `budget` characters allow; a very long SKP gets one line per RHK. */
function rhkBlock(list: RhkDraft[], withIntervensi: boolean, budget: number): string {
  for (const room of [1000, 200, 60]) {
    const body = list.map((rhk, index) => rhkLines(rhk, index + 1, withIntervensi, room).join('\n')).join('\n\n');
    if (body.length <= budget) return body;
  }
  return list.map((r, i) => `${i + 1}. ${escapeHtml(clip(r.text, 50))} — ${r.jenis ? JENIS_LABEL[r.jenis] : '⚠️ jenis?'}, ${r.indikator.length} indikator`).join('\n');
}

export const skpTexts = {
  /** `deadline`: the day the year's SKP is to be sent to the pejabat penilai by, and whether it is today or has passed. */
  intro: (year: string, deadline: { label: string; passed: boolean; today: boolean }) =>
    `<b>SKP Tahun ${year}</b>\n` +
    (deadline.passed
      ? `⚠️ Batas pengirimannya, ${escapeHtml(deadline.label)}, sudah lewat: mohon segera disusun dan dikirim kepada pejabat penilai.\n`
      : `Batas pengiriman kepada pejabat penilai: <b>${escapeHtml(deadline.label)}</b>${deadline.today ? ' (hari ini)' : ''}.\n`) +
    `\nBapak/Ibu dapat menyusun SKP dengan salah satu cara:\n` +
    '✍️ <b>Isi RHK</b> satu per satu di sini, atau\n📄 <b>Unggah PDF</b> draf SKP hasil ekspor e-Kinerja.\n\n' +
    'Ketik /batal kapan saja untuk berhenti; isian yang sudah masuk tetap tersimpan.',
  askRhkText: (no: number) =>
    `<b>RHK ke-${no}</b>\nTulis Rencana Hasil Kerja (RHK), misalnya: <i>Terlaksananya pelayanan kesehatan primer sesuai standar</i>.`,
  askRhkTextEdit: (current: string) => `Teks RHK saat ini:\n<i>${escapeHtml(current)}</i>\n\nTulis teks RHK yang baru.`,
  askJenis: (text: string) => `RHK: <i>${escapeHtml(clip(text, 300))}</i>\n\nApa <b>jenis</b> RHK ini?`,
  askAspek: (no: number, replacing: boolean) =>
    `<b>Indikator ke-${no}</b>${replacing ? ' (indikator lama akan diganti)' : ''}\nPilih <b>aspek</b> indikatornya:`,
  askTarget: (aspek: Aspek) => `Aspek: <b>${ASPEK_LABELS[aspek]}</b>\nTulis <b>target</b>-nya, misalnya: <i>12 laporan</i>.`,
  askMore: (rhk: RhkDraft) =>
    `Indikator RHK ini:\n${rhk.indikator.map((i) => `• ${ASPEK_LABELS[i.aspek]}: ${escapeHtml(i.target)}`).join('\n')}\n\nTambah indikator lain?`,
  askIntervensi: (options: AtasanRhkOption[]) =>
    `RHK atasan mana yang <b>diintervensi</b> oleh RHK ini?\n\n${options
      .slice(0, MAX_INTERVENSI_OPTIONS)
      .map((o, i) => `${i + 1}. ${escapeHtml(clip(o.text, 150))}`)
      .join('\n')}`,
  askIntervensiNone: (atasanName: string | null) =>
    `SKP atasan${atasanName ? ` (${escapeHtml(atasanName)})` : ''} tahun ini belum ada, sehingga RHK atasan yang diintervensi belum dapat dipilih.\n` +
    'Tekan <b>Lewati</b>; Bapak/Ibu dapat mengubahnya nanti (✏️) setelah SKP atasan tersedia.',
  askPdf: 'Kirim berkas <b>PDF</b> draf SKP hasil ekspor e-Kinerja (maks. 20 MB).',
  askPdfSummary: (fileName: string | null) =>
    `📄 Berkas ${fileName ? `<b>${escapeHtml(fileName)}</b> ` : ''}diterima.\n\nTulis <b>ringkasan singkat</b> isi SKP tersebut (misalnya RHK utama Bapak/Ibu).`,
  askPdfSummaryEdit: (current: string) => `Ringkasan saat ini:\n<i>${escapeHtml(current)}</i>\n\nTulis ringkasan yang baru.`,
  /** The last line of the review, gone once Kirim is pressed. */
  reviewQuestion: 'Periksa kembali. Tekan ✏️ untuk mengubah, 🗑 untuk menghapus, atau <b>Kirim</b> bila sudah benar.',
  review: (year: string, draft: SkpDraft, withIntervensi: boolean, revision: number) => {
    const head = `<b>Ringkasan SKP Tahun ${year}</b>${revision > 1 ? ` (revisi ${revision})` : ''}`;
    const foot = skpTexts.reviewQuestion;
    if (draft.rhk.length === 0) return `${head}\n\nBelum ada RHK. Tekan ➕ Tambah RHK.\n\n${foot}`;
    // A very long SKP gets one line per RHK; ✏️ shows each in full.
    return `${head}\n\n${rhkBlock(draft.rhk, withIntervensi, MESSAGE_BUDGET - head.length - foot.length - 4)}\n\n${foot}`;
  },
  /** /skp once the SKP is out of the ASN's hands: where it stands (`overview`), what it holds, and `foot`. */
  view: (overview: string, rhk: RhkDraft[], withIntervensi: boolean, foot: string) => {
    if (rhk.length === 0) return `${overview}\n\n${foot}`;
    const head = `<b>Rencana Hasil Kerja (${rhk.length})</b>`;
    return `${overview}\n\n${head}\n${rhkBlock(rhk, withIntervensi, MESSAGE_BUDGET - overview.length - head.length - foot.length - 6)}\n\n${foot}`;
  },
  /** The line under a current year's SKP the ASN can no longer change: established, or still being checked. */
  lockedNote: (established: boolean) =>
    established
      ? 'SKP ini sudah ditetapkan: realisasinya dilaporkan dengan /realisasi, dan dokumennya dicetak dengan /cetak.'
      : `SKP ini sedang diperiksa. ${TOLD_WHEN_DECIDED}`,
  tooManyIndikator: (max: number) => `Satu RHK paling banyak memuat ${max} indikator.`,
  tooManyRhk: (max: number) => `SKP ini sudah memuat ${max} RHK, jumlah terbanyak yang dapat diisi di sini.`,
  editMenu: (rhk: RhkDraft, no: number, withIntervensi: boolean) =>
    `${rhkLines(rhk, no, withIntervensi).join('\n')}\n\nBagian mana yang ingin diubah?`,
  confirmDelete: (rhk: RhkDraft, no: number) => `Hapus RHK ${no}?\n<i>${escapeHtml(clip(rhk.text, 300))}</i>`,
  deleted: 'RHK dihapus.',
  incomplete: (problems: DraftProblem[]) => {
    const lines = problems.map((p) => {
      switch (p.problem) {
        case 'empty':
          return '• Belum ada RHK.';
        case 'no_utama':
          return '• Minimal satu RHK harus berjenis Utama.';
        case 'no_jenis':
          return `• RHK ${p.rhkNo}: jenis belum dipilih.`;
        case 'no_indikator':
          return `• RHK ${p.rhkNo}: indikator belum diisi.`;
      }
    });
    return `SKP belum dapat dikirim:\n${lines.join('\n')}\n\nLengkapi lewat tombol ✏️ pada ringkasan.`;
  },
  submitted: (year: string, holderName: string | null, revision: number) =>
    `✅ SKP tahun ${year}${revision > 1 ? ` (revisi ${revision})` : ''} sudah dikirim${holderName ? ` kepada <b>${escapeHtml(holderName)}</b>` : ''} untuk diverifikasi.\n` +
    'Bapak/Ibu akan diberi tahu hasilnya. Ketik /status untuk melihat posisinya.',
  returned: (reason: string, byName: string | null, at: Date, tz: AgencyTimeZone) =>
    `↩️ SKP Bapak/Ibu dikembalikan${byName ? ` oleh <b>${escapeHtml(byName)}</b>` : ''} pada ${formatDateTime(at, tz)} dengan alasan:\n` +
    `<i>${escapeHtml(reason)}</i>\n\nSilakan perbaiki RHK di bawah ini, lalu tekan <b>Kirim</b>.`,
  textTooLong: (max: number) => `Teks terlalu panjang (maksimal ${max} karakter). Mohon diringkas.`,
  noContent: 'Isian perlu berisi kata atau angka (bukan hanya tanda baca atau emoji). Mohon tulis ulang.',
  expectsButton: 'Mohon pilih salah satu tombol pada pertanyaan ini (ketik /batal untuk berhenti):',
  expectsText: 'Mohon jawab dengan teks. Pertanyaannya:',
  expectsPdf: 'Mohon kirim draf SKP sebagai berkas PDF (lampirkan sebagai dokumen).',
  notEditable: 'SKP ini sudah dikirim, jadi tidak dapat diubah. Ketik /status untuk melihat posisinya.',
  /** /skp with something that is no year ("/skp saya"). */
  yearUsage: (current: string) =>
    `Ketik /skp untuk menyusun atau melanjutkan SKP tahun ${current}, atau /skp dengan tahunnya (misalnya <code>/skp ${Number(current) - 1}</code>) untuk melihat posisi SKP tahun lain.`,
  /** A year not yet begun: the next one opens on 1 January (/skp then builds it). */
  futureYear: (year: string, current: string) =>
    Number(year) === Number(current) + 1
      ? `SKP tahun ${year} dapat disusun mulai 1 Januari ${year}, dengan /skp. Sampai saat itu /skp adalah SKP tahun ${current}.`
      : `SKP tahun ${year} belum dapat disusun. Ketik /skp untuk SKP tahun ${current}.`,
  /** An earlier year's SKP that the bot has no record of: /skp itself is this year's. */
  noSkpOfYear: (year: string, current: string) =>
    `SKP tahun ${year} Bapak/Ibu tidak tercatat di sini. Ketik /skp untuk SKP tahun ${current}; untuk SKP tahun ${year}, hubungi pengelola kepegawaian.`,
  /** Below an earlier year's SKP shown by /skp YEAR. */
  pastYearNote: (year: string, current: string, state: 'established' | 'checking' | 'closed') =>
    (state === 'established'
      ? `SKP tahun ${year} sudah ditetapkan: ketik /cetak untuk mencetaknya.`
      : state === 'checking'
        ? `SKP tahun ${year} sedang diperiksa: ${TOLD_WHEN_DECIDED}`
        : `SKP tahun ${year} tidak lagi dapat diubah di sini: hubungi pengelola kepegawaian.`) + ` Ketik /skp untuk SKP tahun ${current}.`,
  /** Above this year's /skp while last year's still waits on the ASN: the annual evaluation needs it established. */
  lastYearUnfinished: (year: string, returned: boolean) =>
    `ℹ️ SKP tahun ${year} Bapak/Ibu ${returned ? 'dikembalikan untuk diperbaiki' : 'belum dikirim'} dan belum ditetapkan. ` +
    `Ketik <code>/skp ${year}</code> untuk menyelesaikannya: evaluasi kinerja tahunan ${year} memerlukan SKP yang sudah ditetapkan.`,
  stale: 'Tombol ini sudah tidak berlaku. Ketik /skp untuk melanjutkan.',
  rhkGone: 'RHK tersebut sudah tidak ada di isian.',
  sending: 'Mengirim…',
};

export const skpKeyboards = {
  intro: () =>
    Markup.inlineKeyboard([[Markup.button.callback('✍️ Isi RHK', skpButtons.encode({ op: 'm' }))], [Markup.button.callback('📄 Unggah PDF e-Kinerja', skpButtons.encode({ op: 'p' }))]]),
  jenis: () => Markup.inlineKeyboard([[Markup.button.callback('Utama', skpButtons.encode({ op: 'j', jenis: 'utama' })), Markup.button.callback('Tambahan', skpButtons.encode({ op: 'j', jenis: 'tambahan' }))]]),
  aspek: () =>
    Markup.inlineKeyboard([
      [Markup.button.callback('Kuantitas', skpButtons.encode({ op: 'a', aspek: 'kuantitas' })), Markup.button.callback('Kualitas', skpButtons.encode({ op: 'a', aspek: 'kualitas' }))],
      [Markup.button.callback('Waktu', skpButtons.encode({ op: 'a', aspek: 'waktu' })), Markup.button.callback('Biaya', skpButtons.encode({ op: 'a', aspek: 'biaya' }))],
    ]),
  more: () =>
    Markup.inlineKeyboard([[Markup.button.callback('➕ Tambah indikator', skpButtons.encode({ op: 'i', next: 'add' })), Markup.button.callback('✅ Selesai', skpButtons.encode({ op: 'i', next: 'done' }))]]),
  intervensi: (options: AtasanRhkOption[]) =>
    Markup.inlineKeyboard([
      ...options.slice(0, MAX_INTERVENSI_OPTIONS).map((o, i) => [Markup.button.callback(`${i + 1}. ${clip(o.text, 48)}`, skpButtons.encode({ op: 'v', pick: i }))]),
      [Markup.button.callback('Lewati', skpButtons.encode({ op: 'v', pick: 'skip' }))],
    ]),
  review: (draft: SkpDraft) =>
    Markup.inlineKeyboard([
      ...draft.rhk.map((r, i) => [Markup.button.callback(`✏️ RHK ${i + 1}`, skpButtons.encode({ op: 'e', rhkId: r.id })), Markup.button.callback(`🗑 RHK ${i + 1}`, skpButtons.encode({ op: 'd', rhkId: r.id }))]),
      [Markup.button.callback('➕ Tambah RHK', skpButtons.encode({ op: 'add' }))],
      ...(draft.rhk.length === 0 ? [[Markup.button.callback('📄 Unggah PDF e-Kinerja', skpButtons.encode({ op: 'p' }))]] : []),
      [Markup.button.callback('📤 Kirim', skpButtons.encode({ op: 'send' }))],
    ]),
  editMenu: (rhk: RhkDraft, withIntervensi: boolean) =>
    Markup.inlineKeyboard(
      rhk.source === 'pdf'
        ? [[Markup.button.callback('Ubah ringkasan', skpButtons.encode({ op: 'ef', field: 't', rhkId: rhk.id }))], [Markup.button.callback('⬅️ Kembali', skpButtons.encode({ op: 'r' }))]]
        : [
            [Markup.button.callback('Ubah teks', skpButtons.encode({ op: 'ef', field: 't', rhkId: rhk.id })), Markup.button.callback('Ubah jenis', skpButtons.encode({ op: 'ef', field: 'j', rhkId: rhk.id }))],
            [
              Markup.button.callback('Ubah indikator', skpButtons.encode({ op: 'ef', field: 'i', rhkId: rhk.id })),
              ...(withIntervensi ? [Markup.button.callback('Ubah RHK atasan', skpButtons.encode({ op: 'ef', field: 'v', rhkId: rhk.id }))] : []),
            ],
            [Markup.button.callback('⬅️ Kembali', skpButtons.encode({ op: 'r' }))],
          ],
    ),
  confirmDelete: (rhk: RhkDraft) =>
    Markup.inlineKeyboard([[Markup.button.callback('🗑 Ya, hapus', skpButtons.encode({ op: 'dy', rhkId: rhk.id })), Markup.button.callback('Batal', skpButtons.encode({ op: 'r' }))]]),
};

// ---------------------------------------------------------------------------------------------------------
// Case overview (/status, and where a case stands once the ASN's step is done)

/** 'Tahun 2026', 'November 2026', 'Triwulan IV 2026', whatever procedure the case belongs to (a keberatan's too). */
export function periodLabel(o: Pick<CaseOverview, 'period'>): string {
  return periodKeyLabel(o.period);
}

/** `now` marks a step past its batas waktu. */
export function caseOverviewText(o: CaseOverview, tz: AgencyTimeZone, now: Date): string {
  const lines = [`📋 <b>${escapeHtml(o.procedureTitle)}</b>`, `Periode: ${escapeHtml(periodLabel(o))}${o.revision > 1 ? ` · revisi ${o.revision}` : ''}`];
  if (o.status === 'completed') {
    lines.push(`✅ Selesai${o.completedAt ? ` pada ${formatDateTime(o.completedAt, tz)}` : ''}`);
    if (o.predikat) lines.push(`Predikat: ${escapeHtml(PREDIKAT_LABELS[o.predikat as Predikat] ?? o.predikat)}`);
  } else if (o.status === 'cancelled') {
    lines.push(`✖️ Dibatalkan${o.completedAt ? ` pada ${formatDateTime(o.completedAt, tz)}` : ''}`);
  } else {
    lines.push(`Tahap ${o.stepNo}: ${escapeHtml(clip(o.stepUraian ?? '-', 200))}`);
    const holder = o.heldBySubject ? 'Bapak/Ibu sendiri' : o.holderName ? escapeHtml(o.holderName) : 'belum ada pemegang (hubungi pengelola kepegawaian)';
    lines.push(`Dipegang oleh: ${holder}`);
    lines.push(`Sejak: ${formatDateTime(o.since, tz)}`);
    if (o.slaDueAt) lines.push(`Batas waktu: ${formatDateTime(o.slaDueAt, tz)}${o.slaDueAt.getTime() < now.getTime() ? ' — ⛔ lewat batas waktu' : ''}`);
    if (o.returned) {
      lines.push(
        `↩️ Dikembalikan${o.returned.byName ? ` oleh ${escapeHtml(o.returned.byName)}` : ''} pada ${formatDateTime(o.returned.at, tz)}:`,
        `<i>${escapeHtml(o.returned.reason)}</i>`,
      );
    }
  }
  if (o.late) lines.push('⚠️ Dikirim terlambat');
  return lines.join('\n');
}

export const statusTexts = {
  none: 'Bapak/Ibu belum memiliki pengajuan. Ketik /skp untuk menyusun SKP tahunan, atau /realisasi untuk realisasi bulanan.',
  /** The last period past its deadline without a realisation sent (unsentLateRealisasi), with its own command. */
  unsentLate: (period: string, deadline: string, tz: AgencyTimeZone) =>
    `⚠️ Realisasi ${escapeHtml(periodKeyLabel(period))} belum dikirim; batasnya, ${escapeHtml(formatDate(deadline, tz))}, sudah lewat. ` +
    `Ketik ${realisasiCommand(period)} untuk mengirimnya: tetap diterima, dicatat terlambat.`,
  header: (count: number) => `<b>Posisi pengajuan Bapak/Ibu</b> (${count})`,
  /** One or more messages, each under Telegram's 4096-character limit; `notes` (already HTML) go last. */
  pages: (overviews: CaseOverview[], tz: AgencyTimeZone, now: Date, notes: string[] = []): string[] => {
    const pages: string[] = [];
    let current = statusTexts.header(overviews.length);
    for (const block of [...overviews.map((o) => caseOverviewText(o, tz, now)), ...notes]) {
      if (current.length + block.length + 2 > 3900) {
        pages.push(current);
        current = block;
      } else {
        current = `${current}\n\n${block}`;
      }
    }
    pages.push(current);
    return pages;
  },
};
