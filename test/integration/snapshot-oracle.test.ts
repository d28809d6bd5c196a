// Issue 2's acceptance test for the snapshot engine: on heap snapshots of real programs, written by
// Node 20, 22 and 24, `heapscope analyze --json` must give exactly what Chrome DevTools' own code
// gives (test/oracle/devtools-oracle.ts): counts, total size, the 50 biggest retainers and the 30
// biggest classes, to the byte, names and order included.
//
// Needs the CLI bundle (`npm run build`). A failing case keeps its snapshot and says where it is;
// `node out/test/oracle/cli.js FILE --retained-sizes OUT.tsv` then lists DevTools' figure per node.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { AnalyzeJson, pickIssueFields } from '../oracle/analyze-json';
import { captureOverInspector } from '../oracle/capture-over-inspector';
import { analyzeWithDevTools } from '../oracle/devtools-oracle';
import { NODE_MAJORS, nodeBinary } from '../oracle/node-versions';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repoRoot, 'dist', 'cli.js');
const programs = path.join(repoRoot, 'bench', 'programs');

/** Real programs, each small enough (5-15 MB of snapshot) to keep the whole test near a minute. */
const WORKLOADS: Array<{ id: string; name: string; capture: (node: string, out: string) => Promise<unknown> }> = [
  {
    id: 'eslint',
    name: 'eslint linting 3 files (v8.writeHeapSnapshot)',
    capture: (node, out) => run(node, [path.join(programs, 'eslint-workload.js'), out, '3']),
  },
  {
    id: 'collections',
    name: 'maps, sets, weak maps, closures, detached objects (v8.writeHeapSnapshot)',
    capture: (node, out) => run(node, [path.join(programs, 'collections-workload.js'), out, '1']),
  },
  {
    id: 'http-server',
    name: 'http server with sessions (CDP HeapProfiler.takeHeapSnapshot)',
    capture: (node, out) => captureOverInspector(node, [path.join(programs, 'http-state-server.js'), '1500'], out),
  },
  {
    // DevTools skips its shallow-size moving when there are no user roots (expose internals), and
    // the file then carries allocation traces and number nodes: layouts the reader must take.
    id: 'http-server-internals',
    name: 'http server, allocation tracking + expose internals + numeric values (CDP)',
    capture: (node, out) => captureOverInspector(node, [path.join(programs, 'http-state-server.js'), '300'], out,
      { trackAllocations: true, exposeInternals: true, captureNumericValue: true }),
  },
];

async function analyzeWithHeapscope(file: string): Promise<AnalyzeJson> {
  const { stdout } = await run(process.execPath, [cli, 'analyze', file, '--json'], { maxBuffer: 64 << 20 });
  const parsed = JSON.parse(stdout) as AnalyzeJson;
  for (const key of ['top_retained', 'top_aggregates'] as const) {
    assert.ok(Array.isArray(parsed[key]), `heapscope analyze --json printed no ${key} array`);
  }
  return pickIssueFields(parsed);
}

describe('heapscope analyze --json equals Chrome DevTools on snapshots of real programs', function () {
  this.timeout(180_000);
  let workDir: string;

  before(function () {
    assert.ok(fs.existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-oracle-'));
  });

  after(function () {
    // Snapshots of failed cases stay for debugging (their path is in the failure message).
    if (fs.readdirSync(workDir).length === 0) fs.rmdirSync(workDir);
  });

  for (const major of NODE_MAJORS) {
    for (const workload of WORKLOADS) {
      it(`Node ${major}: ${workload.name}`, async function () {
        const file = path.join(workDir, `${workload.id}-node${major}.heapsnapshot`);
        await workload.capture(nodeBinary(major), file);
        const expected = await analyzeWithDevTools(file);
        const actual = await analyzeWithHeapscope(file);
        const where = `(snapshot kept at ${file})`;
        assert.equal(actual.node_count, expected.node_count, `node_count ${where}`);
        assert.equal(actual.edge_count, expected.edge_count, `edge_count ${where}`);
        assert.equal(actual.total_shallow_size, expected.total_shallow_size, `total_shallow_size ${where}`);
        assert.deepEqual(actual.top_retained, expected.top_retained, `top_retained ${where}`);
        assert.deepEqual(actual.top_aggregates, expected.top_aggregates, `top_aggregates ${where}`);
        fs.rmSync(file);
      });
    }
  }
});
