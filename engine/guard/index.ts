/**
 * `import { assertNoLeak } from 'heapscope/guard'` — a heap-growth assertion for users' own test
 * suites (node:test, mocha, jest, vitest: no framework coupling, it just throws an AssertionError).
 *
 *   await assertNoLeak(async (i) => handle(uniqueRequest(i)), { iterations: 10_000, warmup: 500, maxGrowth: '2 MB', maxHandles: 0 });
 *
 * It warms up, forces full GCs (with or without --expose-gc), runs the work in batches with a full
 * GC after each, and compares heap used, external memory and active handles by type. On failure it
 * takes heap snapshots around a few more iterations and names the classes that grew and what holds them.
 */
import { AssertionError } from 'node:assert';
import { collectGarbageFully } from './gc';
import { explainGrowth } from './explain';
import { judge, GuardVerdict } from './judge';
import { readMemory } from './measure';
import { GuardOptions, resolveOptions } from './options';

export type { GuardOptions } from './options';
export type { GuardVerdict } from './judge';
export { parseByteSize, formatBytes } from './size';

/** The report `assertNoLeak` returns on success (and attaches to the error on failure). */
export interface GuardReport extends GuardVerdict {
  /** What the heap snapshots showed, one line each; only on failure with `explain` on. */
  explanation: string[];
}

export type GuardWork = (iteration: number) => unknown;

const BATCHES = 4;

/** Runs `work` the way `assertNoLeak` does and reports what it measured, without throwing. */
export async function measureLeak(work: GuardWork, options?: GuardOptions): Promise<GuardReport> {
  const opts = resolveOptions(options);
  let next = 0;
  const run = async (count: number) => {
    for (const end = next + count; next < end; next++) await work(next);
  };

  await run(opts.warmup);
  await collectGarbageFully();
  const before = readMemory();
  const retainedAfterBatch: number[] = [];
  for (let batch = 0; batch < BATCHES; batch++) {
    const size = Math.floor(opts.iterations / BATCHES) + (batch < opts.iterations % BATCHES ? 1 : 0);
    await run(size);
    await collectGarbageFully();
    const now = readMemory();
    retainedAfterBatch.push(now.heapUsed + now.external - before.heapUsed - before.external);
  }
  const verdict = judge(before, readMemory(), retainedAfterBatch, opts);
  const explanation = !verdict.passed && opts.explain ? await explainGrowth(run, Math.max(50, Math.ceil(opts.iterations / BATCHES))) : [];
  return { ...verdict, explanation };
}

/** A guard failure: an AssertionError whose message says what grew; `report` has the figures. */
export class LeakAssertionError extends AssertionError {
  constructor(readonly report: GuardReport) {
    super({ message: formatFailure(report) });
    this.name = 'AssertionError';
  }
}

/** Throws a `LeakAssertionError` (an `AssertionError`) when repeated `work` retains memory or handles. */
export async function assertNoLeak(work: GuardWork, options?: GuardOptions): Promise<GuardReport> {
  const report = await measureLeak(work, options);
  if (!report.passed) throw new LeakAssertionError(report);
  return report;
}

export function formatFailure(report: GuardReport): string {
  const lines = ['heapscope guard: repeated work leaks', ...report.reasons.map((r) => `  - ${r}`)];
  if (report.explanation.length) lines.push('  what grew, from heap snapshots around more iterations:', ...report.explanation.map((e) => `    ${e}`));
  return lines.join('\n');
}
