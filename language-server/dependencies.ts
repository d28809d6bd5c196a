/**
 * The packages a file's workspace depends on (its nearest package.json's dependencies and
 * devDependencies), so fixes can use `lru-cache` when it is already there. Cached per package.json
 * and re-read when its modification time changes.
 */
import * as fs from 'fs';
import * as path from 'path';

const cache = new Map<string, { mtimeMs: number; dependencies: ReadonlySet<string> }>();
const NONE: ReadonlySet<string> = new Set();

export function dependenciesFor(fileName: string): ReadonlySet<string> {
  if (!path.isAbsolute(fileName)) return NONE;
  for (let dir = path.dirname(fileName); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(manifest);
    } catch {
      stat = undefined;
    }
    if (stat) return readManifest(manifest, stat.mtimeMs);
    if (path.dirname(dir) === dir) return NONE;
  }
}

function readManifest(manifest: string, mtimeMs: number): ReadonlySet<string> {
  const cached = cache.get(manifest);
  if (cached && cached.mtimeMs === mtimeMs) return cached.dependencies;
  let dependencies: ReadonlySet<string> = NONE;
  try {
    const json = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    dependencies = new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {})]);
  } catch {
    // An unreadable or invalid package.json only means fixes will not assume any dependency.
  }
  cache.set(manifest, { mtimeMs, dependencies });
  return dependencies;
}
