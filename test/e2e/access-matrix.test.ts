// E2E: the access matrix. For each role and scope, every read and action is tried through the real bot against the
// fake Bot API: allowed, refused, or refused because the employee left the roster. A refusal never tells anything
// about the case or its employee, and is logged with who, what and which target.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { caseEvents, cases, delegations, employees, evidenceFiles, linkCodes, rosterUploads } from '../../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../support/app.js';
import type { BotMessage } from '../support/fake-telegram.js';

// From examples/roster.csv. Dinas Kesehatan ("PD A"): Anisa reports to Yuliana, who reports to Lilis; Melati is
// Anisa's colleague (also Yuliana's report); Siti is the PD's pengelola; Eko heads another seksi and stands in for
// Yuliana (Plh). Dinas Pendidikan ("PD B"): Novi is its pengelola. BKPP: Fajar and Putri are admins; Rini is staff
// of PD A. Putri and Rini leave the roster in a re-import.
const PEOPLE = {
  anisa: { nip: '199207142017032002', tg: 9501, nama: 'Anisa Fitriani' },
  melati: { nip: '199011052019022001', tg: 9502, nama: 'Melati Kusuma' },
  yuliana: { nip: '198601152010012007', tg: 9503, nama: 'Yuliana Pertiwi' },
  lilis: { nip: '197612012002122003', tg: 9504, nama: 'Lilis Suryani' },
  siti: { nip: '198303272008012005', tg: 9505, nama: 'Siti Nurhaliza' },
  novi: { nip: '198205052008012008', tg: 9506, nama: 'Novi Handayani' },
  fajar: { nip: '199103252015031001', tg: 9507, nama: 'Fajar Nugroho' },
  eko: { nip: '198410202009011003', tg: 9508, nama: 'Eko Prasetyo' },
  rini: { nip: '199508232023212003', tg: 9509, nama: 'Rini Oktaviani' },
  putri: { nip: '199305112019032006', tg: 9510, nama: 'Putri Ayu Lestari' },
} as const;
type Person = keyof typeof PEOPLE;
/** Never linked: /lepas of them gets past the policy to "not linked", changing nothing. */
const WULAN_NIP = '199102282015032003';
const LEAVERS: readonly string[] = [PEOPLE.putri.nip, PEOPLE.rini.nip];
const RHK = { rhk: [{ id: 'r1', jenis: 'utama', text: 'Meningkatnya cakupan imunisasi dasar lengkap', indikator: [{ aspek: 'kuantitas', indikator: 'Cakupan', target: '95 persen' }] }] };

let t: TestApp;
let engine: EngineDeps;
const ids: Record<string, string> = {};
/** One bot message per user, to tap forged buttons on (the bot edits it for some reads). */
const anchor: Record<string, number> = {};
const logLines: Array<Record<string, unknown>> = [];
/** Case A: Anisa's SKP waiting on Yuliana. Case P: Melati's SKP, sent to Eko as Yuliana's Plh. */
const target = { A: { caseId: '', version: 0, subject: 'anisa' as Person }, P: { caseId: '', version: 0, subject: 'melati' as Person } };
let putriUploadMessage: BotMessage;

