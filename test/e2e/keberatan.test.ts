// E2E, all in the chat: an ASN objects to March's result within 14 days (reasons and evidence), the atasan of the
// pejabat penilai asks the PP, the PP explains, the APP sets new ratings; both sides are told it is final; /status,
// /rekap and the export show the new predikat, the old one stays in the event log; a late objection is refused
// with the date the window closed. An objection to the annual evaluation (period '2026') runs the same way and its
// decision replaces the annual predikat the year's recap reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq } from 'drizzle-orm';
import { renderCaseDocument } from '../../src/app/documents.js';
import { findEmployeeById } from '../../src/app/repositories/employees.js';
import { caseEvents, cases, employees } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

let t: TestApp;
// Friday 10 April 2026, 10.00 WIB; moved on by the test.
let clock = new Date('2026-04-10T03:00:00Z');
const people = {
  anisa: { nip: '199207142017032002', tg: 8701 }, // the ASN
  yuliana: { nip: '198601152010012007', tg: 8702 }, // her pejabat penilai
  lilis: { nip: '197612012002122003', tg: 8703 }, // the atasan of the pejabat penilai
} as const;
type Who = keyof typeof people;
const ids: Record<string, string> = {};

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

/** A monthly result of `period`, rated Sesuai/Sesuai (Baik), delivered and acknowledged at the given instants. */
async function ratedMonth(period: string, deliveredAt: Date, acknowledgedAt: Date | null) {
  const [row] = await t.db.db
    .insert(cases)
    .values({
      procedureCode: 'bulanan-tangerang',
      subjectId: ids.anisa!,
      period,
      status: acknowledgedAt ? 'completed' : 'active',
      stepNo: acknowledgedAt ? 7 : 6,
      stepEnteredAt: acknowledgedAt ?? deliveredAt,
      data: { rating: { hasilKerja: 'sesuai', perilaku: 'sesuai', catatan: 'Cukup baik' } },
      predikat: 'baik',
      submittedAt: new Date(deliveredAt.getTime() - 5 * 86400_000),
      assigneeId: ids.anisa!,
      completedAt: null,
    })
    .returning();
  const event = (at: Date, from: number, to: number | null, actor: string) =>
    ({ caseId: row!.id, at, actorId: actor, action: 'complete', fromStepNo: from, toStepNo: to, revision: 1 }) as const;
  await t.db.db.insert(caseEvents).values([
    event(new Date(deliveredAt.getTime() - 3600_000), 4, 5, ids.yuliana!),
    event(deliveredAt, 5, 6, ids.yuliana!),
    ...(acknowledgedAt ? [event(acknowledgedAt, 6, 7, ids.anisa!)] : []),
  ]);
  return row!;
}

/** The annual evaluation of `year`, rated Sesuai/Sesuai (Baik), delivered and acknowledged at the given instants. */
async function ratedYear(year: string, deliveredAt: Date, acknowledgedAt: Date) {
  const [row] = await t.db.db
    .insert(cases)
    .values({
      procedureCode: 'evaluasi-tahunan',
      subjectId: ids.anisa!,
      period: year,
      status: 'completed',
      stepNo: 2,
      stepEnteredAt: acknowledgedAt,
      data: { rating: { hasilKerja: 'sesuai', perilaku: 'sesuai', catatan: 'Pertahankan' } },
      predikat: 'baik',
      assigneeId: ids.anisa!,
      completedAt: acknowledgedAt,
    })
    .returning();
  await t.db.db.insert(caseEvents).values([
    { caseId: row!.id, at: deliveredAt, actorId: ids.yuliana!, action: 'complete', fromStepNo: 1, toStepNo: 2, revision: 1 },
    { caseId: row!.id, at: acknowledgedAt, actorId: ids.anisa!, action: 'complete', fromStepNo: 2, toStepNo: null, revision: 1 },
  ]);
  return row!;
}

beforeAll(async () => {
  t = await startTestApp({ now: () => clock });
  await importExampleRoster(t.db);
  for (const [key, p] of Object.entries(people)) {
    t.fake.addUser({ id: p.tg, first_name: key });
    t.fake.markStarted(p.tg);
    const [row] = await t.db.db.update(employees).set({ telegramUserId: p.tg, telegramChatId: p.tg }).where(eq(employees.nip, p.nip)).returning({ id: employees.id });
    ids[key] = row!.id;
  }
});
afterAll(async () => {
  await t?.stop();
});

