import type { RawGraph } from './reader';

/** The reverse edge index: for node n, its retaining edges are retainerEdge[firstRetainer[n] .. firstRetainer[n+1]-1]. */
export interface Retainers {
  firstRetainer: Uint32Array;
  /** Edge ordinal of each retaining edge. */
  retainerEdge: Uint32Array;
  /** Source node ordinal of each retaining edge (same slot as retainerEdge). */
  retainerSource: Uint32Array;
}

/** Counting sort of all edges by target, keeping source order within each target. */
export function buildRetainers(graph: RawGraph): Retainers {
  const { nodeCount, edgeCount, firstEdge, edgeTo } = graph;
  const firstRetainer = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) firstRetainer[edgeTo[e] + 1]++;
  for (let n = 0; n < nodeCount; n++) firstRetainer[n + 1] += firstRetainer[n];
  const fill = firstRetainer.slice(0, nodeCount);
  const retainerEdge = new Uint32Array(edgeCount);
  const retainerSource = new Uint32Array(edgeCount);
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      const slot = fill[edgeTo[e]]++;
      retainerEdge[slot] = e;
      retainerSource[slot] = n;
    }
  }
  return { firstRetainer, retainerEdge, retainerSource };
}
