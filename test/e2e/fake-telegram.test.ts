// Tests of the fake Telegram Bot API server (test/support/fake-telegram.ts), driven by a real telegraf bot
// in polling mode and by raw fetch.
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Markup, Telegraf } from 'telegraf';
import { FakeTelegram, type FakeTelegramOptions } from '../support/fake-telegram.js';

interface ApiResponse {
  status: number;
  body: { ok: boolean; result?: any; error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

const fakes: FakeTelegram[] = [];
const bots: Array<{ stop: () => Promise<void> }> = [];

afterEach(async () => {
  for (const b of bots.splice(0)) await b.stop();
  for (const f of fakes.splice(0)) await f.stop();
});

async function startFake(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = await FakeTelegram.start(opts);
  fakes.push(fake);
  return fake;
}

async function api(
  fake: FakeTelegram,
  method: string,
  params: Record<string, unknown> = {},
  how: 'json' | 'urlencoded' | 'get' = 'json',
  token = fake.token,
): Promise<ApiResponse> {
  const url = `${fake.apiRoot}/bot${token}/${method}`;
  const form = () => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
  let res: Response;
  if (how === 'get') {
    res = await fetch(`${url}?${form()}`);
  } else if (how === 'urlencoded') {
    res = await fetch(url, { method: 'POST', body: form() });
  } else {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  }
  return { status: res.status, body: (await res.json()) as ApiResponse['body'] };
}

/** Launches a telegraf bot against the fake and waits until it is long polling. */
async function startBot(fake: FakeTelegram, setup: (bot: Telegraf) => void): Promise<{ bot: Telegraf; errors: unknown[] }> {
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
  const errors: unknown[] = [];
  bot.catch((err) => {
    errors.push(err);
  });
  setup(bot);
  const launched = bot.launch().catch((err: unknown) => errors.push(err));
  bots.push({
    stop: async () => {
      bot.stop('test end');
      await launched;
    },
  });
  await fake.waitForPolling();
  return { bot, errors };
}

describe('FakeTelegram with a telegraf bot', () => {
  it('delivers /start (with payload and @botname) to bot.command and records the reply', async () => {
    const fake = await startFake();
    fake.addUser({ id: 1001, first_name: 'Budi', username: 'budi' });
    const { errors } = await startBot(fake, (bot) => {
      bot.start((ctx) => ctx.reply(`hello ${ctx.from.first_name}, payload=${ctx.payload || '-'}`));
      bot.command('help', (ctx) => ctx.reply('<b>Help</b> &amp; more', { parse_mode: 'HTML' }));
    });

    const update = fake.sendText(1001, '/start');
    expect(update.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const reply = await fake.waitForMessage(1001);
    expect(reply.text).toBe('hello Budi, payload=-');
    expect(reply.message.from?.is_bot).toBe(true);
    expect(reply.message.chat).toMatchObject({ id: 1001, type: 'private' });
    expect(reply.message_id).toBeGreaterThan(update.message.message_id);

    fake.sendText(1001, '/start NIP_198501012010011001');
    expect((await fake.waitForMessage(1001)).text).toBe('hello Budi, payload=NIP_198501012010011001');

    fake.sendText(1001, `/help@${fake.botUsername}`);
    const help = await fake.waitForMessage(1001);
    expect(help.text).toBe('Help & more');
    expect(help.entities).toEqual([{ type: 'bold', offset: 0, length: 4 }]);
    expect(help.parse_mode).toBe('HTML');
    expect(help.params.text).toBe('<b>Help</b> &amp; more');

    await fake.waitForIdle();
    expect(fake.pendingUpdates()).toBe(0);
    expect(fake.messages(1001)).toHaveLength(3);
    expect(errors).toEqual([]);
  });

  it('accepts multipart uploads (sendDocument with a Buffer) and serves them via getFile + download', async () => {
    const fake = await startFake();
    fake.addUser({ id: 1002, first_name: 'Sari' });
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 7), Buffer.from('\r\n--not-a-boundary\r\n')]);
    const { bot, errors } = await startBot(fake, (b) => {
      b.command('report', (ctx) =>
        ctx.replyWithDocument(
          { source: pdf, filename: 'laporan skp.pdf' },
          { caption: 'SKP <i>2025</i>', parse_mode: 'HTML', ...Markup.inlineKeyboard([Markup.button.callback('Setujui', 'approve:1')]) },
        ),
      );
    });

    fake.sendText(1002, '/report');
    const sent = await fake.waitForMessage(1002, (m) => m.method === 'sendDocument');
    expect(sent.document).toMatchObject({ file_name: 'laporan skp.pdf', mime_type: 'application/pdf', file_size: pdf.length });
    expect(sent.document?.content?.equals(pdf)).toBe(true);
    expect(sent.caption).toBe('SKP 2025');
    expect(sent.caption_entities).toEqual([{ type: 'italic', offset: 4, length: 4 }]);
    expect(sent.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Setujui', callback_data: 'approve:1', hide: false }]] });
    expect(fake.calls('sendDocument')[0]?.params.document).toEqual({ filename: 'laporan skp.pdf', size: pdf.length });

    // re-send by file_id (JSON) and download through telegraf's getFileLink
    const fileId = sent.document!.file_id;
    await bot.telegram.sendDocument(1002, fileId);
    const again = fake.messages(1002).at(-1)!;
    expect(again.document?.file_id).toBe(fileId);
    const link = await bot.telegram.getFileLink(fileId);
    expect(link.href.startsWith(`${fake.apiRoot}/file/bot${fake.token}/documents/`)).toBe(true);
    const downloaded = Buffer.from(await (await fetch(link)).arrayBuffer());
    expect(downloaded.equals(pdf)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('lets the bot download a document the user sent', async () => {
    const fake = await startFake();
    fake.addUser({ id: 1003, first_name: 'Andi' });
    const csv = Buffer.from('nip,nama\n198501012010011001,Andi Wijaya\n');
    await startBot(fake, (bot) => {
      bot.on('document', async (ctx) => {
        const link = await ctx.telegram.getFileLink(ctx.message.document.file_id);
        const bytes = Buffer.from(await (await fetch(link)).arrayBuffer());
        await ctx.reply(`got ${ctx.message.document.file_name} ${ctx.message.document.mime_type} ${bytes.length} ${bytes.toString().split('\n')[1]}`);
      });
      bot.on('photo', (ctx) => ctx.reply(`photo sizes ${ctx.message.photo.length}`));
    });
    const update = fake.sendDocument(1003, { fileName: 'roster.csv', mimeType: 'text/csv', content: csv });
    expect(update.message.document?.file_size).toBe(csv.length);
    expect((await fake.waitForMessage(1003)).text).toBe(`got roster.csv text/csv ${csv.length} 198501012010011001,Andi Wijaya`);

    const photo = fake.sendPhoto(1003, { content: Buffer.alloc(5000, 1), caption: 'bukti' });
    expect(photo.message.photo!.length).toBeGreaterThanOrEqual(2);
    expect((await fake.waitForMessage(1003)).text).toBe(`photo sizes ${photo.message.photo!.length}`);
    for (const size of photo.message.photo!) {
      const r = await api(fake, 'getFile', { file_id: size.file_id });
      expect(r.body.ok).toBe(true);
    }
  });

  it('answers callback queries and rejects answers that come too late', async () => {
    const fake = await startFake({ callbackAnswerTimeoutMs: 300 });
    fake.addUser({ id: 1004, first_name: 'Rina' });
    fake.markStarted(1004);
    await startBot(fake, (bot) => {
      bot.action(/^ok:/, async (ctx) => {
        await ctx.answerCbQuery('Disetujui');
        await ctx.editMessageText('SKP disetujui ✅');
      });
      bot.action('slow', async (ctx) => {
        await new Promise((r) => setTimeout(r, 400));
        await ctx.answerCbQuery('late').catch((err: Error) => ctx.reply(`answer failed: ${err.message}`));
      });
    });
    const ask = await api(fake, 'sendMessage', {
      chat_id: 1004,
      text: 'Setujui SKP?',
      reply_markup: { inline_keyboard: [[{ text: 'Ya', callback_data: 'ok:7' }, { text: 'Lambat', callback_data: 'slow' }]] },
    });
    expect(ask.body.ok).toBe(true);
    const messageId = ask.body.result.message_id as number;

    const tap = fake.tapButton(1004, { chatId: 1004, messageId }, 'ok:7');
    expect(tap.callback_query.message.message_id).toBe(messageId);
    const answer = await fake.waitForCallbackAnswer(tap.callback_query.id);
    expect(answer.text).toBe('Disetujui');
    expect(answer.latencyMs).toBeGreaterThanOrEqual(0);
    const edited = await fake.waitForEdit(1004, messageId);
    expect(edited.text).toBe('SKP disetujui ✅');
    expect(edited.edits).toBe(1);
    expect(edited.message.reply_markup).toBeUndefined(); // editMessageText without reply_markup drops the keyboard

    // answering twice -> too old
    const twice = await api(fake, 'answerCallbackQuery', { callback_query_id: tap.callback_query.id });
    expect(twice.status).toBe(400);
    expect(twice.body.description).toBe('Bad Request: query is too old and response timeout expired or query ID is invalid');

    // answered after the timeout -> too old (seen by the bot as a TelegramError)
    fake.tapButton(1004, { chatId: 1004, messageId }, 'slow');
    const failed = await fake.waitForMessage(1004, (m) => m.text?.startsWith('answer failed') ?? false);
    expect(failed.text).toBe('answer failed: 400: Bad Request: query is too old and response timeout expired or query ID is invalid');

    const unknown = await api(fake, 'answerCallbackQuery', { callback_query_id: '12345' });
    expect(unknown.status).toBe(400);
  });
});

describe('FakeTelegram update delivery variants', () => {
  it('delivers injected duplicates (same update_id) again, for dedup tests', async () => {
    const fake = await startFake();
    fake.addUser({ id: 1005, first_name: 'Lina' });
    const seen: number[] = [];
    await startBot(fake, (bot) => {
      bot.on('message', (ctx) => {
        seen.push(ctx.update.update_id);
      });
    });
    const original = fake.sendText(1005, 'sekali');
    await fake.waitForIdle();
    fake.injectUpdate(structuredClone(original));
    await fake.waitForIdle();
    expect(seen).toEqual([original.update_id, original.update_id]);
  });

  it('posts updates to a webhook with the secret token and executes webhook replies', async () => {
    const fake = await startFake();
    fake.addUser({ id: 1006, first_name: 'Mira' });
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.start((ctx) => ctx.reply('halo', Markup.inlineKeyboard([Markup.button.callback('OK', 'ok')])));
    bot.action('ok', (ctx) => ctx.answerCbQuery('siap')); // answered inside the webhook HTTP response
    const server = createServer(bot.webhookCallback('/hook', { secretToken: 's3cret' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      await bot.telegram.setWebhook(`http://127.0.0.1:${port}/hook`, { secret_token: 's3cret' });
      expect((await api(fake, 'getUpdates', {})).status).toBe(409);
      fake.sendText(1006, '/start');
      const hello = await fake.waitForMessage(1006);
      expect(hello.text).toBe('halo');
      const tap = fake.tapButton(1006, { chatId: 1006, messageId: hello.message_id }, 'ok');
      expect((await fake.waitForCallbackAnswer(tap.callback_query.id)).text).toBe('siap');
      await fake.waitForIdle();
      expect((await api(fake, 'getWebhookInfo')).body.result).toMatchObject({ url: `http://127.0.0.1:${port}/hook`, pending_update_count: 0 });
      await bot.telegram.deleteWebhook();
      expect((await api(fake, 'getUpdates', {})).body.result).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('FakeTelegram over raw HTTP', () => {
  it('holds a long poll until an update arrives, confirms by offset and answers 409 to a superseded poll', async () => {
    const fake = await startFake();
    fake.addUser({ id: 2001, first_name: 'Dewi' });
    const t0 = Date.now();
    // A long timeout: the poll must be answered by the update, far before the timeout (no tight clock bound).
    const poll = api(fake, 'getUpdates', { timeout: 50 });
    await fake.waitForPolling();
    await new Promise((r) => setTimeout(r, 50));
    const sent = fake.sendText(2001, 'halo');
    const res = await poll;
    expect(Date.now() - t0).toBeLessThan(40_000);
    expect(res.body.ok).toBe(true);
    expect(res.body.result).toEqual([sent]);
    expect(fake.pendingUpdates()).toBe(0);

    // not confirmed yet: delivered again; confirmed with offset: gone
    expect((await api(fake, 'getUpdates', { timeout: 0 })).body.result).toHaveLength(1);
    expect((await api(fake, 'getUpdates', { offset: sent.update_id + 1 }, 'get')).body.result).toEqual([]);
    expect(fake.unconfirmedUpdates()).toBe(0);

    // limit and urlencoded
    fake.sendText(2001, 'a');
    fake.sendText(2001, 'b');
    fake.sendText(2001, 'c');
    const two = await api(fake, 'getUpdates', { limit: 2, offset: sent.update_id + 1 }, 'urlencoded');
    expect(two.body.result.map((u: { message: { text: string } }) => u.message.text)).toEqual(['a', 'b']);

    // a new getUpdates terminates the held one with 409
    await api(fake, 'getUpdates', { offset: sent.update_id + 4 });
    const first = api(fake, 'getUpdates', { timeout: 5, offset: sent.update_id + 4 });
    await fake.waitForPolling();
    const second = api(fake, 'getUpdates', { timeout: 1, offset: sent.update_id + 4 });
    const conflict = await first;
    expect(conflict.status).toBe(409);
    expect(conflict.body.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    await fake.waitForPolling();
    fake.sendText(2001, 'after');
    expect((await second).body.result[0].message.text).toBe('after');
  });

  it('enforces text length, HTML markup and callback_data bytes with 400', async () => {
    const fake = await startFake();
    fake.addUser({ id: 2002, first_name: 'Eko' });
    fake.markStarted(2002);
    const tooLong = await api(fake, 'sendMessage', { chat_id: 2002, text: 'x'.repeat(4097) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    expect((await api(fake, 'sendMessage', { chat_id: 2002, text: 'x'.repeat(4096) })).status).toBe(200);
    // entities do not count: 4096 visible characters inside tags and escapes are fine
    const html = `<b>${'&lt;'.repeat(4000)}</b>${'y'.repeat(96)}`;
    expect((await api(fake, 'sendMessage', { chat_id: 2002, text: html, parse_mode: 'HTML' })).status).toBe(200);
    expect((await api(fake, 'sendMessage', { chat_id: 2002, text: '  \n ' })).body.description).toBe('Bad Request: message text is empty');

    const badHtml = await api(fake, 'sendMessage', { chat_id: 2002, text: 'a <br> b', parse_mode: 'HTML' });
    expect(badHtml.status).toBe(400);
    expect(badHtml.body.description).toBe(`Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 2`);
    const unclosed = await api(fake, 'sendMessage', { chat_id: 2002, text: '<b>bold', parse_mode: 'HTML' });
    expect(unclosed.body.description).toMatch(/^Bad Request: can't parse entities: Can't find end tag/);
    const mdv2 = await api(fake, 'sendMessage', { chat_id: 2002, text: 'Nilai 4.5', parse_mode: 'MarkdownV2' });
    expect(mdv2.body.description).toBe(`Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'`);
    expect((await api(fake, 'sendMessage', { chat_id: 2002, text: '*Nilai* 4\\.5', parse_mode: 'MarkdownV2' })).status).toBe(200);

    const data65 = 'é'.repeat(32) + 'x'; // 65 bytes, 33 characters
    const badButton = await api(fake, 'sendMessage', {
      chat_id: 2002,
      text: 'pilih',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: data65 }]] },
    });
    expect(badButton.status).toBe(400);
    expect(badButton.body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const ok64 = await api(fake, 'sendMessage', {
      chat_id: 2002,
      text: 'pilih',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'A', callback_data: 'é'.repeat(32) }]] }),
    });
    expect(ok64.status).toBe(200);

    const caption = await fetchMultipart(fake, 'sendDocument', { chat_id: '2002', caption: 'c'.repeat(1025) }, 'document', 'a.txt', Buffer.from('x'));
    expect(caption.body.description).toBe('Bad Request: message caption is too long');

    // edits
    const id = ok64.body.result.message_id as number;
    const same = await api(fake, 'editMessageText', {
      chat_id: 2002,
      message_id: id,
      text: 'pilih',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'é'.repeat(32) }]] },
    });
    expect(same.body.description).toMatch(/^Bad Request: message is not modified/);
    expect((await api(fake, 'editMessageText', { chat_id: 2002, message_id: 9999, text: 'z' })).body.description).toBe(
      'Bad Request: message to edit not found',
    );
    // none of the rejected messages were stored
    expect(fake.messages(2002).map((m) => m.text?.length)).toEqual([4096, 4096, 9, 5]);
  });

  it('answers 403 for blocked and never-started users, 400 for unknown chats, 401 for a wrong token, 404 for unknown methods', async () => {
    const fake = await startFake();
    fake.addUser({ id: 2003, first_name: 'Fajar' });
    fake.addUser({ id: 2004, first_name: 'Gita' });
    const never = await api(fake, 'sendMessage', { chat_id: 2003, text: 'hi' });
    expect(never.status).toBe(403);
    expect(never.body.description).toBe("Forbidden: bot can't initiate conversation with a user");

    fake.sendText(2004, '/start');
    expect((await api(fake, 'sendMessage', { chat_id: 2004, text: 'hi' })).status).toBe(200);
    fake.blockBot(2004);
    const blocked = await api(fake, 'sendMessage', { chat_id: 2004, text: 'hi' });
    expect(blocked).toEqual({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    expect((await api(fake, 'sendChatAction', { chat_id: 2004, action: 'typing' })).status).toBe(403);
    fake.unblockBot(2004);
    expect((await api(fake, 'sendMessage', { chat_id: 2004, text: 'hi again' })).status).toBe(200);

    expect((await api(fake, 'sendMessage', { chat_id: 777, text: 'hi' })).body.description).toBe('Bad Request: chat not found');
    fake.addGroup({ id: -100200, title: 'Bidang Umum' });
    expect((await api(fake, 'sendMessage', { chat_id: -100200, text: 'rapat' })).status).toBe(200);

    const wrong = await api(fake, 'getMe', {}, 'json', '999:WRONG');
    expect(wrong).toEqual({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    const me = await api(fake, 'getMe', {}, 'get');
    expect(me.body.result).toMatchObject({ is_bot: true, username: 'kinerja_test_bot' });
    const missing = await api(fake, 'sendTelepathy', {});
    expect(missing).toEqual({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });
    expect((await api(fake, 'getFile', { file_id: 'nope' })).body.description).toBe('Bad Request: invalid file_id');
    const big = fake.registerFile({ fileSize: 20 * 1024 * 1024 + 1 });
    expect((await api(fake, 'getFile', { file_id: big.file_id })).body.description).toBe('Bad Request: file is too big');
    expect((await fetch(`${fake.apiRoot}/file/bot${fake.token}/documents/missing.pdf`)).status).toBe(404);
  });

  it('rate-limits send-type calls with 429 + retry_after and does not store rejected messages', async () => {
    const fake = await startFake({ flatPerChatPerSecond: 3, globalRatePerSecond: 5, retryAfterSeconds: 2 });
    for (const id of [3001, 3002]) {
      fake.addUser({ id, first_name: `U${id}` });
      fake.markStarted(id);
    }
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => api(fake, 'sendMessage', { chat_id: 3001, text: `m${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const limited = results.find((r) => r.status === 429)!;
    expect(limited.body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 2',
      parameters: { retry_after: 2 },
    });
    expect(fake.messages(3001)).toHaveLength(3);
    // global: 3 used, 2 left for the other chat
    const other = await Promise.all(Array.from({ length: 3 }, (_, i) => api(fake, 'sendMessage', { chat_id: 3002, text: `o${i}` })));
    expect(other.filter((r) => r.status === 429)).toHaveLength(1);
    expect(fake.stats()).toMatchObject({ sent: 5, rejected429: 3, maxGlobalPerSecondObserved: 5, maxPerChatPerSecondObserved: 3 });

    fake.setLimits({ flatPerChatPerSecond: 0, globalRatePerSecond: 0, privateBurst: 0 });
    expect((await api(fake, 'sendMessage', { chat_id: 3001, text: 'unlimited' })).status).toBe(200);

    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 7', retry_after: 7 });
    const injected = await api(fake, 'sendMessage', { chat_id: 3001, text: 'x' });
    expect(injected.body.parameters).toEqual({ retry_after: 7 });
    expect((await api(fake, 'sendMessage', { chat_id: 3001, text: 'x' })).status).toBe(200);
  });

  it('parses multipart bodies from other clients (FormData) and rejects oversized photos with 413', async () => {
    const fake = await startFake();
    fake.addUser({ id: 3003, first_name: 'Hadi' });
    fake.markStarted(3003);
    const png = Buffer.alloc(64);
    png.writeUInt32BE(0x89504e47, 0);
    png.writeUInt32BE(1600, 16);
    png.writeUInt32BE(900, 20);
    const res = await fetchMultipart(
      fake,
      'sendPhoto',
      { chat_id: '3003', caption: 'grafik', reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Unduh', callback_data: 'dl' }]] }) },
      'photo',
      'chart.png',
      png,
    );
    expect(res.status).toBe(200);
    const photo = res.body.result.photo as Array<{ width: number; height: number; file_id: string }>;
    expect(photo.at(-1)).toMatchObject({ width: 1600, height: 900 });
    expect(photo[0]!.width).toBeLessThan(photo.at(-1)!.width);
    expect(res.body.result.reply_markup.inline_keyboard[0][0].callback_data).toBe('dl');
    const stored = fake.messages(3003)[0]!;
    expect(stored.photo?.at(-1)?.content?.equals(png)).toBe(true);

    const tooBig = await fetchMultipart(fake, 'sendPhoto', { chat_id: '3003' }, 'photo', 'big.jpg', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(tooBig).toEqual({ status: 413, body: { ok: false, error_code: 413, description: 'Request Entity Too Large' } });
    expect(fake.messages(3003)).toHaveLength(1);
  });

  it('takes a document of 50 MB and rejects a larger one with 413, as Telegram does, also from a file through telegraf', async () => {
    const fake = await startFake();
    fake.addUser({ id: 3006, first_name: 'Lestari' });
    fake.markStarted(3006);
    const MB = 1024 * 1024;
    const atLimit = await fetchMultipart(fake, 'sendDocument', { chat_id: '3006' }, 'document', 'rekap.xlsx', Buffer.alloc(50 * MB));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.result.document.file_size).toBe(50 * MB);
    const over = await fetchMultipart(fake, 'sendDocument', { chat_id: '3006' }, 'document', 'rekap.xlsx', Buffer.alloc(50 * MB + 1));
    expect(over).toEqual({ status: 413, body: { ok: false, error_code: 413, description: 'Request Entity Too Large' } });

    // telegraf streams { source: path }; far over the limit, the body is refused without being parsed.
    const dir = await mkdtemp(join(tmpdir(), 'fake-telegram-upload-'));
    try {
      const path = join(dir, 'rekap.xlsx');
      await writeFile(path, '');
      await truncate(path, 60 * MB);
      const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      await expect(bot.telegram.sendDocument(3006, { source: path, filename: 'rekap-kinerja-2026.xlsx' })).rejects.toMatchObject({
        code: 413,
        description: 'Request Entity Too Large',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(fake.messages(3006)).toHaveLength(1);
  });

  it('copies, forwards, deletes and stores commands', async () => {
    const fake = await startFake();
    fake.addUser({ id: 3004, first_name: 'Indah' });
    fake.addUser({ id: 3005, first_name: 'Joko' });
    const incoming = fake.sendText(3004, 'laporan bulan ini');
    fake.markStarted(3005);
    const copy = await api(fake, 'copyMessage', { chat_id: 3005, from_chat_id: 3004, message_id: incoming.message.message_id });
    expect(copy.body.result).toEqual({ message_id: 1 });
    const fwd = await api(fake, 'forwardMessage', { chat_id: 3005, from_chat_id: 3004, message_id: incoming.message.message_id });
    expect(fwd.body.result.forward_origin.sender_user.id).toBe(3004);
    expect(fake.messages(3005).map((m) => [m.method, m.text])).toEqual([
      ['copyMessage', 'laporan bulan ini'],
      ['forwardMessage', 'laporan bulan ini'],
    ]);
    expect((await api(fake, 'deleteMessage', { chat_id: 3005, message_id: 1 })).body.result).toBe(true);
    expect(fake.messages(3005)[0]!.deleted).toBe(true);
    expect((await api(fake, 'deleteMessage', { chat_id: 3005, message_id: 1 })).body.description).toBe('Bad Request: message to delete not found');

    const commands = [{ command: 'start', description: 'Mulai' }];
    expect((await api(fake, 'setMyCommands', { commands }, 'urlencoded')).body.result).toBe(true);
    expect(fake.myCommands()).toEqual(commands);
    expect((await api(fake, 'getMyCommands', {})).body.result).toEqual(commands);
    expect((await api(fake, 'setMyCommands', { commands: [{ command: 'Start', description: 'x' }] })).status).toBe(400);
  });

  it("enforces Telegram's limits by default: a private burst of 4 then 1/s, 20 a minute to a group, and outages", async () => {
    const fake = await startFake();
    fake.addUser({ id: 3101, first_name: 'U' });
    fake.markStarted(3101);
    const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => api(fake, 'sendMessage', { chat_id: 3101, text: `m${i}` })));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 429]);
    expect(burst.find((r) => r.status === 429)!.body.parameters).toEqual({ retry_after: 1 });
    fake.addGroup({ id: -3100, title: 'Grup' });
    const group = [];
    for (let i = 0; i < 21; i++) group.push((await api(fake, 'sendMessage', { chat_id: -3100, text: `g${i}` })).status);
    expect(group.filter((s) => s === 200)).toHaveLength(20);
    expect(group.at(-1)).toBe(429);

    fake.simulateOutage(60_000, 'bad_gateway');
    const down = await fetch(`${fake.apiRoot}/bot${fake.token}/getMe`);
    expect(down.status).toBe(502);
    fake.simulateOutage(60_000, 'connection');
    await expect(fetch(`${fake.apiRoot}/bot${fake.token}/getMe`)).rejects.toThrow();
    fake.endOutage();
    expect((await api(fake, 'getMe', {})).status).toBe(200);
    expect(fake.stats().outageFailures).toBe(2);
  });

  it('takes a burst of messages at once, each recorded (its speed is measured in bench/, not here)', async () => {
    const fake = await startFake({ unlimited: "measures the fake's own throughput, not Telegram's limits" });
    const n = 300;
    for (let i = 0; i < n; i++) {
      fake.addUser({ id: 10_000 + i, first_name: `U${i}` });
      fake.markStarted(10_000 + i);
    }
    const res = await Promise.all(Array.from({ length: n }, (_, i) => api(fake, 'sendMessage', { chat_id: 10_000 + i, text: `pesan ${i}` })));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(fake.stats().sent).toBe(n);
    expect(fake.messages()).toHaveLength(n);
    const m = await fake.waitForMessage(10_000 + 7);
    expect(m.text).toBe('pesan 7');
  });
});

async function fetchMultipart(
  fake: FakeTelegram,
  method: string,
  fields: Record<string, string>,
  fileField: string,
  fileName: string,
  content: Buffer,
): Promise<ApiResponse> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(fileField, new Blob([content]), fileName);
  const res = await fetch(`${fake.apiRoot}/bot${fake.token}/${method}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as ApiResponse['body'] };
}
