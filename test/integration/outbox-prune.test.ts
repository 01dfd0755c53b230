// Integration: the outbox does not grow for ever. Every transition leaves three or four rows; the job processes delete
// the rows handled more than OUTBOX_RETENTION_DAYS ago, and keep what is still read: the rows given up (the report of
// undelivered notifications) and the 'start_sla' rows of a case still open, from which a step's timers are cancelled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { createJobs, type Jobs, type JobsDeps } from '../../jobs/index.js';
import { outboxModule } from '../../jobs/outbox.js';
import { act, openCase } from '../../src/app/case-engine.js';
import { pruneHandledOutboxRows } from '../../src/app/outbox-store.js';
import { slaTimersOfStep } from '../../src/app/sla-timers.js';
import { undeliveredNotifications } from '../../src/app/undelivered.js';
import { rowsOf } from '../../src/db/client.js';
import { cases, OUTBOX_GAVE_UP_PREFIX } from '../../src/db/schema/index.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { flushRedisPrefix, linkPeople, testJobsDeps } from '../support/jobs.js';

const NIP = { anisa: '199207142017032002', melati: '199011052019022001', rini: '199508232023212003' };
const rhk = { rhk: [{ jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer' }] };

let db: TestDatabase;
let fake: FakeTelegram;
let redis: Redis;
let deps: JobsDeps;
let jobs: Jobs;
let ids = {} as Record<keyof typeof NIP, string>;
const prefix = `tprn${process.pid}_${randomBytes(3).toString('hex')}`;

interface Row {
  id: number;
  case_id: string | null;
  kind: string;
  done: boolean;
}
const rowsLeft = async () =>
  rowsOf<Row>(await db.db.execute(sql`select id, case_id, kind, done_at is not null as done from outbox order by id`)).map((r) => ({ ...r, id: Number(r.id) }));

/** A case waiting on its atasan (step 4), with the rows its first transitions left. */
async function caseAtStep4(subjectId: string) {
  const engine = { db: db.db, calendar: deps.calendar, procedures: deps.procedures };
  const opened = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId, period: '2026', now: new Date() });
  return (await act(engine, { caseId: opened.case.id, actorId: subjectId, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() })).case;
}

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  fake = await FakeTelegram.start();
  ({ ids } = await linkPeople(db, fake, NIP, 8300));
  const config = buildTestConfig(
    { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, OUTBOX_RETENTION_DAYS: '30' },
    { calendar: { alwaysOpen: true }, procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang', mixAgencies: true } },
  );
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  // No poller and no dispatching: the rows' states are set by the test.
  deps = { ...testJobsDeps({ db, fake, config, redis, prefix }), runWorkers: false };
  jobs = await createJobs(deps, [outboxModule]);
});

afterAll(async () => {
  await jobs?.close();
  if (redis) await flushRedisPrefix(redis, prefix);
  await redis?.quit();
  await fake?.stop();
  await db?.drop();
});

