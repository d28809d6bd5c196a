/**
 * Real data for the webview tests, made fresh by real Node processes and run through the real
 * engine: two heap snapshots of a program with a leaky Map (before and after it grew), and a live
 * session of a leaking program attached over CDP (stats stream, GC events, live and total sampling
 * profiles, the total one also saved as a .heapprofile file).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchScript } from '../../engine/inspector';
import { buildFlameTree, readHeapProfile, saveHeapProfile } from '../../engine/profile';
import type { FlameTree } from '../../engine/profile';
import { analyzeSeries } from '../../engine/series';
import type { GcEvent, HeapSample, SeriesAnalysis } from '../../engine/series';

let scratchDir: string | undefined;

function scratch(): string {
  scratchDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'heapscope-webview-data-'));
  return scratchDir;
}

/** Removes everything the fixtures wrote; a later call makes them afresh. */
export function removeFixtures(): void {
  if (scratchDir) fs.rmSync(scratchDir, { recursive: true, force: true });
  scratchDir = undefined;
  snapshots = undefined;
  liveSession = undefined;
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
  const script = path.join(scratch(), 'leaky-map.js');
  fs.writeFileSync(script, LEAKY_MAP);
  const baseline = path.join(scratch(), 'baseline.heapsnapshot');
  const current = path.join(scratch(), 'current.heapsnapshot');
  execFileSync(process.execPath, [script, baseline, current], { stdio: 'inherit' });
  snapshots = { baseline, current };
  return snapshots;
}

const LEAKING_SERVICE = `
const cache = new Map();
let n = 0;
function makeBody(id) {
  return { body: 'x'.repeat(1024) + id, at: Date.now() };
}
function renderPage(id) {
  return id % 2 ? makeBody(id) : [makeBody(id), makeBody(id + 0.5)];
}
function serve() {
  for (let i = 0; i < 300; i++, n++) cache.set('/item/' + n, renderPage(n));
  for (let i = 0; i < 300; i++) JSON.stringify(renderPage(i)); // garbage: only in the total profile
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
  /** The total-allocations profile as a .heapprofile file (what the custom editor opens). */
  heapProfile: string;
}

let liveSession: Promise<LiveSession> | undefined;

/** Attaches to a leaking program over CDP: a stats stream (10 Hz for ~5 s) and two sampling profiles. */
export function recordLiveSession(): Promise<LiveSession> {
  liveSession ??= record();
  return liveSession;
}

async function record(): Promise<LiveSession> {
  const script = path.join(scratch(), 'leaking-service.js');
  fs.writeFileSync(script, LEAKING_SERVICE);
  // Without inlining the sampled stacks keep every JS frame (serve → renderPage → makeBody), as a
  // larger real program's would.
  const program = await launchScript(['node', '--no-turbo-inlining', script]);
  const { session, child } = program;
  try {
    const samples: HeapSample[] = [];
    const gcEvents: GcEvent[] = [];
    const unsubscribe = await session.onGc((event) => gcEvents.push(event));
    const stream = session.streamStats({ intervalMs: 100, onSample: (sample) => samples.push(sample) });
    await session.startSampling({ intervalBytes: 16 * 1024 });
    await sleep(2500);
    const live = buildFlameTree(await session.stopSampling(), 'live');
    await session.startSampling({ intervalBytes: 16 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    await sleep(2500);
    const totalProfile = await session.stopSampling();
    const heapProfile = path.join(scratch(), 'leaking-service.heapprofile');
    await saveHeapProfile(totalProfile, heapProfile);
    stream.stop();
    unsubscribe();
    return { samples, gcEvents, analysis: analyzeSeries(samples, { gcEvents }), live, total: buildFlameTree(totalProfile, 'total'), heapProfile };
  } finally {
    await session.close().catch(() => undefined);
    child.kill();
    await program.exitCode;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The live session's .heapprofile read back from disk, as the custom editor opens one. (Node 20's
 * own --heap-prof writes user frames without their script url, so it cannot test source links.)
 */
export async function heapProfileFile(): Promise<{ file: string; tree: FlameTree }> {
  const { heapProfile: file } = await recordLiveSession();
  return { file, tree: buildFlameTree(await readHeapProfile(file), 'unknown') };
}
