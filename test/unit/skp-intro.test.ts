// Unit: /skp's first message names the day the year's SKP is to be sent by, today's, or that it has passed.
import { describe, expect, it } from 'vitest';
import { skpTexts } from '../../src/chat/texts/skp.js';

describe("/skp's intro", () => {
  it('says the deadline ahead, today, or passed', () => {
    expect(skpTexts.intro('2027', { label: 'Senin, 1 Februari 2027', passed: false, today: false })).toMatch(
      /^<b>SKP Tahun 2027<\/b>\nBatas pengiriman kepada pejabat penilai: <b>Senin, 1 Februari 2027<\/b>\.\n\nBapak\/Ibu dapat menyusun/,
    );
    expect(skpTexts.intro('2026', { label: 'Senin, 2 Februari 2026', passed: false, today: true })).toContain('<b>Senin, 2 Februari 2026</b> (hari ini).');
    expect(skpTexts.intro('2026', { label: 'Senin, 2 Februari 2026', passed: true, today: false })).toMatch(
      /^<b>SKP Tahun 2026<\/b>\n⚠️ Batas pengirimannya, Senin, 2 Februari 2026, sudah lewat: mohon segera disusun dan dikirim kepada pejabat penilai\.\n\n/,
    );
  });
});
