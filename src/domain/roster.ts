// Roster CSV import: parse and validate the whole file, all or nothing, reporting every bad row; the public names
// of src/domain/roster/, one file per concern (columns, cells, CSV records, header, units, cycles, problems).
export type {
  JenisJabatan, RosterRole, RosterRow, RosterProblem, RosterParseResult, ParseRosterOptions,
} from './roster/shape.js';
export { ROSTER_COLUMNS, OPTIONAL_ROSTER_COLUMNS, JENIS_JABATAN, ROSTER_ROLES } from './roster/columns.js';
export { parseRoster } from './roster/parse-roster.js';
export { formatProblems } from './roster/problems.js';
