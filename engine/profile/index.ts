/**
 * engine/profile — public API: sampling heap profiles (.heapprofile) as flame trees.
 *
 *   readHeapProfile(path) / parseHeapProfile(text) -> SamplingHeapProfile   (InputError when malformed)
 *   saveHeapProfile(profile, path)                 -> bytes written (the exact JSON DevTools saves)
 *   buildFlameTree(profile, mode?)                 -> FlameTree { root: FlameNode, mode, totalBytes, sampleCount, nodeCount }
 *   topFunctions(tree, limit?)                     -> FunctionCost[] (by self bytes)
 *
 * FlameNode: { id, name, url, line (1-based), column (1-based), selfBytes, totalBytes, selfSamples, children }
 * — plain JSON, the webview's flame graph renders it; click a frame to open url:line.
 */
export { buildFlameTree, topFunctions } from './flame-tree';
export { parseHeapProfile, readHeapProfile, saveHeapProfile, type SamplingHeapProfile } from './heapprofile-file';
export type { FlameNode, FlameTree, FunctionCost, ProfileMode } from './types';
