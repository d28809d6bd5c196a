import type { RawGraph } from './reader';

/**
 * Location entries in node order, for binary search and for walking them alongside the nodes.
 * V8 does not always write them sorted. Ties keep entry order, so that for duplicate entries the
 * last one wins (as in DevTools).
 */
export function sortLocations(locations: RawGraph['locations']): Uint32Array {
  const nodes = locations.node;
  const count = nodes.length;
  const order = new Uint32Array(count);
  let sorted = true;
  for (let i = 0; i < count; i++) {
    order[i] = i;
    if (i > 0 && nodes[i] < nodes[i - 1]) sorted = false;
  }
  if (sorted) return order;
  // (node, entry) pairs packed into one float each: a native numeric sort, no comparator.
  const packed = new Float64Array(count);
  for (let i = 0; i < count; i++) packed[i] = nodes[i] * count + i;
  packed.sort();
  for (let i = 0; i < count; i++) order[i] = packed[i] % count;
  return order;
}

/** Index of the node's entry in the locations (the last one if several), or -1. */
export function findLocation(locations: RawGraph['locations'], order: Uint32Array, node: number): number {
  const nodes = locations.node;
  let lo = 0;
  let hi = order.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = nodes[order[mid]];
    if (value < node) lo = mid + 1;
    else if (value > node) hi = mid - 1;
    else {
      found = order[mid];
      lo = mid + 1;
    }
  }
  return found;
}
