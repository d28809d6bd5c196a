/**
 * The memory dashboard of a session: a webview panel fed with the session's samples, GC events and
 * analysis as they arrive. One panel per session; opening it again reveals it.
 */
import * as vscode from 'vscode';
import type { GcEvent, HeapSample } from '../engine/series';
import type { SessionAction, SessionInfo } from '../protocol';
import { openSource } from './open-source';
import type { Session } from './session';
import { onValidMessage, post, setWebviewPage } from './webview-page';

export class DashboardPanels implements vscode.Disposable {
  private readonly open = new Map<Session, vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Runs a dashboard button as the matching command, so both paths share one implementation. */
    private readonly runAction: (action: SessionAction, session: Session) => Thenable<unknown>,
  ) {}

  /** Opens (or reveals) the session's dashboard; by default in the active column, taking focus. */
  show(session: Session, where: { viewColumn: vscode.ViewColumn; preserveFocus: boolean } = { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }): vscode.WebviewPanel {
    const existing = this.open.get(session);
    if (existing) {
      existing.reveal(undefined, where.preserveFocus);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel('heapscope.dashboard', `Memory: ${session.label}`, where);
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity.svg');
    setWebviewPage(panel.webview, this.extensionUri, 'dashboard', `Memory: ${session.label}`);
    this.open.set(session, panel);
    const webview = panel.webview;
    let lastInfo = '';
    let lastAnalysis = session.analysis;
    const sendInfo = () => {
      const info = sessionInfo(session);
      if (JSON.stringify(info) === lastInfo) return;
      lastInfo = JSON.stringify(info);
      void post(webview, { type: 'session', session: info });
    };
    const subscriptions = [
      onValidMessage(webview, async (message) => {
        switch (message.type) {
          case 'ready':
            lastInfo = '';
            sendInfo();
            await post(webview, { type: 'samples', ...recentHistory(session), reset: true });
            await post(webview, { type: 'analysis', analysis: session.analysis ?? null });
            return;
          case 'action':
            await this.runAction(message.action, session);
            return;
          case 'openSource':
            await openSource(message.url, message.line, message.column);
            return;
          default:
            return;
        }
      }),
      session.onDidReceiveSamples(({ samples, gcEvents }) => {
        void post(webview, { type: 'samples', samples, gcEvents, reset: false });
        if (session.analysis === lastAnalysis) return;
        lastAnalysis = session.analysis;
        void post(webview, { type: 'analysis', analysis: session.analysis ?? null });
      }),
      session.onDidChange(sendInfo),
      session.onDidReportAction((state) => void post(webview, { type: 'actionState', ...state })),
    ];
    panel.onDidDispose(() => {
      this.open.delete(session);
      for (const subscription of subscriptions) subscription.dispose();
    });
    return panel;
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.dispose();
  }
}

/**
 * What a (re)loaded dashboard gets at once: the last 6 hours. A day of 1 Hz samples would be a ~25 MB
 * message serialised on the extension host's thread; the diagnosis still covers the whole history.
 */
const HISTORY_SENT_MS = 6 * 3600 * 1000;

function recentHistory(session: Session): { samples: HeapSample[]; gcEvents: GcEvent[] } {
  const since = (session.latest?.t ?? 0) - HISTORY_SENT_MS;
  const first = session.samples.findIndex((sample) => sample.t >= since);
  return { samples: session.samples.slice(Math.max(0, first)), gcEvents: session.gcEvents.filter((event) => event.t >= since) };
}

function sessionInfo(session: Session): SessionInfo {
  return { id: session.id, label: session.label, state: session.state, sampling: session.sampling };
}
