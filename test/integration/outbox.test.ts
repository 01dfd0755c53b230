// Integration: the outbox dispatcher keeps many chats busy at once. Approval requests written approver by approver
// reach every approver's chat side by side (each chat in its own order, paced by Telegram's per-chat limit), a
// case's rows still run one after another in id order when they arrive in different leases, and a dispatcher that
// closes finishes the row under way and gives the others back; leases are renewed, and a Telegram outage holds back
// the rows not started with the failed one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { syntheticOrg } from '../../bench/org.js';
import { createJobs, type Jobs, type JobsDeps, type OutboxRow } from '../../jobs/index.js';
import { outboxModule } from '../../jobs/outbox.js';
import { act, openCase } from '../../src/app/case-engine.js';
import { createForeground } from '../../src/app/foreground.js';
import { importRoster } from '../../src/app/import-roster.js';
import { employees, outbox } from '../../src/db/schema/index.js';
import { parseRoster } from '../../src/domain/roster.js';
import { buildTestConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { flushRedisPrefix, testJobsDeps, until } from '../support/jobs.js';

/** More approvers than the old dispatcher's 8 lanes, each with more requests than a chat's burst of 4. */
const APPROVERS = 12;
const REQUESTS_EACH = 7;
const rhk = { rhk: [{ id: 'r1', jenis: 'utama', text: 'Tersusunnya laporan kinerja seksi' }] };

let db: TestDatabase;
let fake: FakeTelegram;
let redis: Redis;
let deps: JobsDeps;
let jobs: Jobs;
const org = syntheticOrg(APPROVERS, REQUESTS_EACH);
const prefix = `tobx${process.pid}_${randomBytes(3).toString('hex')}`;
const chatOfApprover = (a: number) => 700_000 + a;
/** What the rows of the test's own kind did, in order. */
const seen: string[] = [];
/** Rows with `telegramDownOnce` in their payload that have failed their first try. */
const failedOnce = new Set<number>();
/** What a row of the test's kind with `hold` in its payload waits for; says what it saw. */
let hold: ((row: OutboxRow) => Promise<string>) | undefined;
/** The updates a bot in the same process would be handling (none, but in the test that says otherwise). */
const foreground = createForeground();

beforeAll(async () => {
  db = await createTestDatabase();
  const parsed = parseRoster(Buffer.from(org.csv));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
  fake = await FakeTelegram.start();
  for (const [a, nip] of org.atasanNips.entries()) {
    const id = chatOfApprover(a);
    fake.addUser({ id, first_name: `Atasan ${a + 1}` });
    fake.markStarted(id);
    await db.db.update(employees).set({ telegramUserId: id, telegramChatId: id }).where(eq(employees.nip, nip));
  }
  const config = buildTestConfig(
    { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL },
    { calendar: { alwaysOpen: true }, procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang', mixAgencies: true } },
  );
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  // No poller: each test drains by runNow, which returns once every due row is done.
  deps = { ...testJobsDeps({ db, fake, config, redis, prefix }), runWorkers: false, foreground };
  // The SLA module is not under test: its rows are simply done.
  deps.outboxHandlers.set('start_sla', async () => {});
  deps.outboxHandlers.set('cancel_sla', async () => {});
  deps.outboxHandlers.set('test_filler', async () => {});
  deps.outboxHandlers.set('test_step', async (row) => {
    seen.push(`start ${row.id}`);
    if (row.payload.telegramDownOnce !== undefined && !failedOnce.has(row.id)) {
      failedOnce.add(row.id);
      seen.push(`${row.id} failed`);
      // What the Telegram client throws for a 502 (Telegram down for everyone).
      throw Object.assign(new Error('502: Bad Gateway'), { response: { ok: false, error_code: 502, description: 'Bad Gateway' } });
    }
    if (row.payload.hold !== undefined) seen.push(await hold!(row));
    seen.push(`end ${row.id}`);
  });
  jobs = await createJobs(deps, [outboxModule]);
}, 60_000);

afterAll(async () => {
  await jobs?.close();
  if (redis) await flushRedisPrefix(redis, prefix);
  await redis?.quit();
  await fake?.stop();
  await db?.drop();
});

const engine = () => ({ db: db.db, calendar: deps.calendar, procedures: deps.procedures });

/**
 * The SKP case of the first staff member of approver `a` (opened by the first test, or now when a test runs alone),
 * with every row due so far marked done: the test's own rows are the only ones left.
 */
async function caseWithNothingDue(a: number): Promise<string> {
  const subjectId = (await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, org.staffNips[a]![0]!)))[0]!.id;
  const caseId = (await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId, period: '2026', now: new Date() })).case.id;
  await db.db.update(outbox).set({ doneAt: new Date() }).where(isNull(outbox.doneAt));
  return caseId;
}

