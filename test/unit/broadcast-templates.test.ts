// Unit: the announcement templates and audiences take the year and month that fit the date, never a deadline past.
import { describe, expect, it } from 'vitest';
import { realisasiMonthFor, skpYearFor, templateKeys } from '../../src/app/broadcast.js';
import type { ProcedureRegistry } from '../../src/app/procedures.js';
import type { AppConfig } from '../../src/config.js';

const config = { deployment: { annual: { skpDeadline: '01-31' }, monthly: { deadlineDay: 5 } } } as unknown as AppConfig;
const procedures = { all: () => [] } as unknown as ProcedureRegistry;
const tz = 'Asia/Jakarta';
const keys = (iso: string) => templateKeys(config, procedures, new Date(iso), tz);

describe('announcement templates by date', () => {
  it('on 4 December offers next year\'s SKP, never this year\'s passed deadline', () => {
    expect(keys('2026-12-04T02:00:00Z')).toEqual(['skp:2027', 'real:2026-11']);
    expect(skpYearFor(new Date('2026-12-04T02:00:00Z'), tz)).toBe(2027);
  });

  it('in January offers this year\'s SKP until its deadline', () => {
    expect(keys('2026-01-04T02:00:00Z')).toEqual(['skp:2026', 'real:2025-12']);
    expect(keys('2026-01-31T16:00:00Z')).toEqual(['skp:2026', 'real:2026-01']); // 31 Jan 23.00 WIB: still the day
    expect(keys('2026-02-01T02:00:00Z')).toEqual(['real:2026-01']);
  });

  it('mid-year offers no SKP template; the realisation due next moves on after its deadline day', () => {
    expect(keys('2026-06-03T02:00:00Z')).toEqual(['real:2026-05']);
    expect(keys('2026-06-20T02:00:00Z')).toEqual(['real:2026-06']);
    expect(realisasiMonthFor(config, new Date('2026-06-05T10:00:00Z'), tz)).toBe('2026-05');
    expect(skpYearFor(new Date('2026-06-20T02:00:00Z'), tz)).toBe(2026);
  });
});
