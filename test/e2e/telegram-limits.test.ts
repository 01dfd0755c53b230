// E2E: the bot at Telegram's real limits (the fake's defaults: private burst of 4 then 1/s, 30/s overall, 429 with
// retry_after) — a morning of 30 people linking at once, a user tapping and typing fast, blocking and unblocking.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, employees } from '../../src/db/schema/index.js';
import { texts } from '../../src/chat/texts/common.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await importExampleRoster(t.db);
});
afterAll(async () => {
  await t?.stop();
});

const apology = (m: BotMessage) => (m.text ?? '').includes(texts.unexpectedError.slice(0, 30));
type Button = { text: string; callback_data: string };
const buttons = (m: BotMessage): Button[] => ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

/** Employees of the example roster (by NIP, from `offset`), each with a new Telegram user not yet linked. */
async function linkedPeople(count: number, firstUserId: number, offset = 0) {
  const rows = await t.db.db
    .select({ nip: employees.nip, phone: employees.phone })
    .from(employees)
    .where(and(eq(employees.active, true), isNotNull(employees.phone)))
    .orderBy(asc(employees.nip))
    .offset(offset)
    .limit(count);
  return rows.map((r, i) => ({ ...r, user: t.fake.addUser({ id: firstUserId + i, first_name: `Pegawai ${i + 1}` }) }));
}

describe('at Telegram limits', () => {
  it('30 people link at the same moment, and every one gets every reply', async () => {
    const people = await linkedPeople(30, 7000);
    expect(people).toHaveLength(30);
    // Everyone at once: /start, then the contact right after, before any answer has come.
    for (const p of people) t.fake.sendText(p.user.id, '/start');
    for (const p of people) t.fake.sendContact(p.user.id, { phone_number: p.phone!, first_name: p.user.first_name, user_id: p.user.id });
    for (const p of people) await t.fake.waitForMessage(p.user.id, (m) => /sudah tertaut/.test(m.text ?? ''), 60_000);
    await t.idle(60_000);
    for (const p of people) {
      const said = t.fake.messages(p.user.id);
      // The welcome (asking for the contact) first, then the greeting; no apology, nothing lost.
      expect(said.map((m) => (/Bagikan nomor saya/.test(m.text ?? '') ? 'welcome' : /sudah tertaut/.test(m.text ?? '') ? 'linked' : 'other'))).toEqual([
        'welcome',
        'linked',
      ]);
      expect(said.some(apology)).toBe(false);
    }
    const linked = await t.db.db.select({ id: employees.id }).from(employees).where(isNotNull(employees.telegramUserId));
    expect(linked.length).toBeGreaterThanOrEqual(30);
  }, 120_000);

  it('10 messages and 5 taps within 2 seconds: every reply, in order, no apology, no question left unasked', async () => {
    // Someone not among the 30 above.
    const [p] = await linkedPeople(1, 7100, 35);
    const user = p!.user.id;
    t.fake.sendContact(user, { phone_number: p!.phone!, first_name: 'Cepat', user_id: user });
    await t.fake.waitForMessage(user, (m) => /sudah tertaut/.test(m.text ?? ''), 20_000);
    t.fake.sendText(user, '/skp');
    const intro = await t.fake.waitForMessage(user, (m) => buttons(m).length > 0, 20_000);
    const before = t.fake.messages(user).length;

    // The burst: /profil and /bantuan in turn, with a tap on the SKP buttons after every other message.
    const sent: string[] = [];
    const button = buttons(intro)[0]!;
    for (let i = 0; i < 10; i++) {
      const command = i % 2 === 0 ? '/profil' : '/bantuan';
      t.fake.sendText(user, command);
      sent.push(command);
      if (i % 2 === 1) t.fake.tapButton(user, { chatId: user, messageId: intro.message_id }, button.callback_data);
    }
    await t.idle(60_000);
    await t.app.outgoing.idle();

    const replies = t.fake.messages(user).slice(before);
    expect(replies.some(apology)).toBe(false);
    expect(t.fake.calls('answerCallbackQuery').filter((c) => !c.ok)).toEqual([]);
    // The command replies arrive in the order the commands were sent.
    const kinds = replies
      .map((m): string | null => (/NIP:/.test(m.text ?? '') ? '/profil' : /\/skp/.test(m.text ?? '') && /\/profil/.test(m.text ?? '') ? '/bantuan' : null))
      .filter((k): k is string => k !== null);
    expect(kinds).toEqual(sent);
    // A conversation waiting for an answer waits on a question the user received.
    const [cursor] = await t.db.db.select().from(conversations).where(eq(conversations.telegramUserId, user));
    if (cursor) {
      const question = replies.at(-1)!;
      expect(question.text).toMatch(/Tulis Rencana Hasil Kerja|Ringkasan SKP|SKP/);
    }
  }, 120_000);

  it('a blocked user is unreachable until they write again or unblock the bot', async () => {
    const [p] = await linkedPeople(1, 7200, 36);
    const user = p!.user.id;
    t.fake.sendContact(user, { phone_number: p!.phone!, first_name: 'Blokir', user_id: user });
    await t.fake.waitForMessage(user, (m) => /sudah tertaut/.test(m.text ?? ''), 20_000);
    const unreachable = async () =>
      (await t.db.db.select({ at: employees.unreachableAt }).from(employees).where(eq(employees.telegramUserId, user)))[0]!.at !== null;

    // Telegram answers 403: the path marks them, whoever sent.
    t.fake.blockBot(user);
    await expect(t.app.bot.telegram.sendMessage(user, 'Pengumuman')).rejects.toThrow(/blocked/);
    expect(await unreachable()).toBe(true);
    // They write again: reachable at once.
    t.fake.sendText(user, '/profil');
    await t.fake.waitForMessage(user, (m) => /NIP:/.test(m.text ?? ''));
    await t.idle();
    expect(await unreachable()).toBe(false);

    // Blocking and unblocking as Telegram reports them (my_chat_member).
    t.fake.blockBot(user, { notify: true });
    await t.idle();
    expect(await unreachable()).toBe(true);
    t.fake.unblockBot(user, { notify: true });
    await t.idle();
    expect(await unreachable()).toBe(false);
  });
});
