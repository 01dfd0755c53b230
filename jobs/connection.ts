// BullMQ connection settings shared by every queue and worker (one prefix per deployment or test file), on one
// Redis server or a Redis Cluster.
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export interface ClusterNode {
  host: string;
  port: number;
}

/** Where Redis is: a URL, or the seed nodes of a Redis Cluster (then the URL is not used). */
export interface RedisTarget {
  url: string;
  clusterNodes?: ClusterNode[];
}

export interface QueueConnection extends RedisTarget {
  /**
   * Redis key prefix for every queue ("kinerja" in production; unique per test file). On a cluster it is a hash
   * tag ("{kinerja}") so every key of the deployment lands in one slot, as BullMQ's Lua scripts and our own
   * multi-key scripts need.
   */
  prefix: string;
}

/** The queue prefix for a configured QUEUE_PREFIX: hash-tagged on a cluster. */
export function queuePrefix(configured: string, target: RedisTarget): string {
  return target.clusterNodes?.length && !configured.startsWith('{') ? `{${configured}}` : configured;
}

/** The connection settings of a deployment from its environment. */
export function queueConnectionFrom(url: string, env: { QUEUE_PREFIX: string; REDIS_CLUSTER_NODES?: ClusterNode[] | undefined }): QueueConnection {
  const target: RedisTarget = { url, clusterNodes: env.REDIS_CLUSTER_NODES };
  return { ...target, prefix: queuePrefix(env.QUEUE_PREFIX, target) };
}

/** BullMQ workers need maxRetriesPerRequest: null (blocking commands must not time out). */
export function createRedisConnection(target: string | RedisTarget, extra: RedisOptions = {}): Redis {
  const { url, clusterNodes } = typeof target === 'string' ? { url: target, clusterNodes: undefined } : target;
  const options: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra };
  if (clusterNodes?.length) {
    // Typed as Redis for the callers: BullMQ takes either, and every command used here exists on a Cluster.
    return new Cluster(clusterNodes, { redisOptions: options, enableReadyCheck: true }) as unknown as Redis;
  }
  return new Redis(url, options);
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
export function moduleConnections(url: string | RedisTarget, log: { warn(obj: object, msg: string): void }): { open(): Redis; closeAll(): Promise<void> } {
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
