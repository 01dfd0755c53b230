// Benchmark: the monthly reminder at province scale — 100,000 employees, 30 % have not submitted. Measures
// selecting the recipients and enqueueing their reminders (in a fresh process, so its peak RSS is its own).
// BENCH_EMPLOYEES=1000000 measures the 1,000,000-employee target (15 s, 300 MB); too long for CI. Generating the
// roster takes minutes at that size: BENCH_REMINDERS_KEEP=1 keeps the database and prints its URL,
// BENCH_REMINDERS_DB=URL measures on it again (the same size must be given).
import './env-setup.js';
import { spawn } from 'node:child_process';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { createRedisConnection } from '../jobs/connection.js';
import { runReminderJob } from '../jobs/processors/reminder-run.js';
import { enqueueNotifications, NOTIFY_QUEUE } from '../jobs/processors/reminder-send.js';
import { importRoster } from '../src/app/import-roster.js';
import { createProcedureRegistry } from '../src/app/procedures.js';
import { createDatabase, rowsOf, type Db } from '../src/db/client.js';
import { createCalendar } from '../src/domain/calendar.js';
import { parseRoster } from '../src/domain/roster.js';
import { buildTestConfig } from '../test/support/config.js';
import { createTestDatabase } from '../test/support/db.js';
import { TEST_REDIS_URL } from '../test/support/env.js';
import { generateRoster } from '../test/support/roster-gen.js';
import { ensureTemplate, figure, peakRssMb, runMain } from './support.js';

const EMPLOYEES = Number(process.env.BENCH_EMPLOYEES ?? 100_000);
const PERIOD = '2026-10';
// One procedure for everyone keeps the expected set simple to count independently.
const deployment = { procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang', perUnit: {}, sla: {}, mixAgencies: true } };

async function measure(databaseUrl: string, prefix: string): Promise<void> {
  const database = await createDatabase({ databaseUrl, maxConnections: 4 });
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:bench-token' }, deployment);
  const connection = createRedisConnection(TEST_REDIS_URL);
  const queue = new Queue(NOTIFY_QUEUE, { connection, prefix });
  try {
    const started = performance.now();
    const result = await runReminderJob(
      {
        db: database.db,
        calendar: createCalendar(config.calendar),
        config,
        procedures: createProcedureRegistry(config.deployment.procedures),
        now: () => new Date('2026-11-03T02:00:00Z'),
        enqueue: (items) => enqueueNotifications(queue, items),
      },
      'monthly-reminder',
      { date: '2026-11-03', period: PERIOD },
    );
    const seconds = (performance.now() - started) / 1000;
    const waiting = await queue.getJobCounts('wait', 'delayed', 'prioritized');
    console.log(JSON.stringify({ seconds, queued: result.queued, inQueue: (waiting.wait ?? 0) + (waiting.delayed ?? 0) + (waiting.prioritized ?? 0), rss: peakRssMb() }));
  } finally {
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    connection.disconnect();
    await database.close();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!, process.argv[4]!);
  await ensureTemplate();
  const reuse = process.env.BENCH_REMINDERS_DB;
  const db = reuse ? { url: reuse, ...(await createDatabase({ databaseUrl: reuse, watchdog: false })), drop: async () => {} } : await createTestDatabase();
  try {
    if (!reuse) {
      // The import at this size is one long transaction: no idle timeout or watchdog cuts it on a busy machine.
      const generating = await createDatabase({ databaseUrl: db.url, maxConnections: 4, idleInTransactionTimeoutMs: 3_600_000, watchdog: false });
      try {
        await generate(generating.db);
      } finally {
        await generating.close();
      }
    }
    const [expected] = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from employees e where e.active
      and not exists (select 1 from cases c where c.subject_id = e.id and c.period = ${PERIOD} and c.submitted_at is not null)`));
    const prefix = `bench_rem_${process.pid}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/reminders.bench.ts', '--measure', db.url, prefix], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    await new Promise((r) => child.on('exit', r));
    const m = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; queued: number; inQueue: number; rss: number };
    figure('reminder_employees', EMPLOYEES, 'employees');
    figure('reminder_select_enqueue_seconds', m.seconds, 's', { value: EMPLOYEES > 100_000 ? 15 : 5, better: 'lower' });
    figure('reminder_recipients', m.queued, `(expected ${expected!.n})`);
    figure('reminder_jobs_in_queue', m.inQueue, 'jobs');
    figure('reminder_peak_rss', m.rss, 'MB', { value: 300, better: 'lower' });
  } finally {
    if (process.env.BENCH_REMINDERS_KEEP === '1' && !reuse) console.log(`kept database: BENCH_REMINDERS_DB=${db.url}`);
    else await db.drop();
    if (reuse) await (db as { close?: () => Promise<void> }).close?.();
  }
}

/** The roster with everyone linked, and 70 % with their realisation for the month submitted. */
async function generate(db: Db): Promise<void> {
  const { csv } = generateRoster({ employees: EMPLOYEES, perangkatDaerah: 60, seed: 5 });
  const parsed = parseRoster(Buffer.from(csv), { maxRows: EMPLOYEES + 10 });
  if (!parsed.ok) throw new Error('roster');
  await importRoster(db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'bench' });
  await db.execute(sql`update employees set telegram_user_id = 2000000 + n.rn, telegram_chat_id = 2000000 + n.rn
    from (select id, row_number() over (order by nip) as rn from employees) n where n.id = employees.id`);
  // 70 % submitted their realisation for the month.
  await db.execute(sql`insert into cases (procedure_code, subject_id, period, status, step_no, step_entered_at, submitted_at)
    select 'bulanan-tangerang', id, ${PERIOD}, 'active', 4, now(), now() from employees where abs(hashtext(nip)) % 10 < 7`);
  // Cases come a few at a time in production, where autovacuum keeps their statistics; these came in one statement,
  // and this machine runs PostgreSQL with autovacuum off.
  await db.execute(sql`analyze`);
}

runMain(main);
