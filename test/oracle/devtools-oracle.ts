// The DevTools oracle: what Chrome DevTools shows for a heap snapshot, computed by DevTools' own
// heap-snapshot worker code (chrome-devtools-frontend, bundled for Node by build-devtools-bundle.ts).
// Our engine must produce exactly these figures (issue 2).
//
// How to call it:
//   npx tsc -b test
//   node out/test/oracle/cli.js FILE                      # prints the analyze --json shape
//   node out/test/oracle/cli.js FILE --retained-sizes OUT # also writes every node (TSV)
//   node -e "require('./out/test/oracle/devtools-oracle.js').analyzeWithDevTools(F).then(r=>console.log(JSON.stringify(r)))"
// It is meant for test-size snapshots, but reads big ones too given room (--max-old-space-size=16384):
// a 1.1 GB ESLint snapshot took ~3.5 min and 3.6 GB. Its limit is the strings section, which
// DevTools' loader holds as one JS string (V8 caps strings near 512 MB).
//
// What the figures mean (all exactly as DevTools computes them):
//   node_count / edge_count: entries in the snapshot's nodes / edges arrays.
//   total_shallow_size: the sum of every node's self size (the Summary view's total; DevTools'
//     moving of single-owner internal arrays onto their owner keeps this sum unchanged).
//   top_retained: id, name (JSHeapSnapshotNode.name(): plain objects as `{a, b}`, cons strings
//     flattened), type, self size (after that moving), retained size; 50 rows by retained size
//     descending, ties by id ascending.
//   top_aggregates: the Summary view's rows (aggregatesWithFilter with no filter): name, count,
//     shallow size (`self`), retained size (`maxRet`: each object counted once). Objects with self
//     size 0 are not counted, and objects of one constructor name created at different source
//     locations are separate rows (DevTools' class key), so a name can appear twice. Order: exactly
//     the Summary view's default sort — retained size descending, then name ascending (JS string
//     `<`), then (a stable sort) the order in which DevTools first met the class, i.e. the class of
//     the lowest-index node with a non-zero self size first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

import { AggregateRow, AnalyzeJson, RetainedRow, TOP_AGGREGATE_ROWS, TOP_RETAINED_ROWS } from './analyze-json';
import { ensureDevToolsBundle } from './build-devtools-bundle';

// The slice of DevTools' worker API the oracle uses (front_end/entrypoints/heap_snapshot_worker).
interface DevToolsNode {
  nodeIndex: number;
  id(): number;
  name(): string;
  type(): string;
  selfSize(): number;
  retainedSize(): number;
}
interface DevToolsAggregate {
  name: string;
  count: number;
  self: number;
  maxRet: number;
}
interface DevToolsSnapshot {
  nodeCount: number;
  nodeFieldCount: number;
  edgeFieldsCount: number;
  containmentEdges: { length: number };
  retainedSizes: Float64Array;
  createNode(nodeIndex?: number): DevToolsNode;
  aggregatesWithFilter(filter: object): Record<string, DevToolsAggregate>;
}
interface DevToolsLoader {
  write(chunk: string): void;
  close(): void;
  buildSnapshot(secondWorker: MessagePort): Promise<DevToolsSnapshot>;
}
interface DevToolsBundle {
  HeapSnapshotLoader: new (dispatcher?: unknown) => DevToolsLoader;
  SecondaryInitManager: new (port: MessagePort) => unknown;
}

export interface OracleOptions {
  /** Run DevTools' second worker in a real thread, as DevTools does (the benchmark uses this). */
  secondThread?: boolean;
  /** DevTools' own console warnings (e.g. "N nodes are unreachable from the root"). Dropped if unset. */
  onWarning?: (text: string) => void;
}

async function loadBundle(): Promise<{ bundle: DevToolsBundle; bundlePath: string }> {
  const bundlePath = await ensureDevToolsBundle();
  const bundle = (await import(pathToFileURL(bundlePath).href)) as DevToolsBundle;
  return { bundle, bundlePath };
}

/** Streams the file into DevTools' loader in string chunks and runs DevTools' full initialisation. */
async function loadWithDevTools(file: string, options: OracleOptions): Promise<DevToolsSnapshot> {
  const { bundle, bundlePath } = await loadBundle();
  const loader = new bundle.HeapSnapshotLoader();
  // The loader parses as chunks arrive (each await below lets it consume the previous chunk), so
  // only the strings section is ever held whole — DevTools' own limit.
  for await (const chunk of fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    loader.write(chunk as string);
  }
  loader.close();

  const channel = new MessageChannel();
  let worker: Worker | undefined;
  if (options.secondThread) {
    worker = new Worker(path.join(__dirname, 'devtools-second-thread.js'), {
      workerData: { bundlePath, port: channel.port2 },
      transferList: [channel.port2],
    });
  } else {
    new bundle.SecondaryInitManager(channel.port2);
  }
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => options.onWarning?.(args.map(String).join(' '));
  try {
    return await loader.buildSnapshot(channel.port1);
  } finally {
    console.warn = originalWarn;
    channel.port1.close();
    await worker?.terminate();
  }
}

