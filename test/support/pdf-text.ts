// What a reader's viewer shows of a PDF: its text as poppler's pdftotext extracts it, one string per page.
import { execFileSync } from 'node:child_process';

/** `raw`: in the order the document draws it (pdftotext -raw), which keeps a table's cells in reading order. */
export function pdfPagesText(pdf: Buffer, options: { raw?: boolean } = {}): string[] {
  const args = ['-enc', 'UTF-8', ...(options.raw ? ['-raw'] : []), '-', '-'];
  const out = execFileSync('pdftotext', args, { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  const pages = out.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** All pages as one line: wrapped text reads as the sentence it was. */
export const pdfFlatText = (pdf: Buffer, options: { raw?: boolean } = {}) => pdfPagesText(pdf, options).join(' ').replace(/\s+/g, ' ');
