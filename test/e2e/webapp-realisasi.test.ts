// The Mini App's monthly realisation: values, evidence uploads with the chat's type and size checks, and the
// submission through the case engine (the atasan gets the chat request).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { people, startWebAppTest, type WebAppTest } from '../support/webapp.js';

let w: WebAppTest;
const PERIOD = '2026-11';
// A fixed clock: Tuesday 8 December 2026, 09:00 WIB (the year's SKP established, its realisations under way).
const NOW = new Date('2026-12-08T02:00:00Z');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c00000000049454e44ae426082', 'hex');

beforeAll(async () => {
  w = await startWebAppTest({ now: () => NOW });
  const engine: EngineDeps = { db: w.t.db.db, calendar: w.t.app.deps.calendar, procedures: w.t.app.deps.procedures };
  const now = NOW;
  const opened = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: w.ids.melati, period: '2026', now });
  const inputs = { rhk: [{ id: 'm1', text: 'Terlaksananya pelayanan kebidanan', jenis: 'utama', indikator: [{ aspek: 'kuantitas', target: '40 persalinan' }] }] };
  let c = (await act(engine, { caseId: opened.case.id, actorId: w.ids.melati, command: { kind: 'complete', stepNo: 3, inputs }, now })).case;
  c = (await act(engine, { caseId: c.id, actorId: w.ids.yuliana, command: { kind: 'complete', stepNo: 4, inputs: {} }, now })).case;
  await act(engine, { caseId: c.id, actorId: w.ids.lilis, command: { kind: 'complete', stepNo: 5, inputs: {} }, now });
});
afterAll(async () => {
  await w?.t.stop();
});

const uploadAs = (who: 'melati' | 'anisa', name: string, type: string, body: Buffer) =>
  fetch(`${w.base}api/realisasi/evidence?period=${PERIOD}&rhk=m1`, {
    method: 'POST',
    headers: { authorization: `tma ${w.initData(people[who].tg)}`, 'content-type': type, 'x-file-name': encodeURIComponent(name) },
    body,
  });

