// The PDF primitives: embedded fonts, text the font can print, and the table engine (rows that never split).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';
import { lazyRequire } from '../../lazy-require.js';

// Noto Sans (SIL Open Font License 1.1, from @fontsource/noto-sans), embedded (subset) in every PDF so every
// viewer shows the same glyphs and spacing; the standard Helvetica is substituted by viewers and can run words
// together ("PEGAWAIYANG"). The Latin subset covers Indonesian text and the punctuation used here.
export const REGULAR = 'NotoSans';
export const BOLD = 'NotoSans-Bold';
const fontFile = (weight: 400 | 700): Buffer =>
  readFileSync(createRequire(import.meta.url).resolve(`@fontsource/noto-sans/files/noto-sans-latin-${weight}-normal.woff`));
let fonts: { regular: Buffer; bold: Buffer } | undefined;
export function registerFonts(doc: PDFKit.PDFDocument): void {
  fonts ??= { regular: fontFile(400), bold: fontFile(700) };
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);
  doc.font(REGULAR);
}
const TABLE_FONT_SIZE = 8.5;
const CELL_PADDING = 4;
/** A cell never holds more than this, so one row always fits on a page. */
const MAX_CELL_CHARS = 900;

// The embedded Latin subset (its unicode-range): anything outside it would print as a missing glyph, so it is
// simplified first (diacritics dropped) or replaced by "?".
const FONT_EXTRA = new Set('ıŒœʻʼˆ˚˜€™↑↓−∕');
const inFont = (code: number): boolean => (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || (code >= 0x2000 && code <= 0x206f);

export function pdfSafe(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    const code = ch.codePointAt(0)!;
    if (ch === '\n' || inFont(code) || FONT_EXTRA.has(ch)) {
      out += ch;
      continue;
    }
    const plain = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    out += /^[\x20-\x7e]+$/.test(plain) ? plain : '?';
  }
  return out;
}

function cell(text: string): string {
  const safe = pdfSafe(text);
  return safe.length > MAX_CELL_CHARS ? `${safe.slice(0, MAX_CELL_CHARS - 1)}…` : safe;
}

export type Doc = PDFKit.PDFDocument;
/** pdfkit loads at the first document, not at boot. */
export const pdfkit = lazyRequire<typeof PDFDocumentClass>('pdfkit');

/** The properties every printed PDF carries: what it is, who issued it, and the code that verifies it. */
export function pdfInfo(input: { title: string; instansiName: string; verificationCode: string; printedAt: Date }): PDFKit.DocumentInfo {
  return {
    Title: pdfSafe(input.title),
    Author: pdfSafe(input.instansiName || 'kinerja-bot'),
    Subject: `Verifikasi: /verifikasi ${input.verificationCode}`,
    Keywords: input.verificationCode,
    Creator: 'kinerja-bot',
    CreationDate: input.printedAt,
    ModDate: input.printedAt,
  };
}

/** The document's bytes, once `doc.end()` has been called. */
export function pdfBytes(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

export type Row =
  | {
      cells: string[];
      bold?: boolean;
      /** Columns continuing the cell above (a merged cell): left blank and open at the top, unless the row starts a page. */
      carried?: number[];
    }
  | { span: string };

function pageBottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > pageBottom(doc)) doc.addPage();
}

function cellsHeight(doc: Doc, columns: Column[], texts: string[], bold: boolean): number {
  doc.font(bold ? BOLD : REGULAR).fontSize(TABLE_FONT_SIZE);
  let height = 0;
  texts.forEach((text, i) => {
    height = Math.max(height, doc.heightOfString(text || ' ', { width: columns[i]!.width - 2 * CELL_PADDING }));
  });
  return height + 2 * CELL_PADDING;
}

