// Reminder cycle: which days are reminder days on the real 2026 calendar, and on real Postgres + Redis the monthly
// and annual jobs reach exactly the right people, once, through the rate-limited send queue (429 and 403 included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import { createJobs, type Jobs, type JobsDeps } from '../../jobs/index.js';
import { DAILY_SCHEDULER_ID, remindersModule } from '../../jobs/reminders.js';
import { slaModule } from '../../jobs/sla.js';
import { enqueueNotifications, notifyJobId, sendReminder } from '../../jobs/processors/reminder-send.js';
import { runReminderJob } from '../../jobs/processors/reminder-run.js';
import { createDelegation, parseDelegationArgs } from '../../src/app/delegation.js';
import { annualCycle, cycleSettings, monthlyCycle, procedureChoice, remindersDueOn, selectEveryone, selectNotSubmitted, selectPengelolaDigests } from '../../src/app/reminders.js';
import { findEmployeeByNip } from '../../src/app/repositories/employees.js';
import { cases, employees, reminderLog } from '../../src/db/schema/index.js';
import { createCalendar } from '../../src/domain/calendar.js';
import type { RosterRow } from '../../src/domain/roster.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { flushRedisPrefix, testJobsDeps, until } from '../support/jobs.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_REDIS_URL } from '../support/env.js';
import { FakeTelegram } from '../support/fake-telegram.js';

describe('is today a reminder day (the 2026 calendar of the example config)', () => {
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' });
  const calendar = createCalendar(config.calendar);
  const s = cycleSettings(config.deployment);

  it('moves a deadline on a weekend to the next working day and counts reminders in working days', () => {
    // March's realisation is due on 5 April 2026, a Sunday (and Easter): the deadline becomes Monday 6 April.
    // Two working days before it skips the weekend and Good Friday (3 April): Wednesday 1 April.
    expect(monthlyCycle(calendar, '2026-03', s)).toEqual({
      period: '2026-03',
      open: '2026-04-01',
      reminder: '2026-04-01',
      deadline: '2026-04-06',
      digestAtasan: '2026-04-07',
    });
    expect(remindersDueOn(calendar, '2026-04-01', s)).toEqual([
      { job: 'monthly-open', period: '2026-03' },
      { job: 'monthly-reminder', period: '2026-03' },
    ]);
    expect(remindersDueOn(calendar, '2026-04-05', s)).toEqual([]);
    expect(remindersDueOn(calendar, '2026-04-06', s)).toEqual([{ job: 'monthly-deadline', period: '2026-03' }]);
    expect(remindersDueOn(calendar, '2026-04-07', s)).toEqual([{ job: 'monthly-digest-atasan', period: '2026-03' }]);
    // 5 September 2026 is a Saturday: deadline Monday 7 September, reminder Thursday 3 September.
    expect(monthlyCycle(calendar, '2026-08', s)).toMatchObject({ reminder: '2026-09-03', deadline: '2026-09-07', digestAtasan: '2026-09-08' });
    expect(remindersDueOn(calendar, '2026-09-05', s)).toEqual([]);
    // A deadline on a working day stays: 5 June 2026 is a Friday.
    expect(monthlyCycle(calendar, '2026-05', s)).toMatchObject({ open: '2026-06-02', reminder: '2026-06-03', deadline: '2026-06-05' });
  });

  it('opens the SKP on the first working day of January and reminds before a deadline moved off the weekend', () => {
    // 1 January is a holiday; 31 January 2026 is a Saturday, so the SKP deadline is Monday 2 February.
    expect(annualCycle(calendar, 2026, s)).toEqual({
      year: 2026,
      open: '2026-01-02',
      reminders: ['2026-01-26', '2026-01-29', '2026-02-02'],
      deadline: '2026-02-02',
    });
    // The first working day of January also opens December's realisation; last year's annual evaluation opens the
    // working day after December is due (Monday 5 January), so no period of the year is counted missing too early.
    expect(remindersDueOn(calendar, '2026-01-02', s)).toEqual([
      { job: 'monthly-open', period: '2025-12' },
      { job: 'annual-open', period: '2026' },
    ]);
    expect(remindersDueOn(calendar, '2026-01-06', s)).toContainEqual({ job: 'annual-evaluation-open', period: '2025' });
    expect(remindersDueOn(calendar, '2026-01-05', s).map((d) => d.job)).not.toContain('annual-evaluation-open');
    expect(remindersDueOn(calendar, '2026-02-02', s)).toEqual([
      { job: 'monthly-open', period: '2026-01' },
      { job: 'annual-reminder', period: '2026' },
    ]);
  });

  it('on a 24/7 calendar every day counts', () => {
    const open = createCalendar(buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }, { calendar: { alwaysOpen: true } }).calendar);
    expect(monthlyCycle(open, '2026-03', s)).toEqual({ period: '2026-03', open: '2026-04-01', reminder: '2026-04-03', deadline: '2026-04-05', digestAtasan: '2026-04-06' });
  });
});

