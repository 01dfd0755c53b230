// /kumpulkan's buttons: tick a case in the list, forward the ticked ones, or forward all.
import { buttonFamily, intField } from './codec.js';

export type CollectButton = { op: 'toggle'; index: number } | { op: 'selected' } | { op: 'all' };

/** `kp:t:<index>`, `kp:s`, `kp:a`. */
export const collectButtons = buttonFamily<CollectButton>('kp', {
  encode: (b) => (b.op === 'toggle' ? ['t', b.index] : [b.op === 'selected' ? 's' : 'a']),
  decode: ([op, index, ...rest]) => {
    if (rest.length > 0) return null;
    if (op === 't') {
      const i = intField(index, 3);
      return i === null ? null : { op: 'toggle', index: i };
    }
    if (index !== undefined) return null;
    return op === 's' ? { op: 'selected' } : op === 'a' ? { op: 'all' } : null;
  },
});
