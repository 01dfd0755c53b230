// Which SLA timers should exist, read from Postgres: those a step just entered starts, those a step left leaves
// behind, and every timer of every open case (for reconcile after Redis lost them), plus re-sending the messages of
// logged firings that never went out.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/client.js';
import { slaCadence, slaMinutesOf, type CadencePoint } from '../domain/sla.js';
import { dispatchSlaEvents, SLA_ACTIONS, stepOf, type CaseRow, type SlaDeps, type SlaEventData } from './sla-fire.js';
import { findCaseRow, findCaseRows } from './repositories/cases.js';

/** The payload of a 'start_sla' outbox row (written by the case engine). */
export interface StartSlaPayload {
  stepNo: number;
  revision: number;
  version: number;
  slaMinutes: number;
  dueAt: string;
  enteredAt: string;
}

export type TimedCase = Pick<CaseRow, 'id' | 'stepNo' | 'revision' | 'version'>;

type TimerDeps = Pick<SlaDeps, 'db' | 'calendar' | 'procedures'>;

/** The cadence a 'start_sla' row starts, or null when the case moved on before the row was handled. */
export async function slaTimersToStart(deps: TimerDeps, caseId: string, p: StartSlaPayload): Promise<{ c: TimedCase; points: CadencePoint[] } | null> {
  const c = await findCaseRow(deps.db, caseId);
  // The case moved on before this row was handled: there is nothing left to time.
  if (!c || (c.status !== 'active' && c.status !== 'returned') || c.version !== p.version || c.stepNo !== p.stepNo) return null;
  const found = stepOf(deps.procedures, c.procedureCode, p.stepNo);
  if (!found || p.slaMinutes <= 0) return null;
  // The cadence runs to the due date the case was given, which a deployment deadline may have set before the end of
  // the step's SLA (openCase's dueBy): the same minutes reconcile recovers from the case.
  const enteredAt = new Date(p.enteredAt);
  const minutes = slaMinutesOf(deps.calendar, found.step, enteredAt, p.dueAt ? new Date(p.dueAt) : null);
  return { c, points: slaCadence(deps.calendar, enteredAt, minutes, found.step.escalation, p.dueAt ? new Date(p.dueAt) : null) };
}

/** Every timer a step of a case may have had (each version it was started with, each escalation point). */
export async function slaTimersOfStep(
  deps: Pick<TimerDeps, 'db' | 'procedures'>,
  caseId: string,
  p: { stepNo: number; revision: number },
): Promise<Array<{ version: number; pct: number }>> {
  // One statement: the case's procedure and the versions its step was timed with.
  const [c] = rowsOf<{ code: string; versions: number[] | null }>(
    await deps.db.execute(sql`select c.procedure_code as code,
          (select jsonb_agg(distinct (o.payload->>'version')::int) from outbox o
            where o.case_id = c.id and o.kind = 'start_sla'
              and (o.payload->>'stepNo')::int = ${p.stepNo} and (o.payload->>'revision')::int = ${p.revision}) as versions
        from cases c where c.id = ${caseId}::uuid`),
  );
  const found = c ? stepOf(deps.procedures, c.code, p.stepNo) : null;
  const pcts = found ? found.step.escalation.map((r) => r.atPercent) : [];
  return (c?.versions ?? []).flatMap((version) => pcts.map((pct) => ({ version: Number(version), pct })));
}

/** The timers every open case should have: each point of its cadence not logged as fired yet. */
export async function slaTimersOfOpenCases(deps: TimerDeps): Promise<{ cases: number; timers: Array<{ c: TimedCase; pct: number; fireAt: Date }> }> {
  const open = rowsOf<{
    id: string;
    procedure_code: string;
    step_no: number;
    revision: number;
    version: number;
    step_entered_at: Date | string;
    sla_due_at: Date | string | null;
    fired: number[] | null;
  }>(
    await deps.db.execute(sql`select c.id, c.procedure_code, c.step_no, c.revision, c.version, c.step_entered_at, c.sla_due_at,
          (select jsonb_agg(distinct (ev.data->>'pct')::int) from case_events ev
            where ev.case_id = c.id and ev.action in (${sql.join(SLA_ACTIONS.map((a) => sql`${a}`), sql`, `)})
              and (ev.data->>'version')::int = c.version) as fired
        from cases c where c.status in ('active', 'returned')`),
  );
  const timers: Array<{ c: TimedCase; pct: number; fireAt: Date }> = [];
  for (const r of open) {
    const found = stepOf(deps.procedures, r.procedure_code, r.step_no);
    if (!found || found.step.sla.minutes <= 0) continue;
    const enteredAt = new Date(r.step_entered_at);
    const minutes = slaMinutesOf(deps.calendar, found.step, enteredAt, r.sla_due_at ? new Date(r.sla_due_at) : null);
    const fired = new Set((r.fired ?? []).map(Number));
    const c = { id: r.id, stepNo: r.step_no, revision: r.revision, version: r.version };
    for (const point of slaCadence(deps.calendar, enteredAt, minutes, found.step.escalation, r.sla_due_at ? new Date(r.sla_due_at) : null)) {
      if (fired.has(point.pct)) continue;
      timers.push({ c, pct: point.pct, fireAt: point.fireAt });
    }
  }
  return { cases: open.length, timers };
}

/** Hands over again the messages of firings logged since `since`, on cases still at that version, never sent. */
export async function redispatchUnsentSla(deps: SlaDeps, since: Date): Promise<number> {
  const unsent = rowsOf<{ case_id: string; data: SlaEventData }>(
    await deps.db.execute(sql`select ev.case_id, ev.data from case_events ev join cases c on c.id = ev.case_id
        where ev.action in (${sql.join(SLA_ACTIONS.map((a) => sql`${a}`), sql`, `)}) and ev.at > ${since.toISOString()}::timestamptz
          and c.status in ('active', 'returned') and c.version = (ev.data->>'version')::int
          and exists (select 1 from jsonb_array_elements_text(coalesce(ev.data->'to', '[]'::jsonb)) t(id)
                      where not exists (select 1 from reminder_log rl where rl.kind = 'sla' and rl.employee_id = t.id::uuid
                        and rl.run_key = ev.case_id::text || ':' || (ev.data->>'version') || ':' || (ev.data->>'pct')))
        order by ev.id`),
  );
  let redispatched = 0;
  const byCase = new Map<string, SlaEventData[]>();
  for (const u of unsent) byCase.set(u.case_id, [...(byCase.get(u.case_id) ?? []), u.data]);
  // Every case in one read, not one per case.
  for (const c of await findCaseRows(deps.db, [...byCase.keys()])) redispatched += await dispatchSlaEvents(deps, c, byCase.get(c.id)!);
  return redispatched;
}
