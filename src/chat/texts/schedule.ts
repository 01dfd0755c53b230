// The answer to "kapan batas waktu …?": the deadlines that hold for the employee now.
import type { ScheduleView } from '../../app/schedule.js';
import type { AgencyTimeZone } from '../../domain/calendar.js';
import { formatDate } from '../../domain/format.js';
import { periodKeyLabel } from '../../domain/period.js';

/** `decides`: the reader approves or rates others' work, whose waiting requests /tugas lists with their deadlines. */
export function scheduleText(s: ScheduleView, tz: AgencyTimeZone, decides: boolean): string {
  const date = (d: string) => formatDate(d, tz);
  const skp = s.skp.passed
    ? `• SKP tahun ${s.skp.year}: batas penyusunan ${date(s.skp.deadline)} sudah lewat. Bila belum ditetapkan, segera selesaikan lewat /skp`
    : `• SKP tahun ${s.skp.year}: ` +
      (s.skp.opensOn ? `dapat disusun mulai ${date(s.skp.opensOn)}, paling lambat ` : 'paling lambat ') +
      `${date(s.skp.deadline)} (/skp)`;
  const evaluation = s.evaluation
    ? `• Penilaian kinerja tahunan ${s.evaluation.year} oleh pejabat penilai: ` +
      (s.evaluation.opensOn ? `dimulai ${date(s.evaluation.opensOn)}, selesai paling lambat ` : 'paling lambat ') +
      date(s.evaluation.deadline)
    : null;
  return [
    '🗓️ <b>Batas waktu yang berlaku bagi Bapak/Ibu</b>',
    '',
    `• Realisasi ${periodKeyLabel(s.realisasi.period)}: paling lambat ${date(s.realisasi.deadline)} (/realisasi)`,
    skp,
    ...(evaluation ? [evaluation] : []),
    '',
    'Batas waktu setiap langkah yang sedang berjalan (persetujuan atasan, perbaikan) tercantum di /status.' +
      (decides ? ' Permintaan yang menunggu keputusan Bapak/Ibu, dengan batas waktunya: /tugas.' : ''),
  ].join('\n');
}
