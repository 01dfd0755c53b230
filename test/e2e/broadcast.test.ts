// E2E: /umumkan through the real bot and job system against the fake Bot API with a rate limit: compose, audience,
// preview, fan-out to 300 linked users under injected 429s, blocked users, acknowledgments, Batal, pengelola scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { importRoster } from '../../src/app/import-roster.js';
import { rowsOf } from '../../src/db/client.js';
import { broadcastDeliveries, broadcasts, employees, units } from '../../src/db/schema/index.js';
import { formatDate } from '../../src/domain/format.js';
import { parseRoster } from '../../src/domain/roster.js';
import { broadcastJobsOf } from '../../jobs/broadcast.js';
import { startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { generateRoster, type GeneratedRosterRow } from '../support/roster-gen.js';

const CHAT_BASE = 700_000;
const FAKE_LIMIT = 120;
let t: TestApp;
let rows: GeneratedRosterRow[];
const chatOf = new Map<string, number>(); // nip → chat id
let pds: Array<{ id: string; name: string }>;
let ADMIN: number;
let PENGELOLA: number; // of Dinas Kesehatan
let ASN: number;
const blockedNips: string[] = [];

type Button = { text: string; callback_data: string };
const buttonsOf = (m: BotMessage): Button[] =>
  ((m.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const button = (m: BotMessage, pattern: RegExp): Button => {
  const b = buttonsOf(m).find((x) => pattern.test(x.text) || pattern.test(x.callback_data));
  if (!b) throw new Error(`no button ${pattern} in ${JSON.stringify(buttonsOf(m))}`);
  return b;
};
const textOf = (m: BotMessage) => m.text ?? m.caption ?? '';
const waitText = (chat: number, pattern: RegExp, timeoutMs = 5000) => t.fake.waitForMessage(chat, (m) => pattern.test(textOf(m)), timeoutMs);
async function tap(user: number, m: BotMessage, data: string): Promise<string | undefined> {
  const update = t.fake.tapButton(user, { chatId: m.chat_id, messageId: m.message_id }, data);
  return (await t.fake.waitForCallbackAnswer(update.callback_query.id)).text;
}
const isAnnouncementOf = (broadcastId: string) => (m: BotMessage) =>
  buttonsOf(m).some((b) => b.callback_data === `ack:${broadcastId.replace(/-/g, '')}`);
const broadcastIdOf = (confirm: BotMessage) => {
  const hex = /^bc:k:([0-9a-f]{32})$/.exec(button(confirm, /Kirim/).callback_data)![1]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const deliveryCounts = async (broadcastId: string) =>
  Object.fromEntries(
    rowsOf<{ status: string; n: number }>(
      await t.db.db.execute(sql`select status, count(*)::int as n from broadcast_deliveries where broadcast_id = ${broadcastId}::uuid group by status`),
    ).map((r) => [r.status, r.n]),
  ) as Record<string, number>;

/** Admin flow up to the preview: /umumkan, a text, an audience button. Returns the confirm message. */
async function composeToPreview(user: number, text: string, audienceData: string): Promise<{ confirm: BotMessage; preview: BotMessage }> {
  t.fake.sendText(user, '/umumkan');
  const intro = await waitText(user, /Buat pengumuman/);
  t.fake.sendText(user, text);
  // The announcement is shown once, as recipients will see it, before the audience question; the confirmation
  // replies to it rather than showing it a second time.
  const audience = await waitText(user, /pilih penerima/);
  const previews = t.fake
    .messages(user)
    .filter((m) => m.message_id > intro.message_id && buttonsOf(m).some((b) => b.callback_data.startsWith('ack:')));
  expect(previews).toHaveLength(1);
  const preview = previews[0]!;
  expect(preview.message_id).toBeLessThan(audience.message_id);
  expect(await tap(user, audience, audienceData)).toBeUndefined();
  const confirm = await waitText(user, /Pratinjau/);
  const replyTo = confirm.params.reply_parameters;
  expect(typeof replyTo === 'string' ? JSON.parse(replyTo) : replyTo).toMatchObject({ message_id: preview.message_id });
  expect(isAnnouncementOf(broadcastIdOf(confirm))(preview)).toBe(true);
  expect(t.fake.messages(user).filter((m) => m.message_id > intro.message_id && buttonsOf(m).some((b) => b.callback_data.startsWith('ack:')))).toHaveLength(1);
  return { confirm, preview };
}

async function queueIdle(): Promise<void> {
  const queue = broadcastJobsOf(t.app.jobs)!.queue;
  for (;;) {
    const c = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized');
    if (Object.values(c).every((n) => n === 0)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  // Read by the broadcast job module at start: faster than production so the test stays short.
  process.env.BROADCAST_RATE_PER_SECOND = '100';
  // The templates offered depend on the date: the clock runs from Friday 4 December 2026, 09.00 WIB, when next year's
  // SKP is announced ahead of its opening and November's realisation is due.
  const offset = Date.now() - Date.parse('2026-12-04T02:00:00Z');
  t = await startTestApp({ now: () => new Date(Date.now() - offset) });
  t.fake.setLimits({ globalRatePerSecond: FAKE_LIMIT });
  const generated = generateRoster({ employees: 300, perangkatDaerah: 4, seed: 5 });
  rows = generated.rows;
  const parsed = parseRoster(Buffer.from(generated.csv));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  await importRoster(t.db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
  await t.db.db.execute(sql`update employees e set telegram_user_id = x.n + ${CHAT_BASE}, telegram_chat_id = x.n + ${CHAT_BASE},
    linked_at = now() from (select id, row_number() over (order by nip) as n from employees) x where x.id = e.id`);
  for (const e of await t.db.db.select({ nip: employees.nip, chat: employees.telegramChatId }).from(employees)) {
    chatOf.set(e.nip, e.chat!);
    t.fake.addUser({ id: e.chat!, first_name: 'Pegawai' });
    t.fake.markStarted(e.chat!);
  }
  pds = await t.db.db.select({ id: units.id, name: units.name }).from(units).where(eq(units.depth, 0));
  ADMIN = chatOf.get(rows.find((r) => r.peran.includes('bkpp_admin'))!.nip)!;
  PENGELOLA = chatOf.get(rows.find((r) => r.peran.includes('pengelola') && r.unitPath[0] === 'Dinas Kesehatan')!.nip)!;
  const atasan = new Set(rows.map((r) => r.nipAtasan));
  const plain = rows.filter((r) => r.peran.length === 0 && !atasan.has(r.nip));
  ASN = chatOf.get(plain[0]!.nip)!;
  blockedNips.push(plain[10]!.nip, plain[50]!.nip, plain[120]!.nip);
});

afterAll(async () => {
  await t?.stop();
  delete process.env.BROADCAST_RATE_PER_SECOND;
});

describe('/umumkan', () => {
  it('is only for officers: a plain ASN gets "hanya untuk petugas", an unlinked user is asked to link', async () => {
    t.fake.sendText(ASN, '/umumkan');
    expect(textOf(await t.fake.waitForMessage(ASN))).toMatch(/hanya untuk petugas/);
    t.fake.addUser({ id: 42, first_name: 'Tamu' });
    t.fake.sendText(42, '/umumkan');
    expect(textOf(await t.fake.waitForMessage(42))).toMatch(/belum tertaut/);
  });

  it('bad input is explained and changes nothing: broken HTML, a too-long caption, a sticker', async () => {
    const before = (await t.db.db.select({ n: sql<number>`count(*)::int` }).from(broadcasts))[0]!.n;
    t.fake.sendText(ADMIN, '/umumkan');
    const intro = await waitText(ADMIN, /Buat pengumuman/);
    expect(buttonsOf(intro).map((b) => b.text)).toEqual(
      expect.arrayContaining(['📝 SKP tahun 2027 dibuka 1 Januari', '📅 Isi realisasi bulan November 2026', expect.stringMatching(/SOP langkah 1/)]),
    );
    t.fake.sendText(ADMIN, '<b>Rapat koordinasi');
    expect(textOf(await waitText(ADMIN, /format teks belum sesuai HTML/))).toMatch(/kirim ulang/);
    t.fake.sendDocument(ADMIN, { fileName: 'jadwal.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4 x'), caption: 'x'.repeat(1100) });
    await waitText(ADMIN, /Keterangan dokumen\/foto terlalu panjang/);
    t.fake.sendSticker(ADMIN);
    await waitText(ADMIN, /kirim teks, satu dokumen, atau satu foto/);
    expect((await t.db.db.select({ n: sql<number>`count(*)::int` }).from(broadcasts))[0]!.n).toBe(before);
    t.fake.sendText(ADMIN, '/batal');
    await waitText(ADMIN, /dibatalkan/);
  });

  it('reaches 300 linked users exactly once under the rate limit and injected 429s; blocked users are marked; acks counted', async () => {
    for (const nip of blockedNips) t.fake.blockBot(chatOf.get(nip)!);
    const { confirm, preview } = await composeToPreview(ADMIN, '<b>Pengumuman</b>\nRapat koordinasi kinerja hari Senin.', 'bc:a:all');
    expect(preview.params.text).toBe('<b>Pengumuman</b>\nRapat koordinasi kinerja hari Senin.');
    expect(preview.parse_mode).toBe('HTML');
    expect(button(preview, /Siap, dimengerti/).text).toBe('✅ Siap, dimengerti');
    expect(textOf(confirm)).toMatch(/Akan menerima: 300 pegawai/);
    const broadcastId = broadcastIdOf(confirm);

    t.fake.resetStats();
    t.fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }, 5);
    const kirimAt = Date.now();
    expect(await tap(ADMIN, confirm, button(confirm, /Kirim/).callback_data)).toMatch(/mulai dikirim/);
    const report = await t.fake.waitForEdit(ADMIN, confirm.message_id, (m) => /selesai dikirim/.test(textOf(m)), 25_000);

    // 0 lost, 0 duplicated: every reachable user has exactly one copy; blocked users none and one attempt only.
    const perChat = new Map<number, number>();
    for (const m of t.fake.messages().filter(isAnnouncementOf(broadcastId)).filter((m) => m.sentAt >= kirimAt)) {
      perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    }
    const blockedChats = blockedNips.map((n) => chatOf.get(n)!);
    for (const [nip, chat] of chatOf) {
      expect(perChat.get(chat) ?? 0, `messages to ${nip}`).toBe(blockedChats.includes(chat) ? 0 : 1);
    }
    for (const chat of blockedChats) {
      // One attempt that reached the user and got 403, never retried. An injected 429 may land on a blocked user
      // first: Telegram did not process that send, so it is sent again (and then refused).
      const attempts = t.fake.calls('sendMessage').filter((c) => c.at >= kirimAt && Number(c.params.chat_id) === chat && c.status !== 429);
      expect(attempts.map((c) => c.status)).toEqual([403]);
    }
    // The admin is in the audience: one preview while composing and one copy like everyone, nothing more.
    const adminCopies = t.fake.messages(ADMIN).filter(isAnnouncementOf(broadcastId));
    expect(adminCopies.map((m) => m.message_id)).toEqual([preview.message_id, expect.any(Number)]);
    expect(adminCopies[1]!.sentAt).toBeGreaterThanOrEqual(kirimAt);
    const stats = t.fake.stats();
    console.info(`fake Bot API: max ${stats.maxGlobalPerSecondObserved} sends in a rolling second, ${stats.rejected429} answered 429`);
    expect(stats.maxGlobalPerSecondObserved).toBeLessThanOrEqual(FAKE_LIMIT);
    expect(stats.rejected429).toBeGreaterThanOrEqual(5);
    expect(await deliveryCounts(broadcastId)).toEqual({ sent: 297, blocked: 3 });
    const blockedRows = await t.db.db
      .select({ unreachableAt: employees.unreachableAt })
      .from(employees)
      .where(inArray(employees.nip, blockedNips));
    expect(blockedRows.every((r) => r.unreachableAt !== null)).toBe(true);
    expect(textOf(report)).toMatch(/Terkirim: 297 dari 300 penerima/);
    expect(textOf(report)).toMatch(/Memblokir bot: 3/);
    expect(textOf(report)).toMatch(/Dikonfirmasi \(Siap, dimengerti\): 0/);

    // Acknowledgments: three recipients tap the button; a second tap is "already recorded"; the sender's preview is not a delivery.
    const ackers = rows.filter((r) => r.peran.length === 0 && !blockedNips.includes(r.nip)).slice(0, 3).map((r) => chatOf.get(r.nip)!);
    for (const chat of ackers) {
      const msg = t.fake.messages(chat).find(isAnnouncementOf(broadcastId))!;
      expect(await tap(chat, msg, `ack:${broadcastId.replace(/-/g, '')}`)).toMatch(/sudah dicatat/);
    }
    const again = t.fake.messages(ackers[0]!).find(isAnnouncementOf(broadcastId))!;
    expect(await tap(ackers[0]!, again, `ack:${broadcastId.replace(/-/g, '')}`)).toMatch(/sudah tercatat sebelumnya/);
    expect(await tap(ADMIN, preview, `ack:${broadcastId.replace(/-/g, '')}`)).toMatch(/pratinjau/);
    expect(await deliveryCounts(broadcastId)).toEqual({ sent: 294, acknowledged: 3, blocked: 3 });
    expect(await tap(ADMIN, report, button(report, /Perbarui/).callback_data)).toMatch(/diperbarui/);
    const refreshed = await t.fake.waitForEdit(ADMIN, confirm.message_id, (m) => /Dikonfirmasi \(Siap, dimengerti\): 3/.test(textOf(m)));
    expect(textOf(refreshed)).toMatch(/Terkirim: 297 dari 300/);
    // A plain ASN cannot refresh someone else's report.
    expect(await tap(ASN, report, button(report, /Perbarui/).callback_data)).toMatch(/hanya untuk petugas/);
  });

  it('Batal stops what is not yet sent; nothing is sent after it', async () => {
    const { confirm } = await composeToPreview(ADMIN, 'Pengumuman yang akan dihentikan.', 'bc:a:all');
    expect(textOf(confirm)).toMatch(/Akan menerima: 297 pegawai/);
    expect(textOf(confirm)).toMatch(/Memblokir bot: 3/);
    const broadcastId = broadcastIdOf(confirm);
    // One 429 right at the start pauses every worker for 2 s: Batal surely lands while most are still queued.
    t.fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 2', retry_after: 2 }, 1);
    const kirimAt = Date.now();
    await tap(ADMIN, confirm, button(confirm, /Kirim/).callback_data);
    const progress = await t.fake.waitForEdit(ADMIN, confirm.message_id, (m) => buttonsOf(m).some((b) => b.text === '⛔ Batal'));
    expect(textOf(progress)).toMatch(/sedang dikirim/);
    const stop = button(progress, /Batal/).callback_data;
    expect(stop).toBe(`bc:c:${broadcastId.replace(/-/g, '')}`);
    expect(await tap(ADMIN, progress, stop)).toMatch(/dihentikan/);
    const report = await t.fake.waitForEdit(ADMIN, confirm.message_id, (m) => /dihentikan/.test(textOf(m)));
    await queueIdle();
    const counts = await deliveryCounts(broadcastId);
    const delivered = t.fake.messages().filter(isAnnouncementOf(broadcastId)).filter((m) => m.sentAt >= kirimAt).length;
    expect(counts.cancelled).toBeGreaterThan(0);
    expect((counts.sent ?? 0) + (counts.acknowledged ?? 0)).toBe(delivered);
    expect(delivered).toBeLessThan(297);
    expect(counts.queued ?? 0).toBe(0);
    expect(textOf(report)).toMatch(/Tidak dikirim \(dihentikan\): \d+/);
    // The three who blocked the bot during the first broadcast were left out by the preview; the report says so.
    expect(textOf(report)).toMatch(/Tidak dikirimi sejak pratinjau:\n• Sudah memblokir bot sebelumnya: 3/);
    expect(textOf(report)).not.toMatch(/Belum menautkan/);
    // A second Batal, or a Kirim on the old preview, changes nothing.
    expect(await tap(ADMIN, confirm, stop)).toMatch(/sudah diproses/);
    expect(await tap(ADMIN, confirm, `bc:k:${broadcastId.replace(/-/g, '')}`)).toMatch(/sudah diproses/);
  });

  it('chosen perangkat daerah with a photo: exactly their members get it; the report counts who the preview excluded', async () => {
    const chosen = pds.filter((p) => p.name === 'Dinas Kesehatan' || p.name === 'Inspektorat');
    // One Inspektorat member has not linked Telegram (yet): the preview leaves them out, and so must the report say.
    const unlinked = rows.find((r) => r.unitPath[0] === 'Inspektorat' && r.peran.length === 0 && !blockedNips.includes(r.nip))!;
    await t.db.db
      .update(employees)
      .set({ telegramUserId: null, telegramChatId: null, linkedAt: null })
      .where(eq(employees.nip, unlinked.nip));
    t.fake.sendText(ADMIN, '/umumkan');
    await waitText(ADMIN, /Buat pengumuman/);
    t.fake.sendPhoto(ADMIN, { content: Buffer.alloc(5000, 1), caption: 'Jadwal <b>apel</b> pagi' });
    const audience = await waitText(ADMIN, /pilih penerima/);
    await tap(ADMIN, audience, 'bc:a:units');
    const picker = await waitText(ADMIN, /Pilih perangkat daerah penerima/);
    expect(await tap(ADMIN, picker, 'bc:u:ok')).toMatch(/minimal satu/);
    for (const pd of chosen) {
      await tap(ADMIN, picker, `bc:u:${pd.id}`);
      await t.fake.waitForEdit(ADMIN, picker.message_id, (m) => buttonsOf(m).some((b) => b.text === `✅ ${pd.name}`));
    }
    await tap(ADMIN, picker, 'bc:u:ok');
    const confirm = await waitText(ADMIN, /Pratinjau/);
    const members = rows.filter((r) => chosen.some((p) => p.name === r.unitPath[0]));
    const reachable = members.filter((r) => !blockedNips.includes(r.nip) && r.nip !== unlinked.nip);
    const blockedMembers = members.filter((r) => blockedNips.includes(r.nip)).length;
    expect(textOf(confirm)).toMatch(new RegExp(`Akan menerima: ${reachable.length} pegawai`));
    expect(textOf(confirm)).toMatch(/Belum menautkan akun Telegram: 1 \(tidak menerima\)/);
    expect(textOf(confirm)).toMatch(/Dinas Kesehatan/);
    const broadcastId = broadcastIdOf(confirm);
    const kirimAt = Date.now();
    await tap(ADMIN, confirm, button(confirm, /Kirim/).callback_data);
    const report = await t.fake.waitForEdit(ADMIN, confirm.message_id, (m) => /selesai dikirim/.test(textOf(m)), 15_000);
    expect(textOf(report)).toMatch(new RegExp(`Terkirim: ${reachable.length} dari ${reachable.length} penerima`));
    expect(textOf(report)).toMatch(/Tidak dikirimi sejak pratinjau:\n• Belum menautkan akun Telegram: 1/);
    if (blockedMembers > 0) expect(textOf(report)).toMatch(new RegExp(`• Sudah memblokir bot sebelumnya: ${blockedMembers}`));
    else expect(textOf(report)).not.toMatch(/memblokir bot sebelumnya/);
    const got = t.fake.messages().filter(isAnnouncementOf(broadcastId)).filter((m) => m.method === 'sendPhoto' && m.caption === 'Jadwal apel pagi');
    const expectedChats = reachable.map((r) => chatOf.get(r.nip)!).sort();
    // The admin is outside these perangkat daerah: their one preview is the only copy in their chat.
    expect(expectedChats).not.toContain(ADMIN);
    expect(got.filter((m) => m.chat_id === ADMIN)).toHaveLength(1);
    expect(got.filter((m) => m.chat_id === ADMIN)[0]!.sentAt).toBeLessThan(kirimAt);
    expect(got.map((m) => m.chat_id).filter((c) => c !== ADMIN).sort()).toEqual(expectedChats);
  });

  it('a pengelola broadcasts only within their perangkat daerah, from a template', async () => {
    const own = 'Dinas Kesehatan';
    t.fake.sendText(PENGELOLA, '/umumkan');
    const intro = await waitText(PENGELOLA, /Buat pengumuman/);
    expect(textOf(intro)).toMatch(new RegExp(`hanya dikirim kepada pegawai ${own}`));
    const skp = button(intro, /SKP tahun 2027/);
    await tap(PENGELOLA, intro, skp.callback_data);
    const shown = await waitText(PENGELOLA, /Penyusunan SKP Tahun 2027/);
    // Before 1 January it tells when /skp opens the year; 31 January 2027 is a Sunday, so the deadline is Monday.
    expect(textOf(shown)).toMatch(/dapat disusun mulai Jumat, 1 Januari 2027 dengan perintah \/skp/);
    expect(textOf(shown)).toMatch(new RegExp(`Batas waktu: ${formatDate('2027-02-01', 'Asia/Jakarta')}`));
    const audience = await waitText(PENGELOLA, /pilih penerima/);
    const offered = buttonsOf(audience).map((b) => b.callback_data);
    // In December the stragglers of this year's SKP, not next year's (which nobody can have made yet).
    expect(buttonsOf(audience).map((b) => b.text)).toContain('📝 Belum mengajukan SKP 2026');
    expect(offered).not.toContain('bc:a:units');
    expect(offered).not.toContain('bc:a:pengelola');
    // A forged "choose perangkat daerah" is refused.
    expect(await tap(PENGELOLA, audience, 'bc:a:units')).toMatch(/bukan yang Bapak\/Ibu kelola/);
    await tap(PENGELOLA, audience, 'bc:a:all');
    const confirm = await waitText(PENGELOLA, /Pratinjau/);
    const members = rows.filter((r) => r.unitPath[0] === own && !blockedNips.includes(r.nip));
    expect(textOf(confirm)).toMatch(new RegExp(`Akan menerima: ${members.length} pegawai`));
    // Only the sender can send their draft.
    expect(await tap(ADMIN, confirm, button(confirm, /Kirim/).callback_data)).toMatch(/bukan untuk/);
    await tap(PENGELOLA, confirm, button(confirm, /Batal/).callback_data);
    expect(textOf(await t.fake.waitForEdit(PENGELOLA, confirm.message_id))).toMatch(/dibatalkan/);
    const [draft] = await t.db.db.select().from(broadcasts).where(eq(broadcasts.id, broadcastIdOf(confirm)));
    expect(draft!.status).toBe('cancelled');
    expect(draft!.scopeUnitId).toBe(pds.find((p) => p.name === own)!.id);
    expect(
      await t.db.db.select().from(broadcastDeliveries).where(and(eq(broadcastDeliveries.broadcastId, draft!.id))),
    ).toHaveLength(0);
  });
});
