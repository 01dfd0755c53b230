// Phone normalisation: the spellings of one Indonesian number, foreign numbers and garbage.
import { describe, it, expect } from 'vitest';
import { normalizePhone, samePhone } from '../../src/domain/phone.js';

describe('normalizePhone', () => {
  it('maps every spelling of an Indonesian mobile to E.164', () => {
    for (const input of [
      '+62 812-3456-7890',
      '+6281234567890',
      '6281234567890', // Telegram contact, no '+'
      '081234567890',
      '0812 3456 7890',
      '0812.3456.7890',
      '(0812) 3456-7890',
      '81234567890', // leading 0 dropped by a spreadsheet
      '+62 (0)812 3456 7890',
      '006281234567890',
      ' \u00a00812-3456-7890 ',
    ]) {
      expect(normalizePhone(input), input).toBe('+6281234567890');
    }
  });

  it('accepts Indonesian landlines and the length bounds of the national number', () => {
    expect(normalizePhone('(021) 5551234')).toBe('+62215551234');
    expect(normalizePhone('0274-512345')).toBe('+62274512345');
    expect(normalizePhone('0274 12345')).toBe('+6227412345'); // 8-digit national number
    expect(normalizePhone('0812 3456 78901')).toBe('+62812345678901'); // 12 digits
    expect(normalizePhone('+62 8123 4567 89012')).toBe('+628123456789012'); // 13 digits
    expect(normalizePhone('0274 1234')).toBeNull(); // 7
    expect(normalizePhone('+62 8123 4567 890123')).toBeNull(); // 14
  });

  it('keeps foreign numbers that carry a +', () => {
    expect(normalizePhone('+1 (415) 555-2671')).toBe('+14155552671');
    expect(normalizePhone('+60 12-345 6789')).toBe('+60123456789');
    expect(normalizePhone('0060123456789')).toBe('+60123456789');
    expect(normalizePhone('+1 234 567')).toBeNull(); // 7 digits
    expect(normalizePhone('+1234567890123456')).toBeNull(); // 16 digits
  });

  it('rejects garbage', () => {
    for (const input of ['', '   ', 'abc', '0812-3456-789a', '+', '++6281234567890', '+0812345678', '14155552671', '8.12346E+10', '0812345678 ext 12', '0']) {
      expect(normalizePhone(input), input).toBeNull();
    }
  });

  it('rejects an Indonesian national number starting with 0 or 1', () => {
    expect(normalizePhone('+62 1234 5678 9')).toBeNull();
    expect(normalizePhone('+62 00812345678')).toBeNull();
  });
});

describe('samePhone', () => {
  it('matches different spellings of one number', () => {
    expect(samePhone('+62 812-3456-7890', '081234567890')).toBe(true);
    expect(samePhone('6281234567890', '81234567890')).toBe(true);
  });

  it('does not match different numbers or garbage', () => {
    expect(samePhone('081234567890', '081234567891')).toBe(false);
    expect(samePhone('abc', 'abc')).toBe(false);
    expect(samePhone('', '')).toBe(false);
  });
});
