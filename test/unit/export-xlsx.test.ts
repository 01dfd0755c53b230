// Unit: the export writes its data rows' XML itself (src/app/export/writers.ts); the workbook must stay byte for byte
// what exceljs's own `addRow(cells).commit()` makes of the same cells.
import { PassThrough } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeXlsx, type Cell, type Sheet, type StreamedSheet } from '../../src/app/export.js';

/** The entries of a ZIP by name, read from its central directory. */
function unzip(zip: Buffer): Map<string, string> {
  let end = zip.length - 22;
  while (zip.readUInt32LE(end) !== 0x06054b50) end--;
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function collect(write: (out: PassThrough) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  return Buffer.concat(chunks);
}

/** The same sheets written the plain exceljs way: a row object per row, committed. */
async function plainExceljs(sheets: Sheet[]): Promise<Buffer> {
  return collect(async (out) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    workbook.creator = 'kinerja-bot';
    workbook.title = 'Uji';
    for (const sheet of sheets) {
      const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = sheet.columns.map((c, k) => ({ header: c.header, key: `c${k}`, width: c.width }));
      ws.getRow(1).commit();
      for (const row of sheet.rows) ws.addRow(row).commit();
      ws.commit();
    }
    await workbook.commit();
  });
}

const tricky: Cell[][] = [
  ['198001012005011001', 'Budi <Santoso> & "Putra"', "O'Neil", 12, 0, -3.5, 1e21, ''],
  ['x', null, 'tab\there\nline\r\nend', 'ctl\u0001\u0008\u000b\u000c\u000e\u001f\u007fdone', 0.1 + 0.2, null, 'ünïcødé — ✓ 𝔸', null],
  [null, null, null, null, null, null, null, null],
  [null, 'late start', 7],
  ['  leading and trailing spaces  ', '=SUM(A1:A2)', '<v></v>', 'a', 'b', 'c', 'd', 'e', 'beyond the columns'],
];
const columns = Array.from({ length: 8 }, (_, k) => ({ header: `Kolom ${k + 1} & <${k}>`, width: 10 + k }));

describe('the export workbook', () => {
  it('is byte for byte what exceljs writes of the same rows, sheet by sheet', async () => {
    const many: Cell[][] = Array.from({ length: 12_345 }, (_, i) => [`NIP ${i}`, i % 7 === 0 ? null : `Nama ${i}`, i, i / 3, i % 2 ? 'Ya' : 'Tidak']);
    const wide: Cell[][] = [Array.from({ length: 30 }, (_, k) => (k % 2 ? k : `k${k}`))];
    const sheets: Sheet[] = [
      { name: 'Ringkasan', columns, rows: tricky },
      { name: 'Pegawai', columns: columns.slice(0, 5), rows: many },
      { name: 'Terlambat', columns: columns.slice(0, 1), rows: [] },
      { name: 'Mutu Baku', columns: Array.from({ length: 30 }, (_, k) => ({ header: `K${k}`, width: 8 })), rows: wide },
    ];
    // The big sheet comes in batches, as the cursors give them.
    const streamed: StreamedSheet = {
      name: 'Pegawai',
      columns: sheets[1]!.columns,
      batches: (async function* () {
        for (let i = 0; i < many.length; i += 5000) yield many.slice(i, i + 5000);
      })(),
    };
    const mine = await collect((out) =>
      writeXlsx(out, [async () => sheets[0]!, async () => streamed, async () => sheets[2]!, async () => sheets[3]!], { title: 'Uji' }),
    );
    const theirs = await plainExceljs(sheets);
    const a = unzip(mine);
    const b = unzip(theirs);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, xml] of b) {
      // docProps/core.xml holds the time of writing.
      if (name === 'docProps/core.xml') continue;
      expect(a.get(name), name).toBe(xml);
    }
    expect(a.get('xl/worksheets/sheet2.xml')!.match(/<row /g)!.length).toBe(1 + many.length);
  });

  it('reads back with the values and row numbers written', async () => {
    const book = new ExcelJS.Workbook();
    const file = await collect((out) => writeXlsx(out, [async () => ({ name: 'Ringkasan', columns, rows: tricky })], { title: 'Uji' }));
    await book.xlsx.load(file as unknown as ArrayBuffer);
    const ws = book.getWorksheet('Ringkasan')!;
    expect(ws.getRow(2).getCell(2).value).toBe('Budi <Santoso> & "Putra"');
    expect(ws.getRow(3).getCell(4).value).toBe('ctldone');
    expect(ws.getRow(5).getCell(3).value).toBe(7);
    expect(ws.rowCount).toBe(6);
  });

  it('reports a sheet that fails, whether its build or a later batch, and closes the sheet read ahead', async () => {
    let closed = false;
    const ahead: StreamedSheet = {
      name: 'TPP',
      columns,
      batches: (async function* () {
        try {
          yield [['x']];
          yield [['y']];
        } finally {
          closed = true;
        }
      })(),
    };
    const failing: StreamedSheet = {
      name: 'Log Kejadian',
      columns,
      batches: (async function* () {
        yield [['a']];
        throw new Error('cursor lost');
      })(),
    };
    await expect(collect((out) => writeXlsx(out, [async () => failing, async () => ahead], { title: 'Uji' }))).rejects.toThrow('cursor lost');
    expect(closed).toBe(true);
    await expect(
      collect((out) => writeXlsx(out, [async () => ({ name: 'Ringkasan', columns, rows: tricky }), () => Promise.reject(new Error('no recap'))], { title: 'Uji' })),
    ).rejects.toThrow('no recap');
  });
});
