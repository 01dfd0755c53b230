// Unit: evidence file types are judged on their bytes (magic numbers, Office ZIP directories), not on names.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  checkDeclaredFile,
  checkFileContent,
  detectFileType,
  EVIDENCE_KINDS,
  MAX_EVIDENCE_BYTES,
} from '../../src/app/archive.js';

/** A minimal ZIP (stored entries) with a central directory, like Office files have. */
function zipOf(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const samples = {
  pdf: Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'),
  jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01', 'latin1')]),
  docx: zipOf({ '[Content_Types].xml': '<Types/>', '_rels/.rels': '<Relationships/>', 'word/document.xml': '<w:document/>' }),
};

describe('detectFileType', () => {
  it('recognises the accepted kinds by their bytes', async () => {
    expect(detectFileType(samples.pdf)).toBe('pdf');
    expect(detectFileType(samples.jpeg)).toBe('jpeg');
    expect(detectFileType(samples.png)).toBe('png');
    expect(detectFileType(samples.docx)).toBe('docx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Realisasi').addRow(['RHK', 'Realisasi']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(detectFileType(xlsx)).toBe('xlsx');
  });

  it('tells other kinds apart, so they can be refused by name', () => {
    expect(detectFileType(zipOf({ 'foto/1.jpg': 'x', 'catatan.txt': 'y' }))).toBe('zip');
    // A ZIP that merely has a word/ folder but no [Content_Types].xml is not a Word document.
    expect(detectFileType(zipOf({ 'word/document.xml': '<x/>' }))).toBe('zip');
    expect(detectFileType(Buffer.from('GIF89a\x01\0\x01\0', 'latin1'))).toBe('gif');
    expect(detectFileType(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(detectFileType(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe('ole');
    expect(detectFileType(Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'))).toBe('exe');
    expect(detectFileType(Buffer.from('Laporan kegiatan bulan Januari\n'))).toBe('text');
    expect(detectFileType(Buffer.from([0x00, 0x01, 0x02, 0x03]))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
    // "%PDF" somewhere inside a text is not a PDF.
    expect(detectFileType(Buffer.from('catatan: lampiran %PDF-1.4 menyusul'))).toBe('text');
  });
});

describe('checkDeclaredFile (before downloading)', () => {
  it('refuses what Telegram says is over 20 MB', () => {
    const result = checkDeclaredFile({ fileName: 'besar.pdf', sizeBytes: 25 * 1024 * 1024 }, EVIDENCE_KINDS);
    expect(result).toEqual({ ok: false, refusal: { reason: 'too_big', sizeBytes: 25 * 1024 * 1024 } });
    expect(checkDeclaredFile({ fileName: 'pas.pdf', sizeBytes: MAX_EVIDENCE_BYTES }, EVIDENCE_KINDS).ok).toBe(true);
  });

  it('refuses an extension or MIME type outside the accepted kinds', () => {
    expect(checkDeclaredFile({ fileName: 'arsip.zip' }, EVIDENCE_KINDS)).toMatchObject({ ok: false, refusal: { reason: 'type_not_allowed', what: '.zip' } });
    expect(checkDeclaredFile({ fileName: 'LAPORAN.DOC' }, EVIDENCE_KINDS)).toMatchObject({ ok: false, refusal: { what: '.doc' } });
    expect(checkDeclaredFile({ mimeType: 'video/mp4' }, EVIDENCE_KINDS)).toMatchObject({ ok: false, refusal: { what: 'video/mp4' } });
    // Only PDF for the SKP draft.
    expect(checkDeclaredFile({ fileName: 'skp.docx' }, ['pdf'])).toMatchObject({ ok: false, refusal: { reason: 'type_not_allowed' } });
  });

  it('reports the kind a name claims, and leaves nameless files to the bytes', () => {
    expect(checkDeclaredFile({ fileName: 'Foto.JPEG' }, EVIDENCE_KINDS)).toEqual({ ok: true, claimed: 'jpeg' });
    expect(checkDeclaredFile({ fileName: 'rekap.xlsx' }, EVIDENCE_KINDS)).toEqual({ ok: true, claimed: 'xlsx' });
    expect(checkDeclaredFile({ mimeType: 'application/octet-stream' }, EVIDENCE_KINDS)).toEqual({ ok: true, claimed: null });
  });
});

describe('checkFileContent (after downloading)', () => {
  it('accepts bytes that match their name', () => {
    expect(checkFileContent(samples.pdf, { fileName: 'laporan.pdf' }, EVIDENCE_KINDS)).toEqual({ ok: true, kind: 'pdf' });
    expect(checkFileContent(samples.jpeg, { fileName: 'foto.jpg' }, EVIDENCE_KINDS)).toEqual({ ok: true, kind: 'jpeg' });
    expect(checkFileContent(samples.docx, { fileName: 'notulen.docx' }, EVIDENCE_KINDS)).toEqual({ ok: true, kind: 'docx' });
    // A photo has no name: the bytes decide.
    expect(checkFileContent(samples.png, {}, EVIDENCE_KINDS)).toEqual({ ok: true, kind: 'png' });
  });

  it('refuses a lying extension, naming what the file really is', () => {
    expect(checkFileContent(samples.jpeg, { fileName: 'laporan.pdf' }, EVIDENCE_KINDS)).toEqual({
      ok: false,
      refusal: { reason: 'extension_mismatch', extension: 'pdf', actual: 'JPEG', allowed: EVIDENCE_KINDS },
    });
    expect(checkFileContent(samples.pdf, { fileName: 'rekap.xlsx' }, EVIDENCE_KINDS)).toMatchObject({ ok: false, refusal: { reason: 'extension_mismatch' } });
  });

  it('refuses content of a kind that is not accepted, whatever its name', () => {
    const exe = Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1');
    expect(checkFileContent(exe, {}, EVIDENCE_KINDS)).toMatchObject({ ok: false, refusal: { reason: 'type_not_allowed', what: 'program (EXE)' } });
    // Dressed up as a PDF, the name is the lie reported.
    expect(checkFileContent(exe, { fileName: 'laporan.pdf' }, EVIDENCE_KINDS)).toMatchObject({
      ok: false,
      refusal: { reason: 'extension_mismatch', extension: 'pdf', actual: 'program (EXE)' },
    });
    expect(checkFileContent(Buffer.from([0, 1, 2, 3]), { fileName: 'x.png' }, EVIDENCE_KINDS)).toMatchObject({
      ok: false,
      refusal: { reason: 'type_not_allowed', what: 'tidak dikenal' },
    });
    expect(checkFileContent(samples.jpeg, { fileName: 'skp.jpg' }, ['pdf'])).toMatchObject({ ok: false, refusal: { reason: 'type_not_allowed' } });
  });

  it('refuses more than 20 MB of bytes even when Telegram did not say the size', () => {
    const big = Buffer.concat([samples.pdf, Buffer.alloc(MAX_EVIDENCE_BYTES)]);
    expect(checkFileContent(big, { fileName: 'besar.pdf' }, EVIDENCE_KINDS)).toMatchObject({ ok: false, refusal: { reason: 'too_big' } });
  });
});
