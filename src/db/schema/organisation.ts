// Organisation tables: instansi, the unit tree, employees, their roles and append-only audit log.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

export const instansi = pgTable('instansi', {
  id: integer('id').primaryKey().default(1),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Units form a tree: perangkat daerah (depth 0) → bidang (1) → subbagian/seksi (2) → … */
export const units = pgTable(
  'units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id').references((): AnyPgColumn => units.id),
    name: text('name').notNull(),
    /** Full path from the perangkat daerah, joined with " / "; the natural key used by roster imports. */
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    /** The perangkat daerah this unit belongs to (itself at depth 0). */
    perangkatDaerahId: uuid('perangkat_daerah_id').references((): AnyPgColumn => units.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('units_path_uq').on(t.path), index('units_pd_idx').on(t.perangkatDaerahId)],
);

export const employees = pgTable(
  'employees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    nip: text('nip').notNull(),
    nama: text('nama').notNull(),
    jabatan: text('jabatan').notNull(),
    /** Pangkat and golongan ruang as the roster spells them ('Penata Muda Tk. I, III/b'); null when not given. */
    pangkat: text('pangkat'),
    /** Jenjang of a jabatan fungsional ('Ahli Pertama'…) for angka kredit; null when the roster gave none. */
    jenjang: text('jenjang'),
    jenisJabatan: text('jenis_jabatan', {
      enum: ['jpt', 'administrator', 'pengawas', 'pelaksana', 'fungsional'],
    }).notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => units.id),
    /** Pejabat penilai (atasan langsung). Null at the top of the roster. */
    atasanId: uuid('atasan_id').references((): AnyPgColumn => employees.id),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' }),
    telegramChatId: bigint('telegram_chat_id', { mode: 'number' }),
    linkedAt: timestamp('linked_at', { withTimezone: true }),
    /** Set when Telegram answers 403 (blocked / never started); cleared when the user writes again. */
    unreachableAt: timestamp('unreachable_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('employees_nip_uq').on(t.nip),
    uniqueIndex('employees_telegram_user_uq').on(t.telegramUserId),
    index('employees_phone_idx').on(t.phone),
    index('employees_unit_idx').on(t.unitId),
    index('employees_atasan_idx').on(t.atasanId),
  ],
);

export const employeeRoles = pgTable(
  'employee_roles',
  {
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    role: text('role', { enum: ['pengelola', 'bkpp_admin'] }).notNull(),
    /** For pengelola: the perangkat daerah they manage. */
    unitId: uuid('unit_id').references(() => units.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.employeeId, t.role] }), index('employee_roles_role_idx').on(t.role, t.unitId)],
);

/** Append-only: a trigger (migration 0001) refuses UPDATE and DELETE. */
export const employeeAudit = pgTable(
  'employee_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Employee who acted, when a person did (null for imports run from the CLI). */
    actorId: uuid('actor_id').references(() => employees.id),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [index('employee_audit_employee_idx').on(t.employeeId, t.at)],
);

/** One-time link codes for employees whose phone is not in the roster; only the sha256 is stored. */
export const linkCodes = pgTable(
  'link_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    employeeId: uuid('employee_id')
      .notNull()
      .references(() => employees.id),
    codeHash: text('code_hash').notNull(),
    issuedBy: uuid('issued_by')
      .notNull()
      .references(() => employees.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedByTelegramId: bigint('used_by_telegram_id', { mode: 'number' }),
  },
  (t) => [uniqueIndex('link_codes_hash_uq').on(t.codeHash)],
);
