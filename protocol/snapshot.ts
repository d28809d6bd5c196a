/**
 * Heap-snapshot queries the snapshot viewer asks, and the rows it gets back. Rows mirror
 * engine/snapshot's query results as plain JSON; big lists come a page at a time
 * (`offset`, `limit` in, `total` out) so a million-instance class never crosses in one message.
 */
import { arrayOf, Check, count, discriminated, literal, LIMITS, nullable, num, object, optional, ProtocolError, str } from './validate';

/** A source position; `line` and `column` are 0-based, as in V8 and CDP. */
export interface SourceLocation {
  scriptId: number;
  url: string;
  line: number;
  column: number;
}

/** One class in the summary (DevTools' grouping: constructor name, `{a, b}` shapes, (closure), (string)...). */
export interface ClassRow {
  /** Opaque key the engine uses to page this class's instances. */
  classKey: string;
  name: string;
  count: number;
  shallowSize: number;
  retainedSize: number;
  /** Shortest distance of any instance from the GC roots. */
  distance: number;
}

/** One heap object. `nodeIndex` addresses it in queries; `id` is V8's stable object id (@123). */
export interface NodeRow {
  nodeIndex: number;
  id: number;
  name: string;
  type: string;
  selfSize: number;
  retainedSize: number;
  distance: number;
  /** Number of children in the dominator tree (0: a leaf). */
  dominatedCount: number;
  /** Where a closure or function was defined, when the snapshot knows. */
  location?: SourceLocation;
}

/** An object that holds a reference to the queried one, and the edge through which it does. */
export interface RetainerRow extends NodeRow {
  edgeName: string;
  edgeType: string;
}

export interface CompareRow {
  name: string;
  addedCount: number;
  removedCount: number;
  countDelta: number;
  addedSize: number;
  removedSize: number;
  sizeDelta: number;
}

export interface Suspect {
  kind: 'dominator' | 'class' | 'growth';
  title: string;
  /** One sentence on why it is suspect, with figures. */
  description: string;
  retainedSize: number;
  /** The representative object, when there is one (select it to see retainers). */
  nodeIndex: number | null;
  /** From the object to a GC root, first entry the object's direct retainer. */
  path: RetainerRow[];
  location?: SourceLocation;
}

export interface SnapshotInfo {
  fileName: string;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  /** The synthetic root; its dominator children are the top of the dominator tree. */
  rootIndex: number;
}

export type SnapshotQuery =
  | { kind: 'summary' }
  | { kind: 'instances'; classKey: string; offset: number; limit: number }
  | { kind: 'dominatorChildren'; nodeIndex: number; offset: number; limit: number }
  | { kind: 'retainers'; nodeIndex: number; offset: number; limit: number }
  | { kind: 'pathToRoot'; nodeIndex: number }
  | { kind: 'compare' }
  | { kind: 'suspects' };

export type SnapshotQueryResult =
  | { kind: 'summary'; rows: ClassRow[] }
  | { kind: 'instances'; classKey: string; offset: number; total: number; rows: NodeRow[] }
  | { kind: 'dominatorChildren'; nodeIndex: number; offset: number; total: number; rows: NodeRow[] }
  | { kind: 'retainers'; nodeIndex: number; offset: number; total: number; rows: RetainerRow[] }
  | { kind: 'pathToRoot'; nodeIndex: number; path: RetainerRow[] }
  | { kind: 'compare'; baseline: string; rows: CompareRow[] }
  | { kind: 'suspects'; suspects: Suspect[] };

const pageLimit: Check<number> = (value, path) => {
  const limit = count(value, path);
  if (limit < 1 || limit > LIMITS.pageLimit) throw new ProtocolError(path, `a page size of 1..${LIMITS.pageLimit}`);
  return limit;
};

export const checkSourceLocation: Check<SourceLocation> = object<SourceLocation>({ scriptId: count, url: str, line: count, column: count });

export const checkClassRow: Check<ClassRow> = object<ClassRow>({
  classKey: str,
  name: str,
  count,
  shallowSize: num,
  retainedSize: num,
  distance: num,
});

const nodeFields = {
  nodeIndex: count,
  id: count,
  name: str,
  type: str,
  selfSize: num,
  retainedSize: num,
  distance: num,
  dominatedCount: count,
  location: optional(checkSourceLocation),
};

export const checkNodeRow: Check<NodeRow> = object<NodeRow>(nodeFields);
export const checkRetainerRow: Check<RetainerRow> = object<RetainerRow>({ ...nodeFields, edgeName: str, edgeType: str });

export const checkCompareRow: Check<CompareRow> = object<CompareRow>({
  name: str,
  addedCount: count,
  removedCount: count,
  countDelta: num,
  addedSize: num,
  removedSize: num,
  sizeDelta: num,
});

export const checkSuspect: Check<Suspect> = object<Suspect>({
  kind: literal('dominator', 'class', 'growth'),
  title: str,
  description: str,
  retainedSize: num,
  nodeIndex: nullable(count),
  path: arrayOf(checkRetainerRow, 10_000),
  location: optional(checkSourceLocation),
});

export const checkSnapshotInfo: Check<SnapshotInfo> = object<SnapshotInfo>({
  fileName: str,
  nodeCount: count,
  edgeCount: count,
  totalSize: num,
  rootIndex: count,
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

const pageRows = LIMITS.pageLimit;

export const checkSnapshotQueryResult: Check<SnapshotQueryResult> = discriminated<'kind', SnapshotQueryResult>('kind', {
  summary: object({ kind: literal('summary'), rows: arrayOf(checkClassRow) }),
  instances: object({ kind: literal('instances'), classKey: str, offset: count, total: count, rows: arrayOf(checkNodeRow, pageRows) }),
  dominatorChildren: object({
    kind: literal('dominatorChildren'),
    nodeIndex: count,
    offset: count,
    total: count,
    rows: arrayOf(checkNodeRow, pageRows),
  }),
  retainers: object({ kind: literal('retainers'), nodeIndex: count, offset: count, total: count, rows: arrayOf(checkRetainerRow, pageRows) }),
  pathToRoot: object({ kind: literal('pathToRoot'), nodeIndex: count, path: arrayOf(checkRetainerRow, 10_000) }),
  compare: object({ kind: literal('compare'), baseline: str, rows: arrayOf(checkCompareRow) }),
  suspects: object({ kind: literal('suspects'), suspects: arrayOf(checkSuspect, 1000) }),
});

