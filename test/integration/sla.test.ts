// Integration: SLA timers on real Postgres + Redis with second-long SLAs on a 24/7 calendar: the cadence fires in
// order to the right people, is logged, honours a Plh, and never fires for a step that was left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { createJobs, type Jobs, type JobsDeps } from '../../jobs/index.js';
import { remindersModule } from '../../jobs/reminders.js';
import { slaModule } from '../../jobs/sla.js';
import { fireSla, type SlaEventData, type SlaMessageToSend } from '../../src/app/sla-fire.js';
import { slaTimersOfOpenCases } from '../../src/app/sla-timers.js';
import { slaJobId } from '../../jobs/processors/sla-fire.js';
import { act, openCase } from '../../src/app/case-engine.js';
import { createDelegation, parseDelegationArgs } from '../../src/app/delegation.js';
import { overdueSteps } from '../../src/app/reports.js';
import { createCaseNotifier, TelegramUnreachable } from '../../src/chat/notifier.js';
import { overdueText } from '../../src/chat/texts/reports.js';
import { findEmployeeById } from '../../src/app/repositories/employees.js';
import { caseEvents, cases, employees, outbox, reminderLog } from '../../src/db/schema/index.js';
import { inArray } from 'drizzle-orm';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { dispatchSlaOutbox, flushRedisPrefix, linkPeople, slaEventsOf, testJobsDeps, until } from '../support/jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { FakeTelegram } from '../support/fake-telegram.js';

const NIP = {
  anisa: '199207142017032002', // subject; atasan Yuliana
  melati: '199011052019022001', // subject; atasan Yuliana
  rini: '199508232023212003', // subject; atasan Yuliana
  yuliana: '198601152010012007', // pejabat penilai (step 4)
  lilis: '197612012002122003', // Yuliana's atasan (step 5)
  siti: '198303272008012005', // pengelola Dinas Kesehatan
  fajar: '199103252015031001', // BKPP admin
  putri: '199305112019032006', // BKPP admin
  eko: '198410202009011003', // another kepala seksi: Yuliana's Plh; atasan of Dedi and Rizky
  hendro: '198108102006041004', // Eko's atasan
  dedi: '198909092015031004', // subject; atasan Eko
  rizky: '199412302024211002', // subject; atasan Eko
};
type Who = keyof typeof NIP;
let ids = {} as Record<Who, string>;
let chat = {} as Record<Who, number>;
const rhk = { rhk: [{ jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer' }] };

let db: TestDatabase;
let fake: FakeTelegram;
let redis: Redis;
let deps: JobsDeps;
let jobs: Jobs;
const prefix = `tsla${process.pid}_${randomBytes(3).toString('hex')}`;

const flushPrefix = (p = prefix) => flushRedisPrefix(redis, p);

const dispatchOutbox = () => dispatchSlaOutbox(db, deps);

const engine = () => ({ db: db.db, calendar: deps.calendar, procedures: deps.procedures });
const slaQueue = () => jobs.modules.find((m) => m.name === 'sla')!.queues![0]! as Queue;

const slaEvents = (caseId: string) => slaEventsOf(db, caseId);


/** Opens the subject's SKP and submits it: the case waits on step 4 (the pejabat penilai) at version 2. */
async function caseAtStep4(subject: Who, assignee: Who = 'yuliana') {
  const opened = await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId: ids[subject], period: '2026', now: new Date() });
  const done = await act(engine(), { caseId: opened.case.id, actorId: ids[subject], command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() });
  expect(done.case).toMatchObject({ stepNo: 4, version: 2, assigneeId: ids[assignee] });
  return done.case;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  fake = await FakeTelegram.start();
  ({ chat, ids } = await linkPeople(db, fake, NIP, 8100));
  const config = buildTestConfig(
    { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL },
    {
      calendar: { alwaysOpen: true },
      procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang', mixAgencies: true, sla: { 'skp-banyuwangi': { '3': '1h', '4': '2s', '5': '1h' } } },
    },
  );
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  deps = testJobsDeps({ db, fake, config, redis, prefix });
  jobs = await createJobs(deps, [slaModule, remindersModule]);
});

