// E2E: the Mini App's SKP editor in January. Last year's SKP returned in December opens first (the annual
// evaluation of that year needs it established), is fixed and sent there, and the editor then moves on to this
// year's. Someone with nothing of last year's in hand gets this year's at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, openCase, type EngineDeps } from '../../src/app/case-engine.js';
import { people, startWebAppTest, type WebAppTest } from '../support/webapp.js';

// Tuesday 5 January 2027, 09:00 WIB.
const NOW = new Date('2027-01-05T02:00:00Z');
let w: WebAppTest;

beforeAll(async () => {
  w = await startWebAppTest({ now: () => NOW });
  const engine: EngineDeps = { db: w.t.db.db, calendar: w.t.app.deps.calendar, procedures: w.t.app.deps.procedures };
  const december = new Date('2026-12-28T03:00:00Z');
  const rhk = { rhk: [{ id: 'rhk1', jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer', indikator: [{ aspek: 'kuantitas', text: 'Kunjungan pasien terlayani', target: '1.200 kunjungan' }] }] };
  let r = (await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId: w.ids.rini, period: '2026', now: december })).case;
  r = (await act(engine, { caseId: r.id, actorId: w.ids.rini, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: december })).case;
  await act(engine, { caseId: r.id, actorId: w.ids.yuliana, command: { kind: 'return', stepNo: 4, reason: 'Target kunjungan belum sesuai RKT' }, now: december });
});
afterAll(async () => {
  await w?.t.stop();
});

describe('the SKP editor across the year’s end', () => {
  it('opens last year’s returned SKP with its reason, sends the fix, then opens this year’s', async () => {
    const first = await w.call('rini', 'GET', '/skp');
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ year: '2026', status: 'returned', editable: true, returned: { reason: 'Target kunjungan belum sesuai RKT' } });
    const draft = first.json.draft as { rhk: Array<Record<string, unknown>> };
    expect(draft.rhk).toHaveLength(1);
    // The fix is saved to 2026's SKP and sent from there.
    const fixed = { rhk: [{ ...draft.rhk[0], indikator: [{ aspek: 'kuantitas', text: 'Kunjungan pasien terlayani', target: '1.500 kunjungan' }] }] };
    expect((await w.call('rini', 'PUT', '/skp/draft', fixed)).json).toMatchObject({ saved: true, problems: [] });
    expect((await w.call('rini', 'POST', '/skp/submit')).json).toMatchObject({ submitted: true });
    // The atasan gets the resubmission of 2026 with the new target.
    const request = await w.t.fake.waitForMessage(people.yuliana.tg, (m) => /Revisi: ke-2/.test(m.text ?? ''));
    expect(request.text).toMatch(/— Tahun 2026\n/);
    expect(request.text).toContain('1.500 kunjungan');
    // Sent: the editor is this year's.
    const next = await w.call('rini', 'GET', '/skp');
    expect(next.json).toMatchObject({ year: '2027', status: 'active', editable: true, returned: null, draft: { rhk: [] } });
  });

  it('opens this year’s SKP for someone without last year’s in hand', async () => {
    expect((await w.call('melati', 'GET', '/skp')).json).toMatchObject({ year: '2027', editable: true });
  });
});