describe('monthly realisation in the Mini App', () => {
  it('refuses without an established SKP, as the chat does', async () => {
    const r = await w.call('anisa', 'GET', `/realisasi?period=${PERIOD}`);
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/SKP tahun 2026/);
  });

  it('takes values and checked evidence, and submits to the atasan', async () => {
    const start = await w.call('melati', 'GET', `/realisasi?period=${PERIOD}`);
    expect(start.status).toBe(200);
    expect(start.json).toMatchObject({ period: PERIOD, editable: true, problems: [{ rhkNo: 1, problem: 'no_value' }, { rhkNo: 1, problem: 'no_bukti' }] });

    // A dash says nothing: kept as typed, but still "no value" for the submit.
    const dash = await w.call('melati', 'PUT', `/realisasi/draft?period=${PERIOD}`, { values: { m1: '-' } });
    expect(dash.json.problems).toEqual([{ rhkNo: 1, problem: 'no_value' }, { rhkNo: 1, problem: 'no_bukti' }]);
    const saved = await w.call('melati', 'PUT', `/realisasi/draft?period=${PERIOD}`, { values: { m1: '38 persalinan' } });
    expect(saved.json.problems).toEqual([{ rhkNo: 1, problem: 'no_bukti' }]);

    // The chat's checks: a name that lies about the type, a type not accepted.
    const lying = await uploadAs('melati', 'laporan.pdf', 'application/pdf', PNG);
    expect(lying.status).toBe(422);
    expect(((await lying.json()) as { error: string }).error).toMatch(/PNG|pdf/i);
    const exe = await uploadAs('melati', 'setup.exe', 'application/octet-stream', Buffer.from('MZ\x90\x00'));
    expect(exe.status).toBe(422);

    const ok = await uploadAs('melati', 'foto kegiatan.png', 'image/png', PNG);
    expect(ok.status).toBe(200);
    const after = (await ok.json()) as { rhk: Array<{ bukti: Array<{ name: string }> }>; problems: unknown[] };
    expect(after.rhk[0]!.bukti.map((b) => b.name)).toEqual(['foto kegiatan.png']);
    expect(after.problems).toEqual([]);
    // The bot keeps the file in the employee's chat (sent through its own client), as for chat uploads.
    const kept = await w.t.fake.waitForMessage(people.melati.tg, (m) => m.document !== undefined, 8000);
    expect(kept.caption).toMatch(/Bukti dukung RHK 1/);

    const submitted = await w.call('melati', 'POST', `/realisasi/submit?period=${PERIOD}`);
    expect(submitted.status).toBe(200);
    const request = await w.t.fake.waitForMessage(people.yuliana.tg, (m) => /Melati Kusuma/.test(m.text ?? '') && /38 persalinan/.test(m.text ?? ''), 8000);
    expect(request.text).toContain('38 persalinan');
    expect((await w.call('melati', 'PUT', `/realisasi/draft?period=${PERIOD}`, { values: { m1: 'ubah' } })).status).toBe(409);
  });

  it('lets the atasan rate the month from the review, with the same transitions as the buttons', async () => {
    const tasks = await w.call('yuliana', 'GET', '/tasks');
    const task = (tasks.json.tasks as Array<{ caseId: string; period: string }>).find((x) => x.period === 'November 2026')!;
    const detail = await w.call('yuliana', 'GET', `/cases/${task.caseId}`);
    // The SOP lets the atasan send the month back from its rating (step 4 returns to 3).
    expect(detail.json.can).toMatchObject({ rate: true, approve: false, return: true });
    const rhk = detail.json.rhk as Array<{ realisasi: string; bukti: Array<{ name: string }> }>;
    expect(rhk[0]).toMatchObject({ realisasi: '38 persalinan', bukti: [{ name: 'foto kegiatan.png' }] });
    const version = detail.json.version as number;
    expect((await w.call('yuliana', 'POST', `/cases/${task.caseId}/act`, { action: 'rate', version, hasilKerja: 'luar_biasa', perilaku: 'sesuai' })).status).toBe(422);
    const rated = await w.call('yuliana', 'POST', `/cases/${task.caseId}/act`, { action: 'rate', version, hasilKerja: 'di_atas', perilaku: 'sesuai', catatan: 'Pertahankan' });
    expect(rated.status).toBe(200);
    const again = await w.call('yuliana', 'POST', `/cases/${task.caseId}/act`, { action: 'rate', version, hasilKerja: 'sesuai', perilaku: 'sesuai' });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatch(/^Sudah diproses oleh Yuliana Pertiwi/);
    // The month moves on to the signing step, and the ASN is told so in the chat.
    await w.t.fake.waitForMessage(people.melati.tg, (m) => /Menandatangani laporan/.test(m.text ?? ''), 8000);
    // The signature cannot be returned: the Mini App offers no Kembalikan there.
    expect((await w.call('yuliana', 'GET', `/cases/${task.caseId}`)).json.can).toMatchObject({ return: false, rate: false });
  });

  it('opens a month returned for fixing before the default one, as /realisasi does', async () => {
    const october = '2026-10';
    await w.call('melati', 'PUT', `/realisasi/draft?period=${october}`, { values: { m1: '35 persalinan' } });
    const upload = await fetch(`${w.base}api/realisasi/evidence?period=${october}&rhk=m1`, {
      method: 'POST',
      headers: { authorization: `tma ${w.initData(people.melati.tg)}`, 'content-type': 'image/png', 'x-file-name': 'oktober.png' },
      body: PNG,
    });
    expect(upload.status).toBe(200);
    expect((await w.call('melati', 'POST', `/realisasi/submit?period=${october}`)).status).toBe(200);
    const task = ((await w.call('yuliana', 'GET', '/tasks')).json.tasks as Array<{ caseId: string; period: string }>).find((x) => x.period === 'Oktober 2026')!;
    const version = (await w.call('yuliana', 'GET', `/cases/${task.caseId}`)).json.version as number;
    const returned = await w.call('yuliana', 'POST', `/cases/${task.caseId}/act`, { action: 'return', version, reason: 'Foto kegiatan belum terbaca jelas' });
    expect(returned.status).toBe(200);
    // Opened without a period, the Mini App shows October with the reason, not the month due now.
    const opened = await w.call('melati', 'GET', '/realisasi');
    expect(opened.json).toMatchObject({
      period: october,
      editable: true,
      returned: { reason: 'Foto kegiatan belum terbaca jelas', byNama: 'Yuliana Pertiwi, S.Kep, Ns' },
      // The deadline as the chat writes it, in the agency's zone.
      deadlineLabel: 'Kamis, 5 November 2026 pukul 23.59 WIB',
    });
  });
});
