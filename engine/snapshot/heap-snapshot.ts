import { InputError } from '../errors';
import { buildClassTable, consStringName, plainObjectName, type ClassTable } from './class-names';
import { buildClassRows, type ClassRows } from './class-rows';
import { computeDistances, NO_EDGE } from './distances';
import { retainedSizes } from './dominators';
import { startDominators } from './dominators-thread';
import { EphemeronNames, essentialEdges, pageOwnedNodes } from './essential-edges';
import { edgeHasStringName, edgeKinds, nodeKinds, type EdgeKinds, type NodeKinds } from './kinds';
import { findLocation, sortLocations } from './locations';
import { ownedSelfSizes } from './owned-sizes';
import { Uint32Stack } from './growable-stack';
import type { RawGraph } from './reader';
import { buildRetainers, edgeSource, type Retainers } from './retainers';
import { releaseMemory } from './release-memory';
import { sharedUint8 } from './shared-arrays';
import { sizeStatistics, type SizeStatistics } from './statistics';
import type { ClassRow, EdgeInfo, LoadProgress, NodeInfo, Page, PathStep, SnapshotSummary, SourceLocation } from './types';

/** The results of the up-front analyses a HeapSnapshot is made of. */
interface AnalysedParts {
  nodes: NodeKinds;
  edges: EdgeKinds;
  root: number;
  selfSize: Uint32Array;
  distance: Int32Array;
  parentEdge: Uint32Array;
  classes: ClassTable;
  dominator: Uint32Array;
  retainedSize: Float64Array;
  locationOrder: Uint32Array;
  classRows: ClassRows;
  sizes: SizeStatistics;
}

/**
 * A loaded, analysed heap snapshot. All analyses that DevTools does up front (dominators,
 * retained sizes, distances, class names) are done by analyse(); queries then answer a page at
 * a time from precomputed indexes. Sizes, retained sizes and class names follow Chrome DevTools'
 * rules exactly (see essential-edges.ts, owned-sizes.ts, class-names.ts, class-rows.ts).
 */
export class HeapSnapshot {
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly root: number;
  /** Self sizes after moving single-owner internal arrays' sizes onto their owners. */
  readonly selfSize: Uint32Array;
  readonly retainedSize: Float64Array;
  readonly dominator: Uint32Array;
  readonly distance: Int32Array;
  private readonly nodes: NodeKinds;
  private readonly edges: EdgeKinds;
  /** The retainer index, built on the first query that needs it (after the load's peak). */
  private reverseIndex: Retainers | null = null;
  private readonly scriptNames = new Map<number, string | null>();
  private readonly classes: ClassTable;
  /** Children of each node in the dominator tree (sorted by retained size on first request). */
  private readonly firstDominated: Uint32Array;
  private readonly dominated: Uint32Array;
  private readonly dominatedSorted: Uint8Array;
  /** Location entries sorted by node ordinal (see locations.ts). */
  private readonly locationOrder: Uint32Array;
  /** The distance search's tree: the edge that first reached each node. */
  private readonly parentEdge: Uint32Array;
  private readonly classRows: ClassRows;
  private readonly sizes: SizeStatistics;
  private classRetainedSizesDone = false;
  /** Whether a row's members have been sorted by retained size yet. */
  private readonly membersSorted: Uint8Array;
  private idOrder: Uint32Array | null = null;

