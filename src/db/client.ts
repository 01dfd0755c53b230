// Database client: postgres.js when DATABASE_URL is set, otherwise an embedded PGlite under the data directory.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** One type for both drivers: repositories and use cases never know which engine runs underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** A human description without credentials, for logs. */
  describe: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  maxConnections?: number;
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
export function withPreparedStatements<T extends Sql | postgres.TransactionSql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, args?: unknown, options?: Record<string, unknown>) =>
          Array.isArray(args) || args === undefined
            ? target.unsafe(query, (args ?? []) as never, { ...options, prepare: true })
            : target.unsafe(query, [], { ...(args as Record<string, unknown>), prepare: true });
      }
      if (property === 'begin' || property === 'savepoint') {
        return (...params: unknown[]) => {
          const callback = params.pop() as (tx: postgres.TransactionSql) => unknown;
          return (Reflect.get(target, property, receiver) as (...a: unknown[]) => unknown).apply(target, [
            ...params,
            (tx: postgres.TransactionSql) => callback(withPreparedStatements(tx)),
          ]);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const client = postgres(options.databaseUrl, {
      max: options.maxConnections ?? 10,
      onnotice: () => {},
      // No type-introspection query on each new connection: nothing here needs custom types, and that query is
      // the one place a connection cut during (re)connect would surface as an unhandled rejection.
      fetch_types: false,
      // Prepared statements (below) without the generic-plan switch: every execution is planned for its own
      // parameters, as an unprepared query was, so a report over a skewed period never runs on a poor cached plan.
      connection: { application_name: 'kinerja-bot', plan_cache_mode: 'force_custom_plan' },
    });
    const db = drizzlePostgres(withPreparedStatements(client), { schema }) as unknown as Db;
    const url = new URL(options.databaseUrl);
    return {
      db,
      kind: 'postgres',
      describe: `postgres ${url.hostname}:${url.port || 5432}${url.pathname}`,
      close: () => client.end({ timeout: 5 }),
    };
  }
  // Loaded lazily: the WASM engine is only needed when no server is configured.
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle: drizzlePglite } = await import('drizzle-orm/pglite');
  const dir = join(options.dataDir ?? 'data', 'pglite');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: 'pglite', describe: `embedded PGlite at ${dir}`, close: () => client.close() };
}

/** Rows of a raw `db.execute(sql...)` result, whichever driver produced it. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown[] } | null)?.rows;
  return (rows ?? []) as T[];
}