type Keyboard = { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
const dmy = (date: string, plusDays = 0) => {
  const d = new Date(Date.parse(`${date}T00:00:00Z`) + plusDays * 86_400_000).toISOString().slice(0, 10);
  return `${d.slice(8, 10)}-${d.slice(5, 7)}-${d.slice(0, 4)}`;
};

interface Said {
  /** Texts and captions of every message the bot sent or edited in the user's chat. */
  texts: string[];
  toast: string | undefined;
  documents: number;
  photos: number;
}

/** Does something as `who`, waits until the bot is done, and returns everything it said back. */
async function probe(who: Person, run: (tg: number) => { callback_query?: { id: string } } | void): Promise<Said> {
  const tg = PEOPLE[who].tg;
  const before = new Map(t.fake.messages(tg).map((m) => [m.message_id, m.edits]));
  const update = run(tg);
  await t.idle();
  const toast = update && update.callback_query ? (await t.fake.waitForCallbackAnswer(update.callback_query.id)).text : undefined;
  const changed = t.fake.messages(tg).filter((m) => before.get(m.message_id) !== m.edits);
  return {
    texts: changed.map((m) => m.text ?? m.caption ?? ''),
    toast,
    documents: changed.filter((m) => m.method === 'sendDocument').length,
    photos: changed.filter((m) => m.method === 'sendPhoto').length,
  };
}
const say = (text: string) => (tg: number) => void t.fake.sendText(tg, text);
const tap = (data: string) => (tg: number) => t.fake.tapButton(tg, { chatId: tg, messageId: anchor[tg]! }, data);

type Outcome = 'ok' | 'no' | 'off';
const INACTIVE = /tidak aktif dalam daftar pegawai/;
const any = (s: Said, pattern: RegExp) => s.texts.some((x) => pattern.test(x)) || pattern.test(s.toast ?? '');

interface Operation {
  name: string;
  run: (row: Row) => (tg: number) => { callback_query?: { id: string } } | void;
  ok: (s: Said, row: Row) => boolean;
  no: RegExp;
  /** After an allowed run: leave no conversation behind for the next probe. */
  cleanUp?: boolean;
}

const caseOf = (row: Row) => target[row.on];
const subjectOf = (row: Row) => PEOPLE[caseOf(row).subject];
const period = () => new Date().getFullYear().toString();

/** Every read and action of the issue, as a user would try it. */
const OPERATIONS: Operation[] = [
  // Reads
  { name: 'case detail', run: (r) => tap(`cs:dt:${caseOf(r).caseId}:${caseOf(r).version}`), ok: (s, r) => any(s, new RegExp(subjectOf(r).nama)) && s.toast === undefined, no: /bukan untuk Bapak\/Ibu lihat/ },
  { name: 'evidence', run: (r) => tap(`cs:bk:${caseOf(r).caseId}:${caseOf(r).version}`), ok: (s) => s.documents === 1, no: /bukan untuk Bapak\/Ibu lihat/ },
  { name: 'document', run: (r) => tap(`ct:${caseOf(r).caseId}`), ok: (s) => /Menyiapkan dokumen/.test(s.toast ?? '') && any(s, /belum dapat dicetak/), no: /tidak berwenang mencetak/ },
  { name: 'event log', run: (r) => tap(`rk:e:${ids[caseOf(r).subject]}:${period()}:0:`), ok: (s, r) => any(s, new RegExp(subjectOf(r).nama)), no: /di luar cakupan|rekap hanya tersedia/ },
  { name: '/status', run: () => say('/status'), ok: (s) => any(s, /pengajuan|SKP/), no: /^$/ },
  { name: '/rekap', run: () => say('/rekap'), ok: (s) => s.photos === 1, no: /rekap hanya tersedia/ },
  { name: '/ekspor', run: () => say('/ekspor'), ok: (s) => s.documents === 1, no: /rekap hanya tersedia/ },
  { name: '/tugas', run: () => say('/tugas'), ok: (s) => any(s, /Tidak ada tugas|Tugas menunggu/), no: /^$/ },
  { name: 'verification', run: () => say('/verifikasi ABCD2345EF'), ok: (s) => any(s, /tidak dikenal/), no: /^$/ },
  // Actions
  { name: 'act on the step', run: (r) => tap(`cs:rt:${caseOf(r).caseId}:${caseOf(r).version}`), ok: (s) => any(s, /alasan pengembalian/), no: /bukan tugas Bapak\/Ibu/, cleanUp: true },
  { name: '/kode', run: (r) => say(`/kode ${subjectOf(r).nip}`), ok: (s) => any(s, /Kode tautan untuk/), no: /bukan dari perangkat daerah|hanya untuk petugas/ },
  { name: '/lepas', run: () => say(`/lepas ${WULAN_NIP}`), ok: (s) => any(s, /belum menautkan akun Telegram/), no: /hanya untuk petugas/ },
  { name: '/umumkan', run: () => say('/umumkan'), ok: (s) => any(s, /Buat pengumuman/), no: /hanya untuk petugas/, cleanUp: true },
  { name: '/jalankan', run: () => say('/jalankan'), ok: (s) => any(s, /buka-realisasi/), no: /hanya untuk admin BKPP/ },
  { name: '/impor', run: () => say('/impor'), ok: (s) => any(s, /Untuk mengimpor daftar pegawai/), no: /hanya untuk petugas/ },
  { name: '/usulkan', run: (r) => say(`/usulkan ${subjectOf(r).nip}`), ok: (s) => any(s, /Usulan ASN Berprestasi|Melanjutkan usulan/), no: /bukan dari perangkat daerah|disampaikan oleh pengelola/, cleanUp: true },
  { name: '/kumpulkan', run: () => say('/kumpulkan'), ok: (s) => any(s, /menunggu dihimpun|dihimpun|menunggu diterima BKPP/), no: /hanya untuk petugas/ },
  { name: '/wakil', run: () => say('/wakil'), ok: (s) => any(s, /Plh/) && !any(s, /hanya untuk atasan/), no: /hanya untuk atasan/ },
];

interface Row {
  label: string;
  who: Person;
  on: keyof typeof target;
  /** One letter per operation, in OPERATIONS order: y = allowed, n = refused, x = refused as not in the roster. */
  expect: string;
}

//                                                            detail evid doc log status rekap ekspor tugas verif | act kode lepas umumkan jalankan impor usulkan kumpulkan wakil
const ROWS: Row[] = [
  { label: 'ASN, self', who: 'anisa', on: 'A', expect: 'yyy' + 'n' + 'y' + 'nn' + 'yy' + '|' + 'nnnnnnnnn' },
  { label: 'ASN, a colleague', who: 'melati', on: 'A', expect: 'nnn' + 'n' + 'y' + 'nn' + 'yy' + '|' + 'nnnnnnnnn' },
  { label: 'atasan, direct report', who: 'yuliana', on: 'A', expect: 'yyy' + 'y' + 'y' + 'yy' + 'yy' + '|' + 'ynnnnnnny' },
  { label: 'atasan two levels up', who: 'lilis', on: 'A', expect: 'yyy' + 'n' + 'y' + 'yy' + 'yy' + '|' + 'nnnnnnnny' },
  { label: 'pengelola, own perangkat daerah', who: 'siti', on: 'A', expect: 'yyy' + 'y' + 'y' + 'yy' + 'yy' + '|' + 'nynynnyyy' },
  { label: 'pengelola of another perangkat daerah', who: 'novi', on: 'A', expect: 'nnn' + 'n' + 'y' + 'yy' + 'yy' + '|' + 'nnnynnnyy' },
  // BKPP receives with /kumpulkan what the pengelola forwarded.
  { label: 'BKPP admin, all', who: 'fajar', on: 'A', expect: 'yyy' + 'y' + 'y' + 'yy' + 'yy' + '|' + 'nyyyyynyy' },
  { label: 'Plh during the delegation', who: 'eko', on: 'P', expect: 'yyy' + 'n' + 'y' + 'yy' + 'yy' + '|' + 'ynnnnnnny' },
  { label: 'deactivated employee', who: 'rini', on: 'A', expect: 'xxx' + 'x' + 'x' + 'xx' + 'xx' + '|' + 'xxxxxxxxx' },
];
const PLH_AFTER: Row = { label: 'Plh after the delegation', who: 'eko', on: 'P', expect: 'nnn' + 'n' + 'y' + 'yy' + 'yy' + '|' + 'nnnnnnnny' };

function expected(row: Row): Outcome[] {
  const letters = row.expect.replace('|', '');
  expect(letters).toHaveLength(OPERATIONS.length);
  return [...letters].map((l) => (l === 'y' ? 'ok' : l === 'n' ? 'no' : 'off'));
}

function classify(op: Operation, s: Said, row: Row): Outcome | string {
  if (any(s, INACTIVE)) return 'off';
  if (op.ok(s, row)) return 'ok';
  if (any(s, op.no)) return 'no';
  return `unclassified: ${JSON.stringify(s).slice(0, 400)}`;
}

/** Runs every operation for a row; returns the outcomes, and checks a refusal says nothing of the case. */
async function runRow(row: Row): Promise<Outcome[] | string[]> {
  const got: string[] = [];
  const subject = subjectOf(row);
  const secrets = [subject.nama, subject.nip, 'Meningkatnya cakupan imunisasi'];
  for (const op of OPERATIONS) {
    const said = await probe(row.who, op.run(row));
    const outcome = classify(op, said, row);
    got.push(outcome);
    if (outcome !== 'ok') {
      // Refused: nothing about the case or its employee, in any message or toast.
      for (const secret of secrets) expect([...said.texts, said.toast ?? ''].join('\n'), `${row.label} / ${op.name}`).not.toContain(secret);
      expect(said.documents + said.photos, `${row.label} / ${op.name}`).toBe(0);
    }
    if (outcome === 'ok' && op.cleanUp) await probe(row.who, say('/batal'));
  }
  return got;
}

const named = (outcomes: readonly string[]) => Object.fromEntries(OPERATIONS.map((op, i) => [op.name, outcomes[i]]));

async function link(person: Person) {
  const p = PEOPLE[person];
  t.fake.addUser({ id: p.tg, first_name: person });
  t.fake.markStarted(p.tg);
  const [row] = await t.db.db.update(employees).set({ telegramUserId: p.tg, telegramChatId: p.tg }).where(eq(employees.nip, p.nip)).returning({ id: employees.id });
  ids[person] = row!.id;
}

async function evidenceFor(caseId: string, ownerId: string) {
  const file = t.fake.registerFile({ fileSize: 9, content: Buffer.from('%PDF-1.7\n'), fileName: 'bukti.pdf', mimeType: 'application/pdf' });
  await t.db.db.insert(evidenceFiles).values({ caseId, ownerId, purpose: 'r1', telegramFileId: file.file_id, fileName: 'bukti.pdf', mimeType: 'application/pdf', sizeBytes: 9 });
}

async function submitSkp(person: Person) {
  const opened = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: ids[person]!, period: period(), now: new Date() });
  const done = await act(engine, { caseId: opened.case.id, actorId: ids[person]!, command: { kind: 'complete', stepNo: opened.case.stepNo, inputs: RHK }, now: new Date() });
  await evidenceFor(done.case.id, ids[person]!);
  return done.case;
}

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  t = await startTestApp({ logger: pino({ level: 'warn' }, sink) });
  engine = t.app.deps;
  await importExampleRoster(t.db);
  for (const person of Object.keys(PEOPLE) as Person[]) await link(person);
  const [wulan] = await t.db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, WULAN_NIP));
  ids.wulan = wulan!.id;
  for (const person of Object.keys(PEOPLE) as Person[]) {
    t.fake.sendText(PEOPLE[person].tg, '/bantuan');
    anchor[PEOPLE[person].tg] = (await t.fake.waitForMessage(PEOPLE[person].tg, (m) => /Perintah yang tersedia/.test(m.text ?? ''))).message_id;
  }

  // Putri (a BKPP admin) uploads a roster and leaves its preview pending.
  t.fake.sendDocument(PEOPLE.putri.tg, { fileName: 'pegawai.csv', mimeType: 'text/csv', content: readFileSync('examples/roster.csv') });
  putriUploadMessage = await t.fake.waitForMessage(PEOPLE.putri.tg, (m) => /Pratinjau impor/.test(m.text ?? ''));

  // Fajar re-imports the roster without Putri and Rini, in the chat.
  const lines = readFileSync('examples/roster.csv', 'utf8').split('\n');
  const without = lines.filter((l) => !LEAVERS.some((nip) => l.startsWith(nip))).join('\n');
  t.fake.sendDocument(PEOPLE.fajar.tg, { fileName: 'roster-baru.csv', mimeType: 'text/csv', content: Buffer.from(without) });
  const preview = await t.fake.waitForMessage(PEOPLE.fajar.tg, (m) => /Pratinjau impor roster-baru/.test(m.text ?? ''));
  expect(preview.text).toMatch(/dinonaktifkan \(tidak ada di berkas\): 2/);
  const apply = (preview.reply_markup as Keyboard).inline_keyboard.flat().find((b) => /Terapkan/.test(b.text))!.callback_data;
  t.fake.tapButton(PEOPLE.fajar.tg, { chatId: PEOPLE.fajar.tg, messageId: preview.message_id }, apply);
  await t.fake.waitForEdit(PEOPLE.fajar.tg, preview.message_id, (m) => /Impor selesai/.test(m.text ?? ''));
  await t.idle();

  // Case A waits on Yuliana. Then Yuliana goes on leave with Eko as her Plh, and case P goes to Eko.
  const a = await submitSkp('anisa');
  target.A = { ...target.A, caseId: a.id, version: a.version };
  const today = t.app.deps.calendar.localDate(new Date());
  t.fake.sendText(PEOPLE.yuliana.tg, `/wakil ${PEOPLE.eko.nip} ${dmy(today)} ${dmy(today, 2)} cuti tahunan`);
  await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => /ditunjuk sebagai Plh/.test(m.text ?? ''));
  const p = await submitSkp('melati');
  target.P = { ...target.P, caseId: p.id, version: p.version };
  expect(p.assigneeId).toBe(ids.eko);
  expect(a.assigneeId).toBe(ids.yuliana);

  await t.idle();
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

