// E2E: approvers act in the chat — requests with buttons, returns with reasons, rating, collect, stale and forged taps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { caseEvents, cases } from '../../src/db/schema/index.js';
import { importExampleRoster, linkPeople, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
let engine: EngineDeps;
const people = {
  anisa: { nip: '199207142017032002', tg: 8101 },
  yuliana: { nip: '198601152010012007', tg: 8102 },
  lilis: { nip: '197612012002122003', tg: 8103 },
  siti: { nip: '198303272008012005', tg: 8104 },
  fajar: { nip: '199103252015031001', tg: 8105 },
  melati: { nip: '199011052019022001', tg: 8106 },
} as const;
const ids: Record<string, string> = {};
const rhk = {
  rhk: [
    { id: 'r1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', indikator: 'Jumlah kunjungan', target: '1.200 kunjungan' }] },
    { id: 'r2', jenis: 'tambahan', text: 'Tersusunnya laporan bulanan puskesmas', indikator: [{ aspek: 'waktu', indikator: 'Ketepatan waktu', target: '12 bulan' }] },
  ],
};

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
const button = (m: BotMessage, label: RegExp) => {
  const b = (m.reply_markup as Keyboard | undefined)?.inline_keyboard.flat().find((x) => label.test(x.text));
  if (!b) throw new Error(`no button ${label} in ${JSON.stringify(m.reply_markup)}`);
  return b.callback_data;
};
const tap = async (who: keyof typeof people, m: BotMessage, label: RegExp | string) => {
  const data = typeof label === 'string' ? label : button(m, label);
  const update = t.fake.tapButton(people[who].tg, { chatId: m.chat_id, messageId: m.message_id }, data);
  return t.fake.waitForCallbackAnswer(update.callback_query.id);
};
const waitFor = (who: keyof typeof people, pattern: RegExp) => t.fake.waitForMessage(people[who].tg, (m) => pattern.test(m.text ?? ''), 8000);
// A fixed clock: Tuesday 8 December 2026, 09:00 WIB (the year's SKP established, its realisations under way).
const NOW = new Date('2026-12-08T02:00:00Z');
const caseRow = async (id: string) => (await t.db.db.select().from(cases).where(eq(cases.id, id)))[0]!;

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, people));
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
});
afterAll(async () => {
  await t?.stop();
});

/** The ASN enters one RHK with one indikator in the chat and sends the SKP (the /skp conversation). */
async function enterSkpInChat(who: keyof typeof people, text: string, target: string): Promise<void> {
  const tg = people[who].tg;
  t.fake.sendText(tg, '/skp');
  const intro = await waitFor(who, /SKP Tahun 2026/);
  await tap(who, intro, /Isi RHK/);
  await waitFor(who, /RHK ke-1/);
  t.fake.sendText(tg, text);
  let m = await waitFor(who, /Apa jenis RHK ini/);
  await tap(who, m, /^Utama$/);
  m = await waitFor(who, /Indikator ke-1/);
  await tap(who, m, /Kuantitas/);
  await waitFor(who, /Tulis target/);
  t.fake.sendText(tg, target);
  m = await waitFor(who, /Tambah indikator lain/);
  await tap(who, m, /Selesai/);
  m = await waitFor(who, /RHK atasan|SKP atasan/);
  await tap(who, m, /Lewati/);
  const review = await waitFor(who, /Ringkasan SKP Tahun 2026/);
  await tap(who, review, /Kirim/);
  await waitFor(who, /sudah dikirim/);
}

