// E2E: a button press is answered within its budget even when the work behind it is slow, and nothing the bot
// would have said is lost: the outcome lands in the edited message and a refusal comes as a chat message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { setupOrg } from '../../bench/drills.js';
import { PROCESSING_TOAST } from '../../src/bot/prompt-answer.js';
import { rowsOf } from '../../src/db/client.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let org: Awaited<ReturnType<typeof setupOrg>>;
let locker: postgres.Sql;

beforeAll(async () => {
  // A budget long enough that an idle press is answered for real even on a loaded CI machine.
  t = await startTestApp({ env: { CALLBACK_ANSWER_BUDGET_MS: '1000' } });
  org = await setupOrg(t, 1, 3);
  locker = postgres(t.db.url, { max: 1, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
  await locker?.end();
  await t?.stop();
});

/** Holds the case row locked (as a slow transaction would) until release() is called. */
async function holdCase(caseId: string): Promise<{ release(): void; done: Promise<unknown> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const done = locker.begin(async (sql) => {
    await sql`select id from cases where id = ${caseId} for update`;
    locked();
    await released;
  });
  await isLocked;
  return { release, done };
}

describe('answers within the budget', () => {
  it('a press stuck behind a slow transaction gets "Sedang diproses" at once, then the outcome in the message', async () => {
    const tg = org.approverTg[0]!;
    const caseId = org.casesByApprover[0]![0]!;
    const request = org.requestOf.get(caseId)!;
    const hold = await holdCase(caseId);
    const tap = t.fake.tapButton(tg, request, `cs:ok:${caseId}:2`);
    // Answered while the transaction is still blocked: the budget, not the work, decided when.
    const answer = await t.fake.waitForCallbackAnswer(tap.callback_query.id, 10_000);
    expect(answer.text).toBe(PROCESSING_TOAST);
    hold.release();
    await hold.done;
    const edited = await t.fake.waitForEdit(tg, request.messageId, (m) => /disetujui/i.test(m.text ?? ''));
    expect(edited.text).toMatch(/disetujui oleh/i);
    await t.idle();
    const [events] = rowsOf<{ n: number }>(
      await t.db.db.execute(sql`select count(*)::int as n from case_events where case_id = ${caseId}::uuid and action = 'complete' and from_step_no = 4`),
    );
    expect(events!.n).toBe(1);
    // The confirmation toast it would have shown is not repeated as a chat message: the edit says it.
    expect(t.fake.messages(tg).filter((m) => /Tersimpan/.test(m.text ?? ''))).toEqual([]);
  });

  it('a second press while the first is still at work is acknowledged at once; its refusal comes as a chat message', async () => {
    const tg = org.approverTg[0]!;
    const caseId = org.casesByApprover[0]![1]!;
    const request = org.requestOf.get(caseId)!;
    const hold = await holdCase(caseId);
    const first = t.fake.tapButton(tg, request, `cs:ok:${caseId}:2`);
    const second = t.fake.tapButton(tg, request, `cs:ok:${caseId}:2`);
    // The second waits for the first (same chat, in order): it is answered before any handler reaches it.
    const secondAnswer = await t.fake.waitForCallbackAnswer(second.callback_query.id, 10_000);
    expect(secondAnswer.text).toBe(PROCESSING_TOAST);
    expect(t.fake.callbackAnswer(first.callback_query.id)?.text ?? PROCESSING_TOAST).toBe(PROCESSING_TOAST);
    hold.release();
    await hold.done;
    const refusal = await t.fake.waitForMessage(tg, (m) => /Sudah diproses/.test(m.text ?? ''));
    expect(refusal.text).toMatch(/Sudah diproses oleh/);
    await t.idle();
  });

  it('an unhurried press still gets its real answer', async () => {
    const tg = org.approverTg[0]!;
    const caseId = org.casesByApprover[0]![2]!;
    const tap = t.fake.tapButton(tg, org.requestOf.get(caseId)!, `cs:ok:${caseId}:2`);
    const answer = await t.fake.waitForCallbackAnswer(tap.callback_query.id, 10_000);
    expect(answer.text).toBe('Tersimpan ✅');
  });
});
