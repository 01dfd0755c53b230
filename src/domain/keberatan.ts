// The keberatan window (PP 30/2019 ps. 59): an objection may be filed at the latest 14 calendar days after the
// ASN received the result. Received = acknowledged, or delivered when never acknowledged.
import { KEBERATAN_WINDOW_DAYS } from './templates/keberatan.js';

/** 'YYYY-MM-DD' plus n calendar days (weekends and holidays count, as the regulation says "hari"). */
export function addCalendarDays(localDate: string, days: number): string {
  const [y, m, d] = localDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export interface KeberatanWindow {
  /** The agency-local date the result was received. */
  receivedOn: string;
  /** The last local date an objection is accepted (received + 14 days). */
  closesOn: string;
  /** The first instant after the window: local midnight starting the day after closesOn. */
  closedAt: Date;
}

/**
 * The window of a result received at `receivedAt`, in agency-local dates (`calendar` gives the local date of an
 * instant and the instant of a local wall-clock time).
 */
export function keberatanWindow(
  receivedAt: Date,
  calendar: { localDate(at: Date): string; atLocal(localDate: string, hhmm: string): Date },
): KeberatanWindow {
  const receivedOn = calendar.localDate(receivedAt);
  const closesOn = addCalendarDays(receivedOn, KEBERATAN_WINDOW_DAYS);
  return { receivedOn, closesOn, closedAt: calendar.atLocal(addCalendarDays(closesOn, 1), '00:00') };
}

export function isWindowOpen(window: KeberatanWindow, now: Date): boolean {
  return now.getTime() < window.closedAt.getTime();
}
