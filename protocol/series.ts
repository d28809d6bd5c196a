/**
 * Live heap statistics and their analysis, as the dashboard receives them. Plain JSON mirrors of
 * engine/series/types.ts (structurally identical, field for field, so the extension forwards engine
 * output unchanged); protocol/ never imports engine/. A test compiles the engine's values against
 * these types, so a drift shows up as a type error.
 */
import { arrayOf, bool, Check, count, literal, nullable, num, object, recordOf, str } from './validate';

/** One statistics sample, taken in one batched round trip to the target. Sizes in bytes. */
export interface HeapSample {
  /** Wall-clock time (ms since the epoch) when the sample was requested. */
  t: number;
  latencyMs: number;
  /** The answer took longer than the sampling interval: the target could not keep up. */
  late: boolean;
  heapUsed: number;
  heapTotal: number;
  heapLimit: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** Active libuv handles and requests counted by type, e.g. `{Timeout: 3}`. */
  resources: Record<string, number>;
  resourceCount: number;
  /** 0..1 since the previous sample. */
  eventLoopUtilization: number;
  eventLoopDelayMaxMs: number;
  /** GCs that ended since the previous sample. */
  gc: { minor: number; major: number; pauseMs: number };
}

/** One garbage collection, pushed by the target as it happens. */
export interface GcEvent {
  t: number;
  kind: 'minor' | 'major' | 'incremental' | 'weakcb' | 'other';
  durationMs: number;
  heapUsedAfter: number;
}

/** A point of the post-GC floor: what the heap keeps when garbage is gone. */
export interface FloorPoint {
  t: number;
  bytes: number;
  source: 'gc' | 'minimum';
}

export type DiagnosisKind = 'retention' | 'off-heap' | 'handles' | 'rss-only' | 'churn' | 'healthy';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** 0..1. */
  confidence: number;
  /** Facts that led to the diagnosis, most important first. */
  evidence: string[];
  /** What to capture or look at next. */
  next_step: string;
}

/** engine/series' `analyzeSeries` result. Slopes in MB (2^20 bytes) per hour. */
export interface SeriesAnalysis {
  duration_s: number;
  sample_count: number;
  floor: FloorPoint[];
  slope_mb_per_hour: number;
  time_to_limit_s: number | null;
  rss_slope_mb_per_hour: number;
  rss_time_to_limit_s: number | null;
  offheap_slope_mb_per_hour: number;
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
