// The keberatan list's buttons: object to the result of one period (or of the year).
import { YEAR_OR_PERIOD_KEY_SOURCE } from '../../domain/period.js';
import { buttonFamily } from './codec.js';

const PERIOD = new RegExp(`^(?:${YEAR_OR_PERIOD_KEY_SOURCE})$`);

/** `kb:YYYY-MM` or `kb:YYYY` (the annual evaluation), at most 10 bytes. */
export const keberatanButtons = buttonFamily<{ period: string }>('kb', {
  encode: (b) => [b.period],
  decode: (fields) => {
    const period = fields.join(':');
    return fields.length > 0 && PERIOD.test(period) ? { period } : null;
  },
});
