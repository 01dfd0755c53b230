// E2E: an ASN enters the annual SKP in the chat (RHK by RHK, or a PDF), reviews, edits, sends, fixes after a return.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePath } from '../../src/app/archive.js';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { caseDrafts, caseEvents, cases, conversations, evidenceFiles } from '../../src/db/schema/index.js';
import { importExampleRoster, linkPeople, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
let engine: EngineDeps;
// Monday 2 February 2026, 09:00 WIB.
const NOW = new Date('2026-02-02T02:00:00Z');
const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 8101 }, // fungsional; atasan Yuliana
  melati: { nip: '199011052019022001', tg: 8102 }, // fungsional; atasan Yuliana
  rizky: { nip: '199412302024211002', tg: 8103 }, // fungsional; atasan Eko (no SKP yet)
  dedi: { nip: '198909092015031004', tg: 8104 }, // fungsional; atasan Eko
  yuliana: { nip: '198601152010012007', tg: 8105 }, // pengawas; atasan of Anisa and Melati
  eko: { nip: '198410202009011003', tg: 8106 },
} as const;
const ids: Record<string, string> = {};

type Button = { text: string; callback_data: string };
const buttons = (m: BotMessage): Button[] => ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

/** Waits for the bot's next message to this user that matches (other messages, e.g. notifications, stay queued). */
const expectMessage = (user: number, pattern: RegExp) => t.fake.waitForMessage(user, (m) => pattern.test(m.text ?? ''));

async function say(user: number, text: string, reply: RegExp): Promise<BotMessage> {
  t.fake.sendText(user, text);
  return expectMessage(user, reply);
}

/** Taps the button whose label matches and returns the callback answer's toast text. */
async function tap(user: number, message: BotMessage, label: RegExp): Promise<string | undefined> {
  const button = buttons(message).find((b) => label.test(b.text));
  if (!button) throw new Error(`no button ${label} in: ${buttons(message).map((b) => b.text).join(' | ')}`);
  expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
  const update = t.fake.tapButton(user, { chatId: user, messageId: message.message_id }, button.callback_data);
  return (await t.fake.waitForCallbackAnswer(update.callback_query.id)).text;
}

async function tapThen(user: number, message: BotMessage, label: RegExp, reply: RegExp): Promise<BotMessage> {
  await tap(user, message, label);
  return expectMessage(user, reply);
}

const skpCaseOf = async (key: keyof typeof PEOPLE) =>
  (await t.db.db.select().from(cases).where(and(eq(cases.subjectId, ids[key]!), eq(cases.period, '2026'))))[0]!;

/** Enters one RHK from its text question to the review. */
async function enterRhk(
  user: number,
  question: BotMessage,
  rhk: { text: string; jenis: RegExp; indikator: Array<[RegExp, string]>; atasan: RegExp },
): Promise<BotMessage> {
  expect(question.text).toMatch(/Tulis Rencana Hasil Kerja/);
  let m = await say(user, rhk.text, /Apa jenis RHK ini/);
  m = await tapThen(user, m, rhk.jenis, /Pilih aspek/);
  for (const [index, [aspek, target]] of rhk.indikator.entries()) {
    m = await tapThen(user, m, aspek, /Tulis target/);
    m = await say(user, target, /Tambah indikator lain/);
    if (index < rhk.indikator.length - 1) m = await tapThen(user, m, /Tambah indikator/, /Pilih aspek/);
  }
  m = await tapThen(user, m, /Selesai/, /RHK atasan|SKP atasan/);
  return tapThen(user, m, rhk.atasan, /Ringkasan SKP Tahun 2026/);
}

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  // Yuliana's SKP (Anisa's atasan) is submitted already: her RHK can be intervened.
  const yuliana = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.yuliana!, period: '2026', now: NOW });
  await act(engine, {
    caseId: yuliana.case.id,
    actorId: ids.yuliana!,
    command: {
      kind: 'complete',
      stepNo: 3,
      inputs: {
        rhk: [
          { id: 'y1', jenis: 'utama', text: 'Meningkatnya mutu pelayanan kesehatan primer', indikator: [{ aspek: 'kualitas', target: '90%' }] },
          { id: 'y2', jenis: 'utama', text: 'Terlaksananya pembinaan puskesmas', indikator: [{ aspek: 'kuantitas', target: '12 kali' }] },
        ],
      },
    },
    now: NOW,
  });
});
afterAll(async () => {
  await t?.stop();
});

