// Drill 6: a table-driven corpus of bad input. Each gets a clear Indonesian reply (or, where right, silence),
// nothing crashes, and no state changes. Run by `npm run drill` and by test/e2e/bad-input.test.ts.
import { eq, sql } from 'drizzle-orm';
import { act, openCase, type EngineDeps } from '../src/app/case-engine.js';
import { hashLinkCode } from '../src/app/link-account.js';
import { rowsOf } from '../src/db/client.js';
import { caseMessages, employees, linkCodes } from '../src/db/schema/index.js';
import { importExampleRoster, startTestApp, type TestApp } from '../test/support/app.js';
import type { DrillResult } from './drills.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]);
const GENERIC_ERROR = /terjadi gangguan/;

interface Ctx {
  t: TestApp;
  unlinked: number;
  asn: number;
  admin: number;
  atasan: number;
  /** The pengelola kepegawaian of Dinas Kesehatan (proposes ASN Berprestasi). */
  pengelola: number;
  group: number;
  requestMessage: { chatId: number; messageId: number; caseId: string };
}

interface Case {
  name: string;
  /** Who receives the answer (defaults to the chat the input was sent in). */
  chat: (c: Ctx) => number;
  run: (c: Ctx) => Promise<{ callbackId?: string } | void>;
  /** Expected reply; 'silent' when the right answer is none (e.g. plain text in a group). */
  expect: RegExp | 'silent';
  /** Set up the conversation state the input arrives in. */
  before?: (c: Ctx) => Promise<void>;
}

const long = (n: number, unit = 'a') => unit.repeat(n);

/** The pengelola in the middle of a nomination: the summary of achievements is the question. */
async function nominationSummaryExpected(c: Ctx): Promise<void> {
  const reply = nextMessage(c.t, c.pengelola, (text) => /Ringkasan prestasi/.test(text));
  c.t.fake.sendText(c.pengelola, '/usulkan 199508232023212003');
  await reply;
}

/** The next bot message in `chat` newer than anything there now (older unread ones are ignored). */
function nextMessage(t: TestApp, chat: number, predicate: (text: string, markup: string) => boolean = () => true) {
  const lastId = Math.max(0, ...t.fake.messages(chat).map((m) => m.message_id));
  return t.fake.waitForMessage(chat, (m) => m.message_id > lastId && predicate(m.text ?? '', JSON.stringify(m.reply_markup ?? '')), 20_000);
}

async function skpAt(c: Ctx, step: 'menu' | 'pdf' | 'rhk-text'): Promise<void> {
  const { t, asn } = c;
  let reply = nextMessage(t, asn);
  t.fake.sendText(asn, '/batal');
  // A question half-way is only paused by /batal (the next /skp would resume it): a second /batal stops it.
  if (/dihentikan sementara/.test((await reply).text ?? '')) {
    reply = nextMessage(t, asn);
    t.fake.sendText(asn, '/batal');
    await reply;
  }
  reply = nextMessage(t, asn, (_text, markup) => markup.includes('skp:'));
  t.fake.sendText(asn, '/skp');
  const menu = await reply;
  if (step === 'menu') return;
  reply = nextMessage(t, asn);
  t.fake.tapButton(asn, { chatId: asn, messageId: menu.message_id }, step === 'pdf' ? 'skp:p' : 'skp:m');
  await reply;
}

