// Monitoring recaps for atasan, pengelola and BKPP: SKP states, monthly realisation, overdue steps, predikat, logs.
//
// Every figure comes from a fixed handful of set-based statements (aggregates, window functions), never a query
// per employee or per perangkat daerah, so a recap of ~10k employees stays within a couple of seconds.
// The words shown to users for states and steps live here too, next to the states they name, because the chat,
// the XLSX export and the CLI all print them.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rowBatches, rowsOf } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import { caseEvents, reminderLog } from '../db/schema/index.js';
import { accessSubjectOf, scopeOf as accessScopeOf } from '../domain/access.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import {
  parsePeriod as parsePeriodOf,
  periodContaining,
  periodKey as periodKeyOf,
  periodLabel as periodLabelOf,
  previousPeriod,
  type Period,
  type PeriodicKind,
} from '../domain/period.js';
import { ACTOR_LABELS, SKP_STATES, STEP_NOUNS, type SkpState } from '../domain/vocabulary.js';
import { checkDistribution, PREDIKATS, type OrgRating, type Predikat } from '../domain/predikat.js';
import { annualEvaluationProcedures, orgRatingsOfPeriod } from './annual-evaluation.js';
import type { Procedure, Step, StepAction } from '../domain/procedure.js';
import type { ProcedureRegistry } from './procedures.js';

export interface ReportDeps {
  db: Db;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
}

// ---------------------------------------------------------------------------------------------------------
// Periods

/** A year, or one period of the periodic evaluation (a month, a triwulan or a semester). */
export type ReportPeriod = { kind: 'year'; year: number } | { kind: 'periodic'; year: number; period: Period };

/** 'YYYY', or a period as parsePeriod reads it ('2026-05', '2026-T2', '2026-S1', …); null for anything else. */
export function parsePeriod(text: string): ReportPeriod | null {
  const trimmed = text.trim();
  if (/^\d{4}$/.test(trimmed)) {
    const year = Number(trimmed);
    return year < 2000 || year > 2100 ? null : { kind: 'year', year };
  }
  const period = parsePeriodOf(trimmed);
  return period ? { kind: 'periodic', year: period.year, period } : null;
}

/** The period of the periodic evaluation as a report period. */
export const reportPeriodOf = (period: Period): ReportPeriod => ({ kind: 'periodic', year: period.year, period });

export function periodKey(p: ReportPeriod): string {
  return p.kind === 'year' ? String(p.year) : periodKeyOf(p.period);
}

export function periodLabel(p: ReportPeriod): string {
  return p.kind === 'year' ? `Tahun ${p.year}` : periodLabelOf(p.period);
}

/**
 * The period whose realisation is being collected now: realisation of a period is due early in the month after
 * it, so on any day the most useful default is the period (of the deployment's kind) before the current one.
 */
export function defaultPeriod(now: Date, calendar: WorkingCalendar, kind: PeriodicKind = 'bulanan'): ReportPeriod {
  return reportPeriodOf(previousPeriod(periodContaining(calendar.localDate(now), kind)));
}

/** Cases a period covers for overdue steps and mutu baku: a year covers its annual and monthly cases. */
function casePeriodFilter(p: ReportPeriod, col: SQL = sql.raw('c.period')): SQL {
  if (p.kind === 'year') return sql`(${col} = ${String(p.year)} or ${col} like ${`${p.year}-%`})`;
  // A month also shows the year's SKP case: its steps are just as overdue in March as in January.
  return sql`${col} in (${String(p.year)}, ${periodKey(p)})`;
}

// ---------------------------------------------------------------------------------------------------------
// Who sees what

export type ReportScope =
  | { kind: 'all' }
  | { kind: 'perangkatDaerah'; pdIds: string[] }
  | { kind: 'reports'; atasanId: string };

/**
 * What a recap covers, from the access policy's scope of 'recap': BKPP admins every perangkat daerah, a pengelola
 * the ones they manage, an atasan their direct reports; anyone else nothing (null). The broadest role wins.
 */
export function scopeOf(employee: EmployeeProfile | null): ReportScope | null {
  if (!employee) return null;
  const scope = accessScopeOf(accessSubjectOf(employee), 'recap');
  return scope.kind === 'all' || scope.kind === 'perangkatDaerah' || scope.kind === 'reports' ? scope : null;
}

