/**
 * Streaming reader for V8 `.heapsnapshot` files.
 *
 * The file is read in chunks and parsed byte by byte: numbers go straight into typed arrays (one
 * column per field we use), strings into one table. The file is never held as one string, so files
 * larger than V8's maximum string length (~512 MB) load. The field layout comes from
 * `snapshot.meta`; unknown top-level keys and extra fields are skipped.
 *
 * Every malformed input ends in one InputError that says what is wrong, where (byte offset or
 * field) and what to do.
 */
import * as fs from 'node:fs';
import { CancelledError, InputError } from '../errors';
import { prepareEdgeRegionHelper, type EdgeRegionHelper } from './edge-region';
import { sharedUint32 } from './shared-arrays';
import type { LoadOptions } from './types';

export interface SnapshotMeta {
  node_fields: string[];
  node_types: unknown[];
  edge_fields: string[];
  edge_types: unknown[];
  location_fields?: string[];
}

export interface SnapshotHeader {
  meta: SnapshotMeta;
  node_count?: number;
  edge_count?: number;
  root_index?: number;
  extra_native_bytes?: number;
}

/** The graph as columns of typed arrays. Edge targets are node ordinals (not field offsets). */
export interface RawGraph {
  header: SnapshotHeader;
  nodeTypeNames: string[];
  edgeTypeNames: string[];
  nodeCount: number;
  edgeCount: number;
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  nodeSelfSize: Uint32Array;
  /** Edges of node n are firstEdge[n] .. firstEdge[n+1]-1 (edge ordinals). Length nodeCount + 1. */
  firstEdge: Uint32Array;
  edgeType: Uint8Array;
  /** A string index for named edges, the element index for `element` and `hidden` edges. */
  edgeName: Uint32Array;
  edgeTo: Uint32Array;
  strings: string[];
  /** Source positions V8 recorded (closures, objects with a JS constructor), by node ordinal. */
  locations: { node: Uint32Array; scriptId: Uint32Array; line: Uint32Array; column: Uint32Array };
  fileSize: number;
  /** Edge rows the helper thread parsed (0 when the file was parsed by one thread). */
  rowsFromHelper: number;
}

const CHUNK_SIZE = 4 << 20;
/** How much of the edges array to read before guessing its length (edge-region.ts). */
const EDGE_SAMPLE_BYTES = 2 << 20;
/** Below this file size a helper thread for the edges costs more than it saves. */
const MIN_FILE_FOR_SPLIT = 64 << 20;
/** The `snapshot` header is small (a few KB); anything far larger is not a V8 heap snapshot. */
const MAX_HEADER_BYTES = 16 << 20;

const enum Ch {
  Quote = 0x22, Comma = 0x2c, Colon = 0x3a, Backslash = 0x5c,
  OpenBracket = 0x5b, CloseBracket = 0x5d, OpenBrace = 0x7b, CloseBrace = 0x7d,
  Zero = 0x30, Nine = 0x39, Space = 0x20, Tab = 0x09, Lf = 0x0a, Cr = 0x0d,
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Lf || c === Ch.Cr || c === Ch.Tab;
}

const SNAPSHOT_HINT = 'Is this a heap snapshot written by V8 (Node, Chrome DevTools, CDP)? Capture a new one with `heapscope snapshot` or v8.writeHeapSnapshot().';
const TRUNCATED_HINT = 'The file ends early: it may be truncated or still being written. Wait for the writer to finish, or capture the snapshot again.';

/** Grows a typed-array column by doubling when the header did not give a count. */
function grown<T extends Uint8Array | Uint32Array>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  let size = Math.max(array.length * 2, 1024);
  while (size < needed) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

function trimmed<T extends Uint8Array | Uint32Array>(array: T, length: number): T {
  return (array.length === length ? array : array.slice(0, length)) as T;
}

/**
 * A sink for a flat number array: receives whole rows of `width` numbers at a time, from a staging
 * buffer, so the byte loop stays a tight loop and the per-row work is one call per batch.
 */
interface RowSink {
  width: number;
  /** Takes rows * width values from values[0..]. */
  take(values: Float64Array, rows: number): void;
}

/** Numbers parsed but not yet handed to the sink (flushed in whole rows). */
const STAGING_SIZE = 1 << 16;

type TopState =
  | 'start' | 'key' | 'colon' | 'value' | 'after-value' | 'end'
  | 'header' | 'numbers' | 'strings' | 'skip';

/** The push parser: feed() it chunks in order, then finish(). */
export class SnapshotParser {
  private state: TopState = 'start';
  private offset = 0; // absolute offset of the current chunk's first byte
  private keyBytes: number[] = [];
  private inKey = false;
  private key = '';
  private readonly seen = new Set<string>();
  /** Absolute offsets where the "nodes" and "edges" arrays begin (their '['). */
  nodesAt = -1;
  edgesAt = -1;
  /** Region mode (edge-region.ts): parse one run of edge rows, stop at the array's ']'. */
  private regionOnly = false;
  /** In region mode, the absolute offset of the ']' that ended the array, once seen. */
  regionEnd = -1;

