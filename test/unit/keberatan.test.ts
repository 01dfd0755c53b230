// Unit: the keberatan window is 14 calendar days from receipt, in agency-local dates, weekends included.
import { describe, expect, it } from 'vitest';
import { createCalendar, DEFAULT_WORKING_HOURS } from '../../src/domain/calendar.js';
import { addCalendarDays, isWindowOpen, keberatanWindow } from '../../src/domain/keberatan.js';
import { keberatanTexts } from '../../src/chat/texts/keberatan.js';

const calendar = (timeZone: 'Asia/Jakarta' | 'Asia/Makassar') =>
  createCalendar({ timeZone, alwaysOpen: false, workingHours: DEFAULT_WORKING_HOURS, holidays: [], cutiBersama: [], specialPeriods: [] });

describe('keberatan window', () => {
  it('adds calendar days across weekends, month and year ends', () => {
    expect(addCalendarDays('2026-03-06', 14)).toBe('2026-03-20'); // Friday → Friday, two weekends inside
    expect(addCalendarDays('2026-02-20', 14)).toBe('2026-03-06');
    expect(addCalendarDays('2026-12-25', 14)).toBe('2027-01-08');
  });

  it('received on a Friday: open through the Friday two weeks later, closed from that Saturday 00.00 local', () => {
    const wib = calendar('Asia/Jakarta');
    // Friday 6 March 2026, 15.00 WIB.
    const w = keberatanWindow(new Date('2026-03-06T08:00:00Z'), wib);
    expect(w).toMatchObject({ receivedOn: '2026-03-06', closesOn: '2026-03-20' });
    expect(w.closedAt.toISOString()).toBe('2026-03-20T17:00:00.000Z');
    expect(isWindowOpen(w, new Date('2026-03-20T16:59:59Z'))).toBe(true); // Friday 23.59.59 WIB
    expect(isWindowOpen(w, new Date('2026-03-20T17:00:00Z'))).toBe(false); // Saturday 00.00 WIB
  });

  it('received on a Saturday (delivered at the weekend): weekend days count, the window ends on a Saturday', () => {
    const w = keberatanWindow(new Date('2026-03-07T02:00:00Z'), calendar('Asia/Jakarta'));
    expect(w.closesOn).toBe('2026-03-21');
    expect(isWindowOpen(w, new Date('2026-03-21T10:00:00Z'))).toBe(true);
    expect(isWindowOpen(w, new Date('2026-03-22T02:00:00Z'))).toBe(false);
  });

  it('uses the agency-local date of receipt: 23.30 WITA on Sunday is Sunday, not the UTC Sunday afternoon', () => {
    // Sunday 8 March 2026 23.30 WITA = 15.30 UTC; Monday 00.30 WITA would be the next local day.
    const wita = calendar('Asia/Makassar');
    expect(keberatanWindow(new Date('2026-03-08T15:30:00Z'), wita).closesOn).toBe('2026-03-22');
    expect(keberatanWindow(new Date('2026-03-08T16:30:00Z'), wita).closesOn).toBe('2026-03-23');
  });
});

describe('the /keberatan list', () => {
  const result = { caseId: 'c', predikat: 'baik' as const, rating: { hasilKerja: null, perilaku: null }, keberatan: null };
  it('says nothing can be objected to yet when no result has been delivered, instead of asking to choose', () => {
    const text = keberatanTexts.list([{ ...result, period: '2026-11', window: null, open: false }], 'Asia/Jakarta');
    expect(text).toMatch(/November 2026 — predikat <b>Baik<\/b>\n\s+hasil belum disampaikan kepada Bapak\/Ibu/);
    expect(text).toMatch(/Saat ini tidak ada hasil yang dapat diajukan keberatan/);
    expect(text).not.toMatch(/Pilih hasil/);
  });
  it('shows the typed form with a result open to an objection', () => {
    const window = { receivedOn: '2026-12-01', closesOn: '2026-12-15', closedAt: new Date('2026-12-15T17:00:00Z') };
    const text = keberatanTexts.list([{ ...result, period: '2026-11', window, open: true }], 'Asia/Jakarta');
    expect(text).toMatch(/Pilih hasil yang diajukan keberatan dengan tombol di bawah, atau ketik periodenya, misalnya <code>\/keberatan 2026-11<\/code>\.$/);
  });
});
