// Use cases of leave and delegation: an atasan names a substitute (Plh) for a date range, lists and cancels them.
// Plh = pelaksana harian, the colleague who acts for an official on leave. Dates are agency-local 'YYYY-MM-DD'.
import { and, asc, eq, gte, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, DbOrTx, Tx } from '../db/client.js';
import { findEmployeeByNip, type EmployeeProfile } from './repositories/employees.js';
import { delegations, employeeAudit, employees } from '../db/schema/index.js';
import { accessSubjectOf, mayEver } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { addCalendarDays } from '../domain/keberatan.js';
import { parseNip } from '../domain/nip.js';
import { monthNumberOf } from '../domain/period.js';
import type { Procedure } from '../domain/procedure.js';
import { refreshAssignees } from './case-engine.js';

/** A leave longer than a year is a transfer, not a delegation: the roster should change instead. */
export const MAX_DELEGATION_DAYS = 366;

export interface DelegationView {
  id: string;
  employeeId: string;
  employeeNama: string;
  substituteId: string;
  substituteNama: string;
  substituteNip: string;
  substituteChatId: number | null;
  fromDate: string;
  toDate: string;
  reason: string | null;
}

/** 'DD-MM-YYYY' (or with '/' or '.') → 'YYYY-MM-DD'; null when it is not a real calendar date. */
export function parseLocalDateInput(input: string): string | null {
  const m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(input.trim());
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  return probe.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

export interface DelegationRequest {
  nipInput: string;
  fromDate: string;
  toDate: string;
  reason: string | null;
}

const DATE_TOKEN = String.raw`\d{1,2}[-/.]\d{1,2}[-/.]\d{4}`;

const WEEKDAYS = ['minggu', 'senin', 'selasa', 'rabu', 'kamis', 'jumat', 'sabtu'];

/** 'YYYY-MM-DD' + n days, as 'DD-MM-YYYY' (the form /wakil reads). */
function typedDate(today: string, days: number): string {
  const [y, m, d] = addCalendarDays(today, days).split('-');
  return `${d}-${m}-${y}`;
}

/**
 * Dates said relative to `today` (the agency-local 'YYYY-MM-DD') as DD-MM-YYYY: 'hari ini', 'besok', 'lusa', and a
 * weekday's name for its next date from today on ('jumat' on a Monday is this Friday). 'Minggu' followed by 'depan',
 * 'ini' or 'lalu' is a week, not a Sunday, and is left as it is.
 */
export function withRelativeDates(text: string, today: string): string {
  const weekday = new Date(Date.parse(`${today}T00:00:00Z`)).getUTCDay();
  return text
    .replace(/(^|\s)hari ini(?=$|\s)/gi, (_w, lead: string) => `${lead}${typedDate(today, 0)}`)
    .replace(/(^|\s)besok(?=$|\s)/gi, (_w, lead: string) => `${lead}${typedDate(today, 1)}`)
    .replace(/(^|\s)lusa(?=$|\s)/gi, (_w, lead: string) => `${lead}${typedDate(today, 2)}`)
    .replace(/(^|\s)(?:hari\s+)?(minggu|senin|selasa|rabu|kamis|jum'?at|sabtu|ahad)(?!\s+(?:depan|ini|lalu))(?=$|\s)/gi, (_w, lead: string, name: string) => {
      const day = WEEKDAYS.indexOf(name.toLowerCase().replace("'", '').replace('ahad', 'minggu'));
      return `${lead}${typedDate(today, (day - weekday + 7) % 7)}`;
    });
}

/**
 * Dates as people write them, as DD-MM-YYYY: '15 Juni 2026' → '15-06-2026', and the range's connector between two
 * dates dropped ('15-06-2026 s.d. 20-06-2026', 'sampai', 'hingga', '-').
 */
function withNumericDates(text: string): string {
  const numeric = text.replace(/(^|\s)(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})(?=$|\s)/gi, (whole, lead: string, day: string, name: string, year: string) => {
    const month = monthNumberOf(name);
    return month === null ? whole : `${lead}${day}-${String(month).padStart(2, '0')}-${year}`;
  });
  return numeric.replace(new RegExp(`(${DATE_TOKEN})\\s+(?:s\\.?\\s?d\\.?|s/d|sampai|hingga|-)\\s+(${DATE_TOKEN})`, 'i'), '$1 $2');
}

/**
 * Reads "/wakil NIP DD-MM-YYYY DD-MM-YYYY [alasan]". The NIP may be typed in its print form with spaces, so it is
 * everything before the first date.
 */
