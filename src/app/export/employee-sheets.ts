// The export's sheets per employee and per waiting step: the employee list and the steps past their SLA.
import { sql } from 'drizzle-orm';
import { rowBatches } from '../../db/client.js';
import { NOT_EVALUATED_LABEL, PREDIKAT_LABELS } from '../../domain/predikat.js';
import { periodKeysContaining } from '../../domain/period.js';
import {
  employeeStatusBatches,
  MONTHLY_STATUS_LABELS,
  overdueStepBatches,
  procedureTitleOf,
  scopeCondition,
  SKP_STATE_LABELS,
  type ReportDeps,
  type ReportScope,
} from '../reports.js';
import { hours, mapBatches, MONTH_ABBREVIATIONS, shortDateTimeFormatter, STREAM_BATCH, yesNo, type ExportInput, type Sheet, type StreamedSheet } from './sheet.js';

/**
 * The perangkat daerah of the scope in the order the employee list sorts them (by name, in the database's
 * collation), so the list can be built one perangkat daerah at a time; null when that would change the order (an
 * atasan's reports, or two perangkat daerah with the same name).
 */
async function pdsInListOrder(deps: ReportDeps, scope: ReportScope): Promise<string[] | null> {
  if (scope.kind === 'reports') return null;
  const pds: Array<{ id: string; name: string }> = [];
  for await (const batch of rowBatches<{ id: string; name: string }>(
    deps.db,
    sql`select distinct pd.id, pd.name from employees e join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      where e.active and ${scopeCondition(scope)} order by pd.name`,
    10_000,
  ))
    pds.push(...batch);
  return new Set(pds.map((p) => p.name)).size === pds.length ? pds.map((p) => p.id) : null;
}

export async function employeeSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const { period } = input;
  // One perangkat daerah at a time (10^5 employees' statuses at once are hundreds of MB), each through a cursor.
  const pds = await pdsInListOrder(deps, input.scope);
  const statuses = async function* () {
    if (!pds) yield* employeeStatusBatches(deps, input, STREAM_BATCH);
    else for (const pdId of pds) yield* employeeStatusBatches(deps, { ...input, pdId }, STREAM_BATCH);
  };
  const columns: Sheet['columns'] = [
    { header: 'NIP', width: 21 },
    { header: 'Nama', width: 30 },
    { header: 'Jabatan', width: 30 },
    { header: 'Pangkat/Gol.', width: 24 },
    { header: 'Unit', width: 50 },
    { header: 'Perangkat Daerah', width: 40 },
    { header: 'Telegram', width: 10 },
    { header: `Status SKP ${period.year}`, width: 14 },
  ];
  let monthKeys: string[] = [];
  if (period.kind === 'periodic') {
    columns.push({ header: 'Realisasi', width: 13 }, { header: 'Sudah dinilai', width: 10 }, { header: 'Predikat', width: 18 });
  } else {
    monthKeys = MONTH_ABBREVIATIONS.map((_, i) => `${period.year}-${String(i + 1).padStart(2, '0')}`);
    columns.push(...MONTH_ABBREVIATIONS.map((m) => ({ header: `Realisasi ${m}`, width: 12 })), { header: 'Predikat tahunan', width: 18 });
  }
  columns.push({ header: 'Langkah lewat SLA', width: 10 });
  // A month's realisation is only missing once the month is over; later months have nothing to show yet.
  const currentMonth = deps.calendar.localDate(input.now).slice(0, 7);
  return {
    name: 'Pegawai',
    columns,
    batches: mapBatches(statuses(), (r) => [
      r.nip,
      r.nama,
      r.jabatan,
      r.pangkat ?? '',
      r.unitPath,
      r.pdName,
      r.linked ? 'Tertaut' : 'Belum',
      SKP_STATE_LABELS[r.skpState],
      ...(period.kind === 'periodic'
        ? [MONTHLY_STATUS_LABELS[r.monthly ?? 'missing'], yesNo(r.assessed), r.predikat ? PREDIKAT_LABELS[r.predikat] : '']
        : [
            ...monthKeys.map((k) => {
              // The month's own case, or the triwulan's or semester's that covers it.
              const status = periodKeysContaining(k).map((key) => r.months[key]).find((s) => s !== undefined);
              if (status) return MONTHLY_STATUS_LABELS[status];
              return k < currentMonth ? MONTHLY_STATUS_LABELS.missing : '-';
            }),
            // The annual evaluation's predikat only; never a monthly stand-in.
            r.predikat ? PREDIKAT_LABELS[r.predikat] : NOT_EVALUATED_LABEL,
          ]),
      r.overdueSteps,
    ]),
  };
}


export async function overdueSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const steps = overdueStepBatches(deps, { scope: input.scope, now: input.now, period: input.period }, STREAM_BATCH);
  const format = shortDateTimeFormatter(input.timeZone);
  return {
    name: 'Terlambat',
    columns: [
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'NIP', width: 21 },
      { header: 'Pegawai', width: 30 },
      { header: 'Prosedur', width: 40 },
      { header: 'Periode', width: 10 },
      { header: 'Langkah', width: 8 },
      { header: 'Tahap', width: 30 },
      { header: 'Status', width: 14 },
      { header: 'Pemegang', width: 30 },
      { header: 'Telegram pemegang', width: 10 },
      { header: 'Masuk langkah', width: 22 },
      { header: 'Batas SLA', width: 22 },
      { header: 'Lama menunggu (jam kerja)', width: 12 },
      { header: 'Lewat SLA (jam kerja)', width: 12 },
    ],
    batches: mapBatches(steps, (r) => [
      r.pdName,
      r.subjectNip,
      r.subjectNama,
      procedureTitleOf(deps.procedures, r.procedureCode),
      r.period,
      r.stepNo,
      r.stepLabel,
      r.status === 'returned' ? 'Dikembalikan' : 'Aktif',
      r.holderNama ?? '(tidak ada)',
      r.holderLinked ? 'Tertaut' : 'Belum',
      format(r.enteredAt),
      r.slaDueAt ? format(r.slaDueAt) : '',
      hours(r.ageMinutes),
      hours(r.overMinutes),
    ]),
  };
}
