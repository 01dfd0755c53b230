// The manual reminder ("Ingatkan"): who may remind whom, how often, and the reminder it records.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/client.js';
import type { EmployeeProfile } from '../repositories/employees.js';
import { caseEvents, reminderLog } from '../../db/schema/index.js';
import { scopeCondition } from './scope.js';
import type { ReportDeps, ReportScope } from './scope.js';
import { stepLabel } from './vocabulary.js';
import { epochMs, dateOfMs } from './case-queries.js';

export interface ReminderInfo {
  caseId: string;
  procedureTitle: string;
  period: string;
  stepLabel: string;
  uraian: string;
  subjectNama: string;
  holderId: string;
  holderNama: string;
  holderChatId: number;
  /** The step is the subject's own (a draft or a correction), not someone else's decision. */
  holderIsSubject: boolean;
  enteredAt: Date;
  slaDueAt: Date | null;
  waitingMinutes: number;
  actorNama: string;
}

export type ReminderResult =
  | { ok: true; holderNama: string }
  | { ok: false; reason: 'not_found' | 'not_in_scope' | 'stale' | 'closed' | 'no_holder' | 'own_step' | 'not_linked' | 'already_today' | 'unreachable'; holderNama?: string };

export interface ReminderInput {
  caseId: string;
  /** The version the button was made for: a step that moved on needs no reminder. */
  version: number;
  actor: EmployeeProfile;
  scope: ReportScope;
  now: Date;
  /** Sends the text to the holder: 'unreachable' when Telegram says they cannot be reached (blocked, never started). */
  send: (info: ReminderInfo) => Promise<'sent' | 'unreachable'>;
}

class ReminderRollback extends Error {
  constructor(readonly result: ReminderResult) {
    super(result.ok ? 'ok' : result.reason);
  }
}

/**
 * Sends a reminder to whoever holds an overdue step, right now, and logs it as a case event by the actor.
 * One reminder per step version and holder a day (a double tap sends once). The claim, the send and the event
 * commit together: a failed send leaves no trace but the error.
 */
export async function sendManualReminder(deps: ReportDeps, input: ReminderInput): Promise<ReminderResult> {
  const { now } = input;
  let unreachableId: string | null = null;
  try {
    return await deps.db.transaction(async (tx) => {
      const [row] = rowsOf<{
        id: string;
        version: number;
        status: string;
        procedure_code: string;
        period: string;
        step_no: number;
        revision: number;
        entered_ms: number;
        due_ms: number | null;
        subject_id: string;
        subject_nama: string;
        in_scope: boolean;
        holder_id: string | null;
        holder_nama: string | null;
        holder_chat: string | number | null;
        holder_active: boolean | null;
      }>(
        await tx.execute(sql`
          select c.id, c.version, c.status, c.procedure_code, c.period, c.step_no, c.revision,
            ${epochMs('c.step_entered_at')} as entered_ms, ${epochMs('c.sla_due_at')} as due_ms,
            e.id as subject_id, e.nama as subject_nama, ${scopeCondition(input.scope)} as in_scope,
            h.id as holder_id, h.nama as holder_nama, h.telegram_chat_id as holder_chat, h.active as holder_active
          from cases c join employees e on e.id = c.subject_id join units u on u.id = e.unit_id
          left join employees h on h.id = c.assignee_id
          where c.id = ${input.caseId}::uuid
          for update of c`),
      );
      if (!row) return { ok: false, reason: 'not_found' } as const;
      if (!row.in_scope) return { ok: false, reason: 'not_in_scope' } as const;
      if (row.status !== 'active' && row.status !== 'returned') return { ok: false, reason: 'closed' } as const;
      if (row.version !== input.version) return { ok: false, reason: 'stale' } as const;
      if (!row.holder_id || !row.holder_nama || row.holder_active === false) return { ok: false, reason: 'no_holder' } as const;
      if (row.holder_id === input.actor.id) return { ok: false, reason: 'own_step' } as const;
      if (row.holder_chat === null) return { ok: false, reason: 'not_linked', holderNama: row.holder_nama } as const;

      const runKey = `${row.id}:v${row.version}:${deps.calendar.localDate(now)}`;
      const claimed = await tx
        .insert(reminderLog)
        .values({ kind: 'manual_reminder', runKey, employeeId: row.holder_id, caseId: row.id, sentAt: now })
        .onConflictDoNothing()
        .returning({ runKey: reminderLog.runKey });
      if (claimed.length === 0) return { ok: false, reason: 'already_today', holderNama: row.holder_nama } as const;

      const proc = (() => {
        try {
          return deps.procedures.get(row.procedure_code);
        } catch {
          return null;
        }
      })();
      const step = proc?.steps.find((s) => s.no === row.step_no);
      const enteredAt = dateOfMs(row.entered_ms);
      const info: ReminderInfo = {
        caseId: row.id,
        procedureTitle: proc?.title ?? row.procedure_code,
        period: row.period,
        stepLabel: step ? stepLabel(step) : `Langkah ${row.step_no}`,
        uraian: step?.uraian ?? '',
        subjectNama: row.subject_nama,
        holderId: row.holder_id,
        holderNama: row.holder_nama,
        holderChatId: Number(row.holder_chat),
        holderIsSubject: row.holder_id === row.subject_id,
        enteredAt,
        slaDueAt: row.due_ms === null ? null : dateOfMs(row.due_ms),
        waitingMinutes: deps.calendar.workingMinutesBetween(enteredAt, now),
        actorNama: input.actor.nama,
      };
      if ((await input.send(info)) === 'unreachable') {
        unreachableId = row.holder_id;
        throw new ReminderRollback({ ok: false, reason: 'unreachable', holderNama: row.holder_nama });
      }
      await tx.insert(caseEvents).values({
        caseId: row.id,
        at: now,
        actorId: input.actor.id,
        action: 'manual_reminder',
        fromStepNo: row.step_no,
        toStepNo: row.step_no,
        revision: row.revision,
        comment: null,
        data: { to: row.holder_id, version: row.version },
      });
      return { ok: true, holderNama: row.holder_nama } as const;
    });
  } catch (error) {
    if (!(error instanceof ReminderRollback)) throw error;
    if (unreachableId) {
      await deps.db.execute(
        sql`update employees set unreachable_at = ${now.toISOString()}::timestamptz where id = ${unreachableId}::uuid`,
      );
    }
    return error.result;
  }
}
