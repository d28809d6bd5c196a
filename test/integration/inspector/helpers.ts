/**
 * Shared by the inspector's integration tests: where the target programs live, launching them
 * (tracked, so every test can kill what it started, by pid), and running the bundled CLI.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchScript, type LaunchedProgram } from '../../../engine/inspector';

export const REPO = resolve(__dirname, '../../../..');
export const PROGRAMS = join(REPO, 'test/fixtures/programs');
export const SUPPORT = join(PROGRAMS, 'support');

const started = new Set<LaunchedProgram>();

/** Launch a program with an inspector; output is collected (not printed) so test logs stay readable. */
export async function launch(script: string, args: string[] = []): Promise<LaunchedProgram & { output: () => string }> {
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  const program = await launchScript(['node', script, ...args], { onStdout: collect, onStderr: collect });
  started.add(program);
  return Object.assign(program, { output: () => output });
}

/** Close sessions and kill every program launched by this file's tests. */
export async function killLaunched(): Promise<void> {
  await Promise.all([...started].map(async (program) => {
    await program.session.close().catch(() => undefined);
    if (program.child.exitCode === null && program.child.signalCode === null && program.child.pid) {
      process.kill(program.child.pid, 'SIGKILL');
    }
    await program.exitCode;
  }));
  started.clear();
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'heapscope-inspector-'));
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The CLI as tsc compiled it beside these tests (out/cli/main.js): always the current source. */
export function cli(): string {
  return join(REPO, 'out/cli/main.js');
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `heapscope <args>`; resolves when it exits (it is killed after `timeoutMs`). */
export async function runCli(args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  const path = cli();
  return new Promise((resolvePromise) => {
    const child = execFile(process.execPath, [path, ...args], { cwd: options.cwd ?? REPO, timeout: options.timeoutMs ?? 90_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number'
          ? (error as unknown as { code: number }).code : error ? 1 : 0;
        resolvePromise({ code: child.exitCode ?? code, stdout, stderr });
      });
  });
}

/** Start a CLI process and return it (for tests that signal it). */
export async function spawnCli(args: string[]): Promise<ReturnType<typeof spawn>> {
  return spawn(process.execPath, [cli(), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
}
