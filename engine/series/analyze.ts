/**
 * From a heap time series to a diagnosis: the incident playbook made automatic.
 * Each memory series is reduced to its lower envelope (so the GC sawtooth does not count), a robust
 * trend is fitted, and the diagnosis is the first class whose signature the trends match:
 * handles → off-heap → retention → rss-only → churn → bounded (healthy) → healthy.
 */
import { postGcFloor, windowMinima } from './floor';
import { formatBytes, formatDuration, formatMbPerHour } from './format';
import { theilSen, type RobustTrend } from './theil-sen';
import type { Diagnosis, DiagnosisKind, FloorPoint, GcEvent, HeapSample, SeriesAnalysis, SeriesLimits } from './types';

export interface AnalyzeOptions extends SeriesLimits {
  /** GC events pushed by the target; with enough major GCs the floor is read from them. */
  gcEvents?: readonly GcEvent[];
}

const MB = 1024 * 1024;
const HOUR = 3600;

/** A trend counts as growth when it rises at least this much over the watch and most point pairs agree. */
const MIN_FLOOR_RISE = 2 * MB;
const MIN_OFFHEAP_RISE = 4 * MB;
// RSS minus the V8 heap and external memory swings by tens of MB in a healthy process (pages V8 or
// malloc have not returned yet: measured 25-43 MB back and forth for cache-fixed.js over 30 s).
const MIN_RSS_RISE = 64 * MB;
const MIN_HANDLE_RISE = 20;
const MIN_AGREEMENT = 0.7;
/** Off-heap wins over retention when external memory grows this many times faster than the floor. */
const OFFHEAP_DOMINANCE = 2;
/** A floor whose second half rises less than this share of its first half has reached a ceiling. */
const PLATEAU_SHARE = 0.25;
/** Churn: scavenges per second, or share of wall time spent in GC pauses. */
// A busy, healthy server scavenges a few times a second (measured: ~2-3/s for the fixed fixture
// programs at 500 requests/s); allocation-heavy churn runs at tens per second (~27/s for churn.js).
const CHURN_MINOR_GC_PER_S = 8;
const CHURN_GC_TIME_SHARE = 0.05;
/** Under churn with no major GC, a floor rise smaller than this is not called retention. */
const UNCONFIRMED_FLOOR_RISE = 16 * MB;
/** Below this many samples there is no trend to speak of. */
const MIN_SAMPLES = 5;
/** Below this many samples every diagnosis is tentative. */
const FULL_CONFIDENCE_SAMPLES = 30;

interface Growth {
  trend: RobustTrend;
  /** slope × watched seconds: how much the series rose over the watch. */
  rise: number;
  growing: boolean;
}

