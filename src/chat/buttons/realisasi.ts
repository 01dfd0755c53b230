// /realisasi's buttons: finish an RHK's evidence, clear it, edit an RHK from the review, review, send.
import { buttonFamily, intField } from './codec.js';

export type RealisasiButton = { op: 'done' | 'clr' | 'send' | 'rev' } | { op: 'e'; index: number };
const PLAIN = new Set(['done', 'clr', 'send', 'rev']);

/** `rl:<action>[:<index>]` (short: 64 bytes at most). */
export const realisasiButtons = buttonFamily<RealisasiButton>('rl', {
  encode: (b) => (b.op === 'e' ? ['e', b.index] : [b.op]),
  decode: ([op, index, ...rest]) => {
    if (rest.length > 0 || !op) return null;
    if (op === 'e') {
      const i = intField(index, 3);
      return i === null ? null : { op, index: i };
    }
    return PLAIN.has(op) && index === undefined ? ({ op } as RealisasiButton) : null;
  },
});
