// How problems read: counts in Indonesian notation and the capped multi-line report.
import type { RosterProblem } from './shape.js';

export function formatCount(n: number): string {
  return n.toLocaleString('id-ID');
}

/** Indonesian multi-line report, one problem a line, capped at `limit` lines. */
export function formatProblems(problems: RosterProblem[], limit = 30): string {
  const shown = problems.slice(0, limit).map((p) =>
    p.column === undefined ? `Baris ${p.line}: ${p.message}` : `Baris ${p.line} (${p.column}): ${p.message}`,
  );
  const rest = problems.length - shown.length;
  if (rest > 0) shown.push(`… dan ${formatCount(rest)} masalah lain`);
  return shown.join('\n');
}
