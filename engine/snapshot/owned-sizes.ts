import type { EdgeKinds, NodeKinds } from './kinds';
import { Uint32Stack } from './growable-stack';
import type { RawGraph } from './reader';

/** DevTools' user roots: the root's non-synthetic children (global objects) and DOM tree roots. */
export function isUserRoot(graph: RawGraph, kinds: NodeKinds, node: number): boolean {
  return graph.nodeType[node] !== kinds.synthetic || graph.strings[graph.nodeName[node]] === '(Document DOM trees)';
}

export function hasUserRoots(graph: RawGraph, kinds: NodeKinds, root: number): boolean {
  for (let e = graph.firstEdge[root]; e < graph.firstEdge[root + 1]; e++) {
    if (isUserRoot(graph, kinds, graph.edgeTo[e])) return true;
  }
  return false;
}

const UNVISITED = 0xffffffff;
const MANY_OWNERS = 0xfffffffe;

/**
 * DevTools' shallow-size rule: an internal array or hidden object (and external string data)
 * reachable from exactly one "owner" object, through other such internal nodes only, has its
 * size moved onto that owner. Snapshots without user roots ("expose internals") keep raw sizes.
 * Rewrites graph.nodeSelfSize in place (the raw sizes are not needed afterwards) and returns it.
 * `scratch` (nodeCount entries) is working memory the caller may reuse afterwards.
 */
export function ownedSelfSizes(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, root: number, scratch = new Uint32Array(graph.nodeCount)): Uint32Array {
  const { nodeCount, nodeType, nodeName, strings, firstEdge, edgeTo, edgeType } = graph;
  const sizes = graph.nodeSelfSize;
  if (!hasUserRoots(graph, nodes, root)) return sizes;
  const externalStringData = strings.indexOf('system / ExternalStringData');
  const owner = scratch;
  for (let n = 0; n < nodeCount; n++) {
    const type = nodeType[n];
    const internal = type === nodes.hidden || type === nodes.array ||
      (type === nodes.native && externalStringData >= 0 && nodeName[n] === externalStringData);
    owner[n] = internal ? UNVISITED : n;
  }
  // Propagate owners into internal nodes; a node reached from two owners has many. The result
  // is a fixpoint, so the order in which owners are processed does not matter.
  const weak = edges.weak;
  const stack = new Uint32Stack();
  for (let start = 0; start < nodeCount; start++) {
    if (owner[start] !== start) continue;
    stack.push(start);
    while (stack.length > 0) {
      const n = stack.pop();
      const from = owner[n];
      for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
        if (edgeType[e] === weak) continue;
        const target = edgeTo[e];
        const current = owner[target];
        if (current === UNVISITED) {
          owner[target] = from;
          stack.push(target);
        } else if (current !== target && current !== from && current !== MANY_OWNERS) {
          owner[target] = MANY_OWNERS;
          stack.push(target);
        }
      }
    }
  }
  for (let n = 0; n < nodeCount; n++) {
    const o = owner[n];
    if (o === UNVISITED || o === MANY_OWNERS || o === n) continue;
    if (nodeType[o] === nodes.synthetic || o === root) continue;
    sizes[o] += sizes[n];
    sizes[n] = 0;
  }
  return sizes;
}
