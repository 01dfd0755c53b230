// E2E: the year's close in the chat. BKPP sets the capaian kinerja organisasi with /capaian, opens the annual
// evaluation with /jalankan buka-evaluasi-tahunan 2026, the pejabat penilai reads the year summary and rates, the
// curve warning appears (a unit rated Baik with nobody Butuh Perbaikan/Kurang), the ASN accepts, /cetak prints the
// annual Dokumen Evaluasi, /rekap 2026 shows the annual predikat, and the org rating is then fixed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { cases, employees, orgRatingAudit, orgRatings } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { pdfFlatText } from '../support/pdf-text.js';

let t: TestApp;
let engine: EngineDeps;
const ids: Record<string, string> = {};
const people = {
  fajar: { nip: '199103252015031001', tg: 9601 }, // BKPP admin
  yuliana: { nip: '198601152010012007', tg: 9602 }, // pejabat penilai of Anisa and Melati
  lilis: { nip: '197612012002122003', tg: 9603 }, // atasan pejabat penilai
  anisa: { nip: '199207142017032002', tg: 9604 },
  melati: { nip: '199011052019022001', tg: 9605 },
} as const;
type Person = keyof typeof people;

const RHK = {
  rhk: [
    { id: 'rhk1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', text: 'Kunjungan pasien terlayani', target: '1.200 kunjungan' }] },
  ],
};
const bukti = [{ fileId: 'AgAD-bukti', mimeType: 'application/pdf', sizeBytes: 1000 }];

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
const buttonsOf = (m: BotMessage) => ((m.reply_markup as Keyboard | undefined)?.inline_keyboard ?? []).flat();
const button = (m: BotMessage, label: RegExp) => {
  const b = buttonsOf(m).find((x) => label.test(x.text));
  if (!b) throw new Error(`no button ${label} in ${JSON.stringify(m.reply_markup)}`);
  expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
  return b.callback_data;
};
const tap = async (who: Person, m: BotMessage, label: RegExp) => {
  const update = t.fake.tapButton(people[who].tg, { chatId: m.chat_id, messageId: m.message_id }, button(m, label));
  return t.fake.waitForCallbackAnswer(update.callback_query.id);
};
const waitFor = (who: Person, pattern: RegExp, timeout = 10_000) => t.fake.waitForMessage(people[who].tg, (m) => pattern.test(m.text ?? ''), timeout);
const say = (who: Person, text: string, pattern: RegExp) => {
  t.fake.sendText(people[who].tg, text);
  return waitFor(who, pattern);
};

const pdfText = (pdf: Buffer) => pdfFlatText(pdf);

// Thursday 7 January 2027, 09:00 WIB: December's realisation was due on the 5th; the evaluation of 2026 opens.
const NOW = new Date('2027-01-07T02:00:00Z');

/** An established Banyuwangi SKP 2026 and rated monthly cases for January and February, through the engine. */
async function yearOf(who: 'anisa' | 'melati', months: Array<{ period: string; realisasi: string; hk: 'di_atas' | 'sesuai'; pl: 'di_atas' | 'sesuai' }>) {
  const now = () => NOW;
  let c = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids[who]!, period: '2026', now: now() })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids[who]!, command: { kind: 'complete', stepNo: 3, inputs: RHK }, now: now() })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: now() })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: now() })).case;
  expect(c.stepNo).toBe(6);
  for (const m of months) {
    let mc = (await openCase(engine, { procedureCode: 'bulanan-tangerang', subjectId: ids[who]!, period: m.period, now: now() })).case;
    mc = (await act(engine, { caseId: mc.id, actorId: ids[who]!, command: { kind: 'complete', stepNo: 3, inputs: { realisasi: [{ rhkId: 'rhk1', realisasi: m.realisasi, bukti }] } }, now: now() })).case;
    await act(engine, { caseId: mc.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: { rating: { hasilKerja: m.hk, perilaku: m.pl } } }, now: now() });
  }
}

