// Database client: postgres.js when DATABASE_URL is set, otherwise an embedded PGlite under the data directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { lockEmbeddedDatabase } from './embedded-lock.js';
import { replaceablePool, startPoolWatchdog, trackQuery, type PendingQueries, type ReplaceablePool, type WatchdogOptions } from './pool-watchdog.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** One type for both drivers: repositories and use cases never know which engine runs underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The postgres.js pool (server databases only). */
  pool?: ReplaceablePool;
  /** A human description without credentials, for logs. */
  describe: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  maxConnections?: number;
  /** How long the server lets a transaction of this app sit idle before ending it (default 30 s). */
  idleInTransactionTimeoutMs?: number;
  /** The pool watchdog (src/db/pool-watchdog.ts); false turns it off. */
  watchdog?: WatchdogOptions | false;
  /** Told when the watchdog replaces a stuck pool (default: console.warn). */
  onPoolReplaced?: (message: string, details?: Record<string, unknown>) => void;
}

/**
 * drizzle runs every query unprepared, and postgres.js sends an unprepared query with parameters as two round
 * trips (describe the parameter types, then bind and execute) that cannot be pipelined. Prepared, a statement
 * is described once per connection and each later run is one round trip, and statements issued together in a
 * transaction go out in one write. The wrapper turns preparation on for every query, inside transactions and
 * savepoints too. (Each connection keeps its statements until it is recycled: the SQL texts are the app's own,
 * a bounded set.)
 */
type Sql = postgres.Sql;
/**
 * An option of `unsafe` that keeps a statement unprepared: PostgreSQL plans it for its own parameters on every run.
 * Cursor reads (exports, long reports) pass it; there a plan fitted to the period and scope asked matters more than
 * the round trip and the planning saved.
 */
const PLANNED_PER_RUN = 'kinerjaPlannedPerRun';
export function withPreparedStatements<T extends Sql | postgres.TransactionSql>(sql: T, pending?: PendingQueries): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, args?: unknown, options?: Record<string, unknown>) => {
          const { [PLANNED_PER_RUN]: perRun, ...rest } = (Array.isArray(args) || args === undefined ? options : (args as Record<string, unknown>)) ?? {};
          const q = target.unsafe(query, (Array.isArray(args) ? args : []) as never, { ...rest, prepare: perRun !== true });
          // Every query's wait is visible to the pool watchdog.
          return pending ? trackQuery(q, pending) : q;
        };
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...params: unknown[]) => {
          const callback = params.pop() as (tx: postgres.TransactionSql) => unknown;
          return (Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown).apply(target, [
            ...params,
            (tx: postgres.TransactionSql) => callback(withPreparedStatements(tx, pending)),
          ]);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const databaseUrl = options.databaseUrl;
    // Unique per process, so the watchdog can ask the server what this pool is running.
    const applicationName = `kinerja-bot:${process.pid}:${randomBytes(2).toString('hex')}`;
    const pool = replaceablePool(() =>
      postgres(databaseUrl, {
        max: options.maxConnections ?? 10,
        onnotice: () => {},
        // No type-introspection query on each new connection: nothing here needs custom types, and that query is
        // the one place a connection cut during (re)connect would surface as an unhandled rejection.
        fetch_types: false,
        // After a restart the server is usually back within seconds: reconnect attempts back off to at most 5 s
        // apart (postgres.js's own default climbs to 20 s, leaving part of the pool idle that long).
        backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.1 * 2 ** retries, 5),
        // Prepared statements (below) with PostgreSQL's own choice of plan (plan_cache_mode = auto): custom plans for
        // a statement's first five runs on a connection, then the cached generic plan unless it is estimated to
        // cost more. The app's frequent statements are keyed reads and writes, whose plan does not depend on the
        // values; planning each of them again (force_custom_plan, until 6 December) was half of PostgreSQL's CPU in
        // a burst of approvals. Cursor reads, the exports' long reads over a period and scope, stay planned for their
        // own parameters on every run (PLANNED_PER_RUN).
        connection: {
          application_name: applicationName,
          plan_cache_mode: 'auto',
          // No transaction of this app waits on anything but the database; one idle this long has lost its
          // client (a connection postgres.js no longer tracks after a cut): the server ends it, which frees the
          // row locks it holds and fails its connection, so the pool reconnects it.
          idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 30_000,
        },
      }),
    );
    const db = drizzlePostgres(withPreparedStatements(pool.sql, pool.pending), { schema }) as unknown as Db;
    const stopWatchdog =
      options.watchdog === false
        ? () => undefined
        : startPoolWatchdog(
            { pool, url: databaseUrl, applicationName, log: options.onPoolReplaced ?? ((message, details) => console.warn(message, details)) },
            options.watchdog,
          );
    const url = new URL(databaseUrl);
    return {
      db,
      kind: 'postgres',
      describe: `postgres ${url.hostname}:${url.port || 5432}${url.pathname}`,
      pool,
      close: () => {
        stopWatchdog();
        return pool.current.end({ timeout: 5 });
      },
    };
  }
  // Loaded lazily: the WASM engine is only needed when no server is configured.
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  const dir = join(options.dataDir ?? 'data', 'pglite');
  mkdirSync(dir, { recursive: true });
  // One process at a time: a second one (an import while the bot runs) stops here, before it writes anything.
  const release = lockEmbeddedDatabase(`${dir}.lock`, dir);
  let client;
  try {
    client = await PGlite.create(dir);
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const opened = client;
  return {
    db,
    kind: 'pglite',
    describe: `embedded PGlite at ${dir}`,
    close: async () => {
      try {
        await opened.close();
      } finally {
        release();
      }
    },
  };
}

