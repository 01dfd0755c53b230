// Sends one announcement to one recipient (a BullMQ job), records the outcome, and keeps the sender's report live.
import type { Redis } from 'ioredis';
import { TelegramError, type Telegram } from 'telegraf';
import {
  broadcastReport,
  finishBroadcastIfComplete,
  getBroadcast,
  loadDelivery,
  markDeliveryBlocked,
  markDeliverySent,
  recordDeliveryError,
} from '../../src/app/broadcast.js';
import type { Db } from '../../src/db/client.js';
import type { AgencyTimeZone } from '../../src/domain/calendar.js';
import type { Logger } from '../../src/logger.js';
import { ackKeyboard, reportKeyboard, reportText } from '../../src/bot/views/broadcast.js';

export interface BroadcastSendData {
  broadcastId: string;
  employeeId: string;
}

export interface BroadcastSendDeps {
  db: Db;
  telegram: Telegram;
  logger: Logger;
  /** For the progress throttle (a key that expires: losing it costs one extra edit). */
  redis: Redis;
  keyPrefix: string;
  timeZone: AgencyTimeZone;
  now: () => Date;
}

/** Where the job stands in its retries (BullMQ's attemptsMade counts failed attempts before this one). */
export interface AttemptInfo {
  attemptsMade: number;
  attempts: number;
}

export type SendOutcome = 'sent' | 'blocked' | 'failed' | 'skipped';

/** Telegram said 429: the worker pauses the whole queue for `retryAfterMs` and retries this job, losing nothing. */
export class TelegramRateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`telegram rate limit, retry after ${retryAfterMs} ms`);
    this.name = 'TelegramRateLimited';
  }
}

export interface AnnouncementContent {
  broadcastId: string;
  textHtml: string;
  mediaKind: 'document' | 'photo' | null;
  mediaFileId: string | null;
}

/** The announcement exactly as recipients get it; the sender's previews use the same call. */
export async function sendAnnouncement(telegram: Telegram, chatId: number, content: AnnouncementContent): Promise<{ message_id: number }> {
  const extra = { parse_mode: 'HTML' as const, reply_markup: ackKeyboard(content.broadcastId) };
  const caption = content.textHtml ? { caption: content.textHtml } : {};
  if (content.mediaKind === 'document' && content.mediaFileId) {
    return telegram.sendDocument(chatId, content.mediaFileId, { ...extra, ...caption });
  }
  if (content.mediaKind === 'photo' && content.mediaFileId) {
    return telegram.sendPhoto(chatId, content.mediaFileId, { ...extra, ...caption });
  }
  return telegram.sendMessage(chatId, content.textHtml, extra);
}

/** Progress edits are throttled per broadcast to one every few seconds, whatever the number of workers. */
export const PROGRESS_INTERVAL_MS = 3000;

function describe(error: unknown): string {
  if (error instanceof TelegramError) return `${error.code}: ${error.description}`;
  return error instanceof Error ? error.message : String(error);
}

export async function processBroadcastSend(
  data: BroadcastSendData,
  deps: BroadcastSendDeps,
  attempt: AttemptInfo = { attemptsMade: 0, attempts: 1 },
): Promise<SendOutcome> {
  const { broadcastId, employeeId } = data;
  // Re-read the row: a job that runs twice, or after Batal, finds it no longer queued and does nothing.
  const delivery = await loadDelivery(deps.db, broadcastId, employeeId);
  if (!delivery || delivery.status !== 'queued' || delivery.broadcastStatus !== 'sending') return 'skipped';

  let outcome: SendOutcome;
  try {
    const message = await sendAnnouncement(deps.telegram, delivery.chatId, { broadcastId, ...delivery });
    await markDeliverySent(deps.db, { broadcastId, employeeId, messageId: message.message_id, now: deps.now() });
    outcome = 'sent';
  } catch (error) {
    if (error instanceof TelegramError && error.code === 429) {
      const retryAfter = Number(error.parameters?.retry_after ?? 1);
      throw new TelegramRateLimited(Math.max(1, retryAfter) * 1000);
    }
    if (error instanceof TelegramError && error.code === 403) {
      await markDeliveryBlocked(deps.db, { broadcastId, employeeId, error: describe(error), now: deps.now() });
      outcome = 'blocked';
    } else {
      // A 400 (chat not found, bad markup) will not get better by retrying; anything else may (5xx, network).
      const permanent = error instanceof TelegramError && error.code === 400;
      const final = permanent || attempt.attemptsMade + 1 >= attempt.attempts;
      await recordDeliveryError(deps.db, { broadcastId, employeeId, error: describe(error), final });
      if (!final) throw error;
      deps.logger.warn({ broadcastId, employeeId, err: error }, 'broadcast delivery failed');
      outcome = 'failed';
    }
  }

  if (await finishBroadcastIfComplete(deps.db, broadcastId, deps.now())) {
    await publishReport(deps, broadcastId);
  } else {
    await maybePublishProgress(deps, broadcastId);
  }
  return outcome;
}

/** Edits the progress message if no other job did in the last few seconds (a Redis key with a TTL). */
export async function maybePublishProgress(deps: BroadcastSendDeps, broadcastId: string): Promise<void> {
  const key = `${deps.keyPrefix}:broadcast-progress:${broadcastId}`;
  const acquired = await deps.redis.set(key, '1', 'PX', PROGRESS_INTERVAL_MS, 'NX').catch(() => null);
  if (acquired !== 'OK') return;
  await publishReport(deps, broadcastId);
}

/**
 * Renders the broadcast's report into its progress message: live counts while sending, the final report after.
 * A progress edit that lands after the final one would show stale "sending" text, so after editing it re-reads
 * the status and writes the final report again if the broadcast finished meanwhile.
 */
export async function publishReport(
  deps: Pick<BroadcastSendDeps, 'db' | 'telegram' | 'logger' | 'timeZone' | 'now'>,
  broadcastId: string,
): Promise<void> {
  for (let pass = 0; pass < 2; pass++) {
    const report = await broadcastReport(deps.db, broadcastId);
    if (!report || report.progressChatId === null || report.progressMessageId === null) return;
    try {
      await deps.telegram.editMessageText(report.progressChatId, report.progressMessageId, undefined, reportText(report, deps.timeZone, deps.now()), {
        parse_mode: 'HTML',
        reply_markup: reportKeyboard(report),
      });
    } catch (error) {
      if (!(error instanceof TelegramError && /message is not modified/.test(error.description))) {
        deps.logger.warn({ broadcastId, err: error }, 'editing the broadcast report failed');
      }
    }
    if (report.status !== 'sending') return;
    const after = await getBroadcast(deps.db, broadcastId);
    if (!after || after.status === 'sending') return;
  }
}