// ---------------------------------------------------------------------------------------------------------

const NO_PHONE = new Set(['198811032017031003', '199102282015032003', '199510102022211004']); // Iqbal, Wulan, Gilang
const NIP = {
  rudi: '199002202014061002', // deactivated
  nadia: '199607072022212001', // unreachable (blocked the bot earlier)
  bayu: '199712052023211006', // linked but never pressed Start: Telegram answers 403
  lilis: '197612012002122003', // on leave, Plh Hendro
  hendro: '198108102006041004',
  anisa: '199207142017032002',
  melati: '199011052019022001',
  yuliana: '198601152010012007',
  lestari: '199004182015032004',
  hari: '198107212006041005', // Lestari's atasan
  rini: '199508232023212003', // has a March case, not submitted
  dedi: '198909092015031004', // submitted February, not March
  arif: '198606082011011008', // Inspektorat: submitted March with the Inspektorat's own procedure
  siti: '198303272008012005', // pengelola Dinas Kesehatan
  yeni: '198304242009022005', // pengelola Inspektorat
};
const SUBMITTED_MARCH = new Set([NIP.anisa, NIP.melati, NIP.yuliana, NIP.lestari, NIP.arif]);

let roster: RosterRow[];
let db: TestDatabase;
let fake: FakeTelegram;
let redis: Redis;
let deps: JobsDeps;
let jobs: Jobs;
const chatOf = new Map<string, number>(); // nip → chat id
const idOf = new Map<string, string>(); // nip → employee id
const prefix = `trem${process.pid}_${randomBytes(3).toString('hex')}`;

const flushPrefix = (p = prefix) => flushRedisPrefix(redis, p);


const notifyQueue = () => jobs.modules.find((m) => m.name === 'reminders')!.queues![1]! as Queue;
async function notifyIdle(): Promise<void> {
  await until(
    () => notifyQueue().getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    (c) => Object.values(c).every((n) => n === 0),
    'the send queue to drain',
  );
}
const logged = async (kind: string, runKey: string) =>
  (await db.db.select({ n: sql<number>`count(*)::int` }).from(reminderLog).where(and(eq(reminderLog.kind, kind), eq(reminderLog.runKey, runKey))))[0]!.n;

/** The NIPs whose chat received a message matching `pattern`, with how many each. */
function receivers(pattern: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  for (const [nip, chatId] of chatOf) {
    const n = fake.messages(chatId).filter((m) => pattern.test(m.text ?? '')).length;
    if (n > 0) out.set(nip, n);
  }
  return out;
}

