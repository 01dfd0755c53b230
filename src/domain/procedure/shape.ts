// The shape of a procedure: what a step requires (kelengkapan), its SLA and escalation, announcements, source.
import type { EscalationTarget, PeriodKind, ProcedurePurpose, StepAction, StepActor } from './actors-and-actions.js';

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
