// The engine on snapshots written by real Node 20, 22 and 24 processes: formats, classes, source
// locations, lazy queries (a page at a time) and the dominator-tree invariants they rely on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HeapSnapshot, loadSnapshot } from '../../../engine/snapshot';
import { computeDominators } from '../../../engine/snapshot/dominators';
import { dominatorsInWorker } from '../../../engine/snapshot/dominators-thread';
import { EphemeronNames, essentialEdges, pageOwnedNodes } from '../../../engine/snapshot/essential-edges';
import { edgeKinds, nodeKinds } from '../../../engine/snapshot/kinds';
import { readSnapshotFile } from '../../../engine/snapshot/reader';
import type { NodeMajor } from '../../oracle/node-versions';
import { LEAKY_PROGRAM, programLine } from './leaky-program';
import { writeRealSnapshots } from './real-snapshots';

function findNode(s: HeapSnapshot, type: string, name: string): number {
  for (let n = 0; n < s.nodeCount; n++) if (s.typeName(n) === type && s.rawName(n) === name) return n;
  throw new Error(`no ${type} ${name}`);
}

for (const major of [20, 22, 24] as NodeMajor[]) {
  describe(`snapshots written by Node ${major}`, function () {
    this.timeout(120_000);
    let file: string;
    let snapshot: HeapSnapshot;

    before(async () => {
      file = writeRealSnapshots('leaky', LEAKY_PROGRAM, major)[2];
      snapshot = await loadSnapshot(file);
    });

    it('reads the layout from snapshot.meta: counts match the arrays', () => {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { snapshot: { meta: { node_fields: string[]; edge_fields: string[] } }; nodes: number[]; edges: number[] };
      assert.equal(snapshot.nodeCount, parsed.nodes.length / parsed.snapshot.meta.node_fields.length);
      assert.equal(snapshot.edgeCount, parsed.edges.length / parsed.snapshot.meta.edge_fields.length);
      if (major === 24) assert.equal(parsed.snapshot.meta.node_fields.length, 6, 'Node 24 writes 6 node fields');
    });

    it('groups the program\'s objects into its class', () => {
      const row = snapshot.aggregates().find((r) => r.name === 'LeakyEntry');
      assert.ok(row, 'a LeakyEntry row');
      assert.equal(row.count, 1500);
      const page = snapshot.instances(row.key, 0, 100);
      assert.equal(page.total, 1500);
      assert.equal(page.items.length, 100);
      assert.ok(page.items.every((n) => n.className === 'LeakyEntry'));
      const rest = snapshot.instances(row.key, 1400, 500);
      assert.equal(rest.items.length, 100, 'the last page is short');
    });

    it('knows where a closure was defined', () => {
      const closure = findNode(snapshot, 'closure', 'tickHandler');
      const location = snapshot.sourceLocation(closure);
      assert.ok(location, 'a location');
      assert.equal(location.line, programLine('function tickHandler'));
      assert.equal(location.scriptName, '[eval]');
    });

    it('retained size = self size + children\'s retained sizes, children a page at a time, biggest first', () => {
      const holder = snapshot.nodeIndexById(snapshot.node(findNode(snapshot, 'object', 'LeakyEntry')).id);
      for (const n of [snapshot.root, findNode(snapshot, 'object', 'Map'), holder as number]) {
        let sum = snapshot.selfSize[n];
        let previous = Infinity;
        let offset = 0;
        for (;;) {
          const page = snapshot.dominatorChildren(n, offset, 7);
          for (const child of page.items) {
            assert.ok(child.retainedSize <= previous, 'sorted by retained size');
            previous = child.retainedSize;
            sum += child.retainedSize;
          }
          offset += page.items.length;
          if (offset >= page.total) break;
        }
        assert.equal(sum, snapshot.retainedSize[n]);
      }
    });

    it('retainers and the path to a GC root follow real edges', () => {
      const entry = findNode(snapshot, 'object', 'LeakyEntry');
      const retainers = snapshot.retainers(entry, 0, 50);
      assert.ok(retainers.total >= 4, 'held by the Map, the Set, the array and the object');
      for (const r of retainers.items) {
        const out = snapshot.edgesOf(r.node.index, 0, 1e6).items;
        assert.ok(out.some((e) => e.node.index === entry && e.edgeName === r.edgeName), `${r.node.name} -> entry`);
      }
      const path = snapshot.pathToRoot(entry);
      assert.equal(path[path.length - 1].node.index, entry);
      let from = snapshot.root;
      for (const step of path) {
        assert.ok(snapshot.edgesOf(from, 0, 1e6).items.some((e) => e.node.index === step.node.index && e.edgeType !== 'weak'), `edge ${step.edgeName}`);
        from = step.node.index;
      }
      assert.ok(path.some((step) => step.edgeName === 'leakyHolder'), 'through globalThis.leakyHolder');
    });

    it('computes the same dominator tree on the helper thread as in this one', async () => {
      const workerPath = path.resolve(__dirname, '..', '..', '..', 'engine', 'snapshot', 'worker.js');
      const graph = await readSnapshotFile(file);
      const edges = edgeKinds(graph.edgeTypeNames);
      const essential = essentialEdges(graph, edges, snapshot.root, pageOwnedNodes(graph, nodeKinds(graph.nodeTypeNames), edges, snapshot.root), new EphemeronNames(graph.strings));
      const here = computeDominators(graph, essential, snapshot.root);
      const there = await dominatorsInWorker(graph, essential, snapshot.root, workerPath);
      assert.deepEqual([...there.dominator], [...here.dominator]);
      assert.deepEqual([...there.order], [...here.order]);
      assert.deepEqual([...here.dominator], [...snapshot.dominator]);
    });

    it('parses half of the edges on a helper thread to the same graph', async () => {
      const workerPath = path.resolve(__dirname, '..', '..', '..', 'engine', 'snapshot', 'worker.js');
      const one = await readSnapshotFile(file);
      const two = await readSnapshotFile(file, { workerPath, chunkSize: 65536, split: { minFileBytes: 0, sampleBytes: 65536 } });
      assert.ok(two.rowsFromHelper > 0, 'the helper parsed part of the edges');
      assert.ok(two.rowsFromHelper < two.edgeCount);
      assert.equal(one.rowsFromHelper, 0);
      assert.deepEqual([...two.edgeTo], [...one.edgeTo]);
      assert.deepEqual([...two.edgeName], [...one.edgeName]);
      assert.deepEqual([...two.edgeType], [...one.edgeType]);
      assert.deepEqual(two.strings, one.strings);
    });

    it('gives the same answers when every read is cut at an odd place', async () => {
      const cut = await HeapSnapshot.analyse(await readSnapshotFile(file, { chunkSize: 65521 }));
      assert.deepEqual(cut.topRetained(50), snapshot.topRetained(50));
      assert.deepEqual(cut.aggregates(), snapshot.aggregates());
    });

    it('finds nodes by id', () => {
      for (const n of [0, 1, snapshot.nodeCount >> 1, snapshot.nodeCount - 1]) {
        assert.equal(snapshot.nodeIndexById(snapshot.node(n).id), n);
      }
      assert.equal(snapshot.nodeIndexById(2), undefined, 'V8 ids of heap objects are odd');
    });
  });
}
