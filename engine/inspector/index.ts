/**
 * engine/inspector — public API (no `vscode` import; used by the extension, the CLI and tests).
 *
 *   discoverTargets(ports?, host?) -> InspectorTarget[]            // GET /json/list on each port
 *   connect({ port, host? } | { url | wsUrl }, + allowRemote?, sharedWithDebugger?) -> InspectorSession
 *   launchScript(['node', 'app.js', ...args], { onStdout, onStderr }) -> { session, child, exitCode }
 *
 *   InspectorSession
 *     .streamStats({ intervalMs = 1000, onSample(HeapSample), onEnd(error) }) -> { info, stop() }
 *     .onGc(listener(GcEvent)) -> Promise<unsubscribe>            // pushed by the target, not polled
 *     .takeHeapSnapshot(filePath, { onProgress, signal }) -> { path, bytes, durationMs }
 *     .startSampling({ intervalBytes = 524288, includeObjectsCollectedByMajorGC, ...MinorGC })
 *     .readSampling() / .stopSampling() -> SamplingHeapProfile    // save with engine/profile
 *     .collectGarbage()                                           // explicit user action only
 *     .onDisconnect(listener(reason)) / .disconnected             // 'closed' | 'target-exited' | 'connection-lost'
 *     .close()
 *
 * With `sharedWithDebugger` (js-debug's CDP proxy) the session sends JsDebug.subscribe for the
 * events it needs and never disables a domain. A host that is not loopback needs `allowRemote`.
 * Errors the user can fix are InputError (engine/errors.ts); a dropped session is SessionEndedError.
 * Samples and GC events are plain JSON (types in engine/series).
 */
export { connect, isLoopback, type ConnectOptions } from './connect';
export { discoverTargets, listTargets, DEFAULT_INSPECTOR_PORTS, type InspectorTarget } from './discover';
export { launchScript, type LaunchOptions, type LaunchedProgram } from './launch';
export { InspectorSession, type TargetAddress } from './session';
export { SessionEndedError, type DisconnectReason } from './session-ended';
export type { StatsStream, StatsStreamOptions } from './stats-stream';
export { SNAPSHOT_PAUSE_WARNING, type SnapshotOptions, type SnapshotProgress, type SnapshotResult } from './snapshot-capture';
export { DEFAULT_SAMPLING_INTERVAL_BYTES, type SamplingOptions } from './sampling-profiler';
export type { ProbeInfo } from './target-probe';
export type { HeapSample, GcEvent } from '../series/types';
