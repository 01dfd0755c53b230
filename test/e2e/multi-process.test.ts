// E2E: two webhook `bot` processes behind one URL and two `jobs` processes on one PostgreSQL and one Redis, one of
// each SIGKILLed in the middle (bench/multi-process-drill.ts). Reduced for CI: 40 updates (160 posts), 200
// recipients, 10 cases (40 SLA timers); `npm run drill` runs 200 updates, 1,000 recipients and 200 timers.
import { describe, expect, it } from 'vitest';
import { multiProcessDrill } from '../../bench/multi-process-drill.js';

describe('several processes of each role', () => {
  it('every update handled once, every recipient reached, every timer fired once, through a SIGKILL of each role', async () => {
    const result = await multiProcessDrill({ updates: 40, recipients: 200, cases: 10 });
    expect(result.ok, result.lines.join('\n')).toBe(true);
  }, 300_000);
});
