// Rendering (pdfkit, embedded Noto Sans, A4): the pages of the SKP and the evaluation sheet.
//
// Glossary: BerAKHLAK = the seven ASN core values the perilaku kerja part of the SKP lists.
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDate, formatShortDateTime } from '../../domain/format.js';
import { documentPeriodLabel, isPeriodKey, periodKeyLabel, periodOfKey } from '../../domain/period.js';
import { formatNip, parseNip } from '../../domain/nip.js';
import { CURVE_RULE_TEXT, ORG_RATING_LABELS, PREDIKAT_LABELS, RATING_LABELS } from '../../domain/predikat.js';
import { DOCUMENT_TITLES, documentLabel } from './labels.js';
import type { DocumentParty, IndikatorLine, RhkLine, DocumentData, EvaluationSheet } from './read-model.js';
import {
  REGULAR, BOLD, registerFonts, pdfSafe, pdfkit, pdfInfo, pdfBytes, contentWidth, ensureSpace, drawTable, columnsOf, sectionTitle,
  paragraph,
} from './pdf-table.js';
import type { Doc, Row } from './pdf-table.js';

/** The seven core values (BerAKHLAK) with their guide behaviours, as the SKP form prints them. */
const BERAKHLAK: ReadonlyArray<{ key: string; nilai: string; perilaku: string[] }> = [
  {
    key: 'berorientasiPelayanan',
    nilai: 'Berorientasi Pelayanan',
    perilaku: [
      'Memahami dan memenuhi kebutuhan masyarakat',
      'Ramah, cekatan, solutif, dan dapat diandalkan',
      'Melakukan perbaikan tiada henti',
    ],
  },
  {
    key: 'akuntabel',
    nilai: 'Akuntabel',
    perilaku: [
      'Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi',
      'Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien',
      'Tidak menyalahgunakan kewenangan jabatan',
    ],
  },
  {
    key: 'kompeten',
    nilai: 'Kompeten',
    perilaku: [
      'Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah',
      'Membantu orang lain belajar',
      'Melaksanakan tugas dengan kualitas terbaik',
    ],
  },
  {
    key: 'harmonis',
    nilai: 'Harmonis',
    perilaku: [
      'Menghargai setiap orang apa pun latar belakangnya',
      'Suka menolong orang lain',
      'Membangun lingkungan kerja yang kondusif',
    ],
  },
  {
    key: 'loyal',
    nilai: 'Loyal',
    perilaku: [
      'Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah',
      'Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara',
      'Menjaga rahasia jabatan dan negara',
    ],
  },
  {
    key: 'adaptif',
    nilai: 'Adaptif',
    perilaku: [
      'Cepat menyesuaikan diri menghadapi perubahan',
      'Terus berinovasi dan mengembangkan kreativitas',
      'Bertindak proaktif',
    ],
  },
  {
    key: 'kolaboratif',
    nilai: 'Kolaboratif',
    perilaku: [
      'Memberi kesempatan kepada berbagai pihak untuk berkontribusi',
      'Terbuka dalam bekerja sama untuk menghasilkan nilai tambah',
      'Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama',
    ],
  },
];


/** 'Kabupaten Banyuwangi' from 'Pemerintah Kabupaten Banyuwangi'; the signing place is the region's seat. */
export function signingPlace(instansiName: string): string {
  const m = /^(?:pemerintah\s+)?(?:kabupaten|kota|provinsi)\s+(.+)$/i.exec(instansiName.trim());
  return m ? m[1]!.trim() : instansiName.trim();
}

function dateWithoutWeekday(at: Date, tz: AgencyTimeZone): string {
  return formatDate(at, tz).replace(/^[^,]+,\s*/, '');
}

/** Whether an 18-digit number reads as an NI PPPK (digits 9–12 an appointment year, not a TMT month). */
export function isPppk(nip: string): boolean {
  const parsed = parseNip(nip, new Date(Date.UTC(2100, 0, 1)));
  return parsed.ok && parsed.kind === 'pppk';
}

