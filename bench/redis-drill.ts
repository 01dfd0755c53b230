// Drill 2: Redis loses everything (FLUSHALL, then a restart) while SLA timers and the daily scheduler are pending.
// A private redis-server is flushed, never the shared one. After reconcile every point fires once, none early or missed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { createJobs, type Jobs, type JobsDeps } from '../jobs/index.js';
import { watchRedisLoss, type RedisLossWatch } from '../jobs/redis-loss.js';
import { DAILY_SCHEDULER_ID, remindersModule } from '../jobs/reminders.js';
import { slaModule } from '../jobs/sla.js';
import { SLA_ACTIONS, type SlaEventData } from '../src/app/sla-fire.js';
import { slaCadence } from '../src/domain/sla.js';
import { slaJobId } from '../jobs/processors/sla-fire.js';
import { act, openCase, type EngineDeps } from '../src/app/case-engine.js';
import { importRoster } from '../src/app/import-roster.js';
import { rowsOf } from '../src/db/client.js';
import { parseRoster } from '../src/domain/roster.js';
import { freePort, ping, redisServerInstalled } from '../src/redis.js';
import { buildTestConfig } from '../test/support/app.js';
import { createTestDatabase, type TestDatabase } from '../test/support/db.js';
import { FakeTelegram } from '../test/support/fake-telegram.js';
import { dispatchSlaOutbox, linkPeople, testJobsDeps, until } from '../test/support/jobs.js';
import type { DrillResult } from './drills.js';
import { syntheticOrg } from './org.js';

const PROCEDURE = 'skp-banyuwangi';
/** The step the cases wait on: the atasan verifies the SKP. */
const STEP = 4;
const rhk = { rhk: [{ id: 'r1', jenis: 'utama', text: 'Tersusunnya laporan kinerja seksi' }] };

