/**
 * `heapscope snapshot`: capture a heap snapshot from a live Node process to a file, streamed to
 * disk with progress. The file is complete or absent: it is written under a temporary name and
 * renamed at the end.
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CancelledError, InputError } from '../../engine/errors';
import { SNAPSHOT_PAUSE_WARNING } from '../../engine/inspector';
import { formatBytes } from '../../engine/series';
import { parseArgs } from '../args';
import { openTarget, parseDuration, TARGET_BOOLEAN_OPTIONS, TARGET_USAGE, TARGET_VALUE_OPTIONS } from './inspect-target';

const USAGE = `usage: heapscope snapshot (--port P | --url WS | -- node app.js args…) -o FILE.heapsnapshot [--gc] [--delay 5s]

${SNAPSHOT_PAUSE_WARNING}

${TARGET_USAGE}
options:
  -o, --output FILE   where to write the snapshot (required)
  --delay T           with a launched program, let it run for T before the capture (default 0)
  --gc                force a full GC first (pauses the target once more)`;

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv.map((a) => (a === '-o' ? '--output' : a)), {
    values: [...TARGET_VALUE_OPTIONS, 'output', 'delay'],
    booleans: [...TARGET_BOOLEAN_OPTIONS, 'gc', 'help'],
  });
  if (args.booleans.has('help')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const output = args.values.get('output');
  if (!output) throw new InputError('no output file', 'Give -o FILE.heapsnapshot.');
  const filePath = resolve(output);
  await assertWritableDirectory(dirname(filePath));
  const delayMs = args.values.has('delay') ? parseDuration(args.values.get('delay') as string, 'delay') : 0;

  const target = await openTarget(args);
  const interactive = process.stderr.isTTY;
  // Ctrl-C cancels the capture and deletes its temporary file instead of leaving half a snapshot.
  const cancel = new AbortController();
  const onInterrupt = () => cancel.abort();
  process.once('SIGINT', onInterrupt);
  try {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (args.booleans.has('gc')) await target.session.collectGarbage();
    process.stderr.write(`capturing a heap snapshot; the target is paused until it is written.\n`);
    let lastPercent = -1;
    const result = await target.session.takeHeapSnapshot(filePath, {
      signal: cancel.signal,
      onProgress: ({ done, total, bytesWritten }) => {
        const percent = total ? Math.floor((100 * done) / total) : 0;
        if (interactive && percent !== lastPercent) process.stderr.write(`\r  ${percent}% walked, ${formatBytes(bytesWritten)} written`);
        lastPercent = percent;
      },
    });
    if (interactive) process.stderr.write('\n');
    process.stdout.write(`wrote ${result.path} (${formatBytes(result.bytes)}) in ${(result.durationMs / 1000).toFixed(1)} s\n`);
    return 0;
  } catch (error) {
    if (interactive) process.stderr.write('\n');
    if (error instanceof CancelledError) throw new InputError(`${error.message}; nothing was written to ${filePath}`);
    throw new InputError((error as Error).message, 'Nothing was written. Check that the target is still running and retry.');
  } finally {
    process.off('SIGINT', onInterrupt);
    await target.release();
  }
}

async function assertWritableDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new InputError(`cannot write there: ${dir} is not a directory`, 'Create it or choose another -o path.');
}