describe('the access matrix, through the bot', () => {
  for (const row of ROWS) {
    it(`${row.label} (${row.who}, case ${row.on})`, async () => {
      expect(named(await runRow(row))).toEqual(named(expected(row)));
    }, 120_000);
  }

  it('Plh after the delegation: refused at once, and the step goes back to the official at reconcile', async () => {
    // The leave is over (as if the days had passed).
    const today = t.app.deps.calendar.localDate(new Date());
    const past = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
    await t.db.db.update(delegations).set({ fromDate: past(5), toDate: past(1) }).where(eq(delegations.substituteId, ids.eko!));
    // Still assigned to Eko until reconcile, yet he can no longer see or act on it.
    expect((await t.db.db.select().from(cases).where(eq(cases.id, target.P.caseId)))[0]!.assigneeId).toBe(ids.eko);
    expect(named(await runRow(PLH_AFTER))).toEqual(named(expected(PLH_AFTER)));
    // Setujui too, though the engine alone would still take him for the assignee: refused, and nothing changes.
    const approve = await probe('eko', tap(`cs:ok:${target.P.caseId}:${target.P.version}`));
    expect(approve.toast).toMatch(/bukan tugas Bapak\/Ibu/);
    expect((await t.db.db.select().from(cases).where(eq(cases.id, target.P.caseId)))[0]!.version).toBe(target.P.version);

    await t.app.jobs.reconcile();
    const [back] = await t.db.db.select().from(cases).where(eq(cases.id, target.P.caseId));
    expect(back!.assigneeId).toBe(ids.yuliana);
    const handBack = await t.db.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, target.P.caseId), eq(caseEvents.action, 'reassign')));
    expect(handBack.map((e) => e.data)).toEqual([{ from: ids.eko, to: ids.yuliana }]);
    // Yuliana is told and may act; Eko still may not.
    await t.fake.waitForMessage(PEOPLE.yuliana.tg, (m) => /Melati Kusuma/.test(m.text ?? '') && m.method === 'sendMessage', 15_000);
    const official = await probe('yuliana', tap(`cs:rt:${target.P.caseId}:${target.P.version}`));
    expect(any(official, /alasan pengembalian/)).toBe(true);
    await probe('yuliana', say('/batal'));
    const plh = await probe('eko', tap(`cs:rt:${target.P.caseId}:${target.P.version}`));
    expect(plh.toast).toMatch(/bukan tugas Bapak\/Ibu/);
  }, 120_000);
});

