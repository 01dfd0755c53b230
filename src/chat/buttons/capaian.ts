// /capaian's buttons: open a perangkat daerah's rating for a period, then set it.
import { YEAR_OR_PERIOD_KEY_SOURCE } from '../../domain/period.js';
import type { OrgRating } from '../../domain/predikat.js';
import { buttonFamily, isUuid } from './codec.js';

const RATING_CODES: Record<string, OrgRating> = { i: 'istimewa', b: 'baik', p: 'butuh_perbaikan', k: 'kurang', s: 'sangat_kurang' };
const codeOf = (rating: OrgRating) => Object.entries(RATING_CODES).find(([, r]) => r === rating)![0];
const PERIOD = new RegExp(`^(?:${YEAR_OR_PERIOD_KEY_SOURCE})$`);

export type CapaianButton =
  | { op: 'choose'; period: string; perangkatDaerahId: string }
  | { op: 'set'; period: string; perangkatDaerahId: string; rating: OrgRating };

/** `og:p:<period>:<pdId>` (choose the rating) and `og:s:<period>:<pdId>:<code>` (set it); ≤ 53 bytes. */
export const capaianButtons = buttonFamily<CapaianButton>('og', {
  encode: (b) => (b.op === 'choose' ? ['p', b.period, b.perangkatDaerahId] : ['s', b.period, b.perangkatDaerahId, codeOf(b.rating)]),
  decode: ([op, period, perangkatDaerahId, code, ...rest]) => {
    if (rest.length > 0 || !period || !PERIOD.test(period) || !isUuid(perangkatDaerahId)) return null;
    if (op === 'p') return code === undefined ? { op: 'choose', period, perangkatDaerahId } : null;
    const rating = code === undefined ? undefined : RATING_CODES[code];
    return op === 's' && rating ? { op: 'set', period, perangkatDaerahId, rating } : null;
  },
});
