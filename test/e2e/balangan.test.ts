// E2E, all in the chat: the BKPPD Balangan SKP procedure (WITA) — the ASN enters the SKP, the atasan returns it,
// the ASN fixes and resends, the atasan approves, the ASN prints the PDF, the atasan signs and archives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { caseEvents, cases, documents, employees } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
const ASN = { nip: '199011052019022001', tg: 8301 }; // Melati, fungsional, Dinas Kesehatan
const ATASAN = { nip: '198601152010012007', tg: 8302 }; // Yuliana, her pejabat penilai
let asnId = '';

type Button = { text: string; callback_data: string };
const buttons = (m: BotMessage): Button[] => ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const next = (user: number, pattern: RegExp) => t.fake.waitForMessage(user, (m) => pattern.test(m.text ?? m.caption ?? ''), 10_000);
async function say(user: number, text: string, reply: RegExp) {
  t.fake.sendText(user, text);
  return next(user, reply);
}
async function tap(user: number, m: BotMessage, label: RegExp) {
  const b = buttons(m).find((x) => label.test(x.text));
  if (!b) throw new Error(`no button ${label} in ${buttons(m).map((x) => x.text).join(' | ')}`);
  const u = t.fake.tapButton(user, { chatId: m.chat_id, messageId: m.message_id }, b.callback_data);
  return (await t.fake.waitForCallbackAnswer(u.callback_query.id)).text;
}
async function tapThen(user: number, m: BotMessage, label: RegExp, reply: RegExp) {
  await tap(user, m, label);
  return next(user, reply);
}
// A fixed clock: Tuesday 8 December 2026, 10:00 WITA (the year's SKP established, its realisations under way).
const NOW = new Date('2026-12-08T02:00:00Z');
const skpCase = async () => (await t.db.db.select().from(cases).where(and(eq(cases.subjectId, asnId), eq(cases.period, '2026'))))[0]!;

beforeAll(async () => {
  t = await startTestApp({
    now: () => NOW,
    deployment: {
      instansi: { name: 'Pemerintah Kabupaten Balangan', timeZone: 'Asia/Makassar' },
      procedures: { skpAnnual: 'skp-balangan', monthly: 'bulanan-tangerang', perUnit: {}, sla: {}, mixAgencies: true },
    },
  });
  await importExampleRoster(t.db);
  for (const p of [ASN, ATASAN]) {
    t.fake.addUser({ id: p.tg, first_name: 'U' });
    t.fake.markStarted(p.tg);
    const [row] = await t.db.db.update(employees).set({ telegramUserId: p.tg, telegramChatId: p.tg }).where(eq(employees.nip, p.nip)).returning({ id: employees.id });
    if (p === ASN) asnId = row!.id;
  }
});
afterAll(async () => {
  await t?.stop();
});