export const corpus: Case[] = [
  // Oversized and odd text
  { name: 'text of 4,096 characters (unlinked)', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendText(c.unlinked, long(4096)), expect: /belum tertaut/ },
  { name: 'text of 4,096 characters (linked, no conversation)', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, long(4096)), expect: /tidak ada isian/i },
  { name: '4,096 characters while an RHK text is expected', chat: (c) => c.asn, before: (c) => skpAt(c, 'rhk-text'), run: async (c) => void c.t.fake.sendText(c.asn, long(4096, 'x')), expect: /./ },
  { name: 'emoji only', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '😀🎉🇮🇩'), expect: /tidak ada isian/i },
  { name: 'emoji of 4,096 code points', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendText(c.unlinked, long(4096, '😀')), expect: /belum tertaut/ },
  { name: 'right-to-left text', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, 'مرحبا بالعالم שלום'), expect: /tidak ada isian/i },
  { name: 'SQL-looking text', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, "'; DROP TABLE employees; --"), expect: /tidak ada isian/i },
  { name: 'HTML-looking text', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '<b>halo</b><script>alert(1)</script>&amp;'), expect: /tidak ada isian/i },
  { name: 'control characters', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, 'a\u0000b\u0007c\u200f'), expect: /tidak ada isian/i },
  // Commands with bad arguments
  { name: '/kode with an invalid NIP', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendText(c.admin, '/kode 12345'), expect: /NIP tidak valid/ },
  { name: '/kode with SQL-looking text', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendText(c.admin, "/kode 1' OR '1'='1"), expect: /NIP tidak valid/ },
  { name: '/kode with 4,000 characters', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendText(c.admin, `/kode ${long(4000, '9')}`), expect: /NIP tidak valid/ },
  { name: '/kode without NIP', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendText(c.admin, '/kode'), expect: /Ketik NIP/ },
  { name: '/kode by a plain ASN', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/kode 199011052019022001'), expect: /hanya untuk petugas/ },
  { name: '/lepas by a plain ASN', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/lepas 199011052019022001'), expect: /hanya untuk petugas/ },
  { name: '/umumkan by a plain ASN', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/umumkan'), expect: /hanya untuk petugas/ },
  { name: '/rekap by a plain ASN', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/rekap'), expect: /hanya|tidak berwenang|petugas/i },
  { name: '/daftar with an expired code', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendText(c.unlinked, '/daftar KADALUARSA01'), expect: /kedaluwarsa/ },
  { name: '/daftar with a used code', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendText(c.unlinked, '/daftar SUDAHDIPAKAI'), expect: /sudah pernah dipakai/ },
  { name: '/daftar with HTML', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendText(c.unlinked, '/daftar <script>x</script>'), expect: /tidak dikenali/ },
  { name: '/start with a path as payload', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendText(c.unlinked, '/start ../../etc/passwd'), expect: /tidak dikenali/ },
  { name: 'unknown command', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/hapus_semua_data'), expect: /tidak dikenal/ },
  { name: '/realisasi with a month 13', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/realisasi 2026-13'), expect: /bulan|format/i },
  { name: '/realisasi with garbage', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, "/realisasi ' or 1=1"), expect: /bulan|format/i },
  { name: '/verifikasi with an unknown code', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/verifikasi ZZZZZZZZZZ'), expect: /tidak (dikenal|ditemukan)/i },
  { name: '/wakil with impossible dates', chat: (c) => c.atasan, run: async (c) => void c.t.fake.sendText(c.atasan, '/wakil 199011052019022001 31-02-2026 01-01-2026'), expect: /tanggal|valid/i },
  // ASN Berprestasi nominations (/usulkan) and typed step input
  { name: '/usulkan by a plain ASN', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendText(c.asn, '/usulkan 199011052019022001'), expect: /pengelola kepegawaian/ },
  { name: '/usulkan NIP by a BKPP admin', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendText(c.admin, '/usulkan 199011052019022001'), expect: /pengelola kepegawaian/ },
  { name: '/usulkan with an invalid NIP', chat: (c) => c.pengelola, run: async (c) => void c.t.fake.sendText(c.pengelola, '/usulkan 1990-abc'), expect: /NIP tidak valid/ },
  { name: '/usulkan with an NIP of another perangkat daerah', chat: (c) => c.pengelola, run: async (c) => void c.t.fake.sendText(c.pengelola, '/usulkan 198205052008012008'), expect: /bukan dari perangkat daerah/ },
  { name: '/usulkan for oneself', chat: (c) => c.pengelola, run: async (c) => void c.t.fake.sendText(c.pengelola, '/usulkan 198303272008012005'), expect: /tidak dapat mengusulkan/ },
  { name: 'a sticker where a nomination summary is expected', chat: (c) => c.pengelola, before: nominationSummaryExpected, run: async (c) => void c.t.fake.sendSticker(c.pengelola), expect: /dalam bentuk teks/ },
  { name: 'a summary of 4,096 characters', chat: (c) => c.pengelola, before: nominationSummaryExpected, run: async (c) => void c.t.fake.sendText(c.pengelola, long(4096, 'p')), expect: /terlalu panjang/ },
  { name: 'a lying file as nomination data', chat: (c) => c.pengelola, before: nominationSummaryExpected, run: async (c) => void c.t.fake.sendDocument(c.pengelola, { fileName: 'usulan.pdf', mimeType: 'application/pdf', content: PNG }), expect: /Berkas ditolak/ },
  // Contacts
  { name: "someone else's contact", chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendContact(c.unlinked, { phone_number: '6281234560208', first_name: 'X', user_id: c.asn }), expect: /bukan milik/ },
  { name: 'a contact without user id', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendContact(c.unlinked, { phone_number: '6281234560208', first_name: 'X' }), expect: /bukan milik/ },
  { name: 'own contact with a garbage number', chat: (c) => c.unlinked, run: async (c) => void c.t.fake.sendContact(c.unlinked, { phone_number: 'abc-def', first_name: 'X', user_id: c.unlinked }), expect: /tidak terdaftar/ },
  // Files
  { name: 'a 25 MB file', chat: (c) => c.asn, before: (c) => skpAt(c, 'pdf'), run: async (c) => void sendBigFile(c, c.asn, 'skp.pdf', 'application/pdf'), expect: /20 MB|terlalu besar/i },
  { name: 'a file of a forbidden type', chat: (c) => c.asn, before: (c) => skpAt(c, 'pdf'), run: async (c) => void c.t.fake.sendDocument(c.asn, { fileName: 'program.exe', mimeType: 'application/x-msdownload', content: EXE }), expect: /tidak (dapat )?diterima|hanya|jenis/i },
  { name: 'a file with a lying extension', chat: (c) => c.asn, before: (c) => skpAt(c, 'pdf'), run: async (c) => void c.t.fake.sendDocument(c.asn, { fileName: 'skp.pdf', mimeType: 'application/pdf', content: PNG }), expect: /sebenarnya|isinya|bukan PDF|tidak sesuai/i },
  { name: 'a file nobody asked for', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendDocument(c.asn, { fileName: 'a.pdf', mimeType: 'application/pdf', content: PDF }), expect: /tidak ada isian yang membutuhkan berkas[\s\S]*\/skp lalu pilih/ },
  { name: 'a photo nobody asked for', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendPhoto(c.asn, { content: PNG }), expect: /tidak ada isian yang membutuhkan berkas/ },
  { name: 'a sticker where text is expected', chat: (c) => c.asn, before: (c) => skpAt(c, 'rhk-text'), run: async (c) => void c.t.fake.sendSticker(c.asn), expect: /teks|ketik|tulis/i },
  { name: 'a sticker with no conversation', chat: (c) => c.asn, run: async (c) => void c.t.fake.sendSticker(c.asn), expect: /tidak dapat diproses/ },
  // Roster CSVs
  { name: 'a CSV with a broken encoding', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendDocument(c.admin, { fileName: 'r.csv', mimeType: 'text/csv', content: Buffer.from('nip;nama;jabatan;jenis_jabatan;unit;nip_atasan;telepon;peran\n199001012015011001;Bud\xe9;S;pelaksana;D;;;\n', 'latin1') }), expect: /UTF-8/ },
  { name: 'a huge CSV (30 MB)', chat: (c) => c.admin, run: async (c) => void sendBigFile(c, c.admin, 'roster.csv', 'text/csv', 30), expect: /terlalu besar/ },
  { name: 'a CSV with wrong columns', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendDocument(c.admin, { fileName: 'r.csv', mimeType: 'text/csv', content: Buffer.from('a,b,c\n1,2,3\n') }), expect: /Impor ditolak/ },
  { name: 'an empty CSV', chat: (c) => c.admin, run: async (c) => void c.t.fake.sendDocument(c.admin, { fileName: 'r.csv', mimeType: 'text/csv', content: Buffer.alloc(0) }), expect: /ditolak|kosong/i },
  // Buttons
  { name: 'forged callback_data', chat: (c) => c.atasan, run: async (c) => ({ callbackId: tapOn(c, c.atasan, 'cs:ok:00000000-0000-0000-0000-000000000000:1') }), expect: /tidak ditemukan|tidak dikenali|sudah/i },
  { name: 'garbage callback_data', chat: (c) => c.atasan, run: async (c) => ({ callbackId: tapOn(c, c.atasan, '\u0001\u0002garbage') }), expect: /tidak dikenali/ },
  { name: 'a button tapped by the wrong user', chat: (c) => c.atasan, run: async (c) => ({ callbackId: tapOn(c, c.asn, `cs:ok:${c.requestMessage.caseId}:2`) }), expect: /bukan tugas/ },
  { name: 'a stale button (wrong version)', chat: (c) => c.atasan, run: async (c) => ({ callbackId: tapOn(c, c.atasan, `cs:ok:${c.requestMessage.caseId}:1`) }), expect: /Sudah diproses|sudah diproses/ },
  { name: 'a forged print button', chat: (c) => c.atasan, run: async (c) => ({ callbackId: tapOn(c, c.atasan, 'ct:not-a-case') }), expect: /tidak dikenali|tidak berlaku|tidak/i },
  // Group chats, edits, stale prompts
  { name: 'a personal command in a group', chat: (c) => c.group, run: async (c) => void c.t.fake.sendText(c.asn, '/skp', { chatId: c.group }), expect: /chat pribadi/ },
  { name: 'plain text in a group', chat: (c) => c.group, run: async (c) => void c.t.fake.sendText(c.asn, 'halo semua', { chatId: c.group }), expect: 'silent' },
  { name: 'an edited message', chat: (c) => c.asn, run: async (c) => void c.t.fake.editText(c.asn, 1, '/lepas 199011052019022001'), expect: 'silent' },
  { name: 'a reply to a stale prompt', chat: (c) => c.atasan, run: async (c) => void c.t.fake.sendText(c.atasan, 'Alasan yang terlambat dikirim', { replyToMessageId: c.requestMessage.messageId }), expect: /tidak ada isian|menunggu keputusan.*\/tugas/i },
];

function tapOn(c: Ctx, from: number, data: string): string {
  return c.t.fake.tapButton(from, { chatId: c.requestMessage.chatId, messageId: c.requestMessage.messageId }, data).callback_query.id;
}

function sendBigFile(c: Ctx, to: number, fileName: string, mimeType: string, mb = 25): void {
  const file = c.t.fake.registerFile({ fileSize: mb * 1024 * 1024, fileName, mimeType });
  c.t.fake.injectUpdate({
    message: {
      message_id: Math.floor(Math.random() * 1e6),
      date: Math.floor(Date.now() / 1000),
      chat: { id: to, type: 'private', first_name: 'U' },
      from: { id: to, is_bot: false, first_name: 'U' },
      document: { file_id: file.file_id, file_unique_id: file.file_unique_id, file_name: fileName, mime_type: mimeType, file_size: file.file_size },
    },
  });
}

async function stateFingerprint(t: TestApp): Promise<string> {
  const rows = rowsOf<Record<string, number>>(
    await t.db.db.execute(sql`select
      (select count(*)::int from cases) as cases, (select coalesce(sum(version), 0)::int from cases) as versions,
      (select count(*)::int from case_events) as events, (select count(*)::int from employees where active) as employees,
      (select count(*)::int from employees where telegram_user_id is not null) as linked,
      (select count(*)::int from employee_audit) as audit, (select count(*)::int from evidence_files) as files,
      (select count(*)::int from employee_roles) as roles, (select count(*)::int from link_codes where used_at is not null) as used_codes,
      (select count(*)::int from delegations) as delegations, (select count(*)::int from broadcast_deliveries) as deliveries`),
  );
  return JSON.stringify(rows[0]);
}

export async function badInputDrill(): Promise<DrillResult> {
  const t = await startTestApp();
  const lines: string[] = [];
  let failures = 0;
  try {
    await importExampleRoster(t.db);
    const link = async (nip: string, tg: number) => {
      t.fake.addUser({ id: tg, first_name: 'U' });
      t.fake.markStarted(tg);
      const [row] = await t.db.db.update(employees).set({ telegramUserId: tg, telegramChatId: tg }).where(eq(employees.nip, nip)).returning({ id: employees.id });
      return row!.id;
    };
    const asnId = await link('199207142017032002', 9001);
    const atasanId = await link('198601152010012007', 9002);
    const adminId = await link('199103252015031001', 9003);
    await link('198303272008012005', 9005); // Siti, pengelola of Dinas Kesehatan
    t.fake.addUser({ id: 9004, first_name: 'Asing' });
    t.fake.addGroup({ id: -100999, title: 'Grup' });
    // Codes in known states.
    await t.db.db.insert(linkCodes).values([
      { employeeId: atasanId, codeHash: hashLinkCode('KADALUARSA01'), issuedBy: adminId, expiresAt: new Date(Date.now() - 60_000) },
      { employeeId: atasanId, codeHash: hashLinkCode('SUDAHDIPAKAI'), issuedBy: adminId, expiresAt: new Date(Date.now() + 86_400_000), usedAt: new Date() },
    ]);
    // A request on the atasan's desk, from a colleague's submitted SKP.
    const engine: EngineDeps = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
    const [melati] = await t.db.db.select().from(employees).where(eq(employees.nip, '199011052019022001'));
    const { case: c } = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: melati!.id, period: '2026', now: new Date() });
    await act(engine, { caseId: c.id, actorId: melati!.id, command: { kind: 'complete', stepNo: 3, inputs: { rhk: [{ id: 'r1', jenis: 'utama', text: 'Laporan' }] } }, now: new Date() });
    await t.fake.waitForMessage(9002, (m) => /Permintaan verifikasi/.test(m.text ?? ''));
    let [req] = await t.db.db.select().from(caseMessages).where(eq(caseMessages.caseId, c.id));
    for (let i = 0; !req && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [req] = await t.db.db.select().from(caseMessages).where(eq(caseMessages.caseId, c.id));
    }
    const ctx: Ctx = { t, unlinked: 9004, asn: 9001, admin: 9003, atasan: 9002, pengelola: 9005, group: -100999, requestMessage: { chatId: req!.chatId, messageId: req!.messageId, caseId: c.id } };
    void asnId;

    for (const item of corpus) {
      if (item.before) {
        await item.before(ctx);
      } else {
        // Each input arrives with no conversation in progress unless its case sets one up.
        for (const user of [ctx.asn, ctx.admin, ctx.atasan, ctx.pengelola]) t.fake.sendText(user, '/batal');
      }
      await t.idle(10_000);
      const chat = item.chat(ctx);
      const seen = t.fake.messages(chat).length;
      const lastId = Math.max(0, ...t.fake.messages(chat).map((m) => m.message_id));
      const before = await stateFingerprint(t);
      let outcome: string;
      try {
        const r = await item.run(ctx);
        if (r && r.callbackId) {
          const answer = await t.fake.waitForCallbackAnswer(r.callbackId, 10_000);
          outcome = answer.text ?? '';
        } else if (item.expect === 'silent') {
          await t.idle(10_000);
          const extra = t.fake.messages(chat).slice(seen);
          outcome = extra.length === 0 ? '(silent)' : `(unexpected reply) ${extra[0]!.text}`;
        } else {
          const reply = await t.fake.waitForMessage(chat, (m) => m.message_id > lastId, 10_000);
          outcome = reply.text ?? reply.caption ?? '';
        }
      } catch (error) {
        outcome = `(no answer: ${(error as Error).message.split('\n')[0]})`;
      }
      await t.idle(10_000);
      const after = await stateFingerprint(t);
      const expected = item.expect === 'silent' ? outcome === '(silent)' : item.expect.test(outcome) && !GENERIC_ERROR.test(outcome);
      const unchanged = before === after;
      const ok = expected && unchanged;
      if (!ok) failures++;
      lines.push(`${ok ? 'ok  ' : 'FAIL'} ${item.name} → ${outcome.replace(/\s+/g, ' ').slice(0, 110)}${unchanged ? '' : ' [STATE CHANGED]'}`);
    }
    // Still alive and answering.
    t.fake.sendText(9001, '/bantuan');
    const alive = await t.fake.waitForMessage(9001, (m) => /Perintah yang tersedia/.test(m.text ?? ''), 10_000).then(() => true, () => false);
    lines.push(`bot still answering after the corpus: ${alive ? 'yes' : 'NO'}`);
    if (!alive) failures++;
    lines.unshift(`inputs: ${corpus.length}, handled as expected: ${corpus.length - failures + (alive ? 0 : 1)}`);
    return { name: 'bad-input', ok: failures === 0, lines };
  } finally {
    await t.stop();
  }
}
