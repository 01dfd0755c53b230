// Phone numbers: normalise the forms people and Telegram write to E.164 ('+6281234567890').

/** National significant number (without 0 or +62) lengths for Indonesian mobile and landline. */
const ID_NSN_MIN = 8;
const ID_NSN_MAX = 13;
/** E.164 allows at most 15 digits; below 8 nothing real is left. */
const INTL_MIN = 8;
const INTL_MAX = 15;

// Visual separators only; anything else (letters, '#', 'ext') makes the input garbage.
const SEPARATORS = /[\s\-.()\u00a0\/]/g;

function indonesian(nsn: string): string | null {
  // '+62 (0)812…' is common in signatures; the trunk 0 does not belong after the country code.
  const n = nsn.startsWith('0') ? nsn.slice(1) : nsn;
  if (!/^[2-9]\d*$/.test(n)) return null;
  if (n.length < ID_NSN_MIN || n.length > ID_NSN_MAX) return null;
  return `+62${n}`;
}

/**
 * '+62 812-3456-7890', '62812…', '0812…' and '812…' all become '+6281234567890'.
 * Telegram contacts arrive without '+', so a bare '62…' is read as the country code.
 * Bare digits are otherwise only read as Indonesian ('0…' trunk prefix, or '8…' mobile whose
 * 0 Excel dropped); a foreign number must carry '+' (or '00'), else null.
 */
export function normalizePhone(input: string): string | null {
  let s = input.trim().replace(SEPARATORS, '');
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  if (s.startsWith('+')) {
    const digits = s.slice(1);
    if (!/^[1-9]\d*$/.test(digits)) return null;
    if (digits.startsWith('62')) return indonesian(digits.slice(2));
    if (digits.length < INTL_MIN || digits.length > INTL_MAX) return null;
    return `+${digits}`;
  }
  if (!/^\d+$/.test(s)) return null;
  if (s.startsWith('62')) return indonesian(s.slice(2));
  if (s.startsWith('0')) return indonesian(s.slice(1));
  if (s.startsWith('8')) return indonesian(s);
  return null;
}

/** True when both normalise to the same number; unparseable input never matches. */
export function samePhone(a: string, b: string): boolean {
  const na = normalizePhone(a);
  return na !== null && na === normalizePhone(b);
}
