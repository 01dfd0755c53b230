// The buttons of a case request: decide, return, open the evidence or the detail, rate, print.
import type { Rating } from '../../domain/predikat.js';
import { buttonFamily, intField, isUuid } from './codec.js';

const RATING_CODES: Record<string, Rating> = { a: 'di_atas', s: 'sesuai', b: 'di_bawah' };
export const ratingFromCode = (code: string): Rating | undefined => RATING_CODES[code];
export const ratingCode = (r: Rating): string => Object.entries(RATING_CODES).find(([, v]) => v === r)![0];

interface OnCase {
  caseId: string;
  /** The case version the button was made for: a tap on an older one is stale. */
  version: number;
}
export type CaseButton =
  | (OnCase & { op: 'ok' | 'rt' | 'bk' | 'dt' | 'op' | 'pd' | 'rx' })
  | (OnCase & { op: 'hk'; hk: Rating })
  | (OnCase & { op: 'pl' | 'fs' | 'rc'; hk: Rating; pl: Rating });
export type CaseOp = CaseButton['op'];

const PLAIN_OPS = new Set(['ok', 'rt', 'bk', 'dt', 'op', 'pd', 'rx']);

/** `cs:<op>:<caseId>:<version>[:<ratings>]`, at most 50 bytes. */
export const caseButtons = buttonFamily<CaseButton>('cs', {
  encode: (b) => [
    b.op,
    b.caseId,
    b.version,
    ...(b.op === 'hk' ? [ratingCode(b.hk)] : b.op === 'pl' || b.op === 'fs' || b.op === 'rc' ? [`${ratingCode(b.hk)}${ratingCode(b.pl)}`] : []),
  ],
  decode: ([op, caseId, v, arg, ...rest]) => {
    const version = intField(v);
    if (!op || !isUuid(caseId) || version === null || rest.length > 0) return null;
    if (PLAIN_OPS.has(op)) return arg === undefined ? ({ op, caseId, version } as CaseButton) : null;
    const hk = ratingFromCode(arg?.[0] ?? '');
    if (op === 'hk') return hk && arg!.length === 1 ? { op, caseId, version, hk } : null;
    const pl = ratingFromCode(arg?.[1] ?? '');
    if ((op === 'pl' || op === 'fs' || op === 'rc') && hk && pl && arg!.length === 2) return { op, caseId, version, hk, pl };
    return null;
  },
});

/** Callback data of a case button. */
export const caseCallback = (button: CaseButton): string => caseButtons.encode(button);
