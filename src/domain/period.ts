// Periods of the periodic evaluation (PermenPANRB 6/2022): a month, a triwulan (quarter) or a semester of a year.
//
// A deployment picks the period length per procedure and perangkat daerah (procedures.periodic.period). The key
// stored in cases.period is 'YYYY-MM' for a month (as before, so existing rows stay valid), 'YYYY-T1'..'YYYY-T4'
// for a triwulan and 'YYYY-S1'..'YYYY-S2' for a semester; the annual evaluation's period is the bare year 'YYYY'.
import { formatMonth, MONTH_NAMES } from './format.js';

export const PERIODIC_KINDS = ['bulanan', 'triwulanan', 'semesteran'] as const;
/** bulanan: monthly, triwulanan: quarterly, semesteran: half-yearly. */
export type PeriodicKind = (typeof PERIODIC_KINDS)[number];

export interface Period {
  readonly year: number;
  readonly kind: PeriodicKind;
  /** 1-based: the month (1–12), the triwulan (1–4) or the semester (1–2). */
  readonly index: number;
}

/** How many months one period of a kind covers. */
export const MONTHS_PER_PERIOD: Readonly<Record<PeriodicKind, number>> = Object.freeze({ bulanan: 1, triwulanan: 3, semesteran: 6 });
const PERIODS_PER_YEAR = (kind: PeriodicKind) => 12 / MONTHS_PER_PERIOD[kind];
const KEY_LETTER = { triwulanan: 'T', semesteran: 'S' } as const;
const ROMAN = ['I', 'II', 'III', 'IV'] as const;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const pad2 = (n: number) => String(n).padStart(2, '0');

function make(year: number, kind: PeriodicKind, index: number): Period | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return null;
  if (!Number.isInteger(index) || index < 1 || index > PERIODS_PER_YEAR(kind)) return null;
  return { year, kind, index };
}

/** 'T'/'S' followed by 1–4 or a Roman numeral (case-insensitive). */
function periodIndex(digitOrRoman: string): number {
  const upper = digitOrRoman.toUpperCase();
  const roman = (ROMAN as readonly string[]).indexOf(upper);
  return roman >= 0 ? roman + 1 : Number(upper);
}

/**
 * Reads a period as people type it: a month '2026-05' ('2026-5', '2026/05', '05-2026', '05/2026', 'Mei 2026'), a
 * triwulan '2026-T2' ('2026 T2', 'T2-2026', 'T2 2026', '2026-TII', 'Triwulan II 2026') or a semester '2026-S1' (same
 * variants), any case, trimmed.
 * Null for anything else, including out-of-range ones such as '2026-13', '2026-T5' or '2026-S3'.
 */
export function parsePeriod(input: string): Period | null {
  const period = parseKeyForm(input);
  // Spelled out ('Mei 2026', 'Triwulan II 2026'): only tried when the key forms fail, as stored keys are read here.
  if (period || !/[a-z]{2}/i.test(input)) return period;
  const key = withPeriodKeys(input.trim());
  return key === input.trim() ? null : parseKeyForm(key);
}

function parseKeyForm(input: string): Period | null {
  const text = input.trim().toUpperCase().replace(/\s+/g, ' ');
  let m = /^(\d{4})[-/](\d{1,2})$/.exec(text);
  if (m) return make(Number(m[1]), 'bulanan', Number(m[2]));
  m = /^(\d{1,2})[-/](\d{4})$/.exec(text);
  if (m) return make(Number(m[2]), 'bulanan', Number(m[1]));
  m = /^(\d{4})[-/ ]?([TS])(\d|I{1,3}|IV)$/.exec(text) ?? null;
  if (m) return make(Number(m[1]), m[2] === 'T' ? 'triwulanan' : 'semesteran', periodIndex(m[3]!));
  m = /^([TS])(\d|I{1,3}|IV)[-/ ]?(\d{4})$/.exec(text);
  if (m) return make(Number(m[3]), m[1] === 'T' ? 'triwulanan' : 'semesteran', periodIndex(m[2]!));
  return null;
}

