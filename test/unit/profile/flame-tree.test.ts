import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Protocol } from 'devtools-protocol';
import { buildFlameTree, parseHeapProfile, readHeapProfile, saveHeapProfile, topFunctions } from '../../../engine/profile';
import { InputError } from '../../../engine/errors';

type Node = Protocol.HeapProfiler.SamplingHeapProfileNode;

let nextId = 1;
function frame(functionName: string, selfSize: number, children: Node[] = [], url = 'file:///app.js', lineNumber = 9): Node {
  return { id: nextId++, selfSize, children, callFrame: { functionName, url, lineNumber, columnNumber: 4, scriptId: '1' } };
}

/** (root) → main → [render → render (recursive) , cache.set], main → parse */
function sampleProfile(): Protocol.HeapProfiler.SamplingHeapProfile {
  nextId = 1;
  const innerRender = frame('render', 300);
  const render = frame('render', 200, [innerRender]);
  const set = frame('set', 1000, [], 'file:///cache.js', 41);
  const parse = frame('parse', 50);
  const main = frame('main', 0, [render, set, parse]);
  const head = frame('', 0, [main], '', -1);
  return {
    head,
    samples: [
      { nodeId: set.id, size: 500, ordinal: 1 }, { nodeId: set.id, size: 500, ordinal: 2 },
      { nodeId: render.id, size: 200, ordinal: 3 }, { nodeId: innerRender.id, size: 300, ordinal: 4 }, { nodeId: parse.id, size: 50, ordinal: 5 },
    ],
  };
}

describe('buildFlameTree', () => {
  it('sums total bytes up the tree and sorts children by total', () => {
    const tree = buildFlameTree(sampleProfile(), 'live');
    assert.equal(tree.totalBytes, 1550);
    assert.equal(tree.mode, 'live');
    assert.equal(tree.sampleCount, 5);
    assert.equal(tree.nodeCount, 6);
    assert.equal(tree.root.name, '(root)');
    const main = tree.root.children[0];
    assert.equal(main.totalBytes, 1550);
    assert.deepEqual(main.children.map((c) => [c.name, c.totalBytes]), [['set', 1000], ['render', 500], ['parse', 50]]);
    assert.equal(main.children[0].selfSamples, 2);
  });

  it('turns 0-based CDP positions into 1-based editor positions', () => {
    const set = buildFlameTree(sampleProfile()).root.children[0].children[0];
    assert.deepEqual([set.url, set.line, set.column], ['file:///cache.js', 42, 5]);
  });

  it('walks very deep stacks without overflowing the call stack', () => {
    nextId = 1;
    let node = frame('leaf', 8);
    for (let depth = 0; depth < 5000; depth++) node = frame(`f${depth}`, 0, [node]);
    const tree = buildFlameTree({ head: node, samples: [] });
    assert.equal(tree.totalBytes, 8);
    assert.equal(tree.nodeCount, 5001);
  });
});

describe('topFunctions', () => {
  it('ranks by self bytes and counts a recursive function once per stack in its total', () => {
    const top = topFunctions(buildFlameTree(sampleProfile()));
    assert.deepEqual(top.map((f) => [f.name, f.selfBytes, f.totalBytes]), [['set', 1000, 1000], ['render', 500, 500], ['parse', 50, 50]]);
    assert.equal(topFunctions(buildFlameTree(sampleProfile()), 1).length, 1);
  });
});

describe('.heapprofile files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'heapscope-profile-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves exactly head + samples and reads them back', async () => {
    const profile = sampleProfile();
    const file = join(dir, 'a.heapprofile');
    const bytes = await saveHeapProfile(profile, file);
    const text = readFileSync(file, 'utf8');
    assert.equal(Buffer.byteLength(text), bytes);
    assert.deepEqual(Object.keys(JSON.parse(text)), ['head', 'samples']);
    assert.deepEqual(await readHeapProfile(file), profile);
    assert.deepEqual(readdirSync(dir), ['a.heapprofile'], 'no temporary file left behind');
  });

  it('rejects what is not a heap profile with a clear InputError', () => {
    assert.throws(() => parseHeapProfile('{"snapshot": {}}', 'x.heapprofile'), (e: InputError) =>
      e instanceof InputError && /not a sampling heap profile/.test(e.message) && /heapscope analyze/.test(e.hint ?? ''));
    assert.throws(() => parseHeapProfile('not json', 'y.heapprofile'), /y.heapprofile is not JSON/);
    assert.throws(() => parseHeapProfile('{"head": {"id": 1}}'), /no valid "head"/);
  });

  it('reports a missing file as an InputError naming it', async () => {
    await assert.rejects(readHeapProfile(join(dir, 'missing.heapprofile')), (e: Error) => e instanceof InputError && /missing\.heapprofile/.test(e.message));
  });
});