  /**
   * Runs every analysis DevTools runs up front. The dominator tree is computed on a second thread
   * (when the snapshot is big enough and `workerPath` exists) while this thread does the rest.
   */
  static async analyse(graph: RawGraph, report: (progress: LoadProgress) => void = () => undefined, workerPath?: string): Promise<HeapSnapshot> {
    const steps = ['page-owned objects', 'dominators (started)', 'shallow sizes', 'distances', 'class names', 'dominators', 'indexes'];
    let step = 0;
    const next = (): void => report({ phase: 'analyse', step: steps[step], done: step++, total: steps.length });
    const nodes = nodeKinds(graph.nodeTypeNames);
    const edges = edgeKinds(graph.edgeTypeNames);
    const rootIndex = graph.header.root_index ?? 0;
    const root = rootIndex / graph.header.meta.node_fields.length;
    if (!Number.isInteger(root) || root >= graph.nodeCount) {
      throw new InputError(`snapshot.root_index ${rootIndex} is not a node in the "nodes" array`, 'The snapshot is damaged; capture it again.');
    }
    const ephemerons = new EphemeronNames(graph.strings);
    // The parse leaves big garbage (the helper's edge rows, grown arrays): free it first.
    releaseMemory();
    next();
    const essential = essentialEdges(graph, edges, root, pageOwnedNodes(graph, nodes, edges, root), ephemerons, sharedUint8);
    next();
    const dominators = startDominators(graph, essential, root, workerPath);
    next();
    const { selfSize, distance, parentEdge } = HeapSnapshot.sizesAndDistances(graph, nodes, edges, root, ephemerons, next);
    const classes = buildClassTable(graph, nodes, edges);
    // What needs no dominator tree is done while the other thread finishes it.
    const locationOrder = sortLocations(graph.locations);
    const classRows = buildClassRows(graph, nodes, classes, selfSize, distance, locationOrder);
    const sizes = sizeStatistics(graph, nodes, edges, selfSize);
    next();
    // The steps' temporary arrays are garbage now: free them before the two threads' peak meets.
    releaseMemory();
    const tree = await dominators;
    next();
    const snapshot = new HeapSnapshot(graph, {
      nodes, edges, root, selfSize, distance, parentEdge, classes, dominator: tree.dominator,
      retainedSize: retainedSizes(tree, selfSize), locationOrder, classRows, sizes,
    });
    releaseMemory();
    report({ phase: 'analyse', step: 'done', done: steps.length, total: steps.length });
    return snapshot;
  }

  /** Shallow sizes, then distances, sharing one scratch array that dies with this call. */
  private static sizesAndDistances(
    graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, root: number, ephemerons: EphemeronNames, next: () => void,
  ): { selfSize: Uint32Array; distance: Int32Array; parentEdge: Uint32Array } {
    const scratch = new Uint32Array(graph.nodeCount + graph.firstEdge[root + 1] - graph.firstEdge[root]);
    const selfSize = ownedSelfSizes(graph, nodes, edges, root, scratch);
    next();
    const { distance, parentEdge } = computeDistances(graph, nodes, edges, root, ephemerons, scratch);
    next();
    return { selfSize, distance, parentEdge };
  }

  private constructor(readonly graph: RawGraph, parts: AnalysedParts) {
    this.nodeCount = graph.nodeCount;
    this.edgeCount = graph.edgeCount;
    this.nodes = parts.nodes;
    this.edges = parts.edges;
    this.root = parts.root;
    this.selfSize = parts.selfSize;
    this.distance = parts.distance;
    this.parentEdge = parts.parentEdge;
    this.classes = parts.classes;
    this.dominator = parts.dominator;
    this.retainedSize = parts.retainedSize;
    this.locationOrder = parts.locationOrder;
    this.classRows = parts.classRows;
    this.sizes = parts.sizes;
    [this.firstDominated, this.dominated] = this.buildDominatedIndex();
    this.dominatedSorted = new Uint8Array(this.nodeCount);
    this.membersSorted = new Uint8Array(this.classRows.rows.length);
  }

  private buildDominatedIndex(): [Uint32Array, Uint32Array] {
    const { nodeCount, dominator, root } = this;
    const first = new Uint32Array(nodeCount + 1);
    for (let n = 0; n < nodeCount; n++) if (n !== root) first[dominator[n] + 1]++;
    for (let n = 0; n < nodeCount; n++) first[n + 1] += first[n];
    const fill = first.slice(0, nodeCount);
    const children = new Uint32Array(Math.max(0, nodeCount - 1));
    for (let n = 0; n < nodeCount; n++) if (n !== root) children[fill[dominator[n]]++] = n;
    return [first, children];
  }

  /** Index of the node's entry in graph.locations, or -1. */
  private locationOf(n: number): number {
    return findLocation(this.graph.locations, this.locationOrder, n);
  }

