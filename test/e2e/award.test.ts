// E2E, all in the chat: the ASN Berprestasi nomination (seed 004) — the pengelola proposes with /usulkan (summary
// and data file), the Kepala SKPD returns it with a reason, the pengelola revises, the Kepala SKPD sets it with a
// score, the pengelola enters it in SI PETRUK, the Kepala SKPD signs, Tim BKPSDM verifies and prints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { caseEvents, caseMessages, cases, conversations, employees, evidenceFiles } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
const people = {
  siti: { nip: '198303272008012005', tg: 8401 }, // pengelola kepegawaian, Dinas Kesehatan
  melati: { nip: '199011052019022001', tg: 8402 }, // the nominee, Dinas Kesehatan
  ratna: { nip: '197106061997032005', tg: 8403 }, // Kepala Dinas Kesehatan
  fajar: { nip: '199103252015031001', tg: 8404 }, // BKPP admin (Tim BKPSDM)
  anisa: { nip: '199207142017032002', tg: 8405 }, // a plain ASN
} as const;
type Who = keyof typeof people;
const NOVI_PENDIDIKAN = '198205052008012008'; // an employee of another perangkat daerah
let melatiId = '';

type Button = { text: string; callback_data: string };
const buttons = (m: BotMessage): Button[] => ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const next = (who: Who, pattern: RegExp) => t.fake.waitForMessage(people[who].tg, (m) => pattern.test(m.text ?? m.caption ?? ''), 10_000);
async function say(who: Who, text: string, reply: RegExp) {
  t.fake.sendText(people[who].tg, text);
  return next(who, reply);
}
async function tap(who: Who, m: BotMessage, label: RegExp) {
  const b = buttons(m).find((x) => label.test(x.text));
  if (!b) throw new Error(`no button ${label} in ${buttons(m).map((x) => x.text).join(' | ')}`);
  const u = t.fake.tapButton(people[who].tg, { chatId: m.chat_id, messageId: m.message_id }, b.callback_data);
  return (await t.fake.waitForCallbackAnswer(u.callback_query.id)).text;
}
const nomination = async () => (await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'asn-berprestasi'), eq(cases.subjectId, melatiId))))[0];
const pdf = (tag: string) => Buffer.from(`%PDF-1.7\n% ${tag}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n`);
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4e80000000049454e44ae426082', 'hex');

beforeAll(async () => {
  t = await startTestApp();
  await importExampleRoster(t.db);
  for (const p of Object.values(people)) {
    t.fake.addUser({ id: p.tg, first_name: 'U' });
    t.fake.markStarted(p.tg);
    const [row] = await t.db.db.update(employees).set({ telegramUserId: p.tg, telegramChatId: p.tg }).where(eq(employees.nip, p.nip)).returning({ id: employees.id });
    if (p === people.melati) melatiId = row!.id;
  }
});
afterAll(async () => {
  await t?.stop();
});

