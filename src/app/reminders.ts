// Monthly and annual reminder cycle: which local dates are reminder days, and set-based recipient selection.
//
// Realisation of month M (period 'YYYY-MM') is due on day `monthly.deadlineDay` of month M+1; a deadline on a
// weekend or holiday moves to the next working day. The cycle of month M:
//   open            first working day of M+1: "isi realisasi bulan M" to every active linked employee
//   reminder        MONTHLY_REMINDER_LEAD_WORKING_DAYS working days before the deadline: to those who have not submitted
//   deadline        the last call to those who have not submitted, and each pengelola's list of who is missing
//   digest-atasan   ATASAN_DIGEST_DELAY_WORKING_DAYS after the deadline: each atasan's ratings waiting for them
// The annual SKP of year Y opens on the first working day of January and is due by `annual.skpDeadline` of Y;
// the working day after December's realisation is due opens the annual evaluation of year Y-1 (due by
// `annual.evaluationDeadline` of Y).
//
// Every selection is one SQL statement (100,000 employees select in seconds) and leaves out whoever already has a
// reminder_log row for the same kind and run key, so running a job twice sends once.
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { DeploymentConfig } from '../config.js';
import type { Db, DbOrTx } from '../db/client.js';
import { rowBatches, rowsOf } from '../db/client.js';
import { employees } from '../db/schema/index.js';
import { yearsWithoutHolidays, type WorkingCalendar } from '../domain/calendar.js';
import { addPeriods, firstDay, isPeriodKey, periodContaining, periodKey, periodOfKey, previousPeriod, type PeriodicKind } from '../domain/period.js';
import type { Procedure } from '../domain/procedure.js';
import { monthAfter, realisasiDeadlineDay, skpDeadlineDay } from '../domain/deadlines.js';
import { onLeaveSql, substituteOnSql } from './delegation.js';
import { periodKindsInUse } from './procedures.js';

export const MONTHLY_REMINDER_LEAD_WORKING_DAYS = 2;
export const ATASAN_DIGEST_DELAY_WORKING_DAYS = 1;
/** Annual reminders this many working days before the SKP deadline; the deadline day itself is the last call. */
export const ANNUAL_REMINDER_LEAD_WORKING_DAYS: readonly number[] = Object.freeze([5, 2]);
/** The daily check runs every day at this local time; the calendar decides whether anything is due. */
export const DAILY_CHECK_PATTERN = '0 8 * * *';
/** How many names a digest lists before "dan N lainnya" (a Telegram message holds 4096 characters). */
export const DIGEST_LIST_LIMIT = 40;

export const REMINDER_JOBS = [
  'monthly-open',
  'monthly-reminder',
  'monthly-deadline',
  'monthly-digest-atasan',
  'annual-open',
  'annual-reminder',
  'annual-evaluation-open',
  'calendar-check',
] as const;
export type ReminderJobName = (typeof REMINDER_JOBS)[number];

export function isReminderJob(name: string): name is ReminderJobName {
  return (REMINDER_JOBS as readonly string[]).includes(name);
}

export interface CycleSettings {
  deadlineDay: number;
  /** 'MM-DD' */
  skpDeadline: string;
  monthlyLeadDays: number;
  atasanDigestDelayDays: number;
  annualLeadDays: readonly number[];
  /** The period kinds of the periodic evaluation in use (procedures.periodic and its per-unit overrides). */
  periodKinds: readonly PeriodicKind[];
}

