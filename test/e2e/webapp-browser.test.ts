// The Mini App in headless Chromium: the ASN fills an SKP of two RHK and submits; the atasan's chat request arrives;
// the atasan opens the review and returns it with a reason; the ASN's chat gets the reason. Screenshots of each
// screen are saved under test-results/webapp/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, DARK_THEME, LIGHT_THEME, miniAppUrl } from '../support/browser.js';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { people, startWebAppTest, type WebAppTest } from '../support/webapp.js';

const executablePath = chromiumPath();
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');
const ARTIFACTS = join('test-results', 'webapp');
// A fixed clock: Tuesday 8 December 2026, 09:00 WIB (the year's SKP established, its realisations under way).
const NOW = new Date('2026-12-08T02:00:00Z');
if (!executablePath) console.warn('webapp browser test skipped: no Chromium found (set CHROMIUM_PATH or apt-get install chromium)');

describe.skipIf(!executablePath)('the Mini App in a browser', () => {
  let w: WebAppTest;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    w = await startWebAppTest({ now: () => NOW });
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.t.stop();
  });

  const open = async (tg: number, screen: string, theme: Record<string, string>): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const started = Date.now();
    await page.goto(miniAppUrl(w.base, w.initData(tg), { screen, theme }));
    return Object.assign(page, { started });
  };

  it('ASN fills and submits an SKP of two RHK; the atasan returns it with a reason', async () => {
    const asn = await open(people.anisa.tg, 'skp', LIGHT_THEME);
    await asn.getByTestId('add-rhk').waitFor();
    // Printed, not asserted: the bench (npm run bench) reports the figure against a baseline.
    console.log(`webapp first screen (SKP editor) ready after ${Date.now() - (asn as Page & { started: number }).started} ms`);
    await asn.screenshot({ path: join(ARTIFACTS, '1-skp-empty.png'), fullPage: true });
    // On 8 December the year's SKP deadline (Monday 2 February) has passed, as /skp says too.
    expect(await asn.getByTestId('skp-deadline').textContent()).toBe(
      '⚠️ Batas pengirimannya, Senin, 2 Februari 2026, sudah lewat: mohon segera disusun dan dikirim kepada pejabat penilai.',
    );

    const fillRhk = async (no: number, text: string, jenis: 'utama' | 'tambahan', target: string) => {
      const card = asn.getByTestId(`rhk-${no}`);
      await card.locator('textarea').fill(text);
      await card.locator('select').first().selectOption(jenis);
      await card.getByPlaceholder('Target').fill(target);
    };
    await asn.getByTestId('add-rhk').click();
    await fillRhk(1, 'Meningkatnya cakupan imunisasi dasar lengkap', 'utama', '95% bayi');
    await asn.getByTestId('add-rhk').click();
    // Validation as they type: an empty RHK is marked and the submit button waits.
    await expect.poll(() => asn.getByTestId('rhk-2').textContent()).toContain('Tuliskan rencana hasil kerjanya');
    expect(await asn.getByTestId('submit-skp').isDisabled()).toBe(true);
    await fillRhk(2, 'Tersusunnya laporan bulanan puskesmas', 'tambahan', '12 laporan');
    await expect.poll(() => asn.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Draf tersimpan');
    await asn.screenshot({ path: join(ARTIFACTS, '2-skp-filled.png'), fullPage: true });
    await asn.getByTestId('submit-skp').click();
    await asn.getByTestId('skp-submitted').waitFor();
    await asn.screenshot({ path: join(ARTIFACTS, '3-skp-submitted.png'), fullPage: true });

    const request = await w.t.fake.waitForMessage(people.yuliana.tg, (m) => /Permintaan verifikasi/.test(m.text ?? ''), 10_000);
    expect(request.text).toContain('Meningkatnya cakupan imunisasi dasar lengkap');
    expect(request.text).toContain('12 laporan');

    const atasan = await open(people.yuliana.tg, 'tugas', DARK_THEME);
    await atasan.getByTestId('task').first().waitFor();
    await atasan.screenshot({ path: join(ARTIFACTS, '4-tasks-dark.png'), fullPage: true });
    // The dark theme reached the page through themeParams.
    expect(await atasan.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(33, 33, 33)');
    await atasan.getByTestId('task').first().click();
    await atasan.getByTestId('review-table').waitFor();
    const table = await atasan.getByTestId('review-table').textContent();
    expect(table).toContain('Tersusunnya laporan bulanan puskesmas');
    expect(table).toContain('95% bayi');
    await atasan.screenshot({ path: join(ARTIFACTS, '5-review.png'), fullPage: true });
    await atasan.getByTestId('return').click();
    await atasan.getByTestId('return-reason').fill('Target RHK 2 perlu dirinci per bulan');
    await atasan.getByTestId('send-return').click();
    await atasan.getByTestId('act-done').waitFor();
    await atasan.screenshot({ path: join(ARTIFACTS, '6-returned.png'), fullPage: true });

    const told = await w.t.fake.waitForMessage(people.anisa.tg, (m) => /dikembalikan oleh/.test(m.text ?? ''), 10_000);
    expect(told.text).toContain('Target RHK 2 perlu dirinci per bulan');
    expect(cspViolations).toEqual([]);
  });

  it('opens a realisation returned for fixing with its reason, and the deadline in the agency’s time', async () => {
    // Melati's SKP 2026 established; her October realisation sent and returned by the atasan.
    const engine: EngineDeps = { db: w.t.db.db, calendar: w.t.app.deps.calendar, procedures: w.t.app.deps.procedures };
    const now = NOW;
    const rhk = { rhk: [{ id: 'm1', text: 'Terlaksananya pelayanan kebidanan', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '40 persalinan' }] }] };
    let skp = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: w.ids.melati, period: '2026', now })).case;
    skp = (await act(engine, { caseId: skp.id, actorId: w.ids.melati, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now })).case;
    skp = (await act(engine, { caseId: skp.id, actorId: w.ids.yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now })).case;
    await act(engine, { caseId: skp.id, actorId: w.ids.lilis, command: { kind: 'complete', stepNo: 5, inputs: {} }, now });
    expect((await w.call('melati', 'PUT', '/realisasi/draft?period=2026-10', { values: { m1: '35 persalinan' } })).status).toBe(200);
    const upload = await fetch(`${w.base}api/realisasi/evidence?period=2026-10&rhk=m1`, {
      method: 'POST',
      headers: { authorization: `tma ${w.initData(people.melati.tg)}`, 'content-type': 'image/png', 'x-file-name': 'oktober.png' },
      body: PNG,
    });
    expect(upload.status).toBe(200);
    expect((await w.call('melati', 'POST', '/realisasi/submit?period=2026-10')).status).toBe(200);
    const sent = await w.call('melati', 'GET', '/realisasi?period=2026-10');
    await act(engine, { caseId: sent.json.caseId as string, actorId: w.ids.yuliana, command: { kind: 'return', stepNo: 4, reason: 'Lampirkan register persalinan' }, now });

    const page = await open(people.melati.tg, 'realisasi', LIGHT_THEME);
    await page.getByTestId('realisasi-1').waitFor();
    const body = (await page.textContent('body')) ?? '';
    expect(body).toContain('Realisasi Oktober 2026');
    expect(body).toContain('Dikembalikan oleh Yuliana Pertiwi, S.Kep, Ns: “Lampirkan register persalinan”');
    expect(body).toContain('Batas pengisian: Kamis, 5 November 2026 pukul 23.59 WIB');
    await page.screenshot({ path: join(ARTIFACTS, '7-realisasi-returned.png'), fullPage: true });
  });
});
