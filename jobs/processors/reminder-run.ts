// Runs one reminder job of the monthly/annual cycle for a local date: selects recipients in one query, renders the
// Indonesian text and queues the sends. Idempotent: recipients already in reminder_log are not selected again.
import { openAnnualEvaluations } from '../../src/app/annual-evaluation.js';
import type { ProcedureRegistry } from '../../src/app/procedures.js';
import {
  annualCycle,
  claimJobRun,
  cycleSettings,
  employeeNames,
  everyoneBatches,
  finishJobRun,
  jobRunState,
  monthlyCycle,
  monthlyRateSteps,
  notSubmittedBatches,
  previousPeriodKey,
  procedureChoice,
  remindersDueOn,
  selectAtasanDigests,
  selectBkppAdmins,
  selectPengelolaDigests,
  type ReminderJobName,
} from '../../src/app/reminders.js';
import type { AppConfig } from '../../src/config.js';
import type { Db } from '../../src/app/database.js';
import { yearsWithoutHolidays, type WorkingCalendar } from '../../src/domain/calendar.js';
import { periodOfKey } from '../../src/domain/period.js';
import { reminderTexts, runSummaries } from '../../src/chat/texts/operations.js';
import type { NotifyJobData } from './reminder-send.js';

export interface ReminderRunDeps {
  db: Db;
  calendar: WorkingCalendar;
  config: AppConfig;
  procedures: ProcedureRegistry;
  now: () => Date;
  enqueue(items: NotifyJobData[]): Promise<number>;
}

export interface ReminderRunOptions {
  /** Local date the job runs for (default: today in the agency time zone). */
  date?: string;
  /** 'YYYY-MM' for the monthly jobs (default: the month before `date`), 'YYYY' for the annual ones. */
  period?: string;
  /** Reconciliation re-runs: record nothing when nothing was left to queue. */
  quiet?: boolean;
}

export interface ReminderRunResult {
  job: ReminderJobName;
  period: string;
  runKey: string;
  queued: number;
  summary: string;
}

