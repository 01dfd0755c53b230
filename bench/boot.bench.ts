// Boot to polling and idle memory of `npm start` (the bundle in dist/), beside a minimal telegraf bot started the
// same way against the same fake Bot API, in the same run. Also the old start (tsx compiling at boot) and the
// embedded database, for reference. Rounds alternate project and baseline so machine noise hits both alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '../test/support/db.js';
import { TEST_REDIS_URL } from '../test/support/env.js';
import { FakeTelegram } from '../test/support/fake-telegram.js';
import { ensureTemplate, runMain, startLoadIfAsked, versus } from './support.js';

const ROUNDS = Number(process.env.BENCH_BOOT_ROUNDS ?? 5);
/** How long a started process is left alone before its memory is read. */
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 4000);
const root = join(import.meta.dirname, '..');

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Starts a process and measures until the fake holds its first long poll, then its RSS after IDLE_MS. */
async function measure(fake: FakeTelegram, args: string[], env: Record<string, string>): Promise<{ bootMs: number; rssMb: number }> {
  for (let i = 0; fake.isPolling() && i < 500; i++) await new Promise((r) => setTimeout(r, 10));
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', process.env.BENCH_VERBOSE ? 'inherit' : 'ignore', 'inherit'] });
  try {
    while (!fake.isPolling()) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode} before polling`);
      if (performance.now() - started > 60_000) throw new Error(`${args.join(' ')} did not poll within 60 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const bootMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { bootMs, rssMb: rssMb(child.pid!) };
  } finally {
    await stopChild(child);
  }
}

async function main(): Promise<number> {
  await ensureTemplate();
  // The bundle `npm start` runs, built as the install builds it.
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, ['src/cli/build.mjs'], { cwd: root, stdio: 'inherit' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error('build failed')))),
  );
  const stopLoad = await startLoadIfAsked();
  const fake = await FakeTelegram.start();
  const db = await createTestDatabase();
  const api = { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, LOG_LEVEL: 'warn' };
  const appEnv = () => ({
    ...api,
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `bench_boot_${Math.random().toString(36).slice(2, 8)}`,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'kinerja-boot-')),
  });
  const project = { boot: [] as number[], rss: [] as number[] };
  const tsx = { boot: [] as number[], rss: [] as number[] };
  const embedded = { boot: [] as number[], rss: [] as number[] };
  const baseline = { boot: [] as number[], rss: [] as number[] };
  const add = (into: { boot: number[]; rss: number[] }, m: { bootMs: number; rssMb: number }) => {
    into.boot.push(m.bootMs);
    into.rss.push(m.rssMb);
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      add(baseline, await measure(fake, ['bench/baselines/minimal-bot.mjs'], api));
      add(project, await measure(fake, ['dist/main.js'], appEnv()));
      // For reference, once: the start through tsx, and a fresh clone (no DATABASE_URL, the embedded database in a
      // new data directory, migrated at first boot).
      if (round > 0) continue;
      add(tsx, await measure(fake, ['--import', 'tsx', 'src/main.ts'], appEnv()));
      const { DATABASE_URL: _unused, ...withoutDb } = appEnv();
      add(embedded, await measure(fake, ['dist/main.js'], withoutDb));
    }
  } finally {
    stopLoad();
    await db.drop();
    await fake.stop();
  }
  versus('boot to polling, npm start (bundle, PostgreSQL)', 'ms', project.boot, baseline.boot, 'minimal telegraf bot');
  versus('idle RSS, npm start', 'MB', project.rss, baseline.rss, 'minimal telegraf bot');
  versus('boot to polling, tsx start (no bundle)', 'ms', tsx.boot, baseline.boot, 'minimal telegraf bot');
  versus('idle RSS, tsx start (no bundle)', 'MB', tsx.rss, baseline.rss, 'minimal telegraf bot');
  versus('boot to polling, npm start on the embedded database (fresh data dir)', 'ms', embedded.boot, baseline.boot, 'minimal telegraf bot');
  versus('idle RSS, embedded database', 'MB', embedded.rss, baseline.rss, 'minimal telegraf bot');
  return 0;
}

runMain(main);
