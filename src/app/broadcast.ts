// Use cases of announcements (/umumkan): drafts, audiences, starting, cancelling, acknowledging and reporting.
// Postgres holds every broadcast and one delivery row per recipient; the queue only carries work to do.
import { TZDate } from '@date-fns/tz';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { AppConfig } from '../config.js';
import type { Db, DbOrTx } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import type { EmployeeProfile } from './repositories/employees.js';
import { broadcastDeliveries, broadcasts, employees, units } from '../db/schema/index.js';
import type { AgencyTimeZone } from '../domain/calendar.js';
import { accessSubjectOf, scopeOf } from '../domain/access.js';
import { DomainError } from '../domain/errors.js';
import { isPeriodKey, periodOfKey, type PeriodicKind } from '../domain/period.js';
import type { ProcedureRegistry } from './procedures.js';

// ---------------------------------------------------------------------------------------------------------
// Audiences

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
async function audienceCondition(db: DbOrTx, procedures: ProcedureRegistry, audience: Audience, scope: BroadcastScope): Promise<SQL> {
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

// ---------------------------------------------------------------------------------------------------------
// Built-in templates: the SOP's own announcements, with deadlines from the deployment config.

export type TemplateChoice =
  | { kind: 'skp'; year: number; deadline: string }
  | { kind: 'realisasi'; month: string; deadline: string }
  | { kind: 'sop'; procedureCode: string; no: number; uraian: string; sopNumber: string | null };

export function localYearMonth(now: Date, tz: AgencyTimeZone): { year: number; month: number } {
  const local = new TZDate(now.getTime(), tz);
  return { year: local.getFullYear(), month: local.getMonth() + 1 };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM' of the month before `now` (the realisation usually announced at the start of a month). */
export function previousMonth(now: Date, tz: AgencyTimeZone, back = 1): string {
  const { year, month } = localYearMonth(now, tz);
  const index = year * 12 + (month - 1) - back;
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
}

export function skpDeadline(config: AppConfig, year: number): string {
  return `${year}-${config.deployment.annual.skpDeadline}`;
}

/** Realisation of month M is due on deadlineDay of month M+1. */
export function realisasiDeadline(config: AppConfig, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = y * 12 + m; // index of month M+1 (0-based months)
  return `${Math.floor(next / 12)}-${pad2((next % 12) + 1)}-${pad2(config.deployment.monthly.deadlineDay)}`;
}

/** Template keys travel in callback data: 'skp:2026', 'real:2026-03', 'sop:skp-banyuwangi:1'. */
export function resolveTemplate(config: AppConfig, procedures: ProcedureRegistry, key: string): TemplateChoice | null {
  let m = /^skp:(\d{4})$/.exec(key);
  if (m) return { kind: 'skp', year: Number(m[1]), deadline: skpDeadline(config, Number(m[1])) };
  m = /^real:(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(key);
  if (m) return { kind: 'realisasi', month: m[1]!, deadline: realisasiDeadline(config, m[1]!) };
  m = /^sop:([a-z0-9-]+):(\d+)$/.exec(key);
  if (m) {
    const proc = procedures.all().find((p) => p.code === m![1]);
    const a = proc?.announcements?.find((x) => x.no === Number(m![2]));
    if (!proc || !a) return null;
    return { kind: 'sop', procedureCode: proc.code, no: a.no, uraian: a.uraian, sopNumber: proc.source.sopNumber ?? null };
  }
  return null;
}

function localDate(now: Date, tz: AgencyTimeZone): string {
  const local = new TZDate(now.getTime(), tz);
  return `${local.getFullYear()}-${pad2(local.getMonth() + 1)}-${pad2(local.getDate())}`;
}

/** The SKP year people are working on: from November, next year's SKP is what they prepare. */
export function skpYearFor(now: Date, tz: AgencyTimeZone): number {
  const { year, month } = localYearMonth(now, tz);
  return month >= 11 ? year + 1 : year;
}

/** The month whose realisation is due next: last month until its deadline, then this month. */
export function realisasiMonthFor(config: AppConfig, now: Date, tz: AgencyTimeZone): string {
  const last = previousMonth(now, tz);
  return realisasiDeadline(config, last) >= localDate(now, tz) ? last : previousMonth(now, tz, 0);
}

/**
 * The template keys offered now, each with a deadline still ahead: the SKP of the year that fits the date (never
 * one whose deadline has passed), the realisation due next, and every SOP announcement.
 */
export function templateKeys(config: AppConfig, procedures: ProcedureRegistry, now: Date, tz: AgencyTimeZone): string[] {
  const { year } = localYearMonth(now, tz);
  const today = localDate(now, tz);
  const keys: string[] = [];
  for (const y of [year, skpYearFor(now, tz)]) {
    if (skpDeadline(config, y) >= today && !keys.includes(`skp:${y}`)) keys.push(`skp:${y}`);
  }
  keys.push(`real:${realisasiMonthFor(config, now, tz)}`);
  for (const proc of procedures.all()) for (const a of proc.announcements ?? []) keys.push(`sop:${proc.code}:${a.no}`);
  return keys;
}

// ---------------------------------------------------------------------------------------------------------
// Drafts and sending

export type BroadcastRow = typeof broadcasts.$inferSelect;
export type DeliveryStatus = (typeof broadcastDeliveries.$inferSelect)['status'];

export interface DraftInput {
  /** The id already used in the validation preview's button (so that message works like the real one). */
  id?: string;
  createdBy: string;
  scope: BroadcastScope;
  textHtml: string;
  media: { kind: 'document' | 'photo'; fileId: string } | null;
  templateCode: string | null;
}

export async function createBroadcastDraft(db: DbOrTx, input: DraftInput): Promise<BroadcastRow> {
  const [row] = await db
    .insert(broadcasts)
    .values({
      ...(input.id ? { id: input.id } : {}),
      createdBy: input.createdBy,
      scopeUnitId: input.scope.unitId,
      textHtml: input.textHtml,
      mediaKind: input.media?.kind ?? null,
      mediaFileId: input.media?.fileId ?? null,
      templateCode: input.templateCode,
      status: 'draft',
    })
    .returning();
  return row!;
}

export async function getBroadcast(db: DbOrTx, id: string): Promise<BroadcastRow | null> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
  return row ?? null;
}

/** Stores the chosen audience on a draft of this sender (the preview shows the count for exactly this). */
export async function setDraftAudience(db: DbOrTx, input: { broadcastId: string; actorId: string; audience: Audience }): Promise<void> {
  const updated = await db
    .update(broadcasts)
    .set({ audience: input.audience as unknown as Record<string, unknown> })
    .where(and(eq(broadcasts.id, input.broadcastId), eq(broadcasts.createdBy, input.actorId), eq(broadcasts.status, 'draft')))
    .returning({ id: broadcasts.id });
  if (updated.length === 0) throw new DomainError('BROADCAST_ALREADY_DECIDED');
}

async function claimDraft(tx: DbOrTx, broadcastId: string, actorId: string, set: Partial<typeof broadcasts.$inferInsert>) {
  const [claimed] = await tx
    .update(broadcasts)
    .set(set)
    .where(and(eq(broadcasts.id, broadcastId), eq(broadcasts.createdBy, actorId), eq(broadcasts.status, 'draft')))
    .returning();
  if (claimed) return claimed;
  const existing = await getBroadcast(tx, broadcastId);
  if (!existing) throw new DomainError('BROADCAST_NOT_FOUND');
  if (existing.createdBy !== actorId) throw new DomainError('BROADCAST_NOT_YOURS');
  throw new DomainError('BROADCAST_ALREADY_DECIDED', undefined, { status: existing.status });
}

export interface StartInput {
  broadcastId: string;
  actorId: string;
  now: Date;
  /** The message that becomes the live progress report. */
  progress: { chatId: number; messageId: number };
}

/** Recipients per send job: one job loads, sends and records a batch with a handful of queries. */
export const DELIVERY_BATCH_SIZE = 50;

/**
 * Kirim: one transaction claims the draft (compare-and-set on status), re-resolves the audience and writes one
 * 'queued' delivery per recipient with a single INSERT … SELECT, so 10,000 recipients cost one statement.
 * Each delivery gets its batch number there, so a batch (and its job id) is the same whoever rebuilds the queue.
 * A broadcast without recipients is done at once.
 */
export async function startBroadcast(
  db: Db,
  procedures: ProcedureRegistry,
  input: StartInput,
): Promise<{ broadcast: BroadcastRow; recipients: number }> {
  return db.transaction(async (tx) => {
    const claimed = await claimDraft(tx, input.broadcastId, input.actorId, {
      status: 'sending',
      startedAt: input.now,
      progressChatId: input.progress.chatId,
      progressMessageId: input.progress.messageId,
    });
    const audience = audienceSchema.parse(claimed.audience);
    const where = await audienceCondition(tx, procedures, audience, { unitId: claimed.scopeUnitId });
    const inserted = rowsOf<{ n: number }>(
      await tx.execute(sql`with ins as (
          insert into broadcast_deliveries (broadcast_id, employee_id, chat_id, status, batch)
          select ${claimed.id}::uuid, e.id, e.telegram_chat_id, 'queued', (row_number() over (order by e.id) - 1) / ${DELIVERY_BATCH_SIZE}
          from employees e join units u on u.id = e.unit_id
          where ${where} and e.telegram_chat_id is not null and e.unreachable_at is null
          on conflict do nothing returning 1)
        select count(*)::int as n from ins`),
    );
    const recipients = inserted[0]?.n ?? 0;
    // Who the audience holds but the send leaves out, counted in the same transaction as the deliveries.
    const [excluded] = rowsOf<{ not_linked: number; unreachable: number }>(
      await tx.execute(sql`update broadcasts set
          excluded_not_linked = x.not_linked, excluded_unreachable = x.unreachable
        from (select
            count(*) filter (where e.telegram_chat_id is null)::int as not_linked,
            count(*) filter (where e.telegram_chat_id is not null and e.unreachable_at is not null)::int as unreachable
          from employees e join units u on u.id = e.unit_id where ${where}) x
        where broadcasts.id = ${claimed.id}::uuid
        returning x.not_linked, x.unreachable`),
    );
    claimed.excludedNotLinked = excluded?.not_linked ?? 0;
    claimed.excludedUnreachable = excluded?.unreachable ?? 0;
    if (recipients === 0) {
      const [done] = await tx
        .update(broadcasts)
        .set({ status: 'done', finishedAt: input.now })
        .where(eq(broadcasts.id, claimed.id))
        .returning();
      return { broadcast: done!, recipients };
    }
    return { broadcast: claimed, recipients };
  });
}

/** Batal on a preview: the draft is dropped (kept as 'cancelled' for the record). */
export async function discardDraft(db: Db, input: { broadcastId: string; actorId: string; now: Date }): Promise<void> {
  await claimDraft(db, input.broadcastId, input.actorId, { status: 'cancelled', finishedAt: input.now });
}

/**
 * Batal during sending: the broadcast and every still-queued delivery become 'cancelled' in one transaction;
 * workers check the broadcast between groups of sends and stop. Returns the batches touched (to drop their jobs).
 */
export async function cancelBroadcast(
  db: Db,
  input: { broadcastId: string; actor: EmployeeProfile; now: Date },
): Promise<{ cancelledBatches: number[] }> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(broadcasts).where(eq(broadcasts.id, input.broadcastId)).for('update');
    if (!row) throw new DomainError('BROADCAST_NOT_FOUND');
    // Its sender may stop it, and so may whoever may broadcast to everyone (BKPP).
    const mayStopAny = broadcastScopeOf(input.actor)?.unitId === null;
    if (row.createdBy !== input.actor.id && !mayStopAny) throw new DomainError('BROADCAST_NOT_YOURS');
    if (row.status !== 'sending') throw new DomainError('BROADCAST_ALREADY_DECIDED', undefined, { status: row.status });
    await tx.update(broadcasts).set({ status: 'cancelled', finishedAt: input.now }).where(eq(broadcasts.id, row.id));
    const cancelled = await tx
      .update(broadcastDeliveries)
      .set({ status: 'cancelled' })
      .where(and(eq(broadcastDeliveries.broadcastId, row.id), eq(broadcastDeliveries.status, 'queued')))
      .returning({ batch: broadcastDeliveries.batch });
    return { cancelledBatches: [...new Set(cancelled.map((c) => c.batch))].sort((a, b) => a - b) };
  });
}

