// Inline buttons' callback data: one codec. A family is a prefix and a typed payload; what a button carries is
// encoded by the family that built the keyboard and decoded by the same family where the tap is handled, so the
// two cannot drift apart. Telegram allows 64 bytes of callback data.
export const CALLBACK_DATA_MAX_BYTES = 64;

export interface ButtonFamily<T> {
  readonly prefix: string;
  /** Matches every callback data of this family, malformed ones too (they decode to null). */
  readonly trigger: RegExp;
  encode(data: T): string;
  decode(callbackData: string): T | null;
}

const prefixes = new Set<string>();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A family whose payload is written as `:`-separated fields after the prefix. `decode` gets the fields (a field
 * may itself hold `:`; rejoin them where a payload allows it) and returns null for anything it does not accept.
 */
export function buttonFamily<T>(
  prefix: string,
  codec: { encode(data: T): Array<string | number>; decode(fields: string[]): T | null },
): ButtonFamily<T> {
  // Two families must never claim the same tap: no prefix may equal another or extend it by a field.
  for (const other of prefixes) {
    if (other === prefix || prefix.startsWith(`${other}:`) || other.startsWith(`${prefix}:`)) {
      throw new Error(`button families '${other}' and '${prefix}' would claim the same callback data`);
    }
  }
  prefixes.add(prefix);
  const trigger = new RegExp(`^${escapeRegExp(prefix)}(?::|$)`);
  return {
    prefix,
    trigger,
    encode(data) {
      const encoded = [prefix, ...codec.encode(data)].join(':');
      if (Buffer.byteLength(encoded) > CALLBACK_DATA_MAX_BYTES) throw new Error(`callback data over ${CALLBACK_DATA_MAX_BYTES} bytes: ${encoded}`);
      return encoded;
    },
    decode(callbackData) {
      if (!trigger.test(callbackData)) return null;
      const rest = callbackData.slice(prefix.length + 1);
      return codec.decode(rest === '' ? [] : rest.split(':'));
    },
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (text: string | undefined): text is string => text !== undefined && UUID.test(text);

/** A non-negative integer field of at most `digits` digits, or null. */
export function intField(text: string | undefined, digits = 6): number | null {
  return text !== undefined && new RegExp(`^\\d{1,${digits}}$`).test(text) ? Number(text) : null;
}
