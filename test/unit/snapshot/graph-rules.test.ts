// DevTools' graph rules on hand-made snapshots small enough to work out by hand, and the dominator
// algorithm against a brute-force definition on random graphs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadSnapshot, type HeapSnapshot } from '../../../engine/snapshot';
import { scratchDir } from './real-snapshots';
import * as fs from 'node:fs';
import { snapshotText, writeSyntheticSnapshot, type SyntheticEdge, type SyntheticNode } from './synthetic-snapshot';

let fileCount = 0;
async function load(nodes: SyntheticNode[], edges: SyntheticEdge[]): Promise<HeapSnapshot> {
  return loadSnapshot(writeSyntheticSnapshot(path.join(scratchDir(), `rules-${fileCount++}.heapsnapshot`), nodes, edges));
}

function byName(snapshot: HeapSnapshot, name: string): number {
  for (let n = 0; n < snapshot.nodeCount; n++) if (snapshot.rawName(n) === name) return n;
  throw new Error(`no node ${name}`);
}

/** root -> (GC roots), root =shortcut=> global: the skeleton of every Node snapshot. */
const ROOT: SyntheticNode[] = [
  { type: 'synthetic', name: '', size: 0 },
  { type: 'synthetic', name: '(GC roots)', size: 0 },
  { type: 'object', name: 'global', size: 8 },
];
const ROOT_EDGES: SyntheticEdge[] = [
  { from: 0, to: 1, type: 'element', name: 1 },
  { from: 0, to: 2, type: 'shortcut', name: 'global' },
];

describe('snapshot graph rules (DevTools semantics)', function () {
  this.timeout(30_000);
  it('weak edges do not retain; strong ones do', async () => {
    const s = await load(
      [...ROOT, { type: 'object', name: 'A', size: 100 }, { type: 'object', name: 'B', size: 10 }, { type: 'object', name: 'C', size: 5 }],
      [...ROOT_EDGES,
        { from: 2, to: 3, type: 'property', name: 'a' }, { from: 2, to: 4, type: 'property', name: 'b' },
        { from: 2, to: 5, type: 'weak', name: 'weakC' },
        { from: 4, to: 3, type: 'weak', name: 'weakA' }, { from: 4, to: 5, type: 'property', name: 'c' }],
    );
    const b = s.node(byName(s, 'B'));
    assert.equal(b.retainedSize, 15, 'B retains C (strong) but not A (weak)');
    assert.equal(s.node(byName(s, 'global')).retainedSize, 8 + 100 + 15);
    assert.deepEqual(s.retainers(byName(s, 'A'), 0, 10).items.map((r) => r.edgeType).sort(), ['property', 'weak']);
  });

  it('a shortcut edge below the root does not dominate', async () => {
    const s = await load(
      [...ROOT, { type: 'object', name: 'X', size: 50 }, { type: 'object', name: 'Y', size: 1 }],
      [...ROOT_EDGES,
        { from: 2, to: 3, type: 'shortcut', name: 'x' }, { from: 2, to: 4, type: 'property', name: 'y' },
        { from: 4, to: 3, type: 'property', name: 'x' }],
    );
    assert.equal(s.node(byName(s, 'Y')).retainedSize, 51);
  });

  it('the WeakMap table -> value edge does not dominate; the key does', async () => {
    const tableId = 101;
    const pair = (index: number): string => `${index} / part of key (K @103) -> value (V @105) pair in WeakMap (table @${tableId})`;
    const s = await load(
      [...ROOT,
        { type: 'hidden', name: 'system / EphemeronHashTable', id: tableId, size: 30 },
        { type: 'object', name: 'K', id: 103, size: 4 },
        { type: 'object', name: 'V', id: 105, size: 200 },
        { type: 'object', name: 'WeakMap', id: 107, size: 16 }],
      [...ROOT_EDGES,
        { from: 2, to: 6, type: 'property', name: 'wm' }, { from: 2, to: 4, type: 'property', name: 'key' },
        { from: 6, to: 3, type: 'internal', name: 'table' },
        { from: 3, to: 5, type: 'internal', name: pair(1) },
        { from: 4, to: 5, type: 'internal', name: pair(1) }],
    );
    const key = byName(s, 'K');
    assert.equal(s.node(key).retainedSize, 204, 'the key retains the value');
    assert.deepEqual(s.dominatorChildren(key, 0, 10).items.map((n) => n.name), ['V']);
  });

  it('objects outside the global object do not dominate into it', async () => {
    // S hangs off (GC roots) only; P is reachable from the global through Q and from S.
    const s = await load(
      [...ROOT, { type: 'object', name: 'S', size: 1 }, { type: 'object', name: 'Q', size: 2 }, { type: 'object', name: 'P', size: 70 }],
      [...ROOT_EDGES,
        { from: 1, to: 3, type: 'element', name: 0 },
        { from: 3, to: 5, type: 'property', name: 'p' },
        { from: 2, to: 4, type: 'property', name: 'q' },
        { from: 4, to: 5, type: 'property', name: 'p' }],
    );
    assert.equal(s.node(byName(s, 'Q')).retainedSize, 72, 'Q dominates P: the edge S -> P does not count');
    assert.equal(s.node(byName(s, 'S')).retainedSize, 1);
  });

  it('moves a single-owner internal array onto its owner, not a shared one', async () => {
    const s = await load(
      [...ROOT,
        { type: 'object', name: 'Holder', size: 40 }, { type: 'array', name: '(object elements)', size: 1000 },
        { type: 'object', name: 'One', size: 8 }, { type: 'object', name: 'Two', size: 8 }, { type: 'array', name: 'shared', size: 300 }],
      [...ROOT_EDGES,
        { from: 2, to: 3, type: 'property', name: 'h' }, { from: 3, to: 4, type: 'internal', name: 'elements' },
        { from: 2, to: 5, type: 'property', name: 'one' }, { from: 2, to: 6, type: 'property', name: 'two' },
        { from: 5, to: 7, type: 'internal', name: 'x' }, { from: 6, to: 7, type: 'internal', name: 'x' }],
    );
    assert.equal(s.node(byName(s, 'Holder')).selfSize, 1040);
    assert.equal(s.node(byName(s, '(object elements)')).selfSize, 0);
    assert.equal(s.node(byName(s, 'shared')).selfSize, 300);
    assert.equal(s.summary().totalShallowSize, 8 + 40 + 1000 + 8 + 8 + 300, 'moving sizes keeps the total');
  });

  it('names plain objects by common property sets and counts a class once along a dominator chain', async () => {
    const s = await load(
      [...ROOT,
        { type: 'object', name: 'Object', size: 10 }, { type: 'object', name: 'Object', size: 10 },
        { type: 'object', name: 'Object', size: 10 }, { type: 'object', name: 'Object', size: 10 },
        { type: 'object', name: 'Node', size: 20 }, { type: 'object', name: 'Node', size: 20 },
        { type: 'closure', name: 'f', size: 32 }],
      [...ROOT_EDGES,
        ...[3, 4, 5].flatMap((o): SyntheticEdge[] => [
          { from: 2, to: o, type: 'element', name: o },
          { from: o, to: 9, type: 'property', name: 'a' }, { from: o, to: 9, type: 'property', name: 'b' }]),
        { from: 2, to: 6, type: 'property', name: 'lonely' }, { from: 6, to: 9, type: 'property', name: 'c' },
        { from: 2, to: 7, type: 'property', name: 'head' }, { from: 7, to: 8, type: 'property', name: 'next' }],
    );
    const rows = new Map(s.aggregates().map((row) => [row.name, row]));
    assert.equal(rows.get('{a, b}')?.count, 3);
    assert.equal(rows.get('Object')?.count, 1);
    assert.equal(rows.get('Function')?.count, 1, 'closures are "Function"');
    assert.equal(rows.get('Node')?.count, 2);
    assert.equal(rows.get('Node')?.retainedSize, 40, 'the inner Node is inside the outer one: counted once');
    assert.equal(s.node(6).name, '{c}');
  });
});