describe('the Banyuwangi SKP procedure, all in the chat', () => {
  it('runs ASN → pejabat penilai → atasan PP → pengelola → BKPP with a return and a resubmission', async () => {
    await enterSkpInChat('anisa', 'Meningkatnya cakupan pelayanan kesehatan primer', '1.200 kunjungan');
    const c = (await t.db.db.select().from(cases).where(and(eq(cases.subjectId, ids.anisa!), eq(cases.period, '2026'))))[0]!;
    expect(c).toMatchObject({ procedureCode: 'skp-banyuwangi', stepNo: 4 });

    // The atasan gets one message with everything needed to decide.
    const request = await waitFor('yuliana', /Permintaan verifikasi/);
    for (const expected of ['Anisa Fitriani', 'NIP: 19920714 201703 2 002', 'Jabatan:', 'Dinas Kesehatan', 'Diajukan:', 'Batas waktu:', 'Meningkatnya cakupan pelayanan', '1.200 kunjungan']) {
      expect(request.text).toContain(expected);
    }
    expect(request.text).toMatch(/WIB/);
    // A first submission shows no revision number (the approver would read "Revisi: 1" as a resubmission).
    expect(request.text).not.toMatch(/Revisi/);

    // Wrong user and forged data: refused, nothing changes.
    expect((await tap('melati', request, /Setujui/)).text).toMatch(/bukan tugas/);
    expect((await tap('yuliana', request, 'cs:ok:123:1')).text).toMatch(/tidak dikenali/);
    expect((await caseRow(c.id)).version).toBe(2);

    // Kembalikan asks for a reason; too short is refused; a real reason returns the case.
    await tap('yuliana', request, /Kembalikan/);
    const ask = await waitFor('yuliana', /alasan pengembalian/);
    expect(ask.reply_markup).toMatchObject({ force_reply: true });
    t.fake.sendText(people.yuliana.tg, 'kurang');
    const short = await waitFor('yuliana', /terlalu singkat/);
    // Ten dots reach the length but tell the ASN nothing.
    t.fake.sendText(people.yuliana.tg, '..........');
    await t.fake.waitForMessage(people.yuliana.tg, (m) => m.message_id > short.message_id && /terlalu singkat/.test(m.text ?? ''));
    expect((await caseRow(c.id)).status).toBe('active');
    t.fake.sendText(people.yuliana.tg, 'Target indikator RHK 2 belum terukur, mohon diperbaiki');
    const returned = await waitFor('anisa', /dikembalikan oleh/);
    expect(returned.text).toContain('Target indikator RHK 2 belum terukur');
    expect(returned.text).toContain('/skp');
    const edited = await t.fake.waitForEdit(people.yuliana.tg, request.message_id);
    expect(edited.text).toMatch(/Dikembalikan oleh Yuliana/);
    expect(edited.reply_markup ?? null).toBeNull();
    expect((await caseRow(c.id)).status).toBe('returned');

    // The stale button says who acted first and when.
    expect((await tap('yuliana', request, `cs:ok:${c.id}:2`)).text).toMatch(/Sudah diproses oleh Yuliana Pertiwi.*pada .*WIB/);

    // The ASN opens /skp, sees the reason, and sends again as revision 2; approvals all the way.
    t.fake.sendText(people.anisa.tg, '/skp');
    await waitFor('anisa', /Target indikator RHK 2 belum terukur/);
    const reviewAgain = await waitFor('anisa', /Ringkasan SKP Tahun 2026/);
    await tap('anisa', reviewAgain, /Kirim/);
    // Sent, the review keeps what was sent and loses its buttons and the question they answered.
    const sentReview = await t.fake.waitForEdit(people.anisa.tg, reviewAgain.message_id);
    expect(sentReview.text).toMatch(/^Ringkasan SKP Tahun 2026[\s\S]*Meningkatnya cakupan pelayanan kesehatan primer/);
    expect(sentReview.text).not.toMatch(/bila sudah benar/);
    expect(sentReview.reply_markup ?? null).toBeNull();
    await waitFor('anisa', /sudah dikirim/);
    const request2 = await waitFor('yuliana', /Revisi: ke-2 \(diajukan ulang setelah dikembalikan\)/);
    // While it is checked, /skp shows where it stands and what it holds, not a review to change.
    t.fake.sendText(people.anisa.tg, '/skp');
    const checked = await waitFor('anisa', /SKP ini sedang diperiksa/);
    expect(checked.text).toMatch(/^📋 [^\n]+\nPeriode: Tahun 2026 · revisi 2\nTahap 4: [\s\S]*\n\nRencana Hasil Kerja \(1\)\n1\. Meningkatnya cakupan pelayanan kesehatan primer\n/);
    expect(checked.text).toMatch(/\n\nSKP ini sedang diperiksa\. Bapak\/Ibu akan diberi tahu bila disetujui atau dikembalikan untuk diperbaiki\.$/);
    expect(checked.reply_markup ?? null).toBeNull();
    // Typing instead of tapping: pointed to the waiting request's buttons and /tugas.
    t.fake.sendText(people.yuliana.tg, 'sudah saya periksa');
    const pointed = await waitFor('yuliana', /menunggu keputusan/);
    expect(pointed.text).toMatch(/Ada \d+ permintaan yang menunggu keputusan Bapak\/Ibu.*\/tugas/s);
    // "Setuju" typed is the same: the request's buttons decide, not a list of commands.
    t.fake.sendText(people.yuliana.tg, 'Setuju, pak');
    const again = await t.fake.waitForMessage(people.yuliana.tg, (m) => m.message_id > pointed.message_id);
    expect(again.text).toMatch(/^Ada \d+ permintaan yang menunggu keputusan Bapak\/Ibu/);
    expect((await tap('yuliana', request2, /Setujui/)).text).toMatch(/Tersimpan/);
    const verified = await t.fake.waitForEdit(people.yuliana.tg, request2.message_id);
    // The decided request keeps its own heading and step, with the step's own verb.
    expect(verified.text).toMatch(/^📋 Permintaan verifikasi\n/);
    expect(verified.text).toContain('Tahap 4:');
    expect(verified.text).toMatch(/✅ Diverifikasi dan disetujui oleh Yuliana/);
    // What it asked, answered, is gone: no "pilih Setujui atau Kembalikan" above the outcome, no batas waktu.
    expect(request2.text).toMatch(/pilih Setujui atau Kembalikan[^\n]*$/);
    expect(request2.text).toMatch(/\nBatas waktu: /);
    expect(verified.text).not.toMatch(/pilih Setujui|Batas waktu/);
    // Its formatting too: the procedure's name stays bold after the edit that adds the outcome.
    const bold = (m: BotMessage) => (m.entities ?? []).filter((e) => e.type === 'bold').map((e) => m.text!.slice(e.offset, e.offset + e.length));
    expect(bold(verified)).toContain('Proses Pelayanan Penilaian Kinerja ASN (penyusunan SKP tahunan)');

    const establish = await waitFor('lilis', /persetujuan dan penetapan/);
    // The ASN hears where the SKP went next; not after each of their own sends, whose confirmation named the atasan.
    const moved = await waitFor('anisa', /sekarang pada tahap/);
    expect(moved.text).toMatch(/\nDitangani oleh: dr\. Lilis Suryani$/);
    expect(t.fake.messages(people.anisa.tg).filter((m) => /sekarang pada tahap/.test(m.text ?? ''))).toHaveLength(1);
    expect(establish.text).toContain('pilih Setujui & tetapkan atau Kembalikan');
    await tap('lilis', establish, /Setujui & tetapkan/);
    const established = await t.fake.waitForEdit(people.lilis.tg, establish.message_id);
    expect(established.text).toMatch(/\n\n✅ Disetujui dan ditetapkan oleh [^\n]+$/);
    expect(established.text).not.toMatch(/pilih Setujui & tetapkan/);

    // The pengelola gathers it with /kumpulkan and forwards all: told by one summary of what waits, not a request per SKP.
    const summary = await waitFor('siti', /siap dihimpun/);
    expect(summary.text).toMatch(/^📦 1 SKP siap dihimpun dan diteruskan ke BKPP\n\n• Proses Pelayanan Penilaian Kinerja ASN \(penyusunan SKP tahunan\): Menghimpun [^\n]+ — 1\n\nKetik \/kumpulkan/);
    t.fake.sendText(people.siti.tg, '/kumpulkan');
    const batch = await waitFor('siti', /siap diteruskan ke BKPP \(1\)/);
    await tap('siti', batch, /Teruskan semua/);
    expect((await t.fake.waitForEdit(people.siti.tg, batch.message_id)).text).toMatch(/1 SKP diteruskan/);

    // BKPP hears of it in a summary too, and opens the request from /tugas to receive it.
    expect((await waitFor('fajar', /SKP diteruskan kepada BKPP/)).text).toMatch(/^📥 1 SKP diteruskan kepada BKPP\n[\s\S]*Ketik \/kumpulkan untuk menerimanya sekaligus/);
    t.fake.sendText(people.fajar.tg, '/tugas');
    await tap('fajar', await waitFor('fajar', /Tugas menunggu/), /Buka/);
    const receive = await waitFor('fajar', /^📥 SKP diteruskan kepada BKPP\n/);
    expect(receive.text).toContain('pilih Terima atau Kembalikan');
    await tap('fajar', receive, /Terima/);
    const received = await t.fake.waitForEdit(people.fajar.tg, receive.message_id);
    expect(received.text).toMatch(/^📥 SKP diteruskan kepada BKPP\n/);
    expect(received.text).toMatch(/📥 Diterima oleh/);
    expect(received.text).not.toMatch(/Disetujui oleh/);
    expect((await waitFor('anisa', /sudah selesai/)).text).toContain('Penilaian Kinerja ASN');
    const done = await caseRow(c.id);
    expect(done.status).toBe('completed');
    const events = await t.db.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(asc(caseEvents.id));
    expect(events.filter((e) => ['complete', 'return', 'resubmit'].includes(e.action)).map((e) => `${e.action}:${e.fromStepNo}`)).toEqual([
      'complete:3',
      'return:4',
      'resubmit:3',
      'complete:4',
      'complete:5',
      'complete:6',
      'complete:7',
    ]);
  });
});

