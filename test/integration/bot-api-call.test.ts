// The direct Bot API call that replaces telegraf's client for calls that upload nothing: the same results and the
// same errors as telegraf gives for the same answers (from the fake Bot API, and from a server answering 5xx or
// something that is not JSON), uploads still through telegraf, and an aborted call rejected as node-fetch does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegram, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyTelegramError } from '../../src/chat/telegram-errors.js';
import { directBotApiCall } from '../../src/chat/outgoing/telegram-client.js';
import { FakeTelegram } from '../support/fake-telegram.js';

type RawCall = (method: string, payload: unknown, extra?: { signal?: AbortSignal }) => Promise<unknown>;

let fake: FakeTelegram;
let odd: Server;
let oddRoot: string;

/** The same answers through telegraf's own client and through the direct call. */
function both(apiRoot: string, token = fake.token) {
  const telegraf = new Telegram(token, { apiRoot, webhookReply: false });
  const viaTelegraf: RawCall = (method, payload, extra) => (telegraf.callApi as unknown as RawCall).call(telegraf, method, payload, extra);
  const telegram = new Telegram(token, { apiRoot, webhookReply: false });
  const uploads: string[] = [];
  const direct = directBotApiCall(telegram, (method, payload, extra) => {
    uploads.push(method);
    return viaTelegraf(method, payload, extra);
  });
  return { viaTelegraf, direct, uploads };
}

async function failureOf(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

beforeAll(async () => {
  fake = await FakeTelegram.start();
  for (const id of [7001, 7002, 7003, 7004]) {
    fake.addUser({ id, first_name: 'Uji' });
    fake.markStarted(id);
  }
  // Answers a real Bot API server never gives but a proxy in front of it does.
  odd = createServer((req, res) => {
    req.resume();
    if (req.url?.endsWith('/sendMessage')) {
      res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' }).end('<html>502</html>');
    } else if (req.url?.endsWith('/getMe')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    } else {
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":true}'), 2000);
    }
  });
  await new Promise<void>((resolve) => odd.listen(0, '127.0.0.1', resolve));
  oddRoot = `http://127.0.0.1:${(odd.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await fake.stop();
  await new Promise<void>((resolve) => odd.close(() => resolve()));
});

describe('the direct Bot API call', () => {
  it('returns what telegraf returns, null fields left out', async () => {
    const { viaTelegraf, direct, uploads } = both(fake.apiRoot);
    const payload = { chat_id: 7001, text: '<b>Halo</b>', parse_mode: 'HTML', reply_to_message_id: undefined, disable_notification: null };
    const a = (await viaTelegraf('sendMessage', payload)) as { message_id: number; text: string; chat: unknown };
    const b = (await direct('sendMessage', payload)) as { message_id: number; text: string; chat: unknown };
    expect(b.message_id).toBe(a.message_id + 1);
    expect({ text: b.text, chat: b.chat }).toEqual({ text: a.text, chat: a.chat });
    expect(await direct('getMe', {})).toEqual(await viaTelegraf('getMe', {}));
    expect(uploads).toEqual([]);
  });

  it("fails with telegraf's TelegramError and the answer's code, description and retry_after", async () => {
    const { viaTelegraf, direct } = both(fake.apiRoot);
    const gone = { chat_id: 999_999_999, text: 'x' };
    const [a, b] = [await failureOf(viaTelegraf('sendMessage', gone)), await failureOf(direct('sendMessage', gone))];
    expect(b).toBeInstanceOf(TelegramError);
    expect((b as TelegramError).response).toEqual((a as TelegramError).response);
    expect((b as TelegramError).on).toEqual({ method: 'sendMessage', payload: gone });
    expect(classifyTelegramError(b)).toEqual(classifyTelegramError(a));

    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 3', retry_after: 3 });
    const limited = await failureOf(direct('sendMessage', { chat_id: 7002, text: 'y' }));
    expect(classifyTelegramError(limited)).toEqual({ kind: 'rate_limited', retryAfterMs: 3000 });
  });

  it('a 5xx is a TelegramError with its status, and an answer that is not JSON is worth retrying, as with telegraf', async () => {
    const { viaTelegraf, direct } = both(oddRoot, '1:odd');
    const [a, b] = [await failureOf(viaTelegraf('sendMessage', { chat_id: 1, text: 'x' })), await failureOf(direct('sendMessage', { chat_id: 1, text: 'x' }))];
    expect(b).toBeInstanceOf(TelegramError);
    expect((b as TelegramError).code).toBe(502);
    expect(classifyTelegramError(b)).toEqual(classifyTelegramError(a));
    const [c, d] = [await failureOf(viaTelegraf('getMe', {})), await failureOf(direct('getMe', {}))];
    expect(classifyTelegramError(d)).toEqual({ kind: 'transient' });
    expect(classifyTelegramError(d)).toEqual(classifyTelegramError(c));
  });

  it('an aborted call rejects at once and is worth retrying', async () => {
    const { direct } = both(oddRoot, '1:odd');
    const controller = new AbortController();
    const call = failureOf(direct('deleteMessage', { chat_id: 1, message_id: 1 }, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 50);
    const error = await call;
    expect(classifyTelegramError(error)).toEqual({ kind: 'transient' });
  });

  it('uploads (a file by its bytes) still go through telegraf', async () => {
    const { direct, uploads } = both(fake.apiRoot);
    const sent = (await direct('sendDocument', { chat_id: 7003, document: { source: Buffer.from('a,b\n1,2\n'), filename: 'x.csv' } })) as {
      document?: { file_name?: string };
    };
    expect(uploads).toEqual(['sendDocument']);
    expect(sent.document?.file_name).toBe('x.csv');
    // A file already on Telegram (its file_id) is plain JSON.
    await direct('sendMessage', { chat_id: 7004, text: 'ok', link_preview_options: { url: 'https://example.org' } });
    expect(uploads).toEqual(['sendDocument']);
  });
});