  // nested-value scanning (header collection and skipping)
  private depth = 0;
  private inString = false;
  private escaped = false;
  private headerChunks: Buffer[] = [];
  private headerBytes = 0;
  private scalar = false;

  // number arrays
  private sink: RowSink | null = null;
  private started = false; // saw '['
  private inNumber = false;
  private number = 0;
  private staged = 0;
  private maxNodeName = 0;
  private maxEdgeName = 0;
  private readonly staging = new Float64Array(STAGING_SIZE);
  private rows = 0;

  // strings
  private stringParts: Buffer[] = [];
  private stringInProgress = false;
  private stringHasEscape = false;
  private stringNonAscii = false;

  header: SnapshotHeader | null = null;
  nodeTypeNames: string[] = [];
  edgeTypeNames: string[] = [];
  nodeCount = 0;
  edgeCount = 0;
  private nodeFieldCount = 0;
  nodeType = new Uint8Array(0);
  nodeName = new Uint32Array(0);
  nodeId = new Uint32Array(0);
  nodeSelfSize = new Uint32Array(0);
  firstEdge: Uint32Array = new Uint32Array(1);
  edgeType = new Uint8Array(0);
  edgeName = new Uint32Array(0);
  edgeTo: Uint32Array = new Uint32Array(0);
  strings: string[] = [];
  locNode = new Uint32Array(0);
  locScript = new Uint32Array(0);
  locLine = new Uint32Array(0);
  locColumn = new Uint32Array(0);
  locCount = 0;

  private fail(message: string, at: number, hint = SNAPSHOT_HINT): never {
    throw new InputError(`${message} (at byte ${at})`, hint);
  }

  feed(buf: Buffer, offset: number): void {
    this.offset = offset;
    let pos = 0;
    const end = buf.length;
    while (pos < end && this.regionEnd < 0) {
      switch (this.state) {
        case 'start': {
          const c = buf[pos];
          if (isSpace(c)) { pos++; break; }
          if (c !== Ch.OpenBrace) this.fail('not a heap snapshot: the file is not a JSON object', offset + pos);
          this.state = 'key';
          pos++;
          break;
        }
        case 'key': pos = this.readKey(buf, pos); break;
        case 'colon': {
          const c = buf[pos];
          if (isSpace(c)) { pos++; break; }
          if (c !== Ch.Colon) this.fail(`malformed JSON after key "${this.key}": expected ':'`, offset + pos);
          this.state = 'value';
          pos++;
          break;
        }
        case 'value': {
          const c = buf[pos];
          if (isSpace(c)) { pos++; break; }
          this.startValue(c, offset + pos);
          break;
        }
        case 'header': pos = this.scanNested(buf, pos, true); break;
        case 'skip': pos = this.scanNested(buf, pos, false); break;
        case 'numbers': pos = this.readNumbers(buf, pos); break;
        case 'strings': pos = this.readStrings(buf, pos); break;
        case 'after-value': {
          const c = buf[pos];
          if (isSpace(c)) { pos++; break; }
          if (c === Ch.Comma) this.state = 'key';
          else if (c === Ch.CloseBrace) this.state = 'end';
          else this.fail(`malformed JSON after "${this.key}": expected ',' or '}'`, offset + pos);
          pos++;
          break;
        }
        case 'end': {
          if (!isSpace(buf[pos])) this.fail('unexpected data after the end of the snapshot', offset + pos);
          pos++;
          break;
        }
      }
    }
  }

  private readKey(buf: Buffer, pos: number): number {
    const end = buf.length;
    if (!this.inKey) {
      while (pos < end && isSpace(buf[pos])) pos++;
      if (pos === end) return pos;
      if (buf[pos] === Ch.CloseBrace && this.seen.size === 0) {
        this.state = 'end';
        return pos + 1;
      }
      if (buf[pos] !== Ch.Quote) this.fail('malformed JSON: expected a key', this.offset + pos);
      this.inKey = true;
      this.keyBytes = [];
      pos++;
    }
    while (pos < end) {
      const c = buf[pos++];
      if (c === Ch.Quote) {
        this.inKey = false;
        this.key = Buffer.from(this.keyBytes).toString('utf8');
        this.state = 'colon';
        return pos;
      }
      if (this.keyBytes.length > 256) this.fail('not a heap snapshot: a top-level key is too long', this.offset + pos);
      this.keyBytes.push(c);
    }
    return pos;
  }

