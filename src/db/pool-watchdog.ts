// Keeps the postgres.js pool usable after the server cuts connections in the middle of transactions (a restart, a
// failover, an administrator's pg_terminate_backend). postgres.js 3.4.9 can then lose pool connections for good:
// one whose transaction was cut keeps waiting for an answer that never comes, and each cut can take another, until
// no query runs at all (test/integration/db-restart.test.ts reproduces it with the bare library).
//
// The watchdog asks the pool for `select 1` now and then, and looks sooner when a query of the current pool has
// waited (or a transaction been open) longer than the probe time. When `select 1` does not come back in time, or a
// query has waited that long, it asks the server, over a connection of its own, whether this process runs anything
// about as old as that wait: if it does, the pool is only busy (a long export, a roster import); if it does not
// (nothing at all, or only queries younger than the wait), the wait sits on a lost connection, and a fresh pool
// replaces the stuck one. The old pool is ended with a grace period, which fails whatever still waits on it (the
// handlers answer "coba lagi"); its waits no longer count against the fresh pool. A server that cannot be reached
// at all is not the pool's fault: the pool reconnects by itself once it is back.
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
  readonly pending: PendingQueries;
  /** Age of the oldest query of the current pool waiting for its answer, or transaction still open (0 when none). */
  oldestPendingMs(): number;
}

export interface PendingQueries {
  /**
   * Counts a wait of the current pool from `started` (default: now) until the returned function is called. Should
   * the pool be replaced first, `abandon` is called once the old pool's grace period is over: the wait sits on a
   * connection postgres.js lost, and would otherwise never settle.
   */
  track(abandon: (error: Error) => void, started?: number): () => void;
}

/** The error a wait abandoned with its pool gets: a lost connection, as postgres.js names one. */
export const poolReplacedError = (): Error =>
  Object.assign(new Error('the database connection was lost (the pool was replaced)'), { code: 'CONNECTION_DESTROYED' });

/** `promise` settled as it settles, or rejected when its pool is abandoned; counted in `pending` meanwhile. */
function tracked<T>(promise: PromiseLike<T>, pending: PendingQueries): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const settle = pending.track(reject);
    promise.then(
      (value) => (settle(), resolve(value)),
      (error: unknown) => (settle(), reject(error)),
    );
  });
}

/**
 * The same postgres.js query, its wait counted in `pending` from the moment it is awaited until it settles. (A
 * postgres.js query runs when first awaited; `values()` and `raw()` return the query itself, so they return the
 * tracked one.)
 */
