// Overdue steps: who holds which case past its SLA, at once or in batches.
import { sql, type SQL } from 'drizzle-orm';
import { rowBatches, rowsOf } from '../../db/client.js';
import { casePeriodFilter, scopeCondition } from './scope.js';
import type { ReportDeps, ReportPeriod, ReportScope } from './scope.js';
import { stepLabelOf } from './vocabulary.js';
import { epochMs, dateOfMs, overdueCondition } from './case-queries.js';

export interface OverdueStep {
  caseId: string;
  version: number;
  procedureCode: string;
  period: string;
  stepNo: number;
  status: 'active' | 'returned';
  stepLabel: string;
  subjectId: string;
  subjectNama: string;
  subjectNip: string;
  pdName: string;
  holderId: string | null;
  holderNama: string | null;
  holderLinked: boolean;
  /** The holder blocked the bot or never started it (Telegram refused the last message). */
  holderUnreachable: boolean;
  /** Those the step's SLA messages could not reach, by name, and whether a stand-in was told instead. */
  notReached: Array<{ nama: string; standIn: boolean }>;
  enteredAt: Date;
  slaDueAt: Date | null;
  overdueAt: Date | null;
  /** Working minutes since the step was entered. */
  ageMinutes: number;
  /** Working minutes past the SLA due time (0 when only marked overdue). */
  overMinutes: number;
}

export interface OverdueInput {
  scope: ReportScope;
  now: Date;
  /** Limit to the cases of a period; all open cases when absent. */
  period?: ReportPeriod;
  limit?: number;
  offset?: number;
}

/** Every open step past its SLA (or marked overdue), oldest first. */
export async function overdueSteps(deps: ReportDeps, input: OverdueInput): Promise<{ total: number; rows: OverdueStep[] }> {
  const rows = rowsOf<OverdueRow>(await deps.db.execute(overdueQuery(input)));
  return { total: rows[0]?.total ?? 0, rows: rows.map((r) => overdueStepOf(deps, input.now, r)) };
}

/** The same steps in batches of about `batchSize` (a cursor), for an export of 10^5 employees' year. */
export async function* overdueStepBatches(deps: ReportDeps, input: OverdueInput, batchSize: number): AsyncGenerator<OverdueStep[]> {
  for await (const rows of rowBatches<OverdueRow>(deps.db, overdueQuery(input), batchSize)) yield rows.map((r) => overdueStepOf(deps, input.now, r));
}

interface OverdueRow {
  id: string;
  version: number;
  procedure_code: string;
  period: string;
  step_no: number;
  status: 'active' | 'returned';
  entered_ms: number;
  due_ms: number | null;
  overdue_ms: number | null;
  subject_id: string;
  subject_nama: string;
  subject_nip: string;
  pd_name: string;
  holder_id: string | null;
  holder_nama: string | null;
  holder_linked: boolean | null;
  holder_unreachable: boolean | null;
  not_reached: Array<{ nama: string; standIn: boolean }> | null;
  total: number;
}

function overdueQuery(input: OverdueInput): SQL {
  const { scope, now } = input;
  const periodCondition = input.period ? casePeriodFilter(input.period) : sql`true`;
  const page = input.limit !== undefined ? sql`limit ${input.limit} offset ${input.offset ?? 0}` : sql``;
  return sql`
      select c.id, c.version, c.procedure_code, c.period, c.step_no, c.status,
        ${epochMs('c.step_entered_at')} as entered_ms, ${epochMs('c.sla_due_at')} as due_ms, ${epochMs('c.overdue_at')} as overdue_ms,
        e.id as subject_id, e.nama as subject_nama, e.nip as subject_nip, pd.name as pd_name,
        h.id as holder_id, h.nama as holder_nama, h.telegram_chat_id is not null as holder_linked,
        h.unreachable_at is not null as holder_unreachable, nr.names as not_reached,
        count(*) over ()::int as total
      from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
      join units pd on pd.id = u.perangkat_daerah_id
      left join employees h on h.id = c.assignee_id
      left join lateral (
        select json_agg(json_build_object('nama', x.nama, 'standIn', exists (
                 select 1 from case_events ev, jsonb_array_elements(ev.data->'recipients') r
                 where ev.case_id = c.id and ev.action in ('sla_reminder', 'sla_overdue', 'sla_escalation')
                   and (ev.data->>'version')::int = c.version and r->>'standInFor' = x.id::text)) order by x.nama) as names
        from employees x
        where x.id::text in (
          select jsonb_array_elements_text(ev.data->'notReached') from case_events ev
          where ev.case_id = c.id and ev.action in ('sla_reminder', 'sla_overdue', 'sla_escalation')
            and (ev.data->>'version')::int = c.version)
      ) nr on true
      where ${overdueCondition(now)} and ${periodCondition} and e.active and ${scopeCondition(scope)}
      order by c.step_entered_at, c.id
      ${page}`;
}

function overdueStepOf(deps: ReportDeps, now: Date, r: OverdueRow): OverdueStep {
  const enteredAt = dateOfMs(r.entered_ms);
  const slaDueAt = r.due_ms === null ? null : dateOfMs(r.due_ms);
  const overdueAt = r.overdue_ms === null ? null : dateOfMs(r.overdue_ms);
  const overSince = slaDueAt ?? overdueAt;
  return {
    caseId: r.id,
    version: r.version,
    procedureCode: r.procedure_code,
    period: r.period,
    stepNo: r.step_no,
    status: r.status,
    stepLabel: stepLabelOf(deps.procedures, r.procedure_code, r.step_no),
    subjectId: r.subject_id,
    subjectNama: r.subject_nama,
    subjectNip: r.subject_nip,
    pdName: r.pd_name,
    holderId: r.holder_id,
    holderNama: r.holder_nama,
    holderLinked: r.holder_linked === true,
    holderUnreachable: r.holder_unreachable === true,
    notReached: r.not_reached ?? [],
    enteredAt,
    slaDueAt,
    overdueAt,
    ageMinutes: deps.calendar.workingMinutesBetween(enteredAt, now),
    overMinutes: overSince ? deps.calendar.workingMinutesBetween(overSince, now) : 0,
  };
}
