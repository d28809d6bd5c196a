/**
 * `heapscope profile`: record a sampling heap profile from a live Node process for a while and
 * save it as a .heapprofile (the file Chrome DevTools and VS Code open), then print the functions
 * that allocated most. `--live` (default) keeps only objects still alive at the end — what holds
 * memory; `--total` keeps every sampled allocation — where memory churns.
 */
import { dirname, resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { InputError } from '../../engine/errors';
import { DEFAULT_SAMPLING_INTERVAL_BYTES } from '../../engine/inspector';
import { buildFlameTree, saveHeapProfile, topFunctions } from '../../engine/profile';
import { formatBytes } from '../../engine/series';
import { parseArgs } from '../args';
import { openTarget, parseDuration, TARGET_BOOLEAN_OPTIONS, TARGET_USAGE, TARGET_VALUE_OPTIONS } from './inspect-target';

const USAGE = `usage: heapscope profile (--port P | --url WS | -- node app.js args…) -o FILE.heapprofile [--duration 10s] [--live | --total] [--sampling-interval BYTES]

${TARGET_USAGE}
options:
  -o, --output FILE          where to write the profile (required)
  --duration T               how long to record (default 10s; Ctrl-C stops early and still saves)
  --live                     only objects still alive at the end (default): what holds memory
  --total                    every sampled allocation, collected or not: where memory churns
  --sampling-interval BYTES  average bytes between samples (default ${DEFAULT_SAMPLING_INTERVAL_BYTES}; smaller is
                             finer but slows a busy target)`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv.map((a) => (a === '-o' ? '--output' : a)), {
    values: [...TARGET_VALUE_OPTIONS, 'output', 'duration', 'sampling-interval'],
    booleans: [...TARGET_BOOLEAN_OPTIONS, 'live', 'total', 'help'],
  });
  if (args.booleans.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const output = args.values.get('output');
  if (!output) throw new InputError('no output file', 'Give -o FILE.heapprofile.');
  if (args.booleans.has('live') && args.booleans.has('total')) throw new InputError('--live and --total exclude each other');
  const filePath = resolve(output);
  const dirInfo = await stat(dirname(filePath)).catch(() => undefined);
  if (!dirInfo?.isDirectory()) throw new InputError(`cannot write there: ${dirname(filePath)} is not a directory`);
  const durationMs = parseDuration(args.values.get('duration') ?? '10s', 'duration');
  const intervalText = args.values.get('sampling-interval');
  const intervalBytes = intervalText === undefined ? DEFAULT_SAMPLING_INTERVAL_BYTES : Number(intervalText);
  if (!Number.isInteger(intervalBytes) || intervalBytes <= 0) {
    throw new InputError(`--sampling-interval ${intervalText}: not a positive number of bytes`);
  }
  const total = args.booleans.has('total');

  const target = await openTarget(args);
  const { session } = target;
  try {
    await session.startSampling({ intervalBytes, includeObjectsCollectedByMajorGC: total, includeObjectsCollectedByMinorGC: total });
    process.stderr.write(`recording ${total ? 'total' : 'live'} allocations for ${durationMs / 1000} s (Ctrl-C to stop early)…\n`);
    // Stop at the duration, on Ctrl-C, or when the session ends (then there is no heap left to ask).
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((r) => (stop = r));
    const timer = setTimeout(stop, durationMs);
    process.once('SIGINT', stop);
    const unsubscribe = session.onDisconnect(() => stop());
    await stopped;
    clearTimeout(timer);
    process.off('SIGINT', stop);
    unsubscribe();
    if (!session.connected) throw new InputError('the target went away before the profile was read; nothing was written');
    const profile = await session.stopSampling();
    const bytes = await saveHeapProfile(profile, filePath);
    const tree = buildFlameTree(profile, total ? 'total' : 'live');
    process.stdout.write(`wrote ${filePath} (${formatBytes(bytes)}): ${tree.sampleCount} samples, ${formatBytes(tree.totalBytes)} ${total ? 'allocated' : 'live'}\n`);
    for (const fn of topFunctions(tree, 10)) {
      const where = fn.url ? ` ${fn.url}:${fn.line}:${fn.column}` : '';
      process.stdout.write(`  ${formatBytes(fn.selfBytes).padStart(9)} self ${formatBytes(fn.totalBytes).padStart(9)} total  ${fn.name}${where}\n`);
    }
    return 0;
  } finally {
    await target.release();
  }
}
