// /skp's buttons: start (manual or PDF), jenis, aspek, more indikator, the atasan's RHK, review, edit, delete, send.
import { ASPEK, type Aspek } from '../../domain/skp-rules.js';
import { buttonFamily, intField } from './codec.js';

const RHK_ID = /^[a-z0-9]{1,16}$/;
const EDIT_FIELDS = ['t', 'j', 'i', 'v'] as const;

export type SkpButton =
  /** m / p: start manual entry / PDF upload; r: the review; add: another RHK; send: Kirim. */
  | { op: 'm' | 'p' | 'r' | 'add' | 'send' }
  | { op: 'j'; jenis: 'utama' | 'tambahan' }
  | { op: 'a'; aspek: Aspek }
  | { op: 'i'; next: 'add' | 'done' }
  /** The atasan's RHK picked from the list (its index), or skipped. */
  | { op: 'v'; pick: number | 'skip' }
  /** e: the edit menu of an RHK; d: ask to delete it; dy: delete confirmed. */
  | { op: 'e' | 'd' | 'dy'; rhkId: string }
  /** Edit one field of an RHK: t text, j jenis, i indikator, v the atasan's RHK. */
  | { op: 'ef'; field: (typeof EDIT_FIELDS)[number]; rhkId: string };

/** `skp:<action>[:<arg>[:<rhkId>]]`, at most 64 bytes. */
export const skpButtons = buttonFamily<SkpButton>('skp', {
  encode: (b) => {
    switch (b.op) {
      case 'j':
        return ['j', b.jenis === 'utama' ? 'u' : 't'];
      case 'a':
        return ['a', b.aspek];
      case 'i':
        return ['i', b.next];
      case 'v':
        return ['v', b.pick];
      case 'e':
      case 'd':
      case 'dy':
        return [b.op, b.rhkId];
      case 'ef':
        return ['ef', b.field, b.rhkId];
      default:
        return [b.op];
    }
  },
  decode: ([op, arg, third, ...rest]) => {
    if (rest.length > 0) return null;
    switch (op) {
      case 'm':
      case 'p':
      case 'r':
      case 'add':
      case 'send':
        return arg === undefined ? { op } : null;
      case 'j':
        return third === undefined && (arg === 'u' || arg === 't') ? { op, jenis: arg === 'u' ? 'utama' : 'tambahan' } : null;
      case 'a':
        return third === undefined && ASPEK.includes(arg as Aspek) ? { op, aspek: arg as Aspek } : null;
      case 'i':
        return third === undefined && (arg === 'add' || arg === 'done') ? { op, next: arg } : null;
      case 'v': {
        const index = intField(arg, 2);
        return third !== undefined ? null : arg === 'skip' ? { op, pick: 'skip' } : index === null ? null : { op, pick: index };
      }
      case 'e':
      case 'd':
      case 'dy':
        return third === undefined && arg !== undefined && RHK_ID.test(arg) ? { op, rhkId: arg } : null;
      case 'ef':
        return EDIT_FIELDS.includes(arg as (typeof EDIT_FIELDS)[number]) && third !== undefined && RHK_ID.test(third)
          ? { op, field: arg as (typeof EDIT_FIELDS)[number], rhkId: third }
          : null;
      default:
        return null;
    }
  },
});
