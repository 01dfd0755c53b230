// Rolling-window counter: how many events happened in the last `windowMs` milliseconds.
// Timestamps live in a plain array used as a queue; amortised O(1) per event.

export class RollingWindow {
  private ts: number[] = [];
  private head = 0;

  constructor(private readonly windowMs = 1000) {}

  /** Events in (now - windowMs, now]. */
  count(now: number): number {
    const limit = now - this.windowMs;
    const ts = this.ts;
    while (this.head < ts.length && ts[this.head]! <= limit) this.head++;
    if (this.head > 1024 && this.head * 2 > ts.length) {
      this.ts = ts.slice(this.head);
      this.head = 0;
    }
    return this.ts.length - this.head;
  }

  /** Records an event and returns the count including it. */
  add(now: number): number {
    const c = this.count(now);
    this.ts.push(now);
    return c + 1;
  }

  /** Milliseconds until the oldest event in the window leaves it (0 if the window is empty). */
  msUntilFree(now: number): number {
    if (this.count(now) === 0) return 0;
    return Math.max(0, this.ts[this.head]! + this.windowMs - now);
  }
}
