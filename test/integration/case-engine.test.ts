import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { and, asc, eq, sql } from 'drizzle-orm';
import { act, openCase, resolveAssignee, type EngineDeps } from '../../src/app/case-engine.js';
import { recordCaseMessage } from '../../src/app/case-messages.js';
import { importRoster } from '../../src/app/import-roster.js';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { rowsOf } from '../../src/db/client.js';
import { caseEvents, caseMessages, caseSteps, cases, delegations, employeeRoles, employees, outbox } from '../../src/db/schema/index.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { isDomainError } from '../../src/domain/errors.js';
import { parseRoster } from '../../src/domain/roster.js';
import { buildTestConfig, importExampleRoster } from '../support/app.js';
import { expectDbError } from '../support/assert.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

let db: TestDatabase;
let deps: EngineDeps;
const ids: Record<string, string> = {};
const NIP = {
  anisa: '199207142017032002', // fungsional, Dinas Kesehatan
  yuliana: '198601152010012007', // her atasan (pejabat penilai)
  lilis: '197612012002122003', // atasan pejabat penilai
  siti: '198303272008012005', // pengelola Dinas Kesehatan
  fajar: '199103252015031001', // BKPP admin
  putri: '199305112019032006', // BKPP admin
  melati: '199011052019022001', // colleague of Anisa
  rina: '198406302009022003', // pengelola of the BKPP, not of Dinas Kesehatan
};
const rhk = { rhk: [{ jenis: 'utama', text: 'Meningkatnya cakupan pelayanan kesehatan primer' }] };
// Monday 2 February 2026, 09:00 WIB.
const monday = new Date('2026-02-02T02:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase({ maxConnections: 20 });
  await importExampleRoster(db);
  for (const [key, nip] of Object.entries(NIP)) {
    const [row] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, nip));
    ids[key] = row!.id;
  }
  const config = buildTestConfig({ TELEGRAM_BOT_TOKEN: '1:test-token' });
  deps = { db: db.db, calendar: createCalendar(config.calendar), procedures: createProcedureRegistry(config.deployment.procedures) };
});
afterAll(async () => {
  await db.drop();
});

const version = async (caseId: string) => (await db.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;

describe('assignee resolution from the roster', () => {
  it('resolves every role relative to the subject', async () => {
    expect(await resolveAssignee(db.db, 'subject', ids.anisa!)).toBe(ids.anisa);
    expect(await resolveAssignee(db.db, 'atasan', ids.anisa!)).toBe(ids.yuliana);
    expect(await resolveAssignee(db.db, 'atasan_atasan', ids.anisa!)).toBe(ids.lilis);
    expect(await resolveAssignee(db.db, 'pengelola', ids.anisa!)).toBe(ids.siti);
    expect(await resolveAssignee(db.db, 'bkpp', ids.anisa!)).toBe(ids.fajar);
    const [kepala] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, '197106061997032005'));
    expect(await resolveAssignee(db.db, 'kepala_unit', ids.anisa!)).toBe(kepala!.id);
  });
});

describe('a case opened at a shared role\'s step', () => {
  it('is held by the opener when they hold the role, else by the role\'s first holder', async () => {
    // Wulan becomes a second pengelola of Dinas Kesehatan; Siti (lower NIP) stays its first holder.
    const [wulan] = await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, '199102282015032003'));
    const [sitiRole] = await db.db.select().from(employeeRoles).where(and(eq(employeeRoles.employeeId, ids.siti!), eq(employeeRoles.role, 'pengelola')));
    await db.db.insert(employeeRoles).values({ employeeId: wulan!.id, role: 'pengelola', unitId: sitiRole!.unitId });
    try {
      const byWulan = await openCase(deps, { procedureCode: 'asn-berprestasi', subjectId: ids.anisa!, period: '2031', actorId: wulan!.id, now: monday });
      expect(byWulan.case.assigneeId).toBe(wulan!.id);
      // Rina is a pengelola, but of another perangkat daerah: the step goes to Dinas Kesehatan's first pengelola.
      const byRina = await openCase(deps, { procedureCode: 'asn-berprestasi', subjectId: ids.melati!, period: '2031', actorId: ids.rina!, now: monday });
      expect(byRina.case.assigneeId).toBe(ids.siti);
    } finally {
      await db.db.delete(employeeRoles).where(eq(employeeRoles.employeeId, wulan!.id));
    }
  });
});