afterAll(async () => {
  await jobs?.close();
  if (redis) await flushPrefix();
  await redis?.quit();
  await fake?.stop();
  await db?.drop();
});

describe('SLA cadence', () => {
  it('fires 75 %, 100 %, 200 %, 300 % in order to the right people, logs each and marks the case overdue', async () => {
    const c = await caseAtStep4('anisa');
    await dispatchOutbox();
    const events = await until(() => slaEvents(c.id), (e) => e.length >= 4, '4 SLA events');
    expect(events.map((e) => [e.action, (e.data as unknown as SlaEventData).pct])).toEqual([
      ['sla_reminder', 75],
      ['sla_overdue', 100],
      ['sla_escalation', 200],
      ['sla_escalation', 300],
    ]);
    const to = events.map((e) => [...(e.data as unknown as SlaEventData).to].sort());
    expect(to).toEqual([[ids.yuliana], [ids.yuliana], [ids.lilis, ids.siti].sort(), [ids.fajar, ids.putri].sort()]);
    for (const e of events) {
      const data = e.data as unknown as SlaEventData;
      expect(data).toMatchObject({ version: 2, stepNo: 4 });
      // Never early: each point fires at or after its working-time instant.
      expect(e.at.getTime()).toBeGreaterThanOrEqual(new Date(data.scheduledAt).getTime());
    }
    const [row] = await db.db.select().from(cases).where(eq(cases.id, c.id));
    expect(row!.overdueAt).toBeInstanceOf(Date);

    const heads = await fake.waitForMessage(chat.yuliana, (m) => /Pengingat/.test(m.text ?? ''), 10_000);
    expect(heads.text).toMatch(/Langkah 4/);
    expect(heads.text).toMatch(/Anisa Fitriani/);
    expect(heads.text).toMatch(/WIB/);
    expect(heads.text).toMatch(/waktu kerja/);
    const overdue = await fake.waitForMessage(chat.yuliana, (m) => /Batas waktu terlewati/.test(m.text ?? ''), 10_000);
    expect(overdue.text).toMatch(/Anisa Fitriani/);
    for (const who of ['lilis', 'siti', 'fajar', 'putri'] as const) {
      const m = await fake.waitForMessage(chat[who], (x) => /Eskalasi/.test(x.text ?? ''), 10_000);
      expect(m.text).toMatch(/Anisa Fitriani/);
      expect(m.text).toMatch(/Yuliana Pertiwi/);
      // They can act on it: remind the holder, read the case, or list everything late.
      expect(m.text).toContain('/rekap terlambat');
      const labels = ((m.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard ?? []).flat();
      expect(labels.map((b) => b.text)).toEqual(['🔔 Ingatkan', '📄 Rincian']);
      expect(labels.map((b) => b.callback_data)).toEqual([`rk:r:${c.id}:2`, `cs:dt:${c.id}:2`]);
    }
    // The holder's own reminders have no such buttons (their request message carries the real ones).
    expect(heads.reply_markup ?? null).toBeNull();
    const logged = await until(
      () => db.db.select().from(reminderLog).where(eq(reminderLog.caseId, c.id)),
      (rows) => rows.length >= 6,
      '6 reminder_log rows',
    );
    expect(logged).toHaveLength(6);
    // Nobody else heard about it: the subject's own step is done, the Plh is not involved.
    expect(fake.messages(chat.anisa).filter((m) => /Eskalasi|Pengingat|Batas waktu/.test(m.text ?? ''))).toHaveLength(0);
    expect(fake.messages(chat.eko)).toHaveLength(0);
  });

  it('fires a point once even when its job runs twice', async () => {
    const [c] = await db.db.select().from(cases).where(and(eq(cases.subjectId, ids.anisa), eq(cases.period, '2026')));
    const again = await fireSla({ caseId: c!.id, stepNo: 4, revision: 1, version: 2, pct: 200 }, {
      db: db.db,
      calendar: deps.calendar,
      procedures: deps.procedures,
      now: deps.now,
      send: async (messages) => {
        throw new Error(`nothing should be queued again, got ${messages.length}`);
      },
    });
    expect(again).toMatchObject({ status: 'already', fired: [], queued: 0 });
    expect(await slaEvents(c!.id)).toHaveLength(4);
  });
});

describe('timers that catch up', () => {
  it('after the deadline send the overdue message, not the reminder before it', async () => {
    const opened = await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa, period: '2028', now: new Date() });
    const c = (await act(engine(), { caseId: opened.case.id, actorId: ids.anisa, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() })).case;
    // The 100 % timer runs an hour late (the bot was down): the 75 % point is logged with it, but its "mendekati
    // batas waktu" is not sent beside "sudah terlewati".
    const sent: SlaMessageToSend[] = [];
    const late = new Date(Date.now() + 3_600_000);
    const fired = await fireSla({ caseId: c.id, stepNo: 4, revision: 1, version: c.version, pct: 100 }, {
      db: db.db,
      calendar: deps.calendar,
      procedures: deps.procedures,
      now: () => late,
      send: async (messages) => (sent.push(...messages), messages.length),
    });
    expect(fired).toMatchObject({ status: 'fired', fired: [75, 100], queued: 1 });
    expect(sent.map((m) => [m.facts.pct, m.employeeId])).toEqual([[100, ids.yuliana]]);
    // Leaving the step makes the real timers of the case stale.
    await act(engine(), { caseId: c.id, actorId: ids.yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: new Date() });
  });
});

