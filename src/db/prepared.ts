// Statements of the hot path built by drizzle once per process, not on every run.
//
// drizzle turns its query builders into SQL text on every execution: for the dozen statements of one approval that
// was 1.5 ms of the bot's CPU on a 2-vCPU machine, a fifth of what an approval cost it (bench/buttons.bench.ts,
// 7 December 2026). A statement built here takes every value from a placeholder (`sql.placeholder(name)`), so its
// text and parameter list are the same for every run: they are built the first time and reused, on whatever
// connection or transaction the caller passes. drizzle's own result mapping still runs.
import { is, Param, Placeholder, sql } from 'drizzle-orm';
import type { DbOrTx } from './client.js';

/** What a drizzle builder with placeholders turns into (a select, insert, update or delete). */
interface Preparable<R> {
  prepare(name: string): Prepared<R>;
}
interface Prepared<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/** drizzle's internals the reuse relies on: a database's session and the client a prepared query runs on. */
interface WithSession {
  session: { client: unknown };
}
interface PreparedInternals {
  queryString: string;
  params: unknown[];
}

/** Built statements, by name and by driver (postgres.js and PGlite build different prepared-query objects). */
const built = new Map<string, Map<unknown, Prepared<unknown>>>();

/** Under vitest every run is built again and compared, so a value captured in `build` fails a test at once. */
const verify = process.env.VITEST !== undefined;

/**
 * Runs the statement `name` on `db` (a database or a transaction) with `values` for its placeholders.
 *
 * `build` must take every value from a placeholder: it runs once per process and driver, and whatever else it
 * captured would be reused for every later run. A statement whose shape varies (optional columns, a number of rows)
 * is one name per shape. A placeholder given `null` is sent as SQL NULL (drizzle's own filling would hand null to
 * the column's encoder: a timestamp's throws, a jsonb's writes JSON `null`).
 */
export async function runPrepared<R>(db: DbOrTx, name: string, build: (db: DbOrTx) => Preparable<R>, values: Record<string, unknown>): Promise<R> {
  const session = (db as unknown as WithSession).session;
  let byDriver = built.get(name);
  if (!byDriver) built.set(name, (byDriver = new Map()));
  let prepared = byDriver.get(session.constructor) as Prepared<R> | undefined;
  if (!prepared) {
    prepared = build(db).prepare(name);
    byDriver.set(session.constructor, prepared as Prepared<unknown>);
  } else if (verify) {
    assertSameShape(name, prepared, build(db).prepare(name));
  }
  const template = prepared as unknown as PreparedInternals;
  // The built query with this run's client and values; its text, fields and result mapping are shared.
  const run = Object.create(prepared) as PreparedInternals & Prepared<R> & { client: unknown };
  run.client = session.client;
  run.params = fill(name, template.params, values);
  return run.execute();
}

function fill(name: string, params: readonly unknown[], values: Record<string, unknown>): unknown[] {
  return params.map((p) => {
    if (is(p, Placeholder)) return valueOf(name, values, p.name);
    if (is(p, Param) && is(p.value, Placeholder)) {
      const value = valueOf(name, values, p.value.name);
      return value === null ? null : p.encoder.mapToDriverValue(value);
    }
    return p;
  });
}

function valueOf(name: string, values: Record<string, unknown>, key: string): unknown {
  const value = values[key];
  if (value === undefined) throw new Error(`statement ${name}: no value for placeholder "${key}"`);
  return value;
}

/** The parameter list with placeholders by name and fixed values as they are. */
function shapeOf(params: readonly unknown[]): unknown[] {
  return params.map((p) => (is(p, Placeholder) ? `:${p.name}` : is(p, Param) && is(p.value, Placeholder) ? `:${p.value.name}` : p));
}

function assertSameShape(name: string, cached: Prepared<unknown>, fresh: Prepared<unknown>): void {
  const a = cached as unknown as PreparedInternals;
  const b = fresh as unknown as PreparedInternals;
  if (a.queryString !== b.queryString || JSON.stringify(shapeOf(a.params)) !== JSON.stringify(shapeOf(b.params))) {
    throw new Error(`statement ${name} was built differently from its first run: every value must come from a placeholder, every shape have its own name`);
  }
}

/**
 * A placeholder where drizzle's types want a column's value (an insert's values, an update's set). drizzle wraps it
 * as that column's parameter, so the run's value is encoded as the column encodes it (a Date as a timestamp, an
 * object as jsonb).
 */
export const slot = (name: string): never => sql.placeholder(name) as never;