describe('keberatan', () => {
  it('walks an objection from the ASN through the PP explanation to a changed, final result', async () => {
    // March, delivered Thursday 2 April and acknowledged Monday 6 April (window to Monday 20 April);
    // February, delivered 2 March and never acknowledged (window closed on Monday 16 March).
    const march = await ratedMonth('2026-03', new Date('2026-04-02T03:00:00Z'), new Date('2026-04-06T02:00:00Z'));
    await ratedMonth('2026-02', new Date('2026-03-02T03:00:00Z'), null);

    const list = await say('anisa', '/keberatan', /Keberatan atas hasil penilaian kinerja/);
    expect(list.text).toMatch(/Maret 2026 — predikat Baik\n\s+keberatan dapat diajukan sampai Senin, 20 April 2026/);
    expect(list.text).toMatch(/Februari 2026 — predikat Baik\n\s+batas keberatan berakhir Senin, 16 Maret 2026/);
    expect(buttons(list).map((b) => b.text)).toEqual(['⚖️ Ajukan keberatan: Maret 2026']);
    expect(list.text).toContain('misalnya /keberatan 2026-03.');

    // February is past its window: refused with the date.
    expect((await say('anisa', '/keberatan 2026-02', /tidak dapat diajukan lagi/)).text).toMatch(/berakhir pada Senin, 16 Maret 2026/);
    expect((await say('anisa', '/keberatan 2026-13', /Format periode/)).text).toMatch(/2026-03/);

    const anisa = (await findEmployeeById(t.db.db, ids.anisa!))!;
    const printedBefore = await renderCaseDocument(t.app.deps, { caseId: march.id, requestedBy: anisa, now: clock });
    clock = new Date(clock.getTime() + 3600_000);

    await tap('anisa', list, /Ajukan keberatan: Maret 2026/);
    await next('anisa', /Ketik <b>Alasan keberatan|Ketik Alasan keberatan/);
    // Written at her pace within the window: the draft is due when the window closes (Monday 20 April, 23:59), not
    // a working day after she began, when she would be told it is late and listed in /rekap terlambat.
    const [draft] = await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'keberatan'), eq(cases.subjectId, ids.anisa!)));
    expect(draft!.slaDueAt).toEqual(new Date('2026-04-20T16:59:00Z'));
    expect((await say('anisa', 'Tidak setuju', /terlalu singkat/)).text).toMatch(/minimal 20 karakter/);
    // Length made of dots is no reason.
    expect((await say('anisa', '.'.repeat(25), /terlalu singkat/)).text).toMatch(/minimal 20 karakter/);
    t.fake.sendDocument(people.anisa.tg, { fileName: 'laporan-kunjungan.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4\n% bukti\n%%EOF\n') });
    await next('anisa', /Berkas diterima/);
    const reason = 'Target kunjungan rumah terlampaui 130%, laporan terlampir belum dipertimbangkan.';
    await say('anisa', reason, /Tersimpan dan diteruskan/);
    const [kb] = await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'keberatan'), eq(cases.subjectId, ids.anisa!)));
    expect(kb).toMatchObject({ stepNo: 2, status: 'active', period: '2026-03', assigneeId: ids.lilis });

    // /status shows it under way.
    // Its period as the ASN says it, not the stored key.
    expect((await say('anisa', '/status', /Keberatan/)).text).toMatch(/Keberatan atas Hasil Penilaian Kinerja\nPeriode: Maret 2026\n/);

    // The APP sees the reasons and the result objected to, and asks the PP.
    const ask = await next('lilis', /Tugas input/);
    expect(ask.text).toContain(reason);
    expect(ask.text).toMatch(/Hasil yang diajukan keberatan:[\s\S]*Predikat: Baik/);
    await tap('lilis', ask, /Sudah dilakukan/);

    // The PP explains (typed input).
    const explain = await next('yuliana', /Tugas input/);
    expect(explain.text).toContain(reason);
    await tap('yuliana', explain, /Isi penjelasan pejabat penilai/);
    await next('yuliana', /Ketik <b>Penjelasan pejabat penilai|Ketik Penjelasan/);
    await say('yuliana', 'Laporan kunjungan diterima setelah penilaian; capaian memang di atas target.', /Tersimpan dan diteruskan/);

    // The APP reads both sides and sets new ratings: Di Atas / Di Atas = Sangat Baik.
    const decide = await next('lilis', /Penilaian kinerja/);
    expect(decide.text).toContain(reason);
    expect(decide.text).toContain('capaian memang di atas target');
    await tap('lilis', decide, /Di Atas Ekspektasi/);
    const perilaku = await next('lilis', /pilih penilaian perilaku kerja/i);
    await tap('lilis', perilaku, /Di Atas Ekspektasi/);
    const feedback = await next('lilis', /umpan balik/);
    await tap('lilis', feedback, /Lewati/);
    const confirm = await next('lilis', /Konfirmasi penilaian/);
    expect(confirm.text).toMatch(/Predikat: Sangat Baik/);
    await tap('lilis', confirm, /Kirim penilaian/);

    // Both sides are told; final.
    const toAsn = await next('anisa', /Keputusan atas keberatan/);
    expect(toAsn.text).toMatch(/diubah.*Baik menjadi Sangat Baik/s);
    expect(toAsn.text).toMatch(/final/);
    const toPp = await next('yuliana', /Keputusan atas keberatan/);
    expect(toPp.text).toMatch(/Anisa/);
    expect(toPp.text).toMatch(/final/);

    // The result is replaced; the old one stays in its event log.
    const after = (await t.db.db.select().from(cases).where(eq(cases.id, march.id)))[0]!;
    expect(after.predikat).toBe('sangat_baik');
    expect(after.data).toMatchObject({ rating: { hasilKerja: 'di_atas', perilaku: 'di_atas', catatan: 'Cukup baik' } });
    const log = await t.db.db.select().from(caseEvents).where(eq(caseEvents.caseId, march.id)).orderBy(asc(caseEvents.id));
    expect(log.at(-1)).toMatchObject({
      action: 'keberatan_decided',
      actorId: ids.lilis,
      data: expect.objectContaining({ before: expect.objectContaining({ predikat: 'baik' }), after: expect.objectContaining({ predikat: 'sangat_baik' }) }),
    });

    // A reprint of the evaluation document is made afresh (the archived one has the old predikat).
    const printedAfter = await renderCaseDocument(t.app.deps, { caseId: march.id, requestedBy: anisa, now: clock });
    expect(printedAfter.verificationCode).not.toBe(printedBefore.verificationCode);
    expect((await renderCaseDocument(t.app.deps, { caseId: march.id, requestedBy: anisa, now: clock })).verificationCode).toBe(printedAfter.verificationCode);

    // /rekap and the export show the new predikat.
    const rekap = await say('yuliana', '/rekap 2026-03', /Rekap|rekap/);
    expect(rekap.text).toMatch(/Sangat Baik[^\n]*1/);
    t.fake.sendText(people.yuliana.tg, '/ekspor 2026-03 csv TPP');
    const csv = await t.fake.waitForMessage(people.yuliana.tg, (m) => Boolean(m.document), 20_000);
    const text = t.fake.fileContent(csv.document!.file_id)!.toString('utf8');
    const row = text.split('\r\n').find((l) => l.startsWith(people.anisa.nip))!;
    expect(row).toMatch(/;Sangat Baik;Tidak$/);

    // A second objection to the same result: decided, final.
    expect((await say('anisa', '/keberatan 2026-03', /sudah diputuskan/)).text).toMatch(/final/);
  }, 120_000);

  it('refuses an objection after the 14 days, stating the date the window closed', async () => {
    clock = new Date('2026-05-25T03:00:00Z');
    // April, acknowledged on Saturday 2 May: the window closes on Saturday 16 May, weekends counted.
    await ratedMonth('2026-04', new Date('2026-05-01T03:00:00Z'), new Date('2026-05-02T03:00:00Z'));
    const refused = await say('anisa', '/keberatan 2026-04', /tidak dapat diajukan lagi/);
    expect(refused.text).toMatch(/berakhir pada Sabtu, 16 Mei 2026/);
    expect(await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'keberatan'), eq(cases.period, '2026-04')))).toHaveLength(0);
  }, 60_000);

  it('takes an objection to the annual predikat within 14 days, and its decision replaces the annual result', async () => {
    // Tuesday 12 January 2027; the evaluation of 2026 delivered Friday 8 January, acknowledged Monday 11 January
    // (window to Monday 25 January).
    clock = new Date('2027-01-12T03:00:00Z');
    const annual = await ratedYear('2026', new Date('2027-01-08T03:00:00Z'), new Date('2027-01-11T02:00:00Z'));

    const list = await say('anisa', '/keberatan', /Keberatan atas hasil penilaian kinerja/);
    expect(list.text).toMatch(/1\. Tahun 2026 — predikat Baik\n\s+keberatan dapat diajukan sampai Senin, 25 Januari 2027/);
    expect(buttons(list).map((b) => b.text)).toEqual(['⚖️ Ajukan keberatan: Tahun 2026']);
    expect(list.text).toContain('misalnya /keberatan 2026.');

    await say('anisa', '/keberatan 2026', /Ketik <b>Alasan keberatan|Ketik Alasan keberatan/);
    const reason = 'Capaian tahunan di atas target di semua RHK utama, bukti terlampir di realisasi.';
    await say('anisa', reason, /Tersimpan dan diteruskan/);
    const [kb] = await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'keberatan'), eq(cases.period, '2026')));
    expect(kb).toMatchObject({ stepNo: 2, status: 'active', subjectId: ids.anisa, assigneeId: ids.lilis });
    expect(kb!.data).toMatchObject({ targetCaseId: annual.id });

    const ask = await next('lilis', /Tugas input[\s\S]*Capaian tahunan/);
    expect(ask.text).toMatch(/Hasil yang diajukan keberatan:[\s\S]*Predikat: Baik/);
    await tap('lilis', ask, /Sudah dilakukan/);
    const explain = await next('yuliana', /Tugas input[\s\S]*Capaian tahunan/);
    await tap('yuliana', explain, /Isi penjelasan pejabat penilai/);
    await next('yuliana', /Ketik <b>Penjelasan pejabat penilai|Ketik Penjelasan/);
    await say('yuliana', 'Bukti realisasi Desember terlambat diunggah; capaian memang melampaui target.', /Tersimpan dan diteruskan/);

    const decide = await next('lilis', /Penilaian kinerja[\s\S]*Capaian tahunan/);
    await tap('lilis', decide, /Di Atas Ekspektasi/);
    await tap('lilis', await next('lilis', /pilih penilaian perilaku kerja/i), /Di Atas Ekspektasi/);
    await tap('lilis', await next('lilis', /umpan balik/), /Lewati/);
    const confirm = await next('lilis', /Konfirmasi penilaian/);
    expect(confirm.text).toMatch(/Predikat: Sangat Baik/);
    await tap('lilis', confirm, /Kirim penilaian/);

    const toAsn = await next('anisa', /Keputusan atas keberatan[\s\S]*Tahun 2026/);
    expect(toAsn.text).toMatch(/diubah.*Baik menjadi Sangat Baik/s);

    // The annual result is replaced (the year's figures read it); the old one stays in its event log.
    const after = (await t.db.db.select().from(cases).where(eq(cases.id, annual.id)))[0]!;
    expect(after.predikat).toBe('sangat_baik');
    expect(after.data).toMatchObject({ rating: { hasilKerja: 'di_atas', perilaku: 'di_atas', catatan: 'Pertahankan' } });
    const log = await t.db.db.select().from(caseEvents).where(eq(caseEvents.caseId, annual.id)).orderBy(asc(caseEvents.id));
    expect(log.at(-1)).toMatchObject({ action: 'keberatan_decided', data: expect.objectContaining({ before: expect.objectContaining({ predikat: 'baik' }) }) });
    const rekap = await say('yuliana', '/rekap 2026', /Rekap|rekap/);
    expect(rekap.text).toMatch(/Sangat Baik[^\n]*1/);

    expect((await say('anisa', '/keberatan 2026', /sudah diputuskan/)).text).toMatch(/final/);
  }, 120_000);

  it('refuses an objection to the annual predikat after the 14 days', async () => {
    clock = new Date('2028-02-01T03:00:00Z');
    await ratedYear('2027', new Date('2028-01-05T03:00:00Z'), new Date('2028-01-06T03:00:00Z'));
    const refused = await say('anisa', '/keberatan 2027', /tidak dapat diajukan lagi/);
    expect(refused.text).toMatch(/Tahun 2027[\s\S]*berakhir pada Kamis, 20 Januari 2028/);
    expect(await t.db.db.select().from(cases).where(and(eq(cases.procedureCode, 'keberatan'), eq(cases.period, '2027')))).toHaveLength(0);
  }, 60_000);
});