  private startValue(c: number, at: number): void {
    const key = this.key;
    if (this.seen.has(key)) this.fail(`field "${key}" appears twice`, at);
    this.seen.add(key);
    if (key === 'snapshot') {
      if (c !== Ch.OpenBrace) this.fail('field "snapshot" is not an object', at);
      this.beginNested('header');
      return;
    }
    const isArrayKey = key === 'nodes' || key === 'edges' || key === 'locations' || key === 'strings';
    if (isArrayKey && !this.header) {
      this.fail(`field "${key}" comes before "snapshot" (the header with the field layout)`, at);
    }
    if (isArrayKey && c !== Ch.OpenBracket) this.fail(`field "${key}" is not an array`, at);
    if (key === 'nodes') {
      this.nodesAt = at;
      this.beginNumbers(this.nodeSink());
    }
    else if (key === 'edges') {
      if (!this.seen.has('nodes')) this.fail('field "edges" comes before "nodes"', at);
      this.edgesAt = at;
      this.beginNumbers(this.edgeSink());
    } else if (key === 'locations') {
      const sink = this.locationSink();
      if (sink) this.beginNumbers(sink);
      else this.beginNested('skip');
    } else if (key === 'strings') {
      this.state = 'strings';
      this.started = false;
    } else {
      this.beginNested('skip');
    }
  }

  private beginNested(state: 'header' | 'skip'): void {
    this.state = state;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.scalar = false;
    this.headerChunks = [];
    this.headerBytes = 0;
  }