function drawCells(doc: Doc, columns: Column[], texts: string[], options: { bold: boolean; fill?: string; openTop?: number[] }): void {
  const x0 = doc.page.margins.left;
  const top = doc.y;
  const height = cellsHeight(doc, columns, texts, options.bold);
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  if (options.fill) doc.save().rect(x0, top, total, height).fill(options.fill).restore();
  doc.lineWidth(0.5).strokeColor('#000000');
  let x = x0;
  columns.forEach((column, i) => {
    if (!options.openTop?.includes(i)) doc.moveTo(x, top).lineTo(x + column.width, top);
    doc.moveTo(x, top).lineTo(x, top + height);
    x += column.width;
  });
  doc.moveTo(x, top).lineTo(x, top + height).stroke();
  doc.font(options.bold ? BOLD : REGULAR).fontSize(TABLE_FONT_SIZE).fillColor('#000000');
  x = x0;
  columns.forEach((column, i) => {
    const text = texts[i] ?? '';
    if (text) doc.text(text, x + CELL_PADDING, top + CELL_PADDING, { width: column.width - 2 * CELL_PADDING, align: column.align ?? 'left' });
    x += column.width;
  });
  doc.x = x0;
  doc.y = top + height;
}

function closeTable(doc: Doc, columns: Column[]): void {
  const x0 = doc.page.margins.left;
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  doc.lineWidth(0.5).moveTo(x0, doc.y).lineTo(x0 + total, doc.y).stroke();
}

/**
 * A bordered table that breaks across pages, repeating its header and the text of merged cells. `keepWithNext` is
 * the height of what must follow the last row on the same page (the signatures): when both do not fit, the last row
 * moves to the next page with it, so what follows never stands alone on a page.
 */
export function drawTable(doc: Doc, columns: Column[], rows: Row[], options: { header?: boolean; keepWithNext?: number } = {}): void {
  const showHeader = options.header ?? true;
  const headers = columns.map((c) => cell(c.header));
  const headerHeight = showHeader ? cellsHeight(doc, columns, headers, true) : 0;
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  const spanColumn: Column[] = [{ header: '', width: total }];
  const textsOf = (row: Exclude<Row, { span: string }>, startsPage: boolean) =>
    row.cells.map((text, i) => (!startsPage && row.carried?.includes(i) ? '' : cell(text)));
  const heightOf = (row: Row, startsPage: boolean) =>
    'span' in row ? cellsHeight(doc, spanColumn, [cell(row.span)], true) : cellsHeight(doc, columns, textsOf(row, startsPage), row.bold ?? false);
  const startPage = () => {
    if (showHeader) drawCells(doc, columns, headers, { bold: true, fill: '#e4e4e4' });
  };

  ensureSpace(doc, headerHeight + (rows[0] ? heightOf(rows[0], true) : 0));
  startPage();
  let startsPage = true;
  rows.forEach((row, index) => {
    const isLast = index === rows.length - 1;
    const needed = heightOf(row, startsPage) + (isLast && !startsPage ? (options.keepWithNext ?? 0) : 0);
    if (doc.y + needed > pageBottom(doc)) {
      closeTable(doc, columns);
      doc.addPage();
      startPage();
      startsPage = true;
    }
    if ('span' in row) {
      drawCells(doc, spanColumn, [cell(row.span)], { bold: true, fill: '#f2f2f2' });
    } else {
      drawCells(doc, columns, textsOf(row, startsPage), { bold: row.bold ?? false, openTop: startsPage ? [] : row.carried ?? [] });
    }
    startsPage = false;
  });
  closeTable(doc, columns);
}

/** Column widths from weights, filling the page's content width exactly. */
export function columnsOf(doc: Doc, spec: Array<[header: string, weight: number, align?: Column['align']]>): Column[] {
  const width = contentWidth(doc);
  const sum = spec.reduce((s, [, w]) => s + w, 0);
  return spec.map(([header, weight, align]) => ({ header, width: (width * weight) / sum, ...(align ? { align } : {}) }));
}

export function sectionTitle(doc: Doc, text: string): void {
  ensureSpace(doc, 40);
  doc.moveDown(0.8);
  doc.font(BOLD).fontSize(10).fillColor('#000000').text(pdfSafe(text), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

export function paragraph(doc: Doc, text: string, options: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' } = {}): void {
  doc
    .font(options.bold ? BOLD : REGULAR)
    .fontSize(options.size ?? 9)
    .fillColor('#000000')
    .text(pdfSafe(text), doc.page.margins.left, doc.y, { width: contentWidth(doc), align: options.align ?? 'left' });
}