describe('ASN Berprestasi nomination in the chat', () => {
  it('refuses what a pengelola cannot propose, with the reason', async () => {
    expect((await say('anisa', '/usulkan 199011052019022001', /pengelola kepegawaian/)).text).toMatch(/Mohon maaf/);
    expect((await say('siti', '/usulkan', /Usulan ASN Berprestasi/)).text).toMatch(/\/usulkan 199011052019022001/);
    expect((await say('siti', '/usulkan 12345', /NIP/)).text).toMatch(/tidak valid/);
    expect((await say('siti', `/usulkan ${NOVI_PENDIDIKAN}`, /perangkat daerah/)).text).toMatch(/bukan dari perangkat daerah/);
    expect((await say('siti', `/usulkan ${people.siti.nip}`, /dirinya sendiri/)).text).toMatch(/tidak dapat mengusulkan/);
    expect(await nomination()).toBeUndefined();
  });

  it('runs the procedure from proposal to certificate, with a return on the way', async () => {
    // Step 1: the pengelola proposes Melati; the summary is asked at once, the nomination data on the way.
    const ask = await say('siti', `/usulkan ${people.melati.nip}`, /Ketik <b>Ringkasan prestasi|Ketik Ringkasan prestasi/);
    expect(ask.text).toMatch(/dibuka/);
    expect(await nomination()).toMatchObject({ stepNo: 1, status: 'active', period: expect.stringMatching(/^\d{4}$/) });
    const [siti] = await t.db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, people.siti.nip));
    expect((await nomination())!.assigneeId).toBe(siti!.id);

    t.fake.sendSticker(people.siti.tg);
    await next('siti', /dalam bentuk teks/);
    t.fake.sendDocument(people.siti.tg, { fileName: 'data-usulan.pdf', mimeType: 'application/pdf', content: png });
    expect((await next('siti', /Berkas ditolak/)).text).toMatch(/PNG/);
    t.fake.sendDocument(people.siti.tg, { fileName: 'data-usulan.pdf', mimeType: 'application/pdf', content: pdf('usulan') });
    await next('siti', /Berkas diterima \(Data usulan ASN Berprestasi: 1\)/);
    const sent = await say('siti', 'Inovasi posyandu digital: cakupan imunisasi naik 18%', /Tersimpan dan diteruskan/);
    expect(sent.text).toMatch(/tahap 2/);
    expect(sent.text).toMatch(/Ratna/);
    await t.idle();
    // The pengelola opened it from the chat: no separate task message for step 1.
    expect(t.fake.messages(people.siti.tg).filter((m) => /Tugas input/.test(m.text ?? ''))).toHaveLength(0);

    // Step 2: the Kepala SKPD sees the summary and the file, and returns it with a reason.
    const request = await next('ratna', /Permintaan persetujuan dan penetapan/);
    expect(request.text).toContain('Inovasi posyandu digital');
    expect(request.text).toMatch(/Lampiran: 1 berkas/);
    expect(buttons(request).map((b) => b.text)).toEqual(expect.arrayContaining(['✅ Tetapkan & beri nilai', '↩️ Kembalikan']));
    // The nomination data is one tap away.
    await tap('ratna', request, /Lampiran \(1\)/);
    const file = await t.fake.waitForMessage(people.ratna.tg, (m) => Boolean(m.document), 10_000);
    expect(file.document!.file_name).toBe('data-usulan.pdf');
    expect(file.caption).toBe('Data usulan ASN Berprestasi — data-usulan.pdf');
    await tap('ratna', request, /Kembalikan/);
    await next('ratna', /alasan pengembalian/);
    await say('ratna', 'Mohon lengkapi dengan data cakupan sebelum dan sesudah inovasi', /sudah dikembalikan/);
    expect(await nomination()).toMatchObject({ stepNo: 1, status: 'returned' });

    // Back to the pengelola, with the reason; the revised summary resubmits it.
    const returned = await next('siti', /Tugas input/);
    expect(returned.text).toMatch(/Dikembalikan.*Mohon lengkapi/s);
    await tap('siti', returned, /Isi ringkasan prestasi/);
    expect((await next('siti', /Ketik <b>Ringkasan|Ketik Ringkasan/)).text).toMatch(/Mohon lengkapi/);
    await say('siti', 'Inovasi posyandu digital: cakupan imunisasi 72% (2025) menjadi 90% (2026)', /Tersimpan dan diteruskan/);
    expect(await nomination()).toMatchObject({ stepNo: 2, status: 'active', revision: 2 });

    // The Kepala SKPD sets it and types the score.
    const request2 = await next('ratna', /Revisi: ke-2 \(diajukan ulang setelah dikembalikan\)/);
    expect(request2.text).toContain('72% (2025) menjadi 90% (2026)');
    expect(await tap('ratna', request2, /Tetapkan & beri nilai/)).toBeFalsy();
    await next('ratna', /Ketik <b>Nilai ASN Berprestasi|Ketik Nilai/);
    await say('ratna', '92', /Tersimpan dan diteruskan/);
    // The decided request shows what its own step decided, never the next step (SI PETRUK input) as if theirs.
    const decided = await t.fake.waitForEdit(people.ratna.tg, request2.message_id, (m) => /oleh/.test(m.text ?? ''));
    expect(decided.text).toMatch(/^📋 Permintaan persetujuan dan penetapan\n/);
    expect(decided.text).toContain('Tahap 2:');
    expect(decided.text).not.toMatch(/Tahap 4|Melaksanakan input|Batas waktu/);
    // The nominee's /status does not show the nomination while it is under way.
    expect((await say('melati', '/status', /belum memiliki pengajuan|Tahap|tahap/)).text).not.toMatch(/Berprestasi/);

    // Step 4: the pengelola enters it in SI PETRUK; step 5: the Kepala SKPD signs (no PDF: the form is SI PETRUK's).
    const entry = await next('siti', /Tugas input/);
    expect(entry.text).toMatch(/SI PETRUK/);
    expect(await tap('siti', entry, /Sudah dilakukan/)).toMatch(/Tersimpan/);
    const sign = await next('ratna', /Permintaan tanda tangan/);
    expect(buttons(sign).map((b) => b.text)).not.toContain('📄 Unduh PDF');
    await tap('ratna', sign, /Sudah ditandatangani/);

    // Steps 6 and 7: Tim BKPSDM verifies (seeing the summary and the score) and prints the certificate.
    const verify = await next('fajar', /Permintaan verifikasi/);
    expect(verify.text).toContain('90% (2026)');
    expect(verify.text).toMatch(/Nilai ASN Berprestasi:\n92/);
    await tap('fajar', verify, /Setujui/);
    const print = await next('fajar', /Cetak dokumen/);
    expect(buttons(print).map((b) => b.text)).toContain('✅ Sudah dicetak');
    expect(buttons(print).map((b) => b.text)).not.toContain('📄 Unduh PDF');
    await tap('fajar', print, /Sudah dicetak/);
    // The nominee hears of the nomination only when it is done.
    const congratulation = await next('melati', /Selamat/);
    expect(congratulation.caption).toMatch(/ASN Berprestasi tahun \d{4}.*sertifikatnya telah dicetak/s);
    // The certificate comes with it; its text carries the nominee, the score and the verification code.
    expect(congratulation.document!.file_name).toBe(`Sertifikat-ASN-Berprestasi-${(await nomination())!.period}-${people.melati.nip}.pdf`);
    const code = /Kode verifikasi: (\w{10})/.exec(congratulation.caption ?? '')![1]!;
    const certificate = t.fake.fileContent(congratulation.document!.file_id)!;
    expect(certificate.subarray(0, 5).toString()).toBe('%PDF-');
    // /verifikasi lists the nomination's data files.
    const verified = await say('fajar', `/verifikasi ${code}`, /Dokumen asli|tidak dikenal/);
    expect(verified.text).toMatch(/Sertifikat ASN Berprestasi Tahun \d{4}/);
    expect(verified.text).toMatch(/Berkas data usulan:\n1\. data-usulan\.pdf/);
    expect(t.fake.messages(people.melati.tg).filter((m) => /sekarang pada tahap/.test(m.text ?? ''))).toHaveLength(0);

    const done = (await nomination())!;
    expect(done.status).toBe('completed');
    expect(done.data).toMatchObject({
      usulan: 'Inovasi posyandu digital: cakupan imunisasi 72% (2025) menjadi 90% (2026)',
      nilai: '92',
      dataUsulan: [expect.objectContaining({ mimeType: 'application/pdf', name: 'data-usulan.pdf' })],
    });
    const events = await t.db.db.select().from(caseEvents).where(eq(caseEvents.caseId, done.id)).orderBy(asc(caseEvents.id));
    expect(events.filter((e) => e.action !== 'start').map((e) => `${e.action}:${e.fromStepNo}`)).toEqual([
      'complete:1',
      'return:2',
      'resubmit:1',
      'complete:2',
      'complete:4',
      'complete:5',
      'complete:6',
      'complete:7',
    ]);
    // One archived file (the refused one left no row), and every request message closed.
    expect(await t.db.db.select().from(evidenceFiles).where(eq(evidenceFiles.caseId, done.id))).toHaveLength(1);
    await t.idle();
    const open = await t.db.db.select().from(caseMessages).where(eq(caseMessages.caseId, done.id));
    expect(open.filter((m) => m.closedAt === null)).toHaveLength(0);

    // A second /usulkan says it is done; the list shows it.
    // Once complete, the nominee's /status shows it.
    expect((await say('melati', '/status', /Berprestasi/)).text).toMatch(/Berprestasi/);
    await say('siti', `/usulkan ${people.melati.nip}`, /sudah selesai diproses/);
    expect((await say('siti', '/usulkan', /Usulan tahun/)).text).toMatch(/Melati Kusuma.*selesai/);
    // Tim BKPSDM lists every perangkat daerah's nominations, and cannot propose one.
    expect((await say('fajar', '/usulkan', /dari semua perangkat daerah/)).text).toMatch(/Melati Kusuma, A\.Md\.Keb, Dinas Kesehatan .*selesai/);
    await say('fajar', `/usulkan ${people.melati.nip}`, /disampaikan oleh pengelola kepegawaian/);
  }, 90_000);

  it('/batal stops the questions and /usulkan resumes the same nomination, files kept', async () => {
    const nip = '199508232023212003'; // Rini, Dinas Kesehatan
    await say('siti', `/usulkan ${nip}`, /Ketik <b>Ringkasan|Ketik Ringkasan/);
    t.fake.sendDocument(people.siti.tg, { fileName: 'piagam.pdf', mimeType: 'application/pdf', content: pdf('piagam') });
    await next('siti', /Berkas diterima/);
    expect((await say('siti', '/batal', /dihentikan/)).text).toMatch(/Berkas yang sudah terkirim tetap tersimpan/);
    expect(await t.db.db.select().from(conversations).where(eq(conversations.telegramUserId, people.siti.tg))).toHaveLength(0);
    // Plain text now is no answer to anything.
    await say('siti', 'Prestasi luar biasa', /tidak ada isian/);
    // /usulkan again resumes the same nomination at its first step, with the file sent before.
    const resumed = await say('siti', `/usulkan ${nip}`, /Ketik <b>Ringkasan|Ketik Ringkasan/);
    expect(resumed.text).toMatch(/Melanjutkan usulan/);
    expect(resumed.text).toMatch(/Data usulan ASN Berprestasi: 1 berkas diterima/);
    await say('siti', 'Juara 1 apoteker teladan tingkat provinsi 2026', /Tersimpan dan diteruskan/);
    const [rini] = await t.db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, nip));
    const [row] = await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'asn-berprestasi'), eq(cases.subjectId, rini!.id)));
    expect(row!.data).toMatchObject({ dataUsulan: [expect.objectContaining({ name: 'piagam.pdf' })] });
  }, 30_000);
});
