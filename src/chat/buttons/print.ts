// /cetak's buttons: print one case's document.
import { buttonFamily, isUuid } from './codec.js';

/** `ct:<case uuid>` (39 bytes). */
export const printButtons = buttonFamily<{ caseId: string }>('ct', {
  encode: (b) => [b.caseId],
  decode: (fields) => (fields.length === 1 && isUuid(fields[0]?.toLowerCase()) ? { caseId: fields[0]!.toLowerCase() } : null),
});