export function parseDelegationArgs(args: string): DelegationRequest {
  const m = new RegExp(`^(.+?)\\s+(${DATE_TOKEN})\\s+(${DATE_TOKEN})(?:\\s+([\\s\\S]*))?$`).exec(withNumericDates(args.trim()));
  if (!m) throw new DomainError('DELEGATION_USAGE', 'expected NIP, two dates and an optional reason');
  const fromDate = parseLocalDateInput(m[2]!);
  if (!fromDate) throw new DomainError('DATE_INVALID', 'invalid start date', { value: m[2] });
  const toDate = parseLocalDateInput(m[3]!);
  if (!toDate) throw new DomainError('DATE_INVALID', 'invalid end date', { value: m[3] });
  const reason = m[4]?.trim() ? m[4].trim().slice(0, 500) : null;
  return { nipInput: m[1]!.trim(), fromDate, toDate, reason };
}

/** Whoever receives work and reminders (atasan, pengelola, BKPP admins) may name a Plh: the access table says so. */
export function mayDelegate(employee: EmployeeProfile): boolean {
  return mayEver(accessSubjectOf(employee), 'delegate');
}

/** SQL: the substitute of `employeeId` on local date `today`, or null (latest delegation wins if they overlap). */
export function substituteOnSql(employeeId: SQL, today: string): SQL {
  return sql`(select d.substitute_id from delegations d
              where d.employee_id = ${employeeId} and d.cancelled_at is null
                and d.from_date <= ${today}::date and d.to_date >= ${today}::date
              order by d.created_at desc limit 1)`;
}

/**
 * SQL over a case `c`: its current step visit went to `holder` as Plh (a 'delegated' event), and the delegation
 * that sent it is in force on `today`, has ended (run out or cancelled), or either.
 */
export function heldAsPlhSql(holder: SQL, today: string, delegation: 'in_force' | 'ended' | 'any'): SQL {
  const inForce = sql`exists (select 1 from delegations d where d.employee_id = (ev.data->>'from')::uuid and d.substitute_id = ${holder}
    and d.cancelled_at is null and ${today}::date between d.from_date and d.to_date)`;
  const condition = delegation === 'any' ? sql`true` : delegation === 'in_force' ? inForce : sql`not ${inForce}`;
  return sql`exists (select 1 from case_events ev where ev.case_id = c.id and ev.action = 'delegated'
    and ev.to_step_no = c.step_no and ev.revision = c.revision and ev.data->>'to' = (${holder})::text and ${condition})`;
}

/**
 * A Plh acts only while the delegation is in force: steps still waiting on a Plh whose delegation ended (ran out or
 * was cancelled) go back to whoever holds them today (the official, or their Plh of today), who is told.
 * Returns how many steps moved.
 */
export async function handBackEndedDelegations(db: Db, procedures: readonly Procedure[], now: Date, today: string): Promise<number> {
  return db.transaction((tx) => handBackInTransaction(tx, procedures, now, today));
}

function handBackInTransaction(tx: Tx, procedures: readonly Procedure[], now: Date, today: string): Promise<number> {
  return refreshAssignees(tx, procedures, now, today, {
    only: heldAsPlhSql(sql`c.assignee_id`, today, 'ended'),
    comment: 'Masa tugas Plh berakhir: langkah kembali kepada pemegang tugas',
  });
}

/** SQL: true when `employeeId` is on recorded leave on local date `today`. */
export function onLeaveSql(employeeId: SQL, today: string): SQL {
  return sql`exists (select 1 from delegations d
                     where d.employee_id = ${employeeId} and d.cancelled_at is null
                       and d.from_date <= ${today}::date and d.to_date >= ${today}::date)`;
}

const substitute = alias(employees, 'substitute');

function delegationSelect(db: DbOrTx) {
  return db
    .select({
      id: delegations.id,
      employeeId: delegations.employeeId,
      employeeNama: employees.nama,
      substituteId: delegations.substituteId,
      substituteNama: substitute.nama,
      substituteNip: substitute.nip,
      substituteChatId: substitute.telegramChatId,
      fromDate: delegations.fromDate,
      toDate: delegations.toDate,
      reason: delegations.reason,
    })
    .from(delegations)
    .innerJoin(employees, eq(employees.id, delegations.employeeId))
    .innerJoin(substitute, eq(substitute.id, delegations.substituteId));
}

/** Delegations not cancelled and not yet over: those the employee gave, and those naming them as Plh. */
export async function listDelegations(
  db: DbOrTx,
  employeeId: string,
  today: string,
): Promise<{ given: DelegationView[]; received: DelegationView[] }> {
  const open = and(isNull(delegations.cancelledAt), gte(delegations.toDate, today));
  const rows = await delegationSelect(db)
    .where(and(open, or(eq(delegations.employeeId, employeeId), eq(delegations.substituteId, employeeId))))
    .orderBy(asc(delegations.fromDate));
  return {
    given: rows.filter((r) => r.employeeId === employeeId),
    received: rows.filter((r) => r.substituteId === employeeId),
  };
}

/** The delegation in force for an employee on a local date, if any. */
export async function activeDelegation(db: DbOrTx, employeeId: string, today: string): Promise<DelegationView | null> {
  const [row] = await delegationSelect(db)
    .where(
      and(
        eq(delegations.employeeId, employeeId),
        isNull(delegations.cancelledAt),
        lte(delegations.fromDate, today),
        gte(delegations.toDate, today),
      ),
    )
    .orderBy(sql`${delegations.createdAt} desc`)
    .limit(1);
  return row ?? null;
}

