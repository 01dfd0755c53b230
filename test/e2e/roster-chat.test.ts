// E2E: a BKPP admin imports the roster by sending a CSV to the bot: preview first, applied only on confirm.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { employees, rosterUploads } from '../../src/db/schema/index.js';
import { importRoster } from '../../src/app/import-roster.js';
import { parseRoster } from '../../src/domain/roster.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const ADMIN = { id: 7001, nip: '199103252015031001' };
const ADMIN2 = { id: 7002, nip: '199305112019032006' };
const ASN = { id: 7003, nip: '199207142017032002' };
const csv = readFileSync('examples/roster.csv');

async function countEmployees(): Promise<number> {
  const [row] = await t.db.db.select({ n: sql<number>`count(*)::int` }).from(employees);
  return row!.n;
}

beforeAll(async () => {
  t = await startTestApp();
  // Bootstrap: only the admins exist (as after a first CLI import of a small file), linked to Telegram.
  const lines = csv.toString('utf8').split('\n');
  const small = [lines[0], ...lines.filter((l) => l.startsWith(ADMIN.nip) || l.startsWith(ADMIN2.nip) || l.startsWith(ASN.nip))]
    .map((l) => (l ?? "").replace(/;(\d{18});(\+?[\d -]*);/, ';;$2;')) // drop nip_atasan: their atasan are not in this file
    .join('\n');
  const parsed = parseRoster(Buffer.from(small));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  await importRoster(t.db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
  for (const u of [ADMIN, ADMIN2, ASN]) {
    t.fake.addUser({ id: u.id, first_name: 'U' });
    await t.db.db.update(employees).set({ telegramUserId: u.id, telegramChatId: u.id }).where(eq(employees.nip, u.nip));
    t.fake.markStarted(u.id);
  }
});
afterAll(async () => {
  await t?.stop();
});

describe('roster import from the chat', () => {
  it('/impor lists the columns, pangkat as the optional one', async () => {
    t.fake.sendText(ADMIN.id, '/impor');
    const help = await t.fake.waitForMessage(ADMIN.id);
    expect(help.text).toContain('nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran');
    expect(help.text).toMatch(/Kolom pilihan: pangkat/);
  });

  it('rejects a bad CSV with every problem listed and changes nothing', async () => {
    const before = await countEmployees();
    const bad = 'nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran\n123;;Staf;pelaksana;Dinas X;;;\n199001012015011001;Budi;Staf;kepala;Dinas X;;;admin\n';
    t.fake.sendDocument(ADMIN.id, { fileName: 'pegawai.csv', mimeType: 'text/csv', content: Buffer.from(bad) });
    const reply = await t.fake.waitForMessage(ADMIN.id);
    expect(reply.text).toMatch(/Impor ditolak/);
    expect(reply.text).toMatch(/Baris 2/);
    expect(reply.text).toMatch(/Baris 3/);
    expect(await countEmployees()).toBe(before);
  });

  it('previews, and applies only after Terapkan by the uploader', async () => {
    const before = await countEmployees();
    t.fake.sendDocument(ADMIN.id, { fileName: 'roster.csv', mimeType: 'text/csv', content: csv });
    const preview = await t.fake.waitForMessage(ADMIN.id);
    expect(preview.text).toMatch(/Pratinjau impor roster\.csv/);
    expect(preview.text).toMatch(/belum ada data yang diubah/);
    expect(await countEmployees()).toBe(before);
    const buttons = (preview.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard[0]!;
    const apply = buttons.find((b) => b.text.includes('Terapkan'))!.callback_data;

    // Another admin cannot confirm someone else's upload.
    const other = t.fake.tapButton(ADMIN2.id, { chatId: ADMIN.id, messageId: preview.message_id }, apply);
    expect((await t.fake.waitForCallbackAnswer(other.callback_query.id)).text).toMatch(/bukan untuk/);
    // A plain ASN neither.
    const asn = t.fake.tapButton(ASN.id, { chatId: ADMIN.id, messageId: preview.message_id }, apply);
    expect((await t.fake.waitForCallbackAnswer(asn.callback_query.id)).text).toMatch(/hanya untuk petugas/);

    const tap = t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: preview.message_id }, apply);
    await t.fake.waitForCallbackAnswer(tap.callback_query.id);
    const done = await t.fake.waitForEdit(ADMIN.id, preview.message_id);
    expect(done.text).toMatch(/Impor selesai/);
    expect(done.reply_markup ?? null).toBeNull();
    const parsed = parseRoster(csv);
    expect(parsed.ok && (await countEmployees())).toBe(parsed.ok && parsed.rows.length);

    // A second tap on the same (now decided) button changes nothing.
    const again = t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: preview.message_id }, apply);
    expect((await t.fake.waitForCallbackAnswer(again.callback_query.id)).text).toMatch(/sudah diproses/);
    const uploads = await t.db.db.select().from(rosterUploads);
    expect(uploads.find((u) => u.fileName === 'roster.csv')!.status).toBe('applied');
  });

  it('Batal cancels the pending import', async () => {
    const changed = csv.toString('utf8').replace('Rudi Hartono', 'Rudi Hartono Baru');
    t.fake.sendDocument(ADMIN.id, { fileName: 'ubah.csv', mimeType: 'text/csv', content: Buffer.from(changed) });
    const preview = await t.fake.waitForMessage(ADMIN.id);
    expect(preview.text).toMatch(/diperbarui: 1/);
    const buttons = (preview.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard[0]!;
    const cancel = buttons.find((b) => b.text.includes('Batal'))!.callback_data;
    t.fake.tapButton(ADMIN.id, { chatId: ADMIN.id, messageId: preview.message_id }, cancel);
    expect((await t.fake.waitForEdit(ADMIN.id, preview.message_id)).text).toMatch(/dibatalkan/);
    const [rudi] = await t.db.db.select().from(employees).where(eq(employees.nip, '199002202014061002'));
    expect(rudi!.nama).toBe('Rudi Hartono');
  });

  it('a CSV from a non-admin, or a non-CSV from an admin, is answered, not dropped', async () => {
    t.fake.sendDocument(ASN.id, { fileName: 'roster.csv', mimeType: 'text/csv', content: csv });
    expect((await t.fake.waitForMessage(ASN.id)).text).toMatch(/tidak ada isian yang membutuhkan berkas/);
    t.fake.sendDocument(ADMIN.id, { fileName: 'foto.pdf', mimeType: 'application/pdf', content: Buffer.from('%PDF-1.4') });
    expect((await t.fake.waitForMessage(ADMIN.id)).text).toMatch(/tidak ada isian yang membutuhkan berkas/);
  });

  it('a CSV in a broken encoding is refused with a clear reason', async () => {
    const latin1 = Buffer.from('nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran\n199001012015011001;Bud\xe9;Staf;pelaksana;Dinas X;;;\n', 'latin1');
    t.fake.sendDocument(ADMIN.id, { fileName: 'latin.csv', mimeType: 'text/csv', content: latin1 });
    expect((await t.fake.waitForMessage(ADMIN.id)).text).toMatch(/UTF-8/);
  });
});
