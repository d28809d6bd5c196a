import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { GuardReport } from '../../../engine/guard';

const repo = join(__dirname, '..', '..', '..', '..');
const cli = join(repo, 'out', 'cli', 'main.js');
const program = (name: string) => join(repo, 'test', 'fixtures', 'programs', `${name}.js`);

interface GuardRun {
  code: number | null;
  report?: GuardReport;
  stderr: string;
}

/** `heapscope guard --json … -- node <program>` in a child process, as CI would run it. */
function guard(args: string[], nodeArgs: string[]): Promise<GuardRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'guard', '--json', ...args, '--', process.execPath, ...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr, report: stdout.trim() ? (JSON.parse(stdout) as GuardReport) : undefined }));
  });
}

describe('heapscope guard on real leaky programs', function () {
  this.timeout(120_000);

  // Each leak must fail, and the explanation must name what holds the memory.
  const leaks: Array<{ name: string; names: RegExp; reason: RegExp }> = [
    { name: 'cache-leak', names: /held by Map `cache`/, reason: /memory grew/ },
    { name: 'listener-leak', names: /held by Array `reload` ← .*EventEmitter/, reason: /memory grew/ },
    { name: 'timer-leak', names: /Timeout/, reason: /\+\d+ Timeout/ },
    { name: 'slice-leak', names: /held by Array `headers`/, reason: /mostly off-heap/ },
    { name: 'offheap-leak', names: /held by Map `histograms`/, reason: /mostly off-heap/ },
    { name: 'promise-leak', names: /held by Array `waiters`/, reason: /memory grew/ },
  ];
  for (const leak of leaks) {
    it(`fails on ${leak.name} and names what grew`, async () => {
      const run = await guard(['--iterations', '1000'], [program(leak.name)]);
      assert.equal(run.code, 1, run.stderr);
      assert.ok(run.report && !run.report.passed);
      assert.match(run.report.reasons.join('\n'), leak.reason);
      assert.match(run.report.explanation.join('\n'), leak.names);
    });
  }

  // cache-fixed caps its cache at 1,000 entries: a warm-up that fills it, as the README advises.
  const warmups: Record<string, string> = { 'cache-fixed': '1000' };
  for (const fixed of ['cache-fixed', 'listener-fixed', 'timer-fixed', 'slice-fixed', 'offheap-fixed', 'promise-fixed', 'churn']) {
    it(`passes on ${fixed}`, async () => {
      const run = await guard(['--iterations', '1000', '--warmup', warmups[fixed] ?? '100'], [program(fixed)]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.report?.passed);
      assert.deepEqual(run.report.explanation, []);
    });
  }

  it('passes on a bounded LRU once the warm-up has filled it', async () => {
    const run = await guard(['--iterations', '3000', '--warmup', '2500'], [program('bounded-lru')]);
    assert.equal(run.code, 0, run.stderr);
  });

  it('works the same when the process was started with --expose-gc', async () => {
    const run = await guard(['--iterations', '1000', '--no-explain'], ['--expose-gc', program('cache-leak')]);
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(run.report?.explanation, []);
  });

  it('says so when the script exports no scenario (exit 2)', async () => {
    const run = await guard([], [join(repo, 'test', 'fixtures', 'programs', 'flat-text.js')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /exports no scenario/);
  });
});
