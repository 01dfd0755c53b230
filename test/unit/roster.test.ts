// Roster CSV import: formats, every problem kind with its line, the example file and generated rosters.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseNip } from '../../src/domain/nip.js';
import { formatProblems, parseRoster, type RosterParseResult, type RosterProblem, type RosterRow } from '../../src/domain/roster.js';
import { generateRoster } from '../support/roster-gen.js';

const NOW = new Date('2026-03-01T00:00:00Z');
const HEADER = 'nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran';

const p2 = (n: number) => String(n).padStart(2, '0');
/** Distinct valid PNS NIPs for i < 336 * 999. */
function nipFor(i: number): string {
  const day = 1 + (i % 28);
  const month = 1 + (Math.floor(i / 28) % 12);
  const serial = 1 + Math.floor(i / 336);
  return `1980${p2(month)}${p2(day)}2005011${String(serial).padStart(3, '0')}`;
}
const KEPALA = nipFor(0);
const KABID = nipFor(1);
const STAF = nipFor(2);

function parse(csv: string | Buffer, opts: { maxRows?: number } = {}): RosterParseResult {
  return parseRoster(typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv, { ...opts, now: NOW });
}
function rowsOf(result: RosterParseResult): RosterRow[] {
  if (!result.ok) throw new Error(formatProblems(result.problems));
  return result.rows;
}
function problemsOf(result: RosterParseResult): RosterProblem[] {
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}
const lines = (...l: string[]) => `${l.join('\n')}\n`;

const VALID = lines(
  HEADER,
  `${KEPALA};Dr. Budi Santoso, M.Si;Kepala Dinas Kesehatan;jpt;Dinas Kesehatan;;0812-1111-0001;`,
  `${KABID};Siti Aminah;Kepala Bidang Pelayanan;administrator;Dinas Kesehatan / Bidang Pelayanan;${KEPALA};+62 812 1111 0002;pengelola`,
  `${STAF};Agus Salim;Pengadministrasi Perkantoran;pelaksana;Dinas Kesehatan / Bidang Pelayanan / Seksi Rujukan;${KABID};;Pengelola | BKPP_ADMIN`,
);

