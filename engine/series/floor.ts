/**
 * The post-GC floor: the heap a process keeps once garbage is gone. A leak shows as a rising floor;
 * the sawtooth of allocation and collection above it is noise.
 */
import type { FloorPoint, GcEvent, HeapSample } from './types';

/** Enough major-GC points, spread over enough of the watch, to trust them over sample minima. */
const MIN_GC_POINTS = 4;
const MIN_GC_SPAN_SHARE = 0.5;

/**
 * Heap after each major GC when the target reported enough of them; otherwise (a quiet process may
 * go a minute without one) the lowest heapUsed sample in each time window, which sits just above the
 * floor because every scavenge empties the young generation.
 */
export function postGcFloor(samples: readonly HeapSample[], gcEvents: readonly GcEvent[]): FloorPoint[] {
  const majors = gcEvents.filter((e) => e.kind === 'major' && e.heapUsedAfter > 0);
  const span = samples.length > 1 ? samples[samples.length - 1].t - samples[0].t : 0;
  if (majors.length >= MIN_GC_POINTS && majors[majors.length - 1].t - majors[0].t >= span * MIN_GC_SPAN_SHARE) {
    return majors.map((e) => ({ t: e.t, bytes: e.heapUsedAfter, source: 'gc' as const }));
  }
  return windowMinima(samples, (s) => s.heapUsed).map((p) => ({ ...p, source: 'minimum' as const }));
}

/**
 * The minimum of `value` in each of about `windows` equal time windows (at least 3 samples each), so
 * a series with a sawtooth becomes its lower envelope.
 */
export function windowMinima(
  samples: readonly HeapSample[],
  value: (s: HeapSample) => number,
  windows = 12,
): { t: number; bytes: number }[] {
  if (samples.length === 0) return [];
  const perWindow = Math.max(3, Math.ceil(samples.length / windows));
  const points: { t: number; bytes: number }[] = [];
  for (let start = 0; start < samples.length; start += perWindow) {
    let best = samples[start];
    for (let i = start + 1; i < Math.min(samples.length, start + perWindow); i++) {
      if (value(samples[i]) < value(best)) best = samples[i];
    }
    points.push({ t: best.t, bytes: value(best) });
  }
  return points;
}
