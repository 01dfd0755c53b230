// BullMQ connection settings shared by every queue and worker (one prefix per deployment or test file).
import { Redis, type RedisOptions } from 'ioredis';

export interface QueueConnection {
  url: string;
  /** Redis key prefix for every queue ("kinerja" in production; unique per test file). */
  prefix: string;
}

/** BullMQ workers need maxRetriesPerRequest: null (blocking commands must not time out). */
export function createRedisConnection(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra });
}

/**
 * A BullMQ Queue without an 'error' listener prints every failed reconnect with console.error, bypassing the
 * logger (a flood of stack traces while Redis is down). Routes them to the log instead.
 */
export function logErrors<T extends { on(event: 'error', listener: (error: Error) => void): unknown }>(
  emitter: T,
  log: { warn(obj: object, msg: string): void },
  name: string,
): T {
  emitter.on('error', (error) => log.warn({ err: error, queue: name }, 'queue error'));
  return emitter;
}

/**
 * The Redis connections of one job module: each logs its errors and is quit when the module closes (BullMQ does
 * not close a connection it was handed).
 */
export function moduleConnections(url: string, log: { warn(obj: object, msg: string): void }): { open(): Redis; closeAll(): Promise<void> } {
  const connections: Redis[] = [];
  return {
    open() {
      const c = createRedisConnection(url);
      c.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
      connections.push(c);
      return c;
    },
    async closeAll() {
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