export function analyzeSeries(samples: readonly HeapSample[], options: AnalyzeOptions = {}): SeriesAnalysis {
  const gcEvents = options.gcEvents ?? [];
  const first = samples[0];
  const last = samples[samples.length - 1];
  const durationS = samples.length > 1 ? (last.t - first.t) / 1000 : 0;
  const heapLimit = options.heapLimit ?? last?.heapLimit ?? 0;
  const cgroupLimit = options.cgroupLimit ?? null;

  const floor = postGcFloor(samples, gcEvents);
  const floorGrowth = growth(floor, durationS, MIN_FLOOR_RISE);
  const offHeap = growth(windowMinima(samples, (s) => s.external), durationS, MIN_OFFHEAP_RISE);
  const handles = growth(windowMinima(samples, (s) => s.resourceCount), durationS, MIN_HANDLE_RISE);
  // RSS that heap reservation and external memory do not explain.
  const unexplainedRssPoints = windowMinima(samples, (s) => s.rss - s.heapTotal - s.external);
  const unexplainedRss = growth(unexplainedRssPoints, durationS, MIN_RSS_RISE);
  // A process's RSS settles after start-up (arenas, code space, a cache filling): bounded, not a leak.
  const [rssEarly, rssLate] = halves(unexplainedRssPoints, durationS, MIN_RSS_RISE);
  const unexplainedRssPlateaued = rssEarly.growing && rssLate.rise < PLATEAU_SHARE * rssEarly.rise;
  const rss = growth(windowMinima(samples, (s) => s.rss), durationS, MIN_RSS_RISE);

  const lastFloor = floor.length ? floor[floor.length - 1].bytes : (last?.heapUsed ?? 0);
  const lastRss = last?.rss ?? 0;
  const floorSlope = floorGrowth.trend.slope; // bytes per second
  const timeToLimit = floorGrowth.growing && floorSlope > 0 && heapLimit > lastFloor ? (heapLimit - lastFloor) / floorSlope : null;
  const rssTimeToLimit =
    cgroupLimit && rss.growing && rss.trend.slope > 0 && cgroupLimit > lastRss ? (cgroupLimit - lastRss) / rss.trend.slope : null;

  const context: Context = { samples, durationS, floor, floorGrowth, offHeap, handles, unexplainedRss, unexplainedRssPlateaued, rss, heapLimit, cgroupLimit, timeToLimit, rssTimeToLimit };
  const diagnosis = samples.length < MIN_SAMPLES ? tooShort(samples.length) : diagnose(context);

  return {
    duration_s: round(durationS, 1),
    sample_count: samples.length,
    floor,
    slope_mb_per_hour: round((floorSlope * HOUR) / MB, 2),
    time_to_limit_s: timeToLimit === null ? null : Math.round(timeToLimit),
    rss_slope_mb_per_hour: round((rss.trend.slope * HOUR) / MB, 2),
    rss_time_to_limit_s: rssTimeToLimit === null ? null : Math.round(rssTimeToLimit),
    offheap_slope_mb_per_hour: round((offHeap.trend.slope * HOUR) / MB, 2),
    handles_slope_per_hour: round(handles.trend.slope * HOUR, 1),
    diagnosis,
  };
}

interface Context {
  samples: readonly HeapSample[];
  durationS: number;
  floor: FloorPoint[];
  floorGrowth: Growth;
  offHeap: Growth;
  handles: Growth;
  unexplainedRss: Growth;
  unexplainedRssPlateaued: boolean;
  rss: Growth;
  heapLimit: number;
  cgroupLimit: number | null;
  timeToLimit: number | null;
  rssTimeToLimit: number | null;
}

