/**
 * The packages a file's workspace depends on, with their version ranges (its nearest
 * package.json's dependencies and devDependencies), so fixes can use `lru-cache` when it is already there. Cached per package.json
 * and re-read when its modification time changes.
 */
import * as fs from 'fs';
import * as path from 'path';

const cache = new Map<string, { mtimeMs: number; dependencies: ReadonlyMap<string, string> }>();
const NONE: ReadonlyMap<string, string> = new Map();

export function dependenciesFor(fileName: string): ReadonlyMap<string, string> {
  if (!path.isAbsolute(fileName)) return NONE;
  for (let dir = path.dirname(fileName); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    let stat: fs.Stats | undefined;
    try {
      // No exception for the common "no package.json here": building one per directory level per file was a visible cost of `heapscope lint`.
      stat = fs.statSync(manifest, { throwIfNoEntry: false });
    } catch {
      stat = undefined;
    }
    if (stat) return readManifest(manifest, stat.mtimeMs);
    if (path.dirname(dir) === dir) return NONE;
  }
}

function readManifest(manifest: string, mtimeMs: number): ReadonlyMap<string, string> {
  const cached = cache.get(manifest);
  if (cached && cached.mtimeMs === mtimeMs) return cached.dependencies;
  let dependencies: ReadonlyMap<string, string> = NONE;
  try {
    const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    dependencies = new Map([...Object.entries(json.devDependencies ?? {}), ...Object.entries(json.dependencies ?? {})]);
  } catch {
    // An unreadable or invalid package.json only means fixes will not assume any dependency.
  }
  cache.set(manifest, { mtimeMs, dependencies });
  return dependencies;
}
