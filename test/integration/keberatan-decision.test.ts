// A keberatan decision on real PostgreSQL: the same ratings keep the result (logged), other ratings replace it
// (predikat from the matrix, other rating fields kept), and the old result stays in the target's event log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { applyKeberatanDecision } from '../../src/app/keberatan-decision.js';
import { caseEvents, cases, employees } from '../../src/db/schema/index.js';
import { importExampleRoster } from '../support/app.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let subjectId = '';
let deciderId = '';
const now = new Date('2026-04-20T03:00:00Z');

async function monthWithObjection(period: string) {
  const [target] = await db.db
    .insert(cases)
    .values({
      procedureCode: 'bulanan-tangerang',
      subjectId,
      period,
      status: 'completed',
      stepNo: 7,
      stepEnteredAt: now,
      predikat: 'butuh_perbaikan',
      data: { rating: { hasilKerja: 'di_bawah', perilaku: 'sesuai', catatan: 'Perlu ditingkatkan' } },
    })
    .returning();
  const keberatan = {
    id: target!.id, // stands in for the keberatan case id in the log
    data: { targetCaseId: target!.id, asal: { hasilKerja: 'di_bawah', perilaku: 'sesuai', predikat: 'butuh_perbaikan' } },
  };
  return { target: target!, keberatan };
}

beforeAll(async () => {
  db = await createTestDatabase();
  await importExampleRoster(db);
  const [anisa] = await db.db.select().from(employees).where(eq(employees.nip, '199207142017032002'));
  const [lilis] = await db.db.select().from(employees).where(eq(employees.nip, '197612012002122003'));
  subjectId = anisa!.id;
  deciderId = lilis!.id;
}, 60_000);
afterAll(async () => {
  await db?.drop();
});

describe('keberatan decision', () => {
  it('keeps the result when the ratings are the same, and logs the decision', async () => {
    const { target, keberatan } = await monthWithObjection('2026-02');
    await db.db.transaction((tx) => applyKeberatanDecision(tx, { keberatan, rating: { hasilKerja: 'di_bawah', perilaku: 'sesuai' }, actorId: deciderId, now }));
    const [after] = await db.db.select().from(cases).where(eq(cases.id, target.id));
    expect(after!.predikat).toBe('butuh_perbaikan');
    const [event] = await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, target.id));
    expect(event).toMatchObject({ action: 'keberatan_decided', comment: expect.stringMatching(/tetap/), actorId: deciderId });
  });

  it('replaces the ratings and predikat when they change, keeping the umpan balik; the old ones stay in the log', async () => {
    const { target, keberatan } = await monthWithObjection('2026-03');
    await db.db.transaction((tx) => applyKeberatanDecision(tx, { keberatan, rating: { hasilKerja: 'sesuai', perilaku: 'di_atas' }, actorId: deciderId, now }));
    const [after] = await db.db.select().from(cases).where(eq(cases.id, target.id));
    expect(after!.predikat).toBe('baik');
    expect(after!.data).toEqual({ rating: { hasilKerja: 'sesuai', perilaku: 'di_atas', catatan: 'Perlu ditingkatkan' } });
    const events = await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, target.id)).orderBy(asc(caseEvents.id));
    expect(events.map((e) => e.data)).toEqual([
      {
        keberatanCaseId: target.id,
        before: { hasilKerja: 'di_bawah', perilaku: 'sesuai', predikat: 'butuh_perbaikan' },
        after: { hasilKerja: 'sesuai', perilaku: 'di_atas', predikat: 'baik' },
      },
    ]);
  });
});
