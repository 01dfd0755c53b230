import { describe, expect, it } from 'vitest';
import { broadcastButtons } from '../../src/chat/buttons/broadcast.js';
import { caseButtons, type CaseButton } from '../../src/chat/buttons/case.js';
import { buttonFamily, CALLBACK_DATA_MAX_BYTES } from '../../src/chat/buttons/codec.js';
import { collectButtons } from '../../src/chat/buttons/collect.js';
import { keberatanButtons } from '../../src/chat/buttons/keberatan.js';
import { rosterUploadButtons } from '../../src/chat/buttons/roster.js';
import { broadcastKeyboards } from '../../src/chat/texts/broadcast.js';

const caseId = '0b6f8a2e-3c1d-4e5f-9a7b-1c2d3e4f5a6b';

describe('button families', () => {
  it('decode what they encode, within Telegram’s 64 bytes', () => {
    const samples: CaseButton[] = [
      { op: 'ok', caseId, version: 12 },
      { op: 'hk', caseId, version: 3, hk: 'di_atas' },
      { op: 'rc', caseId, version: 999999, hk: 'sesuai', pl: 'di_bawah' },
    ];
    for (const b of samples) {
      const data = caseButtons.encode(b);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
      expect(caseButtons.decode(data)).toEqual(b);
    }
    expect(collectButtons.decode(collectButtons.encode({ op: 'toggle', index: 7 }))).toEqual({ op: 'toggle', index: 7 });
    expect(rosterUploadButtons.decode(rosterUploadButtons.encode({ op: 'cancel', uploadId: caseId }))).toEqual({ op: 'cancel', uploadId: caseId });
    expect(keberatanButtons.decode(keberatanButtons.encode({ period: '2026-T2' }))).toEqual({ period: '2026-T2' });
  });

  it('refuse malformed or forged data instead of guessing', () => {
    for (const data of ['cs:ok:123:1', `cs:zz:${caseId}:1`, `cs:hk:${caseId}:1`, `cs:hk:${caseId}:1:x`, `cs:ok:${caseId}:1:a`, `cs:rc:${caseId}:1:a`, `cs:ok:${caseId}:x`]) {
      expect(caseButtons.decode(data)).toBeNull();
    }
    expect(collectButtons.decode('kp:t:abc')).toBeNull();
    expect(collectButtons.decode('kp:s:1')).toBeNull();
    expect(keberatanButtons.decode('kb:t:1')).toBeNull();
    expect(keberatanButtons.decode('kp:s')).toBeNull();
  });

  it('cannot be declared twice for the same data, nor over 64 bytes', () => {
    expect(() => buttonFamily('cs', { encode: () => [], decode: () => null })).toThrow(/same callback data/);
    expect(() => buttonFamily('kp:x', { encode: () => [], decode: () => null })).toThrow(/same callback data/);
    const long = buttonFamily('zz-test', { encode: (s: string) => [s], decode: ([s]) => s ?? null });
    expect(() => long.encode('x'.repeat(64))).toThrow(/over 64 bytes/);
  });
});

describe('the announcement audience menu', () => {
  it('decodes every button it offers, the late month and the annual evaluation included', () => {
    const menu = broadcastKeyboards.audience({ wholeInstansi: true, scopeName: null, skpYear: 2027, realisasiMonth: '2027-01', lateRealisasiMonth: '2026-12', evaluationYear: 2026 });
    const data = menu.reply_markup.inline_keyboard.flat().map((b) => (b as { callback_data: string }).callback_data);
    expect(data).toEqual(['bc:a:all', 'bc:a:units', 'bc:a:atasan', 'bc:a:pengelola', 'bc:a:noskp:2027', 'bc:a:noeval:2026', 'bc:a:noreal:2026-12', 'bc:a:noreal:2027-01']);
    for (const d of data) expect(broadcastButtons.decode(d), d).toEqual({ op: 'audience', audience: d.slice('bc:a:'.length) });
  });
});
