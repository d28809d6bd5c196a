/** The long-lived parts of the extension that commands work with, created once in activate(). */
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { DashboardPanels } from './dashboard-panel';
import type { DebugSessionAttacher } from './debug-session-attach';
import type { RuntimeFindings } from './runtime-findings';
import type { SessionManager } from './session-manager';
import type { SnapshotEditorProvider } from './snapshot-editor';

export interface Services {
  context: vscode.ExtensionContext;
  manager: SessionManager;
  findings: RuntimeFindings;
  dashboards: DashboardPanels;
  debugSessions: DebugSessionAttacher;
  snapshotEditor: SnapshotEditorProvider;
  languageClient: LanguageClient;
}