/** Month names (format.ts's own) and their usual short forms, as people type them ('Mei', 'Agt', 'Nop'). */
const FULL_MONTH_NAMES: readonly string[] = [...MONTH_NAMES.map((name) => name.toLowerCase()), 'pebruari'];
const MONTH_WORDS: Readonly<Record<string, number>> = Object.freeze({
  ...Object.fromEntries(MONTH_NAMES.map((name, i) => [name.toLowerCase(), i + 1])),
  pebruari: 2, jan: 1, feb: 2, peb: 2, mar: 3, apr: 4, jun: 6, jul: 7, agu: 8, agt: 8, ags: 8, agust: 8,
  sep: 9, sept: 9, okt: 10, nov: 11, nop: 11, des: 12,
});
const SPELLED_MONTH = /(^|\s)([a-z]+)\.?[\s/-]+(\d{4})(?=$|\s)/gi;
const SPELLED_PERIOD = /(^|\s)(triwulan|tw|semester|smt|sem)\.?[\s-]*(\d|iv|i{1,3})[\s/-]+(\d{4})(?=$|\s)/gi;

/**
 * A command's arguments with every period written as its key: spelled out ('Mei 2026' → '2026-05', 'Triwulan II
 * 2026' → '2026-T2', 'semester 1 2026' → '2026-S1') or typed in another form ('05/2026' → '2026-05'). Words that
 * are not periods ('terlambat', 'csv Pegawai') are left as they are.
 */
export function withPeriodKeys(text: string, localDate?: string): string {
  const spelled = (localDate ? withRelativePeriods(text, localDate) : text)
    .replace(SPELLED_PERIOD, (whole, lead: string, word: string, index: string, year: string) => {
      const kind = word.toLowerCase().startsWith('t') ? 'triwulanan' : 'semesteran';
      const period = make(Number(year), kind, periodIndex(index));
      return period ? `${lead}${periodKey(period)}` : whole;
    })
    .replace(SPELLED_MONTH, (whole, lead: string, word: string, year: string) => {
      const month = monthNumberOf(word);
      const period = month === null ? null : make(Number(year), 'bulanan', month);
      return period ? `${lead}${periodKey(period)}` : whole;
    });
  return spelled.replace(/\S+/g, (token) => {
    if (/^\d{4}$/.test(token)) return token;
    const period = parseKeyForm(token);
    return period ? periodKey(period) : token;
  });
}

/** The month a name or short form stands for ('Juni', 'agt' → 6, 8), or null. */
export function monthNumberOf(word: string): number | null {
  return MONTH_WORDS[word.toLowerCase()] ?? null;
}

/**
 * Periods said relative to today ('bulan ini', 'bulan lalu', 'tahun ini', 'tahun lalu', 'tahun depan') and month names without
 * their year ('juni': the latest that has begun) as keys. Short forms ('jun', 'des') stay words here.
 */
function withRelativePeriods(text: string, localDate: string): string {
  const year = Number(localDate.slice(0, 4));
  const thisMonth = periodContaining(localDate, 'bulanan');
  return text
    .replace(/(^|\s)bulan ini(?=$|\s)/gi, (_w, lead: string) => `${lead}${periodKey(thisMonth)}`)
    .replace(/(^|\s)bulan lalu(?=$|\s)/gi, (_w, lead: string) => `${lead}${periodKey(previousPeriod(thisMonth))}`)
    .replace(/(^|\s)tahun ini(?=$|\s)/gi, (_w, lead: string) => `${lead}${year}`)
    .replace(/(^|\s)tahun lalu(?=$|\s)/gi, (_w, lead: string) => `${lead}${year - 1}`)
    .replace(/(^|\s)tahun depan(?=$|\s)/gi, (_w, lead: string) => `${lead}${year + 1}`)
    .replace(/(^|\s)([a-z]+)(?=$|\s)/gi, (whole, lead: string, word: string, offset: number, all: string) => {
      // A month name followed by a year is read with that year (withPeriodKeys' own rule).
      if (!FULL_MONTH_NAMES.includes(word.toLowerCase()) || /^\s+\d{4}/.test(all.slice(offset + whole.length))) return whole;
      const named = latestPeriodNamed(word, localDate);
      return named ? `${lead}${periodKey(named)}` : whole;
    });
}

