// E2E: the steps done in bulk (the pengelola gathering SKP, BKPP receiving them) are announced by one summary per
// holder and window, not a request per SKP, and are done together with /kumpulkan, by BKPP too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { fireSla } from '../../src/app/sla-fire.js';
import { slaDepsOf } from '../../jobs/processors/sla-fire.js';
import type { NotifyJobData } from '../../jobs/processors/reminder-send.js';
import { cases, employees } from '../../src/db/schema/index.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { importExampleRoster, linkPeople, replyTo, startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let engine: EngineDeps;
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 9801 },
  melati: { nip: '199011052019022001', tg: 9802 },
  rini: { nip: '199508232023212003', tg: 9803 },
  siti: { nip: '198303272008012005', tg: 9804 }, // pengelola Dinas Kesehatan
  fajar: { nip: '199103252015031001', tg: 9805 }, // BKPP admin, first by NIP: the requests go to him
  putri: { nip: '199305112019032006', tg: 9806 }, // BKPP admin too
} as const;
const ids: Record<string, string> = {};
/** The summary window here: long enough for three SKP started at a window's start to fall in it together. */
const WINDOW_MS = 3000;
/** Waits for the start of the next window (summaries are windowed on the clock), so what follows shares one. */
const atWindowStart = () => new Promise((r) => setTimeout(r, WINDOW_MS - (Date.now() % WINDOW_MS) + 50));
const rhk = { rhk: [{ id: 'r1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', target: '1.200 kunjungan' }] }] };

async function idOf(nip: string): Promise<string> {
  const [row] = await t.db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, nip));
  return row!.id;
}

/** An SKP through the ASN, the pejabat penilai and their atasan, to the pengelola's gathering step. */
async function toGathering(subject: string, atasanNip = '198601152010012007', atasanAtasanNip = '197612012002122003'): Promise<string> {
  const now = new Date();
  const yuliana = await idOf(atasanNip);
  const lilis = await idOf(atasanAtasanNip);
  let c = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: subject, period: '2026', now })).case;
  c = (await act(engine, { caseId: c.id, actorId: subject, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now })).case;
  c = (await act(engine, { caseId: c.id, actorId: yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now })).case;
  c = (await act(engine, { caseId: c.id, actorId: lilis, command: { kind: 'complete', stepNo: 5, inputs: {} }, now })).case;
  return c.id;
}

