/** Capturing from real targets: heap snapshots streamed to disk, sampling profiles, forced GC, attach by port. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CancelledError } from '../../../engine/errors';
import { connect, discoverTargets, type GcEvent, type SnapshotProgress } from '../../../engine/inspector';
import { buildFlameTree, parseHeapProfile, readHeapProfile, saveHeapProfile } from '../../../engine/profile';
import { delay, killLaunched, launch, PROGRAMS, scratchDir } from './helpers';

describe('capture from a live target', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => (dir = scratchDir()));
  afterEach(async () => {
    await killLaunched();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a heap snapshot to a file with progress, and leaves only the finished file', async () => {
    const program = await launch(join(PROGRAMS, 'cache-leak.js'));
    await delay(1000);
    const progress: SnapshotProgress[] = [];
    const file = join(dir, 'cache.heapsnapshot');
    const result = await program.session.takeHeapSnapshot(file, { onProgress: (p) => progress.push(p) });
    assert.equal(result.path, file);
    assert.deepEqual(readdirSync(dir), ['cache.heapsnapshot']);
    const text = readFileSync(file, 'utf8');
    assert.equal(Buffer.byteLength(text), result.bytes);
    const snapshot = JSON.parse(text) as { snapshot: { node_count: number; meta: { node_fields: string[] } }; nodes: number[] };
    assert.ok(snapshot.snapshot.node_count > 10_000);
    assert.equal(snapshot.nodes.length, snapshot.snapshot.node_count * snapshot.snapshot.meta.node_fields.length);
    assert.ok(progress.length >= 2, 'progress reported');
    const last = progress[progress.length - 1];
    assert.equal(last.done, last.total);
    assert.equal(last.bytesWritten, result.bytes);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].done >= progress[i - 1].done, 'progress never goes back');
  });

  it('cancels a snapshot on request: CancelledError, no file, the session still usable', async () => {
    const program = await launch(join(PROGRAMS, 'cache-leak.js'));
    await delay(1000);
    const cancel = new AbortController();
    await assert.rejects(
      program.session.takeHeapSnapshot(join(dir, 'cancelled.heapsnapshot'), { signal: cancel.signal, onProgress: () => cancel.abort() }),
      (error: Error) => error instanceof CancelledError,
    );
    assert.deepEqual(readdirSync(dir), []);
    const usage = await program.session.send('Runtime.getHeapUsage');
    assert.ok(usage.usedSize > 0);
  });

  it('records live and total sampling profiles, readable while running, saved as .heapprofile', async () => {
    const program = await launch(join(PROGRAMS, 'churn.js'));
    const { session } = program;
    await session.startSampling({ intervalBytes: 128 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await delay(1500);
    const partial = await session.readSampling();
    assert.ok(partial.samples.length > 0, 'samples while running');
    await delay(1500);
    const totalProfile = await session.stopSampling();
    const total = buildFlameTree(totalProfile, 'total');
    assert.ok(totalProfile.samples.length > partial.samples.length, 'sampling went on after the read');

    await session.startSampling({ intervalBytes: 128 * 1024 });
    await delay(3000);
    const live = buildFlameTree(await session.stopSampling(), 'live');
    // churn.js throws away everything it allocates: what is still alive is a sliver of what it allocated.
    assert.ok(total.totalBytes > 10 * live.totalBytes, `total ${total.totalBytes} vs live ${live.totalBytes}`);

    const file = join(dir, 'churn.heapprofile');
    await saveHeapProfile(totalProfile, file);
    const reread = buildFlameTree(await readHeapProfile(file), 'total');
    assert.equal(reread.totalBytes, total.totalBytes);
    const frames: string[] = [];
    const walk = (n: typeof reread.root) => { if (n.url.endsWith('churn.js')) frames.push(`${n.name}:${n.line}`); n.children.forEach(walk); };
    walk(reread.root);
    assert.ok(frames.some((f) => f.startsWith('scenario:')), `frames in churn.js: ${frames.join(', ')}`);
    assert.ok(parseHeapProfile(readFileSync(file, 'utf8')).samples.length > 0);
  });

  it('forces a GC only when asked, and the target pushes the major GC event', async () => {
    const program = await launch(join(PROGRAMS, 'bounded-lru.js'));
    const events: GcEvent[] = [];
    await program.session.onGc((e) => events.push(e));
    await program.session.collectGarbage();
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.kind === 'major') && Date.now() < deadline) await delay(50);
    const majors = events.filter((e) => e.kind === 'major');
    assert.ok(majors.length > 0, `events: ${JSON.stringify(events.slice(0, 5))}`);
    // A batch of GCs reports the heap once, on its last major GC.
    assert.ok(majors.some((e) => e.heapUsedAfter > 0) && majors.every((e) => e.durationMs >= 0));
  });

  it('discovers a target on its port, attaches by port, and leaves no probe behind on close', async () => {
    const program = await launch(join(PROGRAMS, 'cache-fixed.js'));
    const { port } = program.session.target;
    const found = await discoverTargets([port]);
    assert.equal(found.length, 1);
    assert.equal(found[0].port, port);
    const session = await connect({ port });
    try {
      const stream = session.streamStats({ intervalMs: 200, onSample: () => undefined });
      const info = await stream.info;
      assert.equal(info.pid, program.child.pid);
      stream.stop();
      await session.close();
      const leftovers = await program.session.evaluate<number>(
        "Object.getOwnPropertySymbols(globalThis).filter((s) => String(s).includes('heapscope')).length + " +
        "Object.keys(globalThis).filter((k) => k.startsWith('__heapscope')).length");
      assert.equal(leftovers, 0);
    } finally {
      await session.close();
    }
  });
});