export function cycleSettings(deployment: Pick<DeploymentConfig, 'monthly' | 'annual' | 'procedures'>): CycleSettings {
  return {
    periodKinds: periodKindsInUse(deployment.procedures),
    deadlineDay: deployment.monthly.deadlineDay,
    skpDeadline: deployment.annual.skpDeadline,
    monthlyLeadDays: MONTHLY_REMINDER_LEAD_WORKING_DAYS,
    atasanDigestDelayDays: ATASAN_DIGEST_DELAY_WORKING_DAYS,
    annualLeadDays: ANNUAL_REMINDER_LEAD_WORKING_DAYS,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Periods and cycle days (pure)

/** The period whose realisation is being collected on a local date: the one before the period of that date. */
export function previousPeriodKey(localDate: string, kind: PeriodicKind = 'bulanan'): string {
  return periodKey(previousPeriod(periodContaining(localDate, kind)));
}

export interface MonthlyCycle {
  period: string;
  open: string;
  reminder: string;
  deadline: string;
  digestAtasan: string;
}

export function monthlyCycle(calendar: WorkingCalendar, period: string, s: CycleSettings): MonthlyCycle {
  const next = monthAfter(period);
  const deadline = realisasiDeadlineDay(calendar, period, s.deadlineDay);
  return {
    period,
    open: calendar.nthWorkingDayOfMonth(next.year, next.month, 1),
    reminder: calendar.addWorkingDays(deadline, -s.monthlyLeadDays),
    deadline,
    digestAtasan: calendar.addWorkingDays(deadline, s.atasanDigestDelayDays),
  };
}

/**
 * The day the annual evaluation of `year` opens: the working day after the realisation of its last period (December,
 * Triwulan IV, Semester II: all due by deadlineDay of January) is due, so the pejabat penilai reads a year whose
 * every period could be in, not December counted missing while it may still be sent.
 */
export function annualEvaluationOpen(calendar: WorkingCalendar, year: number, deadlineDay: number): string {
  return calendar.addWorkingDays(realisasiDeadlineDay(calendar, `${year}-12`, deadlineDay), 1);
}

export interface AnnualCycle {
  year: number;
  open: string;
  /** Reminder days in order; the last one is the deadline (last call). */
  reminders: string[];
  deadline: string;
}

export function annualCycle(calendar: WorkingCalendar, year: number, s: CycleSettings): AnnualCycle {
  const open = calendar.nthWorkingDayOfMonth(year, 1, 1);
  const deadline = skpDeadlineDay(calendar, year, s.skpDeadline);
  const days = new Set([...s.annualLeadDays.map((n) => calendar.addWorkingDays(deadline, -n)), deadline]);
  // Nothing before or on the opening day: the opening announcement already told everyone.
  const reminders = [...days].filter((d) => d > open).sort();
  return { year, open, reminders, deadline };
}

export interface DueReminder {
  job: ReminderJobName;
  /** 'YYYY-MM' for the monthly jobs, 'YYYY' for the annual ones and the calendar check. */
  period: string;
}

/** What the daily check must run on a local date: the answer of "is today a reminder day". */
export function remindersDueOn(calendar: WorkingCalendar, localDate: string, s: CycleSettings): DueReminder[] {
  if (!calendar.isWorkingDay(localDate)) return [];
  const due: DueReminder[] = [];
  // A cycle's days spread from the period's last month (an early reminder) to two months after it (a late
  // deadline's digest): the periods holding this month or one of the two before it, of every kind in use.
  const current = periodContaining(localDate, 'bulanan');
  const periods = new Set(
    s.periodKinds.flatMap((kind) => [-2, -1, 0].map((n) => periodKey(periodContaining(firstDay(addPeriods(current, n)), kind)))),
  );
  for (const period of [...periods].sort()) {
    const c = monthlyCycle(calendar, period, s);
    if (c.open === localDate) due.push({ job: 'monthly-open', period });
    if (c.reminder === localDate) due.push({ job: 'monthly-reminder', period });
    if (c.deadline === localDate) due.push({ job: 'monthly-deadline', period });
    // The atasan digest lists every rating waiting, of any period: once a day even when two kinds end together.
    if (c.digestAtasan === localDate && !due.some((d) => d.job === 'monthly-digest-atasan')) due.push({ job: 'monthly-digest-atasan', period });
  }
  const year = Number(localDate.slice(0, 4));
  for (const y of [year - 1, year]) {
    const a = annualCycle(calendar, y, s);
    if (a.open === localDate) due.push({ job: 'annual-open', period: String(y) });
    if (a.reminders.includes(localDate)) due.push({ job: 'annual-reminder', period: String(y) });
  }
  // The annual evaluation of the year before opens once its last period's realisation is due.
  if (annualEvaluationOpen(calendar, year - 1, s.deadlineDay) === localDate) due.push({ job: 'annual-evaluation-open', period: String(year - 1) });
  // A year without its holidays in the config: BKPP admins hear of it (once a year each, by the run key).
  for (const y of yearsWithoutHolidays(calendar.config, localDate)) due.push({ job: 'calendar-check', period: String(y) });
  return due;
}

// ---------------------------------------------------------------------------------------------------------
// Which procedure a perangkat daerah runs, as SQL (per-unit overrides as a jsonb map)

export interface ProcedureChoice {
  defaultCode: string;
  /** Perangkat daerah name → procedure code. */
  perUnit: Record<string, string>;
  /** The period kind of the periodic evaluation: the default and per perangkat daerah name. */
  defaultPeriodKind: PeriodicKind;
  periodKindPerUnit: Record<string, PeriodicKind>;
}

export function procedureChoice(procedures: DeploymentConfig['procedures'], kind: 'skpAnnual' | 'monthly'): ProcedureChoice {
  const perUnit: Record<string, string> = {};
  const periodKindPerUnit: Record<string, PeriodicKind> = {};
  for (const [pd, choice] of Object.entries(procedures.perUnit)) {
    const code = choice[kind];
    if (code) perUnit[pd] = code;
    if (choice.periodic) periodKindPerUnit[pd] = choice.periodic.period;
  }
  return { defaultCode: procedures[kind], perUnit, defaultPeriodKind: procedures.periodic?.period ?? 'bulanan', periodKindPerUnit };
}

/**
 * FROM-clause fragment: active employees `e` with their perangkat daerah `pd`, expected procedure `proc_code` and
 * period kind `period_kind`.
 */
function employeesWithProcedure(choice: ProcedureChoice) {
  return sql`employees e
    join units u on u.id = e.unit_id
    join units pd on pd.id = coalesce(u.perangkat_daerah_id, u.id)
    left join jsonb_each_text(${JSON.stringify(choice.perUnit)}::jsonb) as pu(pd_name, code) on pu.pd_name = pd.name
    left join jsonb_each_text(${JSON.stringify(choice.periodKindPerUnit)}::jsonb) as pk(pd_name, kind) on pk.pd_name = pd.name
    cross join lateral (select coalesce(pu.code, ${choice.defaultCode}) as proc_code,
                               coalesce(pk.kind, ${choice.defaultPeriodKind}) as period_kind) p`;
}

/**
 * Has not submitted: no case of their procedure for the period with submitted_at set. A periodic period only
 * concerns the employees whose perangkat daerah evaluates per that kind of period (a triwulan not the monthly ones).
 */
const notSubmitted = (period: string) =>
  sql`not exists (select 1 from cases c where c.subject_id = e.id and c.period = ${period}
                  and c.procedure_code = p.proc_code and c.submitted_at is not null)
      ${isPeriodKey(period) ? sql`and p.period_kind = ${periodOfKey(period).kind}` : sql``}`;

/** Can be reached now: active, linked, not blocked. */
const reachable = sql`e.active and e.telegram_chat_id is not null and e.unreachable_at is null`;

const notLogged = (kind: string, runKey: SQL, employeeId: SQL) =>
  sql`not exists (select 1 from reminder_log rl where rl.kind = ${kind} and rl.run_key = ${runKey} and rl.employee_id = ${employeeId})`;

export interface LogKey {
  kind: string;
  runKey: string;
  /** Local date, for leave (delegations) in force. */
  today: string;
}

/**
 * Everyone active, linked and not on leave (the opening announcements); for a periodic period only those whose
 * perangkat daerah evaluates per that kind of period.
 */
export async function selectEveryone(db: DbOrTx, key: LogKey & { periodic?: { period: string; choice: ProcedureChoice } }): Promise<string[]> {
  return rowsOf<{ id: string }>(await db.execute(everyoneQuery(key))).map((r) => r.id);
}

/** selectEveryone's ids in batches from a cursor: a province's million employees never sit in memory at once. */
export function everyoneBatches(db: Db, key: LogKey & { periodic?: { period: string; choice: ProcedureChoice } }, batchSize = RECIPIENT_BATCH): AsyncIterable<string[]> {
  return idBatches(db, everyoneQuery(key), batchSize);
}

function everyoneQuery(key: LogKey & { periodic?: { period: string; choice: ProcedureChoice } }): SQL {
  const periodic = key.periodic;
  return sql`select e.id from ${periodic ? employeesWithProcedure(periodic.choice) : sql`employees e`}
      where ${reachable} and not ${onLeaveSql(sql`e.id`, key.today)}
        ${periodic ? sql`and p.period_kind = ${periodOfKey(periodic.period).kind}` : sql``}
        and ${notLogged(key.kind, sql`${key.runKey}`, sql`e.id`)}
      order by e.id`;
}

/** Recipients fetched per cursor batch: one batch's jobs go to Redis while the next is read. */
export const RECIPIENT_BATCH = 5000;

async function* idBatches(db: Db, query: SQL, batchSize: number): AsyncGenerator<string[]> {
  for await (const rows of rowBatches<{ id: string }>(db, query, batchSize)) yield rows.map((r) => r.id);
}

/** BKPP admins who can be reached (leave does not matter: this is the system's own notice to its operators). */
export async function selectBkppAdmins(db: DbOrTx, key: LogKey): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select e.id from employees e
      where ${reachable} and exists (select 1 from employee_roles r where r.employee_id = e.id and r.role = 'bkpp_admin')
        and ${notLogged(key.kind, sql`${key.runKey}`, sql`e.id`)}
      order by e.id`),
  );
  return rows.map((r) => r.id);
}

/** Active, linked employees not on leave who have not submitted their case for `period` ('YYYY-MM' or 'YYYY'). */
export async function selectNotSubmitted(
  db: DbOrTx,
  key: LogKey & { period: string; choice: ProcedureChoice },
): Promise<string[]> {
  return rowsOf<{ id: string }>(await db.execute(notSubmittedQuery(key))).map((r) => r.id);
}

/** selectNotSubmitted's ids in batches from a cursor. */
export function notSubmittedBatches(db: Db, key: LogKey & { period: string; choice: ProcedureChoice }, batchSize = RECIPIENT_BATCH): AsyncIterable<string[]> {
  return idBatches(db, notSubmittedQuery(key), batchSize);
}

function notSubmittedQuery(key: LogKey & { period: string; choice: ProcedureChoice }): SQL {
  return sql`select e.id from ${employeesWithProcedure(key.choice)}
      where ${reachable} and ${notSubmitted(key.period)} and not ${onLeaveSql(sql`e.id`, key.today)}
        and ${notLogged(key.kind, sql`${key.runKey}`, sql`e.id`)}
      order by e.id`;
}

/** Employees' names by id (the pengelola or atasan a Plh receives a digest for). */
export async function employeeNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: employees.id, nama: employees.nama }).from(employees).where(inArray(employees.id, ids));
  return new Map(rows.map((r) => [r.id, r.nama]));
}

export interface DigestEntry {
  nama: string;
  nip: string;
  linked: boolean;
}

export interface PengelolaDigest {
  pengelolaId: string;
  /** The pengelola, or their Plh while they are on leave. */
  recipientId: string;
  perangkatDaerah: string;
  missingCount: number;
  unlinkedCount: number;
  listed: DigestEntry[];
}

/**
 * One digest per pengelola: who in their perangkat daerah (linked or not) has not submitted for `period`.
 * Reminder log run key: '<period>:<pengelolaId>', so two pengelola with the same Plh each get theirs.
 */
export async function selectPengelolaDigests(
  db: DbOrTx,
  key: { kind: string; period: string; today: string; choice: ProcedureChoice; listLimit?: number },
): Promise<PengelolaDigest[]> {
  const limit = key.listLimit ?? DIGEST_LIST_LIMIT;
  const rows = rowsOf<{
    pengelola_id: string;
    recipient_id: string;
    pd_name: string;
    missing_count: number;
    unlinked_count: number;
    listed: DigestEntry[];
  }>(
    await db.execute(sql`
      with missing as (
        select e.id, e.nama, e.nip, e.telegram_chat_id is not null as linked, pd.id as pd_id
        from ${employeesWithProcedure(key.choice)}
        where e.active and ${notSubmitted(key.period)}
      ), ranked as (
        -- One pass over the missing employees: rank within the perangkat daerah, count, list the first ones.
        select m.*, row_number() over (partition by m.pd_id order by m.nama, m.nip) as rn from missing m
      ), per_pd as (
        select r.pd_id, count(*)::int as missing_count, (count(*) filter (where not r.linked))::int as unlinked_count,
               jsonb_agg(jsonb_build_object('nama', r.nama, 'nip', r.nip, 'linked', r.linked) order by r.rn)
                 filter (where r.rn <= ${limit}) as listed
        from ranked r group by r.pd_id
      ), holders as (
        select r.employee_id as pengelola_id, r.unit_id as pd_id, pdu.name as pd_name,
               coalesce(${substituteOnSql(sql`r.employee_id`, key.today)}, r.employee_id) as recipient_id
        from employee_roles r
        join employees pe on pe.id = r.employee_id and pe.active
        join units pdu on pdu.id = r.unit_id
        left join jsonb_each_text(${JSON.stringify(key.choice.periodKindPerUnit)}::jsonb) as pk(pd_name, kind) on pk.pd_name = pdu.name
        where r.role = 'pengelola'
          -- A periodic period's digest goes to the pengelola of the units evaluated per that kind of period only.
          ${isPeriodKey(key.period) ? sql`and coalesce(pk.kind, ${key.choice.defaultPeriodKind}) = ${periodOfKey(key.period).kind}` : sql``}
      )
      select h.pengelola_id, h.recipient_id, h.pd_name, coalesce(p.missing_count, 0) as missing_count,
             coalesce(p.unlinked_count, 0) as unlinked_count, coalesce(p.listed, '[]'::jsonb) as listed
      from holders h
      join employees e on e.id = h.recipient_id
      left join per_pd p on p.pd_id = h.pd_id
      where ${reachable} and ${notLogged(key.kind, sql`${key.period} || ':' || h.pengelola_id`, sql`h.recipient_id`)}
      order by h.pd_name, h.pengelola_id`),
  );
  return rows.map((r) => ({
    pengelolaId: r.pengelola_id,
    recipientId: r.recipient_id,
    perangkatDaerah: r.pd_name,
    missingCount: Number(r.missing_count),
    unlinkedCount: Number(r.unlinked_count),
    listed: r.listed,
  }));
}

export interface RatingEntry {
  nama: string;
  period: string;
  since: string;
}

export interface AtasanDigest {
  atasanId: string;
  recipientId: string;
  count: number;
  listed: RatingEntry[];
}

/** The (procedure, step) pairs that are ratings in monthly procedures. */
export function monthlyRateSteps(procedures: readonly Procedure[]): Array<{ code: string; stepNo: number }> {
  return procedures
    .filter((p) => p.periodKind === 'monthly')
    .flatMap((p) => p.steps.filter((s) => s.action === 'rate').map((s) => ({ code: p.code, stepNo: s.no })));
}

/**
 * One digest per atasan holding monthly cases at a rating step (any period), sent to their Plh while they are on
 * leave. Reminder log run key: '<period>:<atasanId>'.
 */
export async function selectAtasanDigests(
  db: DbOrTx,
  key: { kind: string; period: string; today: string; rateSteps: Array<{ code: string; stepNo: number }>; listLimit?: number },
): Promise<AtasanDigest[]> {
  if (key.rateSteps.length === 0) return [];
  const limit = key.listLimit ?? DIGEST_LIST_LIMIT;
  const steps = sql.join(key.rateSteps.map((s) => sql`(${s.code}, ${s.stepNo}::int)`), sql`, `);
  const rows = rowsOf<{ atasan_id: string; recipient_id: string; n: number; listed: RatingEntry[] }>(
    await db.execute(sql`
      with waiting as (
        select c.id, c.assignee_id, c.period, c.step_entered_at, s.nama,
               row_number() over (partition by c.assignee_id order by c.step_entered_at, c.id) as rn
        from cases c join employees s on s.id = c.subject_id
        where c.status = 'active' and c.assignee_id is not null and (c.procedure_code, c.step_no) in (${steps})
      ), per_atasan as (
        select w.assignee_id as atasan_id, count(*)::int as n,
               jsonb_agg(jsonb_build_object('nama', w.nama, 'period', w.period, 'since', w.step_entered_at) order by w.rn)
                 filter (where w.rn <= ${limit}) as listed
        from waiting w group by w.assignee_id
      ), holders as (
        select p.*, coalesce(${substituteOnSql(sql`p.atasan_id`, key.today)}, p.atasan_id) as recipient_id from per_atasan p
      )
      select h.atasan_id, h.recipient_id, h.n, h.listed
      from holders h
      join employees e on e.id = h.recipient_id
      where ${reachable} and ${notLogged(key.kind, sql`${key.period} || ':' || h.atasan_id`, sql`h.recipient_id`)}
      order by h.atasan_id`),
  );
  return rows.map((r) => ({ atasanId: r.atasan_id, recipientId: r.recipient_id, count: Number(r.n), listed: r.listed }));
}

// ---------------------------------------------------------------------------------------------------------
// job_runs: one row per scheduled run (name, run key), for operators and to run a day's check once

/** Records the start of a run; false when this (name, run key) already ran. */
export async function claimJobRun(db: Db, name: string, runKey: string, now: Date): Promise<boolean> {
  const rows = rowsOf<{ name: string }>(
    await db.execute(sql`insert into job_runs (name, run_key, started_at) values (${name}, ${runKey}, ${now.toISOString()}::timestamptz)
      on conflict (name, run_key) do nothing returning name`),
  );
  return rows.length > 0;
}

/** Whether a run is unknown, started (maybe crashed) or finished. */
export async function jobRunState(db: DbOrTx, name: string, runKey: string): Promise<'none' | 'started' | 'finished'> {
  const rows = rowsOf<{ finished: boolean }>(
    await db.execute(sql`select finished_at is not null as finished from job_runs where name = ${name} and run_key = ${runKey}`),
  );
  if (rows.length === 0) return 'none';
  return rows[0]!.finished ? 'finished' : 'started';
}

/** Stores the outcome of a run; re-runs add to `runs` and keep the total of recipients queued. */
export async function finishJobRun(db: Db, name: string, runKey: string, now: Date, result: Record<string, unknown> & { queued?: number }): Promise<void> {
  await db.execute(sql`insert into job_runs (name, run_key, started_at, finished_at, result)
    values (${name}, ${runKey}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz,
            ${JSON.stringify({ ...result, runs: 1, queuedTotal: result.queued ?? 0 })}::jsonb)
    on conflict (name, run_key) do update set finished_at = excluded.finished_at,
      result = excluded.result || jsonb_build_object(
        'runs', coalesce((job_runs.result->>'runs')::int, 0) + 1,
        'queuedTotal', coalesce((job_runs.result->>'queuedTotal')::int, 0) + ${result.queued ?? 0}::int)`);
}
