// The polling runner: updates of one chat in order, of different chats side by side, a cap on handlers at once,
// waiting updates reported as busy, and the handled offset confirmed on stop. Driven by a scripted getUpdates.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { startPolling } from '../../src/bot/polling.js';
import type { BotContext } from '../../src/bot/context.js';

const message = (updateId: number, chatId: number): Update =>
  ({ update_id: updateId, message: { message_id: updateId, date: 0, chat: { id: chatId, type: 'private', first_name: 'A' }, from: { id: chatId, is_bot: false, first_name: 'A' }, text: `m${updateId}` } }) as Update;

function scriptedBot(batches: Update[][], handle: (u: Update) => Promise<void>) {
  const calls: Array<Record<string, unknown>> = [];
  const bot = {
    telegram: {
      async callApi(method: string, payload: Record<string, unknown>, opts?: { signal?: AbortSignal }) {
        calls.push({ method, ...payload });
        const next = batches.shift();
        if (next) return next;
        if (payload.timeout === 0) return [];
        // Long poll with nothing to deliver: wait until aborted.
        await new Promise((resolve) => opts?.signal?.addEventListener('abort', resolve, { once: true }));
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      },
    },
    handleUpdate: handle,
  };
  return { bot: bot as unknown as Telegraf<BotContext>, calls };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('polling runner', () => {
  it('runs one chat in order and other chats alongside, reports waiting updates, and confirms the offset on stop', async () => {
    const log: string[] = [];
    const release = new Map<number, () => void>();
    const busy: number[] = [];
    const { bot, calls } = scriptedBot([[message(1, 10), message(2, 10), message(3, 20)]], (u) => {
      log.push(`start ${u.update_id}`);
      return new Promise<void>((resolve) => release.set(u.update_id, () => (log.push(`end ${u.update_id}`), resolve())));
    });
    const polling = startPolling(bot, { allowedUpdates: ['message'], logger: pino({ level: 'silent' }), onArrival: (u, b) => void (b && busy.push(u.update_id)) });
    await tick();
    // Chat 10's second update waits for its first; chat 20 does not wait for chat 10.
    expect(log).toEqual(['start 1', 'start 3']);
    expect(busy).toEqual([2]);
    release.get(3)!();
    release.get(1)!();
    await tick();
    expect(log).toEqual(['start 1', 'start 3', 'end 3', 'end 1', 'start 2']);
    release.get(2)!();
    await polling.idle();
    await polling.stop();
    expect(calls.at(-1)).toMatchObject({ method: 'getUpdates', offset: 4, timeout: 0 });
  });

  it('never runs more handlers at once than its cap; the rest start in arrival order', async () => {
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const updates = Array.from({ length: 20 }, (_, i) => message(i + 1, 100 + i));
    const { bot } = scriptedBot([updates], async (u) => {
      running++;
      most = Math.max(most, running);
      order.push(u.update_id);
      await tick(2);
      running--;
    });
    const polling = startPolling(bot, { allowedUpdates: ['message'], logger: pino({ level: 'silent' }), maxConcurrent: 4 });
    await tick();
    await polling.idle();
    await polling.stop();
    expect(most).toBe(4);
    expect(order).toEqual(updates.map((u) => u.update_id));
  });

  it('hands out only the updates the batch claim keeps (a redelivered update is dropped before any handler)', async () => {
    const handled: number[] = [];
    const claimed: number[][] = [];
    const { bot } = scriptedBot([[message(1, 1), message(2, 2), message(3, 3)]], async (u) => void handled.push(u.update_id));
    const polling = startPolling(bot, {
      allowedUpdates: ['message'],
      logger: pino({ level: 'silent' }),
      // One handler at a time: a dropped update must give its slot back, or the third would never run.
      maxConcurrent: 1,
      claim: async (updates) => {
        claimed.push(updates.map((u) => u.update_id));
        return updates.filter((u) => u.update_id !== 2);
      },
    });
    await tick();
    await polling.idle();
    await polling.stop();
    expect(claimed).toEqual([[1, 2, 3]]);
    expect(handled).toEqual([1, 3]);
  });
});
