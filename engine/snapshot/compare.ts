import type { HeapSnapshot } from './heap-snapshot';
import type { ClassDelta, Comparison } from './types';

/**
 * Compares two snapshots of one process by class: objects are matched by the ids V8 keeps stable
 * across snapshots; an id only in `target` is new, an id only in `base` was deleted. Objects of
 * self size 0 are not counted (as in the Summary).
 */
export function compareSnapshots(base: HeapSnapshot, target: HeapSnapshot): Comparison {
  const deltas = new Map<string, ClassDelta>();
  const deltaFor = (snapshot: HeapSnapshot, n: number): ClassDelta | undefined => {
    const row = snapshot.classRowOf(n);
    if (!row) return undefined;
    let delta = deltas.get(row.key);
    if (!delta) {
      delta = { key: row.key, name: row.name, addedCount: 0, addedSize: 0, removedCount: 0, removedSize: 0, countDelta: 0, sizeDelta: 0 };
      deltas.set(row.key, delta);
    }
    return delta;
  };
  const a = base.nodesInIdOrder();
  const b = target.nodesInIdOrder();
  const aIds = base.graph.nodeId;
  const bIds = target.graph.nodeId;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const aId = i < a.length ? aIds[a[i]] : Infinity;
    const bId = j < b.length ? bIds[b[j]] : Infinity;
    if (aId === bId) {
      i++;
      j++;
    } else if (aId < bId) {
      const delta = deltaFor(base, a[i]);
      if (delta) {
        delta.removedCount++;
        delta.removedSize += base.selfSize[a[i]];
      }
      i++;
    } else {
      const delta = deltaFor(target, b[j]);
      if (delta) {
        delta.addedCount++;
        delta.addedSize += target.selfSize[b[j]];
      }
      j++;
    }
  }
  const classes = [...deltas.values()];
  for (const delta of classes) {
    delta.countDelta = delta.addedCount - delta.removedCount;
    delta.sizeDelta = delta.addedSize - delta.removedSize;
  }
  classes.sort((x, y) => y.sizeDelta - x.sizeDelta || y.countDelta - x.countDelta || (x.key < y.key ? -1 : 1));
  return { base: base.summary(), target: target.summary(), classes };
}
