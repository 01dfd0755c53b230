// The update queue: what users did, in order, handed to the bot by getUpdates long polling (or the webhook),
// confirmed by offsets; and waiting until the bot polls or has confirmed everything.
import type { ServerResponse } from 'node:http';
import type { Core } from './core.js';
import { ApiError, paramInt, type Params } from './http.js';
import type { CallbackRec } from './methods/callbacks.js';
import type { ApiCall, Update } from './types.js';
import { rejectAll, type Waiter } from './waiters.js';
import { CONFLICT_WEBHOOK, pumpWebhook, type WebhookState } from './webhook.js';

/** Update types Telegram leaves out unless allowed_updates names them explicitly. */
const NOT_DELIVERED_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const CONFLICT_POLL = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

export interface QueueEntry {
  update: Update;
  type: string;
  delivered: boolean;
  dropped: boolean;
  /** injected with an explicit update_id: never dropped by an offset before it was delivered once */
  injected: boolean;
  callback?: CallbackRec;
}

interface Poller {
  res: ServerResponse;
  limit: number;
  call: ApiCall;
  timer?: NodeJS.Timeout;
}

export function updateType(u: Record<string, unknown>): string {
  for (const k in u) if (k !== 'update_id') return k;
  return 'unknown';
}

export class UpdateQueue {
  queue: QueueEntry[] = [];
  qHead = 0;
  undelivered = 0;
  nextUpdateId = 1;
  allowedUpdates?: Set<string>;
  webhook?: WebhookState;
  private poller?: Poller;
  private flushScheduled = false;
  private pollWaiters: Array<{ idle: boolean; w: Waiter<void> }> = [];

  constructor(private readonly core: Core) {}

  enqueue(update: Update, type: string, injected: boolean, callback?: CallbackRec): void {
    const entry: QueueEntry = { update, type, delivered: false, dropped: false, injected };
    if (callback) entry.callback = callback;
    this.queue.push(entry);
    this.undelivered++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  getUpdates(p: Params, res: ServerResponse, call: ApiCall): void {
    const log = this.core.log;
    if (this.webhook) {
      log.finish(res, call, new ApiError(409, CONFLICT_WEBHOOK));
      return;
    }
    // Like Telegram: a new request terminates the one being held.
    this.terminatePoll(CONFLICT_POLL);
    this.setAllowedUpdates(p.allowed_updates);
    this.confirm(paramInt(p, 'offset') ?? 0);
    const limit = Math.min(100, Math.max(1, paramInt(p, 'limit') ?? 100));
    const timeout = Math.max(0, paramInt(p, 'timeout') ?? 0);
    const batch = this.collect(limit);
    if (batch.length > 0 || timeout === 0) {
      log.finish(res, call, undefined, batch);
      return;
    }
    const poller: Poller = { res, limit, call };
    poller.timer = this.core.timers.start(timeout * 1000, () => {
      if (this.poller !== poller) return;
      this.poller = undefined;
      log.finish(res, call, undefined, []);
    });
    res.on('close', () => {
      if (this.poller !== poller) return;
      clearTimeout(poller.timer);
      this.poller = undefined;
    });
    this.poller = poller;
    this.notifyPollWaiters();
  }

  /** Answers a held long poll with a 409 conflict. */
  terminatePoll(description: string): void {
    const old = this.poller;
    if (!old) return;
    this.poller = undefined;
    clearTimeout(old.timer);
    this.core.log.finish(old.res, old.call, new ApiError(409, description));
  }

  setAllowedUpdates(allowed: unknown): void {
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length > 0 ? new Set(allowed.map(String)) : undefined;
  }

  isAllowed(type: string): boolean {
    return this.allowedUpdates ? this.allowedUpdates.has(type) : !NOT_DELIVERED_BY_DEFAULT.has(type);
  }

  markDelivered(e: QueueEntry, now: number): void {
    if (e.delivered) return;
    e.delivered = true;
    this.undelivered--;
    if (e.callback && e.callback.handedOutAt === undefined) e.callback.handedOutAt = now;
  }

  compactQueue(): void {
    if (this.qHead === this.queue.length) {
      this.queue = [];
      this.qHead = 0;
    } else if (this.qHead > 4096 && this.qHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.qHead);
      this.qHead = 0;
    }
  }

