import { CancelledError } from '../errors';
import { HeapSnapshot } from './heap-snapshot';
import { readSnapshotFile } from './reader';
import type { LoadOptions } from './types';

/** Reads a .heapsnapshot file and runs every analysis, in this thread. */
export async function loadSnapshot(path: string, options: LoadOptions = {}): Promise<HeapSnapshot> {
  const graph = await readSnapshotFile(path, options);
  if (options.signal?.aborted) throw new CancelledError('loading the snapshot was cancelled');
  return new HeapSnapshot(graph, options.onProgress);
}