/** SQL condition on employee alias `e` joined to its unit `u`. */
export function scopeCondition(scope: ReportScope, e = 'e', u = 'u'): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'perangkatDaerah':
      return scope.pdIds.length === 0
        ? sql`false`
        : sql`${sql.raw(u)}.perangkat_daerah_id in (${sql.join(scope.pdIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
    case 'reports':
      return sql`${sql.raw(e)}.atasan_id = ${scope.atasanId}::uuid`;
  }
}

// ---------------------------------------------------------------------------------------------------------
// SKP states, derived from each template's step actions (never from step numbers)

export { SKP_STATES, SKP_STATE_LABELS, type SkpState } from '../domain/vocabulary.js';

const JUDGING: readonly StepAction[] = ['verify', 'establish'];

/**
 * The SKP state of a case sitting on `step` (status active): the subject's first submit step is a draft; the
 * first verify/establish step means submitted; past it but before any establish step, approved; past an
 * establish step, established; a receive step means forwarded to its receiver.
 */
export function skpStateOfStep(proc: Procedure, step: Step): SkpState {
  const index = proc.steps.indexOf(step);
  const firstSubmit = proc.steps.find((s) => s.actor === 'subject' && s.action === 'submit');
  if (step === firstSubmit) return 'draft';
  if (step.action === 'receive') return 'forwarded';
  const earlier = proc.steps.slice(0, index);
  if (earlier.some((s) => s.action === 'establish')) return 'established';
  if (JUDGING.includes(step.action) && !earlier.some((s) => JUDGING.includes(s.action))) return 'submitted';
  if (earlier.some((s) => JUDGING.includes(s.action))) return 'approved';
  // A step before any judgement that is not the first submit (none in the seeds): still with the subject.
  return 'draft';
}

/** A completed SKP was received when its template ends with someone receiving it; otherwise it is established. */
export function skpStateWhenCompleted(proc: Procedure): SkpState {
  return proc.steps.some((s) => s.action === 'receive') ? 'received' : 'established';
}

/** (procedure, key) → state, where key is the step number for active cases and the status otherwise. */
export function skpStateTable(procs: readonly Procedure[]): Array<{ code: string; key: string; state: SkpState }> {
  const out: Array<{ code: string; key: string; state: SkpState }> = [];
  for (const proc of procs) {
    for (const step of proc.steps) out.push({ code: proc.code, key: String(step.no), state: skpStateOfStep(proc, step) });
    out.push({ code: proc.code, key: 'completed', state: skpStateWhenCompleted(proc) });
    out.push({ code: proc.code, key: 'returned', state: 'returned' });
    out.push({ code: proc.code, key: 'cancelled', state: 'cancelled' });
  }
  return out;
}

export function annualProcedures(procedures: ProcedureRegistry): Procedure[] {
  return procedures.all().filter((p) => p.purpose === 'skp_annual');
}

export function monthlyProcedures(procedures: ProcedureRegistry): Procedure[] {
  return procedures.all().filter((p) => p.periodKind === 'monthly' && p.purpose !== 'award');
}

export function codeList(procs: readonly Procedure[]): SQL {
  return procs.length === 0 ? sql`(null)` : sql`(${sql.join(procs.map((p) => sql`${p.code}`), sql`, `)})`;
}

export function stateValues(procs: readonly Procedure[]): SQL {
  const rows = skpStateTable(procs);
  if (rows.length === 0) return sql`select null::text as code, null::text as key, null::text as state where false`;
  return sql`values ${sql.join(rows.map((r) => sql`(${r.code}, ${r.key}, ${r.state})`), sql`, `)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Step and event vocabulary

/** "Verifikasi pejabat penilai": what the step is and who does it. */
export function stepLabel(step: Pick<Step, 'action' | 'actor'>): string {
  return `${STEP_NOUNS[step.action]} ${ACTOR_LABELS[step.actor]}`;
}

/** Label of a step of a procedure by code, tolerant of steps a template no longer has. */
export function stepLabelOf(procedures: ProcedureRegistry, code: string, stepNo: number | null): string {
  if (stepNo === null) return '-';
  try {
    const step = procedures.get(code).steps.find((s) => s.no === stepNo);
    return step ? stepLabel(step) : `Langkah ${stepNo}`;
  } catch {
    return `Langkah ${stepNo}`;
  }
}

export function procedureTitleOf(procedures: ProcedureRegistry, code: string): string {
  try {
    return procedures.get(code).title;
  } catch {
    return code;
  }
}

export const EVENT_LABELS: Record<string, string> = {
  start: 'dimulai',
  complete: 'selesai',
  return: 'dikembalikan',
  resubmit: 'diajukan ulang',
  cancel: 'dibatalkan',
  reassign: 'pemegang diganti',
  manual_reminder: 'pengingat manual',
  keberatan_decided: 'keputusan keberatan',
};

export const MONTHLY_STATUS_LABELS = {
  on_time: 'Tepat waktu',
  late: 'Terlambat',
  missing: 'Belum masuk',
} as const;
export type MonthlyStatus = keyof typeof MONTHLY_STATUS_LABELS;

// ---------------------------------------------------------------------------------------------------------
// The recap

export interface MonthlyCounts {
  /** Submitted by the deadline. */
  onTime: number;
  /** Submitted after the deadline (accepted and marked late). */
  late: number;
  /** No submitted realisation (no case, a draft, or a cancelled case). */
  missing: number;
  /** Submitted, then sent back for correction and not yet resubmitted. */
  returned: number;
  /** Rated: the rate step completed and the predikat is set. */
  assessed: number;
}

export interface OverdueSummary {
  count: number;
  oldestEnteredAt: Date | null;
  /** Working minutes the oldest overdue step has been waiting. */
  oldestMinutes: number | null;
}

export interface PdRecap {
  pdId: string;
  pdName: string;
  employees: number;
  linked: number;
  skp: Record<SkpState, number>;
  monthly: MonthlyCounts | null;
  overdue: OverdueSummary;
  predikat: Record<Predikat, number>;
  /** The perangkat daerah's own org rating for the period (or the one given for all), if any. */
  orgRating: OrgRating | null;
  /** Departures from the distribution curve of that org rating; null without one. */
  departures: Array<{ code: string; message: string }> | null;
}

export interface Recap {
  period: ReportPeriod;
  now: Date;
  orgRating: OrgRating | null;
  /** Worst first: lowest share of SKP established (year) or realisation submitted (month). */
  units: PdRecap[];
  total: PdRecap;
}

export interface RecapInput {
  period: ReportPeriod;
  scope: ReportScope;
  now: Date;
  orgRating?: OrgRating | null;
}

const emptySkp = (): Record<SkpState, number> => Object.fromEntries(SKP_STATES.map((s) => [s, 0])) as Record<SkpState, number>;
const emptyPredikat = (): Record<Predikat, number> => Object.fromEntries(PREDIKATS.map((p) => [p, 0])) as Record<Predikat, number>;

/**
 * Epoch milliseconds of a timestamptz as a JS number (the raw driver returns timestamps as text). date_part is
 * float8 arithmetic, twice as fast as extract()'s numeric over 10^6 values; read it back with dateOfMs.
 */
export function epochMs(column: SQL | string): SQL {
  const col = typeof column === 'string' ? sql.raw(column) : column;
  return sql`(date_part('epoch', ${col}) * 1000)`;
}

/** The instant of an epochMs value; rounding undoes float8's last-digit noise (stored times are whole ms). */
export function dateOfMs(ms: unknown): Date {
  return new Date(Math.round(Number(ms)));
}

export function ownSkpCases(deps: ReportDeps, year: number, scope: ReportScope): SQL {
  // One SKP per subject and year: the latest opened, should a perangkat daerah have switched template.
  return sql`select c.id, c.subject_id, c.procedure_code, c.status, c.step_no,
      row_number() over (partition by c.subject_id order by c.created_at desc, c.id desc) as rn
    from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
    where c.period = ${String(year)} and c.procedure_code in ${codeList(annualProcedures(deps.procedures))}
      and e.active and ${scopeCondition(scope)}`;
}

export function ownMonthlyCases(deps: ReportDeps, period: ReportPeriod & { kind: 'periodic' }, scope: ReportScope): SQL {
  return sql`select c.id, c.subject_id, c.status, c.submitted_at, c.late, c.predikat,
      (c.submitted_at is not null and c.status <> 'cancelled') as submitted,
      row_number() over (partition by c.subject_id order by c.created_at desc, c.id desc) as rn
    from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
    where c.period = ${periodKey(period)} and c.procedure_code in ${codeList(monthlyProcedures(deps.procedures))}
      and e.active and ${scopeCondition(scope)}`;
}

/**
 * The predikat per subject a period's figures use: the month's, or for a year the annual evaluation's only. A year
 * without an annual predikat has none ("belum dievaluasi"), never a monthly stand-in.
 */
export function latestPredikat(deps: ReportDeps, period: ReportPeriod, scope: ReportScope): SQL {
  const periodCondition =
    period.kind === 'periodic'
      ? sql`c.period = ${periodKey(period)} and c.procedure_code in ${codeList(monthlyProcedures(deps.procedures))}`
      : sql`c.period = ${String(period.year)} and c.procedure_code in ${codeList(annualEvaluationProcedures(deps.procedures))}`;
  return sql`select c.subject_id, c.predikat,
      row_number() over (partition by c.subject_id order by c.created_at desc) as rn
    from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
    where ${periodCondition} and c.predikat is not null and c.status <> 'cancelled' and e.active and ${scopeCondition(scope)}`;
}

export function overdueCondition(now: Date, c = 'c'): SQL {
  const t = sql.raw(c);
  return sql`${t}.status in ('active', 'returned')
    and (${t}.overdue_at is not null or ${t}.sla_due_at < ${now.toISOString()}::timestamptz)`;
}

export async function buildRecap(deps: ReportDeps, input: RecapInput): Promise<Recap> {
  const { period, scope, now } = input;
  const orgRating = input.orgRating ?? null;
  const db = deps.db;
  const annual = annualProcedures(deps.procedures);

  const employeesQ = db.execute(sql`
    select u.perangkat_daerah_id as pd_id, pd.name as pd_name, count(*)::int as employees,
      count(e.telegram_user_id)::int as linked
    from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
    where e.active and ${scopeCondition(scope)}
    group by 1, 2`);

  const skpQ = db.execute(sql`
    with skp as (${ownSkpCases(deps, period.year, scope)}),
    map(code, key, state) as (${stateValues(annual)})
    select u.perangkat_daerah_id as pd_id,
      case when s.id is null then 'not_started' else coalesce(m.state, 'not_started') end as state,
      count(*)::int as n
    from employees e join units u on u.id = e.unit_id
    left join skp s on s.subject_id = e.id and s.rn = 1
    left join map m on m.code = s.procedure_code
      and m.key = case when s.status = 'active' then s.step_no::text else s.status end
    where e.active and ${scopeCondition(scope)}
    group by 1, 2`);

  const monthlyQ =
    period.kind === 'periodic'
      ? db.execute(sql`
    with mc as (${ownMonthlyCases(deps, period, scope)})
    select u.perangkat_daerah_id as pd_id,
      count(*) filter (where mc.submitted and not mc.late)::int as on_time,
      count(*) filter (where mc.submitted and mc.late)::int as late,
      count(*) filter (where mc.submitted is not true)::int as missing,
      count(*) filter (where mc.status = 'returned')::int as returned,
      count(*) filter (where mc.predikat is not null and mc.status <> 'cancelled')::int as assessed
    from employees e join units u on u.id = e.unit_id
    left join mc on mc.subject_id = e.id and mc.rn = 1
    where e.active and ${scopeCondition(scope)}
    group by 1`)
      : Promise.resolve([]);

  const overdueQ = db.execute(sql`
    select u.perangkat_daerah_id as pd_id, count(*)::int as n, min(${epochMs('c.step_entered_at')}) as oldest_ms
    from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
    where ${casePeriodFilter(period)} and ${overdueCondition(now)} and e.active and ${scopeCondition(scope)}
    group by 1`);

  const predikatQ = db.execute(sql`
    with p as (${latestPredikat(deps, period, scope)})
    select u.perangkat_daerah_id as pd_id, p.predikat, count(*)::int as n
    from p join employees e on e.id = p.subject_id join units u on u.id = e.unit_id
    where p.rn = 1
    group by 1, 2`);

  const [empRows, skpRows, monthlyRows, overdueRows, predikatRows, storedRatings] = await Promise.all([
    employeesQ,
    skpQ,
    monthlyQ,
    overdueQ,
    predikatQ,
    // Each perangkat daerah is checked against its own org rating, unless one is given for all.
    orgRating ? Promise.resolve(new Map<string, OrgRating>()) : orgRatingsOfPeriod(db, periodKey(period)),
  ]);

  const byPd = new Map<string, PdRecap>();
  for (const r of rowsOf<{ pd_id: string; pd_name: string; employees: number; linked: number }>(empRows)) {
    byPd.set(r.pd_id, {
      pdId: r.pd_id,
      pdName: r.pd_name,
      employees: r.employees,
      linked: r.linked,
      skp: emptySkp(),
      // A perangkat daerah evaluated per another kind of period (months in a triwulan recap) has no figures here.
      monthly:
        period.kind === 'periodic' && deps.procedures.periodOf(r.pd_name) === period.period.kind
          ? { onTime: 0, late: 0, missing: r.employees, returned: 0, assessed: 0 }
          : null,
      overdue: { count: 0, oldestEnteredAt: null, oldestMinutes: null },
      predikat: emptyPredikat(),
      orgRating: null,
      departures: null,
    });
  }
  for (const r of rowsOf<{ pd_id: string; state: SkpState; n: number }>(skpRows)) {
    const pd = byPd.get(r.pd_id);
    if (pd) pd.skp[r.state] += r.n;
  }
  for (const r of rowsOf<{ pd_id: string; on_time: number; late: number; missing: number; returned: number; assessed: number }>(monthlyRows)) {
    const pd = byPd.get(r.pd_id);
    if (pd?.monthly) pd.monthly = { onTime: r.on_time, late: r.late, missing: r.missing, returned: r.returned, assessed: r.assessed };
  }
  for (const r of rowsOf<{ pd_id: string; n: number; oldest_ms: number | null }>(overdueRows)) {
    const pd = byPd.get(r.pd_id);
    if (!pd) continue;
    const oldest = r.oldest_ms === null ? null : dateOfMs(r.oldest_ms);
    pd.overdue = { count: r.n, oldestEnteredAt: oldest, oldestMinutes: oldest ? deps.calendar.workingMinutesBetween(oldest, now) : null };
  }
  for (const r of rowsOf<{ pd_id: string; predikat: string; n: number }>(predikatRows)) {
    const pd = byPd.get(r.pd_id);
    if (pd && (PREDIKATS as readonly string[]).includes(r.predikat)) pd.predikat[r.predikat as Predikat] += r.n;
  }

  const units = [...byPd.values()];
  const total = sumRecaps(units, now, deps.calendar, period.kind === 'periodic');
  for (const pd of units) {
    pd.orgRating = orgRating ?? storedRatings.get(pd.pdId) ?? null;
    if (pd.orgRating) pd.departures = checkDistribution(pd.orgRating, pd.predikat);
  }
  if (orgRating) {
    total.orgRating = orgRating;
    total.departures = checkDistribution(orgRating, total.predikat);
  }
  units.sort((a, b) => complianceShare(a, period) - complianceShare(b, period) || a.pdName.localeCompare(b.pdName, 'id'));
  return { period, now, orgRating, units, total };
}

/** The headline share: SKP established or further (year), realisation submitted (month). */
export function complianceShare(pd: PdRecap, period: ReportPeriod): number {
  if (pd.employees === 0) return 1;
  if (period.kind === 'periodic' && pd.monthly) return (pd.monthly.onTime + pd.monthly.late) / pd.employees;
  return (pd.skp.established + pd.skp.forwarded + pd.skp.received) / pd.employees;
}

function sumRecaps(units: PdRecap[], now: Date, calendar: WorkingCalendar, monthly: boolean): PdRecap {
  const total: PdRecap = {
    pdId: '',
    pdName: 'Total',
    employees: 0,
    linked: 0,
    skp: emptySkp(),
    monthly: monthly ? { onTime: 0, late: 0, missing: 0, returned: 0, assessed: 0 } : null,
    overdue: { count: 0, oldestEnteredAt: null, oldestMinutes: null },
    predikat: emptyPredikat(),
    orgRating: null,
    departures: null,
  };
  for (const pd of units) {
    total.employees += pd.employees;
    total.linked += pd.linked;
    for (const s of SKP_STATES) total.skp[s] += pd.skp[s];
    for (const p of PREDIKATS) total.predikat[p] += pd.predikat[p];
    if (total.monthly && pd.monthly) {
      for (const k of ['onTime', 'late', 'missing', 'returned', 'assessed'] as const) total.monthly[k] += pd.monthly[k];
    }
    total.overdue.count += pd.overdue.count;
    const oldest = pd.overdue.oldestEnteredAt;
    if (oldest && (!total.overdue.oldestEnteredAt || oldest < total.overdue.oldestEnteredAt)) {
      total.overdue.oldestEnteredAt = oldest;
    }
  }
  if (total.overdue.oldestEnteredAt) total.overdue.oldestMinutes = calendar.workingMinutesBetween(total.overdue.oldestEnteredAt, now);
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// Employees with their status (drill-down and the Pegawai sheet)

export interface EmployeeStatus {
  id: string;
  nip: string;
  nama: string;
  jabatan: string;
  /** Pangkat/golongan ruang from the roster, when it has one. */
  pangkat: string | null;
  unitPath: string;
  pdId: string;
  pdName: string;
  linked: boolean;
  skpState: SkpState;
  /** For a month: the month's realisation. */
  monthly: MonthlyStatus | null;
  assessed: boolean;
  /** For a year: realisation per month key ('2026-03') that has a case. */
  months: Record<string, MonthlyStatus>;
  predikat: Predikat | null;
  overdueSteps: number;
}

export interface EmployeeStatusInput {
  period: ReportPeriod;
  scope: ReportScope;
  now: Date;
  pdId?: string;
  limit?: number;
  offset?: number;
}

/** Employees in scope with their status, worst first (overdue, missing, not started), then by name. */
export async function employeeStatuses(deps: ReportDeps, input: EmployeeStatusInput): Promise<{ total: number; rows: EmployeeStatus[] }> {
  const { period, now } = input;
  // One perangkat daerah of a wider scope: narrow every aggregate below to it, not only the final list.
  const scope: ReportScope =
    input.pdId && pdInScope(input.scope, input.pdId) && input.scope.kind !== 'reports'
      ? { kind: 'perangkatDaerah', pdIds: [input.pdId] }
      : input.scope;
  const monthly = monthlyProcedures(deps.procedures);
  const pdCondition = input.pdId ? sql`u.perangkat_daerah_id = ${input.pdId}::uuid` : sql`true`;
  const monthlyCte =
    period.kind === 'periodic'
      ? sql`${ownMonthlyCases(deps, period, scope)}`
      : sql`select null::uuid as id, null::uuid as subject_id, null::text as status, null::timestamptz as submitted_at,
          false as late, null::text as predikat, false as submitted, 1::bigint as rn where false`;
  const monthsCte =
    period.kind === 'year'
      ? sql`select c.subject_id, jsonb_object_agg(c.period,
            case when c.submitted_at is null or c.status = 'cancelled' then 'missing' when c.late then 'late' else 'on_time' end) as months
          from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
          where c.period like ${`${period.year}-%`} and c.procedure_code in ${codeList(monthly)}
            and e.active and ${scopeCondition(scope)}
          group by c.subject_id`
      : sql`select null::uuid as subject_id, null::jsonb as months where false`;
  const page = input.limit !== undefined ? sql`limit ${input.limit} offset ${input.offset ?? 0}` : sql``;
  const rows = rowsOf<{
    id: string;
    nip: string;
    nama: string;
    jabatan: string;
    pangkat: string | null;
    unit_path: string;
    pd_id: string;
    pd_name: string;
    linked: boolean;
    skp_state: SkpState;
    submitted: boolean | null;
    late: boolean | null;
    predikat: string | null;
    months: Record<string, MonthlyStatus> | string | null;
    overdue: number;
    total: number;
  }>(
    await deps.db.execute(sql`
      with skp as (${ownSkpCases(deps, period.year, scope)}),
      map(code, key, state) as (${stateValues(annualProcedures(deps.procedures))}),
      mc as (${monthlyCte}),
      months as (${monthsCte}),
      pr as (${latestPredikat(deps, period, scope)}),
      od as (
        select c.subject_id, count(*)::int as n from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
        where ${casePeriodFilter(period)} and ${overdueCondition(now)} and e.active and ${scopeCondition(scope)}
        group by c.subject_id
      ),
      rowset as (
        select e.id, e.nip, e.nama, e.jabatan, e.pangkat, u.path as unit_path, u.perangkat_daerah_id as pd_id, pd.name as pd_name,
          e.telegram_user_id is not null as linked,
          case when s.id is null then 'not_started' else coalesce(m.state, 'not_started') end as skp_state,
          mc.submitted, mc.late, pr.predikat, months.months, coalesce(od.n, 0) as overdue
        from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
        left join skp s on s.subject_id = e.id and s.rn = 1
        left join map m on m.code = s.procedure_code
          and m.key = case when s.status = 'active' then s.step_no::text else s.status end
        left join mc on mc.subject_id = e.id and mc.rn = 1
        left join months on months.subject_id = e.id
        left join pr on pr.subject_id = e.id and pr.rn = 1
        left join od on od.subject_id = e.id
        where e.active and ${scopeCondition(scope)} and ${pdCondition}
      )
      select *, count(*) over ()::int as total from rowset
      order by pd_name, (overdue > 0) desc, ${period.kind === 'periodic' ? sql`(submitted is not true) desc,` : sql``}
        (skp_state = 'not_started') desc, nama, nip
      ${page}`),
  );
  const monthlyOf = (submitted: boolean | null, late: boolean | null): MonthlyStatus =>
    submitted ? (late ? 'late' : 'on_time') : 'missing';
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map((r) => ({
      id: r.id,
      nip: r.nip,
      nama: r.nama,
      jabatan: r.jabatan,
      pangkat: r.pangkat,
      unitPath: r.unit_path,
      pdId: r.pd_id,
      pdName: r.pd_name,
      linked: r.linked,
      skpState: r.skp_state,
      monthly: period.kind === 'periodic' ? monthlyOf(r.submitted, r.late) : null,
      assessed: period.kind === 'periodic' && r.predikat !== null,
      months: typeof r.months === 'string' ? (JSON.parse(r.months) as Record<string, MonthlyStatus>) : (r.months ?? {}),
      predikat: (r.predikat as Predikat | null) ?? null,
      overdueSteps: r.overdue,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Overdue steps

export interface OverdueStep {
  caseId: string;
  version: number;
  procedureCode: string;
  period: string;
  stepNo: number;
  status: 'active' | 'returned';
  stepLabel: string;
  subjectId: string;
  subjectNama: string;
  subjectNip: string;
  pdName: string;
  holderId: string | null;
  holderNama: string | null;
  holderLinked: boolean;
  /** The holder blocked the bot or never started it (Telegram refused the last message). */
  holderUnreachable: boolean;
  /** Names of those the step's SLA messages could not reach (each had a stand-in told instead). */
  notReached: string[];
  enteredAt: Date;
  slaDueAt: Date | null;
  overdueAt: Date | null;
  /** Working minutes since the step was entered. */
  ageMinutes: number;
  /** Working minutes past the SLA due time (0 when only marked overdue). */
  overMinutes: number;
}

export interface OverdueInput {
  scope: ReportScope;
  now: Date;
  /** Limit to the cases of a period; all open cases when absent. */
  period?: ReportPeriod;
  limit?: number;
  offset?: number;
}

/** Every open step past its SLA (or marked overdue), oldest first. */
export async function overdueSteps(deps: ReportDeps, input: OverdueInput): Promise<{ total: number; rows: OverdueStep[] }> {
  const rows = rowsOf<OverdueRow>(await deps.db.execute(overdueQuery(input)));
  return { total: rows[0]?.total ?? 0, rows: rows.map((r) => overdueStepOf(deps, input.now, r)) };
}

/** The same steps in batches of about `batchSize` (a cursor), for an export of 10^5 employees' year. */
export async function* overdueStepBatches(deps: ReportDeps, input: OverdueInput, batchSize: number): AsyncGenerator<OverdueStep[]> {
  for await (const rows of rowBatches<OverdueRow>(deps.db, overdueQuery(input), batchSize)) yield rows.map((r) => overdueStepOf(deps, input.now, r));
}

interface OverdueRow {
  id: string;
  version: number;
  procedure_code: string;
  period: string;
  step_no: number;
  status: 'active' | 'returned';
  entered_ms: number;
  due_ms: number | null;
  overdue_ms: number | null;
  subject_id: string;
  subject_nama: string;
  subject_nip: string;
  pd_name: string;
  holder_id: string | null;
  holder_nama: string | null;
  holder_linked: boolean | null;
  holder_unreachable: boolean | null;
  not_reached: string[] | null;
  total: number;
}

function overdueQuery(input: OverdueInput): SQL {
  const { scope, now } = input;
  const periodCondition = input.period ? casePeriodFilter(input.period) : sql`true`;
  const page = input.limit !== undefined ? sql`limit ${input.limit} offset ${input.offset ?? 0}` : sql``;
  return sql`
      select c.id, c.version, c.procedure_code, c.period, c.step_no, c.status,
        ${epochMs('c.step_entered_at')} as entered_ms, ${epochMs('c.sla_due_at')} as due_ms, ${epochMs('c.overdue_at')} as overdue_ms,
        e.id as subject_id, e.nama as subject_nama, e.nip as subject_nip, pd.name as pd_name,
        h.id as holder_id, h.nama as holder_nama, h.telegram_chat_id is not null as holder_linked,
        h.unreachable_at is not null as holder_unreachable, nr.names as not_reached,
        count(*) over ()::int as total
      from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
      join units pd on pd.id = u.perangkat_daerah_id
      left join employees h on h.id = c.assignee_id
      left join lateral (
        select json_agg(x.nama order by x.nama) as names from employees x
        where x.id::text in (
          select jsonb_array_elements_text(ev.data->'notReached') from case_events ev
          where ev.case_id = c.id and ev.action in ('sla_reminder', 'sla_overdue', 'sla_escalation')
            and (ev.data->>'version')::int = c.version)
      ) nr on true
      where ${overdueCondition(now)} and ${periodCondition} and e.active and ${scopeCondition(scope)}
      order by c.step_entered_at, c.id
      ${page}`;
}

function overdueStepOf(deps: ReportDeps, now: Date, r: OverdueRow): OverdueStep {
  const enteredAt = dateOfMs(r.entered_ms);
  const slaDueAt = r.due_ms === null ? null : dateOfMs(r.due_ms);
  const overdueAt = r.overdue_ms === null ? null : dateOfMs(r.overdue_ms);
  const overSince = slaDueAt ?? overdueAt;
  return {
    caseId: r.id,
    version: r.version,
    procedureCode: r.procedure_code,
    period: r.period,
    stepNo: r.step_no,
    status: r.status,
    stepLabel: stepLabelOf(deps.procedures, r.procedure_code, r.step_no),
    subjectId: r.subject_id,
    subjectNama: r.subject_nama,
    subjectNip: r.subject_nip,
    pdName: r.pd_name,
    holderId: r.holder_id,
    holderNama: r.holder_nama,
    holderLinked: r.holder_linked === true,
    holderUnreachable: r.holder_unreachable === true,
    notReached: r.not_reached ?? [],
    enteredAt,
    slaDueAt,
    overdueAt,
    ageMinutes: deps.calendar.workingMinutesBetween(enteredAt, now),
    overMinutes: overSince ? deps.calendar.workingMinutesBetween(overSince, now) : 0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Case logs

export interface CaseLogEvent {
  id: number;
  at: Date;
  action: string;
  fromStepNo: number | null;
  toStepNo: number | null;
  revision: number;
  actorNama: string | null;
  onBehalf: boolean;
  comment: string | null;
}

export interface CaseLog {
  caseId: string;
  procedureCode: string;
  procedureTitle: string;
  period: string;
  status: string;
  stepNo: number;
  stepLabel: string;
  subjectId: string;
  subjectNama: string;
  holderNama: string | null;
  skpState: SkpState | null;
  predikat: Predikat | null;
  late: boolean;
  events: CaseLogEvent[];
  /** Events left out because of `maxEvents` (the oldest are dropped). */
  omitted: number;
}

/**
 * The cases of one employee for a period (the year's SKP, plus the month's case for a month) with their
 * event logs; two statements whatever the number of cases.
 */
export async function employeeCaseLogs(
  deps: ReportDeps,
  input: { employeeId: string; period: ReportPeriod; maxEvents?: number },
): Promise<CaseLog[]> {
  const keys = input.period.kind === 'year' ? [String(input.period.year)] : [String(input.period.year), periodKey(input.period)];
  const caseRows = rowsOf<{
    id: string;
    procedure_code: string;
    period: string;
    status: string;
    step_no: number;
    subject_id: string;
    subject_nama: string;
    holder_nama: string | null;
    predikat: string | null;
    late: boolean;
  }>(
    await deps.db.execute(sql`
      select c.id, c.procedure_code, c.period, c.status, c.step_no, c.subject_id, s.nama as subject_nama,
        h.nama as holder_nama, c.predikat, c.late
      from cases c join employees s on s.id = c.subject_id left join employees h on h.id = c.assignee_id
      where c.subject_id = ${input.employeeId}::uuid and c.period in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})
      order by c.period, c.created_at`),
  );
  if (caseRows.length === 0) return [];
  const max = input.maxEvents ?? 1000;
  const eventRows = rowsOf<{
    id: number;
    case_id: string;
    at_ms: number;
    action: string;
    from_step_no: number | null;
    to_step_no: number | null;
    revision: number;
    actor_nama: string | null;
    on_behalf: boolean;
    comment: string | null;
    newer: number;
    total: number;
  }>(
    await deps.db.execute(sql`
      select * from (
        select ev.id, ev.case_id, ${epochMs('ev.at')} as at_ms, ev.action, ev.from_step_no, ev.to_step_no, ev.revision,
          a.nama as actor_nama, ev.on_behalf, ev.comment,
          row_number() over (partition by ev.case_id order by ev.id desc)::int as newer,
          count(*) over (partition by ev.case_id)::int as total
        from case_events ev left join employees a on a.id = ev.actor_id
        where ev.case_id in (${sql.join(caseRows.map((c) => sql`${c.id}::uuid`), sql`, `)})
      ) x where newer <= ${max}
      order by case_id, id`),
  );
  const annualCodes = new Set(annualProcedures(deps.procedures).map((p) => p.code));
  return caseRows.map((c) => {
    const events = eventRows.filter((e) => e.case_id === c.id);
    let skpState: SkpState | null = null;
    if (annualCodes.has(c.procedure_code)) {
      const proc = deps.procedures.get(c.procedure_code);
      const step = proc.steps.find((s) => s.no === c.step_no);
      skpState =
        c.status === 'completed'
          ? skpStateWhenCompleted(proc)
          : c.status === 'returned' || c.status === 'cancelled'
            ? c.status
            : step
              ? skpStateOfStep(proc, step)
              : null;
    }
    return {
      caseId: c.id,
      procedureCode: c.procedure_code,
      procedureTitle: procedureTitleOf(deps.procedures, c.procedure_code),
      period: c.period,
      status: c.status,
      stepNo: c.step_no,
      stepLabel: stepLabelOf(deps.procedures, c.procedure_code, c.step_no),
      subjectId: c.subject_id,
      subjectNama: c.subject_nama,
      holderNama: c.holder_nama,
      skpState,
      predikat: (c.predikat as Predikat | null) ?? null,
      late: c.late,
      events: events.map((e) => ({
        id: Number(e.id),
        at: dateOfMs(e.at_ms),
        action: e.action,
        fromStepNo: e.from_step_no,
        toStepNo: e.to_step_no,
        revision: e.revision,
        actorNama: e.actor_nama,
        onBehalf: e.on_behalf,
        comment: e.comment,
      })),
      omitted: Math.max(0, (events[0]?.total ?? 0) - events.length),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Manual reminder ("Ingatkan")

export interface ReminderInfo {
  caseId: string;
  procedureTitle: string;
  period: string;
  stepLabel: string;
  uraian: string;
  subjectNama: string;
  holderId: string;
  holderNama: string;
  holderChatId: number;
  /** The step is the subject's own (a draft or a correction), not someone else's decision. */
  holderIsSubject: boolean;
  enteredAt: Date;
  slaDueAt: Date | null;
  waitingMinutes: number;
  actorNama: string;
}

export type ReminderResult =
  | { ok: true; holderNama: string }
  | { ok: false; reason: 'not_found' | 'not_in_scope' | 'stale' | 'closed' | 'no_holder' | 'not_linked' | 'already_today' | 'unreachable'; holderNama?: string };

export interface ReminderInput {
  caseId: string;
  /** The version the button was made for: a step that moved on needs no reminder. */
  version: number;
  actor: EmployeeProfile;
  scope: ReportScope;
  now: Date;
  /** Sends the text to the holder: 'unreachable' when Telegram says they cannot be reached (blocked, never started). */
  send: (info: ReminderInfo) => Promise<'sent' | 'unreachable'>;
}

class ReminderRollback extends Error {
  constructor(readonly result: ReminderResult) {
    super(result.ok ? 'ok' : result.reason);
  }
}

/**
 * Sends a reminder to whoever holds an overdue step, right now, and logs it as a case event by the actor.
 * One reminder per step version and holder a day (a double tap sends once). The claim, the send and the event
 * commit together: a failed send leaves no trace but the error.
 */
export async function sendManualReminder(deps: ReportDeps, input: ReminderInput): Promise<ReminderResult> {
  const { now } = input;
  let unreachableId: string | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = rowsOf<{
        id: string;
        version: number;
        status: string;
        procedure_code: string;
        period: string;
        step_no: number;
        revision: number;
        entered_ms: number;
        due_ms: number | null;
        subject_id: string;
        subject_nama: string;
        in_scope: boolean;
        holder_id: string | null;
        holder_nama: string | null;
        holder_chat: string | number | null;
        holder_active: boolean | null;
      }>(
        await tx.execute(sql`
          select c.id, c.version, c.status, c.procedure_code, c.period, c.step_no, c.revision,
            ${epochMs('c.step_entered_at')} as entered_ms, ${epochMs('c.sla_due_at')} as due_ms,
            e.id as subject_id, e.nama as subject_nama, ${scopeCondition(input.scope)} as in_scope,
            h.id as holder_id, h.nama as holder_nama, h.telegram_chat_id as holder_chat, h.active as holder_active
          from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
          left join employees h on h.id = c.assignee_id
          where c.id = ${input.caseId}::uuid
          for update of c`),
      );
      if (!row) return { ok: false, reason: 'not_found' } as const;
      if (!row.in_scope) return { ok: false, reason: 'not_in_scope' } as const;
      if (row.status !== 'active' && row.status !== 'returned') return { ok: false, reason: 'closed' } as const;
      if (row.version !== input.version) return { ok: false, reason: 'stale' } as const;
      if (!row.holder_id || !row.holder_nama || row.holder_active === false) return { ok: false, reason: 'no_holder' } as const;
      if (row.holder_chat === null) return { ok: false, reason: 'not_linked', holderNama: row.holder_nama } as const;

      const runKey = `${row.id}:v${row.version}:${deps.calendar.localDate(now)}`;
      const claimed = await tx
        .insert(reminderLog)
        .values({ kind: 'manual_reminder', runKey, employeeId: row.holder_id, caseId: row.id, sentAt: now })
        .onConflictDoNothing()
        .returning({ runKey: reminderLog.runKey });
      if (claimed.length === 0) return { ok: false, reason: 'already_today', holderNama: row.holder_nama } as const;

      const proc = (() => {
        try {
          return deps.procedures.get(row.procedure_code);
        } catch {
          return null;
        }
      })();
      const step = proc?.steps.find((s) => s.no === row.step_no);
      const enteredAt = dateOfMs(row.entered_ms);
      const info: ReminderInfo = {
        caseId: row.id,
        procedureTitle: proc?.title ?? row.procedure_code,
        period: row.period,
        stepLabel: step ? stepLabel(step) : `Langkah ${row.step_no}`,
        uraian: step?.uraian ?? '',
        subjectNama: row.subject_nama,
        holderId: row.holder_id,
        holderNama: row.holder_nama,
        holderChatId: Number(row.holder_chat),
        holderIsSubject: row.holder_id === row.subject_id,
        enteredAt,
        slaDueAt: row.due_ms === null ? null : dateOfMs(row.due_ms),
        waitingMinutes: deps.calendar.workingMinutesBetween(enteredAt, now),
        actorNama: input.actor.nama,
      };
      if ((await input.send(info)) === 'unreachable') {
        unreachableId = row.holder_id;
        throw new ReminderRollback({ ok: false, reason: 'unreachable', holderNama: row.holder_nama });
      }
      await tx.insert(caseEvents).values({
        caseId: row.id,
        at: now,
        actorId: input.actor.id,
        action: 'manual_reminder',
        fromStepNo: row.step_no,
        toStepNo: row.step_no,
        revision: row.revision,
        comment: null,
        data: { to: row.holder_id, version: row.version },
      });
      return { ok: true, holderNama: row.holder_nama } as const;
    });
  } catch (error) {
    if (!(error instanceof ReminderRollback)) throw error;
    if (unreachableId) {
      await deps.db.execute(
        sql`update employees set unreachable_at = ${now.toISOString()}::timestamptz where id = ${unreachableId}::uuid`,
      );
    }
    return error.result;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Perangkat daerah names (for titles)

export async function perangkatDaerahName(deps: Pick<ReportDeps, 'db'>, pdId: string): Promise<string | null> {
  const [row] = rowsOf<{ name: string }>(
    await deps.db.execute(sql`select name from units where id = ${pdId}::uuid and depth = 0`),
  );
  return row?.name ?? null;
}

/** Whether a perangkat daerah lies inside a scope (used to narrow a query, not to decide access). */
export function pdInScope(scope: ReportScope, pdId: string): boolean {
  return scope.kind !== 'perangkatDaerah' || scope.pdIds.includes(pdId);
}

