// An announcement as its recipients get it, and its sender's live report: rendered here, sent by the broadcast
// queue's worker (jobs/) and by the /umumkan preview and controls (bot/) alike.
import type { Telegram } from 'telegraf';
import { broadcastReport, getBroadcast } from '../app/broadcast.js';
import type { Db } from '../app/database.js';
import type { AgencyTimeZone } from '../domain/calendar.js';
import type { Logger } from '../logger.js';
import { classifyTelegramError } from './telegram-errors.js';
import { ackKeyboard, reportKeyboard, reportText } from './texts/broadcast.js';

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

export interface ReportDeps {
  db: Db;
  telegram: Telegram;
  logger: Logger;
  timeZone: AgencyTimeZone;
  now: () => Date;
}

/**
 * Renders the broadcast's report into its progress message: live counts while sending, the final report after.
 * A progress edit that lands after the final one would show stale "sending" text, so after editing it re-reads
 * the status and writes the final report again if the broadcast finished meanwhile.
 */
export async function publishReport(
  deps: ReportDeps,
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
      if (classifyTelegramError(error).kind !== 'not_modified') {
        deps.logger.warn({ broadcastId, err: error }, 'editing the broadcast report failed');
      }
    }
    if (report.status !== 'sending') return;
    const after = await getBroadcast(deps.db, broadcastId);
    if (!after || after.status === 'sending') return;
  }
}
