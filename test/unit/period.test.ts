// Unit tests for the periods of the periodic evaluation: months, triwulan and semesters.
import { describe, expect, it } from 'vitest';
import {
  addPeriods,
  documentPeriodLabel,
  firstDay,
  isAfter,
  isPeriodKey,
  lastDay,
  nextPeriod,
  parsePeriod,
  periodContaining,
  periodForm,
  periodKey,
  periodKeyLabel,
  periodLabel,
  periodMonths,
  periodOfKey,
  previousPeriod,
  YEAR_OR_PERIOD_KEY_SOURCE,
  yearOrPeriodKey,
  periodKeysContaining,
  periodPhrase,
  withPeriodKeys,
  latestPeriodNamed,
  typedPeriodKey,
  type Period,
} from '../../src/domain/period.js';

const month = (year: number, index: number): Period => ({ year, kind: 'bulanan', index });
const tw = (year: number, index: number): Period => ({ year, kind: 'triwulanan', index });
const sem = (year: number, index: number): Period => ({ year, kind: 'semesteran', index });

describe('parsePeriod', () => {
  it('reads a month in the forms people type', () => {
    for (const text of ['2026-05', '2026-5', ' 2026/05 ', '05-2026', '5/2026']) expect(parsePeriod(text)).toEqual(month(2026, 5));
  });

  it('reads a triwulan in any case, with or without a separator, digits or Roman', () => {
    for (const text of ['2026-T2', '2026-t2', ' 2026 T2 ', '2026T2', 'T2 2026', 't2-2026', '2026-TII', 'TII 2026']) {
      expect(parsePeriod(text), text).toEqual(tw(2026, 2));
    }
    expect(parsePeriod('2026-T4')).toEqual(tw(2026, 4));
    expect(parsePeriod('2026-TIV')).toEqual(tw(2026, 4));
  });

  it('reads a semester in the same forms', () => {
    for (const text of ['2026-S1', '2026-s1', 'S1 2026', '2026 SI', 's2/2026']) {
      expect(parsePeriod(text)?.kind, text).toBe('semesteran');
    }
    expect(parsePeriod('2026-S2')).toEqual(sem(2026, 2));
  });

  it('refuses what is not a period', () => {
    for (const text of ['2026-T5', '2026-T0', '2026-S3', '2026-S0', '2026-13', '2026-00', '2026', '', 'Mei', '2026-X1', '1999-05', '2101-T1', '2026-T2-1', '2026-SIII']) {
      expect(parsePeriod(text), text).toBeNull();
    }
  });
});

describe('keys', () => {
  it('keeps YYYY-MM for months so existing rows stay valid', () => {
    expect(periodKey(month(2026, 5))).toBe('2026-05');
    expect(periodKey(tw(2026, 2))).toBe('2026-T2');
    expect(periodKey(sem(2026, 1))).toBe('2026-S1');
  });

  it('round-trips stored keys and refuses non-canonical ones', () => {
    for (const key of ['2026-01', '2026-12', '2026-T1', '2026-T4', '2026-S1', '2026-S2']) expect(periodKey(periodOfKey(key))).toBe(key);
    expect(() => periodOfKey('2026-5')).toThrow();
    expect(() => periodOfKey('2026')).toThrow();
    expect(isPeriodKey('2026-t2')).toBe(false);
    expect(isPeriodKey('2026-T2')).toBe(true);
    expect(isPeriodKey('2026')).toBe(false);
  });

  it('gives the form of another kind at the same time', () => {
    expect(periodForm('triwulanan', month(2026, 5))).toBe('2026-T2');
    expect(periodForm('semesteran', month(2026, 7))).toBe('2026-S2');
    expect(periodForm('bulanan', tw(2026, 3))).toBe('2026-07');
  });
});

describe('labels', () => {
  it('labels each kind in Indonesian', () => {
    expect(periodLabel(month(2026, 5))).toBe('Mei 2026');
    expect(periodLabel(tw(2026, 2))).toBe('Triwulan II 2026');
    expect(periodLabel(tw(2026, 4))).toBe('Triwulan IV 2026');
    expect(periodLabel(sem(2026, 1))).toBe('Semester I 2026');
    expect(periodKeyLabel('2026-T3')).toBe('Triwulan III 2026');
    expect(periodKeyLabel('2026')).toBe('Tahun 2026');
  });

  it('names the PERIODE of the evaluation document', () => {
    expect(documentPeriodLabel(tw(2026, 2))).toBe('TRIWULAN II');
    expect(documentPeriodLabel(sem(2026, 1))).toBe('SEMESTER I');
    expect(documentPeriodLabel(month(2026, 3))).toBe('BULAN MARET 2026');
    expect(documentPeriodLabel(null)).toBe('AKHIR');
  });
});