async function insertCase(nip: string, values: { procedureCode: string; period: string; stepNo: number; submitted: boolean; assignee?: string }) {
  await db.db.insert(cases).values({
    procedureCode: values.procedureCode,
    subjectId: idOf.get(nip)!,
    period: values.period,
    status: 'active',
    stepNo: values.stepNo,
    assigneeId: values.assignee ? idOf.get(values.assignee)! : idOf.get(nip)!,
    stepEnteredAt: new Date('2026-04-01T02:00:00Z'),
    submittedAt: values.submitted ? new Date('2026-04-01T02:00:00Z') : null,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  roster = await importExampleRoster(db);
  fake = await FakeTelegram.start();
  let n = 8300;
  for (const row of roster) {
    const [e] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, row.nip));
    idOf.set(row.nip, e!.id);
    if (NO_PHONE.has(row.nip)) continue;
    const id = ++n;
    chatOf.set(row.nip, id);
    fake.addUser({ id, first_name: row.nama.split(' ')[0]! });
    if (row.nip !== NIP.bayu) fake.markStarted(id);
    await db.db.update(employees).set({ telegramUserId: id, telegramChatId: id }).where(eq(employees.nip, row.nip));
  }
  await db.db.update(employees).set({ active: false }).where(eq(employees.nip, NIP.rudi));
  await db.db.update(employees).set({ unreachableAt: new Date() }).where(eq(employees.nip, NIP.nadia));
  // March cases: submitted (at the rating step, for the atasan digest), one open but not submitted, and a
  // February submission that does not count for March.
  await insertCase(NIP.anisa, { procedureCode: 'bulanan-tangerang', period: '2026-03', stepNo: 4, submitted: true, assignee: NIP.yuliana });
  await insertCase(NIP.melati, { procedureCode: 'bulanan-tangerang', period: '2026-03', stepNo: 4, submitted: true, assignee: NIP.yuliana });
  await insertCase(NIP.yuliana, { procedureCode: 'bulanan-tangerang', period: '2026-03', stepNo: 4, submitted: true, assignee: NIP.lilis });
  await insertCase(NIP.lestari, { procedureCode: 'bulanan-tangerang', period: '2026-03', stepNo: 4, submitted: true, assignee: NIP.hari });
  await insertCase(NIP.arif, { procedureCode: 'pengukuran-inspektorat', period: '2026-03', stepNo: 2, submitted: true, assignee: NIP.yeni });
  await insertCase(NIP.rini, { procedureCode: 'bulanan-tangerang', period: '2026-03', stepNo: 3, submitted: false });
  await insertCase(NIP.dedi, { procedureCode: 'bulanan-tangerang', period: '2026-02', stepNo: 7, submitted: true });

  fake.setLimits({ globalRatePerSecond: 30 });
  // The example config (Inspektorat runs its own monthly procedure) on a 24/7 calendar.
  const config = buildTestConfig(
    { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL },
    { calendar: { alwaysOpen: true } },
  );
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  deps = testJobsDeps({ db, fake, config, redis, prefix });
  jobs = await createJobs(deps, [slaModule, remindersModule]);
  // Lilis is on leave on the day the jobs run for; Hendro is her Plh.
  const lilis = (await findEmployeeByNip(db.db, NIP.lilis))!;
  await createDelegation(db.db, { employee: lilis, request: parseDelegationArgs(`${NIP.hendro} 01-04-2026 07-04-2026 cuti`), today: '2026-04-01', now: new Date() });
});

afterAll(async () => {
  await jobs?.close();
  if (redis) await flushPrefix();
  await redis?.quit();
  await fake?.stop();
  await db?.drop();
});

/** Independent of the SQL: linked, active, not blocked, not on leave (Lilis) and without a March submission. */
function expectedNotSubmitted(): Set<string> {
  return new Set(
    roster
      .map((r) => r.nip)
      .filter((nip) => chatOf.has(nip) && nip !== NIP.rudi && nip !== NIP.nadia && nip !== NIP.lilis && !SUBMITTED_MARCH.has(nip)),
  );
}

