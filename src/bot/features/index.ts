// The feature composers mounted after the core ones (registration, help, admin) and before the fallback.
// One line per feature; order matters only where two features could claim the same update.
import type { Composer } from 'telegraf';
import type { BotContext, BotDeps } from '../context.js';
import { approvalsFeature } from './approvals.js';

export function featureComposers(deps: BotDeps): Array<Composer<BotContext>> {
  return [
    approvalsFeature(deps),
  ];
}
