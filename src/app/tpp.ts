// TPP facts per employee per month, for the region's finance team: SKP established, the month's realisation,
// rated, predikat, an objection pending. No rule is applied: each region's Perkada decides what the facts mean
// for the allowance (domain.md §10).
import { sql, type SQL } from 'drizzle-orm';
import { rowBatches, rowsOf } from '../db/client.js';
import { periodKeysContaining, periodMonths } from '../domain/period.js';
import type { Predikat } from '../domain/predikat.js';
import { KEBERATAN_PROCEDURE } from '../domain/templates/keberatan.js';
import {
  annualProcedures,
  codeList,
  dateOfMs,
  monthlyProcedures,
  ownSkpCases,
  scopeCondition,
  stateValues,
  type MonthlyStatus,
  type ReportDeps,
  type ReportPeriod,
  type ReportScope,
} from './reports.js';

/** SKP states that mean "established" (ditetapkan) or later. */
export const SKP_ESTABLISHED_STATES = ['established', 'forwarded', 'received'] as const;

export interface TppFact {
  nip: string;
  nama: string;
  pdName: string;
  /** '2026-03' */
  month: string;
  skpEstablished: boolean;
  /** When the SKP reached its established state (the latest time it did); null when not established. */
  skpEstablishedAt: Date | null;
  realisasi: MonthlyStatus;
  rated: boolean;
  predikat: Predikat | null;
  keberatanPending: boolean;
}

/**
 * The months a period covers up to the agency-local month of `now`: a month export its month, a triwulan or
 * semester export its months, a year export each month from January (later months have no facts yet).
 */
export function tppMonths(period: ReportPeriod, currentMonth: string): string[] {
  const keys = period.kind === 'periodic' ? periodMonths(period.period) : Array.from({ length: 12 }, (_, i) => `${period.year}-${String(i + 1).padStart(2, '0')}`);
  return keys.filter((k) => k <= currentMonth);
}

interface TppRow {
  nip: string;
  nama: string;
  pd_name: string;
  month: string;
  established: boolean;
  established_at: unknown;
  submitted: boolean | null;
  late: boolean | null;
  predikat: string | null;
  keberatan: boolean;
}

type TppInput = { period: ReportPeriod; scope: ReportScope; now: Date };

/** One row per active employee in scope and month, by perangkat daerah, name, NIP and month. */
export async function tppFacts(deps: ReportDeps, input: TppInput): Promise<TppFact[]> {
  const query = tppQuery(deps, input);
  return query ? rowsOf<TppRow>(await deps.db.execute(query)).map(tppFactOf) : [];
}

/** The same facts in batches of about `batchSize` (a cursor): a year at 10^5 employees is 10^6 rows. */
export async function* tppFactBatches(deps: ReportDeps, input: TppInput, batchSize: number): AsyncGenerator<TppFact[]> {
  const query = tppQuery(deps, input);
  if (!query) return;
  for await (const rows of rowBatches<TppRow>(deps.db, query, batchSize)) yield rows.map(tppFactOf);
}