describe('leaving the step', () => {
  it('cancel_sla ends the pending timers of the step that was left; they stay visible as stale', async () => {
    const c4 = await caseAtStep4('melati');
    // Approve at once, before any timer of step 4 could fire; step 5 (the atasan PP) has a 1 h SLA.
    const at5 = await act(engine(), { caseId: c4.id, actorId: ids.yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: new Date() });
    expect(at5.case).toMatchObject({ stepNo: 5, version: 3, assigneeId: ids.lilis });
    await dispatchOutbox();
    const q = slaQueue();
    const pcts = [75, 100, 200, 300];
    // The row for step 4 was handled after the case had moved on: no timer for version 2 at all.
    for (const pct of pcts) expect(await q.getJob(slaJobId({ caseId: c4.id, stepNo: 4, version: 2, pct }))).toBeUndefined();
    for (const pct of pcts) expect(await q.getJob(slaJobId({ caseId: c4.id, stepNo: 5, version: 3, pct }))).toBeDefined();
    // A cancel written before these timers were started (a transition at version 3 or earlier that left step 5 of
    // this revision, handled late) does not touch them.
    await db.db.insert(outbox).values({ caseId: c4.id, kind: 'cancel_sla', payload: { stepNo: 5, revision: at5.case.revision, version: 3 } });
    await dispatchOutbox();
    for (const pct of pcts) expect(await (await q.getJob(slaJobId({ caseId: c4.id, stepNo: 5, version: 3, pct })))!.isDelayed()).toBe(true);

    await act(engine(), { caseId: c4.id, actorId: ids.lilis, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: new Date() });
    await dispatchOutbox();
    // Nothing waits any more; each timer ran at once, fired nothing, and is kept for the operations page.
    const ended = await until(
      () => Promise.all(pcts.map((pct) => q.getJob(slaJobId({ caseId: c4.id, stepNo: 5, version: 3, pct })))),
      (js) => js.every((j) => j?.finishedOn !== undefined),
      'the left step\'s timers to finish',
    );
    expect(ended.map((j) => (j!.returnvalue as { status: string }).status)).toEqual(['stale', 'stale', 'stale', 'stale']);
    // Marked as left by the cancel, so their runs did not need to read the case.
    expect(ended.map((j) => j!.data.left)).toEqual([true, true, true, true]);
    expect((await slaEvents(c4.id)).filter((e) => (e.data as { stepNo?: number } | null)?.stepNo === 5)).toHaveLength(0);
  });

  it('a timer that outlived its step (a lost cancel) fires nothing', async () => {
    const [c] = await db.db.select().from(cases).where(and(eq(cases.subjectId, ids.melati), eq(cases.period, '2026')));
    const q = slaQueue();
    // Re-create the step-4 timers of version 2 as if the cancel had been lost.
    for (const pct of [75, 100, 200, 300]) {
      await q.add('sla-fire', { caseId: c!.id, stepNo: 4, revision: 1, version: 2, pct }, { jobId: slaJobId({ caseId: c!.id, stepNo: 4, version: 2, pct }), delay: pct });
    }
    const states = await until(
      () => Promise.all([75, 100, 200, 300].map((pct) => q.getJob(slaJobId({ caseId: c!.id, stepNo: 4, version: 2, pct })))),
      (js) => js.every((j) => j?.finishedOn !== undefined),
      'stale timers to finish',
    );
    expect(states.map((j) => (j!.returnvalue as { status: string }).status)).toEqual(['stale', 'stale', 'stale', 'stale']);
    expect(await slaEvents(c!.id)).toHaveLength(0);
    expect(fake.messages(chat.lilis).filter((m) => /Melati/.test(m.text ?? ''))).toHaveLength(0);
  });
});

