// Fault drills: each runs the real bot against the fake Bot API, breaks something, and reports what was lost.
// Used by `npm run drill` (full size) and by test/e2e/drills.test.ts (reduced size, in CI).
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { act, openCase, type EngineDeps } from '../src/app/case-engine.js';
import { importRoster } from '../src/app/import-roster.js';
import { rowsOf } from '../src/db/client.js';
import { caseMessages, employees } from '../src/db/schema/index.js';
import { parseRoster } from '../src/domain/roster.js';
import { startTestApp, type TestApp } from '../test/support/app.js';
import { maintenanceUrl } from '../test/support/env.js';
import { syntheticOrg } from './org.js';

export interface DrillResult {
  name: string;
  ok: boolean;
  lines: string[];
}

const rhk = { rhk: [{ id: 'r1', jenis: 'utama', text: 'Tersusunnya laporan kinerja seksi' }] };

interface Org {
  t: TestApp;
  engine: EngineDeps;
  approverTg: number[];
  /** Case ids per approver, each waiting on the approver's verify step (version 2). */
  casesByApprover: string[][];
  wrongTg: number;
  /** The approval request message of each case, as the approver received it. */
  requestOf: Map<string, { chatId: number; messageId: number }>;
}

/** An organisation of `approvers` atasan with `perApprover` staff each, all staff SKP submitted and waiting. */
export async function setupOrg(t: TestApp, approvers: number, perApprover: number): Promise<Org> {
  const org = syntheticOrg(approvers, perApprover);
  const parsed = parseRoster(Buffer.from(org.csv));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems.slice(0, 3)));
  await importRoster(t.db.db, parsed.rows, parsed.units, { dryRun: false, actorLabel: 'drill' });
  const idOf = new Map(rowsOf<{ id: string; nip: string }>(await t.db.db.execute(sql`select id, nip from employees`)).map((r) => [r.nip, r.id]));
  const approverTg: number[] = [];
  for (const [a, nip] of org.atasanNips.entries()) {
    const tg = 200_000 + a;
    approverTg.push(tg);
    t.fake.addUser({ id: tg, first_name: `Atasan${a}` });
    t.fake.markStarted(tg);
    await t.db.db.update(employees).set({ telegramUserId: tg, telegramChatId: tg }).where(eq(employees.nip, nip));
  }
  // A linked staff member who is nobody's approver: the "wrong user".
  const wrongTg = 299_999;
  t.fake.addUser({ id: wrongTg, first_name: 'Lain' });
  t.fake.markStarted(wrongTg);
  await t.db.db.update(employees).set({ telegramUserId: wrongTg, telegramChatId: wrongTg }).where(eq(employees.nip, org.staffNips[0]![0]!));
  const engine: EngineDeps = { db: t.db.db, calendar: t.app.deps.calendar, procedures: t.app.deps.procedures };
  const casesByApprover: string[][] = [];
  for (const staff of org.staffNips) {
    const ids: string[] = [];
    for (const nip of staff) {
      const subjectId = idOf.get(nip)!;
      const { case: c } = await openCase(engine, { procedureCode: 'skp-banyuwangi', subjectId, period: '2026', now: new Date() });
      await act(engine, { caseId: c.id, actorId: subjectId, command: { kind: 'complete', stepNo: 3, inputs: rhk }, now: new Date() });
      ids.push(c.id);
    }
    casesByApprover.push(ids);
  }
  const total = casesByApprover.flat().length;
  const requestOf = new Map<string, { chatId: number; messageId: number }>();
  for (let waited = 0; requestOf.size < total; waited += 100) {
    if (waited > 120_000) throw new Error(`only ${requestOf.size}/${total} approval requests were delivered`);
    await new Promise((r) => setTimeout(r, 100));
    const rows = await t.db.db.select().from(caseMessages).where(eq(caseMessages.kind, 'request'));
    for (const r of rows) if (r.version === 2) requestOf.set(r.caseId, { chatId: r.chatId, messageId: r.messageId });
  }
  return { t, engine, approverTg, casesByApprover, wrongTg, requestOf };
}

