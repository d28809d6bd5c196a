/**
 * A flame tree flattened for drawing: frames in depth-first pre-order in typed arrays, each with
 * its depth, its byte offset within the root (x), its total and self bytes, and the index just past
 * its subtree — so the renderer can skip a whole subtree that is off-screen or thinner than a pixel
 * in one step. Built once per profile; 100k frames cost a few MB.
 */
import { FlameNode, FlameTree } from '../../protocol/profile';

export interface FlameLayout {
  count: number;
  maxDepth: number;
  depth: Uint16Array;
  /** Bytes from the root's left edge to the frame's left edge. */
  start: Float64Array;
  total: Float64Array;
  self: Float64Array;
  /** Index of the first frame after this one's subtree. */
  end: Uint32Array;
  parent: Int32Array;
  /** The frames themselves, for names, urls and ids. */
  nodes: FlameNode[];
  /** Stable colour bucket per function name (0..359). */
  hue: Uint16Array;
}

export function layoutFlameTree(tree: FlameTree): FlameLayout {
  const count = countNodes(tree.root);
  const layout: FlameLayout = {
    count,
    maxDepth: 0,
    depth: new Uint16Array(count),
    start: new Float64Array(count),
    total: new Float64Array(count),
    self: new Float64Array(count),
    end: new Uint32Array(count),
    parent: new Int32Array(count),
    nodes: new Array<FlameNode>(count),
    hue: new Uint16Array(count),
  };
  const hues = new Map<string, number>();
  // Pre-order walk with an explicit stack (real stacks can be thousands of frames deep), in
  // parallel arrays so 100k frames allocate nothing per frame.
  const nodes: FlameNode[] = [tree.root];
  const starts: number[] = [0];
  const parents: number[] = [-1];
  const depths: number[] = [0];
  let next = 0;
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const start = starts.pop()!;
    const depth = depths.pop()!;
    const i = next++;
    layout.nodes[i] = node;
    layout.depth[i] = Math.min(depth, 0xffff);
    layout.start[i] = start;
    layout.total[i] = node.totalBytes;
    layout.self[i] = node.selfBytes;
    layout.parent[i] = parents.pop()!;
    layout.hue[i] = hueOf(node.name, hues);
    if (depth > layout.maxDepth) layout.maxDepth = depth;
    // Children are laid left to right from the parent's left edge (its self bytes show on the
    // right), largest first; pushed last-first so the pre-order stays left to right.
    const children = node.children;
    let right = start;
    for (const child of children) right += child.totalBytes;
    for (let c = children.length - 1; c >= 0; c--) {
      right -= children[c].totalBytes;
      nodes.push(children[c]);
      starts.push(right);
      parents.push(i);
      depths.push(depth + 1);
    }
  }
  // A frame's subtree ends where its size says: sizes summed bottom-up over the pre-order.
  const size = new Uint32Array(count).fill(1);
  for (let i = count - 1; i > 0; i--) size[layout.parent[i]] += size[i];
  for (let i = 0; i < count; i++) layout.end[i] = i + size[i];
  return layout;
}

function countNodes(root: FlameNode): number {
  let count = 0;
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    count++;
    for (const child of node.children) stack.push(child);
  }
  return count;
}

function hueOf(name: string, cache: Map<string, number>): number {
  let hue = cache.get(name);
  if (hue === undefined) {
    let hash = 0;
    for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) | 0;
    // Warm hues (red..yellow) like classic flame graphs; V8 and native frames get a cool blue.
    hue = name.startsWith('(') ? 210 : Math.abs(hash) % 55;
    cache.set(name, hue);
  }
  return hue;
}

/** Index of the frame under (bytes, depth), or -1; walks down from the root, skipping subtrees. */
export function frameAt(layout: FlameLayout, bytes: number, depth: number): number {
  let i = 0;
  if (layout.count === 0 || bytes < 0 || bytes >= layout.total[0]) return -1;
  while (i < layout.count) {
    if (layout.depth[i] === depth) return i;
    // Find the child containing `bytes`.
    let child = i + 1;
    let found = -1;
    while (child < layout.end[i]) {
      if (bytes >= layout.start[child] && bytes < layout.start[child] + layout.total[child]) {
        found = child;
        break;
      }
      child = layout.end[child];
    }
    if (found < 0) return -1;
    i = found;
  }
  return -1;
}
