// Bot bookkeeping: processed update ids, conversation progress rows, pending roster imports.
import { bigint, customType, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { employees } from './organisation.js';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * Telegram may deliver an update twice, to any of the bot processes; the first claim wins. A claim is a lease: while
 * `lease_until` is set the update is being handled, and a process may take it over only once the lease ran out (its
 * handler died with its process). Null once handled.
 */
export const processedUpdates = pgTable(
  'processed_updates',
  {
    updateId: bigint('update_id', { mode: 'number' }).primaryKey(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
  },
  (t) => [index('processed_updates_at_idx').on(t.processedAt)],
);

/** Where a user is in a multi-message conversation (kept in Postgres so a restart loses nothing). */
export const conversations = pgTable('conversations', {
  telegramUserId: bigint('telegram_user_id', { mode: 'number' }).primaryKey(),
  kind: text('kind').notNull(),
  state: jsonb('state').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A roster CSV sent to the bot, waiting for the admin's confirmation. */
export const rosterUploads = pgTable('roster_uploads', {
  id: uuid('id').primaryKey().defaultRandom(),
  uploadedBy: uuid('uploaded_by')
    .notNull()
    .references(() => employees.id),
  fileName: text('file_name').notNull(),
  content: bytea('content').notNull(),
  status: text('status', { enum: ['pending', 'applied', 'cancelled', 'failed'] }).notNull().default('pending'),
  summary: jsonb('summary').$type<Record<string, unknown>>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
});
