// Integration: announcement audiences, the send processor's outcomes, enqueueing at scale, reconciliation, and a
// worker process killed with SIGKILL mid-broadcast (real PostgreSQL, real Redis, the fake Bot API).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { Telegram, TelegramError } from 'telegraf';
import type { Queue } from 'bullmq';
import {
  audienceRecipientIds,
  checkUnitChoice,
  countAudience,
  createBroadcastDraft,
  DELIVERY_BATCH_SIZE,
  queuedBatches,
  setDraftAudience,
  startBroadcast,
  type Audience,
  type BroadcastScope,
} from '../../src/app/broadcast.js';
import { importRoster } from '../../src/app/import-roster.js';
import { createProcedureRegistry, type ProcedureRegistry } from '../../src/app/procedures.js';
import { rowsOf } from '../../src/db/client.js';
import { acknowledgeStatement } from '../../src/app/broadcast/acknowledgment.js';
import { recordSentStatement } from '../../src/app/broadcast/deliveries.js';
import { broadcastDeliveries, broadcasts, cases, employees, units } from '../../src/db/schema/index.js';
import { isDomainError } from '../../src/domain/errors.js';
import { parseRoster } from '../../src/domain/roster.js';
import {
  broadcastJobId,
  createBroadcastQueue,
  enqueueBatches,
  reconcileBroadcasts,
  type Closable,
} from '../../jobs/broadcast.js';
import { createRedisConnection } from '../../jobs/connection.js';
import { createSendPacer } from '../../src/chat/outgoing/global-schedule.js';
import { createSentRecorders, processBroadcastBatch, type BroadcastBatchData, type BroadcastSendDeps } from '../../jobs/processors/broadcast-send.js';
import { entitiesToHtml, hasFormatting } from '../../src/chat/message-html.js';
import { buildTestConfig } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { generateRoster, type GeneratedRosterRow } from '../support/roster-gen.js';

