/**
 * Live heap statistics and their analysis, as the dashboard receives them. The one definition of
 * these shapes: engine/series re-exports them, so the extension forwards engine output unchanged.
 */
import { arrayOf, bool, Check, count, literal, nullable, num, object, recordOf, str } from './validate';

/** One statistics sample, taken in one batched round trip to the target. */
export interface HeapSample {
  /** Wall-clock time (ms since the epoch) when the sample was requested. */
  t: number;
  /** How long the round trip took, in ms. */
  latencyMs: number;
  /** True when the answer took longer than the sampling interval: the target could not keep up. */
  late: boolean;
  /** V8 heap in use and reserved (Runtime.getHeapUsage), bytes. */
  heapUsed: number;
  heapTotal: number;
  /** V8's heap_size_limit for this process, bytes (constant for a process). */
  heapLimit: number;
  /** process.memoryUsage() fields, bytes. */
  rss: number;
  external: number;
  arrayBuffers: number;
  /** Active libuv handles and requests (process.getActiveResourcesInfo()), counted by type. */
  resources: Record<string, number>;
  /** Sum of `resources`. */
  resourceCount: number;
  /** Event-loop utilisation since the previous sample, 0..1 (1 = never idle). */
  eventLoopUtilization: number;
  /** The longest event-loop stall seen since the previous sample, ms (500 ms resolution: shorter stalls read 0). */
  eventLoopDelayMaxMs: number;
  /** GCs that ended since the previous sample. */
  gc: { minor: number; major: number; pauseMs: number };
}

/** One garbage collection, pushed by the target as it happens. */
export interface GcEvent {
  /** Wall-clock time (ms since the epoch) when the GC started. */
  t: number;
  kind: 'minor' | 'major' | 'incremental' | 'weakcb' | 'other';
  /** Pause, ms. */
  durationMs: number;
  /** Heap in use right after this GC (read when the target reported it), bytes. */
  heapUsedAfter: number;
}

/** A point of the post-GC floor: what the heap keeps when garbage is gone. */
export interface FloorPoint {
  t: number;
  bytes: number;
  /** `gc`: heap right after a major GC; `minimum`: lowest heapUsed sample in a window (fallback). */
  source: 'gc' | 'minimum';
}

export type DiagnosisKind = 'retention' | 'off-heap' | 'handles' | 'rss-only' | 'churn' | 'healthy';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** 0..1: how sure the diagnosis is (agreement of the trend, how long we watched). */
  confidence: number;
  /** Human-readable facts that led to the diagnosis, most important first. */
  evidence: string[];
  /** What to capture or look at next. */
  next_step: string;
}

export interface SeriesAnalysis {
  /** Seconds covered by the samples. */
  duration_s: number;
  sample_count: number;
  floor: FloorPoint[];
  /** Robust (Theil–Sen) slope of the post-GC floor, MB per hour (MB = 2^20 bytes). */
  slope_mb_per_hour: number;
  /** Seconds until the floor reaches the heap limit at that slope; null when it is not rising. */
  time_to_limit_s: number | null;
  /** Robust slope of RSS, MB per hour, and seconds until the cgroup limit (null: no limit or not rising). */
  rss_slope_mb_per_hour: number;
  rss_time_to_limit_s: number | null;
  /** Robust slope of external + array buffers, MB per hour. */
  offheap_slope_mb_per_hour: number;
  /** Robust slope of active handles, per hour. */
  handles_slope_per_hour: number;
  diagnosis: Diagnosis;
}

export const checkHeapSample: Check<HeapSample> = object<HeapSample>({
  t: num,
  latencyMs: num,
  late: bool,
  heapUsed: num,
  heapTotal: num,
  heapLimit: num,
  rss: num,
  external: num,
  arrayBuffers: num,
  resources: recordOf(count, 1000),
  resourceCount: count,
  eventLoopUtilization: num,
  eventLoopDelayMaxMs: num,
  gc: object({ minor: count, major: count, pauseMs: num }),
});

export const checkGcEvent: Check<GcEvent> = object<GcEvent>({
  t: num,
  kind: literal('minor', 'major', 'incremental', 'weakcb', 'other'),
  durationMs: num,
  heapUsedAfter: num,
});

const checkFloorPoint: Check<FloorPoint> = object<FloorPoint>({ t: num, bytes: num, source: literal('gc', 'minimum') });

export const checkDiagnosis: Check<Diagnosis> = object<Diagnosis>({
  kind: literal('retention', 'off-heap', 'handles', 'rss-only', 'churn', 'healthy'),
  confidence: num,
  evidence: arrayOf(str, 100),
  next_step: str,
});

export const checkSeriesAnalysis: Check<SeriesAnalysis> = object<SeriesAnalysis>({
  duration_s: num,
  sample_count: count,
  floor: arrayOf(checkFloorPoint, 1_000_000),
  slope_mb_per_hour: num,
  time_to_limit_s: nullable(num),
  rss_slope_mb_per_hour: num,
  rss_time_to_limit_s: nullable(num),
  offheap_slope_mb_per_hour: num,
  handles_slope_per_hour: num,
  diagnosis: checkDiagnosis,
});

/** What the dashboard shows about the session it watches (owned by the extension). */
export interface SessionInfo {
  id: string;
  label: string;
  state: 'connecting' | 'attached' | 'detached' | 'exited';
  /** The allocation sampler is running (the Start/Stop sampling button follows it). */
  sampling: boolean;
}

export const checkSessionInfo: Check<SessionInfo> = object<SessionInfo>({
  id: str,
  label: str,
  state: literal('connecting', 'attached', 'detached', 'exited'),
  sampling: bool,
});
