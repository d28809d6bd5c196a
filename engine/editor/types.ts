/**
 * Runtime evidence tied to a line of source: what the engine measured in a live process (snapshots,
 * allocation profiles) that points at a place in the user's code. The extension shows these as
 * diagnostics and CodeLens; the CLI could print them. Plain JSON, like the rest of the engine's output.
 */

/** A position in a script as V8 reports it: the script's URL, 0-based line and column. */
export interface ScriptPosition {
  url: string;
  line: number;
  column: number;
}

export type RuntimeFindingKind = 'grown-collection' | 'retaining-closure' | 'allocation-site';

export interface RuntimeFinding {
  kind: RuntimeFindingKind;
  /** The source line the evidence belongs to. */
  at: ScriptPosition;
  /** What the evidence is about, as a user names it: `Map sessions`, `onRequest`, `parseBody`. */
  subject: string;
  /** Bytes grown (grown-collection), retained (retaining-closure) or allocated and still live (allocation-site). */
  bytes: number;
  /** grown-collection: how many snapshots the growth was seen across. */
  snapshotCount?: number;
  /** allocation-site: share of all live sampled bytes; retaining-closure: share of the heap. 0..1 */
  share?: number;
  /** What keeps it alive: the nearest named holder on its path to a GC root, and where that is defined. */
  retainedBy?: { name: string; at?: ScriptPosition };
}
