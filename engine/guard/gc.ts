import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

let cachedGc: GcFunction | undefined;

/**
 * The `gc()` function whether or not the process was started with --expose-gc: V8 only installs it
 * in contexts created after the flag is set, so a fresh vm context hands it to us.
 */
function gcFunction(): GcFunction {
  if (cachedGc) return cachedGc;
  const exposed = (globalThis as { gc?: GcFunction }).gc;
  if (typeof exposed === 'function') return (cachedGc = exposed);
  setFlagsFromString('--expose-gc');
  cachedGc = runInNewContext('gc') as GcFunction;
  return cachedGc;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Full garbage collections until the heap stops shrinking. Between passes we yield to the event
 * loop, so that finalizers, WeakRef targets and handles closed by pending callbacks are released.
 */
export async function collectGarbageFully(maxPasses = 6): Promise<void> {
  const gc = gcFunction();
  let previous = Infinity;
  for (let pass = 0; pass < maxPasses; pass++) {
    gc();
    await nextTurn();
    const used = process.memoryUsage().heapUsed;
    if (used >= previous - 1024) break;
    previous = used;
  }
}