/**
 * Marks a broadcast done once no delivery is queued. Each delivery update commits before this runs, so the job
 * that finishes last sees every other final; the status compare-and-set lets exactly one caller win.
 */
export async function finishBroadcastIfComplete(db: DbOrTx, broadcastId: string, now: Date): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`update broadcasts set status = 'done', finished_at = ${now.toISOString()}::timestamptz
      where id = ${broadcastId}::uuid and status = 'sending'
        and not exists (select 1 from broadcast_deliveries d where d.broadcast_id = ${broadcastId}::uuid and d.status = 'queued')
      returning id`),
  );
  return rows.length > 0;
}

export async function sendingBroadcastIds(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ id: broadcasts.id }).from(broadcasts).where(eq(broadcasts.status, 'sending'));
  return rows.map((r) => r.id);
}

/** The batches of a broadcast that still have recipients to send to (each one job). */
export async function queuedBatches(db: DbOrTx, broadcastId: string): Promise<number[]> {
  const rows = rowsOf<{ batch: number }>(
    await db.execute(sql`select distinct batch from broadcast_deliveries
      where broadcast_id = ${broadcastId}::uuid and status = 'queued' order by batch`),
  );
  return rows.map((r) => Number(r.batch));
}

// ---------------------------------------------------------------------------------------------------------
// One batch, as the worker sees it

