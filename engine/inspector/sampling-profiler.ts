/**
 * The sampling heap profiler: V8 records a stack for about one allocation every `intervalBytes`.
 * `live` (the default) keeps only samples whose objects are still alive — what holds memory now,
 * like pprof's inuse_space; `total` also keeps the ones GC already collected — where memory is
 * allocated, like alloc_space.
 */
import type { Protocol } from 'devtools-protocol';
import type { InspectorSession } from './session';

/** The --heap-prof default. A 32 KiB interval visibly raises a busy target's tail latency; 512 KiB does not. */
export const DEFAULT_SAMPLING_INTERVAL_BYTES = 512 * 1024;

export interface SamplingOptions {
  /** Average bytes between samples. Default 524288 (512 KiB). */
  intervalBytes?: number;
  /** Keep samples of objects a major / minor GC already collected (total allocations). Default false: live only. */
  includeObjectsCollectedByMajorGC?: boolean;
  includeObjectsCollectedByMinorGC?: boolean;
}

export class SamplingProfiler {
  private running = false;

  constructor(private readonly session: InspectorSession) {}

  async start(options: SamplingOptions): Promise<void> {
    if (this.running) throw new Error('a sampling heap profile is already being recorded in this session');
    const intervalBytes = options.intervalBytes ?? DEFAULT_SAMPLING_INTERVAL_BYTES;
    if (!Number.isInteger(intervalBytes) || intervalBytes <= 0) {
      throw new RangeError(`sampling interval must be a positive whole number of bytes, got ${intervalBytes}`);
    }
    await this.session.send('HeapProfiler.enable');
    await this.session.send('HeapProfiler.startSampling', {
      samplingInterval: intervalBytes,
      includeObjectsCollectedByMajorGC: options.includeObjectsCollectedByMajorGC ?? false,
      includeObjectsCollectedByMinorGC: options.includeObjectsCollectedByMinorGC ?? false,
    });
    this.running = true;
  }

  async read(): Promise<Protocol.HeapProfiler.SamplingHeapProfile> {
    this.assertRunning();
    return (await this.session.send('HeapProfiler.getSamplingProfile')).profile;
  }

  async stop(): Promise<Protocol.HeapProfiler.SamplingHeapProfile> {
    this.assertRunning();
    this.running = false;
    return (await this.session.send('HeapProfiler.stopSampling')).profile;
  }

  /** Stop without reading (the session is closing): the target should not keep sampling. */
  async abandon(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.session.send('HeapProfiler.stopSampling').catch(() => undefined);
  }

  private assertRunning(): void {
    if (!this.running) throw new Error('no sampling heap profile is being recorded: call startSampling() first');
  }
}
