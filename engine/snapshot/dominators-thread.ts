/**
 * Runs the dominator computation on a second thread while the calling thread does the other
 * analyses (shallow sizes, distances, class names, the retainer index): the two take similar time,
 * so on two cores this saves most of one. The graph columns live in SharedArrayBuffers (see
 * reader.ts), so the worker reads them in place; otherwise they are copied.
 */
import * as fs from 'node:fs';
import { Worker, type MessagePort } from 'node:worker_threads';
import { computeDominators, type DominatorInput, type DominatorTree } from './dominators';

/** Below this many edges a thread costs more than it saves. */
const MIN_EDGES_FOR_THREAD = 2_000_000;

export interface DominatorTask {
  task: 'dominators';
  graph: DominatorInput;
  essential: Uint8Array;
  root: number;
}

/**
 * Starts the computation: in a worker when worth it and possible, otherwise right here. If the
 * thread fails (say, an outdated worker.js), the tree is computed here instead.
 */
export function startDominators(graph: DominatorInput, essential: Uint8Array, root: number, workerPath: string | undefined): Promise<DominatorTree> {
  if (graph.edgeCount < MIN_EDGES_FOR_THREAD || !workerPath || !fs.existsSync(workerPath)) {
    return Promise.resolve(computeDominators(graph, essential, root));
  }
  return dominatorsInWorker(graph, essential, root, workerPath).catch(() => computeDominators(graph, essential, root));
}

/** The computation on a worker thread (worker.js started with a DominatorTask). */
export function dominatorsInWorker(graph: DominatorInput, essential: Uint8Array, root: number, workerPath: string): Promise<DominatorTree> {
  const { nodeCount, edgeCount, firstEdge, edgeTo } = graph;
  const task: DominatorTask = { task: 'dominators', graph: { nodeCount, edgeCount, firstEdge, edgeTo }, essential, root };
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerPath, { workerData: task });
    worker.once('message', (tree: DominatorTree) => {
      // Wait for the thread's memory to be released before the caller allocates more.
      worker.removeAllListeners('exit');
      void worker.terminate().then(() => resolve(tree), () => resolve(tree));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the dominator thread exited (code ${code}) before it answered`)));
  });
}

/** The worker side: compute and hand the result arrays back without copying them. */
export function serveDominatorTask(task: DominatorTask, port: MessagePort): void {
  const tree = computeDominators(task.graph, task.essential, task.root);
  port.postMessage(tree, [tree.dominator.buffer, tree.order.buffer] as ArrayBuffer[]);
}
