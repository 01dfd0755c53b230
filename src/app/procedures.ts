// The procedures this deployment runs: built-in templates with the config's SLA overrides applied.
import type { DeploymentConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { endOfDeadlineDay, realisasiDeadlineDay, skpDeadlineDay } from '../domain/deadlines.js';
import { isPeriodKey, type PeriodicKind } from '../domain/period.js';
import { applyOverrides, type Procedure } from '../domain/procedure.js';
import { agencyOf, getTemplate, templates } from '../domain/templates/index.js';
import { keberatan } from '../domain/templates/keberatan.js';

/** The product features a deployment picks a template for (config keys under `procedures`). */
export type ProcedureKind = 'skpAnnual' | 'monthly' | 'annualEvaluation';

/** The seed SOPs and the product's own procedures (keberatan, from the regulation). */
const builtIn: readonly Procedure[] = [...Object.values(templates), keberatan];

export interface ProcedureRegistry {
  get(code: string): Procedure;
  all(): Procedure[];
  /** The procedure a perangkat daerah uses for a purpose, honouring per-unit overrides. */
  forUnit(kind: ProcedureKind, perangkatDaerahName: string | null): Procedure;
  /** The period of the periodic evaluation a perangkat daerah uses, honouring per-unit overrides. */
  periodOf(perangkatDaerahName: string | null): PeriodicKind;
  /** Every period kind in use anywhere in the deployment. */
  periodKinds(): PeriodicKind[];
  /**
   * The end (23:59 local) of the Batas Pengisian a case's period sets for the employee's own submission: a periodic
   * realisation's, a year's SKP; null for other procedures. The subject's submit step runs to it while it is ahead.
   */
  submitDeadline(calendar: WorkingCalendar, proc: Procedure, period: string): Date | null;
}

/** The deployment's deadline settings (config `monthly.deadlineDay`, `annual.skpDeadline`). */
export interface SubmitDeadlineSettings {
  deadlineDay: number;
  skpDeadline: string;
}

/** A procedure that runs the periodic realisation and its rating (what /realisasi fills in). */
export function runsPeriodicAssessment(proc: Procedure): boolean {
  return proc.periodKind === 'monthly' && (proc.purpose === 'monthly_assessment' || proc.purpose === 'performance_measurement');
}

export function createProcedureRegistry(
  procedures: DeploymentConfig['procedures'],
  deadlines: SubmitDeadlineSettings = { deadlineDay: 5, skpDeadline: '01-31' },
): ProcedureRegistry {
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
    periodOf: (pdName) => periodOfUnit(procedures, pdName),
    periodKinds: () => periodKindsInUse(procedures),
    submitDeadline(calendar, proc, period) {
      if (runsPeriodicAssessment(proc) && isPeriodKey(period)) return endOfDeadlineDay(calendar, realisasiDeadlineDay(calendar, period, deadlines.deadlineDay));
      if (proc.purpose === 'skp_annual' && /^\d{4}$/.test(period)) return endOfDeadlineDay(calendar, skpDeadlineDay(calendar, Number(period), deadlines.skpDeadline));
      return null;
    },
  };
}

/** The registry of a deployment: its procedures, with its deadline settings. */
export function procedureRegistryOf(deployment: Pick<DeploymentConfig, 'procedures' | 'monthly' | 'annual'>): ProcedureRegistry {
  return createProcedureRegistry(deployment.procedures, { deadlineDay: deployment.monthly.deadlineDay, skpDeadline: deployment.annual.skpDeadline });
}

function periodOfUnit(procedures: DeploymentConfig['procedures'], pdName: string | null): PeriodicKind {
  const override = pdName ? procedures.perUnit[pdName]?.periodic?.period : undefined;
  return override ?? procedures.periodic?.period ?? 'bulanan';
}

/** Every period kind the deployment uses: the default and each per-unit override. */
export function periodKindsInUse(procedures: DeploymentConfig['procedures']): PeriodicKind[] {
  return [...new Set([periodOfUnit(procedures, null), ...Object.keys(procedures.perUnit).map((pd) => periodOfUnit(procedures, pd))])];
}

/** Config validation: every procedure code named in the config must exist, and overrides must fit. */
export function procedureConfigProblems(procedures: DeploymentConfig['procedures']): string[] {
  const problems: string[] = [];
  const known = builtIn.map((p) => p.code);
  const check = (path: string, code: string | undefined) => {
    if (code !== undefined && !known.includes(code)) problems.push(`${path}: unknown procedure "${code}" (known: ${known.join(', ')})`);
  };
  // A template picked for the wrong purpose (a monthly SOP as the annual SKP) would run the wrong chain.
  const expected: Record<ProcedureKind, string> = { skpAnnual: 'skp_annual', monthly: 'monthly', annualEvaluation: 'annual_evaluation' };
  const fits = (kind: ProcedureKind, code: string) => {
    const proc = builtIn.find((p) => p.code === code)!;
    return kind === 'monthly' ? runsPeriodicAssessment(proc) : proc.purpose === expected[kind];
  };
  const checkKind = (path: string, kind: ProcedureKind, code: string | undefined) => {
    if (code === undefined || !known.includes(code)) return check(path, code);
    if (!fits(kind, code)) problems.push(`${path}: procedure "${code}" does not run ${kind}`);
  };
  checkKind('procedures.skpAnnual', 'skpAnnual', procedures.skpAnnual);
  checkKind('procedures.monthly', 'monthly', procedures.monthly);
  checkKind('procedures.annualEvaluation', 'annualEvaluation', procedures.annualEvaluation);
  for (const [pd, choice] of Object.entries(procedures.perUnit)) {
    checkKind(`procedures.perUnit.${pd}.skpAnnual`, 'skpAnnual', choice.skpAnnual);
    checkKind(`procedures.perUnit.${pd}.monthly`, 'monthly', choice.monthly);
    checkKind(`procedures.perUnit.${pd}.annualEvaluation`, 'annualEvaluation', choice.annualEvaluation);
  }
  if (problems.length === 0 && !procedures.mixAgencies) {
    const chosen = [procedures.skpAnnual, procedures.monthly, procedures.annualEvaluation, ...Object.values(procedures.perUnit).flatMap((c) => [c.skpAnnual, c.monthly, c.annualEvaluation])];
    const agencies = [...new Set(chosen.flatMap((code) => (code ? [agencyOf(templates[code]!)] : [])).filter((a): a is string => a !== null))];
    if (agencies.length > 1) {
      problems.push(`procedures: templates of several agencies are chosen (${agencies.join(', ')}); pick one agency's SOPs, or set procedures.mixAgencies: true`);
    }
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
