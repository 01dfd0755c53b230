// Chat-flow storage: SKP drafts, evidence files, approval messages to edit later, printed documents.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases } from './cases.js';
import { employees } from './organisation.js';

/** Work in progress of a subject step (e.g. the RHK list being entered), kept until submitted. */
export const caseDrafts = pgTable('case_drafts', {
  caseId: uuid('case_id')
    .primaryKey()
    .references(() => cases.id),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Every file received for a case: Telegram's file_id and our archived copy (sha256-addressed). */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => employees.id),
    /** What the file belongs to inside the case, e.g. an RHK id, 'skp_draft_pdf', 'signed_scan'. */
    purpose: text('purpose').notNull(),
    telegramFileId: text('telegram_file_id').notNull(),
    telegramFileUniqueId: text('telegram_file_unique_id'),
    fileName: text('file_name'),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256'),
    storagePath: text('storage_path'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    archiveError: text('archive_error'),
  },
  (t) => [index('evidence_files_case_idx').on(t.caseId, t.purpose), index('evidence_files_unarchived_idx').on(t.archivedAt)],
);

/** Messages the bot sent about a case (approval requests), so a decision can edit them and drop their buttons. */
export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    version: integer('version').notNull(),
    employeeId: uuid('employee_id').references(() => employees.id),
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    messageId: bigint('message_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('case_messages_case_idx').on(t.caseId, t.closedAt)],
);

/** Printed documents (Cetak SKP, monthly evaluation) with the verification code printed on them. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind').notNull(),
    caseVersion: integer('case_version').notNull(),
    verificationCode: text('verification_code').notNull(),
    sha256: text('sha256').notNull(),
    storagePath: text('storage_path'),
    createdBy: uuid('created_by').references(() => employees.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('documents_code_uq').on(t.verificationCode), index('documents_case_idx').on(t.caseId)],
);
