// E2E: another year's SKP in January, when /skp already builds the new year's. "/skp 2026" shows last year's SKP
// where it stands, a year without one or not yet begun is said so, and /realisasi of December without a 2026 SKP
// does not send the ASN to /skp (which would build 2027's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { employees } from '../../src/db/schema/index.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { importExampleRoster, linkPeople, replyTo, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
// Tuesday 5 January 2027, 09:00 WIB.
const NOW = new Date('2027-01-05T02:00:00Z');
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 9701 }, // SKP 2026 established
  melati: { nip: '199011052019022001', tg: 9702 }, // no SKP 2026
  rini: { nip: '199508232023212003', tg: 9703 }, // SKP 2026 returned on 28 December, not yet fixed
} as const;
const ids: Record<string, string> = {};

const reply = (user: number, text: string): Promise<BotMessage> => replyTo(t, user, text);
const buttonsOf = (m: BotMessage) => (m.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined)?.inline_keyboard?.flat() ?? [];

async function idOf(nip: string): Promise<string> {
  const [row] = await t.db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, nip));
  return row!.id;
}

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
  const engine: EngineDeps = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  const yuliana = await idOf('198601152010012007');
  const lilis = await idOf('197612012002122003');
  const rhk = { rhk: [{ id: 'rhk1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', text: 'Kunjungan pasien terlayani', target: '1.200 kunjungan' }] }] };
  let c = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now: NOW })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.anisa!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: NOW })).case;
  c = (await act(engine, { caseId: c.id, actorId: yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: NOW })).case;
  await act(engine, { caseId: c.id, actorId: lilis, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: NOW });
  const december = new Date('2026-12-28T03:00:00Z');
  let r = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.rini!, period: '2026', now: december })).case;
  r = (await act(engine, { caseId: r.id, actorId: ids.rini!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: december })).case;
  await act(engine, { caseId: r.id, actorId: yuliana, command: { kind: 'return', stepNo: 4, reason: 'Target kunjungan belum sesuai RKT' }, now: december });
  // The notice of the last step is out before the first question (it would come between a question and its answer).
  await t.fake.waitForMessage(PEOPLE.anisa.tg, (m) => /sekarang pada tahap: Menghimpun/.test(m.text ?? ''));
});
afterAll(async () => {
  await t?.stop();
});

describe('/skp with a year', () => {
  it('shows last year’s established SKP where it stands, with /cetak, and leaves this year’s alone', async () => {
    const m = await reply(PEOPLE.anisa.tg, '/skp 2026');
    expect(m.text).toMatch(/Periode: Tahun 2026/);
    expect(m.text).toMatch(/\n\nRencana Hasil Kerja \(1\)\n1\. Meningkatnya cakupan pelayanan kesehatan primer\n   Jenis: Utama\n   • Kuantitas: 1\.200 kunjungan\n/);
    expect(m.text).toMatch(/SKP tahun 2026 sudah ditetapkan: ketik \/cetak untuk mencetaknya\. Ketik \/skp untuk SKP tahun 2027\.$/);
    // "tahun lalu" is the same year; /skp alone is 2027's.
    expect((await reply(PEOPLE.anisa.tg, '/skp tahun lalu')).text).toMatch(/Periode: Tahun 2026/);
    expect((await reply(PEOPLE.anisa.tg, '/skp')).text).toMatch(/^SKP Tahun 2027\nBatas pengiriman kepada pejabat penilai: Senin, 1 Februari 2027\.\n/);
    expect((await reply(PEOPLE.anisa.tg, '/skp tahun ini')).text).toMatch(/^SKP Tahun 2027/);
  });

  it('says when there is no SKP of that year, when the year has not begun, and what to type for anything else', async () => {
    expect((await reply(PEOPLE.melati.tg, '/skp 2026')).text).toBe(
      'SKP tahun 2026 Bapak/Ibu tidak tercatat di sini. Ketik /skp untuk SKP tahun 2027; untuk SKP tahun 2026, hubungi pengelola kepegawaian.',
    );
    expect((await reply(PEOPLE.melati.tg, '/skp 2029')).text).toBe('SKP tahun 2029 belum dapat disusun. Ketik /skp untuk SKP tahun 2027.');
    expect((await reply(PEOPLE.melati.tg, '/skp tahun depan')).text).toBe('SKP tahun 2028 dapat disusun mulai 1 Januari 2028, dengan /skp. Sampai saat itu /skp adalah SKP tahun 2027.');
    expect((await reply(PEOPLE.melati.tg, '/skp saya')).text).toMatch(/^Ketik \/skp untuk menyusun atau melanjutkan SKP tahun 2027, atau \/skp dengan tahunnya \(misalnya \/skp 2026\)/);
  });
});

