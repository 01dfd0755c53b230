// Employees with their status: the recap's drill-down and the export's Pegawai sheet.
import { sql, type SQL } from 'drizzle-orm';
import { rowBatches, rowsOf } from '../../db/client.js';
import { type SkpState } from '../../domain/vocabulary.js';
import { type Predikat } from '../../domain/predikat.js';
import { casePeriodFilter, scopeCondition, pdInScope } from './scope.js';
import type { ReportDeps, ReportPeriod, ReportScope } from './scope.js';
import { annualProcedures, monthlyProcedures, codeList, stateValues } from './vocabulary.js';
import type { MonthlyStatus } from './vocabulary.js';
import { ownSkpCases, ownMonthlyCases, latestPredikat, overdueCondition } from './case-queries.js';

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

interface StatusRow {
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
}

/** The statement behind employeeStatuses, in its order. */
function statusQuery(deps: ReportDeps, input: EmployeeStatusInput): SQL {
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
  return sql`
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
      ${page}`;
}

/** One row of the statement as an EmployeeStatus. */
function statusOf(period: ReportPeriod): (r: StatusRow) => EmployeeStatus {
  const monthlyOf = (submitted: boolean | null, late: boolean | null): MonthlyStatus =>
    submitted ? (late ? 'late' : 'on_time') : 'missing';
  return (r) => ({
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
  });
}

/** Employees in scope with their status, worst first (overdue, missing, not started), then by name. */
export async function employeeStatuses(deps: ReportDeps, input: EmployeeStatusInput): Promise<{ total: number; rows: EmployeeStatus[] }> {
  const rows = rowsOf<StatusRow>(await deps.db.execute(statusQuery(deps, input)));
  return { total: rows[0]?.total ?? 0, rows: rows.map(statusOf(input.period)) };
}

/**
 * The same employees in batches of about `batchSize` (a cursor): the export's Pegawai sheet, where a perangkat
 * daerah of 10^5 employees' agency is ~7,000 rows, whose objects held at once outlive the young generation.
 */
export async function* employeeStatusBatches(deps: ReportDeps, input: EmployeeStatusInput, batchSize: number): AsyncGenerator<EmployeeStatus[]> {
  const status = statusOf(input.period);
  for await (const rows of rowBatches<StatusRow>(deps.db, statusQuery(deps, input), batchSize)) yield rows.map(status);
}
