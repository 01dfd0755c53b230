// Case logs: an employee's cases with their events, as the recap's drill-down shows them.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import { type SkpState } from '../../domain/vocabulary.js';
import { type Predikat } from '../../domain/predikat.js';
import { periodKey } from './scope.js';
import type { ReportDeps, ReportPeriod } from './scope.js';
import {
  skpStateOfStep, skpStateWhenCompleted, annualProcedures, stepLabelOf, procedureTitleOf
} from './vocabulary.js';
import { epochMs, dateOfMs } from './case-queries.js';

export interface CaseLogEvent {
  id: number;
  at: Date;
  action: string;
  fromStepNo: number | null;
  toStepNo: number | null;
  revision: number;
  actorNama: string | null;
  onBehalf: boolean;
  comment: string | null;
}

export interface CaseLog {
  caseId: string;
  procedureCode: string;
  procedureTitle: string;
  period: string;
  status: string;
  stepNo: number;
  stepLabel: string;
  subjectId: string;
  subjectNama: string;
  holderNama: string | null;
  skpState: SkpState | null;
  predikat: Predikat | null;
  late: boolean;
  events: CaseLogEvent[];
  /** Events left out because of `maxEvents` (the oldest are dropped). */
  omitted: number;
}

/**
 * The cases of one employee for a period (the year's SKP, plus the month's case for a month) with their
 * event logs; two statements whatever the number of cases.
 */
export async function employeeCaseLogs(
  deps: ReportDeps,
  input: { employeeId: string; period: ReportPeriod; maxEvents?: number },
): Promise<CaseLog[]> {
  const keys = input.period.kind === 'year' ? [String(input.period.year)] : [String(input.period.year), periodKey(input.period)];
  const caseRows = rowsOf<{
    id: string;
    procedure_code: string;
    period: string;
    status: string;
    step_no: number;
    subject_id: string;
    subject_nama: string;
    holder_nama: string | null;
    predikat: string | null;
    late: boolean;
  }>(
    await deps.db.execute(sql`
      select c.id, c.procedure_code, c.period, c.status, c.step_no, c.subject_id, s.nama as subject_nama,
        h.nama as holder_nama, c.predikat, c.late
      from cases c join employees s on s.id = c.subject_id left join employees h on h.id = c.assignee_id
      where c.subject_id = ${input.employeeId}::uuid and c.period in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)})
      order by c.period, c.created_at`),
  );
  if (caseRows.length === 0) return [];
  const max = input.maxEvents ?? 1000;
  const eventRows = rowsOf<{
    id: number;
    case_id: string;
    at_ms: number;
    action: string;
    from_step_no: number | null;
    to_step_no: number | null;
    revision: number;
    actor_nama: string | null;
    on_behalf: boolean;
    comment: string | null;
    newer: number;
    total: number;
  }>(
    await deps.db.execute(sql`
      select * from (
        select ev.id, ev.case_id, ${epochMs('ev.at')} as at_ms, ev.action, ev.from_step_no, ev.to_step_no, ev.revision,
          a.nama as actor_nama, ev.on_behalf, ev.comment,
          row_number() over (partition by ev.case_id order by ev.id desc)::int as newer,
          count(*) over (partition by ev.case_id)::int as total
        from case_events ev left join employees a on a.id = ev.actor_id
        where ev.case_id in (${sql.join(caseRows.map((c) => sql`${c.id}::uuid`), sql`, `)})
      ) x where newer <= ${max}
      order by case_id, id`),
  );
  const annualCodes = new Set(annualProcedures(deps.procedures).map((p) => p.code));
  return caseRows.map((c) => {
    const events = eventRows.filter((e) => e.case_id === c.id);
    let skpState: SkpState | null = null;
    if (annualCodes.has(c.procedure_code)) {
      const proc = deps.procedures.get(c.procedure_code);
      const step = proc.steps.find((s) => s.no === c.step_no);
      skpState =
        c.status === 'completed'
          ? skpStateWhenCompleted(proc)
          : c.status === 'returned' || c.status === 'cancelled'
            ? c.status
            : step
              ? skpStateOfStep(proc, step)
              : null;
    }
    return {
      caseId: c.id,
      procedureCode: c.procedure_code,
      procedureTitle: procedureTitleOf(deps.procedures, c.procedure_code),
      period: c.period,
      status: c.status,
      stepNo: c.step_no,
      stepLabel: stepLabelOf(deps.procedures, c.procedure_code, c.step_no),
      subjectId: c.subject_id,
      subjectNama: c.subject_nama,
      holderNama: c.holder_nama,
      skpState,
      predikat: (c.predikat as Predikat | null) ?? null,
      late: c.late,
      events: events.map((e) => ({
        id: Number(e.id),
        at: dateOfMs(e.at_ms),
        action: e.action,
        fromStepNo: e.from_step_no,
        toStepNo: e.to_step_no,
        revision: e.revision,
        actorNama: e.actor_nama,
        onBehalf: e.on_behalf,
        comment: e.comment,
      })),
      omitted: Math.max(0, (events[0]?.total ?? 0) - events.length),
    };
  });
}
