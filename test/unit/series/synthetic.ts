/** Synthetic heap series for the analyzer's tests: one sample per second, shaped by the caller. */
import type { GcEvent, HeapSample } from '../../../engine/series';

export const MB = 1024 * 1024;

export interface Shape {
  heapUsed?: (s: number) => number;
  heapTotal?: (s: number) => number;
  external?: (s: number) => number;
  rss?: (s: number) => number;
  handles?: (s: number) => number;
  minorGcs?: (s: number) => number;
  gcPauseMs?: (s: number) => number;
}

const T0 = 1_800_000_000_000;

/** `seconds + 1` samples, one per second; unspecified series are flat. */
export function series(seconds: number, shape: Shape): HeapSample[] {
  const samples: HeapSample[] = [];
  for (let s = 0; s <= seconds; s++) {
    const heapUsed = shape.heapUsed?.(s) ?? 20 * MB;
    const external = shape.external?.(s) ?? 2 * MB;
    const heapTotal = shape.heapTotal?.(s) ?? heapUsed + 10 * MB;
    const handles = Math.round(shape.handles?.(s) ?? 5);
    samples.push({
      t: T0 + s * 1000,
      latencyMs: 2,
      late: false,
      heapUsed,
      heapTotal,
      heapLimit: 4096 * MB,
      rss: shape.rss?.(s) ?? heapTotal + external + 40 * MB,
      external,
      arrayBuffers: external / 2,
      resources: { Timeout: handles - 1, TCPServerWrap: 1 },
      resourceCount: handles,
      eventLoopUtilization: 0.2,
      eventLoopDelayMaxMs: 12,
      gc: { minor: shape.minorGcs?.(s) ?? 0, major: 0, pauseMs: shape.gcPauseMs?.(s) ?? 0 },
    });
  }
  return samples;
}

/** A GC sawtooth: garbage piles up for `period` seconds above `floor(s)`, then is collected. */
export function sawtooth(floor: (s: number) => number, garbagePerSecond: number, period = 5): (s: number) => number {
  return (s) => floor(s) + (s % period) * garbagePerSecond;
}

/** Major GC events every `period` seconds with the heap left after each. */
export function majorGcs(seconds: number, heapAfter: (s: number) => number, period = 5): GcEvent[] {
  const events: GcEvent[] = [];
  for (let s = period; s <= seconds; s += period) events.push({ t: T0 + s * 1000, kind: 'major', durationMs: 20, heapUsedAfter: heapAfter(s) });
  return events;
}
