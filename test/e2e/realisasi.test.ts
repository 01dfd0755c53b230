// E2E: an ASN reports a month's realisation with bukti dukung files: checks, archive, deadline and late marking.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePath } from '../../src/app/archive.js';
import { overdueSteps } from '../../src/app/reports.js';
import { slaTimersOfOpenCases } from '../../src/app/sla-timers.js';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { cases, evidenceFiles } from '../../src/db/schema/index.js';
import { importExampleRoster, linkPeople, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
let engine: EngineDeps;
// Tuesday 3 February 2026, 09:00 WIB: within the first 5 days, so /realisasi means January.
let now = new Date('2026-02-03T02:00:00Z');

const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 8201 },
  melati: { nip: '199011052019022001', tg: 8202 },
  rini: { nip: '199508232023212003', tg: 8203 }, // SKP submitted, not established yet
  dedi: { nip: '198909092015031004', tg: 8204 }, // no SKP at all
  yuliana: { nip: '198601152010012007', tg: 8205 }, // atasan of the three
  lilis: { nip: '197612012002122003', tg: 8206 }, // atasan of Yuliana (establishes)
} as const;
const ids: Record<string, string> = {};

const pdfBytes = (tag: string) => Buffer.from(`%PDF-1.7\n% ${tag}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n`);
const jpegBytes = (tag: string) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from(`JFIF ${tag}`), Buffer.from([0xff, 0xd9])]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Button = { text: string; callback_data: string };
const buttons = (m: BotMessage): Button[] => ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const expectMessage = (user: number, pattern: RegExp) => t.fake.waitForMessage(user, (m) => pattern.test(m.text ?? ''));

async function say(user: number, text: string, reply: RegExp): Promise<BotMessage> {
  t.fake.sendText(user, text);
  return expectMessage(user, reply);
}

async function tap(user: number, message: BotMessage, label: RegExp): Promise<string | undefined> {
  const button = buttons(message).find((b) => label.test(b.text));
  if (!button) throw new Error(`no button ${label} in: ${buttons(message).map((b) => b.text).join(' | ')}`);
  const update = t.fake.tapButton(user, { chatId: user, messageId: message.message_id }, button.callback_data);
  return (await t.fake.waitForCallbackAnswer(update.callback_query.id)).text;
}

/** Submits, verifies and establishes an SKP through the engine, as the atasan chain would in the chat. */
async function establishedSkp(subject: string, rhk: Array<{ id: string; text: string }>, establish = true) {
  const opened = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids[subject]!, period: '2026', now });
  const inputs = { rhk: rhk.map((r) => ({ ...r, jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '12 laporan' }] })) };
  let c = (await act(engine, { caseId: opened.case.id, actorId: ids[subject]!, command: { kind: 'complete', stepNo: 3, inputs }, now })).case;
  if (!establish) return c;
  c = (await act(engine, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now })).case;
  return (await act(engine, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now })).case;
}

const monthlyCaseOf = async (key: keyof typeof PEOPLE, period: string) =>
  (await t.db.db.select().from(cases).where(and(eq(cases.subjectId, ids[key]!), eq(cases.period, period))))[0]!;

beforeAll(async () => {
  t = await startTestApp({ now: () => now });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  await establishedSkp('anisa', [
    { id: 'a1a1a1a1', text: 'Terlaksananya asuhan keperawatan sesuai standar' },
    { id: 'b2b2b2b2', text: 'Tersusunnya laporan bulanan keperawatan' },
  ]);
  await establishedSkp('melati', [{ id: 'c3c3c3c3', text: 'Terlaksananya pelayanan kebidanan' }]);
  await establishedSkp('rini', [{ id: 'd4d4d4d4', text: 'Terkelolanya obat puskesmas' }], false);
});
afterAll(async () => {
  await t?.stop();
});