describe('the Banyuwangi SKP procedure on real PostgreSQL', () => {
  it('runs ASN → pejabat penilai → atasan PP → pengelola → BKPP with a return and a resubmission', async () => {
    const opened = await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now: monday });
    expect(opened.created).toBe(true);
    let c = opened.case;
    expect(c).toMatchObject({ stepNo: 3, status: 'active', assigneeId: ids.anisa, revision: 1, version: 1 });
    // Opening again is idempotent.
    expect((await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.anisa!, period: '2026', now: monday })).created).toBe(false);

    const at = (minutes: number) => new Date(monday.getTime() + minutes * 60_000);
    c = (await act(deps, { caseId: c.id, actorId: ids.anisa!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: at(10) })).case;
    expect(c).toMatchObject({ stepNo: 4, assigneeId: ids.yuliana, version: 2 });
    expect(c.slaDueAt).toBeInstanceOf(Date);

    // The wrong person is refused and nothing changes.
    await expect(
      act(deps, { caseId: c.id, actorId: ids.melati!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: at(11) }),
    ).rejects.toMatchObject({ code: 'NOT_ASSIGNEE' });
    // A return needs a reason of at least 10 characters.
    await expect(
      act(deps, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'return', stepNo: 4, reason: 'kurang' }, now: at(12) }),
    ).rejects.toMatchObject({ code: 'REASON_TOO_SHORT' });
    expect((await version(c.id)).version).toBe(2);

    c = (
      await act(deps, {
        caseId: c.id,
        actorId: ids.yuliana!,
        command: { kind: 'return', stepNo: 4, reason: 'Indikator kuantitas belum ada targetnya' },
        now: at(30),
      })
    ).case;
    expect(c).toMatchObject({ status: 'returned', stepNo: 3, assigneeId: ids.anisa, revision: 1 });

    c = (await act(deps, { caseId: c.id, actorId: ids.anisa!, command: { kind: 'resubmit', inputs: rhk }, now: at(60) })).case;
    expect(c).toMatchObject({ status: 'active', stepNo: 4, revision: 2, assigneeId: ids.yuliana });
    c = (await act(deps, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: at(70) })).case;
    expect(c).toMatchObject({ stepNo: 5, assigneeId: ids.lilis });
    c = (await act(deps, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: at(80) })).case;
    expect(c).toMatchObject({ stepNo: 6, assigneeId: ids.siti });
    // A pengelola of another perangkat daerah cannot collect.
    await expect(
      act(deps, { caseId: c.id, actorId: ids.rina!, command: { kind: 'complete', stepNo: 6, inputs: { confirmed: true } }, now: at(85) }),
    ).rejects.toMatchObject({ code: 'NOT_ASSIGNEE' });
    c = (await act(deps, { caseId: c.id, actorId: ids.siti!, command: { kind: 'complete', stepNo: 6, inputs: { confirmed: true } }, now: at(90) })).case;
    expect(c).toMatchObject({ stepNo: 7, assigneeId: ids.fajar });
    // Any BKPP admin may receive, not only the one resolved first.
    c = (await act(deps, { caseId: c.id, actorId: ids.putri!, command: { kind: 'complete', stepNo: 7, inputs: {} }, now: at(100) })).case;
    expect(c).toMatchObject({ status: 'completed', assigneeId: null });
    expect(c.completedAt).toEqual(at(100));

    // A late tap on a finished step says who acted first.
    const late = await act(deps, { caseId: c.id, actorId: ids.fajar!, command: { kind: 'complete', stepNo: 7, inputs: {} }, now: at(101) }).catch((e) => e);
    expect(isDomainError(late) && late.code).toBe('ALREADY_PROCESSED');
    expect(late.details.by).toBe('Putri Ayu Lestari, S.AP');

    const events = await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id)).orderBy(asc(caseEvents.id));
    expect(events.map((e) => `${e.action}:${e.fromStepNo}->${e.toStepNo}:r${e.revision}`)).toEqual([
      'start:3->3:r1',
      'complete:3->4:r1',
      'return:4->3:r1',
      'resubmit:3->4:r2',
      'complete:4->5:r2',
      'complete:5->6:r2',
      'complete:6->7:r2',
      'complete:7->null:r2',
    ]);
    expect(events[2]!.comment).toBe('Indikator kuantitas belum ada targetnya');

    // Step timings: every visit has entered/completed instants, the first revision's inputs stay readable.
    const visits = await db.db.select().from(caseSteps).where(eq(caseSteps.caseId, c.id)).orderBy(asc(caseSteps.id));
    expect(visits.map((v) => `${v.stepNo}/r${v.revision}/${v.outcome}`)).toEqual([
      '3/r1/completed',
      '4/r1/returned',
      '3/r1/completed',
      '4/r2/completed',
      '5/r2/completed',
      '6/r2/completed',
      '7/r2/completed',
    ]);
    expect(visits.every((v) => v.completedAt && v.completedAt >= v.enteredAt)).toBe(true);
    expect(visits[0]!.inputs).toEqual(rhk);
  });
});