export function trackQuery<Q extends object>(query: Q, pending: PendingQueries): Q {
  const trackedQuery: Q = new Proxy(query, {
    get(target, property) {
      if (property === 'then') {
        return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
          tracked(target as unknown as PromiseLike<unknown>, pending).then(onFulfilled, onRejected);
      }
      if (property === 'values' || property === 'raw') {
        return (...args: unknown[]) => {
          (Reflect.get(target, property, target) as (...a: unknown[]) => unknown).apply(target, args);
          return trackedQuery;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return trackedQuery;
}

/** A postgres.js client behind a proxy that stays the same object while the pool beneath is replaced. */
export function replaceablePool(open: () => postgres.Sql): ReplaceablePool {
  let current = open();
  let replacements = 0;
  /**
   * The current pool's queries awaiting their answer and transactions in progress: one stuck on a lost connection
   * shows here. A replacement starts a new set, so what still hangs on the old pool is not held against the new one.
   */
  let waits = new Set<{ started: number; abandon: (error: Error) => void }>();
  const pending: PendingQueries = {
    track(abandon, started = performance.now()) {
      const set = waits;
      const entry = { started, abandon };
      set.add(entry);
      return () => void set.delete(entry);
    },
  };
  const sql = new Proxy(function placeholder() {} as unknown as postgres.Sql, {
    apply: (_target, thisArg, args) => Reflect.apply(current as unknown as (...a: unknown[]) => unknown, thisArg, args),
    get: (_target, property) => {
      if (property === 'begin') {
        return (...args: unknown[]) => {
          return tracked((current.begin as (...a: unknown[]) => Promise<unknown>)(...args), pending);
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
      for (const t of waits) oldest = Math.min(oldest, t.started);
      return oldest === Infinity ? 0 : performance.now() - oldest;
    },
    replace(drainMs) {
      const old = current;
      current = open();
      const left = waits;
      waits = new Set();
      // What still waits on the old pool once its grace period is over (half a second more, so postgres.js's own
      // errors come first) sits on a lost connection: it fails, so its handler answers "coba lagi".
      setTimeout(() => {
        for (const wait of left) wait.abandon(poolReplacedError());
        left.clear();
      }, drainMs + 500).unref();
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
  /**
   * How long `select 1`, or a query of the app, may wait before the server is asked (default 5 s). A stuck pool is
   * replaced, and what hung on it failed, within about this plus the grace period and a second: well inside the
   * ~15 s in which Telegram still takes a button's answer.
   */
  probeTimeoutMs?: number;
  /** Grace period of the replaced pool: its queries still running may finish (default 2 s). */
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
  let waitedMs: number;
  try {
    await within(options.probeTimeoutMs, Promise.resolve(deps.pool.current.unsafe('select 1').execute()));
    // The pool answers, but a query waiting (or a transaction open) this long may sit on a connection it has lost.
    waitedMs = deps.pool.oldestPendingMs();
    if (waitedMs < options.probeTimeoutMs) return 'ok';
  } catch (error) {
    if (!(error instanceof TimedOut)) return 'down'; // an error answer: the server is down or restarting
    waitedMs = Math.max(options.probeTimeoutMs, deps.pool.oldestPendingMs());
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
    // Busy means the server runs a query (or holds a transaction) of ours that began no later than half the wait
    // ago: the long query the others queue behind. Only younger ones (a stream of short queries on the connections
    // still alive) or none at all: the wait is on a connection the pool has lost. Three looks over half a second,
    // so a busy pool between two queries is not mistaken for a stuck one.
    const olderThanMs = Math.round(waitedMs / 2);
    for (let look = 0; look < 3; look++) {
      if (look > 0) await new Promise((resolve) => setTimeout(resolve, 250));
      const [row] = await within(
        5_000,
        Promise.resolve(
          probe<{ n: number }[]>`select count(*)::int as n from pg_stat_activity
            where application_name = ${deps.applicationName} and state <> 'idle'
              and coalesce(xact_start, query_start) <= now() - make_interval(secs => ${olderThanMs / 1000})`,
        ),
      );
      if ((row?.n ?? 0) > 0) return 'busy';
    }
    deps.log('database pool stuck (a query waits with nothing as old of ours running on the server): replacing it', {
      waitedMs: Math.round(waitedMs),
    });
    deps.pool.replace(options.drainMs);
    return 'replaced';
  } catch {
    return 'down';
  } finally {
    await probe.end({ timeout: 1 }).catch(() => undefined);
  }
}

/**
 * Checks the pool every `intervalMs`, and sooner when a query of the current pool has waited past the probe time
 * (looked at every second, at most one check per half probe time); returns the function that stops it.
 */
export function startPoolWatchdog(deps: WatchdogDeps, options: WatchdogOptions = {}): () => void {
  const resolved: Required<WatchdogOptions> = {
    intervalMs: options.intervalMs ?? 30_000,
    probeTimeoutMs: options.probeTimeoutMs ?? 5_000,
    drainMs: options.drainMs ?? 2_000,
  };
  let running = false;
  let lastCheck = performance.now();
  const timer = setInterval(
    () => {
      if (running) return;
      const since = performance.now() - lastCheck;
      const due = since >= resolved.intervalMs || (since >= resolved.probeTimeoutMs / 2 && deps.pool.oldestPendingMs() >= resolved.probeTimeoutMs);
      if (!due) return;
      running = true;
      void checkPool(deps, resolved).finally(() => {
        running = false;
        lastCheck = performance.now();
      });
    },
    Math.min(1_000, resolved.intervalMs),
  );
  timer.unref();
  return () => clearInterval(timer);
}
