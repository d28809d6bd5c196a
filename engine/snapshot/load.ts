import { CancelledError } from '../errors';
import { HeapSnapshot } from './heap-snapshot';
import { readSnapshotFile } from './reader';
import type { LoadOptions } from './types';
import { defaultWorkerPath } from './worker-client';

/**
 * Reads a .heapsnapshot file and runs every analysis. For a big snapshot, helper threads
 * (worker.js, `options.workerPath`) parse half of the edges and compute the dominator tree.
 */
export async function loadSnapshot(path: string, options: LoadOptions & { workerPath?: string } = {}): Promise<HeapSnapshot> {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  const graph = await readSnapshotFile(path, { ...options, workerPath });
  if (options.signal?.aborted) throw new CancelledError('loading the snapshot was cancelled');
  return HeapSnapshot.analyse(graph, options.onProgress, workerPath);
}
