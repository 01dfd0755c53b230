// The answer to "kapan batas waktu …?": the deadlines that hold for the employee now.
import type { ScheduleProgress, ScheduleView } from '../../app/schedule.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDate } from '../../domain/format.js';
import { periodKeyLabel } from '../../domain/period.js';

/**
 * `decides`: the reader approves or rates others' work, whose waiting requests /tugas lists with their deadlines.
 * `progress`: where the reader's own SKP and realisation stand, said beside their deadlines.
 */
export function scheduleText(s: ScheduleView, tz: AgencyTimeZone, decides: boolean, progress: ScheduleProgress): string {
  const date = (d: string) => formatDate(d, tz);
  const skpLine = (): string => {
    const head = `• SKP tahun ${s.skp.year}: `;
    switch (progress.skp) {
      case 'established':
        return `${head}✅ sudah ditetapkan`;
      case 'in_review':
        return `${head}sudah dikirim, sedang diperiksa atasan (posisinya: /status)`;
      case 'returned':
        return `${head}⚠️ dikembalikan untuk diperbaiki; ${s.skp.passed ? `batas penyusunan ${date(s.skp.deadline)} sudah lewat` : `paling lambat ${date(s.skp.deadline)}`}. Perbaiki lewat /skp`;
      default:
        return s.skp.passed
          ? `${head}⚠️ belum dikirim; batas penyusunan ${date(s.skp.deadline)} sudah lewat. Segera susun lewat /skp`
          : head + (s.skp.opensOn ? `dapat disusun mulai ${date(s.skp.opensOn)}, paling lambat ` : 'paling lambat ') + `${date(s.skp.deadline)} (/skp)`;
    }
  };
  const evaluation = s.evaluation
    ? `• Penilaian kinerja tahunan ${s.evaluation.year} oleh pejabat penilai: ` +
      (s.evaluation.opensOn ? `dimulai ${date(s.evaluation.opensOn)}, selesai paling lambat ` : 'paling lambat ') +
      date(s.evaluation.deadline)
    : null;
  return [
    '🗓️ <b>Batas waktu yang berlaku bagi Bapak/Ibu</b>',
    '',
    progress.realisasiSent
      ? `• Realisasi ${periodKeyLabel(s.realisasi.period)}: ✅ sudah dikirim (batasnya ${date(s.realisasi.deadline)})`
      : `• Realisasi ${periodKeyLabel(s.realisasi.period)}: paling lambat ${date(s.realisasi.deadline)} (/realisasi)`,
    skpLine(),
    ...(evaluation ? [evaluation] : []),
    '',
    'Batas waktu setiap langkah yang sedang berjalan (persetujuan atasan, perbaikan) tercantum di /status.' +
      (decides ? ' Permintaan yang menunggu keputusan Bapak/Ibu, dengan batas waktunya: /tugas.' : ''),
  ].join('\n');
}
