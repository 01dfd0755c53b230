// Benchmark: an announcement to 6,000 linked recipients, at Telegram's pace (scaled x10) and unthrottled, each beside
// its baseline in the same run: unthrottled against a bare keep-alive HTTP loop to the same fake (the ceiling), paced
// against the send-until-429 pattern (auto-retry). BENCH_ROUNDS rounds (default 1); BENCH_LOAD=1 adds a CPU hog;
// BENCH_RECIPIENTS sets the audience (default 6,000).
// The fake Bot API runs in a process of its own (as Telegram is not in the bot's process).
import './env-setup.js';
import { eq, sql } from 'drizzle-orm';
import { broadcastJobsOf } from '../jobs/broadcast.js';
import { createBroadcastDraft, setDraftAudience, startBroadcast } from '../src/app/broadcast.js';
import { importRoster } from '../src/app/import-roster.js';
import { rowsOf } from '../src/db/client.js';
import { broadcasts } from '../src/db/schema/index.js';
import { parseRoster } from '../src/domain/roster.js';
import { generateRoster } from '../test/support/roster-gen.js';
import type { FakeTelegramStats } from '../test/support/fake-telegram.js';
import { cpuSnapshot, type CpuSnapshot, ensureTemplate, figure, peakRssMb, runMain, startLoadIfAsked, startProfileIfAsked, versus } from './support.js';
import { startBenchApp } from './bench-app.js';
import { sendToAll, type LoopResult } from './baselines/http-broadcast.js';
import { RemoteFake } from './remote-fake.js';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 6000);
const LIMIT = 300; // the fake's global limit: Telegram's 30/s at a tenfold scale
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/** Connections of the baseline loops: enough to saturate the fake from one process on this machine. */
const LOOP_CONCURRENCY = Number(process.env.BENCH_LOOP_CONCURRENCY ?? 32);
const TEXT = 'Segera buat <b>SKP tahun 2027</b>, batas 31 Januari 2027.';
/**
 * The paced run's BROADCAST_RATE_PER_SECOND as a fraction of the fake's limit (BENCH_PACE, default 0.99): the
 * shared schedule spaces sends evenly, so 1 % under the limit leaves the fake's rolling one-second window no 429
 * to give (0.98 measured 0.968-0.971 of the limit end to end, the job start and the last record included).
 */
const PACE = Number(process.env.BENCH_PACE ?? 0.99);
/** BENCH_BROADCAST_ONLY=paced|unthrottled runs one half (with its baseline). */
const ONLY = process.env.BENCH_BROADCAST_ONLY;
const PACED_LIMITS = { globalRatePerSecond: LIMIT, flatPerChatPerSecond: 1 };

/** Where a run's CPU went, in microseconds per message sent: steadier than the rate on a shared machine. */
function cpuPerMessage(label: string, before: CpuSnapshot, after: CpuSnapshot, messages: number): void {
  for (const key of ['process', 'fake', 'postgres', 'redis'] as const) {
    const used = after[key] - before[key];
    if (Number.isFinite(used)) figure(`${label}_cpu_us_per_message_${key}`, (used * 1e6) / Math.max(1, messages), 'µs');
  }
}

interface Outcome {
  rate: number;
  share429: number;
}

async function run(label: string, env: Record<string, string>, limits: { globalRatePerSecond?: number; flatPerChatPerSecond?: number }): Promise<Outcome> {
  const t = await startBenchApp(env);
  try {
    const { csv } = generateRoster({ employees: RECIPIENTS, perangkatDaerah: 20, seed: 11 });
    const parsed = parseRoster(Buffer.from(csv), { maxRows: RECIPIENTS + 10 });
    if (!parsed.ok) throw new Error('roster');
    await importRoster(t.db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'bench' });
    // Link everyone to a fake Telegram account (chat id = 1,000,000 + row number).
    await t.db.db.execute(sql`update employees e set telegram_user_id = 1000000 + n.rn, telegram_chat_id = 1000000 + n.rn
      from (select id, row_number() over (order by nip) as rn from employees) n where n.id = e.id`);
    const chats = rowsOf<{ chat: number }>(await t.db.db.execute(sql`select telegram_chat_id::bigint as chat from employees`)).map((r) => Number(r.chat));
    await t.fake.call('addStartedUsers', chats);
    const [admin] = rowsOf<{ id: string; chat: number }>(
      await t.db.db.execute(sql`select e.id, e.telegram_chat_id::bigint as chat from employees e join employee_roles r on r.employee_id = e.id and r.role = 'bkpp_admin' limit 1`),
    );
    await t.fake.call('setLimits', limits);
    await t.fake.call('resetStats');
    const progress = await t.app.bot.telegram.sendMessage(Number(admin!.chat), 'progres');
    const draft = await createBroadcastDraft(t.db.db, { createdBy: admin!.id, scope: { unitId: null }, textHtml: TEXT, media: null, templateCode: null });
    await setDraftAudience(t.db.db, { broadcastId: draft.id, actorId: admin!.id, audience: { kind: 'all' } });
    const stopProfile = label === 'broadcast_unthrottled' ? await startProfileIfAsked() : async () => {};
    const cpuBefore = cpuSnapshot(t.fake.pid);
    const started = performance.now();
    const { recipients } = await startBroadcast(t.db.db, t.app.deps.procedures, { broadcastId: draft.id, actorId: admin!.id, now: new Date(), progress: { chatId: Number(admin!.chat), messageId: progress.message_id } });
    await broadcastJobsOf(t.app.jobs)!.enqueue(draft.id);
    const enqueued = performance.now();
    for (;;) {
      const [b] = await t.db.db.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, draft.id));
      if (b!.status === 'done') break;
      if (performance.now() - started > 600_000) throw new Error('broadcast did not finish in 10 minutes');
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    cpuPerMessage(label, cpuBefore, cpuSnapshot(t.fake.pid), recipients);
    await stopProfile();
    const ack = `ack:${draft.id.replace(/-/g, '')}`;
    const counts = await t.fake.call<Record<number, number>>('countsByChat', ack);
    const perChat = new Map<number, number>(chats.map((chat) => [chat, counts[chat] ?? 0]));
    const missing = [...perChat.values()].filter((n) => n === 0).length;
    const duplicates = [...perChat.values()].reduce((s, n) => s + Math.max(0, n - 1), 0);
    const stats = await t.fake.call<FakeTelegramStats>('stats');
    const rate = recipients / seconds;
    const share429 = stats.rejected429 / Math.max(1, stats.sent + stats.rejected429);
    figure(`${label}_recipients`, recipients, 'recipients');
    figure(`${label}_enqueue_seconds`, (enqueued - started) / 1000, 's');
    figure(`${label}_seconds`, seconds, 's');
    if (limits.globalRatePerSecond) {
      figure(`${label}_rate_fraction_of_limit`, rate / limits.globalRatePerSecond, 'of limit', { value: 0.97, better: 'higher' });
      figure(`${label}_429_share`, (100 * stats.rejected429) / Math.max(1, stats.sent + stats.rejected429), '%', { value: 0.1, better: 'lower' });
      figure(`${label}_max_per_second_observed`, stats.maxGlobalPerSecondObserved, 'msg/s');
    } else {
      figure(`${label}_messages_per_second`, rate, 'msg/s', { value: 1500, better: 'higher' });
    }
    figure(`${label}_duplicates`, duplicates, 'messages', { value: 0, better: 'lower' });
    figure(`${label}_missing`, missing, 'recipients', { value: 0, better: 'lower' });
    figure(`${label}_peak_rss`, peakRssMb(), 'MB');
    return { rate, share429 };
  } finally {
    await t.stop();
  }
}