const CHAT_BASE = 600_000;
let db: TestDatabase;
let fake: FakeTelegram;
let procedures: ProcedureRegistry;
let rows: GeneratedRosterRow[];
/** nip → { id, chatId } */
const people = new Map<string, { id: string; chatId: number }>();
let pds: Array<{ id: string; name: string }>;
let admin: { id: string; chatId: number };
const redis = createRedisConnection(TEST_REDIS_URL);
const prefix = `tbc${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const queues: Array<Closable<Queue<BroadcastBatchData>>> = [];
const children: ChildProcess[] = [];

function sendDeps(): BroadcastSendDeps {
  return {
    db: db.db,
    telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }),
    logger: pino({ level: 'silent' }),
    redis,
    keyPrefix: prefix,
    timeZone: 'Asia/Jakarta',
    now: () => new Date(),
  };
}

async function seedRoster(target: TestDatabase, employeesCount: number): Promise<GeneratedRosterRow[]> {
  const generated = generateRoster({ employees: employeesCount, perangkatDaerah: 4, seed: 11 });
  const parsed = parseRoster(Buffer.from(generated.csv));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  await importRoster(target.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
  // Everyone linked: Telegram user id = chat id, numbered by NIP.
  await target.db.execute(sql`update employees e set telegram_user_id = x.n + ${CHAT_BASE}, telegram_chat_id = x.n + ${CHAT_BASE},
    linked_at = now() from (select id, row_number() over (order by nip) as n from employees) x where x.id = e.id`);
  return generated.rows;
}

/**
 * The sender's progress message, sent as the bot's outgoing path sends it: a 429 waits its retry_after (the sends of
 * the test before may still fill the fake's second).
 */
async function sendProgressMessage() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendDeps().telegram.sendMessage(admin.chatId, 'progres');
    } catch (error) {
      const retryAfter = error instanceof TelegramError && error.code === 429 ? error.parameters?.retry_after : undefined;
      if (retryAfter === undefined || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    }
  }
}

/** A sending broadcast to `audience`, created as the bot would (draft → audience → Kirim). */
async function sendingBroadcast(audience: Audience, textHtml = '<b>Uji</b> pengumuman'): Promise<{ id: string; recipients: number }> {
  const progress = await sendProgressMessage();
  const draft = await createBroadcastDraft(db.db, { createdBy: admin.id, scope: { unitId: null }, textHtml, media: null, templateCode: null });
  await setDraftAudience(db.db, { broadcastId: draft.id, actorId: admin.id, audience });
  const { recipients } = await startBroadcast(db.db, procedures, {
    broadcastId: draft.id,
    actorId: admin.id,
    now: new Date(),
    progress: { chatId: admin.chatId, messageId: progress.message_id },
  });
  return { id: draft.id, recipients };
}

const deliveryStatus = async (broadcastId: string, employeeId: string) =>
  (
    await db.db
      .select()
      .from(broadcastDeliveries)
      .where(and(eq(broadcastDeliveries.broadcastId, broadcastId), eq(broadcastDeliveries.employeeId, employeeId)))
  )[0]!;

const messagesOf = (broadcastId: string, chatId?: number) =>
  fake.messages(chatId).filter((m) => JSON.stringify(m.reply_markup ?? {}).includes(`ack:${broadcastId.replace(/-/g, '')}`));

async function waitUntil<T>(probe: () => Promise<T>, done: (v: T) => boolean, what: string, timeoutMs = 30_000, pollMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 10 });
  fake = await FakeTelegram.start();
  procedures = createProcedureRegistry(buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }).deployment.procedures);
  rows = await seedRoster(db, 300);
  for (const e of await db.db.select({ id: employees.id, nip: employees.nip, chatId: employees.telegramChatId }).from(employees)) {
    people.set(e.nip, { id: e.id, chatId: e.chatId! });
    fake.addUser({ id: e.chatId!, first_name: 'Pegawai' });
    fake.markStarted(e.chatId!);
  }
  pds = await db.db.select({ id: units.id, name: units.name }).from(units).where(eq(units.depth, 0));
  admin = people.get(rows.find((r) => r.peran.includes('bkpp_admin'))!.nip)!;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const q of queues) {
    await q.value.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
  await fake?.stop();
  await db?.drop();
});

describe('audiences', () => {
  const ids = (nips: string[]) => nips.map((n) => people.get(n)!.id).sort();
  const recipients = async (audience: Audience, scope: BroadcastScope = { unitId: null }) =>
    (await audienceRecipientIds(db.db, procedures, { audience, scope })).sort();

  it('by perangkat daerah, by role: exactly the roster people', async () => {
    const chosen = pds.slice(1, 3);
    const inChosen = rows.filter((r) => chosen.some((pd) => pd.name === r.unitPath[0])).map((r) => r.nip);
    expect(inChosen.length).toBeGreaterThan(100);
    expect(await recipients({ kind: 'units', unitIds: chosen.map((p) => p.id) })).toEqual(ids(inChosen));

    const atasanNips = [...new Set(rows.map((r) => r.nipAtasan).filter((n): n is string => n !== null))];
    expect(await recipients({ kind: 'role', role: 'atasan' })).toEqual(ids(atasanNips));

    const pengelolaNips = rows.filter((r) => r.peran.includes('pengelola')).map((r) => r.nip);
    expect(pengelolaNips.length).toBe(4);
    expect(await recipients({ kind: 'role', role: 'pengelola' })).toEqual(ids(pengelolaNips));
  });

  it('by status: no SKP submitted for year Y, no realisation for month M (per-unit procedures honoured)', async () => {
    const staff = rows.filter((r) => r.unitPath[0] !== 'Inspektorat').slice(10, 20).map((r) => r.nip);
    const inspektorat = rows.filter((r) => r.unitPath[0] === 'Inspektorat').slice(5, 9).map((r) => r.nip);
    const insertCase = (nip: string, procedureCode: string, period: string, submitted: boolean) =>
      db.db.insert(cases).values({
        procedureCode,
        subjectId: people.get(nip)!.id,
        period,
        status: 'active',
        stepNo: 4,
        stepEnteredAt: new Date(),
        submittedAt: submitted ? new Date() : null,
      });
    // Submitted 2026 SKPs: staff[0..4]. Not counted: a draft (staff[5]), last year's (staff[6]), another procedure (staff[7]).
    for (const nip of staff.slice(0, 5)) await insertCase(nip, 'skp-banyuwangi', '2026', true);
    await insertCase(staff[5]!, 'skp-banyuwangi', '2026', false);
    await insertCase(staff[6]!, 'skp-banyuwangi', '2025', true);
    await insertCase(staff[7]!, 'bulanan-tangerang', '2026', true);
    const noSkp = rows.map((r) => r.nip).filter((n) => !staff.slice(0, 5).includes(n));
    expect(await recipients({ kind: 'status', status: 'no_skp', year: 2026 })).toEqual(ids(noSkp));

    // March 2026 realisation: Inspektorat runs pengukuran-inspektorat (config perUnit), everyone else bulanan-tangerang.
    await insertCase(staff[8]!, 'bulanan-tangerang', '2026-03', true);
    await insertCase(inspektorat[0]!, 'pengukuran-inspektorat', '2026-03', true);
    await insertCase(inspektorat[1]!, 'bulanan-tangerang', '2026-03', true); // not Inspektorat's procedure
    await insertCase(inspektorat[2]!, 'pengukuran-inspektorat', '2026-02', true); // another month
    const submitted = [staff[8]!, inspektorat[0]!];
    const noReal = rows.map((r) => r.nip).filter((n) => !submitted.includes(n));
    expect(await recipients({ kind: 'status', status: 'no_realisasi', month: '2026-03' })).toEqual(ids(noReal));

    // The annual evaluation of 2025: its pejabat penilai while the rating waits on them. Not: one who has rated (the
    // case is at the ASN's acknowledgement, assigned to the ASN), a finished one, another year's.
    const rated = rows.filter((r) => r.nipAtasan !== null).slice(30, 34);
    const evaluation = (r: GeneratedRosterRow, values: { status?: 'active' | 'completed'; assignee?: string; period?: string }) =>
      db.db.insert(cases).values({
        procedureCode: 'evaluasi-tahunan',
        subjectId: people.get(r.nip)!.id,
        period: values.period ?? '2025',
        status: values.status ?? 'active',
        stepNo: 1,
        stepEnteredAt: new Date(),
        assigneeId: people.get(values.assignee ?? r.nipAtasan!)!.id,
      });
    await evaluation(rated[0]!, {});
    await evaluation(rated[1]!, { assignee: rated[1]!.nip });
    await evaluation(rated[2]!, { status: 'completed' });
    await evaluation(rated[3]!, { period: '2024' });
    expect(await recipients({ kind: 'status', status: 'eval_pending', year: 2025 })).toEqual(ids([rated[0]!.nipAtasan!]));
  });

  it('counts who is not linked or unreachable, and leaves them out', async () => {
    const pd = pds.find((p) => p.name === 'Dinas Kesehatan')!;
    const members = rows.filter((r) => r.unitPath[0] === pd.name).map((r) => r.nip);
    const unlinked = members.slice(0, 3).map((n) => people.get(n)!.id);
    const unreachable = members.slice(3, 5).map((n) => people.get(n)!.id);
    await db.db.update(employees).set({ telegramUserId: null, telegramChatId: null }).where(inArray(employees.id, unlinked));
    await db.db.update(employees).set({ unreachableAt: new Date() }).where(inArray(employees.id, unreachable));
    const audience: Audience = { kind: 'units', unitIds: [pd.id] };
    expect(await countAudience(db.db, procedures, { audience, scope: { unitId: null } })).toEqual({
      recipients: members.length - 5,
      notLinked: 3,
      unreachable: 2,
    });
    const got = await recipients(audience);
    expect(got).not.toContain(unlinked[0]);
    expect(got).not.toContain(unreachable[0]);
    // Restore for the other tests.
    for (const nip of members.slice(0, 3)) {
      const p = people.get(nip)!;
      await db.db.update(employees).set({ telegramUserId: p.chatId, telegramChatId: p.chatId }).where(eq(employees.id, p.id));
    }
    await db.db.update(employees).set({ unreachableAt: null }).where(inArray(employees.id, unreachable));
  });

  it('a pengelola reaches only their own perangkat daerah', async () => {
    const own = pds.find((p) => p.name === 'Dinas Kesehatan')!;
    const other = pds.find((p) => p.name === 'Inspektorat')!;
    const scope = { unitId: own.id };
    const members = rows.filter((r) => r.unitPath[0] === own.name).map((r) => r.nip);
    expect(await recipients({ kind: 'all' }, scope)).toEqual(ids(members));
    expect(await recipients({ kind: 'units', unitIds: [other.id] }, scope)).toEqual([]);
    const atasanInOwn = [...new Set(rows.map((r) => r.nipAtasan))].filter((n): n is string => n !== null && members.includes(n));
    expect(await recipients({ kind: 'role', role: 'atasan' }, scope)).toEqual(ids(atasanInOwn));
    const refused = await checkUnitChoice(db.db, scope, other.id).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isDomainError(refused) && refused.code).toBe('NOT_YOUR_UNIT');
    expect((await checkUnitChoice(db.db, scope, own.id)).name).toBe(own.name);
  });
});

describe('the batch send processor', () => {
  const pacer = () => createSendPacer(redis, `${prefix}:pacer`, 1000);
  /** Puts one recipient in a batch of their own, so a fault injected into the next send hits exactly them. */
  const ownBatch = async (broadcastId: string, employeeId: string, batch: number) => {
    await db.db.execute(sql`update broadcast_deliveries set batch = ${batch} where broadcast_id = ${broadcastId}::uuid and employee_id = ${employeeId}::uuid`);
    return { broadcastId, batch };
  };

  it('sends once to every queued recipient of each batch, records message ids, and does nothing when run again', async () => {
    const pd = pds.find((p) => p.name === 'Inspektorat')!;
    const b = await sendingBroadcast({ kind: 'units', unitIds: [pd.id] }, '<i>Sekali saja</i>');
    const batches = await queuedBatches(db.db, b.id);
    expect(batches).toEqual(Array.from({ length: Math.ceil(b.recipients / DELIVERY_BATCH_SIZE) }, (_, i) => i));
    let sent = 0;
    for (const batch of batches) sent += (await processBroadcastBatch({ broadcastId: b.id, batch }, sendDeps(), pacer())).sent;
    expect(sent).toBe(b.recipients);
    const again = await processBroadcastBatch({ broadcastId: b.id, batch: 0 }, sendDeps(), pacer());
    expect(again).toMatchObject({ sent: 0, skipped: 0 });

    const members = rows.filter((r) => r.unitPath[0] === pd.name).map((r) => people.get(r.nip)!);
    for (const someone of members) {
      const [msg, ...more] = messagesOf(b.id, someone.chatId);
      expect(more).toHaveLength(0);
      expect(msg!.params.text).toBe('<i>Sekali saja</i>');
      expect(msg!.parse_mode).toBe('HTML');
      const row = await deliveryStatus(b.id, someone.id);
      expect([row.status, row.messageId, row.attempts]).toEqual(['sent', msg!.message_id, 1]);
      expect(row.sentAt).not.toBeNull();
    }
    const [done] = await db.db.select().from(broadcasts).where(eq(broadcasts.id, b.id));
    expect(done!.status).toBe('done');
  });

  it('batch jobs side by side share their recording statements: every send recorded once with its message id', async () => {
    const pd = pds.find((p) => p.name !== 'Inspektorat')!;
    const b = await sendingBroadcast({ kind: 'units', unitIds: [pd.id] }, '<i>Bersamaan</i>');
    const batches = await queuedBatches(db.db, b.id);
    expect(batches.length).toBeGreaterThan(1);
    const recorders = createSentRecorders(db.db);
    const outcomes = await Promise.all(
      batches.map((batch) => processBroadcastBatch({ broadcastId: b.id, batch }, sendDeps(), pacer(), undefined, recorders)),
    );
    expect(outcomes.reduce((n, o) => n + o.sent, 0)).toBe(b.recipients);
    const members = rows.filter((r) => r.unitPath[0] === pd.name).map((r) => people.get(r.nip)!);
    for (const someone of members) {
      const [msg, ...more] = messagesOf(b.id, someone.chatId);
      expect(more).toHaveLength(0);
      const row = await deliveryStatus(b.id, someone.id);
      expect([row.status, row.messageId, row.attempts]).toEqual(['sent', msg!.message_id, 1]);
    }
    const [done] = await db.db.select().from(broadcasts).where(eq(broadcasts.id, b.id));
    expect(done!.status).toBe('done');
  });

  it('a recording statement that fails rejects the sends it carried, and the recorder goes on with later ones', async () => {
    const recorders = createSentRecorders(db.db);
    // Not a uuid: PostgreSQL refuses the statement.
    const broken = recorders.of('not-a-broadcast');
    const sent = { employeeId: admin.id, messageId: 1, sentAt: new Date() };
    await expect(Promise.all([broken.add(sent), broken.add(sent)])).rejects.toThrow();
    await expect(broken.add(sent)).rejects.toThrow();
    expect(broken.idle).toBe(true);
    // A statement that matches nothing succeeds (a delivery already final is left as it is).
    const [some] = await db.db.select({ id: broadcasts.id }).from(broadcasts).limit(1);
    await expect(recorders.of(some!.id).add(sent)).resolves.toBeUndefined();
  });

  it('403 marks the delivery blocked and the employee unreachable; 429 pauses and sends later; 400 fails at once; 5xx retries', async () => {
    const pd = pds.find((p) => p.name === 'Dinas Kesehatan')!;
    const b = await sendingBroadcast({ kind: 'units', unitIds: [pd.id] });
    const members = rows.filter((r) => r.unitPath[0] === pd.name && r.peran.length === 0).map((r) => people.get(r.nip)!);
    const [blocked, limited, broken, flaky] = members;
    const deps = sendDeps();

    fake.blockBot(blocked!.chatId);
    expect(await processBroadcastBatch(await ownBatch(b.id, blocked!.id, 1001), deps, pacer())).toMatchObject({ blocked: 1, sent: 0 });
    expect((await deliveryStatus(b.id, blocked!.id)).status).toBe('blocked');
    const [emp] = await db.db.select().from(employees).where(eq(employees.id, blocked!.id));
    expect(emp!.unreachableAt).not.toBeNull();
    fake.unblockBot(blocked!.chatId);

    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const started = Date.now();
    expect(await processBroadcastBatch(await ownBatch(b.id, limited!.id, 1002), deps, pacer())).toMatchObject({ sent: 1 });
    // The pacer held the retry back for retry_after, and the message went out once.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(messagesOf(b.id, limited!.chatId)).toHaveLength(1);
    expect((await deliveryStatus(b.id, limited!.id)).status).toBe('sent');

    // A chat Telegram does not know is unreachable (docs/telegram.md), like a block; a bad request of ours fails.
    fake.failNext('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' });
    expect(await processBroadcastBatch(await ownBatch(b.id, broken!.id, 1003), deps, pacer(), { attemptsMade: 0, attempts: 5 })).toMatchObject({ blocked: 1 });
    expect((await deliveryStatus(b.id, broken!.id)).status).toBe('blocked');
    await db.db.update(employees).set({ unreachableAt: null }).where(inArray(employees.id, [blocked!.id, broken!.id]));

    fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 2);
    const flakyData = await ownBatch(b.id, flaky!.id, 1004);
    await expect(processBroadcastBatch(flakyData, deps, pacer(), { attemptsMade: 0, attempts: 5 })).rejects.toThrow(/Bad Gateway/);
    const afterFirst = await deliveryStatus(b.id, flaky!.id);
    expect([afterFirst.status, afterFirst.attempts]).toEqual(['queued', 1]);
    // The last attempt gives up and records the failure instead of throwing.
    expect(await processBroadcastBatch(flakyData, deps, pacer(), { attemptsMade: 4, attempts: 5 })).toMatchObject({ failed: 1 });
    const afterLast = await deliveryStatus(b.id, flaky!.id);
    expect([afterLast.status, afterLast.attempts]).toEqual(['failed', 2]);
    expect(afterLast.lastError).toMatch(/502/);
    expect(messagesOf(b.id, flaky!.chatId)).toHaveLength(0);
    await db.db.update(employees).set({ unreachableAt: null }).where(eq(employees.id, blocked!.id));
    await db.db.update(broadcasts).set({ status: 'cancelled' }).where(eq(broadcasts.id, b.id));
  });

  it('Batal stops a running batch at its next status check; what was sent stays sent', async () => {
    const b = await sendingBroadcast({ kind: 'all' }, 'Akan dibatalkan');
    const slow = createSendPacer(redis, `${prefix}:slow-pacer`, 40);
    const running = processBroadcastBatch({ broadcastId: b.id, batch: 0 }, sendDeps(), slow);
    await waitUntil(async () => messagesOf(b.id).length, (n) => n >= 5, 'the first sends', 10_000, 10);
    await db.db.update(broadcasts).set({ status: 'cancelled' }).where(eq(broadcasts.id, b.id));
    await db.db.execute(sql`update broadcast_deliveries set status = 'cancelled' where broadcast_id = ${b.id}::uuid and status = 'queued'`);
    const outcome = await running;
    expect(outcome.skipped).toBeGreaterThan(0);
    expect(outcome.sent + outcome.skipped).toBe(DELIVERY_BATCH_SIZE);
    const sentRows = rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from broadcast_deliveries where broadcast_id = ${b.id}::uuid and status = 'sent'`));
    expect(sentRows[0]!.n).toBe(messagesOf(b.id).length);
    expect(messagesOf(b.id).length).toBe(outcome.sent);
  });

  it('the pacer spaces slots evenly across processes, and a 429 pause holds every process back', async () => {
    const key = `${prefix}:pacer-test`;
    const other = createRedisConnection(TEST_REDIS_URL);
    try {
      const a = createSendPacer(redis, key, 100);
      const b = createSendPacer(other, key, 100);
      // Bounds relative to the time the calls really took, so a busy machine cannot fail it.
      const started = performance.now();
      const first = await a.reserve(5);
      expect(first.intervalMs).toBe(10);
      expect(first.delayMs).toBeLessThan(5);
      // The other process's slots come after the first five (50 ms of them), minus the time the calls took.
      const second = await b.reserve(5);
      const elapsed = performance.now() - started;
      expect(second.delayMs).toBeGreaterThanOrEqual(Math.min(45, 50 - elapsed - 2));
      expect(second.delayMs).toBeLessThanOrEqual(50);
      const pausedAt = performance.now();
      await b.pause(1000);
      const third = await a.reserve(1);
      expect(third.delayMs).toBeGreaterThanOrEqual(1000 - (performance.now() - pausedAt) - 2);
      expect(third.delayMs).toBeLessThanOrEqual(1000);
    } finally {
      await other.quit();
    }
  });

  it('formatting done in the Telegram app becomes the same HTML (nested, overlapping, escaped)', () => {
    expect(hasFormatting([{ type: 'bot_command', offset: 0, length: 4 }])).toBe(false);
    expect(hasFormatting([{ type: 'bold', offset: 0, length: 4 }])).toBe(true);
    expect(
      entitiesToHtml('Rapat penting besok', [
        { type: 'bold', offset: 0, length: 5 },
        { type: 'italic', offset: 6, length: 7 },
      ]),
    ).toBe('<b>Rapat</b> <i>penting</i> besok');
    expect(entitiesToHtml('a < b & c', [{ type: 'bold', offset: 0, length: 9 }])).toBe('<b>a &lt; b &amp; c</b>');
    expect(
      entitiesToHtml('abcdefghij', [
        { type: 'bold', offset: 0, length: 6 },
        { type: 'italic', offset: 3, length: 6 },
      ]),
    ).toBe('<b>abc<i>def</i></b><i>ghi</i>j');
    expect(
      entitiesToHtml('lihat di sini 👍', [
        { type: 'text_link', offset: 9, length: 4, url: 'https://kinerja.bkn.go.id/?a=1&b="2"' },
        { type: 'bold', offset: 14, length: 2 },
      ]),
    ).toBe('lihat di <a href="https://kinerja.bkn.go.id/?a=1&amp;b=&quot;2&quot;">sini</a> <b>👍</b>');
  });

});

