// The monthly deadline the ASN is held to is the day the reminder cycle announces: moved off weekends and holidays.
import { describe, expect, it } from 'vitest';
import { defaultPeriod, isLate, monthlyDeadline } from '../../src/app/realisasi.js';
import { cycleSettings, monthlyCycle, monthlyDeadline as announcedDeadline, remindersDueOn } from '../../src/app/reminders.js';
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

describe('triwulan and semester deadlines and reminder days', () => {
  const s = { ...cycleSettings(parseDeployment(exampleDeployment()).deployment!), periodKinds: ['bulanan', 'triwulanan', 'semesteran'] as const };

  it('are due on the deadline day of the month after the period', () => {
    // Triwulan II ends in June: due 5 July 2026 (a Sunday), moved to Monday 6 July.
    expect(announcedDeadline(calendar, '2026-T2', 5)).toBe('2026-07-06');
    expect(monthlyDeadline(calendar, '2026-T2', 5)).toEqual(new Date('2026-07-06T17:00:00Z'));
    expect(announcedDeadline(calendar, '2026-S2', 5)).toBe('2027-01-05');
    expect(isLate(calendar, '2026-T1', new Date('2026-03-31T08:00:00Z'), 5)).toBe(false);
  });

  it('run the cycle of every kind in use, a triwulan only at its end', () => {
    expect(monthlyCycle(calendar, '2026-T2', s)).toMatchObject({ period: '2026-T2', deadline: '2026-07-06' });
    const onDeadline = remindersDueOn(calendar, '2026-07-06', s).filter((d) => d.job === 'monthly-deadline');
    expect(onDeadline.map((d) => d.period)).toEqual(['2026-06', '2026-S1', '2026-T2']);
    // The atasan digest covers every period waiting for a rating: one a day, not one per kind.
    expect(remindersDueOn(calendar, '2026-07-07', s).filter((d) => d.job === 'monthly-digest-atasan')).toHaveLength(1);
    const inMay = remindersDueOn(calendar, '2026-05-05', s).filter((d) => d.job === 'monthly-deadline');
    expect(inMay.map((d) => d.period)).toEqual(['2026-04']);
  });

  it('default to the period whose deadline still runs, then to the current one', () => {
    const wib = (date: string) => new Date(`${date}T03:00:00Z`);
    expect(defaultPeriod(calendar, wib('2026-07-03'), 5, 'triwulanan')).toBe('2026-T2');
    expect(defaultPeriod(calendar, wib('2026-07-06'), 5, 'triwulanan')).toBe('2026-T3');
    expect(defaultPeriod(calendar, wib('2026-05-02'), 5, 'triwulanan')).toBe('2026-T2');
    expect(defaultPeriod(calendar, wib('2027-01-02'), 5, 'semesteran')).toBe('2026-S2');
    expect(defaultPeriod(calendar, wib('2026-03-02'), 5)).toBe('2026-02');
  });
});
