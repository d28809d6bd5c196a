/**
 * The dashboard's time-series charts (uPlot, canvas): memory with the post-GC floor, its trend line
 * and major-GC marks; and active handles by type. Theme colours come from VS Code's chart variables.
 */
import uPlot from 'uplot';
import { FloorPoint, GcEvent, HeapSample, SeriesAnalysis } from '../../protocol/series';
import { formatBytes } from '../format';

const MB = 1024 * 1024;
/** Handle types drawn as their own line; the rest are summed into "other". */
const MAX_HANDLE_SERIES = 6;

function themeColour(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function axisStyle(): Pick<uPlot.Axis, 'stroke' | 'grid' | 'ticks'> {
  const lines = themeColour('--vscode-charts-lines', 'rgba(128,128,128,0.35)');
  return { stroke: themeColour('--vscode-charts-foreground', themeColour('--vscode-foreground', '#888')), grid: { stroke: lines, width: 1 }, ticks: { stroke: lines, width: 1 } };
}

/** A chart is as wide as its container; a hidden container (0 px) gets a placeholder width until shown. */
function size(container: HTMLElement, height: number): { width: number; height: number } {
  return { width: container.clientWidth || 200, height };
}

/**
 * Keeps a chart as wide as its container when the editor column is resized. Only width changes
 * resize: the chart's own height change (e.g. its legend wrapping) must not start a resize loop.
 */
function followContainerWidth(container: HTMLElement, height: number, plot: () => uPlot | undefined): void {
  new ResizeObserver(() => {
    const current = plot();
    const target = size(container, height);
    if (current && container.clientWidth > 0 && current.width !== target.width) current.setSize(target);
  }).observe(container);
}

export class MemoryChart {
  private plot: uPlot | undefined;
  private gcMarks: number[] = [];

  constructor(private readonly container: HTMLElement) {
    followContainerWidth(container, 260, () => this.plot);
  }

  update(samples: HeapSample[], gcEvents: GcEvent[], analysis: SeriesAnalysis | null): void {
    const floor = analysis?.floor ?? [];
    const data = memoryData(samples, floor, analysis);
    this.gcMarks = gcEvents.filter((e) => e.kind === 'major').map((e) => e.t / 1000);
    if (!this.plot) this.plot = this.create(data);
    else this.plot.setData(data);
  }

  private create(data: uPlot.AlignedData): uPlot {
    const colour = (name: string, fallback: string) => themeColour(`--vscode-charts-${name}`, fallback);
    const bytes = (_: uPlot, values: number[]) => values.map((v) => formatBytes(v * MB));
    const line = (label: string, stroke: string, width = 1.5): uPlot.Series => ({
      label,
      stroke,
      width,
      points: { show: false },
      value: (_u, v) => (v == null ? '–' : formatBytes(v * MB)),
    });
    return new uPlot(
      {
        ...size(this.container, 260),
        title: 'Memory',
        scales: { x: { time: true } },
        axes: [{ ...axisStyle() }, { ...axisStyle(), values: bytes, size: 70 }],
        series: [
          {},
          line('Heap used', colour('blue', '#3794ff'), 2),
          line('Heap total', colour('purple', '#b180d7')),
          line('RSS', colour('orange', '#d18616')),
          line('External', colour('green', '#89d185')),
          line('Array buffers', colour('yellow', '#cca700')),
          { ...line('Post-GC floor', colour('red', '#f14c4c'), 0), points: { show: true, size: 6, fill: colour('red', '#f14c4c') }, paths: () => null },
          { ...line('Floor trend', colour('red', '#f14c4c'), 1.5), dash: [6, 4], spanGaps: true },
        ],
        hooks: { draw: [(u) => this.drawGcMarks(u)] },
      },
      data,
      this.container,
    );
  }

  /** A short tick at the top of the plot for every major GC. */
  private drawGcMarks(u: uPlot): void {
    const context = u.ctx;
    const ratio = window.devicePixelRatio || 1;
    context.save();
    context.strokeStyle = themeColour('--vscode-charts-red', '#f14c4c');
    context.lineWidth = ratio;
    for (const t of this.gcMarks) {
      const x = u.valToPos(t, 'x', true);
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      context.beginPath();
      context.moveTo(x, u.bbox.top);
      context.lineTo(x, u.bbox.top + 8 * ratio);
      context.stroke();
    }
    context.restore();
  }
}

/** Columns for uPlot: time in seconds, sizes in MB; floor points and the trend line aligned to samples. */
export function memoryData(samples: HeapSample[], floor: FloorPoint[], analysis: SeriesAnalysis | null): uPlot.AlignedData {
  const xs = samples.map((s) => s.t / 1000);
  const floorAt = new Map<number, number>();
  // Each floor point sits on the sample nearest in time.
  let j = 0;
  for (const point of floor) {
    while (j + 1 < samples.length && Math.abs(samples[j + 1].t - point.t) <= Math.abs(samples[j].t - point.t)) j++;
    if (samples.length > 0) floorAt.set(j, point.bytes / MB);
  }
  const trend = trendLine(floor, analysis);
  const firstFloor = floor.length > 0 ? floor[0].t : Infinity;
  return [
    xs,
    samples.map((s) => s.heapUsed / MB),
    samples.map((s) => s.heapTotal / MB),
    samples.map((s) => s.rss / MB),
    samples.map((s) => s.external / MB),
    samples.map((s) => s.arrayBuffers / MB),
    samples.map((_, i) => floorAt.get(i) ?? null),
    samples.map((s) => (trend && s.t >= firstFloor ? trend(s.t) / MB : null)),
  ];
}

/**
 * The floor's trend as a function of time: the engine's robust slope through the floor points,
 * anchored at the median of (bytes - slope * t) so one outlier cannot shift it either.
 */
export function trendLine(floor: FloorPoint[], analysis: SeriesAnalysis | null): ((t: number) => number) | undefined {
  if (!analysis || floor.length < 2) return undefined;
  const bytesPerMs = (analysis.slope_mb_per_hour * MB) / 3_600_000;
  const offsets = floor.map((p) => p.bytes - bytesPerMs * p.t).sort((a, b) => a - b);
  const intercept = offsets[Math.floor(offsets.length / 2)];
  return (t) => intercept + bytesPerMs * t;
}

export class HandlesChart {
  private plot: uPlot | undefined;
  private types: string[] = [];

  constructor(private readonly container: HTMLElement) {
    followContainerWidth(container, 180, () => this.plot);
  }

  update(samples: HeapSample[]): void {
    const totals = new Map<string, number>();
    const last = samples[samples.length - 1];
    for (const [type, n] of Object.entries(last?.resources ?? {})) totals.set(type, n);
    const types = [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_HANDLE_SERIES)
      .map(([type]) => type);
    const data: uPlot.AlignedData = [
      samples.map((s) => s.t / 1000),
      ...types.map((type) => samples.map((s) => s.resources[type] ?? 0)),
      samples.map((s) => s.resourceCount - types.reduce((sum, type) => sum + (s.resources[type] ?? 0), 0)),
    ];
    if (!this.plot || types.join('\n') !== this.types.join('\n')) {
      this.plot?.destroy();
      this.types = types;
      this.plot = this.create(types, data);
    } else {
      this.plot.setData(data);
    }
  }

  private create(types: string[], data: uPlot.AlignedData): uPlot {
    const palette = ['blue', 'orange', 'green', 'purple', 'yellow', 'red'].map((c, i) => themeColour(`--vscode-charts-${c}`, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#cca700', '#f14c4c'][i]));
    return new uPlot(
      {
        ...size(this.container, 180),
        title: 'Active handles by type',
        scales: { x: { time: true } },
        axes: [{ ...axisStyle() }, { ...axisStyle(), size: 50 }],
        series: [
          {},
          ...types.map((label, i) => ({ label, stroke: palette[i % palette.length], width: 1.5, points: { show: false } })),
          { label: 'other', stroke: themeColour('--vscode-descriptionForeground', '#888'), width: 1, points: { show: false } },
        ],
      },
      data,
      this.container,
    );
  }
}
