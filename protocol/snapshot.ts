/**
 * Heap-snapshot queries the snapshot viewer asks, and the answers it gets back. The row types are
 * defined here once and re-exported by engine/snapshot/types.ts, so the extension forwards the
 * worker's answers unchanged. Big lists come a page at a time
 * (`offset`, `limit` in; `Page` with `total` out) so a million-instance class never crosses whole.
 */
import { arrayOf, Check, count, discriminated, literal, LIMITS, nullable, num, object, optional, ProtocolError, str } from './validate';

export interface LoadProgress {
  phase: 'parse' | 'analyse';
  /** What the phase is doing now, e.g. "dominators". */
  step?: string;
  done: number;
  total: number;
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
  /** Where a closure or function was defined, when the snapshot knows (added for closures shown in a viewer). */
  location?: SourceLocation;
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

/** What the viewer is told once the snapshot is loaded. */
export interface SnapshotInfo {
  fileName: string;
  /** The synthetic root; its dominator children are the top of the dominator tree. */
  rootIndex: number;
  summary: SnapshotSummary;
}

export type SnapshotQuery =
  | { kind: 'summary' }
  | { kind: 'instances'; classKey: string; offset: number; limit: number }
  | { kind: 'dominatorChildren'; nodeIndex: number; offset: number; limit: number }
  | { kind: 'retainers'; nodeIndex: number; offset: number; limit: number }
  | { kind: 'pathToRoot'; nodeIndex: number }
  /** Against the baseline the user picked (see the `pickBaseline` message). */
  | { kind: 'compare' }
  | { kind: 'suspects' };

export type SnapshotQueryResult =
  | { kind: 'summary'; rows: ClassRow[] }
  | { kind: 'instances'; classKey: string; page: Page<NodeInfo> }
  | { kind: 'dominatorChildren'; nodeIndex: number; page: Page<NodeInfo> }
  | { kind: 'retainers'; nodeIndex: number; page: Page<EdgeInfo> }
  /** null: the object is not reachable from a GC root. */
  | { kind: 'pathToRoot'; nodeIndex: number; path: PathStep[] | null }
  | { kind: 'compare'; baseline: string; comparison: Comparison }
  | { kind: 'suspects'; suspects: LeakSuspect[] };

const pageLimit: Check<number> = (value, path) => {
  const limit = count(value, path);
  if (limit < 1 || limit > LIMITS.pageLimit) throw new ProtocolError(path, `a page size of 1..${LIMITS.pageLimit}`);
  return limit;
};

export const checkLoadProgress: Check<LoadProgress> = object<LoadProgress>({
  phase: literal('parse', 'analyse'),
  step: optional(str),
  done: num,
  total: num,
});

export const checkSourceLocation: Check<SourceLocation> = object<SourceLocation>({
  scriptId: count,
  scriptName: optional(str),
  line: count,
  column: count,
});

export const checkNodeInfo: Check<NodeInfo> = object<NodeInfo>({
  index: count,
  id: count,
  name: str,
  type: str,
  selfSize: num,
  retainedSize: num,
  distance: num,
  className: str,
  classKey: str,
  location: optional(checkSourceLocation),
});

export const checkClassRow: Check<ClassRow> = object<ClassRow>({
  key: str,
  name: str,
  count,
  shallowSize: num,
  retainedSize: num,
  distance: num,
});

function page<T>(item: Check<T>): Check<Page<T>> {
  return object<Page<T>>({ total: count, offset: count, items: arrayOf(item, LIMITS.pageLimit) });
}

const checkEdgeInfo: Check<EdgeInfo> = object<EdgeInfo>({ edgeName: str, edgeType: str, node: checkNodeInfo });
const checkPathStep: Check<PathStep> = object<PathStep>({ edgeName: str, edgeType: str, node: checkNodeInfo });
const checkPath = arrayOf(checkPathStep, 100_000);

export const checkSnapshotSummary: Check<SnapshotSummary> = object<SnapshotSummary>({
  nodeCount: count,
  edgeCount: count,
  totalShallowSize: num,
  rootRetainedSize: num,
  extraNativeBytes: num,
  fileSize: num,
  statistics: object({ code: num, strings: num, jsArrays: num, system: num, native: num, typedArrays: num }),
});

const checkClassDelta: Check<ClassDelta> = object<ClassDelta>({
  key: str,
  name: str,
  addedCount: count,
  addedSize: num,
  removedCount: count,
  removedSize: num,
  countDelta: num,
  sizeDelta: num,
});

const checkComparison: Check<Comparison> = object<Comparison>({
  base: checkSnapshotSummary,
  target: checkSnapshotSummary,
  classes: arrayOf(checkClassDelta),
});

const checkLeakSuspect: Check<LeakSuspect> = object<LeakSuspect>({
  kind: literal('single-object', 'class-group', 'grown-collection'),
  title: str,
  retainedSize: num,
  share: num,
  node: checkNodeInfo,
  className: str,
  count: optional(count),
  growth: optional(object({ counts: arrayOf(num, 10_000), retainedSizes: arrayOf(num, 10_000) })),
  path: checkPath,
  location: optional(checkSourceLocation),
});

export const checkSnapshotInfo: Check<SnapshotInfo> = object<SnapshotInfo>({
  fileName: str,
  rootIndex: count,
  summary: checkSnapshotSummary,
});

export const checkSnapshotQuery: Check<SnapshotQuery> = discriminated<'kind', SnapshotQuery>('kind', {
  summary: object({ kind: literal('summary') }),
  instances: object({ kind: literal('instances'), classKey: str, offset: count, limit: pageLimit }),
  dominatorChildren: object({ kind: literal('dominatorChildren'), nodeIndex: count, offset: count, limit: pageLimit }),
  retainers: object({ kind: literal('retainers'), nodeIndex: count, offset: count, limit: pageLimit }),
  pathToRoot: object({ kind: literal('pathToRoot'), nodeIndex: count }),
  compare: object({ kind: literal('compare') }),
  suspects: object({ kind: literal('suspects') }),
});

export const checkSnapshotQueryResult: Check<SnapshotQueryResult> = discriminated<'kind', SnapshotQueryResult>('kind', {
  summary: object({ kind: literal('summary'), rows: arrayOf(checkClassRow) }),
  instances: object({ kind: literal('instances'), classKey: str, page: page(checkNodeInfo) }),
  dominatorChildren: object({ kind: literal('dominatorChildren'), nodeIndex: count, page: page(checkNodeInfo) }),
  retainers: object({ kind: literal('retainers'), nodeIndex: count, page: page(checkEdgeInfo) }),
  pathToRoot: object({ kind: literal('pathToRoot'), nodeIndex: count, path: nullable(checkPath) }),
  compare: object({ kind: literal('compare'), baseline: str, comparison: checkComparison }),
  suspects: object({ kind: literal('suspects'), suspects: arrayOf(checkLeakSuspect, 10_000) }),
});
