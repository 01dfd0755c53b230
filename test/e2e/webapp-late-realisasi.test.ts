// E2E: a month past its deadline and never sent, in the Mini App. On 8 December the form opens December (due
// next); November, unsent since its deadline on the 7th, is named above it with a button that opens it, marked as
// going in late, as the chat's /status and /realisasi november say. Once sent, the pointer goes.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { chromiumPath, LIGHT_THEME, miniAppUrl } from '../support/browser.js';
import { people, startWebAppTest, type WebAppTest } from '../support/webapp.js';

// Tuesday 8 December 2026, 09:00 WIB: November was due Monday the 7th.
const NOW = new Date('2026-12-08T02:00:00Z');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');
const executablePath = chromiumPath();
let w: WebAppTest;

beforeAll(async () => {
  w = await startWebAppTest({ now: () => NOW });
  const engine: EngineDeps = { db: w.t.db.db, calendar: w.t.app.deps.calendar, procedures: w.t.app.deps.procedures };
  const march = new Date('2026-03-02T03:00:00Z');
  const rhk = { rhk: [{ id: 'm1', text: 'Terlaksananya pelayanan kebidanan', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '40 persalinan' }] }] };
  for (const who of ['melati', 'anisa'] as const) {
    let c = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: w.ids[who], period: '2026', now: march })).case;
    c = (await act(engine, { caseId: c.id, actorId: w.ids[who], command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: march })).case;
    c = (await act(engine, { caseId: c.id, actorId: w.ids.yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: march })).case;
    await act(engine, { caseId: c.id, actorId: w.ids.lilis, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: march });
  }
});
afterAll(async () => {
  await w?.t.stop();
});

describe('a late month in the Mini App', () => {
  it('is named above the month due next, opens late, and goes once sent', async () => {
    const december = await w.call('melati', 'GET', '/realisasi');
    expect(december.json).toMatchObject({
      period: '2026-12',
      late: false,
      lateUnsent: { period: '2026-11', periodLabel: 'November 2026', deadlineLabel: 'Senin, 7 Desember 2026' },
    });
    const november = await w.call('melati', 'GET', '/realisasi?period=2026-11');
    expect(november.json).toMatchObject({ period: '2026-11', editable: true, late: true, lateUnsent: null });

    expect((await w.call('melati', 'PUT', '/realisasi/draft?period=2026-11', { values: { m1: '38 persalinan' } })).status).toBe(200);
    const upload = await fetch(`${w.base}api/realisasi/evidence?period=2026-11&rhk=m1`, {
      method: 'POST',
      headers: { authorization: `tma ${w.initData(people.melati.tg)}`, 'content-type': 'image/png', 'x-file-name': 'november.png' },
      body: PNG,
    });
    expect(upload.status).toBe(200);
    expect((await w.call('melati', 'POST', '/realisasi/submit?period=2026-11')).status).toBe(200);
    const request = await w.t.fake.waitForMessage(people.yuliana.tg, (m) => /Melati[\s\S]*Realisasi November 2026/.test(m.text ?? ''));
    expect(request.text).toContain('⚠️ Diajukan setelah batas waktu');
    expect((await w.call('melati', 'GET', '/realisasi')).json).toMatchObject({ period: '2026-12', lateUnsent: null });
  });

  it.skipIf(!executablePath)('in a browser: the button opens November, with the late warning', async () => {
    const browser: Browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.goto(miniAppUrl(w.base, w.initData(people.anisa.tg), { screen: 'realisasi', theme: LIGHT_THEME }));
      const pointer = page.getByTestId('late-unsent');
      await pointer.waitFor();
      expect(await pointer.textContent()).toContain('⚠️ Realisasi November 2026 belum dikirim; batasnya, Senin, 7 Desember 2026, sudah lewat.');
      expect((await page.textContent('body')) ?? '').toContain('Realisasi Desember 2026');
      await page.getByRole('button', { name: 'Isi realisasi November 2026' }).click();
      await page.getByText('Batas pengisian sudah lewat: realisasi tetap diterima, tetapi dicatat terlambat.').waitFor();
      const body = (await page.textContent('body')) ?? '';
      expect(body).toContain('Realisasi November 2026');
      expect(body).toContain('Batas pengisian: Senin, 7 Desember 2026 pukul 23.59 WIB');
      expect(await page.getByTestId('late-unsent').count()).toBe(0);
    } finally {
      await browser.close();
    }
  });
});
