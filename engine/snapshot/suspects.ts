import type { HeapSnapshot } from './heap-snapshot';
import type { GrownCollection, LeakSuspect, PathStep, SourceLocation } from './types';

export interface SuspectOptions {
  /** Share of the heap (root's retained size) a suspect must hold; MAT's default is 10%. */
  minShare?: number;
  /** At most this many suspects of each kind. */
  maxPerKind?: number;
}

/** Classes that are V8's own bookkeeping, not something a program accumulates. */
const SYSTEM_CLASSES = new Set(['(system)', '(compiled code)', '(object shape)', '(synthetic)', '(hidden)']);

/** A class whose biggest instance holds this share of the class's retained size is one object's story. */
const SINGLE_INSTANCE_SHARE = 0.8;

/**
 * Leak suspects in the spirit of Eclipse MAT's report:
 * - single objects that dominate a large share of the heap: the deepest such objects in the
 *   dominator tree (where the memory accumulates, not the global object above it);
 * - classes whose instances together dominate a large share;
 * - collections that grew at every step across snapshots (pass findGrowth's result).
 * Each comes with its path from a GC root and the nearest source location on that path.
 */
export function findLeakSuspects(snapshot: HeapSnapshot, growth: GrownCollection[] = [], options: SuspectOptions = {}): LeakSuspect[] {
  const minShare = options.minShare ?? 0.1;
  const maxPerKind = options.maxPerKind ?? 5;
  const total = snapshot.retainedSize[snapshot.root] || 1;
  const threshold = total * minShare;
  const suspects: LeakSuspect[] = [];

  for (const n of accumulationPoints(snapshot, threshold).slice(0, maxPerKind)) {
    const node = snapshot.node(n);
    const path = snapshot.pathToRoot(n);
    suspects.push({
      kind: 'single-object',
      title: `One ${node.className} (@${node.id}) retains ${formatShare(node.retainedSize, total)} of the heap`,
      retainedSize: node.retainedSize,
      share: node.retainedSize / total,
      node,
      className: node.className,
      path,
      ...nearestLocation(snapshot, n, path),
    });
  }

  const classes = snapshot.aggregates().filter((row) => row.retainedSize >= threshold && !SYSTEM_CLASSES.has(row.name) && row.count > 1);
  let classGroups = 0;
  for (const row of classes) {
    if (classGroups === maxPerKind) break;
    const biggest = snapshot.biggestInstance(row.key);
    // When one instance holds most of it, the class is not the story (a single object is).
    if (!biggest || biggest.retainedSize >= SINGLE_INSTANCE_SHARE * row.retainedSize) continue;
    classGroups++;
    const path = snapshot.pathToRoot(biggest.index);
    suspects.push({
      kind: 'class-group',
      title: `${row.count} instances of ${row.name} retain ${formatShare(row.retainedSize, total)} of the heap`,
      retainedSize: row.retainedSize,
      share: row.retainedSize / total,
      node: biggest,
      className: row.name,
      count: row.count,
      path,
      ...nearestLocation(snapshot, biggest.index, path),
    });
  }

  for (const collection of growth.slice(0, maxPerKind)) {
    const { node, counts, retainedSizes } = collection;
    const index = snapshot.nodeIndexById(node.id);
    if (index === undefined) continue;
    const path = snapshot.pathToRoot(index);
    suspects.push({
      kind: 'grown-collection',
      title: `${collection.kind} @${node.id} grew at every snapshot: ${counts.join(' → ')} entries`,
      retainedSize: snapshot.retainedSize[index],
      share: snapshot.retainedSize[index] / total,
      node: snapshot.node(index),
      className: collection.className,
      growth: { counts, retainedSizes },
      path,
      ...nearestLocation(snapshot, index, path),
    });
  }
  return suspects;
}

/**
 * Non-synthetic objects retaining at least `threshold` bytes none of whose dominator-tree
 * children does: the points where memory accumulates. Biggest first.
 */
function accumulationPoints(snapshot: HeapSnapshot, threshold: number): number[] {
  const { retainedSize, dominator, root } = snapshot;
  const hasBigChild = new Uint8Array(snapshot.nodeCount);
  const big: number[] = [];
  for (let n = 0; n < snapshot.nodeCount; n++) {
    if (retainedSize[n] < threshold || n === root) continue;
    big.push(n);
    hasBigChild[dominator[n]] = 1;
  }
  return big
    .filter((n) => !hasBigChild[n] && snapshot.typeName(n) !== 'synthetic')
    .sort((a, b) => retainedSize[b] - retainedSize[a]);
}

/** The node's own source location, else the nearest one going up its path to the root. */
function nearestLocation(snapshot: HeapSnapshot, n: number, path: PathStep[]): { location?: SourceLocation } {
  const own = snapshot.sourceLocation(n);
  if (own) return { location: own };
  for (let i = path.length - 1; i >= 0; i--) {
    const location = snapshot.sourceLocation(path[i].node.index);
    if (location) return { location };
  }
  return {};
}

function formatShare(size: number, total: number): string {
  return `${(size / 1048576).toFixed(1)} MB (${((100 * size) / total).toFixed(1)}%)`;
}
