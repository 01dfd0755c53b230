// The monthly deadline the ASN is held to is the day the reminder cycle announces: moved off weekends and holidays.
import { describe, expect, it } from 'vitest';
import { createProcedureRegistry } from '../../src/app/procedures.js';
import { defaultPeriod, isLate, monthlyDeadline, realisasiPeriodOf } from '../../src/app/realisasi.js';
import { cycleSettings, monthlyCycle, remindersDueOn } from '../../src/app/reminders.js';
import { realisasiDeadlineDay as announcedDeadline } from '../../src/domain/deadlines.js';
import { scheduleOf } from '../../src/app/schedule.js';
import { scheduleText } from '../../src/chat/texts/schedule.js';
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
    // 5 July 2026 is a Sunday: Triwulan II is due through Monday the 6th, and the default with it.
    expect(defaultPeriod(calendar, wib('2026-07-06'), 5, 'triwulanan')).toBe('2026-T2');
    expect(defaultPeriod(calendar, wib('2026-07-07'), 5, 'triwulanan')).toBe('2026-T3');
    // 5 December 2026 is a Saturday: November is still the one to report on Monday the 7th, at 22.40 WIB too.
    expect(defaultPeriod(calendar, new Date('2026-12-07T15:40:00Z'), 5)).toBe('2026-11');
    expect(defaultPeriod(calendar, new Date('2026-12-07T17:00:00Z'), 5)).toBe('2026-12');
    expect(defaultPeriod(calendar, wib('2026-05-02'), 5, 'triwulanan')).toBe('2026-T2');
    expect(defaultPeriod(calendar, wib('2027-01-02'), 5, 'semesteran')).toBe('2026-S2');
    expect(defaultPeriod(calendar, wib('2026-03-02'), 5)).toBe('2026-02');
  });
});

describe('the period /realisasi reports on', () => {
  const deployment = parseDeployment({
    ...exampleDeployment(),
    procedures: { perUnit: { 'Dinas Pendidikan': { periodic: { period: 'semesteran' } }, 'Dinas Kesehatan': { periodic: { period: 'triwulanan' } } } },
  }).deployment!;
  const deps = { calendar, procedures: createProcedureRegistry(deployment.procedures) };
  const teacher = { unitPath: 'Dinas Pendidikan / SD Negeri 1' };
  const nurse = { unitPath: 'Dinas Kesehatan / Puskesmas' };
  const clerk = { unitPath: 'Badan Kepegawaian' };
  const at = (text: string | null, who: { unitPath: string }, date = '2026-07-02') =>
    realisasiPeriodOf(deps, who, { text, now: new Date(`${date}T03:00:00Z`), deadlineDay: 5 });

  it('takes the form of the unit, and the default of its kind', () => {
    expect(at('2026-s1', teacher)).toEqual({ ok: true, period: '2026-S1' });
    expect(at(null, teacher)).toEqual({ ok: true, period: '2026-S1' });
    expect(at('T2 2026', nurse)).toEqual({ ok: true, period: '2026-T2' });
    expect(at(null, clerk)).toEqual({ ok: true, period: '2026-06' });
    expect(at('2026-6', clerk)).toEqual({ ok: true, period: '2026-06' });
  });

  it('refuses a form of another kind with the right one, a future period and what it cannot read', () => {
    expect(at('2026-T2', teacher)).toEqual({ ok: false, reason: 'wrong_kind', kind: 'semesteran', example: '2026-S1' });
    expect(at('2026-05', nurse)).toEqual({ ok: false, reason: 'wrong_kind', kind: 'triwulanan', example: '2026-T2' });
    expect(at('2026-S1', clerk)).toEqual({ ok: false, reason: 'wrong_kind', kind: 'bulanan', example: '2026-01' });
    expect(at('2026-S2', teacher)).toEqual({ ok: true, period: '2026-S2' }); // the current one
    expect(at('2027-S1', teacher)).toEqual({ ok: false, reason: 'future', period: '2027-S1' });
    expect(at('2026-T5', nurse)).toEqual({ ok: false, reason: 'unreadable' });
  });
});