describe('a BKPP admin removed by a roster import', () => {
  it('is refused /kode, /lepas, /umumkan, files and buttons, with one message saying why, and nothing changes', async () => {
    const [putri] = await t.db.db.select().from(employees).where(eq(employees.nip, PEOPLE.putri.nip));
    expect(putri).toMatchObject({ active: false, telegramUserId: PEOPLE.putri.tg });
    const codesBefore = (await t.db.db.select().from(linkCodes)).length;
    const [linkedBefore] = await t.db.db.select({ n: sql<number>`count(*)::int` }).from(employees).where(sql`${employees.telegramUserId} is not null`);

    for (const command of ['/kode 199011052019022001', `/lepas ${PEOPLE.anisa.nip}`, '/umumkan', '/jalankan monthly-open', '/start']) {
      const said = await probe('putri', say(command));
      expect(said.texts, command).toEqual([expect.stringMatching(/tidak aktif dalam daftar pegawai[\s\S]*pengelola kepegawaian di Badan Kepegawaian/)]);
    }
    const file = await probe('putri', (tg) => void t.fake.sendDocument(tg, { fileName: 'roster.csv', mimeType: 'text/csv', content: readFileSync('examples/roster.csv') }));
    expect(file.texts).toEqual([expect.stringMatching(INACTIVE)]);

    // The Terapkan of her pending upload, and a case button: the press is answered, and the message says why.
    const apply = (putriUploadMessage.reply_markup as Keyboard).inline_keyboard.flat().find((b) => /Terapkan/.test(b.text))!.callback_data;
    for (const data of [apply, `cs:dt:${target.A.caseId}:${target.A.version}`]) {
      const said = await probe('putri', (tg) => t.fake.tapButton(tg, { chatId: tg, messageId: putriUploadMessage.message_id }, data));
      expect(said.toast, data).toMatch(/tidak aktif dalam daftar pegawai/);
      expect(said.texts, data).toEqual([expect.stringMatching(INACTIVE)]);
    }
    const [upload] = await t.db.db.select().from(rosterUploads).where(eq(rosterUploads.uploadedBy, putri!.id));
    expect(upload!.status).toBe('pending');
    expect((await t.db.db.select().from(linkCodes)).length).toBe(codesBefore);
    const [linkedAfter] = await t.db.db.select({ n: sql<number>`count(*)::int` }).from(employees).where(sql`${employees.telegramUserId} is not null`);
    expect(linkedAfter!.n).toBe(linkedBefore!.n);
    const refusals = logLines.filter((l) => l.msg === 'access refused' && l.who === putri!.id);
    expect(refusals.length).toBeGreaterThanOrEqual(8);
  }, 60_000);

  it('comes back with a later import that lists them again, without relinking', async () => {
    await importExampleRoster(t.db);
    const said = await probe('putri', say('/impor'));
    expect(said.texts).toEqual([expect.stringMatching(/Untuk mengimpor daftar pegawai/)]);
  });
});

