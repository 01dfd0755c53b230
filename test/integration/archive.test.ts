// Integration: evidence files are checked, archived by sha256 on disk and recorded; failed downloads are retried.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  archivePath,
  archivePendingFiles,
  EVIDENCE_KINDS,
  PERMANENT_ERROR_PREFIX,
  receiveEvidenceFile,
  type ArchiveDeps,
  type IncomingFile,
} from '../../src/app/archive.js';
import { openCase } from '../../src/app/case-engine.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { employees, evidenceFiles } from '../../src/db/schema/index.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { FakeTelegram } from '../support/fake-telegram.js';

let db: TestDatabase;
let fake: FakeTelegram;
let deps: ArchiveDeps;
let archiveDir: string;
let caseId: string;
let ownerId: string;
const now = new Date('2026-02-03T02:00:00Z');

const pdf = (tag: string) => Buffer.from(`%PDF-1.7\n% ${tag}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n`);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02', 'latin1')]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A file as Telegram holds it after a user sent it. */
function telegramFile(content: Buffer, fileName?: string, mimeType?: string) {
  const f = fake.registerFile({ fileSize: content.length, content, ...(fileName ? { fileName } : {}), ...(mimeType ? { mimeType } : {}) });
  return { fileId: f.file_id, fileUniqueId: f.file_unique_id, fileName, mimeType, sizeBytes: f.file_size };
}

const receive = (file: IncomingFile, purpose = 'rhk-a') =>
  receiveEvidenceFile(deps, { caseId, ownerId, purpose, file, allowed: EVIDENCE_KINDS });

const rowsFor = (purpose: string) => db.db.select().from(evidenceFiles).where(eq(evidenceFiles.purpose, purpose));

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  fake = await FakeTelegram.start();
  archiveDir = join(mkdtempSync(join(tmpdir(), 'kinerja-archive-')), 'archive');
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: fake.token }, { storage: { archiveDir } });
  deps = { db: db.db, config, telegram: new Telegram(fake.token, { apiRoot: fake.apiRoot }), now: () => now };
  const [anisa] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, '199207142017032002'));
  ownerId = anisa!.id;
  const engine = { db: db.db, calendar: createCalendar(config.calendar), procedures: createProcedureRegistry(config.deployment.procedures) };
  caseId = (await openCase(engine, { procedureCode: 'bulanan-tangerang', subjectId: ownerId, period: '2026-01', now })).case.id;
});
afterAll(async () => {
  await fake?.stop();
  await db?.drop();
});

describe('receiving an evidence file', () => {
  it('stores the bytes under their sha256 and records file_id, size and detected type', async () => {
    const content = pdf('laporan januari');
    const result = await receive(telegramFile(content, 'laporan.pdf', 'application/pdf'), 'rhk-a');
    expect(result.ok && result.archived).toBe(true);
    const [row] = await rowsFor('rhk-a');
    expect(row).toMatchObject({ caseId, ownerId, mimeType: 'application/pdf', sizeBytes: content.length, sha256: sha256(content), archiveError: null });
    expect(row!.archivedAt).toEqual(now);
    expect(row!.telegramFileId).toBe(result.ok ? result.evidence.telegramFileId : '');
    const onDisk = readFileSync(archivePath(archiveDir, row!.storagePath!));
    expect(sha256(onDisk)).toBe(sha256(content));
    expect(row!.storagePath).toBe(`${sha256(content).slice(0, 2)}/${sha256(content)}.pdf`);
  });

  it('stores the same content once, however often it is sent', async () => {
    const content = pdf('dikirim dua kali');
    const first = await receive(telegramFile(content, 'a.pdf'), 'rhk-dup');
    const second = await receive(telegramFile(content, 'b.pdf'), 'rhk-dup');
    expect(first.ok && second.ok).toBe(true);
    const rows = await rowsFor('rhk-dup');
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.storagePath)).size).toBe(1);
    const dir = join(archiveDir, sha256(content).slice(0, 2));
    expect(readdirSync(dir).filter((n) => n.startsWith(sha256(content)))).toEqual([`${sha256(content)}.pdf`]);
  });

  it('refuses without recording anything: a lying extension, a forbidden type, a file over 20 MB', async () => {
    const lying = await receive(telegramFile(png, 'laporan.pdf', 'application/pdf'), 'rhk-refused');
    expect(lying).toEqual({ ok: false, refusal: { reason: 'extension_mismatch', extension: 'pdf', actual: 'PNG', allowed: expect.any(Array) } });
    const zip = await receive(telegramFile(Buffer.from('PK\x03\x04rest', 'latin1'), 'bukti.zip'), 'rhk-refused');
    expect(zip).toMatchObject({ ok: false, refusal: { reason: 'type_not_allowed', what: '.zip' } });
    const big = fake.registerFile({ fileSize: 25 * 1024 * 1024, fileName: 'besar.pdf', mimeType: 'application/pdf' });
    const tooBig = await receive({ fileId: big.file_id, fileUniqueId: big.file_unique_id, fileName: 'besar.pdf', mimeType: 'application/pdf', sizeBytes: big.file_size }, 'rhk-refused');
    expect(tooBig).toMatchObject({ ok: false, refusal: { reason: 'too_big' } });
    // Even when the message did not say the size, getFile's refusal is reported as too big.
    const unsized = await receive({ fileId: big.file_id, fileName: 'besar.pdf' }, 'rhk-refused');
    expect(unsized).toMatchObject({ ok: false, refusal: { reason: 'too_big' } });
    expect(await rowsFor('rhk-refused')).toHaveLength(0);
  });

  it('records nothing when attaching to the draft fails', async () => {
    await expect(
      receiveEvidenceFile(
        deps,
        { caseId, ownerId, purpose: 'rhk-attach', file: telegramFile(pdf('attach'), 'x.pdf'), allowed: EVIDENCE_KINDS },
        async () => {
          throw new Error('draft is gone');
        },
      ),
    ).rejects.toThrow('draft is gone');
    expect(await rowsFor('rhk-attach')).toHaveLength(0);
  });
});

