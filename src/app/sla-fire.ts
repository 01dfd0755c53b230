// Fires one point of a step's SLA cadence (75 % heads-up, 100 % overdue, 200 % and 300 % escalations): re-reads the
// case, does nothing unless it still sits on that step with that version, logs the firing in case_events and hands
// the messages over to be sent. Lower points not fired yet (a lost timer) fire first, in order, so the log never
// skips a point.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { substituteOnSql } from './delegation.js';
import { standInsFor } from './stand-in.js';
import type { ProcedureRegistry } from './procedures.js';
import type { Db, DbOrTx } from '../db/client.js';
import { rowsOf } from '../db/client.js';
import { caseEvents, cases, employees } from '../db/schema/index.js';
import type { WorkingCalendar } from '../domain/calendar.js';
import { formatDuration } from '../domain/format.js';
import { BATCH_ACTIONS, type EscalationRule, type EscalationTarget, type Procedure, type Step } from '../domain/procedure.js';
import { slaCadence, slaDeadline, slaMinutesOf } from '../domain/sla.js';
import { lockCaseRow, type CaseRow } from './repositories/cases.js';

export const SLA_ACTIONS = ['sla_reminder', 'sla_overdue', 'sla_escalation'] as const;
/** reminder_log.kind of SLA messages; the run key is '<caseId>:<version>:<pct>'. */
export const SLA_LOG_KIND = 'sla';

/** One point of a step's cadence, as its timer carries it. */
export interface SlaJobData {
  caseId: string;
  stepNo: number;
  revision: number;
  version: number;
  pct: number;
  /**
   * Set by cancel_sla on a pending timer of a step that was left (the case's version has moved past it, and a
   * version only grows): the timer ends as stale without reading the case.
   */
  left?: true;
}

export type { CaseRow };

/** stand_in: told in place of someone who could not be reached (blocked the bot, never started it). */
export type SlaRecipientRole = EscalationTarget | 'stand_in';

export function slaRunKey(caseId: string, version: number, pct: number): string {
  return `${caseId}:${version}:${pct}`;
}

/**
 * The run key of one firing's message: per case, version and point; for a step done in bulk (BATCH_ACTIONS) per
 * step, point and local day, so its holder and those above hear of the late backlog once a day, not once per case.
 */
function messageRunKey(c: CaseRow, step: Step, e: Pick<SlaEventData, 'version' | 'pct'>, today: string): string {
  return BATCH_ACTIONS.includes(step.action) ? `batch:${c.procedureCode}:${step.no}:${e.pct}:${today}` : slaRunKey(c.id, e.version, e.pct);
}

export function stepOf(procedures: ProcedureRegistry, code: string, stepNo: number): { proc: Procedure; step: Step } | null {
  try {
    const proc = procedures.get(code);
    const step = proc.steps.find((s) => s.no === stepNo);
    return step ? { proc, step } : null;
  } catch {
    return null; // a procedure this deployment no longer knows: nothing to time
  }
}

export interface SlaDeps {
  db: Db;
  calendar: WorkingCalendar;
  procedures: ProcedureRegistry;
  now: () => Date;
  /** Writes the messages in Indonesian and queues them (the jobs adapter); returns how many were queued. */
  send(messages: SlaMessageToSend[]): Promise<number>;
}

export interface SlaRecipient {
  id: string;
  role: SlaRecipientRole;
  /** The person the message was meant for, when a Plh receives it instead. */
  onBehalfOf: string | null;
  /** The person who could not be reached (blocked the bot, never started it), when this recipient stands in. */
  standInFor?: string;
}

export interface SlaEventData {
  pct: number;
  version: number;
  stepNo: number;
  scheduledAt: string;
  dueAt: string;
  /** Who was sent the message (reachable recipients). */
  to: string[];
  recipients: SlaRecipient[];
  /** Recipients who could not be reached (not linked or blocked). */
  notReached: string[];
}

