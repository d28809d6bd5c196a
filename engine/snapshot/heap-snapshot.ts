import { InputError } from '../errors';
import { buildClassTable, consStringName, plainObjectName, type ClassTable } from './class-names';
import { computeDistances, NO_EDGE } from './distances';
import { retainedSizes } from './dominators';
import { startDominators } from './dominators-thread';
import { EphemeronNames, essentialEdges, pageOwnedNodes } from './essential-edges';
import { edgeHasStringName, edgeKinds, nodeKinds, type EdgeKinds, type NodeKinds } from './kinds';
import { ownedSelfSizes } from './owned-sizes';
import type { RawGraph } from './reader';
import { Uint32Stack } from './growable-stack';
import { buildRetainers, edgeSource, type Retainers } from './retainers';
import { releaseMemory } from './release-memory';
import { sharedUint8 } from './shared-arrays';
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
}

/** Per-class aggregates, computed once on first use. */
interface Aggregates {
  rows: ClassRow[];
  /** Rows in DevTools' order, one per public key. */
  published: number[];
  /** Row of each node; -1 for nodes with self size 0 (DevTools does not count them). */
  rowOf: Int32Array;
  byKey: Map<string, number>;
  /** Members of row r: members[firstMember[r] .. firstMember[r+1]-1] (node ordinals, id order). */
  firstMember: Uint32Array;
  members: Uint32Array;
  /** Whether the row's members have been sorted by retained size yet. */
  sorted: Uint8Array;
}

