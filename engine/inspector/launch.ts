/**
 * Launch a Node program with its inspector on a free loopback port and attach to it. The program's
 * arguments, stdout, stderr and exit code pass through; only the inspector's own banner lines are
 * taken out of stderr (we read the WebSocket address from them).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { InputError } from '../errors';
import { connect } from './connect';
import type { InspectorSession } from './session';

export interface LaunchOptions {
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the inspector to start. Default 15 s. */
  startTimeoutMs?: number;
}

export interface LaunchedProgram {
  session: InspectorSession;
  child: ChildProcess;
  /** The program's exit code (128 + signal number when a signal ended it). */
  exitCode: Promise<number>;
}

const INSPECTOR_BANNER = [
  /^Debugger listening on ws:\/\/\S+\s*$/,
  /^For help, see: https:\/\/nodejs\.org\/\S*inspector\S*\s*$/,
  /^Debugger attached\.\s*$/,
  /^Waiting for the debugger to disconnect\.\.\.\s*$/,
  /^Debugger ending on ws:\/\/\S+\s*$/,
];

/**
 * `command` is either `node [node-flags] script [args]` or `script.js [args]` (run with this Node).
 * Anything else (npm, a shell script) cannot be given an inspector flag reliably and is refused.
 */
export async function launchScript(command: readonly string[], options: LaunchOptions = {}): Promise<LaunchedProgram> {
  const [program, args] = nodeCommand(command);
  const child = spawn(program, ['--inspect=127.0.0.1:0', ...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  const exitCode = new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
    child.on('error', () => resolve(127));
  });
  child.stdout?.on('data', (chunk: Buffer) => options.onStdout?.(chunk));

  let announced: (url: string) => void = () => undefined;
  const wsUrl = new Promise<string>((resolve) => (announced = resolve));
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(text);
    if (match) announced(match[1]);
    const kept = text.split(/(?<=\n)/).filter((line) => !INSPECTOR_BANNER.some((banner) => banner.test(line)));
    if (kept.length) options.onStderr?.(Buffer.from(kept.join(''), 'utf8'));
  });

  const spawnFailed = new Promise<never>((_, reject) => child.on('error', (error) =>
    reject(new InputError(`could not start ${program}: ${error.message}`, 'Check the command after --.'))));
  const exitedEarly = exitCode.then((code) => Promise.reject(new InputError(
    `the program exited (code ${code}) before its inspector started`, 'Run it without heapscope to see why.')));
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the program's inspector did not start within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    const url = await Promise.race([wsUrl, spawnFailed, exitedEarly, timedOut]);
    const session = await connect({ url }).catch(async (error: unknown) => {
      // A program that ends at once can be gone between "Debugger listening" and our connection.
      const code = await Promise.race([exitCode, new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000))]);
      if (code === undefined) throw error;
      throw new InputError(`the program exited (code ${code}) before heapscope could attach`, 'It finished too fast to watch: give it work that lasts.');
    });
    return { session, child, exitCode };
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
    spawnFailed.catch(() => undefined);
    exitedEarly.catch(() => undefined);
    timedOut.catch(() => undefined);
  }
}

/** [executable, args without the inspector flag]. */
function nodeCommand(command: readonly string[]): [string, string[]] {
  const [first, ...rest] = command;
  if (!first) throw new InputError('nothing to launch', 'Put the program after --, e.g. `-- node app.js --port 3000`.');
  if (/^node(\.exe)?$/i.test(basename(first)) || first === process.execPath) return [first, rest];
  if (/\.(c|m)?js$/i.test(first)) return [process.execPath, [first, ...rest]];
  throw new InputError(`cannot launch '${first}' with an inspector`,
    'Give `node script.js args…` or `script.js args…` after --; for npm scripts, start them with --inspect and use --port.');
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) || 0;
}
