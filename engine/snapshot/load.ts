import { CancelledError } from '../errors';
import { HeapSnapshot } from './heap-snapshot';
import { readSnapshotFile } from './reader';
import type { LoadOptions } from './types';
import { defaultWorkerPath } from './worker-client';

/**
 * Reads a .heapsnapshot file and runs every analysis. The dominator tree of a big snapshot is
 * computed on a helper thread (worker.js, `options.workerPath`); everything else runs here.
 */
export async function loadSnapshot(path: string, options: LoadOptions & { workerPath?: string } = {}): Promise<HeapSnapshot> {
  const graph = await readSnapshotFile(path, options);
  if (options.signal?.aborted) throw new CancelledError('loading the snapshot was cancelled');
  return HeapSnapshot.analyse(graph, options.onProgress, options.workerPath ?? defaultWorkerPath());
}
