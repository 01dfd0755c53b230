// The Mini App's API: who is signed in (401), what they may see and do (403), and writes through the case engine
// with the chat's own refusals; the chat and the Mini App share one draft and one case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { storeInArchive } from '../../src/app/archive.js';
import { rowsOf } from '../../src/db/client.js';
import { cases, employees, evidenceFiles } from '../../src/db/schema/index.js';
import { CONTENT_SECURITY_POLICY } from '../../src/webapp/server.js';
import { people, startWebAppTest, type Person, type WebAppTest } from '../support/webapp.js';

let w: WebAppTest;
const waitFor = (who: Person, pattern: RegExp) => w.t.fake.waitForMessage(people[who].tg, (m) => pattern.test(m.text ?? ''), 8000);

const twoRhk = {
  rhk: [
    { id: 'a1', text: 'Meningkatnya cakupan imunisasi dasar lengkap', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '95% bayi' }, { aspek: 'waktu', target: '12 bulan' }] },
    { id: 'a2', text: 'Tersusunnya laporan bulanan puskesmas', jenis: 'tambahan', indikator: [{ aspek: 'kualitas', target: 'Lengkap dan tepat waktu' }] },
  ],
};

// A fixed clock: Tuesday 8 December 2026, 09:00 WIB (the year's SKP established, its realisations under way).
const NOW = new Date('2026-12-08T02:00:00Z');

beforeAll(async () => {
  w = await startWebAppTest({ now: () => NOW });
});
afterAll(async () => {
  await w?.t.stop();
});

type WebAppKeyboard = { inline_keyboard: Array<Array<{ text: string; web_app?: { url: string } }>> };
const webAppButtons = (markup: unknown) => ((markup as WebAppKeyboard | undefined)?.inline_keyboard ?? []).flat().filter((b) => b.web_app);

describe('how users reach the Mini App', () => {
  it('sets the menu button to the Mini App through the bot', () => {
    const calls = w.t.fake.calls('setChatMenuButton');
    expect(calls).toHaveLength(1);
    const button = calls[0]!.params.menu_button as unknown;
    const parsed = (typeof button === 'string' ? JSON.parse(button) : button) as { type: string; web_app: { url: string } };
    expect(parsed).toMatchObject({ type: 'web_app', web_app: { url: w.base } });
  });

  it('offers a web_app button beside the chat way in /skp, /tugas and /rekap', async () => {
    w.t.fake.sendText(people.melati.tg, '/skp');
    const intro = await waitFor('melati', /SKP Tahun 2026/);
    expect(webAppButtons(intro.reply_markup)).toEqual([{ text: '🗂️ Buka formulir', web_app: { url: `${w.base}?screen=skp` } }]);
    // The chat way is still there.
    expect(JSON.stringify(intro.reply_markup)).toContain('Isi RHK');

    w.t.fake.sendText(people.siti.tg, '/rekap');
    const recap = await waitFor('siti', /Rekap|rekap/);
    expect(webAppButtons(recap.reply_markup).map((b) => b.text)).toEqual(['📊 Buka dasbor']);
  });
});