describe('parseRoster: formats', () => {
  it('parses a valid ;-separated roster', () => {
    const result = parse(VALID);
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          nip: KEPALA,
          nama: 'Dr. Budi Santoso, M.Si',
          jabatan: 'Kepala Dinas Kesehatan',
          jenisJabatan: 'jpt',
          unitPath: ['Dinas Kesehatan'],
          nipAtasan: null,
          telepon: '+6281211110001',
          peran: [],
        },
        {
          line: 3,
          nip: KABID,
          nama: 'Siti Aminah',
          jabatan: 'Kepala Bidang Pelayanan',
          jenisJabatan: 'administrator',
          unitPath: ['Dinas Kesehatan', 'Bidang Pelayanan'],
          nipAtasan: KEPALA,
          telepon: '+6281211110002',
          peran: ['pengelola'],
        },
        {
          line: 4,
          nip: STAF,
          nama: 'Agus Salim',
          jabatan: 'Pengadministrasi Perkantoran',
          jenisJabatan: 'pelaksana',
          unitPath: ['Dinas Kesehatan', 'Bidang Pelayanan', 'Seksi Rujukan'],
          nipAtasan: KABID,
          telepon: null,
          peran: ['pengelola', 'bkpp_admin'],
        },
      ],
      units: [['Dinas Kesehatan'], ['Dinas Kesehatan', 'Bidang Pelayanan'], ['Dinas Kesehatan', 'Bidang Pelayanan', 'Seksi Rujukan']],
    });
  });

  it('parses a ,-separated roster with quoted fields and a reordered, differently cased header', () => {
    const csv = lines(
      ' NAMA ,Nip,jabatan,Jenis Jabatan,UNIT,nip_atasan,telepon,peran',
      `"Dr. Budi Santoso, M.Si",${KEPALA},"Kepala Dinas ""Sehat""",JPT,Dinas Kesehatan,,,`,
      `Siti,"${KABID.slice(0, 8)} ${KABID.slice(8, 14)} ${KABID.slice(14, 15)} ${KABID.slice(15)}",Kabid,Administrator,"Dinas Kesehatan / Bidang P2P",${KEPALA},,`,
    );
    const rows = rowsOf(parse(csv));
    expect(rows.map((r) => [r.line, r.nip, r.nama, r.jabatan, r.jenisJabatan])).toEqual([
      [2, KEPALA, 'Dr. Budi Santoso, M.Si', 'Kepala Dinas "Sehat"', 'jpt'],
      [3, KABID, 'Siti', 'Kabid', 'administrator'],
    ]);
  });

  it('handles a BOM, CRLF and multi-line quoted fields without losing line numbers', () => {
    const csv =
      '\ufeff' +
      [
        HEADER,
        `${KEPALA};"Budi\r\nSantoso";Kepala;jpt;Dinas A;;;`,
        '',
        `${KABID};Siti;"Kepala\r\nBidang\r\nSatu";administrator;Dinas A / Bidang Satu;${KEPALA};;`,
        `${STAF};;Staf;pelaksana;Dinas A;${KABID};;`,
      ].join('\r\n') +
      '\r\n';
    const result = parse(csv);
    // Line 2–3 Budi, 4 blank, 5–7 Siti, 8 the staff member with no name.
    expect(problemsOf(result)).toEqual([{ line: 8, column: 'nama', message: 'nama kosong' }]);
    const fixed = csv.replace(`${STAF};;`, `${STAF};Agus;`);
    const rows = rowsOf(parse(fixed));
    expect(rows.map((r) => r.line)).toEqual([2, 5, 8]);
    expect(rows[0]?.nama).toBe('Budi Santoso'); // whitespace, including the newline, collapsed
    expect(rows[1]?.jabatan).toBe('Kepala Bidang Satu');
  });

  it('ignores blank lines, delimiter-only rows and unnamed trailing columns', () => {
    const csv = lines(
      `${HEADER};;`,
      '',
      `${KEPALA};Budi;Kepala;jpt;Dinas A;;;;;`,
      ';;;;;;;;;',
      `${KABID};Siti;Kabid;administrator;Dinas A / Bidang B;${KEPALA};;;;`,
      ';;;;;;;',
    );
    expect(rowsOf(parse(csv)).map((r) => r.line)).toEqual([3, 5]);
  });

  it('normalises whitespace in cells and unit parts', () => {
    const csv = lines(HEADER, `${KEPALA};  Budi\u00a0  Santoso ;Kepala;jpt;  Dinas   A  /  Bidang  B ;;;`);
    const [row] = rowsOf(parse(csv));
    expect(row?.nama).toBe('Budi Santoso');
    expect(row?.unitPath).toEqual(['Dinas A', 'Bidang B']);
  });

  it('keeps a slash without spaces inside a unit name', () => {
    const csv = lines(HEADER, `${KEPALA};Budi;Kepala;jpt;Dinas A / Subbagian Umum/Kepegawaian;;;`);
    expect(rowsOf(parse(csv))[0]?.unitPath).toEqual(['Dinas A', 'Subbagian Umum/Kepegawaian']);
  });

  it('lists units with parents before children, each once', () => {
    const csv = lines(
      HEADER,
      `${nipFor(10)};A;Staf;pelaksana;Dinas B / Bidang X / Seksi Y;;;`,
      `${nipFor(11)};B;Staf;pelaksana;Dinas A / Bidang Z;;;`,
      `${nipFor(12)};C;Staf;pelaksana;Dinas B / Bidang X;;;`,
      `${nipFor(13)};D;Staf;pelaksana;Dinas B;;;`,
    );
    const result = parse(csv);
    expect(result.ok && result.units).toEqual([
      ['Dinas B'],
      ['Dinas B', 'Bidang X'],
      ['Dinas B', 'Bidang X', 'Seksi Y'],
      ['Dinas A'],
      ['Dinas A', 'Bidang Z'],
    ]);
  });

  it('accepts atasan rows that appear later in the file', () => {
    const csv = lines(HEADER, `${STAF};Agus;Staf;pelaksana;Dinas A;${KEPALA};;`, `${KEPALA};Budi;Kepala;jpt;Dinas A;;;`);
    expect(rowsOf(parse(csv)).map((r) => r.nipAtasan)).toEqual([KEPALA, null]);
  });
});

