// `npm run drill`: runs every fault drill at full size, prints what each did and found, exits non-zero on loss.
import './env-setup.js';
import { badInputDrill } from './bad-input.js';
import { killWorkerDrill } from './kill-drill.js';
import { multiProcessDrill } from './multi-process-drill.js';
import { redisLossDrill } from './redis-drill.js';
import { doubleTapDrill, postgresRestartDrill, replayDrill, type DrillResult } from './drills.js';
import { ensureTemplate, runMain } from './support.js';

const drills: Array<[string, () => Promise<DrillResult>]> = [
  ['kill-worker', () => killWorkerDrill({ recipients: 2000, kills: 5 })],
  ['redis-loss', () => redisLossDrill({ timers: 200 })],
  ['double-taps', () => doubleTapDrill({ cases: 100 })],
  ['replay-updates', () => replayDrill({ updates: 1000 })],
  ['postgres-restart', () => postgresRestartDrill({ cases: 60 })],
  ['bad-input', () => badInputDrill()],
  ['multi-process', () => multiProcessDrill({ updates: 200, recipients: 1000, cases: 50 })],
];

async function main(): Promise<number> {
  await ensureTemplate();
  const only = process.argv.slice(2);
  let failed = 0;
  for (const [name, run] of drills) {
    if (only.length > 0 && !only.includes(name)) continue;
    const started = performance.now();
    console.log(`\n== drill: ${name}`);
    try {
      const result = await run();
      for (const line of result.lines) console.log(`   ${line}`);
      console.log(`   result: ${result.ok ? 'OK' : 'LOST OR BROKEN'} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      if (!result.ok) failed++;
    } catch (error) {
      failed++;
      console.log(`   result: CRASHED: ${(error as Error).stack ?? error}`);
    }
  }
  console.log(`\n${failed === 0 ? 'all drills passed' : `${failed} drill(s) failed`}`);
  return failed === 0 ? 0 : 1;
}

runMain(main);