describe('Mini App serving and identity', () => {
  it('serves the page with a strict CSP and nothing from another origin', async () => {
    const response = await fetch(w.base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    const script = /src="\.\/assets\/([^"]+\.js)"/.exec(html)![1]!;
    const asset = await fetch(`${w.base}assets/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${w.base}assets/../../package.json`)).status).not.toBe(200);
  });

  it('answers /me for the linked employee', async () => {
    const me = await w.call('siti', 'GET', '/me');
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ nama: 'Siti Nurhaliza, S.E.', nip: people.siti.nip, perangkatDaerah: 'Dinas Kesehatan' });
    expect(me.json.roles).toEqual(expect.arrayContaining(['asn', 'atasan', 'pengelola']));
  });

  it('refuses with 401 without valid initData, for an unlinked user, and for an inactive employee', async () => {
    expect((await w.call(null, 'GET', '/me')).status).toBe(401);
    const forged = await fetch(`${w.base}api/me`, { headers: { authorization: `tma ${w.initData(people.anisa.tg).replace(/hash=[0-9a-f]{4}/, 'hash=0000')}` } });
    expect(forged.status).toBe(401);
    const stale = await fetch(`${w.base}api/me`, { headers: { authorization: `tma ${w.initData(people.anisa.tg, new Date(NOW.getTime() - 2 * 3600_000))}` } });
    expect(stale.status).toBe(401);
    const unlinked = await w.call(8999, 'GET', '/me');
    expect(unlinked.status).toBe(401);
    expect(unlinked.json.error).toMatch(/belum terhubung/);
    await w.t.db.db.update(employees).set({ active: false }).where(eq(employees.id, w.ids.rini));
    expect((await w.call('rini', 'GET', '/me')).status).toBe(401);
    expect((await w.call('rini', 'GET', '/skp')).status).toBe(401);
  });
});

