// Reads the text drawn on the pages of an uncompressed pdfkit PDF (WinAnsi hex strings inside TJ arrays).

// Node's small-ICU builds decode windows-1252 as latin1; the few WinAnsi punctuation bytes the documents use.
const WIN_ANSI_HIGH: Record<number, string> = { 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—' };

export function pdfPagesText(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  for (const stream of raw.matchAll(/stream\n([\s\S]*?)\nendstream/g)) {
    const lines: string[] = [];
    for (const tj of stream[1]!.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join('');
      lines.push([...Buffer.from(hex, 'hex')].map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join(''));
    }
    if (lines.length > 0) pages.push(lines.join('\n'));
  }
  return pages;
}

/** All pages as one line: wrapped text reads as the sentence it was. */
export const pdfFlatText = (pdf: Buffer) => pdfPagesText(pdf).join(' ').replace(/\s+/g, ' ');
