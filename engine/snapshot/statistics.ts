import type { EdgeKinds, NodeKinds } from './kinds';
import type { RawGraph } from './reader';
import type { SnapshotSummary } from './types';

export type SizeStatistics = Pick<SnapshotSummary, 'totalShallowSize' | 'statistics'>;

/** Sizes by kind, as DevTools' Statistics view counts them (extra native bytes count as native). */
export function sizeStatistics(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, selfSize: Uint32Array): SizeStatistics {
  let totalShallowSize = 0;
  const statistics = { code: 0, strings: 0, jsArrays: 0, system: 0, native: graph.header.extra_native_bytes ?? 0, typedArrays: 0 };
  const special = new Uint8Array(graph.strings.length);
  graph.strings.forEach((s, i) => { if (s === 'Array') special[i] = 1; else if (s === 'system / JSArrayBufferData') special[i] = 2; });
  const store = soleElementStores(graph, edges, special);
  for (let n = 0; n < graph.nodeCount; n++) {
    const size = selfSize[n];
    totalShallowSize += size;
    const type = graph.nodeType[n];
    if (type === nodes.hidden) statistics.system += size;
    else if (type === nodes.native) {
      statistics.native += size;
      if (special[graph.nodeName[n]] === 2) statistics.typedArrays += size;
    } else if (type === nodes.code) statistics.code += size;
    else if (type === nodes.string || type === nodes.consString || type === nodes.slicedString) statistics.strings += size;
    else if (special[graph.nodeName[n]] === 1) statistics.jsArrays += size + (store[n] >= 0 ? selfSize[store[n]] : 0);
  }
  return { totalShallowSize, statistics };
}

/**
 * For each JS array, its elements store when the array is the store's only retainer (DevTools
 * counts the store into the array's size then), else -1. Counts in-edges of stores only.
 */
function soleElementStores(graph: RawGraph, edges: EdgeKinds, special: Uint8Array): Int32Array {
  const { nodeCount, edgeCount, firstEdge, edgeType, edgeName, edgeTo, strings, nodeName } = graph;
  const store = new Int32Array(nodeCount).fill(-1);
  const retainerCount = new Uint8Array(nodeCount);
  const isStore = new Uint8Array(nodeCount);
  for (let n = 0; n < nodeCount; n++) {
    if (special[nodeName[n]] !== 1) continue;
    for (let e = firstEdge[n]; e < firstEdge[n + 1]; e++) {
      if (edgeType[e] === edges.internal && strings[edgeName[e]] === 'elements') {
        store[n] = edgeTo[e];
        isStore[edgeTo[e]] = 1;
        break;
      }
    }
  }
  for (let e = 0; e < edgeCount; e++) {
    const target = edgeTo[e];
    if (isStore[target] && retainerCount[target] < 2) retainerCount[target]++;
  }
  for (let n = 0; n < nodeCount; n++) if (store[n] >= 0 && retainerCount[store[n]] !== 1) store[n] = -1;
  return store;
}
