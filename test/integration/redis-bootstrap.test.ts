// When no REDIS_URL is given and nothing answers locally, the app starts (and stops) a private redis-server.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { ensureRedis, ping, RedisUnavailableError } from '../../src/redis.js';
import { TEST_REDIS_URL } from '../support/env.js';

const logger = pino({ level: 'silent' });
const UNUSED = 'redis://127.0.0.1:1'; // nothing listens on port 1

describe('Redis bootstrap', () => {
  it('uses REDIS_URL as given', async () => {
    const handle = await ensureRedis({ redisUrl: TEST_REDIS_URL, dataDir: 'unused', logger });
    expect(handle.url).toBe(TEST_REDIS_URL);
    expect(handle.child).toBeUndefined();
  });

  it('starts a private redis-server with persistence and noeviction, and stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kinerja-redis-'));
    const handle = await ensureRedis({ dataDir, logger, localUrl: UNUSED });
    try {
      expect(handle.child).toBeDefined();
      const client = new Redis(handle.url);
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      await client.set('k', 'v');
      client.disconnect();
      expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    } finally {
      await handle.stop();
    }
    expect(await ping(handle.url, 300)).toBe(false);
  });

  it('explains how to install Redis when there is none', async () => {
    const attempt = ensureRedis({ dataDir: 'unused', logger, localUrl: UNUSED, redisServerBinary: 'redis-server-missing' });
    await expect(attempt).rejects.toBeInstanceOf(RedisUnavailableError);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server.*REDIS_URL/s);
  });
});
