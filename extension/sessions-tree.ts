/**
 * The Sessions view: every watched process with its live heap and diagnosis, and the snapshots and
 * profiles taken from it. Items carry stable ids so a refresh keeps what the user expanded.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes, formatMbPerHour } from '../engine/series';
import type { Capture, Session } from './session';
import type { SessionManager } from './session-manager';

export type SessionsTreeNode =
  | { kind: 'session'; session: Session }
  | { kind: 'diagnosis'; session: Session }
  | { kind: 'fact'; session: Session; text: string; index: number }
  | { kind: 'capture'; session: Session; capture: Capture };

/** Refresh at most this often: samples arrive every second per session. */
const REFRESH_MS = 1000;

export class SessionsTree implements vscode.TreeDataProvider<SessionsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly manager: SessionManager) {
    this.subscription = manager.onDidChange(() => this.scheduleRefresh());
  }

  getChildren(node?: SessionsTreeNode): SessionsTreeNode[] {
    if (!node) return this.manager.sessions.map((session) => ({ kind: 'session', session }));
    const { session } = node;
    switch (node.kind) {
      case 'session':
        return [
          ...(session.analysis ? [{ kind: 'diagnosis' as const, session }] : []),
          ...session.captures.map((capture) => ({ kind: 'capture' as const, session, capture })),
        ];
      case 'diagnosis': {
        const diagnosis = session.analysis?.diagnosis;
        const facts = diagnosis ? [...diagnosis.evidence, `Next: ${diagnosis.next_step}`] : [];
        return facts.map((text, index) => ({ kind: 'fact', session, text, index }));
      }
      default:
        return [];
    }
  }

  getTreeItem(node: SessionsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'session':
        return sessionItem(node.session);
      case 'diagnosis':
        return diagnosisItem(node.session);
      case 'fact': {
        const item = new vscode.TreeItem(node.text);
        item.id = `${node.session.id}/fact/${node.index}`;
        item.tooltip = node.text;
        return item;
      }
      case 'capture':
        return captureItem(node.session, node.capture);
    }
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private scheduleRefresh(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.changed.fire();
    }, REFRESH_MS);
  }
}

function sessionItem(session: Session): vscode.TreeItem {
  const item = new vscode.TreeItem(session.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = session.id;
  const latest = session.latest;
  const slope = session.analysis ? ` · ${formatMbPerHour(session.analysis.slope_mb_per_hour)}` : '';
  item.description = session.live ? (latest ? `${formatBytes(latest.heapUsed)}${slope}` : 'connecting…') : session.state;
  item.iconPath = new vscode.ThemeIcon(session.live ? (session.sampling ? 'record' : 'pulse') : 'debug-disconnect');
  const target = session.info ? ` — pid ${session.info.pid}, Node ${session.info.nodeVersion}` : '';
  item.tooltip = `${session.label} (${session.origin})${target}${session.endReason ? `\nEnded: ${session.endReason}` : ''}`;
  // Menus match on this: `session.live`, `session.live.sampling`, `session.ended`.
  item.contextValue = session.live ? (session.sampling ? 'session.live.sampling' : 'session.live') : 'session.ended';
  item.command = { command: 'heapscope.openDashboard', title: 'Open Memory Dashboard', arguments: [session.id] };
  return item;
}

function diagnosisItem(session: Session): vscode.TreeItem {
  const diagnosis = session.analysis!.diagnosis;
  const item = new vscode.TreeItem(`Diagnosis: ${diagnosis.kind}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${session.id}/diagnosis`;
  item.description = `${Math.round(diagnosis.confidence * 100)}% sure`;
  item.iconPath = new vscode.ThemeIcon(diagnosis.kind === 'healthy' ? 'pass' : 'warning');
  item.tooltip = [...diagnosis.evidence, `Next: ${diagnosis.next_step}`].join('\n');
  item.contextValue = 'diagnosis';
  return item;
}

function captureItem(session: Session, capture: Capture): vscode.TreeItem {
  const item = new vscode.TreeItem(path.basename(capture.uri.fsPath));
  item.id = `${session.id}/capture/${capture.uri.toString()}`;
  item.description = new Date(capture.takenAt).toLocaleTimeString();
  item.resourceUri = capture.uri;
  item.iconPath = new vscode.ThemeIcon(capture.kind === 'snapshot' ? 'database' : 'flame');
  item.contextValue = capture.kind;
  item.command = { command: 'heapscope.openCapture', title: 'Open', arguments: [capture.uri] };
  return item;
}
