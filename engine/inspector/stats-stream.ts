/**
 * The live statistics stream: every tick, one batched round trip (Runtime.getHeapUsage and one
 * Runtime.evaluate of the probe's sample(), sent together on one socket). Ticks never pile up: while
 * an answer is outstanding the next tick is skipped, and when it finally comes back it is flagged
 * `late` — a blocked target is a signal to show, not an error.
 */
import type { HeapSample } from '../series/types';
import type { InspectorSession } from './session';
import { SessionEndedError } from './session-ended';
import { sampleExpression, type ProbeInfo, type ProbeSample } from './target-probe';

export interface StatsStreamOptions {
  /** Time between samples, ms. Default 1000. */
  intervalMs?: number;
  onSample: (sample: HeapSample) => void;
  /** The stream stopped by itself: the target went away or sampling failed. Not called after stop(). */
  onEnd?: (error: Error) => void;
}

export interface StatsStream {
  /** What the probe learnt about the target (heap limit, cgroup limit, pid, Node version). */
  readonly info: Promise<ProbeInfo>;
  stop(): void;
}

export function startStatsStream(session: InspectorSession, options: StatsStreamOptions): StatsStream {
  const intervalMs = Math.max(50, options.intervalMs ?? 1000);
  const info = session.installProbe();
  let stopped = false;
  let inFlight = false;
  let timer: NodeJS.Timeout | undefined;
  const startedAt = Date.now();
  let ticks = 0;

  const end = (error: Error) => {
    if (stopped) return;
    stop();
    options.onEnd?.(error);
  };

  const tick = async () => {
    if (inFlight || stopped) return;
    inFlight = true;
    const t = Date.now();
    try {
      const { heapLimit } = await info;
      const [usage, probe] = await Promise.all([
        session.send('Runtime.getHeapUsage'),
        session.evaluate<ProbeSample>(sampleExpression(session.id)),
      ]);
      const latencyMs = Date.now() - t;
      if (!stopped) {
        options.onSample({
          ...probe,
          t,
          latencyMs,
          late: latencyMs > intervalMs,
          heapUsed: usage.usedSize,
          heapTotal: usage.totalSize,
          heapLimit,
        });
      }
    } catch (error) {
      const reason = explain(error);
      end(reason);
      // Leave a finished program, or it waits for us forever.
      if (reason instanceof SessionEndedError && reason.reason === 'target-exited') void session.close();
    } finally {
      inFlight = false;
    }
  };

  // Schedule against the start time, so a slow tick does not shift every later one; after a stall
  // of our own process, skip the missed ticks instead of firing them in a burst.
  const schedule = () => {
    if (stopped) return;
    ticks = Math.max(ticks + 1, Math.floor((Date.now() - startedAt) / intervalMs) + 1);
    timer = setTimeout(() => {
      void tick();
      schedule();
    }, Math.max(0, startedAt + ticks * intervalMs - Date.now()));
  };
  const stopListening = session.onDisconnect((reason) => end(new SessionEndedError(reason)));
  // The first sample comes one interval after the start, so its event-loop figures cover a real interval.
  info.catch((error: unknown) => end(explain(error)));
  schedule();

  function stop() {
    stopped = true;
    clearTimeout(timer);
    stopListening();
  }
  return { info, stop };
}

function explain(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  // The program finished and its context is gone; Node waits for us to leave before it exits.
  if (/Cannot find context with specified id/.test(message)) return new SessionEndedError('target-exited');
  return error instanceof Error ? error : new Error(message);
}
