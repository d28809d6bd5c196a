import type { EphemeronNames } from './essential-edges';
import type { EdgeKinds, NodeKinds } from './kinds';
import { edgeHasStringName } from './kinds';
import type { RawGraph } from './reader';
import { isUserRoot } from './owned-sizes';

export const NO_DISTANCE = -5;
/** Distance of objects reachable only through system roots (DevTools' baseSystemDistance). */
export const SYSTEM_DISTANCE = 100000000;

/**
 * Breadth-first distance from the roots, as DevTools computes it: first from the user roots
 * (global objects) at distance 1, then whatever is left from the root at SYSTEM_DISTANCE.
 * Weak edges do not count; neither do links DevTools knows to be misleading (shared map
 * descriptors, the native context's sloppy_function_map), and a WeakMap value gets the larger
 * of its two distances (via the table or via the key).
 */
export interface Distances {
  distance: Int32Array;
  /** The edge through which the search first reached each node (NO_EDGE for starting points): a shortest path back to the roots. */
  parentEdge: Uint32Array;
}

export const NO_EDGE = 0xffffffff;

/** `scratch`: working memory of at least nodeCount entries (reused from an earlier step). */
export function computeDistances(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, root: number, ephemerons: EphemeronNames, scratch?: Uint32Array): Distances {
  const { nodeCount, firstEdge, edgeTo, edgeType, edgeName, nodeType, nodeName, strings } = graph;
  const distance = new Int32Array(nodeCount).fill(NO_DISTANCE);
  const parentEdge = new Uint32Array(nodeCount).fill(NO_EDGE);
  const queueLength = nodeCount + (firstEdge[root + 1] - firstEdge[root]);
  const queue = scratch && scratch.length >= queueLength ? scratch : new Uint32Array(queueLength);
  const special = new Uint8Array(strings.length);
  const NATIVE_CONTEXT = 1, SLOPPY_MAP = 2, MAP_DESCRIPTORS = 3;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s === 'system / NativeContext') special[i] = NATIVE_CONTEXT;
    else if (s === 'sloppy_function_map') special[i] = SLOPPY_MAP;
    else if (s === '(map descriptors)') special[i] = MAP_DESCRIPTORS;
  }
  const pendingPairs = new Set<string>();

  const follows = (source: number, e: number): boolean => {
    const type = edgeType[e];
    const sourceType = nodeType[source];
    if (sourceType === nodes.hidden && special[nodeName[source]] === NATIVE_CONTEXT &&
      edgeHasStringName(edges, type) && special[edgeName[e]] === SLOPPY_MAP) {
      return false;
    }
    if (sourceType === nodes.array && special[nodeName[source]] === MAP_DESCRIPTORS) {
      const index = edgeHasStringName(edges, type) ? parseInt(strings[edgeName[e]], 10) : edgeName[e];
      return index < 2 || index % 3 !== 1;
    }
    if (type === edges.internal) {
      const ephemeron = ephemerons.parse(edgeName[e]);
      if (ephemeron && !pendingPairs.delete(ephemeron.pair)) {
        pendingPairs.add(ephemeron.pair);
        return false;
      }
    }
    return true;
  };

  const bfs = (length: number): void => {
    for (let head = 0; head < length; head++) {
      const n = queue[head];
      const d = distance[n] + 1;
      for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
        if (edgeType[e] === edges.weak) continue;
        const target = edgeTo[e];
        if (distance[target] !== NO_DISTANCE) continue;
        if (!follows(n, e)) continue;
        distance[target] = d;
        parentEdge[target] = e;
        queue[length++] = target;
      }
    }
  };

  let length = 0;
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    const target = edgeTo[e];
    if (isUserRoot(graph, nodes, target)) {
      distance[target] = 1;
      parentEdge[target] = e;
      queue[length++] = target;
    }
  }
  bfs(length);
  distance[root] = length > 0 ? SYSTEM_DISTANCE : 0;
  queue[0] = root;
  bfs(1);
  return { distance, parentEdge };
}
