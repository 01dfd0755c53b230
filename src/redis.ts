// Redis for BullMQ: REDIS_URL, else a local server on 6379, else a private redis-server child process.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from './logger.js';

export interface RedisHandle {
  url: string;
  /** Present when the app started its own redis-server. */
  child?: ChildProcess;
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {}

const LOCAL_DEFAULT = 'redis://127.0.0.1:6379';

export async function ping(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export function redisServerInstalled(binary = 'redis-server'): boolean {
  const result = spawnSync(binary, ['--version'], { stdio: 'ignore' });
  return result.status === 0;
}

export async function ensureRedis(options: {
  redisUrl?: string;
  dataDir: string;
  logger: Logger;
  /** Where to look for an already running server (tests point it at an unused port). */
  localUrl?: string;
  /** The redis-server executable (tests use a missing one to see the install hint). */
  redisServerBinary?: string;
}): Promise<RedisHandle> {
  const binary = options.redisServerBinary ?? 'redis-server';
  if (options.redisUrl) return { url: options.redisUrl, stop: async () => {} };
  const localUrl = options.localUrl ?? LOCAL_DEFAULT;
  if (await ping(localUrl)) {
    options.logger.info({ url: localUrl }, 'using the local Redis server');
    return { url: localUrl, stop: async () => {} };
  }
  if (!redisServerInstalled(binary)) {
    throw new RedisUnavailableError(
      `Redis is not reachable on ${localUrl.replace('redis://', '')} and no redis-server is installed. ` +
        'Install it (Debian/Ubuntu: sudo apt-get install redis-server) or set REDIS_URL=redis://host:6379.',
    );
  }
  const dir = resolve(join(options.dataDir, 'redis'));
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  // Persistence on (appendonly) and no eviction: BullMQ must never lose keys silently.
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', ''],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await ping(url, 500)) {
      options.logger.info({ port, dir }, 'started a private redis-server');
      return {
        url,
        child,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise<void>((r) => child.once('exit', () => r()));
          child.kill('SIGTERM');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        },
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`redis-server did not start (data dir ${dir}). Set REDIS_URL to an existing Redis server.`);
}

/** BullMQ needs maxmemory-policy noeviction; anything else can silently drop jobs. */
export async function checkEvictionPolicy(client: Redis, logger: Logger): Promise<void> {
  try {
    const result = (await client.config('GET', 'maxmemory-policy')) as string[];
    const policy = result[1];
    if (policy && policy !== 'noeviction') {
      logger.warn({ policy }, 'Redis maxmemory-policy is not "noeviction": queued jobs may be evicted; set it to noeviction');
    }
  } catch (error) {
    logger.warn({ err: error }, 'could not read Redis maxmemory-policy (CONFIG may be disabled)');
  }
}