describe('monthly reminders', () => {
  it('reach exactly the ASN who have not submitted March, and running the job twice sends once', async () => {
    const expected = expectedNotSubmitted();
    const summary = await jobs.runNow('monthly-reminder', { date: '2026-04-01', period: '2026-03' });
    expect(summary).toContain(`${expected.size} pesan`);
    await until(() => logged('monthly-reminder', '2026-03'), (n) => n >= expected.size, 'every reminder logged');
    await notifyIdle();

    const got = receivers(/Pengingat realisasi bulan Maret 2026/);
    // Bayu never started the bot: Telegram refused (403), so he is marked unreachable and not retried.
    const reached = new Set(expected);
    reached.delete(NIP.bayu);
    expect(new Set(got.keys())).toEqual(reached);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    const [bayu] = await db.db.select({ unreachableAt: employees.unreachableAt }).from(employees).where(eq(employees.nip, NIP.bayu));
    expect(bayu!.unreachableAt).toBeInstanceOf(Date);
    expect(fake.calls('sendMessage').filter((c) => Number(c.params.chat_id) === chatOf.get(NIP.bayu))).toHaveLength(1);

    const again = await jobs.runNow('monthly-reminder', { date: '2026-04-01', period: '2026-03' });
    expect(again).toContain('tidak ada pesan baru yang dijadwalkan. Yang belum mengirim sudah mendapatkannya, atau semua sudah mengirim.');
    expect(again).not.toMatch(/\b0 pesan/);
    await notifyIdle();
    expect(receivers(/Pengingat realisasi bulan Maret 2026/)).toEqual(got);
    // The send itself is idempotent too: the same reminder handed to the sender again is not sent.
    const dedi = idOf.get(NIP.dedi)!;
    const outcome = await sendReminder(
      { kind: 'monthly-reminder', runKey: '2026-03', employeeId: dedi, text: 'x' },
      { db: db.db, telegram: deps.telegram, calendar: deps.calendar, now: deps.now, logger: deps.logger },
    );
    expect(outcome).toEqual({ status: 'duplicate' });
  });

  it('survives 429s: every recipient of the opening announcement gets it exactly once', async () => {
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }, 3);
    const expected = new Set([...chatOf.keys()].filter((nip) => ![NIP.rudi, NIP.nadia, NIP.bayu, NIP.lilis].includes(nip)));
    const summary = await jobs.runNow('monthly-open', { date: '2026-04-01' });
    expect(summary).toContain(`${expected.size} pesan`);
    await until(() => logged('monthly-open', '2026-03'), (n) => n >= expected.size, 'every announcement logged');
    await notifyIdle();
    const got = receivers(/Pengisian realisasi kinerja bulan Maret 2026 sudah dibuka/);
    expect(new Set(got.keys())).toEqual(expected);
    expect([...got.values()].every((n) => n === 1)).toBe(true);
    // On the 24/7 calendar the deadline stays on Sunday 5 April.
    const opening = fake.messages(chatOf.get(NIP.dedi)!).find((m) => /sudah dibuka/.test(m.text ?? ''))!;
    expect(opening.text).toContain('Minggu, 5 April 2026');
    // The command names the month: read after the deadline, a bare /realisasi would open April.
    expect(opening.text).toMatch(/Ketik \/realisasi maret untuk mulai\.$/);
  });

  it('on the deadline: the last call, and each pengelola gets the list of who is missing in their perangkat daerah', async () => {
    await jobs.runNow('monthly-deadline', { date: '2026-04-05', period: '2026-03' });
    const expected = expectedNotSubmitted();
    expected.delete(NIP.bayu); // now known unreachable
    await until(() => logged('monthly-deadline', '2026-03'), (n) => n >= expected.size, 'every last call logged');
    await until(
      async () => (await db.db.select({ n: sql<number>`count(*)::int` }).from(reminderLog).where(eq(reminderLog.kind, 'monthly-digest-pengelola')))[0]!.n,
      (n) => n >= 4,
      'four pengelola digests',
    );
    await notifyIdle();
    expect(new Set(receivers(/Hari ini batas terakhir realisasi bulan Maret 2026/).keys())).toEqual(expected);
    const lastCall = fake.messages(chatOf.get(NIP.dedi)!).find((m) => /Hari ini batas terakhir/.test(m.text ?? ''))!;
    expect(lastCall.text).toContain('Ketik /realisasi maret sekarang');

    // Independent count per perangkat daerah: active employees (linked or not) without a March submission.
    const missingIn = (pd: string) =>
      roster.filter((r) => r.unitPath[0] === pd && r.nip !== NIP.rudi && !SUBMITTED_MARCH.has(r.nip));
    const digests = receivers(/Rekap realisasi bulan Maret 2026/);
    expect(digests.get(NIP.siti)).toBe(1);
    expect(digests.get(NIP.yeni)).toBe(1);
    const sitiText = fake.messages(chatOf.get(NIP.siti)!).find((m) => /Rekap realisasi/.test(m.text ?? ''))!.text!;
    const dinkes = missingIn('Dinas Kesehatan');
    expect(sitiText).toContain(`Belum mengirim: ${dinkes.length} pegawai (1 di antaranya belum menautkan Telegram)`);
    for (const r of dinkes) expect(sitiText).toContain(r.nama);
    expect(sitiText).not.toContain('Anisa Fitriani');
    const yeniText = fake.messages(chatOf.get(NIP.yeni)!).find((m) => /Rekap realisasi/.test(m.text ?? ''))!.text!;
    const inspektorat = missingIn('Inspektorat');
    expect(yeniText).toContain(`Belum mengirim: ${inspektorat.length} pegawai`);
    expect(yeniText).not.toContain('Arif Rahman');
  });

  it('after the deadline: each atasan (or their Plh) gets the ratings waiting for them', async () => {
    await jobs.runNow('monthly-digest-atasan', { date: '2026-04-06', period: '2026-03' });
    await until(
      async () => (await db.db.select({ n: sql<number>`count(*)::int` }).from(reminderLog).where(eq(reminderLog.kind, 'monthly-digest-atasan')))[0]!.n,
      (n) => n >= 3,
      'three atasan digests',
    );
    await notifyIdle();
    const got = receivers(/Penilaian yang menunggu Bapak\/Ibu/);
    expect(got).toEqual(new Map([[NIP.yuliana, 1], [NIP.hendro, 1], [NIP.hari, 1]]));
    const yuliana = fake.messages(chatOf.get(NIP.yuliana)!).find((m) => /Penilaian yang menunggu/.test(m.text ?? ''))!.text!;
    expect(yuliana).toMatch(/Ada 2 realisasi yang menunggu penilaian/);
    expect(yuliana).toContain('Anisa Fitriani');
    expect(yuliana).toContain('Melati Kusuma');
    const hendro = fake.messages(chatOf.get(NIP.hendro)!).find((m) => /Penilaian yang menunggu/.test(m.text ?? ''))!.text!;
    expect(hendro).toContain('Yuliana Pertiwi');
    expect(hendro).toContain('Plh dr. Lilis Suryani');
  });
});