function partyRows(data: DocumentData): Row[] {
  const parties = [data.pegawai, data.pejabatPenilai, data.atasanPejabatPenilai];
  // A PPPK's number is an NI PPPK, not a NIP: labelled so in its own cell.
  const field = (p: DocumentParty | null, f: keyof DocumentParty) =>
    p ? (f === 'nip' ? `${isPppk(p.nip) ? 'NI PPPK ' : ''}${formatNip(p.nip)}` : (p[f] ?? '-')) : '-';
  return [
    { cells: ['Nama', ...parties.map((p) => field(p, 'nama'))] },
    { cells: [parties.some((p) => p && isPppk(p.nip)) ? 'NIP / NI PPPK' : 'NIP', ...parties.map((p) => field(p, 'nip'))] },
    // The official SKP form's order: Nama, NIP, Pangkat/Gol. Ruang, Jabatan, Unit Kerja.
    { cells: ['Pangkat/Gol. Ruang', ...parties.map((p) => field(p, 'pangkat'))] },
    { cells: ['Jabatan', ...parties.map((p) => field(p, 'jabatan'))] },
    { cells: ['Unit Kerja', ...parties.map((p) => field(p, 'unit'))] },
  ];
}

function indikatorText(i: IndikatorLine): string {
  return i.target ? `${i.text} (target: ${i.target})` : i.text;
}

function rhkRows(lines: RhkLine[]): Row[] {
  const rows: Row[] = [];
  const groups: Array<['utama' | 'tambahan', string]> = [
    ['utama', 'A. HASIL KERJA UTAMA'],
    ['tambahan', 'B. HASIL KERJA TAMBAHAN'],
  ];
  for (const [jenis, title] of groups) {
    const group = lines.filter((l) => l.jenis === jenis);
    rows.push({ span: title });
    if (group.length === 0) {
      rows.push({ cells: ['-', '-', '-', '-', '-', '-'] });
      continue;
    }
    group.forEach((line, index) => {
      const rhkText = line.note ? `${line.text}\n(${line.note})` : line.text;
      const indikator = line.indikator.length > 0 ? line.indikator : [{ aspek: null, text: '-', target: null }];
      indikator.forEach((iki, k) => {
        rows.push({
          cells: [String(index + 1), line.rhkAtasan ?? '-', rhkText, iki.aspek ?? '-', iki.text, iki.target ?? '-'],
          // Further indikator of the same RHK continue its No / RHK cells, as the form merges them.
          carried: k === 0 ? [] : [0, 1, 2],
        });
      });
    });
  }
  return rows;
}

/** The two signature blocks with the space above them (see signatureBlocks). */
const SIGNATURE_BLOCK_HEIGHT = 175;

function signatureBlocks(doc: Doc, data: DocumentData, printedAt: Date): void {
  ensureSpace(doc, 150);
  doc.moveDown(1.5);
  const left = doc.page.margins.left;
  const half = contentWidth(doc) / 2;
  const top = doc.y;
  const block = (x: number, lines: { dateLine?: string; role: string; party: DocumentParty | null }) => {
    doc.font(REGULAR).fontSize(9.5).fillColor('#000000');
    // Both roles sit on the same line; only the right block has the place and date above it.
    if (lines.dateLine) doc.text(pdfSafe(lines.dateLine), x, top, { width: half - 10, align: 'center' });
    doc.text(pdfSafe(lines.role), x, top + doc.currentLineHeight(true), { width: half - 10, align: 'center' });
    const nameY = top + 95;
    doc.font(BOLD).text(pdfSafe(lines.party?.nama ?? '..............................'), x, nameY, { width: half - 10, align: 'center', underline: true });
    const label = lines.party && isPppk(lines.party.nip) ? 'NI PPPK' : 'NIP';
    doc.font(REGULAR).text(pdfSafe(`${label}. ${lines.party ? formatNip(lines.party.nip) : '..............................'}`), x, doc.y, {
      width: half - 10,
      align: 'center',
    });
    return doc.y;
  };
  const place = signingPlace(data.instansiName);
  const dateLine = `${place ? `${place}, ` : ''}${dateWithoutWeekday(printedAt, data.timeZone)}`;
  const leftEnd = block(left, { role: 'Pegawai yang Dinilai', party: data.pegawai });
  const rightEnd = block(left + half + 10, { dateLine, role: 'Pejabat Penilai Kinerja', party: data.pejabatPenilai });
  doc.x = left;
  doc.y = Math.max(leftEnd, rightEnd);
}

