// The access policy: decides every read and action of an employee on a target, and logs each refusal.
//
// The rules are the table in src/domain/access.ts; this module finds which relations hold between the acting
// employee and a target (a case, an employee, a perangkat daerah), each relation written once as SQL, so a single
// check and a list query ("the cases I may print") apply the same rule.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import {
  accessSubjectOf,
  decide,
  GRANTS,
  mayEver,
  reachOf,
  scopeOf,
  type AccessScope,
  type AccessSubject,
  type Decision,
  type Operation,
  type Refusal,
  type Relation,
} from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import type { StepActor } from '../domain/procedure.js';
import type { Logger } from '../logger.js';
import { heldAsPlhSql } from './delegation.js';
import type { ProcedureRegistry } from './procedures.js';
import type { CaseHead } from './tasks.js';

export { accessSubjectOf, type AccessScope, type Decision, type Operation, type Refusal, type Relation } from '../domain/access.js';

export type AccessTarget =
  | { kind: 'case'; caseId: string }
  | { kind: 'employee'; employeeId: string }
  | { kind: 'perangkatDaerah'; unitId: string };

export interface AccessPolicyDeps {
  db: DbOrTx;
  procedures: Pick<ProcedureRegistry, 'get' | 'all'>;
  /** The agency-local date ('YYYY-MM-DD') of now: delegations (Plh) are in force by local date. */
  localToday: () => string;
  logger: Logger;
}

export interface AccessPolicy {
  /** Decides; a refusal is logged at warn with who, what and which target (ids only, never a name). */
  check(subject: EmployeeProfile, operation: Operation, target?: AccessTarget): Promise<Decision>;
  /** As check, but a refusal throws AccessDenied. */
  require(subject: EmployeeProfile, operation: Operation, target?: AccessTarget): Promise<void>;
  /** Whom a list-shaped operation covers for this subject (quiet: nothing is logged). */
  scope(subject: EmployeeProfile, operation: Operation): AccessScope;
  /** Whether the subject's roles allow the operation for some target (quiet; for routing, not for deciding). */
  mayEver(subject: EmployeeProfile, operation: Operation): boolean;
  /**
   * Where a case stands and whether the subject may perform `operation` on it, in one statement (a button's hot
   * path). Null when the case does not exist. The decision is made and a refusal logged only when `decision()` is
   * called: a caller that finds the button stale leaves the explaining to the engine.
   */
  caseWithAccess(subject: EmployeeProfile, operation: Operation, caseId: string): Promise<{ head: CaseHead; decision(): Decision } | null>;
  /**
   * SQL condition true for the cases the subject may read with `operation`, over `cases` aliased `c`, its subject
   * `employees` aliased `e` and the subject's `units` aliased `u`.
   */
  casesVisibleSql(subject: EmployeeProfile, operation: Operation): SQL;
  /** As casesVisibleSql, for employees as targets: over `employees` aliased `e` and their `units` aliased `u`. */
  employeesVisibleSql(subject: EmployeeProfile, operation: Operation): SQL;
}

