// The export's overview sheets: the summary per perangkat daerah, the distribution curve and mutu baku.
import { CURVE_RULE_TEXT, ORG_RATING_LABELS, PREDIKAT_LABELS, PREDIKATS } from '../../domain/predikat.js';
import { measureMutuBaku } from '../mutu-baku.js';
import {
  buildRecap,
  SKP_STATE_LABELS,
  SKP_STATES,
  type PdRecap,
  type ReportDeps,
} from '../reports.js';
import { hours, oneDecimal, type Cell, type ExportInput, type Sheet } from './sheet.js';

export async function summarySheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const recap = await buildRecap(deps, input);
  const monthly = input.period.kind === 'periodic';
  const columns: Sheet['columns'] = [
    { header: 'Perangkat Daerah', width: 44 },
    { header: 'Pegawai', width: 10 },
    { header: 'Tertaut Telegram', width: 10 },
    ...SKP_STATES.map((s) => ({ header: `SKP ${recap.period.year}: ${SKP_STATE_LABELS[s]}`, width: 12 })),
    ...(monthly
      ? [
          { header: 'Realisasi tepat waktu', width: 12 },
          { header: 'Realisasi terlambat', width: 12 },
          { header: 'Realisasi belum masuk', width: 12 },
          { header: 'Realisasi dikembalikan', width: 12 },
          { header: 'Sudah dinilai', width: 12 },
        ]
      : []),
    { header: 'Langkah lewat SLA', width: 12 },
    { header: 'Terlama menunggu (jam kerja)', width: 14 },
    ...PREDIKATS.map((p) => ({ header: `Predikat ${PREDIKAT_LABELS[p]}`, width: 12 })),
    { header: 'Capaian kinerja organisasi', width: 16 },
    { header: 'Kurva distribusi', width: 60 },
  ];
  const row = (pd: PdRecap): Cell[] => [
    pd.pdName,
    pd.employees,
    pd.linked,
    ...SKP_STATES.map((s) => pd.skp[s]),
    // Empty for a perangkat daerah evaluated per another kind of period than the one exported.
    ...(monthly ? (pd.monthly ? [pd.monthly.onTime, pd.monthly.late, pd.monthly.missing, pd.monthly.returned, pd.monthly.assessed] : ['', '', '', '', '']) : []),
    pd.overdue.count,
    hours(pd.overdue.oldestMinutes),
    ...PREDIKATS.map((p) => pd.predikat[p]),
    pd.orgRating ? ORG_RATING_LABELS[pd.orgRating] : '',
    curveVerdict(pd),
  ];
  const units = [...recap.units].sort((a, b) => a.pdName.localeCompare(b.pdName, 'id'));
  return { name: 'Ringkasan', columns, rows: [...units.map(row), row(recap.total)] };
}

/** The curve verdict of a perangkat daerah in words; empty without an org rating. */
function curveVerdict(pd: PdRecap): string {
  if (!pd.orgRating || !pd.departures) return '';
  return pd.departures.length > 0 ? pd.departures.map((d) => d.message).join('; ') : 'Sesuai kurva';
}

/** One row per perangkat daerah: its org rating, predikat counts and shares, the rule, the verdict. */
export async function curveSheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const recap = await buildRecap(deps, input);
  const columns: Sheet['columns'] = [
    { header: 'Perangkat Daerah', width: 44 },
    { header: 'Capaian kinerja organisasi', width: 18 },
    { header: 'Dinilai', width: 10 },
    ...PREDIKATS.map((p) => ({ header: `${PREDIKAT_LABELS[p]} (orang)`, width: 12 })),
    ...PREDIKATS.map((p) => ({ header: `${PREDIKAT_LABELS[p]} (%)`, width: 12 })),
    { header: 'Aturan', width: 60 },
    { header: 'Hasil', width: 60 },
  ];
  const units = [...recap.units].sort((a, b) => a.pdName.localeCompare(b.pdName, 'id'));
  return {
    name: 'Kurva Distribusi',
    columns,
    rows: units.map((pd) => {
      const total = PREDIKATS.reduce((sum, p) => sum + pd.predikat[p], 0);
      return [
        pd.pdName,
        pd.orgRating ? ORG_RATING_LABELS[pd.orgRating] : 'Belum ditetapkan',
        total,
        ...PREDIKATS.map((p) => pd.predikat[p]),
        ...PREDIKATS.map((p) => (total === 0 ? 0 : Math.round((pd.predikat[p] / total) * 1000) / 10)),
        pd.orgRating ? CURVE_RULE_TEXT[pd.orgRating] : '-',
        pd.orgRating ? (total === 0 ? 'Belum ada penilaian' : curveVerdict(pd)) : 'Capaian kinerja organisasi belum ditetapkan',
      ];
    }),
  };
}

export async function mutuBakuSheet(deps: ReportDeps, input: ExportInput): Promise<Sheet> {
  const rows = await measureMutuBaku(deps, input);
  return {
    name: 'Mutu Baku',
    columns: [
      { header: 'Prosedur', width: 44 },
      { header: 'Kode', width: 22 },
      { header: 'Langkah', width: 8 },
      { header: 'Tahap', width: 30 },
      { header: 'Uraian', width: 60 },
      { header: 'Standar waktu (menit kerja)', width: 12 },
      { header: 'Jumlah diukur', width: 10 },
      { header: 'Median (menit kerja)', width: 12 },
      { header: 'P90 (menit kerja)', width: 12 },
      { header: 'Dalam standar', width: 10 },
      { header: '% dalam standar', width: 10 },
    ],
    rows: rows.map((r) => [
      r.procedureTitle,
      r.procedureCode,
      r.stepNo,
      r.label,
      r.uraian,
      r.standardMinutes,
      r.count,
      oneDecimal(r.medianMinutes),
      oneDecimal(r.p90Minutes),
      r.withinStandard,
      r.withinShare === null ? null : Math.round(r.withinShare * 1000) / 10,
    ]),
  };
}
