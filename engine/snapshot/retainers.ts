import type { RawGraph } from './reader';

/** The reverse edge index: the edges retaining node n are retainerEdge[firstRetainer[n] .. firstRetainer[n+1]-1]. */
export interface Retainers {
  firstRetainer: Uint32Array;
  /** Edge ordinals, grouped by target, in source order within a target. */
  retainerEdge: Uint32Array;
}

/** Counting sort of the edges by target (built after the dominators, when their arrays are freed). */
export function buildRetainers(graph: RawGraph): Retainers {
  const { nodeCount, edgeCount, edgeTo } = graph;
  const firstRetainer = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTo[e] + 1]++;
  for (let n = 0; n < nodeCount; n++) firstRetainer[n + 1] += firstRetainer[n];
  const fill = firstRetainer.slice(0, nodeCount);
  const retainerEdge = new Uint32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) retainerEdge[fill[edgeTo[e]]++] = e;
  return { firstRetainer, retainerEdge };
}

/** The node an edge leaves from: the last node whose first edge is at or before it (binary search). */
export function edgeSource(firstEdge: Uint32Array, nodeCount: number, edge: number): number {
  let lo = 0;
  let hi = nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (firstEdge[mid] <= edge) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