/** A refusal raised by a use case; the bot tells the user politely (never the target's name). */
export class AccessDenied extends DomainError {
  constructor(readonly operation: Operation, readonly refusal: Refusal) {
    super(refusal === 'no_role' ? 'NOT_AUTHORIZED' : refusal === 'inactive' ? 'EMPLOYEE_INACTIVE_SELF' : 'ACCESS_DENIED', `access refused: ${operation} (${refusal})`, {
      operation,
      refusal,
    });
    this.name = 'AccessDenied';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPEN = sql`c.status in ('active', 'returned')`;
/** Deepest reporting chain followed (rosters are validated acyclic; this only bounds the walk). */
const MAX_CHAIN_DEPTH = 64;

/** The steps, as (procedure code, step no) pairs, whose actor is one of `actors`. */
function stepsOf(procedures: AccessPolicyDeps['procedures'], actors: readonly StepActor[]): SQL | null {
  const pairs = procedures.all().flatMap((p) => p.steps.filter((s) => actors.includes(s.actor)).map((s) => sql`(${p.code}, ${s.no}::int)`));
  return pairs.length === 0 ? null : sql.join(pairs, sql`, `);
}

export function createAccessPolicy(deps: AccessPolicyDeps): AccessPolicy {
  const awardCodes = deps.procedures.all().filter((p) => p.purpose === 'award').map((p) => p.code);

  /**
   * Each relation as SQL over `employees e join units u` (and `cases c` for a case target). A relation that needs a
   * case is false for an employee target.
   */
  const relationSql = (relation: Relation, subject: AccessSubject, isCase: boolean): SQL => {
    const me = sql`${subject.id}::uuid`;
    switch (relation) {
      case 'self':
        if (!isCase) return sql`e.id = ${me}`;
        // A nominee is told nothing of a nomination under way (ASN Berprestasi): it is theirs once complete.
        return awardCodes.length === 0
          ? sql`c.subject_id = ${me}`
          : sql`(c.subject_id = ${me} and (c.procedure_code not in (${sql.join(awardCodes.map((code) => sql`${code}`), sql`, `)}) or c.status = 'completed'))`;
      case 'directReport':
        return sql`e.atasan_id = ${me}`;
      case 'reportingChain':
        return sql`e.id in (with recursive down(id, depth) as (
            select x.id, 1 from employees x where x.atasan_id = ${me}
            union all
            select x.id, d.depth + 1 from employees x join down d on x.atasan_id = d.id where d.depth < ${MAX_CHAIN_DEPTH}
          ) select id from down where depth >= 2)`;
      case 'ownPerangkatDaerah':
        return subject.pengelolaOf.length === 0
          ? sql`false`
          : sql`u.perangkat_daerah_id in (${sql.join(subject.pengelolaOf.map((id) => sql`${id}::uuid`), sql`, `)})`;
      case 'all':
        return subject.bkppAdmin ? sql`true` : sql`false`;
      case 'samePerangkatDaerah':
        return isCase
          ? sql`false`
          : sql`u.perangkat_daerah_id = (select mu.perangkat_daerah_id from employees me join units mu on mu.id = me.unit_id where me.id = ${me})`;
      case 'stepHolder':
        // Held in one's own right: not as a Plh (whose hold ends with the delegation).
        return isCase ? sql`(c.assignee_id = ${me} and ${OPEN} and not ${heldAsPlhSql(me, deps.localToday(), 'any')})` : sql`false`;
      case 'plh':
        return isCase ? sql`(c.assignee_id = ${me} and ${OPEN} and ${heldAsPlhSql(me, deps.localToday(), 'in_force')})` : sql`false`;
      case 'sharedStepRole': {
        if (!isCase) return sql`false`;
        const parts: SQL[] = [];
        const pengelolaSteps = stepsOf(deps.procedures, ['pengelola']);
        if (pengelolaSteps && subject.pengelolaOf.length > 0) {
          parts.push(sql`((c.procedure_code, c.step_no) in (${pengelolaSteps}) and ${relationSql('ownPerangkatDaerah', subject, true)})`);
        }
        const bkppSteps = stepsOf(deps.procedures, ['bkpp']);
        if (bkppSteps && subject.bkppAdmin) parts.push(sql`(c.procedure_code, c.step_no) in (${bkppSteps})`);
        return parts.length === 0 ? sql`false` : sql`(${OPEN} and (${sql.join(parts, sql` or `)}))`;
      }
      case 'participant':
        return isCase ? sql`exists (select 1 from case_events ev where ev.case_id = c.id and ev.actor_id = ${me})` : sql`false`;
    }
  };

  /** The relations worth asking: those the operation grants and the subject's roles can have. */
  const candidates = (subject: AccessSubject, operation: Operation): Relation[] => {
    const reach = reachOf(subject);
    return GRANTS[operation].filter((r) => reach.includes(r));
  };

  /**
   * The relations that hold towards the target (with the `extra` columns of its row), or null when the target does
   * not exist.
   */
  const relationsTo = async (
    subject: AccessSubject,
    operation: Operation,
    target: AccessTarget,
    extra?: SQL,
  ): Promise<{ relations: Relation[]; row: Record<string, unknown> } | null> => {
    const asked = candidates(subject, operation);
    if (target.kind === 'perangkatDaerah') {
      return { relations: asked.filter((r) => (r === 'all' && subject.bkppAdmin) || (r === 'ownPerangkatDaerah' && subject.pengelolaOf.includes(target.unitId))), row: {} };
    }
    const id = target.kind === 'case' ? target.caseId : target.employeeId;
    if (!UUID.test(id)) return null;
    const isCase = target.kind === 'case';
    const columns = sql.join([sql`true as found`, ...(extra ? [extra] : []), ...asked.map((r, i) => sql`${relationSql(r, subject, isCase)} as r${sql.raw(String(i))}`)], sql`, `);
    const from = isCase
      ? sql`cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id where c.id = ${id}::uuid`
      : sql`employees e join units u on u.id = e.unit_id where e.id = ${id}::uuid`;
    const [row] = rowsOf<Record<string, unknown>>(await deps.db.execute(sql`select ${columns} from ${from}`));
    if (!row) return null;
    return { relations: asked.filter((_, i) => row[`r${i}`] === true), row };
  };

  /**
   * The decision, from what the roles allow whatever the target (`byRoles`) and, when they allow it and there is a
   * target, the relations found towards it (null: it does not exist); a refusal is logged.
   */
  const decideAndLog = (
    employee: EmployeeProfile,
    subject: AccessSubject,
    operation: Operation,
    target: AccessTarget | undefined,
    byRoles: Decision,
    relations: Relation[] | null,
  ): Decision => {
    let decision = byRoles;
    if (decision.allowed && target) decision = relations === null ? { allowed: false, refusal: 'not_found' } : decide(subject, operation, relations);
    if (!decision.allowed) {
      const targetLog = target ? { kind: target.kind, id: target.kind === 'case' ? target.caseId : target.kind === 'employee' ? target.employeeId : target.unitId } : null;
      deps.logger.warn({ who: employee.id, what: operation, target: targetLog, refusal: decision.refusal }, 'access refused');
    }
    return decision;
  };

  const check = async (employee: EmployeeProfile, operation: Operation, target?: AccessTarget): Promise<Decision> => {
    const subject = accessSubjectOf(employee);
    const byRoles = decide(subject, operation, null);
    // No query when the subject's roles refuse the operation whatever the target.
    const found = byRoles.allowed && target ? await relationsTo(subject, operation, target) : null;
    return decideAndLog(employee, subject, operation, target, byRoles, found?.relations ?? null);
  };

  const visibleSql = (employee: EmployeeProfile, operation: Operation, isCase: boolean): SQL => {
    const subject = accessSubjectOf(employee);
    if (!subject.active) return sql`false`;
    const asked = candidates(subject, operation);
    if (asked.length === 0) return sql`false`;
    return sql`(${sql.join(asked.map((r) => relationSql(r, subject, isCase)), sql` or `)})`;
  };

  return {
    check,
    async require(subject, operation, target) {
      const decision = await check(subject, operation, target);
      if (!decision.allowed) throw new AccessDenied(operation, decision.refusal);
    },
    async caseWithAccess(employee, operation, caseId) {
      const target: AccessTarget = { kind: 'case', caseId };
      const subject = accessSubjectOf(employee);
      const found = await relationsTo(subject, operation, target, sql`c.step_no as "stepNo", c.procedure_code as "procedureCode", c.version, c.status`);
      if (!found) return null;
      const { row, relations } = found;
      const head: CaseHead = { stepNo: Number(row.stepNo), procedureCode: String(row.procedureCode), version: Number(row.version), status: row.status as CaseHead['status'] };
      return { head, decision: () => decideAndLog(employee, subject, operation, target, decide(subject, operation, null), relations) };
    },
    scope: (subject, operation) => scopeOf(accessSubjectOf(subject), operation),
    mayEver: (subject, operation) => mayEver(accessSubjectOf(subject), operation),
    casesVisibleSql: (employee, operation) => visibleSql(employee, operation, true),
    employeesVisibleSql: (employee, operation) => visibleSql(employee, operation, false),
  };
}
