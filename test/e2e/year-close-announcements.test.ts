// E2E: BKPP chases the annual evaluation in January. Once it is open, /umumkan offers its template for the pejabat
// penilai and the audience of those whose ratings still wait, and only they receive it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { importExampleRoster, linkPeople, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
// Thursday 7 January 2027, 09:00 WIB: December's realisation was due on the 5th, the evaluation opened on the 6th.
const NOW = new Date('2027-01-07T02:00:00Z');
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 9801 }, // SKP 2026 established; atasan Yuliana
  fajar: { nip: '199103252015031001', tg: 9802 }, // BKPP admin
  yuliana: { nip: '198601152010012007', tg: 9803 }, // pejabat penilai of Anisa
  lilis: { nip: '197612012002122003', tg: 9804 }, // Yuliana's atasan: an atasan with nothing of 2026 to rate here
} as const;
const ids: Record<string, string> = {};
const buttonsOf = (m: BotMessage) => (m.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> } | undefined)?.inline_keyboard?.flat() ?? [];

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
  const engine: EngineDeps = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  const march = new Date('2026-03-02T03:00:00Z');
  const rhk = { rhk: [{ id: 'rhk1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', text: 'Kunjungan', target: '1.200 kunjungan' }] }] };
  let c = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now: march })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.anisa!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: march })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: march })).case;
  await act(engine, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: march });
});
afterAll(async () => {
  await t?.stop();
});

describe('the annual evaluation in /umumkan', () => {
  it('offers its template and the audience of the pejabat penilai yet to rate, and reaches only them', async () => {
    const admin = PEOPLE.fajar.tg;
    t.fake.sendText(admin, '/jalankan buka-evaluasi-tahunan');
    await t.fake.waitForMessage(admin, (m) => /buka-evaluasi-tahunan selesai/.test(m.text ?? ''), 15_000);
    await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => /Evaluasi Kinerja Tahunan — Tahun 2026/.test(m.text ?? ''));

    // The opening's own messages to BKPP may still be arriving: the answer to /umumkan is the one that opens it.
    t.fake.sendText(admin, '/umumkan');
    const intro = await t.fake.waitForMessage(admin, (m) => /Buat pengumuman/.test(m.text ?? ''));
    const template = buttonsOf(intro).find((b) => b.text === '⭐ Evaluasi kinerja tahunan 2026 (untuk pejabat penilai)');
    expect(template).toBeDefined();
    t.fake.tapButton(admin, { chatId: admin, messageId: intro.message_id }, template!.callback_data);
    const shown = await t.fake.waitForMessage(admin, (m) => /^Pengumuman: Evaluasi Kinerja Tahunan 2026/.test(m.text ?? ''));
    expect(shown.text).toMatch(/menunggu di \/tugas[^\n]+\n\nBatas waktu: Senin, 1 Februari 2027\./);
    const menu = await t.fake.waitForMessage(admin, (m) => /Sekarang pilih penerima/.test(m.text ?? ''));
    const pending = buttonsOf(menu).find((b) => b.text === '⭐ Belum menyelesaikan evaluasi tahunan 2026');
    expect(pending).toBeDefined();
    t.fake.tapButton(admin, { chatId: admin, messageId: menu.message_id }, pending!.callback_data);
    const confirm = await t.fake.waitForMessage(admin, (m) => /Pratinjau/.test(m.text ?? ''));
    expect(confirm.text).toMatch(/Penerima: Pejabat penilai yang belum menyelesaikan evaluasi kinerja tahunan 2026\n• Akan menerima: 1 pegawai\n/);
    t.fake.tapButton(admin, { chatId: admin, messageId: confirm.message_id }, buttonsOf(confirm).find((b) => /Kirim/.test(b.text))!.callback_data);
    await t.fake.waitForEdit(admin, confirm.message_id, (m) => /selesai dikirim/.test(m.text ?? ''), 15_000);
    // Yuliana gets it; Lilis, an atasan with no rating waiting, does not.
    await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => /^Pengumuman: Evaluasi Kinerja Tahunan 2026/.test(m.text ?? ''));
    expect(t.fake.messages(PEOPLE.lilis.tg).filter((m) => /Evaluasi Kinerja Tahunan 2026/.test(m.text ?? ''))).toHaveLength(0);
  });
});
