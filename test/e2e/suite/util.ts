// Small helpers the extension-host tests share.
import * as childProcess from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'heapscope.heapscope';
/** The repository root (this file runs from out/test/e2e/suite/). */
export const REPO = path.resolve(__dirname, '..', '..', '..', '..');

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the e2e run must open a workspace folder');
  return folder.uri;
}

/** Writes `text` to a file in the test workspace and opens it in an editor. */
export async function openNewFile(name: string, text: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

export function heapscope(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return extension;
}

/** A Node process the test started with an inspector on a free loopback port, in its own process group. */
export interface Target {
  pid: number;
  inspectorPort: number;
  /** Everything it printed (stdout + stderr). */
  output(): string;
  /** Kills its whole process group and waits until it is gone. */
  stop(): Promise<void>;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `node --inspect=127.0.0.1:0 <script>` and resolves once the inspector listens. */
export async function startTarget(script: string, env: Record<string, string> = {}): Promise<Target> {
  // In desktop VS Code (test:electron) process.execPath is Electron: make it behave as Node.
  const child = childProcess.spawn(process.execPath, ['--inspect=127.0.0.1:0', script], {
    cwd: path.dirname(script), detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...env },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${script}`);
  let output = '';
  const stop = async () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitFor(`target ${pid} to exit`, () => !isAlive(pid), 10_000);
  };
  const inspectorPort = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /ws:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
      if (listening) resolve(Number(listening[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited (code ${code}) before its inspector listened:\n${output}`)));
    setTimeout(() => reject(new Error(`no inspector after 15 s from ${script}:\n${output}`)), 15_000);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { pid, inspectorPort, output: () => output, stop };
}

/** The extension's state through its test hook (registered in ExtensionMode.Test). */
export interface TestState {
  sessions: Array<{
    id: string; label: string; origin: string; state: string; sampling: boolean; samples: number;
    heapUsed: number | null; diagnosis: { kind: string; confidence: number; evidence: string[] } | null;
    captures: Array<{ kind: string; path: string }>;
  }>;
  runtimeFindings: Array<{ file: string; line: number; title: string }>;
  /** Messages the extension posted to webviews, by type. */
  webviewMessagesSent: Record<string, number>;
  languageServer: string;
}

export function testState(): Thenable<TestState> {
  return vscode.commands.executeCommand<TestState>('heapscope.test.getState');
}

export async function sessionState(id: string): Promise<TestState['sessions'][number]> {
  const session = (await testState()).sessions.find((candidate) => candidate.id === id);
  if (!session) throw new Error(`no session ${id} in the extension's state`);
  return session;
}

/** PIDs of processes whose command line contains `fragment` (Linux /proc). */
export function processesMatching(fragment: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(fragment)) found.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return found.filter((pid) => pid !== process.pid);
}

/** A private copy of demo/ in the test workspace, so its processes are recognisable by path. */
export function copyDemo(name: string): string {
  const copy = path.join(workspaceRoot().fsPath, name);
  fs.cpSync(path.join(REPO, 'demo'), copy, { recursive: true });
  return copy;
}