describe('BKPPD Balangan SKP procedure in the chat', () => {
  it('enters, returns, resubmits, approves, prints, signs and archives', async () => {
    // The ASN enters one RHK with one indikator and sends it.
    t.fake.sendText(ASN.tg, '/skp');
    const intro = await next(ASN.tg, /SKP Tahun 2026/);
    let m = await tapThen(ASN.tg, intro, /Isi RHK/, /RHK ke-1/);
    m = await say(ASN.tg, 'Terlaksananya pelayanan kebidanan di puskesmas', /Apa jenis RHK ini/);
    m = await tapThen(ASN.tg, m, /^Utama$/, /Indikator ke-1/);
    m = await tapThen(ASN.tg, m, /Kuantitas/, /Tulis target/);
    m = await say(ASN.tg, '240 persalinan', /Tambah indikator lain/);
    m = await tapThen(ASN.tg, m, /Selesai/, /RHK atasan|SKP atasan/);
    const review = await tapThen(ASN.tg, m, /Lewati/, /Ringkasan SKP Tahun 2026/);
    await tap(ASN.tg, review, /Kirim/);
    await next(ASN.tg, /sudah dikirim/);
    expect(await skpCase()).toMatchObject({ procedureCode: 'skp-balangan', stepNo: 4, status: 'active' });

    // The atasan returns it with a reason; the ASN sees it, edits the target and resends.
    const request = await next(ATASAN.tg, /Permintaan verifikasi/);
    expect(request.text).toMatch(/WITA/);
    expect(request.text).toContain('240 persalinan');
    await tapThen(ATASAN.tg, request, /Kembalikan/, /alasan pengembalian/);
    t.fake.sendText(ATASAN.tg, 'Target persalinan terlalu tinggi untuk satu bidan, sesuaikan dengan data tahun lalu');
    await next(ASN.tg, /dikembalikan oleh Yuliana/);
    t.fake.sendText(ASN.tg, '/skp');
    const returned = await next(ASN.tg, /Target persalinan terlalu tinggi/);
    const reviewAgain = buttons(returned).length > 0 ? returned : await next(ASN.tg, /Ringkasan SKP Tahun 2026/);
    m = await tapThen(ASN.tg, reviewAgain, /✏️ RHK 1/, /ingin diubah/);
    m = await tapThen(ASN.tg, m, /Ubah indikator/, /Indikator ke-1|Pilih aspek/);
    if (/Pilih aspek|Indikator ke-1/.test(m.text ?? '') && buttons(m).some((b) => /Kuantitas/.test(b.text))) {
      m = await tapThen(ASN.tg, m, /Kuantitas/, /Tulis target/);
    }
    m = await say(ASN.tg, '180 persalinan', /Tambah indikator lain|Ringkasan SKP/);
    if (!/Ringkasan SKP/.test(m.text ?? '')) m = await tapThen(ASN.tg, m, /Selesai/, /Ringkasan SKP|RHK atasan|SKP atasan/);
    if (!/Ringkasan SKP/.test(m.text ?? '')) m = await tapThen(ASN.tg, m, /Lewati/, /Ringkasan SKP/);
    expect(m.text).toContain('180 persalinan');
    await tap(ASN.tg, m, /Kirim/);
    await next(ASN.tg, /sudah dikirim/);
    expect(await skpCase()).toMatchObject({ stepNo: 4, revision: 2 });

    // The atasan approves revision 2.
    const request2 = await next(ATASAN.tg, /Revisi: ke-2 \(diajukan ulang setelah dikembalikan\)/);
    expect(await tap(ATASAN.tg, request2, /Setujui/)).toMatch(/Tersimpan/);

    // Step 5: the ASN prints — downloads the PDF, then confirms.
    const print = await next(ASN.tg, /Cetak dokumen/);
    await tap(ASN.tg, print, /Unduh PDF/);
    const pdf = await t.fake.waitForMessage(ASN.tg, (x) => Boolean(x.document), 15_000);
    expect(pdf.document!.file_name).toMatch(/\.pdf$/);
    expect(pdf.caption).toMatch(/Kode verifikasi: [A-Z2-9]{10}/);
    expect((await t.db.db.select().from(documents)).length).toBeGreaterThan(0);
    await tap(ASN.tg, print, /Sudah dicetak/);

    // Step 6: the atasan signs; step 7: the atasan archives.
    const sign = await next(ATASAN.tg, /Permintaan tanda tangan/);
    await tap(ATASAN.tg, sign, /Sudah ditandatangani/);
    const archive = await next(ATASAN.tg, /Arsipkan dokumen/);
    await tap(ATASAN.tg, archive, /Sudah diarsipkan/);
    await next(ASN.tg, /sudah selesai/);

    const done = await skpCase();
    expect(done.status).toBe('completed');
    const events = await t.db.db.select().from(caseEvents).where(eq(caseEvents.caseId, done.id)).orderBy(asc(caseEvents.id));
    expect(events.filter((e) => ['complete', 'return', 'resubmit'].includes(e.action)).map((e) => `${e.action}:${e.fromStepNo}`)).toEqual([
      'complete:1',
      'return:4',
      'resubmit:1',
      'complete:4',
      'complete:5',
      'complete:6',
      'complete:7',
    ]);
  }, 90_000);
});