describe('enqueueing and reconciliation', () => {
  it('10,000 recipients: one delivery row each and one job per batch; enqueueing again adds nothing', async () => {
    const big = await createTestDatabase({ maxConnections: 2 });
    try {
      const [unit] = await big.db.insert(units).values({ name: 'Dinas Besar', path: 'Dinas Besar', depth: 0 }).returning();
      await big.db.execute(sql`insert into employees (nip, nama, jabatan, jenis_jabatan, unit_id, telegram_user_id, telegram_chat_id)
        select (100000000000000000 + g)::text, 'Pegawai ' || g, 'Staf', 'pelaksana', ${unit!.id}::uuid, 900000 + g, 900000 + g
        from generate_series(1, 10000) g`);
      const [sender] = await big.db.select({ id: employees.id }).from(employees).limit(1);
      const draft = await createBroadcastDraft(big.db, { createdBy: sender!.id, scope: { unitId: null }, textHtml: 'x', media: null, templateCode: null });
      await setDraftAudience(big.db, { broadcastId: draft.id, actorId: sender!.id, audience: { kind: 'all' } });
      const started = Date.now();
      const { recipients } = await startBroadcast(big.db, procedures, {
        broadcastId: draft.id,
        actorId: sender!.id,
        now: new Date(),
        progress: { chatId: 1, messageId: 1 },
      });
      const bigQueue = createBroadcastQueue({ url: TEST_REDIS_URL, prefix: `${prefix}big` });
      queues.push(bigQueue);
      const batches = await queuedBatches(big.db, draft.id);
      await enqueueBatches(bigQueue.value, draft.id, batches);
      console.info(`10,000 recipients: deliveries written and jobs enqueued in ${Date.now() - started} ms`);
      expect(recipients).toBe(10_000);
      expect(batches).toHaveLength(10_000 / DELIVERY_BATCH_SIZE);
      const sizes = rowsOf<{ n: number }>(
        await big.db.execute(sql`select count(*)::int as n from broadcast_deliveries where broadcast_id = ${draft.id}::uuid group by batch`),
      );
      expect(new Set(sizes.map((r) => r.n))).toEqual(new Set([DELIVERY_BATCH_SIZE]));
      // The planner knows the deliveries just written (the start refreshed its statistics): on the empty table's, it
      // took them for a handful, and every group of sends hashed all queued rows to record its answers.
      const [plan] = rowsOf<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(
        await big.db.execute(sql`explain (format json) select 1 from broadcast_deliveries where broadcast_id = ${draft.id}::uuid and status = 'queued'`),
      );
      expect(plan!['QUERY PLAN'][0]!.Plan['Plan Rows']).toBeGreaterThan(5000);
      // A recipient's "Siap" finds its delivery through the index by chat, not by reading the broadcast's 10,000.
      const [ackPlan] = rowsOf<{ 'QUERY PLAN': unknown }>(
        await big.db.execute(sql`explain (format json) ${acknowledgeStatement({ broadcastId: draft.id, chatId: 905_000, messageId: 1, now: new Date() })}`),
      );
      expect(JSON.stringify(ackPlan!['QUERY PLAN'])).toContain('"Index Name":"broadcast_deliveries_chat_idx"');
      // A paced send records its answers one or two at a time, each by primary key (not by hashing the 10,000).
      const twoSent = rowsOf<{ employee_id: string }>(
        await big.db.execute(sql`select employee_id from broadcast_deliveries where broadcast_id = ${draft.id}::uuid limit 2`),
      ).map((r) => ({ employeeId: r.employee_id, messageId: 1, sentAt: new Date() }));
      const [sentPlan] = rowsOf<{ 'QUERY PLAN': unknown }>(await big.db.execute(sql`explain (format json) ${recordSentStatement(draft.id, twoSent)}`));
      expect(JSON.stringify(sentPlan!['QUERY PLAN'])).toContain('"Index Name":"broadcast_deliveries_broadcast_id_employee_id_pk"');
      expect((await bigQueue.value.getJobCounts('wait')).wait).toBe(batches.length);
      await enqueueBatches(bigQueue.value, draft.id, batches.slice(0, 100));
      expect((await bigQueue.value.getJobCounts('wait')).wait).toBe(batches.length);
      const job = await bigQueue.value.getJob(broadcastJobId(draft.id, 0));
      expect(job?.data).toEqual({ broadcastId: draft.id, batch: 0 });
    } finally {
      await big.drop();
    }
  });

  it('after Redis lost everything, reconcile re-enqueues the queued deliveries once and finishes complete broadcasts', async () => {
    const pd = pds.find((p) => p.name === 'Inspektorat')!;
    const pending = await sendingBroadcast({ kind: 'units', unitIds: [pd.id] });
    const finished = await sendingBroadcast({ kind: 'role', role: 'pengelola' });
    await db.db.update(broadcastDeliveries).set({ status: 'sent' }).where(eq(broadcastDeliveries.broadcastId, finished.id));
    // A fresh prefix is a Redis without any of our keys, as after FLUSHALL.
    const q = createBroadcastQueue({ url: TEST_REDIS_URL, prefix: `${prefix}flushed` });
    queues.push(q);
    const deps = sendDeps();
    await reconcileBroadcasts(deps, q.value);
    await reconcileBroadcasts(deps, q.value);
    const waiting = await q.value.getJobs(['wait']);
    const forPending = waiting.filter((j) => j.data.broadcastId === pending.id);
    const batches = Math.ceil(pending.recipients / DELIVERY_BATCH_SIZE);
    expect(forPending).toHaveLength(batches);
    expect(new Set(forPending.map((j) => j.data.batch)).size).toBe(batches);
    const [done] = await db.db.select().from(broadcasts).where(eq(broadcasts.id, finished.id));
    expect(done!.status).toBe('done');
    expect(done!.finishedAt).not.toBeNull();
    // Leave nothing for the crash test's workers.
    await db.db.update(broadcasts).set({ status: 'cancelled' }).where(eq(broadcasts.status, 'sending'));
    await db.db.update(broadcastDeliveries).set({ status: 'cancelled' }).where(eq(broadcastDeliveries.status, 'queued'));
  });
});

