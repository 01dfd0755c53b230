// Monitoring recaps for atasan, pengelola and BKPP: the public names of src/app/reports/, one file per concern
// (scope and period, vocabulary, the shared case queries, four read models, the manual reminder).
export { SKP_STATES, SKP_STATE_LABELS, type SkpState } from '../domain/vocabulary.js';
export {
  parsePeriod, reportPeriodOf, periodKey, periodLabel, defaultPeriod, scopeOf, scopeCondition, perangkatDaerahName,
  perangkatDaerahOfScope, pdInScope, type ReportDeps, type ReportPeriod, type ReportScope,
} from './reports/scope.js';
export {
  skpStateOfStep, skpStateWhenCompleted, skpStateTable, annualProcedures, monthlyProcedures, codeList, stateValues,
  stepLabel, stepLabelOf, procedureTitleOf, EVENT_LABELS, MONTHLY_STATUS_LABELS, type MonthlyStatus,
} from './reports/vocabulary.js';
export {
  epochMs, dateOfMs, ownSkpCases, ownMonthlyCases, latestPredikat, overdueCondition,
} from './reports/case-queries.js';
export {
  buildRecap, complianceShare, type MonthlyCounts, type OverdueSummary, type PdRecap, type Recap, type RecapInput,
} from './reports/recap.js';
export { employeeStatusBatches, employeeStatuses, type EmployeeStatus, type EmployeeStatusInput } from './reports/employee-status.js';
export { overdueSteps, overdueStepBatches, type OverdueStep, type OverdueInput } from './reports/overdue.js';
export { employeeCaseLogs, type CaseLogEvent, type CaseLog } from './reports/case-logs.js';
export {
  sendManualReminder, type ReminderInfo, type ReminderResult, type ReminderInput,
} from './reports/manual-reminder.js';
