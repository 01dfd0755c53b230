// NIP (PNS) and NI PPPK: parsing, validation and the print form (domain.md §6).
//
// NIP PNS  = YYYYMMDD birth + YYYYMM TMT CPNS + gender (1 L, 2 P) + 3-digit serial.
// NI PPPK  = YYYYMMDD birth + YYYY appointment year + 2-digit code + gender + serial.
// Sources disagree on what the PPPK code means (domain.md §9.8), so any two digits are accepted.

export type NipKind = 'pns' | 'pppk';

export type NipResult =
  | { ok: true; nip: string; kind: NipKind; birthDate: string; gender: 'L' | 'P' }
  | { ok: false; reason: string };

/** Oldest birth year we consider plausible for a serving ASN. */
const MIN_BIRTH_YEAR = 1940;
/**
 * Minimum age at TMT CPNS / PPPK appointment. The legal minimum age to apply is 18, but the
 * TMT month is compared with the birth month only (days ignored) and old records are messy,
 * so we accept 17 full years to avoid rejecting genuine numbers.
 */
const MIN_AGE_AT_APPOINTMENT_YEARS = 17;
/** First PPPK appointments under PP 49/2018 happened in 2019. */
const FIRST_PPPK_YEAR = 2019;

const SEPARATORS = /[\s.\u00a0']/g;

/** Strips the separators people type or paste (spaces, dots, NBSP, Excel's leading apostrophe). */
export function nipDigits(input: string): string {
  return input.replace(SEPARATORS, '');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function valid(d: string, kind: NipKind): NipResult {
  return {
    ok: true,
    nip: d,
    kind,
    birthDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
    gender: d[14] === '1' ? 'L' : 'P',
  };
}

/**
 * Parses a NIP PNS or NI PPPK. `now` only bounds plausible years (birth, TMT/appointment);
 * it defaults to the current time so callers in the bot need not pass it.
 */
export function parseNip(input: string, now: Date = new Date()): NipResult {
  const trimmed = input.trim();
  // Excel turns long numbers into 1,96804E+17 and loses digits; say so instead of a generic error.
  if (/^\d+([.,]\d+)?e\+?\d+$/i.test(trimmed)) {
    return {
      ok: false,
      reason: 'NIP terbaca sebagai angka oleh Excel (mis. 1,96804E+17); format kolom NIP sebagai Teks lalu isi ulang',
    };
  }
  const d = nipDigits(trimmed);
  if (!/^\d{18}$/.test(d)) return { ok: false, reason: 'NIP harus 18 digit angka' };

  const currentYear = now.getUTCFullYear();
  const birthYear = Number(d.slice(0, 4));
  const birthMonth = Number(d.slice(4, 6));
  const birthDay = Number(d.slice(6, 8));
  if (
    birthYear < MIN_BIRTH_YEAR ||
    birthYear > currentYear ||
    birthMonth < 1 ||
    birthMonth > 12 ||
    birthDay < 1 ||
    birthDay > daysInMonth(birthYear, birthMonth)
  ) {
    return { ok: false, reason: 'tanggal lahir pada NIP tidak valid' };
  }

  const genderDigit = d[14];
  if (genderDigit !== '1' && genderDigit !== '2') {
    return { ok: false, reason: 'kode jenis kelamin pada NIP (digit ke-15) harus 1 atau 2' };
  }
  if (d.slice(15) === '000') return { ok: false, reason: 'nomor urut pada NIP tidak boleh 000' };

  const year = Number(d.slice(8, 12));
  const code = Number(d.slice(12, 14));
  const isMonth = code >= 1 && code <= 12;
  const birthMonthIndex = birthYear * 12 + (birthMonth - 1);

  // PNS first: a PPPK number whose code happens to be 01–12 is indistinguishable from a PNS one.
  let pnsReason: string | null = null;
  if (isMonth) {
    const tmtMonthIndex = year * 12 + (code - 1);
    if (tmtMonthIndex < birthMonthIndex + MIN_AGE_AT_APPOINTMENT_YEARS * 12) {
      pnsReason = `TMT CPNS pada NIP (${d.slice(8, 12)}-${d.slice(12, 14)}) kurang dari ${MIN_AGE_AT_APPOINTMENT_YEARS} tahun setelah tanggal lahir`;
    } else if (year > currentYear + 1) {
      pnsReason = `TMT CPNS pada NIP (${d.slice(8, 12)}-${d.slice(12, 14)}) belum terjadi`;
    } else {
      return valid(d, 'pns');
    }
  }

  let pppkReason: string | null = null;
  if (year < FIRST_PPPK_YEAR) {
    pppkReason = `tahun pengangkatan PPPK pada NIP (${year}) sebelum ${FIRST_PPPK_YEAR}`;
  } else if (year > currentYear + 1) {
    pppkReason = `tahun pengangkatan PPPK pada NIP (${year}) belum terjadi`;
  } else if (year < birthYear + MIN_AGE_AT_APPOINTMENT_YEARS) {
    pppkReason = `tahun pengangkatan PPPK pada NIP (${year}) kurang dari ${MIN_AGE_AT_APPOINTMENT_YEARS} tahun setelah tahun lahir`;
  } else {
    return valid(d, 'pppk');
  }

  // Pick the reason for the reading the number most likely intended.
  if (pnsReason !== null) return { ok: false, reason: pnsReason };
  if (year < FIRST_PPPK_YEAR) {
    return {
      ok: false,
      reason: `bulan TMT CPNS pada NIP (digit ke-13–14: "${d.slice(12, 14)}") harus 01–12`,
    };
  }
  return { ok: false, reason: pppkReason };
}

/** Print form '19680411 199303 1 009'; input that is not an 18-digit NIP is returned trimmed. */
export function formatNip(nip: string): string {
  const d = nipDigits(nip.trim());
  if (!/^\d{18}$/.test(d)) return nip.trim();
  return `${d.slice(0, 8)} ${d.slice(8, 14)} ${d.slice(14, 15)} ${d.slice(15)}`;
}
