/**
 * The `.heapprofile` viewer (an allocation flame graph, readonly custom editor), and the live flame
 * graph of a session while its sampler runs (re-read every few seconds).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildFlameTree, readHeapProfile, type FlameTree } from '../engine/profile';
import { showError } from './log';
import { openSource } from './open-source';
import type { Session } from './session';
import { onValidMessage, post, setWebviewPage } from './webview-page';

export const PROFILE_VIEW_TYPE = 'heapscope.profileViewer';
/** How often the live flame graph re-reads the running sampler. */
const LIVE_REFRESH_MS = 5000;

class ProfileDocument implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly tree: FlameTree,
  ) {}

  dispose(): void {}
}

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider<ProfileDocument> {
  constructor(private readonly extensionUri: vscode.Uri) {}

  async openCustomDocument(uri: vscode.Uri): Promise<ProfileDocument> {
    try {
      // A sampling profile is small (one node per distinct stack), so it is read on this thread.
      return new ProfileDocument(uri, buildFlameTree(await readHeapProfile(uri.fsPath)));
    } catch (error) {
      showError(`Opening ${path.basename(uri.fsPath)}`, error);
      throw error;
    }
  }

  resolveCustomEditor(document: ProfileDocument, panel: vscode.WebviewPanel): void {
    const title = path.basename(document.uri.fsPath);
    showFlame(panel, this.extensionUri, title, () => ({ trees: [document.tree], sampling: false }));
  }
}

/** The live flame graph of a sampling session; it stops refreshing when sampling stops. */
export function showLiveFlame(extensionUri: vscode.Uri, session: Session): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('heapscope.liveFlame', `Allocations: ${session.label}`, vscode.ViewColumn.Beside);
  let latest: FlameTree[] = [];
  const refresh = async () => {
    if (!session.sampling) return;
    try {
      latest = [buildFlameTree(await session.inspector.readSampling(), 'live')];
      await post(panel.webview, { type: 'profile', title: panel.title, trees: latest, sampling: session.sampling });
    } catch {
      // The sampler stopped or the session ended between ticks: the last picture stays.
    }
  };
  const timer = setInterval(() => void refresh(), LIVE_REFRESH_MS);
  const stopped = session.onDidChange(() => {
    if (session.sampling) return;
    clearInterval(timer);
    stopped.dispose();
    void post(panel.webview, { type: 'profile', title: panel.title, trees: latest, sampling: false });
  });
  panel.onDidDispose(() => {
    clearInterval(timer);
    stopped.dispose();
  });
  showFlame(panel, extensionUri, panel.title, () => {
    void refresh();
    return { trees: latest, sampling: session.sampling };
  });
  return panel;
}

function showFlame(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, title: string, current: () => { trees: FlameTree[]; sampling: boolean }): void {
  setWebviewPage(panel.webview, extensionUri, 'flame', title);
  const listener = onValidMessage(panel.webview, async (message) => {
    if (message.type === 'ready') await post(panel.webview, { type: 'profile', title, ...current() });
    else if (message.type === 'openSource') await openSource(message.url, message.line, message.column);
  });
  panel.onDidDispose(() => listener.dispose());
}