/** Transition events per case must equal its version: a half-written transition would break the equality. */
async function integrityProblems(t: TestApp): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await t.db.db.execute(sql`select count(*)::int as n from cases c where c.version <> (select count(*) from case_events e
      where e.case_id = c.id and e.action in ('start', 'complete', 'return', 'resubmit', 'cancel'))`),
  );
  return rows[0]!.n;
}

async function verifyTransitions(t: TestApp, caseIds: string[]): Promise<Map<string, number>> {
  const rows = rowsOf<{ case_id: string; n: number }>(
    await t.db.db.execute(sql`select case_id, count(*)::int as n from case_events where action = 'complete' and from_step_no = 4
      and case_id in (${sql.join(caseIds.map((id) => sql`${id}::uuid`), sql`, `)}) group by case_id`),
  );
  return new Map(rows.map((r) => [r.case_id, r.n]));
}

/** Drill 5: every case gets Setujui twice at once, and once from the wrong user. Exactly one transition each. */
export async function doubleTapDrill(size = { cases: 100 }): Promise<DrillResult> {
  const t = await startTestApp();
  try {
    const approvers = Math.max(1, Math.ceil(size.cases / 10));
    const org = await setupOrg(t, approvers, Math.ceil(size.cases / approvers));
    const all = org.casesByApprover.flat();
    const answers: Promise<{ text?: string }>[] = [];
    for (const [a, ids] of org.casesByApprover.entries()) {
      const tg = org.approverTg[a]!;
      for (const caseId of ids) {
        for (const who of [tg, tg, org.wrongTg]) {
          const u = t.fake.tapButton(who, org.requestOf.get(caseId)!, `cs:ok:${caseId}:2`);
          answers.push(t.fake.waitForCallbackAnswer(u.callback_query.id, 30_000));
        }
      }
    }
    const texts = (await Promise.all(answers)).map((a) => a.text ?? '');
    const counts = await verifyTransitions(t, all);
    const exactlyOne = all.filter((id) => counts.get(id) === 1).length;
    const wrongRefused = texts.filter((x) => /bukan tugas|Sudah diproses/.test(x)).length;
    const broken = await integrityProblems(t);
    return {
      name: 'double-taps',
      ok: exactlyOne === all.length && broken === 0,
      lines: [
        `cases: ${all.length}, taps: ${texts.length} (2 by the approver and 1 by a wrong user per case)`,
        `cases with exactly one transition: ${exactlyOne}/${all.length}`,
        `taps refused (already processed or not the assignee): ${wrongRefused}`,
        `half-written transitions: ${broken}`,
      ],
    };
  } finally {
    await t.stop();
  }
}

