/**
 * Launch Script with Memory Monitor: runs a script as a `heapscope` debug session, so it gets the
 * debug toolbar (stop, restart) and the Debug Console for its output, like any F5 launch.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { InputError } from '../engine/errors';
import type { SessionManager } from './session-manager';

const SCRIPT = /\.(c|m)?js$/i;

/** Starts the script (the given one, the active editor's, or one the user picks); returns the new session's id. */
export async function launchScript(manager: SessionManager, program?: string, args?: string[]): Promise<string | undefined> {
  const script = program ?? (await chooseScript());
  if (!script) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(script));
  const before = new Set(manager.sessions);
  const started = await vscode.debug.startDebugging(folder, {
    type: 'heapscope',
    request: 'launch',
    name: `Heapscope: ${path.basename(script)}`,
    program: script,
    args: args ?? [],
    cwd: folder?.uri.fsPath ?? path.dirname(script),
  });
  if (!started) throw new InputError(`${path.basename(script)} did not start`, 'See the Debug Console for its output.');
  return manager.sessions.find((session) => !before.has(session) && session.origin === 'launch')?.id;
}

async function chooseScript(): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.uri.scheme === 'file' && SCRIPT.test(active.fileName)) return active.fileName;
  const picked = await vscode.window.showOpenDialog({
    title: 'Launch Script with Memory Monitor',
    canSelectMany: false,
    filters: { 'JavaScript': ['js', 'mjs', 'cjs'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}
