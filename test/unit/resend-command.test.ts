// Unit: the command a return notice names to send the case again. An SKP returned in December is fixed in January
// with "/skp YEAR" (from 1 January /skp builds the new year's), so the notice says both.
import { describe, expect, it } from 'vitest';
import { resendCommandFor } from '../../src/chat/texts/approvals.js';
import type { Procedure } from '../../src/domain/procedure.js';

const skp = { purpose: 'skp_annual' } as Procedure;
const monthly = { purpose: 'monthly_assessment' } as Procedure;
const tz = 'Asia/Jakarta';

describe('resendCommandFor', () => {
  it('names /skp during the SKP’s year, and how it is sent from January when returned in December', () => {
    expect(resendCommandFor(skp, '2026', new Date('2026-02-10T03:00:00Z'), tz)).toBe('/skp');
    expect(resendCommandFor(skp, '2026', new Date('2026-11-30T16:59:00Z'), tz)).toBe('/skp'); // 30 Nov 23.59 WIB
    expect(resendCommandFor(skp, '2026', new Date('2026-11-30T17:00:00Z'), tz)).toBe('/skp (mulai 1 Januari 2027: <code>/skp 2026</code>)');
    expect(resendCommandFor(skp, '2026', new Date('2027-01-04T03:00:00Z'), tz)).toBe('<code>/skp 2026</code>');
  });

  it('leaves other procedures’ commands as they are', () => {
    expect(resendCommandFor(monthly, '2026-12', new Date('2026-12-20T03:00:00Z'), tz)).toBe('/realisasi');
  });
});
