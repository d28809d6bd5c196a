/** `heapscope watch | snapshot | profile` as a user runs them: a real CLI process, real targets. */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseHeapProfile } from '../../../engine/profile';
import { delay, isAlive, PROGRAMS, runCli, scratchDir, spawnCli, SUPPORT } from './helpers';

function watchedPid(stderrOrStdout: string): number {
  const match = /watching pid (\d+)/.exec(stderrOrStdout);
  assert.ok(match, `no pid line in: ${stderrOrStdout.slice(0, 500)}`);
  return Number(match[1]);
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('heapscope watch / snapshot / profile (CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = scratchDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('watch --json: NDJSON samples then the diagnosis; the launched program is stopped at the end', async () => {
    const result = await runCli(['watch', '--duration', '6s', '--interval', '500ms', '--json', '--', 'node', join(PROGRAMS, 'timer-leak.js')]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const samples = lines.slice(0, -1);
    assert.ok(samples.length >= 8, `${samples.length} samples`);
    for (const sample of samples) assert.equal(typeof sample.heapUsed, 'number');
    const final = lines[lines.length - 1] as { diagnosis: Record<string, unknown> };
    assert.ok(['retention', 'off-heap', 'handles', 'rss-only', 'churn', 'healthy'].includes(final.diagnosis.kind as string));
    assert.equal(typeof final.diagnosis.slope_mb_per_hour, 'number');
    assert.ok('time_to_limit_s' in final.diagnosis);
    assert.ok(Array.isArray(final.diagnosis.evidence));
    assert.equal(isAlive(watchedPid(result.stderr)), false, 'no process left behind');
  });

  it('watch -- node script args: arguments, output and exit code pass through; the inspector banner does not', async () => {
    const result = await runCli(['watch', '--interval', '500ms', '--', 'node', join(SUPPORT, 'echo-exit.js'), 'one', 'two words', '--code', '3']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stdout, /args: \["one","two words","--code","3"\]/);
    assert.match(result.stderr, /a line on stderr/);
    assert.doesNotMatch(result.stderr + result.stdout, /Debugger listening|Debugger attached|Waiting for the debugger/);
    assert.match(result.stdout, /diagnosis: /);
  });

  it('watch stops on Ctrl-C with the diagnosis and stops the program it launched', async () => {
    const child = await spawnCli(['watch', '--', 'node', join(PROGRAMS, 'cache-leak.js')]);
    let stdout = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', () => undefined);
    while ((stdout.match(/s {2}heap /g) ?? []).length < 6) await delay(100);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(code, 0);
    assert.match(stdout, /diagnosis: (retention|healthy)/);
    assert.equal(isAlive(watchedPid(stdout)), false);
  });

  it('snapshot -o: writes a complete snapshot and says where', async () => {
    const file = join(dir, 'app.heapsnapshot');
    const result = await runCli(['snapshot', '-o', file, '--delay', '1s', '--', 'node', join(PROGRAMS, 'cache-leak.js')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /wrote .*app\.heapsnapshot/);
    assert.match(result.stderr, /paused/);
    assert.deepEqual(readdirSync(dir), ['app.heapsnapshot']);
    const head = readFileSync(file, 'utf8').slice(0, 40);
    assert.match(head, /^\{"snapshot":\{"meta":/);
  });

  it('profile --total: writes a .heapprofile DevTools opens and lists the top allocators', async () => {
    const file = join(dir, 'churn.heapprofile');
    const result = await runCli(['profile', '-o', file, '--duration', '3s', '--total', '--', 'node', join(PROGRAMS, 'churn.js')]);
    assert.equal(result.code, 0, result.stderr);
    const profile = parseHeapProfile(readFileSync(file, 'utf8'));
    assert.ok(profile.samples.length > 0);
    assert.match(result.stdout, /scenario .*churn\.js:\d+:\d+/);
  });

  it('bad targets: exit code 2 and a message that says what to do', async () => {
    const port = await closedPort();
    const closed = await runCli(['watch', '--port', String(port), '--duration', '2s']);
    assert.equal(closed.code, 2);
    assert.match(closed.stderr, new RegExp(`nothing is listening on 127\\.0\\.0\\.1:${port}`));
    assert.match(closed.stderr, /--inspect/);

    const remote = await runCli(['watch', '--url', 'ws://192.0.2.10:9229/abc']);
    assert.equal(remote.code, 2);
    assert.match(remote.stderr, /--allow-remote/);

    const npm = await runCli(['watch', '--', 'npm', 'start']);
    assert.equal(npm.code, 2);
    assert.match(npm.stderr, /cannot launch 'npm' with an inspector/);

    const crashing = await runCli(['watch', '--', 'node', '-e', 'process.exit(7)']);
    assert.equal(crashing.code, 2);
    assert.match(crashing.stderr, /the program exited \(code 7\) before (heapscope could attach|its inspector started)/);

    const none = await runCli(['snapshot', '-o', join(dir, 'x.heapsnapshot')]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no target given/);

    const badOut = await runCli(['snapshot', '--port', String(port), '-o', join(dir, 'missing-dir', 'x.heapsnapshot')]);
    assert.equal(badOut.code, 2);
    assert.match(badOut.stderr, /not a directory/);
    assert.equal(existsSync(join(dir, 'missing-dir')), false);
  });
});