describe('annual reminders', () => {
  it('remind those without a submitted SKP of the year', async () => {
    await insertCase(NIP.anisa, { procedureCode: 'skp-banyuwangi', period: '2026', stepNo: 4, submitted: true, assignee: NIP.yuliana });
    await insertCase(NIP.arif, { procedureCode: 'skp-banyuwangi', period: '2026', stepNo: 4, submitted: true });
    // Lilis's leave ended on 7 April; on 29 January she was at work.
    const expected = new Set([...chatOf.keys()].filter((nip) => ![NIP.rudi, NIP.nadia, NIP.bayu, NIP.anisa, NIP.arif].includes(nip)));
    const summary = await jobs.runNow('annual-reminder', { date: '2026-01-29' });
    expect(summary).toContain(`${expected.size} pesan`);
    await until(() => logged('annual-reminder', '2026:2026-01-29'), (n) => n >= expected.size, 'every SKP reminder logged');
    await notifyIdle();
    expect(new Set(receivers(/Pengingat SKP tahun 2026/).keys())).toEqual(expected);
  });

  it('do not announce "penyusunan SKP sudah dimulai" to everyone when run by hand after the deadline', async () => {
    const before = fake.calls('sendMessage').length;
    const summary = await jobs.runNow('annual-open', { date: '2026-12-08' });
    expect(summary).toBe(
      'Pengumuman SKP tahun 2026 tidak dikirim: batas penyusunannya, Sabtu, 31 Januari 2026, sudah lewat. ' + // this file's calendar is 24/7
        'Untuk mengingatkan yang belum mengirim SKP, jalankan pengingat-skp; untuk pengumuman lain, gunakan /umumkan.',
    );
    expect(await logged('annual-open', '2026')).toBe(0);
    await notifyIdle();
    expect(fake.calls('sendMessage').slice(before).filter((c) => /Segera buat SKP/.test(String(c.params.text)))).toHaveLength(0);
  });
});

