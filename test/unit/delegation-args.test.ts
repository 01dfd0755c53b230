// Unit tests for reading "/wakil NIP DARI SAMPAI [alasan]" as people type it (src/app/delegation.ts).
import { describe, expect, it } from 'vitest';
import { parseDelegationArgs, withRelativeDates } from '../../src/app/delegation.js';

describe('parseDelegationArgs', () => {
  it('reads DD-MM-YYYY dates and a NIP in its print form', () => {
    expect(parseDelegationArgs('19901105 201902 2 001 15-06-2026 20/06/2026 cuti tahunan')).toEqual({
      nipInput: '19901105 201902 2 001',
      fromDate: '2026-06-15',
      toDate: '2026-06-20',
      reason: 'cuti tahunan',
    });
  });

  it('reads dates with the month in words, and "s.d." or "sampai" between them', () => {
    expect(parseDelegationArgs('199011052019022001 15 Juni 2026 s.d. 20 Juni 2026 dinas luar')).toMatchObject({
      fromDate: '2026-06-15',
      toDate: '2026-06-20',
      reason: 'dinas luar',
    });
    expect(parseDelegationArgs('199011052019022001 30 Des 2026 sampai 2-1-2027')).toMatchObject({ fromDate: '2026-12-30', toDate: '2027-01-02', reason: null });
    expect(parseDelegationArgs('199011052019022001 1 Juli 2026 - 3 Juli 2026')).toMatchObject({ fromDate: '2026-07-01', toDate: '2026-07-03' });
  });

  it('refuses what is no date', () => {
    expect(() => parseDelegationArgs('199011052019022001 15 Juno 2026 20 Juni 2026')).toThrow();
    expect(() => parseDelegationArgs('199011052019022001 besok saja')).toThrow();
  });
});

describe('withRelativeDates', () => {
  // Wednesday 10 June 2026.
  const today = '2026-06-10';
  it('reads hari ini, besok, lusa and weekdays from today on', () => {
    expect(withRelativeDates('Melati besok sampai jumat', today)).toBe('Melati 11-06-2026 sampai 12-06-2026');
    expect(withRelativeDates('Melati hari ini s.d. lusa cuti', today)).toBe('Melati 10-06-2026 s.d. 12-06-2026 cuti');
    // Today's weekday is today; Monday is next week's; "Jum'at" and "hari Senin" too.
    expect(withRelativeDates('x rabu senin', today)).toBe('x 10-06-2026 15-06-2026');
    expect(withRelativeDates("x hari Senin sampai Jum'at", today)).toBe('x 15-06-2026 sampai 12-06-2026');
    expect(parseDelegationArgs(withRelativeDates('199011052019022001 besok sampai jumat dinas luar', today))).toMatchObject({
      fromDate: '2026-06-11',
      toDate: '2026-06-12',
      reason: 'dinas luar',
    });
  });
  it('leaves "minggu depan" (a week) and other words alone', () => {
    expect(withRelativeDates('x minggu depan', today)).toBe('x minggu depan');
    expect(withRelativeDates('x minggu', today)).toBe('x 14-06-2026');
    expect(withRelativeDates('cuti besoknya', today)).toBe('cuti besoknya');
  });
});
