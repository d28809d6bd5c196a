/**
 * Real data for the webview tests, made fresh by real Node processes and run through the real
 * engine: two heap snapshots of a program with a leaky Map (before and after it grew), a
 * .heapprofile written by `node --heap-prof`, and a live session (stats stream, GC events, live
 * and total sampling profiles) of a leaking program attached over CDP.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchScript } from '../../engine/inspector';
import { buildFlameTree, readHeapProfile } from '../../engine/profile';
import type { FlameTree } from '../../engine/profile';
import { analyzeSeries } from '../../engine/series';
import type { GcEvent, HeapSample, SeriesAnalysis } from '../../engine/series';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-webview-data-'));

/** Removes everything the fixtures wrote. */
export function removeFixtures(): void {
  fs.rmSync(scratch, { recursive: true, force: true });
}

const LEAKY_MAP = `
const v8 = require('v8');
class Session {
  constructor(id) {
    this.id = id;
    this.token = 'token-' + id + '-'.repeat(48);
    this.touch = () => this.id;
  }
}
const sessions = new Map();
function remember(i) { sessions.set('session-' + i, new Session(i)); }
function grow(n) { for (let i = sessions.size, end = sessions.size + n; i < end; i++) remember(i); }
grow(2000);
v8.writeHeapSnapshot(process.argv[2]);
grow(20000);
v8.writeHeapSnapshot(process.argv[3]);
`;

export interface Snapshots {
  baseline: string;
  current: string;
}

let snapshots: Snapshots | undefined;

/** Two snapshots of one process: 2 000 sessions in the Map, then 22 000. */
export function leakySnapshots(): Snapshots {
  if (snapshots) return snapshots;
  const script = path.join(scratch, 'leaky-map.js');
  fs.writeFileSync(script, LEAKY_MAP);
  const baseline = path.join(scratch, 'baseline.heapsnapshot');
  const current = path.join(scratch, 'current.heapsnapshot');
  execFileSync(process.execPath, [script, baseline, current], { stdio: 'inherit' });
  snapshots = { baseline, current };
  return snapshots;
}

const ALLOCATING = `
const kept = [];
function makeRecord(i) { return { i, text: 'record ' + i + ' '.repeat(200) }; }
function parseBatch(n) { const out = []; for (let i = 0; i < n; i++) out.push(makeRecord(i)); return out; }
function handleRequest(depth) { return depth === 0 ? parseBatch(200) : handleRequest(depth - 1); }
function cacheResult(batch) { kept.push(batch.map((r) => r.text.toUpperCase())); }
for (let i = 0; i < 400; i++) {
  const batch = handleRequest(i % 12);
  if (i % 3 === 0) cacheResult(batch);
}
`;

let heapProfile: { file: string; tree: FlameTree } | undefined;

/** A .heapprofile from `node --heap-prof`, and the engine's flame tree of it. */
export function heapProfileFile(): { file: string; tree: FlameTree } {
  if (heapProfile) return heapProfile;
  const dir = path.join(scratch, 'heap-prof');
  fs.mkdirSync(dir);
  const script = path.join(dir, 'allocating.js');
  fs.writeFileSync(script, ALLOCATING);
  execFileSync(process.execPath, ['--heap-prof', '--heap-prof-dir', dir, '--heap-prof-interval', '2048', script], { stdio: 'inherit' });
  const file = path.join(dir, fs.readdirSync(dir).find((name) => name.endsWith('.heapprofile'))!);
  heapProfile = { file, tree: buildFlameTree(readHeapProfile(file) as never, 'unknown') };
  return heapProfile;
}

const LEAKING_SERVICE = `
const cache = new Map();
let n = 0;
function serve() {
  for (let i = 0; i < 300; i++, n++) cache.set('/item/' + n, { body: 'x'.repeat(1024) + n, at: Date.now() });
}
setInterval(serve, 20);
setInterval(() => {}, 1000);
`;

export interface LiveSession {
  samples: HeapSample[];
  gcEvents: GcEvent[];
  analysis: SeriesAnalysis;
  live: FlameTree;
  total: FlameTree;
}

let liveSession: Promise<LiveSession> | undefined;

/** Attaches to a leaking program over CDP: a stats stream (10 Hz for ~5 s) and two sampling profiles. */
export function recordLiveSession(): Promise<LiveSession> {
  liveSession ??= record();
  return liveSession;
}

async function record(): Promise<LiveSession> {
  const script = path.join(scratch, 'leaking-service.js');
  fs.writeFileSync(script, LEAKING_SERVICE);
  const program = await launchScript(['node', script]);
  const { session, child } = program;
  try {
    const samples: HeapSample[] = [];
    const gcEvents: GcEvent[] = [];
    const unsubscribe = await session.onGc((event) => gcEvents.push(event));
    const stream = session.streamStats({ intervalMs: 100, onSample: (sample) => samples.push(sample) });
    await session.startSampling({ intervalBytes: 16 * 1024 });
    await sleep(2500);
    const live = buildFlameTree((await session.stopSampling()) as never, 'live');
    await session.startSampling({ intervalBytes: 16 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await sleep(2500);
    const total = buildFlameTree((await session.stopSampling()) as never, 'total');
    stream.stop();
    unsubscribe();
    return { samples, gcEvents, analysis: analyzeSeries(samples, { gcEvents }), live, total };
  } finally {
    await session.close().catch(() => undefined);
    child.kill();
    await program.exitCode;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
