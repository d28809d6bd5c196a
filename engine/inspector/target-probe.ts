/**
 * The small piece of JavaScript that runs inside the target. Installed once by one Runtime.evaluate,
 * it keeps the state a cheap per-tick sample needs (the previous event-loop utilisation, an
 * event-loop delay histogram, GC counters) and pushes GC events through a Runtime binding.
 *
 * It is a plain string, not a stringified function, so no bundler helper can leak into it. It must
 * run in any Node >= 18, in CommonJS and ESM targets alike: `require` is not a global in either, so
 * built-in modules come from process.getBuiltinModule (Node >= 20.16 / 22.3), then the evaluate's
 * command-line API `require`, then process.mainModule.
 */

/** What the probe reports once, at install. */
export interface ProbeInfo {
  nodeVersion: string;
  pid: number;
  heapLimit: number;
  /** The target's cgroup memory limit in bytes; null when none is set (or not on Linux). */
  cgroupLimit: number | null;
}

/** What the probe returns on every tick (HeapSample minus what the client side adds). */
export interface ProbeSample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  resources: Record<string, number>;
  resourceCount: number;
  eventLoopUtilization: number;
  eventLoopDelayMaxMs: number;
  gc: { minor: number; major: number; pauseMs: number };
}

/** Where the probe lives on the target's global object: a registry symbol, one per session. */
function probeKey(sessionId: string): string {
  return `Symbol.for(${JSON.stringify(`heapscope.probe.${sessionId}`)})`;
}

/** Expression that installs the probe and returns ProbeInfo. `binding` receives JSON arrays of GcEvent. */
export function installProbeExpression(sessionId: string, binding: string): string {
  return `(() => {
  const key = ${probeKey(sessionId)};
  if (globalThis[key]) return globalThis[key].info;
  const load = (name) => typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule(name)
    : typeof require === 'function' ? require(name) : process.mainModule.require(name);
  const v8 = load('v8'), perf = load('perf_hooks'), fs = load('fs');
  const { performance, PerformanceObserver, monitorEventLoopDelay, constants } = perf;
  const readLimit = (file) => {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      const bytes = Number(text);
      return text !== 'max' && Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : null;
    } catch { return null; }
  };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let elu = performance.eventLoopUtilization();
  const gc = { minor: 0, major: 0, pauseMs: 0 };
  const kinds = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
  const binding = ${JSON.stringify(binding)};
  const observer = new PerformanceObserver((list) => {
    const entries = list.getEntries();
    // Read once per batch: right after the batch's last GC, so only a trailing major GC gets it.
    const heapNow = v8.getHeapStatistics().used_heap_size;
    const events = entries.map((e, i) => {
      const kind = kinds[(e.detail && e.detail.kind) ?? e.kind] || 'other';
      if (kind === 'minor') gc.minor++;
      else if (kind === 'major') gc.major++;
      gc.pauseMs += e.duration;
      const last = i === entries.length - 1;
      return { t: performance.timeOrigin + e.startTime, kind, durationMs: e.duration, heapUsedAfter: last && kind === 'major' ? heapNow : 0 };
    });
    if (typeof globalThis[binding] === 'function') globalThis[binding](JSON.stringify(events));
  });
  observer.observe({ entryTypes: ['gc'] });
  const info = {
    nodeVersion: process.version, pid: process.pid,
    heapLimit: v8.getHeapStatistics().heap_size_limit,
    cgroupLimit: readLimit('/sys/fs/cgroup/memory.max') ?? readLimit('/sys/fs/cgroup/memory/memory.limit_in_bytes'),
  };
  const sample = () => {
    const m = process.memoryUsage();
    const resources = {};
    let resourceCount = 0;
    for (const type of typeof process.getActiveResourcesInfo === 'function' ? process.getActiveResourcesInfo() : []) {
      resources[type] = (resources[type] || 0) + 1;
      resourceCount++;
    }
    const now = performance.eventLoopUtilization();
    const eventLoopUtilization = performance.eventLoopUtilization(now, elu).utilization;
    elu = now;
    const eventLoopDelayMaxMs = delay.count > 0 ? delay.max / 1e6 : 0;
    // Inside a long synchronous block (we run from an inspector interrupt) a reset would lose the
    // block's delay, which the histogram records only when the loop turns again.
    if (eventLoopUtilization < 0.99) delay.reset();
    const gcSince = { minor: gc.minor, major: gc.major, pauseMs: gc.pauseMs };
    gc.minor = 0; gc.major = 0; gc.pauseMs = 0;
    return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers,
      resources, resourceCount, eventLoopUtilization, eventLoopDelayMaxMs, gc: gcSince };
  };
  const uninstall = () => { observer.disconnect(); delay.disable(); delete globalThis[key]; };
  Object.defineProperty(globalThis, key, { value: { info, sample, uninstall }, configurable: true, enumerable: false });
  return info;
})()`;
}

export function sampleExpression(sessionId: string): string {
  return `globalThis[${probeKey(sessionId)}].sample()`;
}

export function uninstallProbeExpression(sessionId: string): string {
  return `globalThis[${probeKey(sessionId)}]?.uninstall()`;
}
