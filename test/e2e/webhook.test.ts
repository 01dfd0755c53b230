// E2E: webhook mode registers the webhook with a secret, refuses requests without it (401) and bodies that are not
// an update (400, never 500, logged without the body), serves /healthz; instances share one WEBHOOK_URL, and one
// configured with another URL leaves Telegram's webhook alone unless WEBHOOK_FORCE=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../src/db/client.js';
import { startApp, type RunningApp } from '../../src/runtime.js';
import { appConfigFor, startTestApp, type TestApp } from '../support/app.js';

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

const logLines: Array<Record<string, unknown>> = [];
/** A logger whose lines land in `into`, as parsed JSON. */
function capturingLogger(into: Array<Record<string, unknown>>) {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) into.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return pino({ level: 'info' }, sink);
}

beforeAll(async () => {
  port = await freePort();
  t = await startTestApp({
    env: { BOT_MODE: 'webhook', WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`, WEBHOOK_SECRET: SECRET, PORT: String(port) },
    logger: capturingLogger(logLines),
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

  it('answers 400 to a body that is not an update (null, an array, not JSON, over 1 MB), logs it without the body, and keeps serving', async () => {
    const url = `http://127.0.0.1:${port}/telegram`;
    const post = (body: string | Buffer) =>
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } });
    const marker = 'RAHASIA-ISI-BADAN';
    const bad: Array<[string, string | Buffer]> = [
      ['null', 'null'],
      ['an array', JSON.stringify([{ update_id: 1, marker }])],
      ['not JSON', `{"update_id": 1, ${marker}`],
      ['a bare string', JSON.stringify(marker)],
      ['no update_id', JSON.stringify({ message: { text: marker } })],
      ['a text update_id', JSON.stringify({ update_id: marker })],
      ['empty', ''],
      ['over 1 MB', Buffer.from(JSON.stringify({ update_id: 900010, padding: marker.repeat(70_000) }))],
    ];
    const before = logLines.length;
    for (const [what, body] of bad) {
      const res = await post(body);
      expect(res.status, what).toBe(400);
    }
    const refusals = logLines.slice(before).filter((l) => l.msg === 'webhook request refused: not an update');
    expect(refusals.map((l) => l.problem)).toEqual(['not_an_update', 'not_an_update', 'not_json', 'not_an_update', 'not_an_update', 'not_an_update', 'not_json', 'too_large']);
    expect(JSON.stringify(logLines.slice(before))).not.toContain(marker);

    // A real update right after is handled as usual.
    t.fake.addUser({ id: 4242, first_name: 'A' });
    t.fake.markStarted(4242);
    const ok = await post(JSON.stringify(update(900011)));
    expect(ok.status).toBe(200);
    expect((await t.fake.waitForMessage(4242)).text).toMatch(/Perintah yang tersedia/);
  });

  it('serves /healthz', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: true, redis: true });
  });

  it('answers an address it does not serve in Indonesian, pointing to the bot', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('Halaman tidak ditemukan. kinerja-bot dipakai lewat Telegram: buka chat bot lalu ketik /start.');
  });
});

describe('update leases (several receivers, one update handled once)', () => {
  const post = (body: unknown) =>
    fetch(`http://127.0.0.1:${port}/telegram`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
  const updateFor = (id: number, chat: number) => ({
    ...update(id),
    message: { ...update(id).message, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'L' } },
  });

  it('a redelivery of a handled update gets 200 and is not handled again', async () => {
    t.fake.addUser({ id: 4545, first_name: 'L' });
    t.fake.markStarted(4545);
    expect((await post(updateFor(900030, 4545))).status).toBe(200);
    expect(await t.fake.waitForMessage(4545)).toBeTruthy();
    const lease = rowsOf(await t.db.db.execute(sql`select lease_until from processed_updates where update_id = 900030`));
    expect(lease).toEqual([{ lease_until: null }]);
    expect((await post(updateFor(900030, 4545))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(t.fake.messages(4545)).toHaveLength(1);
  });

  it('an update another process is handling gets 503 (Telegram delivers it again); once its lease ran out it is taken over', async () => {
    t.fake.addUser({ id: 4646, first_name: 'M' });
    t.fake.markStarted(4646);
    // Another receiver claimed it and died before finishing.
    await t.db.db.execute(sql`insert into processed_updates (update_id, lease_until) values (900040, now() + interval '1 hour')`);
    expect((await post(updateFor(900040, 4646))).status).toBe(503);
    expect(t.fake.messages(4646)).toHaveLength(0);
    await t.db.db.execute(sql`update processed_updates set lease_until = now() - interval '1 second' where update_id = 900040`);
    expect((await post(updateFor(900040, 4646))).status).toBe(200);
    expect((await t.fake.waitForMessage(4646)).text).toMatch(/Perintah yang tersedia/);
    expect(t.fake.messages(4646)).toHaveLength(1);
  });
});

describe('more than one webhook instance', () => {
  const url = (p: number, path = '/telegram') => `http://127.0.0.1:${p}${path}`;
  const others: RunningApp[] = [];
  /** Another instance of the app on the same database and the same bot (token, fake Bot API). */
  async function instance(env: Record<string, string>, logs: Array<Record<string, unknown>>) {
    const config = appConfigFor({ api: t.fake, db: t.db, env: { BOT_MODE: 'webhook', WEBHOOK_SECRET: SECRET, ...env } });
    const app = await startApp({ config, logger: capturingLogger(logs), database: t.db });
    others.push(app);
    return app;
  }
  const registered = async () => (await t.app.bot.telegram.getWebhookInfo()).url;
  afterAll(async () => {
    for (const app of others) await app.stop('test end');
  });

  it('a second instance with the same WEBHOOK_URL (behind a load balancer) serves too', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const second = await freePort();
    const app = await instance({ WEBHOOK_URL: url(port), PORT: String(second) }, logs);
    expect(await registered()).toBe(url(port));
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
    // Requests the load balancer sends it are handled like the first instance's.
    t.fake.addUser({ id: 4444, first_name: 'B' });
    t.fake.markStarted(4444);
    const res = await fetch(`http://127.0.0.1:${app.httpPort}/telegram`, {
      method: 'POST',
      body: JSON.stringify({ ...update(900020), message: { ...update(900020).message, chat: { id: 4444, type: 'private' }, from: { id: 4444, is_bot: false, first_name: 'B' } } }),
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
    });
    expect(res.status).toBe(200);
    expect((await t.fake.waitForMessage(4444)).text).toMatch(/Perintah yang tersedia/);
  });

  it('an instance with another WEBHOOK_URL logs an error and leaves the webhook alone', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const other = await freePort();
    await instance({ WEBHOOK_URL: url(other, '/lain'), PORT: String(other) }, logs);
    expect(await registered()).toBe(url(port));
    const errors = logs.filter((l) => l.level === 50);
    expect(errors).toEqual([expect.objectContaining({ registered: url(port), configured: url(other, '/lain'), msg: expect.stringMatching(/WEBHOOK_FORCE=1/) })]);
  });

  it('with WEBHOOK_FORCE=1 it replaces it', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const forced = await freePort();
    await instance({ WEBHOOK_URL: url(forced, '/baru'), PORT: String(forced), WEBHOOK_FORCE: '1' }, logs);
    expect(await registered()).toBe(url(forced, '/baru'));
    expect(logs.some((l) => l.msg === 'webhook registered')).toBe(true);
  });
});
