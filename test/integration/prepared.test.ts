// Statements built once (src/db/prepared.ts): each run uses the connection or transaction it is given, its own
// values (null as SQL NULL), and a statement that captured a value instead of a placeholder fails at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { rowsOf, type Db, type DbOrTx } from '../../src/db/client.js';
import { runPrepared, slot } from '../../src/db/prepared.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const notes = pgTable('prepared_probe', {
  id: integer('id').primaryKey(),
  body: text('body'),
  at: timestamp('at', { withTimezone: true }),
  data: jsonb('data'),
});
const createTable = sql`create table prepared_probe (id int primary key, body text, at timestamptz, data jsonb)`;

const insertNote = (db: DbOrTx, values: { id: number; body: string | null; at: Date | null; data: unknown }) =>
  runPrepared(db, 'test.insertNote', (db) => db.insert(notes).values({ id: slot('id'), body: slot('body'), at: slot('at'), data: slot('data') }), values);
const findNote = (db: DbOrTx, id: number) =>
  runPrepared(db, 'test.findNote', (db) => db.select().from(notes).where(eq(notes.id, sql.placeholder('id'))), { id });

let t: TestDatabase;
let lite: PGlite;
let liteDb: Db;

beforeAll(async () => {
  t = await createTestDatabase({ maxConnections: 2 });
  await t.db.execute(createTable);
  lite = new PGlite();
  liteDb = drizzlePglite(lite) as unknown as Db;
  await liteDb.execute(createTable);
});
afterAll(async () => {
  await t?.drop();
  await lite?.close();
});

describe('statements built once', () => {
  for (const driver of ['postgres.js', 'PGlite'] as const) {
    it(`run with each call's values and map the rows as drizzle does (${driver})`, async () => {
      const db = driver === 'postgres.js' ? t.db : liteDb;
      const at = new Date('2026-12-07T01:02:03.000Z');
      await insertNote(db, { id: 1, body: 'satu', at, data: { rhk: ['a'] } });
      await insertNote(db, { id: 2, body: null, at: null, data: null });
      expect(await findNote(db, 1)).toEqual([{ id: 1, body: 'satu', at, data: { rhk: ['a'] } }]);
      // null is SQL NULL, for a timestamp and for jsonb alike (not JSON null).
      expect(await findNote(db, 2)).toEqual([{ id: 2, body: null, at: null, data: null }]);
      const [nulls] = rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from prepared_probe where id = 2 and data is null and at is null`));
      expect(nulls!.n).toBe(1);
    });

    it(`run inside the transaction they are given, and roll back with it (${driver})`, async () => {
      const db = driver === 'postgres.js' ? t.db : liteDb;
      const failure = new Error('rolled back');
      await expect(
        db.transaction(async (tx) => {
          await insertNote(tx, { id: 3, body: 'tiga', at: null, data: {} });
          // Only this transaction sees the row so far.
          expect(await findNote(tx, 3)).toHaveLength(1);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await findNote(db, 3)).toEqual([]);
    });
  }

  it('refuses a run without a value for every placeholder', async () => {
    await expect(findNote(t.db, undefined as unknown as number)).rejects.toThrow(/no value for placeholder "id"/);
  });

  it('fails a statement whose build captured a value instead of a placeholder', async () => {
    const captured = (db: DbOrTx, id: number) => runPrepared(db, 'test.captured', (db) => db.select().from(notes).where(eq(notes.id, id)), {});
    await captured(t.db, 1);
    await expect(captured(t.db, 2)).rejects.toThrow(/built differently from its first run/);
  });
});
