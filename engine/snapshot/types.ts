/**
 * Plain, serialisable result types of the snapshot engine. Everything here travels over
 * postMessage (worker <-> extension <-> webview) and into JSON, so: no classes, no typed arrays,
 * no Maps. A node is addressed by its `index`: its ordinal in the snapshot's node array
 * (0 .. nodeCount-1), valid for one loaded snapshot. Across snapshots of one process use `id`.
 */

// The shapes a viewer receives live in protocol/; engine-only types stay here.
import type { LoadProgress, NodeInfo, PathStep, SourceLocation } from '../../protocol/snapshot';
export type { LoadProgress, NodeInfo, SourceLocation, ClassRow, Page, EdgeInfo, PathStep, SnapshotSummary, ClassDelta, Comparison, SuspectKind, LeakSuspect } from '../../protocol/snapshot';

export type LoadPhase = LoadProgress['phase'];

export interface LoadOptions {
  onProgress?(progress: LoadProgress): void;
  signal?: AbortSignal;
}

export type CollectionKind = 'Map' | 'Set' | 'Array' | 'Object';

/** A collection (matched by id) whose entry count grew at every step across the snapshots. */
export interface GrownCollection {
  id: number;
  kind: CollectionKind;
  className: string;
  /** Entry count in each snapshot, in order. */
  counts: number[];
  /** Retained size in each snapshot, in order. */
  retainedSizes: number[];
  /** The node in the last snapshot. */
  node: NodeInfo;
  path: PathStep[];
  location?: SourceLocation;
}