export interface AnnouncementBatch {
  broadcastStatus: BroadcastRow['status'];
  textHtml: string;
  mediaKind: 'document' | 'photo' | null;
  mediaFileId: string | null;
  /** The batch's recipients still queued (a job that runs again finds only what is left). */
  deliveries: Array<{ employeeId: string; chatId: number }>;
}

export async function loadBatch(db: DbOrTx, broadcastId: string, batch: number): Promise<AnnouncementBatch | null> {
  const broadcast = await getBroadcast(db, broadcastId);
  if (!broadcast) return null;
  const deliveries = await db
    .select({ employeeId: broadcastDeliveries.employeeId, chatId: broadcastDeliveries.chatId })
    .from(broadcastDeliveries)
    .where(and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.batch, batch), eq(broadcastDeliveries.status, 'queued')));
  return {
    broadcastStatus: broadcast.status,
    textHtml: broadcast.textHtml,
    mediaKind: broadcast.mediaKind,
    mediaFileId: broadcast.mediaFileId,
    deliveries,
  };
}

export async function broadcastStatusOf(db: DbOrTx, broadcastId: string): Promise<BroadcastRow['status'] | null> {
  const [row] = await db.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, broadcastId));
  return row?.status ?? null;
}

const deliveryKey = (broadcastId: string, employeeId: string) =>
  and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.employeeId, employeeId));

