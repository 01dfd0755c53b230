// Unit: the recap chart names every perangkat daerah in full (wrapped) with the headcount behind its bar.
import { describe, expect, it } from 'vitest';
import { isPng, renderStackedBarsPng, renderStackedBarsSvg, wrapLabel } from '../../src/app/charts.js';

const LONG = 'Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana';

describe('recap chart labels', () => {
  it('wraps a long name at word boundaries without losing a word', () => {
    const lines = wrapLabel(LONG, 30);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.join(' ')).toBe(LONG);
    expect(wrapLabel('Inspektorat', 30)).toEqual(['Inspektorat']);
  });

  it('prints the full name and the headcount of each bar', () => {
    const chart = {
      title: 'Status SKP 2026 per perangkat daerah',
      categories: [LONG, 'Inspektorat'],
      counts: [1300, 40],
      series: [{ name: 'Ditetapkan', color: '#43a047', values: [50, 75] }],
      percent: true,
    };
    const svg = renderStackedBarsSvg(chart);
    for (const line of wrapLabel(LONG, 30)) expect(svg).toContain(line.replace(/&/g, '&amp;'));
    expect(svg).toContain('(1.300 pegawai)');
    expect(svg).toContain('(40 pegawai)');
    expect(svg).not.toContain('…');
    expect(isPng(renderStackedBarsPng(chart))).toBe(true);
  });
});
