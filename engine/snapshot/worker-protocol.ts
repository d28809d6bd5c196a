/** Messages between SnapshotWorkerClient and the snapshot worker thread (plain data only). */
import type { LoadProgress, SnapshotSummary } from './types';

export interface WorkerInit {
  path: string;
}

/** The queries the worker answers; each maps to the HeapSnapshot method or engine function of that name. */
export type WorkerMethod =
  | 'summary' | 'node' | 'topRetained' | 'aggregates' | 'instances' | 'dominatorChildren' | 'edgesOf'
  | 'retainers' | 'pathToRoot' | 'nodeIndexById' | 'sourceLocation' | 'compareWith' | 'growthAcross' | 'suspects';

export interface WorkerRequest {
  id: number;
  method: WorkerMethod;
  args: unknown[];
}

export interface SerializedError {
  name: string;
  message: string;
  hint?: string;
}

export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'ready'; summary: SnapshotSummary }
  | { type: 'failed'; error: SerializedError }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; error: SerializedError };