describe('the SKP editor, the review and the dashboard through the API', () => {
  let caseId = '';

  it('saves the draft the chat shows, refuses what the chat refuses, and submits through the case engine', async () => {
    const skp = await w.call('anisa', 'GET', '/skp');
    expect(skp.status).toBe(200);
    expect(skp.json).toMatchObject({ year: '2026', editable: true, draft: { rhk: [] }, deadline: { label: 'Senin, 2 Februari 2026', today: false, passed: true } });
    caseId = skp.json.caseId as string;

    const bad = await w.call('anisa', 'PUT', '/skp/draft', { rhk: [{ id: 'x', text: 'RHK tanpa target', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: ' ' }] }] });
    expect(bad.status).toBe(422);
    expect(bad.json.fieldProblems).toEqual([{ field: 'target', rhkNo: 1, indikatorNo: 1, problem: 'empty' }]);
    // A target or an RHK of only punctuation or emoji is as empty.
    const dashes = await w.call('anisa', 'PUT', '/skp/draft', { rhk: [{ id: 'x', text: '👍', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '-' }] }] });
    expect(dashes.json.fieldProblems).toEqual([
      { field: 'text', rhkNo: 1, problem: 'empty' },
      { field: 'target', rhkNo: 1, indikatorNo: 1, problem: 'empty' },
    ]);

    const incomplete = await w.call('anisa', 'PUT', '/skp/draft', { rhk: [{ id: 'x', text: 'Baru setengah', indikator: [] }] });
    expect(incomplete.status).toBe(200);
    expect((await w.call('anisa', 'POST', '/skp/submit')).status).toBe(422);

    const saved = await w.call('anisa', 'PUT', '/skp/draft', twoRhk);
    expect(saved.json).toEqual({ saved: true, problems: [] });

    // The chat shows the same draft.
    w.t.fake.sendText(people.anisa.tg, '/skp');
    const review = await waitFor('anisa', /Ringkasan SKP Tahun 2026/);
    expect(review.text).toContain('Meningkatnya cakupan imunisasi dasar lengkap');
    expect(review.text).toContain('Tersusunnya laporan bulanan puskesmas');

    const submitted = await w.call('anisa', 'POST', '/skp/submit');
    expect(submitted.status).toBe(200);
    const request = await waitFor('yuliana', /Permintaan verifikasi/);
    expect(request.text).toContain('Anisa Fitriani');
    expect(request.text).toContain('95% bayi');

    // Sent: no more edits until it comes back.
    expect((await w.call('anisa', 'PUT', '/skp/draft', twoRhk)).status).toBe(409);
  });

  it('refuses with 403 what is out of scope, by the same access policy as the chat', async () => {
    expect((await w.call('melati', 'GET', `/cases/${caseId}`)).status).toBe(403);
    const row = (await w.t.db.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;
    const act = await w.call('melati', 'POST', `/cases/${caseId}/act`, { action: 'approve', version: row.version });
    expect(act.status).toBe(403);
    expect(act.json.error).toMatch(/bukan tugas Bapak\/Ibu/);
    expect((await w.call('melati', 'GET', '/recap')).status).toBe(403);
    expect((await w.call('melati', 'GET', `/employees/${w.ids.anisa}/cases`)).status).toBe(403);
    expect((await w.call('yuliana', 'GET', `/cases/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it("shows the atasan the submission as a table and returns it with a reason, with the chat's refusals", async () => {
    w.t.fake.sendText(people.yuliana.tg, '/tugas');
    const chatTasks = await waitFor('yuliana', /Anisa Fitriani/);
    expect(webAppButtons(chatTasks.reply_markup).map((b) => b.text)).toEqual(['🗂️ Buka formulir']);

    const tasks = await w.call('yuliana', 'GET', '/tasks');
    expect(tasks.status).toBe(200);
    const task = (tasks.json.tasks as Array<{ caseId: string; subjectNama: string }>).find((x) => x.caseId === caseId);
    expect(task?.subjectNama).toBe('Anisa Fitriani, S.Kep, Ns');

    const detail = await w.call('yuliana', 'GET', `/cases/${caseId}`);
    expect(detail.status).toBe(200);
    expect(detail.json.can).toMatchObject({ approve: true, return: true });
    const rhk = detail.json.rhk as Array<{ text: string; indikator: Array<{ target: string }> }>;
    expect(rhk.map((r) => r.text)).toEqual(['Meningkatnya cakupan imunisasi dasar lengkap', 'Tersusunnya laporan bulanan puskesmas']);
    expect(rhk[0]!.indikator.map((i) => i.target)).toEqual(['95% bayi', '12 bulan']);
    const version = detail.json.version as number;

    const short = await w.call('yuliana', 'POST', `/cases/${caseId}/act`, { action: 'return', version, reason: 'kurang' });
    expect(short.status).toBe(422);
    expect(short.json.error).toMatch(/terlalu singkat/);

    const returned = await w.call('yuliana', 'POST', `/cases/${caseId}/act`, { action: 'return', version, reason: 'Target RHK 2 belum terukur, mohon diperbaiki' });
    expect(returned.status).toBe(200);
    expect(returned.json).toMatchObject({ done: true, status: 'returned' });
    const told = await waitFor('anisa', /dikembalikan oleh/);
    expect(told.text).toContain('Target RHK 2 belum terukur');

    // The same refusal as a stale button: who acted first, and when.
    const again = await w.call('yuliana', 'POST', `/cases/${caseId}/act`, { action: 'approve', version });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/^Sudah diproses oleh Yuliana Pertiwi.* pada .*WIB/);

    // Back with the ASN: editable again, with the reason.
    const skp = await w.call('anisa', 'GET', '/skp');
    expect(skp.json).toMatchObject({ editable: true, status: 'returned', returned: { reason: 'Target RHK 2 belum terukur, mohon diperbaiki' } });
  });

  it('opens evidence in the page for those who may see it', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const stored = await storeInArchive(w.t.config.deployment.storage.archiveDir, png, 'png');
    const [file] = await w.t.db.db
      .insert(evidenceFiles)
      .values({ caseId, ownerId: w.ids.anisa, purpose: 'a1', telegramFileId: 'unused-archived', fileName: 'foto kegiatan.png', mimeType: 'image/png', sizeBytes: png.length, ...stored, archivedAt: new Date() })
      .returning();
    const detail = await w.call('yuliana', 'GET', `/cases/${caseId}`);
    expect((detail.json.rhk as Array<{ bukti: Array<{ id: string }> }>)[0]!.bukti.map((b) => b.id)).toEqual([file!.id]);
    const response = await fetch(`${w.base}api/evidence/${file!.id}`, { headers: { authorization: `tma ${w.initData(people.yuliana.tg)}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    expect((await w.call('melati', 'GET', `/evidence/${file!.id}`)).status).toBe(403);
  });

  it('gives the pengelola the recap of their perangkat daerah and an employee’s case log', async () => {
    const recap = await w.call('siti', 'GET', '/recap');
    expect(recap.status).toBe(200);
    const units = recap.json.units as Array<{ pdName: string; employees: number }>;
    expect(units.map((u) => u.pdName)).toEqual(['Dinas Kesehatan']);
    expect(units[0]!.employees).toBeGreaterThan(0);

    // Drill-down to the perangkat daerah's employees; another perangkat daerah is out of scope.
    const pdId = (recap.json.units as Array<{ pdId: string }>)[0]!.pdId;
    const list = await w.call('siti', 'GET', `/recap/units/${pdId}/employees`);
    expect(list.status).toBe(200);
    expect((list.json.employees as Array<{ id: string }>).map((e) => e.id)).toContain(w.ids.anisa);
    const [other] = rowsOf<{ id: string }>(
      await w.t.db.db.execute(sql`select u.perangkat_daerah_id as id from employees e join units u on u.id = e.unit_id where e.nip = '199103252015031001'`),
    );
    expect((await w.call('siti', 'GET', `/recap/units/${other!.id}/employees`)).status).toBe(403);

    // The export reaches the chat as a document sent by the bot. (Anisa's jenjang has a koefisien in the config.)
    await w.t.db.db.update(employees).set({ jenjang: 'Ahli Pertama' }).where(eq(employees.id, w.ids.anisa));
    const exported = await w.call('siti', 'POST', '/export', {});
    expect(exported.status).toBe(200);
    const doc = await w.t.fake.waitForMessage(people.siti.tg, (m) => m.document !== undefined, 15_000);
    expect(doc.document?.file_name).toMatch(/\.xlsx$/);
    // The same workbook as /ekspor for the same (default) period, the deployment's angka kredit koefisien included.
    w.t.fake.sendText(people.siti.tg, '/ekspor');
    const chatDoc = await w.t.fake.waitForMessage(people.siti.tg, (m) => m.document !== undefined && m.message_id > doc.message_id, 15_000);
    expect(chatDoc.document!.file_name).toBe(doc.document!.file_name);
    const angkaKredit = async (fileId: string) => {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(w.t.fake.fileContent(fileId) as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      book.getWorksheet('Angka Kredit')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return rows;
    };
    const fromMiniApp = await angkaKredit(doc.document!.file_id);
    const koefisien = fromMiniApp[0]!.indexOf('Koefisien');
    expect(fromMiniApp.find((row) => row[0] === people.anisa.nip)?.[koefisien]).toBe(12.5);
    expect(fromMiniApp).toEqual(await angkaKredit(chatDoc.document!.file_id));
    expect((await w.call('melati', 'POST', '/export', {})).status).toBe(403);

    const log = await w.call('siti', 'GET', `/employees/${w.ids.anisa}/cases`);
    expect(log.status).toBe(200);
    const logs = log.json.logs as Array<{ caseId: string; events: Array<{ action: string; comment: string | null; at: string; atLabel: string }> }>;
    const events = logs.find((l) => l.caseId === caseId)!.events;
    expect(events.some((e) => e.action === 'return' && e.comment === 'Target RHK 2 belum terukur, mohon diperbaiki')).toBe(true);
    // Each time as the chat writes it, in the agency's zone (WIB here), whatever the phone's zone.
    for (const e of events) {
      const wib = new Date(new Date(e.at).getTime() + 7 * 3_600_000).toISOString();
      expect(e.atLabel).toBe(`${wib.slice(8, 10)}/${wib.slice(5, 7)}/${wib.slice(0, 4)} ${wib.slice(11, 13)}.${wib.slice(14, 16)} WIB`);
    }
  });
});
