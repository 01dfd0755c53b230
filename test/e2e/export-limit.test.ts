// E2E: an export over the upload limit, through the chat and the Mini App, as the user sees it. The limit is set to
// 2 KB (production: Telegram's 50 MB), so the example roster's workbook is over it: the answer says so and what to
// ask for instead, no document is sent, and the temporary directory is left empty; an export within the limit, or
// one whose sending fails, leaves it empty too.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPeriod } from '../../src/app/reports.js';
import { webAppTexts } from '../../src/chat/texts/webapp.js';
import { until } from '../support/jobs.js';
import { people, startWebAppTest, type WebAppTest } from '../support/webapp.js';

const LIMIT = 2048;
let w: WebAppTest;
let tempDir: string;
let exportUpload: { maxUploadBytes: number; tempDir: string; patienceMs?: number };
const siti = people.siti.tg; // pengelola of Dinas Kesehatan

const documentsTo = (chatId: number) => w.t.fake.messages(chatId).filter((m) => m.method === 'sendDocument');

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'kinerja-export-limit-'));
  exportUpload = { maxUploadBytes: LIMIT, tempDir };
  w = await startWebAppTest({ exportUpload });
}, 120_000);
afterAll(async () => {
  await w?.t.stop();
  await rm(tempDir, { recursive: true, force: true });
});

describe('/ekspor over the upload limit', () => {
  it('answers that the file is too large and what to export instead, sends nothing, and leaves no file', async () => {
    w.t.fake.sendText(siti, '/ekspor 2026');
    const year = await w.t.fake.waitForMessage(siti, (m) => /melebihi batas/.test(m.text ?? ''), 15_000);
    expect(year.text).toBe(
      'Berkas rekap Tahun 2026 melebihi batas 2 KB yang dapat dikirim lewat Telegram, sehingga pembuatannya dihentikan. ' +
        'Silakan ekspor per bulan, misalnya /ekspor 2026-01.',
    );
    expect(year.entities).toEqual([{ type: 'code', offset: year.text!.indexOf('/ekspor'), length: '/ekspor 2026-01'.length }]);

    w.t.fake.sendText(siti, '/ekspor 2026-03');
    const month = await w.t.fake.waitForMessage(siti, (m) => m.message_id > year.message_id && /melebihi batas/.test(m.text ?? ''), 15_000);
    expect(month.text).toMatch(/^Berkas rekap Maret 2026 melebihi batas 2 KB .* Silakan ekspor satu sheet sebagai CSV, misalnya \/ekspor 2026-03 csv Pegawai\.$/);

    w.t.fake.sendText(siti, '/ekspor 2026-03 csv Pegawai');
    const csv = await w.t.fake.waitForMessage(siti, (m) => m.message_id > month.message_id && /melebihi batas/.test(m.text ?? ''), 15_000);
    expect(csv.text).toMatch(/Silakan minta admin server membuatnya dengan npm run report\.$/);

    await w.t.idle();
    expect(documentsTo(siti)).toEqual([]);
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('still sends an export within the limit from its file, and removes the file, also when sending fails', async () => {
    w.t.fake.sendText(siti, '/ekspor 2026-03 csv Ringkasan');
    const doc = await w.t.fake.waitForMessage(siti, (m) => m.method === 'sendDocument', 15_000);
    expect(doc.document!.file_name).toBe('rekap-kinerja-2026-03-ringkasan.csv');
    const lines = doc.document!.content!.toString('utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines.map((l) => l.split(';')[0])).toEqual(['Perangkat Daerah', 'Dinas Kesehatan', 'Total']);
    await w.t.idle();
    expect(await readdir(tempDir)).toEqual([]);

    w.t.fake.failNext('sendDocument', { error_code: 400, description: 'Bad Request: wrong file identifier/HTTP URL specified' });
    w.t.fake.sendText(siti, '/ekspor 2026-03 csv Ringkasan');
    await w.t.idle();
    expect(documentsTo(siti)).toHaveLength(1);
    expect(w.t.fake.calls('sendDocument')).toHaveLength(2);
    expect(await readdir(tempDir)).toEqual([]);
  });
});

describe('/ekspor that takes longer than a chat command waits', () => {
  it('says the file follows, then sends it outside the command, and removes its file', async () => {
    // No patience at all: every export is "still running" when the command decides (production: a few seconds,
    // well within telegraf's handler timeout, which a year's export at 10^5 employees would pass).
    exportUpload.patienceMs = 0;
    try {
      const before = documentsTo(siti).length;
      w.t.fake.sendText(siti, '/ekspor 2026-03 csv Ringkasan');
      const follows = await w.t.fake.waitForMessage(siti, (m) => /sedang disiapkan/.test(m.text ?? ''), 15_000);
      expect(follows.text).toBe('⏳ Berkas rekap Maret 2026 sedang disiapkan dan akan dikirim di sini begitu selesai.');
      const doc = await w.t.fake.waitForMessage(siti, (m) => m.method === 'sendDocument' && m.message_id > follows.message_id, 15_000);
      expect(doc.document!.file_name).toBe('rekap-kinerja-2026-03-ringkasan.csv');
      // The file goes once it is sent (outside the command, so after the update is done).
      await until(() => readdir(tempDir), (names) => names.length === 0, 'the export file removed');
      expect(documentsTo(siti)).toHaveLength(before + 1);

      // Over the limit, the user is told so after the same notice.
      w.t.fake.sendText(siti, '/ekspor 2026');
      const notice = await w.t.fake.waitForMessage(siti, (m) => m.message_id > doc.message_id && /sedang disiapkan/.test(m.text ?? ''), 15_000);
      const tooLarge = await w.t.fake.waitForMessage(siti, (m) => m.message_id > notice.message_id && /melebihi batas/.test(m.text ?? ''), 15_000);
      expect(tooLarge.text).toMatch(/^Berkas rekap Tahun 2026 melebihi batas 2 KB/);
      // The file goes once it is sent (outside the command, so after the update is done).
      await until(() => readdir(tempDir), (names) => names.length === 0, 'the export file removed');
      expect(documentsTo(siti)).toHaveLength(before + 1);
    } finally {
      delete exportUpload.patienceMs;
    }
  });
});

describe('the Mini App export over the upload limit', () => {
  it('is refused with 413 and what to export in the chat instead; nothing is sent and no file is left', async () => {
    const before = documentsTo(siti).length;
    const response = await w.call('siti', 'POST', '/export', {});
    expect(response.status).toBe(413);
    const period = defaultPeriod(new Date(), w.t.app.deps.calendar, w.t.app.deps.procedures.periodOf(null));
    expect(response.json.error).toBe(webAppTexts.exportTooLarge(LIMIT, period));
    expect(response.json.error).toMatch(/^Berkas ekspor .* melebihi batas 2 KB .* Silakan ekspor .* lewat obrolan bot, misalnya \/ekspor \d{4}-\d{2}( csv Pegawai)?\.$/);
    await w.t.idle();
    expect(documentsTo(siti)).toHaveLength(before);
    expect(await readdir(tempDir)).toEqual([]);
  });
});
