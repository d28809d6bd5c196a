/**
 * Each leaky program, launched for real with --inspect=127.0.0.1:0 and watched over real CDP, gets
 * the diagnosis it was written to show. The programs are watched in parallel (they are light: a
 * few % of a core each) so the whole file takes about 40 s.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import type { GcEvent, HeapSample } from '../../../engine/inspector';
import { analyzeSeries, type SeriesAnalysis } from '../../../engine/series';
import { killLaunched, launch, PROGRAMS } from './helpers';

/** Within the 60 s budget, with room for a slow shared machine. */
const WATCH_MS = 36_000;

const PROGRAM_NAMES = [
  'cache-leak', 'listener-leak', 'timer-leak', 'slice-leak', 'offheap-leak', 'promise-leak', 'churn', 'bounded-lru',
  'cache-fixed', 'timer-fixed', 'promise-fixed',
];

async function watch(name: string): Promise<{ analysis: SeriesAnalysis; samples: HeapSample[] }> {
  const program = await launch(join(PROGRAMS, `${name}.js`));
  const samples: HeapSample[] = [];
  const gcEvents: GcEvent[] = [];
  await program.session.onGc((event) => gcEvents.push(event));
  let failure: Error | undefined;
  const stream = program.session.streamStats({ intervalMs: 1000, onSample: (s) => samples.push(s), onEnd: (e) => (failure = e) });
  const info = await stream.info;
  await new Promise((r) => setTimeout(r, WATCH_MS));
  stream.stop();
  if (failure) throw failure;
  return { analysis: analyzeSeries(samples, { gcEvents, heapLimit: info.heapLimit, cgroupLimit: info.cgroupLimit }), samples };
}

describe('diagnosis of real leaky programs (watched in parallel)', function () {
  this.timeout(150_000);
  const results = new Map<string, { analysis: SeriesAnalysis; samples: HeapSample[] }>();

  before(async () => {
    const watched = await Promise.all(PROGRAM_NAMES.map(async (name) => [name, await watch(name)] as const));
    for (const [name, result] of watched) results.set(name, result);
  });
  after(killLaunched);

  for (const name of PROGRAM_NAMES) {
    const { expected } = require(join(PROGRAMS, `${name}.js`)) as { expected: string };
    it(`${name}: ${expected}`, () => {
      const result = results.get(name);
      assert.ok(result, 'watched');
      const { analysis } = result;
      assert.equal(analysis.diagnosis.kind, expected, `${name}: ${JSON.stringify(analysis.diagnosis, null, 1)}`);
      assert.ok(analysis.sample_count >= 25, `only ${analysis.sample_count} samples`);
      assert.ok(analysis.diagnosis.evidence.length > 0 && analysis.diagnosis.next_step.length > 0);
      if (expected === 'retention') {
        assert.ok(analysis.slope_mb_per_hour > 1000, `slope ${analysis.slope_mb_per_hour}`);
        assert.ok(analysis.time_to_limit_s !== null && analysis.time_to_limit_s > 0);
        assert.ok(analysis.diagnosis.confidence >= 0.8, `confidence ${analysis.diagnosis.confidence}`);
      }
      if (expected === 'off-heap') assert.ok(analysis.offheap_slope_mb_per_hour > 1000);
      if (expected === 'handles') assert.match(analysis.diagnosis.evidence[0], /Timeout/);
    });
  }

  it('samples carry every field, GC counts and a heap limit from the target', () => {
    const { samples } = results.get('churn') ?? { samples: [] };
    const last = samples[samples.length - 1];
    assert.ok(last.heapLimit > 100 * 1024 * 1024);
    assert.ok(last.rss > last.heapUsed && last.heapTotal >= last.heapUsed);
    assert.ok(last.resourceCount >= 1 && last.resources.Timeout >= 1);
    assert.ok(last.eventLoopUtilization >= 0 && last.eventLoopUtilization <= 1);
    assert.ok(samples.reduce((n, s) => n + s.gc.minor, 0) > 20, 'churn makes scavenges, pushed by the target');
    // A light target answers within the interval (a shared, loaded machine may delay the odd one).
    assert.ok(samples.filter((s) => s.late).length <= samples.length / 10, 'late samples');
  });
});