/** A baseline loop against a fake of its own, with the same recipients (started users) as the project's run. */
async function baseline(label: string, limits: typeof PACED_LIMITS | null, retryOn429: boolean): Promise<Outcome> {
  const fake = await RemoteFake.start();
  try {
    const chats = Array.from({ length: RECIPIENTS }, (_, i) => 1_000_001 + i);
    await fake.call('addStartedUsers', chats);
    await fake.call('setLimits', limits ?? {});
    await fake.call('resetStats');
    const stopProfile = limits === null ? await startProfileIfAsked('.baseline') : async () => {};
    const cpuBefore = cpuSnapshot(fake.pid);
    const r: LoopResult = await sendToAll(fake, chats, { concurrency: LOOP_CONCURRENCY, retryOn429, text: TEXT });
    cpuPerMessage(label, cpuBefore, cpuSnapshot(fake.pid), r.delivered);
    await stopProfile();
    const rate = r.delivered / r.seconds;
    const share429 = r.rejected429 / Math.max(1, r.delivered + r.rejected429);
    figure(`${label}_seconds`, r.seconds, 's');
    if (limits) {
      figure(`${label}_rate_fraction_of_limit`, rate / limits.globalRatePerSecond, 'of limit');
      figure(`${label}_429_share`, 100 * share429, '%');
    } else {
      figure(`${label}_messages_per_second`, rate, 'msg/s');
    }
    return { rate, share429 };
  } finally {
    await fake.stop();
  }
}

async function main(): Promise<void> {
  await ensureTemplate();
  const stopLoad = await startLoadIfAsked();
  const paced: Outcome[] = [];
  const autoRetry: Outcome[] = [];
  const unthrottled: Outcome[] = [];
  const bare: Outcome[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      if (ONLY !== 'unthrottled') {
        paced.push(await run('broadcast_paced', { BROADCAST_RATE_PER_SECOND: String(LIMIT * PACE) }, PACED_LIMITS));
        autoRetry.push(await baseline('baseline_auto_retry', PACED_LIMITS, true));
      }
      if (ONLY !== 'paced') {
        unthrottled.push(await run('broadcast_unthrottled', { BROADCAST_RATE_PER_SECOND: '10000' }, {}));
        bare.push(await baseline('baseline_bare_http_loop', null, false));
      }
    }
  } finally {
    stopLoad();
  }
  const fraction = (list: Outcome[]) => list.map((o) => o.rate / LIMIT);
  const percent = (list: Outcome[]) => list.map((o) => 100 * o.share429);
  if (paced.length > 0) {
    versus('broadcast_paced fraction of the limit', 'of limit', fraction(paced), fraction(autoRetry), 'send-until-429 (auto-retry)');
    versus('broadcast_paced 429 share', '%', percent(paced), percent(autoRetry), 'send-until-429 (auto-retry)');
  }
  if (unthrottled.length === 0) return;
  versus('broadcast_unthrottled rate', 'msg/s', unthrottled.map((o) => o.rate), bare.map((o) => o.rate), 'bare keep-alive HTTP loop');
  const ceiling = Math.min(...unthrottled.map((o, i) => o.rate / bare[i]!.rate));
  figure('broadcast_unthrottled_worst_ratio_to_bare_loop', ceiling, 'of the loop', { value: 0.7, better: 'higher' });
}

runMain(main);
