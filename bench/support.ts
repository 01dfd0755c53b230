// Shared bench helpers: a migrated template database (as the test suite's global setup makes), figures printing.
import setupTemplate from '../test/support/global-setup.js';

let templateReady: Promise<unknown> | undefined;

/** Benchmarks clone a migrated template as the tests do; it is built once per bench process (and dropped at exit). */
export async function ensureTemplate(): Promise<void> {
  templateReady ??= setupTemplate().then((teardown) => {
    process.once('beforeExit', () => void teardown());
  });
  await templateReady;
}

/** Prints one figure as `name: value unit`, with its ratio to a target when there is one. */
export function figure(name: string, value: number, unit: string, target?: { value: number; better: 'lower' | 'higher' }): void {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 3 : 1);
  const ratio = target ? ` (target ${target.better === 'lower' ? '≤' : '≥'} ${target.value} ${unit}, ratio ${(value / target.value).toFixed(2)})` : '';
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