describe('parseRoster: file-level problems', () => {
  it('reports an empty file', () => {
    for (const input of ['', '   \n\n', '\ufeff', ';;;;\n']) {
      expect(problemsOf(parse(input))).toEqual([{ line: 1, message: 'berkas kosong' }]);
    }
  });

  it('reports a header without data', () => {
    expect(problemsOf(parse(lines(HEADER)))).toEqual([{ line: 1, message: 'tidak ada data pegawai (hanya baris judul)' }]);
  });

  it('names missing, unknown and duplicated header columns in one problem on line 1', () => {
    const problems = problemsOf(parse(lines('nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;hp;nama', `${KEPALA};Budi;K;jpt;A;;;`)));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(1);
    expect(problems[0]?.message).toContain('kolom tidak ada: telepon, peran');
    expect(problems[0]?.message).toContain('kolom tidak dikenal: "hp"');
    expect(problems[0]?.message).toContain('kolom ganda: nama');
  });

  it('hints at the delimiter when the header is one tab-separated cell', () => {
    const [problem] = problemsOf(parse(lines(HEADER.replaceAll(';', '\t'), 'x')));
    expect(problem?.message).toMatch(/pemisah kolom/);
  });

  it('rejects more rows than allowed', () => {
    const csv = lines(
      HEADER,
      `${nipFor(1)};A;S;pelaksana;D;;;`,
      `${nipFor(2)};B;S;pelaksana;D;;;`,
      `${nipFor(3)};C;S;pelaksana;D;;;`,
    );
    expect(problemsOf(parse(csv, { maxRows: 2 }))).toEqual([{ line: 4, message: 'terlalu banyak baris: 3 pegawai (maksimal 2)' }]);
    expect(parse(csv, { maxRows: 3 }).ok).toBe(true);
  });

  it('rejects invalid UTF-8 with the line of the first bad byte', () => {
    const good = Buffer.from(lines(HEADER, `${KEPALA};Budi;Kepala;jpt;Dinas A;;;`));
    const latin1 = Buffer.from(`${KABID};Jos\xe9;Staf;pelaksana;Dinas A;;;\n`, 'latin1');
    expect(problemsOf(parse(Buffer.concat([good, latin1])))).toEqual([
      { line: 3, message: 'berkas bukan UTF-8 yang valid; simpan ulang sebagai CSV UTF-8' },
    ]);
  });

  it('reports an unclosed quote on the line where the record starts', () => {
    const csv = lines(HEADER, `${KEPALA};Budi;Kepala;jpt;Dinas A;;;`, '', `${KABID};"Siti;Kabid;administrator;Dinas A;;;`, `${STAF};Agus;S;pelaksana;Dinas A;;;`);
    expect(problemsOf(parse(csv))).toEqual([{ line: 4, message: 'tanda kutip (") dibuka tetapi tidak ditutup' }]);
  });

  it('reports text after a closing quote', () => {
    const csv = lines(HEADER, `${KEPALA};"Budi" Santoso;Kepala;jpt;Dinas A;;;`);
    const [problem] = problemsOf(parse(csv));
    expect(problem?.line).toBe(2);
    expect(problem?.message).toMatch(/setelah tanda kutip penutup/);
  });
});

