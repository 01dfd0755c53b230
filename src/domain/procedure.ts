// Procedures (the SOPs as data): types, zod schema, defaults (SLA, escalation, return targets), overrides.
//
// Glossary (terms of art kept in Indonesian):
//   SOP        standar operasional prosedur, the agency's written procedure (our seeds)
//   uraian     the SOP's description of a step
//   kelengkapan what must be at hand / provided to do a step ("Persyaratan/Kelengkapan" column)
//   mutu baku  the SOP's quality standard: kelengkapan, waktu (time standard) and output
//   SKP        sasaran kinerja pegawai, the yearly performance plan; RHK = rencana hasil kerja
//   atasan     direct superior (pejabat penilai); atasan_atasan = the superior's superior
//   pengelola  pengelola kepegawaian, the unit's HR clerk (often the Kasubbag Umum dan Kepegawaian)
//   kepala_unit head of the perangkat daerah (Kepala SKPD/OPD); bkpp = the regional personnel agency
import { z } from 'zod';
import { DomainError } from './errors.js';

/**
 * One working day in minutes. 37.5 h/week over Monday–Friday (Perpres 21/2023 working hours, domain.md §5)
 * averages 7.5 h a day, so an SOP's "3 Hari" is 3 × 450 working minutes.
 */
export const WORKING_DAY_MINUTES = 450;

export const STEP_ACTORS = ['subject', 'atasan', 'atasan_atasan', 'pengelola', 'kepala_unit', 'bkpp'] as const;
export type StepActor = (typeof STEP_ACTORS)[number];

