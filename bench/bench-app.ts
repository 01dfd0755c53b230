// The real application for benchmarks, against the fake Bot API in its own process. Kept apart from support.ts so
// a benchmark that measures its own memory (reminders) does not load the whole app just for the helpers.
import { pino } from 'pino';
import { startApp, type RunningApp } from '../src/runtime.js';
import { appConfigFor } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/db.js';
import { RemoteFake } from './remote-fake.js';

/** The real application against the fake Bot API in its own process (bench/remote-fake.ts), on a fresh database. */
export async function startBenchApp(env: Record<string, string> = {}): Promise<{
  app: RunningApp;
  db: TestDatabase;
  fake: RemoteFake;
  stop(): Promise<void>;
}> {
  const db = await createTestDatabase();
  const fake = await RemoteFake.start();
  const config = appConfigFor({ api: fake, db, env });
  const app = await startApp({ config, logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), database: db });
  return {
    app,
    db,
    fake,
    async stop() {
      await app.stop('bench end');
      await fake.stop();
      await db.drop();
    },
  };
}
