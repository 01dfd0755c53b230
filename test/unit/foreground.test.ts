// Background work waits behind a burst of updates (src/app/foreground.ts): at once when the bot is quiet, as soon as
// the burst ends, and never longer than its longest wait.
import { describe, expect, it, vi } from 'vitest';
import { createForeground } from '../../src/app/foreground.js';

describe('foreground', () => {
  it('lets background work go at once while fewer updates than busyAt run', async () => {
    const fg = createForeground(2);
    const end = fg.start();
    let went = false;
    await fg.quiet(60_000).then(() => (went = true));
    expect(went).toBe(true);
    end();
    expect(fg.running).toBe(0);
  });

  it('holds it while busy and lets it go when the updates end, each counted once', async () => {
    const fg = createForeground(2);
    const ends = [fg.start(), fg.start(), fg.start()];
    let went = false;
    const waiting = fg.quiet(60_000).then(() => (went = true));
    ends[0]!();
    ends[0]!();
    await Promise.resolve();
    // One ended (twice: counted once): two still run.
    expect(fg.running).toBe(2);
    expect(went).toBe(false);
    ends[1]!();
    await waiting;
    expect(went).toBe(true);
    ends[2]!();
    expect(fg.running).toBe(0);
  });

  it('lets it go after its longest wait however busy the bot stays', async () => {
    vi.useFakeTimers();
    try {
      const fg = createForeground(1);
      fg.start();
      let went = false;
      const waiting = fg.quiet(3_000).then(() => (went = true));
      await vi.advanceTimersByTimeAsync(2_999);
      expect(went).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(went).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