function verificationBox(doc: Doc, code: string): void {
  ensureSpace(doc, 80);
  doc.moveDown(1.2);
  const left = doc.page.margins.left;
  const top = doc.y;
  const width = contentWidth(doc);
  doc.font(BOLD).fontSize(9.5).text(`Kode verifikasi: ${code}`, left + 8, top + 7, { width: width - 16 });
  doc.font(REGULAR).fontSize(8.5).text(`Verifikasi: /verifikasi ${code}`, left + 8, doc.y + 2, { width: width - 16 });
  doc.text('Kirim perintah di atas ke bot kinerja untuk memeriksa keaslian dan versi dokumen ini.', left + 8, doc.y + 2, { width: width - 16 });
  const bottom = doc.y + 7;
  doc.lineWidth(0.8).rect(left, top, width, bottom - top).stroke();
  doc.x = left;
  doc.y = bottom;
}

function footers(doc: Doc, code: string, printedAt: Date, tz: AgencyTimeZone): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make pdfkit open a new page: lift the margin while writing.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - bottomMargin + 22;
    const left = doc.page.margins.left;
    const width = contentWidth(doc);
    doc.font(REGULAR).fontSize(7.5).fillColor('#444444');
    doc.text(`Dicetak dari kinerja-bot pada ${formatShortDateTime(printedAt, tz)} · Verifikasi: /verifikasi ${code}`, left, y, {
      width,
      align: 'left',
      lineBreak: false,
    });
    doc.text(`Halaman ${i - range.start + 1} dari ${range.count}`, left, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
  doc.fillColor('#000000');
}

/** CAPAIAN KINERJA ORGANISASI and POLA DISTRIBUSI, as the evaluation sheet opens. */
function organisationSection(doc: Doc, sheet: EvaluationSheet): void {
  sectionTitle(doc, 'CAPAIAN KINERJA ORGANISASI');
  paragraph(doc, sheet.capaianOrganisasi ? ORG_RATING_LABELS[sheet.capaianOrganisasi].toUpperCase() : 'BELUM DITETAPKAN');
  sectionTitle(doc, 'POLA DISTRIBUSI');
  paragraph(doc, sheet.capaianOrganisasi ? `${CURVE_RULE_TEXT[sheet.capaianOrganisasi]} (SE Menteri PANRB Nomor 3 Tahun 2023)` : '-');
}

/** The umpan balik berkelanjutan the pejabat penilai gave an RHK of a periodic evaluation, by its text. */
function umpanBalikOf(data: DocumentData, rhk: string): string | null {
  return data.evaluation?.hasilKerja.find((h) => h.rhk === rhk)?.umpanBalik ?? null;
}

/** The perilaku rows (BerAKHLAK) with their umpan balik. */
function perilakuTable(doc: Doc, data: DocumentData, sheet: EvaluationSheet): void {
  sectionTitle(doc, 'PERILAKU KERJA');
  drawTable(
    doc,
    columnsOf(doc, [
      ['No', 5, 'center'],
      ['Perilaku Kerja (BerAKHLAK)', 45],
      ['Ekspektasi Khusus Pimpinan', 22],
      ['Umpan Balik Berkelanjutan', 28],
    ]),
    BERAKHLAK.map((v, i) => ({
      cells: [String(i + 1), `${v.nilai}\n${v.perilaku.map((p) => `- ${p}`).join('\n')}`, data.ekspektasiKhusus[v.key] ?? '-', sheet.umpanBalikPerilaku[v.key] ?? '-'],
    })),
  );
}

