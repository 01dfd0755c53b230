// Starts the real application (bot in polling mode) against a fake Bot API, a fresh database and real Redis.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { pino, type Logger } from 'pino';
import { importRoster } from '../../src/app/import-roster.js';
import type { AppConfig } from '../../src/config.js';
import { employees } from '../../src/db/schema/index.js';
import { parseRoster } from '../../src/domain/roster.js';
import { startApp, type RunningApp, type StartOptions } from '../../src/runtime.js';
import { buildTestConfig } from './config.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { TEST_REDIS_URL } from './env.js';
import { FakeTelegram, type BotMessage, type FakeTelegramOptions } from './fake-telegram.js';

// Re-exported: most tests take their configuration helpers from here.
export { buildTestConfig, exampleDeployment } from './config.js';

/**
 * The configuration of an app under test: the given Bot API, database and the shared Redis (own queue namespace),
 * a fresh data directory, and answers that always wait for the real result (see CALLBACK_ANSWER_BUDGET_MS).
 */
export function appConfigFor(input: {
  api: { token: string; apiRoot: string };
  db: TestDatabase;
  env?: Record<string, string>;
  deployment?: Record<string, unknown>;
}): AppConfig {
  const dataDir = mkdtempSync(join(tmpdir(), 'kinerja-test-'));
  return buildTestConfig(
    {
      TELEGRAM_BOT_TOKEN: input.api.token,
      TELEGRAM_API_ROOT: input.api.apiRoot,
      DATABASE_URL: input.db.url,
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: dataDir,
      // Each app instance gets its own queue namespace in the shared Redis.
      QUEUE_PREFIX: `t${process.pid}_${Math.random().toString(36).slice(2, 8)}`,
      // Tests read the real answer of each press; a loaded CI machine must not turn it into "Sedang diproses".
      // test/e2e/prompt-answer.test.ts and the button benchmark exercise a real budget.
      CALLBACK_ANSWER_BUDGET_MS: '0',
      // A bulk step's summary waits for the end of its window: a second here, ten minutes in production.
      BATCH_SUMMARY_WINDOW_MS: '1000',
      ...input.env,
    },
    { ...input.deployment, storage: { archiveDir: join(dataDir, 'archive') } },
  );
}

export interface TestApp {
  app: RunningApp;
  fake: FakeTelegram;
  db: TestDatabase;
  config: AppConfig;
  /**
   * Waits until the fake has handed out every update and the bot has finished handling them (the fake alone cannot
   * tell: the bot polls for more while it is still working).
   */
  idle(timeoutMs?: number): Promise<void>;
  /** Restart the bot process (same database, same fake API), as after a crash or deploy. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestApp(
  options: {
    deployment?: Record<string, unknown>;
    env?: Record<string, string>;
    now?: () => Date;
    db?: TestDatabase;
    /** A test that reads the app's log passes its own logger. */
    logger?: Logger;
    /** The fake Bot API enforces Telegram's limits unless these say otherwise (with a reason). */
    fake?: FakeTelegramOptions;
    /** A small export upload limit and a temporary directory to look into. */
    exportUpload?: StartOptions['exportUpload'];
  } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const fake = await FakeTelegram.start(options.fake);
  const config = appConfigFor({ api: fake, db, env: options.env, deployment: options.deployment });
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const start = () => startApp({ config, logger, database: db, now: options.now, exportUpload: options.exportUpload });
  const handle: TestApp = {
    app: await start(),
    fake,
    db,
    config,
    async idle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await fake.waitForIdle(Math.max(1, deadline - Date.now()));
        await handle.app.updatesIdle();
        if (fake.unconfirmedUpdates() === 0) return;
        if (Date.now() > deadline) throw new Error(`idle(): updates still arriving after ${timeoutMs} ms`);
      }
    },
    async restart() {
      await handle.app.stop('restart');
      handle.app = await start();
    },
    async stop() {
      await handle.app.stop('test end');
      await fake.stop();
      if (!options.db) await db.drop();
    },
  };
  return handle;
}

export async function importExampleRoster(db: TestDatabase, file = 'examples/roster.csv') {
  const parsed = parseRoster(readFileSync(file));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 5)));
  await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
  return parsed.rows;
}

/** Links roster people to Telegram users who started the bot; returns their employee ids by key. */
export async function linkPeople(t: TestApp, people: Record<string, { nip: string; tg: number }>): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [key, p] of Object.entries(people)) {
    const [row] = await t.db.db
      .update(employees)
      .set({ telegramUserId: p.tg, telegramChatId: p.tg })
      .where(eq(employees.nip, p.nip))
      .returning({ id: employees.id });
    ids[key] = row!.id;
    t.fake.addUser({ id: p.tg, first_name: key });
    t.fake.markStarted(p.tg);
  }
  return ids;
}

/** Sends a text as `user` and returns the bot's next message in their chat. */
export async function replyTo(t: TestApp, user: number, text: string): Promise<BotMessage> {
  const last = Math.max(0, ...t.fake.messages(user).map((m) => m.message_id));
  t.fake.sendText(user, text);
  return t.fake.waitForMessage(user, (m) => m.message_id > last);
}
