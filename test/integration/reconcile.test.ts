// Integration: Redis holds only what Postgres can rebuild. After the queue keys are deleted (this file's prefix only)
// and the job modules restart, reconcile() re-creates every pending SLA timer at its original time, fires what is
// already due at once and in order, re-sends messages lost with Redis, and re-upserts the daily scheduler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { createJobs, type Jobs, type JobsDeps } from '../../jobs/index.js';
import { DAILY_SCHEDULER_ID, remindersModule } from '../../jobs/reminders.js';
import { slaModule } from '../../jobs/sla.js';
import { fireSla, type SlaEventData } from '../../src/app/sla-fire.js';
import { slaCadence } from '../../src/domain/sla.js';
import { slaJobId } from '../../jobs/processors/sla-fire.js';
import { act, openCase } from '../../src/app/case-engine.js';
import { DAILY_CHECK_PATTERN } from '../../src/app/reminders.js';
import { cases, outbox, reminderLog } from '../../src/db/schema/index.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { dispatchSlaOutbox, flushRedisPrefix, linkPeople, slaEventsOf, testJobsDeps, until } from '../support/jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { FakeTelegram } from '../support/fake-telegram.js';

const NIP = {
  anisa: '199207142017032002',
  melati: '199011052019022001',
  rini: '199508232023212003',
  dedi: '198909092015031004', // atasan Eko
  yuliana: '198601152010012007',
  lilis: '197612012002122003',
  siti: '198303272008012005',
  fajar: '199103252015031001',
  putri: '199305112019032006',
  eko: '198410202009011003',
  hendro: '198108102006041004', // Eko's atasan
};
type Who = keyof typeof NIP;
let ids = {} as Record<Who, string>;
let chat = {} as Record<Who, number>;
const rhk = { rhk: [{ jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer' }] };
const PCTS = [75, 100, 200, 300];

let db: TestDatabase;
let fake: FakeTelegram;
let redis: Redis;
let deps: JobsDeps;
let jobs: Jobs;
const prefix = `trec${process.pid}_${randomBytes(3).toString('hex')}`;

const flushPrefix = (p = prefix) => flushRedisPrefix(redis, p);

const dispatchOutbox = () => dispatchSlaOutbox(db, deps);

const engine = () => ({ db: db.db, calendar: deps.calendar, procedures: deps.procedures });
const queueOf = (module: string, index = 0) => jobs.modules.find((m) => m.name === module)!.queues![index]! as Queue;

const slaEvents = (caseId: string) => slaEventsOf(db, caseId);


async function caseAtStep4(subject: Who) {
  const opened = await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId: ids[subject], period: '2026', now: new Date() });
  const done = await act(engine(), { caseId: opened.case.id, actorId: ids[subject], command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() });
  expect(done.case.stepNo).toBe(4);
  return done.case;
}

async function restartJobs(): Promise<void> {
  await jobs.close();
  jobs = await createJobs(deps, [slaModule, remindersModule]);
}

/**
 * Waits until no reminder is waiting, delayed or being sent. A send in flight when Redis is flushed can leave a job
 * marked active with no worker on it; BullMQ's stall check (every 30 s) hands it back, so the wait outlasts one.
 */
async function notifyIdle(): Promise<void> {
  await until(
    () => queueOf('reminders', 1).getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    (c) => Object.values(c).every((n) => n === 0),
    'the send queue to drain',
    45_000,
  );
}

const slaMessages = (who: Who, subject: RegExp) => fake.messages(chat[who]).filter((m) => subject.test(m.text ?? '') && /Langkah 4/.test(m.text ?? ''));

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  fake = await FakeTelegram.start();
  ({ chat, ids } = await linkPeople(db, fake, NIP, 8200));
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
  await jobs.reconcile();
});

afterAll(async () => {
  await jobs?.close();
  if (redis) await flushPrefix();
  await redis?.quit();
  await fake?.stop();
  await db?.drop();
});

