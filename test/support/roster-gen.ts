// Deterministic generator of large, valid roster CSVs for tests and benchmarks.

import type { JenisJabatan, RosterRole } from '../../src/domain/roster.js';

export interface GeneratedRosterRow {
  nip: string;
  nama: string;
  /** Normalised ('+62…'), as parseRoster returns it; the CSV mixes '08…' and '+62 …' spellings. */
  telepon: string;
  unitPath: string[];
  nipAtasan: string | null;
  jenisJabatan: JenisJabatan;
  peran: RosterRole[];
}

export interface GenerateRosterOptions {
  employees: number;
  perangkatDaerah: number;
  seed?: number;
  /** Default ';' like Indonesian spreadsheet exports. */
  delimiter?: ';' | ',';
}

const PD_NAMES = [
  'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia', // index 0 is the BKPP: holds the bkpp_admins
  'Dinas Kesehatan',
  'Dinas Pendidikan dan Kebudayaan',
  'Inspektorat',
  'Dinas Pekerjaan Umum dan Penataan Ruang',
  'Badan Perencanaan Pembangunan Daerah',
  'Badan Pengelolaan Keuangan dan Aset Daerah',
  'Dinas Sosial',
  'Dinas Perhubungan',
  'Dinas Lingkungan Hidup',
  'Dinas Kependudukan dan Pencatatan Sipil',
  'Dinas Pertanian dan Ketahanan Pangan',
  'Dinas Komunikasi dan Informatika',
  'Satuan Polisi Pamong Praja',
  'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu',
];
const BIDANG = ['Perencanaan', 'Pelayanan', 'Pembinaan', 'Pengembangan', 'Pengendalian', 'Data dan Informasi', 'Pengawasan'];
const SUB = ['Program', 'Evaluasi', 'Pengelolaan Data', 'Fasilitasi', 'Monitoring', 'Standardisasi'];
const FIRST = ['Agus', 'Budi', 'Siti', 'Dewi', 'Rina', 'Ahmad', 'Muhammad', 'Nur', 'Sri', 'Eko', 'Wahyu', 'Putri', 'Rizki', 'Yuliani', 'Hendra', 'Fitri', 'Andi', 'Dian', 'Indah', 'Bambang', 'Ketut', 'Made', 'Nyoman', 'Fajar'];
const LAST = ['Santoso', 'Wulandari', 'Hidayat', 'Lestari', 'Saputra', 'Rahmawati', 'Nasution', 'Siregar', 'Pratama', 'Kurniawan', 'Susanti', 'Setiawan', 'Harahap', 'Suryani', 'Wijaya', 'Maharani', 'Syahputra', 'Handayani', 'Gunawan', 'Permata'];

// mulberry32: tiny, fast, good enough for fixtures.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

type Position = { jenis: JenisJabatan; jabatan: string; unitPath: string[]; atasan: number | null };

/** Positions of one perangkat daerah: kepala → kepala bidang → kasubbag/kasi → staff (3–4 levels). */
function positions(pd: string, size: number): Position[] {
  const out: Position[] = [{ jenis: 'jpt', jabatan: `Kepala ${pd}`, unitPath: [pd], atasan: null }];
  const rest = size - 1;
  const admins = Math.max(1, Math.min(8, Math.round(rest / 60)));
  const perAdmin = Math.max(1, Math.min(5, Math.round(rest / admins / 15)));
  const pengawas: number[] = [];
  const adminIdx: number[] = [];
  for (let a = 0; a < admins && out.length < size; a++) {
    const unit = a === 0 ? 'Sekretariat' : `Bidang ${BIDANG[(a - 1) % BIDANG.length]}${a > BIDANG.length ? ` ${a}` : ''}`;
    adminIdx.push(out.length);
    out.push({ jenis: 'administrator', jabatan: a === 0 ? 'Sekretaris' : `Kepala ${unit}`, unitPath: [pd, unit], atasan: 0 });
  }
  for (let g = 0; g < perAdmin; g++) {
    for (const ai of adminIdx) {
      if (out.length >= size) break;
      const parent = out[ai]!;
      const isSekretariat = parent.unitPath[1] === 'Sekretariat';
      const name = isSekretariat
        ? g === 0 ? 'Subbagian Umum dan Kepegawaian' : `Subbagian ${SUB[(g - 1) % SUB.length]}`
        : `Seksi ${SUB[g % SUB.length]}`;
      pengawas.push(out.length);
      out.push({ jenis: 'pengawas', jabatan: `Kepala ${name}`, unitPath: [...parent.unitPath, name], atasan: ai });
    }
  }
  // Staff: mostly pelaksana under a pengawas (4 levels); every fifth a fungsional under the administrator (3 levels).
  for (let s = 0; out.length < size; s++) {
    const pi = pengawas[s % pengawas.length];
    if (pi === undefined) {
      out.push({ jenis: 'pelaksana', jabatan: 'Pengadministrasi Umum', unitPath: out[0]!.unitPath, atasan: 0 });
      continue;
    }
    const sub = out[pi]!;
    if (s % 5 === 4) {
      out.push({ jenis: 'fungsional', jabatan: 'Analis Kebijakan Ahli Muda', unitPath: sub.unitPath.slice(0, 2), atasan: sub.atasan });
    } else {
      out.push({ jenis: 'pelaksana', jabatan: s % 2 === 0 ? 'Pengadministrasi Perkantoran' : 'Penata Layanan Operasional', unitPath: sub.unitPath, atasan: pi });
    }
  }
  return out;
}

