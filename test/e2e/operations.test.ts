// E2E: operations on the real app against the fake Bot API: /jalankan and `npm run jobs:run` run a scheduled job,
// /wakil names a Plh (and refuses what it must), and Bull Board sits behind basic auth on the HTTP port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { parseJobsRunArgs, runJobsRunCli } from '../../src/cli/jobs-run.js';
import { delegations, employees } from '../../src/db/schema/index.js';
import { createOpsHandler } from '../../src/ops-http.js';
import { freePort } from '../../src/redis.js';
import { exampleDeployment, importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import { TEST_REDIS_URL } from '../support/env.js';

const USERS = {
  fajar: { id: 9101, nip: '199103252015031001' }, // BKPP admin
  yuliana: { id: 9102, nip: '198601152010012007' }, // atasan
  eko: { id: 9103, nip: '198410202009011003' }, // atasan, Yuliana's Plh
  anisa: { id: 9104, nip: '199207142017032002' }, // plain ASN
  dedi: { id: 9105, nip: '198909092015031004' },
};
const UNLINKED = 9199;
/** Reminders the jobs below send to everyone; they are not replies to a command. */
const REMINDER = /sudah dibuka|Pengingat realisasi bulan/;
const ADMIN = { user: 'ops', password: 'rahasia-ops' };

let t: TestApp;
let port: number;
let today: string;

/** 'YYYY-MM-DD' ± days → 'DD-MM-YYYY' as typed in /wakil. */
function dmy(localDate: string, plusDays = 0): string {
  const d = new Date(Date.parse(`${localDate}T00:00:00Z`) + plusDays * 86_400_000).toISOString().slice(0, 10);
  return `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
}

async function say(user: keyof typeof USERS | number, text: string) {
  const id = typeof user === 'number' ? user : USERS[user].id;
  // Only a reply sent after this command counts (reminders may have arrived earlier).
  const last = Math.max(0, ...t.fake.messages(id).map((m) => m.message_id));
  t.fake.sendText(id, text);
  return t.fake.waitForMessage(id, (m) => m.message_id > last && !REMINDER.test(m.text ?? ''), 10_000);
}

const openDelegations = async () =>
  (await t.db.db.select({ n: sql<number>`count(*)::int` }).from(delegations).where(isNull(delegations.cancelledAt)))[0]!.n;

beforeAll(async () => {
  port = await freePort();
  t = await startTestApp({
    deployment: { calendar: { alwaysOpen: true } },
    env: { ADMIN_HTTP_USER: ADMIN.user, ADMIN_HTTP_PASSWORD: ADMIN.password, PORT: String(port) },
  });
  await importExampleRoster(t.db);
  for (const u of Object.values(USERS)) {
    t.fake.addUser({ id: u.id, first_name: 'U' });
    t.fake.markStarted(u.id);
    await t.db.db.update(employees).set({ telegramUserId: u.id, telegramChatId: u.id }).where(eq(employees.nip, u.nip));
  }
  t.fake.addUser({ id: UNLINKED, first_name: 'Tamu' });
  today = t.app.deps.calendar.localDate(new Date());
});

afterAll(async () => {
  await t?.stop();
});

describe('/jalankan', () => {
  it('is for BKPP admins only', async () => {
    expect((await say('anisa', '/jalankan')).text).toMatch(/hanya untuk admin BKPP/);
    expect((await say(UNLINKED, '/jalankan monthly-open')).text).toMatch(/belum tertaut/);
  });

  it('lists the jobs, runs one now and reports what it did', async () => {
    const list = await say('fajar', '/jalankan');
    // Listed by their Indonesian names; the jobs' own (English) names are not shown.
    for (const name of ['buka-realisasi', 'pengingat-realisasi', 'batas-realisasi', 'rekap-atasan', 'buka-skp', 'pengingat-skp', 'pulihkan-sla', 'pemeriksaan-harian']) {
      expect(list.text).toContain(`• ${name}: `);
    }
    expect(list.text).not.toMatch(/monthly|annual|reminder|outbox/);
    expect(list.text).toMatch(/misalnya \/jalankan buka-realisasi 01-04-2026\.$/);
    // The date as people write it, or as ISO.
    expect((await say('fajar', '/jalankan buka-realisasi 01-04-2026')).text).toBe('⏳ Menjalankan buka-realisasi…');
    const done = await t.fake.waitForMessage(USERS.fajar.id, (m) => /selesai|gagal/.test(m.text ?? ''), 10_000);
    expect(done.text).toMatch(/^✅ buka-realisasi selesai\./);
    expect(done.text).toMatch(/Pengumuman realisasi Maret 2026: 5 pesan dijadwalkan untuk dikirim/);
    for (const u of Object.values(USERS)) {
      const announcement = await t.fake.waitForMessage(u.id, (m) => /sudah dibuka/.test(m.text ?? ''), 10_000);
      expect(announcement.text).toMatch(/realisasi kinerja bulan Maret 2026/);
    }
    // Run again: everyone already had it, said so in plain Indonesian.
    // The job's own name works too (as `npm run jobs:run` knows it), answered with the chat name.
    expect((await say('fajar', '/jalankan monthly-open 2026-04-01')).text).toBe('⏳ Menjalankan buka-realisasi…');
    const again = await t.fake.waitForMessage(USERS.fajar.id, (m) => m.message_id > done.message_id && /selesai|gagal/.test(m.text ?? ''), 10_000);
    expect(again.text).toMatch(/Pengumuman realisasi Maret 2026: semua penerima sudah mendapatkannya, tidak ada pesan baru yang dijadwalkan\./);
    expect(again.text).not.toMatch(/\b0 pesan/);
  });

  it('describes every job it lists, and says in Indonesian what the upkeep jobs did', async () => {
    const list = await say('fajar', '/jalankan');
    const lines = (list.text ?? '').split('\n').filter((l) => l.startsWith('• '));
    for (const name of ['kirim-pemberitahuan', 'bersihkan-pemberitahuan', 'bersihkan-catatan-pengingat', 'arsipkan-bukti', 'lanjutkan-pengumuman']) expect(lines.some((l) => l.startsWith(`• ${name}:`)), name).toBe(true);
    // Each line is a job with what it does.
    for (const line of lines) expect(line).toMatch(/^• [a-z-]+: [A-Z]/);
    const results: Record<string, RegExp> = {
      'kirim-pemberitahuan': /^Pemberitahuan yang sudah waktunya dikirim telah diproses\.$/,
      // Nothing here is 30 days old.
      'bersihkan-pemberitahuan': /^Tidak ada catatan pemberitahuan terkirim yang lebih lama dari 30 hari\.$/,
      'bersihkan-catatan-pengingat': /^Tidak ada catatan pengingat terkirim yang lebih lama dari 400 hari\.$/,
      'arsipkan-bukti': /^Arsip bukti dukung: semua berkas sudah tersimpan\.$/,
      'lanjutkan-pengumuman': /^Pengumuman: tidak ada pengiriman yang tertunda\.$/,
      // No rating waits on any atasan here: nobody "already got" a summary that was never sent.
      'rekap-atasan': /^Rekap penilaian atasan [A-Z][a-z]+ 20\d\d: tidak ada rekap baru yang dijadwalkan\. Yang masih ditunggu sudah mendapatkan rekapnya, atau tidak ada yang menunggu\.$/,
    };
    for (const [name, result] of Object.entries(results)) {
      const started = await say('fajar', `/jalankan ${name}`);
      expect(started.text).toBe(`⏳ Menjalankan ${name}…`);
      const done = await t.fake.waitForMessage(USERS.fajar.id, (m) => m.message_id > started.message_id && /selesai|gagal/.test(m.text ?? ''), 10_000);
      const [head, , body] = (done.text ?? '').split('\n');
      expect(head).toBe(`✅ ${name} selesai.`);
      expect(body).toMatch(result);
    }
  });

  it('refuses an unknown job or a bad date without running anything', async () => {
    expect((await say('fajar', '/jalankan bersih-bersih')).text).toMatch(/tidak dikenal/);
    expect((await say('fajar', '/jalankan buka-realisasi 30-02-2026')).text).toMatch(/^"30-02-2026" tidak dikenali\. Gunakan tanggal DD-MM-YYYY/);
    expect((await say('fajar', '/jalankan monthly-open 2026-02-30')).text).toMatch(/tidak dikenali/);
  });
});

describe('npm run jobs:run', () => {
  it('boots config, database and Redis, runs the job once and prints the result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kinerja-cli-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...exampleDeployment(), calendar: { alwaysOpen: true }, storage: { archiveDir: join(dir, 'archive') } }));
    const env = {
      TELEGRAM_BOT_TOKEN: t.config.env.TELEGRAM_BOT_TOKEN,
      TELEGRAM_API_ROOT: t.fake.apiRoot,
      DATABASE_URL: t.db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: t.config.env.QUEUE_PREFIX,
      CONFIG_FILE: configFile,
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
    };
    const lines: string[] = [];
    const code = await runJobsRunCli(['monthly-reminder', '--date', '2026-04-01'], { env, out: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/Pengingat realisasi Maret 2026: 5 pesan dijadwalkan untuk dikirim/);
    for (const u of Object.values(USERS)) {
      await t.fake.waitForMessage(u.id, (m) => /Pengingat realisasi bulan Maret 2026/.test(m.text ?? ''), 10_000);
    }

    const unknown: string[] = [];
    expect(await runJobsRunCli(['tidak-ada'], { env, out: (l) => unknown.push(l) })).toBe(2);
    expect(unknown.join('\n')).toMatch(/tidak dikenal[\s\S]*monthly-reminder/);
    expect(parseJobsRunArgs(['monthly-open', '--date', '2026-02-30']).problems).toEqual(['--date: "2026-02-30" bukan tanggal YYYY-MM-DD']);
    expect(await runJobsRunCli(['monthly-open', '--bogus'], { env, out: () => {} })).toBe(2);
  });
});

describe('/wakil', () => {
  it('names a Plh for a date range, tells the Plh, and shows it', async () => {
    expect((await say('yuliana', '/wakil')).text).toMatch(/Untuk menunjuk pengganti \(Plh\)/);
    const reply = await say('yuliana', `/wakil ${USERS.eko.nip} ${dmy(today)} ${dmy(today, 2)} cuti tahunan`);
    expect(reply.text).toMatch(/Eko Prasetyo.*ditunjuk sebagai Plh/);
    expect(reply.text).toMatch(/Alasan: cuti tahunan/);
    const notice = await t.fake.waitForMessage(USERS.eko.id, (m) => /ditunjuk oleh/.test(m.text ?? ''), 10_000);
    expect(notice.text).toMatch(/ditunjuk oleh Yuliana Pertiwi.*sebagai Plh/);
    const [row] = await t.db.db.select().from(delegations).where(isNull(delegations.cancelledAt));
    expect(row).toMatchObject({ fromDate: today, reason: 'cuti tahunan' });
    const shown = await say('yuliana', '/wakil');
    expect(shown.text).toMatch(/Plh yang Bapak\/Ibu tunjuk:[\s\S]*Eko Prasetyo/);
    expect((await say('eko', '/wakil')).text).toMatch(/Bapak\/Ibu menjadi Plh untuk:[\s\S]*Yuliana Pertiwi/);
  });

  it('refuses bad requests with a clear message and changes nothing', async () => {
    const before = await openDelegations();
    const refusals: Array<[keyof typeof USERS, string, RegExp]> = [
      ['yuliana', `/wakil ${USERS.yuliana.nip} ${dmy(today, 10)} ${dmy(today, 11)}`, /diri sendiri/],
      ['yuliana', `/wakil 199001012015011001 ${dmy(today, 10)} ${dmy(today, 11)}`, /tidak ditemukan/],
      ['yuliana', `/wakil ${USERS.eko.nip} ${dmy(today, 12)} ${dmy(today, 10)}`, /tidak boleh sebelum/],
      ['yuliana', `/wakil ${USERS.eko.nip} 31-02-2027 02-03-2027`, /"31-02-2027" tidak valid/],
      ['yuliana', `/wakil ${USERS.eko.nip} ${dmy(today, -5)} ${dmy(today, -3)}`, /sudah lewat/],
      ['yuliana', `/wakil ${USERS.dedi.nip} ${dmy(today, 1)} ${dmy(today, 4)}`, /sudah menunjuk Plh/],
      ['yuliana', '/wakil besok saja', /Format perintah belum sesuai/],
      ['yuliana', `/wakil 12345 ${dmy(today, 10)} ${dmy(today, 11)}`, /NIP tidak valid/],
      ['anisa', `/wakil ${USERS.dedi.nip} ${dmy(today, 10)} ${dmy(today, 11)}`, /hanya untuk atasan/],
      // Yuliana is on leave these days (Eko is her Plh), so she cannot be anyone's Plh then.
      ['eko', `/wakil ${USERS.yuliana.nip} ${dmy(today)} ${dmy(today, 1)}`, /sendiri sedang diwakili Plh/],
    ];
    for (const [who, text, expected] of refusals) {
      expect((await say(who, text)).text, text).toMatch(expected);
    }
    await t.db.db.update(employees).set({ active: false }).where(eq(employees.nip, '199508232023212003'));
    expect((await say('eko', `/wakil 199508232023212003 ${dmy(today, 10)} ${dmy(today, 11)}`)).text).toMatch(/tidak aktif/);
    expect(await openDelegations()).toBe(before);
  });

  it('/wakil batal cancels and tells the Plh', async () => {
    const reply = await say('yuliana', '/wakil batal');
    expect(reply.text).toMatch(/Penunjukan Plh dibatalkan:[\s\S]*Eko Prasetyo/);
    await t.fake.waitForMessage(USERS.eko.id, (m) => /telah dibatalkan/.test(m.text ?? ''), 10_000);
    const [yuliana] = await t.db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, USERS.yuliana.nip));
    expect(await t.db.db.select().from(delegations).where(and(eq(delegations.employeeId, yuliana!.id), isNull(delegations.cancelledAt)))).toHaveLength(0);
    expect((await say('yuliana', '/wakil batal')).text).toMatch(/Tidak ada penunjukan Plh/);
  });
});

describe('Bull Board at /admin/queues', () => {
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

  it('answers 401 without (or with wrong) credentials and 200 with them, listing every queue', async () => {
    const anonymous = await fetch(url('/admin/queues'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await fetch(url('/admin/queues'), { headers: auth(ADMIN.user, 'salah') })).status).toBe(401);
    const page = await fetch(url('/admin/queues'), { headers: auth(ADMIN.user, ADMIN.password) });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const api = await fetch(url('/admin/queues/api/queues'), { headers: auth(ADMIN.user, ADMIN.password) });
    expect(api.status).toBe(200);
    const names = ((await api.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['sla', 'reminders', 'reminder-notify', 'broadcast-send']));
    // Other paths are untouched: /healthz still answers.
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('is disabled, with a log line, when ADMIN_HTTP_USER is unset', async () => {
    const logged: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
    const handler = createOpsHandler({ queues: () => [], logger });
    expect(await handler({ url: '/admin/queues', headers: {} } as never, {} as never)).toBe(false);
    expect(logged.join('')).toMatch(/Bull Board disabled/);
  });
});