describe('parseRoster: row problems', () => {
  it('reports every bad row at once, sorted by line, with the column', () => {
    const [a, b, c, d, e, f, g] = [20, 21, 22, 23, 24, 25, 26].map(nipFor) as [string, string, string, string, string, string, string];
    const csv = lines(
      HEADER,
      /* 2 */ `${KEPALA};Budi;Kepala;jpt;Dinas Kesehatan;;0812-0000-0001;`,
      /* 3 */ `123;Ani;Staf;pelaksana;Dinas Kesehatan;${KEPALA};;`,
      /* 4 */ `;Ani;Staf;pelaksana;Dinas Kesehatan;${KEPALA};;`,
      /* 5 */ `${KEPALA};Budi Lagi;Staf;pelaksana;Dinas Kesehatan;;;`,
      /* 6 */ `${a};;;Eselon;;${KEPALA};;`,
      /* 7 */ `${b};Cici;Staf;;Dinas Kesehatan /  / Seksi;19801301200501100;;`,
      /* 8 */ `${c};Dodi;Staf;pelaksana;Dinas Kesehatan;${nipFor(999)};;`,
      /* 9 */ `${d};Euis;Staf;pelaksana;Dinas Kesehatan;${d};telp kantor;`,
      /* 10 */ `${e};Fani;Staf;pelaksana;Dinas Kesehatan;${KEPALA};081200000001;admin|pengelola`,
      /* 11 */ `${f};Gina;Staf;pelaksana;Dinas kesehatan;${g};;`,
      /* 12 */ `${g};Hadi;Staf;pelaksana;Dinas Kesehatan;${f};;`,
      /* 13 */ `${nipFor(30)};Iwan;Staf;pelaksana;Dinas Kesehatan;${KEPALA};;;extra`,
      /* 14 */ `${nipFor(31)};Joko;Staf`,
    );
    const problems = problemsOf(parse(csv));
    expect(problems).toEqual([
      { line: 3, column: 'nip', message: 'NIP tidak valid: NIP harus 18 digit angka' },
      { line: 4, column: 'nip', message: 'NIP kosong' },
      { line: 5, column: 'nip', message: `NIP ${KEPALA} muncul dua kali (juga di baris 2)` },
      { line: 6, column: 'nama', message: 'nama kosong' },
      { line: 6, column: 'jabatan', message: 'jabatan kosong' },
      {
        line: 6,
        column: 'jenis_jabatan',
        message: 'jenis_jabatan tidak dikenal: "Eselon" (pilihan: jpt, administrator, pengawas, pelaksana, fungsional)',
      },
      { line: 6, column: 'unit', message: 'unit kosong' },
      {
        line: 7,
        column: 'jenis_jabatan',
        message: 'jenis_jabatan kosong (pilihan: jpt, administrator, pengawas, pelaksana, fungsional)',
      },
      { line: 7, column: 'unit', message: 'unit memuat bagian kosong: "Dinas Kesehatan / / Seksi" (pisahkan tingkat dengan " / ")' },
      { line: 7, column: 'nip_atasan', message: 'nip_atasan tidak valid: NIP harus 18 digit angka' },
      { line: 8, column: 'nip_atasan', message: `nip_atasan ${nipFor(999)} tidak ada di daftar` },
      { line: 9, column: 'nip_atasan', message: 'nip_atasan sama dengan NIP pegawai itu sendiri' },
      { line: 9, column: 'telepon', message: 'telepon tidak valid: "telp kantor"' },
      { line: 10, column: 'telepon', message: 'telepon +6281200000001 sudah dipakai di baris 2' },
      { line: 10, column: 'peran', message: 'peran tidak dikenal: "admin" (pilihan: pengelola, bkpp_admin)' },
      {
        line: 11,
        column: 'unit',
        message: 'unit "Dinas kesehatan" hanya beda huruf besar/kecil dengan "Dinas Kesehatan" (baris 2); samakan penulisannya',
      },
      { line: 13, message: 'jumlah kolom 9, seharusnya 8; nilai yang mengandung ";" harus diapit tanda kutip (")' },
      { line: 14, message: 'jumlah kolom 3, seharusnya 8' },
    ]);
  });

  it('detects an atasan cycle and names its members from the earliest line', () => {
    const [a, b, c] = [40, 41, 42].map(nipFor) as [string, string, string];
    const csv = lines(
      HEADER,
      /* 2 */ `${KEPALA};Budi;Kepala;jpt;Dinas A;;;`,
      /* 3 */ `${b};B;Kabid;administrator;Dinas A;${c};;`,
      /* 4 */ `${a};A;Staf;pelaksana;Dinas A;${b};;`,
      /* 5 */ `${c};C;Kasubbag;pengawas;Dinas A;${a};;`,
      /* 6 */ `${STAF};D;Staf;pelaksana;Dinas A;${a};;`, // hangs off the cycle: not itself a problem
    );
    expect(problemsOf(parse(csv))).toEqual([
      {
        line: 3,
        column: 'nip_atasan',
        message: `siklus atasan: ${b} (baris 3) → ${c} (baris 5) → ${a} (baris 4) → ${b}`,
      },
    ]);
  });

  it('reports two separate cycles separately', () => {
    const n = [50, 51, 52, 53].map(nipFor) as [string, string, string, string];
    const csv = lines(
      HEADER,
      `${n[0]};A;S;pelaksana;D;${n[1]};;`,
      `${n[1]};B;S;pelaksana;D;${n[0]};;`,
      `${n[2]};C;S;pelaksana;D;${n[3]};;`,
      `${n[3]};D;S;pelaksana;D;${n[2]};;`,
    );
    expect(problemsOf(parse(csv)).map((p) => [p.line, p.message.startsWith('siklus atasan')])).toEqual([
      [2, true],
      [4, true],
    ]);
  });

  it('does not repeat a broken NIP as a missing atasan', () => {
    const broken = `${KEPALA.slice(0, 15)}000`;
    const csv = lines(HEADER, `${broken};Budi;Kepala;jpt;Dinas A;;;`, `${STAF};Agus;Staf;pelaksana;Dinas A;${KABID};;`, `${KABID};Siti;Kabid;administrator;Dinas A;${KEPALA};;`);
    // Line 4 points at KEPALA, which is absent (line 2 holds a broken NIP that is not KEPALA).
    expect(problemsOf(parse(csv))).toEqual([
      { line: 2, column: 'nip', message: 'NIP tidak valid: nomor urut pada NIP tidak boleh 000' },
      { line: 4, column: 'nip_atasan', message: `nip_atasan ${KEPALA} tidak ada di daftar` },
    ]);
    // A misaligned row's NIP still counts as present, so its subordinates are not blamed.
    const misaligned = lines(HEADER, `${KEPALA};Budi;Kepala;jpt;Dinas A;;;;x`, `${STAF};Agus;Staf;pelaksana;Dinas A;${KEPALA};;`);
    expect(problemsOf(parse(misaligned)).map((p) => p.line)).toEqual([2]);
  });

  it('handles deep chains and long cycles without recursion', () => {
    const n = 20_000;
    const chain = [HEADER];
    for (let i = 0; i < n; i++) chain.push(`${nipFor(i)};P${i};Staf;pelaksana;Dinas A;${i === 0 ? '' : nipFor(i - 1)};;`);
    expect(rowsOf(parse(lines(...chain)))).toHaveLength(n);

    chain[1] = `${nipFor(0)};P0;Staf;pelaksana;Dinas A;${nipFor(n - 1)};;`; // close the chain into one cycle
    const problems = problemsOf(parse(lines(...chain)));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(2);
    expect(problems[0]?.message).toMatch(/^siklus atasan: 198001012005011001 \(baris 2\) → .* \(baris 20001\) → .* … 19\.993 lainnya → .* \(baris 3\) → 198001012005011001$/);
  });
});

