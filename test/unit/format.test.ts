// Unit tests for Indonesian date, time and duration formatting in WIB/WITA/WIT.
import { describe, it, expect } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatDuration,
  formatMonth,
  formatShortDateTime,
  timeZoneAbbrev,
} from '../../src/domain/format.js';
import { DomainError } from '../../src/domain/errors.js';

describe('time zones', () => {
  it('abbreviates each agency zone', () => {
    expect(timeZoneAbbrev('Asia/Jakarta')).toBe('WIB');
    expect(timeZoneAbbrev('Asia/Makassar')).toBe('WITA');
    expect(timeZoneAbbrev('Asia/Jayapura')).toBe('WIT');
    expect(() => timeZoneAbbrev('Asia/Singapore' as never)).toThrow(DomainError);
  });

  it('formats the same instant in each zone', () => {
    const instant = new Date('2026-02-01T23:30:00Z');
    expect(formatDateTime(instant, 'Asia/Jakarta')).toBe('Senin, 2 Februari 2026 pukul 06.30 WIB');
    expect(formatDateTime(instant, 'Asia/Makassar')).toBe('Senin, 2 Februari 2026 pukul 07.30 WITA');
    expect(formatDateTime(instant, 'Asia/Jayapura')).toBe('Senin, 2 Februari 2026 pukul 08.30 WIT');
    expect(formatShortDateTime(instant, 'Asia/Jakarta')).toBe('02/02/2026 06.30 WIB');
    expect(formatShortDateTime(instant, 'Asia/Makassar')).toBe('02/02/2026 07.30 WITA');
    expect(formatShortDateTime(instant, 'Asia/Jayapura')).toBe('02/02/2026 08.30 WIT');
  });

  it('puts an instant near midnight on different local dates', () => {
    const instant = new Date('2026-02-01T16:30:00Z');
    expect(formatDate(instant, 'Asia/Jakarta')).toBe('Minggu, 1 Februari 2026');
    expect(formatDate(instant, 'Asia/Makassar')).toBe('Senin, 2 Februari 2026');
    expect(formatDateTime(instant, 'Asia/Jayapura')).toBe('Senin, 2 Februari 2026 pukul 01.30 WIT');
    expect(formatShortDateTime(new Date('2025-12-31T17:00:00Z'), 'Asia/Jakarta')).toBe('01/01/2026 00.00 WIB');
  });

  it('drops seconds rather than rounding up', () => {
    expect(formatDateTime(new Date('2026-02-01T23:30:59.999Z'), 'Asia/Makassar')).toBe(
      'Senin, 2 Februari 2026 pukul 07.30 WITA',
    );
  });
});

describe('formatDate', () => {
  it('names every weekday', () => {
    const expected = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
    expected.forEach((name, i) => {
      expect(formatDate(`2026-02-0${i + 1}`, 'Asia/Jakarta')).toBe(`${name}, ${i + 1} Februari 2026`);
    });
  });

  it('treats a YYYY-MM-DD string as a local date in any zone', () => {
    for (const tz of ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'] as const) {
      expect(formatDate('2026-08-17', tz)).toBe('Senin, 17 Agustus 2026');
    }
    expect(formatDate('2026-12-25', 'Asia/Jayapura')).toBe('Jumat, 25 Desember 2026');
  });

  it('rejects malformed dates', () => {
    expect(() => formatDate('2026-02-30', 'Asia/Jakarta')).toThrow(DomainError);
    expect(() => formatDate(new Date('x'), 'Asia/Jakarta')).toThrow(DomainError);
  });
});

describe('formatMonth', () => {
  it('names every month', () => {
    const names = [
      'Januari',
      'Februari',
      'Maret',
      'April',
      'Mei',
      'Juni',
      'Juli',
      'Agustus',
      'September',
      'Oktober',
      'November',
      'Desember',
    ];
    names.forEach((name, i) => expect(formatMonth(2026, i + 1)).toBe(`${name} 2026`));
  });

  it('uses the month names in full dates too', () => {
    expect(formatDate(new Date('2026-05-14T03:00:00Z'), 'Asia/Makassar')).toBe('Kamis, 14 Mei 2026');
    expect(formatDate(new Date('2026-11-10T03:00:00Z'), 'Asia/Makassar')).toBe('Selasa, 10 November 2026');
  });

  it('rejects months outside 1-12', () => {
    expect(() => formatMonth(2026, 0)).toThrow(DomainError);
    expect(() => formatMonth(2026, 13)).toThrow(DomainError);
  });
});

describe('formatDuration (a hari kerja is 450 minutes)', () => {
  it.each([
    [0, '0 menit'],
    [1, '1 menit'],
    [45, '45 menit'],
    [60, '1 jam'],
    [190, '3 jam 10 menit'],
    [449, '7 jam 29 menit'],
    [450, '1 hari kerja'],
    [455, '1 hari kerja 5 menit'],
    [960, '2 hari kerja 1 jam'],
    [995, '2 hari kerja 1 jam 35 menit'],
    [44.6, '45 menit'],
    [0.4, '0 menit'],
    [-30, '-30 menit'],
  ])('%s minutes → %s', (minutes, expected) => {
    expect(formatDuration(minutes)).toBe(expected);
  });

  it('rejects non-finite input', () => {
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(DomainError);
  });
});
