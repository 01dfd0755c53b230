// What a report covers: its period, and which employees (the viewer's scope) it may count.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import type { EmployeeProfile } from '../repositories/employees.js';
import { accessSubjectOf, scopeOf as accessScopeOf } from '../../domain/access.js';
import type { WorkingCalendar } from '../../domain/calendar.js';
import {
  parsePeriod as parsePeriodOf,
  periodContaining,
  periodKey as periodKeyOf,
  periodLabel as periodLabelOf,
  previousPeriod,
  type Period,
  type PeriodicKind,
} from '../../domain/period.js';
import type { ProcedureRegistry } from '../procedures.js';

export interface ReportDeps {
  db: Db;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
}


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
export function casePeriodFilter(p: ReportPeriod, col: SQL = sql.raw('c.period')): SQL {
  if (p.kind === 'year') return sql`(${col} = ${String(p.year)} or ${col} like ${`${p.year}-%`})`;
  // A month also shows the year's SKP case: its steps are just as overdue in March as in January.
  return sql`${col} in (${String(p.year)}, ${periodKey(p)})`;
}


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


export async function perangkatDaerahName(deps: Pick<ReportDeps, 'db'>, pdId: string): Promise<string | null> {
  const [row] = rowsOf<{ name: string }>(
    await deps.db.execute(sql`select name from units where id = ${pdId}::uuid and depth = 0`),
  );
  return row?.name ?? null;
}

/** The perangkat daerah a scope covers, by name (none for an atasan's direct reports). */
export async function perangkatDaerahOfScope(deps: Pick<ReportDeps, 'db'>, scope: ReportScope): Promise<Array<{ id: string; name: string }>> {
  if (scope.kind === 'reports' || (scope.kind === 'perangkatDaerah' && scope.pdIds.length === 0)) return [];
  const only = scope.kind === 'perangkatDaerah' ? sql`and id in (${sql.join(scope.pdIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``;
  return rowsOf<{ id: string; name: string }>(await deps.db.execute(sql`select id, name from units where depth = 0 ${only} order by name`));
}

/** Whether a perangkat daerah lies inside a scope (used to narrow a query, not to decide access). */
export function pdInScope(scope: ReportScope, pdId: string): boolean {
  return scope.kind !== 'perangkatDaerah' || scope.pdIds.includes(pdId);
}
