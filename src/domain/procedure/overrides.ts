// Deployment overrides: a deployment's own SLA and escalation choices applied over a procedure.
import { z } from 'zod';
import { DomainError } from '../errors.js';
import { defineProcedure } from './define.js';
import { bulletList, formatIssues } from './issues.js';
import { escalationSchema, slaSchema } from './schema.js';
import type { EscalationRule, Procedure } from './shape.js';

/** Per-deployment adjustments; keys are SOP step numbers. */
export interface ProcedureOverrides {
  /** Step number → SLA in working minutes (0 = no timer). */
  sla?: Record<number, number>;
  /** Replaces the escalation cadence of every step. */
  escalation?: EscalationRule[];
  /** Step number → escalation cadence for that step; wins over `escalation`. */
  stepEscalation?: Record<number, EscalationRule[]>;
}

const stepKeySchema = z.string().regex(/^[1-9]\d*$/, 'step number expected');

/** Schema for the overrides block of a deployment config file (keys arrive as strings from YAML/JSON). */
export const procedureOverridesSchema = z.strictObject({
  sla: z.record(stepKeySchema, slaSchema.shape.minutes).optional(),
  escalation: escalationSchema.optional(),
  stepEscalation: z.record(stepKeySchema, escalationSchema).optional(),
});

/** Returns a new procedure with the deployment's SLA and escalation choices applied; the input is untouched. */
export function applyOverrides(proc: Procedure, overrides: ProcedureOverrides): Procedure {
  const parsed = procedureOverridesSchema.safeParse(overrides);
  const problems = parsed.success ? [] : formatIssues(parsed.error.issues, overrides);
  if (parsed.success) {
    const stepNos = new Set(proc.steps.map((step) => step.no));
    const keyed = [
      ['sla', parsed.data.sla],
      ['stepEscalation', parsed.data.stepEscalation],
    ] as const;
    for (const [section, record] of keyed) {
      for (const key of Object.keys(record ?? {})) {
        if (!stepNos.has(Number(key))) problems.push(`${section}.${key}: procedure "${proc.code}" has no step ${key}`);
      }
    }
  }
  if (!parsed.success || problems.length > 0) {
    throw new DomainError(
      'INVALID_OVERRIDES',
      `Overrides for "${proc.code}" are invalid:\n${bulletList(problems)}`,
      { problems },
    );
  }
  const { sla = {}, escalation, stepEscalation = {} } = parsed.data;
  return defineProcedure({
    ...proc,
    steps: proc.steps.map((step) => {
      const key = String(step.no);
      const minutes = sla[key];
      const cadence = stepEscalation[key] ?? escalation;
      return {
        ...step,
        sla: minutes !== undefined ? { minutes, workingTime: true as const } : step.sla,
        escalation: cadence ?? step.escalation,
      };
    }),
  });
}
