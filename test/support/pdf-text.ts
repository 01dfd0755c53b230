// What a reader's viewer shows of a PDF: its text as poppler's pdftotext extracts it, one string per page.
import { execFileSync } from 'node:child_process';

export function pdfPagesText(pdf: Buffer): string[] {
  const out = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  const pages = out.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** All pages as one line: wrapped text reads as the sentence it was. */
export const pdfFlatText = (pdf: Buffer) => pdfPagesText(pdf).join(' ').replace(/\s+/g, ' ');