/**
 * A month or period named without its year ('mei', 'Triwulan II', 't2'): the latest one that has begun by
 * `localDate` ('YYYY-MM-DD'), so "mei" typed in January 2027 is May 2026. Null when the text is no such name.
 */
export function latestPeriodNamed(text: string, localDate: string): Period | null {
  const name = text.trim();
  if (!/^[a-z]/i.test(name) || /\d{4}/.test(name)) return null;
  const year = Number(localDate.slice(0, 4));
  const thisYear = parsePeriod(`${name} ${year}`);
  if (!thisYear) return null;
  return isAfter(thisYear, localDate) ? make(year - 1, thisYear.kind, thisYear.index) : thisYear;
}

/** yearOrPeriodKey, or else the key of the latest period named without its year ('mei' → '2026-05' in June 2026). */
export function typedPeriodKey(text: string, localDate: string): string | null {
  const key = yearOrPeriodKey(text);
  if (key) return key;
  const named = latestPeriodNamed(text, localDate);
  return named ? periodKey(named) : null;
}

/** The key of a year ('2026') or of a period as people type it ('2026-3' → '2026-03', '2026-t2' → '2026-T2'); null otherwise. */
export function yearOrPeriodKey(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d{4}$/.test(trimmed)) return Number(trimmed) >= MIN_YEAR && Number(trimmed) <= MAX_YEAR ? trimmed : null;
  const period = parsePeriod(trimmed);
  return period ? periodKey(period) : null;
}

/** Callback-data pattern source of a year or period key (for regexes of button data). */
export const YEAR_OR_PERIOD_KEY_SOURCE = '\\d{4}(?:-(?:\\d{2}|[TS]\\d))?';

/** Like parsePeriod for a stored key; throws on anything that is not one (a bug, not user input). */
export function periodOfKey(key: string): Period {
  const period = parsePeriod(key);
  if (!period || periodKey(period) !== key) throw new Error(`expected a period key like 2026-05, 2026-T2 or 2026-S1, got ${JSON.stringify(key)}`);
  return period;
}

/** True for a periodic key ('2026-05', '2026-T2', '2026-S1'), false for a year or anything else. */
export function isPeriodKey(key: string): boolean {
  const period = parsePeriod(key);
  return period !== null && periodKey(period) === key;
}

/** The canonical key stored in cases.period: '2026-05', '2026-T2', '2026-S1'. */
export function periodKey(p: Period): string {
  return p.kind === 'bulanan' ? `${p.year}-${pad2(p.index)}` : `${p.year}-${KEY_LETTER[p.kind]}${p.index}`;
}

/** How a user types a period of this kind, e.g. for a hint: '2026-05', '2026-T2', '2026-S1'. */
export function periodForm(kind: PeriodicKind, example: Period): string {
  return periodKey(periodContaining(firstDay(example), kind));
}

/** Indonesian label: 'Mei 2026', 'Triwulan II 2026', 'Semester I 2026'. */
export function periodLabel(p: Period): string {
  if (p.kind === 'bulanan') return formatMonth(p.year, p.index);
  return `${p.kind === 'triwulanan' ? 'Triwulan' : 'Semester'} ${ROMAN[p.index - 1]} ${p.year}`;
}

/** Label of a stored key, or of a year ('2026' → 'Tahun 2026'); anything else is returned as it is. */
export function periodKeyLabel(key: string): string {
  if (/^\d{4}$/.test(key)) return `Tahun ${key}`;
  return isPeriodKey(key) ? periodLabel(periodOfKey(key)) : key;
}