/** Who a rule notifies for a case, with Plh substitution for anyone on leave today; one query. */
async function resolveRecipients(
  tx: DbOrTx,
  c: CaseRow,
  targets: readonly EscalationTarget[],
  today: string,
): Promise<{ recipients: SlaRecipient[]; reachable: Set<string> }> {
  const has = (t: EscalationTarget) => sql`${targets.includes(t)}::boolean`;
  const rows = rowsOf<{ role: SlaRecipientRole; original_id: string; recipient_id: string; reachable: boolean }>(
    await tx.execute(sql`
      with c as (select ${c.assigneeId}::uuid as assignee_id, ${c.subjectId}::uuid as subject_id),
      t as (
        select 'assignee'::text as role, 1 as ord, c.assignee_id as id from c where ${has('assignee')}
        union all
        select 'atasan_of_assignee', 2, a.atasan_id from c join employees a on a.id = c.assignee_id where ${has('atasan_of_assignee')}
        union all
        select 'pengelola', 3, r.employee_id from c
          join employees s on s.id = c.subject_id join units su on su.id = s.unit_id
          join employee_roles r on r.role = 'pengelola' and r.unit_id = coalesce(su.perangkat_daerah_id, su.id)
          where ${has('pengelola')}
        union all
        select 'bkpp', 4, r.employee_id from employee_roles r where r.role = 'bkpp_admin' and ${has('bkpp')}
      ), x as (
        select t.role, t.ord, t.id as original_id, coalesce(${substituteOnSql(sql`t.id`, today)}, t.id) as recipient_id
        -- An escalation is for others: the holder, who is also the pengelola or a BKPP admin, has had the reminder.
        from t where t.id is not null and (t.role = 'assignee' or t.id is distinct from (select assignee_id from c))
      )
      select x.role, x.original_id, x.recipient_id,
             (e.telegram_chat_id is not null and e.unreachable_at is null) as reachable
      from x join employees e on e.id = x.recipient_id and e.active
      order by x.ord, e.nip`),
  );
  const seen = new Set<string>();
  const recipients: SlaRecipient[] = [];
  const reachable = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.recipient_id)) continue; // the same person in two roles gets one message
    seen.add(r.recipient_id);
    recipients.push({ id: r.recipient_id, role: r.role, onBehalfOf: r.recipient_id === r.original_id ? null : r.original_id });
    if (r.reachable) reachable.add(r.recipient_id);
  }
  // Nobody goes untold: whoever cannot be reached has a stand-in (the nearest reachable atasan up the chain,
  // else the BKPP admins), told that they stand in and for whom.
  for (const missed of recipients.filter((r) => !reachable.has(r.id) && r.role !== 'bkpp' && r.role !== 'stand_in')) {
    for (const id of await standInsFor(tx, missed.id)) {
      if (seen.has(id)) continue; // already told in a role of their own
      seen.add(id);
      reachable.add(id);
      recipients.push({ id, role: 'stand_in', onBehalfOf: null, standInFor: missed.id });
    }
  }
  return { recipients, reachable };
}

function actionFor(rule: EscalationRule): (typeof SLA_ACTIONS)[number] {
  if (rule.markOverdue) return 'sla_overdue';
  return rule.notify.every((t) => t === 'assignee') ? 'sla_reminder' : 'sla_escalation';
}

/** The SLA firings already logged for a case version, by percentage. */
async function firedEvents(tx: DbOrTx, caseId: string, version: number): Promise<Map<number, SlaEventData>> {
  const rows = await tx
    .select({ data: caseEvents.data })
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.caseId, caseId),
        inArray(caseEvents.action, [...SLA_ACTIONS]),
        sql`(${caseEvents.data}->>'version')::int = ${version}`,
      ),
    );
  const byPct = new Map<number, SlaEventData>();
  for (const r of rows) {
    const data = r.data as unknown as SlaEventData;
    byPct.set(Number(data.pct), data);
  }
  return byPct;
}

