// The SQL the read models build on: each subject's own SKP and monthly cases, the predikat counted, overdue, and
// timestamps as epoch milliseconds. Set-based, never a query per employee or per perangkat daerah.
import { sql, type SQL } from 'drizzle-orm';
import { annualEvaluationProcedures } from '../annual-evaluation.js';
import { periodKey, scopeCondition } from './scope.js';
import type { ReportDeps, ReportPeriod, ReportScope } from './scope.js';
import { annualProcedures, monthlyProcedures, codeList } from './vocabulary.js';

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
