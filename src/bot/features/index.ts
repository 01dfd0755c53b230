// The feature composers mounted after the core ones (registration, help, admin) and before the fallback.
// One line per feature; order matters only where two features could claim the same update.
import type { Composer } from 'telegraf';
import type { BotContext, BotDeps } from '../context.js';
import { runJobFeature } from './run-job.js';
import { delegationFeature } from './delegation.js';
import { approvalsFeature } from './approvals.js';
import { awardFeature } from './award.js';
import { capaianFeature } from './capaian.js';
import { keberatanFeature } from './keberatan.js';
import { stepInputFeature } from './step-input.js';
import { broadcastFeature } from './broadcast.js';
import { printFeature } from './print.js';
import { monthlyFeature } from './monthly.js';
import { skpFeature } from './skp.js';
import { statusFeature } from './status.js';
import { reportsFeature } from './reports.js';

export function featureComposers(deps: BotDeps): Array<Composer<BotContext>> {
  return [
    runJobFeature(deps),
    delegationFeature(deps),
    approvalsFeature(deps),
    stepInputFeature(deps),
    awardFeature(deps),
    capaianFeature(deps),
    keberatanFeature(deps),
    broadcastFeature(deps),
    printFeature(deps),
    // The ASN side of the procedures: /skp, /realisasi and /status.
    skpFeature(deps),
    monthlyFeature(deps),
    statusFeature(deps),
    reportsFeature(deps),
  ];
}