/** Runs one job now for the given date and period; safe to repeat. */
export async function runReminderJob(deps: ReminderRunDeps, job: ReminderJobName, options: ReminderRunOptions = {}): Promise<ReminderRunResult> {
  const tz = deps.config.deployment.instansi.timeZone;
  const date = options.date ?? deps.calendar.localDate(deps.now());
  const settings = cycleSettings(deps.config.deployment);
  const monthlyChoice = procedureChoice(deps.config.deployment.procedures, 'monthly');
  const annualChoice = procedureChoice(deps.config.deployment.procedures, 'skpAnnual');
  const annual = job.startsWith('annual-') || job === 'calendar-check';
  // The calendar check, run by hand without a year, looks at the first year it would report.
  // The annual evaluation, run by hand without a year, evaluates the year before.
  const defaultYear =
    job === 'calendar-check'
      ? String(yearsWithoutHolidays(deps.config.calendar, date)[0] ?? date.slice(0, 4))
      : job === 'annual-evaluation-open'
        ? String(Number(date.slice(0, 4)) - 1)
        : date;
  // Run by hand without a period, a monthly job collects the month before (of the deployment's default kind).
  const period = annual ? (options.period ?? defaultYear).slice(0, 4) : (options.period ?? previousPeriodKey(date, monthlyChoice.defaultPeriodKind));
  if (!annual) periodOfKey(period);
  else if (!/^\d{4}$/.test(period)) throw new Error(`expected a year YYYY, got ${JSON.stringify(period)}`);

  // Recipients come in batches from a cursor and each batch is queued before the next is read: at a million
  // employees, every id and job at once would be hundreds of MB. Summaries count what was queued.
  let personalCount = 0;
  async function* personal(kind: string, runKey: string, ids: AsyncIterable<string[]>, text: string): AsyncGenerator<NotifyJobData[]> {
    for await (const batch of ids) {
      personalCount += batch.length;
      yield batch.map((employeeId) => ({ kind, runKey, employeeId, text }));
    }
  }
  const once = <T>(items: T[]): AsyncIterable<T[]> => (async function* () { yield items; })();

  let batches: AsyncIterable<NotifyJobData[]> = once([]);
  let runKey = period;
  let summarize: () => string;
  switch (job) {
    case 'monthly-open': {
      const c = monthlyCycle(deps.calendar, period, settings);
      batches = personal(job, runKey, everyoneBatches(deps.db, { kind: job, runKey, today: date, periodic: { period, choice: monthlyChoice } }), reminderTexts.monthlyOpen(period, c.deadline, tz));
      summarize = () => runSummaries.sent('Pengumuman realisasi', period, personalCount);
      break;
    }
    case 'monthly-reminder':
    case 'monthly-deadline': {
      const c = monthlyCycle(deps.calendar, period, settings);
      const ids = notSubmittedBatches(deps.db, { kind: job, runKey, today: date, period, choice: monthlyChoice });
      const text = job === 'monthly-reminder' ? reminderTexts.monthlyReminder(period, c.deadline, tz, date) : reminderTexts.monthlyLastCall(period, c.deadline, tz, date);
      const reminders = personal(job, runKey, ids, text);
      const summaryOfReminders = () =>
        runSummaries.reminded(job === 'monthly-reminder' ? 'Pengingat realisasi' : 'Panggilan terakhir realisasi', period, personalCount);
      summarize = summaryOfReminders;
      if (job === 'monthly-reminder') {
        batches = reminders;
        break;
      }
      const kind = 'monthly-digest-pengelola';
      let digestCount = 0;
      batches = (async function* () {
        yield* reminders;
        const digests = await selectPengelolaDigests(deps.db, { kind, period, today: date, choice: monthlyChoice });
        digestCount = digests.length;
        const names = await employeeNames(deps.db, digests.filter((d) => d.recipientId !== d.pengelolaId).map((d) => d.pengelolaId));
        yield digests.map((d) => ({
          kind,
          runKey: `${period}:${d.pengelolaId}`,
          employeeId: d.recipientId,
          text: reminderTexts.pengelolaDigest({ ...d, period, deadline: c.deadline }, tz, names.get(d.pengelolaId) ?? null),
        }));
      })();
      summarize = () => `${summaryOfReminders()} ${runSummaries.digests('Rekap pengelola', period, digestCount)}`;
      break;
    }
    case 'monthly-digest-atasan': {
      const digests = await selectAtasanDigests(deps.db, {
        kind: job,
        period,
        today: date,
        rateSteps: monthlyRateSteps(deps.procedures.all()),
      });
      const names = await employeeNames(deps.db, digests.filter((d) => d.recipientId !== d.atasanId).map((d) => d.atasanId));
      batches = once(
        digests.map((d) => ({
          kind: job,
          runKey: `${period}:${d.atasanId}`,
          employeeId: d.recipientId,
          text: reminderTexts.atasanDigest(d, tz, names.get(d.atasanId) ?? null),
        })),
      );
      summarize = () => runSummaries.digests('Rekap penilaian atasan', period, digests.length);
      break;
    }
    case 'annual-open': {
      const a = annualCycle(deps.calendar, Number(period), settings);
      // Run by hand after the deadline, "penyusunan SKP sudah dimulai" would reach everyone, those done included.
      if (date > a.deadline) {
        summarize = () => runSummaries.annualOpenPast(a.year, a.deadline, tz);
        break;
      }
      batches = personal(job, runKey, everyoneBatches(deps.db, { kind: job, runKey, today: date }), reminderTexts.annualOpen(a.year, a.deadline, tz));
      summarize = () => runSummaries.sent('Pengumuman SKP', period, personalCount);
      break;
    }
    case 'annual-reminder': {
      const a = annualCycle(deps.calendar, Number(period), settings);
      // Several reminders per year: one per day, so the run key carries the date.
      runKey = `${period}:${date}`;
      const ids = notSubmittedBatches(deps.db, { kind: job, runKey, today: date, period, choice: annualChoice });
      batches = personal(job, runKey, ids, reminderTexts.annualReminder(a.year, a.deadline, tz, date));
      summarize = () => runSummaries.reminded('Pengingat SKP', period, personalCount);
      break;
    }
    case 'annual-evaluation-open': {
      // Each pejabat penilai hears of each case through the case's own notification (outbox), not a reminder.
      const deadlineMmdd = deps.config.deployment.annual.evaluationDeadline;
      const opened = await openAnnualEvaluations({ db: deps.db, calendar: deps.calendar, procedures: deps.procedures }, Number(period), deps.now(), deadlineMmdd);
      const summary = runSummaries.annualEvaluationOpened(opened, tz);
      summarize = () => summary;
      break;
    }
    case 'calendar-check': {
      if (deps.config.calendar.alwaysOpen || deps.config.calendar.holidays.some((h) => h.date.startsWith(`${period}-`))) {
        summarize = () => runSummaries.holidaysListed(Number(period));
        break;
      }
      const ids = await selectBkppAdmins(deps.db, { kind: job, runKey, today: date });
      batches = personal(job, runKey, once(ids), reminderTexts.holidaysMissing(Number(period)));
      summarize = () => runSummaries.holidaysMissing(Number(period), personalCount);
      break;
    }
  }
  const now = deps.now();
  // The first recipients are read before the run is recorded: a quiet re-run with nobody left records nothing.
  const iterator = batches[Symbol.asyncIterator]();
  let queued = 0;
  try {
    let first = await iterator.next();
    while (!first.done && first.value.length === 0) first = await iterator.next();
    if (options.quiet && first.done) return { job, period, runKey, queued: 0, summary: summarize() };
    await claimJobRun(deps.db, job, runKey, now);
    for (let next = first; !next.done; ) {
      // The next batch is read while this one is queued.
      const reading = iterator.next();
      reading.catch(() => undefined);
      if (next.value.length > 0) queued += await deps.enqueue(next.value);
      next = await reading;
    }
  } finally {
    // A failed enqueue closes the cursor, which frees its connection.
    await iterator.return?.();
  }
  await finishJobRun(deps.db, job, runKey, deps.now(), { date, period, queued });
  let summary = summarize();
  if (queued > 0 && !deps.calendar.isWithinWorkingHours(now)) summary += ` ${runSummaries.outsideHours}`;
  return { job, period, runKey, queued, summary };
}

