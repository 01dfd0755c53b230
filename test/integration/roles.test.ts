// Integration: process roles (a `bot` process runs no worker or scheduler, a `jobs` process takes no updates) and
// the Redis-loss watch (a vanished marker key rebuilds at once).
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { DAILY_SCHEDULER_ID } from '../../jobs/reminders.js';
import { watchRedisLoss } from '../../jobs/redis-loss.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_REDIS_URL } from '../support/env.js';

const apps: TestApp[] = [];
afterAll(async () => {
  for (const app of apps) await app.stop();
});

const schedulerOf = (t: TestApp) =>
  (t.app.jobs.modules.find((m) => m.name === 'reminders')!.queues![0]! as Queue).getJobScheduler(DAILY_SCHEDULER_ID);

describe('ROLES', () => {
  it('bot: takes updates and upserts no scheduler', async () => {
    const t = await startTestApp({ env: { ROLES: 'bot' } });
    apps.push(t);
    await t.fake.waitForPolling();
    expect(await schedulerOf(t)).toBeUndefined();
    const user = t.fake.addUser({ id: 5151, first_name: 'Budi' });
    t.fake.sendText(user.id, '/bantuan');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/Perintah yang tersedia/);
  });

  it('jobs: runs the schedulers and does not poll', async () => {
    const t = await startTestApp({ env: { ROLES: 'jobs' } });
    apps.push(t);
    expect(await schedulerOf(t)).toMatchObject({ tz: expect.any(String) });
    await new Promise((r) => setTimeout(r, 300));
    expect(t.fake.isPolling()).toBe(false);
    expect(t.fake.calls('getUpdates')).toHaveLength(0);
  });
});

describe('the Redis-loss watch', () => {
  it('rebuilds once when the marker key is gone (a FLUSHALL disconnects nobody), then not again', async () => {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const key = `trl${process.pid}_${randomBytes(3).toString('hex')}:alive`;
    let rebuilds = 0;
    const watch = await watchRedisLoss({ redis, key, logger: pino({ level: 'silent' }), intervalMs: 60_000, onLoss: async () => void rebuilds++ });
    try {
      expect(await redis.exists(key)).toBe(1);
      expect(await watch.check()).toBe(false);
      await redis.del(key);
      expect(await watch.check()).toBe(true);
      expect(rebuilds).toBe(1);
      expect(await redis.exists(key)).toBe(1);
      expect(await watch.check()).toBe(false);
      expect(rebuilds).toBe(1);
    } finally {
      watch.stop();
      await redis.del(key);
      await redis.quit();
    }
  });
});
