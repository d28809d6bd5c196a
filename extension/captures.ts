/**
 * Where snapshots and profiles go. By default the extension's private storage: heap snapshots hold
 * whatever the process held (tokens, passwords, user data), so they stay on this machine and out of
 * the workspace, where they could be committed by accident. `heapscope.snapshotDirectory` overrides.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { settings } from './settings';

export async function captureFile(context: vscode.ExtensionContext, label: string, kind: 'snapshot' | 'profile'): Promise<vscode.Uri> {
  const directory = settings.snapshotDirectory() || vscode.Uri.joinPath(context.globalStorageUri, 'captures').fsPath;
  await fs.mkdir(directory, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = label.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'node';
  return vscode.Uri.file(path.join(directory, `${base}-${stamp}.${kind === 'snapshot' ? 'heapsnapshot' : 'heapprofile'}`));
}
