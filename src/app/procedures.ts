// The procedures this deployment runs: built-in templates with the config's SLA overrides applied.
import type { DeploymentConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { applyOverrides, type Procedure } from '../domain/procedure.js';
import { getTemplate, templates } from '../domain/templates/index.js';
import { keberatan } from '../domain/templates/keberatan.js';

/** The seed SOPs and the product's own procedures (keberatan, from the regulation). */
const builtIn: readonly Procedure[] = [...Object.values(templates), keberatan];

export interface ProcedureRegistry {
  get(code: string): Procedure;
  all(): Procedure[];
  /** The procedure a perangkat daerah uses for a purpose, honouring per-unit overrides. */
  forUnit(kind: 'skpAnnual' | 'monthly', perangkatDaerahName: string | null): Procedure;
}

export function createProcedureRegistry(procedures: DeploymentConfig['procedures']): ProcedureRegistry {
  const byCode = new Map<string, Procedure>();
  for (const proc of builtIn) {
    const sla = procedures.sla[proc.code];
    byCode.set(proc.code, sla ? applyOverrides(proc, { sla: sla as unknown as Record<number, number> }) : proc);
  }
  const get = (code: string) => {
    const proc = byCode.get(code);
    if (!proc) return getTemplate(code); // throws UNKNOWN_PROCEDURE with the known codes
    return proc;
  };
  return {
    get,
    all: () => [...byCode.values()],
    forUnit(kind, pdName) {
      const override = pdName ? procedures.perUnit[pdName]?.[kind] : undefined;
      return get(override ?? procedures[kind]);
    },
  };
}

/** Config validation: every procedure code named in the config must exist, and overrides must fit. */
export function procedureConfigProblems(procedures: DeploymentConfig['procedures']): string[] {
  const problems: string[] = [];
  const known = builtIn.map((p) => p.code);
  const check = (path: string, code: string | undefined) => {
    if (code !== undefined && !known.includes(code)) problems.push(`${path}: unknown procedure "${code}" (known: ${known.join(', ')})`);
  };
  check('procedures.skpAnnual', procedures.skpAnnual);
  check('procedures.monthly', procedures.monthly);
  for (const [pd, choice] of Object.entries(procedures.perUnit)) {
    check(`procedures.perUnit.${pd}.skpAnnual`, choice.skpAnnual);
    check(`procedures.perUnit.${pd}.monthly`, choice.monthly);
  }
  for (const code of Object.keys(procedures.sla)) {
    check(`procedures.sla.${code}`, code);
  }
  if (problems.length === 0) {
    try {
      createProcedureRegistry(procedures);
    } catch (error) {
      if (error instanceof DomainError) problems.push(`procedures.sla: ${error.message}`);
      else throw error;
    }
  }
  return problems;
}