describe('parseRoster: the optional pangkat column', () => {
  it('leaves pangkat out of every row when the file has no such column', () => {
    const rows = rowsOf(parse(VALID));
    expect(rows).toHaveLength(3);
    // Absent, not null: the import then keeps what is stored instead of erasing it.
    for (const row of rows) expect('pangkat' in row).toBe(false);
  });

  it('reads pangkat wherever the column stands; an empty cell is null and whitespace is tidied', () => {
    const csv = lines(
      'nip;nama;pangkat;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran',
      `${KEPALA};Budi;Pembina Utama Muda (IV/c);Kepala;jpt;Dinas A;;;`,
      `${KABID};Siti;  Pembina,  IV/a ;Kabid;administrator;Dinas A / Bidang B;${KEPALA};;`,
      `${STAF};Agus;;Staf;pelaksana;Dinas A / Bidang B;${KABID};;`,
    );
    expect(rowsOf(parse(csv)).map((r) => [r.nip, r.pangkat, r.jabatan])).toEqual([
      [KEPALA, 'Pembina Utama Muda (IV/c)', 'Kepala'],
      [KABID, 'Pembina, IV/a', 'Kabid'],
      [STAF, null, 'Staf'],
    ]);
  });

  it('accepts pangkat_golongan (in any spelling headerKey normalises) as the same column, in ,-separated files too', () => {
    const csv = lines(
      'nip,nama,jabatan,jenis_jabatan,unit,nip_atasan,telepon,peran, Pangkat Golongan ',
      `${KEPALA},Budi,Kepala,jpt,Dinas A,,,,"Penata Muda Tk. I, III/b"`,
      `${KABID},Siti,Kabid,administrator,Dinas A,${KEPALA},,,IX`,
    );
    expect(rowsOf(parse(csv)).map((r) => r.pangkat)).toEqual(['Penata Muda Tk. I, III/b', 'IX']);
    const dashed = lines(`${HEADER};PANGKAT-GOLONGAN`, `${KEPALA};Budi;Kepala;jpt;Dinas A;;;;Pembina, IV/a`);
    expect(rowsOf(parse(dashed))[0]?.pangkat).toBe('Pembina, IV/a');
  });

  it('refuses pangkat and pangkat_golongan side by side as one column given twice', () => {
    const [problem, ...rest] = problemsOf(parse(lines(`${HEADER};pangkat;pangkat_golongan`, `${KEPALA};Budi;Kepala;jpt;Dinas A;;;;IV/a;IV/a`)));
    expect(rest).toEqual([]);
    expect(problem?.line).toBe(1);
    expect(problem?.message).toContain('kolom ganda: pangkat_golongan (sama dengan pangkat)');
  });

  it('names the optional column in the list of expected columns of a bad header', () => {
    const [problem] = problemsOf(parse(lines('nip;nama;golongan', `${KEPALA};Budi;IV/a`)));
    expect(problem?.message).toContain('kolom tidak dikenal: "golongan"');
    expect(problem?.message).toContain('Kolom yang diharapkan: nip, nama, jabatan, jenis_jabatan, unit, nip_atasan, telepon, peran; kolom pilihan: pangkat');
  });

  it('reports a pangkat longer than 100 characters as a row problem, among the others', () => {
    const ok = 'P'.repeat(99) + '\u{1d408}'; // 100 characters, though 101 UTF-16 units
    const csv = lines(
      `${HEADER};pangkat`,
      `${KEPALA};Budi;Kepala;jpt;Dinas A;;;;${ok}`,
      `${KABID};Siti;Kabid;administrator;Dinas A;${KEPALA};;;${'x'.repeat(101)}`,
      `${STAF};;Staf;pelaksana;Dinas A;${KEPALA};;;${'Penata Muda, III/a '.repeat(6)}`,
    );
    expect(problemsOf(parse(csv))).toEqual([
      { line: 3, column: 'pangkat', message: 'pangkat terlalu panjang (maksimal 100 karakter)' },
      { line: 4, column: 'nama', message: 'nama kosong' },
      { line: 4, column: 'pangkat', message: 'pangkat terlalu panjang (maksimal 100 karakter)' },
    ]);
    const fixed = csv.split('\n').slice(0, 2).join('\n');
    expect(rowsOf(parse(fixed))[0]?.pangkat).toBe(ok);
  });
});