export interface FireResult {
  status: 'stale' | 'fired' | 'already';
  /** Percentages logged by this run. */
  fired: number[];
  queued: number;
}

export async function fireSla(data: SlaJobData, deps: SlaDeps): Promise<FireResult> {
  if (data.left) return { status: 'stale', fired: [], queued: 0 };
  const now = deps.now();
  const today = deps.calendar.localDate(now);
  // A timer whose step was left (cancel_sla runs the pending ones at once) is told without a transaction: a case's
  // version only grows and a closed case stays closed, so what is stale now stays stale.
  const [head] = await deps.db
    .select({ status: cases.status, stepNo: cases.stepNo, version: cases.version })
    .from(cases)
    .where(eq(cases.id, data.caseId));
  if (!head || (head.status !== 'active' && head.status !== 'returned') || head.stepNo !== data.stepNo || head.version !== data.version) {
    return { status: 'stale', fired: [], queued: 0 };
  }
  const outcome = await deps.db.transaction(async (tx) => {
    // The row lock serializes firings of one case with each other and with the engine's transitions.
    const c = await lockCaseRow(tx, data.caseId);
    if (!c || (c.status !== 'active' && c.status !== 'returned') || c.stepNo !== data.stepNo || c.version !== data.version) return null;
    const found = stepOf(deps.procedures, c.procedureCode, c.stepNo);
    if (!found || found.step.sla.minutes <= 0) return null;
    const { step } = found;
    if (!step.escalation.some((r) => r.atPercent === data.pct)) return null;
    const minutes = slaMinutesOf(deps.calendar, step, c.stepEnteredAt, c.slaDueAt);
    const dueAt = c.slaDueAt ?? slaDeadline(deps.calendar, c.stepEnteredAt, minutes);
    const fired = await firedEvents(tx, c.id, c.version);
    const created: number[] = [];
    for (const point of slaCadence(deps.calendar, c.stepEnteredAt, minutes, step.escalation, dueAt)) {
      if (point.pct > data.pct || fired.has(point.pct)) continue;
      const { recipients, reachable } = await resolveRecipients(tx, c, point.rule.notify, today);
      const eventData: SlaEventData = {
        pct: point.pct,
        version: c.version,
        stepNo: c.stepNo,
        scheduledAt: point.fireAt.toISOString(),
        dueAt: dueAt.toISOString(),
        to: recipients.filter((r) => reachable.has(r.id)).map((r) => r.id),
        recipients,
        notReached: recipients.filter((r) => !reachable.has(r.id)).map((r) => r.id),
      };
      await tx.insert(caseEvents).values({
        caseId: c.id,
        at: now,
        actorId: null,
        action: actionFor(point.rule),
        fromStepNo: c.stepNo,
        toStepNo: c.stepNo,
        revision: c.revision,
        comment: `SLA ${point.pct}%`,
        data: eventData as unknown as Record<string, unknown>,
      });
      if (point.rule.markOverdue && c.overdueAt === null) {
        await tx.update(cases).set({ overdueAt: now }).where(eq(cases.id, c.id));
      }
      fired.set(point.pct, eventData);
      created.push(point.pct);
    }
    return { c, events: [...fired.values()].filter((e) => e.pct <= data.pct), created };
  });
  if (!outcome) return { status: 'stale', fired: [], queued: 0 };
  // After commit: hand the messages over. Re-running (a crash in between) queues what is still unsent.
  const queued = await dispatchSlaEvents(deps, outcome.c, outcome.events);
  return { status: outcome.created.length > 0 ? 'fired' : 'already', fired: outcome.created, queued };
}

/**
 * Hands over the messages of logged SLA firings whose recipients have no reminder_log row yet; a reminder before the
 * deadline only while the deadline is still ahead.
 */