  /** Scans one JSON value (object, array, string or scalar), collecting it when it is the header. */
  private scanNested(buf: Buffer, pos: number, collect: boolean): number {
    const start = pos;
    const end = buf.length;
    let done = false;
    if (this.depth === 0 && !this.inString && !this.scalar) {
      const c = buf[pos];
      if (c === Ch.OpenBrace || c === Ch.OpenBracket) { this.depth = 1; pos++; }
      else if (c === Ch.Quote) { this.inString = true; pos++; }
      else this.scalar = true;
    }
    while (pos < end && !done) {
      const c = buf[pos];
      if (this.scalar) {
        if (c === Ch.Comma || c === Ch.CloseBrace || isSpace(c)) { done = true; break; }
        pos++;
        continue;
      }
      pos++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === Ch.Backslash) this.escaped = true;
        else if (c === Ch.Quote) {
          this.inString = false;
          if (this.depth === 0) done = true;
        }
      } else if (c === Ch.Quote) this.inString = true;
      else if (c === Ch.OpenBrace || c === Ch.OpenBracket) this.depth++;
      else if (c === Ch.CloseBrace || c === Ch.CloseBracket) {
        if (--this.depth === 0) done = true;
      }
    }
    if (collect) {
      this.headerBytes += pos - start;
      if (this.headerBytes > MAX_HEADER_BYTES) this.fail('not a heap snapshot: the "snapshot" header is far too large', this.offset + pos);
      this.headerChunks.push(Buffer.from(buf.subarray(start, pos)));
    }
    if (done) {
      this.scalar = false;
      if (collect) this.acceptHeader(Buffer.concat(this.headerChunks).toString('utf8'));
      this.headerChunks = [];
      this.state = 'after-value';
    }
    return pos;
  }

  private acceptHeader(text: string): void {
    let header: SnapshotHeader;
    try {
      header = JSON.parse(text) as SnapshotHeader;
    } catch {
      throw new InputError('the "snapshot" header is not valid JSON', SNAPSHOT_HINT);
    }
    const meta = header?.meta;
    const fieldList = (name: keyof SnapshotMeta): string[] => {
      const value = meta?.[name];
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        throw new InputError(`snapshot.meta.${name} is missing or not a list of names`, SNAPSHOT_HINT);
      }
      return value as string[];
    };
    const nodeFields = fieldList('node_fields');
    const edgeFields = fieldList('edge_fields');
    for (const f of ['type', 'name', 'id', 'self_size', 'edge_count']) {
      if (!nodeFields.includes(f)) throw new InputError(`snapshot.meta.node_fields lacks "${f}"`, SNAPSHOT_HINT);
    }
    for (const f of ['type', 'name_or_index', 'to_node']) {
      if (!edgeFields.includes(f)) throw new InputError(`snapshot.meta.edge_fields lacks "${f}"`, SNAPSHOT_HINT);
    }
    const typeNames = (types: unknown, fields: string[], name: string): string[] => {
      const list = Array.isArray(types) ? types[fields.indexOf('type')] : undefined;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
        throw new InputError(`snapshot.meta.${name} has no list of type names`, SNAPSHOT_HINT);
      }
      return list as string[];
    };
    this.nodeTypeNames = typeNames(meta.node_types, nodeFields, 'node_types');
    this.edgeTypeNames = typeNames(meta.edge_types, edgeFields, 'edge_types');
    for (const count of ['node_count', 'edge_count'] as const) {
      const value = header[count];
      if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
        throw new InputError(`snapshot.${count} is not a count: ${JSON.stringify(value)}`, SNAPSHOT_HINT);
      }
    }
    this.header = header;
    this.nodeFieldCount = nodeFields.length;
  }

  private beginNumbers(sink: RowSink): void {
    this.state = 'numbers';
    this.sink = sink;
    this.started = false;
    this.inNumber = false;
    this.number = 0;
    this.staged = 0;
    this.rows = 0;
  }

  /**
   * The hot loop. A number is read by a tight inner loop over its digits and staged; the outer
   * loop only sees separators. A number cut by the chunk's end carries over in `number`.
   */
  private readNumbers(buf: Buffer, pos: number): number {
    const staging = this.staging;
    const end = buf.length;
    if (!this.started) {
      this.started = true; // startValue checked that this byte is '['
      pos++;
    }
    let staged = this.staged;
    let c = 0;
    if (this.inNumber) {
      // Finish the number the previous chunk cut.
      let number = this.number;
      while (pos < end && (c = buf[pos]) >= Ch.Zero && c <= Ch.Nine) {
        number = number * 10 + (c - Ch.Zero);
        pos++;
      }
      if (pos === end) {
        this.number = number;
        return pos;
      }
      this.inNumber = false;
      this.number = 0;
      staging[staged++] = number;
      if (staged === STAGING_SIZE) staged = this.flushRows(staged, pos);
    }
    while (pos < end) {
      c = buf[pos];
      if (c >= Ch.Zero && c <= Ch.Nine) {
        let number = c - Ch.Zero;
        pos++;
        while (pos < end && (c = buf[pos]) >= Ch.Zero && c <= Ch.Nine) {
          number = number * 10 + (c - Ch.Zero);
          pos++;
        }
        if (pos === end) {
          this.inNumber = true;
          this.number = number;
          break;
        }
        staging[staged++] = number;
        if (staged === STAGING_SIZE) staged = this.flushRows(staged, pos);
      }
      if (c === Ch.Comma || c === Ch.Lf || c === Ch.Space || c === Ch.Cr || c === Ch.Tab) {
        pos++;
        continue;
      }
      if (c === Ch.CloseBracket) {
        staged = this.flushRows(staged, pos);
        this.staged = staged;
        this.endNumbers(staged, pos);
        return pos + 1;
      }
      this.fail(`unexpected character ${JSON.stringify(String.fromCharCode(c))} in the "${this.key}" array`, this.offset + pos);
    }
    this.staged = this.flushRows(staged, pos);
    return pos;
  }

  /** Absolute byte offset near the rows being handed over, for error messages. */
  private rowAt = 0;

  /** Hands whole rows to the sink; returns how many staged numbers are left (a partial row). */
  private flushRows(staged: number, pos: number): number {
    const sink = this.sink as RowSink;
    const rows = Math.floor(staged / sink.width);
    if (rows === 0) return staged;
    this.rowAt = this.offset + pos;
    sink.take(this.staging, rows);
    this.rows += rows;
    const used = rows * sink.width;
    this.staging.copyWithin(0, used, staged);
    return staged - used;
  }

  private endNumbers(leftover: number, pos: number): void {
    this.rowAt = this.offset + pos;
    if (leftover !== 0) {
      this.fail(`the "${this.key}" array length is not a multiple of its ${this.sink?.width} fields in snapshot.meta`, this.rowAt);
    }
    if (this.regionOnly) {
      this.regionEnd = this.offset + pos;
      this.edgeCount = this.rows;
      this.edgeType = trimmed(this.edgeType, this.rows);
      this.edgeName = trimmed(this.edgeName, this.rows);
      this.edgeTo = trimmed(this.edgeTo, this.rows);
      return;
    }
    const header = this.header as SnapshotHeader;
    if (this.key === 'nodes') {
      if (header.node_count !== undefined && this.rows !== header.node_count) {
        this.fail(`snapshot.node_count says ${header.node_count} nodes but the "nodes" array holds ${this.rows}`, this.rowAt);
      }
      this.nodeCount = this.rows;
      this.nodeType = trimmed(this.nodeType, this.rows);
      this.nodeName = trimmed(this.nodeName, this.rows);
      this.nodeId = trimmed(this.nodeId, this.rows);
      this.nodeSelfSize = trimmed(this.nodeSelfSize, this.rows);
      this.firstEdge = trimmed(this.firstEdge, this.rows + 1);
    } else if (this.key === 'edges') {
      if (header.edge_count !== undefined && this.rows !== header.edge_count) {
        this.fail(`snapshot.edge_count says ${header.edge_count} edges but the "edges" array holds ${this.rows}`, this.rowAt);
      }
      const expected = this.firstEdge[this.nodeCount];
      if (this.rows !== expected) {
        this.fail(`the nodes' edge_count fields add up to ${expected} edges but the "edges" array holds ${this.rows}`, this.rowAt);
      }
      this.edgeCount = this.rows;
      this.edgeType = trimmed(this.edgeType, this.rows);
      this.edgeName = trimmed(this.edgeName, this.rows);
      this.edgeTo = trimmed(this.edgeTo, this.rows);
    } else {
      this.locCount = this.rows;
    }
    this.sink = null;
    this.state = 'after-value';
  }

  private nodeSink(): RowSink {
    const fields = (this.header as SnapshotHeader).meta.node_fields;
    const width = fields.length;
    const [typeAt, nameAt, idAt, sizeAt, edgesAt] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => fields.indexOf(f));
    const declared = (this.header as SnapshotHeader).node_count;
    const capacity = declared ?? 1 << 16;
    this.nodeType = new Uint8Array(capacity);
    this.nodeName = new Uint32Array(capacity);
    this.nodeId = new Uint32Array(capacity);
    this.nodeSelfSize = new Uint32Array(capacity);
    // The columns the dominator thread reads are shared with it (see dominators-thread.ts).
    this.firstEdge = declared === undefined ? new Uint32Array(capacity + 1) : sharedUint32(capacity + 1);
    const typeCount = this.nodeTypeNames.length;
    let edgeTotal = 0;
    return {
      width,
      take: (values, rows) => {
        const first = this.rows;
        const needed = first + rows;
        if (needed > this.nodeType.length) {
          if (declared !== undefined) this.fail(`the "nodes" array holds more than the ${declared} nodes snapshot.node_count says`, this.rowAt);
          this.nodeType = grown(this.nodeType, needed);
          this.nodeName = grown(this.nodeName, needed);
          this.nodeId = grown(this.nodeId, needed);
          this.nodeSelfSize = grown(this.nodeSelfSize, needed);
          this.firstEdge = grown(this.firstEdge, needed + 1);
        }
        const { nodeType, nodeName, nodeId, nodeSelfSize, firstEdge } = this;
        let maxName = this.maxNodeName;
        for (let r = 0, at = 0; r < rows; r++, at += width) {
          const n = first + r;
          const type = values[at + typeAt];
          if (type >= typeCount) this.fail(`node ${n} has type ${type}, but snapshot.meta lists ${typeCount} node types`, this.rowAt);
          nodeType[n] = type;
          const name = values[at + nameAt];
          if (name > maxName) maxName = name;
          nodeName[n] = name;
          nodeId[n] = values[at + idAt];
          nodeSelfSize[n] = values[at + sizeAt];
          edgeTotal += values[at + edgesAt];
          firstEdge[n + 1] = edgeTotal;
        }
        this.maxNodeName = maxName;
        if (edgeTotal > 0xffffffff) this.fail('the nodes declare more than 2^32 edges', this.rowAt);
      },
    };
  }

  /** `sized`: allocate the columns from the header's edge_count (not in region mode, which grows them). */
  private edgeSink(sized = true): RowSink {
    const fields = (this.header as SnapshotHeader).meta.edge_fields;
    const width = fields.length;
    const [typeAt, nameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => fields.indexOf(f));
    const declared = sized ? (this.header as SnapshotHeader).edge_count : undefined;
    // A region holds about half of the edges (edge-region.ts splits the array near its middle).
    const capacity = declared ?? (sized ? this.firstEdge[this.nodeCount] : Math.ceil(((this.header as SnapshotHeader).edge_count ?? 1 << 21) * 0.55));
    this.edgeType = new Uint8Array(capacity);
    this.edgeName = new Uint32Array(capacity);
    this.edgeTo = declared === undefined ? new Uint32Array(capacity) : sharedUint32(capacity);
    const typeCount = this.edgeTypeNames.length;
    const nodeFieldCount = this.nodeFieldCount;
    const nodeLength = this.nodeCount * nodeFieldCount;
    // Element and hidden edges carry an index, not a string: they do not count for the string check.
    const named = this.edgeTypeNames.map((name) => name !== 'element' && name !== 'hidden');
    return {
      width,
      take: (values, rows) => {
        const first = this.rows;
        const needed = first + rows;
        if (needed > this.edgeType.length) {
          if (declared !== undefined) this.fail(`the "edges" array holds more than the ${declared} edges snapshot.edge_count says`, this.rowAt);
          this.edgeType = grown(this.edgeType, needed);
          this.edgeName = grown(this.edgeName, needed);
          this.edgeTo = grown(this.edgeTo, needed);
        }
        const { edgeType, edgeName, edgeTo } = this;
        let maxName = this.maxEdgeName;
        for (let r = 0, at = 0; r < rows; r++, at += width) {
          const e = first + r;
          const type = values[at + typeAt];
          const to = values[at + toAt];
          if (type >= typeCount) this.fail(`edge ${e} has type ${type}, but snapshot.meta lists ${typeCount} edge types`, this.rowAt);
          if (to >= nodeLength || to % nodeFieldCount !== 0) {
            this.fail(`edge ${e} points to node offset ${to}, past the node array (${this.nodeCount} nodes × ${nodeFieldCount} fields) or between nodes`, this.rowAt);
          }
          const name = values[at + nameAt];
          if (named[type] && name > maxName) maxName = name;
          edgeType[e] = type;
          edgeName[e] = name;
          edgeTo[e] = to / nodeFieldCount;
        }
        this.maxEdgeName = maxName;
      },
    };
  }

  private locationSink(): RowSink | null {
    const fields = (this.header as SnapshotHeader).meta.location_fields;
    if (!Array.isArray(fields)) return null;
    const [objectAt, scriptAt, lineAt, columnAt] = ['object_index', 'script_id', 'line', 'column'].map((f) => fields.indexOf(f));
    if (objectAt < 0 || scriptAt < 0 || lineAt < 0 || columnAt < 0) return null;
    const width = fields.length;
    const nodeFieldCount = this.nodeFieldCount;
    return {
      width,
      take: (values, rows) => {
        const needed = this.rows + rows;
        this.locNode = grown(this.locNode, needed);
        this.locScript = grown(this.locScript, needed);
        this.locLine = grown(this.locLine, needed);
        this.locColumn = grown(this.locColumn, needed);
        for (let r = 0, at = 0; r < rows; r++, at += width) {
          const i = this.rows + r;
          const node = values[at + objectAt];
          if (node % nodeFieldCount !== 0 || node / nodeFieldCount >= this.nodeCount) {
            this.fail(`location ${i} refers to node offset ${node}, past the node array`, this.rowAt);
          }
          this.locNode[i] = node / nodeFieldCount;
          this.locScript[i] = values[at + scriptAt];
          this.locLine[i] = values[at + lineAt];
          this.locColumn[i] = values[at + columnAt];
        }
      },
    };
  }

  /** The string table: one JSON string per entry; escapes decoded by JSON.parse only when present. */
  private readStrings(buf: Buffer, pos: number): number {
    const end = buf.length;
    if (!this.started) {
      this.started = true;
      pos++;
    }
    while (pos < end) {
      if (!this.stringInProgress) {
        const c = buf[pos];
        if (c === Ch.Comma || isSpace(c)) { pos++; continue; }
        if (c === Ch.CloseBracket) {
          this.state = 'after-value';
          return pos + 1;
        }
        if (c !== Ch.Quote) this.fail('unexpected character in the "strings" array', this.offset + pos);
        this.stringInProgress = true;
        this.stringHasEscape = false;
        this.stringNonAscii = false;
        this.escaped = false;
        this.stringParts = [];
        pos++;
      }
      const start = pos;
      let escaped = this.escaped;
      let hasEscape = this.stringHasEscape;
      let nonAscii = this.stringNonAscii;
      let closed = -1;
      while (pos < end) {
        const c = buf[pos];
        if (escaped) escaped = false;
        else if (c === Ch.Backslash) { escaped = true; hasEscape = true; }
        else if (c === Ch.Quote) { closed = pos; break; }
        else if (c >= 0x80) nonAscii = true;
        pos++;
      }
      this.escaped = escaped;
      this.stringHasEscape = hasEscape;
      this.stringNonAscii = nonAscii;
      if (closed < 0) {
        this.stringParts.push(Buffer.from(buf.subarray(start, end)));
        return end;
      }
      let text: string;
      if (this.stringParts.length === 0) {
        text = this.decode(buf, start, closed);
      } else {
        this.stringParts.push(buf.subarray(start, closed));
        const whole = Buffer.concat(this.stringParts);
        text = this.decode(whole, 0, whole.length);
        this.stringParts = [];
      }
      this.strings.push(text);
      this.stringInProgress = false;
      pos = closed + 1;
    }
    return pos;
  }

  private decode(buf: Buffer, start: number, end: number): string {
    if (!this.stringHasEscape) return buf.toString(this.stringNonAscii ? 'utf8' : 'latin1', start, end);
    try {
      return JSON.parse('"' + buf.toString('utf8', start, end) + '"') as string;
    } catch {
      return this.fail(`string ${this.strings.length} in the "strings" array has a malformed escape`, this.offset);
    }
  }

  /**
   * A parser for a run of edge rows starting at a row boundary inside the "edges" array (no
   * header or nodes of its own): the helper thread's half of a split parse (edge-region.ts).
   */
  static edgeRegion(header: SnapshotHeader, nodeTypeNames: string[], edgeTypeNames: string[], nodeCount: number): SnapshotParser {
    const parser = new SnapshotParser();
    parser.header = header;
    parser.nodeTypeNames = nodeTypeNames;
    parser.edgeTypeNames = edgeTypeNames;
    parser.nodeCount = nodeCount;
    parser.nodeFieldCount = header.meta.node_fields.length;
    parser.key = 'edges';
    parser.regionOnly = true;
    parser.beginNumbers(parser.edgeSink(false));
    parser.started = true;
    return parser;
  }

  /** Whether the parser is inside the "edges" array (anywhere). */
  betweenEdgeRowsOrInside(): boolean {
    return this.state === 'numbers' && this.key === 'edges';
  }

  /** Whether the parser is inside the "edges" array, between two rows. */
  betweenEdgeRows(): boolean {
    return this.state === 'numbers' && this.key === 'edges' && !this.inNumber && this.staged === 0;
  }

  get parsedRows(): number {
    return this.rows;
  }

  /** Appends edge rows another parser read (the split parse); the caller resumes at the region's ']'. */
  appendEdgeRows(region: { rows: number; edgeType: Uint8Array; edgeName: Uint32Array; edgeTo: Uint32Array; maxEdgeName: number }): void {
    const at = this.rows;
    this.edgeType.set(region.edgeType, at);
    this.edgeName.set(region.edgeName, at);
    this.edgeTo.set(region.edgeTo, at);
    this.rows += region.rows;
    this.maxEdgeName = Math.max(this.maxEdgeName, region.maxEdgeName);
  }

  /** The rows a region parser read (see edgeRegion). */
  finishRegion(): { rows: number; edgeType: Uint8Array; edgeName: Uint32Array; edgeTo: Uint32Array; maxEdgeName: number } {
    return { rows: this.rows, edgeType: this.edgeType, edgeName: this.edgeName, edgeTo: this.edgeTo, maxEdgeName: this.maxEdgeName };
  }

  finish(fileSize: number): RawGraph {
    if (this.state !== 'end') {
      if (fileSize === 0) throw new InputError('the file is empty (0 bytes)', TRUNCATED_HINT);
      const where = this.state === 'numbers' || this.state === 'strings' ? ` inside the "${this.key}" array` : '';
      this.fail(`unexpected end of file${where}`, fileSize, TRUNCATED_HINT);
    }
    for (const key of ['snapshot', 'nodes', 'edges', 'strings']) {
      if (!this.seen.has(key)) throw new InputError(`not a heap snapshot: the top-level field "${key}" is missing`, SNAPSHOT_HINT);
    }
    this.checkStringIndexes();
    return {
      header: this.header as SnapshotHeader,
      nodeTypeNames: this.nodeTypeNames,
      edgeTypeNames: this.edgeTypeNames,
      nodeCount: this.nodeCount,
      edgeCount: this.edgeCount,
      nodeType: this.nodeType,
      nodeName: this.nodeName,
      nodeId: this.nodeId,
      nodeSelfSize: this.nodeSelfSize,
      firstEdge: this.firstEdge,
      edgeType: this.edgeType,
      edgeName: this.edgeName,
      edgeTo: this.edgeTo,
      strings: this.strings,
      locations: {
        node: trimmed(this.locNode, this.locCount),
        scriptId: trimmed(this.locScript, this.locCount),
        line: trimmed(this.locLine, this.locCount),
        column: trimmed(this.locColumn, this.locCount),
      },
      fileSize,
      rowsFromHelper: 0,
    };
  }

  /**
   * Names must point into the string table (edges of element/hidden type carry plain indexes).
   * The sinks kept the largest name seen; only a bad file pays for finding the culprit.
   */
  private checkStringIndexes(): void {
    const stringCount = this.strings.length;
    if (this.maxNodeName < stringCount && this.maxEdgeName < stringCount) return;
    const { nodeName, edgeName, edgeType } = this;
    for (let n = 0; n < this.nodeCount; n++) {
      if (nodeName[n] >= stringCount) {
        throw new InputError(`node ${n} names string ${nodeName[n]}, but the "strings" array holds ${stringCount}`, SNAPSHOT_HINT);
      }
    }
    const numbered = new Uint8Array(this.edgeTypeNames.length);
    numbered[this.edgeTypeNames.indexOf('element')] = 1;
    numbered[this.edgeTypeNames.indexOf('hidden')] = 1;
    for (let e = 0; e < this.edgeCount; e++) {
      if (numbered[edgeType[e]] === 0 && edgeName[e] >= stringCount) {
        throw new InputError(`edge ${e} names string ${edgeName[e]}, but the "strings" array holds ${stringCount}`, SNAPSHOT_HINT);
      }
    }
  }
}

