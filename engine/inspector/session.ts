/**
 * One CDP connection to one Node target, and everything Heapscope does over it.
 * The capture and streaming logic lives in its own files; this class owns the connection's life:
 * the probe installed in the target, GC event fan-out, and telling listeners why it ended.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import CDP from 'chrome-remote-interface';
import type ProtocolMapping from 'devtools-protocol/types/protocol-mapping';
import type { Protocol } from 'devtools-protocol';
import type { GcEvent } from '../series/types';
import { installProbeExpression, uninstallProbeExpression, type ProbeInfo } from './target-probe';
import { startStatsStream, type StatsStream, type StatsStreamOptions } from './stats-stream';
import { captureHeapSnapshot, type SnapshotOptions, type SnapshotResult } from './snapshot-capture';
import { SamplingProfiler, type SamplingOptions } from './sampling-profiler';
import { SessionEndedError, type DisconnectReason } from './session-ended';

export { SessionEndedError, type DisconnectReason };


export interface TargetAddress {
  /** The WebSocket address the session is connected to. */
  wsUrl: string;
  host: string;
  port: number;
}

type Commands = ProtocolMapping.Commands;
type Events = ProtocolMapping.Events;

export class InspectorSession {
  /** A per-session id, so two sessions attached to one process never share probe state. */
  readonly id = randomBytes(6).toString('hex');
  private readonly events = new EventEmitter();
  private disconnectReason: DisconnectReason | undefined;
  private targetFinished = false;
  private closing: Promise<void> | undefined;
  private probe: Promise<ProbeInfo> | undefined;
  private readonly bindingName = `__heapscope_gc_${this.id}`;
  private readonly sampling = new SamplingProfiler(this);

  private constructor(
    private readonly client: CDP.Client,
    readonly target: TargetAddress,
    /** Shared with a debugger (js-debug's CDP proxy): subscribe to events, never disable a domain. */
    readonly sharedWithDebugger: boolean,
  ) {
    this.events.setMaxListeners(0);
    client.on('disconnect', () => this.ended(this.targetFinished ? 'target-exited' : 'connection-lost'));
    // A Node process whose program finished waits for attached debuggers to leave before it exits:
    // leave, or we would keep it alive.
    client.on('NodeRuntime.waitingForDisconnect', () => {
      this.targetFinished = true;
      void this.close();
    });
  }

  /** Connect to a ready WebSocket address. Use `connect()` from connect.ts, which checks the address first. */
  static async open(target: TargetAddress, sharedWithDebugger: boolean): Promise<InspectorSession> {
    const client = await CDP({ target: target.wsUrl, local: true });
    const session = new InspectorSession(client, target, sharedWithDebugger);
    if (sharedWithDebugger) {
      // Behind js-debug's proxy no event arrives until we subscribe to it.
      await session.sendRaw('JsDebug.subscribe', { events: ['HeapProfiler.*', 'Runtime.bindingCalled'] });
    } else {
      await session.sendRaw('NodeRuntime.notifyWhenWaitingForDisconnect', { enabled: true }).catch(() => undefined);
    }
    return session;
  }

  get connected(): boolean {
    return this.disconnectReason === undefined;
  }

  /** Send a CDP command. Rejects with a clear error once the session has ended. */
  send<M extends keyof Commands>(method: M, ...params: Commands[M]['paramsType']): Promise<Commands[M]['returnType']> {
    return this.sendRaw(method, params[0] as object | undefined) as Promise<Commands[M]['returnType']>;
  }

  /** Send a command outside the typed protocol (NodeRuntime.*, JsDebug.*). */
  async sendRaw(method: string, params?: object): Promise<unknown> {
    if (this.disconnectReason) throw new SessionEndedError(this.disconnectReason);
    try {
      return await (this.client.send as (m: string, p?: object) => Promise<unknown>)(method, params);
    } catch (error) {
      if (this.disconnectReason || /WebSocket (connection closed|is not open)/.test(String(error))) {
        throw new SessionEndedError(this.disconnectReason ?? (this.targetFinished ? 'target-exited' : 'connection-lost'));
      }
      throw error;
    }
  }

  /** Listen to a CDP event; returns the function that stops listening. */
  on<E extends keyof Events>(event: E, listener: (...params: Events[E]) => void): () => void {
    const handler = listener as (...args: unknown[]) => void;
    this.client.on(event, handler as (params: object) => void);
    return () => void (this.client as unknown as EventEmitter).removeListener(event, handler);
  }

