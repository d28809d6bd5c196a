import type { HeapSnapshot } from './heap-snapshot';
import { edgeKinds } from './kinds';
import type { CollectionKind, GrownCollection } from './types';

const MAX_REPORTED = 100;

/** What kind of collection a node is, if any: JS Maps, Sets, Arrays and plain objects. */
export function collectionKind(snapshot: HeapSnapshot, n: number): CollectionKind | undefined {
  if (snapshot.typeName(n) !== 'object') return undefined;
  const name = snapshot.rawName(n);
  return name === 'Map' || name === 'Set' || name === 'Array' || name === 'Object' ? name : undefined;
}

/**
 * Entries a collection holds, counted from its references: a Map's or Set's hash table entries that
 * hold heap objects, an array's elements, an object's properties and elements. (Small
 * integers are not heap objects and have no edge, so they are not counted.)
 */
export function entryCount(snapshot: HeapSnapshot, n: number, kind: CollectionKind): number {
  const { firstEdge, edgeType, edgeName, strings } = snapshot.graph;
  const edges = edgeKinds(snapshot.graph.edgeTypeNames);
  if (kind === 'Map' || kind === 'Set') {
    const table = snapshot.internalChild(n, 'table');
    if (table === undefined) return 0;
    const slots: number[] = [];
    for (let e = firstEdge[table]; e < firstEdge[table + 1]; e++) {
      if (edgeType[e] === edges.internal && isIndex(strings[edgeName[e]])) slots.push(Number(strings[edgeName[e]]));
    }
    return kind === 'Set' ? slots.length : mapEntriesFromSlots(slots);
  }
  let count = 0;
  for (let e = firstEdge[n]; e < firstEdge[n + 1]; e++) {
    const type = edgeType[e];
    if (type === edges.element || (kind === 'Object' && type === edges.property && strings[edgeName[e]] !== '__proto__')) count++;
  }
  return count;
}

/**
 * A Map's hash table stores each entry in three consecutive slots (key, value, chain); only slots
 * that hold heap objects have an edge, so a key and its value are up to two edges. The entries are
 * the distinct three-slot groups the edges fall into; the group alignment is unknown (it depends on
 * the bucket count, which the snapshot does not record), and the right one is the alignment that
 * puts each key with its value, i.e. the one that gives the fewest groups.
 */
function mapEntriesFromSlots(slots: number[]): number {
  slots.sort((a, b) => a - b);
  let fewest = Infinity;
  for (let shift = 0; shift < 3; shift++) {
    let groups = 0;
    let previous = -1;
    for (const slot of slots) {
      const group = Math.floor((slot + shift) / 3);
      if (group !== previous) groups++;
      previous = group;
    }
    fewest = Math.min(fewest, groups);
  }
  return slots.length === 0 ? 0 : fewest;
}

function isIndex(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Collections (matched by id) whose entry count grew at every step across the snapshots, given
 * oldest first. Sorted by how much they grew, biggest retained size breaking ties.
 */
export function findGrowth(snapshots: HeapSnapshot[]): GrownCollection[] {
  if (snapshots.length < 2) return [];
  const last = snapshots[snapshots.length - 1];
  const found: GrownCollection[] = [];
  for (let n = 0; n < last.nodeCount; n++) {
    const kind = collectionKind(last, n);
    if (!kind) continue;
    const id = last.graph.nodeId[n];
    const counts: number[] = [];
    const retainedSizes: number[] = [];
    let grew = true;
    for (const snapshot of snapshots) {
      const index = snapshot === last ? n : snapshot.nodeIndexById(id);
      if (index === undefined || collectionKind(snapshot, index) !== kind) {
        grew = false;
        break;
      }
      const count = entryCount(snapshot, index, kind);
      if (counts.length > 0 && count <= counts[counts.length - 1]) {
        grew = false;
        break;
      }
      counts.push(count);
      retainedSizes.push(snapshot.retainedSize[index]);
    }
    if (!grew) continue;
    const node = last.node(n);
    found.push({ id, kind, className: node.className, counts, retainedSizes, node, path: [], ...optionalLocation(last, n) });
  }
  found.sort((a, b) => growthOf(b) - growthOf(a) || b.node.retainedSize - a.node.retainedSize || a.id - b.id);
  const top = found.slice(0, MAX_REPORTED);
  for (const collection of top) collection.path = last.pathToRoot(collection.node.index);
  return top;
}

function growthOf(collection: GrownCollection): number {
  return collection.counts[collection.counts.length - 1] - collection.counts[0];
}

function optionalLocation(snapshot: HeapSnapshot, n: number): { location?: GrownCollection['location'] } {
  const location = snapshot.sourceLocation(n);
  return location ? { location } : {};
}
