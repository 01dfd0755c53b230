// Drill 1: the announcement worker process is killed with SIGKILL several times during a broadcast and restarted.
// Every recipient must get the message, the report's counts must be exact, and duplicates must not exceed the kills.
import { spawn, type ChildProcess } from 'node:child_process';
import { eq, sql } from 'drizzle-orm';
import { createBroadcastQueue, enqueueBatches } from '../jobs/broadcast.js';
import { createBroadcastDraft, queuedBatches, setDraftAudience, startBroadcast } from '../src/app/broadcast.js';
import { importRoster } from '../src/app/import-roster.js';
import { createProcedureRegistry } from '../src/app/procedures.js';
import { rowsOf } from '../src/db/client.js';
import { broadcastDeliveries, broadcasts } from '../src/db/schema/index.js';
import { parseRoster } from '../src/domain/roster.js';
import { buildTestConfig } from '../test/support/app.js';
import { createTestDatabase } from '../test/support/db.js';
import { TEST_REDIS_URL } from '../test/support/env.js';
import { FakeTelegram } from '../test/support/fake-telegram.js';
import { generateRoster } from '../test/support/roster-gen.js';
import type { DrillResult } from './drills.js';

/**
 * `duplicateBound`: 'kills' (the bound, for `npm run drill`) or 'in-flight' (what a loaded CI machine can
 * promise: a kill repeats at most what had left and was not yet recorded).
 */
export async function killWorkerDrill(
  size: { recipients: number; kills: number; duplicateBound?: 'kills' | 'in-flight' } = { recipients: 2000, kills: 5 },
): Promise<DrillResult> {
  const db = await createTestDatabase();
  const fake = await FakeTelegram.start({ unlimited: "the drill measures recovery from killed workers, not Telegram's pacing" });
  const prefix = `kd${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
  const children: ChildProcess[] = [];
  const queue = createBroadcastQueue({ url: TEST_REDIS_URL, prefix });
  try {
    const { csv } = generateRoster({ employees: size.recipients, perangkatDaerah: 10, seed: 3 });
    const parsed = parseRoster(Buffer.from(csv), { maxRows: size.recipients + 10 });
    if (!parsed.ok) throw new Error('roster');
    await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'drill' });
    await db.db.execute(sql`update employees set telegram_user_id = 3000000 + n.rn, telegram_chat_id = 3000000 + n.rn
      from (select id, row_number() over (order by nip) as rn from employees) n where n.id = employees.id`);
    const chats = rowsOf<{ chat: string }>(await db.db.execute(sql`select telegram_chat_id::text as chat from employees`)).map((r) => Number(r.chat));
    for (const chat of chats) {
      fake.addUser({ id: chat, first_name: 'P' });
      fake.markStarted(chat);
    }
    const [admin] = rowsOf<{ id: string; chat: string }>(
      await db.db.execute(sql`select e.id, e.telegram_chat_id::text as chat from employees e join employee_roles r on r.employee_id = e.id and r.role = 'bkpp_admin' limit 1`),
    );
    const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: fake.token });
    const draft = await createBroadcastDraft(db.db, { createdBy: admin!.id, scope: { unitId: null }, textHtml: 'Uji <b>ketahanan</b>', media: null, templateCode: null });
    await setDraftAudience(db.db, { broadcastId: draft.id, actorId: admin!.id, audience: { kind: 'all' } });
    const progress = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: Number(admin!.chat), text: 'progres' }) }).then((r) => r.json() as Promise<{ result: { message_id: number } }>);
    await startBroadcast(db.db, createProcedureRegistry(config.deployment.procedures), { broadcastId: draft.id, actorId: admin!.id, now: new Date(), progress: { chatId: Number(admin!.chat), messageId: progress.result.message_id } });
    const ids = (await db.db.select({ id: broadcastDeliveries.employeeId }).from(broadcastDeliveries).where(eq(broadcastDeliveries.broadcastId, draft.id))).map((r) => r.id);
    await enqueueBatches(queue.value, draft.id, await queuedBatches(db.db, draft.id));

    const ack = `ack:${draft.id.replace(/-/g, '')}`;
    // Recipients reached so far (distinct chats: a re-sent message is not a second recipient).
    const delivered = () => new Set(fake.messages().filter((m) => JSON.stringify(m.reply_markup ?? {}).includes(ack)).map((m) => m.chat_id)).size;
    const recorded = async () => rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from broadcast_deliveries where broadcast_id = ${draft.id}::uuid and status = 'sent'`))[0]!.n;
    const spawnWorker = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'jobs/broadcast-worker-main.ts'], {
        env: { ...process.env, DATABASE_URL: db.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, BROADCAST_RATE_PER_SECOND: '200', BROADCAST_LOCK_DURATION_MS: '1500', LOG_LEVEL: 'error' },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      children.push(child);
      return child;
    };
    let inFlight = 0;
    const lines: string[] = [];
    for (let k = 0; k < size.kills; k++) {
      // A random point in the k-th of kills+1 stretches of the broadcast.
      const target = Math.floor(((k + 0.5 + Math.random()) * ids.length) / (size.kills + 1.5));
      const worker = spawnWorker();
      const deadline = Date.now() + 120_000;
      while (delivered() < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      worker.kill('SIGKILL');
      await new Promise((r) => worker.once('exit', r));
      await new Promise((r) => setTimeout(r, 300));
      const d = delivered();
      const rec = await recorded();
      // Reached but not recorded: exactly these may be sent again by the next worker.
      inFlight += Math.max(0, d - rec);
      lines.push(`kill ${k + 1}: ${d} recipients reached, ${rec} recorded as sent`);
    }
    const last = spawnWorker();
    const deadline = Date.now() + 300_000;
    for (;;) {
      const [b] = await db.db.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, draft.id));
      if (b!.status === 'done' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    last.kill('SIGTERM');
    await new Promise((r) => last.once('exit', r));
    const perChat = new Map<number, number>();
    for (const m of fake.messages().filter((x) => JSON.stringify(x.reply_markup ?? {}).includes(ack))) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    const lost = chats.filter((c) => c !== Number(admin!.chat) && !perChat.has(c)).length;
    const duplicates = [...perChat.values()].reduce((s, n) => s + n - 1, 0);
    const statuses = rowsOf<{ status: string; n: number }>(await db.db.execute(sql`select status, count(*)::int as n from broadcast_deliveries where broadcast_id = ${draft.id}::uuid group by status`));
    const counts = statuses.map((s) => `${s.status} ${s.n}`).join(', ');
    const exactReport = statuses.length === 1 && statuses[0]!.status === 'sent' && statuses[0]!.n === ids.length;
    lines.unshift(`recipients: ${ids.length}, SIGKILLs: ${size.kills}`);
    lines.push(`lost: ${lost}; duplicates: ${duplicates} (messages in flight at the kills: ${inFlight}; kills: ${size.kills})`, `report counts: ${counts}`);
    // Telegram has no idempotency key: a message that left before the kill and was not yet recorded goes again.
    // Sends are recorded as they are answered, so that is at most what was in flight — the spec's bound is one per kill.
    const bound = size.duplicateBound === 'in-flight' ? inFlight : Math.min(inFlight, size.kills);
    return { name: 'kill-worker', ok: lost === 0 && duplicates <= bound && exactReport, lines };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await queue.value.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await fake.stop();
    await db.drop();
  }
}
