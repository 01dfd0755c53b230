// Scheduled work: broadcasts with per-recipient deliveries, leave/delegation (Plh), idempotent reminder records.
import { sql } from 'drizzle-orm';
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases } from './cases.js';
import { employees, units } from './organisation.js';

export const broadcasts = pgTable('broadcasts', {
  id: uuid('id').primaryKey().defaultRandom(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => employees.id),
  /** Set when a pengelola broadcasts: only their perangkat daerah may be reached. */
  scopeUnitId: uuid('scope_unit_id').references(() => units.id),
  textHtml: text('text_html').notNull().default(''),
  mediaFileId: text('media_file_id'),
  mediaKind: text('media_kind', { enum: ['document', 'photo'] }),
  /** The audience as chosen: { kind: 'all' } | { kind: 'units', unitIds } | { kind: 'role', role } | { kind: 'status', ... }. */
  audience: jsonb('audience').$type<Record<string, unknown>>().notNull().default(sql`'{"kind":"all"}'::jsonb`),
  templateCode: text('template_code'),
  status: text('status', { enum: ['draft', 'sending', 'done', 'cancelled'] }).notNull().default('draft'),
  progressChatId: bigint('progress_chat_id', { mode: 'number' }),
  progressMessageId: bigint('progress_message_id', { mode: 'number' }),
  /** Members of the audience left out when it was sent, as the preview said: no linked Telegram account… */
  excludedNotLinked: integer('excluded_not_linked').notNull().default(0),
  /** …and linked but known to have blocked the bot. The report states both. */
  excludedUnreachable: integer('excluded_unreachable').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

export const broadcastDeliveries = pgTable(
  'broadcast_deliveries',
  {
    broadcastId: uuid('broadcast_id')
      .notNull()
      .references(() => broadcasts.id),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    status: text('status', { enum: ['queued', 'sent', 'failed', 'blocked', 'acknowledged', 'cancelled'] }).notNull().default('queued'),
    messageId: bigint('message_id', { mode: 'number' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    /** The send job this delivery belongs to: recipients are sent in batches of DELIVERY_BATCH_SIZE, one job each. */
    batch: integer('batch').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.broadcastId, t.employeeId] }),
    // A recipient's "Siap" tap finds its delivery by chat (without it, each tap read the broadcast's deliveries).
    index('broadcast_deliveries_chat_idx').on(t.broadcastId, t.chatId),
    // What is still to send, by batch: only queued rows are in it, so a send recorded leaves it alone (one index
    // fewer to write per message), and "anything left?" reads what is left rather than the whole broadcast.
    index('broadcast_deliveries_queued_idx').on(t.broadcastId, t.batch).where(sql`status = 'queued'`),
  ],
);

/** An atasan on leave names a substitute (Plh) for a date range; steps assigned then go to the substitute. */
export const delegations = pgTable(
  'delegations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    substituteId: uuid('substitute_id')
      .notNull()
      .references(() => employees.id),
    fromDate: date('from_date').notNull(),
    toDate: date('to_date').notNull(),
    reason: text('reason'),
    createdBy: uuid('created_by').references(() => employees.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [index('delegations_employee_idx').on(t.employeeId, t.fromDate, t.toDate)],
);

/** One row per reminder or escalation sent, so a job that runs twice sends once. */
export const reminderLog = pgTable(
  'reminder_log',
  {
    kind: text('kind').notNull(),
    /** e.g. '2026-03' for a monthly reminder, '<caseId>:<version>:<percent>' for an SLA escalation. */
    runKey: text('run_key').notNull(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    caseId: uuid('case_id').references(() => cases.id),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.runKey, t.employeeId] })],
);

/** Scheduled job runs (one per name and period key), for operators and idempotency. */
export const jobRuns = pgTable(
  'job_runs',
  {
    name: text('name').notNull(),
    runKey: text('run_key').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    result: jsonb('result').$type<Record<string, unknown>>(),
  },
  (t) => [uniqueIndex('job_runs_uq').on(t.name, t.runKey)],
);
