// E2E: linking Telegram accounts (contact, code, refusals), admin commands, group chats, duplicate updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { employeeAudit, employees, linkCodes } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let nextUserId = 5000;
const newUser = (first_name = 'Pengguna') => t.fake.addUser({ id: nextUserId++, first_name });

// From examples/roster.csv
const ANISA = { nip: '199207142017032002', phone: '+6281234560305', nama: 'Anisa Fitriani, S.Kep, Ns' };
const SITI = { nip: '198303272008012005' }; // pengelola Dinas Kesehatan
const FAJAR = { nip: '199103252015031001' }; // BKPP admin
const NOVI = { nip: '198205052008012008' }; // pengelola Dinas Pendidikan

async function phoneOf(nip: string): Promise<string> {
  const [row] = await t.db.db.select({ phone: employees.phone }).from(employees).where(eq(employees.nip, nip));
  return row!.phone!;
}

/** Links a fresh Telegram user to the employee with this NIP by sharing their own contact. */
async function linkAs(nip: string, name = 'Pegawai'): Promise<number> {
  const user = newUser(name);
  t.fake.sendContact(user.id, { phone_number: await phoneOf(nip), first_name: name, user_id: user.id });
  await t.fake.waitForMessage(user.id, (m) => /sudah tertaut/.test(m.text ?? ''));
  return user.id;
}

beforeAll(async () => {
  t = await startTestApp();
  await importExampleRoster(t.db);
});
afterAll(async () => {
  await t?.stop();
});

describe('linking by shared contact', () => {
  it('asks for the contact on /start, links on the own contact, greets by name with the role menu', async () => {
    const user = newUser('Anisa');
    t.fake.sendText(user.id, '/start');
    const welcome = await t.fake.waitForMessage(user.id);
    expect(welcome.text).toMatch(/Bagikan nomor saya/);
    const keyboard = welcome.reply_markup as { keyboard: Array<Array<{ text: string; request_contact?: boolean }>> };
    expect(keyboard.keyboard[0]![0]!.request_contact).toBe(true);

    const phone = await phoneOf(ANISA.nip);
    // Telegram sends the number without "+"; the roster may hold 08…: both normalise to the same number.
    t.fake.sendContact(user.id, { phone_number: phone.replace('+', ''), first_name: 'Anisa', user_id: user.id });
    const greeting = await t.fake.waitForMessage(user.id);
    expect(greeting.text).toContain('sudah tertaut');
    expect(greeting.text).toContain(ANISA.nama);
    expect(greeting.text).toContain('/bantuan');
    const [row] = await t.db.db.select().from(employees).where(eq(employees.nip, ANISA.nip));
    expect(row!.telegramUserId).toBe(user.id);
    const audit = await t.db.db
      .select()
      .from(employeeAudit)
      .where(and(eq(employeeAudit.employeeId, row!.id), eq(employeeAudit.action, 'telegram_linked')));
    expect(audit).toHaveLength(1);
    // The chat's command menu now holds the role's commands.
    expect(t.fake.myCommands({ type: 'chat', chat_id: user.id })?.map((c) => c.command)).toContain('bantuan');

    // /start again: greeted, not asked again.
    t.fake.sendText(user.id, '/start');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/sudah tertaut sebagai/);
    t.fake.sendText(user.id, '/profil');
    const profil = await t.fake.waitForMessage(user.id);
    expect(profil.text).toContain('NIP: 19920714 201703 2 002');
    expect(profil.text).toContain('Pangkat/gol.: Penata Muda Tk. I, III/b');
    expect(profil.text).toContain('Yuliana Pertiwi');
  });

  it("refuses someone else's contact", async () => {
    const user = newUser();
    const other = newUser();
    t.fake.sendContact(user.id, { phone_number: await phoneOf('199011052019022001'), first_name: 'Lain', user_id: other.id });
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/bukan milik akun Telegram ini/);
    t.fake.sendContact(user.id, { phone_number: '+6281299999999', first_name: 'Tanpa ID' });
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/bukan milik akun Telegram ini/);
    const [row] = await t.db.db.select().from(employees).where(eq(employees.nip, '199011052019022001'));
    expect(row!.telegramUserId).toBeNull();
  });

  it('refuses a number that is not in the roster', async () => {
    const user = newUser();
    t.fake.sendContact(user.id, { phone_number: '+6289900001111', first_name: 'X', user_id: user.id });
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/tidak terdaftar di data kepegawaian/);
  });

  it('refuses an NIP already linked to another Telegram account', async () => {
    const intruder = newUser();
    t.fake.sendContact(intruder.id, { phone_number: await phoneOf(ANISA.nip), first_name: 'X', user_id: intruder.id });
    expect((await t.fake.waitForMessage(intruder.id)).text).toMatch(/sudah tertaut dengan akun Telegram lain/);
  });

  it('refuses an inactive employee', async () => {
    const nip = '199311302019031009';
    await t.db.db.update(employees).set({ active: false }).where(eq(employees.nip, nip));
    const user = newUser();
    t.fake.sendContact(user.id, { phone_number: await phoneOf(nip), first_name: 'X', user_id: user.id });
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/tidak aktif/);
    await t.db.db.update(employees).set({ active: true }).where(eq(employees.nip, nip));
  });
});