describe('the deadlines an employee asks about ("kapan batas waktu?")', () => {
  const deployment = parseDeployment({
    ...exampleDeployment(),
    procedures: { perUnit: { 'Dinas Kesehatan': { periodic: { period: 'triwulanan' } } } },
  }).deployment!;
  const deps = { calendar, procedures: createProcedureRegistry(deployment.procedures), deployment };
  const clerk = { unitPath: 'Badan Kepegawaian' };
  const nurse = { unitPath: 'Dinas Kesehatan / Puskesmas' };
  const on = (iso: string, who = clerk) => scheduleOf(deps, who, new Date(iso));

  it('in December: the realisation due next, next year\'s SKP from 1 January and the evaluation of the closing year', () => {
    // Tuesday 8 December 2026, 08.00 WIB: November was due Monday the 7th (the 5th was a Saturday).
    expect(on('2026-12-08T01:00:00Z')).toEqual({
      realisasi: { period: '2026-12', deadline: '2027-01-05' },
      skp: { year: 2027, opensOn: '2027-01-01', deadline: '2027-02-01', passed: false },
      // The day after December's realisation is due (Tuesday 5 January).
      evaluation: { year: 2026, opensOn: '2027-01-06', deadline: '2027-02-01' },
    });
    expect(on('2026-12-07T09:00:00Z').realisasi).toEqual({ period: '2026-11', deadline: '2026-12-07' });
    expect(on('2026-12-08T01:00:00Z', nurse).realisasi).toEqual({ period: '2026-T4', deadline: '2027-01-05' });
  });

  it('in mid-year: this year\'s SKP deadline, passed, and no evaluation', () => {
    expect(on('2026-06-10T03:00:00Z')).toEqual({
      realisasi: { period: '2026-06', deadline: '2026-07-06' }, // May was due Friday 5 June
      skp: { year: 2026, opensOn: null, deadline: '2026-02-02', passed: true },
      evaluation: null,
    });
  });
});

describe('the deadlines with where the employee\'s own SKP and realisation stand', () => {
  const view = (passed: boolean) => ({
    realisasi: { period: '2026-01', deadline: '2026-02-05' },
    skp: { year: 2026, opensOn: null, deadline: '2026-02-02', passed },
    evaluation: null,
  });
  const skpLine = (passed: boolean, skp: 'not_sent' | 'returned' | 'in_review' | 'established', realisasiSent = false) =>
    scheduleText(view(passed), 'Asia/Jakarta', false, { skp, realisasiSent }).split('\n').find((l) => l.startsWith('• SKP'));

  it('says what is still to do, and by when', () => {
    expect(skpLine(false, 'not_sent')).toBe('• SKP tahun 2026: paling lambat Senin, 2 Februari 2026 (/skp)');
    expect(skpLine(true, 'not_sent')).toBe('• SKP tahun 2026: ⚠️ belum dikirim; batas penyusunan Senin, 2 Februari 2026 sudah lewat. Segera susun lewat /skp');
    expect(skpLine(false, 'returned')).toBe('• SKP tahun 2026: ⚠️ dikembalikan untuk diperbaiki; paling lambat Senin, 2 Februari 2026. Perbaiki lewat /skp');
    expect(skpLine(true, 'returned')).toMatch(/dikembalikan untuk diperbaiki; batas penyusunan Senin, 2 Februari 2026 sudah lewat\./);
  });

  it('says what is done without a deadline to meet', () => {
    expect(skpLine(true, 'in_review')).toBe('• SKP tahun 2026: sudah dikirim, sedang diperiksa atasan (posisinya: /status)');
    expect(skpLine(true, 'established')).toBe('• SKP tahun 2026: ✅ sudah ditetapkan');
    expect(scheduleText(view(true), 'Asia/Jakarta', false, { skp: 'established', realisasiSent: true })).toContain(
      '• Realisasi Januari 2026: ✅ sudah dikirim (batasnya Kamis, 5 Februari 2026)',
    );
  });
});