describe('last year’s SKP returned in December', () => {
  it('is pointed to above this year’s /skp, and /skp 2026 opens it to fix and send again', async () => {
    const user = PEOPLE.rini.tg;
    // The return notice of 28 December already says how it is sent again from 1 January.
    const notice = await t.fake.waitForMessage(user, (m) => /dikembalikan oleh/.test(m.text ?? ''));
    expect(notice.text).toMatch(/Silakan perbaiki lalu kirim ulang lewat \/skp \(mulai 1 Januari 2027: \/skp 2026\)\.$/);
    // "/skp 2026" as code: plain, Telegram would link only "/skp", and a tap would send the bare command.
    expect((notice.entities ?? []).filter((e) => e.type === 'code').map((e) => notice.text!.slice(e.offset, e.offset + e.length))).toEqual(['/skp 2026']);
    const last = Math.max(0, ...t.fake.messages(user).map((m) => m.message_id));
    t.fake.sendText(user, '/skp');
    const note = await t.fake.waitForMessage(user, (m) => m.message_id > last && /^ℹ️/.test(m.text ?? ''));
    expect(note.text).toBe(
      'ℹ️ SKP tahun 2026 Bapak/Ibu dikembalikan untuk diperbaiki dan belum ditetapkan. Ketik /skp 2026 untuk menyelesaikannya: ' +
        'evaluasi kinerja tahunan 2026 memerlukan SKP yang sudah ditetapkan.',
    );
    await t.fake.waitForMessage(user, (m) => m.message_id > note.message_id && /^SKP Tahun 2027/.test(m.text ?? ''));
    // The return's reason, then the 2026 review to change and send.
    t.fake.sendText(user, '/skp 2026');
    await t.fake.waitForMessage(user, (m) => /Target kunjungan belum sesuai RKT/.test(m.text ?? ''));
    const first = await t.fake.waitForMessage(user, (m) => /^Ringkasan SKP Tahun 2026/.test(m.text ?? ''));
    // A change stopped half-way is resumed with /skp 2026, as /batal says: /skp alone is 2027's.
    const tapOn = async (m: BotMessage, label: RegExp) => {
      t.fake.tapButton(user, { chatId: user, messageId: m.message_id }, buttonsOf(m).find((b) => label.test(b.text))!.callback_data);
      return t.fake.waitForMessage(user, (x) => x.message_id > m.message_id && x.reply_markup !== undefined);
    };
    const question = await tapOn(await tapOn(first, /✏️ RHK 1/), /Ubah jenis/);
    expect((await reply(user, '/batal')).text).toMatch(/dihentikan sementara[^\n]+ketik \/skp 2026 untuk melanjutkan dari pertanyaan terakhir\.$/);
    t.fake.sendText(user, '/skp 2026');
    const asked = await t.fake.waitForMessage(user, (m) => m.message_id > question.message_id && m.text === question.text);
    const review = await tapOn(asked, /Utama/);
    expect(review.text).toMatch(/^Ringkasan SKP Tahun 2026/);
    const send = (review.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat().find((b) => /Kirim/.test(b.text))!;
    t.fake.tapButton(user, { chatId: user, messageId: review.message_id }, send.callback_data);
    expect((await t.fake.waitForMessage(user, (m) => /sudah dikirim/.test(m.text ?? ''))).text).toMatch(/^✅ SKP tahun 2026 \(revisi 2\) sudah dikirim kepada/);
    // Sent: /skp 2026 now shows it being checked, and /skp no longer points to it.
    expect((await reply(user, '/skp 2026')).text).toMatch(/SKP tahun 2026 sedang diperiksa: [^\n]+ Ketik \/skp untuk SKP tahun 2027\.$/);
    expect((await reply(user, '/skp')).text).toMatch(/^SKP Tahun 2027/);
  });
});

describe('/realisasi of December in January', () => {
  it('without a 2026 SKP points to the pengelola, not to /skp (which builds 2027’s); with one it opens December', async () => {
    const none = await reply(PEOPLE.melati.tg, '/realisasi desember');
    expect(none.text).toBe('SKP tahun 2026 Bapak/Ibu tidak tercatat, sehingga realisasi tahun itu tidak dapat diisi di sini. Hubungi pengelola kepegawaian.');
    expect((await reply(PEOPLE.anisa.tg, '/realisasi desember')).text).toMatch(/^Realisasi Desember 2026/);
  });
});