export interface SentDelivery {
  employeeId: string;
  messageId: number;
  sentAt: Date;
}

/**
 * Messages that went out, recorded with one statement however many. A Batal that landed while a message was in
 * flight still ends as 'sent' (the recipient did get it); an acknowledgment that beat this update is kept, and
 * only gains the message id.
 */
export async function recordSent(db: DbOrTx, broadcastId: string, sent: SentDelivery[]): Promise<void> {
  if (sent.length === 0) return;
  const values = JSON.stringify(sent.map((d) => ({ employee_id: d.employeeId, message_id: d.messageId, sent_at: d.sentAt.toISOString() })));
  await db.execute(sql`update broadcast_deliveries d set
      status = case when d.status = 'acknowledged' then d.status else 'sent' end,
      message_id = v.message_id,
      sent_at = v.sent_at,
      attempts = case when d.status = 'acknowledged' then d.attempts else d.attempts + 1 end,
      last_error = case when d.status = 'acknowledged' then d.last_error else null end
    from jsonb_to_recordset(${values}::jsonb) as v(employee_id uuid, message_id bigint, sent_at timestamptz)
    where d.broadcast_id = ${broadcastId}::uuid and d.employee_id = v.employee_id
      and (d.status in ('queued', 'cancelled') or (d.status = 'acknowledged' and d.message_id is null))`);
}

/** Telegram answered 403: the recipient blocked the bot (or never started it). Not retried. */
export async function markDeliveryBlocked(
  db: Db,
  input: { broadcastId: string; employeeId: string; error: string; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(broadcastDeliveries)
      .set({ status: 'blocked', lastError: input.error.slice(0, 500), attempts: sql`${broadcastDeliveries.attempts} + 1` })
      .where(and(deliveryKey(input.broadcastId, input.employeeId), eq(broadcastDeliveries.status, 'queued')));
    await tx
      .update(employees)
      .set({ unreachableAt: input.now })
      .where(and(eq(employees.id, input.employeeId), sql`${employees.unreachableAt} is null`));
  });
}

/** A failed attempt: `final` marks the delivery failed (attempts exhausted, or an error retrying cannot fix). */
export async function recordDeliveryError(
  db: DbOrTx,
  input: { broadcastId: string; employeeId: string; error: string; final: boolean },
): Promise<void> {
  await db
    .update(broadcastDeliveries)
    .set({
      ...(input.final ? { status: 'failed' as const } : {}),
      lastError: input.error.slice(0, 500),
      attempts: sql`${broadcastDeliveries.attempts} + 1`,
    })
    .where(and(deliveryKey(input.broadcastId, input.employeeId), eq(broadcastDeliveries.status, 'queued')));
}