describe('/realisasi', () => {
  it('refuses without an established SKP, a bad month or a future month', async () => {
    await say(PEOPLE.rini.tg, '/realisasi', /SKP tahun 2026 Bapak\/Ibu belum ditetapkan/);
    await say(PEOPLE.dedi.tg, '/realisasi', /SKP tahun 2026 Bapak\/Ibu belum ada/);
    // /jadwal says where each one's own SKP stands beside its deadline (Monday 2 February, yesterday).
    expect((await say(PEOPLE.rini.tg, '/jadwal', /^🗓️/)).text).toMatch(/\n• SKP tahun 2026: sudah dikirim, sedang diperiksa atasan \(posisinya: \/status\)\n/);
    expect((await say(PEOPLE.dedi.tg, '/jadwal', /^🗓️/)).text).toMatch(/\n• SKP tahun 2026: ⚠️ belum dikirim; batas penyusunan Senin, 2 Februari 2026 sudah lewat\. Segera susun lewat \/skp\n/);
    expect((await say(PEOPLE.anisa.tg, '/jadwal', /^🗓️/)).text).toMatch(
      /\n\n• Realisasi Januari 2026: paling lambat Kamis, 5 Februari 2026 \(\/realisasi\)\n• SKP tahun 2026: ✅ sudah ditetapkan\n/,
    );
    await say(PEOPLE.anisa.tg, '/realisasi Janauri', /Format periode tidak dikenali/);
    await say(PEOPLE.anisa.tg, '/realisasi 2026-05', /Realisasi Mei 2026 belum dapat diisi/);
    const opened = await t.db.db.select().from(cases).where(eq(cases.procedureCode, 'bulanan-tangerang'));
    expect(opened).toHaveLength(0);
  });

  it('two RHK with two files each: refusals explained, files archived by sha256, submitted on time', async () => {
    const user = PEOPLE.anisa.tg;
    t.fake.sendText(user, '/realisasi');
    const intro = await expectMessage(user, /Realisasi Januari 2026/);
    expect(intro.text).toContain('Batas pengisian: Kamis, 5 Februari 2026 pukul 23.59 WIB');
    expect(intro.text).not.toContain('terlambat');
    let m = await expectMessage(user, /RHK 1 dari 2/);
    expect(m.text).toContain('Terlaksananya asuhan keperawatan sesuai standar');
    expect(m.text).toContain('Target: Kuantitas: 12 laporan');

    // A photo where the realisation text is expected: a hint.
    t.fake.sendPhoto(user, { content: jpegBytes('salah tempat') });
    await expectMessage(user, /Mohon tulis realisasi/);
    // Only an emoji or a dash says nothing: asked again, nothing saved.
    expect((await say(user, '👍', /Realisasi perlu berisi angka atau kata/)).text).toMatch(/Tulis realisasi bulan Januari 2026 untuk RHK ini/);
    m = await say(user, '10 laporan', /Kirim bukti dukung/);
    // Selesai without a file is refused.
    expect(await tap(user, m, /Selesai/)).toMatch(/minimal satu bukti/);
    // The same typed instead of tapped: refused the same way, with the question again.
    expect((await say(user, 'selesai', /minimal satu bukti/)).text).toMatch(/Kirim bukti dukung/);

    const files: Record<string, Buffer> = {
      rhk1pdf: pdfBytes('laporan RHK 1'),
      rhk1jpg: jpegBytes('foto RHK 1'),
      rhk2pdf: pdfBytes('laporan RHK 2'),
      rhk2jpg: jpegBytes('foto RHK 2'),
    };
    t.fake.sendDocument(user, { fileName: 'laporan-januari.pdf', mimeType: 'application/pdf', content: files.rhk1pdf! });
    expect((await expectMessage(user, /Bukti diterima/)).text).toMatch(/laporan-januari\.pdf \(PDF, 1 KB\)\.\nBukti untuk RHK ini: 1/);
    t.fake.sendPhoto(user, { content: files.rhk1jpg! });
    m = await expectMessage(user, /Bukti diterima/);
    expect(m.text).toMatch(/\(JPEG.*\)\.\nBukti untuk RHK ini: 2/);
    // "Selesai" typed is the button's answer: on to the next RHK.
    await say(user, 'Selesai', /RHK 2 dari 2/);
    await say(user, 'Sesuai target: 1 laporan', /Kirim bukti dukung/);

    // Over 20 MB (Telegram reports the size; the bot cannot even download it).
    const big = t.fake.registerFile({ fileSize: 25 * 1024 * 1024, fileName: 'video-kegiatan.pdf', mimeType: 'application/pdf' });
    t.fake.injectUpdate({
      message: {
        message_id: 990001,
        from: { id: user, is_bot: false, first_name: 'anisa' },
        chat: { id: user, type: 'private', first_name: 'anisa' },
        date: Math.floor(Date.now() / 1000),
        document: { file_id: big.file_id, file_unique_id: big.file_unique_id, file_name: 'video-kegiatan.pdf', mime_type: 'application/pdf', file_size: big.file_size },
      },
    });
    expect((await expectMessage(user, /Berkas ditolak/)).text).toContain('ukurannya 25 MB, melebihi batas 20 MB');
    // A type that is not accepted.
    t.fake.sendDocument(user, { fileName: 'semua-bukti.zip', mimeType: 'application/zip', content: Buffer.from('PK\x03\x04rest', 'latin1') });
    expect((await expectMessage(user, /Berkas ditolak/)).text).toMatch(/jenis berkas \.zip tidak diterima\.\nJenis yang diterima: PDF, JPEG, PNG, Word \(DOCX\), Excel \(XLSX\)\./);
    // A lying extension.
    t.fake.sendDocument(user, { fileName: 'foto-kegiatan.png', mimeType: 'image/png', content: pdfBytes('bukan gambar') });
    expect((await expectMessage(user, /Berkas ditolak/)).text).toContain('namanya berakhiran .png, tetapi isinya berkas PDF');

    t.fake.sendDocument(user, { fileName: 'rekap.pdf', mimeType: 'application/pdf', content: files.rhk2pdf! });
    await expectMessage(user, /Bukti diterima: rekap\.pdf/);
    t.fake.sendDocument(user, { fileName: 'dokumentasi.jpg', mimeType: 'image/jpeg', content: files.rhk2jpg! });
    m = await expectMessage(user, /Bukti diterima: dokumentasi\.jpg \(JPEG/);
    expect(m.text).toContain('Bukti untuk RHK ini: 2');
    await tap(user, m, /Selesai/);
    let review = await expectMessage(user, /Ringkasan realisasi Januari 2026/);
    expect(review.text).toMatch(/1\. Terlaksananya asuhan keperawatan sesuai standar\n\s+Realisasi: 10 laporan\n\s+Bukti dukung: 2 berkas/);
    expect(review.text).toMatch(/2\. Tersusunnya laporan bulanan keperawatan\n\s+Realisasi: Sesuai target: 1 laporan\n\s+Bukti dukung: 2 berkas/);

    // Edit RHK 1's value from the review; its files stay.
    await tap(user, review, /Ubah RHK 1/);
    m = await expectMessage(user, /Isian saat ini: 10 laporan/);
    m = await say(user, '11 laporan', /Sudah ada 2 bukti/);
    await tap(user, m, /Selesai/);
    review = await expectMessage(user, /Ringkasan realisasi/);
    expect(review.text).toContain('Realisasi: 11 laporan');

    await tap(user, review, /Kirim/);
    const sent = await expectMessage(user, /sudah dikirim/);
    expect(sent.text).toContain('Realisasi Januari 2026 sudah dikirim kepada Yuliana Pertiwi, S.Kep, Ns untuk dinilai.');
    expect(sent.text).not.toContain('terlambat');
    // Sent: /jadwal no longer reads as if January were still to do.
    expect((await say(user, '/jadwal', /^🗓️/)).text).toMatch(/\n• Realisasi Januari 2026: ✅ sudah dikirim \(batasnya Kamis, 5 Februari 2026\)\n/);

    const c = await monthlyCaseOf('anisa', '2026-01');
    expect(c).toMatchObject({ procedureCode: 'bulanan-tangerang', stepNo: 4, status: 'active', assigneeId: ids.yuliana, late: false });
    const evidence = await t.db.db.select().from(evidenceFiles).where(eq(evidenceFiles.caseId, c.id));
    // Only the four accepted files were recorded, each archived with its real sha256 on disk.
    expect(evidence).toHaveLength(4);
    const bySha = new Map(evidence.map((e) => [e.sha256, e]));
    for (const [key, content] of Object.entries(files)) {
      const row = bySha.get(sha256(content));
      expect(row, key).toBeDefined();
      expect(row!.purpose).toBe(key.startsWith('rhk1') ? 'a1a1a1a1' : 'b2b2b2b2');
      expect(row!.mimeType).toBe(key.endsWith('pdf') ? 'application/pdf' : 'image/jpeg');
      expect(row!.sizeBytes).toBe(content.length);
      expect(row!.archivedAt).not.toBeNull();
      expect(sha256(readFileSync(archivePath(t.config.deployment.storage.archiveDir, row!.storagePath!)))).toBe(sha256(content));
    }
    const realisasi = c.data.realisasi as Array<Record<string, unknown>>;
    expect(c.data.skpCaseId).toEqual(expect.any(String));
    expect(realisasi.map((r) => [r.rhkId, r.realisasi, (r.bukti as unknown[]).length])).toEqual([
      ['a1a1a1a1', '11 laporan', 2],
      ['b2b2b2b2', 'Sesuai target: 1 laporan', 2],
    ]);
    expect((realisasi[0]!.bukti as Array<Record<string, unknown>>)[0]).toMatchObject({
      fileId: bySha.get(sha256(files.rhk1pdf!))!.telegramFileId,
      mimeType: 'application/pdf',
      name: 'laporan-januari.pdf',
    });
    expect(realisasi[0]!.evidenceIds).toEqual([bySha.get(sha256(files.rhk1pdf!))!.id, bySha.get(sha256(files.rhk1jpg!))!.id]);

    // The atasan's rating request names each RHK by its text, never by its id.
    const request = await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => /Penilaian kinerja/i.test(m.text ?? '') && /Realisasi Januari 2026/.test(m.text ?? ''));
    expect(request.text).toMatch(/1\. Terlaksananya asuhan keperawatan sesuai standar\n\s+Realisasi: 11 laporan/);
    expect(request.text).toMatch(/2\. Tersusunnya laporan bulanan keperawatan\n\s+Realisasi: Sesuai target: 1 laporan/);
    expect(request.text).not.toMatch(/a1a1a1a1|b2b2b2b2/);
    // Evidence opens the way it came: the image sent as a file comes back as a document, the photo as a photo.
    const before = t.fake.messages(PEOPLE.yuliana.tg).length;
    await tap(PEOPLE.yuliana.tg, request, /📎/);
    await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => m.caption?.includes('dokumentasi.jpg') === true);
    await t.idle();
    const opened = t.fake.messages(PEOPLE.yuliana.tg).slice(before);
    expect(opened).toHaveLength(4);
    const byCaption = (re: RegExp) => opened.find((m) => re.test(m.caption ?? ''))!;
    expect(byCaption(/dokumentasi\.jpg/)).toMatchObject({ method: 'sendDocument', caption: 'Tersusunnya laporan bulanan keperawatan — dokumentasi.jpg' });
    expect(byCaption(/dokumentasi\.jpg/).document?.file_name).toBe('dokumentasi.jpg');
    expect(byCaption(/laporan-januari\.pdf/)).toMatchObject({ method: 'sendDocument', caption: 'Terlaksananya asuhan keperawatan sesuai standar — laporan-januari.pdf' });
    const photo = opened.find((m) => m.method === 'sendPhoto')!;
    expect(photo.caption).toBe('Terlaksananya asuhan keperawatan sesuai standar');
    expect(opened.every((m) => !/sha256|[0-9a-f]{8}/.test(`${m.caption ?? ''}${m.text ?? ''}`))).toBe(true);

    // With nothing expecting a file, a file gets the general answer.
    t.fake.sendDocument(user, { fileName: 'lagi.pdf', mimeType: 'application/pdf', content: pdfBytes('lagi') });
    await expectMessage(user, /tidak ada isian yang membutuhkan berkas/);
    // /realisasi for a month already sent says where it is.
    t.fake.sendText(user, '/realisasi 2026-01');
    expect((await expectMessage(user, /Tahap 4/)).text).toContain('Dipegang oleh: Yuliana Pertiwi, S.Kep, Ns');

    t.fake.sendText(user, '/status');
    const status = await expectMessage(user, /Posisi pengajuan Bapak\/Ibu \(2\)/);
    expect(status.text).toMatch(/Penilaian Kinerja ASN: SKP bulanan\nPeriode: Januari 2026\nTahap 4: Penilaian kinerja bulanan/);
    expect(status.text).toMatch(/Periode: Tahun 2026\nTahap 6: Menghimpun Sasaran Kinerja PNS/);
    expect(status.text).toContain('Sejak: Selasa, 3 Februari 2026 pukul 09.00 WIB');
  });

  it('after the deadline a submission is accepted and marked late; a resubmission after a return keeps the first mark', async () => {
    // Tuesday 10 February 2026: January's deadline (5 February) has passed.
    now = new Date('2026-02-10T02:00:00Z');
    const user = PEOPLE.melati.tg;
    // /status says what is missing, under where things stand, with the command that sends it.
    t.fake.sendText(user, '/status');
    expect((await expectMessage(user, /Posisi pengajuan/)).text).toMatch(
      /\n\n⚠️ Realisasi Januari 2026 belum dikirim; batasnya, Kamis, 5 Februari 2026, sudah lewat\. Ketik \/realisasi januari untuk mengirimnya: tetap diterima, dicatat terlambat\.$/,
    );
    // /jadwal too, under the deadlines still ahead.
    t.fake.sendText(user, '/jadwal');
    expect((await expectMessage(user, /^🗓️ Batas waktu/)).text).toMatch(/\n\n⚠️ Realisasi Januari 2026 belum dikirim; [^\n]+\/realisasi januari[^\n]+$/);
    t.fake.sendText(user, '/realisasi 2026-01');
    expect((await expectMessage(user, /Realisasi Januari 2026/)).text).toContain('Batas pengisian sudah lewat');
    await expectMessage(user, /RHK 1 dari 1/);
    // Stopped half-way, it is resumed by the command that names January: /realisasi alone is February's now.
    expect((await say(user, '/batal', /pengisian dibatalkan/)).text).toMatch(/ketik \/realisasi januari untuk melanjutkan\.$/);
    t.fake.sendText(user, '/realisasi januari');
    await expectMessage(user, /RHK 1 dari 1/);
    await say(user, '30 persalinan', /Kirim bukti dukung/);
    t.fake.sendDocument(user, { fileName: 'register.pdf', mimeType: 'application/pdf', content: pdfBytes('register persalinan') });
    const ack = await expectMessage(user, /Bukti diterima/);
    await tap(user, ack, /Selesai/);
    const review = await expectMessage(user, /Ringkasan realisasi/);
    expect(review.text).toContain('pengiriman akan dicatat terlambat');
    await tap(user, review, /Kirim/);
    expect((await expectMessage(user, /sudah dikirim/)).text).toContain('dicatat terlambat');
    t.fake.sendText(user, '/status');
    expect((await expectMessage(user, /Posisi pengajuan/)).text).not.toMatch(/belum dikirim/);
    expect(await monthlyCaseOf('melati', '2026-01')).toMatchObject({ stepNo: 4, late: true });
    // The atasan reads it on the rating request.
    const lateRequest = await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => /Melati[\s\S]*Realisasi Januari 2026/.test(m.text ?? '') && m.reply_markup !== undefined);
    expect(lateRequest.text).toContain('⚠️ Diajukan setelah batas waktu');

    // Anisa sent January on time; the atasan returns it from the rating request, she fixes it after the deadline:
    // still on time.
    const request = t.fake
      .messages(PEOPLE.yuliana.tg)
      .find((m) => /Penilaian kinerja/i.test(m.text ?? '') && /Anisa Fitriani[\s\S]*Realisasi Januari 2026/.test(m.text ?? ''))!;
    expect(request.text).toMatch(/atau Kembalikan bila isian atau bukti dukungnya perlu diperbaiki/);
    await tap(PEOPLE.yuliana.tg, request, /Kembalikan/);
    await expectMessage(PEOPLE.yuliana.tg, /alasan pengembalian/);
    await say(PEOPLE.yuliana.tg, 'Foto kegiatan RHK 2 kurang jelas', /sudah dikembalikan beserta alasannya/);
    expect((await t.fake.waitForEdit(PEOPLE.yuliana.tg, request.message_id)).text).toMatch(/↩️ Dikembalikan oleh Yuliana[\s\S]*Alasan: Foto kegiatan RHK 2 kurang jelas$/);
    expect(await monthlyCaseOf('anisa', '2026-01')).toMatchObject({ stepNo: 3, status: 'returned' });
    // The notice says "kirim ulang lewat /realisasi": typed as it is, it opens January, though February is the
    // default now (January's deadline has passed).
    t.fake.sendText(PEOPLE.anisa.tg, '/realisasi');
    expect((await expectMessage(PEOPLE.anisa.tg, /dikembalikan oleh/)).text).toContain('Foto kegiatan RHK 2 kurang jelas');
    const again = await expectMessage(PEOPLE.anisa.tg, /Ringkasan realisasi/);
    expect(again.text).toContain('Bukti dukung: 2 berkas');
    expect(again.text).not.toContain('terlambat');
    await tap(PEOPLE.anisa.tg, again, /Ubah RHK 2/);
    await expectMessage(PEOPLE.anisa.tg, /Isian saat ini: Sesuai target: 1 laporan/);
    const bukti = await say(PEOPLE.anisa.tg, 'Sesuai target: 1 laporan', /Sudah ada 2 bukti/);
    await tap(PEOPLE.anisa.tg, bukti, /Hapus semua bukti/);
    const cleared = await expectMessage(PEOPLE.anisa.tg, /Bukti lama untuk RHK ini sudah dihapus/);
    expect(buttons(cleared).map((b) => b.text)).toEqual(['✅ Selesai']);
    t.fake.sendPhoto(PEOPLE.anisa.tg, { content: jpegBytes('foto lebih jelas') });
    const ack2 = await expectMessage(PEOPLE.anisa.tg, /Bukti untuk RHK ini: 1/);
    await tap(PEOPLE.anisa.tg, ack2, /Selesai/);
    await tap(PEOPLE.anisa.tg, await expectMessage(PEOPLE.anisa.tg, /Ringkasan realisasi/), /Kirim/);
    expect((await expectMessage(PEOPLE.anisa.tg, /sudah dikirim/)).text).toContain('(revisi 2)');
    const resubmitted = await monthlyCaseOf('anisa', '2026-01');
    expect(resubmitted).toMatchObject({ stepNo: 4, revision: 2, late: false });
    const items = resubmitted.data.realisasi as Array<{ rhkId: string; bukti: unknown[] }>;
    expect(items.map((i) => [i.rhkId, i.bukti.length])).toEqual([
      ['a1a1a1a1', 2],
      ['b2b2b2b2', 1],
    ]);
  });
});

