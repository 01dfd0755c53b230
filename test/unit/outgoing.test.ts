// The outgoing path over a scripted Bot API: order per chat under 429s, retry_after honoured, outages retried,
// "not modified" is no error, an unreachable recipient is reported, and a job's patience hands the error back.
import { pino } from 'pino';
import { Telegram, TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { createOutgoing, withCallOptions } from '../../src/chat/outgoing/index.js';

const logger = pino({ level: 'silent' });
type Script = (method: string, payload: Record<string, unknown>, n: number) => unknown;

/** A Telegram client whose raw calls follow `script` (throw to fail), recording what arrived. */
function scripted(script: Script) {
  const arrived: Array<{ method: string; payload: Record<string, unknown> }> = [];
  const telegram = new Telegram('1:test', { apiRoot: 'http://127.0.0.1:1' });
  let n = 0;
  telegram.callApi = (async (method: string, payload: Record<string, unknown>) => {
    const result = script(method, payload, n++);
    arrived.push({ method, payload });
    return result;
  }) as Telegram['callApi'];
  return { telegram, arrived };
}

const api = (error_code: number, description: string, retry_after?: number) =>
  new TelegramError({ error_code, description, ...(retry_after ? { parameters: { retry_after } } : {}) });
const fast = { pacing: { privateBurst: 2, privateIntervalMs: 5, groupPerWindow: 3, groupWindowMs: 20 }, retry: { baseMs: 2, maxMs: 10 } };

describe('the outgoing path', () => {
  it('keeps the order of one chat through a 429 and an outage, and waits instead of failing', async () => {
    let refused = 0;
    const { telegram, arrived } = scripted((method, payload, n) => {
      if (n === 1 && refused++ === 0) throw api(429, 'Too Many Requests: retry after 1', 0.01 as unknown as number);
      if (n === 3 && refused++ === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      return { message_id: n, text: payload.text };
    });
    const outgoing = createOutgoing({ logger, ...fast });
    outgoing.install(telegram);
    await Promise.all([1, 2, 3, 4, 5].map((i) => telegram.sendMessage(42, `m${i}`)));
    const delivered = arrived.filter((a) => a.method === 'sendMessage').map((a) => a.payload.text);
    expect(delivered).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(outgoing.pendingFor(42)).toBe(0);
  });

  it('treats "message is not modified" as done and reports an unreachable recipient', async () => {
    const unreachable: number[] = [];
    const { telegram } = scripted((method) => {
      if (method === 'editMessageText') throw api(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same');
      throw api(403, 'Forbidden: bot was blocked by the user');
    });
    const outgoing = createOutgoing({ logger, ...fast, onUnreachable: async (chatId) => void unreachable.push(chatId) });
    outgoing.install(telegram);
    await expect(telegram.editMessageText(7, 1, undefined, 'x')).resolves.toBe(true);
    await expect(telegram.sendMessage(7, 'x')).rejects.toThrow(/blocked/);
    expect(unreachable).toEqual([7]);
  });

  it("a job's patience hands an outage back to its queue", async () => {
    const { telegram } = scripted(() => {
      throw api(502, 'Bad Gateway');
    });
    const outgoing = createOutgoing({ logger, ...fast });
    outgoing.install(telegram);
    await expect(withCallOptions(telegram, { patienceMs: 30 }).sendMessage(9, 'x')).rejects.toThrow(/Bad Gateway/);
  });
});
