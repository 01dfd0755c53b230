// Link codes: every issued code is taken for one when typed on its own, in lower case and in groups of four.
import { describe, expect, it } from 'vitest';
import { generateLinkCode, looksLikeLinkCode } from '../../src/app/link-account.js';

describe('link codes', () => {
  it('always hold a digit, so a code typed in lower case is read as a code', () => {
    // Letters-only codes came about once in 90: 5,000 draws meet dozens of them.
    for (let i = 0; i < 5000; i++) {
      const code = generateLinkCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
      expect(looksLikeLinkCode(code.toLowerCase()), code).toBe(true);
    }
  });

  it('does not take a twelve-letter word in lower case for a code', () => {
    expect(looksLikeLinkCode('selamatpagii')).toBe(false);
    expect(looksLikeLinkCode('SELAMATPAGII')).toBe(true);
  });
});
