// Each update is handled once across processes: claimed with a lease before anything runs, finished after.
// Telegram may deliver an update twice (e.g. after a restart): the first insert of its id wins. The polling
// runner claims a whole batch in one statement (claimUpdates); an update it claimed skips the insert here.
import type { MiddlewareFn } from 'telegraf';
import type { Update } from 'telegraf/types';
import { groupCommit } from '../../app/group-commit.js';
import { claimUpdateIds, finishUpdates, isUpdateLeased } from '../../app/update-claims.js';
import type { BotContext, BotDeps, BotState } from '../context.js';

/** Updates whose id this process has recorded as processed (the first to record an id handles the update). */
const claimedUpdates = new WeakSet<Update>();

export const DEFAULT_UPDATE_LEASE_SECONDS = 60;

/**
 * Claims these updates for this process, in one statement, and returns the updates this call claimed: an id
 * already handled, or being handled by a live process (its lease runs), is left out. An update whose lease ran out
 * (the process handling it died) is taken over.
 */
export async function claimUpdates(db: BotDeps['db'], updates: Update[], leaseSeconds = DEFAULT_UPDATE_LEASE_SECONDS): Promise<Update[]> {
  const fresh = await claimUpdateIds(db, updates.map((u) => u.update_id), leaseSeconds);
  const claimed = updates.filter((u) => fresh.has(u.update_id));
  for (const u of claimed) claimedUpdates.add(u);
  return claimed;
}

/**
 * One webhook delivery: 'claimed' (handle it), 'handled' (a redelivery of a finished update: answer 200), or
 * 'busy' (another process holds its lease: answer with an error, so Telegram delivers it again later and a
 * process takes it over if that one died).
 */
export async function claimWebhookUpdate(db: BotDeps['db'], update: Update, leaseSeconds = DEFAULT_UPDATE_LEASE_SECONDS): Promise<'claimed' | 'handled' | 'busy'> {
  if ((await claimUpdates(db, [update], leaseSeconds)).length === 1) return 'claimed';
  return (await isUpdateLeased(db, update.update_id)) ? 'busy' : 'handled';
}

export function dedupeUpdates(deps: BotDeps): MiddlewareFn<BotContext> {
  // Finished updates are recorded together: at rest each alone, under a burst every update finished while the last
  // statement ran in the next one (a round trip and a write saved per update).
  const finished = groupCommit<number>((ids) => finishUpdates(deps.db, ids));
  return async (ctx, next) => {
    const leaseSeconds = deps.config.env.UPDATE_LEASE_SECONDS ?? DEFAULT_UPDATE_LEASE_SECONDS;
    if (!claimedUpdates.has(ctx.update)) {
      const claimed = await claimUpdates(deps.db, [ctx.update], leaseSeconds);
      if (claimed.length === 0) {
        deps.logger.debug({ update_id: ctx.update.update_id }, 'duplicate update ignored');
        return;
      }
    }
    (ctx.state as Partial<BotState>).log = deps.logger.child({ update_id: ctx.update.update_id });
    try {
      return await next();
    } finally {
      await finished.add(ctx.update.update_id).catch((error: unknown) =>
        deps.logger.warn({ err: error, update_id: ctx.update.update_id }, 'could not record the update as handled'),
      );
    }
  };
}