describe('leave and delegation', () => {
  it('sends the assignee’s reminders to the Plh while they are on leave, and says so', async () => {
    // The step was assigned to Yuliana before her leave was recorded; the timers are handled after.
    const c = await caseAtStep4('rini');
    const yuliana = (await findEmployeeById(db.db, ids.yuliana))!;
    const today = deps.calendar.localDate(new Date());
    const dmy = `${today.slice(8, 10)}-${today.slice(5, 7)}-${today.slice(0, 4)}`;
    await createDelegation(db.db, { employee: yuliana, request: parseDelegationArgs(`${NIP.eko} ${dmy} ${dmy} cuti`), today, now: new Date() });
    const before = fake.messages(chat.yuliana).length;
    await dispatchOutbox();
    const events = await until(() => slaEvents(c.id), (e) => e.length >= 4, '4 SLA events');
    const first = events[0]!.data as unknown as SlaEventData;
    expect(first.to).toEqual([ids.eko]);
    expect(first.recipients).toEqual([{ id: ids.eko, role: 'assignee', onBehalfOf: ids.yuliana }]);
    // Escalation goes to Yuliana's own atasan (Lilis) and the pengelola, as for anyone else.
    expect([...(events[2]!.data as unknown as SlaEventData).to].sort()).toEqual([ids.lilis, ids.siti].sort());

    const m = await fake.waitForMessage(chat.eko, (x) => /Pengingat/.test(x.text ?? ''), 10_000);
    expect(m.text).toMatch(/Rini Oktaviani/);
    expect(m.text).toMatch(/Plh Yuliana Pertiwi/);
    await fake.waitForMessage(chat.eko, (x) => /Batas waktu terlewati/.test(x.text ?? ''), 10_000);
    await until(
      () => db.db.select({ n: sql<number>`count(*)::int` }).from(reminderLog).where(eq(reminderLog.caseId, c.id)),
      (r) => r[0]!.n >= 6,
      'all messages of the case',
    );
    expect(fake.messages(chat.yuliana).length).toBe(before);
  });
});

