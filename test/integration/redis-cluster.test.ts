// Integration: the job system on a Redis Cluster of three masters (REDIS_CLUSTER_NODES): an announcement reaches
// every recipient, SLA timers fire in order, a reminder run sends; every key of the deployment sits in the one
// slot of its hash-tagged prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { broadcastJobsOf } from '../../jobs/broadcast.js';
import { createRedisConnection, queueConnectionFrom } from '../../jobs/connection.js';
import { createJobs, type Jobs, type JobsDeps } from '../../jobs/index.js';
import { outboxModule } from '../../jobs/outbox.js';
import { broadcastModule } from '../../jobs/broadcast.js';
import { remindersModule } from '../../jobs/reminders.js';
import { slaModule } from '../../jobs/sla.js';
import type { SlaEventData } from '../../src/app/sla-fire.js';
import { createBroadcastDraft, setDraftAudience, startBroadcast } from '../../src/app/broadcast.js';
import { act, openCase } from '../../src/app/case-engine.js';
import { broadcastDeliveries } from '../../src/db/schema/index.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { linkPeople, slaEventsOf, testJobsDeps, until } from '../support/jobs.js';
import { call, startRedisCluster, type LocalCluster } from '../support/redis-cluster.js';

const NIP = {
  anisa: '199207142017032002',
  melati: '199011052019022001',
  rini: '199508232023212003',
  yuliana: '198601152010012007',
  lilis: '197612012002122003',
  siti: '198303272008012005',
  fajar: '199103252015031001',
  putri: '199305112019032006',
};
type Who = keyof typeof NIP;

let cluster: LocalCluster;
let db: TestDatabase;
let fake: FakeTelegram;
let redis: Redis;
let deps: JobsDeps;
let jobs: Jobs;
let ids = {} as Record<Who, string>;
let chat = {} as Record<Who, number>;

beforeAll(async () => {
  cluster = await startRedisCluster();
  db = await createTestDatabase();
  await importExampleRoster(db);
  fake = await FakeTelegram.start();
  ({ chat, ids } = await linkPeople(db, fake, NIP, 9100));
  const config = buildTestConfig(
    {
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: db.url,
      REDIS_CLUSTER_NODES: cluster.env,
      QUEUE_PREFIX: `tcl${process.pid}_${randomBytes(3).toString('hex')}`,
    },
    {
      calendar: { alwaysOpen: true },
      procedures: { skpAnnual: 'skp-banyuwangi', monthly: 'bulanan-tangerang', mixAgencies: true, sla: { 'skp-banyuwangi': { '3': '1h', '4': '1s', '5': '1h' } } },
    },
  );
  const connection = queueConnectionFrom('', config.env);
  redis = createRedisConnection(connection);
  redis.on('error', () => {});
  deps = { ...testJobsDeps({ db, fake, config, redis, prefix: connection.prefix }), connection };
  jobs = await createJobs(deps, [outboxModule, broadcastModule, slaModule, remindersModule]);
}, 60_000);

afterAll(async () => {
  await jobs?.close();
  await redis?.quit().catch(() => redis.disconnect());
  await cluster?.stop();
  await fake?.stop();
  await db?.drop();
});

describe('on a Redis Cluster of three masters', () => {
  it('uses a hash-tagged prefix', () => {
    expect(deps.connection.prefix).toMatch(/^\{tcl\d+_[0-9a-f]+\}$/);
    expect(deps.connection.clusterNodes).toHaveLength(3);
  });

  it('SLA timers fire in order, once each', async () => {
    const engine = { db: db.db, calendar: deps.calendar, procedures: deps.procedures };
    const opened = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa, period: '2026', now: new Date() });
    await act(engine, {
      caseId: opened.case.id,
      actorId: ids.anisa,
      command: { kind: 'complete', stepNo: 3, inputs: { rhk: [{ jenis: 'utama', text: 'Meningkatnya cakupan pelayanan' }] } },
      now: new Date(),
    });
    const events = await until(() => slaEventsOf(db, opened.case.id), (e) => e.length >= 4, '4 SLA events', 30_000);
    expect(events.map((e) => (e.data as unknown as SlaEventData).pct)).toEqual([75, 100, 200, 300]);
    await fake.waitForMessage(chat.yuliana, (m) => /Batas waktu terlewati/.test(m.text ?? ''), 15_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(await slaEventsOf(db, opened.case.id)).toHaveLength(4);
  });

  it('an announcement reaches every recipient once', async () => {
    const adminChat = chat.fajar;
    const progress = await deps.telegram.sendMessage(adminChat, 'progres');
    const draft = await createBroadcastDraft(db.db, { createdBy: ids.fajar, scope: { unitId: null }, textHtml: '<b>Uji</b> klaster', media: null, templateCode: null });
    await setDraftAudience(db.db, { broadcastId: draft.id, actorId: ids.fajar, audience: { kind: 'all' } });
    const { recipients } = await startBroadcast(db.db, deps.procedures, {
      broadcastId: draft.id,
      actorId: ids.fajar,
      now: new Date(),
      progress: { chatId: adminChat, messageId: progress.message_id },
    });
    expect(recipients).toBe(Object.keys(NIP).length);
    await broadcastJobsOf(jobs)!.enqueue(draft.id);
    const sent = await until(
      () => db.db.select().from(broadcastDeliveries).where(and(eq(broadcastDeliveries.broadcastId, draft.id), eq(broadcastDeliveries.status, 'sent'))),
      (rows) => rows.length === recipients,
      'every delivery sent',
      30_000,
    );
    expect(sent).toHaveLength(recipients);
    for (const who of Object.keys(NIP) as Who[]) {
      expect(fake.messages(chat[who]).filter((m) => /Uji/.test(m.text ?? '') && /klaster/.test(m.text ?? '')), who).toHaveLength(1);
    }
  });

  it('a reminder run sends through the rate-limited worker', async () => {
    const summary = await jobs.runNow('annual-reminder', { date: '2026-01-29' });
    expect(summary).toMatch(/\d+ pesan/);
    await fake.waitForMessage(chat.melati, (m) => /Pengingat SKP tahun 2026/.test(m.text ?? ''), 15_000);
  });

  it('every key of the deployment is in one slot of one master', async () => {
    const counts = await Promise.all(cluster.nodes.map(async (n) => Number(await call(n.port, 'DBSIZE'))));
    expect(counts.filter((c) => c > 0)).toHaveLength(1);
    const slot = Number(await call(cluster.nodes[0]!.port, 'CLUSTER', 'KEYSLOT', `${deps.connection.prefix}:sla:meta`));
    const node = cluster.nodes[counts.findIndex((c) => c > 0)]!;
    expect(Number(await call(node.port, 'CLUSTER', 'COUNTKEYSINSLOT', String(slot)))).toBe(counts.find((c) => c > 0));
  });
});
