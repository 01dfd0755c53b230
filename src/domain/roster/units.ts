// Units: each unit cell split into its path, its ancestors listed once, differently capitalised spellings refused.

const UNIT_SEPARATOR = /\s+\/\s+/; // ' / ' only, so names like 'Umum/Kepegawaian' stay whole

type UnitResult = { path: readonly string[] } | { message: string };

/**
 * Splits and checks unit cells, remembering every distinct path. Rosters repeat a few hundred
 * unit cells across thousands of rows, so each distinct cell is worked out once.
 */
export function createUnitRegistry() {
  const byCell = new Map<string, UnitResult>();
  /** Lower-cased path prefix -> first spelling and its line, to catch 'Dinas kesehatan' typos. */
  const spelling = new Map<string, { path: string; line: number }>();
  const list: string[][] = [];

  const compute = (cell: string, line: number): UnitResult => {
    if (cell === '') return { message: 'unit kosong' };
    const path = cell.split(UNIT_SEPARATOR).map((p) => p.trim());
    if (path.some((p) => p === '' || p.startsWith('/') || p.endsWith('/'))) {
      return { message: `unit memuat bagian kosong: "${cell}" (pisahkan tingkat dengan " / ")` };
    }
    let key = '';
    const added: string[][] = [];
    for (let depth = 0; depth < path.length; depth++) {
      key = depth === 0 ? (path[0] ?? '') : `${key} / ${path[depth]}`;
      const lower = key.toLowerCase();
      const seen = spelling.get(lower);
      if (seen === undefined) {
        spelling.set(lower, { path: key, line });
        added.push(path.slice(0, depth + 1)); // ancestors first, so parents precede children
      } else if (seen.path !== key) {
        // Same unit with different capitalisation would silently become two units.
        return { message: `unit "${key}" hanya beda huruf besar/kecil dengan "${seen.path}" (baris ${seen.line}); samakan penulisannya` };
      }
    }
    list.push(...added);
    return { path };
  };

  return {
    list,
    resolve(cell: string, line: number): UnitResult {
      let result = byCell.get(cell);
      if (result === undefined) {
        result = compute(cell, line);
        byCell.set(cell, result);
      }
      return result;
    },
  };
}