export interface DailyRunResult {
  date: string;
  ran: ReminderRunResult[];
  skipped: boolean;
  summary: string;
}

/** The daily check: runs whatever the calendar says is due on `date`, once per date unless forced. */
export async function runDailyReminders(deps: ReminderRunDeps, options: { date?: string; force?: boolean } = {}): Promise<DailyRunResult> {
  const tz = deps.config.deployment.instansi.timeZone;
  const date = options.date ?? deps.calendar.localDate(deps.now());
  // A run that started but never finished (a crash) is run again; its sub-jobs are idempotent.
  if ((await jobRunState(deps.db, 'reminders-daily', date)) === 'finished' && !options.force) {
    return { date, ran: [], skipped: true, summary: runSummaries.alreadyChecked(date, tz) };
  }
  await claimJobRun(deps.db, 'reminders-daily', date, deps.now());
  const due = remindersDueOn(deps.calendar, date, cycleSettings(deps.config.deployment));
  const ran: ReminderRunResult[] = [];
  for (const d of due) ran.push(await runReminderJob(deps, d.job, { date, period: d.period }));
  const summary = ran.length === 0 ? runSummaries.nothingDue(date, tz) : ran.map((r) => r.summary).join('\n');
  await finishJobRun(deps.db, 'reminders-daily', date, deps.now(), { date, jobs: ran.map((r) => `${r.job}:${r.period}`), queued: ran.reduce((n, r) => n + r.queued, 0) });
  return { date, ran, skipped: false, summary };
}
