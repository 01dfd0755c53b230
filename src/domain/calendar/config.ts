// What a calendar is configured with (agency time zone, weekly hours, holidays) and what it answers.

export type AgencyTimeZone = 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura';
export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface CalendarConfig {
  timeZone: AgencyTimeZone;
  /** 24/7 calendar: every minute counts, weekends and holidays included. */
  alwaysOpen: boolean;
  /** One or more 'HH:MM-HH:MM' intervals a day, sorted, non-overlapping; [] = closed. */
  workingHours: Record<Weekday, string[]>;
  /** 'YYYY-MM-DD' agency-local dates. */
  holidays: Array<{ date: string; name: string }>;
  /** Cuti bersama (collective leave): non-working like holidays. */
  cutiBersama: Array<{ date: string; name: string }>;
  /**
   * Holidays on the same date every year ('MM-DD', fixed by law: 1 January, 17 August …), kept only in years for
   * which `holidays` lists nothing, so a year whose SKB is not in the config yet still rests on those days.
   */
  fixedHolidays?: Array<{ monthDay: string; name: string }>;
  /** Inclusive local date ranges with their own hours (e.g. Ramadan). */
  specialPeriods?: Array<{ from: string; to: string; name: string; workingHours: Record<Weekday, string[]> }>;
}

export interface WorkingCalendar {
  /** A frozen copy of the validated config. */
  readonly config: CalendarConfig;
  /**
   * The instant when `minutes` (>= 0, ms precision) of working time have elapsed after start. A start
   * outside hours counts from the next opening; a result exactly at a closing time stays there.
   * 0 minutes gives nextWorkingInstant(start).
   */
  addWorkingMinutes(start: Date, minutes: number): Date;
  /** Working minutes in [from, to), fractional; 0 when to <= from. Inverse of addWorkingMinutes. */
  workingMinutesBetween(from: Date, to: Date): number;
  /** 'YYYY-MM-DD' local date with some working time (always true when alwaysOpen). */
  isWorkingDay(localDate: string): boolean;
  /** Inside [opening, closing) of an interval. */
  isWithinWorkingHours(at: Date): boolean;
  /** `at` when inside hours, else the next opening. */
  nextWorkingInstant(at: Date): Date;
  /** The same date when it is a working day, else the next one. */
  nextWorkingDay(localDate: string): string;
  /** The n-th (>= 1) working day of month (1-12); throws NO_SUCH_WORKING_DAY past the last one. */
  nthWorkingDayOfMonth(year: number, month: number, n: number): string;
  /** n working days after (n > 0) or before (n < 0) localDate; n = 0 is nextWorkingDay(localDate). */
  addWorkingDays(localDate: string, n: number): string;
  /** The agency-local 'YYYY-MM-DD' of an instant. */
  localDate(at: Date): string;
  /** The instant of a local wall-clock 'HH:MM' on a local date. */
  atLocal(localDate: string, hhmm: string): Date;
  /** Name of the holiday or cuti bersama on that date, else null. */
  holidayName(localDate: string): string | null;
}

export const AGENCY_TIME_ZONES: readonly AgencyTimeZone[] = Object.freeze([
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
]);

export const WEEKDAYS: readonly Weekday[] = Object.freeze([
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);
