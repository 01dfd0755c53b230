// Defining a procedure: validate a definition, fill the defaults and freeze the result.
import { DomainError } from '../errors.js';
import { RETURNABLE_ACTIONS } from './actors-and-actions.js';
import { DEFAULT_ESCALATION, SUBJECT_ESCALATION, defaultReturnTarget, defaultSlaMinutes } from './defaults.js';
import { bulletList, formatIssues } from './issues.js';
import { procedureSchema } from './schema.js';
import type { Procedure, ProcedureDefinition, Step } from './shape.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Validates a procedure definition and fills the defaults (SLA, escalation cadence, return targets).
 * Throws DomainError('INVALID_PROCEDURE') listing every problem. The result is deeply frozen.
 */
export function defineProcedure(raw: ProcedureDefinition): Procedure {
  const parsed = procedureSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, raw);
    const code = (raw as { code?: unknown } | null)?.code;
    const name = typeof code === 'string' ? `"${code}" ` : '';
    throw new DomainError('INVALID_PROCEDURE', `Procedure ${name}is invalid:\n${bulletList(problems)}`, { problems });
  }
  const definition = parsed.data;
  const steps: Step[] = definition.steps.map((step) => {
    const { sla, escalation, returnTo, keterangan, ...rest } = step;
    const resolvedReturnTo = RETURNABLE_ACTIONS.includes(step.action)
      ? (returnTo ?? defaultReturnTarget(definition.steps, step.no))
      : undefined;
    return {
      ...rest,
      requires: rest.requires.map((item) => ({ ...item })),
      ...(keterangan !== undefined ? { keterangan } : {}),
      sla: sla ? { ...sla } : { minutes: defaultSlaMinutes(step), workingTime: true },
      escalation: (escalation ?? (step.actor === 'subject' ? SUBJECT_ESCALATION : DEFAULT_ESCALATION)).map((rule) => ({
        ...rule,
        notify: [...rule.notify],
      })),
      ...(resolvedReturnTo !== undefined ? { returnTo: resolvedReturnTo } : {}),
    };
  });
  const { announcements, ...header } = definition;
  return deepFreeze({
    ...header,
    source: { ...header.source },
    legalBasis: [...header.legalBasis],
    steps,
    ...(announcements ? { announcements: announcements.map((a) => ({ ...a })) } : {}),
  });
}
