/**
 * The snapshot worker thread (bundled as dist/worker.js): loads one snapshot, reports progress,
 * then answers queries from SnapshotWorkerClient. Snapshots named in comparison queries are
 * loaded here too, once, and kept. Started with a task instead, it helps a load running in
 * another thread: a dominator tree (dominators-thread.ts) or half of the edges (edge-region.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../errors';
import { compareSnapshots } from './compare';
import { serveDominatorTask, type DominatorTask } from './dominators-thread';
import { serveEdgeRegionTask, type EdgeRegionStandby, type EdgeRegionTask } from './edge-region';
import { findGrowth } from './growth';
import type { HeapSnapshot } from './heap-snapshot';
import { loadSnapshot } from './load';
import { findLeakSuspects } from './suspects';
import type { SerializedError, WorkerInit, WorkerMessage, WorkerRequest } from './worker-protocol';

if (!parentPort) throw new Error('worker.ts must run in a worker thread');
const port = parentPort;
const post = (message: WorkerMessage): void => port.postMessage(message);

function serialize(error: unknown): SerializedError {
  if (error instanceof InputError) return { name: error.name, message: error.message, hint: error.hint };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

const others = new Map<string, Promise<HeapSnapshot>>();
const other = (file: string): Promise<HeapSnapshot> => {
  let loading = others.get(file);
  if (!loading) {
    loading = loadSnapshot(file);
    others.set(file, loading);
  }
  return loading;
};

async function answer(snapshot: HeapSnapshot, request: WorkerRequest): Promise<unknown> {
  const a = request.args;
  const num = (i: number): number => Number(a[i]);
  switch (request.method) {
    case 'summary': return snapshot.summary();
    case 'node': return snapshot.node(num(0));
    case 'topRetained': return snapshot.topRetained(num(0));
    case 'aggregates': return snapshot.aggregates();
    case 'instances': return snapshot.instances(String(a[0]), num(1), num(2));
    case 'dominatorChildren': return snapshot.dominatorChildren(num(0), num(1), num(2));
    case 'edgesOf': return snapshot.edgesOf(num(0), num(1), num(2));
    case 'retainers': return snapshot.retainers(num(0), num(1), num(2));
    case 'pathToRoot': return snapshot.pathToRoot(num(0));
    case 'nodeIndexById': return snapshot.nodeIndexById(num(0)) ?? null;
    case 'sourceLocation': return snapshot.sourceLocation(num(0)) ?? null;
    case 'compareWith': return compareSnapshots(await other(String(a[0])), snapshot);
    case 'growthAcross': {
      const older = await Promise.all((a[0] as string[]).map(other));
      return findGrowth([...older, snapshot]);
    }
    case 'suspects': {
      const olderPaths = (a[0] as string[] | undefined) ?? [];
      const older = await Promise.all(olderPaths.map(other));
      return findLeakSuspects(snapshot, older.length > 0 ? findGrowth([...older, snapshot]) : []);
    }
  }
  throw new InputError(`unknown snapshot query ${JSON.stringify(request.method)}`);
}

function serveSnapshot(path: string): void {
  loadSnapshot(path, { onProgress: (progress) => post({ type: 'progress', progress }) }).then(
    (snapshot) => {
      post({ type: 'ready', summary: snapshot.summary() });
      port.on('message', (request: WorkerRequest) => {
        answer(snapshot, request).then(
          (value) => post({ type: 'result', id: request.id, value }),
          (error: unknown) => post({ type: 'error', id: request.id, error: serialize(error) }),
        );
      });
    },
    (error: unknown) => post({ type: 'failed', error: serialize(error) }),
  );
}

const data = workerData as WorkerInit | DominatorTask | EdgeRegionStandby;
if ('task' in data && data.task === 'dominators') serveDominatorTask(data, port);
else if ('task' in data && data.task === 'edges-standby') port.once('message', (task: EdgeRegionTask) => serveEdgeRegionTask(task, port));
else serveSnapshot((data as WorkerInit).path);
