// The roster upload preview's buttons: apply (Terapkan) or cancel (Batal).
import { buttonFamily, isUuid } from './codec.js';

export interface RosterUploadButton {
  op: 'apply' | 'cancel';
  uploadId: string;
}

/** `ri:a:<uploadId>`, `ri:c:<uploadId>`. */
export const rosterUploadButtons = buttonFamily<RosterUploadButton>('ri', {
  encode: (b) => [b.op === 'apply' ? 'a' : 'c', b.uploadId],
  decode: ([op, uploadId, ...rest]) =>
    rest.length === 0 && (op === 'a' || op === 'c') && isUuid(uploadId) ? { op: op === 'a' ? 'apply' : 'cancel', uploadId } : null,
});