describe('snapshot layout comes from snapshot.meta', function () {
  this.timeout(30_000);
  it('reads fields in any order, skips unknown fields and sections, needs no locations', async () => {
    const nodes: SyntheticNode[] = [...ROOT, { type: 'object', name: 'Big', size: 500 }, { type: 'string', name: 's', size: 20 }];
    const edges: SyntheticEdge[] = [...ROOT_EDGES, { from: 2, to: 3, type: 'property', name: 'big' }, { from: 3, to: 4, type: 'property', name: 's' }];
    const plain = await load(nodes, edges);
    const file = path.join(scratchDir(), 'future.heapsnapshot');
    fs.writeFileSync(file, snapshotText(nodes, edges, {
      extraFields: true, noLocations: true, header: { trace_function_count: 0, extra_native_bytes: 4096 },
      extraSections: '"trace_function_infos":[],"trace_tree":[[1,"x]",[2,{"y":"}"}]]],"samples":[5,6],"future":{"a":[1,"]"]}',
    }));
    const future = await loadSnapshot(file);
    assert.deepEqual(future.topRetained(5), plain.topRetained(5));
    assert.deepEqual(future.aggregates(), plain.aggregates());
    assert.equal(future.summary().extraNativeBytes, 4096);
    assert.equal(future.sourceLocation(3), undefined);
  });
});

describe('dominators on random graphs equal the brute-force definition', function () {
  this.timeout(30_000);
  /** Retained size by definition: what becomes unreachable from the root when the node is removed. */
  function bruteRetained(count: number, edges: Array<[number, number]>, sizes: number[], removed: number): number {
    const seen = new Uint8Array(count);
    const stack = [0];
    seen[0] = 1;
    while (stack.length) {
      const n = stack.pop() as number;
      for (const [from, to] of edges) {
        if (from === n && to !== removed && !seen[to]) {
          seen[to] = 1;
          stack.push(to);
        }
      }
    }
    let lost = 0;
    for (let n = 0; n < count; n++) if (!seen[n] || n === removed) lost += sizes[n];
    return lost;
  }

  for (let seed = 1; seed <= 25; seed++) {
    it(`random graph #${seed}`, async () => {
      let state = seed * 7919;
      const random = (k: number): number => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state % k;
      };
      const count = 6 + random(25);
      const nodes: SyntheticNode[] = [{ type: 'synthetic', name: '', size: 0 }];
      for (let i = 1; i < count; i++) nodes.push({ type: 'object', name: `N${i}`, size: 1 + random(100) });
      const pairs: Array<[number, number]> = [[0, 1]];
      for (let i = 2; i < count; i++) pairs.push([1 + random(i - 1), i]); // everything reachable
      for (let k = random(3 * count); k > 0; k--) pairs.push([1 + random(count - 1), 1 + random(count - 1)]);
      const edges: SyntheticEdge[] = pairs.map(([from, to], i) => ({ from, to, type: from === 0 ? 'shortcut' : 'property', name: `e${i}` }));
      const s = await load(nodes, edges);
      const sizes = nodes.map((n) => n.size);
      const withoutSelfEdges = pairs.filter(([from, to]) => from !== to);
      for (let n = 1; n < count; n++) {
        assert.equal(s.retainedSize[n], bruteRetained(count, withoutSelfEdges, sizes, n), `retained size of N${n}`);
      }
    });
  }
});
