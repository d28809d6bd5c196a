/**
 * The plain-JSON shapes of a live heap time series and of its diagnosis.
 * They travel from the engine to the CLI (NDJSON) and to the webview dashboard, so every field is a
 * number, string, boolean, null, array or plain object — no Maps, no Dates, no classes.
 * Keep them stable: the extension and the webview depend on these names.
 */

// The shapes live in protocol/ (they travel to the webview as they are); engine-only types stay here.
export type { HeapSample, GcEvent, FloorPoint, DiagnosisKind, Diagnosis, SeriesAnalysis } from '../../protocol/series';

export interface SeriesLimits {
  /** V8 heap limit, bytes; defaults to the samples' heapLimit. */
  heapLimit?: number;
  /** The target's cgroup memory limit, bytes, when one is set (for RSS). */
  cgroupLimit?: number | null;
}