describe("a completion told the case's procedure (a button's case head)", () => {
  it('gives each step to the same holder as without it, also when the hint is wrong', async () => {
    const { case: opened } = await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.melati!, period: '2032', now: monday });
    const hint = 'skp-banyuwangi';
    let c = (await act(deps, { caseId: opened.id, actorId: ids.melati!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: monday, procedureHint: hint })).case;
    expect(c).toMatchObject({ stepNo: 4, assigneeId: ids.yuliana });
    c = (await act(deps, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: monday, procedureHint: hint })).case;
    expect(c).toMatchObject({ stepNo: 5, assigneeId: ids.lilis });
    // A hint naming another procedure, whose step after this one has another actor: the lock's row decides.
    const other = deps.procedures.all().find((p) => {
      const i = p.steps.findIndex((s) => s.no === 5);
      return p.code !== hint && i >= 0 && p.steps[i + 1] !== undefined && p.steps[i + 1]!.actor !== 'pengelola';
    });
    expect(other).toBeDefined();
    c = (await act(deps, { caseId: c.id, actorId: ids.lilis!, command: { kind: 'complete', stepNo: 5, inputs: {} }, now: monday, procedureHint: other!.code })).case;
    expect(c).toMatchObject({ stepNo: 6, assigneeId: ids.siti });
  });
});

