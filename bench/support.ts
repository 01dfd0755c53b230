// Shared bench helpers: a migrated template database (as the test suite's global setup makes), figures printing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import setupTemplate from '../test/support/global-setup.js';

let templateReady: Promise<() => Promise<void>> | undefined;

/** Benchmarks clone a migrated template as the tests do; it is built once per bench process (see runMain). */
export async function ensureTemplate(): Promise<void> {
  templateReady ??= setupTemplate();
  await templateReady;
}

/**
 * Runs a benchmark's or drill's main and exits with its code (a number, or 0), dropping the template database
 * first: process.exit skips 'beforeExit', which used to leave one template behind per run.
 */
export function runMain(main: () => Promise<number | void>): void {
  main()
    .then(
      (code) => code ?? 0,
      (error: unknown) => {
        console.error(error);
        return 1;
      },
    )
    .then(async (code) => {
      const teardown = await templateReady?.catch(() => undefined);
      await teardown?.().catch(() => undefined);
      process.exit(code);
    });
}

/** Prints one figure as `name: value unit`, with its ratio to a target when there is one. */
export function figure(name: string, value: number, unit: string, target?: { value: number; better: 'lower' | 'higher' }): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
  const met = target && (target.better === 'lower' ? value <= target.value : value >= target.value);
  // A zero target has no meaningful ratio: say whether it is met.
  const versus = target && (target.value === 0 ? (met ? 'met' : 'NOT met') : `ratio ${(value / target.value).toFixed(2)}`);
  const ratio = target ? ` (target ${target.better === 'lower' ? '≤' : '≥'} ${target.value} ${unit}, ${versus})` : '';
  console.log(`${name}: ${shown} ${unit}${ratio}`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * CPU seconds (user + system) used so far by every process of this machine whose command is `name` (Linux /proc;
 * null elsewhere): the database server's share of a run, which the server's own statistics do not give.
 */
export function cpuSecondsOf(name: string): number | null {
  try {
    let total = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^[0-9]+$/.test(pid)) continue;
      total += cpuOfPid(Number(pid), name) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}

export type CpuSnapshot = Record<'process' | 'fake' | 'postgres' | 'redis', number>;

/** CPU seconds so far of this process (the bot, or a baseline loop), the fake (by pid), PostgreSQL and Redis; NaN where unread. */
export function cpuSnapshot(fakePid?: number): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    process: (own.user + own.system) / 1e6,
    fake: (fakePid !== undefined ? cpuOfPid(fakePid) : null) ?? Number.NaN,
    postgres: cpuSecondsOf('postgres') ?? Number.NaN,
    redis: cpuSecondsOf('redis-server') ?? Number.NaN,
  };
}

/** CPU seconds used so far by process `pid` (when its command is `name`, if given); null when it cannot be read. */
function cpuOfPid(pid: number, name?: string): number | null {
  const tick = 100; // USER_HZ on Linux
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // ended meanwhile, or not Linux
  }
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (name !== undefined && stat.slice(open + 1, close) !== name) return null;
  const fields = stat.slice(close + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
  return (Number(fields[11]) + Number(fields[12])) / tick;
}

/**
 * BENCH_LOAD=1: a process spinning on one core beside the benchmark, as on a busy server. Returns a stop function
 * (a no-op without BENCH_LOAD).
 */
export async function startLoadIfAsked(): Promise<() => void> {
  if (process.env.BENCH_LOAD !== '1') return () => {};
  const { spawn } = await import('node:child_process');
  const hog = spawn(process.execPath, ['-e', 'for (;;) { Math.sqrt(Math.random()); }'], { stdio: 'ignore' });
  console.log('load: one CPU-bound process runs beside the benchmark (BENCH_LOAD=1)');
  return () => {
    hog.kill('SIGKILL');
  };
}

/** min/median/max of a list, for quoting a range. */
export function spread(values: number[]): { min: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? NaN, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN, max: sorted.at(-1) ?? NaN };
}

/** Prints a figure measured in several rounds beside a baseline from the same run, as min/median/max and ratios. */
export function versus(name: string, unit: string, project: number[], baseline: number[], baselineName: string): void {
  const p = spread(project);
  const b = spread(baseline);
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(
    `${name}: ${f(p.min)}/${f(p.median)}/${f(p.max)} ${unit} (min/median/max of ${project.length}); ` +
      `${baselineName}: ${f(b.min)}/${f(b.median)}/${f(b.max)} ${unit}; ratio of medians ${(p.median / b.median).toFixed(2)}, ` +
      `range ${(p.min / b.max).toFixed(2)}–${(p.max / b.min).toFixed(2)}`,
  );
}

/**
 * BENCH_PROFILE=file.cpuprofile: a CPU profile of this process over the measured window only (setup left out), for
 * Chrome's DevTools or a script; `suffix` names a second window's file. Returns the function that stops it and writes the file (a no-op without the env).
 */
export async function startProfileIfAsked(suffix = ''): Promise<() => Promise<void>> {
  if (!process.env.BENCH_PROFILE) return async () => {};
  const path = process.env.BENCH_PROFILE + suffix;
  const { Session } = await import('node:inspector/promises');
  const profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
  return async () => {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    profiler.disconnect();
  };
}
