/**
 * Plain, serialisable result types of the snapshot engine. Everything here travels over
 * postMessage (worker <-> extension <-> webview) and into JSON, so: no classes, no typed arrays,
 * no Maps. A node is addressed by its `index`: its ordinal in the snapshot's node array
 * (0 .. nodeCount-1), valid for one loaded snapshot. Across snapshots of one process use `id`.
 */

export type LoadPhase = 'parse' | 'analyse';

export interface LoadProgress {
  phase: LoadPhase;
  /** What the phase is doing now, e.g. "dominators". */
  step?: string;
  done: number;
  total: number;
}

export interface LoadOptions {
  onProgress?(progress: LoadProgress): void;
  signal?: AbortSignal;
}

export interface NodeInfo {
  index: number;
  id: number;
  /** The name DevTools shows for the node (plain objects as `{a, b}`, cons strings flattened). */
  name: string;
  type: string;
  /** Shallow size after DevTools' rule of moving a single-owner internal array's size onto its owner. */
  selfSize: number;
  retainedSize: number;
  /** Distance from the GC roots (DevTools' rule); -5 when unreachable, >= 100000000 for system-only. */
  distance: number;
  className: string;
  classKey: string;
}

export interface SourceLocation {
  scriptId: number;
  /** The script's URL or file name when the snapshot knows it (Node's script wrappers name it). */
  scriptName?: string;
  /** 0-based, as V8 writes it. */
  line: number;
  /** 0-based, as V8 writes it. */
  column: number;
}

/** One row of the class summary (DevTools' Summary view). */
export interface ClassRow {
  /** Stable across snapshots of one process: `,Name` or `scriptId,line,column,Name` for JS constructors. */
  key: string;
  name: string;
  count: number;
  shallowSize: number;
  /** Retained size of the class: each object counted once (objects dominated by another of the class are not added). */
  retainedSize: number;
  distance: number;
}

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

export interface EdgeInfo {
  edgeName: string;
  edgeType: string;
  node: NodeInfo;
}

/** One step of a path from a GC root down to a node: `edgeName` leads from the previous step to `node`. */
export interface PathStep {
  edgeName: string;
  edgeType: string;
  node: NodeInfo;
}

export interface SnapshotSummary {
  nodeCount: number;
  edgeCount: number;
  /** Sum of all nodes' self sizes. */
  totalShallowSize: number;
  /** Size the root retains (what DevTools shows as the snapshot size, without extra native bytes). */
  rootRetainedSize: number;
  extraNativeBytes: number;
  fileSize: number;
  /** Sizes by kind (DevTools' Statistics view). */
  statistics: { code: number; strings: number; jsArrays: number; system: number; native: number; typedArrays: number };
}

export interface ClassDelta {
  key: string;
  name: string;
  /** Objects in the target whose id is not in the base. */
  addedCount: number;
  addedSize: number;
  /** Objects in the base whose id is not in the target. */
  removedCount: number;
  removedSize: number;
  countDelta: number;
  sizeDelta: number;
}

export interface Comparison {
  base: SnapshotSummary;
  target: SnapshotSummary;
  /** Classes with any change, sorted by sizeDelta descending. */
  classes: ClassDelta[];
}

export type CollectionKind = 'Map' | 'Set' | 'Array' | 'Object';

/** A collection (matched by id) whose entry count grew at every step across the snapshots. */
export interface GrownCollection {
  id: number;
  kind: CollectionKind;
  className: string;
  /** Entry count in each snapshot, in order. */
  counts: number[];
  /** Retained size in each snapshot, in order. */
  retainedSizes: number[];
  /** The node in the last snapshot. */
  node: NodeInfo;
  path: PathStep[];
  location?: SourceLocation;
}

export type SuspectKind = 'single-object' | 'class-group' | 'grown-collection';

/** A leak suspect in the spirit of Eclipse MAT's report. */
export interface LeakSuspect {
  kind: SuspectKind;
  /** One sentence a user reads first. */
  title: string;
  retainedSize: number;
  /** retainedSize / the root's retained size. */
  share: number;
  /** The object (single-object, grown-collection) or the biggest instance (class-group). */
  node: NodeInfo;
  className: string;
  /** For class-group: how many instances, and how many of them are top-level (not dominated by another). */
  count?: number;
  growth?: { counts: number[]; retainedSizes: number[] };
  /** From a GC root down to `node`. */
  path: PathStep[];
  location?: SourceLocation;
}
