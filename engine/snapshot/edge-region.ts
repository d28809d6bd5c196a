/**
 * A split parse for big snapshots: while the main thread parses the "edges" array from its
 * start, a helper thread parses the second half of it, from a row boundary it works out by
 * itself, to the array's end. The main thread stops at that boundary and appends the helper's
 * rows. The edges are most of the file, so this puts the second core to work for about a third of
 * the parse. Anything unexpected (no clear row boundary, the guess landing past the edges, a
 * malformed row) makes the main thread parse that part itself, with its usual errors.
 */
import * as fs from 'node:fs';
import { Worker, type MessagePort } from 'node:worker_threads';
import { SnapshotParser, type SnapshotHeader } from './reader';

const CHUNK = 4 << 20;

export interface EdgeRegionTask {
  task: 'edges';
  path: string;
  /** Where to start looking for a row boundary. */
  from: number;
  header: SnapshotHeader;
  nodeTypeNames: string[];
  edgeTypeNames: string[];
  nodeCount: number;
}

export interface EdgeRegion {
  /** The first byte of the first row. */
  start: number;
  /** The offset of the ']' that ends the edges array. */
  end: number;
  rows: number;
  edgeType: Uint8Array;
  edgeName: Uint32Array;
  edgeTo: Uint32Array;
  maxEdgeName: number;
}

type RegionMessage = { type: 'start'; start: number } | { type: 'done'; region: EdgeRegion } | { type: 'failed' };

/** The helper thread's side. */
export function serveEdgeRegionTask(task: EdgeRegionTask, port: MessagePort): void {
  parseRegion(task, (start) => port.postMessage({ type: 'start', start } satisfies RegionMessage)).then(
    (region) => port.postMessage({ type: 'done', region } satisfies RegionMessage,
      [region.edgeType.buffer, region.edgeName.buffer, region.edgeTo.buffer] as ArrayBuffer[]),
    () => port.postMessage({ type: 'failed' } satisfies RegionMessage),
  );
}

async function parseRegion(task: EdgeRegionTask, onStart: (start: number) => void): Promise<EdgeRegion> {
  const handle = await fs.promises.open(task.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let offset = task.from;
    let start = -1;
    const parser = SnapshotParser.edgeRegion(task.header, task.nodeTypeNames, task.edgeTypeNames, task.nodeCount);
    while (parser.regionEnd < 0) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, offset);
      if (bytesRead === 0) throw new Error('end of file inside the edges region');
      let chunk = buffer.subarray(0, bytesRead);
      if (start < 0) {
        const rowAt = findRowStart(chunk, task);
        start = offset + rowAt;
        onStart(start);
        chunk = chunk.subarray(rowAt);
        offset = start;
      }
      parser.feed(chunk, offset);
      offset += chunk.length;
    }
    const graph = parser.finishRegion();
    return { start, end: parser.regionEnd, rows: graph.rows, edgeType: graph.edgeType, edgeName: graph.edgeName, edgeTo: graph.edgeTo, maxEdgeName: graph.maxEdgeName };
  } finally {
    await handle.close();
  }
}

/** Sent as workerData: the helper thread starts early and waits for its EdgeRegionTask. */
export interface EdgeRegionStandby {
  task: 'edges-standby';
}

/** Numbers to look at when working out where rows start. */
const PHASE_SAMPLE = 3000;

/**
 * Where the first whole edge row starts in `chunk` (which begins somewhere inside the edges
 * array). Not every V8 writes a line per row, so this works it out from the numbers: only at the
 * right phase is every row's type a known edge type and every target the offset of a node. (The
 * main thread checks the answer: it knows where rows start, having parsed from the beginning.)
 */