describe('concurrency and durability', () => {
  it('50 concurrent attempts to complete the same step give exactly one transition', async () => {
    const { case: c } = await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.melati!, period: '2026', now: monday });
    await act(deps, { caseId: c.id, actorId: ids.melati!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: monday });
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        act(deps, { caseId: c.id, actorId: ids.yuliana!, expectedVersion: 2, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: monday }),
      ),
    );
    const ok = attempts.filter((a) => a.status === 'fulfilled');
    const refused = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(49);
    expect(refused.every((r) => isDomainError(r.reason) && r.reason.code === 'ALREADY_PROCESSED')).toBe(true);
    const completes = await db.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'complete'), eq(caseEvents.fromStepNo, 4)));
    expect(completes).toHaveLength(1);
    expect((await version(c.id)).version).toBe(3);
  });

  it('the event log can only grow', async () => {
    await expectDbError(db.db.execute(sql`update case_events set comment = 'x'`), /append-only/);
    await expectDbError(db.db.execute(sql`delete from case_events`), /append-only/);
    await expectDbError(db.db.execute(sql`truncate case_events cascade`), /append-only/);
  });

  it('outbox rows are written in the same transaction as their transition', async () => {
    const subject = (await db.db.select({ id: employees.id }).from(employees).where(eq(employees.nip, '199508232023212003')))[0]!.id;
    const { case: c } = await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: subject, period: '2026', now: monday });
    await act(deps, { caseId: c.id, actorId: subject, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: monday });
    // Rows written by one transaction share its transaction id (xmin).
    const rows = rowsOf<{ source: string; xmin: string }>(
      await db.db.execute(sql`
        select 'event' as source, xmin::text from case_events where case_id = ${c.id} and action = 'complete'
        union all select 'outbox', xmin::text from outbox where case_id = ${c.id} and (payload->>'version')::int = 2
        union all select 'case', xmin::text from cases where id = ${c.id}`),
    );
    expect(rows.filter((r) => r.source === 'outbox').length).toBeGreaterThanOrEqual(2); // notify + start_sla (+ cancel_sla)
    expect(new Set(rows.map((r) => r.xmin)).size).toBe(1);
    const kinds = (await db.db.select().from(outbox).where(eq(outbox.caseId, c.id))).map((o) => o.kind);
    expect(kinds).toEqual(expect.arrayContaining(['notify', 'start_sla', 'cancel_sla']));

    // The approver's request messages, closed with the transition when asked (closeMessages).
    for (const messageId of [11, 12]) {
      await recordCaseMessage(db.db, { caseId: c.id, version: 2, employeeId: ids.yuliana!, kind: 'request', chatId: 4242, messageId });
    }
    const openMessages = async () =>
      (await db.db.select().from(caseMessages).where(eq(caseMessages.caseId, c.id))).filter((m) => m.closedAt === null).map((m) => m.messageId).sort();

    // When writing the outbox fails, the transition is not half-written.
    await db.db.execute(sql`create or replace function test_fail_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox down'; end $$`);
    await db.db.execute(sql`create trigger test_fail_outbox before insert on outbox for each row execute function test_fail_outbox()`);
    try {
      const before = await version(c.id);
      const eventsBefore = (await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id))).length;
      await expectDbError(
        act(deps, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: monday, closeMessages: true }),
        /outbox down/,
      );
      expect(await version(c.id)).toEqual(before);
      expect(await openMessages()).toEqual([11, 12]);
      expect((await db.db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id))).length).toBe(eventsBefore);
    } finally {
      await db.db.execute(sql`drop trigger test_fail_outbox on outbox`);
    }
    const done = await act(deps, { caseId: c.id, actorId: ids.yuliana!, command: { kind: 'complete', stepNo: 4, inputs: {} }, now: monday, closeMessages: true });
    expect(done.closedMessages.map((m) => m.messageId).sort()).toEqual([11, 12]);
    expect(await openMessages()).toEqual([]);
    const closedWith = rowsOf<{ xmin: string }>(
      await db.db.execute(sql`select xmin::text from case_messages where case_id = ${c.id} union select xmin::text from cases where id = ${c.id}`),
    );
    expect(closedWith.length).toBe(1);
  });

  it('a roster change re-resolves the assignee of open steps, logged', async () => {
    // Dewi (Subbidang Mutasi) gets a case waiting on her atasan, then the roster gives her another atasan.
    const dewiNip = '198709192011012004';
    const dewi = (await db.db.select().from(employees).where(eq(employees.nip, dewiNip)))[0]!;
    const { case: c } = await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: dewi.id, period: '2026', now: monday });
    await act(deps, { caseId: c.id, actorId: dewi.id, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: monday });
    expect((await version(c.id)).assigneeId).toBe(dewi.atasanId);
    const csv = readFileSync('examples/roster.csv', 'utf8').replace(
      new RegExp(`(${dewiNip};[^\\n]*?;)198002142005011005;`),
      '$1197511082000031003;',
    );
    const parsed = parseRoster(Buffer.from(csv));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const summary = await importRoster(db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'test' });
    expect(summary.casesReassigned).toBeGreaterThanOrEqual(1);
    const bambang = (await db.db.select().from(employees).where(eq(employees.nip, '197511082000031003')))[0]!;
    expect((await version(c.id)).assigneeId).toBe(bambang.id);
    const reassign = await db.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'reassign')));
    expect(reassign).toHaveLength(1);
  });

  it("a roster import during a leave routes steps to the Plh on the agency's local date, and says so", async () => {
    // Two time zones 25 hours apart: at any instant the local date of at least one of them is not the UTC date.
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const [row] = rowsOf<{ today: string }>(await db.db.execute(sql`select to_char(now() at time zone ${timeZone}, 'YYYY-MM-DD') as today`));
      await db.db.execute(sql`insert into instansi (id, name, time_zone) values (1, 'Uji', ${timeZone})
        on conflict (id) do update set time_zone = excluded.time_zone`);
      const { case: c } = await openCase(deps, { procedureCode: 'skp-banyuwangi', subjectId: ids.melati!, period: `uji-${timeZone}`, now: monday });
      await act(deps, { caseId: c.id, actorId: ids.melati!, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: monday });
      expect((await version(c.id)).assigneeId).toBe(ids.yuliana);
      const [leave] = await db.db
        .insert(delegations)
        .values({ employeeId: ids.yuliana!, substituteId: ids.lilis!, fromDate: row!.today, toDate: row!.today, createdBy: ids.yuliana! })
        .returning();
      try {
        await importExampleRoster(db);
        expect((await version(c.id)).assigneeId, timeZone).toBe(ids.lilis);
        const routed = await db.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, c.id), eq(caseEvents.action, 'delegated')));
        expect(routed.map((e) => e.data)).toEqual([{ from: ids.yuliana, to: ids.lilis }]);
      } finally {
        await db.db.update(delegations).set({ cancelledAt: new Date() }).where(eq(delegations.id, leave!.id));
        await db.db.update(cases).set({ status: 'cancelled', assigneeId: null }).where(eq(cases.id, c.id));
      }
    }
  });
});
