import { formatBytes } from './size';
import { handleGrowth, MemoryReading } from './measure';
import { ResolvedGuardOptions } from './options';

/** What the guard measured, and whether it is a leak. Plain JSON, so the CLI can print it. */
export interface GuardVerdict {
  passed: boolean;
  iterations: number;
  /** Heap + external bytes retained after each measured batch, relative to the post-warm-up baseline. */
  retainedAfterBatch: number[];
  heapGrowth: number;
  externalGrowth: number;
  growthPerIteration: number;
  handleGrowth: Record<string, number>;
  /** Why it failed, one sentence each; empty when it passed. */
  reasons: string[];
}

/**
 * A leak is growth that is both larger than allowed overall and still going on in the second half
 * of the run. The second condition is what lets a cache that fills during the first batches and
 * then stays bounded (an LRU) pass, while steady per-iteration retention fails.
 */
export function judge(before: MemoryReading, after: MemoryReading, retainedAfterBatch: number[], options: ResolvedGuardOptions): GuardVerdict {
  const heapGrowth = after.heapUsed - before.heapUsed;
  const externalGrowth = after.external - before.external;
  const total = retainedAfterBatch[retainedAfterBatch.length - 1] ?? 0;
  const half = Math.floor(retainedAfterBatch.length / 2);
  const firstHalf = half > 0 ? retainedAfterBatch[half - 1] : 0;
  const secondHalfRate = (total - firstHalf) / (retainedAfterBatch.length - half);
  const projected = secondHalfRate * retainedAfterBatch.length;
  const grownHandles = handleGrowth(before, after);
  const extraHandles = Object.values(grownHandles).reduce((sum, n) => sum + n, 0);

  const reasons: string[] = [];
  const perIteration = total / options.iterations;
  if (total > options.maxGrowth && projected > options.maxGrowth) {
    const where = externalGrowth > heapGrowth ? `mostly off-heap (external +${formatBytes(externalGrowth)})` : `heap +${formatBytes(heapGrowth)}, external +${formatBytes(externalGrowth)}`;
    reasons.push(
      `memory grew ${formatBytes(total)} over ${options.iterations.toLocaleString('en-US')} iterations of ${options.name} ` +
        `(${formatBytes(perIteration)} per iteration; ${where}), more than the ${formatBytes(options.maxGrowth)} allowed, and it was still growing at the end`,
    );
  }
  if (extraHandles > options.maxHandles) {
    const list = Object.entries(grownHandles).map(([type, n]) => `+${n} ${type}`).join(', ');
    reasons.push(`${extraHandles} active handles remain after the run (${list}); at most ${options.maxHandles} allowed`);
  }
  return {
    passed: reasons.length === 0,
    iterations: options.iterations,
    retainedAfterBatch,
    heapGrowth,
    externalGrowth,
    growthPerIteration: perIteration,
    handleGrowth: grownHandles,
    reasons,
  };
}
