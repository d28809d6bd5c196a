/**
 * engine/series — public API: heap statistics over time -> post-GC floor, robust slope, time to the
 * heap (and cgroup) limit, and a diagnosis of the leak class with its evidence.
 *
 *   analyzeSeries(samples, { heapLimit?, cgroupLimit?, gcEvents? }) -> SeriesAnalysis
 *     { duration_s, sample_count, floor: FloorPoint[], slope_mb_per_hour, time_to_limit_s,
 *       rss_slope_mb_per_hour, rss_time_to_limit_s, offheap_slope_mb_per_hour, handles_slope_per_hour,
 *       diagnosis: { kind: 'retention'|'off-heap'|'handles'|'rss-only'|'churn'|'healthy',
 *                    confidence: 0..1, evidence: string[], next_step: string } }
 *
 *   appendBounded(points, point, max = 20000, absorb?) keeps a long watch in bounded memory (halving density).
 *
 * HeapSample and GcEvent are what engine/inspector's stats stream produces. Every type here is plain
 * JSON (it travels to the webview); field names are stable.
 */
export { analyzeSeries, type AnalyzeOptions } from './analyze';
export { postGcFloor, windowMinima } from './floor';
export { absorbGcCounts, appendBounded, DEFAULT_MAX_POINTS } from './bounded';
export { theilSen, type RobustTrend } from './theil-sen';
export { formatBytes, formatDuration, formatMbPerHour } from './format';
export type { HeapSample, GcEvent, FloorPoint, Diagnosis, DiagnosisKind, SeriesAnalysis, SeriesLimits } from './types';
