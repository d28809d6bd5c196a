// The benchmark's heap snapshots: real programs (bench/programs/) sized to about 5 MB, 80 MB,
// 550 MB and over 1 GB. Written once by the system Node and cached outside the repository in
// ~/.cache/heapscope/bench/ (override with HEAPSCOPE_CACHE); a cached file is reused as long as its
// name (program, size parameter, Node version) matches.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const programs = path.join(repoRoot, 'bench', 'programs');

export const cacheDir = path.join(process.env.HEAPSCOPE_CACHE ?? path.join(os.homedir(), '.cache', 'heapscope'), 'bench');

/**
 * label -> how to make it. `timeoutSeconds` is the per-tool limit when analysing that file;
 * `optional` sizes run only when asked for by name.
 */
export const SNAPSHOTS = [
  { label: 'small', target: '~5 MB', program: 'http-state-server.js', args: ['300'], timeoutSeconds: 120 },
  { label: 'medium', target: '~80 MB', program: 'eslint-workload.js', args: ['40'], timeoutSeconds: 300 },
  { label: 'large', target: '~550 MB', program: 'eslint-workload.js', args: ['385'], timeoutSeconds: 900 },
  { label: 'huge', target: '>1 GB', program: 'eslint-workload.js', args: ['1300'], timeoutSeconds: 1200 },
  // Only on request (`--sizes xl`): the "correct and fast at 2 GB"; takes the peers long.
  { label: 'xl', target: '~2 GB', program: 'eslint-workload.js', args: ['2000'], timeoutSeconds: 1800, optional: true },
];

function fileFor(spec) {
  const name = `${path.basename(spec.program, '.js')}-${spec.args.join('-')}-node${process.versions.node}.heapsnapshot`;
  return path.join(cacheDir, name);
}

/** Path of the snapshot for `spec`, writing it first if it is not cached yet. */
export function ensureSnapshot(spec) {
  const file = fileFor(spec);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.partial`;
  const started = Date.now();
  process.stderr.write(`writing ${path.basename(file)} ...`);
  // The programs take OUT first and their size parameter second, except the http server.
  const programArgs = spec.program === 'http-state-server.js' ? [...spec.args, partial] : [partial, ...spec.args];
  execFileSync(process.execPath, ['--max-old-space-size=12288', path.join(programs, spec.program), ...programArgs],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  fs.renameSync(partial, file);
  process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(0)} s, ${(fs.statSync(file).size / 1e6).toFixed(0)} MB\n`);
  return file;
}

/** node_count and edge_count from the snapshot's header (the first few kilobytes). */
export function headerCounts(file) {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(64 * 1024);
    const length = fs.readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, length).toString('utf8');
    return {
      nodes: Number(/"node_count":(\d+)/.exec(text)?.[1]),
      edges: Number(/"edge_count":(\d+)/.exec(text)?.[1]),
    };
  } finally {
    fs.closeSync(fd);
  }
}

// `node bench/snapshot/snapshots.mjs [label...]` writes (or finds) the snapshots and lists them.
if (import.meta.url === `file://${process.argv[1]}`) {
  const labels = process.argv.slice(2);
  for (const spec of SNAPSHOTS.filter((s) => labels.length === 0 || labels.includes(s.label))) {
    const file = ensureSnapshot(spec);
    console.log(spec.label, file, fs.statSync(file).size, JSON.stringify(headerCounts(file)));
  }
}
