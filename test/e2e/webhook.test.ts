// E2E: webhook mode registers the webhook with a secret, refuses requests without it (401), serves /healthz.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { startTestApp, type TestApp } from '../support/app.js';

const SECRET = 'rahasia_webhook-123';
let t: TestApp;
let port: number;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  port = await freePort();
  t = await startTestApp({
    env: { BOT_MODE: 'webhook', WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, WEBHOOK_SECRET: SECRET, PORT: String(port) },
  });
});
afterAll(async () => {
  await t?.stop();
});

const update = (id: number) => ({
  update_id: id,
  message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'A' }, text: '/bantuan', entities: [{ type: 'bot_command', offset: 0, length: 8 }] },
});

describe('webhook mode', () => {
  it('registered the webhook with the secret token', () => {
    const call = t.fake.calls('setWebhook').at(-1)!;
    expect(call.params).toMatchObject({ url: `http://127.0.0.1:${port}/telegram`, secret_token: SECRET });
  });

  it('answers 401 without the right secret header and processes nothing', async () => {
    const url = `http://127.0.0.1:${port}/telegram`;
    const none = await fetch(url, { method: 'POST', body: JSON.stringify(update(900001)), headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    const wrong = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(update(900002)),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'salah' },
    });
    expect(wrong.status).toBe(401);
    expect(t.fake.messages(4242)).toHaveLength(0);
  });

  it('processes updates Telegram delivers with the secret', async () => {
    const user = t.fake.addUser({ id: 4343, first_name: 'Budi' });
    t.fake.sendText(user.id, '/bantuan');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/Perintah yang tersedia/);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: true, redis: true });
  });
});
