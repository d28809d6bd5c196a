/**
 * The probe runs inside the target, so it must work in every Node we support and in ES modules,
 * where `require` is not a global: stream, GC events and a sampling profile on Node 20, 22 and 24
 * (22 and 24 installed from npm into ~/.cache/heapscope on first use), CommonJS and ESM.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { launchScript, type GcEvent, type HeapSample, type LaunchedProgram } from '../../../engine/inspector';
import { buildFlameTree } from '../../../engine/profile';
import { NODE_MAJORS, nodeBinary } from '../../oracle/node-versions';
import { delay, PROGRAMS, SUPPORT } from './helpers';

describe('the probe on Node 20, 22 and 24, CommonJS and ESM', function () {
  this.timeout(300_000);
  let program: LaunchedProgram | undefined;
  afterEach(async () => {
    if (!program) return;
    await program.session.close();
    program.child.kill('SIGKILL');
    await program.exitCode;
    program = undefined;
  });

  for (const major of NODE_MAJORS) {
    for (const script of [join(PROGRAMS, 'churn.js'), join(SUPPORT, 'esm-target.mjs')]) {
      it(`Node ${major}, ${script.endsWith('.mjs') ? 'ESM' : 'CommonJS'}`, async () => {
        program = await launchScript([nodeBinary(major), script], { onStdout: () => undefined, onStderr: () => undefined });
        const { session } = program;
        const samples: HeapSample[] = [];
        const gcEvents: GcEvent[] = [];
        let failure: Error | undefined;
        await session.onGc((e) => gcEvents.push(e));
        const stream = session.streamStats({ intervalMs: 250, onSample: (s) => samples.push(s), onEnd: (e) => (failure = e) });
        const info = await stream.info;
        assert.equal(info.nodeVersion.split('.')[0], `v${major}`);
        assert.equal(info.pid, program.child.pid);
        await session.startSampling({ intervalBytes: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        while (samples.length < 6 && !failure) await delay(50);
        stream.stop();
        assert.equal(failure, undefined);
        const tree = buildFlameTree(await session.stopSampling(), 'total');
        assert.ok(tree.sampleCount > 0);
        const last = samples[samples.length - 1];
        assert.ok(last.heapLimit > 0 && last.rss > 0 && last.heapUsed > 0);
        assert.ok(last.resources.Timeout >= 1, JSON.stringify(last.resources));
        assert.ok(gcEvents.length > 0, 'GC events pushed');
        assert.ok(gcEvents.every((e) => ['minor', 'major', 'incremental', 'weakcb', 'other'].includes(e.kind)));
      });
    }
  }
});
