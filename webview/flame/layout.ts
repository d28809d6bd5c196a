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
  // Explicit stack: real stacks can be thousands of frames deep. Entries with `exit` close a subtree.
  const stack: { node: FlameNode; depth: number; start: number; parent: number; exit?: number }[] = [{ node: tree.root, depth: 0, start: 0, parent: -1 }];
  let next = 0;
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item.exit !== undefined) {
      layout.end[item.exit] = next;
      continue;
    }
    const i = next++;
    const { node, depth } = item;
    layout.nodes[i] = node;
    layout.depth[i] = Math.min(depth, 0xffff);
    layout.start[i] = item.start;
    layout.total[i] = node.totalBytes;
    layout.self[i] = node.selfBytes;
    layout.parent[i] = item.parent;
    layout.hue[i] = hueOf(node.name, hues);
    if (depth > layout.maxDepth) layout.maxDepth = depth;
    stack.push({ node, depth, start: item.start, parent: item.parent, exit: i });
    // Children are laid left to right from the parent's left edge (its self bytes show on the right),
    // largest first; pushed reversed so the pre-order stays left to right.
    let x = item.start;
    const placed = node.children.map((child) => {
      const at = x;
      x += child.totalBytes;
      return { node: child, depth: depth + 1, start: at, parent: i };
    });
    for (let c = placed.length - 1; c >= 0; c--) stack.push(placed[c]);
  }
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