function findRowStart(chunk: Buffer, task: EdgeRegionTask): number {
  const fields = task.header.meta.edge_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const toAt = fields.indexOf('to_node');
  const nodeFieldCount = task.header.meta.node_fields.length;
  const nodeLength = task.nodeCount * nodeFieldCount;
  // Skip the number we may have landed in the middle of.
  let pos = 0;
  while (pos < chunk.length && chunk[pos] >= 0x30 && chunk[pos] <= 0x39) pos++;
  const starts: number[] = [];
  const values: number[] = [];
  while (pos < chunk.length && values.length < PHASE_SAMPLE) {
    const c = chunk[pos];
    if (c >= 0x30 && c <= 0x39) {
      starts.push(pos);
      let value = 0;
      while (pos < chunk.length && chunk[pos] >= 0x30 && chunk[pos] <= 0x39) value = value * 10 + chunk[pos++] - 0x30;
      values.push(value);
    } else if (c === 0x2c || c === 0x0a || c === 0x0d || c === 0x20 || c === 0x09) pos++;
    else break; // the array ends (or this is not an edge array): too close to the end to split
  }
  if (values.length < PHASE_SAMPLE) throw new Error('too few edge numbers after the split point');
  const phases: number[] = [];
  for (let phase = 0; phase < width; phase++) {
    let fits = true;
    for (let row = phase; row + width <= values.length && fits; row += width) {
      const to = values[row + toAt];
      fits = values[row + typeAt] < task.edgeTypeNames.length && to % nodeFieldCount === 0 && to < nodeLength;
    }
    if (fits) phases.push(phase);
  }
  if (phases.length !== 1) throw new Error('cannot tell where edge rows start');
  return starts[phases[0]];
}

/** The main thread's handle on the helper. */
export interface EdgeRegionHelper {
  /**
   * Gives the helper its region: from the bytes per row so far, where the edges array will end,
   * and the point that leaves as many bytes to the helper as to this thread (now at `offset`).
   */
  begin(parser: SnapshotParser, offset: number): void;
  /** Where the helper starts looking for a row boundary (undefined before begin()). */
  from(): number | undefined;
  /** The first byte of the helper's first row, once it has found it; undefined if it failed. */
  started(): Promise<number | undefined>;
  /** The helper's rows, or undefined if it failed or never began. */
  result(): Promise<EdgeRegion | undefined>;
  stop(): void;
}

/**
 * Starts a helper thread that will parse the second half of the edges array (its start-up
 * overlaps the parsing of the header and nodes). Undefined when there is no worker script.
 */
export function prepareEdgeRegionHelper(path: string, fileSize: number, workerPath: string | undefined): EdgeRegionHelper | undefined {
  if (!workerPath || !fs.existsSync(workerPath)) return undefined;
  let from: number | undefined;
  let settleStart: (start: number | undefined) => void = () => undefined;
  const start = new Promise<number | undefined>((resolve) => { settleStart = resolve; });
  let settleDone: (region: EdgeRegion | undefined) => void = () => undefined;
  const done = new Promise<EdgeRegion | undefined>((resolve) => { settleDone = resolve; });
  const settle = (region: EdgeRegion | undefined): void => {
    settleStart(undefined); // no-op once the start is known
    settleDone(region);
  };
  const worker = new Worker(workerPath, { workerData: { task: 'edges-standby' } satisfies EdgeRegionStandby });
  worker.on('message', (message: RegionMessage) => {
    if (message.type === 'start') settleStart(message.start);
    else settle(message.type === 'done' ? message.region : undefined);
  });
  worker.once('error', () => settle(undefined));
  worker.once('exit', () => settle(undefined));
  void done.then(() => worker.terminate());
  return {
    begin(parser, offset) {
      const header = parser.header;
      const rows = parser.parsedRows;
      if (!header || header.edge_count === undefined || !parser.betweenEdgeRowsOrInside() || rows === 0) return settle(undefined);
      const bytesPerRow = (offset - parser.edgesAt) / rows;
      const end = parser.edgesAt + header.edge_count * bytesPerRow;
      const guess = Math.floor((offset + end) / 2);
      if (guess >= fileSize) return settle(undefined);
      from = guess;
      const task: EdgeRegionTask = {
        task: 'edges', path, from: guess, header, nodeTypeNames: parser.nodeTypeNames, edgeTypeNames: parser.edgeTypeNames, nodeCount: parser.nodeCount,
      };
      worker.postMessage(task);
    },
    from: () => from,
    started: () => start,
    result: () => done,
    stop: () => settle(undefined),
  };
}