function csvField(value: string, delimiter: string): string {
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') ? `"${value.replace(/"/g, '""')}"` : value;
}

export function generateRoster(opts: GenerateRosterOptions): { csv: string; rows: GeneratedRosterRow[] } {
  const { employees, perangkatDaerah, seed = 1, delimiter = ';' } = opts;
  if (perangkatDaerah < 1 || employees < perangkatDaerah * 3) {
    throw new Error('generateRoster needs at least one perangkat daerah and 3 employees per perangkat daerah');
  }
  const random = rng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  // Serial numbers restart per 15-digit prefix, as in real NIPs, which also keeps NIPs unique.
  const serials = new Map<string, number>();
  const nextNip = (pppk: boolean): string => {
    const birthYear = int(1966, 1998);
    const birth = `${birthYear}${pad(int(1, 12), 2)}${pad(int(1, 28), 2)}`;
    const middle = pppk ? `${int(2021, 2024)}${pad(int(21, 24), 2)}` : `${birthYear + int(22, 27)}${pad(int(1, 12), 2)}`;
    const prefix = `${birth}${middle}${int(1, 2)}`;
    const serial = (serials.get(prefix) ?? 0) + 1;
    serials.set(prefix, serial);
    return `${prefix}${pad(serial, 3)}`;
  };

  const rows: GeneratedRosterRow[] = [];
  const lines: string[] = [['nip', 'nama', 'jabatan', 'jenis_jabatan', 'unit', 'nip_atasan', 'telepon', 'peran'].join(delimiter)];
  const base = Math.floor(employees / perangkatDaerah);
  const remainder = employees % perangkatDaerah;
  let person = 0;
  for (let p = 0; p < perangkatDaerah; p++) {
    const pd = p < PD_NAMES.length ? PD_NAMES[p]! : `Dinas Urusan Daerah ${p + 1}`;
    const list = positions(pd, base + (p < remainder ? 1 : 0));
    const nips: string[] = [];
    // Pengelola: the kasubbag umum dan kepegawaian if there is one; the BKPP's two admins are its last two staff.
    const pengelola = list.findIndex((x) => x.jenis === 'pengawas');
    const bkppAdmins = p === 0 ? [list.length - 1, list.length - 2] : [];
    list.forEach((pos, i) => {
      const structural = pos.jenis !== 'pelaksana' && pos.jenis !== 'fungsional';
      const nip = nextNip(!structural && random() < 0.2);
      nips.push(nip);
      const peran: RosterRole[] = [];
      if (i === (pengelola === -1 ? 0 : pengelola)) peran.push('pengelola');
      if (bkppAdmins.includes(i)) peran.push('bkpp_admin');
      // A permutation of 0..1e8 (7919 is coprime with 1e8), so phones are unique.
      const local = pad((person * 7919 + 12345) % 100_000_000, 8);
      const telepon = `+62812${local}`;
      const written = person % 3 === 0 ? `0812-${local.slice(0, 4)}-${local.slice(4)}` : person % 3 === 1 ? `+62 812 ${local}` : `0812${local}`;
      const nama = `${FIRST[int(0, FIRST.length - 1)]} ${LAST[int(0, LAST.length - 1)]}`;
      const nipAtasan = pos.atasan === null ? null : nips[pos.atasan]!;
      rows.push({ nip, nama, telepon, unitPath: pos.unitPath, nipAtasan, jenisJabatan: pos.jenis, peran });
      lines.push(
        [nip, nama, pos.jabatan, pos.jenis, pos.unitPath.join(' / '), nipAtasan ?? '', written, peran.join('|')]
          .map((v) => csvField(v, delimiter))
          .join(delimiter),
      );
      person++;
    });
  }
  return { csv: `${lines.join('\n')}\n`, rows };
}
