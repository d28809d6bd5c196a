/**
 * Where a script the target runs lives on this machine.
 *
 * V8 names scripts by URL: `file:///srv/app/server.js` for ES modules, a plain absolute path for
 * CommonJS, `node:internal/...` for Node's own code. The target may also run somewhere else than the
 * editor's folder (a container, a build output copied elsewhere), so when the path itself is not on
 * disk here we look for the same relative path under each workspace folder.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute file-system path a script URL names, or undefined for scripts that have no file
 * (Node internals, `eval`, webpack://, http://).
 */
export function scriptUrlToPath(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url);
    } catch {
      return undefined;
    }
  }
  if (path.posix.isAbsolute(url) || path.win32.isAbsolute(url)) {
    // A Windows path must carry a drive letter or be UNC; a bare `\x` is not a file name V8 writes.
    return /^([a-zA-Z]:[\\/]|\\\\|\/)/.test(url) ? url : undefined;
  }
  return undefined;
}

/**
 * Maps a script URL to a file in one of the workspace folders.
 * 1. The path itself, when it exists.
 * 2. Otherwise the longest tail of the path (`src/server.js`, then `server.js`) that exists under a
 *    folder — but a bare file name only for a path one folder deep (`/app/server.js`): for a deeper
 *    path a lone `index.js` would match almost anything.
 * `exists` is injected so the caller decides how to look (fs, VS Code's file system) and tests stay pure.
 */
export function mapScriptToWorkspace(url: string, folders: readonly string[], exists: (file: string) => boolean): string | undefined {
  const file = scriptUrlToPath(url);
  if (file === undefined) return undefined;
  if (exists(file)) return file;
  const parts = file.split(/[\\/]+/).filter((part) => part.length > 0 && !/^[a-zA-Z]:$/.test(part));
  const minimumTail = Math.max(1, Math.min(2, parts.length - 1));
  for (let take = parts.length - 1; take >= minimumTail; take--) {
    const tail = parts.slice(parts.length - take);
    for (const folder of folders) {
      const candidate = path.join(folder, ...tail);
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}