function diagnose(c: Context): Diagnosis {
  const floorEvidence = describeFloor(c);
  if (c.handles.growing) {
    const growingType = fastestGrowingResource(c.samples);
    return verdict(c, 'handles', c.handles.trend.agreement, [
      `active handles rose by ${Math.round(c.handles.rise)} over ${formatDuration(c.durationS)}` +
        (growingType ? `, mostly ${growingType.type} (${growingType.from} → ${growingType.to})` : ''),
      floorEvidence,
    ], `List what keeps the handles alive: the growing type is ${growingType?.type ?? 'shown above'} ` +
      `(Timeout: timers never cleared; TCPSocketWrap: sockets never closed; FSReqCallback: file operations that never finish). ` +
      `Take a heap snapshot (heapscope snapshot) and follow those objects' retainers to the code that creates them.`);
  }
  if (c.offHeap.growing && c.offHeap.rise > OFFHEAP_DOMINANCE * Math.max(c.floorGrowth.rise, 0)) {
    return verdict(c, 'off-heap', c.offHeap.trend.agreement, [
      `external memory (Buffers, ArrayBuffers) rose by ${formatBytes(c.offHeap.rise)} over ${formatDuration(c.durationS)} ` +
        `(${formatMbPerHour((c.offHeap.trend.slope * HOUR) / MB)})`,
      floorEvidence,
    ], 'Take a heap snapshot (heapscope snapshot) and look at the retainers of ArrayBuffer / Buffer objects: ' +
      'a small slice (subarray, slice) keeps its whole parent buffer alive. A sampling profile does not see off-heap bytes.');
  }
  const churn = churnRates(c.samples, c.durationS);
  const churning = churn.minorPerSecond >= CHURN_MINOR_GC_PER_S || churn.gcTimeShare >= CHURN_GC_TIME_SHARE;
  // Under heavy churn, scavenges promote short-lived objects into the old generation, where they
  // stay until a major GC: without one, a slowly rising floor may be garbage waiting.
  const unconfirmed = c.floorGrowth.growing && c.floor[0]?.source !== 'gc' && churning && c.floorGrowth.rise < UNCONFIRMED_FLOOR_RISE;
  const [early, late] = halves(c.floor, c.durationS, MIN_FLOOR_RISE);
  const plateaued = early.growing && late.rise < PLATEAU_SHARE * early.rise;
  if (c.floorGrowth.growing && !unconfirmed && !plateaued) {
    return verdict(c, 'retention', c.floorGrowth.trend.agreement, [floorEvidence, ...limitEvidence(c)],
      'Take two heap snapshots a minute apart (heapscope snapshot) and compare them (heapscope diff): the class that grows ' +
      'and its retainer path show what holds the memory. A live sampling profile (heapscope profile --live) shows where it was allocated.');
  }
  if (c.unexplainedRss.growing && !c.unexplainedRssPlateaued) {
    return verdict(c, 'rss-only', c.unexplainedRss.trend.agreement, [
      `RSS rose by ${formatBytes(c.rss.rise)} over ${formatDuration(c.durationS)} while the V8 heap and external memory stayed flat`,
      ...limitEvidence(c),
    ], 'The growth is native memory (an addon, or allocator fragmentation): heap snapshots will not show it. ' +
      'Compare process.report native stacks, or try MALLOC_ARENA_MAX=2 / jemalloc to rule out fragmentation.');
  }
  if (churning) {
    const strength = Math.min(1, Math.max(churn.minorPerSecond / (2 * CHURN_MINOR_GC_PER_S), churn.gcTimeShare / (2 * CHURN_GC_TIME_SHARE)));
    return verdict(c, 'churn', 0.5 + strength / 2, [
      `${churn.minorPerSecond.toFixed(1)} scavenges/s, ${(churn.gcTimeShare * 100).toFixed(1)}% of the time in GC pauses, ` +
        `at least ${formatBytes(churn.allocatedPerSecond)}/s allocated`,
      unconfirmed
        ? `the heap between GCs rose by ${formatBytes(c.floorGrowth.rise)}, but no major GC confirmed it: likely promoted garbage (watch longer to be sure)`
        : floorEvidence,
    ], 'No leak seen: the floor is flat, but the process allocates a lot of short-lived memory. ' +
      'Record a sampling profile of total allocations (heapscope profile --total) to find the hot spots.');
  }
  if (plateaued) {
    return verdict(c, 'healthy', early.trend.agreement, [
      `the post-GC floor rose by ${formatBytes(early.rise)} in the first half of the watch, then stayed flat ` +
        `(${formatBytes(late.rise)} in the second half): bounded, it reached its ceiling`,
    ], 'Nothing to capture: memory grows to a bound and stays there. If the bound is too high, cap the cache size.');
  }
  return verdict(c, 'healthy', 1 - Math.abs(c.floorGrowth.trend.agreement - 0.5), [floorEvidence],
    'Nothing to capture. If you expected growth, watch longer or under real load.');
}

function verdict(c: Context, kind: DiagnosisKind, agreement: number, evidence: string[], nextStep: string): Diagnosis {
  const coverage = Math.min(1, c.samples.length / FULL_CONFIDENCE_SAMPLES);
  const confidence = round(Math.max(0, Math.min(1, agreement)) * coverage, 2);
  const blocked = blockedEvidence(c.samples);
  return { kind, confidence, evidence: blocked ? [...evidence, blocked] : evidence, next_step: nextStep };
}

function tooShort(count: number): Diagnosis {
  return {
    kind: 'healthy',
    confidence: 0,
    evidence: [`only ${count} sample${count === 1 ? '' : 's'}: too few to see a trend`],
    next_step: 'Watch for at least 30 seconds.',
  };
}

function growth(points: readonly { t: number; bytes: number }[], durationS: number, minRise: number): Growth {
  const trend = theilSen(points.map((p) => p.t / 1000), points.map((p) => p.bytes));
  const rise = trend.slope * durationS;
  return { trend, rise, growing: points.length >= 3 && rise >= minRise && trend.agreement >= MIN_AGREEMENT };
}

