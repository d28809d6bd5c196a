/**
 * `heapscope watch`: stream heap statistics from a live Node process, one line per sample, and
 * diagnose the leak class at the end (duration over, Ctrl-C, or the target gone).
 * `--json` prints NDJSON: one HeapSample per line, then `{"diagnosis": {...}}`.
 */
import { InputError } from '../../engine/errors';
import type { GcEvent, HeapSample } from '../../engine/inspector';
import { absorbGcCounts, analyzeSeries, appendBounded, DEFAULT_MAX_POINTS, formatBytes, formatDuration, formatMbPerHour, type SeriesAnalysis } from '../../engine/series';
import { parseArgs } from '../args';
import { openTarget, parseDuration, TARGET_BOOLEAN_OPTIONS, TARGET_USAGE, TARGET_VALUE_OPTIONS } from './inspect-target';

const USAGE = `usage: heapscope watch (--port P | --url WS | -- node app.js args…) [--interval 1s] [--duration 60s] [--json]

Streams heap, RSS, external memory, active handles, event-loop use and GCs from a live process,
then says which kind of memory problem it sees (retention, off-heap, handles, rss-only, churn,
healthy), how sure it is, and what to capture next.

${TARGET_USAGE}
options:
  --interval T   time between samples (default 1s)
  --duration T   stop after T (default: until Ctrl-C or the program ends)
  --json         NDJSON: one sample per line, then {"diagnosis": {...}}`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [...TARGET_VALUE_OPTIONS, 'interval', 'duration'], booleans: [...TARGET_BOOLEAN_OPTIONS, 'json', 'help'] });
  if (args.booleans.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.positionals.length) throw new InputError(`unexpected argument '${args.positionals[0]}'`, 'Put the program to launch after --.');
  const intervalMs = parseDuration(args.values.get('interval') ?? '1s', 'interval');
  const durationMs = args.values.has('duration') ? parseDuration(args.values.get('duration') as string, 'duration') : Infinity;
  const json = args.booleans.has('json');
  const print = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');

  const target = await openTarget(args);
  const { session, launched } = target;
  const samples: HeapSample[] = [];
  const gcEvents: GcEvent[] = [];
  let endReason: Error | undefined;
  let stdoutClosed = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  // Piped into `head` or a closed viewer: stop watching quietly instead of dying on EPIPE.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
    finish();
  });
  // Bounded for watches of days. Only major GCs feed the floor; minor ones (many a second) are
  // already counted in the samples.
  const unsubscribeGc = await session.onGc((event) => {
    if (event.kind === 'major') appendBounded(gcEvents, event);
  });
  const stream = session.streamStats({
    intervalMs,
    onSample: (sample) => {
      appendBounded(samples, sample, DEFAULT_MAX_POINTS, absorbGcCounts);
      if (stdoutClosed) return;
      if (json) process.stdout.write(JSON.stringify(sample) + '\n');
      else print(formatSample(sample, samples[0].t, intervalMs < 1000 ? 1 : 0));
    },
    onEnd: (error) => {
      endReason = error;
      finish();
    },
  });
  const info = await stream.info;
  print(`watching pid ${info.pid} (Node ${info.nodeVersion}), heap limit ${formatBytes(info.heapLimit)}` +
    (info.cgroupLimit ? `, cgroup memory limit ${formatBytes(info.cgroupLimit)}` : '') + `; every ${intervalMs} ms, Ctrl-C to stop`);

  const timer = Number.isFinite(durationMs) ? setTimeout(finish, durationMs) : undefined;
  const onInterrupt = () => finish();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  launched?.exitCode.then(finish);
  await finished;
  clearTimeout(timer);
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);
  stream.stop();
  unsubscribeGc();
  // The program ended on its own (not by our duration or Ctrl-C): report its exit code.
  const programFinished = launched !== undefined && (launched.child.exitCode !== null || launched.child.signalCode !== null || endReason !== undefined);
  await target.release(programFinished);

  const analysis = analyzeSeries(samples, { gcEvents, heapLimit: info.heapLimit, cgroupLimit: info.cgroupLimit });
  if (stdoutClosed) return 0;
  if (json) process.stdout.write(JSON.stringify({ diagnosis: diagnosisRecord(analysis) }) + '\n');
  else print(formatDiagnosis(analysis));

  if (launched && programFinished) return launched.exitCode;
  if (endReason && !launched) {
    process.stderr.write(`heapscope: watch ended early: ${endReason.message}\n`);
    return 1;
  }
  return 0;
}

/** The final NDJSON record: the diagnosis with the figures that back it. */
function diagnosisRecord(analysis: SeriesAnalysis) {
  return {
    kind: analysis.diagnosis.kind,
    confidence: analysis.diagnosis.confidence,
    slope_mb_per_hour: analysis.slope_mb_per_hour,
    time_to_limit_s: analysis.time_to_limit_s,
    rss_slope_mb_per_hour: analysis.rss_slope_mb_per_hour,
    rss_time_to_limit_s: analysis.rss_time_to_limit_s,
    offheap_slope_mb_per_hour: analysis.offheap_slope_mb_per_hour,
    handles_slope_per_hour: analysis.handles_slope_per_hour,
    duration_s: analysis.duration_s,
    sample_count: analysis.sample_count,
    evidence: analysis.diagnosis.evidence,
    next_step: analysis.diagnosis.next_step,
  };
}

function formatSample(s: HeapSample, start: number, decimals: number): string {
  const elapsed = `${((s.t - start) / 1000).toFixed(decimals)}s`.padStart(7);
  const top = Object.entries(s.resources).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([type, n]) => `${type} ${n}`).join(', ');
  const gc = s.gc.minor || s.gc.major ? `  gc ${s.gc.minor} minor ${s.gc.major} major ${s.gc.pauseMs.toFixed(0)} ms` : '';
  let line = `${elapsed}  heap ${formatBytes(s.heapUsed).padStart(8)} / ${formatBytes(s.heapTotal).padStart(8)}  rss ${formatBytes(s.rss).padStart(8)}` +
    `  external ${formatBytes(s.external).padStart(8)}  handles ${s.resourceCount}${top ? ` (${top})` : ''}` +
    `  loop ${(s.eventLoopUtilization * 100).toFixed(0)}%${gc}`;
  if (s.late) line += `  LATE: answered after ${(s.latencyMs / 1000).toFixed(1)} s`;
  if (s.eventLoopDelayMaxMs >= 1000) line += `  event loop was blocked for ${(s.eventLoopDelayMaxMs / 1000).toFixed(1)} s`;
  else if (s.eventLoopUtilization >= 0.99) line += '  event loop busy the whole interval (blocked?)';
  return line;
}

function formatDiagnosis(a: SeriesAnalysis): string {
  const d = a.diagnosis;
  const lines = [
    '',
    `diagnosis: ${d.kind} (confidence ${Math.round(d.confidence * 100)}%, ${a.sample_count} samples over ${formatDuration(a.duration_s)})`,
    ...(d.confidence > 0 ? [`  post-GC floor slope ${formatMbPerHour(a.slope_mb_per_hour)}` +
      (a.time_to_limit_s !== null ? `, ${formatDuration(a.time_to_limit_s)} to the heap limit` : '')] : []),
    ...d.evidence.map((e) => `  - ${e}`),
    `  next: ${d.next_step}`,
  ];
  return lines.join('\n');
}
