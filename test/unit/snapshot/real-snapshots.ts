/**
 * Heap snapshots of real Node processes, written at test time by `node -e` programs calling
 * v8.writeHeapSnapshot (never committed). Node 22/24 come from npm (test/oracle/node-versions.ts,
 * cached in ~/.cache/heapscope); the system Node is 20.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeBinary, type NodeMajor } from '../../oracle/node-versions';

let workDir: string | undefined;

/** A scratch directory for this test run, removed at exit. */
export function scratchDir(): string {
  if (!workDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-snapshot-unit-'));
    workDir = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return workDir;
}

/**
 * Runs `program` (JavaScript; it can call `snap()` to write the next snapshot) in a fresh Node of
 * that major and returns the snapshot paths in order.
 */
export function writeRealSnapshots(name: string, program: string, major: NodeMajor = 20): string[] {
  const prefix = path.join(scratchDir(), `${name}-node${major}`);
  const prelude = `let __n = 0; const __files = []; function snap() { const f = ${JSON.stringify(prefix)} + '-' + (__n++) + '.heapsnapshot'; require('v8').writeHeapSnapshot(f); __files.push(f); }\n`;
  const epilogue = `\nprocess.stdout.write(JSON.stringify(__files));`;
  const out = execFileSync(nodeBinary(major), ['-e', prelude + program + epilogue], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as string[];
}
