// Bundles Chrome DevTools' own heap-snapshot worker code (from the `chrome-devtools-frontend` dev
// dependency) into one ES module that Node can import. This is test set-up, not product code: the
// bundle is the oracle our engine is compared against, so it must be DevTools' code unchanged.
//
// Only browser-side modules the worker drags in are replaced, by shims that cannot change a number
// (this is the one mock here: around code that cannot run in Node):
//   - core/i18n: DevTools' UI-string machinery loads locale files at run time; the worker only uses
//     it to format progress messages, which nobody reads here.
//   - core/common: pulled in through text_utils (ContentData) for code paths the loader never calls.
//   - text_utils / heap_snapshot barrels: narrowed to the one file the worker uses from each, so that
//     CodeMirror and the UI proxy classes stay out.
// `Promise.withResolvers` (used by the worker, missing in Node 20) is polyfilled in the banner.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Bump when the shims below change, so cached bundles are rebuilt. */
const SHIM_REVISION = 1;

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function devtoolsPackageDir(): string {
  return path.dirname(require.resolve('chrome-devtools-frontend/package.json', { paths: [repoRoot] }));
}

function devtoolsVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(devtoolsPackageDir(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Where the bundle for the installed DevTools version lives (under out/, never committed). */
export function devtoolsBundlePath(): string {
  return path.join(repoRoot, 'out', 'devtools-oracle', `heap-snapshot-worker-${devtoolsVersion()}-r${SHIM_REVISION}.mjs`);
}

const POLYFILL_BANNER = `if (!Promise.withResolvers) {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}`;

function shimPlugin(frontEnd: string): esbuild.Plugin {
  const shims: Array<[RegExp, string]> = [
    [/(^|\/)i18n\/i18n\.js$/, 'export const i18n = { serializeUIString: (text) => text };'],
    [/(^|\/)common\/common\.js$/, 'export {};'],
    [/(^|\/)text_utils\/text_utils\.js$/, `export * as TextUtils from './core/text_utils/TextUtils.ts';`],
    [/(^|\/)heap_snapshot\/heap_snapshot\.js$/,
      `export * as HeapSnapshotModel from './models/heap_snapshot/HeapSnapshotModel.ts';`],
  ];
  return {
    name: 'devtools-browser-shims',
    setup(build) {
      shims.forEach(([filter], index) => {
        build.onResolve({ filter }, () => ({ path: String(index), namespace: 'devtools-shim' }));
      });
      build.onLoad({ filter: /.*/, namespace: 'devtools-shim' }, (args) => ({
        contents: shims[Number(args.path)][1],
        loader: 'ts',
        resolveDir: frontEnd,
      }));
    },
  };
}

/**
 * Builds the bundle if this DevTools version has none yet; returns its path. Safe to call from
 * several processes at once (each writes a temporary file and renames it into place).
 */
export async function ensureDevToolsBundle(): Promise<string> {
  const target = devtoolsBundlePath();
  if (fs.existsSync(target)) return target;
  const frontEnd = path.join(devtoolsPackageDir(), 'front_end');
  const worker = './entrypoints/heap_snapshot_worker';
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await esbuild.build({
    stdin: {
      contents: `export {HeapSnapshotLoader} from '${worker}/HeapSnapshotLoader.ts';
export {JSHeapSnapshot, SecondaryInitManager} from '${worker}/HeapSnapshot.ts';`,
      resolveDir: frontEnd,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm', // core/platform/HostRuntime.ts uses top-level await
    target: 'node20',
    outfile: temporary,
    banner: { js: POLYFILL_BANNER },
    plugins: [shimPlugin(frontEnd)],
    logLevel: 'error',
  });
  fs.renameSync(temporary, target);
  return target;
}
