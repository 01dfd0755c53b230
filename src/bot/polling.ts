// Long polling that hands each update to the bot as soon as it arrives, in order within a chat.
// telegraf's own loop waits for a whole batch (up to 100 updates) before it fetches the next one, so one slow
// update — or a burst of 200 approvers tapping at once — holds every later user back. Here updates of different
// chats run side by side, first come first served, up to a number of handlers at once (so under a burst the early
// presses finish early instead of all finishing late together); updates of one chat run one after another; and the
// next getUpdates goes out at once. `onArrival` sees each update as it arrives (a button press that has to wait is
// answered "Sedang diproses" then, and the answer budget of the others starts then, not when a handler gets to it).
import { TelegramError, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../logger.js';
import type { BotContext } from './context.js';

export interface PollingOptions {
  allowedUpdates: Array<'message' | 'edited_message' | 'callback_query' | 'my_chat_member'>;
  logger: Logger;
  /** Updates fetched and not yet finished; beyond it the rest wait at Telegram (default 500). */
  maxInFlight?: number;
  /** Handlers running at once (default 16, above the database pool of 10: some wait on Telegram, not SQL). */
  maxConcurrent?: number;
  /** With this many handlers at work an arriving update counts as busy (default 2). */
  busyAt?: number;
  /**
   * Keeps only the updates not seen before (dedupe by update_id, one statement per batch); when it fails, every
   * update goes on and the bot's own per-update check decides.
   */
  claim?: (updates: Update[]) => Promise<Update[]>;
  /**
   * Called for each update as it arrives; `busy` when it cannot start at once (no free handler, or its chat is
   * busy) or `busyAt` handlers are already at work — its real answer is then unlikely to be quick. A
   * returned promise (an early answer on its way) is awaited before the update's handler starts, so under a burst
   * the answers go out ahead of the work.
   */
  onArrival?: (update: Update, busy: boolean) => Promise<unknown> | void;
  /** Long-poll timeout of getUpdates, in seconds (default 50, as telegraf). */
  timeoutSeconds?: number;
}

export interface PollingHandle {
  /** Resolves once no fetched update is waiting or running (tests: "the bot has handled everything"). */
  idle(): Promise<void>;
  /** Stops fetching, lets the updates in progress finish, and confirms them to Telegram. */
  stop(): Promise<void>;
}

/** Updates of one chat (or one user, for updates without a chat) are handled in the order Telegram sent them. */
export function orderingKey(update: Update): string {
  if ('callback_query' in update) {
    const q = update.callback_query;
    return q.message ? `c${q.message.chat.id}` : `u${q.from.id}`;
  }
  if ('message' in update) return `c${update.message.chat.id}`;
  if ('edited_message' in update) return `c${update.edited_message.chat.id}`;
  if ('my_chat_member' in update) return `c${update.my_chat_member.chat.id}`;
  return 'other';
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export function startPolling(bot: Telegraf<BotContext>, options: PollingOptions): PollingHandle {
  const maxInFlight = options.maxInFlight ?? 500;
  const maxConcurrent = options.maxConcurrent ?? 16;
  const busyAt = options.busyAt ?? 2;
  let running = 0;
  const waiting: Array<() => void> = [];
  /** A handler slot, first come first served. */
  const acquire = (): Promise<void> | null => {
    if (running < maxConcurrent && waiting.length === 0) {
      running++;
      return null;
    }
    return new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const nextInLine = waiting.shift();
    if (nextInLine) nextInLine();
    else running--;
  };
  const abort = new AbortController();
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  let offset = 0;
  let slotFreed: (() => void) | null = null;

  /** `claimed`: whether this process is the one to handle it (dedupe), known a little after the answers go out. */
  const dispatch = (update: Update, claimed: Promise<boolean>) => {
    const key = orderingKey(update);
    const previous = chains.get(key);
    const crowded = running >= busyAt;
    const slot = previous ? null : acquire();
    const answered = options.onArrival?.(update, Boolean(previous || slot) || crowded);
    const handle = async () => {
      await answered;
      if (previous) {
        await previous;
        await (acquire() ?? Promise.resolve());
      } else if (slot) {
        await slot;
      }
      try {
        if (await claimed) await bot.handleUpdate(update);
      } finally {
        release();
      }
    };
    const run = handle().catch((error: unknown) => options.logger.error({ err: error, update_id: update.update_id }, 'update handling failed'));
    chains.set(key, run);
    inFlight.add(run);
    void run.finally(() => {
      inFlight.delete(run);
      if (chains.get(key) === run) chains.delete(key);
      slotFreed?.();
    });
  };

  const fetchUpdates = (): Promise<Update[]> =>
    bot.telegram.callApi(
      'getUpdates',
      { offset, timeout: options.timeoutSeconds ?? 50, allowed_updates: options.allowedUpdates },
      { signal: abort.signal as never },
    );

  const loop = async () => {
    // The next getUpdates goes out before the batch in hand is dispatched, so a burst larger than one batch (Telegram
    // hands out at most 100) reaches the bot without waiting for the first batch's work to yield the event loop.
    let ahead: Promise<Update[]> | null = null;
    while (!abort.signal.aborted) {
      while (inFlight.size >= maxInFlight && !abort.signal.aborted) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        slotFreed = null;
      }
      let updates: Update[];
      try {
        updates = await (ahead ?? fetchUpdates());
      } catch (error) {
        ahead = null;
        if (abort.signal.aborted) return;
        if (error instanceof TelegramError && (error.code === 401 || error.code === 409)) {
          // A wrong token, or another instance polling with it: nothing this loop can fix.
          options.logger.fatal({ err: error }, 'polling stopped: Telegram refused getUpdates');
          return;
        }
        const retryAfter = error instanceof TelegramError ? Number(error.parameters?.retry_after ?? 5) : 5;
        options.logger.warn({ err: error, retryAfter }, 'getUpdates failed; retrying');
        await sleep(retryAfter * 1000, abort.signal);
        continue;
      }
      ahead = null;
      for (const update of updates) offset = Math.max(offset, update.update_id + 1);
      if (updates.length > 0 && inFlight.size + updates.length < maxInFlight) {
        ahead = fetchUpdates();
        // Awaited on the next turn of the loop; this only keeps an early failure from counting as unhandled.
        ahead.catch(() => undefined);
      }
      // The claim runs alongside the dispatch: early answers need not wait for a database busy with the burst.
      const fresh: Promise<Set<Update>> =
        options.claim && updates.length > 0
          ? options.claim(updates).then(
              (kept) => new Set(kept),
              (error: unknown) => {
                options.logger.warn({ err: error }, 'claiming a batch of updates failed; each update checks itself');
                return new Set(updates);
              },
            )
          : Promise.resolve(new Set(updates));
      for (const update of updates) dispatch(update, fresh.then((kept) => kept.has(update)));
    }
  };
  const looping = loop();

  return {
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      abort.abort();
      await looping;
      await Promise.allSettled([...inFlight]);
      // Confirm what was handled, so Telegram does not deliver it again to the next start.
      if (offset > 0) await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}
