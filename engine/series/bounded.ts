/**
 * Keeping a long watch's samples in bounded memory: past `max` points, drop every other one, so
 * the series still spans the whole watch (at half the density) and keeps its first and newest points. A watch at 1 Hz reaches 20,000 points after 5.5 hours; each halving doubles the span.
 */
import type { HeapSample } from './types';

export const DEFAULT_MAX_POINTS = 20_000;

export function appendBounded<T>(points: T[], point: T, max = DEFAULT_MAX_POINTS, absorb?: (kept: T, dropped: T) => void): void {
  points.push(point);
  if (points.length <= max) return;
  let kept = 0;
  for (let i = 0; i < points.length; i++) {
    // Drop odd points, except the newest; the point after a dropped one absorbs it.
    if (i % 2 === 1 && i + 1 < points.length) {
      absorb?.(points[i + 1], points[i]);
      continue;
    }
    points[kept++] = points[i];
  }
  points.length = kept;
}

/**
 * For samples, whose GC counts cover the time since the previous sample: the sample after a dropped
 * one now covers both intervals, so it takes over the dropped one's GCs and GC rates stay right.
 */
export function absorbGcCounts(kept: HeapSample, dropped: HeapSample): void {
  kept.gc = { minor: kept.gc.minor + dropped.gc.minor, major: kept.gc.major + dropped.gc.major, pauseMs: kept.gc.pauseMs + dropped.gc.pauseMs };
}