/** Rows of a raw `db.execute(sql...)` result, whichever driver produced it. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown[] } | null)?.rows;
  return (rows ?? []) as T[];
}

/**
 * Bulk writes of this many rows refresh the planner's statistics of the tables they filled once they have committed.
 * Planned on an empty table's estimates (autovacuum has not looked yet, or is off), the statements that follow at
 * once ran as nested loops or hashes over every row (see refreshStatistics' callers).
 */
export const ANALYZE_FROM = 1000;

/**
 * ANALYZE of `tables` (a fixed list from the code, never user input): sampled, well under a second at 10^6 rows.
 * Run after the bulk write has committed, so a failure here changes nothing of it (autovacuum catches up later).
 */
export async function refreshStatistics(db: Db, tables: string[]): Promise<void> {
  await db.execute(sql.raw(`analyze ${tables.join(', ')}`)).catch(() => {});
}

/** The signals of the handles made by abortableDb. */
const abortSignals = new WeakMap<object, AbortSignal>();

/**
 * `db` for work that stops when `signal` aborts (an export past the upload limit): once it has, every use of the
 * handle (a query about to start) and every further batch of a rowBatches cursor throws the signal's reason
 * instead of reaching the database; the query already running finishes, and the cursor is closed.
 */
export function abortableDb<T extends Db>(db: T, signal: AbortSignal): T {
  const guarded = new Proxy(db, {
    get(target, key, receiver) {
      signal.throwIfAborted();
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  abortSignals.set(guarded, signal);
  return guarded;
}

/**
 * The rows of a raw query in batches of about `batchSize`, for results too big to hold at once (a year's export at
 * 10^5 employees): a postgres.js cursor on a server database holds one batch at a time; PGlite has no cursors
 * and gives its whole result as one batch. On a handle of abortableDb, the batch asked for after the abort throws
 * (and the cursor is closed) rather than being read.
 */
export async function* rowBatches<T = Record<string, unknown>>(db: Db, query: SQL, batchSize: number): AsyncGenerator<T[]> {
  const signal = abortSignals.get(db);
  const client = (db as unknown as { $client?: { unsafe?: unknown } }).$client;
  if (typeof client?.unsafe !== 'function') {
    yield rowsOf<T>(await db.execute(query));
    return;
  }
  const { sql: text, params } = (db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
  const pending = (client as postgres.Sql).unsafe(text, params as never[], { [PLANNED_PER_RUN]: true } as never);
  for await (const rows of pending.cursor(batchSize)) {
    yield rows as unknown as T[];
    signal?.throwIfAborted();
  }
}

/** The next item (a cursor's next batch) is asked for while the current one is worked on. */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done) return;
      next = it.next();
      // A failed read ahead is reported when its turn comes; until then it must not count as unhandled.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    await it.return?.();
  }
}
