// Shared setup for job-module tests: link roster employees to fake Telegram users, and build JobsDeps over them.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { JOB_PATIENCE_MS, withCallOptions } from '../../src/chat/outgoing/index.js';
import { createOutgoingTelegram, createProductOutgoing } from '../../src/chat/outgoing/product.js';
import type { JobsDeps } from '../../jobs/index.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import type { AppConfig } from '../../src/config.js';
import { caseEvents, employees, outbox } from '../../src/db/schema/index.js';
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
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  // As the runtime does: every call through the outgoing path, with a job's patience.
  const outgoing = createProductOutgoing({ env: { ...input.config.env, QUEUE_PREFIX: input.prefix }, redis: input.redis, db: input.db.db, logger });
  return {
    db: input.db.db,
    config: input.config,
    logger,
    calendar: createCalendar(input.config.calendar),
    procedures: createProcedureRegistry(input.config.deployment.procedures),
    telegram: withCallOptions(createOutgoingTelegram(outgoing, input.fake.token, input.fake.apiRoot), { patienceMs: JOB_PATIENCE_MS }),
    connection: { url: TEST_REDIS_URL, prefix: input.prefix },
    redis: input.redis,
    now: () => new Date(),
    botUsername: 'kinerja_test_bot',
    outboxHandlers: new Map(),
  };
}

/** Deletes every Redis key of one queue prefix (a FLUSHALL limited to this test's keys). */
export async function flushRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** Plays the outbox dispatcher for the SLA rows only (tests that run the SLA module without the outbox module). */
export async function dispatchSlaOutbox(db: TestDatabase, deps: JobsDeps): Promise<void> {
  const rows = await db.db
    .select()
    .from(outbox)
    .where(and(isNull(outbox.doneAt), inArray(outbox.kind, ['start_sla', 'cancel_sla'])))
    .orderBy(asc(outbox.id));
  for (const r of rows) {
    await deps.outboxHandlers.get(r.kind)!({ id: r.id, caseId: r.caseId, kind: r.kind, payload: r.payload, attempts: r.attempts, createdAt: r.createdAt });
    await db.db.update(outbox).set({ doneAt: new Date() }).where(eq(outbox.id, r.id));
  }
}

/** The SLA reminders and escalations logged for a case, in order. */
export function slaEventsOf(db: TestDatabase, caseId: string) {
  return db.db
    .select()
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), inArray(caseEvents.action, ['sla_reminder', 'sla_overdue', 'sla_escalation'])))
    .orderBy(asc(caseEvents.id));
}

/** Polls `probe` until `done` holds (or fails after `timeoutMs`, naming what it waited for). */
export async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
