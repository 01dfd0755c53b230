// Shared setup for job-module tests: link roster employees to fake Telegram users, and build JobsDeps over them.
import { eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { Telegram } from 'telegraf';
import type { JobsDeps } from '../../jobs/index.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import type { AppConfig } from '../../src/config.js';
import { employees } from '../../src/db/schema/index.js';
import { createCalendar } from '../../src/domain/calendar.js';
import type { TestDatabase } from './db.js';
import { TEST_REDIS_URL } from './env.js';
import type { FakeTelegram } from './fake-telegram.js';

/** Links each named employee to a new fake Telegram user (ids from `firstId` + 1); returns chat and employee ids. */
export async function linkPeople<W extends string>(
  db: TestDatabase,
  fake: FakeTelegram,
  nips: Record<W, string>,
  firstId: number,
): Promise<{ chat: Record<W, number>; ids: Record<W, string> }> {
  const chat = {} as Record<W, number>;
  const ids = {} as Record<W, string>;
  let n = firstId;
  for (const [who, nip] of Object.entries(nips) as Array<[W, string]>) {
    chat[who] = ++n;
    fake.addUser({ id: n, first_name: who });
    fake.markStarted(n);
    const [row] = await db.db.update(employees).set({ telegramUserId: n, telegramChatId: n }).where(eq(employees.nip, nip)).returning({ id: employees.id });
    ids[who] = row!.id;
  }
  return { chat, ids };
}

/** JobsDeps as the runtime builds them, over a test database, the fake Bot API and a private queue prefix. */
export function testJobsDeps(input: { db: TestDatabase; fake: FakeTelegram; config: AppConfig; redis: Redis; prefix: string }): JobsDeps {
  return {
    db: input.db.db,
    config: input.config,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    calendar: createCalendar(input.config.calendar),
    procedures: createProcedureRegistry(input.config.deployment.procedures),
    telegram: new Telegram(input.fake.token, { apiRoot: input.fake.apiRoot, webhookReply: false }),
    connection: { url: TEST_REDIS_URL, prefix: input.prefix },
    redis: input.redis,
    now: () => new Date(),
    botUsername: 'kinerja_test_bot',
    outboxHandlers: new Map(),
  };
}