describe('someone who cannot be reached', () => {
  const setUnreachable = (who: Who[], at: Date | null) =>
    db.db.update(employees).set({ unreachableAt: at }).where(inArray(employees.id, who.map((w) => ids[w])));
  const reportDeps = () => ({ db: db.db, calendar: deps.calendar, procedures: deps.procedures });

  it('has the nearest reachable atasan told instead, who is told for whom; /rekap terlambat names them', async () => {
    // A BKPP admin has no stand-in: /rekap terlambat says the escalation did not reach her, not that it was passed on.
    await setUnreachable(['eko', 'putri'], new Date());
    try {
      const c = await caseAtStep4('rizky', 'eko');
      await dispatchOutbox();
      const events = await until(() => slaEvents(c.id), (e) => e.length >= 4, '4 SLA events');
      const first = events[0]!.data as unknown as SlaEventData;
      expect(first.notReached).toEqual([ids.eko]);
      expect(first.to).toEqual([ids.hendro]);
      expect(first.recipients).toEqual([
        { id: ids.eko, role: 'assignee', onBehalfOf: null },
        { id: ids.hendro, role: 'stand_in', onBehalfOf: null, standInFor: ids.eko },
      ]);
      const m = await fake.waitForMessage(chat.hendro, (x) => /pengganti/.test(x.text ?? ''), 10_000);
      expect(m.text).toMatch(/Eko Prasetyo/);
      expect(m.text).toMatch(/Rizky Ramadhan/);
      expect(m.text).toMatch(/tidak dapat dihubungi/);
      expect(m.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(fake.messages(chat.eko).filter((x) => /Rizky/.test(x.text ?? ''))).toHaveLength(0);

      const { rows } = await overdueSteps(reportDeps(), { scope: { kind: 'all' }, now: new Date() });
      const row = rows.find((r) => r.caseId === c.id)!;
      expect(row).toMatchObject({ holderNama: expect.stringMatching(/Eko Prasetyo/), holderUnreachable: true });
      expect((events[3]!.data as unknown as SlaEventData).notReached).toEqual([ids.putri]);
      expect(row.notReached).toEqual([
        { nama: expect.stringMatching(/Eko Prasetyo/), standIn: true },
        { nama: expect.stringMatching(/Putri Ayu Lestari/), standIn: false },
      ]);
      // What BKPP reads under /rekap terlambat.
      const text = overdueText([row], 1, 0, null, ids.fajar);
      expect(text).toMatch(/Pemegang: Eko Prasetyo[^\n]*tidak dapat dihubungi/);
      expect(text).toMatch(/\n   🚫 Tidak dapat dihubungi: Eko Prasetyo, S\.KM \(pesan diteruskan kepada pengganti\)\n/);
      expect(text).toMatch(/\n   📵 Pengingat tidak sampai kepada: Putri Ayu Lestari, S\.AP \(belum tertaut Telegram atau tidak dapat dihubungi\)/);
    } finally {
      await setUnreachable(['eko', 'putri'], null);
    }
  });

  it('falls back to the BKPP admins when nobody up the chain can be reached', async () => {
    await setUnreachable(['eko', 'hendro'], new Date());
    try {
      const c = await caseAtStep4('dedi', 'eko');
      await dispatchOutbox();
      const events = await until(() => slaEvents(c.id), (e) => e.length >= 4, '4 SLA events');
      const first = events[0]!.data as unknown as SlaEventData;
      expect(first.notReached).toEqual([ids.eko]);
      expect([...first.to].sort()).toEqual([ids.fajar, ids.putri].sort());
      for (const who of ['fajar', 'putri'] as const) {
        const m = await fake.waitForMessage(chat[who], (x) => /pengganti/.test(x.text ?? '') && /Dedi Kurniawan/.test(x.text ?? ''), 10_000);
        expect(m.text).toMatch(/Eko Prasetyo/);
      }
    } finally {
      await setUnreachable(['eko', 'hendro'], null);
    }
  });

  it('has a step request Telegram refuses (the holder blocked the bot) passed to a stand-in, who is told for whom', async () => {
    const [c] = await db.db.select().from(cases).where(and(eq(cases.subjectId, ids.rizky), eq(cases.period, '2026')));
    expect(c).toMatchObject({ stepNo: 4, assigneeId: ids.eko });
    fake.blockBot(chat.eko);
    try {
      const notifier = createCaseNotifier(deps);
      await expect(notifier.handle({ to: ids.eko, template: 'step_assigned', version: c!.version }, c!.id, new Date())).rejects.toBeInstanceOf(TelegramUnreachable);
      const [eko] = await db.db.select().from(employees).where(eq(employees.id, ids.eko));
      expect(eko!.unreachableAt).toBeInstanceOf(Date);
      const m = await fake.waitForMessage(chat.hendro, (x) => /Permintaan tidak tersampaikan/.test(x.text ?? ''), 10_000);
      expect(m.text).toMatch(/Rizky Ramadhan/);
      expect(m.text).toMatch(/Eko Prasetyo[^\n]*tidak dapat dihubungi/);
      expect(m.text).toMatch(/pengganti/);
      expect(m.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    } finally {
      fake.unblockBot(chat.eko);
      await setUnreachable(['eko'], null);
    }
  });
});

describe('a reminder logged before a notice is delivered', () => {
  it('leaves the return notice naming who returned it, and when', async () => {
    // 28 December: Yuliana returns Anisa's SKP of 2025; by the time the notice goes out, a reminder of the returned
    // step has been logged (as an SLA point does, with no actor) on 4 January.
    const december = new Date('2025-12-28T03:00:00Z');
    const opened = await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa, period: '2025', now: december });
    const sent = await act(engine(), { caseId: opened.case.id, actorId: ids.anisa, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: december });
    const returned = await act(engine(), {
      caseId: sent.case.id,
      actorId: ids.yuliana,
      command: { kind: 'return', stepNo: 4, reason: 'Target kunjungan belum sesuai RKT' },
      now: december,
    });
    await db.db.insert(caseEvents).values({
      caseId: returned.case.id,
      at: new Date('2026-01-04T02:00:00Z'),
      actorId: null,
      action: 'sla_reminder',
      fromStepNo: 3,
      toStepNo: 3,
      revision: returned.case.revision,
      comment: 'SLA 75%',
      data: {},
    });
    const last = Math.max(0, ...fake.messages(chat.anisa).map((m) => m.message_id));
    await createCaseNotifier(deps).handle({ to: ids.anisa, template: 'case_returned', version: returned.case.version }, returned.case.id, december);
    const notice = await fake.waitForMessage(chat.anisa, (m) => m.message_id > last);
    expect(notice.text).toMatch(/dikembalikan oleh Yuliana Pertiwi/);
    // Returned in December: sent again with /skp until 31 December, with /skp 2025 from January.
    expect(notice.text).toMatch(/\/skp \(mulai 1 Januari 2026: \/skp 2025\)\.$/);
  });
});

