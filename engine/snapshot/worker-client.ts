import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CancelledError, InputError } from '../errors';
import type {
  ClassRow, Comparison, EdgeInfo, GrownCollection, LeakSuspect, LoadProgress, NodeInfo, Page, PathStep,
  SnapshotSummary, SourceLocation,
} from './types';
import type { SerializedError, WorkerMessage, WorkerMethod } from './worker-protocol';

export interface WorkerClientOptions {
  onProgress?(progress: LoadProgress): void;
  signal?: AbortSignal;
  /** The worker script; defaults to worker.js beside this file (dist/worker.js in the bundles, out/engine/snapshot/worker.js from tsc). */
  workerPath?: string;
}

/** worker.js next to the running code: right for the esbuild bundles and for tsc output alike. */
export function defaultWorkerPath(): string {
  return path.join(__dirname, 'worker.js');
}

function revive(error: SerializedError): Error {
  if (error.name === 'InputError') return new InputError(error.message, error.hint);
  const revived = new Error(error.message);
  revived.name = error.name;
  return revived;
}

/**
 * A heap snapshot parsed and analysed in a worker thread; every query is asynchronous and answers
 * one page. Closing (or aborting the open) terminates the thread and frees its memory.
 */
export class SnapshotWorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private closed = false;

  private constructor(private readonly worker: Worker, readonly summary: SnapshotSummary) {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type !== 'result' && message.type !== 'error') return;
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.type === 'result') call.resolve(message.value);
      else call.reject(revive(message.error));
    });
    const failAll = (error: Error): void => {
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', () => failAll(new CancelledError('the snapshot worker has stopped')));
  }

  static open(file: string, options: WorkerClientOptions = {}): Promise<SnapshotWorkerClient> {
    const { onProgress, signal } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('loading the snapshot was cancelled'));
        return;
      }
      const worker = new Worker(options.workerPath ?? defaultWorkerPath(), { workerData: { path: path.resolve(file) } });
      let settled = false;
      const settle = (action: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        action();
      };
      const onAbort = (): void => settle(() => {
        void worker.terminate();
        reject(new CancelledError('loading the snapshot was cancelled'));
      });
      signal?.addEventListener('abort', onAbort);
      const onMessage = (message: WorkerMessage): void => {
        if (message.type === 'progress') onProgress?.(message.progress);
        else if (message.type === 'ready') {
          worker.off('message', onMessage);
          settle(() => resolve(new SnapshotWorkerClient(worker, message.summary)));
        } else if (message.type === 'failed') {
          settle(() => {
            void worker.terminate();
            reject(revive(message.error));
          });
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (error) => settle(() => reject(error)));
      worker.once('exit', (code) => settle(() => reject(new Error(`the snapshot worker exited early (code ${code})`))));
    });
  }

  private call<T>(method: WorkerMethod, args: unknown[], signal?: AbortSignal): Promise<T> {
    if (this.closed) return Promise.reject(new CancelledError('the snapshot is closed'));
    if (signal?.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        // The worker finishes the (short) query; its answer is dropped.
        this.pending.delete(id);
        reject(new CancelledError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (value) => { signal?.removeEventListener('abort', onAbort); resolve(value as T); },
        reject: (error) => { signal?.removeEventListener('abort', onAbort); reject(error); },
      });
      this.worker.postMessage({ id, method, args });
    });
  }

  node(index: number, signal?: AbortSignal): Promise<NodeInfo> { return this.call('node', [index], signal); }
  topRetained(count: number, signal?: AbortSignal): Promise<NodeInfo[]> { return this.call('topRetained', [count], signal); }
  aggregates(signal?: AbortSignal): Promise<ClassRow[]> { return this.call('aggregates', [], signal); }
  instances(classKey: string, offset: number, limit: number, signal?: AbortSignal): Promise<Page<NodeInfo>> {
    return this.call('instances', [classKey, offset, limit], signal);
  }
  dominatorChildren(index: number, offset: number, limit: number, signal?: AbortSignal): Promise<Page<NodeInfo>> {
    return this.call('dominatorChildren', [index, offset, limit], signal);
  }
  edgesOf(index: number, offset: number, limit: number, signal?: AbortSignal): Promise<Page<EdgeInfo>> {
    return this.call('edgesOf', [index, offset, limit], signal);
  }
  retainers(index: number, offset: number, limit: number, signal?: AbortSignal): Promise<Page<EdgeInfo>> {
    return this.call('retainers', [index, offset, limit], signal);
  }
  pathToRoot(index: number, signal?: AbortSignal): Promise<PathStep[]> { return this.call('pathToRoot', [index], signal); }
  async nodeIndexById(id: number, signal?: AbortSignal): Promise<number | undefined> {
    return (await this.call<number | null>('nodeIndexById', [id], signal)) ?? undefined;
  }
  async sourceLocation(index: number, signal?: AbortSignal): Promise<SourceLocation | undefined> {
    return (await this.call<SourceLocation | null>('sourceLocation', [index], signal)) ?? undefined;
  }
  /** Compares an earlier snapshot of the same process (base) with this one (target). */
  compareWith(basePath: string, signal?: AbortSignal): Promise<Comparison> {
    return this.call('compareWith', [path.resolve(basePath)], signal);
  }
  /** Collections growing from the older snapshots (oldest first) to this one. */
  growthAcross(olderPaths: string[], signal?: AbortSignal): Promise<GrownCollection[]> {
    return this.call('growthAcross', [olderPaths.map((p) => path.resolve(p))], signal);
  }
  /** Leak suspects of this snapshot; with older snapshots, grown collections too. */
  suspects(olderPaths: string[] = [], signal?: AbortSignal): Promise<LeakSuspect[]> {
    return this.call('suspects', [olderPaths.map((p) => path.resolve(p))], signal);
  }

  /** Stops the worker; pending queries reject with CancelledError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }
}
