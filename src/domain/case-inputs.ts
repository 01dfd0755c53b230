// Case inputs: the schemas of the fixed kelengkapan kinds and the check a step's inputs must pass.
import { z } from 'zod';
import { DomainError } from './errors.js';
import { RATINGS } from './predikat.js';
import { saysSomething } from './skp-rules.js';
import {
  INPUT_KEYS, type Kelengkapan, type Step
} from './procedure.js';

export { INPUT_KEYS };

/** A file already received (e.g. a Telegram file_id) and described by the bot. */
export const fileRefSchema = z.strictObject({
  fileId: z.string().min(1),
  mimeType: z.string().min(1),
  sizeBytes: z.number().int().nonnegative(),
  name: z.string().optional(),
});
export type FileRef = z.infer<typeof fileRefSchema>;

/** One RHK of the SKP. At least one must be 'utama': an SKP without a main result is not a plan. */
export const rhkInputSchema = z.object({
  jenis: z.enum(['utama', 'tambahan']),
  text: z.string().trim().min(1),
});
export type RhkInput = z.infer<typeof rhkInputSchema>;

const rhkListSchema = z
  .array(rhkInputSchema)
  .min(1, 'at least one RHK')
  .refine((list) => list.some((rhk) => rhk.jenis === 'utama'), 'at least one RHK utama');

/** Rating hasil kerja and perilaku kerja; the predikat is derived from them (predikat.ts). */
export const ratingInputSchema = z.object({
  hasilKerja: z.enum(RATINGS),
  perilaku: z.enum(RATINGS),
  catatan: z.string().optional(),
  /** Umpan balik berkelanjutan per RHK id and per BerAKHLAK value key (the annual evaluation). */
  umpanBalik: z
    .object({ rhk: z.record(z.string(), z.string()), perilaku: z.record(z.string(), z.string()) })
    .partial()
    .optional(),
});
export type RatingInput = z.infer<typeof ratingInputSchema>;

const evidenceSchema = z.union([
  fileRefSchema,
  z.strictObject({ url: z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) link') }),
]);

/**
 * Realisation of one RHK for the period, with its bukti dukung. Whether every RHK of the SKP is covered is
 * checked by the use case, which knows the SKP.
 */
export const realisasiInputSchema = z.object({
  rhkId: z.string().min(1),
  realisasi: z.string().trim().min(1),
  bukti: z.array(evidenceSchema).min(1, 'at least one bukti dukung'),
});
export type RealisasiInput = z.infer<typeof realisasiInputSchema>;

const realisasiListSchema = z.array(realisasiInputSchema).min(1, 'at least one RHK realisation');

interface InputProblem {
  key: string;
  problem: string;
}

function isAbsent(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function zodProblems(key: string, schema: z.ZodType, value: unknown): InputProblem[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => ({
    key: [key, ...issue.path.map(String)].join('.'),
    problem: issue.message,
  }));
}

function mimeAllowed(mimeType: string, allowed: readonly string[]): boolean {
  return allowed.some((pattern) =>
    pattern.endsWith('/*') ? mimeType.startsWith(pattern.slice(0, -1)) : mimeType === pattern,
  );
}

function checkKelengkapan(
  item: Kelengkapan,
  inputs: Record<string, unknown>,
  missing: string[],
  invalid: InputProblem[],
): void {
  switch (item.kind) {
    case 'document':
      return; // paper at hand: informational, never blocks
    case 'confirm':
      if (inputs[INPUT_KEYS.confirm] !== true) missing.push(INPUT_KEYS.confirm);
      return;
    case 'rhk_list':
    case 'rating':
    case 'realisasi': {
      const key = INPUT_KEYS[item.kind];
      const value = inputs[key];
      if (isAbsent(value)) {
        missing.push(key);
        return;
      }
      const schema =
        item.kind === 'rhk_list' ? rhkListSchema : item.kind === 'rating' ? ratingInputSchema : realisasiListSchema;
      invalid.push(...zodProblems(key, schema, value));
      return;
    }
    case 'text': {
      const value = inputs[item.key];
      if (isAbsent(value)) {
        if (!item.optional) missing.push(item.key);
        return;
      }
      if (typeof value !== 'string') {
        invalid.push({ key: item.key, problem: 'expected text' });
      } else if (item.minLength !== undefined && (value.trim().length < item.minLength || !saysSomething(value))) {
        invalid.push({ key: item.key, problem: `at least ${item.minLength} characters` });
      }
      return;
    }
    case 'files': {
      const value = inputs[item.key];
      if (isAbsent(value)) {
        if (!item.optional) missing.push(item.key);
        return;
      }
      const problems = zodProblems(item.key, z.array(fileRefSchema), value);
      if (problems.length > 0) {
        invalid.push(...problems);
        return;
      }
      const files = value as FileRef[];
      const minCount = item.minCount ?? 1;
      if (files.length < minCount) invalid.push({ key: item.key, problem: `at least ${minCount} files` });
      files.forEach((file, index) => {
        if (!mimeAllowed(file.mimeType, item.mimeTypes)) {
          invalid.push({ key: `${item.key}.${index}`, problem: `file type ${file.mimeType} not accepted` });
        }
        if (file.sizeBytes > item.maxBytes) {
          invalid.push({ key: `${item.key}.${index}`, problem: `file larger than ${item.maxBytes} bytes` });
        }
      });
      return;
    }
  }
}

/**
 * Checks the inputs a step requires. Throws DomainError('MISSING_KELENGKAPAN', …, { missing, invalid }) when
 * something required is absent, else DomainError('INVALID_KELENGKAPAN', …, { invalid }) when something is malformed.
 */
export function validateInputs(step: Step, inputs: Record<string, unknown>): void {
  const missing: string[] = [];
  const invalid: InputProblem[] = [];
  for (const item of step.requires) checkKelengkapan(item, inputs, missing, invalid);
  if (missing.length > 0) {
    throw new DomainError('MISSING_KELENGKAPAN', `Step ${step.no} is missing: ${missing.join(', ')}`, {
      stepNo: step.no,
      missing,
      invalid,
    });
  }
  if (invalid.length > 0) {
    throw new DomainError(
      'INVALID_KELENGKAPAN',
      `Step ${step.no} has invalid inputs: ${invalid.map((i) => `${i.key} (${i.problem})`).join(', ')}`,
      { stepNo: step.no, invalid },
    );
  }
}

