// Use cases of announcements (/umumkan): drafts, audiences, starting, cancelling, acknowledging and reporting.
// Postgres holds every broadcast and one delivery row per recipient; the queue only carries work to do.
// The public names of src/app/broadcast/, one file per concern.
export {
  audienceSchema, broadcastScopeOf, listPerangkatDaerah, countAudience, audienceRecipientIds, checkUnitChoice,
  type Audience, type BroadcastScope, type PerangkatDaerah, type AudienceCount,
} from './broadcast/audiences.js';
export {
  localYearMonth, previousMonth, skpDeadline, realisasiDeadline, resolveTemplate, skpYearFor, realisasiMonthFor, lateRealisasiMonthFor, openEvaluationYear,
  templateKeys, type TemplateChoice,
} from './broadcast/templates.js';
export {
  createBroadcastDraft, getBroadcast, setDraftAudience, type BroadcastRow, type DeliveryStatus, type DraftInput,
} from './broadcast/drafts.js';
export {
  DELIVERY_BATCH_SIZE, startBroadcast, discardDraft, cancelBroadcast, finishBroadcastIfComplete, sendingBroadcastIds,
  queuedBatches, type StartInput,
} from './broadcast/lifecycle.js';
export {
  loadBatch, broadcastStatusOf, recordSent, markDeliveryBlocked, recordDeliveryError, type AnnouncementBatch,
  type SentDelivery,
} from './broadcast/deliveries.js';
export { acknowledgeDelivery, type AckResult } from './broadcast/acknowledgment.js';
export { broadcastReport, type BroadcastReport } from './broadcast/reports.js';
export { compactId, expandId } from './broadcast/ids.js';
