// Procedures (the SOPs as data): types, zod schema, defaults (SLA, escalation, return targets), overrides; the
// public names of src/domain/procedure/, one file per concern.
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
export {
  STEP_ACTORS, STEP_ACTIONS, RETURNABLE_ACTIONS, BATCH_ACTIONS, ESCALATION_TARGETS, PERIOD_KINDS, PROCEDURE_PURPOSES,
  type StepActor, type StepAction, type EscalationTarget, type PeriodKind, type ProcedurePurpose,
} from './procedure/actors-and-actions.js';
export type {
  Kelengkapan, TextKelengkapan, FilesKelengkapan, Sla, EscalationRule, Step, StepDefinition, Announcement,
  ProcedureSource, Procedure, ProcedureDefinition,
} from './procedure/shape.js';
export { typedInputsOf, fileInputOf, DOCUMENT_FILES, INPUT_KEYS } from './procedure/inputs.js';
export { WORKING_DAY_MINUTES, parseWaktu } from './procedure/waktu.js';
export { DEFAULT_ESCALATION, SUBJECT_ESCALATION, defaultSlaMinutes } from './procedure/defaults.js';
export {
  kelengkapanSchema, slaSchema, escalationRuleSchema, escalationSchema, procedureSchema,
} from './procedure/schema.js';
export { defineProcedure } from './procedure/define.js';
export { applyOverrides, procedureOverridesSchema, type ProcedureOverrides } from './procedure/overrides.js';
