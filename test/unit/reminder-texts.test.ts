// Unit: the realisation reminders name the period after /realisasi (a month by its name, a triwulan by its key),
// and a reminder or last call run after the deadline says it has passed instead of "hari ini batas terakhir".
import { describe, expect, it } from 'vitest';
import { reminderTexts } from '../../src/chat/texts/operations.js';
import { periodArgument } from '../../src/domain/period.js';

const tz = 'Asia/Jakarta';

describe('realisation reminders', () => {
  it('name the period the command opens', () => {
    expect(periodArgument('2026-11')).toBe('november');
    expect(periodArgument('2026-T4')).toBe('2026-T4');
    expect(periodArgument('2026-S1')).toBe('2026-S1');
    expect(reminderTexts.monthlyReminder('2026-11', '2026-12-07', tz, '2026-12-03')).toMatch(/Batas pengisian: <b>Senin, 7 Desember 2026<\/b>\.\n\nKetik <code>\/realisasi november<\/code> untuk mengisinya\.$/);
    expect(reminderTexts.monthlyLastCall('2026-T4', '2027-01-05', tz, '2027-01-05')).toMatch(/^⚠️ <b>Hari ini batas terakhir realisasi Triwulan IV 2026<\/b>[\s\S]*Ketik <code>\/realisasi 2026-T4<\/code> sekarang/);
  });

  it('run by hand before the deadline day, name the day instead of "hari ini"', () => {
    const early = reminderTexts.monthlyLastCall('2026-12', '2027-01-05', tz, '2027-01-04');
    expect(early).toBe(
      '⚠️ <b>Batas terakhir realisasi bulan Desember 2026: Selasa, 5 Januari 2027</b>\n\nYth. Bapak/Ibu, realisasi kinerja bulan Desember 2026 belum kami terima. ' +
        'Ketik <code>/realisasi desember</code> sekarang; pengiriman setelah tanggal itu tetap diterima tetapi dicatat terlambat.',
    );
  });

  it('run after the deadline, say it has passed and that a late realisation is still taken', () => {
    for (const text of [
      reminderTexts.monthlyReminder('2026-11', '2026-12-07', tz, '2026-12-08'),
      reminderTexts.monthlyLastCall('2026-11', '2026-12-07', tz, '2026-12-08'),
    ]) {
      expect(text).toBe(
        '⏰ <b>Realisasi bulan November 2026 belum kami terima</b>\n\nYth. Bapak/Ibu, batas pengisiannya, <b>Senin, 7 Desember 2026</b>, sudah lewat. ' +
          'Ketik <code>/realisasi november</code> untuk mengisinya: realisasi tetap diterima, tetapi dicatat terlambat.',
      );
    }
  });
});

describe('SKP reminders', () => {
  it('before, on and after the deadline', () => {
    expect(reminderTexts.annualReminder(2026, '2026-02-02', tz, '2026-01-29')).toMatch(/^⏰ <b>Pengingat SKP tahun 2026<\/b>[\s\S]*Batas: <b>Senin, 2 Februari 2026<\/b>\.\n\nKetik \/skp untuk/);
    expect(reminderTexts.annualReminder(2026, '2026-02-02', tz, '2026-02-02')).toMatch(/^⚠️ <b>Hari ini batas terakhir SKP tahun 2026<\/b> \(Senin, 2 Februari 2026\)/);
    // Run by hand in December: not "hari ini batas terakhir" ten months on.
    const late = reminderTexts.annualReminder(2026, '2026-02-02', tz, '2026-12-08');
    expect(late).toMatch(/^⏰ <b>SKP tahun 2026 belum dikirim<\/b>\n\nYth\. Bapak\/Ibu, batas penyusunannya, <b>Senin, 2 Februari 2026<\/b>, sudah lewat/);
    expect(late).toMatch(/Ketik \/skp untuk menyusun dan mengirimnya\.$/);
    expect(late).not.toMatch(/Hari ini/);
    // Last year's, from January: /skp alone would build the new year's.
    expect(reminderTexts.annualReminder(2026, '2026-02-02', tz, '2027-01-07')).toMatch(/Ketik <code>\/skp 2026<\/code> untuk menyusun dan mengirimnya\.$/);
  });
});

