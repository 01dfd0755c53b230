// Who holds a step: roles resolved relative to the subject and the roster, in SQL so one query can also
// re-resolve every open case after a roster import; a Plh stands in for a holder on leave; shared roles.
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import type { StepActor } from '../../domain/procedure.js';

/** SQL yielding the employee id that holds `actor` for the subject in column `subjectCol` (null if nobody). */
export function resolverSql(actor: StepActor, subjectCol: SQL) {
  switch (actor) {
    case 'subject':
      return sql`${subjectCol}`;
    case 'atasan':
      return sql`(select a.id from employees s join employees a on a.id = s.atasan_id where s.id = ${subjectCol} and a.active)`;
    case 'atasan_atasan':
      return sql`(select aa.id from employees s join employees a on a.id = s.atasan_id join employees aa on aa.id = a.atasan_id
                  where s.id = ${subjectCol} and aa.active)`;
    case 'pengelola':
      return sql`(select e.id from employees s join units su on su.id = s.unit_id
                  join employee_roles r on r.role = 'pengelola' and r.unit_id = su.perangkat_daerah_id
                  join employees e on e.id = r.employee_id
                  where s.id = ${subjectCol} and e.active order by e.nip limit 1)`;
    case 'kepala_unit':
      // The head of the perangkat daerah: the active employee of that PD whose atasan is outside it (or absent),
      // preferring JPT and the shallowest unit.
      return sql`(select e.id from employees s join units su on su.id = s.unit_id
                  join units eu on eu.perangkat_daerah_id = su.perangkat_daerah_id
                  join employees e on e.unit_id = eu.id
                  left join employees ea on ea.id = e.atasan_id left join units eau on eau.id = ea.unit_id
                  where s.id = ${subjectCol} and e.active
                    and (e.atasan_id is null or eau.perangkat_daerah_id is distinct from su.perangkat_daerah_id)
                  order by (e.jenis_jabatan = 'jpt') desc, eu.depth, e.nip limit 1)`;
    case 'bkpp':
      return sql`(select e.id from employee_roles r join employees e on e.id = r.employee_id
                  where r.role = 'bkpp_admin' and e.active order by e.nip limit 1)`;
  }
}

/** Wraps a resolved holder with an active delegation (Plh) on the agency-local date: the substitute acts instead. */
export function withDelegation(holder: SQL, localDate: string): SQL {
  return sql`(select coalesce(d.substitute_id, r.id) from (select ${holder} as id) r
    left join lateral (select dl.substitute_id from delegations dl join employees se on se.id = dl.substitute_id and se.active
      where dl.employee_id = r.id and dl.cancelled_at is null and ${localDate}::date between dl.from_date and dl.to_date
      order by dl.created_at desc limit 1) d on true)`;
}

export interface Resolution {
  assigneeId: string | null;
  /** The role holder on leave when a substitute (Plh) was chosen instead. */
  delegatedFrom: string | null;
}

export async function resolveAssigneeDetailed(db: DbOrTx, actor: StepActor, subjectId: string, localDate?: string): Promise<Resolution> {
  return resolveFor(db, actor, sql`${subjectId}::uuid`, localDate);
}

/** The same, for the subject of a case: asked before the case row is read (act's early resolution). */
export async function resolveAssigneeOfCase(db: DbOrTx, actor: StepActor, caseId: string, localDate: string): Promise<Resolution> {
  return resolveFor(db, actor, sql`(select subject_id from cases where id = ${caseId}::uuid)`, localDate);
}

async function resolveFor(db: DbOrTx, actor: StepActor, subject: SQL, localDate?: string): Promise<Resolution> {
  const holder = resolverSql(actor, subject);
  const rows = rowsOf<{ holder: string | null; assignee: string | null }>(
    await db.execute(
      sql`select ${holder} as holder, ${localDate ? withDelegation(holder, localDate) : holder} as assignee`,
    ),
  );
  const row = rows[0];
  const assigneeId = row?.assignee ?? null;
  return { assigneeId, delegatedFrom: row && row.holder !== assigneeId ? row.holder : null };
}

export async function resolveAssignee(db: DbOrTx, actor: StepActor, subjectId: string, localDate?: string): Promise<string | null> {
  return (await resolveAssigneeDetailed(db, actor, subjectId, localDate)).assigneeId;
}

/** Any holder of a shared role (pengelola of the subject's PD, BKPP admin) may act on that role's step. */
export async function holdsStepRole(db: DbOrTx, actor: StepActor, actorId: string, subjectId: string): Promise<boolean> {
  if (actor === 'pengelola') {
    const rows = rowsOf<{ ok: boolean }>(
      await db.execute(sql`select exists (select 1 from employees s join units su on su.id = s.unit_id
        join employee_roles r on r.role = 'pengelola' and r.unit_id = su.perangkat_daerah_id
        where s.id = ${subjectId} and r.employee_id = ${actorId}) as ok`),
    );
    return rows[0]?.ok === true;
  }
  if (actor === 'bkpp') {
    const rows = rowsOf<{ ok: boolean }>(
      await db.execute(sql`select exists (select 1 from employee_roles where role = 'bkpp_admin' and employee_id = ${actorId}) as ok`),
    );
    return rows[0]?.ok === true;
  }
  return false;
}

export async function isBkppAdmin(db: DbOrTx, employeeId: string): Promise<boolean> {
  return holdsStepRole(db, 'bkpp', employeeId, employeeId);
}
