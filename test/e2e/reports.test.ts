// E2E: /rekap and /ekspor through the chat: the chart arrives as a PNG, the recap drills down to a case log,
// Ingatkan reaches the holder once, the XLSX and CSV come back readable, and access follows the roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { isPng } from '../../src/app/charts.js';
import { parseEksporArgument, parseRekapArgument } from '../../src/bot/features/reports.js';
import { rowsOf } from '../../src/db/client.js';
import { caseEvents, employees, outbox } from '../../src/db/schema/index.js';
import { GAVE_UP_PREFIX } from '../../src/app/undelivered.js';
import { reportCallbacks } from '../../src/chat/texts/reports/callbacks.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';
import { generateReportData, type ReportData } from '../support/report-data.js';

let t: TestApp;
let data: ReportData;
// Wednesday 15 April 2026, 10:00 WIB.
const now = new Date('2026-04-15T03:00:00Z');
const ADMIN = { id: 7101, nip: '199103252015031001' }; // Fajar, BKPP admin
const PENGELOLA = { id: 7102, nip: '198303272008012005' }; // Siti, pengelola Dinas Kesehatan
const ASN = { id: 7103, nip: '199207142017032002' }; // Anisa, no subordinates, no role
const HOLDER_ID = 7104;
let holder = { userId: HOLDER_ID, employeeId: '', caseId: '' };

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
const buttons = (m: BotMessage) => ((m.reply_markup as Keyboard | undefined)?.inline_keyboard ?? []).flat();
const button = (m: BotMessage, match: RegExp) => {
  const found = buttons(m).find((b) => match.test(b.text) || match.test(b.callback_data));
  if (!found) throw new Error(`no button ${match} in ${JSON.stringify(buttons(m).map((b) => b.text))}`);
  return found.callback_data;
};
const isText = (prefix: string) => (m: BotMessage) => m.method === 'sendMessage' && (m.text ?? '').startsWith(prefix);

async function link(userId: number, nip: string) {
  t.fake.addUser({ id: userId, first_name: 'U' });
  await t.db.db.update(employees).set({ telegramUserId: userId, telegramChatId: userId }).where(eq(employees.nip, nip));
  t.fake.markStarted(userId);
}

beforeAll(async () => {
  t = await startTestApp({ now: () => now });
  await importExampleRoster(t.db);
  const { calendar, procedures } = t.app.deps;
  data = await generateReportData(t.db, { year: 2026, months: 3, now, calendar, procedures, seed: 5, linkedShare: 0, inactiveShare: 0 });
  for (const u of [ADMIN, PENGELOLA, ASN]) await link(u.id, u.nip);
  // The holder of the oldest overdue step gets a Telegram account, so its Ingatkan button is first in the list.
  const overdue = data.cases
    .filter((c) => (c.status === 'active' || c.status === 'returned') && c.assigneeId && (c.overdueAt || (c.slaDueAt && c.slaDueAt < now)))
    .sort((a, b) => a.stepEnteredAt.getTime() - b.stepEnteredAt.getTime() || a.id.localeCompare(b.id));
  const oldest = overdue[0]!;
  const [h] = await t.db.db.select().from(employees).where(eq(employees.id, oldest.assigneeId!));
  if (h!.telegramUserId === null) await link(HOLDER_ID, h!.nip);
  holder = { userId: h!.telegramUserId ?? HOLDER_ID, employeeId: h!.id, caseId: oldest.id };
}, 120_000);
afterAll(async () => {
  await t?.stop();
});