describe('archivePendingFiles', () => {
  it('archives a file whose download failed at receipt, once', async () => {
    const content = pdf('gagal unduh');
    fake.failNext('getFile', { error_code: 502, description: 'Bad Gateway' });
    const result = await receive(telegramFile(content, 'tertunda.pdf'), 'rhk-pending');
    expect(result.ok && !result.archived).toBe(true);
    let [row] = await rowsFor('rhk-pending');
    expect(row!.archivedAt).toBeNull();
    expect(row!.archiveError).toMatch(/Bad Gateway/);
    expect(row!.sha256).toBeNull();
    expect(row!.mimeType).toBe('application/pdf');

    // Still failing: recorded, retried later.
    fake.failNext('getFile', { error_code: 500, description: 'Internal Server Error' });
    expect(await archivePendingFiles(deps)).toEqual({ archived: 0, failed: 1, permanent: 0 });
    [row] = await rowsFor('rhk-pending');
    expect(row!.archiveError).toMatch(/Internal Server Error/);

    expect(await archivePendingFiles(deps)).toEqual({ archived: 1, failed: 0, permanent: 0 });
    [row] = await rowsFor('rhk-pending');
    expect(row).toMatchObject({ sha256: sha256(content), sizeBytes: content.length, archiveError: null });
    expect(sha256(readFileSync(archivePath(archiveDir, row!.storagePath!)))).toBe(sha256(content));
    expect(await archivePendingFiles(deps)).toEqual({ archived: 0, failed: 0, permanent: 0 });
  });

  it('gives up on files Telegram no longer has, or whose bytes are not what was declared', async () => {
    await db.db.insert(evidenceFiles).values({
      caseId,
      ownerId,
      purpose: 'rhk-forgotten',
      telegramFileId: 'BQACAgIAAxkBAAI-forgotten-file',
      fileName: 'hilang.pdf',
      mimeType: 'application/pdf',
      sizeBytes: 1000,
      archiveError: 'getFile: Bad Gateway',
    });
    fake.failNext('getFile', { error_code: 502, description: 'Bad Gateway' });
    const lying = await receive(telegramFile(png, 'ternyata-png.pdf'), 'rhk-lying');
    expect(lying.ok).toBe(true);

    expect(await archivePendingFiles(deps)).toEqual({ archived: 0, failed: 0, permanent: 2 });
    const [forgotten] = await rowsFor('rhk-forgotten');
    expect(forgotten!.archiveError).toMatch(new RegExp(`^${PERMANENT_ERROR_PREFIX}getFile: .*invalid file_id`));
    const [mislabelled] = await rowsFor('rhk-lying');
    expect(mislabelled!.archiveError).toBe(`${PERMANENT_ERROR_PREFIX}content is PNG, recorded as application/pdf`);
    expect(mislabelled!.archivedAt).toBeNull();
    // Not retried again.
    expect(await archivePendingFiles(deps)).toEqual({ archived: 0, failed: 0, permanent: 0 });
    expect(existsSync(archivePath(archiveDir, `${sha256(png).slice(0, 2)}/${sha256(png)}.png`))).toBe(false);
  });
});