describe('/skp: entering RHK one by one', () => {
  it('two RHK with indikator → review → edit one → delete one → Kirim puts the case on the atasan’s step', async () => {
    const user = PEOPLE.anisa.tg;
    t.fake.sendText(user, '/skp');
    const intro = await expectMessage(user, /SKP Tahun 2026/);
    expect(buttons(intro).map((b) => b.text)).toEqual(['✍️ Isi RHK', '📄 Unggah PDF e-Kinerja']);
    // 31 January fell on a Saturday: the deadline moved to Monday 2 February, today.
    expect(intro.text).toMatch(/^SKP Tahun 2026\nBatas pengiriman kepada pejabat penilai: Senin, 2 Februari 2026 \(hari ini\)\.\n\n/);
    await tapThen(user, intro, /Isi RHK/, /RHK ke-1/);

    // RHK 1: utama, two indikator, intervenes the atasan's first RHK (listed from her SKP). An RHK or a target of
    // only punctuation or emoji is asked again.
    expect((await say(user, '...', /Isian perlu berisi kata atau angka/)).text).toMatch(/RHK ke-1/);
    let m = await say(user, 'Terlaksananya asuhan keperawatan sesuai standar', /Apa jenis RHK ini/);
    m = await tapThen(user, m, /^Utama$/, /Indikator ke-1/);
    m = await tapThen(user, m, /Kuantitas/, /Aspek: Kuantitas/);
    expect((await say(user, '👍', /Isian perlu berisi kata atau angka/)).text).toMatch(/Tulis target-nya/);
    m = await say(user, '120 pasien', /Tambah indikator lain/);
    m = await tapThen(user, m, /Tambah indikator/, /Indikator ke-2/);
    m = await tapThen(user, m, /Kualitas/, /Tulis target/);
    m = await say(user, '100% sesuai SOP', /Kuantitas: 120 pasien\n• Kualitas: 100% sesuai SOP/);
    m = await tapThen(user, m, /Selesai/, /RHK atasan mana yang diintervensi/);
    expect(m.text).toContain('Meningkatnya mutu pelayanan kesehatan primer');
    expect(buttons(m).map((b) => b.text)).toEqual([
      '1. Meningkatnya mutu pelayanan kesehatan primer',
      '2. Terlaksananya pembinaan puskesmas',
      'Lewati',
    ]);
    let review = await tapThen(user, m, /^1\./, /Ringkasan SKP Tahun 2026/);
    expect(review.text).toContain('RHK atasan: Meningkatnya mutu pelayanan kesehatan primer');

    // RHK 2: tambahan, one indikator, skips the intervention.
    const second = await tapThen(user, review, /Tambah RHK/, /RHK ke-2/);
    review = await enterRhk(user, second, {
      text: 'Tersusunnya laporan bulanan keperawatan',
      jenis: /^Tambahan$/,
      indikator: [[/Waktu/, '12 bulan']],
      atasan: /Lewati/,
    });
    expect(review.text).toMatch(/1\. Terlaksananya asuhan keperawatan sesuai standar/);
    expect(review.text).toMatch(/2\. Tersusunnya laporan bulanan keperawatan\n\s+Jenis: Tambahan\n\s+• Waktu: 12 bulan\n\s+RHK atasan: \(dilewati\)/);

    // Edit RHK 1's text.
    m = await tapThen(user, review, /✏️ RHK 1/, /Bagian mana yang ingin diubah/);
    m = await tapThen(user, m, /Ubah teks/, /Teks RHK saat ini/);
    review = await say(user, 'Terlaksananya asuhan keperawatan pasien rawat jalan sesuai standar', /Ringkasan SKP/);
    expect(review.text).toContain('1. Terlaksananya asuhan keperawatan pasien rawat jalan sesuai standar');
    expect(review.text).toContain('• Kualitas: 100% sesuai SOP');

    // Delete RHK 2 (asks first).
    m = await tapThen(user, review, /🗑 RHK 2/, /Hapus RHK 2\?/);
    expect(await tap(user, m, /Ya, hapus/)).toBe('RHK dihapus.');
    review = await expectMessage(user, /Ringkasan SKP/);
    expect(review.text).not.toContain('laporan bulanan');

    // Kirim.
    await tap(user, review, /Kirim/);
    const sent = await expectMessage(user, /sudah dikirim/);
    expect(sent.text).toContain('kepada Yuliana Pertiwi, S.Kep, Ns untuk diverifikasi');

    const c = await skpCaseOf('anisa');
    expect(c).toMatchObject({ procedureCode: 'skp-banyuwangi', stepNo: 4, status: 'active', revision: 1, assigneeId: ids.yuliana });
    const rhk = c.data.rhk as Array<Record<string, unknown>>;
    expect(rhk).toHaveLength(1);
    expect(rhk[0]).toMatchObject({
      jenis: 'utama',
      text: 'Terlaksananya asuhan keperawatan pasien rawat jalan sesuai standar',
      indikator: [
        { aspek: 'kuantitas', target: '120 pasien' },
        { aspek: 'kualitas', target: '100% sesuai SOP' },
      ],
      rhkAtasanId: 'y1',
      rhkAtasanText: 'Meningkatnya mutu pelayanan kesehatan primer',
    });
    expect(rhk[0]!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(await t.db.db.select().from(caseDrafts).where(eq(caseDrafts.caseId, c.id))).toHaveLength(0);
    expect(await t.db.db.select().from(conversations).where(eq(conversations.telegramUserId, user))).toHaveLength(0);

    // The old review's buttons are gone; /skp now says where the SKP is.
    t.fake.sendText(user, '/skp');
    const where = await expectMessage(user, /Tahap 4/);
    expect(where.text).toContain('Memeriksa dan memverifikasi draf SKP');
    expect(where.text).toContain('Dipegang oleh: Yuliana Pertiwi, S.Kep, Ns');
    expect(where.text).toContain('Sejak: Senin, 2 Februari 2026 pukul 09.00 WIB');
  });

  it('after a return: shows the reason and the RHK, and the fix is sent as revision 2', async () => {
    const user = PEOPLE.anisa.tg;
    let c = await skpCaseOf('anisa');
    const rhkId = (c.data.rhk as Array<{ id: string }>)[0]!.id;
    await act(engine, {
      caseId: c.id,
      actorId: ids.yuliana!,
      command: { kind: 'return', stepNo: 4, reason: 'Target kuantitas belum sesuai MPH seksi' },
      now: later(60),
    });

    t.fake.sendText(user, '/status');
    const status = await expectMessage(user, /Posisi pengajuan/);
    expect(status.text).toContain('Dikembalikan oleh Yuliana Pertiwi, S.Kep, Ns pada Senin, 2 Februari 2026 pukul 10.00 WIB');
    expect(status.text).toContain('Target kuantitas belum sesuai MPH seksi');
    expect(status.text).toContain('Dipegang oleh: Bapak/Ibu sendiri');

    t.fake.sendText(user, '/skp');
    const reason = await expectMessage(user, /dikembalikan oleh/);
    expect(reason.text).toContain('Target kuantitas belum sesuai MPH seksi');
    let review = await expectMessage(user, /Ringkasan SKP Tahun 2026 \(revisi 2\)/);
    expect(review.text).toContain('• Kuantitas: 120 pasien');

    let m = await tapThen(user, review, /✏️ RHK 1/, /Bagian mana/);
    m = await tapThen(user, m, /Ubah indikator/, /Indikator ke-1 \(indikator lama akan diganti\)/);
    m = await tapThen(user, m, /Kuantitas/, /Tulis target/);
    m = await say(user, '150 pasien', /Tambah indikator lain/);
    expect(m.text).not.toContain('120 pasien');
    review = await tapThen(user, m, /Selesai/, /Ringkasan SKP/);
    expect(review.text).toContain('• Kuantitas: 150 pasien');
    // The intervention chosen before is kept.
    expect(review.text).toContain('RHK atasan: Meningkatnya mutu pelayanan kesehatan primer');

    await tap(user, review, /Kirim/);
    expect((await expectMessage(user, /sudah dikirim/)).text).toContain('SKP tahun 2026 (revisi 2) sudah dikirim');
    c = await skpCaseOf('anisa');
    expect(c).toMatchObject({ stepNo: 4, status: 'active', revision: 2, assigneeId: ids.yuliana });
    expect(c.data.rhk).toEqual([
      expect.objectContaining({ id: rhkId, indikator: [{ aspek: 'kuantitas', target: '150 pasien' }], rhkAtasanId: 'y1' }),
    ]);
    const [last] = await t.db.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(desc(caseEvents.id)).limit(1);
    expect(last).toMatchObject({ action: 'resubmit', revision: 2, actorId: ids.anisa });
  });
});

describe('/skp: resuming, hints and /batal', () => {
  it('resumes at the same question after a restart; hints on wrong input; /batal keeps the draft', async () => {
    const user = PEOPLE.rizky.tg;
    t.fake.sendText(user, '/skp');
    let m = await expectMessage(user, /SKP Tahun 2026/);
    m = await tapThen(user, m, /Isi RHK/, /RHK ke-1/);
    m = await say(user, 'Terlaksananya surveilans penyakit menular', /Apa jenis RHK ini/);
    m = await tapThen(user, m, /^Utama$/, /Indikator ke-1/);
    // Text where a button is expected: a hint and the same question again.
    m = await say(user, 'banyak sekali', /Mohon pilih salah satu tombol/);
    expect(m.text).toContain('Pilih aspek');

    await t.restart();
    t.fake.sendText(user, '/skp');
    const resumed = await expectMessage(user, /Indikator ke-1/);
    expect(resumed.text).toContain('Pilih aspek');
    m = await tapThen(user, resumed, /Kuantitas/, /Tulis target/);
    // A sticker where text is expected: a hint.
    t.fake.sendSticker(user);
    m = await expectMessage(user, /Mohon jawab dengan teks/);
    expect(m.text).toContain('Aspek: Kuantitas');
    // /batal half-way pauses: nothing typed is taken as an answer, and /skp asks the same question again.
    t.fake.sendText(user, '/batal');
    expect((await expectMessage(user, /dihentikan sementara/)).text).toContain('/skp untuk melanjutkan dari pertanyaan terakhir');
    await say(user, '24 dokumen', /tidak ada isian yang sedang berjalan/);
    t.fake.sendText(user, '/skp');
    m = await expectMessage(user, /Tulis target/);
    expect(m.text).toContain('Aspek: Kuantitas');
    m = await say(user, '24 dokumen', /Tambah indikator lain/);
    // The atasan (Eko) has no SKP yet: say so and offer only Lewati.
    m = await tapThen(user, m, /Selesai/, /SKP atasan/);
    expect(m.text).toContain('belum ada');
    expect(buttons(m).map((b) => b.text)).toEqual(['Lewati']);
    await tapThen(user, m, /Lewati/, /Ringkasan SKP/);

    t.fake.sendText(user, '/batal');
    await expectMessage(user, /dibatalkan/);
    expect(await t.db.db.select().from(conversations).where(eq(conversations.telegramUserId, user))).toHaveLength(0);
    const c = await skpCaseOf('rizky');
    const [draft] = await t.db.db.select().from(caseDrafts).where(eq(caseDrafts.caseId, c.id));
    expect(draft!.data).toMatchObject({ rhk: [{ text: 'Terlaksananya surveilans penyakit menular', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '24 dokumen' }] }] });
    // After /batal a free text is not taken as an answer.
    await say(user, 'teks bebas', /tidak ada isian yang sedang berjalan/);

    t.fake.sendText(user, '/skp');
    const again = await expectMessage(user, /Ringkasan SKP/);
    expect(again.text).toContain('Terlaksananya surveilans penyakit menular');
    expect(c.stepNo).toBe(3);
  });

  it('refuses to send an incomplete draft, says what is missing, and changes nothing', async () => {
    const user = PEOPLE.melati.tg;
    t.fake.sendText(user, '/skp');
    let m = await expectMessage(user, /SKP Tahun 2026/);
    m = await tapThen(user, m, /Isi RHK/, /RHK ke-1/);
    // The same answer sent twice at once (a double send on a weak connection) creates one RHK.
    t.fake.sendText(user, 'Terlaksananya pelayanan kebidanan');
    t.fake.sendText(user, 'Terlaksananya pelayanan kebidanan');
    m = await expectMessage(user, /Apa jenis RHK ini/);
    await expectMessage(user, /Apa jenis RHK ini/);
    const [doubled] = await t.db.db.select().from(caseDrafts).where(eq(caseDrafts.caseId, (await skpCaseOf('melati')).id));
    expect((doubled!.data as { rhk: unknown[] }).rhk).toHaveLength(1);
    t.fake.sendText(user, '/batal');
    await expectMessage(user, /dihentikan sementara/);
    // While paused, the jenis question's old buttons no longer work.
    expect(await tap(user, m, /^Utama$/)).toMatch(/sudah tidak berlaku/);
    // A second /batal stops the question altogether: /skp then shows the review.
    t.fake.sendText(user, '/batal');
    await expectMessage(user, /dibatalkan/);
    t.fake.sendText(user, '/skp');
    const review = await expectMessage(user, /Ringkasan SKP/);
    expect(review.text).toContain('⚠️ jenis belum dipilih');
    await tap(user, review, /Kirim/);
    const refused = await expectMessage(user, /SKP belum dapat dikirim/);
    expect(refused.text).toContain('RHK 1: jenis belum dipilih');
    expect(refused.text).toContain('RHK 1: indikator belum diisi');
    const c = await skpCaseOf('melati');
    expect(c).toMatchObject({ stepNo: 3, status: 'active', version: 1 });
  });
});

