/**
 * Live heap statistics and the diagnosis, as the dashboard receives them. Plain JSON mirrors of
 * engine/series (structurally identical, so the extension forwards engine output unchanged);
 * protocol/ never imports engine/.
 */
import { arrayOf, bool, Check, count, literal, nullable, num, object, optional, recordOf, str } from './validate';

/** One poll of the target: `process.memoryUsage()`, the heap limit, handles by type. Sizes in bytes. */
export interface HeapSample {
  /** Wall-clock time of the sample, ms since the epoch. */
  time: number;
  heapUsed: number;
  heapTotal: number;
  heapLimit: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** Active resources (`process.getActiveResourcesInfo()`) counted by type, e.g. `{Timeout: 3}`. */
  handles: Record<string, number>;
  /** Event-loop utilisation over the last interval, 0..1, when the target reports it. */
  eventLoopUtilization?: number;
  /** How late the sample came back, ms: a blocked event loop shows up here. */
  latencyMs?: number;
}

export interface GcEvent {
  time: number;
  kind: 'major' | 'minor' | 'incremental' | 'weakcb' | 'unknown';
  durationMs: number;
}

/** A heap-used reading right after a major GC: the floor the leak raises. */
export interface FloorPoint {
  time: number;
  heapUsed: number;
}

export type DiagnosisKind = 'retention' | 'off-heap' | 'handles' | 'rss-only' | 'churn' | 'healthy' | 'insufficient-data';

export interface Diagnosis {
  kind: DiagnosisKind;
  /** 0..1: how sure the engine is. */
  confidence: number;
  /** Slope of the post-GC floor (or of the growing metric), MB per hour. */
  slopeMbPerHour: number | null;
  /** Seconds until the heap (or cgroup) limit at that slope; null when not growing. */
  timeToLimitS: number | null;
  /** Human sentences, each one fact that supports the kind. */
  evidence: string[];
  /** What to capture next, e.g. "take two heap snapshots a minute apart and compare". */
  next: string;
  /** Post-GC floor readings and the fitted line through them (heapUsed = intercept + slope * (t - t0)). */
  floor: FloorPoint[];
  floorLine: { t0: number; intercept: number; bytesPerMs: number } | null;
}

export const checkHeapSample: Check<HeapSample> = object<HeapSample>({
  time: num,
  heapUsed: num,
  heapTotal: num,
  heapLimit: num,
  rss: num,
  external: num,
  arrayBuffers: num,
  handles: recordOf(count, 1000),
  eventLoopUtilization: optional(num),
  latencyMs: optional(num),
});

export const checkGcEvent: Check<GcEvent> = object<GcEvent>({
  time: num,
  kind: literal('major', 'minor', 'incremental', 'weakcb', 'unknown'),
  durationMs: num,
});

const checkFloorPoint: Check<FloorPoint> = object<FloorPoint>({ time: num, heapUsed: num });

export const checkDiagnosis: Check<Diagnosis> = object<Diagnosis>({
  kind: literal('retention', 'off-heap', 'handles', 'rss-only', 'churn', 'healthy', 'insufficient-data'),
  confidence: num,
  slopeMbPerHour: nullable(num),
  timeToLimitS: nullable(num),
  evidence: arrayOf(str, 100),
  next: str,
  floor: arrayOf(checkFloorPoint, 100_000),
  floorLine: nullable(object({ t0: num, intercept: num, bytesPerMs: num })),
});

/** What the dashboard shows about the session it watches. */
export interface SessionInfo {
  id: string;
  label: string;
  state: 'connecting' | 'attached' | 'detached' | 'exited';
  sampling: boolean;
}

export const checkSessionInfo: Check<SessionInfo> = object<SessionInfo>({
  id: str,
  label: str,
  state: literal('connecting', 'attached', 'detached', 'exited'),
  sampling: bool,
});
