import { InputError } from '../errors';
import { parseByteSize } from './size';

/** How `assertNoLeak` runs the work and what it tolerates. */
export interface GuardOptions {
  /** Measured iterations, after warm-up. Default 1000. */
  iterations?: number;
  /** Iterations run first and not counted: caches fill, modules load, JIT settles. Default 10% of iterations, at least 10. */
  warmup?: number;
  /** Heap + off-heap growth allowed over all measured iterations: bytes or '2 MB'. Default '1 MB'. */
  maxGrowth?: number | string;
  /** Active handles (timers, sockets, …) allowed to remain after the run. Default 0. */
  maxHandles?: number;
  /** On failure, take heap snapshots around a few more iterations to say what grew and what holds it. Default true. */
  explain?: boolean;
  /** Name used in messages, e.g. the test's title. */
  name?: string;
}

export interface ResolvedGuardOptions {
  iterations: number;
  warmup: number;
  maxGrowth: number;
  maxHandles: number;
  explain: boolean;
  name: string;
}

function wholeNumber(value: number | undefined, fallback: number, what: string, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new InputError(`${what} must be a whole number ≥ ${min}, got ${value}`);
  return value;
}

export function resolveOptions(options: GuardOptions = {}): ResolvedGuardOptions {
  const iterations = wholeNumber(options.iterations, 1000, 'iterations', 1);
  return {
    iterations,
    warmup: wholeNumber(options.warmup, Math.max(10, Math.round(iterations / 10)), 'warmup', 0),
    maxGrowth: parseByteSize(options.maxGrowth ?? '1 MB', 'maxGrowth'),
    maxHandles: wholeNumber(options.maxHandles, 0, 'maxHandles', 0),
    explain: options.explain ?? true,
    name: options.name ?? 'the work',
  };
}
