// The job system: each module (outbox, broadcasts, SLA timers, reminders...) contributes queues and workers,
// started after the bot and reconciled from Postgres at boot and every few minutes.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Telegram } from 'telegraf';
import type { ProcedureRegistry } from '../src/app/procedures.js';
import type { AppConfig } from '../src/config.js';
import type { Db } from '../src/app/database.js';
import type { Foreground } from '../src/app/foreground.js';
import type { WorkingCalendar } from '../src/domain/calendar.js';
import type { Logger } from '../src/logger.js';
import type { QueueConnection } from './connection.js';

export interface JobsDeps {
  db: Db;
  config: AppConfig;
  logger: Logger;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
  telegram: Telegram;
  connection: QueueConnection;
  /** A shared non-blocking client for queue operations (workers make their own blocking connections). */
  redis: Redis;
  /**
   * false in a process without the jobs role (ROLES=bot): queues are there to add jobs to, but no worker, outbox
   * poller or scheduler runs. Default true.
   */
  runWorkers?: boolean;
  now: () => Date;
  /** Username of the bot, for deep links. */
  botUsername: string;
  /**
   * Handlers of outbox rows by kind ('notify', 'start_sla', 'cancel_sla', 'case_completed', ...). Modules register
   * theirs when created; the outbox module calls them after the transition committed. A handler that throws is
   * retried with backoff; TelegramUnreachable marks the recipient unreachable and completes the row.
   */
  outboxHandlers: Map<string, OutboxHandler>;
  /** The updates this process is handling (ROLES=bot,jobs): background work waits while they are many. */
  foreground?: Foreground;
}

export interface OutboxRow {
  id: number;
  caseId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

export type OutboxHandler = (row: OutboxRow) => Promise<void>;

export interface JobModule {
  name: string;
  /** Upserts job schedulers (re-run at every boot). */
  schedule?(): Promise<void>;
  /** Re-creates from Postgres whatever Redis lost (timers, pending sends). Safe to run any time. */
  reconcile?(): Promise<void>;
  /** Named jobs an operator may run now (npm run jobs:run -- <name>, /jalankan). */
  runNow?: Record<string, (args?: Record<string, unknown>) => Promise<string>>;
  /** The module's queues, listed by the operations page (Bull Board). */
  queues?: Queue[];
  close(): Promise<void>;
}

export type JobModuleFactory = (deps: JobsDeps) => Promise<JobModule> | JobModule;

export interface Jobs {
  modules: JobModule[];
  reconcile(): Promise<void>;
  runNow(name: string, args?: Record<string, unknown>): Promise<string>;
  jobNames(): string[];
  close(): Promise<void>;
}

export async function createJobs(deps: JobsDeps, factories: JobModuleFactory[]): Promise<Jobs> {
  const modules: JobModule[] = [];
  for (const factory of factories) modules.push(await factory(deps));
  if (deps.runWorkers !== false) for (const m of modules) await m.schedule?.();
  const runners = new Map<string, (args?: Record<string, unknown>) => Promise<string>>();
  for (const m of modules) for (const [name, fn] of Object.entries(m.runNow ?? {})) runners.set(name, fn);
  return {
    modules,
    async reconcile() {
      for (const m of modules) {
        try {
          await m.reconcile?.();
        } catch (error) {
          deps.logger.error({ err: error, module: m.name }, 'reconcile failed');
        }
      }
    },
    async runNow(name, args) {
      const fn = runners.get(name);
      if (!fn) throw new Error(`unknown job "${name}" (known: ${[...runners.keys()].join(', ')})`);
      return fn(args);
    },
    jobNames: () => [...runners.keys()].sort(),
    async close() {
      // Close in reverse order of creation, each with its own deadline so one stuck worker can't block shutdown.
      for (const m of [...modules].reverse()) {
        await Promise.race([m.close(), new Promise((r) => setTimeout(r, 10_000))]).catch((error) =>
          deps.logger.warn({ err: error, module: m.name }, 'closing job module failed'),
        );
      }
    },
  };
}
