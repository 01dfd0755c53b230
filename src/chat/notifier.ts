// Carries out 'notify' outbox rows: step requests with buttons to assignees, notices to subjects; edits old requests.
import type { Telegram } from 'telegraf';

import { issueCertificate } from '../app/certificate.js';
import { resolveAssignee } from '../app/case-engine.js';
import { keberatanOriginOf } from '../app/keberatan-decision.js';
import { lastCaseEvent, loadCaseView, type CaseView } from '../app/case-view.js';
import { hasOpenMessagesBefore, recordCaseMessage } from '../app/case-messages.js';
import { chatOfActiveEmployee, employeeNames } from '../app/repositories/employees.js';
import { closeCaseMessages } from './case-messages.js';
import { standInsFor } from '../app/stand-in.js';
import type { ProcedureRegistry } from '../app/procedures.js';
import type { AppConfig } from '../config.js';
import type { Db } from '../app/database.js';
import type { Logger } from '../logger.js';
import { classifyTelegramError } from './telegram-errors.js';
import { NOTIFY_TEMPLATES } from '../domain/case.js';
import {
  commandForProcedure,
  resendCommandFor,
  notices,
  outcomeLine,
  requestKeyboard,
  requestText,
} from './texts/approvals.js';
import { keberatanTexts } from './texts/keberatan.js';
import { batchTexts } from './texts/batch.js';
import { claimReminder, previousClaimAt, releaseReminder } from '../app/reminder-log.js';
import { batchStepsWaiting, bulkPoolOf } from '../app/tasks.js';
import { BATCH_ACTIONS } from '../domain/procedure.js';

/** A bulk step's summary goes out at most once per holder in this window (BATCH_SUMMARY_WINDOW_MS overrides it). */
const DEFAULT_BATCH_WINDOW_MS = 10 * 60_000;
/** reminder_log.kind of the summaries; the run key is the window's start (ms since the epoch). */
const BATCH_SUMMARY_KIND = 'batch_summary';

/** Telegram refused for good (403: blocked, never started, deactivated): do not retry. */
export class TelegramUnreachable extends Error {}
/** Telegram asked us to wait (429): retry after `delayMs`. */
export class RetryLater extends Error {
  constructor(readonly delayMs: number) {
    super(`retry after ${delayMs} ms`);
  }
}

type ExtraReplyMessage = NonNullable<Parameters<Telegram['sendMessage']>[2]>;

/** Translates what the one classifier says into the outbox's retry semantics. */
export function outboxErrorOf(error: unknown): Error {
  const failure = classifyTelegramError(error);
  if (failure.kind === 'unreachable') return new TelegramUnreachable(failure.reason);
  if (failure.kind === 'rate_limited') return new RetryLater(failure.retryAfterMs);
  return error instanceof Error ? error : new Error(String(error));
}

export interface NotifierDeps {
  db: Db;
  telegram: Telegram;
  procedures: ProcedureRegistry;
  config: AppConfig;
  logger: Logger;
}

export interface CaseNotifier {
  /** `createdAt`: when the outbox row was written (a bulk step's summary waits for the end of its window). */
  handle(payload: Record<string, unknown>, caseId: string | null, createdAt: Date): Promise<void>;
  sendStepRequest(view: CaseView, employeeId: string): Promise<void>;
  closeOpenMessages(caseId: string, outcome: string, exceptMessage?: { chatId: number; messageId: number }): Promise<void>;
}

