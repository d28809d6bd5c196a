/**
 * The flame tree of a sampling heap profile (.heapprofile): one node per call stack prefix, with
 * the bytes allocated in the frame itself (self) and in it plus everything it called (total).
 * Plain JSON: the webview's flame graph renders it, and the CLI prints its top frames.
 */

// The tree's shapes live in protocol/ (the flame graph receives them as they are).
export type { FlameNode, ProfileMode, FlameTree } from '../../protocol/profile';

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