function tppQuery(deps: ReportDeps, input: TppInput): SQL | null {
  const months = tppMonths(input.period, deps.calendar.localDate(input.now).slice(0, 7));
  if (months.length === 0) return null;
  const { scope } = input;
  return sql`
      -- Each month with the keys of the periods that cover it: a month reads the predikat of its month, triwulan or
      -- semester, whichever the employee's perangkat daerah evaluates by.
      with months(month, keys) as (values ${sql.join(months.map((m) => sql`(${m}, ${coveringKeys(m)}::text[])`), sql`, `)}),
      month_keys(month, key) as (select month, unnest(keys) from months),
      skp as (${ownSkpCases(deps, input.period.year, scope)}),
      map(code, key, state) as (${stateValues(annualProcedures(deps.procedures))}),
      -- Each subject's latest SKP (rn = 1) by distinct on rather than a filter on rn: PostgreSQL cannot estimate
      -- rn = 1 (it guessed 0.5 % of the rows), and with ~400 rows expected instead of 10^5 it scanned this CTE once
      -- per employee (10^10 comparisons at 10^5 employees: the year export's TPP sheet took over ten minutes).
      skp_state as (
        select distinct on (s.subject_id) s.subject_id, s.id, m.state from skp s
        left join map m on m.code = s.procedure_code and m.key = case when s.status = 'active' then s.step_no::text else s.status end
        order by s.subject_id, s.rn
      ),
      established as (
        select st.subject_id, (date_part('epoch', max(ev.at)) * 1000) as at_ms from skp_state st
        join cases c on c.id = st.id
        join case_events ev on ev.case_id = st.id and ev.action in ('complete', 'resubmit')
        join map m on m.code = c.procedure_code and m.key = coalesce(ev.to_step_no::text, 'completed')
        join map mf on mf.code = c.procedure_code and mf.key = ev.from_step_no::text
        -- The latest move into an established state from a state before it (after a return, the re-establishment).
        where st.state in ${codeListOf(SKP_ESTABLISHED_STATES)} and m.state in ${codeListOf(SKP_ESTABLISHED_STATES)}
          and mf.state not in ${codeListOf(SKP_ESTABLISHED_STATES)}
        group by st.subject_id
      ),
      -- Per subject and month the case that counts: the month's own, else the triwulan's or semester's covering
      -- it; of a period with several cases the latest. One sorted pass over the year's monthly cases (distinct on):
      -- a lateral look-up per employee and month cost ~25 s at 10^5 employees.
      mc as (
        select distinct on (c.subject_id, m.month) c.subject_id, m.month,
          (c.submitted_at is not null and c.status <> 'cancelled') as submitted, c.late,
          case when c.status <> 'cancelled' then c.predikat end as predikat
        from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
        join month_keys m on m.key = c.period
        where c.procedure_code in ${codeList(monthlyProcedures(deps.procedures))}
          and e.active and ${scopeCondition(scope)}
        order by c.subject_id, m.month, c.period = m.month desc, c.period, c.created_at desc, c.id desc
      ),
      kb as (
        select distinct c.subject_id, m.month from cases c join month_keys m on m.key = c.period
        where c.procedure_code = ${KEBERATAN_PROCEDURE} and c.status in ('active', 'returned')
      )
      select e.nip, e.nama, pd.name as pd_name, months.month,
        coalesce(st.state in ${codeListOf(SKP_ESTABLISHED_STATES)}, false) as established, est.at_ms as established_at,
        mc.submitted, mc.late, mc.predikat, (kbm.subject_id is not null) as keberatan
      from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      cross join months
      left join skp_state st on st.subject_id = e.id
      left join established est on est.subject_id = e.id
      -- Should a unit have changed its period during the year, the month's own case wins over a longer period's.
      left join mc on mc.subject_id = e.id and mc.month = months.month
      left join kb kbm on kbm.subject_id = e.id and kbm.month = months.month
      where e.active and ${scopeCondition(scope)}
      order by pd.name, e.nama, e.nip, months.month`;
}

function tppFactOf(r: TppRow): TppFact {
  return {
    nip: r.nip,
    nama: r.nama,
    pdName: r.pd_name,
    month: r.month,
    skpEstablished: r.established,
    skpEstablishedAt: r.established && r.established_at !== null ? dateOfMs(r.established_at) : null,
    realisasi: r.submitted ? (r.late ? 'late' : 'on_time') : 'missing',
    rated: r.predikat !== null,
    predikat: (r.predikat as Predikat | null) ?? null,
    keberatanPending: r.keberatan,
  };
}

/** The keys of every period containing a month, as a Postgres array literal. */
const coveringKeys = (month: string) => `{${periodKeysContaining(month).join(',')}}`;

function codeListOf(values: readonly string[]) {
  return sql`(${sql.join(values.map((v) => sql`${v}`), sql`, `)})`;
}