/**
 * A loaded, analysed heap snapshot. All analyses that DevTools does up front (dominators,
 * retained sizes, distances, class names) are done in the constructor; queries then answer a
 * page at a time from precomputed indexes.
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
  private summaryCache: SnapshotSummary | null = null;
  private readonly scriptNames = new Map<number, string | null>();
  private readonly classes: ClassTable;
  /** Children of each node in the dominator tree (sorted by retained size on first request). */
  private readonly firstDominated: Uint32Array;
  private readonly dominated: Uint32Array;
  private readonly dominatedSorted: Uint8Array;
  /** Index into graph.locations per node, -1 when none. */
  /** Location entries sorted by node ordinal, for binary search (V8 usually writes them sorted). */
  private readonly locationOrder: Uint32Array;
  /** The distance search's tree: the edge that first reached each node. */
  private readonly parentEdge: Uint32Array;
  private aggregateCache: Aggregates | null = null;
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
    next();
    const essential = essentialEdges(graph, edges, root, pageOwnedNodes(graph, nodes, edges, root), ephemerons, sharedUint8);
    next();
    const dominators = startDominators(graph, essential, root, workerPath);
    next();
    const { selfSize, distance, parentEdge } = HeapSnapshot.sizesAndDistances(graph, nodes, edges, root, ephemerons, next);
    const classes = buildClassTable(graph, nodes, edges);
    next();
    // The steps' temporary arrays are garbage now: free them before the two threads' peak meets.
    releaseMemory();
    const tree = await dominators;
    next();
    const snapshot = new HeapSnapshot(graph, { nodes, edges, root, selfSize, distance, parentEdge, classes, dominator: tree.dominator, retainedSize: retainedSizes(tree, selfSize) });
    releaseMemory();
    report({ phase: 'analyse', step: 'done', done: steps.length, total: steps.length });
    return snapshot;
  }

  /** Shallow sizes, then distances, sharing one scratch array that dies with this call. */
  private static sizesAndDistances(graph: RawGraph, nodes: NodeKinds, edges: EdgeKinds, root: number, ephemerons: EphemeronNames, next: () => void) {
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
    ({ nodes: this.nodes, edges: this.edges, root: this.root, selfSize: this.selfSize, distance: this.distance } = parts);
    this.parentEdge = parts.parentEdge;
    ({ classes: this.classes, dominator: this.dominator, retainedSize: this.retainedSize } = parts);
    [this.firstDominated, this.dominated] = this.buildDominatedIndex();
    this.dominatedSorted = new Uint8Array(this.nodeCount);
    this.locationOrder = this.buildLocationOrder();
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

  private buildLocationOrder(): Uint32Array {
    const nodes = this.graph.locations.node;
    const count = nodes.length;
    const order = new Uint32Array(count);
    let sorted = true;
    for (let i = 0; i < count; i++) {
      order[i] = i;
      if (i > 0 && nodes[i] < nodes[i - 1]) sorted = false;
    }
    if (sorted) return order;
    // Sort (node, entry) pairs packed into one float each: a native numeric sort, no comparator.
    // Ties keep entry order, so for duplicate entries the last one wins (as in DevTools).
    const packed = new Float64Array(count);
    for (let i = 0; i < count; i++) packed[i] = nodes[i] * count + i;
    packed.sort();
    for (let i = 0; i < count; i++) order[i] = packed[i] % count;
    return order;
  }

  /** Index of the node's entry in graph.locations, or -1. */
  private locationOf(n: number): number {
    const nodes = this.graph.locations.node;
    const order = this.locationOrder;
    let lo = 0;
    let hi = order.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = nodes[order[mid]];
      if (value < n) lo = mid + 1;
      else if (value > n) hi = mid - 1;
      else {
        found = order[mid];
        lo = mid + 1; // keep looking right: the last entry for a node wins
      }
    }
    return found;
  }

  summary(): SnapshotSummary {
    if (this.summaryCache) return this.summaryCache;
    const { graph, nodes, selfSize } = this;
    let totalShallowSize = 0;
    const stats = { code: 0, strings: 0, jsArrays: 0, system: 0, native: graph.header.extra_native_bytes ?? 0, typedArrays: 0 };
    const special = new Uint8Array(graph.strings.length);
    graph.strings.forEach((s, i) => { if (s === 'Array') special[i] = 1; else if (s === 'system / JSArrayBufferData') special[i] = 2; });
    const store = this.soleElementStores(special);
    for (let n = 0; n < this.nodeCount; n++) {
      const size = selfSize[n];
      totalShallowSize += size;
      const type = graph.nodeType[n];
      if (type === nodes.hidden) stats.system += size;
      else if (type === nodes.native) {
        stats.native += size;
        if (special[graph.nodeName[n]] === 2) stats.typedArrays += size;
      } else if (type === nodes.code) stats.code += size;
      else if (type === nodes.string || type === nodes.consString || type === nodes.slicedString) stats.strings += size;
      else if (special[graph.nodeName[n]] === 1) stats.jsArrays += size + (store[n] >= 0 ? selfSize[store[n]] : 0);
    }
    this.summaryCache = {
      nodeCount: this.nodeCount,
      edgeCount: this.edgeCount,
      totalShallowSize,
      rootRetainedSize: this.retainedSize[this.root],
      extraNativeBytes: graph.header.extra_native_bytes ?? 0,
      fileSize: graph.fileSize,
      statistics: stats,
    };
    return this.summaryCache;
  }

  /**
   * For each JS array, its elements store when the array is the store's only retainer (DevTools
   * counts the store into the array's size then), else -1. Counts in-edges of stores only.
   */
  private soleElementStores(special: Uint8Array): Int32Array {
    const { graph, edges } = this;
    const store = new Int32Array(this.nodeCount).fill(-1);
    const retainerCount = new Uint8Array(this.nodeCount);
    const isStore = new Uint8Array(this.nodeCount);
    for (let n = 0; n < this.nodeCount; n++) {
      if (special[graph.nodeName[n]] !== 1) continue;
      for (let e = graph.firstEdge[n]; e < graph.firstEdge[n + 1]; e++) {
        if (graph.edgeType[e] === edges.internal && graph.strings[graph.edgeName[e]] === 'elements') {
          store[n] = graph.edgeTo[e];
          isStore[graph.edgeTo[e]] = 1;
          break;
        }
      }
    }
    for (let e = 0; e < this.edgeCount; e++) {
      const target = graph.edgeTo[e];
      if (isStore[target] && retainerCount[target] < 2) retainerCount[target]++;
    }
    for (let n = 0; n < this.nodeCount; n++) if (store[n] >= 0 && retainerCount[store[n]] !== 1) store[n] = -1;
    return store;
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
   * DevTools groups by an internal key (the class, or the class plus source position for JS
   * objects) and then publishes rows by `classKey`; when two internal groups share a public key
   * (an object named "Function" and the closures' "Function" class), the later group replaces
   * the earlier one in place. We do the same so the Summary matches DevTools row for row.
   */
  private aggregateData(): Aggregates {
    if (this.aggregateCache) return this.aggregateCache;
    const { nodeCount, selfSize, retainedSize, distance } = this;
    const rowOf = new Int32Array(nodeCount).fill(-1);
    const rows: ClassRow[] = [];
    const { classOf, names } = this.classes;
    // Internal keys without a string per node: the class id (an array slot), or for JS objects
    // with a source position, the position's id combined with the class id (a Map entry).
    const rowOfClass = new Int32Array(names.length).fill(-1);
    const rowOfPositionedClass = new Map<number, number>();
    const positionIds = new Map<string, number>();
    const { node: locatedNode, scriptId, line, column } = this.graph.locations;
    const positionOf = new Int32Array(locatedNode.length);
    for (let i = 0; i < positionOf.length; i++) {
      const position = `${scriptId[i]},${line[i]},${column[i]}`;
      let id = positionIds.get(position);
      if (id === undefined) {
        id = positionIds.size;
        positionIds.set(position, id);
      }
      positionOf[i] = id;
    }
    const objectType = this.nodes.object;
    const order = this.locationOrder;
    let cursor = 0; // walks the locations in node order alongside n
    for (let n = 0; n < nodeCount; n++) {
      while (cursor < order.length && locatedNode[order[cursor]] < n) cursor++;
      const size = selfSize[n];
      if (size === 0) continue;
      let location = -1;
      if (this.graph.nodeType[n] === objectType) {
        for (let c = cursor; c < order.length && locatedNode[order[c]] === n; c++) location = order[c];
      }
      let row: number | undefined;
      if (location < 0) {
        row = rowOfClass[classOf[n]];
        if (row < 0) row = rowOfClass[classOf[n]] = rows.length;
      } else {
        const key = names.length * (1 + positionOf[location]) + classOf[n];
        row = rowOfPositionedClass.get(key);
        if (row === undefined) {
          row = rows.length;
          rowOfPositionedClass.set(key, row);
        }
      }
      if (row === rows.length) {
        rows.push({ key: this.classKey(n), name: this.className(n), count: 0, shallowSize: 0, retainedSize: 0, distance: distance[n] });
      }
      const r = rows[row];
      r.count++;
      r.shallowSize += size;
      if (distance[n] < r.distance) r.distance = distance[n];
      rowOf[n] = row;
    }
    // A class's retained size counts each object once: walk the dominator tree and add an
    // object only when no dominator of it is of the same class.
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
        rows[row].retainedSize += retainedSize[item];
        if (from !== to) {
          active[row] = 1;
          stack.push(EXIT + row);
        }
      }
      for (let i = from; i < to; i++) stack.push(this.dominated[i]);
    }
    const firstMember = new Uint32Array(rows.length + 1);
    for (let n = 0; n < nodeCount; n++) if (rowOf[n] >= 0) firstMember[rowOf[n] + 1]++;
    for (let r = 0; r < rows.length; r++) firstMember[r + 1] += firstMember[r];
    const fill = firstMember.slice(0, rows.length);
    const members = new Uint32Array(firstMember[rows.length]);
    for (let n = 0; n < nodeCount; n++) if (rowOf[n] >= 0) members[fill[rowOf[n]]++] = n;
    const byKey = new Map<string, number>();
    const published: number[] = [];
    rows.forEach((row, r) => {
      const slot = byKey.get(row.key);
      if (slot === undefined) {
        byKey.set(row.key, r);
        published.push(r);
      } else {
        published[published.indexOf(slot)] = r;
        byKey.set(row.key, r);
      }
    });
    this.aggregateCache = { rows, published, rowOf, byKey, firstMember, members, sorted: new Uint8Array(rows.length) };
    return this.aggregateCache;
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
    if (!data.sorted[row]) {
      const { retainedSize } = this;
      const ids = this.graph.nodeId;
      list.sort((a, b) => retainedSize[b] - retainedSize[a] || ids[a] - ids[b]);
      data.sorted[row] = 1;
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

  /** Outgoing edges of a node, for collection sizing (internal use by growth analysis). */
  countEdges(index: number, accept: (type: string, name: string) => boolean): number {
    const { firstEdge } = this.graph;
    let count = 0;
    for (let e = firstEdge[index]; e < firstEdge[index + 1]; e++) {
      const label = this.edgeLabel(e);
      if (accept(label.edgeType, label.edgeName)) count++;
    }
    return count;
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