  summary(): SnapshotSummary {
    return {
      nodeCount: this.nodeCount,
      edgeCount: this.edgeCount,
      totalShallowSize: this.sizes.totalShallowSize,
      rootRetainedSize: this.retainedSize[this.root],
      extraNativeBytes: this.graph.header.extra_native_bytes ?? 0,
      fileSize: this.graph.fileSize,
      statistics: { ...this.sizes.statistics },
    };
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.nodeCount) {
      throw new InputError(`node index ${index} is out of range (0..${this.nodeCount - 1})`);
    }
  }

  /** The name DevTools shows for a node. */
  nodeName(index: number): string {
    const { graph, nodes, edges } = this;
    const type = graph.nodeType[index];
    if (type === nodes.consString) return consStringName(graph, nodes, edges, index);
    const raw = graph.strings[graph.nodeName[index]];
    if (type === nodes.object && raw === 'Object') return plainObjectName(graph, edges, index);
    return raw;
  }

  className(index: number): string {
    return this.classes.names[this.classes.classOf[index]];
  }

  /** The class key DevTools uses to compare snapshots: JS constructors are told apart by source position. */
  classKey(index: number): string {
    const name = this.className(index);
    if (!this.hasLocationKey(index)) return ',' + name;
    const location = this.locationOf(index);
    const { scriptId, line, column } = this.graph.locations;
    return `${scriptId[location]},${line[location]},${column[location]},${name}`;
  }

  node(index: number): NodeInfo {
    this.checkIndex(index);
    return {
      index,
      id: this.graph.nodeId[index],
      name: this.nodeName(index),
      type: this.graph.nodeTypeNames[this.graph.nodeType[index]],
      selfSize: this.selfSize[index],
      retainedSize: this.retainedSize[index],
      distance: this.distance[index],
      className: this.className(index),
      classKey: this.classKey(index),
    };
  }

  /** The n nodes with the largest retained sizes (ties by id ascending), the root included. */
  topRetained(count: number): NodeInfo[] {
    const { retainedSize } = this;
    const ids = this.graph.nodeId;
    const before = (a: number, b: number): boolean => retainedSize[a] > retainedSize[b] || (retainedSize[a] === retainedSize[b] && ids[a] < ids[b]);
    // A bounded min-heap keeps this O(nodes × log count).
    const heap: number[] = [];
    const worst = (): number => heap[0];
    const siftDown = (i: number): void => {
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[m], heap[l])) m = l;
        if (r < heap.length && before(heap[m], heap[r])) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    };
    const siftUp = (i: number): void => {
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!before(heap[p], heap[i])) return;
        [heap[i], heap[p]] = [heap[p], heap[i]];
        i = p;
      }
    };
    for (let n = 0; n < this.nodeCount && count > 0; n++) {
      if (heap.length < count) {
        heap.push(n);
        siftUp(heap.length - 1);
      } else if (before(n, worst())) {
        heap[0] = n;
        siftDown(0);
      }
    }
    return heap.sort((a, b) => (before(a, b) ? -1 : 1)).map((n) => this.node(n));
  }

  /**
   * The Summary rows, with each class's retained size filled in on first use: walk the dominator
   * tree and add an object only when no dominator of it is of the same class (so each object is
   * counted once).
   */
  private aggregateData(): ClassRows {
    const data = this.classRows;
    if (this.classRetainedSizesDone) return data;
    this.classRetainedSizesDone = true;
    const { rows, rowOf } = data;
    const active = new Uint8Array(rows.length);
    const EXIT = 0x80000000; // stack items at or above this mark leaving a row's subtree
    const stack = new Uint32Stack();
    stack.push(this.root);
    while (stack.length > 0) {
      const item = stack.pop();
      if (item >= EXIT) {
        active[item - EXIT] = 0;
        continue;
      }
      const row = rowOf[item];
      const from = this.firstDominated[item];
      const to = this.firstDominated[item + 1];
      if (row >= 0 && !active[row]) {
        rows[row].retainedSize += this.retainedSize[item];
        if (from !== to) {
          active[row] = 1;
          stack.push(EXIT + row);
        }
      }
      for (let i = from; i < to; i++) stack.push(this.dominated[i]);
    }
    return data;
  }

  private hasLocationKey(n: number): boolean {
    return this.graph.nodeType[n] === this.nodes.object && this.locationOf(n) >= 0;
  }

  /** The class summary, sorted by retained size descending (ties by name). */
  aggregates(): ClassRow[] {
    const { rows, published } = this.aggregateData();
    return published.map((r) => rows[r]).sort((a, b) => b.retainedSize - a.retainedSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The Summary row a node is counted in (undefined for nodes of self size 0). */
  classRowOf(index: number): ClassRow | undefined {
    const { rows, rowOf } = this.aggregateData();
    return rowOf[index] >= 0 ? rows[rowOf[index]] : undefined;
  }

  /** The instance of a class with the largest retained size (ties: lowest id), without sorting the class. */
  biggestInstance(classKey: string): NodeInfo | undefined {
    const data = this.aggregateData();
    const row = data.byKey.get(classKey);
    if (row === undefined) return undefined;
    const { retainedSize } = this;
    const ids = this.graph.nodeId;
    let best = -1;
    for (let i = data.firstMember[row]; i < data.firstMember[row + 1]; i++) {
      const n = data.members[i];
      if (best < 0 || retainedSize[n] > retainedSize[best] || (retainedSize[n] === retainedSize[best] && ids[n] < ids[best])) best = n;
    }
    return best < 0 ? undefined : this.node(best);
  }

  /** A page of a class's instances, largest retained size first. */
  instances(classKey: string, offset: number, limit: number): Page<NodeInfo> {
    const data = this.aggregateData();
    const row = data.byKey.get(classKey);
    if (row === undefined) return { total: 0, offset, items: [] };
    const list = data.members.subarray(data.firstMember[row], data.firstMember[row + 1]);
    if (!this.membersSorted[row]) {
      const { retainedSize } = this;
      const ids = this.graph.nodeId;
      list.sort((a, b) => retainedSize[b] - retainedSize[a] || ids[a] - ids[b]);
      this.membersSorted[row] = 1;
    }
    return this.page(list, offset, limit, (n) => this.node(n));
  }

  /** A page of the nodes a node immediately dominates, largest retained size first. */
  dominatorChildren(index: number, offset: number, limit: number): Page<NodeInfo> {
    this.checkIndex(index);
    const list = this.dominated.subarray(this.firstDominated[index], this.firstDominated[index + 1]);
    if (!this.dominatedSorted[index]) {
      const { retainedSize } = this;
      const ids = this.graph.nodeId;
      list.sort((a, b) => retainedSize[b] - retainedSize[a] || ids[a] - ids[b]);
      this.dominatedSorted[index] = 1;
    }
    return this.page(list, offset, limit, (n) => this.node(n));
  }

  /** A page of a node's outgoing edges, in snapshot order. */
  edgesOf(index: number, offset: number, limit: number): Page<EdgeInfo> {
    this.checkIndex(index);
    const { firstEdge } = this.graph;
    const total = firstEdge[index + 1] - firstEdge[index];
    const items: EdgeInfo[] = [];
    for (let i = Math.max(0, offset); i < Math.min(total, offset + limit); i++) {
      const e = firstEdge[index] + i;
      items.push({ ...this.edgeLabel(e), node: this.node(this.graph.edgeTo[e]) });
    }
    return { total, offset, items };
  }

  /** A page of a node's retainers (edge + retaining node), nearest to the roots first. */
  retainers(index: number, offset: number, limit: number): Page<EdgeInfo> {
    this.checkIndex(index);
    const { firstRetainer, retainerEdge } = this.reverse();
    const edges: number[] = [];
    const sources: number[] = [];
    for (let i = firstRetainer[index]; i < firstRetainer[index + 1]; i++) {
      edges.push(retainerEdge[i]);
      sources.push(this.sourceOf(retainerEdge[i]));
    }
    const d = (slot: number): number => {
      const value = this.distance[sources[slot]];
      return value < 0 ? Number.MAX_SAFE_INTEGER : value;
    };
    const slots = edges.map((_, i) => i).sort((a, b) => d(a) - d(b) || a - b);
    return this.page(slots, offset, limit, (slot) => ({ ...this.edgeLabel(edges[slot]), node: this.node(sources[slot]) }));
  }

  private reverse(): Retainers {
    this.reverseIndex ??= buildRetainers(this.graph);
    return this.reverseIndex;
  }

  private sourceOf(edge: number): number {
    return edgeSource(this.graph.firstEdge, this.nodeCount, edge);
  }

  private edgeLabel(e: number): { edgeName: string; edgeType: string } {
    const type = this.graph.edgeType[e];
    const name = this.graph.edgeName[e];
    return {
      edgeName: edgeHasStringName(this.edges, type) ? this.graph.strings[name] : String(name),
      edgeType: this.graph.edgeTypeNames[type],
    };
  }

  private page<T>(list: ArrayLike<number>, offset: number, limit: number, item: (n: number) => T): Page<T> {
    const items: T[] = [];
    const start = Math.max(0, Math.floor(offset));
    const end = Math.min(list.length, start + Math.max(0, Math.floor(limit)));
    for (let i = start; i < end; i++) items.push(item(list[i]));
    return { total: list.length, offset: start, items };
  }

  /**
   * The shortest path from the root to the node (weak edges excluded), as DevTools' retainers
   * view finds it: the distance search's tree, read upwards. [] for the root and for nodes
   * the search never reached.
   */
  pathToRoot(index: number): PathStep[] {
    this.checkIndex(index);
    const steps: PathStep[] = [];
    let current = index;
    while (current !== this.root && this.parentEdge[current] !== NO_EDGE && steps.length <= this.nodeCount) {
      const edge = this.parentEdge[current];
      steps.push({ ...this.edgeLabel(edge), node: this.node(current) });
      current = this.sourceOf(edge);
    }
    return current === this.root ? steps.reverse() : [];
  }

  /** The node with this V8 object id, if the snapshot has it. */
  nodeIndexById(id: number): number | undefined {
    const order = this.nodesInIdOrder();
    const ids = this.graph.nodeId;
    let lo = 0, hi = order.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = ids[order[mid]];
      if (value === id) return order[mid];
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Node ordinals sorted by id (built once). */
  nodesInIdOrder(): Uint32Array {
    if (!this.idOrder) {
      const ids = this.graph.nodeId;
      const order = new Uint32Array(this.nodeCount);
      let sorted = true;
      for (let n = 0; n < this.nodeCount; n++) {
        order[n] = n;
        if (n > 0 && ids[n] < ids[n - 1]) sorted = false;
      }
      if (!sorted) order.sort((a, b) => ids[a] - ids[b]);
      this.idOrder = order;
    }
    return this.idOrder;
  }

  /** Where a closure (or the constructor of an object) was defined, when the snapshot records it. */
  sourceLocation(index: number): SourceLocation | undefined {
    this.checkIndex(index);
    const location = this.locationOf(index);
    if (location < 0) return undefined;
    const { scriptId, line, column } = this.graph.locations;
    const scriptName = this.scriptName(scriptId[location]);
    return { scriptId: scriptId[location], ...(scriptName ? { scriptName } : {}), line: line[location], column: column[location] };
  }

  /**
   * The script's name for a script id: V8 names the script node after its URL, reached from any
   * closure of that script (closure -> shared -> script). Found once per script id.
   */
  private scriptName(scriptId: number): string | undefined {
    if (this.scriptNames.has(scriptId)) return this.scriptNames.get(scriptId) ?? undefined;
    let name: string | undefined;
    const { node, scriptId: ids } = this.graph.locations;
    for (let i = 0; i < node.length && name === undefined; i++) {
      if (ids[i] !== scriptId || this.graph.nodeType[node[i]] !== this.nodes.closure) continue;
      const shared = this.internalEdgeTarget(node[i], 'shared');
      const script = shared === undefined ? undefined : this.internalEdgeTarget(shared, 'script_or_debug_info') ?? this.internalEdgeTarget(shared, 'script');
      const text = script === undefined ? '' : this.graph.strings[this.graph.nodeName[script]];
      if (text) name = text;
    }
    this.scriptNames.set(scriptId, name ?? null);
    return name;
  }

  private internalEdgeTarget(index: number, name: string): number | undefined {
    const { firstEdge, edgeType, edgeName, edgeTo, strings } = this.graph;
    for (let e = firstEdge[index]; e < firstEdge[index + 1]; e++) {
      if (edgeType[e] === this.edges.internal && strings[edgeName[e]] === name) return edgeTo[e];
    }
    return undefined;
  }

  /** The target of the node's internal edge with this name (e.g. a Map's "table"). */
  internalChild(index: number, name: string): number | undefined {
    return this.internalEdgeTarget(index, name);
  }

  rawName(index: number): string {
    return this.graph.strings[this.graph.nodeName[index]];
  }

  typeName(index: number): string {
    return this.graph.nodeTypeNames[this.graph.nodeType[index]];
  }
}
