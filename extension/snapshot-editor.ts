/**
 * The `.heapsnapshot` viewer: a readonly custom editor. The snapshot is parsed and analysed in the
 * engine's worker thread (never on the extension host's thread) with progress and cancel; the
 * document opens at once and loads in the background so the viewer can show the worker's progress.
 * The webview then asks for what it shows a page at a time, and every question is validated by the
 * protocol before the worker sees it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CancelledError, InputError } from '../engine/errors';
import { SnapshotWorkerClient, type LeakSuspect, type LoadProgress } from '../engine/snapshot';
import { answerSnapshotQuery } from '../engine/snapshot/answer-query';
import type { SnapshotQuery, SnapshotQueryResult } from '../protocol';
import { errorText, showError } from './log';
import { openSource } from './open-source';
import { onValidMessage, post, setWebviewPage } from './webview-page';

export const SNAPSHOT_VIEW_TYPE = 'heapscope.snapshotViewer';

export interface LoadedSnapshot {
  client: SnapshotWorkerClient;
  rootIndex: number;
}

export class SnapshotDocument implements vscode.CustomDocument {
  /** Path of the snapshot to compare with, when the user picked one. */
  baseline: string | null = null;
  readonly panels = new Set<vscode.WebviewPanel>();
  /** The worker's latest progress, for a viewer that becomes ready while the snapshot loads. */
  progress: LoadProgress | undefined;
  /** Set once the snapshot has loaded; until then the viewer shows `progress`. */
  loaded: LoadedSnapshot | undefined;
  /** Cancelled when the last viewer closes, which stops a load still running. */
  readonly closed = new vscode.CancellationTokenSource();

  constructor(readonly uri: vscode.Uri) {}

  dispose(): void {
    this.closed.cancel();
    this.closed.dispose();
    void this.loaded?.client.close();
  }
}

/**
 * Loads a snapshot in the worker with a cancellable notification; `token` also cancels (e.g. the
 * editor closed). `onProgress` gets every progress update of the worker.
 */