export interface ReadOptions extends LoadOptions {
  /** Read size in bytes; tests pass tiny ones so that every token gets cut somewhere. */
  chunkSize?: number;
  /** worker.js, for the helper thread that parses half of the edges of a big file (edge-region.ts). */
  workerPath?: string;
  /** When to split (tests force it on small files): file size, and edge bytes to read before guessing. */
  split?: { minFileBytes: number; sampleBytes: number };
}

/**
 * Reads and parses a snapshot file. Reads ahead one chunk while the current one is parsed; on a
 * big file a helper thread parses the second half of the edges meanwhile.
 */
export async function readSnapshotFile(path: string, options: ReadOptions = {}): Promise<RawGraph> {
  const { onProgress, signal } = options;
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`no such file: ${path}`, 'Check the path; capture a snapshot with `heapscope snapshot` first.');
    if (code === 'EISDIR') throw new InputError(`${path} is a directory, not a heap snapshot file`, 'Pass the path of a .heapsnapshot file.');
    if (code === 'EACCES') throw new InputError(`no permission to read ${path}`, 'Check the file permissions.');
    throw new InputError(`cannot open ${path}: ${(error as Error).message}`);
  }
  let helper: EdgeRegionHelper | undefined;
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new InputError(`${path} is a directory, not a heap snapshot file`, 'Pass the path of a .heapsnapshot file.');
    const fileSize = stat.size;
    const parser = new SnapshotParser();
    const chunkSize = Math.min(options.chunkSize ?? CHUNK_SIZE, fileSize + 1024);
    const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
    let next = 0; // the buffer the next read fills (never the one being parsed)
    const readAt = async (at: number): Promise<Buffer> => {
      const buffer = buffers[next];
      next ^= 1;
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, at);
      return buffer.subarray(0, bytesRead);
    };
    let offset = 0;
    let helperBegun = false;
    const split = options.split ?? { minFileBytes: MIN_FILE_FOR_SPLIT, sampleBytes: EDGE_SAMPLE_BYTES };
    helper = fileSize >= split.minFileBytes ? prepareEdgeRegionHelper(path, fileSize, options.workerPath) : undefined;
    let rowsFromHelper = 0;
    let helperStart: number | undefined;
    let pending = readAt(0);
    for (;;) {
      let chunk = await pending;
      if (chunk.length === 0) break;
      if (offset === 0 && chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b) {
        throw new InputError(`${path} is gzip-compressed, not a heap snapshot`, 'Decompress it first (gunzip FILE) and analyse the result.');
      }
      if (signal?.aborted) throw new CancelledError('loading the snapshot was cancelled');
      if (helper && helperBegun && !parser.betweenEdgeRowsOrInside()) {
        helper.stop(); // the edges ended before the helper's part: the guess was too far
        helper = undefined;
      }
      // At the helper's starting guess: wait for the row boundary it found after it.
      const from = helper?.from();
      if (helper && from !== undefined && helperStart === undefined && from < offset + chunk.length) {
        if (from > offset) {
          parser.feed(chunk.subarray(0, from - offset), offset);
          chunk = chunk.subarray(from - offset);
          offset = from;
        }
        helperStart = await helper.started();
        if (helperStart === undefined || helperStart < offset) {
          helper.stop();
          helper = undefined;
        }
      }
      // At that boundary: take the helper's rows and jump to the array's end.
      if (helper && helperStart !== undefined && helperStart < offset + chunk.length) {
        parser.feed(chunk.subarray(0, helperStart - offset), offset);
        const region = parser.betweenEdgeRows() ? await helper.result() : undefined;
        helper.stop();
        helper = undefined;
        if (region && parser.parsedRows + region.rows === parser.header?.edge_count) {
          parser.appendEdgeRows(region);
          rowsFromHelper = region.rows;
          offset = region.end;
          pending = readAt(offset);
          continue;
        }
        chunk = chunk.subarray(helperStart - offset);
        offset = helperStart;
      }
      pending = readAt(offset + chunk.length);
      parser.feed(chunk, offset);
      offset += chunk.length;
      onProgress?.({ phase: 'parse', done: offset, total: Math.max(fileSize, offset) });
      // Once a few MB of edges tell how many bytes a row takes, the helper gets its half.
      if (helper && !helperBegun && parser.edgesAt >= 0 && offset - parser.edgesAt >= split.sampleBytes) {
        helperBegun = true;
        helper.begin(parser, offset);
      }
    }
    const sizeNow = (await handle.stat()).size;
    try {
      return { ...parser.finish(offset), rowsFromHelper };
    } catch (error) {
      if (error instanceof InputError && sizeNow !== fileSize) {
        throw new InputError(`${path} changed size while it was read (${fileSize} -> ${sizeNow} bytes): it is still being written`, 'Wait until the snapshot is complete, then analyse it.');
      }
      throw error;
    }
  } finally {
    helper?.stop();
    await handle.close();
  }
}
