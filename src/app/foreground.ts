// Work a person is waiting for goes first. In a process that runs both roles (the default `bot,jobs`), the outbox's
// background work (notifying the next person, starting SLA timers) shares the CPU and the database with the updates
// being handled. Under a burst (200 approvers tapping at once) it slowed every tap's outcome for notifications that
// are paced out over minutes anyway. While the bot is busy, background work waits, for a bounded time, so it is
// late by at most that much and never starved.

export interface Foreground {
  /** One piece of foreground work (an update) has started; call the returned function when it ends. */
  start(): () => void;
  /**
   * Resolves once fewer than `busyAt` pieces of foreground work run, or after `maxWaitMs` however busy the bot
   * still is, or at once when it is quiet.
   */
  quiet(maxWaitMs: number): Promise<void>;
  /** Pieces of foreground work running now. */
  readonly running: number;
}

/** `busyAt`: this many updates handled at once count as busy (a person or two at a time is not). */
export function createForeground(busyAt = 2): Foreground {
  let running = 0;
  const waiting = new Set<() => void>();

  // Each waiter leaves the set as it resolves.
  const release = () => {
    for (const resolve of waiting) resolve();
  };

  return {
    start() {
      running++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        running--;
        if (running < busyAt) release();
      };
    },
    quiet(maxWaitMs) {
      if (running < busyAt || maxWaitMs <= 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, maxWaitMs);
        timer.unref();
        function done() {
          clearTimeout(timer);
          waiting.delete(done);
          resolve();
        }
        waiting.add(done);
      });
    },
    get running() {
      return running;
    },
  };
}