beforeAll(async () => {
  t = await startTestApp({ now: () => NOW });
  await importExampleRoster(t.db);
  for (const [key, p] of Object.entries(people)) {
    t.fake.addUser({ id: p.tg, first_name: key });
    t.fake.markStarted(p.tg);
    const [row] = await t.db.db.update(employees).set({ telegramUserId: p.tg, telegramChatId: p.tg }).where(eq(employees.nip, p.nip)).returning({ id: employees.id });
    ids[key] = row!.id;
  }
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  await yearOf('anisa', [
    { period: '2026-01', realisasi: '95 kunjungan', hk: 'sesuai', pl: 'sesuai' },
    { period: '2026-02', realisasi: '120 kunjungan', hk: 'di_atas', pl: 'di_atas' },
  ]);
  await yearOf('melati', [{ period: '2026-01', realisasi: '80 kunjungan', hk: 'sesuai', pl: 'sesuai' }]);
});
afterAll(async () => {
  await t?.stop();
});

describe('the annual evaluation of 2026, all in the chat', () => {
  it('sets the organisation rating with /capaian, refusing bad input and staff', async () => {
    expect((await say('anisa', '/capaian', /capaian kinerja organisasi ditetapkan oleh admin BKPP/)).text).toBeTruthy();
    expect((await say('fajar', '/capaian tahun-lalu', /bukan periode yang dikenali/)).text).toMatch(/YYYY-MM/);
    // A perangkat daerah named goes straight to its rating; several are offered; an unknown one is said so.
    expect((await say('fajar', '/capaian kesehatan 2026', /Capaian kinerja organisasi Dinas Kesehatan/)).text).toMatch(/Tahun 2026\nSaat ini: belum ditetapkan/);
    const several = await say('fajar', '/capaian dinas', /cocok dengan "dinas"/);
    expect(buttonsOf(several).map((b) => b.text)).toEqual(['Dinas Kesehatan — belum', 'Dinas Pendidikan — belum']);
    expect((await say('fajar', '/capaian pertanian', /pertanian/)).text).toMatch(/^Tidak ada perangkat daerah bernama "pertanian"/);
    const list = await say('fajar', '/capaian 2026', /Capaian kinerja organisasi — Tahun 2026/);
    // A long name is cut at a word, and says so (it was "…Pengembangan Sumbe — belum").
    const labels = (list.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> }).inline_keyboard.flat().map((b) => b.text);
    expect(labels).toContain('Badan Kepegawaian dan Pengembangan… — belum');
    await tap('fajar', list, /^Dinas Kesehatan — belum/);
    const choose = await waitFor('fajar', /Capaian kinerja organisasi <b>Dinas Kesehatan<\/b>|Capaian kinerja organisasi Dinas Kesehatan/);
    expect((await tap('fajar', choose, /^Baik$/)).text).toMatch(/Tersimpan/);
    // The choice message turns into the outcome.
    await t.idle();
    const saved = t.fake.messages(people.fajar.tg).find((m) => m.message_id === choose.message_id)!;
    expect(saved.text).toMatch(/Dinas Kesehatan — Tahun 2026: Baik/);
    expect(saved.text).toMatch(/harus ada Butuh Perbaikan/);
    const [audit] = await t.db.db.select().from(orgRatingAudit);
    expect(audit).toMatchObject({ period: '2026', rating: 'baik', previousRating: null, actorId: ids.fajar });
  });

  it('opens the evaluation with /jalankan, shows the year summary, warns on the curve, and the ASN accepts', async () => {
    await say('fajar', '/jalankan buka-evaluasi-tahunan 2026', /Menjalankan buka-evaluasi-tahunan/);
    const done = await t.fake.waitForMessage(people.fajar.tg, (m) => /buka-evaluasi-tahunan selesai|gagal/.test(m.text ?? ''), 15_000);
    expect(done.text).toMatch(/Evaluasi kinerja tahunan 2026: 2 dibuka/);
    const opened = await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'evaluasi-tahunan'), eq(cases.period, '2026')));
    expect(opened.map((c) => c.subjectId).sort()).toEqual([ids.anisa!, ids.melati!].sort());
    // Due within the SLA, and never after annual.evaluationDeadline (31 January 2027, agency time).
    const deadline = engine.calendar.atLocal('2027-01-31', '23:59');
    for (const c of opened) expect(c.slaDueAt!.getTime()).toBeLessThanOrEqual(deadline.getTime());
    // Running it again opens nothing twice.
    await say('fajar', '/jalankan buka-evaluasi-tahunan 2026', /Menjalankan buka-evaluasi-tahunan/);
    const again = await t.fake.waitForMessage(people.fajar.tg, (m) => /0 dibuka, 2 sudah terbuka/.test(m.text ?? ''), 15_000);
    expect(again.text).toBeTruthy();

    // One request per employee, with the year before the buttons.
    const request = await t.fake.waitForMessage(people.yuliana.tg, (m) => /Evaluasi Kinerja Tahunan/.test(m.text ?? '') && /Anisa Fitriani/.test(m.text ?? ''), 10_000);
    const text = request.text!;
    expect(text).toMatch(/Ringkasan tahun 2026/);
    expect(text).toMatch(/Jan: Baik \(realisasi tepat waktu\)/);
    expect(text).toMatch(/Feb: Sangat Baik \(realisasi tepat waktu\)/);
    expect(text).toMatch(/Tanpa realisasi: Mar, Apr/);
    expect(text).toMatch(/Meningkatnya cakupan pelayanan kesehatan primer/);
    expect(text).toMatch(/Realisasi: 120 kunjungan \(Feb; dilaporkan 2 bulan\)/);
    expect(buttonsOf(request).some((b) => /Kembalikan/.test(b.text))).toBe(false);

    await tap('yuliana', request, /^Di Atas Ekspektasi$/);
    const perilaku = await waitFor('yuliana', /pilih penilaian perilaku kerja/i);
    await tap('yuliana', perilaku, /^Sesuai Ekspektasi$/);
    await waitFor('yuliana', /catatan\/rekomendasi/);
    // Catatan/rekomendasi, with umpan balik for RHK 1 and for one BerAKHLAK value on their own lines.
    t.fake.sendText(people.yuliana.tg, 'Pertahankan kunjungan rumah; ikuti pelatihan pencatatan.\nRHK 1: Capaian melampaui target tahunan\nKolaboratif: Aktif membantu tim rujukan');
    const confirm = await waitFor('yuliana', /Konfirmasi penilaian tahunan/);
    expect(confirm.text).toMatch(/Predikat: Baik/);
    expect(confirm.text).toMatch(/Capaian kinerja organisasi: Baik/);
    expect(confirm.text).toMatch(/Belum sesuai kurva distribusi/);
    expect(confirm.text).toMatch(/Tidak ada pegawai dengan predikat Butuh Perbaikan atau Kurang\/Misconduct/);
    await tap('yuliana', confirm, /Kirim penilaian/);
    await waitFor('yuliana', /Penilaian untuk Anisa Fitriani.* tersimpan/);
    const [row] = await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'evaluasi-tahunan'), eq(cases.subjectId, ids.anisa!)));
    expect(row).toMatchObject({ predikat: 'baik', stepNo: 2 });
    expect((row!.data as { rating: unknown }).rating).toEqual({
      hasilKerja: 'di_atas',
      perilaku: 'sesuai',
      catatan: 'Pertahankan kunjungan rumah; ikuti pelatihan pencatatan.',
      umpanBalik: { rhk: { rhk1: 'Capaian melampaui target tahunan' }, perilaku: { kolaboratif: 'Aktif membantu tim rujukan' } },
    });

    const result = await waitFor('anisa', /Hasil penilaian kinerja Tahun 2026/);
    expect(result.text).toMatch(/Predikat: Baik/);
    // Terima does not waive the right to object: the message says how, and until when.
    expect(result.text).toMatch(
      /\nBila tidak sependapat, Bapak\/Ibu dapat mengajukan keberatan lewat \/keberatan 2026 paling lambat 14 hari setelah menerima hasil ini\.\nTekan Terima sebagai tanda Bapak\/Ibu sudah menerima hasil ini\.$/,
    );
    await tap('anisa', result, /Terima/);
    // Answered, the question gives way to who accepted and when; the way to object stays.
    const accepted = await t.fake.waitForEdit(people.anisa.tg, result.message_id);
    expect(accepted.text).not.toMatch(/Tekan Terima/);
    expect(accepted.text).toMatch(/menerima hasil ini\.\n\n✅ Diterima oleh Anisa Fitriani/);
    await waitFor('anisa', /Evaluasi Kinerja Tahunan.*sudah selesai/);
  });

  it('/cetak gives the annual Dokumen Evaluasi and /rekap 2026 shows the annual predikat', async () => {
    const list = await say('anisa', '/cetak', /Cetak dokumen/);
    await tap('anisa', list, /Evaluasi Kinerja Tahunan 2026/);
    const sent = await t.fake.waitForMessage(people.anisa.tg, (m) => m.method === 'sendDocument' && /Evaluasi/.test(m.document?.file_name ?? ''), 15_000);
    const text = pdfText(sent.document!.content!);
    for (const expected of ['DOKUMEN EVALUASI KINERJA PEGAWAI', 'PERIODE: AKHIR', 'PERIODE PENILAIAN: 1 JANUARI 2026 SD 31 DESEMBER 2026', 'CAPAIAN KINERJA ORGANISASI', 'POLA DISTRIBUSI', 'Februari 2026: 120 kunjungan', 'DI ATAS EKSPEKTASI', 'SESUAI EKSPEKTASI', 'Capaian melampaui target tahunan', 'Aktif membantu tim rujukan', 'CATATAN/REKOMENDASI', 'Pertahankan kunjungan rumah', 'Kode verifikasi']) {
      expect(text, expected).toContain(expected);
    }

    const recap = await say('fajar', '/rekap 2026', /Rekap kinerja — Tahun 2026/);
    expect(recap.text).toMatch(/Predikat tahunan: Baik 1 · belum dievaluasi \d+/);
    expect(recap.text).toMatch(/Kurva \(capaian organisasi Baik\)/);
    // Other perangkat daerah have no annual predikat: never a monthly stand-in.
    expect(recap.text).not.toMatch(/Predikat: /);
  });

  it('fixes the organisation rating once a predikat of the period is confirmed', async () => {
    const list = await say('fajar', '/capaian 2026', /Capaian kinerja organisasi — Tahun 2026/);
    await tap('fajar', list, /^Dinas Kesehatan — Baik/);
    const choose = await waitFor('fajar', /Saat ini: <b>Baik<\/b>|Saat ini: Baik/);
    expect((await tap('fajar', choose, /^Istimewa$/)).text).toMatch(/tidak dapat diubah lagi/);
    const [rating] = await t.db.db.select().from(orgRatings);
    expect(rating!.rating).toBe('baik');
  });
});

