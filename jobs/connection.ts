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