describe('a year missing from the holiday calendar', () => {
  it('is a daily-check item on working days from October, for the year the config does not list', () => {
    const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }); // the example config lists 2026 only
    const calendar = createCalendar(config.calendar);
    const s = cycleSettings(config.deployment);
    expect(remindersDueOn(calendar, '2026-09-01', s).filter((d) => d.job === 'calendar-check')).toEqual([]);
    expect(remindersDueOn(calendar, '2026-11-02', s)).toContainEqual({ job: 'calendar-check', period: '2027' });
    expect(remindersDueOn(calendar, '2026-11-01', s)).toEqual([]); // a Sunday
  });

  it('tells every reachable BKPP admin once, and nobody when the year is listed or the calendar is 24/7', async () => {
    const admins = new Set(roster.filter((r) => r.peran.includes('bkpp_admin') && chatOf.has(r.nip)).map((r) => r.nip));
    expect(admins.size).toBeGreaterThan(0);
    // The example calendar (2026 listed), not this file's 24/7 one, with this file's database and send queue.
    const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: fake.token });
    const run = (date: string, period?: string) =>
      runReminderJob(
        { db: db.db, calendar: createCalendar(config.calendar), config, procedures: deps.procedures, now: () => new Date(), enqueue: (items) => enqueueNotifications(notifyQueue(), items) },
        'calendar-check',
        { date, ...(period ? { period } : {}) },
      );
    expect((await run('2026-11-02')).summary).toContain(`Hari libur 2027 belum ada di konfigurasi: pemberitahuan kepada ${admins.size} admin`);
    await until(() => logged('calendar-check', '2027'), (n) => n >= admins.size, 'the notice logged for every admin');
    await notifyIdle();
    expect(new Set(receivers(/Hari libur tahun 2027 belum ada/).keys())).toEqual(admins);
    // The next working day's check says nothing new; a listed year, or a 24/7 calendar, asks nobody.
    expect((await run('2026-11-03', '2027')).queued).toBe(0);
    expect((await run('2026-11-03', '2026')).summary).toMatch(/sudah tercantum/);
    expect(await jobs.runNow('calendar-check', { date: '2026-11-03', period: '2027' })).toMatch(/sudah tercantum/);
  });
});

describe('working hours', () => {
  it('holds a reminder due outside working hours until the next opening, without logging it', async () => {
    const calendar = createCalendar(buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }).calendar);
    const sunday = new Date('2026-04-05T03:00:00Z'); // Sunday 10.00 WIB
    const outcome = await sendReminder(
      { kind: 'test-hours', runKey: 'x', employeeId: idOf.get(NIP.dedi)!, text: 'x' },
      { db: db.db, telegram: deps.telegram, calendar, now: () => sunday, logger: deps.logger },
    );
    expect(outcome).toEqual({ status: 'outside_hours', sendAt: new Date('2026-04-06T00:30:00Z') }); // Monday 07.30 WIB
    expect(await logged('test-hours', 'x')).toBe(0);
  });

  it('the send queue moves such a reminder to delayed until the next opening', async () => {
    const calendar = createCalendar(buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' }).calendar);
    const sunday = new Date('2026-04-05T03:00:00Z');
    const otherPrefix = `${prefix}_hours`;
    const sundayJobs = await createJobs({ ...deps, calendar, now: () => sunday, connection: { url: TEST_REDIS_URL, prefix: otherPrefix }, outboxHandlers: new Map() }, [remindersModule]);
    try {
      const queue = sundayJobs.modules[0]!.queues![1]! as Queue;
      const item = { kind: 'test-hours', runKey: 'queued', employeeId: idOf.get(NIP.dedi)!, text: 'x' };
      await enqueueNotifications(queue, [item]);
      await until(() => queue.getJobState(notifyJobId(item)), (state) => state === 'delayed', 'the reminder to be delayed');
      const job = (await queue.getJob(notifyJobId(item)))!;
      // Sunday 10.00 → Monday 07.30 WIB is 21.5 hours away.
      expect(job.timestamp + (job.delay ?? 0) - Date.now()).toBeGreaterThan(21 * 3600_000);
      expect(await logged('test-hours', 'queued')).toBe(0);
    } finally {
      await sundayJobs.close();
      await flushPrefix(otherPrefix);
    }
  });
});