  /** Called once when the session ends, with the reason. Returns the function that stops listening. */
  onDisconnect(listener: (reason: DisconnectReason) => void): () => void {
    if (this.disconnectReason) {
      queueMicrotask(() => listener(this.disconnectReason as DisconnectReason));
      return () => undefined;
    }
    this.events.on('disconnect', listener);
    return () => void this.events.off('disconnect', listener);
  }

  /** Resolves with the reason when the session ends. */
  get disconnected(): Promise<DisconnectReason> {
    return new Promise((resolve) => this.onDisconnect(resolve));
  }

  /** GC events as the target reports them. Installs the probe on first use. */
  async onGc(listener: (event: GcEvent) => void): Promise<() => void> {
    await this.installProbe();
    this.events.on('gc', listener);
    return () => void this.events.off('gc', listener);
  }

  /** Install (once) the in-target probe the stats stream and GC events need; returns what it learnt. */
  installProbe(): Promise<ProbeInfo> {
    this.probe ??= (async () => {
      await this.send('Runtime.addBinding', { name: this.bindingName });
      this.on('Runtime.bindingCalled', (event) => {
        if (event.name === this.bindingName) this.emitGcEvents(event.payload);
      });
      return this.evaluate<ProbeInfo>(installProbeExpression(this.id, this.bindingName), { includeCommandLineAPI: true, awaitPromise: true });
    })();
    return this.probe;
  }

  /** Evaluate an expression in the target and return its value (by value, so it must be JSON-able). */
  async evaluate<T>(expression: string, options: { includeCommandLineAPI?: boolean; awaitPromise?: boolean } = {}): Promise<T> {
    const reply = await this.send('Runtime.evaluate', { expression, returnByValue: true, silent: true, ...options });
    if (reply.exceptionDetails) {
      const text = reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text;
      throw new Error(`evaluation in the target failed: ${text}`);
    }
    return reply.result.value as T;
  }

  /** Sample heap, memory, handles and event loop every `intervalMs`, one batched round trip per tick. */
  streamStats(options: StatsStreamOptions): StatsStream {
    return startStatsStream(this, options);
  }

  /** Capture a heap snapshot, streamed to `filePath` (see snapshot-capture.ts). Pauses the target while it runs. */
  takeHeapSnapshot(filePath: string, options: SnapshotOptions = {}): Promise<SnapshotResult> {
    return captureHeapSnapshot(this, filePath, options);
  }

  startSampling(options: SamplingOptions = {}): Promise<void> {
    return this.sampling.start(options);
  }

  /** The profile so far, while sampling goes on. */
  readSampling(): Promise<Protocol.HeapProfiler.SamplingHeapProfile> {
    return this.sampling.read();
  }

  stopSampling(): Promise<Protocol.HeapProfiler.SamplingHeapProfile> {
    return this.sampling.stop();
  }

  /** Force a full GC. Blocks the target for 0.3–1 s on a big heap: only as an explicit user action. */
  async collectGarbage(): Promise<void> {
    await this.send('HeapProfiler.collectGarbage');
  }

  /** Leave the target as we found it (probe removed, sampling stopped), then close the connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.connected) return;
      // A finished target no longer runs code; do not wait on it.
      if (!this.targetFinished) await withTimeout(this.tidyTarget(), 2000).catch(() => undefined);
      await this.client.close().catch(() => undefined);
      this.ended(this.targetFinished ? 'target-exited' : 'closed');
    })();
    return this.closing;
  }

  private async tidyTarget(): Promise<void> {
    await this.sampling.abandon();
    if (this.probe) {
      await this.evaluate(uninstallProbeExpression(this.id)).catch(() => undefined);
      await this.send('Runtime.removeBinding', { name: this.bindingName }).catch(() => undefined);
    }
  }

  private ended(reason: DisconnectReason): void {
    if (this.disconnectReason) return;
    this.disconnectReason = reason;
    this.events.emit('disconnect', this.disconnectReason);
    this.events.removeAllListeners('gc');
  }

  private emitGcEvents(payload: string): void {
    let events: GcEvent[];
    try {
      events = JSON.parse(payload) as GcEvent[];
    } catch {
      return; // a page script calling our binding with garbage: ignore it
    }
    if (!Array.isArray(events)) return;
    for (const event of events) this.events.emit('gc', event);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