export async function dispatchSlaEvents(deps: SlaDeps, c: CaseRow, fired: SlaEventData[]): Promise<number> {
  if (fired.length === 0) return 0;
  const found = stepOf(deps.procedures, c.procedureCode, c.stepNo);
  if (!found) return 0;
  const now = deps.now();
  const today = deps.calendar.localDate(now);
  // A point before the deadline handed over once the deadline has passed (timers caught up after an outage, sends
  // lost and re-sent) would say "mendekati batas waktu" beside "sudah terlewati": it is left unsent.
  const events = fired.filter((e) => e.pct >= 100 || now.getTime() < new Date(e.dueAt).getTime());
  if (events.length === 0) return 0;
  const keyOf = new Map(events.map((e) => [e, messageRunKey(c, found.step, e, today)] as const));
  const runKeys = [...keyOf.values()];
  const logged = rowsOf<{ run_key: string; employee_id: string }>(
    await deps.db.execute(sql`select run_key, employee_id from reminder_log
      where kind = ${SLA_LOG_KIND} and run_key in (${sql.join(runKeys.map((k) => sql`${k}`), sql`, `)})`),
  );
  const done = new Set(logged.map((l) => `${l.run_key}|${l.employee_id}`));
  const pending = events.flatMap((e) =>
    e.recipients.filter((r) => e.to.includes(r.id) && !done.has(`${keyOf.get(e)}|${r.id}`)).map((r) => ({ e, r })),
  );
  if (pending.length === 0) return 0;

  const people = new Set<string>([c.subjectId, ...(c.assigneeId ? [c.assigneeId] : [])]);
  for (const { r } of pending) {
    if (r.onBehalfOf) people.add(r.onBehalfOf);
    if (r.standInFor) people.add(r.standInFor);
  }
  const names = new Map(
    (await deps.db.select({ id: employees.id, nama: employees.nama }).from(employees).where(inArray(employees.id, [...people]))).map(
      (p) => [p.id, p.nama] as const,
    ),
  );
  const waited = formatDuration(deps.calendar.workingMinutesBetween(c.stepEnteredAt, now));
  return deps.send(pending.map(({ e, r }) => slaMessageOf(c, found, names, waited, e, r, keyOf.get(e)!)));
}

/** One message to send: who gets it, under which reminder_log claim, and what it says. */
export type SlaMessageToSend = ReturnType<typeof slaMessageOf>;

function slaMessageOf(
  c: CaseRow,
  found: { proc: Procedure; step: Step },
  names: Map<string, string>,
  waited: string,
  e: SlaEventData,
  r: SlaRecipient,
  runKey: string,
) {
  const batch = BATCH_ACTIONS.includes(found.step.action);
  return {
    kind: SLA_LOG_KIND,
    runKey,
    employeeId: r.id,
    caseId: c.id,
    caseVersion: c.version,
    /** What the message says (the adapter writes it in Indonesian). */
    facts: {
      pct: e.pct,
      role: r.role,
      overdue: e.pct >= 100,
      recipientIsSubject: r.role === 'assignee' && (r.onBehalfOf ?? r.id) === c.subjectId,
      subjectNama: names.get(c.subjectId) ?? '-',
      assigneeNama: c.assigneeId ? (names.get(c.assigneeId) ?? null) : null,
      procedureTitle: found.proc.title,
      period: c.period,
      stepNo: c.stepNo,
      stepUraian: found.step.uraian,
      enteredAt: c.stepEnteredAt,
      dueAt: new Date(e.dueAt),
      waited,
      onBehalfOf: r.onBehalfOf ? (names.get(r.onBehalfOf) ?? null) : null,
      standInFor: r.standInFor ? (names.get(r.standInFor) ?? null) : null,
      /** A step done in bulk: the message speaks of the backlog, once a day, starting from this case. */
      batch,
    },
    // Those told of someone else's late step can act: remind the holder, or read the case (not for a backlog).
    withActions: r.role !== 'assignee' && !batch,
  };
}
