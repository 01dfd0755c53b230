// Use cases of the procedure engine: open a case, act on it (complete/return/resubmit/cancel), re-resolve assignees.
// Each transition is one transaction: row lock + version compare-and-set + domain call + event + outbox.
// The public names of src/app/case-engine/, one file per concern.
export type { EngineDeps, CaseRow, ActInput, ActResult } from './case-engine/contract.js';
export { resolveAssigneeDetailed, resolveAssignee, type Resolution } from './case-engine/assignees.js';
export { openCase, type OpenCaseInput } from './case-engine/open-case.js';
export { lastTransition } from './case-engine/already-processed.js';
export { act, assertCanAct } from './case-engine/act.js';
export { refreshAssignees } from './case-engine/refresh-assignees.js';