describe('after Redis lost everything', () => {
  it('re-creates pending timers at their original times; each point fires once, none is missed', async () => {
    // Case A waits on step 4 (2 s SLA); case B on step 5 (1 h SLA).
    const a = await caseAtStep4('anisa');
    const b4 = await caseAtStep4('melati');
    const b = (await act(engine(), { caseId: b4.id, actorId: ids.yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: new Date() })).case;
    expect(b).toMatchObject({ stepNo: 5, version: 3 });
    await dispatchOutbox();
    await until(() => slaEvents(a.id), (e) => e.length >= 1, 'the 75 % point of case A');

    await flushPrefix();
    for (const pct of PCTS) expect(await queueOf('sla').getJob(slaJobId({ caseId: b.id, stepNo: 5, version: 3, pct }))).toBeUndefined();
    await restartJobs();
    const reconcileStarted = Date.now();
    await jobs.reconcile();

    // Case B: every timer exists again, planned for the same working-time instant as before the loss.
    const step5 = deps.procedures.get('skp-banyuwangi').steps.find((s) => s.no === 5)!;
    const [rowB] = await db.db.select().from(cases).where(eq(cases.id, b.id));
    for (const point of slaCadence(deps.calendar, rowB!.stepEnteredAt, 60, step5.escalation)) {
      const job = await queueOf('sla').getJob(slaJobId({ caseId: b.id, stepNo: 5, version: 3, pct: point.pct }));
      expect(job, `timer p${point.pct} of case B`).toBeDefined();
      const planned = job!.timestamp + (job!.opts.delay ?? 0);
      // delay = fireAt - (an instant between the start of reconcile and the job's creation)
      expect(planned).toBeGreaterThanOrEqual(point.fireAt.getTime());
      expect(planned).toBeLessThanOrEqual(point.fireAt.getTime() + (job!.timestamp - reconcileStarted));
    }

    // Case A: the remaining points fire; every point exactly once.
    const events = await until(() => slaEvents(a.id), (e) => e.length >= 4, 'all points of case A');
    expect(events.map((e) => (e.data as unknown as SlaEventData).pct)).toEqual(PCTS);
    for (const e of events) expect(e.at.getTime()).toBeGreaterThanOrEqual(new Date((e.data as unknown as SlaEventData).scheduledAt).getTime());
    await until(
      () => db.db.select({ n: sql<number>`count(*)::int` }).from(reminderLog).where(eq(reminderLog.caseId, a.id)),
      (r) => r[0]!.n >= 6,
      'the six messages of case A',
    );
    await notifyIdle();
    expect(slaMessages('yuliana', /Anisa/)).toHaveLength(2);
    for (const who of ['lilis', 'siti', 'fajar', 'putri'] as const) expect(slaMessages(who, /Anisa/)).toHaveLength(1);
    // A second reconcile changes nothing: the points are logged and the case B timers exist.
    expect(await jobs.runNow('sla-reconcile')).toMatch(/0 pengatur waktu dibuat ulang, 0 pemberitahuan dikirim ulang/);
    await notifyIdle();
    expect(await slaEvents(a.id)).toHaveLength(4);
    expect(slaMessages('yuliana', /Anisa/)).toHaveLength(2);
  }, 120_000);

  it('fires points that fell due while no timer existed at once, in order', async () => {
    const c = await caseAtStep4('rini');
    // The start_sla row was lost and 5 s passed: 75 %, 100 % and 200 % of the 2 s SLA are due, 300 % in 1 s.
    await db.db
      .update(cases)
      .set({ stepEnteredAt: sql`${cases.stepEnteredAt} - interval '5 seconds'`, slaDueAt: sql`${cases.slaDueAt} - interval '5 seconds'` })
      .where(eq(cases.id, c.id));
    await db.db.update(outbox).set({ doneAt: new Date() }).where(and(eq(outbox.caseId, c.id), isNull(outbox.doneAt)));
    await jobs.reconcile();
    const events = await until(() => slaEvents(c.id), (e) => e.length >= 4, 'all points of the late case');
    expect(events.map((e) => (e.data as unknown as SlaEventData).pct)).toEqual(PCTS);
    expect(events.map((e) => e.action)).toEqual(['sla_reminder', 'sla_overdue', 'sla_escalation', 'sla_escalation']);
  });

  it('re-sends the messages of a logged point whose sends were lost', async () => {
    const c = await caseAtStep4('dedi');
    // Eko holds step 4 for Dedi. Log the 75 % point but lose its messages (as if Redis vanished right after commit).
    const fired = await fireSla({ caseId: c.id, stepNo: 4, revision: 1, version: 2, pct: 75 }, {
      db: db.db,
      calendar: deps.calendar,
      procedures: deps.procedures,
      now: deps.now,
      send: async () => 0,
    });
    expect(fired).toMatchObject({ status: 'fired', fired: [75] });
    expect(slaMessages('eko', /Dedi/)).toHaveLength(0);
    await jobs.reconcile();
    await fake.waitForMessage(chat.eko, (m) => /Dedi Kurniawan/.test(m.text ?? '') && /Pengingat/.test(m.text ?? ''), 10_000);
    await jobs.reconcile();
    await notifyIdle();
    expect(slaMessages('eko', /Dedi/).filter((m) => /Pengingat/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('re-upserts the daily reminder scheduler in the instansi time zone', async () => {
    await flushPrefix();
    expect(await queueOf('reminders').getJobScheduler(DAILY_SCHEDULER_ID)).toBeUndefined();
    await jobs.reconcile();
    const scheduler = await queueOf('reminders').getJobScheduler(DAILY_SCHEDULER_ID);
    expect(scheduler).toMatchObject({ pattern: DAILY_CHECK_PATTERN, tz: 'Asia/Jakarta' });
  });
});
