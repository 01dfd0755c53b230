// E2E: a perangkat daerah that evaluates per triwulan: /realisasi 2026-T2 through the rating to the printed document.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { cases } from '../../src/db/schema/index.js';
import { importExampleRoster, linkPeople, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { pdfPagesText } from '../support/pdf-text.js';

let t: TestApp;
let engine: EngineDeps;
// Thursday 2 July 2026, 09:00 WIB: Triwulan II has ended, its deadline (5 July, a Sunday, so Monday 6 July) runs.
const now = new Date('2026-07-02T02:00:00Z');

// From examples/roster.csv, all in Dinas Kesehatan: Anisa's pejabat penilai is Yuliana, whose atasan is Lilis.
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 9701 },
  yuliana: { nip: '198601152010012007', tg: 9702 },
  lilis: { nip: '197612012002122003', tg: 9703 },
} as const;
type Person = keyof typeof PEOPLE;
let ids: Record<string, string> = {};

type Button = { text: string; callback_data: string };
const buttons = (m: BotMessage): Button[] => ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const waitFor = (person: Person, pattern: RegExp) =>
  t.fake.waitForMessage(PEOPLE[person].tg, (m) => m.method === 'sendMessage' && pattern.test(m.text ?? ''));

async function say(person: Person, text: string, reply: RegExp): Promise<BotMessage> {
  t.fake.sendText(PEOPLE[person].tg, text);
  return waitFor(person, reply);
}

async function tap(person: Person, message: BotMessage, label: RegExp): Promise<void> {
  const button = buttons(message).find((b) => label.test(b.text));
  if (!button) throw new Error(`no button ${label} in: ${buttons(message).map((b) => b.text).join(' | ')}`);
  const chat = PEOPLE[person].tg;
  const update = t.fake.tapButton(chat, { chatId: chat, messageId: message.message_id }, button.callback_data);
  await t.fake.waitForCallbackAnswer(update.callback_query.id);
}

beforeAll(async () => {
  t = await startTestApp({
    now: () => now,
    deployment: {
      procedures: {
        skpAnnual: 'skp-banyuwangi',
        monthly: 'bulanan-tangerang',
        mixAgencies: true,
        perUnit: { 'Dinas Kesehatan': { periodic: { period: 'triwulanan' } } },
      },
    },
  });
  await importExampleRoster(t.db);
  ids = await linkPeople(t, PEOPLE);
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  // Anisa's SKP 2026, established through the engine as the atasan chain would in the chat.
  const inputs = { rhk: [{ id: 'a1a1a1a1', text: 'Terlaksananya asuhan keperawatan sesuai standar', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '36 laporan' }] }] };
  const opened = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now });
  let c = (await act(engine, { caseId: opened.case.id, actorId: ids.anisa!, command: { kind: 'complete', stepNo: 3, inputs }, now })).case;
  c = (await act(engine, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now })).case;
  await act(engine, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now });
});
afterAll(async () => {
  await t?.stop();
});

describe('a triwulan perangkat daerah', () => {
  it('refuses a month with the form that fits, then reports, rates and prints Triwulan II', async () => {
    const refused = await say('anisa', '/realisasi 2026-05', /menilai per triwulan/);
    expect(refused.text).toContain('Perangkat daerah Bapak/Ibu menilai per triwulan. Ketik periode seperti 2026-T2');
    expect(await t.db.db.select().from(cases).where(eq(cases.procedureCode, 'bulanan-tangerang'))).toHaveLength(0);

    const intro = await say('anisa', '/realisasi 2026-t2', /Realisasi Triwulan II 2026/);
    expect(intro.text).toContain('Batas pengisian: Senin, 6 Juli 2026 pukul 23.59 WIB');
    await waitFor('anisa', /RHK 1 dari 1/);
    await say('anisa', '35 laporan', /Kirim bukti dukung/);
    t.fake.sendDocument(PEOPLE.anisa.tg, { fileName: 'laporan-triwulan.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.7\n% tw2\n%%EOF\n') });
    await tap('anisa', await waitFor('anisa', /Bukti diterima/), /Selesai/);
    await tap('anisa', await waitFor('anisa', /Ringkasan realisasi Triwulan II 2026/), /Kirim/);
    expect((await waitFor('anisa', /sudah dikirim/)).text).toContain('Realisasi Triwulan II 2026 sudah dikirim');
    const [row] = await t.db.db.select().from(cases).where(and(eq(cases.subjectId, ids.anisa!), eq(cases.period, '2026-T2')));
    expect(row).toMatchObject({ procedureCode: 'bulanan-tangerang', stepNo: 4, late: false });

    const request = await waitFor('yuliana', /Penilaian kinerja/);
    expect(request.text).toContain('Triwulan II 2026');
    await tap('yuliana', request, /Sesuai Ekspektasi/);
    await tap('yuliana', await waitFor('yuliana', /pilih penilaian perilaku kerja/i), /Di Atas Ekspektasi/);
    await waitFor('yuliana', /umpan balik/);
    const confirm = await say('yuliana', 'Laporan lengkap, pertahankan.', /Konfirmasi penilaian/);
    expect(confirm.text).toMatch(/Predikat: Baik/);
    await tap('yuliana', confirm, /Kirim penilaian/);
    await waitFor('yuliana', /Penilaian untuk .* tersimpan/);
    const [rated] = await t.db.db.select().from(cases).where(eq(cases.id, row!.id));
    expect(rated!.predikat).toBe('baik');

    // The atasan's recap of the triwulan, typed in any case.
    const recap = await say('yuliana', '/rekap 2026-t2', /Rekap kinerja/);
    expect(recap.text).toContain('Rekap kinerja — Triwulan II 2026');
    expect(recap.text).toMatch(/Realisasi Triwulan II 2026: tepat waktu 1 · terlambat 0/);

    const list = await say('anisa', '/cetak', /Cetak dokumen/);
    await tap('anisa', list, /Evaluasi Kinerja Triwulan II 2026/);
    const sent = await t.fake.waitForMessage(PEOPLE.anisa.tg, (m) => m.method === 'sendDocument');
    expect(sent.document!.file_name).toBe('Evaluasi_2026-T2_199207142017032002_revisi-1.pdf');
    const text = pdfPagesText(sent.document!.content!).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('PERIODE: TRIWULAN II');
    expect(text).toContain('1 APRIL 2026 SD 30 JUNI 2026');
    expect(text).toContain('35 laporan');
    expect(text).not.toContain('2026-T2');
  });
});