describe('one-time link codes', () => {
  let pengelolaId: number;
  let adminId: number;

  beforeAll(async () => {
    pengelolaId = await linkAs(SITI.nip, 'Siti');
    adminId = await linkAs(FAJAR.nip, 'Fajar');
  });

  const issueCode = async (issuer: number, nip: string) => {
    t.fake.sendText(issuer, `/kode ${nip}`);
    const reply = await t.fake.waitForMessage(issuer);
    const code = /\/daftar (\S+)/.exec(reply.text ?? '')?.[1];
    return { reply, code };
  };

  it('a pengelola issues a code for their perangkat daerah; the deep link links the account', async () => {
    const nip = '199508232023212003';
    const { reply, code } = await issueCode(pengelolaId, nip);
    // Capitals and digits only, none that read as another (no I, L, O, U): typed off a WhatsApp message without doubt.
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(reply.text).toContain(`t.me/${t.fake.botUsername}?start=${code}`);
    // Stored hashed, never in clear.
    const stored = await t.db.db.select().from(linkCodes);
    expect(stored.some((s) => s.codeHash === code)).toBe(false);

    const user = newUser('Rini');
    t.fake.sendText(user.id, `/start ${code}`);
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/Rini Oktaviani/);

    // Single use.
    const other = newUser();
    t.fake.sendText(other.id, `/daftar ${code}`);
    expect((await t.fake.waitForMessage(other.id)).text).toMatch(/sudah pernah dipakai/);
  });

  it('takes a code typed on its own as /daftar, and explains why a typed NIP or number does not link', async () => {
    const { code } = await issueCode(pengelolaId, '199102282015032003');
    const user = newUser('Tanpa Perintah');
    // Lower case, in groups of four as it might be read out: the same code.
    t.fake.sendText(user.id, code!.toLowerCase().replace(/(.{4})(?!$)/g, '$1 '));
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/sudah tertaut/);

    const other = newUser();
    t.fake.sendText(other.id, '1998 0517 2024 2120 07');
    const nip = await t.fake.waitForMessage(other.id);
    expect(nip.text).toMatch(/tidak dapat ditautkan hanya dengan NIP/);
    expect((nip.reply_markup as { keyboard: Array<Array<{ request_contact?: boolean }>> }).keyboard[0]![0]!.request_contact).toBe(true);
    t.fake.sendText(other.id, '0812-3456-0305');
    expect((await t.fake.waitForMessage(other.id)).text).toMatch(/perlu dibagikan lewat tombol/);
    // A twelve-letter word is not a code.
    t.fake.sendText(other.id, 'kepegawaian!');
    const word = await t.fake.waitForMessage(other.id);
    // Told how to link, with the button to do it under the message.
    expect(word.text).toMatch(/belum tertaut[^\n]+Tekan tombol 📱 Bagikan nomor saya di bawah/);
    expect((word.reply_markup as { keyboard: Array<Array<{ request_contact?: boolean }>> }).keyboard[0]![0]!.request_contact).toBe(true);
    t.fake.sendText(other.id, 'pemerintahan');
    expect((await t.fake.waitForMessage(other.id)).text).toMatch(/belum tertaut/);
    const [row] = await t.db.db.select().from(employees).where(eq(employees.telegramUserId, other.id));
    expect(row).toBeUndefined();
  });

  it('a code typed in lower case, with O for 0 and l for 1, still links', async () => {
    let code: string | undefined;
    // Draw until the code holds a 0 or a 1, so the look-alikes are really met (each draw has ~54% odds).
    for (let i = 0; i < 20 && !/[01]/.test(code ?? ''); i++) {
      await t.db.db.execute(sql`delete from link_codes where used_at is null`);
      code = (await issueCode(adminId, '199412302024211002')).code;
    }
    expect(code).toMatch(/[01]/);
    const typed = code!.toLowerCase().replace(/0/g, 'O').replace(/1/g, 'l');
    const user = newUser();
    t.fake.sendText(user.id, `/daftar  ${typed} `);
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/Rizky Ramadhan/);
    await t.db.db.update(employees).set({ telegramUserId: null, telegramChatId: null }).where(eq(employees.nip, '199412302024211002'));
  });

  it('an expired code is refused', async () => {
    const { code } = await issueCode(adminId, '199412302024211002');
    await t.db.db.execute(sql`update link_codes set expires_at = now() - interval '1 minute' where used_at is null`);
    const user = newUser();
    t.fake.sendText(user.id, `/daftar ${code}`);
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/kedaluwarsa/);
    const [row] = await t.db.db.select().from(employees).where(eq(employees.nip, '199412302024211002'));
    expect(row!.telegramUserId).toBeNull();
  });

  it('unknown codes, missing arguments and unauthorised issuers get clear answers', async () => {
    const user = newUser();
    t.fake.sendText(user.id, '/daftar zzzzzzzzzzzz');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/tidak dikenali/);
    t.fake.sendText(user.id, '/daftar');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/Ketik kode tautan/);

    // A pengelola cannot issue for another perangkat daerah; a plain ASN cannot issue at all.
    const { reply } = await issueCode(pengelolaId, NOVI.nip);
    expect(reply.text).toMatch(/bukan dari perangkat daerah/);
    const asn = await linkAs('199004182015032004', 'Lestari');
    expect((await issueCode(asn, '199510102022211004')).reply.text).toMatch(/hanya untuk petugas/);
    expect((await issueCode(adminId, '12345')).reply.text).toMatch(/NIP tidak valid/);
    expect((await issueCode(adminId, '199001012015011999')).reply.text).toMatch(/tidak ditemukan/);
  });

  it('a BKPP admin unlinks with /lepas, audited; only admins may', async () => {
    const target = await linkAs('198909092015031004', 'Dedi');
    t.fake.sendText(pengelolaId, '/lepas 198909092015031004');
    expect((await t.fake.waitForMessage(pengelolaId)).text).toMatch(/hanya untuk petugas/);
    t.fake.sendText(adminId, '/lepas 198909092015031004');
    expect((await t.fake.waitForMessage(adminId)).text).toMatch(/sudah dilepas/);
    const [row] = await t.db.db.select().from(employees).where(eq(employees.nip, '198909092015031004'));
    expect(row!.telegramUserId).toBeNull();
    const actions = (await t.db.db.select().from(employeeAudit).where(eq(employeeAudit.employeeId, row!.id))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['telegram_linked', 'telegram_unlinked']));
    // The unlinked Telegram user is a stranger again.
    t.fake.sendText(target, '/profil');
    expect((await t.fake.waitForMessage(target)).text).toMatch(/belum tertaut/);
  });
});

