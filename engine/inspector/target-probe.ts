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

/** Period of the probe's stall ticker, ms: the resolution of HeapSample.eventLoopDelayMaxMs. */
export const STALL_TICK_MS = 500;

/** Where the probe lives on the target's global object: a registry symbol, one per session. */
function probeKey(sessionId: string): string {
  return `Symbol.for(${JSON.stringify(`heapscope.probe.${sessionId}`)})`;
}

/** Expression (a promise: evaluate with awaitPromise) that installs the probe and gives ProbeInfo. `binding` receives JSON arrays of GcEvent. */
export function installProbeExpression(sessionId: string, binding: string): string {
  // Run from a microtask, not at once: an evaluate that arrives while Node is still bootstrapping
  // (we attach as soon as the inspector listens) runs in the middle of that bootstrap, where timers
  // and other internals are not ready yet. The microtask runs when that synchronous work is done.
  return `Promise.resolve().then(() => {
  const key = ${probeKey(sessionId)};
  if (globalThis[key]) return globalThis[key].info;
  const load = (name) => typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule(name)
    : typeof require === 'function' ? require(name) : process.mainModule.require(name);
  const v8 = load('v8'), perf = load('perf_hooks'), fs = load('fs');
  const { performance, PerformanceObserver, constants } = perf;
  const readLimit = (file) => {
    try {
      const text = fs.readFileSync(file, 'utf8').trim();
      const bytes = Number(text);
      return text !== 'max' && Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 60 ? bytes : null;
    } catch { return null; }
  };
  // Event-loop stalls, from a ticker: a sample taken during a stall (inspector messages are served
  // from an interrupt even then) sees it as time since the last turn, and one taken after sees the
  // longest gap. Every 500 ms costs the target ~0.5 ms of CPU a second; perf_hooks'
  // monitorEventLoopDelay at 10 ms cost ~7 ms/s, and its reset loses a stall in progress.
  // Unref'd: it never keeps the process alive and is not listed as an active resource.
  const TURN_MS = ${STALL_TICK_MS};
  let lastTurn = Date.now(), longestGap = 0;
  const turns = setInterval(() => {
    const now = Date.now();
    longestGap = Math.max(longestGap, now - lastTurn - TURN_MS);
    lastTurn = now;
  }, TURN_MS);
  turns.unref();
  let elu = performance.eventLoopUtilization();
  const gc = { minor: 0, major: 0, pauseMs: 0 };
  const kinds = { [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor', [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental', [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb' };
  const binding = ${JSON.stringify(binding)};
  const observer = new PerformanceObserver((list) => {
    const entries = list.getEntries();
    // Read once per batch, soon after its GCs: only the batch's last major GC gets it.
    const heapNow = v8.getHeapStatistics().used_heap_size;
    const events = entries.map((e) => {
      const kind = kinds[(e.detail && e.detail.kind) ?? e.kind] || 'other';
      if (kind === 'minor') gc.minor++;
      else if (kind === 'major') gc.major++;
      gc.pauseMs += e.duration;
      return { t: performance.timeOrigin + e.startTime, kind, durationMs: e.duration, heapUsedAfter: 0 };
    });
    const lastMajor = events.findLastIndex((e) => e.kind === 'major');
    if (lastMajor >= 0) events[lastMajor].heapUsedAfter = heapNow;
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
    const eventLoopDelayMaxMs = Math.max(longestGap, Date.now() - lastTurn - TURN_MS, 0);
    longestGap = 0;
    const gcSince = { minor: gc.minor, major: gc.major, pauseMs: gc.pauseMs };
    gc.minor = 0; gc.major = 0; gc.pauseMs = 0;
    return { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers,
      resources, resourceCount, eventLoopUtilization, eventLoopDelayMaxMs, gc: gcSince };
  };
  const uninstall = () => {
    observer.disconnect();
    clearInterval(turns);
    delete globalThis[key];
    delete globalThis[binding]; // Runtime.removeBinding leaves the function on the global object
  };
  Object.defineProperty(globalThis, key, { value: { info, sample, uninstall }, configurable: true, enumerable: false });
  return info;
})`;
}

export function sampleExpression(sessionId: string): string {
  return `globalThis[${probeKey(sessionId)}].sample()`;
}

export function uninstallProbeExpression(sessionId: string): string {
  return `globalThis[${probeKey(sessionId)}]?.uninstall()`;
}