describe('bounds and months', () => {
  it('gives the first and last day', () => {
    expect([firstDay(month(2028, 2)), lastDay(month(2028, 2))]).toEqual(['2028-02-01', '2028-02-29']);
    expect([firstDay(tw(2026, 2)), lastDay(tw(2026, 2))]).toEqual(['2026-04-01', '2026-06-30']);
    expect([firstDay(tw(2026, 4)), lastDay(tw(2026, 4))]).toEqual(['2026-10-01', '2026-12-31']);
    expect([firstDay(sem(2026, 1)), lastDay(sem(2026, 1))]).toEqual(['2026-01-01', '2026-06-30']);
    expect([firstDay(sem(2026, 2)), lastDay(sem(2026, 2))]).toEqual(['2026-07-01', '2026-12-31']);
  });

  it('lists the months covered', () => {
    expect(periodMonths(month(2026, 5))).toEqual(['2026-05']);
    expect(periodMonths(tw(2026, 3))).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(periodMonths(sem(2026, 2))).toEqual(['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
  });
});

describe('next and previous', () => {
  it('steps across the year end', () => {
    expect(nextPeriod(month(2026, 12))).toEqual(month(2027, 1));
    expect(previousPeriod(month(2026, 1))).toEqual(month(2025, 12));
    expect(nextPeriod(tw(2026, 4))).toEqual(tw(2027, 1));
    expect(previousPeriod(tw(2026, 1))).toEqual(tw(2025, 4));
    expect(nextPeriod(sem(2026, 2))).toEqual(sem(2027, 1));
    expect(previousPeriod(sem(2026, 1))).toEqual(sem(2025, 2));
    expect(addPeriods(tw(2026, 2), -6)).toEqual(tw(2024, 4));
    expect(addPeriods(month(2026, 3), 22)).toEqual(month(2028, 1));
  });
});

describe('periodContaining', () => {
  it('finds the period of a kind that holds a date or month', () => {
    expect(periodContaining('2026-05-31', 'bulanan')).toEqual(month(2026, 5));
    expect(periodContaining('2026-05-31', 'triwulanan')).toEqual(tw(2026, 2));
    expect(periodContaining('2026-03', 'triwulanan')).toEqual(tw(2026, 1));
    expect(periodContaining('2026-10-01', 'triwulanan')).toEqual(tw(2026, 4));
    expect(periodContaining('2026-06-30', 'semesteran')).toEqual(sem(2026, 1));
    expect(periodContaining('2026-07-01', 'semesteran')).toEqual(sem(2026, 2));
  });

  it('tells a future period', () => {
    expect(isAfter(tw(2026, 3), '2026-06-30')).toBe(true);
    expect(isAfter(tw(2026, 2), '2026-04-01')).toBe(false);
    expect(isAfter(month(2026, 6), '2026-05-31')).toBe(true);
  });
});

describe('keys typed in commands and carried in buttons', () => {
  it('reads a year or a period into its key', () => {
    expect(['2025', '2026-3', '2026-t2', ' S1 2026 ', '2026-13', '2026-T5', '1999', 'x'].map(yearOrPeriodKey)).toEqual([
      '2025',
      '2026-03',
      '2026-T2',
      '2026-S1',
      null,
      null,
      null,
      null,
    ]);
    const button = new RegExp(`^kb:(${YEAR_OR_PERIOD_KEY_SOURCE})$`);
    expect(['kb:2026', 'kb:2026-03', 'kb:2026-T2', 'kb:2026-S1'].map((d) => button.exec(d)?.[1])).toEqual(['2026', '2026-03', '2026-T2', '2026-S1']);
    expect(button.test('kb:2026-x1')).toBe(false);
  });

  it('names a month and the periods that cover it', () => {
    expect(periodKeysContaining('2026-05')).toEqual(['2026-05', '2026-T2', '2026-S1']);
    expect(periodKeysContaining('2026-12')).toEqual(['2026-12', '2026-T4', '2026-S2']);
    expect(periodPhrase('2026-05')).toBe('bulan Mei 2026');
    expect(periodPhrase('2026-T2')).toBe('Triwulan II 2026');
    expect(periodPhrase('2026')).toBe('Tahun 2026');
  });
});

describe('periods spelled out, as people type them', () => {
  it('reads month names and their short forms, any case', () => {
    expect(parsePeriod('Mei 2026')).toEqual(month(2026, 5));
    expect(parsePeriod('  januari   2027 ')).toEqual(month(2027, 1));
    expect(parsePeriod('Agt 2026')).toEqual(month(2026, 8));
    expect(parsePeriod('NOP-2026')).toEqual(month(2026, 11));
    expect(parsePeriod('Des. 2026')).toEqual(month(2026, 12));
  });

  it('reads triwulan and semester in words', () => {
    expect(parsePeriod('Triwulan II 2026')).toEqual(tw(2026, 2));
    expect(parsePeriod('tw 3 2026')).toEqual(tw(2026, 3));
    expect(parsePeriod('Semester 1 2026')).toEqual(sem(2026, 1));
    expect(parsePeriod('smt II 2026')).toEqual(sem(2026, 2));
  });

  it('refuses what is no period: an unknown word, a month without its year, out of range', () => {
    expect(parsePeriod('Pegawai 2026')).toBeNull();
    expect(parsePeriod('Mei')).toBeNull();
    expect(parsePeriod('Triwulan V 2026')).toBeNull();
    expect(parsePeriod('Semester 3 2026')).toBeNull();
    expect(parsePeriod('Mei 1999')).toBeNull();
    expect(yearOrPeriodKey('Maret 2026')).toBe('2026-03');
  });

  it('with today given, reads periods said relative to it and month names without their year', () => {
    const today = '2026-06-10';
    expect(withPeriodKeys('bulan ini', today)).toBe('2026-06');
    expect(withPeriodKeys('terlambat bulan lalu', today)).toBe('terlambat 2026-05');
    expect(withPeriodKeys('tahun ini csv Pegawai', today)).toBe('2026 csv Pegawai');
    expect(withPeriodKeys('Tahun lalu', today)).toBe('2025');
    expect(withPeriodKeys('tahun depan', today)).toBe('2027');
    expect(withPeriodKeys('mutu desember', today)).toBe('mutu 2025-12');
    expect(withPeriodKeys('Juni 2025', today)).toBe('2025-06');
    expect(withPeriodKeys('jun', today)).toBe('jun');
    expect(withPeriodKeys('bulan ini')).toBe('bulan ini');
  });

  it('rewrites the periods of a command line and leaves its other words alone', () => {
    expect(withPeriodKeys('mutu Mei 2026 org=baik')).toBe('mutu 2026-05 org=baik');
    expect(withPeriodKeys('Triwulan II 2026 csv Pegawai')).toBe('2026-T2 csv Pegawai');
    expect(withPeriodKeys('monthly-reminder 2026-06-01 05/2026')).toBe('monthly-reminder 2026-06-01 2026-05');
    expect(withPeriodKeys('2026 terlambat')).toBe('2026 terlambat');
    expect(withPeriodKeys('Pegawai 2026')).toBe('Pegawai 2026');
  });
});

describe('a period named without its year', () => {
  it('is the latest one that has begun', () => {
    expect(latestPeriodNamed('mei', '2026-06-10')).toEqual(month(2026, 5));
    expect(latestPeriodNamed('Juni', '2026-06-10')).toEqual(month(2026, 6));
    expect(latestPeriodNamed('desember', '2027-01-05')).toEqual(month(2026, 12));
    expect(latestPeriodNamed('Triwulan II', '2026-03-31')).toEqual(tw(2025, 2));
    expect(latestPeriodNamed('s1', '2026-01-01')).toEqual(sem(2026, 1));
  });

  it('is null for anything else', () => {
    expect(latestPeriodNamed('mai', '2026-06-10')).toBeNull();
    expect(latestPeriodNamed('Mei 2026', '2026-06-10')).toBeNull();
    expect(latestPeriodNamed('05', '2026-06-10')).toBeNull();
    expect(latestPeriodNamed('terlambat', '2026-06-10')).toBeNull();
  });

  it('typedPeriodKey reads a year, a key, a spelled period or a name without its year', () => {
    expect(typedPeriodKey('2026', '2026-06-10')).toBe('2026');
    expect(typedPeriodKey('2026-t2', '2026-06-10')).toBe('2026-T2');
    expect(typedPeriodKey('Juni 2025', '2026-06-10')).toBe('2025-06');
    expect(typedPeriodKey('juli', '2026-06-10')).toBe('2025-07');
    expect(typedPeriodKey('bulan ini', '2026-06-10')).toBeNull();
  });
});
