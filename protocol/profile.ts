/**
 * Allocation flame trees for the flame-graph view; the one definition of these shapes
 * (engine/profile re-exports them). A sampling heap profile can be thousands of frames deep, so the checker
 * walks the tree with an explicit stack (no recursion a hostile message could overflow) and caps its size.
 */
import { arrayOf, Check, count, LIMITS, literal, num, object, ProtocolError, str } from './validate';

export interface FlameNode {
  /** The profile's node id (unique in the tree). */
  id: number;
  /** Function name; '(anonymous)' for unnamed functions, V8's own names for '(root)', '(V8 API)', '(GC)'… */
  name: string;
  /** Script URL or path; '' for V8 and native frames. */
  url: string;
  /** 1-based line and column of the function's start, 0 when unknown (editors count from 1; CDP from 0). */
  line: number;
  column: number;
  /** Bytes sampled in this frame itself, and in it plus its callees. */
  selfBytes: number;
  totalBytes: number;
  /** Number of samples taken in this frame itself. */
  selfSamples: number;
  /** Children, largest totalBytes first. */
  children: FlameNode[];
}

/**
 * `live`: objects still alive when the profile was read (pprof's inuse_space); `total`: every
 * sampled allocation, collected or not (alloc_space). The .heapprofile file does not record which:
 * the capturer says.
 */
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

/**
 * One frame without its children. The hot path of a 100k-frame profile: plain comparisons and no
 * path strings; only when a frame fails does the field-by-field checker run again to name the field.
 */
function checkFrame(value: unknown, base: string, frame: number): FlameNode {
  const v = value as Record<string, unknown> | null;
  if (
    typeof v === 'object' && v !== null &&
    isCount(v.id) && typeof v.name === 'string' && typeof v.url === 'string' && v.name.length <= LIMITS.stringLength &&
    v.url.length <= LIMITS.stringLength && isCount(v.line) && isCount(v.column) && isFiniteNumber(v.selfBytes) &&
    isFiniteNumber(v.totalBytes) && isCount(v.selfSamples)
  ) {
    return { id: v.id, name: v.name, url: v.url, line: v.line, column: v.column, selfBytes: v.selfBytes, totalBytes: v.totalBytes, selfSamples: v.selfSamples, children: [] };
  }
  checkFrameFields(value, framePath(base, frame));
  throw new ProtocolError(framePath(base, frame), 'a flame frame');
}

function framePath(base: string, frame: number): string {
  return frame === 0 ? base : `${base}.frames[${frame}]`;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Validates a whole flame tree iteratively; returns a fresh tree holding only checked fields.
 * Frames are named by their pre-order number in error paths (`…frames[1234]`): a path spelled out
 * from the root would cost time proportional to the depth for every frame.
 */
export const checkFlameNode: Check<FlameNode> = (value, path) => {
  const root = checkFrame(value, path, 0);
  const stack: { source: unknown; target: FlameNode; frame: number; depth: number }[] = [{ source: value, target: root, frame: 0, depth: 0 }];
  let nodes = 1;
  while (stack.length > 0) {
    const { source, target, frame, depth } = stack.pop()!;
    const children = (source as { children?: unknown }).children;
    if (!Array.isArray(children)) throw new ProtocolError(`${framePath(path, frame)}.children`, 'an array');
    if (children.length > 0 && depth + 1 > FLAME_LIMITS.depth) throw new ProtocolError(framePath(path, frame), `a tree at most ${FLAME_LIMITS.depth} deep`);
    if (nodes + children.length > FLAME_LIMITS.nodes) throw new ProtocolError(path, `a tree of at most ${FLAME_LIMITS.nodes} frames`);
    for (const child of children) {
      const checked = checkFrame(child, path, nodes);
      target.children.push(checked);
      stack.push({ source: child, target: checked, frame: nodes++, depth: depth + 1 });
    }
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