describe('a perangkat daerah evaluated per triwulan', () => {
  it('is announced and reminded the triwulan only, and left out of the months', async () => {
    const config = buildTestConfig(
      { TELEGRAM_BOT_TOKEN: '1:test-token' },
      {
        procedures: {
          skpAnnual: 'skp-banyuwangi',
          monthly: 'bulanan-tangerang',
          mixAgencies: true,
          perUnit: { Inspektorat: { monthly: 'pengukuran-inspektorat' }, 'Dinas Kesehatan': { periodic: { period: 'triwulanan' } } },
        },
      },
    );
    const choice = procedureChoice(config.deployment.procedures, 'monthly');
    const key = (period: string) => ({ kind: 'test-periodic', runKey: period, today: '2026-04-02' });
    const nipOf = new Map([...idOf].map(([nip, id]) => [id, nip]));
    const inDinkes = (id: string) => roster.find((r) => r.nip === nipOf.get(id))!.unitPath[0] === 'Dinas Kesehatan';

    const quarter = await selectEveryone(db.db, { ...key('2026-T1'), periodic: { period: '2026-T1', choice } });
    const month = await selectEveryone(db.db, { ...key('2026-03'), periodic: { period: '2026-03', choice } });
    const everyone = await selectEveryone(db.db, key('2026'));
    expect(quarter.length).toBeGreaterThan(0);
    expect(quarter.every(inDinkes)).toBe(true);
    expect(month.some(inDinkes)).toBe(false);
    expect(new Set([...quarter, ...month])).toEqual(new Set(everyone));
    // Nobody submitted Triwulan I; Anisa's March case does not count for it.
    expect(new Set(await selectNotSubmitted(db.db, { ...key('2026-T1'), period: '2026-T1', choice }))).toEqual(new Set(quarter));
    const marchMissing = await selectNotSubmitted(db.db, { ...key('2026-03'), period: '2026-03', choice });
    expect(marchMissing.some(inDinkes)).toBe(false);
    // Each pengelola hears of the kind of period their perangkat daerah uses only.
    const digestUnits = async (period: string) =>
      (await selectPengelolaDigests(db.db, { kind: 'test-digest', period, today: '2026-04-02', choice })).map((d) => d.perangkatDaerah);
    expect(new Set(await digestUnits('2026-T1'))).toEqual(new Set(['Dinas Kesehatan']));
    expect(await digestUnits('2026-03')).not.toContain('Dinas Kesehatan');
    expect((await digestUnits('2026-03')).length).toBeGreaterThan(0);
  });
});

describe('old reminder claims', () => {
  const all = async () => (await db.db.select({ n: sql<number>`count(*)::int` }).from(reminderLog))[0]!.n;
  const age = (kind: string, days: number) =>
    db.db.execute(sql`update reminder_log set sent_at = now() - make_interval(days => ${days}) where kind = ${kind}`);

  it('are deleted 400 days after they were sent, by the daily check or /jalankan reminder-log-prune', async () => {
    // March's reminders went out 401 days ago, its opening announcement 399 days ago.
    await age('monthly-reminder', 401);
    await age('monthly-open', 399);
    const before = await all();
    const old = await logged('monthly-reminder', '2026-03');
    const young = await logged('monthly-open', '2026-03');
    expect(old).toBeGreaterThan(0);
    expect(young).toBeGreaterThan(0);

    expect(await jobs.runNow('reminder-log-prune')).toBe(`${old} catatan pengingat yang terkirim lebih dari 400 hari lalu dihapus.`);
    expect(await logged('monthly-reminder', '2026-03')).toBe(0);
    expect(await logged('monthly-open', '2026-03')).toBe(young);
    expect(await all()).toBe(before - old);
    expect(await jobs.runNow('reminder-log-prune')).toBe('Tidak ada catatan pengingat terkirim yang lebih lama dari 400 hari.');

    // The scheduled daily check (a day with nothing due) deletes them too, once its reminders are done.
    await age('monthly-open', 401);
    const queue = jobs.modules.find((m) => m.name === 'reminders')!.queues![0]! as Queue;
    await queue.add(DAILY_SCHEDULER_ID, { date: '2026-04-20' });
    await until(() => logged('monthly-open', '2026-03'), (n) => n === 0, 'the daily check to prune the old claims');
    expect(await all()).toBe(before - old - young);
  });
});
