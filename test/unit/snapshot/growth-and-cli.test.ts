// Comparison, growth across snapshots and leak suspects on a real leaky program, through the
// engine API, the worker client and the CLI (exit codes included).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CancelledError, InputError } from '../../../engine/errors';
import {
  compareSnapshots, findGrowth, findLeakSuspects, loadSnapshot, SnapshotWorkerClient, type HeapSnapshot,
} from '../../../engine/snapshot';
import { LEAKY_PROGRAM } from './leaky-program';
import { scratchDir, writeRealSnapshots } from './real-snapshots';

const run = promisify(execFile);
const cli = path.resolve(__dirname, '..', '..', '..', 'cli', 'main.js');
const workerPath = path.resolve(__dirname, '..', '..', '..', 'engine', 'snapshot', 'worker.js');

async function cliRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('comparison, growth and suspects across snapshots of a leaky program', function () {
  this.timeout(120_000);
  let files: string[];
  let snapshots: HeapSnapshot[];
  let holder: { cache: number; seen: number; list: number; bag: number };

  before(async () => {
    files = writeRealSnapshots('growth', LEAKY_PROGRAM);
    snapshots = [];
    for (const file of files) snapshots.push(await loadSnapshot(file));
    // The ids of the four collections, read from the holder object's properties in the last snapshot.
    const last = snapshots[2];
    const holderIndex = (() => {
      for (let n = 0; n < last.nodeCount; n++) {
        const names = last.edgesOf(n, 0, 100).items.map((e) => e.edgeName);
        if (['cache', 'seen', 'list', 'bag', 'onTick'].every((name) => names.includes(name))) return n;
      }
      throw new Error('no leakyHolder object');
    })();
    const edges = last.edgesOf(holderIndex, 0, 100).items;
    const idOf = (name: string): number => edges.find((e) => e.edgeName === name)?.node.id as number;
    holder = { cache: idOf('cache'), seen: idOf('seen'), list: idOf('list'), bag: idOf('bag') };
  });

  it('compares by class, matching objects by id', () => {
    const comparison = compareSnapshots(snapshots[0], snapshots[2]);
    const entries = comparison.classes.find((c) => c.name === 'LeakyEntry');
    assert.ok(entries);
    assert.equal(entries.addedCount, 1000);
    assert.equal(entries.removedCount, 0);
    assert.equal(entries.countDelta, 1000);
    assert.ok(entries.sizeDelta > 0);
    assert.equal(comparison.target.nodeCount, snapshots[2].nodeCount);
  });

  it('finds the Map, Set, Array and object that grew at every step', () => {
    const growth = findGrowth(snapshots);
    const expectations: Array<[keyof typeof holder, string, number[]]> = [
      ['cache', 'Map', [500, 1000, 1500]],
      ['seen', 'Set', [500, 1000, 1500]],
      ['list', 'Array', [500, 1000, 1500]],
      ['bag', 'Object', [500, 1000, 1500]],
    ];
    for (const [name, kind, counts] of expectations) {
      const found = growth.find((g) => g.id === holder[name]);
      assert.ok(found, `${name} (${kind}) reported`);
      assert.equal(found.kind, kind);
      if (kind === 'Map' || kind === 'Set') {
        // Entries, not references: a Map entry's key and value are two edges but one entry.
        assert.deepEqual(found.counts, counts);
      } else {
        assert.ok(found.counts.every((c, i) => c >= counts[i]), `${name}: ${found.counts}`);
      }
      assert.equal(found.path[found.path.length - 1].node.id, holder[name], 'path ends at the collection');
    }
    assert.deepEqual(findGrowth(snapshots.slice(0, 1)), [], 'one snapshot cannot show growth');
  });

  it('reports leak suspects with paths from a GC root', () => {
    const suspects = findLeakSuspects(snapshots[2], findGrowth(snapshots));
    const group = suspects.find((s) => s.kind === 'class-group' && s.className === 'LeakyEntry');
    assert.ok(group, 'the LeakyEntry instances together');
    assert.equal(group.count, 1500);
    const grown = suspects.filter((s) => s.kind === 'grown-collection').map((s) => s.node.id);
    assert.ok(grown.includes(holder.cache) && grown.includes(holder.list), 'grown collections');
    for (const suspect of suspects) {
      assert.ok(suspect.path.length > 0, `${suspect.title} has a path`);
      assert.equal(suspect.path[suspect.path.length - 1].node.index, suspect.node.index);
      assert.ok(suspect.share > 0 && suspect.share <= 1);
    }
  });

  it('answers the same queries from a worker thread', async () => {
    const client = await SnapshotWorkerClient.open(files[2], { workerPath });
    try {
      const local = snapshots[2];
      assert.deepEqual(await client.topRetained(20), local.topRetained(20));
      assert.deepEqual(await client.aggregates(), local.aggregates());
      const row = local.aggregates().find((r) => r.name === 'LeakyEntry');
      assert.deepEqual(await client.instances(row?.key as string, 10, 10), local.instances(row?.key as string, 10, 10));
      assert.deepEqual(await client.dominatorChildren(local.root, 0, 5), local.dominatorChildren(local.root, 0, 5));
      const comparison = await client.compareWith(files[0]);
      assert.equal(comparison.classes.find((c) => c.name === 'LeakyEntry')?.addedCount, 1000);
      const growth = await client.growthAcross(files.slice(0, 2));
      assert.ok(growth.some((g) => g.id === holder.cache));
      await assert.rejects(client.node(-1), InputError);
    } finally {
      await client.close();
    }
    await assert.rejects(client.node(0), CancelledError, 'closed');
  });

  it('worker: progress, cancellation and bad input', async () => {
    const phases = new Set<string>();
    const client = await SnapshotWorkerClient.open(files[0], { workerPath, onProgress: (p) => phases.add(p.phase) });
    await client.close();
    assert.deepEqual([...phases].sort(), ['analyse', 'parse']);
    const controller = new AbortController();
    const opening = SnapshotWorkerClient.open(files[1], { workerPath, signal: controller.signal });
    controller.abort();
    await assert.rejects(opening, CancelledError);
    await assert.rejects(SnapshotWorkerClient.open(path.join(scratchDir(), 'missing.heapsnapshot'), { workerPath }), (error: unknown) =>
      error instanceof InputError && /no such file/.test(error.message));
  });

  it('CLI: analyze --json shape, --fail-on-suspects, diff --json and --fail-on-growth', async () => {
    const analyzed = await cliRun(['analyze', files[2], '--json']);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    const json = JSON.parse(analyzed.stdout) as { node_count: number; top_retained: Array<{ retained_size: number; id: number }>; top_aggregates: unknown[]; suspects: unknown[] };
    assert.equal(json.node_count, snapshots[2].nodeCount);
    assert.equal(json.top_retained.length, 50);
    assert.equal(json.top_aggregates.length, 30);
    assert.ok(json.top_retained.every((r, i, all) => i === 0 || all[i - 1].retained_size > r.retained_size ||
      (all[i - 1].retained_size === r.retained_size && all[i - 1].id < r.id)));
    assert.ok(json.suspects.length > 0);
    assert.equal((await cliRun(['analyze', files[2], '--fail-on-suspects'])).code, 1);
    const human = await cliRun(['analyze', files[2], '--top', '5']);
    assert.match(human.stdout, /Top 5 classes/);
    assert.match(human.stdout, /LeakyEntry/);

    const diffed = await cliRun(['diff', ...files, '--json']);
    assert.equal(diffed.code, 0, diffed.stderr);
    const diff = JSON.parse(diffed.stdout) as { growth: Array<{ id: number }>; comparison: { classes: Array<{ name: string; countDelta: number }> } };
    assert.ok(diff.growth.some((g) => g.id === holder.list));
    assert.equal(diff.comparison.classes.find((c) => c.name === 'LeakyEntry')?.countDelta, 1000);
    assert.equal((await cliRun(['diff', ...files, '--fail-on-growth'])).code, 1);
    assert.equal((await cliRun(['diff', files[0]])).code, 2, 'one file is not enough');
    assert.equal((await cliRun(['analyze', files[0], '--top', 'many'])).code, 2);
  });
});
