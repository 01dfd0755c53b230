// Keeps the postgres.js pool usable after the server cuts connections in the middle of transactions (a restart, a
// failover, an administrator's pg_terminate_backend). postgres.js 3.4.9 can then lose pool connections for good:
// one whose transaction was cut keeps waiting for an answer that never comes, and each cut can take another, until
// no query runs at all (test/integration/db-restart.test.ts reproduces it with the bare library).
//
// The watchdog asks the pool for `select 1` now and then. When that does not come back in time, or a query of the
// app has waited (or a transaction been open) that long, it asks the server, over a connection of its own, whether
// this process has anything running: if it has, the pool is only busy (a long export, a roster import); if it has
// nothing, the pool is stuck, and a fresh pool replaces it. The old pool is ended with a grace period, which fails
// whatever still waits on it (the handlers answer "coba lagi"). A server that cannot be reached at all is not the
// pool's fault: the pool reconnects by itself once it is back.
import postgres from 'postgres';

export interface ReplaceablePool {
  /** The client to hand to drizzle: it always forwards to the current pool. */
  readonly sql: postgres.Sql;
  readonly current: postgres.Sql;
  /** Opens a fresh pool and ends the old one after `drainMs`. */
  replace(drainMs: number): void;
  /** Times the pool has been replaced. */
  readonly replacements: number;
  /** Queries sent and not yet answered (filled by withPreparedStatements through trackQuery). */
  readonly pending: PendingSet;
  /** Age of the oldest query waiting for its answer or transaction still open (0 when none). */
  oldestPendingMs(): number;
}

export type PendingSet = Set<{ started: number }>;

/**
 * The same postgres.js query, its wait counted in `pending` from the moment it is awaited until it settles. (A
 * postgres.js query runs when first awaited; `values()` and `raw()` return the query itself, so they return the
 * tracked one.)
 */
export function trackQuery<Q extends object>(query: Q, pending: PendingSet): Q {
  const tracked: Q = new Proxy(query, {
    get(target, property) {
      if (property === 'then') {
        return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) => {
          const entry = { started: performance.now() };
          pending.add(entry);
          const settle = () => pending.delete(entry);
          return (target as unknown as Promise<unknown>)
            .then(
              (value) => (settle(), value),
              (error: unknown) => {
                settle();
                throw error;
              },
            )
            .then(onFulfilled, onRejected);
        };
      }
      if (property === 'values' || property === 'raw') {
        return (...args: unknown[]) => {
          (Reflect.get(target, property, target) as (...a: unknown[]) => unknown).apply(target, args);
          return tracked;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return tracked;
}

/** A postgres.js client behind a proxy that stays the same object while the pool beneath is replaced. */
export function replaceablePool(open: () => postgres.Sql): ReplaceablePool {
  let current = open();
  let replacements = 0;
  /** Queries awaiting their answer and transactions in progress: one stuck on a lost connection shows here. */
  const pending: PendingSet = new Set();
  const sql = new Proxy(function placeholder() {} as unknown as postgres.Sql, {
    apply: (_target, thisArg, args) => Reflect.apply(current as unknown as (...a: unknown[]) => unknown, thisArg, args),
    get: (_target, property) => {
      if (property === 'begin') {
        return (...args: unknown[]) => {
          const entry = { started: performance.now() };
          pending.add(entry);
          const running = (current.begin as (...a: unknown[]) => Promise<unknown>)(...args);
          return running.finally(() => pending.delete(entry));
        };
      }
      const value = Reflect.get(current, property) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(current) : value;
    },
    set: (_target, property, value) => Reflect.set(current, property, value),
    has: (_target, property) => Reflect.has(current, property),
  });
  return {
    sql,
    get current() {
      return current;
    },
    get replacements() {
      return replacements;
    },
    pending,
    oldestPendingMs() {
      let oldest = Infinity;
      for (const t of pending) oldest = Math.min(oldest, t.started);
      return oldest === Infinity ? 0 : performance.now() - oldest;
    },
    replace(drainMs) {
      const old = current;
      current = open();
      // drizzle sets its type parsers on the client it was given; the new pool parses the same way.
      Object.assign(current.options.parsers, old.options.parsers);
      Object.assign(current.options.serializers, old.options.serializers);
      replacements++;
      void old.end({ timeout: drainMs / 1000 }).catch(() => undefined);
    },
  };
}

export interface WatchdogOptions {
  /** How often the pool is asked (default 30 s). */
  intervalMs?: number;
  /** How long `select 1` may take before the server is asked (default 10 s). */
  probeTimeoutMs?: number;
  /** Grace period of the replaced pool (default 5 s). */
  drainMs?: number;
}

export interface WatchdogDeps {
  pool: ReplaceablePool;
  url: string;
  /** This process's application_name: the server's view of what the pool is running. */
  applicationName: string;
  log: (message: string, details?: Record<string, unknown>) => void;
}

class TimedOut extends Error {}

const within = <T>(ms: number, promise: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new TimedOut()), ms))),
  ]);
};

/** One check: returns what it found (also for tests). */
export async function checkPool(deps: WatchdogDeps, options: Required<WatchdogOptions>): Promise<'ok' | 'down' | 'busy' | 'replaced'> {
  try {
    await within(options.probeTimeoutMs, Promise.resolve(deps.pool.current.unsafe('select 1').execute()));
    // The pool answers, but a query waiting (or a transaction open) this long may sit on a connection it has lost.
    if (deps.pool.oldestPendingMs() < options.probeTimeoutMs) return 'ok';
  } catch (error) {
    if (!(error instanceof TimedOut)) return 'down'; // an error answer: the server is down or restarting
  }
  const probe = postgres(deps.url, {
    max: 1,
    connect_timeout: 5,
    idle_timeout: 1,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: `${deps.applicationName}:watchdog` },
  });
  try {
    // Three looks over half a second: a busy pool between two queries is not mistaken for a stuck one.
    for (let look = 0; look < 3; look++) {
      if (look > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const [row] = await within(
        5_000,
        Promise.resolve(probe<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where application_name = ${deps.applicationName} and state <> 'idle'`),
      );
      if ((row?.n ?? 0) > 0) return 'busy';
    }
    deps.log('database pool stuck (select 1 unanswered, nothing of ours running on the server): replacing it', {
      probeTimeoutMs: options.probeTimeoutMs,
    });
    deps.pool.replace(options.drainMs);
    return 'replaced';
  } catch {
    return 'down';
  } finally {
    await probe.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** Checks the pool every `intervalMs`; returns the function that stops it. */
export function startPoolWatchdog(deps: WatchdogDeps, options: WatchdogOptions = {}): () => void {
  const resolved: Required<WatchdogOptions> = {
    intervalMs: options.intervalMs ?? 30_000,
    probeTimeoutMs: options.probeTimeoutMs ?? 10_000,
    drainMs: options.drainMs ?? 5_000,
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void checkPool(deps, resolved).finally(() => (running = false));
  }, resolved.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
