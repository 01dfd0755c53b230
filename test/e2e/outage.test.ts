// E2E: a Telegram outage (every call answered 502, then connections cut) while the notifier, a reminder run and a
// user's command are under way; when it ends, everything arrives, once each, and nothing is given up.
// The outage lasts seconds, not the hour the product is built for: the backoff and a job's patience are shortened
// by configuration so the same mechanisms (in-call backoff, outbox backoff, the reminder queue's retries) all run.
import { eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { texts } from '../../src/chat/texts/common.js';
import { employees, outbox } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import { linkPeople, until } from '../support/jobs.js';

/** Longer than a job's patience (below), so the queues' own retries carry the sends across it. */
const OUTAGE_MS = 6_000;

let t: TestApp;
let engine: EngineDeps;

const PEOPLE = {
  anisa: '199207142017032002', // subject; atasan Yuliana
  yuliana: '198601152010012007',
  melati: '199011052019022001',
  dedi: '198909092015031004',
  eko: '198410202009011003',
} as const;

const rhk = {
  rhk: [
    { id: 'r1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', indikator: 'Jumlah kunjungan', target: '1.200 kunjungan' }] },
  ],
};

beforeAll(async () => {
  t = await startTestApp({
    deployment: { calendar: { alwaysOpen: true } },
    env: { OUTGOING_RETRY_BASE_MS: '100', OUTGOING_RETRY_MAX_MS: '1000', OUTGOING_JOB_PATIENCE_MS: '1500' },
  });
  await importExampleRoster(t.db);
  engine = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
});
afterAll(async () => {
  await t?.stop();
});

describe('a Telegram outage', () => {
  it('the notifier, a reminder run and a reply wait it out: nothing lost, nothing sent twice', async () => {
    const { chat, ids } = await linkPeople(t.db, t.fake, PEOPLE, 9300);

    // Telegram goes away: first 502 pages, then connections cut.
    t.fake.simulateOutage(OUTAGE_MS / 2, 'bad_gateway');
    const cut = setTimeout(() => t.fake.simulateOutage(OUTAGE_MS / 2, 'connection'), OUTAGE_MS / 2);

    // The notifier: Anisa submits her SKP, so Yuliana gets a request.
    const c = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa, period: '2026', now: new Date() });
    await act(engine, { caseId: c.case.id, actorId: ids.anisa, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() });
    // A reminder run: the opening of the monthly realisation to everyone linked.
    const summary = await t.app.jobs.runNow('monthly-open', { date: '2026-04-01' });
    expect(summary).toMatch(/pesan/);
    // A user's command, sent while Telegram is down.
    t.fake.sendText(chat.dedi, '/profil');

    // During the outage nothing got through.
    expect(t.fake.messages(chat.yuliana)).toEqual([]);

    const opening = /Pengisian realisasi kinerja bulan Maret 2026 sudah dibuka/;
    await until(
      async () => Object.values(chat).filter((id) => t.fake.messages(id).some((m) => opening.test(m.text ?? ''))).length,
      (n) => n === Object.keys(PEOPLE).length,
      'every opening announcement delivered after the outage',
      60_000,
    );
    await t.fake.waitForMessage(chat.yuliana, (m) => /Anisa/.test(m.text ?? ''), 30_000);
    await t.fake.waitForMessage(chat.dedi, (m) => /NIP:/.test(m.text ?? ''), 30_000);
    clearTimeout(cut);
    await t.idle(30_000);
    await t.app.outgoing.idle();

    expect(t.fake.stats().outageFailures).toBeGreaterThan(0);
    for (const id of Object.values(chat)) {
      const said = t.fake.messages(id);
      // Once each: the opening announcement, and no apology for the outage.
      expect(said.filter((m) => opening.test(m.text ?? ''))).toHaveLength(1);
      expect(said.some((m) => (m.text ?? '').includes(texts.unexpectedError.slice(0, 30)))).toBe(false);
    }
    expect(t.fake.messages(chat.yuliana).filter((m) => /Anisa/.test(m.text ?? '') && /Setujui|verifikasi/i.test(m.text ?? ''))).toHaveLength(1);
    // Every notification row done, none given up; nobody marked unreachable by the outage.
    await until(async () => (await t.db.db.select().from(outbox)).filter((r) => r.doneAt === null).length, (n) => n === 0, 'outbox drained', 30_000);
    const rows = await t.db.db.select().from(outbox);
    expect(rows.filter((r) => (r.lastError ?? '').startsWith('gave up'))).toEqual([]);
    expect(await t.db.db.select().from(employees).where(isNotNull(employees.unreachableAt))).toEqual([]);
    expect((await t.db.db.select().from(employees).where(eq(employees.id, ids.yuliana)))[0]!.unreachableAt).toBeNull();
  }, 120_000);
});