/** Trends of the first and second half (by time) of a series. */
function halves(floor: readonly { t: number; bytes: number }[], durationS: number, minRise: number): [Growth, Growth] {
  if (floor.length < 4) {
    const whole = growth(floor, durationS, minRise);
    return [whole, whole];
  }
  const mid = (floor[0].t + floor[floor.length - 1].t) / 2;
  const early = floor.filter((p) => p.t <= mid);
  const late = floor.filter((p) => p.t >= mid);
  return [growth(early, durationS / 2, minRise), growth(late, durationS / 2, minRise)];
}

function describeFloor(c: Context): string {
  const from = c.floor[0]?.bytes ?? 0;
  const to = c.floor[c.floor.length - 1]?.bytes ?? 0;
  const source = c.floor[0]?.source === 'gc' ? 'heap after major GCs' : 'lowest heap between GCs';
  const slope = formatMbPerHour((c.floorGrowth.trend.slope * HOUR) / MB);
  if (!c.floorGrowth.growing) return `post-GC floor flat: ${formatBytes(from)} → ${formatBytes(to)} (${source}, ${slope})`;
  return `post-GC floor rose ${formatBytes(from)} → ${formatBytes(to)} over ${formatDuration(c.durationS)} (${source}, ${slope}, ` +
    `${Math.round(c.floorGrowth.trend.agreement * 100)}% of point pairs rising)`;
}

function limitEvidence(c: Context): string[] {
  const evidence: string[] = [];
  if (c.timeToLimit !== null) {
    evidence.push(`at ${formatMbPerHour((c.floorGrowth.trend.slope * HOUR) / MB)}, ${formatDuration(c.timeToLimit)} to the ${formatBytes(c.heapLimit)} heap limit`);
  }
  if (c.rssTimeToLimit !== null && c.cgroupLimit) {
    evidence.push(`RSS at ${formatMbPerHour((c.rss.trend.slope * HOUR) / MB)}, ${formatDuration(c.rssTimeToLimit)} to the ${formatBytes(c.cgroupLimit)} cgroup memory limit`);
  }
  return evidence;
}

/** The resource type whose count grew most between the first and last few samples. */
function fastestGrowingResource(samples: readonly HeapSample[]): { type: string; from: number; to: number } | undefined {
  const head = samples.slice(0, Math.min(3, samples.length));
  const tail = samples.slice(-3);
  const types = new Set([...head, ...tail].flatMap((s) => Object.keys(s.resources)));
  let best: { type: string; from: number; to: number } | undefined;
  for (const type of types) {
    const from = Math.min(...head.map((s) => s.resources[type] ?? 0));
    const to = Math.min(...tail.map((s) => s.resources[type] ?? 0));
    if (!best || to - from > best.to - best.from) best = { type, from, to };
  }
  return best && best.to > best.from ? best : undefined;
}

function churnRates(samples: readonly HeapSample[], durationS: number): { minorPerSecond: number; gcTimeShare: number; allocatedPerSecond: number } {
  let minor = 0;
  let pauseMs = 0;
  let allocated = 0;
  for (let i = 1; i < samples.length; i++) {
    minor += samples[i].gc.minor;
    pauseMs += samples[i].gc.pauseMs;
    // Between two samples the heap grows by what was allocated minus what GC freed: a lower bound.
    allocated += Math.max(0, samples[i].heapUsed - samples[i - 1].heapUsed);
  }
  const seconds = Math.max(durationS, 1e-3);
  return { minorPerSecond: minor / seconds, gcTimeShare: pauseMs / 1000 / seconds, allocatedPerSecond: allocated / seconds };
}

/** A sample that came back late, or a long event-loop stall, is worth saying whatever the diagnosis. */
function blockedEvidence(samples: readonly HeapSample[]): string | undefined {
  let worst = 0;
  for (const s of samples) worst = Math.max(worst, s.eventLoopDelayMaxMs, s.late ? s.latencyMs : 0);
  return worst >= 1000 ? `the event loop was blocked for up to ${(worst / 1000).toFixed(1)} s` : undefined;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
