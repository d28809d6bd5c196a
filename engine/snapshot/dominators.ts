import { Uint32Stack } from './growable-stack';
import type { RawGraph } from './reader';

/** What the dominator computation reads: the forward graph only (shareable with a worker thread). */
export type DominatorInput = Pick<RawGraph, 'nodeCount' | 'edgeCount' | 'firstEdge' | 'edgeTo'>;

export interface DominatorTree {
  /** Immediate dominator ordinal of each node; the root dominates itself. */
  dominator: Uint32Array;
  /** Node ordinals in depth-first preorder (root first): children come after their dominators. */
  order: Uint32Array;
}

/**
 * Lengauer–Tarjan ("simple" version with path compression) over flat typed arrays, iterative.
 * Vertices are numbered 1..n (0 means "none"); vertex v is node ordinal v-1.
 *
 * Nodes the root cannot reach through essential edges are handled as DevTools does, so that
 * retained sizes match it exactly: a node with no essential retainer is searched from as if the
 * root pointed at it, and nodes still unreached after that (cycles retained only by themselves)
 * hang directly under the root.
 */
export function computeDominators(graph: DominatorInput, essential: Uint8Array, root: number): DominatorTree {
  const { nodeCount, firstEdge, edgeTo } = graph;
  const isEssential = (e: number): boolean => (essential[e >>> 3] & (1 << (e & 7))) !== 0;
  const { firstPredecessor, predecessor } = essentialPredecessors(graph, isEssential);
  const size = nodeCount + 1;
  const parent = new Uint32Array(size);
  const ancestor = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const label = new Uint32Array(size);
  const semi = new Uint32Array(size);
  const dom = new Uint32Array(size);
  const bucketHead = new Uint32Array(size);
  // During the search: the next edge to look at per vertex; afterwards: the bucket lists' links.
  const work = new Uint32Array(size);
  let n = 0;

  // Depth-first search in edge order, numbering vertices in preorder.
  const search = (start: number): void => {
    work[start - 1] = firstEdge[start - 1];
    let v = start;
    while (v !== 0) {
      if (semi[v] === 0) {
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
      let next = parent[v];
      const ordinal = v - 1;
      const end = firstEdge[ordinal + 1];
      let e = work[ordinal];
      for (; e < end; e++) {
        if (!isEssential(e)) continue;
        const w = edgeTo[e] + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          work[w - 1] = firstEdge[w - 1];
          next = w;
          break;
        }
      }
      work[ordinal] = e;
      v = next;
    }
  };

  const hasEssentialRetainer = (ordinal: number): boolean => firstPredecessor[ordinal] !== firstPredecessor[ordinal + 1];

  const r = root + 1;
  search(r);
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0 && !hasEssentialRetainer(v - 1)) {
        parent[v] = r;
        search(v);
      }
    }
  }
  if (n < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0) {
        parent[v] = r;
        semi[v] = ++n;
        vertex[n] = label[v] = v;
      }
    }
  }

  const bucketNext = work.fill(0);
  const stack = new Uint32Stack();
  const evaluate = (start: number): number => {
    if (ancestor[start] === 0) return start;
    let v = start;
    while (ancestor[ancestor[v]] !== 0) {
      stack.push(v);
      v = ancestor[v];
    }
    while (stack.length > 0) {
      const w = stack.pop();
      const a = ancestor[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      ancestor[w] = ancestor[a];
    }
    return label[start];
  };

  for (let i = n; i >= 2; i--) {
    const w = vertex[i];
    const ordinal = w - 1;
    const from = firstPredecessor[ordinal];
    const to = firstPredecessor[ordinal + 1];
    for (let j = from; j < to; j++) {
      const u = evaluate(predecessor[j] + 1);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    // A node without essential retainers hangs under the root.
    if (from === to) semi[w] = semi[r];
    const s = vertex[semi[w]];
    bucketNext[w] = bucketHead[s];
    bucketHead[s] = w;
    const p = parent[w];
    ancestor[w] = p;
    for (let v = bucketHead[p]; v !== 0; v = bucketNext[v]) {
      const u = evaluate(v);
      dom[v] = semi[u] < semi[v] ? u : p;
    }
    bucketHead[p] = 0;
  }
  dom[0] = dom[r] = r;
  for (let i = 2; i <= n; i++) {
    const w = vertex[i];
    if (dom[w] !== vertex[semi[w]]) dom[w] = dom[dom[w]];
  }

  // Reuse the algorithm's arrays for the answer (vertex numbers are ordinals + 1).
  for (let v = 1; v <= nodeCount; v++) dom[v] -= 1;
  for (let i = 1; i <= n; i++) vertex[i] -= 1;
  return { dominator: dom.subarray(1), order: vertex.subarray(1, n + 1) };
}

/** Self size plus everything dominated, summed bottom-up (reverse preorder). */
export function retainedSizes(tree: DominatorTree, selfSize: Uint32Array): Float64Array {
  const { dominator, order } = tree;
  const retained = new Float64Array(selfSize.length);
  retained.set(selfSize);
  for (let i = order.length - 1; i > 0; i--) {
    const o = order[i];
    retained[dominator[o]] += retained[o];
  }
  return retained;
}

/** Sources of each node's essential retaining edges (only what the algorithm needs; freed after). */
function essentialPredecessors(graph: DominatorInput, isEssential: (e: number) => boolean): { firstPredecessor: Uint32Array; predecessor: Uint32Array } {
  const { nodeCount, firstEdge, edgeTo } = graph;
  const firstPredecessor = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < graph.edgeCount; e++) if (isEssential(e)) firstPredecessor[edgeTo[e] + 1]++;
  for (let n = 0; n < nodeCount; n++) firstPredecessor[n + 1] += firstPredecessor[n];
  const predecessor = new Uint32Array(firstPredecessor[nodeCount]);
  const fill = firstPredecessor.slice(0, nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      if (isEssential(e)) predecessor[fill[edgeTo[e]]++] = n;
    }
  }
  return { firstPredecessor, predecessor };
}
