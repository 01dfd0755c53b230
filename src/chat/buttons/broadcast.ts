// /umumkan's buttons (compose, audience, perangkat daerah, preview, progress) and the recipients' acknowledgement.
// A broadcast id travels as its 32 hex digits.
import { compactId, expandId } from '../../app/broadcast.js';
import { buttonFamily, isUuid } from './codec.js';

const TEMPLATE_KEY = /^[a-z0-9:-]{1,58}$/;
const AUDIENCE = /^(all|units|atasan|pengelola|noskp:\d{4}|noeval:\d{4}|noreal:\d{4}-\d{2})$/;
const ON_BROADCAST = { k: 'send', x: 'discard', c: 'stop', r: 'refresh' } as const;
type OnBroadcastOp = (typeof ON_BROADCAST)[keyof typeof ON_BROADCAST];

export type BroadcastButton =
  | { op: 'template'; key: string }
  | { op: 'audience'; audience: string }
  | { op: 'unit'; unitId: string }
  | { op: 'unitsDone' }
  | { op: OnBroadcastOp; broadcastId: string };

/**
 * bc:t:<template key> · bc:a:<audience> (all | units | atasan | pengelola | noskp:<Y> | noeval:<Y> | noreal:<YYYY-MM>) ·
 * bc:u:<unit uuid> | bc:u:ok · bc:k|x|c|r:<id> (Kirim, Batal on the preview; stop a sending; refresh the report).
 */
export const broadcastButtons = buttonFamily<BroadcastButton>('bc', {
  encode: (b) => {
    switch (b.op) {
      case 'template':
        return ['t', b.key];
      case 'audience':
        return ['a', b.audience];
      case 'unit':
        return ['u', b.unitId];
      case 'unitsDone':
        return ['u', 'ok'];
      default: {
        const letter = Object.entries(ON_BROADCAST).find(([, op]) => op === b.op)![0];
        return [letter, compactId(b.broadcastId)];
      }
    }
  },
  decode: ([letter, ...fields]) => {
    const rest = fields.join(':');
    if (letter === 't') return TEMPLATE_KEY.test(rest) ? { op: 'template', key: rest } : null;
    if (letter === 'a') return AUDIENCE.test(rest) ? { op: 'audience', audience: rest } : null;
    if (letter === 'u') return rest === 'ok' ? { op: 'unitsDone' } : isUuid(rest) ? { op: 'unit', unitId: rest } : null;
    const op = letter && Object.hasOwn(ON_BROADCAST, letter) ? ON_BROADCAST[letter as keyof typeof ON_BROADCAST] : null;
    const broadcastId = expandId(rest);
    return op && broadcastId ? { op, broadcastId } : null;
  },
});

/** ack:<id>: "✅ Siap, dimengerti" on the announcement itself. */
export const ackButtons = buttonFamily<{ broadcastId: string }>('ack', {
  encode: (b) => [compactId(b.broadcastId)],
  decode: (fields) => {
    const broadcastId = fields.length === 1 ? expandId(fields[0]!) : null;
    return broadcastId ? { broadcastId } : null;
  },
});