describe('a pengelola of another perangkat daerah', () => {
  it("gets nothing of a case of perangkat daerah A from its Detail and evidence buttons, and the refusal is logged", async () => {
    const before = t.fake.messages(PEOPLE.novi.tg).length;
    for (const op of ['dt', 'bk']) {
      const said = await probe('novi', tap(`cs:${op}:${target.A.caseId}:${target.A.version}`));
      expect(said.toast).toMatch(/bukan untuk Bapak\/Ibu lihat/);
      expect(said.texts).toEqual([]);
    }
    expect(t.fake.messages(PEOPLE.novi.tg)).toHaveLength(before);
    // Nothing the case holds reached Novi's chat at any time of this file: name, NIP, jabatan, unit or RHK.
    const everything = t.fake.messages(PEOPLE.novi.tg).map((m) => `${m.text ?? ''} ${m.caption ?? ''}`).join('\n');
    for (const secret of ['Anisa', '19920714', 'Perawat Ahli Pertama', 'Seksi Pelayanan Kesehatan Primer', 'imunisasi dasar']) {
      expect(everything).not.toContain(secret);
    }
    const logged = logLines.filter((l) => l.msg === 'access refused' && l.who === ids.novi && (l.target as { id?: string } | null)?.id === target.A.caseId);
    expect(logged.map((l) => l.what)).toEqual(expect.arrayContaining(['caseDetail', 'caseEvidence']));
    expect(logged[0]).toMatchObject({ level: 40, target: { kind: 'case', id: target.A.caseId }, refusal: 'out_of_scope' });
    // The log names who and what by id: never the employee's name.
    expect(JSON.stringify(logged)).not.toContain('Anisa');
  });
});

describe('an ASN colleague', () => {
  it('cannot act on a step with a forged button even before the version check', async () => {
    const said = await probe('melati', tap(`cs:ok:${target.A.caseId}:${target.A.version}`));
    expect(said.toast).toMatch(/bukan tugas Bapak\/Ibu/);
    const [a] = await t.db.db.select().from(cases).where(and(eq(cases.id, target.A.caseId), isNull(cases.completedAt)));
    expect(a!.version).toBe(target.A.version);
  });
});
