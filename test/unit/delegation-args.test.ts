// Unit tests for reading "/wakil NIP DARI SAMPAI [alasan]" as people type it (src/app/delegation.ts).
import { describe, expect, it } from 'vitest';
import { parseDelegationArgs } from '../../src/app/delegation.js';

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
