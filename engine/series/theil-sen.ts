/**
 * Theil–Sen line fit: the slope is the median of the slopes between all pairs of points, so one
 * outlier (a sample taken mid-GC, a burst of allocation) cannot swing it — up to ~29% of the points
 * can be wild before the estimate breaks down.
 */

export interface RobustTrend {
  /** Units of y per unit of x. */
  slope: number;
  /** Median of y - slope * x: with slope, the fitted line. */
  intercept: number;
  /**
   * Share of point pairs whose slope has the sign of the median slope, 0.5..1: about 0.5 for noise
   * around a flat line, near 1 for a steady climb. Used as the trend's consistency.
   */
  agreement: number;
  /** Number of points the fit used. */
  points: number;
}

/** Above this many points, fit an evenly spaced subset: n² pairs stay cheap and the median barely moves. */
const MAX_POINTS = 400;

export function theilSen(xs: readonly number[], ys: readonly number[]): RobustTrend {
  if (xs.length !== ys.length) throw new Error('theilSen: xs and ys differ in length');
  const [x, y] = subsample(xs, ys, MAX_POINTS);
  const n = x.length;
  if (n < 2) return { slope: 0, intercept: n === 1 ? y[0] : 0, agreement: 0.5, points: n };
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx !== 0) slopes[count++] = (y[j] - y[i]) / dx;
    }
  }
  if (count === 0) return { slope: 0, intercept: median(Float64Array.from(y)), agreement: 0.5, points: n };
  const used = slopes.subarray(0, count);
  const slope = median(used);
  const sign = Math.sign(slope);
  let agreeing = 0;
  for (let k = 0; k < count; k++) if (Math.sign(used[k]) === sign) agreeing++;
  const residuals = Float64Array.from(y, (yi, i) => yi - slope * x[i]);
  return { slope, intercept: median(residuals), agreement: sign === 0 ? 0.5 : agreeing / count, points: n };
}

/** Median of a typed array (sorts it in place). */
export function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

function subsample(xs: readonly number[], ys: readonly number[], max: number): [number[], number[]] {
  if (xs.length <= max) return [xs.slice(), ys.slice()];
  const x: number[] = [];
  const y: number[] = [];
  const step = (xs.length - 1) / (max - 1);
  for (let k = 0; k < max; k++) {
    const i = Math.round(k * step);
    x.push(xs[i]);
    y.push(ys[i]);
  }
  return [x, y];
}
