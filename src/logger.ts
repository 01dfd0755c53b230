// Root pino logger; children carry update_id or queue/jobId.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { app: 'kinerja-bot' },
    redact: { paths: ['token', '*.token', 'phone', '*.phone'], censor: '[redacted]' },
  });
}
