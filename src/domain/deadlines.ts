// The deadlines a period sets for the employee's own submission (Batas Pengisian): a periodic realisation's, due on
// a day of the month after the period, and a year's SKP, due on a day of that year; each moved to the next working
// day when it falls on a weekend or holiday.
import type { WorkingCalendar } from './calendar.js';
import { periodMonths, periodOfKey } from './period.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The first month after a period ('2026-05' → 2026-06, '2026-T2' → 2026-07): its realisation is due in it. */
export function monthAfter(period: string): { year: number; month: number } {
  const months = periodMonths(periodOfKey(period));
  const [year, month] = months[months.length - 1]!.split('-').map(Number) as [number, number];
  return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

/**
 * The effective deadline of a period's realisation ('2026-05', '2026-T2', '2026-S1'): day deadlineDay of the month
 * after the period, or the next working day.
 */
export function realisasiDeadlineDay(calendar: WorkingCalendar, period: string, deadlineDay: number): string {
  const after = monthAfter(period);
  return calendar.nextWorkingDay(`${after.year}-${pad2(after.month)}-${pad2(deadlineDay)}`);
}

/** The effective deadline of year's SKP: the configured month-day ('01-31'), or the next working day. */
export function skpDeadlineDay(calendar: WorkingCalendar, year: number, skpDeadline: string): string {
  return calendar.nextWorkingDay(`${year}-${skpDeadline}`);
}

/** The last minute of a deadline day, as the chat states it ("pukul 23.59"). */
export function endOfDeadlineDay(calendar: WorkingCalendar, localDate: string): Date {
  return calendar.atLocal(localDate, '23:59');
}

/** Where a day stands from `now`: ahead, today, or passed (agency-local dates). */
export function deadlineState(calendar: WorkingCalendar, day: string, now: Date): { day: string; today: boolean; passed: boolean } {
  const today = calendar.localDate(now);
  return { day, today: today === day, passed: today > day };
}
