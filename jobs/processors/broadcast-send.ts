// Sends an announcement to one batch of recipients (a BullMQ job), records the outcomes, keeps the sender's report live.
import type { Redis } from 'ioredis';
import { TelegramError, type Telegram } from 'telegraf';
import {
  broadcastStatusOf,
  finishBroadcastIfComplete,
  loadBatch,
  markDeliveryBlocked,
  recordDeliveryError,
  recordSent,
  type SentDelivery,
} from '../../src/app/broadcast.js';
import type { Db } from '../../src/app/database.js';
import { groupCommit, type GroupCommit } from '../../src/app/group-commit.js';
import type { AgencyTimeZone } from '../../src/domain/calendar.js';
import type { Logger } from '../../src/logger.js';
import { publishReport, sendAnnouncement, type AnnouncementContent } from '../../src/chat/announcement.js';
import type { SendPacer } from '../../src/chat/outgoing/global-schedule.js';
import { classifyTelegramError } from '../../src/chat/telegram-errors.js';

/** One job: a batch of a broadcast's recipients (numbered when the broadcast started). */
export interface BroadcastBatchData {
  broadcastId: string;
  batch: number;
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

/** Progress edits are throttled per broadcast to one every few seconds, whatever the number of workers. */
export const PROGRESS_INTERVAL_MS = 3000;

function describe(error: unknown): string {
  if (error instanceof TelegramError) return `${error.code}: ${error.description}`;
  return error instanceof Error ? error.message : String(error);
}

/** Outcomes of one run of a batch job (a re-run counts only what was still queued). */
export interface BatchOutcome {
  sent: number;
  blocked: number;
  failed: number;
  /** Left for the next attempt (5xx, network) — the job throws so BullMQ retries it with backoff. */
  retrying: number;
  /** The broadcast was cancelled (or gone) before these were sent. */
  skipped: number;
}

/** How far ahead one reservation of send slots reaches: small, so Batal and a 429 take effect within it. */
const RESERVE_AHEAD_MS = 50;
/** A batch that Telegram keeps answering 429 gives up after this many rounds and is retried by BullMQ. */
const MAX_RATE_LIMITED_ROUNDS = 20;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Records sends as they complete, for every batch job of this process at once (a group commit per broadcast): what
 * a crash can lose is what was in flight, never a batch's worth; and at a high rate the jobs running side by side
 * share their statements instead of each sending its own for one or two answers.
 */
export type SentRecorder = GroupCommit<SentDelivery>;

/** The recorders of one worker process, one per broadcast being sent; a recorder with nothing to do is dropped. */
export function createSentRecorders(db: Db): { of(broadcastId: string): SentRecorder } {
  const recorders = new Map<string, SentRecorder>();
  return {
    of(broadcastId) {
      let recorder = recorders.get(broadcastId);
      if (!recorder) {
        // Dropped when it has written everything (onIdle runs with nothing left waiting).
        const created: SentRecorder = groupCommit(
          (sent) => recordSent(db, broadcastId, sent),
          () => {
            if (recorders.get(broadcastId) === created) recorders.delete(broadcastId);
          },
        );
        recorder = created;
        recorders.set(broadcastId, recorder);
      }
      return recorder;
    },
  };
}

/**
 * One batch job: loads the batch's queued recipients, sends at the slots the shared pacer hands out, records the
 * answers in groups, then finishes the broadcast (with its final report) or refreshes the live progress.
 * A 429 pauses every worker and the message is sent again in a later slot; a 403 marks the recipient
 * unreachable; a 400 fails at once; other errors leave the delivery queued and the job throws to be retried.
 */
export async function processBroadcastBatch(
  data: BroadcastBatchData,
  deps: BroadcastSendDeps,
  pacer: SendPacer,
  attempt: AttemptInfo = { attemptsMade: 0, attempts: 1 },
  recorders: { of(broadcastId: string): SentRecorder } = createSentRecorders(deps.db),
): Promise<BatchOutcome> {
  const { broadcastId } = data;
  const outcome: BatchOutcome = { sent: 0, blocked: 0, failed: 0, retrying: 0, skipped: 0 };
  if (!Number.isInteger(data.batch)) {
    deps.logger.warn({ data }, 'broadcast job without a batch number ignored');
    return outcome;
  }
  const batch = await loadBatch(deps.db, broadcastId, data.batch);
  if (!batch || batch.broadcastStatus !== 'sending') {
    outcome.skipped = batch?.deliveries.length ?? 0;
    return outcome;
  }
  const content: AnnouncementContent = { broadcastId, textHtml: batch.textHtml, mediaKind: batch.mediaKind, mediaFileId: batch.mediaFileId };
  const recorder = recorders.of(broadcastId);
  const recorded: Array<Promise<void>> = [];
  let recordFailure: unknown = null;
  const transient: unknown[] = [];
  const groupSize = Math.max(1, Math.ceil((pacer.ratePerSecond * RESERVE_AHEAD_MS) / 1000));
  let stopped = false;

  const sendOne = async (delivery: { employeeId: string; chatId: number }, rateLimited: typeof batch.deliveries) => {
    try {
      await pacer.spaceOut();
      const message = await sendAnnouncement(deps.telegram, delivery.chatId, content);
      recorded.push(
        recorder.add({ employeeId: delivery.employeeId, messageId: message.message_id, sentAt: deps.now() }).catch((error: unknown) => {
          recordFailure ??= error;
        }),
      );
      outcome.sent++;
    } catch (error) {
      const failure = classifyTelegramError(error);
      if (failure.kind === 'rate_limited') {
        // Still refused after the path's own waits: this chat goes again in a later round, after retry_after (no
        // global pause: one chat's 429 must not hold back every other recipient and process).
        waitBeforeRound = Math.max(waitBeforeRound, failure.retryAfterMs);
        rateLimited.push(delivery);
      } else if (failure.kind === 'unreachable') {
        await markDeliveryBlocked(deps.db, { broadcastId, employeeId: delivery.employeeId, error: describe(error), now: deps.now() });
        outcome.blocked++;
      } else {
        // A 400 (bad markup, a file id gone) will not get better by retrying; an outage or a bug of ours may.
        const permanent = failure.kind !== 'transient' && failure.kind !== 'other';
        const final = permanent || attempt.attemptsMade + 1 >= attempt.attempts;
        await recordDeliveryError(deps.db, { broadcastId, employeeId: delivery.employeeId, error: describe(error), final });
        if (final) {
          deps.logger.warn({ broadcastId, employeeId: delivery.employeeId, err: error }, 'broadcast delivery failed');
          outcome.failed++;
        } else {
          transient.push(error);
          outcome.retrying++;
        }
      }
    }
  };

  let todo = batch.deliveries;
  let waitBeforeRound = 0;
  for (let round = 0; todo.length > 0 && !stopped; round++) {
    if (round >= MAX_RATE_LIMITED_ROUNDS) throw new Error(`Telegram kept answering 429 for ${todo.length} deliveries`);
    if (waitBeforeRound > 0) await sleep(waitBeforeRound);
    waitBeforeRound = 0;
    const rateLimited: typeof todo = [];
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; i < todo.length; i += groupSize) {
      if (recordFailure !== null) break;
      // Before each group (one primary-key read): a Batal stops the sends within one group's reach.
      if ((i > 0 || round > 0) && (await broadcastStatusOf(deps.db, broadcastId)) !== 'sending') {
        stopped = true;
        outcome.skipped += todo.length - i;
        break;
      }
      const group = todo.slice(i, i + groupSize);
      const slots = await pacer.reserve(group.length);
      group.forEach((delivery, k) => {
        inFlight.push(sleep(slots.delayMs + k * slots.intervalMs).then(() => sendOne(delivery, rateLimited)));
      });
      // Reserve the next group when this one's last slot comes up, not before: the schedule stays short.
      await sleep(slots.delayMs + (group.length - 1) * slots.intervalMs);
    }
    await Promise.all(inFlight);
    todo = rateLimited;
  }
  // Everything sent is recorded before the job ends; a failed statement fails the job (BullMQ retries the rest).
  await Promise.all(recorded);
  if (recordFailure !== null) throw recordFailure;

  if (transient.length > 0) {
    await maybePublishProgress(deps, broadcastId);
    throw new Error(`${transient.length} deliveries will be retried; first error: ${describe(transient[0])}`);
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
