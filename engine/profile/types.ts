/**
 * The flame tree of a sampling heap profile (.heapprofile): one node per call stack prefix, with
 * the bytes allocated in the frame itself (self) and in it plus everything it called (total).
 * Plain JSON: the webview's flame graph renders it, and the CLI prints its top frames.
 */

export interface FlameNode {
  /** The profile's node id (unique in the tree). */
  id: number;
  /** Function name; '(anonymous)' for unnamed functions, V8's own names for '(root)', '(V8 API)', '(GC)'… */
  name: string;
  /** Script URL or path; '' for V8 and native frames. */
  url: string;
  /** 1-based line and column of the function's start, 0 when unknown (editors count from 1; CDP from 0). */
  line: number;
  column: number;
  /** Bytes sampled in this frame itself, and in it plus its callees. */
  selfBytes: number;
  totalBytes: number;
  /** Number of samples taken in this frame itself. */
  selfSamples: number;
  /** Children, largest totalBytes first. */
  children: FlameNode[];
}

/**
 * `live`: objects still alive when the profile was read (pprof's inuse_space); `total`: every
 * sampled allocation, collected or not (alloc_space). The .heapprofile file does not record which:
 * the capturer says.
 */
export type ProfileMode = 'live' | 'total' | 'unknown';

export interface FlameTree {
  root: FlameNode;
  mode: ProfileMode;
  totalBytes: number;
  sampleCount: number;
  nodeCount: number;
}

/** One function's share of the profile, summed over every stack it appears in. */
export interface FunctionCost {
  name: string;
  url: string;
  line: number;
  column: number;
  selfBytes: number;
  /** Bytes under this function, counting a recursive function once per stack. */
  totalBytes: number;
}
