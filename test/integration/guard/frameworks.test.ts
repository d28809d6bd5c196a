import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..', '..', '..');
const guardBundle = join(repo, 'dist', 'guard.js');

// One clean and one leaky test, written the way a user would, importing the shipped bundle.
const suite = (header: string) => `${header}
const { assertNoLeak } = require(${JSON.stringify(guardBundle)});
const kept = new Map();
test('clean handler', async () => {
  await assertNoLeak((i) => JSON.stringify({ id: i }), { iterations: 2000 });
});
test('leaky handler', async () => {
  await assertNoLeak((i) => kept.set('/u/' + i, { body: 'x'.repeat(200) + i }), { iterations: 5000, maxGrowth: '512 KB' });
});
`;

describe('the guard inside test frameworks (no coupling: it throws an AssertionError)', function () {
  this.timeout(120_000);
  let folder: string;
  beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'heapscope-guard-fw-'))));
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('node:test reports the clean test passed and the leaky one failed with the holder named', () => {
    const file = join(folder, 'leak.test.js');
    writeFileSync(file, suite("const { test } = require('node:test');"));
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', file], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /✔ clean handler/);
    assert.match(run.stdout, /✖ leaky handler/);
    assert.match(run.stdout, /held by Map `kept`/);
  });

  it('mocha reports the same', () => {
    const file = join(folder, 'leak.test.js');
    writeFileSync(file, suite('const test = it;'));
    const mocha = join(repo, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const run = spawnSync(process.execPath, [mocha, '--timeout', '60000', file], { encoding: 'utf8' });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /1 passing/);
    assert.match(run.stdout, /1 failing/);
    assert.match(run.stdout, /held by Map `kept`/);
  });
});
