// Which columns a roster has (required, optional) and which values its closed cells take.
import type { JenisJabatan, RosterRole } from './shape.js';

export const ROSTER_COLUMNS = [
  'nip',
  'nama',
  'jabatan',
  'jenis_jabatan',
  'unit',
  'nip_atasan',
  'telepon',
  'peran',
] as const;
export type Column = (typeof ROSTER_COLUMNS)[number];

/** Columns a file may leave out; older rosters have none of them. */
export const OPTIONAL_ROSTER_COLUMNS = ['pangkat', 'jenjang'] as const;
export type OptionalColumn = (typeof OPTIONAL_ROSTER_COLUMNS)[number];

export const JENIS_JABATAN: readonly JenisJabatan[] = ['jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional'];
export const ROSTER_ROLES: readonly RosterRole[] = ['pengelola', 'bkpp_admin'];
