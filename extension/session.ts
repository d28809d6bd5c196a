/**
 * One Node process Heapscope watches: its live statistics, the diagnosis of its series, the
 * snapshots and profiles taken from it. Data already captured stays when the process exits or the
 * connection drops — the session just stops being live.
 */
import * as vscode from 'vscode';
import type { InspectorSession, ProbeInfo } from '../engine/inspector';
import { analyzeSeries, type GcEvent, type HeapSample, type SeriesAnalysis } from '../engine/series';

export type SessionOrigin = 'attach' | 'launch' | 'debug';
export type SessionState = 'attached' | 'detached' | 'exited';

export interface Capture {
  kind: 'snapshot' | 'profile';
  uri: vscode.Uri;
  /** ms since the epoch */
  takenAt: number;
}

/** Keep a day of 1 Hz samples; beyond that the oldest go (the diagnosis only needs the trend). */
const MAX_SAMPLES = 24 * 3600;
const MAX_GC_EVENTS = 50_000;
/**
 * How long to wait before re-running the series analysis. It runs on the extension host's thread and
 * grows with the history (bench/extension/RESULTS.md: 10–20 ms for an hour of 1 Hz samples, 35–90 ms
 * for a day, on a shared 2-core machine), so it runs less often as the history grows: every 2 s at first, then every 2 ms per sample.
 */
function analysisIntervalMs(sampleCount: number): number {
  return Math.max(2000, sampleCount * 2);
}

const ENDED: Record<string, string> = {
  'target-exited': 'the program has finished',
  'connection-lost': 'the connection was lost (the process exited or crashed, or the debugger closed it)',
};

let nextId = 1;

/** Progress of a user action on the session, for views that show it (the dashboard's buttons). */
export interface ActionState {
  action: 'takeSnapshot' | 'startSampling' | 'stopSampling' | 'collectGarbage' | 'detach';
  state: 'running' | 'done' | 'failed';
  message?: string;
  /** 0..1 */
  progress?: number;
}

export interface SessionOptions {
  label: string;
  origin: SessionOrigin;
  statsIntervalMs: number;
  debugSessionId?: string;
}

export class Session implements vscode.Disposable {
  readonly id = `s${nextId++}`;
  readonly label: string;
  readonly origin: SessionOrigin;
  /** The VS Code debug session this one belongs to (a `heapscope` launch, or js-debug's target). */
  readonly debugSessionId: string | undefined;
  readonly samples: HeapSample[] = [];
  readonly gcEvents: GcEvent[] = [];
  readonly captures: Capture[] = [];
  state: SessionState = 'attached';
  sampling = false;
  analysis: SeriesAnalysis | undefined;
  /** What the in-target probe reported: pid, Node version, heap and cgroup limits. */
  info: ProbeInfo | undefined;
  /** Why the session stopped being live, when it was not the user's doing. */
  endReason: string | undefined;

  private readonly changed = new vscode.EventEmitter<Session>();
  /** Fires on every sample, capture and state change. */
  readonly onDidChange = this.changed.event;
  private readonly newSamples = new vscode.EventEmitter<{ samples: HeapSample[]; gcEvents: GcEvent[] }>();
  /** Fires with only what is new, for views that append (the dashboard). */
  readonly onDidReceiveSamples = this.newSamples.event;
  private readonly actions = new vscode.EventEmitter<ActionState>();
  readonly onDidReportAction = this.actions.event;
  private lastAnalysisAt = 0;
  private gcEventsSent = 0;
  private readonly stopStream: () => void;

  constructor(
    readonly inspector: InspectorSession,
    options: SessionOptions,
  ) {
    this.label = options.label;
    this.origin = options.origin;
    this.debugSessionId = options.debugSessionId;
    const stream = inspector.streamStats({
      intervalMs: options.statsIntervalMs,
      onSample: (sample) => this.addSample(sample),
      onEnd: (error) => this.end('exited', error.message),
    });
    this.stopStream = () => stream.stop();
    stream.info.then((info) => {
      this.info = info;
      this.changed.fire(this);
    }, () => undefined);
    inspector.onGc((event) => this.addGcEvent(event)).catch(() => undefined);
    inspector.onDisconnect((reason) => this.end(reason === 'closed' ? 'detached' : 'exited', ENDED[reason]));
  }

  get live(): boolean {
    return this.state === 'attached';
  }

  get latest(): HeapSample | undefined {
    return this.samples[this.samples.length - 1];
  }

  addCapture(capture: Capture): void {
    this.captures.push(capture);
    this.changed.fire(this);
  }

  reportAction(state: ActionState): void {
    this.actions.fire(state);
  }

  setSampling(sampling: boolean): void {
    this.sampling = sampling;
    this.changed.fire(this);
  }

  /** Stop streaming and close the connection; the process keeps running. */
  async detach(): Promise<void> {
    this.end('detached', undefined);
    await this.inspector.close();
  }

  /** The process is gone (its debug session ended): close what is left of the connection. */
  async ended(reason: string): Promise<void> {
    this.end('exited', reason);
    await this.inspector.close();
  }

  dispose(): void {
    void this.detach();
    this.changed.dispose();
    this.newSamples.dispose();
    this.actions.dispose();
  }

  private addSample(sample: HeapSample): void {
    this.samples.push(sample);
    if (this.samples.length > MAX_SAMPLES) this.samples.splice(0, this.samples.length - MAX_SAMPLES);
    if (sample.t - this.lastAnalysisAt >= analysisIntervalMs(this.samples.length)) {
      this.lastAnalysisAt = sample.t;
      this.analysis = analyzeSeries(this.samples, { gcEvents: this.gcEvents, cgroupLimit: this.info?.cgroupLimit ?? null });
    }
    const gcEvents = this.gcEvents.slice(this.gcEventsSent);
    this.gcEventsSent = this.gcEvents.length;
    this.newSamples.fire({ samples: [sample], gcEvents });
    this.changed.fire(this);
  }

  private addGcEvent(event: GcEvent): void {
    this.gcEvents.push(event);
    if (this.gcEvents.length > MAX_GC_EVENTS) {
      const drop = this.gcEvents.length - MAX_GC_EVENTS;
      this.gcEvents.splice(0, drop);
      this.gcEventsSent = Math.max(0, this.gcEventsSent - drop);
    }
  }

  private end(state: SessionState, reason: string | undefined): void {
    if (!this.live) return;
    this.stopStream();
    this.state = state;
    this.sampling = false;
    this.endReason = reason;
    this.changed.fire(this);
  }
}
