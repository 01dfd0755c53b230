// The compliance chart spec and its caption.
import type { StackedBarChart } from '../../../app/charts.js';
import { toPercentSeries } from '../../../app/charts.js';
import {
  MONTHLY_STATUS_LABELS, periodLabel,
  SKP_STATE_LABELS,
  SKP_STATES, type Recap, type SkpState
} from '../../../app/reports.js';
import type { AgencyTimeZone } from '../../../domain/calendar.js';
import { formatShortDateTime } from '../../../domain/format.js';

const MONTHLY_COLORS = { on_time: '#2e7d32', late: '#f9a825', missing: '#c62828' } as const;
const SKP_COLORS: Record<SkpState, string> = {
  not_started: '#c62828',
  draft: '#ef9a9a',
  submitted: '#90caf9',
  returned: '#f9a825',
  approved: '#42a5f5',
  established: '#81c784',
  forwarded: '#43a047',
  received: '#1b5e20',
  cancelled: '#9e9e9e',
};

/** Compliance per perangkat daerah as 100 % stacked bars: realisation for a month, SKP states for a year. */
export function complianceChart(recap: Recap, timeZone: AgencyTimeZone): StackedBarChart {
  const categories = recap.units.map((u) => u.pdName);
  const counts = recap.units.map((u) => u.employees);
  const subtitle = `Persentase pegawai aktif · per ${formatShortDateTime(recap.now, timeZone)}`;
  if (recap.period.kind === 'periodic') {
    // Only the perangkat daerah evaluated per this kind of period have realisation figures for it.
    const units = recap.units.flatMap((u) => (u.monthly ? [{ ...u, monthly: u.monthly }] : []));
    const series = (['on_time', 'late', 'missing'] as const).map((k) => ({
      name: MONTHLY_STATUS_LABELS[k],
      color: MONTHLY_COLORS[k],
      values: units.map((u) => (k === 'on_time' ? u.monthly.onTime : k === 'late' ? u.monthly.late : u.monthly.missing)),
    }));
    return {
      title: `Realisasi ${periodLabel(recap.period)} per perangkat daerah`,
      subtitle,
      categories: units.map((u) => u.pdName),
      counts: units.map((u) => u.employees),
      series: toPercentSeries(series),
      percent: true,
    };
  }
  const states = SKP_STATES.filter((s) => recap.total.skp[s] > 0);
  const series = states.map((s) => ({ name: SKP_STATE_LABELS[s], color: SKP_COLORS[s], values: recap.units.map((u) => u.skp[s]) }));
  return { title: `Status SKP ${recap.period.year} per perangkat daerah`, subtitle, categories, counts, series: toPercentSeries(series), percent: true };
}

export function chartCaption(recap: Recap): string {
  return recap.period.kind === 'periodic'
    ? `📈 Realisasi ${periodLabel(recap.period)}: tepat waktu, terlambat, belum masuk (persentase pegawai), terburuk di atas.`
    : `📈 Status SKP ${recap.period.year} per perangkat daerah (persentase pegawai), terburuk di atas.`;
}