/** A throwaway redis-server without persistence, so a restart comes back empty; restartable on the same port. */
interface PrivateRedis {
  url: string;
  port: number;
  /** One command on a short-lived connection (SHUTDOWN closes the connection, so none is kept). */
  command(...args: string[]): Promise<unknown>;
  /** SHUTDOWN NOSAVE, as a crash that loses everything in memory. */
  shutdown(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kinerja-redis-drill-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const exited = (c: ChildProcess) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())));
  const command = async (...args: string[]) => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => {});
    try {
      await client.connect();
      return await client.call(args[0]!, ...args.slice(1));
    } finally {
      client.disconnect();
    }
  };
  return {
    url,
    port,
    command,
    async start() {
      let output = '';
      const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--maxmemory-policy', 'noeviction'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      c.on('error', (error) => (output += `${error.message}\n`));
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
      c.stdout!.on('data', keep);
      c.stderr!.on('data', keep);
      for (let i = 0; i < 100; i++) {
        if (c.exitCode !== null) break;
        if (await ping(url, 500)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      c.kill('SIGKILL');
      throw new Error(`redis-server did not start on port ${port}:\n${output}`);
    },
    async shutdown() {
      const c = child;
      await command('SHUTDOWN', 'NOSAVE').catch(() => {}); // the server closes the connection instead of answering
      if (c) await Promise.race([exited(c), new Promise((r) => setTimeout(r, 5000))]);
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await exited(c);
      }
    },
    async stop() {
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await exited(c);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Opens one SKP case per staff member and brings it to the atasan's step (a few at once, as users would). */
async function openCasesAtStep(engine: EngineDeps, subjectIds: string[]): Promise<string[]> {
  const ids: string[] = [];
  const pending = [...subjectIds];
  const opener = async () => {
    for (let subjectId = pending.shift(); subjectId; subjectId = pending.shift()) {
      const { case: c } = await openCase(engine, { procedureCode: PROCEDURE, subjectId, period: '2026', now: new Date() });
      const done = await act(engine, { caseId: c.id, actorId: subjectId, command: { kind: 'complete', stepNo: STEP - 1, inputs: rhk }, now: new Date() });
      if (done.case.stepNo !== STEP) throw new Error(`case ${c.id} is at step ${done.case.stepNo}, expected ${STEP}`);
      ids.push(c.id);
    }
  };
  await Promise.all(Array.from({ length: 4 }, opener));
  return ids;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function redisLossDrill(size = { timers: 200 }): Promise<DrillResult> {
  if (!redisServerInstalled()) {
    return {
      name: 'redis-loss',
      ok: false,
      lines: ['redis-server is not installed: this drill flushes and restarts a private one (Debian/Ubuntu: sudo apt-get install redis-server)'],
    };
  }
  // Long enough that every case enters the step and every timer is armed before the first point falls due.
  const slaMs = Math.max(8, 4 + Math.ceil(size.timers / 20)) * 1000;
  const redis = await privateRedis();
  let db: TestDatabase | undefined;
  let fake: FakeTelegram | undefined;
  let client: Redis | undefined;
  let jobs: Jobs | undefined;
  let watch: RedisLossWatch | undefined;
  try {
    await redis.start();
    db = await createTestDatabase();
    fake = await FakeTelegram.start({ unlimited: "the drill measures recovery from a Redis failure, not Telegram's pacing" });
    const approvers = Math.max(1, Math.ceil(size.timers / 10));
    const org = syntheticOrg(approvers, Math.ceil(size.timers / approvers));
    const parsed = parseRoster(Buffer.from(org.csv));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
    await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'drill' });
    // The atasan hold the step; the head is their atasan, pengelola and BKPP admin: every escalation reaches someone.
    await linkPeople(db, fake, Object.fromEntries([['head', org.headNip], ...org.atasanNips.map((nip, a) => [`atasan${a}`, nip])]), 400_000);
    const idOf = new Map(rowsOf<{ id: string; nip: string }>(await db.db.execute(sql`select id, nip from employees`)).map((r) => [r.nip, r.id]));
    const subjects = org.staffNips.flat().slice(0, size.timers).map((nip) => idOf.get(nip)!);

    const config = buildTestConfig(
      { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, DATABASE_URL: db.url, REDIS_URL: redis.url },
      {
        calendar: { alwaysOpen: true },
        procedures: { skpAnnual: PROCEDURE, monthly: 'bulanan-tangerang', mixAgencies: true, sla: { [PROCEDURE]: { '3': '1h', [String(STEP)]: `${slaMs / 1000}s`, '5': '1h' } } },
      },
    );
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
    client.on('error', () => {}); // refused while the server is down; ioredis reconnects by itself
    const prefix = 'kinerja';
    // testJobsDeps points the queues at the shared test Redis; this drill's queues live on the private server.
    const deps: JobsDeps = { ...testJobsDeps({ db, fake, config, redis: client, prefix }), connection: { url: redis.url, prefix } };
    jobs = await createJobs(deps, [slaModule, remindersModule]);
    await jobs.reconcile(); // as at boot
    // As a job process runs it: the loss is noticed by the marker key on reconnect, and the rebuild starts at once.
    let armed = false;
    let rebuiltAt = 0;
    let rebuildStartedAt = 0;
    const rebuilds: number[] = [];
    watch = await watchRedisLoss({
      redis: client,
      key: `${prefix}:alive`,
      logger: deps.logger,
      onLoss: async () => {
        if (armed && rebuildStartedAt === 0) rebuildStartedAt = Date.now();
        await jobs!.reconcile();
        rebuilds.push(Date.now());
        if (armed && rebuiltAt === 0) rebuiltAt = Date.now();
      },
    });
    const queueOf = (module: string) => jobs!.modules.find((m) => m.name === module)!.queues![0]! as Queue;
    const slaQueue = queueOf('sla');
    const remindersQueue = queueOf('reminders');
    const notifyQueue = jobs.modules.find((m) => m.name === 'reminders')!.queues![1]! as Queue;
    const engine: EngineDeps = { db: db.db, calendar: deps.calendar, procedures: deps.procedures };

    const setupStarted = Date.now();
    const caseIds = await openCasesAtStep(engine, subjects);
    await dispatchSlaOutbox(db, deps);
    const setupMs = Date.now() - setupStarted;

    // The plan, from Postgres: every point of every case and when it is due.
    const step = deps.procedures.get(PROCEDURE).steps.find((s) => s.no === STEP)!;
    const entered = rowsOf<{ id: string; version: number; step_entered_at: Date | string }>(
      await db.db.execute(sql`select id, version, step_entered_at from cases where status = 'active'`),
    );
    /** Timer id → when that point is due. */
    const plan = new Map<string, Date>();
    for (const r of entered) {
      for (const point of slaCadence(deps.calendar, new Date(r.step_entered_at), slaMs / 60_000, step.escalation)) {
        plan.set(slaJobId({ caseId: r.id, stepNo: STEP, version: r.version, pct: point.pct }), point.fireAt);
      }
    }
    const pcts = step.escalation.map((r) => r.atPercent);
    const lastEntered = Math.max(...entered.map((r) => new Date(r.step_entered_at).getTime()));
    const slaEventCount = async () =>
      rowsOf<{ n: number }>(await db!.db.execute(sql`select count(*)::int as n from case_events where action in (${sql.join(SLA_ACTIONS.map((a) => sql`${a}`), sql`, `)})`))[0]!.n;
    const dailyRuns = async () =>
      rowsOf<{ n: number }>(await db!.db.execute(sql`select coalesce(sum((result->>'runs')::int), 0)::int as n from job_runs where name = ${DAILY_SCHEDULER_ID}`))[0]!.n;

    const keysBefore = Number(await redis.command('DBSIZE'));
    const delayedBefore = (await slaQueue.getJobCounts('delayed')).delayed ?? 0;
    const firedBefore = await slaEventCount();
    const schedulerBefore = await remindersQueue.getJobScheduler(DAILY_SCHEDULER_ID);
    const dailyRunsBefore = await dailyRuns();
    if (firedBefore > 0 || delayedBefore !== plan.size) {
      // Not a loss: the setup was slower than the first point, so the drill could not start from "all pending".
      throw new Error(`setup too slow: ${firedBefore} points fired and ${delayedBefore}/${plan.size} timers pending before the loss (setup ${seconds(setupMs)}, SLA ${slaMs / 1000} s)`);
    }
    const lines = [
      `private redis-server on 127.0.0.1:${redis.port} (no persistence); SLA and reminder job modules running against it`,
      `cases waiting at step ${STEP} (the atasan verifies): ${caseIds.length}, opened in ${seconds(setupMs)}; SLA ${slaMs / 1000} s, points at ${pcts.join('/')} %`,
      `before the loss: ${keysBefore} Redis keys, ${delayedBefore} delayed SLA jobs (expected ${plan.size}), ${firedBefore} points fired, daily scheduler ${schedulerBefore ? 'present' : 'MISSING'}`,
    ];

    // The loss: every key goes, then the server goes down and comes back empty on the same port.
    await redis.command('FLUSHALL');
    const keysAfterFlush = Number(await redis.command('DBSIZE'));
    await redis.shutdown();
    const downAt = Date.now();
    // Stay down past the 100 % point of every case (those fall due with no timer anywhere) but, when the setup was
    // quick enough, not past the first 200 % point (those must be re-armed at their original time).
    const upAt = Math.max(lastEntered + slaMs + 500, downAt + 1000);
    await new Promise((r) => setTimeout(r, upAt - Date.now()));
    armed = true;
    await redis.start();
    const backAt = Date.now();
    const downMs = backAt - downAt;
    // Read on a connection of its own, before the job process's client has reconnected and rebuilt.
    const delayedAfterRestart = Number(await redis.command('DBSIZE'));
    const schedulerAfterRestart = delayedAfterRestart > 0;
    lines.push(
      `FLUSHALL: ${keysAfterFlush} keys left; SHUTDOWN NOSAVE, down ${seconds(downMs)}, restarted on the same port: ` +
        `${delayedAfterRestart} keys right after the restart (daily scheduler and timers ${schedulerAfterRestart ? 'partly there' : 'gone'})`,
    );

    // Nobody calls reconcile here: the job process notices the empty Redis when its connection is ready again.
    await until(async () => rebuiltAt, (t) => t > 0, 'the rebuild after the loss', 60_000).catch(() => 0);
    const reconcileStarted = rebuildStartedAt || Date.now();
    const reconcileMs = (rebuiltAt || Date.now()) - backAt;
    let recreated = 0;
    let dueAtOnce = 0;
    let ahead = 0;
    let aheadOnTime = 0;
    for (const [jobId, fireAt] of plan) {
      const job = await slaQueue.getJob(jobId);
      if (!job) continue;
      recreated++;
      if (fireAt.getTime() <= reconcileStarted) {
        dueAtOnce++;
        continue;
      }
      ahead++;
      // delay = fireAt - (an instant between the start of reconcile and the job's creation)
      const planned = job.timestamp + (job.opts.delay ?? 0);
      if (planned >= fireAt.getTime() && planned <= fireAt.getTime() + (job.timestamp - reconcileStarted)) aheadOnTime++;
    }
    const scheduler = await remindersQueue.getJobScheduler(DAILY_SCHEDULER_ID);
    const schedulerBack = scheduler?.pattern === schedulerBefore?.pattern && scheduler?.tz === config.deployment.instansi.timeZone;
    lines.push(
      `rebuilt ${rebuiltAt ? seconds(reconcileMs) : 'NOT within 60 s'} after Redis was back (by the loss watch, no manual reconcile; ${rebuilds.length} rebuild(s) in all): ${recreated}/${plan.size} timers re-created; ${dueAtOnce} fell due while Redis was down (fire at once), ` +
        `${aheadOnTime}/${ahead} still ahead re-armed at their original time`,
      `daily reminder scheduler: ${scheduler ? `back (${scheduler.pattern} ${scheduler.tz}, next ${new Date(Number(scheduler.next)).toISOString()})` : 'MISSING'}`,
    );

    // Every point falls due, then nothing is left in the SLA queue.
    const lastFire = Math.max(...[...plan.values()].map((d) => d.getTime()));
    await until(slaEventCount, (n) => n >= plan.size, 'every SLA point to fire', Math.max(0, lastFire - Date.now()) + 60_000).catch(() => 0);
    await until(
      () => slaQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      (c) => Object.values(c).every((n) => n === 0),
      'the SLA queue to drain',
      60_000,
    ).catch(() => ({}));

    const events = rowsOf<{ case_id: string; at: Date | string; data: SlaEventData }>(
      await db.db.execute(sql`select case_id, at, data from case_events
        where action in (${sql.join(SLA_ACTIONS.map((a) => sql`${a}`), sql`, `)}) order by id`),
    );
    const byPoint = new Map<string, Array<{ at: Date; scheduledAt: string }>>();
    const order = new Map<string, number[]>();
    for (const e of events) {
      const key = slaJobId({ caseId: e.case_id, stepNo: e.data.stepNo, version: e.data.version, pct: e.data.pct });
      byPoint.set(key, [...(byPoint.get(key) ?? []), { at: new Date(e.at), scheduledAt: e.data.scheduledAt }]);
      order.set(e.case_id, [...(order.get(e.case_id) ?? []), e.data.pct]);
    }
    let once = 0;
    let twice = 0;
    let missed = 0;
    let early = 0;
    let moved = 0;
    for (const [key, fireAt] of plan) {
      const fired = byPoint.get(key) ?? [];
      if (fired.length === 0) missed++;
      else if (fired.length === 1) once++;
      else twice++;
      early += fired.filter((f) => f.at.getTime() < fireAt.getTime()).length;
      moved += fired.filter((f) => f.scheduledAt !== fireAt.toISOString()).length;
    }
    const unplanned = [...byPoint.keys()].filter((k) => !plan.has(k)).length;
    const outOfOrder = [...order.values()].filter((list) => list.join() !== pcts.join()).length;
    // How late each point fired: those due during the outage wait for the reconcile, the others should be on time.
    const lateDuringOutage: number[] = [];
    const lateAhead: number[] = [];
    for (const [key, fired] of byPoint) {
      const fireAt = plan.get(key)?.getTime();
      if (fireAt === undefined) continue;
      for (const f of fired) (fireAt <= reconcileStarted ? lateDuringOutage : lateAhead).push(f.at.getTime() - fireAt);
    }
    const worst = (list: number[]) => (list.length > 0 ? Math.max(...list) : 0);
    lines.push(
      `points fired exactly once: ${once}/${plan.size}; twice or more: ${twice}; missed: ${missed}; not in the plan: ${unplanned}`,
      `fired before their original time: ${early}; logged with a moved time: ${moved}; cases logged out of order: ${outOfOrder}`,
      `lateness at most: ${seconds(worst(lateDuringOutage))} for the points due during the outage, ${worst(lateAhead)} ms for those re-armed ahead`,
    );

    // The messages of every point reach their recipients once (the send queue is rate limited to Telegram's pace),
    // except a heads-up (before 100 %) that fired after its deadline: the overdue message says it instead.
    const stale = (e: (typeof events)[number]) => e.data.pct < 100 && new Date(e.at).getTime() >= new Date(e.data.dueAt).getTime();
    const expectedMessages = events.reduce((s, e) => s + (stale(e) ? 0 : e.data.to.length), 0);
    const staleHeadsUps = events.filter(stale).length;
    const loggedMessages = async () => rowsOf<{ n: number }>(await db!.db.execute(sql`select count(*)::int as n from reminder_log where kind = 'sla'`))[0]!.n;
    await until(loggedMessages, (n) => n >= expectedMessages, 'the SLA messages to be sent', 120_000).catch(() => 0);
    await until(
      () => notifyQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
      (c) => Object.values(c).every((n) => n === 0),
      'the send queue to drain',
      60_000,
    ).catch(() => ({}));
    const delivered = fake.messages().filter((m) => new RegExp(`Langkah ${STEP}:`).test(m.text ?? '')).length;
    const logged = await loggedMessages();
    lines.push(
      `SLA messages delivered: ${delivered}, logged as sent: ${logged} (expected ${expectedMessages}; ` +
        `${staleHeadsUps} heads-up(s) fired after their deadline, left unsent)`,
    );

    // A second reconcile finds nothing to do; the daily check never ran twice.
    const second = await jobs.runNow('sla-reconcile');
    const secondNoop = /\b0 pengatur waktu dibuat ulang, 0 pemberitahuan dikirim ulang/.test(second);
    const dailyRunsAfter = await dailyRuns();
    lines.push(`second reconcile: "${second}"`, `daily reminder check runs: ${dailyRunsAfter} in all, ${dailyRunsBefore} of them before the loss`);

    const ok =
      delayedAfterRestart === 0 &&
      rebuiltAt > 0 &&
      reconcileMs <= 60_000 &&
      recreated === plan.size &&
      aheadOnTime === ahead &&
      schedulerBack &&
      once === plan.size &&
      twice === 0 &&
      missed === 0 &&
      unplanned === 0 &&
      early === 0 &&
      moved === 0 &&
      outOfOrder === 0 &&
      delivered === expectedMessages &&
      logged === expectedMessages &&
      secondNoop &&
      dailyRunsAfter === dailyRunsBefore;
    return { name: 'redis-loss', ok, lines };
  } finally {
    // Workers first (while their server is up), then the server, the fake Bot API and the database.
    watch?.stop();
    await jobs?.close();
    await client?.quit().catch(() => client?.disconnect());
    await redis.stop();
    await fake?.stop();
    await db?.drop();
  }
}