/** The evaluation sheet (Anak Lampiran 4): organisation, hasil kerja per RHK, perilaku, ratings, catatan. */
function evaluationSheet(doc: Doc, data: DocumentData, sheet: EvaluationSheet): void {
  organisationSection(doc, sheet);
  sectionTitle(doc, 'HASIL KERJA');
  const rows: Row[] = [];
  for (const [jenis, title] of [
    ['utama', 'A. UTAMA'],
    ['tambahan', 'B. TAMBAHAN'],
  ] as const) {
    rows.push({ span: title });
    const group = sheet.hasilKerja.filter((h) => h.jenis === jenis);
    if (group.length === 0) rows.push({ cells: ['-', '-', '-', '-', '-'] });
    group.forEach((h, i) =>
      rows.push({
        cells: [
          String(i + 1),
          h.rhk,
          h.indikator.length > 0 ? h.indikator.map((iki) => `${iki.aspek ? `${iki.aspek}: ` : ''}${indikatorText(iki)}`).join('\n') : '-',
          h.realisasi,
          h.umpanBalik ?? '-',
        ],
      }),
    );
  }
  drawTable(
    doc,
    columnsOf(doc, [
      ['No', 5, 'center'],
      ['Rencana Hasil Kerja', 24],
      ['Indikator Kinerja Individu dan Target', 22],
      ['Realisasi Berdasarkan Bukti Dukung', 27],
      ['Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung', 22],
    ]),
    rows,
  );
  sectionTitle(doc, 'RATING HASIL KERJA');
  paragraph(doc, data.rating ? RATING_LABELS[data.rating.hasilKerja].toUpperCase() : 'BELUM DINILAI', { bold: true });
  perilakuTable(doc, data, sheet);
  sectionTitle(doc, 'RATING PERILAKU KERJA');
  paragraph(doc, data.rating ? RATING_LABELS[data.rating.perilaku].toUpperCase() : 'BELUM DINILAI', { bold: true });
  sectionTitle(doc, 'PREDIKAT KINERJA PEGAWAI');
  paragraph(doc, data.predikat ? PREDIKAT_LABELS[data.predikat].toUpperCase() : 'BELUM DINILAI', { bold: true });
  if (sheet.periods.length > 0) {
    paragraph(
      doc,
      `Predikat periodik: ${sheet.periods.map((p) => `${periodKeyLabel(p.period)} ${p.predikat ? PREDIKAT_LABELS[p.predikat] : 'belum dinilai'}`).join('; ')}`,
      { size: 8.5 },
    );
  }
  sectionTitle(doc, 'CATATAN/REKOMENDASI');
  paragraph(doc, data.rating?.catatan ?? '-');
}

export interface RenderOptions {
  verificationCode: string;
  printedAt: Date;
  /** Tests turn compression off so the page text stays readable in the file. */
  compress?: boolean;
}