/** A period in a sentence, by its key: 'bulan Mei 2026', 'Triwulan II 2026', 'Semester I 2026'. */
export function periodPhrase(key: string): string {
  const label = periodKeyLabel(key);
  return isPeriodKey(key) && periodOfKey(key).kind === 'bulanan' ? `bulan ${label}` : label;
}

/**
 * How a period is typed after /realisasi to open it, whenever the message is read: a month by its name ('november',
 * the latest November begun), a longer period by its key ('2026-T4').
 */
export function periodArgument(key: string): string {
  const p = periodOfKey(key);
  return p.kind === 'bulanan' ? MONTH_NAMES[p.index - 1]!.toLowerCase() : key;
}

/** The word a period of a kind is named by in a sentence: 'bulan', 'triwulan', 'semester'. */
export function periodNoun(kind: PeriodicKind): string {
  return kind === 'bulanan' ? 'bulan' : kind === 'triwulanan' ? 'triwulan' : 'semester';
}

/**
 * The PERIODE of the evaluation document: 'BULAN MEI 2026', 'TRIWULAN II', 'SEMESTER I', or 'AKHIR' for the
 * annual evaluation (null). The document states the year beside it.
 */
export function documentPeriodLabel(p: Period | null): string {
  if (p === null) return 'AKHIR';
  if (p.kind === 'bulanan') return `BULAN ${formatMonth(p.year, p.index).toUpperCase()}`;
  return `${p.kind === 'triwulanan' ? 'TRIWULAN' : 'SEMESTER'} ${ROMAN[p.index - 1]}`;
}

/** The months a period covers, as 'YYYY-MM', in order. */
export function periodMonths(p: Period): string[] {
  const n = MONTHS_PER_PERIOD[p.kind];
  const first = (p.index - 1) * n + 1;
  return Array.from({ length: n }, (_, i) => `${p.year}-${pad2(first + i)}`);
}

/** The first local date of a period, 'YYYY-MM-DD'. */
export function firstDay(p: Period): string {
  return `${periodMonths(p)[0]}-01`;
}

/** The last local date of a period, 'YYYY-MM-DD'. */
export function lastDay(p: Period): string {
  const months = periodMonths(p);
  const [y, m] = months[months.length - 1]!.split('-').map(Number) as [number, number];
  return `${y}-${pad2(m)}-${pad2(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

/** The period `n` periods after `p` (negative: before), across year ends. */
export function addPeriods(p: Period, n: number): Period {
  const perYear = PERIODS_PER_YEAR(p.kind);
  const ordinal = p.year * perYear + (p.index - 1) + n;
  return { year: Math.floor(ordinal / perYear), kind: p.kind, index: (((ordinal % perYear) + perYear) % perYear) + 1 };
}

export const nextPeriod = (p: Period): Period => addPeriods(p, 1);
export const previousPeriod = (p: Period): Period => addPeriods(p, -1);

/** The period of a kind that contains a local date ('YYYY-MM-DD') or month ('YYYY-MM'). */
export function periodContaining(localDate: string, kind: PeriodicKind): Period {
  const year = Number(localDate.slice(0, 4));
  const month = Number(localDate.slice(5, 7));
  return { year, kind, index: Math.floor((month - 1) / MONTHS_PER_PERIOD[kind]) + 1 };
}

/** The keys of the period of every kind containing a month: '2026-05' → 2026-05, 2026-T2, 2026-S1. */
export function periodKeysContaining(month: string): string[] {
  return PERIODIC_KINDS.map((kind) => periodKey(periodContaining(month, kind)));
}

/** Is `p` later than the period of its kind containing `localDate`? */
export function isAfter(p: Period, localDate: string): boolean {
  return firstDay(p) > lastDay(periodContaining(localDate, p.kind));
}