describe('pruning the outbox', () => {
  it('deletes rows handled more than the retention ago, and keeps what is still read', async () => {
    const open = await caseAtStep4(ids.anisa);
    const closed = await caseAtStep4(ids.melati);
    const closedWithWork = await caseAtStep4(ids.rini);
    await db.db.update(cases).set({ status: 'completed', assigneeId: null }).where(eq(cases.id, closed.id));
    await db.db.update(cases).set({ status: 'completed', assigneeId: null }).where(eq(cases.id, closedWithWork.id));
    const [pendingOfClosed] = rowsOf<{ id: number }>(
      await db.db.execute(sql`select max(id) as id from outbox where case_id = ${closedWithWork.id}::uuid and kind <> 'start_sla'`),
    );
    // Everything the transitions left was handled 40 days ago, except one row of the closed case still waiting.
    await db.db.execute(sql`update outbox set created_at = now() - interval '41 days',
        done_at = case when id = ${pendingOfClosed!.id} then null else now() - interval '40 days' end`);
    // Beside them: a notification given up 40 days ago, one handled yesterday, and one waiting for 41 days.
    await db.db.execute(sql`insert into outbox (kind, payload, created_at, done_at, attempts, last_error) values
        ('notify', '{}'::jsonb, now() - interval '41 days', now() - interval '40 days', 9, ${`${OUTBOX_GAVE_UP_PREFIX}Forbidden: bot was blocked`}),
        ('notify', '{}'::jsonb, now() - interval '2 days', now() - interval '1 day', 1, null),
        ('notify', '{}'::jsonb, now() - interval '41 days', null, 3, null)`);
    const before = await rowsLeft();
    const startsOf = (caseId: string) => before.filter((r) => r.case_id === caseId && r.kind === 'start_sla').map((r) => r.id);
    expect(startsOf(open.id).length).toBeGreaterThan(0);
    expect(startsOf(closed.id).length).toBeGreaterThan(0);
    const timersBefore = await slaTimersOfStep(deps, open.id, { stepNo: 4, revision: 1 });
    expect(timersBefore.length).toBeGreaterThan(0);

    const summary = await jobs.runNow('outbox-prune');

    const after = await rowsLeft();
    const kept = new Set(after.map((r) => r.id));
    const expectedKept = new Set([
      // The open case's timers are cancelled from these.
      ...startsOf(open.id),
      // The closed case still has a row to handle: its timers' rows stay until it is done.
      ...startsOf(closedWithWork.id),
      Number(pendingOfClosed!.id),
      // Given up, handled yesterday, waiting.
      ...before.filter((r) => r.case_id === null).map((r) => r.id),
    ]);
    expect([...kept].sort((a, b) => a - b)).toEqual([...expectedKept].sort((a, b) => a - b));
    const deleted = before.length - after.length;
    expect(deleted).toBeGreaterThan(5);
    expect(summary).toBe(`${deleted} catatan pemberitahuan yang terkirim lebih dari 30 hari lalu dihapus.`);
    // What reads the kept rows reads the same.
    expect(await slaTimersOfStep(deps, open.id, { stepNo: 4, revision: 1 })).toEqual(timersBefore);
    expect((await undeliveredNotifications(db.db)).total).toBe(1);

    // Nothing more to delete: said so.
    expect(await jobs.runNow('outbox-prune')).toBe('Tidak ada catatan pemberitahuan terkirim yang lebih lama dari 30 hari.');
  });

  it('walks the table a window at a time and stops at the rows younger than the retention', async () => {
    // Rows of the first test left aside (its young row would end the pass early): old handled rows with kept ones
    // among them, then a young tail.
    await db.db.execute(sql`delete from outbox`);
    await db.db.execute(sql`insert into outbox (kind, payload, created_at, done_at, attempts, last_error)
        select 'notify', jsonb_build_object('n', n), now() - interval '50 days', now() - interval '50 days', 1,
               case when n % 3 = 0 then ${`${OUTBOX_GAVE_UP_PREFIX}blocked`} end
        from generate_series(1, 11) n`);
    await db.db.execute(sql`insert into outbox (kind, payload, created_at, done_at, attempts)
        select 'notify', jsonb_build_object('young', n), now() - interval '1 day', now() - interval '1 day', 1 from generate_series(1, 5) n`);
    // An old row behind the young ones (a transaction that ran for weeks cannot happen; the pass stops before it).
    await db.db.execute(sql`insert into outbox (kind, payload, created_at, done_at, attempts)
        values ('notify', '{"straggler": true}'::jsonb, now() - interval '50 days', now() - interval '50 days', 1)`);
    const cutoff = new Date(Date.now() - 30 * 86_400_000);
    // Windows of two rows: the 8 deletable old rows are found across the gaps the kept ones leave.
    expect(await pruneHandledOutboxRows(db.db, cutoff, 2)).toBe(8);
    const left = rowsOf<{ payload: Record<string, unknown> }>(await db.db.execute(sql`select payload from outbox where payload ? 'n' or payload ? 'young' or payload ? 'straggler' order by id`));
    expect(left.map((r) => r.payload)).toEqual([{ n: 3 }, { n: 6 }, { n: 9 }, ...[1, 2, 3, 4, 5].map((n) => ({ young: n })), { straggler: true }]);
    // One window over the whole table reaches the straggler.
    expect(await pruneHandledOutboxRows(db.db, cutoff, 10_000)).toBe(1);
  });
});
