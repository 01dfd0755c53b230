// The year's close: capaian kinerja organisasi per perangkat daerah and period, with its append-only audit.
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { employees, units } from './organisation.js';

/** One rating per perangkat daerah and period ('2026' for the year, '2026-03' for a month). */
export const orgRatings = pgTable(
  'org_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    perangkatDaerahId: uuid('perangkat_daerah_id')
      .notNull()
      .references(() => units.id),
    period: text('period').notNull(),
    rating: text('rating', { enum: ['istimewa', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang'] }).notNull(),
    setById: uuid('set_by_id')
      .notNull()
      .references(() => employees.id),
    setAt: timestamp('set_at', { withTimezone: true }).notNull(),
    /** Bumped by every change: the compare-and-set guard. */
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('org_ratings_pd_period_uq').on(t.perangkatDaerahId, t.period)],
);

/** Every setting and change of an org rating; append-only (migration trigger). */
export const orgRatingAudit = pgTable(
  'org_rating_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    perangkatDaerahId: uuid('perangkat_daerah_id')
      .notNull()
      .references(() => units.id),
    period: text('period').notNull(),
    previousRating: text('previous_rating'),
    rating: text('rating').notNull(),
    actorId: uuid('actor_id')
      .notNull()
      .references(() => employees.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('org_rating_audit_pd_idx').on(t.perangkatDaerahId, t.period, t.id)],
);