describe('a realisation begun before its deadline', () => {
  it('is due at the period’s Batas Pengisian, not a working day after it was begun, and is not counted late before it', async () => {
    // Thursday 26 February 2026, 09:00 WIB: Melati (January sent late above) begins February, due Thursday 5 March.
    now = new Date('2026-02-26T02:00:00Z');
    const user = PEOPLE.melati.tg;
    await say(user, '/realisasi februari', /Realisasi Februari 2026/);
    await expectMessage(user, /RHK 1 dari 1/);
    await say(user, '/batal', /dibatalkan|berhenti/i);
    const february = await monthlyCaseOf('melati', '2026-02');
    expect(february.slaDueAt).toEqual(new Date('2026-03-05T16:59:00Z'));
    // Tuesday 3 March: two working days on, still ahead of the deadline: not late, not listed late, no timer yet.
    now = new Date('2026-03-03T02:00:00Z');
    const status = await say(user, '/status', /Posisi pengajuan/);
    expect(status.text).toMatch(/Periode: Februari 2026\n[^\n]+\n[^\n]+\nSejak: Kamis, 26 Februari 2026 pukul 09\.00 WIB\nBatas waktu: Kamis, 5 Maret 2026 pukul 23\.59 WIB\n/);
    const late = await overdueSteps({ db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures }, { scope: { kind: 'all' }, now });
    expect(late.rows.map((i) => i.caseId)).not.toContain(february.id);
    // Its overdue reminder is timed for the first working moment after the deadline: Friday 6 March.
    const timers = (await slaTimersOfOpenCases(engine)).timers.filter((x) => x.c.id === february.id);
    expect(timers.map((x) => [x.pct, t.app.deps.calendar.localDate(x.fireAt)])).toEqual([[100, '2026-03-06']]);
  });
});