/** Rows of the test's kind for the case, one per payload, in this order; their ids. */
async function stepRows(caseId: string, payloads: Array<Record<string, unknown>>): Promise<number[]> {
  const rows = await db.db.insert(outbox).values(payloads.map((payload) => ({ caseId, kind: 'test_step', payload }))).returning({ id: outbox.id });
  return rows.map((r) => r.id);
}

describe('the outbox dispatcher', () => {
  it('delivers requests written approver by approver to every approver side by side, each chat in order', async () => {
    const idOf = new Map((await db.db.select({ id: employees.id, nip: employees.nip }).from(employees)).map((e) => [e.nip, e.id]));
    // As on a busy morning (and in the buttons bench): the staff of one approver submit, then the next approver's.
    for (const staff of org.staffNips) {
      for (const nip of staff) {
        const subjectId = idOf.get(nip)!;
        const { case: c } = await openCase(engine(), { procedureCode: 'skp-banyuwangi', subjectId, period: '2026', now: new Date() });
        await act(engine(), { caseId: c.id, actorId: subjectId, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() });
      }
    }
    // Only the approvers' requests are left to deliver, so they all fit one lease: the SLA rows and the subjects'
    // notices (the staff have not linked Telegram) would only make the test depend on how fast those finish.
    await db.db.execute(sql`update outbox set done_at = now()
      where done_at is null and not (kind = 'notify' and (payload->>'version')::int = 2 and payload->>'to' in
        (select id::text from employees where telegram_chat_id is not null))`);
    const due = await db.db.select().from(outbox).where(isNull(outbox.doneAt));
    expect(due).toHaveLength(APPROVERS * REQUESTS_EACH);

    await jobs.runNow('outbox');

    expect(await db.db.select().from(outbox).where(isNull(outbox.doneAt))).toEqual([]);
    const staffOf = (text: string | undefined) => /Staf (\d+)-(\d+)/.exec(text ?? '')?.slice(1).map(Number) ?? [];
    for (let a = 0; a < APPROVERS; a++) {
      // Each approver got each request once, in the order the staff submitted.
      const requests = fake.messages(chatOfApprover(a)).map((m) => staffOf(m.text));
      expect(requests).toEqual(Array.from({ length: REQUESTS_EACH }, (_, s) => [a + 1, s + 1]));
    }
    // Side by side: every approver had a request before the first approver had all theirs (their last ones wait on
    // the chat's pace of about one a second). Leased in batches that ended together, the last approvers' rows
    // would only have started once the first approver's were all delivered.
    const all = fake.messages().filter((m) => m.chat_id >= chatOfApprover(0) && m.chat_id < chatOfApprover(APPROVERS));
    const firstDone = all.findLastIndex((m) => m.chat_id === chatOfApprover(0));
    const before = new Set(all.slice(0, firstDone).map((m) => m.chat_id));
    expect(before.size).toBe(APPROVERS);
  }, 120_000);

  it('runs the rows of one case in id order, also when they arrive in two leases', async () => {
    const caseId = await caseWithNothingDue(0);
    // Rows of the case at the start (the first of them waits) and at the end of more rows than one lease takes;
    // the rows in between belong to no case and finish at once, making room for the second lease.
    const [first, second] = await stepRows(caseId, [{ hold: true }, {}]);
    await db.db.insert(outbox).values(Array.from({ length: 230 }, () => ({ caseId: null, kind: 'test_filler', payload: {} })));
    const [third, fourth] = await stepRows(caseId, [{}, {}]);

    // The first row waits (up to 10 s) until the third is leased, which only a lease taken while it runs can do.
    hold = async () => {
      const deadline = Date.now() + 10_000;
      let leased = false;
      while (!leased && Date.now() < deadline) {
        const [row] = await db.db.select().from(outbox).where(and(eq(outbox.id, third!), isNull(outbox.doneAt)));
        leased = row !== undefined && row.availableAt.getTime() > Date.now() + 60_000;
        if (!leased) await new Promise((r) => setTimeout(r, 20));
      }
      return `${third} leased: ${leased}`;
    };
    seen.length = 0;
    await jobs.runNow('outbox');

    expect(await db.db.select().from(outbox).where(isNull(outbox.doneAt))).toEqual([]);
    expect(seen).toEqual([
      `start ${first}`,
      `${third} leased: true`,
      `end ${first}`,
      `start ${second}`,
      `end ${second}`,
      `start ${third}`,
      `end ${third}`,
      `start ${fourth}`,
      `end ${fourth}`,
    ]);
  }, 60_000);

  it('renews the lease of rows it still holds, so no other process takes them while they wait', async () => {
    const [first, second] = await stepRows(await caseWithNothingDue(2), [{ hold: true }, {}]);
    const leaseEnds = async () =>
      (await db.db.select().from(outbox).where(inArray(outbox.id, [first!, second!])).orderBy(outbox.id)).map((r) => r.availableAt.getTime());
    let leased: number[] = [];
    // The first row is under way, the second waits behind it, for longer than the renewal period (30 s).
    hold = async () => {
      leased = await leaseEnds();
      const renewed = await until(leaseEnds, (ends) => ends.every((end, k) => end > leased[k]! + 10_000), 'the leases renewed', 45_000);
      return `renewed: ${renewed.length}`;
    };
    seen.length = 0;
    await jobs.runNow('outbox');

    expect(seen).toEqual([`start ${first}`, 'renewed: 2', `end ${first}`, `start ${second}`, `end ${second}`]);
    expect(await db.db.select().from(outbox).where(isNull(outbox.doneAt))).toEqual([]);
  }, 90_000);

  it('when Telegram is down for everyone, the rows not started wait as long as the failed one, then follow it in order', async () => {
    const [failing, behind] = await stepRows(await caseWithNothingDue(3), [{ telegramDownOnce: true }, {}]);
    seen.length = 0;
    await jobs.runNow('outbox');

    expect(seen).toEqual([`start ${failing}`, `${failing} failed`]);
    const [f, b] = await db.db.select().from(outbox).where(inArray(outbox.id, [failing!, behind!])).orderBy(outbox.id);
    expect(f).toMatchObject({ doneAt: null, attempts: 1, lastError: '502: Bad Gateway' });
    // Not tried, no attempt counted, and due again with the failed row (the outbox's first backoff, 2 s), not after
    // the two minutes of its lease.
    expect(b).toMatchObject({ doneAt: null, attempts: 0 });
    expect(Math.abs(b!.availableAt.getTime() - f!.availableAt.getTime())).toBeLessThan(30_000);

    await until(
      async () => {
        await jobs.runNow('outbox');
        return db.db.select().from(outbox).where(isNull(outbox.doneAt));
      },
      (left) => left.length === 0,
      'both rows done once the wait is over',
    );
    expect(seen).toEqual([`start ${failing}`, `${failing} failed`, `start ${failing}`, `end ${failing}`, `start ${behind}`, `end ${behind}`]);
  }, 60_000);

  it('on close, lets the row under way finish and gives the rows not started back at once', async () => {
    const [first, second, third] = await stepRows(await caseWithNothingDue(1), [{ hold: true }, {}, {}]);
    // A second process's dispatcher (the one of beforeAll stands for the process that takes over).
    const closing = await createJobs(deps, [outboxModule]);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => (started = resolve));
    hold = async () => {
      started();
      await released;
      return 'released';
    };
    seen.length = 0;
    const drained = closing.runNow('outbox');
    await firstStarted;
    const closed = closing.close();
    release();
    await Promise.all([closed, drained]);

    expect(seen).toEqual([`start ${first}`, 'released', `end ${first}`]);
    const rows = await db.db.select().from(outbox).where(inArray(outbox.id, [first!, second!, third!])).orderBy(outbox.id);
    expect(rows.map((r) => r.doneAt !== null)).toEqual([true, false, false]);
    // Not left leased for two minutes: due again now, with no attempt counted.
    for (const r of rows.slice(1)) {
      expect(r.availableAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(r.attempts).toBe(0);
    }
    seen.length = 0;
    await jobs.runNow('outbox');
    expect(seen).toEqual([`start ${second}`, `end ${second}`, `start ${third}`, `end ${third}`]);
  }, 60_000);

  it('waits while the bot of its process handles many updates, and goes on when they end or after its longest wait', async () => {
    const [first] = await stepRows(await caseWithNothingDue(4), [{}]);
    // A burst: two updates under way.
    const burst = [foreground.start(), foreground.start()];
    seen.length = 0;
    const drained = jobs.runNow('outbox');
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([]);
    seen.push('burst over');
    for (const end of burst) end();
    await drained;
    expect(seen).toEqual(['burst over', `start ${first}`, `end ${first}`]);

    // A bot that stays busy holds a row back only so long (3 s), never for good.
    const [second] = await stepRows(await caseWithNothingDue(5), [{}]);
    const busy = [foreground.start(), foreground.start()];
    seen.length = 0;
    try {
      await jobs.runNow('outbox');
      expect(seen).toEqual([`start ${second}`, `end ${second}`]);
    } finally {
      for (const end of busy) end();
    }
  }, 60_000);
});
