// The monthly deadline the ASN is held to is the day the reminder cycle announces: moved off weekends and holidays.
import { describe, expect, it } from 'vitest';
import { isLate, monthlyDeadline } from '../../src/app/realisasi.js';
import { monthlyDeadline as announcedDeadline } from '../../src/app/reminders.js';
import { parseDeployment } from '../../src/config.js';
import { createCalendar } from '../../src/domain/calendar.js';
import { exampleDeployment } from '../support/app.js';

const calendar = createCalendar(parseDeployment(exampleDeployment()).calendar!);

describe('monthly deadline', () => {
  it('on a working day: the end of day 5 of the next month', () => {
    expect(announcedDeadline(calendar, '2026-01', 5)).toBe('2026-02-05');
    expect(monthlyDeadline(calendar, '2026-01', 5)).toEqual(new Date('2026-02-05T17:00:00Z')); // 00:00 WIB on the 6th
  });

  it('on a weekend or holiday: moved to the next working day, and not late until that day ends', () => {
    // 5 April 2026 is Easter Sunday: March's realisation is due Monday 6 April.
    expect(announcedDeadline(calendar, '2026-03', 5)).toBe('2026-04-06');
    expect(isLate(calendar, '2026-03', new Date('2026-04-06T08:00:00Z'), 5)).toBe(false); // 15.00 WIB on the 6th
    expect(isLate(calendar, '2026-03', new Date('2026-04-06T17:00:00Z'), 5)).toBe(true); // 00:00 WIB on the 7th
  });
});
