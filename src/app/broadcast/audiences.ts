// Audiences: who a sender may address, and who an audience holds within the sender's scope.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../db/client.js';
import { rowsOf } from '../../db/client.js';
import type { EmployeeProfile } from '../repositories/employees.js';
import { units } from '../../db/schema/index.js';
import { accessSubjectOf, scopeOf } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import { isPeriodKey, periodOfKey, type PeriodicKind } from '../../domain/period.js';
import type { ProcedureRegistry } from '../procedures.js';
import { annualEvaluationProcedures } from '../annual-evaluation.js';

export const audienceSchema = z.union([
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('units'), unitIds: z.array(z.uuid()).min(1) }),
  z.object({ kind: z.literal('role'), role: z.enum(['atasan', 'pengelola']) }),
  z.object({ kind: z.literal('status'), status: z.literal('no_skp'), year: z.number().int().min(2000).max(2100) }),
  z.object({
    kind: z.literal('status'),
    status: z.literal('no_realisasi'),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  }),
  /** The pejabat penilai with an annual evaluation of `year` still waiting on them. */
  z.object({ kind: z.literal('status'), status: z.literal('eval_pending'), year: z.number().int().min(2000).max(2100) }),
]);
export type Audience = z.infer<typeof audienceSchema>;

/** Who may broadcast to whom: BKPP admins to everyone (unitId null), a pengelola only to their perangkat daerah. */
export interface BroadcastScope {
  unitId: string | null;
}

/** The sender's audience scope, from the access policy's scope of 'broadcast' (null: may not broadcast). */
export function broadcastScopeOf(employee: EmployeeProfile | null): BroadcastScope | null {
  if (!employee) return null;
  const scope = scopeOf(accessSubjectOf(employee), 'broadcast');
  if (scope.kind === 'all') return { unitId: null };
  return scope.kind === 'perangkatDaerah' && scope.pdIds.length > 0 ? { unitId: scope.pdIds[0]! } : null;
}

export interface PerangkatDaerah {
  id: string;
  name: string;
}

/** The perangkat daerah (top-level units) a sender may address, by name. */
export async function listPerangkatDaerah(db: DbOrTx, scope: BroadcastScope): Promise<PerangkatDaerah[]> {
  const rows = await db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(eq(units.depth, 0), scope.unitId ? eq(units.id, scope.unitId) : undefined))
    .orderBy(units.name);
  return rows;
}

const pdOf = sql`coalesce(u.perangkat_daerah_id, u.id)`;

/** The procedure code each perangkat daerah runs for a purpose (config overrides per unit name), as SQL. */
async function procedureCodeSql(db: DbOrTx, procedures: ProcedureRegistry, kind: 'skpAnnual' | 'monthly'): Promise<SQL> {
  const pds = await db.select({ id: units.id, name: units.name }).from(units).where(eq(units.depth, 0));
  const fallback = procedures.forUnit(kind, null).code;
  const overrides = pds
    .map((pd) => ({ id: pd.id, code: procedures.forUnit(kind, pd.name).code }))
    .filter((pd) => pd.code !== fallback);
  if (overrides.length === 0) return sql`${fallback}`;
  return sql`(case ${pdOf} ${sql.join(
    overrides.map((o) => sql`when ${o.id}::uuid then ${o.code}`),
    sql` `,
  )} else ${fallback} end)`;
}

/** SQL condition: the employee's perangkat daerah evaluates per periods of `kind`. */
async function periodKindCondition(db: DbOrTx, procedures: ProcedureRegistry, kind: PeriodicKind): Promise<SQL> {
  const pds = await db.select({ id: units.id, name: units.name }).from(units).where(eq(units.depth, 0));
  const others = pds.filter((pd) => procedures.periodOf(pd.name) !== kind);
  if (others.length === 0) return sql`true`;
  return sql`${pdOf} not in (${sql.join(others.map((o) => sql`${o.id}::uuid`), sql`, `)})`;
}

