// Composition root: config → database → migrate → Redis → bot; ordered, time-boxed shutdown on signals.
import { ConfigError, loadConfig } from './config.js';
import { EmbeddedDatabaseBusy } from './db/embedded-lock.js';
import { createLogger } from './logger.js';
import { RedisUnavailableError } from './redis.js';
import { startApp } from './runtime.js';

const SHUTDOWN_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('See README.md ("Configuration") and .env.example.');
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.env.LOG_LEVEL);
  let app;
  try {
    app = await startApp({ config, logger });
  } catch (error) {
    if (error instanceof RedisUnavailableError || error instanceof EmbeddedDatabaseBusy) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  const shutdown = (signal: string) => {
    const timer = setTimeout(() => {
      logger.error('shutdown deadline passed, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    timer.unref();
    void app.stop(signal).then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
