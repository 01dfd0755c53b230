// E2E: /cetak sends the SKP and the monthly evaluation as PDFs, /verifikasi checks their codes, others' cases are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { loadDocumentData } from '../../src/app/documents.js';
import { cases, documents, evidenceFiles } from '../../src/db/schema/index.js';
import { importExampleRoster, linkPeople, startTestApp, type TestApp } from '../support/app.js';
import { pdfPagesText } from '../support/pdf-text.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
let engine: EngineDeps;
const ids: Record<string, string> = {};
// From examples/roster.csv: Anisa's pejabat penilai is Yuliana, whose atasan is Lilis; Melati is a colleague.
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 9301 },
  yuliana: { nip: '198601152010012007', tg: 9302 },
  lilis: { nip: '197612012002122003', tg: 9303 },
  melati: { nip: '199011052019022001', tg: 9304 },
  siti: { nip: '198303272008012005', tg: 9305 }, // pengelola Dinas Kesehatan
  rina: { nip: '198406302009022003', tg: 9306 }, // pengelola of the BKPP, not of Dinas Kesehatan
} as const;
type Person = keyof typeof PEOPLE;

const RHK = {
  rhk: [
    {
      id: 'rhk1',
      jenis: 'utama',
      text: 'Meningkatnya cakupan pelayanan kesehatan primer',
      indikator: [{ aspek: 'kuantitas', text: 'Jumlah kunjungan pasien terlayani', target: '1.200 kunjungan' }],
    },
    { id: 'rhk2', jenis: 'tambahan', text: 'Terlaksananya penyuluhan gizi balita', indikator: [{ aspek: 'waktu', text: 'Penyuluhan tepat jadwal', target: '4 kali' }] },
  ],
};
// Monday 2 February 2026, 09.00 WIB, and minutes after it.
const at = (minutes: number) => new Date(Date.parse('2026-02-02T02:00:00Z') + minutes * 60_000);
let skpCaseId = '';

/** The text of a PDF as a viewer shows it (pdftotext), as one line: wrapped cell text reads as written. */
function pdfText(pdf: Buffer): string {
  return pdfPagesText(pdf).join(' ').replace(/\s+/g, ' ');
}

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
const buttonsOf = (m: BotMessage) => (m.reply_markup as Keyboard).inline_keyboard.flat();
const isText = (pattern: RegExp) => (m: BotMessage) => m.method === 'sendMessage' && pattern.test(m.text ?? '');

async function ask(person: Person, text: string, pattern: RegExp): Promise<BotMessage> {
  t.fake.sendText(PEOPLE[person].tg, text);
  return t.fake.waitForMessage(PEOPLE[person].tg, isText(pattern));
}

/** Sends /cetak, taps the button whose label matches, and returns the PDF the bot sent with its code. */
async function printVia(person: Person, label: RegExp, fileName: RegExp) {
  const chat = PEOPLE[person].tg;
  const list = await ask(person, '/cetak', /Cetak dokumen/);
  const button = buttonsOf(list).find((b) => label.test(b.text));
  expect(button, `no button ${label} in ${JSON.stringify(buttonsOf(list))}`).toBeDefined();
  expect(Buffer.byteLength(button!.callback_data)).toBeLessThanOrEqual(64);
  const tap = t.fake.tapButton(chat, { chatId: chat, messageId: list.message_id }, button!.callback_data);
  expect((await t.fake.waitForCallbackAnswer(tap.callback_query.id)).text).toMatch(/Menyiapkan/);
  const sent = await t.fake.waitForMessage(chat, (m) => m.method === 'sendDocument' && fileName.test(m.document?.file_name ?? ''));
  const pdf = sent.document!.content!;
  const code = /Kode verifikasi: ([A-Z0-9]{10})/.exec(sent.caption ?? '')?.[1];
  expect(code).toBeDefined();
  return { pdf, code: code!, text: pdfText(pdf), message: sent };
}