/** SQL condition over `employees e join units u` selecting the audience within the sender's scope. */
export async function audienceCondition(db: DbOrTx, procedures: ProcedureRegistry, audience: Audience, scope: BroadcastScope): Promise<SQL> {
  const parts: SQL[] = [sql`e.active`];
  if (scope.unitId) parts.push(sql`${pdOf} = ${scope.unitId}::uuid`);
  switch (audience.kind) {
    case 'all':
      break;
    case 'units':
      parts.push(sql`${pdOf} in (${sql.join(audience.unitIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
      break;
    case 'role':
      parts.push(
        audience.role === 'atasan'
          ? sql`exists (select 1 from employees b where b.atasan_id = e.id and b.active)`
          : sql`exists (select 1 from employee_roles r where r.employee_id = e.id and r.role = 'pengelola')`,
      );
      break;
    case 'status': {
      if (audience.status === 'eval_pending') {
        const codes = annualEvaluationProcedures(procedures).map((p) => p.code);
        if (codes.length === 0) return sql`false`;
        // The rating step is the pejabat penilai's (or their Plh's); the ASN's own acknowledgement is not.
        parts.push(sql`exists (select 1 from cases c where c.assignee_id = e.id and c.subject_id <> e.id and c.status = 'active'
                       and c.period = ${String(audience.year)}
                       and c.procedure_code in (${sql.join(codes.map((c) => sql`${c}`), sql`, `)}))`);
        break;
      }
      // "Submitted" = a case of the unit's procedure for the period whose subject has submitted (submitted_at set).
      const code = await procedureCodeSql(db, procedures, audience.status === 'no_skp' ? 'skpAnnual' : 'monthly');
      const period = audience.status === 'no_skp' ? String(audience.year) : audience.month;
      parts.push(sql`not exists (select 1 from cases c where c.subject_id = e.id and c.period = ${period}
                     and c.submitted_at is not null and c.procedure_code = ${code})`);
      // A realisation period concerns only the perangkat daerah evaluated per its kind (a month not a triwulan unit).
      if (audience.status !== 'no_skp' && isPeriodKey(period)) parts.push(await periodKindCondition(db, procedures, periodOfKey(period).kind));
      break;
    }
  }
  return sql.join(parts, sql` and `);
}

export interface AudienceCount {
  /** Active, linked and reachable: the people who will get the message. */
  recipients: number;
  /** Active members of the audience without a linked Telegram account. */
  notLinked: number;
  /** Linked, but Telegram refused the last message (blocked the bot). */
  unreachable: number;
}

export async function countAudience(
  db: DbOrTx,
  procedures: ProcedureRegistry,
  input: { audience: Audience; scope: BroadcastScope },
): Promise<AudienceCount> {
  const where = await audienceCondition(db, procedures, input.audience, input.scope);
  const [row] = rowsOf<{ recipients: number; not_linked: number; unreachable: number }>(
    await db.execute(sql`select
        count(*) filter (where e.telegram_chat_id is not null and e.unreachable_at is null)::int as recipients,
        count(*) filter (where e.telegram_chat_id is null)::int as not_linked,
        count(*) filter (where e.telegram_chat_id is not null and e.unreachable_at is not null)::int as unreachable
      from employees e join units u on u.id = e.unit_id where ${where}`),
  );
  return { recipients: row?.recipients ?? 0, notLinked: row?.not_linked ?? 0, unreachable: row?.unreachable ?? 0 };
}

/** The employee ids that would receive a broadcast now (for checks and reports). */
export async function audienceRecipientIds(
  db: DbOrTx,
  procedures: ProcedureRegistry,
  input: { audience: Audience; scope: BroadcastScope },
): Promise<string[]> {
  const where = await audienceCondition(db, procedures, input.audience, input.scope);
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select e.id from employees e join units u on u.id = e.unit_id
      where ${where} and e.telegram_chat_id is not null and e.unreachable_at is null`),
  );
  return rows.map((r) => r.id);
}

/** Checks a unit choice against the scope: only perangkat daerah, and for a pengelola only their own. */
export async function checkUnitChoice(db: DbOrTx, scope: BroadcastScope, unitId: string): Promise<PerangkatDaerah> {
  const [unit] = await db
    .select({ id: units.id, name: units.name, depth: units.depth })
    .from(units)
    .where(eq(units.id, unitId));
  if (!unit || unit.depth !== 0) throw new DomainError('UNIT_NOT_FOUND');
  if (scope.unitId && scope.unitId !== unit.id) throw new DomainError('NOT_YOUR_UNIT');
  return { id: unit.id, name: unit.name };
}