describe('formatProblems', () => {
  const problems: RosterProblem[] = [
    { line: 1, message: 'kolom tidak ada: peran' },
    { line: 5, column: 'nip', message: 'NIP kosong' },
    { line: 6, column: 'nama', message: 'nama kosong' },
  ];

  it('prints one problem a line, with the column when known', () => {
    expect(formatProblems(problems)).toBe('Baris 1: kolom tidak ada: peran\nBaris 5 (nip): NIP kosong\nBaris 6 (nama): nama kosong');
  });

  it('summarises what is beyond the limit', () => {
    expect(formatProblems(problems, 1)).toBe('Baris 1: kolom tidak ada: peran\n… dan 2 masalah lain');
    const many = Array.from({ length: 1234 }, (_, i) => ({ line: i + 2, message: 'x' }));
    expect(formatProblems(many, 2).split('\n').at(-1)).toBe('… dan 1.232 masalah lain');
  });
});

describe('examples/roster.csv', () => {
  const result = parseRoster(readFileSync(new URL('../../examples/roster.csv', import.meta.url)));
  const rows = rowsOf(result);

  it('is accepted', () => {
    expect(result.ok).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  it('has at least 3 perangkat daerah, each with one head without atasan and one pengelola', () => {
    const pds = [...new Set(rows.map((r) => r.unitPath[0]))];
    expect(pds.length).toBeGreaterThanOrEqual(3);
    expect(pds).toContain('Badan Kepegawaian dan Pengembangan Sumber Daya Manusia');
    for (const pd of pds) {
      const inPd = rows.filter((r) => r.unitPath[0] === pd);
      expect(inPd.filter((r) => r.nipAtasan === null).map((r) => r.jenisJabatan), pd).toEqual(['jpt']);
      expect(inPd.filter((r) => r.peran.includes('pengelola')), pd).toHaveLength(1);
    }
  });

  it('has exactly 2 bkpp_admin, both in the BKPP', () => {
    const admins = rows.filter((r) => r.peran.includes('bkpp_admin'));
    expect(admins.map((r) => r.unitPath[0])).toEqual([
      'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia',
      'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia',
    ]);
  });

  it('has 4 levels jpt → administrator → pengawas → staff, with atasan in the same perangkat daerah', () => {
    const byNip = new Map(rows.map((r) => [r.nip, r]));
    const depth = (r: RosterRow): number => (r.nipAtasan === null ? 1 : 1 + depth(byNip.get(r.nipAtasan)!));
    expect(Math.max(...rows.map(depth))).toBe(4);
    const expectedAtasan: Record<string, string[]> = {
      jpt: [],
      administrator: ['jpt'],
      pengawas: ['administrator'],
      pelaksana: ['pengawas', 'administrator'],
      fungsional: ['pengawas', 'administrator'],
    };
    for (const r of rows) {
      if (r.nipAtasan === null) continue;
      const atasan = byNip.get(r.nipAtasan)!;
      expect(expectedAtasan[r.jenisJabatan], r.nama).toContain(atasan.jenisJabatan);
      expect(atasan.unitPath[0]).toBe(r.unitPath[0]);
    }
    expect(new Set(rows.map((r) => r.jenisJabatan))).toEqual(new Set(['jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional']));
  });

  it('gives every PNS a pangkat with its golongan ruang, and PPPK a golongan in Roman numerals or none', () => {
    for (const r of rows) {
      const parsed = parseNip(r.nip);
      if (parsed.ok && parsed.kind === 'pns') expect(r.pangkat, r.nama).toMatch(/^[A-Z][A-Za-z. ]+, (I|II|III|IV)\/[a-e]$/);
      else expect(r.pangkat ?? '', r.nama).toMatch(/^[IVX]*$/);
    }
    expect(rows.some((r) => r.pangkat === null)).toBe(true); // an empty cell too
  });

  it('mixes PNS and PPPK numbers and phone spellings', () => {
    const kinds = rows.map((r) => {
      const parsed = parseNip(r.nip);
      return parsed.ok ? parsed.kind : 'invalid';
    });
    expect(kinds.filter((k) => k === 'pppk').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((r) => r.telepon !== null).length).toBeGreaterThan(rows.length / 2);
    const raw = readFileSync(new URL('../../examples/roster.csv', import.meta.url), 'utf8');
    expect(raw).toMatch(/;08\d/);
    expect(raw).toMatch(/;\+62/);
  });
});

describe('generateRoster', () => {
  it('is deterministic', () => {
    const a = generateRoster({ employees: 200, perangkatDaerah: 4, seed: 3 });
    expect(generateRoster({ employees: 200, perangkatDaerah: 4, seed: 3 }).csv).toBe(a.csv);
    expect(generateRoster({ employees: 200, perangkatDaerah: 4, seed: 4 }).csv).not.toBe(a.csv);
  });

  it('produces 10,000 valid rows that parseRoster reads back exactly', () => {
    const generated = generateRoster({ employees: 10_000, perangkatDaerah: 12, seed: 42 });
    const rows = rowsOf(parseRoster(Buffer.from(generated.csv)));
    expect(rows).toHaveLength(10_000);
    expect(rows.map(({ nip, nama, telepon, unitPath, nipAtasan, jenisJabatan, peran }) => ({ nip, nama, telepon, unitPath, nipAtasan, jenisJabatan, peran }))).toEqual(
      generated.rows,
    );
    expect(new Set(rows.map((r) => r.unitPath[0])).size).toBe(12);
    expect(rows.filter((r) => r.peran.includes('pengelola'))).toHaveLength(12);
    expect(rows.filter((r) => r.peran.includes('bkpp_admin'))).toHaveLength(2);
    const byNip = new Map(rows.map((r) => [r.nip, r]));
    const depth = (r: RosterRow): number => (r.nipAtasan === null ? 1 : 1 + depth(byNip.get(r.nipAtasan)!));
    expect(new Set(rows.map(depth))).toEqual(new Set([1, 2, 3, 4]));
  });

  it('also writes ,-separated files', () => {
    const generated = generateRoster({ employees: 100, perangkatDaerah: 3, delimiter: ',' });
    expect(rowsOf(parseRoster(Buffer.from(generated.csv)))).toHaveLength(100);
  });
});
