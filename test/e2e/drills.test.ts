// The fault drills of bench/drills.ts at a reduced size, so CI proves nothing is lost when things break.
import { describe, expect, it } from 'vitest';
import { doubleTapDrill, postgresRestartDrill, replayDrill } from '../../bench/drills.js';
import { killWorkerDrill } from '../../bench/kill-drill.js';
import { redisLossDrill } from '../../bench/redis-drill.js';

describe('fault drills (reduced size)', () => {
  it('the announcement worker killed twice mid-broadcast: nobody lost, exact report, repeats only what was in flight', async () => {
    const result = await killWorkerDrill({ recipients: 300, kills: 2, duplicateBound: 'in-flight' });
    expect(result.lines.join('\n')).toMatch(/lost: 0;/);
    expect(result.lines.join('\n')).toMatch(/report counts: sent 300$/m);
    expect(result.ok, result.lines.join('\n')).toBe(true);
  }, 180_000);

  it('double taps and wrong users: exactly one transition per case', async () => {
    const result = await doubleTapDrill({ cases: 20 });
    expect(result.lines.join('\n')).toMatch(/exactly one transition: 20\/20/);
    expect(result.ok).toBe(true);
  }, 120_000);

  it('replayed updates are processed once', async () => {
    const result = await replayDrill({ updates: 100 });
    expect(result.lines.join('\n')).toMatch(/replies sent: 100 \(expected 100\)/);
    expect(result.ok).toBe(true);
  }, 120_000);

  it('a database restart during approvals: taps answered, nothing half-written, reconnects by itself', async () => {
    const result = await postgresRestartDrill({ cases: 20 });
    expect(result.ok, result.lines.join('\n')).toBe(true);
  }, 180_000);

  it('Redis flushed and restarted with SLA timers pending: the job process rebuilds by itself at once, every point fires once, none missed', async () => {
    const result = await redisLossDrill({ timers: 30 });
    // No manual reconcile: the loss watch notices the empty Redis on reconnect (well within the minute).
    expect(result.lines.join('\n')).toMatch(/rebuilt \d+\.\d s after Redis was back \(by the loss watch/);
    expect(result.lines.join('\n')).toMatch(/points fired exactly once: 120\/120; twice or more: 0; missed: 0/);
    expect(result.ok, result.lines.join('\n')).toBe(true);
  }, 180_000);
});
