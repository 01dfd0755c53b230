// Indonesian texts, keyboards and callback data of the monitoring feature (/rekap, /ekspor), and its chart spec:
// the public names of src/chat/texts/reports/, one file per concern (paging, commands, callbacks, summary, chart,
// employee list, case logs, overdue steps and reminders, mutu baku).
export { EMPLOYEES_PER_PAGE, OVERDUE_PER_PAGE } from './reports/paging.js';
export { parseOrgRating, reportTexts, exportCaption } from './reports/commands.js';
export { reportCallbacks } from './reports/callbacks.js';
export { scopeText, summaryPages, summaryKeyboard, type SummaryPage } from './reports/summary.js';
export { complianceChart, chartCaption } from './reports/chart.js';
export { employeeListText, employeeListKeyboard } from './reports/employees.js';
export { caseLogsText, caseLogsKeyboard } from './reports/case-logs.js';
export { overdueText, overdueKeyboard, undeliveredText, reminderText, reminderResultText } from './reports/overdue.js';
export { mutuBakuLine, mutuBakuText, mutuBakuKeyboard } from './reports/mutu-baku.js';
