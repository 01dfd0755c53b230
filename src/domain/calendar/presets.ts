// Ready-made working hours and holiday lists, and the check that a config lists the current year's holidays.
import { WEEKDAYS } from './config.js';
import type { Weekday, CalendarConfig } from './config.js';

// Frozen so a tenant config that shares these objects cannot mutate them for everyone; typed mutable
// so they can be assigned straight into a CalendarConfig.
function frozenHours(hours: Record<Weekday, string[]>): Record<Weekday, string[]> {
  for (const day of WEEKDAYS) Object.freeze(hours[day]);
  return Object.freeze(hours) as Record<Weekday, string[]>;
}

function frozenDates(dates: Array<{ date: string; name: string }>): Array<{ date: string; name: string }> {
  for (const d of dates) Object.freeze(d);
  return Object.freeze(dates) as Array<{ date: string; name: string }>;
}

/**
 * Mon–Thu 07.30–16.00, Fri 07.30–16.30 (domain.md §5). The intervals include the lunch break, so they
 * count 43 h/week, not the regulation's 37.5 h; a tenant that wants 37.5 h splits days around the break.
 */
export const DEFAULT_WORKING_HOURS: Record<Weekday, string[]> = frozenHours({
  monday: ['07:30-16:00'],
  tuesday: ['07:30-16:00'],
  wednesday: ['07:30-16:00'],
  thursday: ['07:30-16:00'],
  friday: ['07:30-16:30'],
  saturday: [],
  sunday: [],
});

/** Ramadan hours 08.00–15.00, Friday to 15.30 (domain.md §5), break included like the default; dates go in specialPeriods. */
export const RAMADAN_WORKING_HOURS: Record<Weekday, string[]> = frozenHours({
  monday: ['08:00-15:00'],
  tuesday: ['08:00-15:00'],
  wednesday: ['08:00-15:00'],
  thursday: ['08:00-15:00'],
  friday: ['08:00-15:30'],
  saturday: [],
  sunday: [],
});

/**
 * From this local month-day on, next year's holidays belong in the config too: the SKB 3 Menteri on national
 * holidays and cuti bersama comes out in the autumn, and January holds the annual SKP deadline.
 */
export const NEXT_YEAR_HOLIDAYS_FROM = '10-01';

/**
 * The years, this one and (from NEXT_YEAR_HOLIDAYS_FROM) the next, whose national holidays the config does not
 * list: deadlines and SLAs would count those holidays as working days. A 24/7 calendar has none to list.
 */
export function yearsWithoutHolidays(config: Pick<CalendarConfig, 'alwaysOpen' | 'holidays'>, localDate: string): number[] {
  if (config.alwaysOpen) return [];
  const year = Number(localDate.slice(0, 4));
  const years = localDate.slice(5) >= NEXT_YEAR_HOLIDAYS_FROM ? [year, year + 1] : [year];
  const listed = new Set(config.holidays.map((h) => Number(h.date.slice(0, 4))));
  return years.filter((y) => !listed.has(y));
}

/**
 * National holidays on a fixed date, set by law rather than by the yearly SKB: New Year, Labour Day (Keppres 24/2013),
 * Pancasila Day (Keppres 24/2016), Independence Day and Christmas. The moving ones (Idul Fitri, Nyepi, Imlek …) and
 * cuti bersama come only with the SKB.
 */
export const FIXED_NATIONAL_HOLIDAYS: Array<{ monthDay: string; name: string }> = Object.freeze(
  [
    { monthDay: '01-01', name: 'Tahun Baru Masehi' },
    { monthDay: '05-01', name: 'Hari Buruh Internasional' },
    { monthDay: '06-01', name: 'Hari Lahir Pancasila' },
    { monthDay: '08-17', name: 'Hari Kemerdekaan Republik Indonesia' },
    { monthDay: '12-25', name: 'Hari Raya Natal' },
  ].map((d) => Object.freeze(d)),
) as Array<{ monthDay: string; name: string }>;

/** 2026 national holidays (SKB 1497/2/5 of 2025); Islamic dates may still shift by Keputusan Menteri Agama. */
export const HOLIDAYS_2026: Array<{ date: string; name: string }> = frozenDates([
  { date: '2026-01-01', name: 'Tahun Baru 2026 Masehi' },
  { date: '2026-01-16', name: 'Isra Mikraj Nabi Muhammad SAW' },
  { date: '2026-02-17', name: 'Tahun Baru Imlek 2577 Kongzili' },
  { date: '2026-03-19', name: 'Hari Suci Nyepi' },
  { date: '2026-03-21', name: 'Idul Fitri 1447 H' },
  { date: '2026-03-22', name: 'Idul Fitri 1447 H' },
  { date: '2026-04-03', name: 'Wafat Yesus Kristus' },
  { date: '2026-04-05', name: 'Kebangkitan Yesus Kristus (Paskah)' },
  { date: '2026-05-01', name: 'Hari Buruh Internasional' },
  { date: '2026-05-14', name: 'Kenaikan Yesus Kristus' },
  { date: '2026-05-27', name: 'Idul Adha 1447 H' },
  { date: '2026-05-31', name: 'Hari Raya Waisak' },
  { date: '2026-06-01', name: 'Hari Lahir Pancasila' },
  { date: '2026-06-16', name: 'Tahun Baru Islam 1448 H' },
  { date: '2026-08-17', name: 'Hari Kemerdekaan RI' },
  { date: '2026-08-25', name: 'Maulid Nabi Muhammad SAW' },
  { date: '2026-12-25', name: 'Hari Raya Natal' },
]);

/** 2026 cuti bersama, each attached to the holiday it bridges. */
export const CUTI_BERSAMA_2026: Array<{ date: string; name: string }> = frozenDates([
  { date: '2026-02-16', name: 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili' },
  { date: '2026-03-18', name: 'Cuti Bersama Hari Suci Nyepi' },
  { date: '2026-03-20', name: 'Cuti Bersama Idul Fitri 1447 H' },
  { date: '2026-03-23', name: 'Cuti Bersama Idul Fitri 1447 H' },
  { date: '2026-03-24', name: 'Cuti Bersama Idul Fitri 1447 H' },
  { date: '2026-05-15', name: 'Cuti Bersama Kenaikan Yesus Kristus' },
  { date: '2026-05-28', name: 'Cuti Bersama Idul Adha 1447 H' },
  { date: '2026-12-24', name: 'Cuti Bersama Hari Raya Natal' },
]);