describe('a step due before the end of its SLA (a deployment deadline, as the annual evaluation sets)', () => {
  it('queues the timer of the step at that due date, as reconcile rebuilds it, not at the end of the SLA', async () => {
    // Step 3 (the subject drafts the SKP) has an hour's SLA and one point, at 100 %; the deadline cuts it to ten minutes.
    const now = new Date();
    const dueBy = new Date(now.getTime() + 10 * 60_000);
    const opened = await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId: ids.rini, period: '2027', now, dueBy });
    const c = opened.case;
    expect(c.stepNo).toBe(3);
    expect(c.slaDueAt!.getTime()).toBe(dueBy.getTime());
    await dispatchOutbox();
    const job = await slaQueue().getJob(slaJobId({ caseId: c.id, stepNo: c.stepNo, version: c.version, pct: 100 }));
    expect(job).toBeTruthy();
    const queuedAt = job!.timestamp + (job!.opts.delay ?? 0);
    // (a few ms of queueing aside)
    expect(Math.abs(queuedAt - dueBy.getTime())).toBeLessThan(2_000);
    const rebuilt = (await slaTimersOfOpenCases(engine())).timers.filter((t) => t.c.id === c.id);
    expect(rebuilt.map((t) => t.pct)).toEqual([100]);
    expect(Math.abs(rebuilt[0]!.fireAt.getTime() - queuedAt)).toBeLessThan(2_000);
  });
});
