// The recap: SKP states, monthly realisation, overdue steps and predikat per perangkat daerah and in total.
// A fixed handful of set-based statements, so a recap of ~10k employees stays within a couple of seconds.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import type { WorkingCalendar } from '../../domain/calendar.js';
import { SKP_STATES, type SkpState } from '../../domain/vocabulary.js';
import { checkDistribution, PREDIKATS, type OrgRating, type Predikat } from '../../domain/predikat.js';
import { orgRatingsOfPeriod } from '../annual-evaluation.js';
import { periodKey, casePeriodFilter, scopeCondition } from './scope.js';
import type { ReportDeps, ReportPeriod, ReportScope } from './scope.js';
import { annualProcedures, stateValues } from './vocabulary.js';
import { epochMs, dateOfMs, ownSkpCases, ownMonthlyCases, latestPredikat, overdueCondition } from './case-queries.js';

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
