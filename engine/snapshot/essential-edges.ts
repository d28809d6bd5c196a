import type { EdgeKinds, NodeKinds } from './kinds';
import { Uint32Stack } from './growable-stack';
import type { RawGraph } from './reader';

/**
 * V8 names the edge to a WeakMap value twice, once from the key and once from the table:
 * "<index> / part of key (K @1) -> value (V @2) pair in WeakMap (table @3)".
 */
const EPHEMERON_EDGE_NAME =
  /^\d+(?<pair> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<table>\d+)\))$/;

export interface EphemeronName {
  /** The part both edges of one pair share. */
  pair: string;
  tableId: number;
}

/** Parses ephemeron edge names, remembering the answer per string. */
export class EphemeronNames {
  private readonly found = new Map<number, EphemeronName>();
  /** 1 = looked at, not an ephemeron name: the common case stays a typed-array read. */
  private readonly plain: Uint8Array;
  constructor(private readonly strings: string[]) {
    this.plain = new Uint8Array(strings.length);
  }

  parse(nameIndex: number): EphemeronName | null {
    if (this.plain[nameIndex]) return null;
    let result = this.found.get(nameIndex);
    if (result === undefined) {
      const match = EPHEMERON_EDGE_NAME.exec(this.strings[nameIndex]);
      if (!match?.groups) {
        this.plain[nameIndex] = 1;
        return null;
      }
      result = { pair: match.groups.pair, tableId: Number(match.groups.table) };
      this.found.set(nameIndex, result);
    }
    return result;
  }
}

/**
 * Objects reachable (through non-weak edges) from the global objects the root points at with
 * shortcut edges, or from DOM tree roots. DevTools calls them "page-owned".
 */
export function pageOwnedNodes(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, root: number): Uint8Array {
  const { nodeCount, firstEdge, edgeTo, edgeType, nodeType, nodeName, strings } = graph;
  const owned = new Uint8Array(nodeCount);
  const stack = new Uint32Stack();
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    const target = edgeTo[e];
    const type = edgeType[e];
    if (type === edges.element) {
      if (nodeType[target] !== nodes.synthetic || strings[nodeName[target]] !== '(Document DOM trees)') continue;
    } else if (type !== edges.shortcut) continue;
    if (!owned[target]) stack.push(target);
    owned[target] = 1;
  }
  while (stack.length > 0) {
    const n = stack.pop();
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      const target = edgeTo[e];
      if (owned[target] || edgeType[e] === edges.weak) continue;
      owned[target] = 1;
      stack.push(target);
    }
  }
  return owned;
}

/**
 * One bit per edge: does it count when computing dominators? DevTools' rules: weak edges, self
 * edges, shortcut edges (except from the root), the WeakMap table -> value edge, and edges from
 * objects that are not page-owned into page-owned ones do not dominate.
 */
export function essentialEdges(
  graph: RawGraph, edges: EdgeKinds, root: number, pageOwned: Uint8Array, ephemerons: EphemeronNames,
  allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length),
): Uint8Array {
  const { nodeCount, firstEdge, edgeTo, edgeType, edgeName, nodeId } = graph;
  const bits = allocate((graph.edgeCount + 7) >>> 3);
  for (let n = 0; n < nodeCount; n++) {
    const sourceOwned = pageOwned[n];
    const isRoot = n === root;
    for (let e = firstEdge[n], end = firstEdge[n + 1]; e < end; e++) {
      const type = edgeType[e];
      if (type === edges.weak) continue;
      if (type === edges.internal) {
        const ephemeron = ephemerons.parse(edgeName[e]);
        if (ephemeron && ephemeron.tableId === nodeId[n]) continue;
      }
      const target = edgeTo[e];
      if (target === n) continue;
      if (!isRoot) {
        if (type === edges.shortcut) continue;
        if (pageOwned[target] && !sourceOwned) continue;
      }
      bits[e >>> 3] |= 1 << (e & 7);
    }
  }
  return bits;
}
