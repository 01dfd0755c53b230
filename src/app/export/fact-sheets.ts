// The export's fact sheets: the event log, the TPP facts and the angka kredit.
import { sql } from 'drizzle-orm';
import { rowBatches } from '../../db/client.js';
import { timeZoneAbbrev, formatMonth } from '../../domain/format.js';
import { PREDIKAT_LABELS, PREDIKATS } from '../../domain/predikat.js';
import { angkaKreditFacts } from '../angka-kredit.js';
import { tppFactBatches } from '../tpp.js';
import {
  EVENT_LABELS,
  MONTHLY_STATUS_LABELS,
  periodKey,
  procedureTitleOf,
  scopeCondition,
  stepLabelOf,
  type ReportDeps,
} from '../reports.js';
import { mapBatches, shortDateTimeFormatter, STREAM_BATCH, yesNo, type ExportInput, type Sheet, type StreamedSheet } from './sheet.js';

/**
 * Every event of the period's cases, oldest first. A year's log holds its annual SKP cases; each month's log
 * (its own export) holds that month's cases, which keeps a year of ~10k employees' monthly events (~10^6 rows)
 * out of one sheet. Times are formatted by PostgreSQL in the agency zone.
 */
export async function eventLogSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const suffix = ` ${timeZoneAbbrev(input.timeZone)}`;
  const batches = rowBatches<{
    at: string;
    pd_name: string;
    nip: string;
    nama: string;
    code: string;
    period: string;
    action: string;
    from_step_no: number | null;
    to_step_no: number | null;
    revision: number;
    actor: string | null;
    on_behalf: boolean;
    comment: string | null;
  }>(
    deps.db,
    sql`
      select to_char(ev.at at time zone ${input.timeZone}, 'DD/MM/YYYY HH24.MI') as at, pd.name as pd_name, e.nip, e.nama,
        c.procedure_code as code, c.period, ev.action, ev.from_step_no, ev.to_step_no, ev.revision, a.nama as actor,
        ev.on_behalf, ev.comment
      from case_events ev join cases c on c.id = ev.case_id
      join employees e on e.id = c.subject_id join units u on u.id = e.unit_id join units pd on pd.id = u.perangkat_daerah_id
      left join employees a on a.id = ev.actor_id
      where c.period = ${periodKey(input.period)} and ${scopeCondition(input.scope)}
      order by ev.at, ev.id`,
    STREAM_BATCH,
  );
  const titles = new Map<string, string>();
  const title = (code: string) => {
    let t = titles.get(code);
    if (t === undefined) titles.set(code, (t = procedureTitleOf(deps.procedures, code)));
    return t;
  };
  const steps = new Map<string, string>();
  const stepName = (code: string, no: number | null) => {
    if (no === null) return '';
    const key = `${code}#${no}`;
    let s = steps.get(key);
    if (s === undefined) steps.set(key, (s = `${no}. ${stepLabelOf(deps.procedures, code, no)}`));
    return s;
  };
  return {
    name: 'Log Kejadian',
    columns: [
      { header: 'Waktu', width: 20 },
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'NIP', width: 21 },
      { header: 'Pegawai', width: 30 },
      { header: 'Prosedur', width: 40 },
      { header: 'Periode', width: 10 },
      { header: 'Kejadian', width: 18 },
      { header: 'Dari langkah', width: 30 },
      { header: 'Ke langkah', width: 30 },
      { header: 'Revisi', width: 8 },
      { header: 'Oleh', width: 30 },
      { header: 'Atas nama', width: 10 },
      { header: 'Catatan', width: 50 },
    ],
    batches: mapBatches(batches, (r) => [
      r.at + suffix,
      r.pd_name,
      r.nip,
      r.nama,
      title(r.code),
      r.period,
      EVENT_LABELS[r.action] ?? r.action,
      stepName(r.code, r.from_step_no),
      stepName(r.code, r.to_step_no),
      r.revision,
      r.actor ?? 'Sistem',
      r.on_behalf ? 'Ya' : '',
      r.comment ?? '',
    ]),
  };
}

/** TPP facts per employee per month for the finance team; the README explains each column. */
export async function tppSheet(deps: ReportDeps, input: ExportInput): Promise<StreamedSheet> {
  const facts = tppFactBatches(deps, input, STREAM_BATCH);
  const format = shortDateTimeFormatter(input.timeZone);
  return {
    name: 'TPP',
    columns: [
      { header: 'NIP', width: 21 },
      { header: 'Nama', width: 30 },
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'Bulan', width: 16 },
      { header: `SKP ${input.period.year} ditetapkan`, width: 12 },
      { header: 'Tanggal SKP ditetapkan', width: 14 },
      { header: 'Realisasi bulan', width: 14 },
      { header: 'Sudah dinilai', width: 10 },
      { header: 'Predikat', width: 18 },
      { header: 'Keberatan dalam proses', width: 12 },
    ],
    batches: mapBatches(facts, (f) => [
      f.nip,
      f.nama,
      f.pdName,
      formatMonth(Number(f.month.slice(0, 4)), Number(f.month.slice(5, 7))),
      yesNo(f.skpEstablished),
      f.skpEstablishedAt ? format(f.skpEstablishedAt).slice(0, 10) : '',
      MONTHLY_STATUS_LABELS[f.realisasi],
      yesNo(f.rated),
      f.predikat ? PREDIKAT_LABELS[f.predikat] : '',
      yesNo(f.keberatanPending),
    ]),
  };
}

const AK_PROBLEM_LABELS = {
  no_jenjang: 'Jenjang jabatan fungsional belum diisi di data pegawai (kolom jenjang)',
  no_koefisien: 'Koefisien jenjang ini belum diatur (angkaKredit.koefisien)',
} as const;

/**
 * Angka kredit of jabatan fungsional: a year with an annual predikat counts it for the full year (12/12), otherwise
 * the period's monthly predikat count months/12; the README explains each column.
 */
export async function angkaKreditSheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const facts = await angkaKreditFacts(deps, { period: input.period, scope: input.scope, koefisien: input.koefisien ?? {} });
  return {
    name: 'Angka Kredit',
    columns: [
      { header: 'NIP', width: 21 },
      { header: 'Nama', width: 30 },
      { header: 'Perangkat Daerah', width: 40 },
      { header: 'Jabatan', width: 30 },
      { header: 'Jenjang', width: 16 },
      { header: 'Koefisien', width: 10 },
      { header: 'Bulan dinilai', width: 10 },
      ...PREDIKATS.map((p) => ({ header: `Bulan ${PREDIKAT_LABELS[p]}`, width: 10 })),
      { header: 'Predikat Tahunan', width: 16 },
      { header: 'Angka Kredit', width: 12 },
      { header: 'Keterangan', width: 50 },
    ],
    rows: facts.map((f) => [
      f.nip,
      f.nama,
      f.pdName,
      f.jabatan,
      f.jenjang ?? '',
      f.koefisien,
      f.ratedMonths,
      ...PREDIKATS.map((p) => f.months[p]),
      f.annualPredikat ? PREDIKAT_LABELS[f.annualPredikat] : '',
      f.angkaKredit,
      f.problem ? AK_PROBLEM_LABELS[f.problem] : f.annualPredikat ? 'Dihitung dari predikat tahunan (12/12)' : '',
    ]),
  };
}