describe('/rekap', () => {
  it('BKPP gets the chart as a PNG photo and a summary of every perangkat daerah, then drills down to a case log', async () => {
    t.fake.sendText(ADMIN.id, '/rekap 2026-03');
    const photo = await t.fake.waitForMessage(ADMIN.id, (m) => m.method === 'sendPhoto', 15_000);
    const largest = photo.photo![photo.photo!.length - 1]!;
    expect(isPng(largest.content!)).toBe(true);
    expect(photo.caption).toMatch(/Realisasi Maret 2026/);

    const summary = await t.fake.waitForMessage(ADMIN.id, isText('📊'), 15_000);
    expect(summary.text).toMatch(/Rekap kinerja — Maret 2026/);
    for (const pd of ['Dinas Kesehatan', 'Dinas Pendidikan', 'Inspektorat', 'Badan Kepegawaian dan Pengembangan Sumber Daya Manusia']) {
      expect(summary.text).toContain(pd);
    }
    expect(summary.text).toMatch(/Total[\s\S]*Pegawai 45, tertaut Telegram \d+/);
    const march = data.cases.filter((c) => c.period === '2026-03' && c.submittedAt && c.status !== 'cancelled');
    const late = march.filter((c) => c.late).length;
    expect(summary.text).toContain(`tepat waktu ${march.length - late} · terlambat ${late} · belum masuk ${45 - march.length}`);
    expect(summary.text!.length).toBeLessThanOrEqual(4096);

    t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: summary.message_id }, button(summary, /Dinas Kesehatan/));
    const list = await t.fake.waitForEdit(ADMIN.id, summary.message_id, (m) => (m.text ?? '').startsWith('👥'));
    expect(list.text).toMatch(/Dinas Kesehatan — Maret 2026\n\d+ pegawai · halaman 1\/\d+/);
    const line = list.text!.split('\n').find((l) => l.includes('Anisa Fitriani'));
    let view = list;
    if (!line) {
      // Anisa may be on the next page of the list.
      t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: summary.message_id }, button(list, /Berikutnya/));
      view = await t.fake.waitForEdit(ADMIN.id, summary.message_id, (m) => (m.text ?? '').includes('Anisa Fitriani'));
    }
    const number = /^(\d+)\. Anisa/m.exec(view.text!)![1]!;
    t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: summary.message_id }, button(view, new RegExp(`^${number}$`)));
    const log = await t.fake.waitForEdit(ADMIN.id, summary.message_id, (m) => (m.text ?? '').startsWith('👤'));
    expect(log.text).toMatch(/Anisa Fitriani, S\.Kep, Ns — Maret 2026/);
    const anisa = data.employees.find((e) => e.nip === ASN.nip)!;
    if (data.cases.some((c) => c.subjectId === anisa.id && (c.period === '2026' || c.period === '2026-03'))) {
      expect(log.text).toMatch(/dimulai/);
    } else {
      expect(log.text).toMatch(/Belum ada pengajuan/);
    }
    expect(buttons(log).map((b) => b.text)).toContain('⬅️ Kembali ke daftar pegawai');

    // Mutu baku from the same recap.
    t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: summary.message_id }, 'rk:m:2026-03:');
    const mutu = await t.fake.waitForEdit(ADMIN.id, summary.message_id, (m) => (m.text ?? '').startsWith('⏱'));
    expect(mutu.text).toMatch(/Mutu baku — Maret 2026/);
    expect(mutu.text).toMatch(/Pengajuan pegawai \(langkah 3\): (median .*standar 1 jam, \d+ % dalam standar|belum ada data)/);
  });

  it('a quarter’s recap opens its perangkat daerah and its mutu baku through the buttons', async () => {
    t.fake.sendText(ADMIN.id, '/rekap 2026-T1');
    const summary = await t.fake.waitForMessage(ADMIN.id, isText('📊'), 15_000);
    expect(summary.text).toMatch(/Triwulan I 2026/);
    t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: summary.message_id }, button(summary, /Dinas Kesehatan/));
    const list = await t.fake.waitForEdit(ADMIN.id, summary.message_id, (m) => (m.text ?? '').startsWith('👥'));
    expect(list.text).toMatch(/Dinas Kesehatan — Triwulan I 2026/);
    t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: summary.message_id }, button(list, /Kembali ke rekap/));
    const back = await t.fake.waitForEdit(ADMIN.id, summary.message_id, (m) => (m.text ?? '').startsWith('📊'));
    expect(back.text).toMatch(/Rekap kinerja — Triwulan I 2026/);
  });

  it('compares each perangkat daerah with the distribution curve when the org rating is given', async () => {
    t.fake.sendText(ADMIN.id, '/rekap 2026-03 org=baik');
    const summary = await t.fake.waitForMessage(ADMIN.id, isText('📊'), 15_000);
    expect(summary.text).toMatch(/Kurva \(capaian organisasi Baik\): (sesuai|.*melebihi|.*minimal)/);
  });

  it('a pengelola sees only their own perangkat daerah', async () => {
    t.fake.sendText(PENGELOLA.id, '/rekap 2026-03');
    const summary = await t.fake.waitForMessage(PENGELOLA.id, isText('📊'), 15_000);
    expect(summary.text).toMatch(/Cakupan: Dinas Kesehatan/);
    expect(summary.text).not.toContain('Inspektorat');
    expect(summary.text).not.toContain('Dinas Pendidikan');
    // A forged button for another perangkat daerah is refused.
    const [inspektorat] = rowsOf<{ id: string }>(await t.db.db.execute(sql`select id from units where name = 'Inspektorat' and depth = 0`));
    const tap = t.fake.tapButton(PENGELOLA.id, { chatId: PENGELOLA.id, messageId: summary.message_id }, `rk:p:${inspektorat!.id}:2026-03:0:`);
    expect((await t.fake.waitForCallbackAnswer(tap.callback_query.id)).text).toMatch(/di luar cakupan/);
  });

  it('a plain ASN is refused, and bad arguments are explained', async () => {
    t.fake.sendText(ASN.id, '/rekap');
    const refusal = await t.fake.waitForMessage(ASN.id);
    expect(refusal.text).toMatch(/hanya tersedia untuk atasan, pengelola kepegawaian, dan admin BKPP/);
    // Forged buttons get the same answer, and nothing is sent.
    const forged = t.fake.tapButton(ASN.id, { chatId: ASN.id, messageId: refusal.message_id }, 'rk:t:0:');
    expect((await t.fake.waitForCallbackAnswer(forged.callback_query.id)).text).toMatch(/hanya tersedia untuk/);
    t.fake.sendText(ASN.id, '/ekspor 2026');
    expect((await t.fake.waitForMessage(ASN.id)).text).toMatch(/hanya tersedia untuk/);
    t.fake.sendText(ADMIN.id, '/rekap 2026-13');
    expect((await t.fake.waitForMessage(ADMIN.id, (m) => /tidak valid/.test(m.text ?? ''))).text).toMatch(/Periode "2026-13" tidak valid/);
    t.fake.sendText(ADMIN.id, '/rekap org=hebat');
    expect((await t.fake.waitForMessage(ADMIN.id, (m) => /tidak dikenal/.test(m.text ?? ''))).text).toMatch(/Capaian organisasi "hebat"/);
  });

  it('/rekap terlambat lists overdue steps; Ingatkan reaches the holder once and is logged with the actor', async () => {
    t.fake.sendText(ADMIN.id, '/rekap terlambat');
    const list = await t.fake.waitForMessage(ADMIN.id, isText('⏰'), 15_000);
    expect(list.text).toMatch(/Langkah lewat SLA — \d+ langkah \(semua periode\)/);
    const data1 = button(list, new RegExp(holder.caseId));
    expect(Buffer.byteLength(data1)).toBeLessThanOrEqual(64);

    const tap = t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: list.message_id }, data1);
    expect((await t.fake.waitForCallbackAnswer(tap.callback_query.id, 15_000)).text).toMatch(/Pengingat terkirim ke/);
    const reminder = await t.fake.waitForMessage(holder.userId, (m) => /Pengingat dari Fajar Nugroho/.test(m.text ?? ''));
    expect(reminder.text).toMatch(/Mohon segera ditindaklanjuti/);
    const [admin] = await t.db.db.select().from(employees).where(eq(employees.nip, ADMIN.nip));
    const logged = await t.db.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, holder.caseId), eq(caseEvents.action, 'manual_reminder')));
    expect(logged).toHaveLength(1);
    expect(logged[0]!.actorId).toBe(admin!.id);

    // A second tap the same day sends nothing more.
    const again = t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: list.message_id }, data1);
    expect((await t.fake.waitForCallbackAnswer(again.callback_query.id, 15_000)).text).toMatch(/sudah diingatkan hari ini/);
    expect(t.fake.messages(holder.userId).filter((m) => /Pengingat dari Fajar/.test(m.text ?? ''))).toHaveLength(1);
  });

  it('/rekap terlambat shows BKPP the notifications the outbox gave up on; a pengelola does not see them', async () => {
    const [anisa] = await t.db.db.select().from(employees).where(eq(employees.nip, ASN.nip));
    // As the dispatcher leaves a row after Telegram refused it for the whole retry window.
    await t.db.db.insert(outbox).values({
      caseId: holder.caseId,
      kind: 'notify',
      payload: { to: anisa!.id, template: 'request', data: {} },
      doneAt: now,
      attempts: 40,
      lastError: `${GAVE_UP_PREFIX}502: Bad Gateway`,
    });
    t.fake.sendText(ADMIN.id, '/rekap terlambat');
    const list = await t.fake.waitForMessage(ADMIN.id, (m) => /Pemberitahuan gagal terkirim/.test(m.text ?? ''), 15_000);
    expect(list.text).toMatch(/Pemberitahuan gagal terkirim(<\/b>)?: 1/);
    expect(list.text).toMatch(/Anisa Fitriani[^\n]*\(terkait [^)]+\), \d{2}\/\d{2}\/2026 \d{2}[.:]\d{2} WIB/);
    expect(list.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|gave up|Bad Gateway/);

    t.fake.sendText(PENGELOLA.id, '/rekap terlambat');
    const own = await t.fake.waitForMessage(PENGELOLA.id, (m) => /Langkah lewat SLA|Tidak ada/i.test(m.text ?? ''), 15_000);
    expect(own.text).not.toMatch(/gagal terkirim/);
  });

  it('/rekap terlambat does not offer to remind the reader of their own step: /tugas holds it', async () => {
    // An overdue step in Siti's perangkat daerah, handed to Siti herself.
    const [mine] = rowsOf<{ id: string; version: number }>(
      await t.db.db.execute(sql`
        select c.id, c.version from cases c
        join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
        join employees p on p.nip = ${PENGELOLA.nip} join units pu on pu.id = p.unit_id
        where c.status in ('active', 'returned') and c.sla_due_at < ${now.toISOString()}::timestamptz
          and coalesce(u.perangkat_daerah_id, u.id) = coalesce(pu.perangkat_daerah_id, pu.id)
        order by c.step_entered_at limit 1`),
    );
    expect(mine).toBeDefined();
    const [siti] = await t.db.db.select().from(employees).where(eq(employees.nip, PENGELOLA.nip));
    await t.db.db.execute(sql`update cases set assignee_id = ${siti!.id}::uuid where id = ${mine!.id}::uuid`);
    t.fake.sendText(PENGELOLA.id, '/rekap terlambat');
    const list = await t.fake.waitForMessage(PENGELOLA.id, isText('⏰'), 15_000);
    expect(list.text).toMatch(/Pemegang: Bapak\/Ibu sendiri \(\/tugas\)/);
    expect(buttons(list).some((b) => b.callback_data.includes(mine!.id))).toBe(false);
    // An old button (or a forged one) is answered, and sends nothing.
    const before = t.fake.messages(PENGELOLA.id).length;
    const tap = t.fake.tapButton(PENGELOLA.id, { chatId: PENGELOLA.id, messageId: list.message_id }, reportCallbacks.remind(mine!.id, mine!.version));
    expect((await t.fake.waitForCallbackAnswer(tap.callback_query.id, 15_000)).text).toBe('Langkah ini menunggu Bapak/Ibu sendiri: buka /tugas untuk menyelesaikannya.');
    await t.idle();
    expect(t.fake.messages(PENGELOLA.id).slice(before).filter((m) => /Pengingat dari/.test(m.text ?? ''))).toHaveLength(0);
  });
});