const summariesTo = (tg: number, pattern: RegExp) => t.fake.messages(tg).filter((m) => pattern.test(m.text ?? ''));
const tapLabel = (tg: number, m: BotMessage, label: RegExp) => {
  const b = (m.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat().find((x) => label.test(x.text))!;
  return t.fake.waitForCallbackAnswer(t.fake.tapButton(tg, { chatId: tg, messageId: m.message_id }, b.callback_data).callback_query.id);
};

beforeAll(async () => {
  t = await startTestApp({ env: { BATCH_SUMMARY_WINDOW_MS: String(WINDOW_MS) } });
  await importExampleRoster(t.db);
  Object.assign(ids, await linkPeople(t, PEOPLE));
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
});
afterAll(async () => {
  await t?.stop();
});

describe('steps done in bulk', () => {
  it('tells the pengelola and BKPP once per window what waits, and both finish it with /kumpulkan', async () => {
    expect((await replyTo(t, PEOPLE.fajar.tg, '/kumpulkan')).text).toBe('Tidak ada SKP yang menunggu diterima BKPP.');
    await atWindowStart();
    const three = await Promise.all([ids.anisa!, ids.melati!, ids.rini!].map((id) => toGathering(id)));

    // One summary for the three, after the window; no request per SKP.
    const summary = await t.fake.waitForMessage(PEOPLE.siti.tg, (m) => /siap dihimpun/.test(m.text ?? ''), 15_000);
    expect(summary.text).toMatch(/^📦 3 SKP siap dihimpun dan diteruskan ke BKPP\n/);
    await new Promise((r) => setTimeout(r, WINDOW_MS + 1000));
    await t.idle();
    expect(summariesTo(PEOPLE.siti.tg, /siap dihimpun/)).toHaveLength(1);
    expect(t.fake.messages(PEOPLE.siti.tg).filter((m) => m.reply_markup !== undefined)).toHaveLength(0);

    const list = await replyTo(t, PEOPLE.siti.tg, '/kumpulkan');
    expect(list.text).toMatch(/^SKP siap diteruskan ke BKPP \(3\)/);
    await atWindowStart();
    await tapLabel(PEOPLE.siti.tg, list, /Teruskan semua/);
    expect((await t.fake.waitForEdit(PEOPLE.siti.tg, list.message_id)).text).toBe('📤 3 SKP diteruskan ke BKPP.');

    // BKPP: one summary of the three forwarded, and /kumpulkan receives them together.
    const forwarded = await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /diteruskan kepada BKPP/.test(m.text ?? ''), 15_000);
    expect(forwarded.text).toMatch(/^📥 3 SKP diteruskan kepada BKPP\n\n• [^\n]+: Menerima Sasaran Kinerja PNS — 3\n\nKetik \/kumpulkan untuk menerimanya sekaligus/);
    expect(forwarded.text).toMatch(/, atau \/tugas untuk membukanya satu per satu\.$/);
    // Any BKPP admin may receive for BKPP: the other one is told too (without /tugas, which lists only what was
    // addressed to them) and sees the same list.
    const toPutri = await t.fake.waitForMessage(PEOPLE.putri.tg, (m) => /diteruskan kepada BKPP/.test(m.text ?? ''), 15_000);
    expect(toPutri.text).toMatch(/^📥 3 SKP diteruskan kepada BKPP\n[\s\S]*\n\nKetik \/kumpulkan untuk menerimanya sekaligus\.$/);
    expect((await replyTo(t, PEOPLE.putri.tg, '/kumpulkan')).text).toMatch(/^SKP yang diteruskan kepada BKPP \(3\)/);
    const received = await replyTo(t, PEOPLE.fajar.tg, '/kumpulkan');
    expect(received.text).toMatch(/^SKP yang diteruskan kepada BKPP \(3\)\nCentang yang akan diterima/);
    await tapLabel(PEOPLE.fajar.tg, received, /Terima semua/);
    expect((await t.fake.waitForEdit(PEOPLE.fajar.tg, received.message_id)).text).toBe('📥 3 SKP diterima.');
    const rows = await t.db.db.select({ status: cases.status }).from(cases).where(inArray(cases.id, three));
    expect(rows.map((r) => r.status)).toEqual(['completed', 'completed', 'completed']);
    await t.fake.waitForMessage(PEOPLE.rini.tg, (m) => /sudah selesai/.test(m.text ?? ''), 15_000);
    await new Promise((r) => setTimeout(r, WINDOW_MS + 1000));
    await t.idle();
    expect(summariesTo(PEOPLE.fajar.tg, /diteruskan kepada BKPP/)).toHaveLength(1);
    expect(summariesTo(PEOPLE.putri.tg, /^📥 \d+ SKP diteruskan kepada BKPP/)).toHaveLength(1);
  }, 90_000);

  it('sends another summary for what arrives in a later window', async () => {
    // A fourth SKP of the same perangkat daerah (Dedi, under Eko and Hendro), a window later: its own summary,
    // counting what waits now.
    await toGathering(await idOf('198909092015031004'), '198410202009011003', '198108102006041004');
    const second = await t.fake.waitForMessage(PEOPLE.siti.tg, (m) => /siap dihimpun/.test(m.text ?? '') && /^📦 1 SKP/.test(m.text ?? ''), 15_000);
    expect(second.text).toMatch(/— 1\n/);
    expect(summariesTo(PEOPLE.siti.tg, /siap dihimpun/)).toHaveLength(2);
  }, 60_000);

  it('says a late backlog once a day per point, not once per case, without per-case buttons', async () => {
    // Dedi's SKP waits at the gathering step since the test before; Rizky's joins it. Both pass their deadline.
    const rizky = await toGathering(await idOf('199412302024211002'), '198410202009011003', '198108102006041004');
    const waiting = await t.db.db.select().from(cases).where(eq(cases.stepNo, 6));
    expect(waiting.map((c) => c.id)).toContain(rizky);
    const queued: NotifyJobData[] = [];
    const deps = slaDepsOf(
      { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures, now: () => new Date(Date.now() + 5 * 86_400_000) },
      'Asia/Jakarta',
      async (items) => (queued.push(...items), items.length),
    );
    for (const c of waiting) await fireSla({ caseId: c.id, stepNo: 6, revision: c.revision, version: c.version, pct: 100 }, deps);
    // Each case fires its 75 % and 100 % points, and each point has one run key for both cases that day: the reminder
    // sender's claim lets one message per point out. Five days on, the 75 % reminder ("mendekati batas waktu") is
    // no longer sent beside the overdue one.
    const toSiti = queued.filter((q) => q.employeeId === ids.siti);
    const byKey = new Map<string, NotifyJobData[]>();
    for (const q of toSiti) byKey.set(q.runKey, [...(byKey.get(q.runKey) ?? []), q]);
    expect([...byKey.keys()].map((k) => k.replace(/\d{4}-\d{2}-\d{2}$/, 'DAY')).sort()).toEqual(['batch:skp-banyuwangi:6:100:DAY']);
    expect([...byKey.values()].map((v) => v.length)).toEqual([2]);
    const overdue = toSiti.find((q) => q.runKey.includes(':100:'))!;
    expect(overdue.text).toMatch(/^⚠️ <b>Batas waktu terlewati<\/b>\n\nPengajuan yang menunggu Bapak\/Ibu pada Langkah 6: [\s\S]*sudah melewati batas waktunya[\s\S]*Ketik \/kumpulkan untuk menyelesaikannya sekaligus\. Pemberitahuan ini dikirim sekali sehari untuk langkah ini\.$/);
    expect(toSiti.every((q) => q.replyMarkup === undefined)).toBe(true);
    // At 200 % the step escalates to the holder's atasan and the pengelola: Siti is both holder and pengelola, so she
    // is not escalated to about her own step; the others are.
    queued.length = 0;
    for (const c of waiting) await fireSla({ caseId: c.id, stepNo: 6, revision: c.revision, version: c.version, pct: 200 }, deps);
    const escalated = queued.filter((q) => q.runKey.includes(':200:'));
    expect(escalated.length).toBeGreaterThan(0);
    expect(escalated.filter((q) => q.employeeId === ids.siti)).toEqual([]);
  }, 60_000);
});
