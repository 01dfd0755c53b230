// The zod schema of a procedure definition, with the cross-step checks (step order, inputs, return targets).
import { z } from 'zod';
import {
  ESCALATION_TARGETS, PERIOD_KINDS, PROCEDURE_PURPOSES, RETURNABLE_ACTIONS, STEP_ACTIONS, STEP_ACTORS,
} from './actors-and-actions.js';
import { defaultReturnTarget } from './defaults.js';
import { INPUT_KEYS } from './inputs.js';

const INPUT_KEY_PATTERN = /^[a-z][A-Za-z0-9_]*$/;
const RESERVED_INPUT_KEYS = new Set<string>(Object.values(INPUT_KEYS));

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const positiveInt = z.number().int('must be a whole number').positive('must be positive');

const actorSchema = z.enum(STEP_ACTORS, {
  error: (iss) => `unknown actor ${JSON.stringify(iss.input)}; expected one of ${STEP_ACTORS.join(', ')}`,
});
const actionSchema = z.enum(STEP_ACTIONS, {
  error: (iss) => `unknown action ${JSON.stringify(iss.input)}; expected one of ${STEP_ACTIONS.join(', ')}`,
});
const escalationTargetSchema = z.enum(ESCALATION_TARGETS, {
  error: (iss) =>
    `unknown escalation role ${JSON.stringify(iss.input)}; expected one of ${ESCALATION_TARGETS.join(', ')}`,
});

const inputKeySchema = z
  .string()
  .regex(INPUT_KEY_PATTERN, 'input key must be camelCase letters/digits')
  .refine((key) => !RESERVED_INPUT_KEYS.has(key), { message: 'input key is reserved' });

export const kelengkapanSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rhk_list') }),
  z.strictObject({
    kind: z.literal('text'),
    key: inputKeySchema,
    label: nonEmpty,
    minLength: positiveInt.optional(),
    optional: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('files'),
    key: inputKeySchema,
    label: nonEmpty,
    mimeTypes: z.array(z.string().regex(/^[a-z]+\/([a-z0-9.+-]+|\*)$/, 'not a MIME type')).min(1),
    maxBytes: positiveInt,
    minCount: positiveInt.optional(),
    optional: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('rating') }),
  z.strictObject({ kind: z.literal('realisasi') }),
  z.strictObject({ kind: z.literal('document'), label: nonEmpty }),
  z.strictObject({ kind: z.literal('confirm') }),
]);

export const slaSchema = z.strictObject({
  // Fractions are allowed so test deployments can use seconds ("5s" in the deployment config).
  minutes: z.number().finite().nonnegative('must not be negative'),
  workingTime: z.literal(true),
});

export const escalationRuleSchema = z.strictObject({
  atPercent: positiveInt,
  notify: z.array(escalationTargetSchema).min(1, 'must notify someone'),
  markOverdue: z.boolean().optional(),
});

export const escalationSchema = z.array(escalationRuleSchema).superRefine((rules, ctx) => {
  rules.forEach((rule, index) => {
    const previous = rules[index - 1];
    if (previous && rule.atPercent <= previous.atPercent) {
      ctx.addIssue({ code: 'custom', path: [index, 'atPercent'], message: 'escalation percentages must increase' });
    }
    if (new Set(rule.notify).size !== rule.notify.length) {
      ctx.addIssue({ code: 'custom', path: [index, 'notify'], message: 'notifies the same role twice' });
    }
  });
});

const stepSchema = z.strictObject({
  no: positiveInt,
  uraian: nonEmpty,
  actor: actorSchema,
  action: actionSchema,
  requires: z.array(kelengkapanSchema),
  kelengkapanText: z.string(),
  timeStandardMinutes: positiveInt,
  output: z.string(),
  keterangan: z.string().optional(),
  sla: slaSchema.optional(),
  escalation: escalationSchema.optional(),
  returnTo: positiveInt.optional(),
});

const announcementSchema = z.strictObject({
  no: positiveInt,
  uraian: nonEmpty,
  actor: z.literal('bkpp'),
  timeStandardMinutes: positiveInt,
  kelengkapanText: z.string().optional(),
  output: z.string().optional(),
});

/** Validates a procedure definition (defaults may be omitted), including cross-step consistency. */
export const procedureSchema = z
  .strictObject({
    code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'code must be kebab-case'),
    title: nonEmpty,
    source: z.strictObject({ file: nonEmpty, sopNumber: nonEmpty.nullable(), issuer: nonEmpty }),
    legalBasis: z.array(nonEmpty),
    periodKind: z.enum(PERIOD_KINDS),
    purpose: z.enum(PROCEDURE_PURPOSES),
    steps: z.array(stepSchema).min(1, 'a procedure needs at least one step'),
    announcements: z.array(announcementSchema).optional(),
  })
  .superRefine((proc, ctx) => {
    const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const seen = new Set<number>();
    proc.steps.forEach((step, index) => {
      if (seen.has(step.no)) problem(['steps', index, 'no'], `duplicate step number ${step.no}`);
      seen.add(step.no);
      const previous = proc.steps[index - 1];
      if (previous && step.no < previous.no) {
        problem(['steps', index, 'no'], `step ${step.no} comes after step ${previous.no}; steps must be in order`);
      }
      checkRequires(step, index, problem);
      checkReturnTarget(proc.steps, step, index, problem);
    });
    for (const [index, announcement] of (proc.announcements ?? []).entries()) {
      if (seen.has(announcement.no)) {
        problem(['announcements', index, 'no'], `announcement ${announcement.no} reuses a step number`);
      }
      seen.add(announcement.no);
    }
  });

type StepShape = z.infer<typeof stepSchema>;
type Problem = (path: PropertyKey[], message: string) => void;

function checkRequires(step: StepShape, index: number, problem: Problem): void {
  const keys = new Set<string>();
  for (const item of step.requires) {
    if (item.kind === 'document') continue; // several paper items are fine
    const key = 'key' in item ? item.key : item.kind;
    if (keys.has(key)) problem(['steps', index, 'requires'], `step ${step.no} requires "${key}" twice`);
    keys.add(key);
  }
}

function checkReturnTarget(steps: StepShape[], step: StepShape, index: number, problem: Problem): void {
  const returnable = RETURNABLE_ACTIONS.includes(step.action);
  if (step.returnTo === undefined) {
    // A rating that opens a procedure (the annual evaluation) has nothing to send back: its chat offers no return.
    const opensWithRating = step.action === 'rate' && steps[0]?.no === step.no;
    if (returnable && !opensWithRating && defaultReturnTarget(steps, step.no) === undefined) {
      problem(['steps', index], `${step.action} step ${step.no} has no earlier submit step to return to`);
    }
    return;
  }
  if (!returnable) {
    problem(
      ['steps', index, 'returnTo'],
      `step ${step.no} (${step.action}) cannot return; only ${RETURNABLE_ACTIONS.join('/')} can`,
    );
    return;
  }
  const target = steps.find((candidate) => candidate.no === step.returnTo);
  if (!target) {
    problem(['steps', index, 'returnTo'], `return target ${step.returnTo} of step ${step.no} does not exist`);
  } else if (target.no >= step.no) {
    problem(['steps', index, 'returnTo'], `step ${step.no} returns to ${target.no}, which is not an earlier step`);
  } else if (target.action !== 'submit') {
    problem(
      ['steps', index, 'returnTo'],
      `step ${step.no} returns to ${target.no}, which is a ${target.action} step, not a submit step`,
    );
  }
}
