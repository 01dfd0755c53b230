// The words reports show for SKP states (derived from each template's step actions, never step numbers), steps
// and events; the chat, the XLSX export and the CLI all print them.
import { sql, type SQL } from 'drizzle-orm';
import { ACTOR_LABELS, STEP_NOUNS, type SkpState } from '../../domain/vocabulary.js';
import type { Procedure, Step, StepAction } from '../../domain/procedure.js';
import type { ProcedureRegistry } from '../procedures.js';

const JUDGING: readonly StepAction[] = ['verify', 'establish'];

/**
 * The SKP state of a case sitting on `step` (status active): the subject's first submit step is a draft; the
 * first verify/establish step means submitted; past it but before any establish step, approved; past an
 * establish step, established; a receive step means forwarded to its receiver.
 */
export function skpStateOfStep(proc: Procedure, step: Step): SkpState {
  const index = proc.steps.indexOf(step);
  const firstSubmit = proc.steps.find((s) => s.actor === 'subject' && s.action === 'submit');
  if (step === firstSubmit) return 'draft';
  if (step.action === 'receive') return 'forwarded';
  const earlier = proc.steps.slice(0, index);
  if (earlier.some((s) => s.action === 'establish')) return 'established';
  if (JUDGING.includes(step.action) && !earlier.some((s) => JUDGING.includes(s.action))) return 'submitted';
  if (earlier.some((s) => JUDGING.includes(s.action))) return 'approved';
  // A step before any judgement that is not the first submit (none in the seeds): still with the subject.
  return 'draft';
}

/** A completed SKP was received when its template ends with someone receiving it; otherwise it is established. */
export function skpStateWhenCompleted(proc: Procedure): SkpState {
  return proc.steps.some((s) => s.action === 'receive') ? 'received' : 'established';
}

/** (procedure, key) → state, where key is the step number for active cases and the status otherwise. */
export function skpStateTable(procs: readonly Procedure[]): Array<{ code: string; key: string; state: SkpState }> {
  const out: Array<{ code: string; key: string; state: SkpState }> = [];
  for (const proc of procs) {
    for (const step of proc.steps) out.push({ code: proc.code, key: String(step.no), state: skpStateOfStep(proc, step) });
    out.push({ code: proc.code, key: 'completed', state: skpStateWhenCompleted(proc) });
    out.push({ code: proc.code, key: 'returned', state: 'returned' });
    out.push({ code: proc.code, key: 'cancelled', state: 'cancelled' });
  }
  return out;
}

export function annualProcedures(procedures: ProcedureRegistry): Procedure[] {
  return procedures.all().filter((p) => p.purpose === 'skp_annual');
}

export function monthlyProcedures(procedures: ProcedureRegistry): Procedure[] {
  return procedures.all().filter((p) => p.periodKind === 'monthly' && p.purpose !== 'award');
}

export function codeList(procs: readonly Procedure[]): SQL {
  return procs.length === 0 ? sql`(null)` : sql`(${sql.join(procs.map((p) => sql`${p.code}`), sql`, `)})`;
}

export function stateValues(procs: readonly Procedure[]): SQL {
  const rows = skpStateTable(procs);
  if (rows.length === 0) return sql`select null::text as code, null::text as key, null::text as state where false`;
  return sql`values ${sql.join(rows.map((r) => sql`(${r.code}, ${r.key}, ${r.state})`), sql`, `)}`;
}



/** "Verifikasi pejabat penilai": what the step is and who does it. */
export function stepLabel(step: Pick<Step, 'action' | 'actor'>): string {
  return `${STEP_NOUNS[step.action]} ${ACTOR_LABELS[step.actor]}`;
}

/** Label of a step of a procedure by code, tolerant of steps a template no longer has. */
export function stepLabelOf(procedures: ProcedureRegistry, code: string, stepNo: number | null): string {
  if (stepNo === null) return '-';
  try {
    const step = procedures.get(code).steps.find((s) => s.no === stepNo);
    return step ? stepLabel(step) : `Langkah ${stepNo}`;
  } catch {
    return `Langkah ${stepNo}`;
  }
}

export function procedureTitleOf(procedures: ProcedureRegistry, code: string): string {
  try {
    return procedures.get(code).title;
  } catch {
    return code;
  }
}

export { EVENT_LABELS } from '../../domain/vocabulary.js';

export const MONTHLY_STATUS_LABELS = {
  on_time: 'Tepat waktu',
  late: 'Terlambat',
  missing: 'Belum masuk',
} as const;
export type MonthlyStatus = keyof typeof MONTHLY_STATUS_LABELS;
