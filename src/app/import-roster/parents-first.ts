// The order in which a roster import creates, audits and reports new employees: every atasan before their staff.

/**
 * The rows at `ords` (file positions) ordered so every atasan among them comes before the staff who name them:
 * those whose atasan is not among them first, in file order, then breadth first, each one's staff in file order.
 * Rows in an atasan cycle are never reached (the result is then shorter).
 */
export function parentsFirst(ords: number[], atasanOrd: Int32Array, size: number): number[] {
  const inSet = new Uint8Array(size);
  for (const i of ords) inSet[i] = 1;
  // Staff lists as linked lists over file positions, built backwards so each reads in file order.
  const firstChild = new Int32Array(size).fill(-1);
  const nextSibling = new Int32Array(size).fill(-1);
  const ordered: number[] = [];
  for (let k = ords.length - 1; k >= 0; k--) {
    const i = ords[k]!;
    const parent = atasanOrd[i]!;
    if (parent !== -1 && inSet[parent] === 1) {
      nextSibling[i] = firstChild[parent]!;
      firstChild[parent] = i;
    }
  }
  for (const i of ords) {
    const parent = atasanOrd[i]!;
    if (parent === -1 || inSet[parent] !== 1) ordered.push(i);
  }
  for (let head = 0; head < ordered.length; head++) {
    for (let child = firstChild[ordered[head]!]!; child !== -1; child = nextSibling[child]!) ordered.push(child);
  }
  return ordered;
}
