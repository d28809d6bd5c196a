import * as assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { assertNoLeak, formatBytes, parseByteSize } from '../../../engine/guard';
import { judge } from '../../../engine/guard/judge';
import { resolveOptions } from '../../../engine/guard/options';
import type { MemoryReading } from '../../../engine/guard/measure';

const MB = 1024 * 1024;

describe('guard: sizes and options', () => {
  it('parses byte sizes in binary units and rejects nonsense', () => {
    assert.equal(parseByteSize('2 MB', 'x'), 2 * MB);
    assert.equal(parseByteSize('512kb', 'x'), 512 * 1024);
    assert.equal(parseByteSize(100, 'x'), 100);
    assert.throws(() => parseByteSize('two MB', 'maxGrowth'), /maxGrowth: 'two MB' is not a byte size/);
    assert.equal(formatBytes(2.1 * MB), '2.1 MB');
  });

  it('rejects iteration counts that are not whole numbers', () => {
    assert.throws(() => resolveOptions({ iterations: 0 }), /iterations must be a whole number/);
    assert.equal(resolveOptions({ iterations: 10_000 }).warmup, 1000);
  });
});

describe('guard: judging growth', () => {
  const reading = (heapUsed: number, handles: Record<string, number> = {}): MemoryReading => ({ heapUsed, external: 0, arrayBuffers: 0, handles });
  const options = resolveOptions({ iterations: 1000, maxGrowth: '1 MB' });

  it('fails steady growth above the limit', () => {
    const verdict = judge(reading(0), reading(4 * MB), [1 * MB, 2 * MB, 3 * MB, 4 * MB], options);
    assert.equal(verdict.passed, false);
    assert.match(verdict.reasons[0], /memory grew 4.0 MB over 1,000 iterations/);
  });

  it('passes growth that levelled off in the first half (a cache filling up)', () => {
    assert.equal(judge(reading(0), reading(4 * MB), [3 * MB, 4 * MB, 4 * MB, 4 * MB], options).passed, true);
  });

  it('fails handles left behind, naming their type', () => {
    const verdict = judge(reading(0, { Timeout: 1 }), reading(0, { Timeout: 4, TCPSocketWrap: 1 }), [0, 0, 0, 0], options);
    assert.equal(verdict.passed, false);
    assert.match(verdict.reasons[0], /4 active handles remain after the run \(\+3 Timeout, \+1 TCPSocketWrap\)/);
  });
});

describe('guard: assertNoLeak in this very process (no --expose-gc)', function () {
  this.timeout(120_000);

  it('passes clean request handling 20 times in a row', async () => {
    const sessions = new Map<number, { body: string }>();
    const handle = (i: number) => {
      sessions.set(i, { body: JSON.stringify({ id: i, items: [1, 2, 3] }) });
      const reply = JSON.parse(sessions.get(i)!.body) as { id: number };
      sessions.delete(i);
      return reply.id;
    };
    for (let run = 0; run < 20; run++) await assertNoLeak(handle, { iterations: 1000, warmup: 200 });
  });

  // Without the snapshot explanation: this process holds the whole unit suite, so snapshots of it
  // are slow. The explanation is tested in test/integration/guard (fresh processes).
  it('throws an AssertionError that names the growth per iteration', async () => {
    const responses = new Map<string, { body: string }>();
    const leaky = (i: number) => responses.set(`/page/${i}`, { body: `page ${i} `.repeat(20) });
    await assert.rejects(assertNoLeak(leaky, { iterations: 5000, maxGrowth: '512 KB', name: 'leaky()', explain: false }), (error: unknown) => {
      assert.ok(error instanceof AssertionError);
      assert.match(error.message, /memory grew [\d.]+ MB over 5,000 iterations of leaky\(\)/);
      assert.match(error.message, /B per iteration/);
      assert.doesNotMatch(error.message, /heap snapshots/);
      return true;
    });
  });
});