export async function loadSnapshot(uri: vscode.Uri, token?: vscode.CancellationToken, onProgress?: (progress: LoadProgress) => void): Promise<LoadedSnapshot> {
  if (uri.scheme !== 'file') throw new InputError(`Heapscope opens heap snapshots from disk, not ${uri.scheme}: URIs`, 'Save the snapshot to a local file first.');
  const name = path.basename(uri.fsPath);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Loading ${name}`, cancellable: true },
    async (progress, cancel) => {
      const controller = new AbortController();
      cancel.onCancellationRequested(() => controller.abort());
      token?.onCancellationRequested(() => controller.abort());
      let shown = 0;
      const client = await SnapshotWorkerClient.open(uri.fsPath, {
        signal: controller.signal,
        onProgress: (update) => {
          onProgress?.(update);
          const percent = overallPercent(update);
          progress.report({ increment: Math.max(0, percent - shown), message: update.step ?? (update.phase === 'parse' ? 'reading' : 'analysing') });
          shown = Math.max(shown, percent);
        },
      });
      // The synthetic root retains everything, so it heads the retained-size ranking.
      const [root] = await client.topRetained(1);
      return { client, rootIndex: root.index };
    },
  );
}

/** Reading is the first half of the bar, the analyses the second. */
function overallPercent(progress: LoadProgress): number {
  const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  return progress.phase === 'parse' ? fraction * 50 : 50 + fraction * 50;
}

export class SnapshotEditorProvider implements vscode.CustomReadonlyEditorProvider<SnapshotDocument> {
  private readonly documents = new Map<string, SnapshotDocument>();
  /** Baselines chosen before the document opened (Compare Snapshots…). */
  private readonly pendingBaselines = new Map<string, string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Called with the suspects the viewer computed, to put them on source lines. */
    private readonly onSuspects: (uri: vscode.Uri, suspects: LeakSuspect[]) => void,
    /** Older snapshots of the same process, oldest first, for growth across snapshots. */
    private readonly olderSnapshotsOf: (uri: vscode.Uri) => string[],
    /** Lets the user choose a snapshot to compare `uri` with. */
    private readonly pickBaseline: (uri: vscode.Uri) => Promise<vscode.Uri | undefined>,
  ) {}

  /** The loaded snapshot of a file, if it is open in a viewer and has finished loading. */
  documentFor(uri: vscode.Uri): LoadedSnapshot | undefined {
    return this.documents.get(uri.toString())?.loaded;
  }

  /** Sets the snapshot to compare with, for an open viewer or the next one opened on `uri`. */
  setBaseline(uri: vscode.Uri, baseline: string): void {
    const document = this.documents.get(uri.toString());
    if (!document) {
      this.pendingBaselines.set(uri.toString(), baseline);
      return;
    }
    document.baseline = baseline;
    for (const panel of document.panels) void this.sendReady(document, panel.webview);
  }

  /** Opens at once and loads in the background: VS Code resolves the viewer only after this returns. */
  openCustomDocument(uri: vscode.Uri): SnapshotDocument {
    const document = new SnapshotDocument(uri);
    document.baseline = this.pendingBaselines.get(uri.toString()) ?? null;
    this.pendingBaselines.delete(uri.toString());
    this.documents.set(uri.toString(), document);
    void this.load(document);
    return document;
  }

  private async load(document: SnapshotDocument): Promise<void> {
    try {
      document.loaded = await loadSnapshot(document.uri, document.closed.token, (progress) => {
        document.progress = progress;
        for (const panel of document.panels) void post(panel.webview, { type: 'snapshotProgress', progress });
      });
      if (document.closed.token.isCancellationRequested) {
        await document.loaded.client.close(); // the viewer closed as the load finished
        return;
      }
      for (const panel of document.panels) void this.sendReady(document, panel.webview);
    } catch (error) {
      showError(`Opening ${path.basename(document.uri.fsPath)}`, error);
      if (error instanceof CancelledError) {
        for (const panel of [...document.panels]) panel.dispose(); // the user cancelled: nothing to show
        return;
      }
      for (const panel of document.panels) void post(panel.webview, { type: 'error', ...errorText(error) });
    }
  }

  resolveCustomEditor(document: SnapshotDocument, panel: vscode.WebviewPanel): void {
    setWebviewPage(panel.webview, this.extensionUri, 'snapshot', path.basename(document.uri.fsPath));
    document.panels.add(panel);
    const listener = onValidMessage(panel.webview, async (message) => {
      switch (message.type) {
        case 'ready':
          return this.sendReady(document, panel.webview);
        case 'query':
          return this.answer(document, panel.webview, message.requestId, message.query);
        case 'pickBaseline': {
          const baseline = await this.pickBaseline(document.uri);
          if (baseline) this.setBaseline(document.uri, baseline.fsPath);
          return;
        }
        case 'openSource':
          return openSource(message.url, message.line, message.column);
        default:
          return;
      }
    });
    panel.onDidDispose(() => {
      listener.dispose();
      document.panels.delete(panel);
      if (document.panels.size === 0) this.documents.delete(document.uri.toString());
    });
  }

  /** What a viewer shows now: the snapshot once loaded, else the load's latest progress. */
  private async sendReady(document: SnapshotDocument, webview: vscode.Webview): Promise<void> {
    if (!document.loaded) {
      if (document.progress) await post(webview, { type: 'snapshotProgress', progress: document.progress });
      return;
    }
    const info = { fileName: path.basename(document.uri.fsPath), rootIndex: document.loaded.rootIndex, summary: document.loaded.client.summary };
    await post(webview, { type: 'snapshotReady', info, baseline: document.baseline === null ? null : path.basename(document.baseline) });
  }

  private async answer(document: SnapshotDocument, webview: vscode.Webview, requestId: number, query: SnapshotQuery): Promise<void> {
    try {
      const result = await this.run(document, query);
      await post(webview, { type: 'queryResult', requestId, result });
    } catch (error) {
      await post(webview, { type: 'queryError', requestId, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async run(document: SnapshotDocument, query: SnapshotQuery): Promise<SnapshotQueryResult> {
    if (!document.loaded) throw new InputError('The snapshot is still loading.', 'Wait for the progress bar to finish.');
    const context = { rootIndex: document.loaded.rootIndex, baseline: document.baseline, olderSnapshots: this.olderSnapshotsOf(document.uri) };
    const result = await answerSnapshotQuery(document.loaded.client, query, context);
    if (result.kind === 'suspects') this.onSuspects(document.uri, result.suspects);
    return result;
  }
}