const pdfBytes = (tag: string) => Buffer.from(`%PDF-1.7\n% ${tag}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n`);
const jpegBytes = (tag: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from(`JFIF ${tag}`), Buffer.from([0xff, 0xd9])]);

describe('the Tangerang monthly cycle, all in the chat', () => {
  it('reports with two files, rates hasil kerja and perilaku with feedback, signs with a scan, delivers the predikat, and the ASN accepts', async () => {
    // Anisa's SKP 2026 was established by the Banyuwangi walk above: she reports October in the chat.
    const tg = people.anisa.tg;
    t.fake.sendText(tg, '/realisasi 2026-10');
    await waitFor('anisa', /Realisasi Oktober 2026/);
    await waitFor('anisa', /RHK 1 dari 1/);
    t.fake.sendText(tg, '110 kunjungan');
    await waitFor('anisa', /Kirim bukti dukung/);
    t.fake.sendDocument(tg, { fileName: 'laporan-oktober.pdf', mimeType: 'application/pdf', content: pdfBytes('oktober') });
    await waitFor('anisa', /Bukti diterima/);
    t.fake.sendPhoto(tg, { content: jpegBytes('kegiatan') });
    const second = await waitFor('anisa', /Bukti untuk RHK ini: 2/);
    await tap('anisa', second, /Selesai/);
    const review = await waitFor('anisa', /Ringkasan realisasi Oktober 2026/);
    await tap('anisa', review, /Kirim/);
    const sentReview = await t.fake.waitForEdit(people.anisa.tg, review.message_id);
    expect(sentReview.text).toMatch(/Bukti dukung: 2 berkas\n\nBatas pengisian: /);
    expect(sentReview.text).not.toMatch(/bila sudah benar/);
    await waitFor('anisa', /sudah dikirim/);
    const c = (await t.db.db.select().from(cases).where(and(eq(cases.subjectId, ids.anisa!), eq(cases.period, '2026-10'))))[0]!;
    expect(c.procedureCode).toBe('bulanan-tangerang');

    const request = await waitFor('yuliana', /Penilaian kinerja/);
    expect(request.text).toContain('110 kunjungan — bukti dukung: 2 berkas');
    expect(request.text).toContain('Oktober 2026');
    // The evidence is one tap away.
    await tap('yuliana', request, /Bukti dukung \(2\)/);
    await t.fake.waitForMessage(people.yuliana.tg, (m) => Boolean(m.document), 8000);
    await t.fake.waitForMessage(people.yuliana.tg, (m) => Boolean(m.photo), 8000);

    await tap('yuliana', request, /Sesuai Ekspektasi/);
    const perilaku = await waitFor('yuliana', /pilih penilaian perilaku kerja/i);
    await tap('yuliana', perilaku, /Di Atas Ekspektasi/);
    await waitFor('yuliana', /umpan balik/);
    t.fake.sendText(people.yuliana.tg, 'Pertahankan ketepatan laporan, tingkatkan kunjungan rumah.');
    const confirm = await waitFor('yuliana', /Konfirmasi penilaian/);
    expect(confirm.text).toMatch(/Predikat: Baik/);
    // Starting over offers the ratings again, with Kembalikan as on the request (this step may send the month back).
    await tap('yuliana', confirm, /Ulangi/);
    const over = await waitFor('yuliana', /^Pilih penilaian hasil kerja:$/);
    expect(button(over, /Kembalikan/)).toMatch(/^cs:rt:/);
    await tap('yuliana', confirm, /Kirim penilaian/);
    // The confirmation keeps its content and formatting; its question gives way to the outcome.
    const sent = await t.fake.waitForEdit(people.yuliana.tg, confirm.message_id);
    expect(sent.text).toMatch(/Predikat: Baik\nUmpan balik: Pertahankan[^\n]*\n\n[\s\S]*⭐ Dinilai oleh Yuliana/);
    expect(sent.text).not.toContain('Kirim penilaian ini?');
    expect((sent.entities ?? []).filter((e) => e.type === 'bold').map((e) => sent.text!.slice(e.offset, e.offset + e.length))).toEqual(
      expect.arrayContaining(['Sesuai Ekspektasi', 'Di Atas Ekspektasi', 'Baik']),
    );
    await waitFor('yuliana', /Penilaian untuk .* tersimpan/);
    expect((await caseRow(c.id)).predikat).toBe('baik');

    // Sign: a scan sent as a reply to the request completes the step.
    const sign = await waitFor('yuliana', /Permintaan tanda tangan/);
    t.fake.sendDocument(people.yuliana.tg, { fileName: 'ttd.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4 signed') }, { replyToMessageId: sign.message_id });
    await waitFor('yuliana', /Pindaian dokumen bertanda tangan diterima/);

    // The ASN receives the result and accepts it; then archives.
    const result = await waitFor('anisa', /Hasil penilaian kinerja Oktober 2026/);
    expect(result.text).toMatch(/Hasil kerja: Sesuai Ekspektasi/);
    expect(result.text).toMatch(/Perilaku kerja: Di Atas Ekspektasi/);
    expect(result.text).toMatch(/Predikat: Baik/);
    expect(result.text).toContain('Pertahankan ketepatan laporan');
    expect(result.text).toMatch(/lewat \/keberatan 2026-10 paling lambat 14 hari setelah menerima hasil ini\.\nTekan Terima/);
    await tap('anisa', result, /Terima/);
    const archive = await waitFor('anisa', /Arsipkan dokumen/);
    await tap('anisa', archive, /Sudah diarsipkan/);
    await waitFor('anisa', /sudah selesai/);
    expect((await caseRow(c.id)).status).toBe('completed');
    // /status names the predikat by its label, never its code.
    t.fake.sendText(people.anisa.tg, '/status');
    const status = await waitFor('anisa', /Posisi pengajuan/);
    expect(status.text).toMatch(/Predikat: Baik\b/);
    expect(status.text).not.toMatch(/Predikat: baik|sangat_baik|butuh_perbaikan/);
    const scan = await t.db.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'complete')));
    expect(scan.map((e) => e.fromStepNo)).toEqual([3, 4, 5, 6, 7]);
  });
});

describe('the inbox', () => {
  it('/tugas lists what waits for the user, oldest first, and opens each request', async () => {
    const melatiCase = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.melati!, period: '2026', now: NOW });
    await act(engine, { caseId: melatiCase.case.id, actorId: ids.melati!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: NOW });
    await waitFor('yuliana', /Melati Kusuma/);
    t.fake.sendText(people.yuliana.tg, '/tugas');
    const inbox = await waitFor('yuliana', /Tugas menunggu/);
    expect(inbox.text).toContain('Melati Kusuma');
    expect(inbox.text).toMatch(/menunggu \d+ (menit|jam)|baru saja masuk|masuk di luar jam kerja/);
    await tap('yuliana', inbox, /Buka/);
    const reopened = await waitFor('yuliana', /Permintaan verifikasi[\s\S]*Melati Kusuma/);
    expect(button(reopened, /Setujui/)).toContain(melatiCase.case.id);

    t.fake.sendText(people.fajar.tg, '/tugas');
    expect((await waitFor('fajar', /Tidak ada tugas/)).text).toBeTruthy();
  });
});