  dropAllPending(): void {
    while (this.qHead < this.queue.length) this.dropHead();
    this.compactQueue();
  }

  unconfirmedUpdates(): number {
    let n = 0;
    for (let i = this.qHead; i < this.queue.length; i++) if (!this.queue[i]!.dropped) n++;
    return n;
  }

  isPolling(): boolean {
    return this.poller !== undefined;
  }

  /** Resolves once a long poll is held (idle: and every update is confirmed). */
  addPollWaiter(idle: boolean, timeoutMs: number): Promise<void> {
    if (this.pollCondition(idle)) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => {
      const w: Waiter<void> = { resolve, reject };
      const entry = { idle, w };
      w.timer = this.core.timers.start(timeoutMs, () => {
        this.pollWaiters = this.pollWaiters.filter((x) => x !== entry);
        reject(
          new Error(
            `${idle ? 'waitForIdle' : 'waitForPolling'} timed out after ${timeoutMs} ms ` +
              `(polling: ${this.isPolling()}, unconfirmed updates: ${this.unconfirmedUpdates()})${this.core.log.recentFailures()}`,
          ),
        );
      });
      this.pollWaiters.push(entry);
    });
    p.catch(() => {});
    return p;
  }

  notifyPollWaiters(): void {
    if (this.pollWaiters.length === 0) return;
    const keep: typeof this.pollWaiters = [];
    for (const entry of this.pollWaiters) {
      if (this.pollCondition(entry.idle)) {
        clearTimeout(entry.w.timer);
        entry.w.resolve();
      } else keep.push(entry);
    }
    this.pollWaiters = keep;
  }

  hasPollWaiters(): boolean {
    return this.pollWaiters.length > 0;
  }

  /** Cuts a held long poll and rejects poll waiters (the fake stopped). */
  stop(): void {
    if (this.poller) {
      clearTimeout(this.poller.timer);
      this.poller.res.destroy();
      this.poller = undefined;
    }
    this.webhook?.abort.abort();
  }

  rejectPollWaiters(error: Error): void {
    rejectAll(
      this.pollWaiters.map((p) => p.w),
      error,
    );
    this.pollWaiters = [];
  }

  private confirm(offset: number): void {
    if (offset < 0) {
      const keep = -offset;
      while (this.queue.length - this.qHead > keep) this.dropHead();
      return;
    }
    if (offset === 0) return;
    while (this.qHead < this.queue.length) {
      const e = this.queue[this.qHead]!;
      if (!e.dropped && (e.update.update_id >= offset || (e.injected && !e.delivered))) break;
      this.dropHead();
    }
    this.compactQueue();
  }

  private dropHead(): void {
    const e = this.queue[this.qHead++]!;
    if (!e.dropped) {
      e.dropped = true;
      if (!e.delivered) this.undelivered--;
    }
  }

  private collect(limit: number): Update[] {
    const out: Update[] = [];
    const now = Date.now();
    for (let i = this.qHead; i < this.queue.length && out.length < limit; i++) {
      const e = this.queue[i]!;
      if (e.dropped) continue;
      if (!this.isAllowed(e.type)) {
        e.dropped = true;
        if (!e.delivered) this.undelivered--;
        continue;
      }
      this.markDelivered(e, now);
      out.push(e.update);
    }
    return out;
  }

  /** Hands queued updates to a held getUpdates (batched per event-loop turn) or to the webhook. */
  private flush(): void {
    if (this.core.stopped) return;
    if (this.webhook) {
      pumpWebhook(this.core);
      return;
    }
    const p = this.poller;
    if (!p) return;
    const batch = this.collect(p.limit);
    if (batch.length === 0) return;
    this.poller = undefined;
    clearTimeout(p.timer);
    this.core.log.finish(p.res, p.call, undefined, batch);
  }

  private pollCondition(idle: boolean): boolean {
    if (this.webhook) return idle ? this.unconfirmedUpdates() === 0 && this.webhook.inflight === 0 : true;
    if (!this.poller) return false;
    return !idle || this.unconfirmedUpdates() === 0;
  }
}
