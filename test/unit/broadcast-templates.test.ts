// Unit: the announcement templates and audiences take the year and month that fit the date, never a deadline past,
// and the deadlines /skp and /realisasi hold (moved off a weekend).
import { describe, expect, it } from 'vitest';
import { lateRealisasiMonthFor, realisasiMonthFor, resolveTemplate, skpYearFor, templateKeys } from '../../src/app/broadcast.js';
import type { ProcedureRegistry } from '../../src/app/procedures.js';
import type { AppConfig } from '../../src/config.js';
import { createCalendar, DEFAULT_WORKING_HOURS } from '../../src/domain/calendar.js';
import { templateHtml, templateLabel } from '../../src/chat/texts/broadcast.js';

const config = { deployment: { annual: { skpDeadline: '01-31', evaluationDeadline: '01-31' }, monthly: { deadlineDay: 5 } } } as unknown as AppConfig;
const procedures = { all: () => [] } as unknown as ProcedureRegistry;
const tz = 'Asia/Jakarta';
const calendar = createCalendar({ timeZone: tz, alwaysOpen: false, workingHours: DEFAULT_WORKING_HOURS, holidays: [], cutiBersama: [], specialPeriods: [] });
const keys = (iso: string) => templateKeys(config, calendar, procedures, new Date(iso));

