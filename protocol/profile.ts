/**
 * Allocation flame trees for the flame-graph view: plain JSON mirrors of engine/profile/types.ts
 * (structurally identical). A sampling heap profile can be thousands of frames deep, so the checker
 * walks the tree with an explicit stack (no recursion a hostile message could overflow) and caps its size.
 */
import { arrayOf, Check, count, isRecord, literal, num, object, ProtocolError, str } from './validate';

export interface FlameNode {
  /** The profile's node id (unique in the tree). */
  id: number;
  name: string;
  /** Script URL or path; '' for V8 and native frames. */
  url: string;
  /** 1-based line and column of the function's start, 0 when unknown (unlike the 0-based openSource message). */
  line: number;
  column: number;
  selfBytes: number;
  totalBytes: number;
  selfSamples: number;
  /** Largest totalBytes first. */
  children: FlameNode[];
}

/** `live`: objects still alive when read (inuse); `total`: every sampled allocation (alloc). */
export type ProfileMode = 'live' | 'total' | 'unknown';

export interface FlameTree {
  root: FlameNode;
  mode: ProfileMode;
  totalBytes: number;
  sampleCount: number;
  nodeCount: number;
}

export const FLAME_LIMITS = { nodes: 2_000_000, depth: 10_000 } as const;

const checkFrameFields = object<Omit<FlameNode, 'children'>>({
  id: count,
  name: str,
  url: str,
  line: count,
  column: count,
  selfBytes: num,
  totalBytes: num,
  selfSamples: count,
});

/** Validates a whole flame tree iteratively; returns a fresh tree holding only checked fields. */
export const checkFlameNode: Check<FlameNode> = (value, path) => {
  const root: FlameNode = { ...checkFrameFields(value, path), children: [] };
  const stack: { source: unknown; target: FlameNode; path: string; depth: number }[] = [{ source: value, target: root, path, depth: 0 }];
  let nodes = 1;
  while (stack.length > 0) {
    const { source, target, path: at, depth } = stack.pop()!;
    const children = isRecord(source) ? source.children : undefined;
    if (!Array.isArray(children)) throw new ProtocolError(`${at}.children`, 'an array');
    if (children.length > 0 && depth + 1 > FLAME_LIMITS.depth) throw new ProtocolError(at, `a tree at most ${FLAME_LIMITS.depth} deep`);
    nodes += children.length;
    if (nodes > FLAME_LIMITS.nodes) throw new ProtocolError(path, `a tree of at most ${FLAME_LIMITS.nodes} frames`);
    children.forEach((child, i) => {
      const childPath = `${at}.children[${i}]`;
      const checked: FlameNode = { ...checkFrameFields(child, childPath), children: [] };
      target.children.push(checked);
      stack.push({ source: child, target: checked, path: childPath, depth: depth + 1 });
    });
  }
  return root;
};

export const checkFlameTree: Check<FlameTree> = object<FlameTree>({
  root: checkFlameNode,
  mode: literal('live', 'total', 'unknown'),
  totalBytes: num,
  sampleCount: count,
  nodeCount: count,
});

/** One or two trees of the same profile (live and total), for the view's live/total toggle. */
export const checkFlameTrees: Check<FlameTree[]> = arrayOf(checkFlameTree, 2);
