/** Choosing a snapshot: the ones captured in this window first (newest on top), or any file on disk. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionManager } from './session-manager';

export async function pickSnapshot(manager: SessionManager, title: string, exclude?: vscode.Uri): Promise<vscode.Uri | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const captured: Item[] = manager.sessions
    .flatMap((session) => session.captures.filter((c) => c.kind === 'snapshot').map((capture) => ({ session, capture })))
    .filter(({ capture }) => capture.uri.toString() !== exclude?.toString())
    .sort((a, b) => b.capture.takenAt - a.capture.takenAt)
    .map(({ session, capture }) => ({
      label: path.basename(capture.uri.fsPath),
      description: `${session.label} · ${new Date(capture.takenAt).toLocaleTimeString()}`,
      uri: capture.uri,
    }));
  const browse: Item = { label: '$(folder-opened) Browse…', description: 'a .heapsnapshot file on disk' };
  const chosen = captured.length > 0 ? await vscode.window.showQuickPick([...captured, browse], { title }) : browse;
  if (!chosen) return undefined;
  if (chosen.uri) return chosen.uri;
  const picked = await vscode.window.showOpenDialog({
    title,
    canSelectMany: false,
    defaultUri: exclude ? vscode.Uri.file(path.dirname(exclude.fsPath)) : undefined,
    filters: { 'Heap snapshots': ['heapsnapshot'] },
  });
  return picked?.[0];
}
