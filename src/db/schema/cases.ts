// Procedure cases (one procedure × subject × period), their step timings, append-only event log and outbox.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { employees } from './organisation.js';

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    procedureCode: text('procedure_code').notNull(),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => employees.id),
    /** '2026' for annual, '2026-03' for monthly, a free key for one-off procedures. */
    period: text('period').notNull(),
    status: text('status', { enum: ['active', 'returned', 'completed', 'cancelled'] }).notNull(),
    stepNo: integer('step_no').notNull(),
    revision: integer('revision').notNull().default(1),
    /** Bumped by every transition: the compare-and-set guard against double taps. */
    version: integer('version').notNull().default(1),
    assigneeId: uuid('assignee_id').references(() => employees.id),
    stepEnteredAt: timestamp('step_entered_at', { withTimezone: true }).notNull(),
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    /** Latest inputs per step key (e.g. the RHK list); earlier revisions stay readable in case_steps. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    late: boolean('late').notNull().default(false),
    /** Set when a rate step completes (hasil kerja × perilaku), for reports. */
    predikat: text('predikat'),
    /** When the subject submitted (first submit step of the latest revision), for on-time/late reporting. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('cases_proc_subject_period_uq').on(t.procedureCode, t.subjectId, t.period),
    index('cases_assignee_idx').on(t.assigneeId, t.status),
    index('cases_subject_idx').on(t.subjectId),
    index('cases_period_idx').on(t.period, t.procedureCode),
  ],
);

/** One row per step visit (step × revision): when it was entered and completed, with its inputs. */
export const caseSteps = pgTable(
  'case_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    stepNo: integer('step_no').notNull(),
    revision: integer('revision').notNull(),
    assigneeId: uuid('assignee_id').references(() => employees.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    outcome: text('outcome', { enum: ['completed', 'returned', 'cancelled'] }),
    actorId: uuid('actor_id').references(() => employees.id),
    inputs: jsonb('inputs').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('case_steps_case_idx').on(t.caseId, t.stepNo),
    // A case's open step (each decision closes it): only open steps are in it, a handful per case. As an index of
    // every row by completed_at, PostgreSQL combined it with the case's and read every open step of every case.
    index('case_steps_open_idx').on(t.caseId).where(sql`completed_at is null`),
  ],
);

/** Append-only: a trigger refuses UPDATE and DELETE. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').references(() => employees.id),
    action: text('action').notNull(),
    fromStepNo: integer('from_step_no'),
    toStepNo: integer('to_step_no'),
    revision: integer('revision').notNull(),
    comment: text('comment'),
    onBehalf: boolean('on_behalf').notNull().default(false),
    data: jsonb('data').$type<Record<string, unknown>>(),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.id)],
);

/** The start of last_error of an outbox row the dispatcher gave up on (Telegram refused it past the retry window). */
export const OUTBOX_GAVE_UP_PREFIX = 'gave up: ';

/** Effects written in the same transaction as the change and carried out after commit. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id').references(() => cases.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [
    // The rows not done yet, in id order: the dispatcher's lease takes the first due ones from it and stops there.
    // (It was on available_at: each lease then read and sorted every due row to keep the first few by id, 2.5 ms a
    // lease behind a burst's backlog of 1,700 rows. available_at in no index also lets a lease update be HOT.)
    index('outbox_pending_by_id_idx').on(t.id).where(sql`done_at is null`),
    // A case's rows: the SLA timers its steps were started with (cancel_sla), looked up for every decision; without
    // it each lookup read the whole outbox, which keeps every row it ever handled.
    index('outbox_case_idx').on(t.caseId),
    // The rows given up, newest first, for the report of undelivered notifications (/rekap terlambat): a handful
    // among every row the outbox ever handled, which the report read in full on every call before.
    index('outbox_gave_up_idx')
      .on(t.doneAt.desc(), t.id.desc())
      .where(sql.raw(`last_error like '${OUTBOX_GAVE_UP_PREFIX}%'`)),
  ],
);