describe('a worker process killed mid-broadcast', () => {
  const RATE = 100;
  const spawnWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/broadcast-worker-main.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        BROADCAST_RATE_PER_SECOND: String(RATE),
        // Short locks so the second worker takes over the dead one's jobs within seconds.
        BROADCAST_LOCK_DURATION_MS: '1500',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') console.error(`broadcast worker exited ${code}: ${stderr}`);
    });
    children.push(child);
    return child;
  };
  const dbSent = async (broadcastId: string) =>
    rowsOf<{ n: number }>(
      await db.db.execute(sql`select count(*)::int as n from broadcast_deliveries where broadcast_id = ${broadcastId}::uuid and status = 'sent'`),
    )[0]!.n;

  it('resumes after restart: no recipient lost, duplicates only for messages in flight at the kill', async () => {
    fake.setLimits({ globalRatePerSecond: 120 });
    const b = await sendingBroadcast({ kind: 'all' }, 'Pengumuman <b>penting</b>');
    expect(b.recipients).toBe(300);
    const q = createBroadcastQueue({ url: TEST_REDIS_URL, prefix });
    queues.push(q);
    await enqueueBatches(q.value, b.id, await queuedBatches(db.db, b.id));

    const first = spawnWorker();
    // Kill as soon as the fake has accepted 60 messages: the worker is then mid-request on several others.
    await waitUntil(async () => messagesOf(b.id).length, (n) => n >= 60, 'the first worker to send 60 messages', 30_000, 5);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // Requests the dead process had fully written may still be answered by the fake: let it settle first.
    await new Promise((r) => setTimeout(r, 300));
    // What the dead worker got out without recording: exactly these may be sent again.
    const deliveredAtKill = messagesOf(b.id).length;
    const recordedAtKill = await dbSent(b.id);
    const inFlight = deliveredAtKill - recordedAtKill;
    expect(recordedAtKill).toBeLessThan(300);
    console.info(`SIGKILL after ${deliveredAtKill} messages, ${recordedAtKill} recorded: ${inFlight} in flight`);

    const second = spawnWorker();
    await waitUntil(
      async () => (await db.db.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, b.id)))[0]!.status,
      (s) => s === 'done',
      'the broadcast to finish after the restart',
    );
    second.kill('SIGTERM');
    await new Promise((r) => second.once('exit', r));

    const perChat = new Map<number, number>();
    for (const m of messagesOf(b.id)) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    const expectedChats = [...people.values()].map((p) => p.chatId);
    const lost = expectedChats.filter((c) => !perChat.has(c));
    const duplicates = [...perChat.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(lost).toEqual([]);
    console.info(`after restart: ${duplicates} duplicate(s), 0 lost`);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(inFlight).toBeLessThanOrEqual(50); // the worker's concurrency at this rate
    const statuses = rowsOf<{ status: string; n: number }>(
      await db.db.execute(sql`select status, count(*)::int as n from broadcast_deliveries where broadcast_id = ${b.id}::uuid group by status`),
    );
    expect(statuses).toEqual([{ status: 'sent', n: 300 }]);
    expect(fake.stats().maxGlobalPerSecondObserved).toBeLessThanOrEqual(120);
  });
});