/** Does row a come before row b in top_retained? */
function retainedBefore(a: RetainedRow, b: RetainedRow): boolean {
  return a.retained_size > b.retained_size || (a.retained_size === b.retained_size && a.id < b.id);
}

function topRetained(snapshot: DevToolsSnapshot): RetainedRow[] {
  const node = snapshot.createNode(0);
  const top: RetainedRow[] = [];
  const { retainedSizes, nodeFieldCount } = snapshot;
  for (let ordinal = 0; ordinal < snapshot.nodeCount; ordinal++) {
    node.nodeIndex = ordinal * nodeFieldCount;
    const last = top[top.length - 1];
    if (top.length === TOP_RETAINED_ROWS &&
        (retainedSizes[ordinal] < last.retained_size ||
         (retainedSizes[ordinal] === last.retained_size && node.id() > last.id))) {
      continue;
    }
    const row = {
      id: node.id(), name: node.name(), type: node.type(), self_size: node.selfSize(),
      retained_size: node.retainedSize(),
    };
    let at = top.length;
    while (at > 0 && retainedBefore(row, top[at - 1])) at--;
    top.splice(at, 0, row);
    if (top.length > TOP_RETAINED_ROWS) top.pop();
  }
  return top;
}

function topAggregates(snapshot: DevToolsSnapshot): AggregateRow[] {
  // Same comparator as DevTools' HeapSnapshotConstructorsDataGrid for its default column
  // (retainedSize descending, then name ascending), over the aggregates in DevTools' own order.
  const aggregates = Object.values(snapshot.aggregatesWithFilter({}));
  aggregates.sort((a, b) => {
    if (a.maxRet !== b.maxRet) return a.maxRet > b.maxRet ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  return aggregates.slice(0, TOP_AGGREGATE_ROWS).map((aggregate) => ({
    name: aggregate.name, count: aggregate.count, shallow_size: aggregate.self, retained_size: aggregate.maxRet,
  }));
}

function totalShallowSize(snapshot: DevToolsSnapshot): number {
  const node = snapshot.createNode(0);
  let total = 0;
  for (let ordinal = 0; ordinal < snapshot.nodeCount; ordinal++) {
    node.nodeIndex = ordinal * snapshot.nodeFieldCount;
    total += node.selfSize();
  }
  return total;
}

function analysisOf(snapshot: DevToolsSnapshot): AnalyzeJson {
  return {
    node_count: snapshot.nodeCount,
    edge_count: snapshot.containmentEdges.length / snapshot.edgeFieldsCount,
    total_shallow_size: totalShallowSize(snapshot),
    top_retained: topRetained(snapshot),
    top_aggregates: topAggregates(snapshot),
  };
}

/** The `heapscope analyze --json` figures for FILE, as DevTools computes them. */
export async function analyzeWithDevTools(file: string, options: OracleOptions = {}): Promise<AnalyzeJson> {
  return analysisOf(await loadWithDevTools(file, options));
}

export interface DevToolsNodeRow {
  name: string;
  type: string;
  selfSize: number;
  retainedSize: number;
}

/** Every node by id, with DevTools' self and retained sizes: for chasing a mismatch. */
export async function retainedSizesById(file: string, options: OracleOptions = {}): Promise<Map<number, DevToolsNodeRow>> {
  return nodeRowsOf(await loadWithDevTools(file, options));
}

function nodeRowsOf(snapshot: DevToolsSnapshot): Map<number, DevToolsNodeRow> {
  const rows = new Map<number, DevToolsNodeRow>();
  const node = snapshot.createNode(0);
  for (let ordinal = 0; ordinal < snapshot.nodeCount; ordinal++) {
    node.nodeIndex = ordinal * snapshot.nodeFieldCount;
    rows.set(node.id(), {
      name: node.name(), type: node.type(), selfSize: node.selfSize(), retainedSize: node.retainedSize(),
    });
  }
  return rows;
}

/** Both at once, from one load (the CLI's --retained-sizes). */
export async function analyzeAndListNodes(file: string, options: OracleOptions = {}):
    Promise<{ analysis: AnalyzeJson; nodes: Map<number, DevToolsNodeRow> }> {
  const snapshot = await loadWithDevTools(file, options);
  return { analysis: analysisOf(snapshot), nodes: nodeRowsOf(snapshot) };
}
