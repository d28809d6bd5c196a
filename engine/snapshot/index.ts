/**
 * The heap-snapshot engine: public API (stable; other parts code against it).
 *
 *   loadSnapshot(path, { onProgress, signal }) -> HeapSnapshot     parse + all analyses; for big files two helper
 *                                                                  threads (worker.js) parse half the edges and
 *                                                                  compute the dominator tree
 *   SnapshotWorkerClient.open(path, { onProgress, signal, workerPath })  the same in a worker thread, async
 *                                                                  queries, cancellation (abort / close())
 *
 *   HeapSnapshot
 *     nodeCount, edgeCount, root, summary()                        counts, total sizes, statistics
 *     node(index) -> NodeInfo                                      index = node ordinal (0..nodeCount-1)
 *     topRetained(n)                                               biggest retained sizes, ties by id
 *     aggregates() -> ClassRow[]                                   the Summary: class rows by retained size
 *     instances(classKey, offset, limit) -> Page<NodeInfo>         a page of a class's objects, biggest first
 *     biggestInstance(classKey), classRowOf(index)
 *     dominatorChildren(index, offset, limit) -> Page<NodeInfo>    children in the dominator tree
 *     edgesOf(index, offset, limit) -> Page<EdgeInfo>              outgoing references
 *     retainers(index, offset, limit) -> Page<EdgeInfo>            incoming references, nearest to roots first
 *     pathToRoot(index) -> PathStep[]                              shortest path from a GC root
 *     nodeIndexById(id), sourceLocation(index)
 *
 *   compareSnapshots(base, target) -> Comparison                   by class: new / deleted / deltas, matched by id
 *   findGrowth(snapshots) -> GrownCollection[]                     Map/Set/Array/Object growing at every step
 *   findLeakSuspects(snapshot, growth?) -> LeakSuspect[]           MAT-style suspects with paths and locations
 *
 * Sizes, retained sizes and class names follow Chrome DevTools' rules exactly (see heap-snapshot.ts).
 * Every result type is plain data (types.ts): it survives postMessage and JSON.
 * Bad input raises InputError (engine/errors.ts) with what, where and what to do.
 */
export { loadSnapshot } from './load';
export { HeapSnapshot } from './heap-snapshot';
export { compareSnapshots } from './compare';
export { findGrowth } from './growth';
export { findLeakSuspects, type SuspectOptions } from './suspects';
export { SnapshotWorkerClient, defaultWorkerPath, type WorkerClientOptions } from './worker-client';
export type * from './types';
