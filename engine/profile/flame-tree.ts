/** From a sampling heap profile to a flame tree and a per-function cost table. */
import type { Protocol } from 'devtools-protocol';
import { InputError } from '../errors';
import type { FlameNode, FlameTree, FunctionCost, ProfileMode } from './types';

type ProfileNode = Protocol.HeapProfiler.SamplingHeapProfileNode;

/** Deeper than this is a malformed (or hostile) file, not a real stack. */
const MAX_DEPTH = 10_000;

export function buildFlameTree(profile: Protocol.HeapProfiler.SamplingHeapProfile, mode: ProfileMode = 'unknown'): FlameTree {
  const samplesPerNode = new Map<number, number>();
  for (const sample of profile.samples ?? []) samplesPerNode.set(sample.nodeId, (samplesPerNode.get(sample.nodeId) ?? 0) + 1);
  let nodeCount = 0;

  // Iterative post-order walk: real stacks can be thousands of frames deep.
  const convert = (head: ProfileNode): FlameNode => {
    const make = (node: ProfileNode): FlameNode => {
      nodeCount++;
      const frame = node.callFrame;
      return {
        id: node.id,
        name: frame.functionName || (frame.url ? '(anonymous)' : '(root)'),
        url: frame.url,
        line: frame.lineNumber >= 0 ? frame.lineNumber + 1 : 0,
        column: frame.columnNumber >= 0 ? frame.columnNumber + 1 : 0,
        selfBytes: node.selfSize,
        totalBytes: node.selfSize,
        selfSamples: samplesPerNode.get(node.id) ?? 0,
        children: [],
      };
    };
    const root = make(head);
    const stack: { source: ProfileNode; target: FlameNode; next: number }[] = [{ source: head, target: root, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.source.children.length) {
        if (stack.length > MAX_DEPTH) throw new InputError(`heap profile call tree is deeper than ${MAX_DEPTH} frames`);
        const source = top.source.children[top.next++];
        const target = make(source);
        top.target.children.push(target);
        stack.push({ source, target, next: 0 });
      } else {
        stack.pop();
        top.target.children.sort((a, b) => b.totalBytes - a.totalBytes);
        const parent = stack[stack.length - 1];
        if (parent) parent.target.totalBytes += top.target.totalBytes;
      }
    }
    return root;
  };

  const root = convert(profile.head);
  return { root, mode, totalBytes: root.totalBytes, sampleCount: profile.samples?.length ?? 0, nodeCount };
}

/** Functions by self bytes (largest first), each summed over all its stacks. */
export function topFunctions(tree: FlameTree, limit = 20): FunctionCost[] {
  const costs = new Map<string, FunctionCost>();
  const onStack = new Map<string, number>();
  const walk: { node: FlameNode; leaving: boolean }[] = [{ node: tree.root, leaving: false }];
  while (walk.length) {
    const { node, leaving } = walk.pop() as { node: FlameNode; leaving: boolean };
    const key = `${node.name}\u0000${node.url}\u0000${node.line}\u0000${node.column}`;
    if (leaving) {
      onStack.set(key, (onStack.get(key) ?? 1) - 1);
      continue;
    }
    let cost = costs.get(key);
    if (!cost) {
      cost = { name: node.name, url: node.url, line: node.line, column: node.column, selfBytes: 0, totalBytes: 0 };
      costs.set(key, cost);
    }
    cost.selfBytes += node.selfBytes;
    // A recursive call's bytes are already inside the outer call's total.
    if (!onStack.get(key)) cost.totalBytes += node.totalBytes;
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    walk.push({ node, leaving: true });
    for (const child of node.children) walk.push({ node: child, leaving: false });
  }
  return [...costs.values()]
    .filter((c) => c.selfBytes > 0)
    .sort((a, b) => b.selfBytes - a.selfBytes)
    .slice(0, limit);
}
