// The shape of a roster import: a valid row, a problem, the parse result and its options.

export type JenisJabatan = 'jpt' | 'administrator' | 'pengawas' | 'pelaksana' | 'fungsional';
export type RosterRole = 'pengelola' | 'bkpp_admin';

export interface RosterRow {
  /** 1-based file line where the record starts (header = line 1). */
  line: number;
  nip: string;
  nama: string;
  jabatan: string;
  jenisJabatan: JenisJabatan;
  /** Perangkat daerah first, then bidang, subbagian… */
  unitPath: string[];
  nipAtasan: string | null;
  telepon: string | null;
  peran: RosterRole[];
  /**
   * Pangkat/golongan ruang as written ('Penata Muda Tk. I, III/b'); null for an empty cell. Absent (undefined)
   * when the file has no pangkat column, so an import leaves the stored value alone instead of erasing it.
   */
  pangkat?: string | null;
  /**
   * Jenjang of a jabatan fungsional ('Ahli Pertama', 'Terampil'…) for angka kredit; same absent/null rule as pangkat.
   */
  jenjang?: string | null;
}

export interface RosterProblem {
  line: number;
  column?: string;
  message: string;
}

export type RosterParseResult =
  | { ok: true; rows: RosterRow[]; units: string[][] }
  | { ok: false; problems: RosterProblem[] };

export interface ParseRosterOptions {
  /** Default 200,000. */
  maxRows?: number;
  /** Bounds plausible NIP years; defaults to the current time. */
  now?: Date;
}
