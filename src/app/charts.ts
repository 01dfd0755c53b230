// Charts as PNG images for the chat: ECharts renders SVG server-side (no browser, no canvas), resvg rasterises it.
//
// Fonts: resvg draws text only with fonts it can load. It loads the system fonts and falls back to DejaVu Sans,
// which Debian ships in fonts-dejavu-core (present here under /usr/share/fonts/truetype/dejavu). On a machine
// with no fonts at all the bars still render and only the labels go missing, so no font file is shipped.
import type * as ResvgJs from '@resvg/resvg-js';
import type * as ECharts from 'echarts';
import { lazyRequire } from '../lazy-require.js';

// Loaded at the first chart: together they cost most of a second and tens of MB at boot.
const echartsLib = lazyRequire<typeof ECharts>('echarts');
const resvgLib = lazyRequire<typeof ResvgJs>('@resvg/resvg-js');

export const CHART_FONT_FAMILY = 'DejaVu Sans';

export interface StackedBarSeries {
  name: string;
  values: number[];
  color: string;
}

export interface StackedBarChart {
  title: string;
  subtitle?: string;
  /** One bar per category, drawn top to bottom in this order. */
  categories: string[];
  series: StackedBarSeries[];
  /** Values are shares (0..100) and the axis reads in percent. */
  percent: boolean;
  /** Headcount behind each bar, printed under its name, so a 1,300-person department reads apart from a 40-person one. */
  counts?: number[];
  width?: number;
}

/** Category labels wrap at this many characters a line; at 12 px DejaVu Sans they fit the label column. */
const LABEL_CHARS = 30;
const LABEL_COLUMN = 250;
const LABEL_LINE_HEIGHT = 15;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(data: Buffer): boolean {
  return data.length > PNG_SIGNATURE.length && data.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

/** The full name wrapped at word boundaries (a word longer than a line is split). */
export function wrapLabel(label: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of label.trim().split(/\s+/)) {
    for (let w = word; w.length > 0; ) {
      const room = line ? max - line.length - 1 : max;
      if (w.length <= room) {
        line = line ? `${line} ${w}` : w;
        w = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(w.slice(0, max));
        w = w.slice(max);
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

const headcount = (n: number) => `${n.toLocaleString('id-ID')} pegawai`;

function categoryLabel(name: string, count: number | undefined): string[] {
  return [...wrapLabel(name, LABEL_CHARS), ...(count === undefined ? [] : [`(${headcount(count)})`])];
}

/** Horizontal stacked bars (one per category) as an SVG string. */
export function renderStackedBarsSvg(chart: StackedBarChart): string {
  const width = chart.width ?? 900;
  const labels = chart.categories.map((c, i) => categoryLabel(c, chart.counts?.[i]));
  const maxLines = Math.max(1, ...labels.map((l) => l.length));
  const barHeight = Math.max(30, maxLines * LABEL_LINE_HEIGHT + 10);
  const top = chart.subtitle ? 90 : 70;
  // The legend wraps onto more lines with many series (e.g. nine SKP states): leave room for each line.
  const legendWidth = chart.series.reduce((sum, s) => sum + s.name.length * 7.5 + 50, 0);
  const legendLines = Math.max(1, Math.ceil(legendWidth / (width - 40)));
  const bottom = 44 + legendLines * 22;
  const height = Math.max(240, top + bottom + chart.categories.length * barHeight);
  const instance = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    instance.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT_FAMILY },
      title: {
        text: chart.title,
        subtext: chart.subtitle,
        left: 'center',
        top: 8,
        textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 18 },
        subtextStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 12 },
      },
      legend: { bottom: 8, itemGap: 24, textStyle: { fontFamily: CHART_FONT_FAMILY, fontSize: 12 } },
      // A fixed label column: ECharts measures text with its own metrics, which are narrower than DejaVu Sans.
      grid: { left: LABEL_COLUMN, right: 32, top, bottom },
      xAxis: {
        type: 'value',
        max: chart.percent ? 100 : undefined,
        axisLabel: { formatter: chart.percent ? '{value}%' : '{value}', fontFamily: CHART_FONT_FAMILY },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: labels.map((l) => l.join('\n')),
        axisLabel: { fontFamily: CHART_FONT_FAMILY, fontSize: 12, lineHeight: LABEL_LINE_HEIGHT },
      },
      series: chart.series.map((s) => ({
        name: s.name,
        type: 'bar',
        stack: 'total',
        barMaxWidth: 22,
        itemStyle: { color: s.color },
        data: s.values,
      })),
    });
    return instance.renderToSVGString();
  } finally {
    instance.dispose();
  }
}

/** An SVG string rasterised to PNG at its own size. */
export function svgToPng(svg: string): Buffer {
  const resvg = new (resvgLib().Resvg)(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT_FAMILY, sansSerifFamily: CHART_FONT_FAMILY },
  });
  return Buffer.from(resvg.render().asPng());
}

export function renderStackedBarsPng(chart: StackedBarChart): Buffer {
  return svgToPng(renderStackedBarsSvg(chart));
}

/** Turns counts per category into shares (0..100, one decimal) so bars of different sizes compare. */
export function toPercentSeries(series: StackedBarSeries[]): StackedBarSeries[] {
  const n = series[0]?.values.length ?? 0;
  const totals = Array.from({ length: n }, (_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  return series.map((s) => ({
    ...s,
    values: s.values.map((v, i) => (totals[i] ? Math.round((v / totals[i]!) * 1000) / 10 : 0)),
  }));
}
