// Cycles in the atasan links, each reported once.
import { formatCount } from './problems.js';
import type { RosterProblem, RosterRow } from './shape.js';

const MAX_CYCLE_NAMES = 8;

/**
 * Atasan links form a functional graph (at most one atasan each), so one pass with three
 * colours finds every cycle in O(n) without recursion. Each cycle is reported once, on the
 * line of its earliest member. Rows here are problem-free, so their NIPs are unique.
 */
export function findCycles(rows: RosterRow[]): RosterProblem[] {
  const indexByNip = new Map<string, number>();
  rows.forEach((r, i) => indexByNip.set(r.nip, i));
  const parent = new Int32Array(rows.length).fill(-1);
  rows.forEach((r, i) => {
    if (r.nipAtasan !== null) parent[i] = indexByNip.get(r.nipAtasan) ?? -1;
  });

  const UNSEEN = 0;
  const ON_PATH = 1;
  const DONE = 2;
  const state = new Uint8Array(rows.length);
  const problems: RosterProblem[] = [];
  const path: number[] = [];
  for (let start = 0; start < rows.length; start++) {
    if (state[start] !== UNSEEN) continue;
    path.length = 0;
    let current = start;
    while (current !== -1 && state[current] === UNSEEN) {
      state[current] = ON_PATH;
      path.push(current);
      current = parent[current] ?? -1;
    }
    if (current !== -1 && state[current] === ON_PATH) {
      const cycle = path.slice(path.indexOf(current)).map((i) => rows[i]!);
      problems.push(describeCycle(cycle));
    }
    for (const i of path) state[i] = DONE;
  }
  return problems;
}

function describeCycle(cycle: RosterRow[]): RosterProblem {
  // Start the description at the earliest line so the report is stable and points at a real row.
  let first = 0;
  cycle.forEach((r, i) => {
    if (r.line < (cycle[first]?.line ?? Infinity)) first = i;
  });
  const ordered = [...cycle.slice(first), ...cycle.slice(0, first)];
  const label = (r: RosterRow) => `${r.nip} (baris ${r.line})`;
  let names = ordered.map(label);
  if (names.length > MAX_CYCLE_NAMES) {
    const hidden = names.length - (MAX_CYCLE_NAMES - 1);
    names = [...names.slice(0, MAX_CYCLE_NAMES - 2), `… ${formatCount(hidden)} lainnya`, names[names.length - 1] ?? ''];
  }
  const head = ordered[0];
  return {
    line: head?.line ?? 1,
    column: 'nip_atasan',
    message: `siklus atasan: ${[...names, head?.nip ?? ''].join(' → ')}`,
  };
}