describe('announcement templates by date', () => {
  it('on 4 December offers next year\'s SKP, never this year\'s passed deadline', () => {
    expect(keys('2026-12-04T02:00:00Z')).toEqual(['skp:2027', 'real:2026-11']);
    expect(skpYearFor(new Date('2026-12-04T02:00:00Z'), tz)).toBe(2027);
  });

  it('next year\'s SKP, announced before 1 January, says when /skp opens it; its deadline is a working day', () => {
    const early = resolveTemplate(config, calendar, procedures, 'skp:2027', new Date('2026-12-04T02:00:00Z'));
    // 31 January 2027 is a Sunday.
    expect(early).toEqual({ kind: 'skp', year: 2027, deadline: '2027-02-01', opensOn: '2027-01-01' });
    expect(templateLabel(early!)).toBe('📝 SKP tahun 2027 dibuka 1 Januari');
    expect(templateHtml(early!, tz)).toMatch(/dapat disusun mulai <b>Jumat, 1 Januari 2027<\/b> dengan perintah \/skp[\s\S]*Batas waktu: <b>Senin, 1 Februari 2027<\/b>/);
    const open = resolveTemplate(config, calendar, procedures, 'skp:2027', new Date('2027-01-04T02:00:00Z'));
    expect(open).toMatchObject({ opensOn: null });
    expect(templateLabel(open!)).toBe('📝 Segera buat SKP tahun 2027');
    expect(templateHtml(open!, tz)).toMatch(/mohon segera menyusun Sasaran Kinerja Pegawai \(SKP\) tahun 2027 dengan perintah \/skp/);
  });

  it('in January offers this year\'s SKP until its deadline, moved off the weekend', () => {
    expect(keys('2026-01-04T02:00:00Z')).toEqual(['skp:2026', 'real:2025-12']);
    expect(keys('2026-01-31T16:00:00Z')).toEqual(['skp:2026', 'eval:2025', 'real:2025-12', 'real:2026-01']); // 31 Jan 23.00 WIB: still the day
    // 31 January 2026 is a Saturday: the SKP is due Monday 2 February.
    expect(keys('2026-02-02T02:00:00Z')).toEqual(['skp:2026', 'eval:2025', 'real:2026-01']);
    expect(keys('2026-02-03T02:00:00Z')).toEqual(['real:2026-01']);
    expect(keys('2026-02-06T02:00:00Z')).toEqual(['real:2026-01', 'real:2026-02']);
  });

  it('mid-year offers no SKP template; the realisation due next moves on after its deadline day', () => {
    expect(keys('2026-06-03T02:00:00Z')).toEqual(['real:2026-05']);
    expect(keys('2026-06-20T02:00:00Z')).toEqual(['real:2026-05', 'real:2026-06']);
    expect(realisasiMonthFor(config, calendar, new Date('2026-06-05T10:00:00Z'))).toBe('2026-05');
    expect(skpYearFor(new Date('2026-06-20T02:00:00Z'), tz)).toBe(2026);
  });

  it('keeps last month while its deadline, moved to Monday, still runs', () => {
    // 5 December 2026 is a Saturday: November is due through Monday the 7th.
    expect(realisasiMonthFor(config, calendar, new Date('2026-12-07T15:40:00Z'))).toBe('2026-11');
    expect(realisasiMonthFor(config, calendar, new Date('2026-12-07T17:00:00Z'))).toBe('2026-12');
    const due = resolveTemplate(config, calendar, procedures, 'real:2026-11', new Date('2026-12-04T02:00:00Z'))!;
    expect(due).toEqual({ kind: 'realisasi', month: '2026-11', deadline: '2026-12-07', late: false });
    expect(templateHtml(due, tz)).toMatch(/beserta bukti dukungnya dengan perintah <code>\/realisasi november<\/code>\.\n\nBatas waktu: <b>Senin, 7 Desember 2026<\/b>\./);
  });

  it('while last year\'s annual evaluation is open, offers the pejabat penilai its announcement, with its deadline', () => {
    // December 2026 is due on Tuesday 5 January 2027: the evaluation opens on Wednesday the 6th.
    expect(keys('2027-01-05T02:00:00Z')).not.toContain('eval:2026');
    expect(keys('2027-01-06T02:00:00Z')).toEqual(['skp:2027', 'eval:2026', 'real:2026-12', 'real:2027-01']);
    // 31 January 2027 is a Sunday: due Monday 1 February, offered through that day.
    expect(keys('2027-02-01T16:00:00Z')).toContain('eval:2026'); // 23.00 WIB
    expect(keys('2027-02-01T17:00:00Z')).not.toContain('eval:2026');
    const evaluation = resolveTemplate(config, calendar, procedures, 'eval:2026', new Date('2027-01-06T02:00:00Z'))!;
    expect(evaluation).toEqual({ kind: 'evaluasi', year: 2026, deadline: '2027-02-01' });
    expect(templateLabel(evaluation)).toBe('⭐ Evaluasi kinerja tahunan 2026 (untuk pejabat penilai)');
    expect(templateHtml(evaluation, tz)).toMatch(/evaluasi kinerja tahunan 2026 sudah dibuka\. [^\n]+ menunggu di \/tugas[^\n]+\n\nBatas waktu: <b>Senin, 1 Februari 2027<\/b>\./);
  });

  it('from the day after a deadline to the month\'s end, chases the late of that month with its own command', () => {
    expect(lateRealisasiMonthFor(config, calendar, new Date('2026-12-07T15:40:00Z'))).toBeNull(); // the deadline day, 22.40 WIB
    expect(lateRealisasiMonthFor(config, calendar, new Date('2026-12-07T17:00:00Z'))).toBe('2026-11');
    expect(lateRealisasiMonthFor(config, calendar, new Date('2026-12-31T16:00:00Z'))).toBe('2026-11'); // 31 Dec 23.00 WIB
    expect(lateRealisasiMonthFor(config, calendar, new Date('2027-01-04T02:00:00Z'))).toBeNull(); // December is due until the 5th
    expect(keys('2026-12-08T02:00:00Z')).toEqual(['skp:2027', 'real:2026-11', 'real:2026-12']);
    const late = resolveTemplate(config, calendar, procedures, 'real:2026-11', new Date('2026-12-08T02:00:00Z'))!;
    expect(late).toEqual({ kind: 'realisasi', month: '2026-11', deadline: '2026-12-07', late: true });
    expect(templateLabel(late)).toBe('⏰ Realisasi November 2026 belum masuk');
    expect(templateHtml(late, tz)).toMatch(
      /batas waktu realisasi kinerja bulan November 2026 \(Senin, 7 Desember 2026\) sudah lewat\. [^\n]+<code>\/realisasi november<\/code>\. Realisasi yang dikirim sekarang tetap diterima dan dicatat terlambat\./,
    );
  });
});
