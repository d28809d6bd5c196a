import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../args';
import { InputError } from '../../engine/errors';
import type { GuardOptions } from '../../engine/guard/options';

const HELP = `usage: heapscope guard [options] -- node [node flags] script.js [args]

Runs the script's exported scenario (\`scenario(i)\`) under the heap-growth guard, as assertNoLeak
does in a test suite: warm up, full GC, run, full GC, compare heap, off-heap memory and handles.
Exit code 0 when it passes, 1 when it leaks (with what grew and what holds it), 2 on bad input.

options:
  --iterations N     measured iterations (default 1000)
  --warmup N         iterations not counted (default 10% of iterations)
  --max-growth SIZE  allowed heap + off-heap growth, e.g. '2 MB' (default 1 MB)
  --max-handles N    handles allowed to remain (default 0)
  --no-explain       skip the heap snapshots that explain a failure
  --json             print the report as JSON on stdout`;

/** The runner sits beside the CLI bundle (dist/guard-runner.js) or in the compiled tree (out/engine/guard/runner.js). */
function runnerPath(): string {
  const candidates = [join(__dirname, 'guard-runner.js'), join(__dirname, '..', '..', 'engine', 'guard', 'runner.js')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`guard runner not found next to ${__dirname}`);
  return found;
}

function wholeNumber(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`--${flag} must be a whole number, got '${text}'`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: ['iterations', 'warmup', 'max-growth', 'max-handles'], booleans: ['json', 'no-explain', 'help'] });
  if (args.booleans.has('help')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  const [node, ...rest] = args.passthrough;
  const scriptAt = rest.findIndex((a) => !a.startsWith('-'));
  if (!node || scriptAt === -1) throw new InputError('no script to guard', 'Usage: heapscope guard -- node script.js');
  const options: GuardOptions = {
    iterations: wholeNumber(args.values.get('iterations'), 'iterations'),
    warmup: wholeNumber(args.values.get('warmup'), 'warmup'),
    maxGrowth: args.values.get('max-growth'),
    maxHandles: wholeNumber(args.values.get('max-handles'), 'max-handles'),
    explain: args.booleans.has('no-explain') ? false : undefined,
  };
  const folder = await mkdtemp(join(tmpdir(), 'heapscope-guard-report-'));
  const reportFile = join(folder, 'report.json');
  try {
    const childArgs = [...rest.slice(0, scriptAt), runnerPath(), ...rest.slice(scriptAt)];
    const env = { ...process.env, HEAPSCOPE_GUARD_OPTIONS: JSON.stringify(options), HEAPSCOPE_GUARD_REPORT: reportFile };
    const child = spawn(node, childArgs, { stdio: ['ignore', args.booleans.has('json') ? 'ignore' : 'inherit', 'inherit'], env });
    const code = await new Promise<number>((resolve, reject) => {
      child.on('error', (error) => reject(new InputError(`cannot start '${node}': ${error.message}`)));
      child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 2 : 0)));
    });
    if (args.booleans.has('json') && existsSync(reportFile)) process.stdout.write((await readFile(reportFile, 'utf8')) + '\n');
    return code;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