/**
 * Names a substitute for a date range. Refuses (with a code the bot translates) an unknown, inactive or identical
 * substitute, bad or reversed dates, a range already over, overlapping ranges, and a substitute on leave himself.
 */
export async function createDelegation(
  db: Db,
  input: { employee: EmployeeProfile; request: DelegationRequest; today: string; now: Date },
): Promise<{ delegation: DelegationView; substituteLinked: boolean }> {
  const { employee, request, today, now } = input;
  if (!mayDelegate(employee)) throw new DomainError('DELEGATION_NOT_ALLOWED');
  const nip = parseNip(request.nipInput, now);
  if (!nip.ok) throw new DomainError('NIP_INVALID', nip.reason, { reason: nip.reason });
  if (request.toDate < request.fromDate) {
    throw new DomainError('DATE_ORDER', 'end date before start date', { from: request.fromDate, to: request.toDate });
  }
  if (request.toDate < today) throw new DomainError('DATE_PAST', 'the range is already over', { to: request.toDate });
  if (daysBetween(request.fromDate, request.toDate) + 1 > MAX_DELEGATION_DAYS) {
    throw new DomainError('RANGE_TOO_LONG', 'delegation longer than a year', { maxDays: MAX_DELEGATION_DAYS });
  }
  const target = await findEmployeeByNip(db, nip.nip);
  if (!target) throw new DomainError('EMPLOYEE_NOT_FOUND', undefined, { nip: nip.nip });
  if (target.id === employee.id) throw new DomainError('SUBSTITUTE_SELF');
  if (!target.active) throw new DomainError('SUBSTITUTE_INACTIVE', undefined, { nama: target.nama });

  const id = await db.transaction(async (tx) => {
    // Serialize /wakil of the same person: two overlapping ranges sent at once must not both be stored.
    await tx.select({ id: employees.id }).from(employees).where(eq(employees.id, employee.id)).for('update');
    const overlaps = (who: string) =>
      and(
        eq(delegations.employeeId, who),
        isNull(delegations.cancelledAt),
        lte(delegations.fromDate, request.toDate),
        gte(delegations.toDate, request.fromDate),
      );
    const [mine] = await tx.select().from(delegations).where(overlaps(employee.id)).limit(1);
    if (mine) throw new DomainError('DELEGATION_OVERLAP', undefined, { from: mine.fromDate, to: mine.toDate });
    const [theirs] = await tx.select().from(delegations).where(overlaps(target.id)).limit(1);
    if (theirs) {
      throw new DomainError('SUBSTITUTE_ON_LEAVE', undefined, { nama: target.nama, from: theirs.fromDate, to: theirs.toDate });
    }
    const [row] = await tx
      .insert(delegations)
      .values({
        employeeId: employee.id,
        substituteId: target.id,
        fromDate: request.fromDate,
        toDate: request.toDate,
        reason: request.reason,
        createdBy: employee.id,
        createdAt: now,
      })
      .returning({ id: delegations.id });
    await tx.insert(employeeAudit).values({
      employeeId: employee.id,
      actorId: employee.id,
      actorLabel: `telegram:${employee.telegramUserId}`,
      action: 'delegation_created',
      details: { delegationId: row!.id, substituteId: target.id, from: request.fromDate, to: request.toDate, reason: request.reason },
      at: now,
    });
    return row!.id;
  });
  const [delegation] = await delegationSelect(db).where(eq(delegations.id, id));
  return { delegation: delegation!, substituteLinked: target.telegramChatId !== null };
}

/**
 * Cancels every delegation of the employee that is not over yet, and hands the steps still waiting on the Plh back;
 * returns what was cancelled.
 */
export async function cancelDelegations(
  db: Db,
  input: { employee: EmployeeProfile; today: string; now: Date; procedures: readonly Procedure[] },
): Promise<DelegationView[]> {
  const { employee, today, now } = input;
  return db.transaction(async (tx) => {
    const cancelled = await tx
      .update(delegations)
      .set({ cancelledAt: now })
      .where(and(eq(delegations.employeeId, employee.id), isNull(delegations.cancelledAt), gte(delegations.toDate, today)))
      .returning({ id: delegations.id });
    if (cancelled.length === 0) return [];
    const ids = cancelled.map((c) => c.id);
    await tx.insert(employeeAudit).values({
      employeeId: employee.id,
      actorId: employee.id,
      actorLabel: `telegram:${employee.telegramUserId}`,
      action: 'delegation_cancelled',
      details: { delegationIds: ids },
      at: now,
    });
    await handBackInTransaction(tx, input.procedures, now, today);
    return delegationSelect(tx).where(inArray(delegations.id, ids)).orderBy(asc(delegations.fromDate));
  });
}