export const STEP_ACTIONS = [
  'submit',
  'verify',
  'establish',
  'rate',
  'sign',
  'acknowledge',
  'collect',
  'receive',
  'print',
  'archive',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

/** Actions whose actor judges or handles someone else's work and may therefore send it back. */
export const RETURNABLE_ACTIONS: readonly StepAction[] = ['verify', 'establish', 'rate', 'collect', 'receive'];

export const ESCALATION_TARGETS = ['assignee', 'atasan_of_assignee', 'pengelola', 'bkpp'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

export const PERIOD_KINDS = ['annual', 'monthly', 'one_off'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export const PROCEDURE_PURPOSES = [
  'skp_annual',
  'monthly_assessment',
  'performance_measurement',
  'award',
  'annual_evaluation',
  'keberatan',
] as const;
export type ProcedurePurpose = (typeof PROCEDURE_PURPOSES)[number];

/**
 * What a step needs. `document` is a paper item that must be at hand: informational, never blocks.
 * `confirm` asks the actor to attest a real-world act (printed, signed, filed, typed into another system);
 * decisions (verify, establish, receive, acknowledge) need no confirm: the tap on the button is the act.
 * The input keys for rhk_list / rating / realisasi / confirm are fixed (INPUT_KEYS); their shapes are in case.ts.
 */
export type Kelengkapan =
  | { kind: 'rhk_list' }
  | { kind: 'text'; key: string; label: string; minLength?: number; optional?: boolean }
  | {
      kind: 'files';
      key: string;
      label: string;
      mimeTypes: string[];
      maxBytes: number;
      minCount?: number;
      optional?: boolean;
    }
  | { kind: 'rating' }
  | { kind: 'realisasi' }
  | { kind: 'document'; label: string }
  | { kind: 'confirm' };

export type TextKelengkapan = Extract<Kelengkapan, { kind: 'text' }>;
export type FilesKelengkapan = Extract<Kelengkapan, { kind: 'files' }>;

/** The texts a step's actor must type before the step can complete (the chat asks for them one by one). */
export function typedInputsOf(step: Pick<Step, 'requires'>): TextKelengkapan[] {
  return step.requires.filter((r): r is TextKelengkapan => r.kind === 'text' && !r.optional);
}

/** The files a step takes, if any (required or optional). */
export function fileInputOf(step: Pick<Step, 'requires'>): FilesKelengkapan | undefined {
  return step.requires.find((r): r is FilesKelengkapan => r.kind === 'files');
}

/**
 * Files a template asks for as scans or exports of paper documents. 20 MB is the largest file a bot can fetch
 * through the Telegram Bot API, so anything larger could never be stored anyway.
 */
export const DOCUMENT_FILES = Object.freeze({
  mimeTypes: ['application/pdf', 'image/jpeg', 'image/png'],
  maxBytes: 20 * 1024 * 1024,
});

/** Input keys of the kelengkapan kinds whose shape the domain fixes; `text` and `files` name their own `key`. */
export const INPUT_KEYS = Object.freeze({
  rhk_list: 'rhk',
  rating: 'rating',
  realisasi: 'realisasi',
  confirm: 'confirmed',
} as const);

export interface Sla {
  minutes: number;
  /** Always counted in working time (the deployment's calendar). `minutes` 0 means "no timer". */
  workingTime: true;
}

export interface EscalationRule {
  /** Percentage of the SLA elapsed (working time) at which this rule fires. */
  atPercent: number;
  notify: EscalationTarget[];
  markOverdue?: boolean;
}

export interface Step {
  /** The SOP's own step number; numbers may skip (a seed may have no step 3). */
  no: number;
  uraian: string;
  actor: StepActor;
  action: StepAction;
  requires: Kelengkapan[];
  /** The seed's own words in the Kelengkapan column. */
  kelengkapanText: string;
  /** The SOP's waktu in working minutes. */
  timeStandardMinutes: number;
  /** The seed's output text. */
  output: string;
  /** The seed's Keterangan column, when it says something. */
  keterangan?: string;
  sla: Sla;
  escalation: EscalationRule[];
  /** For returnable steps: the earlier submit step a return goes back to. */
  returnTo?: number;
}

/** A step as written in a template: SLA, escalation and return target may be left to the defaults. */
export type StepDefinition = Omit<Step, 'sla' | 'escalation'> & { sla?: Sla; escalation?: EscalationRule[] };

/** A BKPP-wide broadcast the SOP lists before the per-employee steps (not a case step). */
export interface Announcement {
  no: number;
  uraian: string;
  actor: 'bkpp';
  timeStandardMinutes: number;
  kelengkapanText?: string;
  output?: string;
}

export interface ProcedureSource {
  /** Seed file name under shared/seeds. */
  file: string;
  /** "Nomor SOP" as printed; null when the seed has none. */
  sopNumber: string | null;
  issuer: string;
}

export interface Procedure {
  code: string;
  title: string;
  source: ProcedureSource;
  /** The seed's Dasar Hukum, verbatim apart from whitespace. */
  legalBasis: string[];
  periodKind: PeriodKind;
  purpose: ProcedurePurpose;
  steps: Step[];
  announcements?: Announcement[];
}

export type ProcedureDefinition = Omit<Procedure, 'steps'> & { steps: StepDefinition[] };

/**
 * Default escalation cadence, as percentages of the step's SLA: a heads-up, then a reminder that marks the
 * step overdue, then the assignee's own atasan and the pengelola, and finally BKPP.
 */
export const DEFAULT_ESCALATION: readonly EscalationRule[] = [
  { atPercent: 75, notify: ['assignee'] },
  { atPercent: 100, notify: ['assignee'], markOverdue: true },
  { atPercent: 200, notify: ['atasan_of_assignee', 'pengelola'] },
  { atPercent: 300, notify: ['bkpp'] },
];

/**
 * The subject's own steps (drafting an SKP, reporting a month) are chased by the monthly and annual reminder
 * cycle, not escalated up the hierarchy: one reminder to the subject when the SLA passes, nothing more.
 */
export const SUBJECT_ESCALATION: readonly EscalationRule[] = [{ atPercent: 100, notify: ['assignee'], markOverdue: true }];

/**
 * Default SLA rule. The SOP's time standard measures hands-on work ("10 menit" to verify, "30 menit" to draft),
 * not how long a busy person may take to get to it, so every step gets at least one working day:
 * max(timeStandard, 1 working day). Reports still compare real durations with the time standard itself.
 * Deployments override.
 */
export function defaultSlaMinutes(step: Pick<Step, 'actor' | 'timeStandardMinutes'>): number {
  return Math.max(step.timeStandardMinutes, WORKING_DAY_MINUTES);
}

/** Parses an SOP's waktu ("3 Hari 2 Jam 35 Menit", "30 menit", "1 Jam") into working minutes. */
export function parseWaktu(text: string): number {
  const unitMinutes: Record<string, number> = { hari: WORKING_DAY_MINUTES, jam: 60, menit: 1 };
  const pattern = /(\d+)\s*(hari|jam|menit)\b/gi;
  let total = 0;
  let matched = '';
  for (const match of text.matchAll(pattern)) {
    total += Number(match[1]) * (unitMinutes[match[2]!.toLowerCase()] ?? 0);
    matched += match[0];
  }
  if (total <= 0 || matched.replace(/\s/g, '').length !== text.replace(/\s/g, '').length) {
    throw new DomainError('INVALID_WAKTU', `Cannot read SOP time "${text}"`, { text });
  }
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// Schema

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

/**
 * Where a return goes when the template does not say: the first submit step by the subject before this step,
 * else (procedures the subject takes no part in, e.g. an award nomination) the first earlier submit step.
 */
function defaultReturnTarget(
  steps: ReadonlyArray<Pick<Step, 'no' | 'actor' | 'action'>>,
  stepNo: number,
): number | undefined {
  const earlierSubmits = steps.filter((step) => step.no < stepNo && step.action === 'submit');
  return (earlierSubmits.find((step) => step.actor === 'subject') ?? earlierSubmits[0])?.no;
}

function formatIssues(issues: ReadonlyArray<z.core.$ZodIssue>, raw: unknown): string[] {
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

function bulletList(lines: string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}

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

// ---------------------------------------------------------------------------------------------------------
// Deployment overrides

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