/** Drill 4: updates delivered twice (as after a Telegram-side restart) are processed once. */
export async function replayDrill(size = { updates: 1000 }): Promise<DrillResult> {
  const t = await startTestApp();
  try {
    const users = 50;
    for (let i = 0; i < users; i++) {
      t.fake.addUser({ id: 300_000 + i, first_name: `U${i}` });
    }
    const sent: Array<Record<string, unknown>> = [];
    for (let i = 0; i < size.updates; i++) sent.push(t.fake.sendText(300_000 + (i % users), '/bantuan') as unknown as Record<string, unknown>);
    await t.idle(60_000);
    for (const u of sent) t.fake.injectUpdate(u);
    await t.idle(60_000);
    let replies = 0;
    for (let i = 0; i < users; i++) replies += t.fake.messages(300_000 + i).length;
    const [row] = rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from processed_updates`));
    return {
      name: 'replay-updates',
      ok: replies === size.updates,
      lines: [
        `updates: ${size.updates}, each delivered twice (${size.updates * 2} deliveries)`,
        `replies sent: ${replies} (expected ${size.updates})`,
        `update ids recorded: ${row!.n}`,
      ],
    };
  } finally {
    await t.stop();
  }
}

/** Drill 3: the database drops every connection (as in a restart) during a stream of approvals. */
export async function postgresRestartDrill(size = { cases: 60 }): Promise<DrillResult> {
  const t = await startTestApp();
  const admin = postgres(maintenanceUrl(), { max: 1, onnotice: () => {} });
  try {
    const approvers = Math.max(1, Math.ceil(size.cases / 10));
    const org = await setupOrg(t, approvers, Math.ceil(size.cases / approvers));
    const all = org.casesByApprover.flat();
    const answers: Array<Promise<{ text?: string }>> = [];
    const updateIds: number[] = [];
    let kills = 0;
    for (const [i, caseId] of all.entries()) {
      const a = Math.floor(i / Math.ceil(size.cases / approvers));
      const tg = org.approverTg[a]!;
      const u = t.fake.tapButton(tg, org.requestOf.get(caseId)!, `cs:ok:${caseId}:2`);
      updateIds.push(u.update_id);
      answers.push(t.fake.waitForCallbackAnswer(u.callback_query.id, 30_000).catch(() => ({ text: '(no answer)' })));
      if (i % Math.max(1, Math.floor(all.length / 3)) === 5) {
        // Every connection of the app's database is cut, like a server restart.
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${t.db.name} and pid <> pg_backend_pid()`;
        kills++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const texts = (await Promise.all(answers)).map((a) => a.text ?? '');
    const retryAsked = texts.filter((x) => /coba lagi/i.test(x)).length;
    const unanswered = texts.filter((x) => x === '(no answer)').length;
    // Which taps went unanswered, and what their update's claim says (still leased: claimed and never finished).
    const unansweredIds = updateIds.filter((_, k) => texts[k] === '(no answer)');
    const claims = unansweredIds.length
      ? rowsOf<{ update_id: number; leased: boolean }>(
          await t.db.db.execute(sql`select update_id::int as update_id, lease_until is not null as leased from processed_updates
            where update_id in (${sql.join(unansweredIds.map((id) => sql`${id}`), sql`, `)})`),
        )
      : [];
    const claimOf = new Map(claims.map((c) => [c.update_id, c.leased ? 'leased' : 'finished']));
    // Taps that failed are tapped again, as the user would after "coba lagi" (up to three times): the bot must
    // have reconnected by itself.
    let retries = 0;
    for (let round = 0; round < 3; round++) {
      const counts = await verifyTransitions(t, all);
      const retry = all.filter((id) => counts.get(id) !== 1);
      if (retry.length === 0) break;
      retries += retry.length;
      const retried: Array<Promise<unknown>> = [];
      for (const caseId of retry) {
        const a = Math.floor(all.indexOf(caseId) / Math.ceil(size.cases / approvers));
        const tg = org.approverTg[a]!;
        const u = t.fake.tapButton(tg, org.requestOf.get(caseId)!, `cs:ok:${caseId}:2`);
        retried.push(t.fake.waitForCallbackAnswer(u.callback_query.id, 30_000));
      }
      await Promise.all(retried);
    }
    const after = await verifyTransitions(t, all);
    const exactlyOne = all.filter((id) => after.get(id) === 1).length;
    const broken = await integrityProblems(t);
    return {
      name: 'postgres-restart',
      ok: exactlyOne === all.length && broken === 0 && unanswered === 0,
      lines: [
        `approvals: ${all.length}, connection cuts: ${kills}`,
        `taps answered "coba lagi": ${retryAsked}; taps left without an answer: ${unanswered}`,
        ...(unanswered > 0 ? [`unanswered updates (claim): ${unansweredIds.map((id) => `${id} (${claimOf.get(id) ?? 'never claimed'})`).join(', ')}`] : []),
        `taps repeated by the users after "coba lagi": ${retries}`,
        `after retrying: cases with exactly one transition ${exactlyOne}/${all.length}`,
        `half-written transitions: ${broken}`,
      ],
    };
  } finally {
    await admin.end({ timeout: 5 });
    await t.stop();
  }
}