// ---------------------------------------------------------------------------------------------------------
// Acknowledgment ("✅ Siap, dimengerti")

export type AckResult = 'acknowledged' | 'already' | 'preview' | 'unknown';

export async function acknowledgeDelivery(
  db: DbOrTx,
  input: { broadcastId: string; chatId: number; messageId: number; now: Date },
): Promise<AckResult> {
  // The tapped message must be the delivered one (or one whose send was not yet recorded): a sender tapping
  // the button on their own preview does not acknowledge anything.
  const rows = rowsOf<{ employee_id: string }>(
    await db.execute(sql`update broadcast_deliveries set status = 'acknowledged', acknowledged_at = ${input.now.toISOString()}::timestamptz
      where broadcast_id = ${input.broadcastId}::uuid and chat_id = ${input.chatId} and status <> 'acknowledged'
        and (message_id = ${input.messageId} or (message_id is null and status in ('queued', 'failed', 'blocked')))
      returning employee_id`),
  );
  if (rows.length > 0) return 'acknowledged';
  const [delivery] = await db
    .select({ status: broadcastDeliveries.status, messageId: broadcastDeliveries.messageId })
    .from(broadcastDeliveries)
    .where(and(eq(broadcastDeliveries.broadcastId, input.broadcastId), eq(broadcastDeliveries.chatId, input.chatId)));
  if (delivery?.status === 'acknowledged' && (delivery.messageId === null || delivery.messageId === input.messageId)) return 'already';
  const broadcast = await getBroadcast(db, input.broadcastId);
  if (!broadcast) return 'unknown';
  // A draft, or a message of this broadcast that is not a delivery: the sender's preview.
  return 'preview';
}

// ---------------------------------------------------------------------------------------------------------
// Reports

export interface BroadcastReport {
  id: string;
  status: BroadcastRow['status'];
  total: number;
  queued: number;
  sent: number;
  acknowledged: number;
  blocked: number;
  failed: number;
  cancelled: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  progressChatId: number | null;
  progressMessageId: number | null;
  blockedNames: string[];
  failedNames: string[];
  /** Audience members the preview already excluded (not sent to): not linked, or blocked the bot earlier. */
  excludedNotLinked: number;
  excludedUnreachable: number;
}

const NAMES_IN_REPORT = 15;

export async function broadcastReport(db: DbOrTx, broadcastId: string): Promise<BroadcastReport | null> {
  const broadcast = await getBroadcast(db, broadcastId);
  if (!broadcast) return null;
  const counts = rowsOf<{ status: DeliveryStatus; n: number }>(
    await db.execute(sql`select status, count(*)::int as n from broadcast_deliveries where broadcast_id = ${broadcastId}::uuid group by status`),
  );
  const by = (s: DeliveryStatus) => counts.find((c) => c.status === s)?.n ?? 0;
  const namesWith = async (status: DeliveryStatus) =>
    broadcast.status === 'sending'
      ? []
      : (
          await db
            .select({ nama: employees.nama })
            .from(broadcastDeliveries)
            .innerJoin(employees, eq(employees.id, broadcastDeliveries.employeeId))
            .where(and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.status, status)))
            .orderBy(employees.nama)
            .limit(NAMES_IN_REPORT + 1)
        ).map((r) => r.nama);
  return {
    id: broadcast.id,
    status: broadcast.status,
    total: counts.reduce((sum, c) => sum + c.n, 0),
    queued: by('queued'),
    // An acknowledged message was sent, too.
    sent: by('sent') + by('acknowledged'),
    acknowledged: by('acknowledged'),
    blocked: by('blocked'),
    failed: by('failed'),
    cancelled: by('cancelled'),
    startedAt: broadcast.startedAt,
    finishedAt: broadcast.finishedAt,
    progressChatId: broadcast.progressChatId,
    progressMessageId: broadcast.progressMessageId,
    blockedNames: await namesWith('blocked'),
    failedNames: await namesWith('failed'),
    excludedNotLinked: broadcast.excludedNotLinked,
    excludedUnreachable: broadcast.excludedUnreachable,
  };
}

/** Callback data carries the broadcast id as 32 hex digits (Telegram allows 64 bytes). */
export function compactId(uuid: string): string {
  return uuid.replace(/-/g, '');
}

export function expandId(compact: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(compact)) return null;
  return `${compact.slice(0, 8)}-${compact.slice(8, 12)}-${compact.slice(12, 16)}-${compact.slice(16, 20)}-${compact.slice(20)}`;
}
