// The SKP draft and its rules, shared by the chat (/skp), the Mini App's API and the Mini App's page.
//
// Pure: imports nothing, so the browser bundle can take it as is. Glossary: RHK = rencana hasil kerja (a planned
// result), 'utama' or 'tambahan'; indikator = a result's measure with an aspek and a target; "RHK atasan" = the
// superior's RHK this one supports (cascading, JA/JF only).

export const ASPEK = ['kuantitas', 'kualitas', 'waktu', 'biaya'] as const;
export type Aspek = (typeof ASPEK)[number];

export interface Indikator {
  aspek: Aspek;
  target: string;
}

/** One RHK as entered. Stored as is in case data (`rhk`) on submit; `id` stays stable across edits and revisions. */
export interface RhkDraft {
  id: string;
  text: string;
  jenis?: 'utama' | 'tambahan';
  indikator: Indikator[];
  /** JA/JF: the atasan's RHK this one intervenes; null when skipped; absent when not asked yet. */
  rhkAtasanId?: string | null;
  rhkAtasanText?: string;
  /** 'pdf': the SKP came as the e-Kinerja export; the text is the ASN's summary. */
  source?: 'pdf';
  /** evidence_files row and Telegram file_id of the PDF. */
  evidenceId?: string;
  fileId?: string;
}

export interface SkpDraft {
  rhk: RhkDraft[];
}

export type DraftProblem =
  | { problem: 'empty' }
  | { problem: 'no_utama' }
  | { problem: 'no_jenis' | 'no_indikator'; rhkNo: number };

/** Limits of what one SKP holds; the chat refuses past them and so does the Mini App. */
export const SKP_LIMITS = {
  maxRhk: 30,
  maxRhkText: 1000,
  maxIndikator: 10,
  maxTarget: 200,
} as const;

/** What is wrong with the draft for submitting (an empty list: it may be sent). */
export function skpDraftProblems(draft: SkpDraft): DraftProblem[] {
  if (draft.rhk.length === 0) return [{ problem: 'empty' }];
  const problems: DraftProblem[] = [];
  draft.rhk.forEach((rhk, index) => {
    if (!rhk.jenis) problems.push({ problem: 'no_jenis', rhkNo: index + 1 });
    // The PDF is the full SKP; its summary needs no indikator of its own.
    if (rhk.source !== 'pdf' && rhk.indikator.length === 0) problems.push({ problem: 'no_indikator', rhkNo: index + 1 });
  });
  if (problems.length === 0 && !draft.rhk.some((r) => r.jenis === 'utama')) problems.push({ problem: 'no_utama' });
  return problems;
}

/** A field the form marks while the user types (a draft with these is not saved). */
export type FieldProblem =
  | { field: 'rhkCount'; max: number }
  | { field: 'text'; rhkNo: number; problem: 'empty' | 'too_long'; max?: number }
  | { field: 'indikatorCount'; rhkNo: number; max: number }
  | { field: 'aspek'; rhkNo: number; indikatorNo: number }
  | { field: 'target'; rhkNo: number; indikatorNo: number; problem: 'empty' | 'too_long'; max?: number };

/** Whether a typed answer says something: a letter or a digit, not only punctuation or emoji ("-", "👍"). */
export function saysSomething(text: string | undefined): boolean {
  return text !== undefined && /[\p{L}\p{N}]/u.test(text);
}

/** The limits the chat checks one answer at a time, checked over a whole draft (the Mini App sends it whole). */
export function skpFieldProblems(draft: SkpDraft): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (draft.rhk.length > SKP_LIMITS.maxRhk) out.push({ field: 'rhkCount', max: SKP_LIMITS.maxRhk });
  draft.rhk.forEach((rhk, i) => {
    const rhkNo = i + 1;
    const text = rhk.text.trim();
    if (!saysSomething(text)) out.push({ field: 'text', rhkNo, problem: 'empty' });
    else if (text.length > SKP_LIMITS.maxRhkText) out.push({ field: 'text', rhkNo, problem: 'too_long', max: SKP_LIMITS.maxRhkText });
    if (rhk.indikator.length > SKP_LIMITS.maxIndikator) out.push({ field: 'indikatorCount', rhkNo, max: SKP_LIMITS.maxIndikator });
    rhk.indikator.forEach((ind, j) => {
      const indikatorNo = j + 1;
      if (!(ASPEK as readonly string[]).includes(ind.aspek)) out.push({ field: 'aspek', rhkNo, indikatorNo });
      const target = ind.target.trim();
      if (!saysSomething(target)) out.push({ field: 'target', rhkNo, indikatorNo, problem: 'empty' });
      else if (target.length > SKP_LIMITS.maxTarget) out.push({ field: 'target', rhkNo, indikatorNo, problem: 'too_long', max: SKP_LIMITS.maxTarget });
    });
  });
  return out;
}