describe('the evaluation deadline', () => {
  it('caps the rating step when the SLA would end after annual.evaluationDeadline', async () => {
    // Opened on Thursday 28 January: 15 working days would end in February; the deadline is the 31st.
    const lateOpen = new Date('2026-01-28T02:00:00Z');
    const dueBy = engine.calendar.atLocal('2026-01-31', '23:59');
    const capped = (await openCase(engine, { procedureCode: 'evaluasi-tahunan', subjectId: ids.anisa!, period: '2025', now: lateOpen, dueBy })).case;
    expect(capped.slaDueAt!.toISOString()).toBe(dueBy.toISOString());
    const uncapped = (await openCase(engine, { procedureCode: 'evaluasi-tahunan', subjectId: ids.melati!, period: '2025', now: lateOpen })).case;
    expect(uncapped.slaDueAt!.getTime()).toBeGreaterThan(dueBy.getTime());
  });
});

describe('npm run jobs:run -- annual-evaluation-open --year Y', () => {
  it('takes the year as --year', async () => {
    const { parseJobsRunArgs } = await import('../../src/cli/jobs-run.js');
    expect(parseJobsRunArgs(['annual-evaluation-open', '--year', '2026'])).toEqual({ name: 'annual-evaluation-open', args: { period: '2026' }, problems: [] });
    expect(parseJobsRunArgs(['annual-evaluation-open', '--year=26']).problems).toEqual(['--year: "26" bukan tahun YYYY']);
  });
});