export function createCaseNotifier(deps: NotifierDeps): CaseNotifier {
  const tz = deps.config.deployment.instansi.timeZone;

  const chatOf = (employeeId: string) => chatOfActiveEmployee(deps.db, employeeId);

  async function send(employeeId: string, text: string, extra: ExtraReplyMessage = {}): Promise<{ chatId: number; messageId: number } | null> {
    const chatId = await chatOf(employeeId);
    if (chatId === null) {
      // Not linked yet: they will find the task in /tugas once linked; reports show it meanwhile.
      deps.logger.info({ employeeId }, 'notification skipped: recipient has not linked Telegram');
      return null;
    }
    try {
      const message = await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', ...extra });
      return { chatId, messageId: message.message_id };
    } catch (error) {
      // The outgoing path has already marked an unreachable recipient.
      throw outboxErrorOf(error);
    }
  }

  async function sendDocument(employeeId: string, pdf: Buffer, filename: string, caption: string): Promise<void> {
    const chatId = await chatOf(employeeId);
    if (chatId === null) {
      deps.logger.info({ employeeId }, 'document skipped: recipient has not linked Telegram');
      return;
    }
    try {
      await deps.telegram.sendDocument(chatId, { source: pdf, filename }, { caption, parse_mode: 'HTML' });
    } catch (error) {
      // The outgoing path has already marked an unreachable recipient.
      throw outboxErrorOf(error);
    }
  }

  async function closeOpenMessages(caseId: string, outcome: string, except?: { chatId: number; messageId: number }, decidedStepNo?: number | null): Promise<void> {
    await closeCaseMessages({ ...deps, timeZone: tz }, caseId, outcome, { now: new Date(), except, decidedStepNo });
  }

  /** Tells the stand-ins of an assignee Telegram refused that a request is waiting on them. */
  async function tellStandIns(view: CaseView, employeeId: string): Promise<void> {
    const missed = (await employeeNames(deps.db, [employeeId])).get(employeeId);
    for (const id of await standInsFor(deps.db, employeeId)) {
      await send(id, notices.requestToStandIn(view, missed ?? '-')).catch((error: unknown) => {
        if (!(error instanceof TelegramUnreachable)) throw error;
      });
    }
  }

  async function sendStepRequest(view: CaseView, employeeId: string): Promise<void> {
    let sent: { chatId: number; messageId: number } | null;
    try {
      sent = await send(employeeId, requestText(view, tz), { reply_markup: requestKeyboard(view) });
    } catch (error) {
      // Blocked or never started: the request must not wait unseen; someone who can reach them is told.
      if (error instanceof TelegramUnreachable) await tellStandIns(view, employeeId);
      throw error;
    }
    if (sent) await recordMessage(view, employeeId, sent, 'request');
  }

  /**
   * A bulk step (BATCH_ACTIONS) entered: one summary per window to each who may do it (the request's holder, and the
   * other pengelola of the perangkat daerah or BKPP admins, whom /kumpulkan serves as well) instead of a request per
   * case. Each row waits for the end of the window it was written in; the first to get there after it claims the
   * window for each of them and sends what waits then (the cases of the whole window, and any still waiting from
   * before); the others end quietly.
   */
  async function announceBatch(view: CaseView, to: string, createdAt: Date): Promise<void> {
    const windowMs = deps.config.env.BATCH_SUMMARY_WINDOW_MS ?? DEFAULT_BATCH_WINDOW_MS;
    const start = windowMs > 0 ? Math.floor(createdAt.getTime() / windowMs) * windowMs : createdAt.getTime();
    const wait = start + windowMs - Date.now();
    if (wait > 0) throw new RetryLater(wait);
    const runKey = String(start);
    const pool = await bulkPoolOf(deps.db, view.step.action === 'receive' ? 'receive' : 'collect', view.row.subjectId);
    let holderError: unknown = null;
    for (const employeeId of [to, ...pool.filter((id) => id !== to)]) {
      const holder = employeeId === to;
      const claim = { kind: BATCH_SUMMARY_KIND, runKey, employeeId };
      if (!(await claimReminder(deps.db, claim, new Date()))) continue;
      const [waiting, previous] = await Promise.all([
        batchStepsWaiting(deps.db, deps.procedures, employeeId),
        previousClaimAt(deps.db, BATCH_SUMMARY_KIND, employeeId, runKey),
      ]);
      // Nothing new since the last summary (cases of one moment split by a window's edge): it said it all already.
      if (waiting.length === 0 || (previous && waiting.every((w) => w.latestEnteredAt <= previous))) continue;
      const groups = waiting.map((w) => {
        const proc = deps.procedures.get(w.procedureCode);
        const step = proc.steps.find((x) => x.no === w.stepNo)!;
        return { procedureTitle: proc.title, stepUraian: step.uraian, action: step.action, count: w.count };
      });
      try {
        await send(employeeId, batchTexts.summary(groups, { holder }));
      } catch (error) {
        // Anything but an unreachable recipient (a 429, an outage) gives the window back, so the retried row sends
        // the summary; who already has theirs keeps their claim. The holder's stand-ins are told if the holder
        // cannot be reached, as with a request; another of the office unreachable is simply not told.
        if (!(error instanceof TelegramUnreachable)) {
          await releaseReminder(deps.db, claim);
          throw error;
        }
        if (holder) {
          await tellStandIns(view, to);
          holderError = error;
        }
      }
    }
    if (holderError) throw holderError;
  }

  async function handle(payload: Record<string, unknown>, caseId: string | null, createdAt: Date): Promise<void> {
    if (!caseId) return;
    const to = typeof payload.to === 'string' ? payload.to : null;
    const template = String(payload.template ?? '');
    const data = (payload.data ?? {}) as Record<string, unknown>;
    if (!to) return;
    const [view, last] = await Promise.all([loadCaseView(deps.db, deps.procedures, caseId), lastCaseEvent(deps.db, caseId)]);
    if (!view) return;
    const version = Number(payload.version);
    const current = view.row.version === version;
    const lastBy = last?.nama ?? 'sistem';

    switch (template) {
      case NOTIFY_TEMPLATES.stepAssigned:
      case NOTIFY_TEMPLATES.caseResubmitted:
      case 'step_assigned': {
        // A request for a step the case has already left would only confuse: a newer row covers the present.
        if (!current || (view.row.status !== 'active' && view.row.status !== 'returned')) return;
        // Earlier requests of this case lose their buttons and say who acted.
        if (last?.actorId) {
          await closeOpenMessagesBefore(caseId, version, outcomeLine('processed', lastBy, last.at, tz), last.fromStepNo);
        }
        if (view.step.actor === 'subject') {
          if (to !== view.row.subjectId) return;
          if (view.step.action === 'submit') {
            // The subject started or resubmitted this themselves: they are already in the conversation.
            if (last?.actorId === view.row.subjectId && !data.reassigned) return;
            await send(to, `${notices.progressed(view, view.subject.nama)}\nSilakan lanjutkan lewat ${commandForProcedure(view.procedure)}.`);
            return;
          }
          if (view.step.action === 'acknowledge') {
            const catatan = (view.row.data as { rating?: { catatan?: string } }).rating?.catatan ?? null;
            const sent = await send(to, notices.resultForSubject(view, catatan), { reply_markup: requestKeyboard(view) });
            if (sent) await recordMessage(view, to, sent, 'acknowledge');
            return;
          }
          await sendStepRequest(view, to);
          return;
        }
        // Someone who opened a case at their own input step (a pengelola proposing a nominee) is already in the
        // conversation that fills it in.
        if (view.step.action === 'submit' && last?.actorId === to && !data.reassigned) return;
        if (BATCH_ACTIONS.includes(view.step.action)) await announceBatch(view, to, createdAt);
        else {
          if (data.reassigned) await send(to, notices.reassigned(view));
          await sendStepRequest(view, to);
        }
        // The subject hears where the submission went (unless they are the one holding it). Not when they have just
        // sent it themselves: the chat's (or the Mini App's) confirmation already named where it went. A nominee for
        // an award is not told of a nomination still under way: only of its outcome.
        const fromStep = view.procedure.steps.find((x) => x.no === last?.fromStepNo);
        const ownSubmission = last?.actorId === view.row.subjectId && fromStep?.action === 'submit' && !data.reassigned;
        if (view.row.subjectId !== to && view.procedure.purpose !== 'award' && !ownSubmission) {
          await send(view.row.subjectId, notices.progressed(view, view.assigneeName)).catch((error) => {
            if (!(error instanceof TelegramUnreachable)) throw error;
          });
        }
        return;
      }
      case NOTIFY_TEMPLATES.caseReturned: {
        await closeOpenMessages(caseId, outcomeLine('returned', lastBy, last?.at ?? new Date(), tz), undefined, last?.fromStepNo);
        const reason = typeof data.reason === 'string' ? data.reason : (view.lastReturnReason ?? '-');
        if (to === view.row.subjectId) {
          await send(to, notices.returned(view, lastBy, reason, resendCommandFor(view.procedure, view.row.period, last?.at ?? new Date(), tz)));
        } else {
          await sendStepRequest(view, to);
        }
        return;
      }
      case NOTIFY_TEMPLATES.caseCompleted: {
        await closeOpenMessages(caseId, outcomeLine('done', lastBy, last?.at ?? new Date(), tz), undefined, last?.fromStepNo);
        if (view.procedure.purpose === 'keberatan' && to === view.row.subjectId) {
          // Final, and said so to both sides: the ASN and the pejabat penilai.
          const origin = keberatanOriginOf(view.row.data);
          const before = origin?.asal.predikat ?? null;
          const after = view.row.predikat;
          await send(to, keberatanTexts.decided(view.subject.nama, view.row.period, before, after, true));
          const pejabatPenilai = await resolveAssignee(deps.db, 'atasan', view.row.subjectId);
          if (pejabatPenilai) {
            await send(pejabatPenilai, keberatanTexts.decided(view.subject.nama, view.row.period, before, after, false)).catch((error) => {
              if (!(error instanceof TelegramUnreachable)) throw error;
            });
          }
          return;
        }
        if (view.procedure.purpose === 'award' && to === view.row.subjectId) {
          // The nominee receives the certificate with the congratulation (issued once; a retry resends the same).
          const certificate = await issueCertificate(deps, { caseId, now: last?.at ?? new Date() });
          if (certificate) {
            await sendDocument(to, certificate.pdf, certificate.fileName, notices.completedWithCertificate(view, certificate.verificationCode));
            return;
          }
        }
        await send(to, notices.completed(view));
        return;
      }
      case NOTIFY_TEMPLATES.caseCancelled:
        await closeOpenMessages(caseId, outcomeLine('processed', lastBy, last?.at ?? new Date(), tz));
        if (to === view.row.subjectId && view.procedure.purpose === 'award') return;
        await send(to, notices.cancelled(view));
        return;
      case NOTIFY_TEMPLATES.actedOnBehalf:
        await send(to, notices.actedOnBehalf(view, typeof data.reason === 'string' ? data.reason : undefined));
        return;
      default:
        deps.logger.warn({ template, caseId }, 'unknown notification template');
    }
  }

  async function closeOpenMessagesBefore(caseId: string, version: number, outcome: string, decidedStepNo?: number | null): Promise<void> {
    if (await hasOpenMessagesBefore(deps.db, caseId, version)) await closeOpenMessages(caseId, outcome, undefined, decidedStepNo);
  }

  async function recordMessage(view: CaseView, employeeId: string, sent: { chatId: number; messageId: number }, kind: string) {
    await recordCaseMessage(deps.db, { caseId: view.row.id, version: view.row.version, employeeId, chatId: sent.chatId, messageId: sent.messageId, kind });
  }

  return { handle, sendStepRequest, closeOpenMessages };
}