describe('bot skeleton', () => {
  it('in a group chat the bot only says it works in private chats, and changes nothing', async () => {
    const user = newUser();
    t.fake.addGroup({ id: -100123, title: 'Grup Dinas' });
    t.fake.sendText(user.id, '/start', { chatId: -100123 });
    expect((await t.fake.waitForMessage(-100123)).text).toMatch(/hanya melayani lewat chat pribadi/);
    t.fake.sendText(user.id, '/kode 199207142017032002', { chatId: -100123 });
    expect((await t.fake.waitForMessage(-100123)).text).toMatch(/hanya melayani lewat chat pribadi/);
    t.fake.sendContact(user.id, { phone_number: '+6281234560306', first_name: 'X', user_id: user.id }, { chatId: -100123 });
    await t.idle();
    expect(t.fake.messages(-100123)).toHaveLength(2);
  });

  it('an update delivered twice is processed once', async () => {
    const user = newUser();
    const update = t.fake.sendText(user.id, '/bantuan');
    await t.fake.waitForMessage(user.id);
    t.fake.injectUpdate(update as unknown as Record<string, unknown>);
    await t.idle();
    expect(t.fake.messages(user.id)).toHaveLength(1);
  });

  it('answers unknown commands, free text, stickers and stale buttons instead of staying silent', async () => {
    const user = newUser();
    t.fake.sendText(user.id, '/entahlah');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/tidak dikenal/);
    t.fake.sendText(user.id, 'halo');
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/belum tertaut/);
    t.fake.sendSticker(user.id);
    expect((await t.fake.waitForMessage(user.id)).text).toMatch(/tidak dapat diproses/);
    const sent = t.fake.messages(user.id)[0]!;
    const tap = t.fake.tapButton(user.id, { chatId: user.id, messageId: sent.message_id }, 'zz:forged');
    expect((await t.fake.waitForCallbackAnswer(tap.callback_query.id)).text).toMatch(/tidak dikenali/);
  });

  it('/bantuan lists what the role can do', async () => {
    const admin = await linkAs('199305112019032006', 'Putri');
    t.fake.sendText(admin, '/bantuan');
    const help = await t.fake.waitForMessage(admin, (m) => /Perintah yang tersedia/.test(m.text ?? ''));
    expect(help.text).toContain('/impor');
    expect(help.text).toContain('/lepas');
    const plain = newUser();
    t.fake.sendText(plain.id, '/bantuan');
    const plainHelp = await t.fake.waitForMessage(plain.id);
    expect(plainHelp.text).not.toContain('/lepas');
    // A plain ASN has things to act on too (a result to acknowledge): /tugas is listed for them.
    expect(plainHelp.text).toContain('/tugas');
    // setMyCommands registered the default menu at boot.
    expect(t.fake.myCommands()?.map((c) => c.command)).toEqual(expect.arrayContaining(['start', 'bantuan']));
  });
});