beforeAll(async () => {
  t = await startTestApp();
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
  engine = t.app.deps;

  // The Banyuwangi SKP, driven through the engine up to established (step 6 waits on the pengelola):
  // submitted, returned once by the pejabat penilai, resubmitted, verified, established.
  let c = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now: at(0) })).case;
  skpCaseId = c.id;
  c = (await act(engine, { caseId: c.id, actorId: ids.anisa!, command: { kind: 'complete', stepNo: 3, inputs: RHK }, now: at(10) })).case;
  const reason = 'Indikator kuantitas belum ada targetnya';
  c = (await act(engine, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'return', stepNo: 4, reason }, now: at(30) })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.anisa!, command: { kind: 'resubmit', inputs: RHK }, now: at(60) })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: at(70) })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: at(80) })).case;
  expect(c).toMatchObject({ status: 'active', stepNo: 6, revision: 2, version: 6 });
});
afterAll(async () => {
  await t?.stop();
});

describe('/cetak and /verifikasi', () => {
  let code = '';

  it('sends the established SKP as a PDF with the parties, RHK, trail, signatures and a stored verification code', async () => {
    const printed = await printVia('anisa', /SKP 2026/, /^SKP_2026_199207142017032002_revisi-2\.pdf$/);
    code = printed.code;
    expect(printed.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const expected of [
      'PEMERINTAH KABUPATEN BANYUWANGI',
      'SASARAN KINERJA PEGAWAI',
      'Anisa Fitriani, S.Kep, Ns',
      '19920714 201703 2 002',
      'Yuliana Pertiwi, S.Kep, Ns',
      'dr. Lilis Suryani',
      'Meningkatnya cakupan pelayanan kesehatan primer',
      'Jumlah kunjungan pasien terlayani',
      '1.200 kunjungan',
      'B. HASIL KERJA TAMBAHAN',
      'Indikator kuantitas belum ada targetnya', // the return, in the trail
      'Mengajukan kembali setelah perbaikan',
      'Menyetujui dan menetapkan',
      '02/02/2026 10.20 WIB', // established at 03:20 UTC, printed in WIB
      'Pegawai yang Dinilai',
      'Pejabat Penilai Kinerja',
      `Verifikasi: /verifikasi ${code}`,
    ]) {
      expect(printed.text).toContain(expected);
    }
    // Pangkat/golongan of Anisa, Yuliana (pejabat penilai) and Lilis (atasan pejabat penilai), from the roster.
    const data = await loadDocumentData(t.db.db, skpCaseId);
    expect([data.pegawai, data.pejabatPenilai, data.atasanPejabatPenilai].map((p) => p?.pangkat)).toEqual([
      'Penata Muda Tk. I, III/b',
      'Penata Tk. I, III/d',
      'Pembina, IV/a',
    ]);
    expect(printed.text).toContain('Pangkat/Gol. Ruang Penata Muda Tk. I, III/b Penata Tk. I, III/d Pembina, IV/a Jabatan');
    const [row] = await t.db.db.select().from(documents).where(eq(documents.verificationCode, code));
    expect(row).toMatchObject({ caseId: skpCaseId, kind: 'skp', caseVersion: 6, createdBy: ids.anisa });
    expect(row!.sha256).toBe(createHash('sha256').update(printed.pdf).digest('hex'));
  });

  it('prints the same version again as the same archived document', async () => {
    const again = await printVia('anisa', /SKP 2026/, /^SKP_2026_/);
    expect(again.code).toBe(code);
    expect(await t.db.db.select().from(documents).where(eq(documents.caseId, skpCaseId))).toHaveLength(1);
  });

  it('/verifikasi tells which document and version a code stands for, and refuses unknown codes', async () => {
    const ok = await ask('melati', `/verifikasi ${code.toLowerCase()}`, /Dokumen asli|tidak dikenal/);
    expect(ok.text).toContain('Dokumen asli');
    expect(ok.text).toContain('Sasaran Kinerja Pegawai (SKP), SKP 2026');
    expect(ok.text).toContain('Anisa Fitriani');
    expect(ok.text).toContain('Revisi: ke-2');
    expect(ok.text).not.toMatch(/[Vv]ersi/);
    expect(ok.text).toContain('sesuai dengan keadaan pengajuan saat ini');

    const wrong = code.slice(0, 9) + (code.endsWith('A') ? 'B' : 'A');
    expect((await ask('melati', `/verifikasi ${wrong}`, /Dokumen asli|tidak dikenal/)).text).toMatch(/tidak dikenal/);
    expect((await ask('melati', '/verifikasi', /kode verifikasi/i)).text).toMatch(/Ketik kode verifikasi/);

    // Once the case moves on, the old code still verifies but says the case changed since.
    await act(engine, { caseId: skpCaseId, actorId: ids.siti!, command: { kind: 'complete', stepNo: 6, inputs: { confirmed: true } }, now: at(90) });
    const later = await ask('anisa', `/verifikasi ${code}`, /Dokumen asli/);
    expect(later.text).toMatch(/Pengajuan sudah berubah sejak dokumen ini dibuat\./);
  });

  it('refuses someone else\'s case, by NIP and by a forged button, and sends nothing', async () => {
    const before = (await t.db.db.select().from(documents)).length;
    expect((await ask('melati', `/cetak ${PEOPLE.anisa.nip}`, /berwenang|Cetak dokumen/)).text).toMatch(/tidak berwenang/);
    expect((await ask('rina', `/cetak ${PEOPLE.anisa.nip}`, /berwenang|Cetak dokumen/)).text).toMatch(/tidak berwenang/);

    const none = await ask('melati', '/cetak', /Belum ada dokumen|Cetak dokumen/);
    expect(none.text).toMatch(/Belum ada dokumen yang dapat dicetak/);
    const chat = PEOPLE.melati.tg;
    const forged = t.fake.tapButton(chat, { chatId: chat, messageId: none.message_id }, `ct:${skpCaseId}`);
    expect((await t.fake.waitForCallbackAnswer(forged.callback_query.id)).text).toMatch(/tidak berwenang/);
    const garbage = t.fake.tapButton(chat, { chatId: chat, messageId: none.message_id }, 'ct:not-a-case');
    expect((await t.fake.waitForCallbackAnswer(garbage.callback_query.id)).text).toMatch(/tidak dikenali/);
    // A malformed NIP is explained, not looked up.
    expect((await ask('melati', '/cetak 12345', /NIP/)).text).toMatch(/NIP tidak valid/);
    // Words or a period are no NIP: the list to choose from, not a NIP error.
    expect((await ask('anisa', '/cetak skp', /NIP|Cetak dokumen/)).text).toMatch(/Cetak dokumen/);
    expect((await ask('anisa', '/cetak Mei 2026', /NIP|Cetak dokumen/)).text).toMatch(/Cetak dokumen/);

    expect(t.fake.messages(chat).filter((m) => m.method === 'sendDocument')).toHaveLength(0);
    expect(await t.db.db.select().from(documents)).toHaveLength(before);
  });

  it('lists the case for the pejabat penilai and the pengelola of the perangkat daerah', async () => {
    const forAtasan = await ask('yuliana', '/cetak', /Cetak dokumen/);
    expect(buttonsOf(forAtasan).map((b) => b.text)).toContainEqual(expect.stringMatching(/SKP 2026 · Anisa Fitriani/));
    // /cetak NIP is offered to whom may print others' documents, not to an ASN who may not.
    expect(forAtasan.text).toContain('/cetak NIP');
    expect((await ask('anisa', '/cetak', /Cetak dokumen/)).text).not.toContain('/cetak NIP');
    const forPengelola = await ask('siti', `/cetak ${PEOPLE.anisa.nip}`, /Cetak dokumen/);
    expect(forPengelola.text).toContain('Anisa Fitriani');
    expect(buttonsOf(forPengelola).map((b) => b.callback_data)).toEqual([`ct:${skpCaseId}`]);
  });

  it('prints the monthly evaluation once rated: realisasi with bukti dukung, ratings, predikat and umpan balik', async () => {
    let m = (await openCase(engine, { procedureCode: 'bulanan-tangerang', subjectId: ids.anisa!, period: '2026-02', now: at(6000) })).case;
    // Two archived files for the first RHK, one for the second, as the realisation flow stores them.
    const file = (fileId: string, purpose: string, name: string) => ({
      caseId: m.id,
      ownerId: ids.anisa!,
      purpose,
      telegramFileId: fileId,
      fileName: name,
      mimeType: 'application/pdf',
      sizeBytes: 1000,
    });
    await t.db.db.insert(evidenceFiles).values([
      file('f-1', 'rhk1', 'rekap-kunjungan.pdf'),
      file('f-2', 'rhk1', 'daftar-hadir.pdf'),
      file('f-3', 'rhk2', 'foto-penyuluhan.pdf'),
    ]);
    const ref = (fileId: string, name: string) => ({ fileId, mimeType: 'application/pdf', sizeBytes: 1000, name });
    const realisasi = [
      { rhkId: 'rhk1', realisasi: '118 kunjungan', bukti: [ref('f-1', 'rekap-kunjungan.pdf'), ref('f-2', 'daftar-hadir.pdf')] },
      { rhkId: 'rhk2', realisasi: '1 kali', bukti: [ref('f-3', 'foto-penyuluhan.pdf')] },
    ];
    m = (await act(engine, { caseId: m.id, actorId: ids.anisa!, command: { kind: 'complete', stepNo: 3, inputs: { realisasi } }, now: at(6010) })).case;
    // Not printable before the atasan rates it.
    const early = await ask('anisa', '/cetak', /Cetak dokumen/);
    expect(buttonsOf(early).some((b) => /Evaluasi/.test(b.text))).toBe(false);

    const rating = { hasilKerja: 'di_atas', perilaku: 'di_atas', catatan: 'Pencatatan kunjungan rapi, pertahankan.' };
    m = (await act(engine, { caseId: m.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: { rating } }, now: at(6100) })).case;
    expect(m.predikat).toBe('sangat_baik');

    const printed = await printVia('anisa', /Evaluasi Kinerja Februari 2026/, /^Evaluasi_2026-02_199207142017032002_revisi-1\.pdf$/);
    for (const expected of [
      'DOKUMEN EVALUASI KINERJA PEGAWAI',
      'PERIODE: BULAN FEBRUARI 2026',
      'Meningkatnya cakupan pelayanan kesehatan primer',
      '118 kunjungan',
      '2 berkas',
      'Di Atas Ekspektasi',
      'Sangat Baik',
      'Pencatatan kunjungan rapi, pertahankan.',
      'Menilai hasil kerja dan perilaku kerja',
      `/verifikasi ${printed.code}`,
    ]) {
      expect(printed.text).toContain(expected);
    }
    // A file name wrapped at its hyphen in a narrow cell: pdftotext joins the halves and drops that hyphen.
    expect(printed.text).toMatch(/foto-?penyuluhan\.pdf/);
    const [row] = await t.db.db.select().from(documents).where(eq(documents.verificationCode, printed.code));
    expect(row).toMatchObject({ caseId: m.id, kind: 'evaluasi', caseVersion: 3 });
    const verified = await ask('yuliana', `/verifikasi ${printed.code}`, /Dokumen asli/);
    expect(verified.text).toContain('Dokumen Evaluasi Kinerja Pegawai, Evaluasi Kinerja Februari 2026');
    const [current] = await t.db.db.select().from(cases).where(eq(cases.id, m.id));
    expect(current!.version).toBe(3);
  });
});
