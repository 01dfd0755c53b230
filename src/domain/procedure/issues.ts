// How schema problems read in an INVALID_PROCEDURE or INVALID_OVERRIDES error: one line a problem, steps named.
import type { z } from 'zod';

export function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, raw: unknown): string[] {
  const rawSteps = (raw as { steps?: unknown } | null)?.steps;
  return issues.map((issue) => {
    const path = issue.path.map((part, index) => {
      if (index === 1 && issue.path[0] === 'steps' && typeof part === 'number' && Array.isArray(rawSteps)) {
        const no = (rawSteps[part] as { no?: unknown } | undefined)?.no;
        return typeof no === 'number' ? `[${part}](step ${no})` : `[${part}]`;
      }
      return typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
    });
    const where = path.join('').replace(/^\./, '');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}

export function bulletList(lines: string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}