describe('/ekspor', () => {
  it('sends an XLSX that reads back with every sheet', async () => {
    t.fake.sendText(ADMIN.id, '/ekspor 2026-03');
    const doc = await t.fake.waitForMessage(ADMIN.id, (m) => m.method === 'sendDocument' && m.document?.file_name?.endsWith('.xlsx') === true, 15_000);
    expect(doc.document!.file_name).toBe('rekap-kinerja-2026-03.xlsx');
    const content = t.fake.fileContent(doc.document!.file_id)!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(content as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Ringkasan', 'Pegawai', 'Terlambat', 'Mutu Baku', 'Log Kejadian', 'Kurva Distribusi', 'TPP', 'Angka Kredit']);
    expect(book.getWorksheet('Pegawai')!.rowCount).toBe(1 + 45);
    expect(book.getWorksheet('Ringkasan')!.rowCount).toBe(1 + 4 + 1);
    const header = (book.getWorksheet('Pegawai')!.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['NIP', 'Nama', 'Jabatan']);
    expect(doc.caption).toMatch(/Pegawai: 45 baris/);
  });

  it('sends one sheet as CSV, and explains an unknown sheet', async () => {
    t.fake.sendText(PENGELOLA.id, '/ekspor 2026 csv Pegawai');
    const doc = await t.fake.waitForMessage(PENGELOLA.id, (m) => m.method === 'sendDocument', 15_000);
    expect(doc.document!.file_name).toBe('rekap-kinerja-2026-pegawai.csv');
    const lines = doc.document!.content!.toString('utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^NIP;Nama;Jabatan;Pangkat\/Gol\.;Unit;Perangkat Daerah;Telegram;Status SKP 2026;Realisasi Jan/);
    const dinkes = data.employees.filter((e) => e.pdName === 'Dinas Kesehatan' && e.active).length;
    expect(lines).toHaveLength(1 + dinkes);
    expect(lines.slice(1).every((l) => l.includes(';Dinas Kesehatan;'))).toBe(true);
    // The roster's pangkat/golongan is in its column.
    expect(lines.find((l) => l.startsWith('198303272008012005;'))).toContain(';Kepala Subbagian Umum dan Kepegawaian;Penata Tk. I, III/d;');

    t.fake.sendText(PENGELOLA.id, '/ekspor 2026 csv Gaji');
    expect((await t.fake.waitForMessage(PENGELOLA.id, (m) => /tidak ada/.test(m.text ?? ''))).text).toMatch(/Sheet "Gaji" tidak ada/);
  });
});

describe('/rekap with a perangkat daerah’s name', () => {
  it('lists its employees for whom it covers, asks which when several fit, and refuses what it does not know', async () => {
    const reply = async (user: number, text: string) => {
      const last = Math.max(0, ...t.fake.messages(user).map((m) => m.message_id));
      t.fake.sendText(user, text);
      return t.fake.waitForMessage(user, (m) => m.message_id > last && m.method === 'sendMessage', 15_000);
    };
    expect((await reply(ADMIN.id, '/rekap kesehatan maret 2026')).text).toMatch(/^👥 Dinas Kesehatan — Maret 2026\n\d+ pegawai · halaman 1\/\d+/);
    // Its abbreviation too, as people write it.
    expect((await reply(ADMIN.id, '/rekap dinkes maret 2026')).text).toMatch(/^👥 Dinas Kesehatan — Maret 2026\n/);
    expect((await reply(ADMIN.id, '/rekap BKPSDM')).text).toMatch(/^👥 Badan Kepegawaian dan Pengembangan Sumber Daya Manusia — /);
    const several = await reply(ADMIN.id, '/rekap dinas');
    expect(several.text).toMatch(/^Ada 2 perangkat daerah yang cocok dengan "dinas":\n• Dinas Kesehatan\n• Dinas Pendidikan/);
    // A pengelola: their own, and another perangkat daerah is outside their scope (not "not recognised").
    expect((await reply(PENGELOLA.id, '/rekap Dinas Kesehatan')).text).toMatch(/^👥 Dinas Kesehatan — /);
    expect((await reply(PENGELOLA.id, '/rekap Dinas Pendidikan')).text).toBe('Perangkat daerah ini di luar cakupan rekap Bapak/Ibu.');
    expect((await reply(PENGELOLA.id, '/rekap disdik')).text).toBe('Perangkat daerah ini di luar cakupan rekap Bapak/Ibu.');
    expect((await reply(ADMIN.id, '/rekap kemarin')).text).toMatch(/^Mohon maaf, "kemarin" tidak dikenali\./);
    expect((await reply(ADMIN.id, '/rekap terlambat kesehatan')).text).toMatch(/^Mohon maaf, "kesehatan" tidak dikenali\./);
    // /ekspor too: the export of that perangkat daerah only.
    t.fake.sendText(ADMIN.id, '/ekspor Inspektorat 2026-03 csv Pegawai');
    const csv = await t.fake.waitForMessage(ADMIN.id, (m) => m.method === 'sendDocument' && /Inspektorat/.test(m.caption ?? ''), 30_000);
    expect(csv.caption).toMatch(/^📎 Rekap kinerja Maret 2026 — .*Inspektorat/);
    const rows = csv.document!.content!.toString('utf8').trim().split('\n').slice(1);
    expect(rows.length).toBe(8);
    expect((await reply(ADMIN.id, '/ekspor pdf')).text).toMatch(/^Mohon maaf, "pdf" tidak dikenali\.[\s\S]*Cara memakai \/ekspor/);
    expect((await reply(ADMIN.id, '/ekspor dinas')).text).toMatch(/misalnya \/ekspor Dinas Kesehatan\.$/);
  });
});

describe('arguments', () => {
  it('are read in any order and refused with a reason', () => {
    expect(parseRekapArgument('org=Butuh-Perbaikan 2026-3')).toEqual({
      ok: true,
      mode: 'summary',
      period: { kind: 'periodic', year: 2026, period: { year: 2026, kind: 'bulanan', index: 3 } },
      org: 'butuh_perbaikan',
      unitWords: [],
    });
    expect(parseRekapArgument('2026-t2 terlambat')).toMatchObject({ ok: true, mode: 'overdue', period: { kind: 'periodic', period: { year: 2026, kind: 'triwulanan', index: 2 } } });
    expect(parseEksporArgument('2026-S1')).toMatchObject({ ok: true, period: { kind: 'periodic', period: { year: 2026, kind: 'semesteran', index: 1 } } });
    expect(parseRekapArgument('2026-T5')).toMatchObject({ ok: false });
    expect(parseRekapArgument('terlambat 2026')).toMatchObject({ ok: true, mode: 'overdue', period: { kind: 'year', year: 2026 } });
    expect(parseRekapArgument('mutu')).toMatchObject({ ok: true, mode: 'mutu', period: null });
    expect(parseRekapArgument('2026 2025')).toMatchObject({ ok: false });
    // Other words may name a perangkat daerah: the command looks them up (and refuses them when they do not).
    expect(parseRekapArgument('Dinas Kesehatan Maret 2026')).toMatchObject({ ok: true, mode: 'summary', period: { kind: 'periodic' }, unitWords: ['Dinas', 'Kesehatan'] });
    expect(parseEksporArgument('2026 csv log kejadian')).toEqual({ ok: true, period: { kind: 'year', year: 2026 }, org: null, csvSheet: 'Log Kejadian', unitWords: [] });
    expect(parseEksporArgument('csv')).toMatchObject({ ok: false, message: expect.stringMatching(/Sebutkan sheet/) });
    expect(parseEksporArgument('Inspektorat 2026 csv Pegawai')).toMatchObject({ ok: true, csvSheet: 'Pegawai', unitWords: ['Inspektorat'] });
  });
});