/** Renders the document as an A4 PDF (pure: same data and options, same pages). */
export async function renderDocumentPdf(data: DocumentData, options: RenderOptions): Promise<Buffer> {
  const { verificationCode: code, printedAt } = options;
  const tz = data.timeZone;
  const doc = new (pdfkit())({
    size: 'A4',
    margins: { top: 48, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    compress: options.compress ?? true,
    info: pdfInfo({ title: `${documentLabel(data.kind, data.period)} - ${data.pegawai.nama}`, instansiName: data.instansiName, verificationCode: code, printedAt }),
  });
  registerFonts(doc);
  const finished = pdfBytes(doc);

  // Header
  if (data.instansiName) paragraph(doc, data.instansiName.toUpperCase(), { bold: true, size: 11, align: 'center' });
  doc.moveDown(0.2);
  paragraph(doc, DOCUMENT_TITLES[data.kind], { bold: true, size: 14, align: 'center' });
  const year = data.period.slice(0, 4);
  paragraph(
    doc,
    data.kind === 'skp'
      ? `PERIODE PENILAIAN: 1 JANUARI – 31 DESEMBER ${year}`
      : `PERIODE: ${documentPeriodLabel(data.evaluation?.annual || !isPeriodKey(data.period) ? null : periodOfKey(data.period))}`,
    { size: 10, align: 'center' },
  );
  if (data.evaluation) {
    const day = (d: string) => dateWithoutWeekday(new Date(`${d}T12:00:00Z`), 'Asia/Jakarta').toUpperCase();
    paragraph(doc, `PERIODE PENILAIAN: ${day(data.evaluation.from)} SD ${day(data.evaluation.to)}`, { size: 10, align: 'center' });
  }
  doc.moveDown(0.8);
  paragraph(doc, `Prosedur: ${data.procedure.title}${data.procedure.sopNumber ? ` (SOP ${data.procedure.sopNumber})` : ''}`, { size: 8.5 });
  const decided = data.decision ? ` · ${data.decision.label} pada ${formatShortDateTime(data.decision.at, tz)} oleh ${data.decision.by}` : '';
  paragraph(doc, `Revisi ke-${data.revision}${decided}`, { size: 8.5 });

  sectionTitle(doc, 'PEGAWAI YANG DINILAI DAN PEJABAT PENILAI');
  drawTable(
    doc,
    // The label column is just wide enough for 'Pangkat/Gol. Ruang' on one line.
    columnsOf(doc, [
      ['', 18],
      ['Pegawai yang Dinilai', 28],
      ['Pejabat Penilai Kinerja', 28],
      ['Atasan Pejabat Penilai Kinerja', 28],
    ]),
    partyRows(data),
  );

  if (data.kind === 'skp') {
    sectionTitle(doc, 'HASIL KERJA');
    drawTable(
      doc,
      columnsOf(doc, [
        ['No', 5, 'center'],
        ['RHK Atasan yang Diintervensi', 19],
        ['Rencana Hasil Kerja', 26],
        ['Aspek', 11],
        ['Indikator Kinerja Individu', 25],
        ['Target', 14],
      ]),
      rhkRows(data.rhk),
    );
    sectionTitle(doc, 'PERILAKU KERJA');
    drawTable(
      doc,
      columnsOf(doc, [
        ['No', 5, 'center'],
        ['Perilaku Kerja (BerAKHLAK)', 60],
        ['Ekspektasi Khusus Pimpinan', 35],
      ]),
      BERAKHLAK.map((v, i) => ({
        cells: [String(i + 1), `${v.nilai}\n${v.perilaku.map((p) => `- ${p}`).join('\n')}`, data.ekspektasiKhusus[v.key] ?? ''],
      })),
    );
  } else if (data.evaluation?.annual) {
    evaluationSheet(doc, data, data.evaluation);
  } else {
    if (data.evaluation) organisationSection(doc, data.evaluation);
    sectionTitle(doc, 'CAPAIAN HASIL KERJA');
    const realisasiRows: Row[] =
      data.realisasi.length > 0
        ? data.realisasi.map((r, i) => ({
            cells: [
              String(i + 1),
              r.jenis ? `${r.rhk}\n(${r.jenis === 'utama' ? 'utama' : 'tambahan'})` : r.rhk,
              r.indikator.length > 0 ? r.indikator.map((iki) => `${iki.aspek ? `${iki.aspek}: ` : ''}${indikatorText(iki)}`).join('\n') : '-',
              umpanBalikOf(data, r.rhk) ? `${r.realisasi}\nUmpan balik: ${umpanBalikOf(data, r.rhk)}` : r.realisasi,
              r.buktiCount > 0 ? `${r.buktiCount} berkas\n${r.buktiNames.join('\n')}` : 'Tidak ada',
            ],
          }))
        : [{ cells: ['-', 'Belum ada realisasi yang diajukan', '-', '-', '-'] }];
    drawTable(
      doc,
      columnsOf(doc, [
        ['No', 5, 'center'],
        ['Rencana Hasil Kerja', 30],
        ['Indikator dan Target', 25],
        ['Realisasi', 22],
        ['Bukti Dukung', 18],
      ]),
      realisasiRows,
    );
    sectionTitle(doc, 'EVALUASI KINERJA');
    drawTable(
      doc,
      columnsOf(doc, [
        ['', 40],
        ['', 60],
      ]),
      [
        { cells: ['Rating Hasil Kerja', data.rating ? RATING_LABELS[data.rating.hasilKerja] : 'Belum dinilai'] },
        { cells: ['Rating Perilaku Kerja', data.rating ? RATING_LABELS[data.rating.perilaku] : 'Belum dinilai'] },
        { cells: ['Predikat Kinerja Pegawai', data.predikat ? PREDIKAT_LABELS[data.predikat] : '-'], bold: true },
        { cells: ['Pengajuan realisasi', data.late ? 'Terlambat (melewati batas pengisian)' : 'Tepat waktu'] },
      ],
      { header: false },
    );
    if (data.evaluation) perilakuTable(doc, data, data.evaluation);
    if (data.rating?.catatan) {
      sectionTitle(doc, 'UMPAN BALIK');
      paragraph(doc, data.rating.catatan);
    }
  }

  sectionTitle(doc, 'RIWAYAT PENGAJUAN DAN PERSETUJUAN');
  drawTable(
    doc,
    columnsOf(doc, [
      ['No', 5, 'center'],
      ['Waktu', 22],
      ['Oleh', 27],
      ['Tindakan', 38],
      ['Revisi', 8, 'center'],
    ]),
    data.trail.map((t, i) => ({
      cells: [String(i + 1), formatShortDateTime(t.at, tz), t.actorNip ? `${t.actor}\nNIP. ${formatNip(t.actorNip)}` : t.actor, t.action, String(t.revision)],
    })),
    { keepWithNext: SIGNATURE_BLOCK_HEIGHT },
  );

  signatureBlocks(doc, data, printedAt);
  verificationBox(doc, code);
  footers(doc, code, printedAt, tz);
  doc.end();
  return finished;
}
