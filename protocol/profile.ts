/**
 * Allocation flame trees for the flame-graph view: a plain JSON mirror of engine/profile's tree.
 * A sampling heap profile can be tens of thousands of frames deep and wide, so the checker walks
 * the tree with an explicit stack (no recursion a hostile message could overflow) and caps its size.
 */
import { Check, count, isRecord, num, object, optional, ProtocolError, str } from './validate';

/** One call frame in the allocation tree. Sizes in bytes; `line`/`column` 0-based as in V8. */
export interface FlameNode {
  name: string;
  url: string;
  line: number;
  column: number;
  /** Bytes allocated by this frame itself. */
  selfSize: number;
  /** Bytes allocated by this frame and everything it called. */
  totalSize: number;
  children: FlameNode[];
}

/**
 * A profile ready to draw. `live` counts only objects still alive when the profile was read;
 * `total` also counts those already collected (pprof's inuse_space vs alloc_space). Either may be
 * absent when the data has only one of them.
 */
export interface FlameProfile {
  title: string;
  live?: FlameNode;
  total?: FlameNode;
}

export const FLAME_LIMITS = { nodes: 2_000_000, depth: 10_000 } as const;

const checkFrameFields = object<Omit<FlameNode, 'children'>>({
  name: str,
  url: str,
  line: count,
  column: count,
  selfSize: num,
  totalSize: num,
});

/** Validates a whole flame tree iteratively; returns a fresh tree holding only checked fields. */
export const checkFlameNode: Check<FlameNode> = (value, path) => {
  const root = { ...checkFrameFields(value, path), children: [] as FlameNode[] };
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
      const checked = { ...checkFrameFields(child, childPath), children: [] as FlameNode[] };
      target.children.push(checked);
      stack.push({ source: child, target: checked, path: childPath, depth: depth + 1 });
    });
  }
  return root;
};

export const checkFlameProfile: Check<FlameProfile> = object<FlameProfile>({
  title: str,
  live: optional(checkFlameNode),
  total: optional(checkFlameNode),
});
