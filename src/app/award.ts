// ASN Berprestasi nominations (seed 004, BKPPD Balangan): the pengelola kepegawaian of a perangkat daerah proposes
// an employee of that PD for the year. One nomination per employee per year; the case's subject is the nominee,
// and the pengelola who opens it holds its first step (the proposal).
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { findEmployeeByNip, type EmployeeProfile } from './repositories/employees.js';
import { cases, employees, units } from '../db/schema/index.js';
import { DomainError } from '../domain/errors.js';
import { parseNip } from '../domain/nip.js';
import type { AccessPolicy, AccessScope } from './access-policy.js';
import { openCase, type CaseRow, type EngineDeps } from './case-engine.js';

export const AWARD_PROCEDURE = 'asn-berprestasi';

/** The year a nomination opened now belongs to: the agency-local calendar year. */
export function awardYear(deps: Pick<EngineDeps, 'calendar'>, now: Date): string {
  return deps.calendar.localDate(now).slice(0, 4);
}

/**
 * Opens the nomination of the employee with NIP `nipInput` for this year, or finds the one already open.
 * Throws AccessDenied (the policy: only the pengelola of the nominee's perangkat daerah), DomainError NIP_INVALID,
 * EMPLOYEE_NOT_FOUND, EMPLOYEE_INACTIVE or SELF_NOMINATION.
 */
export async function nominate(
  deps: EngineDeps & { access: Pick<AccessPolicy, 'require'> },
  input: { nominator: EmployeeProfile; nipInput: string; now: Date },
): Promise<{ case: CaseRow; nominee: EmployeeProfile; created: boolean }> {
  await deps.access.require(input.nominator, 'nominate');
  const nip = parseNip(input.nipInput, input.now);
  if (!nip.ok) throw new DomainError('NIP_INVALID', nip.reason, { reason: nip.reason });
  const nominee = await findEmployeeByNip(deps.db, nip.nip);
  if (!nominee) throw new DomainError('EMPLOYEE_NOT_FOUND', undefined, { nip: nip.nip });
  await deps.access.require(input.nominator, 'nominate', { kind: 'employee', employeeId: nominee.id });
  if (!nominee.active) throw new DomainError('EMPLOYEE_INACTIVE');
  if (nominee.id === input.nominator.id) throw new DomainError('SELF_NOMINATION');
  const opened = await openCase(deps, {
    procedureCode: AWARD_PROCEDURE,
    subjectId: nominee.id,
    period: awardYear(deps, input.now),
    actorId: input.nominator.id,
    now: input.now,
  });
  return { case: opened.case, nominee, created: opened.created };
}

/** The year's nominations within a scope from the access policy ('nominations'), by nominee name. */
export async function nominationsOf(db: Db, scope: AccessScope, year: string) {
  if (scope.kind !== 'all' && scope.kind !== 'perangkatDaerah') return [];
  const perangkatDaerahIds = scope.kind === 'perangkatDaerah' ? scope.pdIds : null;
  return db
    .select({ case: cases, nama: employees.nama, nip: employees.nip, unitPath: units.path })
    .from(cases)
    .innerJoin(employees, eq(employees.id, cases.subjectId))
    .innerJoin(units, eq(units.id, employees.unitId))
    .where(
      and(
        eq(cases.procedureCode, AWARD_PROCEDURE),
        eq(cases.period, year),
        perangkatDaerahIds ? inArray(units.perangkatDaerahId, perangkatDaerahIds) : undefined,
      ),
    )
    .orderBy(asc(employees.nama));
}
