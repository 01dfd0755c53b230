// Sends one reminder (monthly, annual, digest or SLA) to one employee, at most once per (kind, run key, employee).
// The reminder_log row is the claim: it is written just before sending and removed again when a retryable failure
// means nothing was sent, so a job that runs twice sends once and a lost job can be re-queued from Postgres.
import type { Queue } from 'bullmq';
import type { Telegram } from 'telegraf';
import type { Db } from '../../src/app/database.js';
import { claimReminder, markReminderRecipientUnreachable, reminderRecipient, releaseReminder } from '../../src/app/reminder-log.js';
import type { WorkingCalendar } from '../../src/domain/calendar.js';
import type { Logger } from '../../src/logger.js';
import { classifyTelegramError } from '../../src/chat/telegram-errors.js';

export const NOTIFY_QUEUE = 'reminder-notify';

/** Default of JOB_RETENTION_HOURS: a week of history on the operations page. */
export const DEFAULT_JOB_RETENTION_HOURS = 168;

/** How long Bull Board keeps what happened (completed and failed jobs), bounded in count so memory stays small. */
export function jobRetention(hours: number = DEFAULT_JOB_RETENTION_HOURS): { removeOnComplete: { age: number; count: number }; removeOnFail: { age: number; count: number } } {
  const age = Math.round(hours * 3600);
  return { removeOnComplete: { age, count: 10_000 }, removeOnFail: { age, count: 10_000 } };
}

/** Retention of every job of these modules with the default period. */
export const JOB_RETENTION = Object.freeze(jobRetention());

export interface NotifyJobData {
  /** reminder_log.kind: 'monthly-open', 'monthly-digest-pengelola', 'sla', ... */
  kind: string;
  runKey: string;
  employeeId: string;
  caseId?: string | null;
  text: string;
  /** Buttons under the text (an escalation's 🔔 Ingatkan and 📄 Rincian). */
  replyMarkup?: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
}

export type SendOutcome =
  | { status: 'sent' | 'duplicate' | 'not_linked' | 'unreachable' | 'rejected' }
  | { status: 'rate_limited'; retryAfterMs: number }
  | { status: 'outside_hours'; sendAt: Date };

export interface SendDeps {
  db: Db;
  telegram: Telegram;
  calendar: WorkingCalendar;
  now: () => Date;
  logger: Logger;
}

/** Job ids must not contain ':' (BullMQ) and must be stable, so re-queuing the same reminder is a no-op. */
export function notifyJobId(data: Pick<NotifyJobData, 'kind' | 'runKey' | 'employeeId'>): string {
  return `rn-${data.kind}-${data.runKey}-${data.employeeId}`.replace(/:/g, '_');
}

/** Queues reminders in bulk (chunks keep each Redis round trip small); returns how many were handed over. */
export async function enqueueNotifications(queue: Queue, items: NotifyJobData[], retention: ReturnType<typeof jobRetention> = JOB_RETENTION): Promise<number> {
  const CHUNK = 500;
  for (let i = 0; i < items.length; i += CHUNK) {
    await queue.addBulk(
      items.slice(i, i + CHUNK).map((data) => ({
        name: 'notify',
        data,
        opts: { jobId: notifyJobId(data), attempts: NOTIFY_ATTEMPTS, backoff: { type: 'capped' }, ...retention },
      })),
    );
  }
  return items.length;
}

/**
 * A reminder survives a Telegram outage of many hours: attempts back off from 5 s, doubling, capped at 10 minutes
 * (OUTGOING_RETRY_MAX_MS lowers the cap), and enough of them to keep trying for more than a day.
 */
export const NOTIFY_ATTEMPTS = 160;
export function cappedBackoff(attemptsMade: number, baseMs = 5_000, capMs = 600_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), capMs);
}

export async function sendReminder(data: NotifyJobData, deps: SendDeps): Promise<SendOutcome> {
  const now = deps.now();
  // Reminders are sent only within working hours; a backlog that spills past closing waits for the next opening.
  if (!deps.calendar.isWithinWorkingHours(now)) return { status: 'outside_hours', sendAt: deps.calendar.nextWorkingInstant(now) };

  const employee = await reminderRecipient(deps.db, data.employeeId);
  if (!employee || !employee.active || employee.chatId === null) return { status: 'not_linked' };
  if (employee.unreachableAt !== null) return { status: 'unreachable' };

  if (!(await claimReminder(deps.db, data, now))) return { status: 'duplicate' };

  const release = () => releaseReminder(deps.db, data);
  try {
    await deps.telegram.sendMessage(employee.chatId, data.text, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...(data.replyMarkup ? { reply_markup: data.replyMarkup } : {}),
    });
    return { status: 'sent' };
  } catch (error) {
    const failure = classifyTelegramError(error);
    if (failure.kind === 'rate_limited') {
      await release();
      return { status: 'rate_limited', retryAfterMs: failure.retryAfterMs };
    }
    if (failure.kind === 'unreachable') {
      // Blocked or never started (the outgoing path marked them): keep the claim, never retry.
      await markReminderRecipientUnreachable(deps.db, data.employeeId, now);
      return { status: 'unreachable' };
    }
    if (failure.kind !== 'transient' && failure.kind !== 'other') {
      // The request itself is wrong; repeating it cannot help.
      deps.logger.error({ err: error, kind: data.kind, employeeId: data.employeeId }, 'reminder rejected by Telegram');
      return { status: 'rejected' };
    }
    // An outage (or a bug of ours): nothing was sent; the queue tries again later.
    await release();
    throw error;
  }
}