describe('/skp: uploading the e-Kinerja PDF', () => {
  it('refuses a lying or wrong file, archives the PDF, and sends its summary as one RHK utama', async () => {
    const user = PEOPLE.dedi.tg;
    t.fake.sendText(user, '/skp');
    let m = await expectMessage(user, /SKP Tahun 2026/);
    m = await tapThen(user, m, /Unggah PDF/, /Kirim berkas PDF/);

    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
    t.fake.sendDocument(user, { fileName: 'SKP_2026.pdf', mimeType: 'application/pdf', content: jpeg });
    expect((await expectMessage(user, /Berkas ditolak/)).text).toMatch(/berakhiran \.pdf, tetapi isinya berkas JPEG/);
    t.fake.sendDocument(user, { fileName: 'SKP_2026.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', content: jpeg });
    expect((await expectMessage(user, /Berkas ditolak/)).text).toMatch(/jenis berkas \.docx tidak diterima\.\nJenis yang diterima: PDF\./);
    t.fake.sendPhoto(user, { content: jpeg });
    await expectMessage(user, /sebagai berkas PDF/);

    const pdf = Buffer.from('%PDF-1.7\n% SKP Dedi Kurniawan 2026\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n');
    t.fake.sendDocument(user, { fileName: 'SKP_2026_Dedi.pdf', mimeType: 'application/pdf', content: pdf });
    await expectMessage(user, /SKP_2026_Dedi\.pdf diterima/);
    const review = await say(user, 'RHK utama: meningkatnya cakupan surveilans epidemiologi', /Ringkasan SKP/);
    expect(review.text).toContain('📄 dari PDF e-Kinerja');
    await tap(user, review, /Kirim/);
    expect((await expectMessage(user, /sudah dikirim/)).text).toContain('kepada Eko Prasetyo, S.KM');

    const c = await skpCaseOf('dedi');
    expect(c).toMatchObject({ stepNo: 4, assigneeId: ids.eko });
    const [evidence] = await t.db.db.select().from(evidenceFiles).where(and(eq(evidenceFiles.caseId, c.id), eq(evidenceFiles.purpose, 'skp_draft_pdf')));
    expect(evidence).toMatchObject({ fileName: 'SKP_2026_Dedi.pdf', mimeType: 'application/pdf', sizeBytes: pdf.length });
    expect(evidence!.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(readFileSync(archivePath(t.config.deployment.storage.archiveDir, evidence!.storagePath!))).toEqual(pdf);
    expect(c.data.rhk).toEqual([
      {
        id: expect.any(String),
        jenis: 'utama',
        text: 'RHK utama: meningkatnya cakupan surveilans epidemiologi',
        indikator: [],
        source: 'pdf',
        evidenceId: evidence!.id,
        fileId: evidence!.telegramFileId,
      },
    ]);
    // Only the accepted PDF was recorded.
    expect(await t.db.db.select().from(evidenceFiles).where(eq(evidenceFiles.caseId, c.id))).toHaveLength(1);
  });
});
