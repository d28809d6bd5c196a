// Every kind of bad input the issue lists ends in one clear InputError (what, where, what to do),
// and the CLI turns it into exit code 2 without a stack trace.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { InputError } from '../../../engine/errors';
import { loadSnapshot } from '../../../engine/snapshot';
import { readSnapshotFile } from '../../../engine/snapshot/reader';
import { scratchDir } from './real-snapshots';
import { snapshotText, type SyntheticEdge, type SyntheticNode } from './synthetic-snapshot';

const run = promisify(execFile);
const cli = path.resolve(__dirname, '..', '..', '..', 'cli', 'main.js');

const NODES: SyntheticNode[] = [
  { type: 'synthetic', name: '', size: 0 },
  { type: 'object', name: 'global', size: 16 },
  { type: 'string', name: 'hello "quoted" \\ \u00e9 \u2603', size: 32 },
];
const EDGES: SyntheticEdge[] = [
  { from: 0, to: 1, type: 'shortcut', name: 'global' },
  { from: 1, to: 2, type: 'property', name: 'greeting' },
];
const GOOD = snapshotText(NODES, EDGES);

function write(name: string, content: string | Buffer): string {
  const file = path.join(scratchDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

async function rejection(file: string): Promise<InputError> {
  try {
    await loadSnapshot(file);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error;
  }
  throw new assert.AssertionError({ message: `${file} loaded without error` });
}

describe('bad snapshot input', function () {
  this.timeout(30_000);
  it('the well-formed base case loads (escaped and non-ASCII strings decoded)', async () => {
    const s = await loadSnapshot(write('good.heapsnapshot', GOOD));
    assert.equal(s.nodeCount, 3);
    assert.equal(s.node(2).name, 'hello "quoted" \\ \u00e9 \u2603');
  });

  it('empty file', async () => {
    const error = await rejection(write('empty.heapsnapshot', ''));
    assert.match(error.message, /empty/);
  });

  it('truncated at every byte: an error naming the byte offset, never a hang or a wrong answer', async () => {
    const bytes = Buffer.from(GOOD);
    const file = path.join(scratchDir(), 'cut.heapsnapshot');
    for (let cut = 1; cut < bytes.length - 1; cut++) {
      fs.writeFileSync(file, bytes.subarray(0, cut));
      const error = await rejection(file);
      assert.match(error.message, /at byte \d+|missing/, `cut at ${cut}: ${error.message}`);
      assert.ok(error.hint, `cut at ${cut} has a hint`);
    }
  });

  it('JSON that is not a snapshot', async () => {
    assert.match((await rejection(write('object.json', '{"name": "x", "list": [1, 2]}'))).message, /"snapshot" is missing/);
    assert.match((await rejection(write('array.json', '[1, 2, 3]'))).message, /not a JSON object/);
    assert.match((await rejection(write('meta.json', '{"snapshot": {"meta": {}}}'))).message, /node_fields/);
  });

  it('meta that does not match the arrays', async () => {
    const wrongCount = GOOD.replace('"node_count":3', '"node_count":4');
    assert.match((await rejection(write('count.heapsnapshot', wrongCount))).message, /node_count says 4 nodes but the "nodes" array holds 3/);
    const ragged = GOOD.replace('"nodes":[', '"nodes":[7,');
    assert.match((await rejection(write('ragged.heapsnapshot', ragged))).message, /not a multiple of its 6 fields|type 7/);
    const badType = GOOD.replace('"nodes":[9', '"nodes":[99');
    assert.match((await rejection(write('type.heapsnapshot', badType))).message, /type 99/);
  });

  it('a name pointing past the string table', async () => {
    const text = GOOD.replace('"nodes":[9,0,', '"nodes":[9,999,');
    assert.match((await rejection(write('names.heapsnapshot', text))).message, /node 0 names string 999, but the "strings" array holds \d+/);
  });

  it('an edge pointing past the node array', async () => {
    const text = GOOD.replace(/"edges":\[(\d+),(\d+),(\d+)/, '"edges":[$1,$2,600');
    const error = await rejection(write('past.heapsnapshot', text));
    assert.match(error.message, /edge 0 points to node offset 600, past the node array/);
    assert.match(error.message, /at byte \d+/);
  });

  it('a gzip file', async () => {
    const error = await rejection(write('zipped.heapsnapshot.gz', zlib.gzipSync(GOOD)));
    assert.match(error.message, /gzip/);
    assert.match(error.hint ?? '', /gunzip/);
  });

  it('a directory and a missing file', async () => {
    assert.match((await rejection(scratchDir())).message, /is a directory/);
    assert.match((await rejection(path.join(scratchDir(), 'nope.heapsnapshot'))).message, /no such file/);
  });

  it('a file still being written (it grows while it is read)', async () => {
    // A writer appends to the snapshot while the reader runs: the reader notices the size change.
    const file = path.join(scratchDir(), 'growing.heapsnapshot');
    const insideNodes = GOOD.indexOf('"nodes":[') + 12;
    fs.writeFileSync(file, GOOD.slice(0, insideNodes) + ' '.repeat(8 << 20));
    let appends = 0;
    const writer = setInterval(() => {
      if (appends++ < 40) fs.appendFileSync(file, ' '.repeat(1 << 20));
    }, 1);
    try {
      const error = await rejection(file);
      assert.match(error.message, /still being written|end of file/);
      assert.match(error.message + (error.hint ?? ''), /still being written/);
    } finally {
      clearInterval(writer);
    }
  });

  it('a huge value where the header should be stays bounded and fails fast', async () => {
    const file = write('huge-header.json', `{"snapshot": {"meta": "${'x'.repeat(17 << 20)}"}}`);
    assert.match((await rejection(file)).message, /header is far too large/);
  });

  it('the CLI exits 2 with the message and no stack trace', async () => {
    const file = write('cli-bad.heapsnapshot', GOOD.slice(0, 100));
    const result = await run(process.execPath, [cli, 'analyze', file]).then(() => null, (error: { code: number; stderr: string }) => error);
    assert.ok(result, 'analyze of a bad file must fail');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /heapscope: unexpected end of file.*\(at byte 100\)/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  });
});

describe('split parse fallbacks', function () {
  this.timeout(60_000);
  const workerPath = path.resolve(__dirname, '..', '..', '..', 'engine', 'snapshot', 'worker.js');
  it('a file without line breaks between rows is parsed by one thread, correctly', async () => {
    const file = write('one-line.heapsnapshot', GOOD);
    const graph = await readSnapshotFile(file, { workerPath, chunkSize: 16, split: { minFileBytes: 0, sampleBytes: 1 } });
    assert.equal(graph.rowsFromHelper, 0);
    assert.deepEqual([...graph.edgeTo], [...(await readSnapshotFile(file)).edgeTo]);
  });
  it('a bad edge in the helper\'s half still gets the usual error', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `\n,2,1,${i === 4900 ? 6000 : 6}`).join('');
    const nodes: SyntheticNode[] = [NODES[0], NODES[1]];
    const text = snapshotText(nodes, []).replace('"edge_count":0', '"edge_count":5000').replace(/"nodes":\[0,0,1,0,0,0,3,1,3,16,0,0\]/, '"nodes":[9,0,1,0,5000,0,3,1,3,16,0,0]').replace('"edges":[]', `"edges":[${rows.slice(2)}]`);
    const file = write('bad-second-half.heapsnapshot', text);
    await assert.rejects(readSnapshotFile(file, { workerPath, chunkSize: 4096, split: { minFileBytes: 0, sampleBytes: 4096 } }),
      (error: unknown) => error instanceof InputError && /edge 4900 points to node offset 6000/.test(error.message));
  });
});

describe('chunk boundaries', function () {
  this.timeout(60_000);
  it('reading in tiny chunks (every token cut somewhere) gives the same graph', async () => {
    const file = write('chunks.heapsnapshot', GOOD);
    const whole = await readSnapshotFile(file);
    for (const chunkSize of [1, 2, 3, 5, 7, 64]) {
      const cut = await readSnapshotFile(file, { chunkSize });
      assert.deepEqual(cut.strings, whole.strings, `strings, chunks of ${chunkSize}`);
      assert.deepEqual([...cut.edgeTo], [...whole.edgeTo], `edges, chunks of ${chunkSize}`);
      assert.deepEqual([...cut.nodeSelfSize], [...whole.nodeSelfSize], `sizes, chunks of ${chunkSize}`);
      assert.deepEqual(cut.header, whole.header);
    }
  });
});
